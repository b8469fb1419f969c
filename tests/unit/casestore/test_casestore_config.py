from pathlib import Path

import pytest

from casestore import config
from casestore.db import masked_url, normalise_url


def test_environment_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BODAM_DATABASE_URL", "postgresql://bodam:pw@db.internal/bodam")
    assert config.database_url() == "postgresql://bodam:pw@db.internal/bodam"


def test_default_is_a_sqlite_file_under_var(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BODAM_DATABASE_URL", raising=False)
    monkeypatch.setattr(config, "REPO_ROOT", tmp_path)
    assert config.database_url() == f"sqlite:///{tmp_path / 'var' / 'bodam.db'}"
    assert (tmp_path / "var").is_dir()


def test_repo_root_is_the_project_root() -> None:
    assert (config.REPO_ROOT / "casestore" / "config.py").is_file()


def test_masked_url_hides_the_password() -> None:
    masked = masked_url("postgresql://bodam:s3cret@127.0.0.1:5432/bodam")
    assert "s3cret" not in masked
    assert masked == "postgresql://bodam:***@127.0.0.1:5432/bodam"


def test_bare_postgresql_urls_use_psycopg2() -> None:
    for url in ("postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg2://u@h/db"):
        assert normalise_url(url).drivername == "postgresql+psycopg2"
    assert normalise_url("sqlite:///x.db").drivername == "sqlite"
