"""Allocation of CLM/CMP/CHG-YYYY-NNNNNN identifiers from the id_sequences table."""

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casestore.errors import StorageError
from casestore.models import IdSequence


def format_id(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year:04d}-{number:06d}"


def parse_id(value: str) -> tuple[str, int, int]:
    prefix, year, number = value.split("-")
    return prefix, int(year), int(number)


def _lock_row(session: Session, prefix: str, year: int) -> int | None:
    """The row's last number, locked until commit; None if there is no row yet."""
    # FOR UPDATE on PostgreSQL; SQLite has no row locks, but store transactions there start
    # with BEGIN IMMEDIATE, which already serialises writers.
    stmt = (
        select(IdSequence.last)
        .where(IdSequence.prefix == prefix, IdSequence.year == year)
        .with_for_update()
    )
    return session.execute(stmt).scalar_one_or_none()


def _locked_last(session: Session, prefix: str, year: int) -> int:
    last = _lock_row(session, prefix, year)
    if last is not None:
        return last
    try:
        with session.begin_nested():
            session.execute(insert(IdSequence).values(prefix=prefix, year=year, last=0))
    except IntegrityError:
        pass  # a concurrent transaction created the row first; lock theirs
    last = _lock_row(session, prefix, year)
    if last is None:
        raise StorageError(f"id sequence {prefix}-{year} could not be created")
    return last


def _set_last(session: Session, prefix: str, year: int, last: int) -> None:
    session.execute(
        update(IdSequence)
        .where(IdSequence.prefix == prefix, IdSequence.year == year)
        .values(last=last)
    )


def allocate(session: Session, prefix: str, year: int) -> str:
    """Next id for ``prefix`` and ``year``. The row stays locked until the caller commits."""
    number = _locked_last(session, prefix, year) + 1
    if number > 999_999:
        raise StorageError(f"{prefix}-{year} identifiers are exhausted")
    _set_last(session, prefix, year, number)
    return format_id(prefix, year, number)


def reserve_up_to(session: Session, existing_id: str) -> None:
    """Make sure later allocations never hand out ``existing_id`` or anything below it."""
    prefix, year, number = parse_id(existing_id)
    if _locked_last(session, prefix, year) < number:
        _set_last(session, prefix, year, number)
