"""Slot values as customers read them: dates in words, labels instead of keys."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.actions.labels import (
    CHANGE_TYPES,
    COMPLAINT_CATEGORIES,
    INCIDENT_TYPES,
    PARTS_OF_DAY,
    PAYMENT_METHODS,
    RELATIONSHIPS,
    SLOT_NAMES,
    YES_NO,
    label,
)

_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_QUOTE_CHARS = 80


def format_date(iso_day: str | None, language: str) -> str:
    if not iso_day:
        return "-"
    try:
        day = date.fromisoformat(iso_day)
    except ValueError:
        return iso_day
    if language == "en":
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}년 {day.month}월 {day.day}일"


def format_time(value: str | None, language: str) -> str:
    if not value:
        return ""
    return label(PARTS_OF_DAY, value, language) if value in PARTS_OF_DAY else value


def format_when(iso_day: str | None, time: str | None, language: str) -> str:
    """ "2026년 11월 24일 저녁" / "24 November 2026, 08:30"."""
    shown = format_date(iso_day, language)
    if not time:
        return shown
    return f"{shown}, {format_time(time, language)}" if language == "en" else (
        f"{shown} {format_time(time, language)}"
    )


def beneficiary_text(value: str, language: str) -> str:
    """ "박지은 (spouse)" -> "박지은 (배우자)"."""
    if value.endswith(")") and " (" in value:
        name, relationship = value[:-1].split(" (", 1)
        return f"{name} ({label(RELATIONSHIPS, relationship, language)})"
    return value


def new_value_text(value: str, change_type: str | None, language: str) -> str:
    """A change request's new value in words: "계좌 자동이체", "50,000,000원"."""
    if change_type == "beneficiary":
        return beneficiary_text(value, language)
    if change_type == "payment_method":
        method, _, said = value.partition(" (")
        shown = label(PAYMENT_METHODS, method, language)
        return f"{shown} ({said}" if said else shown
    if change_type == "period":
        return format_date(value, language)
    if change_type == "sum_insured":
        amount, _, currency = value.partition(" ")
        if amount.isdigit() and currency in ("", "KRW"):
            return f"{int(amount):,}원" if language == "ko" else f"KRW {int(amount):,}"
    return value


def quote(text: str | None) -> str:
    text = (text or "").strip()
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1] + "…"


def display_value(slot: str, value: Any, language: str, slots: dict[str, Any]) -> str:
    """One slot's value in the customer's language."""
    if value is None:
        return "-"
    if slot in ("incident_date", "birth_date"):
        return format_date(str(value), language)
    if slot == "incident_time":
        return format_time(str(value), language)
    if slot == "incident_type":
        return label(INCIDENT_TYPES, str(value), language)
    if slot == "complaint_category":
        return label(COMPLAINT_CATEGORIES, str(value), language)
    if slot == "change_type":
        return label(CHANGE_TYPES, str(value), language)
    if slot in ("injuries", "contact_consent"):
        return label(YES_NO, str(value), language)
    if slot == "change_new_value":
        return new_value_text(str(value), slots.get("change_type"), language)
    if slot in ("incident_description", "complaint_description", "complaint_desired_outcome"):
        return quote(str(value))
    return str(value)


def value_lines(
    slots_in_order: list[str], values: dict[str, Any], language: str, slots: dict[str, Any]
) -> str:
    """ "- 사고 장소: 회사 지하주차장" lines for the given slots."""
    return "\n".join(
        f"- {label(SLOT_NAMES, slot, language)}: "
        f"{display_value(slot, values[slot], language, slots)}"
        for slot in slots_in_order
        if values.get(slot) is not None
    )


def change_lines(changed: dict[str, tuple[Any, Any]], language: str, slots: dict[str, Any]) -> str:
    """ "- 사고 날짜: 2026년 11월 25일 → 2026년 11월 24일" lines."""
    return "\n".join(
        f"- {label(SLOT_NAMES, slot, language)}: "
        f"{display_value(slot, old, language, slots)} → {display_value(slot, new, language, slots)}"
        for slot, (old, new) in changed.items()
    )
