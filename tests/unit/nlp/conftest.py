from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

# Make `bot` importable however pytest is started.
REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.fixture
def today() -> date:
    return TODAY
