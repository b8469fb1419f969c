"""Where the case store lives."""

import os
from pathlib import Path

ENV_VAR = "BODAM_DATABASE_URL"
REPO_ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The database URL: ``$BODAM_DATABASE_URL`` or a SQLite file under ``<repo>/var``."""
    url = os.environ.get(ENV_VAR, "").strip()
    if url:
        return url
    var_dir = REPO_ROOT / "var"
    var_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var_dir / 'bodam.db'}"
