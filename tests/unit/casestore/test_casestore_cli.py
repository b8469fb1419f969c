import os
import subprocess
import sys
from pathlib import Path

from casestore import CaseStore

REPO = Path(__file__).resolve().parents[3]


def run(*args: str, env_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BODAM_DATABASE_URL"}
    if env_url:
        env["BODAM_DATABASE_URL"] = env_url
    return subprocess.run(
        [sys.executable, "-m", "casestore", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_init_migrates_and_seeds(db_url: str) -> None:
    first = run("init", env_url=db_url)
    assert first.returncode == 0, first.stderr
    assert f"case store ready at {db_url}" in first.stdout
    assert "claims 4" in first.stdout
    second = run("--url", db_url, "init")
    assert second.returncode == 0, second.stderr
    assert "claims 0" in second.stdout
    with CaseStore(db_url) as store:
        assert store.get_claim("CLM-2026-000140", actor="t") is not None


def test_show_claim(db_url: str) -> None:
    run("init", env_url=db_url)
    shown = run("show", "CLM-2026-000123", env_url=db_url)
    assert shown.returncode == 0, shown.stderr
    assert "under_investigation" in shown.stdout
    assert "awaiting_documents" in shown.stdout  # history
    assert "+09:00" in shown.stdout  # operators read Korean time
    with CaseStore(db_url) as store:
        entry = store.audit_entries("CLM-2026-000123")[-1]
    assert entry.actor.startswith("cli:")
    assert entry.purpose == "operator cli"


def test_show_other_records(db_url: str) -> None:
    run("init", env_url=db_url)
    complaint = run("--url", db_url, "show", "CMP-2026-000045")
    assert "2026-11-26" in complaint.stdout
    policy = run("--url", db_url, "show", "pa20220310")
    assert "lapsed" in policy.stdout


def test_show_unknown_and_malformed(db_url: str) -> None:
    run("init", env_url=db_url)
    missing = run("--url", db_url, "show", "CLM-2026-999999")
    assert missing.returncode == 1
    assert "not found" in missing.stderr
    malformed = run("--url", db_url, "show", "'; DROP TABLE claims; --")
    assert malformed.returncode == 2
