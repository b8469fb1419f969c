"""Operator commands.

python -m casestore init                 migrate to the latest schema and load demo data
python -m casestore show CLM-2026-000123 print a claim (also CMP-/CHG- ids, policy numbers)
python -m casestore --url URL ...        another database than config.database_url()
"""

import argparse
import getpass
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime

from casestore import validation
from casestore.clock import KST
from casestore.config import database_url
from casestore.db import masked_url
from casestore.errors import CaseStoreError
from casestore.seed import load_demo_data
from casestore.store import CaseStore


def _format(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(KST).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "-" if value is None else str(value)


def _print_view(view: object) -> None:
    fields = asdict(view)  # type: ignore[call-overload]
    history = fields.pop("history", None)
    fields.pop("created", None)
    width = max(len(name) for name in fields)
    for name, value in fields.items():
        print(f"{name:<{width}}  {_format(value)}")
    for change in history or []:
        note = f"  ({change['note']})" if change["note"] else ""
        print(f"  {_format(change['changed_at'])}  {change['status']}{note}")


def _show(store: CaseStore, identifier: str, actor: str) -> int:
    key = identifier.strip().upper()
    purpose = "operator cli"
    view: object | None
    if validation.CLAIM_ID.fullmatch(key):
        view = store.get_claim(key, actor=actor, purpose=purpose)
    elif validation.COMPLAINT_ID.fullmatch(key):
        view = store.get_complaint(key, actor=actor, purpose=purpose)
    elif validation.CHANGE_ID.fullmatch(key):
        view = store.get_change_request(key, actor=actor, purpose=purpose)
    elif validation.POLICY_NUMBER.fullmatch(key):
        view = store.get_policy(key, actor=actor, purpose=purpose)
    else:
        print(f"not a claim, complaint, change or policy id: {identifier}", file=sys.stderr)
        return 2
    if view is None:
        print(f"{key} not found", file=sys.stderr)
        return 1
    _print_view(view)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m casestore",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", help="database URL (default: $BODAM_DATABASE_URL or var/bodam.db)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init", help="migrate to the latest schema and load the demo data")
    show = commands.add_parser("show", help="print one record")
    show.add_argument("id", help="CLM-/CMP-/CHG- id or policy number")
    args = parser.parse_args(argv)

    url = args.url or database_url()
    try:
        if args.command == "init":
            with CaseStore.open(url, migrate=True) as store:
                inserted = load_demo_data(store)
            print(f"case store ready at {masked_url(url)}")
            print("demo rows inserted: " + ", ".join(f"{k} {v}" for k, v in inserted.items()))
            return 0
        with CaseStore(url) as store:
            return _show(store, args.id, actor=f"cli:{getpass.getuser()}")
    except CaseStoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
