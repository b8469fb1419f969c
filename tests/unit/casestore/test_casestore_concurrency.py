"""Parallel writers on one SQLite file (each thread and each process has its own store)."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from casestore_helpers import claim_args, count

from casestore import CaseStore

REPO = Path(__file__).resolve().parents[3]


def test_threads_get_distinct_consecutive_ids(store: CaseStore, db_url: str) -> None:
    def create(_: int) -> str:
        return store.create_claim(**claim_args()).id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(create, range(40)))
    assert len(set(ids)) == 40
    assert sorted(ids) == [f"CLM-2026-{n:06d}" for n in range(141, 181)]


def test_threads_with_one_idempotency_key_create_one_claim(store: CaseStore, db_url: str) -> None:
    def create(_: int) -> tuple[str, bool]:
        view = store.create_claim(**claim_args(idempotency_key="double-click"))
        return view.id, view.created

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(create, range(16)))
    assert {claim_id for claim_id, _ in results} == {"CLM-2026-000141"}
    assert sum(created for _, created in results) == 1
    assert count(db_url, "claims") == 5


def test_separate_processes(store: CaseStore, db_url: str) -> None:
    script = (
        "import sys; from datetime import date; from casestore import CaseStore\n"
        "with CaseStore(sys.argv[1]) as s:\n"
        "    for _ in range(10):\n"
        "        print(s.create_claim(policy_number='AU20250001', incident_type='theft',\n"
        "              incident_date=date(2026, 11, 1), incident_place=None, description=None,\n"
        "              injuries=None, contact_consent=None, channel='web',\n"
        "              idempotency_key=None).id)\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, db_url], cwd=REPO, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    ids = [line for p in procs for line in p.communicate(timeout=120)[0].split()]
    assert all(p.returncode == 0 for p in procs)
    assert len(ids) == len(set(ids)) == 40
