"""Whole customer conversations (tests/dialogues/*.yml) played against the running stack.

Each dialogue is a list of customer messages sent over Rasa's REST channel with a fresh
sender id; every reply must pass the global checks (not empty, no fallback, no "invalid
format" complaint, no raw keys, the right language) and the turn's own checks (`asks`,
`contains`, `date`, ...). An optional `record` check then reads the case the dialogue
created from the case store's SQLite file (read-only). The file format is described in
tests/dialogues/README.md.

    python -m evaluation.dialogues --rasa-url http://127.0.0.1:5005 --case-db var/bodam.db
    python -m evaluation.dialogues --check          # validate the files only

prints one line per failing dialogue and ``dialogues: ko 38/40 (95.0 %), en 19/20 (95.0 %)``.
`run(rasa_url, case_db)` returns the same figures as a dict for the eval report, and
tests/e2e/test_customer_dialogues.py plays them against the test stack.
Runs in either environment (.venv or .venv-rasa): stdlib, PyYAML and requests only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import json
import re
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evaluation.common import LANGUAGES, REPORTS_DIR, ROOT, has_hangul
from tools.stack import LocalStack, forgive_identity_failures

DIALOGUES_DIR = ROOT / "tests" / "dialogues"
REPORT_PATH = REPORTS_DIR / "dialogues.json"
TARGET_PASS_RATE = 0.95
MIN_TURNS, MAX_TURNS = 3, 9
REQUEST_TIMEOUT = 60.0

# ---------------------------------------------------------------------------------------
# What "the reply asks for <slot>" means: ONE table, tune it here.
# Patterns look for a request (알려/입력/말씀 ..., tell/enter/what's ... ?) close to the
# value's name inside one sentence, so a summary line such as "- 증권번호: AU20250001" or
# "- Anyone hurt: no" is not taken for a question.
# ---------------------------------------------------------------------------------------
_G = r"[^\n.?!。]{0,14}"  # a short gap inside one sentence
_GL = r"[^\n.?!。]{0,45}"  # a longer one (English questions put the verb far ahead)
# a Korean request: 알려주세요, 입력해 주세요, 말씀해 주시겠어요 ... (not 알려드릴게요)
_KO_ASK = r"(?:알려|입력해|말씀해|적어|보내|골라|선택해|불러)\s*주"

SLOT_ASKS: dict[str, str] = {
    "policy_number": "|".join([
        rf"증권\s*번호{_G}{_KO_ASK}",
        r"증권\s*번호(?:가|는)\s*(?:어떻게|뭐|무엇)",
        rf"\b(?:tell|give|send|enter|share|type|need|provide){_G}policy (?:number|no)",
        r"(?:what(?:'s| is)|and) your policy (?:number|no)",
        r"policy (?:number|no)\s*\?",
    ]),
    "birth_date": "|".join([
        rf"(?:생년월일|생일){_G}{_KO_ASK}",
        r"(?:생년월일|생일)(?:이|은|는)\s*(?:어떻게|언제)",
        rf"\b(?:tell|give|send|enter|share|type|need|provide){_GL}"
        r"(?:date of birth|birth ?date|birthday|\bdob\b)",
        r"when were you born",
        r"(?:date of birth|birth ?date|birthday)\s*\?",
    ]),
    "incident_type": "|".join([
        r"어떤\s*(?:종류의\s*)?사고(?:인지|였|인가요|이었)",
        rf"사고\s*(?:유형|종류){_G}(?:골라|선택|{_KO_ASK})",
        r"what (?:kind|type|sort) of (?:incident|accident|claim|loss|damage)",
        rf"(?:type|kind) of (?:incident|accident){_G}\?",
    ]),
    "incident_date": "|".join([
        r"언제\s*(?:있었|일어났|났|였|이었|발생|생긴|생겼|그러셨|인가요|쯤)",
        rf"(?:날짜|일자|일시){_G}(?:{_KO_ASK}|언제)",
        r"when did (?:it|this|that|the \w+)(?: \w+)? (?:happen|occur|take place|start)",
        r"what (?:date|day) (?:was|did|was it|did it)",
    ]),
    "incident_place": "|".join([
        r"어디(?:서|에서|였|이었|인가요|에\s*있었)",
        rf"(?:장소|위치)(?:를|는|가)?{_G}{_KO_ASK}",
        r"where (?:did|was|were|exactly|abouts)",
        rf"(?:place|location){_G}\?",
    ]),
    "incident_description": "|".join([
        rf"(?:어떤\s*일|무슨\s*일|어떻게\s*(?:된|일어난|다치)|경위|상황){_G}(?:설명해\s*주|{_KO_ASK})",
        r"\bdescribe\b",
        r"what happened\s*\?",
        rf"tell (?:me|us){_G}(?:what happened|how it happened|more about)",
    ]),
    "injuries": "|".join([
        rf"(?:다친|다치신|다쳤|부상){_G}\?",
        rf"(?:anyone|anybody|someone|you){_G}(?:hurt|injured){_GL}\?",
        rf"(?:injur|hurt){_G}\?",
    ]),
    "contact_consent": "|".join([
        rf"연락{_G}(?:드려도|드릴까요|해도|드리면|받으셔도|받아도|괜찮|동의){_G}\?",
        rf"(?:contact|call|phone|ring|reach|text) you{_GL}\?",
        rf"(?:ok|okay|alright|fine) (?:for|if|to){_GL}(?:contact|call|phone|ring){_GL}\?",
    ]),
    "confirm": "|".join([
        r"(?:접수|신청|진행|제출|요청|처리|등록)(?:할까요|해\s*드릴까요|하시겠어요|하시겠습니까)",
        r"(?:맞으신가요|맞나요|맞습니까|맞으세요\s*\?|맞을까요)",
        r"이대로\s*(?:접수|진행|신청|제출|요청|처리|등록)",
        r"(?:내용|내역|정보)(?:을|를)?\s*확인해\s*주",
        r"\b(?:shall|should|can|may) i (?:file|submit|send|go ahead|put|lodge|register|make|log)",
        r"\bis (?:this|that|everything|all (?:of )?(?:this|that)) (?:right|correct|ok)",
        r"does (?:this|that|everything) look (?:right|correct|ok|good)",
        r"\bconfirm (?:the|these|this|that|your (?:details|request|claim|complaint|change))",
        r"(?:check|review) (?:the|these|your) details",
        r"(?:go ahead|proceed|submit (?:it|this))\s*\?",
    ]),
    "complaint_category": "|".join([
        r"어떤\s*(?:내용|부분|일|점)에\s*(?:대한|관한)\s*민원",
        r"어떤\s*(?:내용|종류|유형)의?\s*민원",
        rf"민원{_G}(?:유형|종류|분류){_G}(?:골라|선택|{_KO_ASK})",
        r"what is your complaint about",
        r"what(?:'s| is) (?:the|your) complaint (?:about|regarding)",
        r"(?:type|kind|category) of (?:complaint|issue)",
        r"what (?:kind|type) of complaint",
    ]),
    "complaint_description": "|".join([
        rf"(?:어떤\s*일|무슨\s*일|경위|상황){_G}(?:설명해\s*주|{_KO_ASK})",
        rf"(?:민원|불편|불만)\s*(?:내용|사항){_G}(?:설명해\s*주|{_KO_ASK})",
        rf"자세히{_G}(?:설명해\s*주|{_KO_ASK})",
        r"\bdescribe\b",
        r"what happened\s*\?",
        rf"tell (?:me|us){_G}(?:what happened|more|about it)",
    ]),
    "complaint_desired_outcome": "|".join([
        rf"어떻게{_G}(?:해결|처리|조치){_G}(?:바라|원하)",
        rf"(?:원하시는|바라시는){_G}(?:해결|처리|결과|조치|방법){_G}(?:{_KO_ASK}|\?)",
        rf"(?:해결|처리)\s*(?:방법|방향){_G}{_KO_ASK}",
        r"what would you like us to do",
        r"how would you like (?:us|this|it|the complaint)",
        r"put (?:this|it|things) right",
        r"what (?:outcome|result)",
        r"what (?:would|do) you (?:want|expect|hope)",
    ]),
    "change_type": "|".join([
        rf"어떤\s*(?:내용|항목|정보|부분|것)(?:을|를)?{_G}(?:변경|바꾸|수정)",
        r"(?:무엇|뭘|뭐)을?\s*(?:변경|바꾸)",
        rf"(?:변경|바꾸)(?:하실|실)\s*(?:항목|내용){_G}(?:골라|선택|{_KO_ASK})",
        r"what (?:would|do) you (?:like|want|need) to (?:change|update)",
        r"which (?:detail|part|item|thing)s? (?:would|do) you",
        r"what (?:should|shall) (?:we|i) (?:change|update)",
    ]),
    "change_new_value": "|".join([
        rf"새로\s*(?:등록|변경|바꾸|바뀌|바꿀)(?:할|하실|실|시는|는)?{_G}{_KO_ASK}",
        r"(?:새|새로운|변경할|변경하실|바꾸실|바꿀)\s*[^\n.?!]{0,10}?(?:주소|연락처|번호|수익자|금액|"
        rf"방법|기간|내용|정보|계좌){_G}(?:{_KO_ASK}|\?)",
        rf"(?:누구로|어디로|얼마로|어떤\s*방법으로|무엇으로|뭘로|언제까지로?)\s*"
        rf"(?:변경|바꾸|바꿔|연장){_G}(?:\?|{_KO_ASK}|싶으)",
        rf"어떤\s*(?:방법|수단)으로{_G}(?:\?|내시|납부|납입|하시)",
        r"what should the new",
        r"(?:what(?:'s| is)|tell me|give me|enter|send me|let me know) (?:the|your) new",
        rf"new (?:address|beneficiary|number|phone|contact|sum|amount|payment|period|details)"
        rf"{_G}\?",
        r"who (?:should|would you like|do you want) (?:to )?(?:be )?(?:the|your|as) (?:new )?"
        r"beneficiary",
        r"(?:what|which) (?:address|amount|number|payment method) (?:should|would|do)",
        r"how would you like to pay",
        r"until when",
    ]),
}
# "identity" = the reply asks for a policy number or a case id and/or the birth date.
SLOT_ASKS["identity"] = "|".join([
    SLOT_ASKS["policy_number"],
    SLOT_ASKS["birth_date"],
    rf"(?:접수|청구|민원|사건)\s*번호{_G}{_KO_ASK}",
    r"본인\s*확인(?:을|이)?\s*(?:위해|먼저|부터|해\s*주|필요)",
    rf"(?:claim|complaint|case|reference) (?:number|id){_G}\?",
    r"(?:verify|confirm)(?:ed|ing)? (?:your identity|who you are)",
])
ASK_PATTERNS: dict[str, re.Pattern[str]] = {
    slot: re.compile(pattern, re.IGNORECASE) for slot, pattern in SLOT_ASKS.items()
}

# Global checks on every reply. The fallback fragments come from utter_default,
# utter_ask_rephrase and utter_offer_human in bot/domain/responses_conversation.yml.
FALLBACK_FRAGMENTS: tuple[str, ...] = (
    "제대로 이해하지 못했",
    "정확히 이해하지 못했",
    "정확히 이해하지 못해",
    "didn't quite understand",
    "did not understand",
    "not sure I understood",
    "say that another way",
    "still haven't understood",
)
INVALID_FRAGMENTS: tuple[str, ...] = (
    "형식이 맞지 않",
    "doesn't look like a",
    "does not look like a",
    "not a valid",
    "날짜를 알아보지 못했",
    "couldn't read that",
)
# snake_case words (water_damage, sum_insured, change_new_value ...) and unfilled
# {placeholders}; e-mail addresses, URLs and ids are not snake_case.
RAW_KEY = re.compile(r"(?<![\w@./-])[a-z]+(?:_[a-z]+)+(?![\w@-])|\{[a-z_]+\}")
HANGUL_RUN = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]+")
# Names from the demo records: an English reply may greet a customer by name.
DEMO_NAMES: tuple[str, ...] = ("김민지", "이준호", "박서연")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip

# Record checks: the case kinds, their tables, id prefixes and columns (casestore/models.py).
RECORD_KINDS: dict[str, tuple[str, str]] = {
    "claim": ("claims", "CLM"),
    "complaint": ("complaints", "CMP"),
    "change": ("change_requests", "CHG"),
}
RECORD_COLUMNS: dict[str, frozenset[str]] = {
    "claims": frozenset({
        "id", "policy_number", "incident_type", "incident_date", "incident_place",
        "description", "injuries", "contact_consent", "status", "assessed_amount",
        "paid_amount", "channel", "created_at",
    }),
    "complaints": frozenset({
        "id", "customer_id", "policy_number", "category", "description", "desired_outcome",
        "status", "opened_at", "acknowledged_at", "due_at", "resolved_at",
    }),
    "change_requests": frozenset({
        "id", "policy_number", "change_type", "new_value", "status", "created_at",
    }),
}  # fmt: skip
# Case ids already in the demo records: never taken for "the case this dialogue created".
DEMO_CASE_IDS = frozenset({
    "CLM-2026-000123", "CLM-2026-000124", "CLM-2026-000131", "CLM-2026-000140",
    "CMP-2026-000045",
})  # fmt: skip
_DATETIME_COLUMNS = frozenset({"created_at", "opened_at", "acknowledged_at", "due_at",
                               "resolved_at"})  # fmt: skip
KST = dt.timezone(dt.timedelta(hours=9))

DIALOGUE_KEYS = frozenset({"id", "language", "about", "turns", "record"})
TURN_KEYS = frozenset({"user", "expect"})
CHECK_KEYS = frozenset({
    "asks", "not_asks", "contains", "contains_any", "not_contains", "date", "regex",
    "not_regex", "language",
})  # fmt: skip
RECORD_KEYS = frozenset({"kind", "equals", "contains", "not_contains", "absent"})


class DialogueFileError(ValueError):
    """A dialogue file that does not follow the format (the message names the dialogue)."""


@dataclass(frozen=True)
class Turn:
    user: str
    expect: dict[str, Any]


@dataclass(frozen=True)
class Dialogue:
    id: str
    language: str
    about: str
    turns: tuple[Turn, ...]
    record: dict[str, Any] | None
    source: str = ""


@dataclass
class DialogueResult:
    id: str
    language: str
    source: str
    passed: bool
    turn: int | None = None  # 1-based turn of the first failure; None: passed or record check
    user: str | None = None
    check: str | None = None
    reply: str | None = None
    transcript: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------------------


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, list | tuple) else [value]


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _check_expect(expect: Any, where: str) -> list[str]:
    if expect is None:
        return []
    if not isinstance(expect, dict):
        return [f"{where}: expect must be a mapping"]
    errors = [f"{where}: unknown check {key!r}" for key in expect if key not in CHECK_KEYS]
    for key in ("asks", "not_asks"):
        for slot in _as_list(expect.get(key, [])):
            if slot not in ASK_PATTERNS:
                errors.append(f"{where}: {key} names an unknown slot {slot!r}")
    for key in ("contains", "contains_any", "not_contains"):
        if key in expect:
            values = _as_list(expect[key])
            if not values or not all(isinstance(v, str) and v.strip() for v in values):
                errors.append(f"{where}: {key} needs non-empty strings")
    for key in ("regex", "not_regex"):
        for pattern in _as_list(expect.get(key, [])):
            try:
                re.compile(str(pattern))
            except re.error as error:
                errors.append(f"{where}: {key} {pattern!r} is not a regex ({error})")
    for value in _as_list(expect.get("date", [])):
        try:
            _as_date(value)
        except ValueError:
            errors.append(f"{where}: date {value!r} is not YYYY-MM-DD")
    if "language" in expect and expect["language"] not in LANGUAGES:
        errors.append(f"{where}: language must be one of {', '.join(LANGUAGES)}")
    return errors


def _check_record(record: Any, where: str) -> list[str]:
    if record is None:
        return []
    if not isinstance(record, dict):
        return [f"{where}: record must be a mapping"]
    errors = [f"{where}: unknown record key {key!r}" for key in record if key not in RECORD_KEYS]
    kind = record.get("kind")
    if kind not in RECORD_KINDS:
        return [*errors, f"{where}: record kind must be one of {', '.join(RECORD_KINDS)}"]
    table = RECORD_KINDS[kind][0]
    if "absent" in record:
        if record["absent"] is not True:
            errors.append(f"{where}: record absent must be true")
        if any(key in record for key in ("equals", "contains", "not_contains")):
            errors.append(f"{where}: record absent takes no value checks")
    elif not any(key in record for key in ("equals", "contains", "not_contains")):
        errors.append(f"{where}: record needs equals, contains, not_contains or absent")
    for key in ("equals", "contains", "not_contains"):
        values = record.get(key)
        if values is None:
            continue
        if not isinstance(values, dict) or not values:
            errors.append(f"{where}: record {key} must be a mapping of column: value")
            continue
        for column, value in values.items():
            if column not in RECORD_COLUMNS[table]:
                errors.append(f"{where}: record {key}: {table} has no column {column!r}")
            if key != "equals" and not all(isinstance(v, str) for v in _as_list(value)):
                errors.append(f"{where}: record {key}.{column} needs strings")
    return errors


def parse_dialogues(data: Any, source: str = "<string>") -> list[Dialogue]:
    """Dialogues of one file's YAML data; DialogueFileError lists every problem found."""
    if not isinstance(data, dict) or set(data) != {"dialogues"}:
        raise DialogueFileError(f"{source}: the file must hold exactly one key, `dialogues`")
    items = data["dialogues"]
    if not isinstance(items, list) or not items:
        raise DialogueFileError(f"{source}: `dialogues` must be a non-empty list")
    errors: list[str] = []
    found: list[Dialogue] = []
    for index, item in enumerate(items, start=1):
        name = item.get("id") if isinstance(item, dict) else None
        where = f"{source}: dialogue {name or f'#{index}'}"
        if not isinstance(item, dict):
            errors.append(f"{where}: must be a mapping")
            continue
        errors += [f"{where}: unknown key {key!r}" for key in item if key not in DIALOGUE_KEYS]
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
            errors.append(f"{where}: id must be lower-case letters, digits and dashes")
        if item.get("language") not in LANGUAGES:
            errors.append(f"{where}: language must be one of {', '.join(LANGUAGES)}")
        if not isinstance(item.get("about"), str) or not item["about"].strip():
            errors.append(f"{where}: `about` (one line on what is tested) is missing")
        turns_raw = item.get("turns")
        if not isinstance(turns_raw, list) or not MIN_TURNS <= len(turns_raw) <= MAX_TURNS:
            errors.append(f"{where}: needs {MIN_TURNS} to {MAX_TURNS} turns")
            turns_raw = turns_raw if isinstance(turns_raw, list) else []
        turns: list[Turn] = []
        for number, turn in enumerate(turns_raw, start=1):
            at = f"{where} turn {number}"
            if not isinstance(turn, dict):
                errors.append(f"{at}: must be a mapping with `user` and `expect`")
                continue
            errors += [f"{at}: unknown key {key!r}" for key in turn if key not in TURN_KEYS]
            if not isinstance(turn.get("user"), str) or not turn["user"].strip():
                errors.append(f"{at}: `user` must be a non-empty string")
            errors += _check_expect(turn.get("expect"), at)
            turns.append(Turn(str(turn.get("user", "")), dict(turn.get("expect") or {})))
        errors += _check_record(item.get("record"), where)
        found.append(Dialogue(str(name), str(item.get("language")), str(item.get("about", "")),
                              tuple(turns), item.get("record"), source))  # fmt: skip
    if errors:
        raise DialogueFileError("\n".join(errors))
    return found


def load_dialogues(folder: Path = DIALOGUES_DIR) -> list[Dialogue]:
    """Every dialogue of folder/*.yml, in file order; ids must be unique across files."""
    dialogues: list[Dialogue] = []
    errors: list[str] = []
    for path in sorted(Path(folder).glob("*.yml")):
        source = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            dialogues.extend(parse_dialogues(data, source))
        except yaml.YAMLError as error:
            errors.append(f"{source}: not valid YAML ({error})")
        except DialogueFileError as error:
            errors.append(str(error))
    seen: dict[str, str] = {}
    for dialogue in dialogues:
        if dialogue.id in seen:
            errors.append(f"{dialogue.source}: dialogue {dialogue.id}: id already used in "
                          f"{seen[dialogue.id]}")  # fmt: skip
        seen.setdefault(dialogue.id, dialogue.source)
    if errors:
        raise DialogueFileError("\n".join(errors))
    if not dialogues:
        raise DialogueFileError(f"{folder}: no dialogues found")
    return dialogues


# ---------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    """Casefolded, whitespace removed: `contains` ignores spacing and case."""
    return re.sub(r"\s+", "", text).casefold()


def date_forms(day: Any) -> list[str]:
    """The usual ways a reply may show `day` (Korean, ISO-like, British and US English)."""
    day = _as_date(day)
    y, m, d = day.year, day.month, day.day
    full = MONTHS[m - 1]
    abbr = full[:3]
    ordinal = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    forms = [
        f"{y}-{m:02d}-{d:02d}", f"{y}.{m:02d}.{d:02d}", f"{y}/{m:02d}/{d:02d}",
        f"{y}. {m:02d}. {d:02d}", f"{y}.{m}.{d}", f"{y}. {m}. {d}",
        f"{y}년 {m}월 {d}일", f"{m}월 {d}일",
        f"{d} {full} {y}", f"{d} {abbr} {y}", f"{d} {full}", f"{d} {abbr}",
        f"{d}{ordinal} {full}", f"{d}{ordinal} of {full}",
        f"{full} {d}", f"{abbr} {d}", f"{abbr}. {d}",
    ]  # fmt: skip
    return list(dict.fromkeys(forms))


def _date_regex(day: Any) -> re.Pattern[str]:
    parts = [r"\s*".join(re.escape(piece) for piece in form.split(" "))
             for form in date_forms(day)]  # fmt: skip
    return re.compile(r"(?<!\d)(?:" + "|".join(parts) + r")(?!\d)", re.IGNORECASE)


def shows_date(reply: str, day: Any) -> bool:
    return bool(_date_regex(day).search(reply))


def asks(reply: str, slot: str) -> bool:
    return bool(ASK_PATTERNS[slot].search(reply))


def reply_language_problem(reply: str, language: str, echoes: Iterable[str] = ()) -> str | None:
    """Korean: the reply has Hangul. English: no Hangul except the customer's own words
    (a place or name typed earlier and shown back) and the demo customers' names."""
    if language == "ko":
        return None if has_hangul(reply) else "reply is not in Korean (no Hangul)"
    said = " ".join(echoes)
    stray = [run for run in HANGUL_RUN.findall(reply) if run not in said and run not in DEMO_NAMES]
    return f"reply is not in English (Hangul: {' '.join(stray[:5])})" if stray else None


def global_problems(reply: str, language: str, echoes: Iterable[str] = ()) -> list[str]:
    """The checks every reply must pass."""
    if not reply.strip():
        return ["empty reply"]
    problems: list[str] = []
    lowered = reply.casefold()
    fallback = [f for f in FALLBACK_FRAGMENTS if f.casefold() in lowered]
    if fallback:
        problems.append(f"fallback reply ({fallback[0]!r})")
    invalid = [f for f in INVALID_FRAGMENTS if f.casefold() in lowered]
    if invalid:
        problems.append(f"value rejected as invalid ({invalid[0]!r})")
    raw = RAW_KEY.findall(reply)
    if raw:
        problems.append(f"raw key shown to the customer ({', '.join(sorted(set(raw)))})")
    language_problem = reply_language_problem(reply, language, echoes)
    if language_problem:
        problems.append(language_problem)
    return problems


def turn_problems(reply: str, expect: dict[str, Any]) -> list[str]:
    """The turn's own checks (language is handled with the global checks)."""
    problems: list[str] = []
    squashed = _squash(reply)
    for slot in _as_list(expect.get("asks", [])):
        if not asks(reply, slot):
            problems.append(f"asks {slot}: the reply does not ask for it")
    for slot in _as_list(expect.get("not_asks", [])):
        if asks(reply, slot):
            found = ASK_PATTERNS[slot].search(reply)
            problems.append(f"not_asks {slot}: asked again ({found.group(0)!r})")
    for text in _as_list(expect.get("contains", [])):
        if _squash(text) not in squashed:
            problems.append(f"contains {text!r}: missing")
    if "contains_any" in expect:
        options = _as_list(expect["contains_any"])
        if not any(_squash(text) in squashed for text in options):
            problems.append(f"contains_any {options}: none present")
    for text in _as_list(expect.get("not_contains", [])):
        if _squash(text) in squashed:
            problems.append(f"not_contains {text!r}: present")
    for day in _as_list(expect.get("date", [])):
        if not shows_date(reply, day):
            problems.append(f"date {_as_date(day).isoformat()}: not shown")
    for pattern in _as_list(expect.get("regex", [])):
        if not re.search(str(pattern), reply):
            problems.append(f"regex {pattern!r}: no match")
    for pattern in _as_list(expect.get("not_regex", [])):
        found = re.search(str(pattern), reply)
        if found:
            problems.append(f"not_regex {pattern!r}: matched {found.group(0)!r}")
    return problems


# ---------------------------------------------------------------------------------------
# Record checks (the case store's SQLite file, read-only)
# ---------------------------------------------------------------------------------------


def _connect_read_only(case_db: Path) -> sqlite3.Connection:
    uri = f"{Path(case_db).resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=10)
    connection.row_factory = sqlite3.Row
    return connection


def case_ids(case_db: Path, kind: str) -> set[str]:
    table = RECORD_KINDS[kind][0]
    with _connect_read_only(case_db) as db:
        return {row[0] for row in db.execute(f"SELECT id FROM {table}")}


def shown_case_ids(replies: Sequence[str], users: Sequence[str], kind: str,
                   known: Iterable[str] = ()) -> list[str]:  # fmt: skip
    """Ids of `kind` the replies show that are new: not typed by the customer, not demo
    records and not in `known` (the table before the dialogue), in order of appearance."""
    prefix = RECORD_KINDS[kind][1]
    pattern = re.compile(rf"\b{prefix}-\d{{4}}-\d{{6}}\b")
    typed = {match.upper() for text in users for match in pattern.findall(text.upper())}
    excluded = typed | DEMO_CASE_IDS | set(known)
    found: list[str] = []
    for reply in replies:
        for case_id in pattern.findall(reply):
            if case_id not in excluded and case_id not in found:
                found.append(case_id)
    return found


def _stored_date(value: Any, column: str) -> str:
    text = str(value)
    if column in _DATETIME_COLUMNS and len(text) > 10:
        try:
            instant = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text[:10]
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=dt.timezone.utc)
        return instant.astimezone(KST).date().isoformat()
    return text[:10]


def value_matches(stored: Any, expected: Any, column: str = "") -> bool:
    """`equals`: booleans against 0/1, dates against the (Korean) calendar date, else text."""
    if expected is None:
        return stored is None
    if stored is None:
        return False
    if isinstance(expected, bool):
        return str(stored).strip().lower() in (("1", "true") if expected else ("0", "false"))
    if isinstance(expected, dt.date) or (
        isinstance(expected, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", expected.strip())
    ):
        return _stored_date(stored, column) == _as_date(expected).isoformat()
    return str(stored).strip() == str(expected).strip()


def record_problems(record: dict[str, Any], case_db: Path | None, replies: Sequence[str],
                    users: Sequence[str], before: set[str] | None) -> list[str]:  # fmt: skip
    """Checks of the case the dialogue created (or, with `absent`, that none was)."""
    kind = record["kind"]
    table, prefix = RECORD_KINDS[kind]
    if case_db is None or not Path(case_db).is_file():
        return [f"record: no case store file to read ({case_db})"]
    known = before or set()
    shown = shown_case_ids(replies, users, kind, known)
    if record.get("absent"):
        problems = [f"record absent: the replies show a new {prefix} id ({', '.join(shown)})"
                    ] if shown else []  # fmt: skip
        if before is not None:
            created = sorted(case_ids(case_db, kind) - before)
            if created:
                problems.append(f"record absent: {table} has new rows {', '.join(created)}")
        return problems
    if not shown:
        return [f"record: no reply showed a new {prefix}-YYYY-NNNNNN id"]
    case_id = shown[-1]
    with _connect_read_only(case_db) as db:
        row = db.execute(f"SELECT * FROM {table} WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        return [f"record: {case_id} is not in {table}"]
    stored = dict(row)
    problems: list[str] = []
    for column, expected in (record.get("equals") or {}).items():
        if not value_matches(stored.get(column), expected, column):
            problems.append(f"record {case_id}.{column}: {stored.get(column)!r}, "
                            f"expected {expected!r}")  # fmt: skip
    for column, texts in (record.get("contains") or {}).items():
        value = _squash(str(stored.get(column) or ""))
        for text in _as_list(texts):
            if _squash(text) not in value:
                problems.append(f"record {case_id}.{column}: {stored.get(column)!r} "
                                f"lacks {text!r}")  # fmt: skip
    for column, texts in (record.get("not_contains") or {}).items():
        value = _squash(str(stored.get(column) or ""))
        for text in _as_list(texts):
            if _squash(text) in value:
                problems.append(f"record {case_id}.{column}: {stored.get(column)!r} "
                                f"holds {text!r}")  # fmt: skip
    return problems


# ---------------------------------------------------------------------------------------
# Playing dialogues
# ---------------------------------------------------------------------------------------

Send = Callable[[str, str], list[dict]]


def rest_sender(rasa_url: str, timeout: float = REQUEST_TIMEOUT) -> Send:
    """A `send(sender, message)` over Rasa's REST channel."""
    import requests

    session = requests.Session()
    url = f"{rasa_url.rstrip('/')}/webhooks/rest/webhook"

    def send(sender: str, message: str) -> list[dict]:
        response = session.post(url, json={"sender": sender, "message": message},
                                timeout=timeout)  # fmt: skip
        response.raise_for_status()
        return response.json() or []

    return send


def stack_problem(rasa_url: str, timeout: float = 10.0) -> str | None:
    """None when the Rasa server answers on `rasa_url`, else why not."""
    import requests

    try:
        requests.get(f"{rasa_url.rstrip('/')}/", timeout=min(timeout, 10.0)).raise_for_status()
    except requests.RequestException as error:
        return f"Rasa server not reachable at {rasa_url}: {type(error).__name__}"
    return None


def reply_text(messages: Sequence[dict]) -> str:
    """Texts and button titles of one turn's bot messages, one per line."""
    lines: list[str] = []
    for message in messages or []:
        if message.get("text"):
            lines.append(str(message["text"]))
        for button in message.get("buttons") or []:
            if button.get("title"):
                lines.append(str(button["title"]))
    return "\n".join(lines)


def play_dialogue(dialogue: Dialogue, send: Send, case_db: Path | None = None) -> DialogueResult:
    """Plays one dialogue with a fresh sender id; stops at the first failing turn."""
    started = time.monotonic()
    result = DialogueResult(dialogue.id, dialogue.language, dialogue.source, passed=False)
    sender = f"dlg-{dialogue.id}-{uuid.uuid4().hex[:8]}"
    before: set[str] | None = None
    if dialogue.record and case_db is not None and Path(case_db).is_file():
        before = case_ids(case_db, dialogue.record["kind"])
    users: list[str] = []
    replies: list[str] = []
    for number, turn in enumerate(dialogue.turns, start=1):
        users.append(turn.user)
        try:
            reply = reply_text(send(sender, turn.user))
        except Exception as error:  # transport problems fail the dialogue, not the run
            result.turn, result.user, result.reply = number, turn.user, ""
            result.check = f"request failed: {type(error).__name__}: {error}"
            result.seconds = round(time.monotonic() - started, 2)
            return result
        replies.append(reply)
        result.transcript.append({"user": turn.user, "bot": reply})
        language = turn.expect.get("language", dialogue.language)
        problems = global_problems(reply, language, users) + turn_problems(reply, turn.expect)
        if problems:
            result.turn, result.user, result.reply = number, turn.user, reply
            result.check = "; ".join(problems)
            result.seconds = round(time.monotonic() - started, 2)
            return result
    if dialogue.record:
        try:
            problems = record_problems(dialogue.record, case_db, replies, users, before)
        except sqlite3.Error as error:
            problems = [f"record: case store not readable ({error})"]
        if problems:
            result.check = "; ".join(problems)
            result.reply = replies[-1] if replies else ""
            result.seconds = round(time.monotonic() - started, 2)
            return result
    result.passed = True
    result.seconds = round(time.monotonic() - started, 2)
    return result


def select(dialogues: Sequence[Dialogue], only: Sequence[str] | None) -> list[Dialogue]:
    """Dialogues whose id matches one of `only` (exact or shell pattern: ko-claim-*)."""
    if not only:
        return list(dialogues)
    chosen = [d for d in dialogues if any(fnmatch.fnmatchcase(d.id, p) for p in only)]
    if not chosen:
        raise DialogueFileError(f"no dialogue matches {', '.join(only)}")
    return chosen


def play_order(dialogues: Sequence[Dialogue]) -> list[Dialogue]:
    """Dialogues without a record check first (file order kept within each group).

    Those only read cases: a status lookup by policy number then sees the demo records as
    seeded, before the claims and complaints the other dialogues file for the same policies.
    """
    return sorted(dialogues, key=lambda d: d.record is not None)


def play_all(dialogues: Sequence[Dialogue], send: Send, case_db: Path | None = None,
             echo: Callable[[str], None] | None = None) -> list[DialogueResult]:  # fmt: skip
    """Plays the dialogues one after another, in `play_order`. With the case store at
    hand, each dialogue starts with no failed identity checks left from the ones before
    (another customer, another day)."""
    results = []
    for dialogue in play_order(dialogues):
        if case_db is not None:
            forgive_identity_failures(Path(case_db))
        result = play_dialogue(dialogue, send, case_db)
        results.append(result)
        if echo and not result.passed:
            echo(failure_line(result))
    return results


def counts(results: Sequence[DialogueResult]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for language in LANGUAGES:
        mine = [r for r in results if r.language == language]
        passed = sum(r.passed for r in mine)
        found[language] = {
            "passed": passed,
            "total": len(mine),
            "pass_rate": round(passed / len(mine), 4) if mine else 0.0,
        }
    return found


def summary_line(by_language: dict[str, dict[str, Any]]) -> str:
    parts = [
        f"{language} {c['passed']}/{c['total']} ({100 * c['pass_rate']:.1f} %)"
        for language, c in by_language.items()
        if c["total"]
    ]
    return "dialogues: " + ", ".join(parts)


def _short(text: str | None, limit: int = 400) -> str:
    flat = " / ".join(line.strip() for line in (text or "").splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def failure_line(result: DialogueResult) -> str:
    where = f"turn {result.turn} {result.user!r}" if result.turn else "record"
    return (f"FAIL {result.id} [{result.language}] {where}: {result.check} "
            f"| reply: {_short(result.reply)!r}")  # fmt: skip


def meets_target(by_language: dict[str, dict[str, Any]], target: float = TARGET_PASS_RATE) -> bool:
    """Every language that has dialogues reaches the target (and at least one has)."""
    played = [c for c in by_language.values() if c["total"]]
    return bool(played) and all(c["pass_rate"] >= target for c in played)


def report(results: Sequence[DialogueResult], seconds: float | None = None) -> dict:
    by_language = counts(results)
    total = len(results)
    passed = sum(r.passed for r in results)
    return {
        "status": "ok",
        "dialogues": total,
        "passed": passed,
        "pass_rate": round(passed / total, 4) if total else 0.0,
        "by_language": by_language,
        "target": TARGET_PASS_RATE,
        "meets_target": bool(meets_target(by_language)),
        "summary": summary_line(by_language),
        "failed": [asdict(r) for r in results if not r.passed],
        "seconds": round(seconds, 1) if seconds is not None else None,
    }


def write_report(found: dict, path: Path = REPORT_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(found, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def run(rasa_url: str, case_db: Path | str | None, *, folder: Path = DIALOGUES_DIR,
        only: Sequence[str] | None = None, report_path: Path | None = None,
        timeout: float = REQUEST_TIMEOUT, echo: Callable[[str], None] | None = None,
        ) -> dict:  # fmt: skip
    """Plays every dialogue against `rasa_url`; per-language counts for the eval report.

    ``{"status": "ok", "by_language": {"ko": {"passed", "total", "pass_rate"}, ...},
    "summary": "dialogues: ko ...", "failed": [...], ...}``, or ``{"status": "failed",
    "reason": ...}`` when the files are invalid. Writes `report_path` when given.
    """
    started = time.monotonic()
    try:
        dialogues = select(load_dialogues(folder), only)
    except DialogueFileError as error:
        return {"status": "failed", "reason": str(error)}
    problem = stack_problem(rasa_url, timeout)
    if problem:
        return {"status": "failed", "reason": problem}
    db = Path(case_db) if case_db else None
    results = play_all(dialogues, rest_sender(rasa_url, timeout), db, echo)
    found = report(results, time.monotonic() - started)
    if report_path is not None:
        write_report(found, report_path)
    return found


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-url", help="e.g. http://127.0.0.1:5005")
    parser.add_argument("--model", type=Path,
                        help="start a stack with this model and a fresh case store")  # fmt: skip
    parser.add_argument("--case-db", type=Path, help="the case store's SQLite file")
    parser.add_argument("--only", action="append", metavar="ID",
                        help="dialogue id or pattern (ko-claim-*); repeatable")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.add_argument("--dir", type=Path, default=DIALOGUES_DIR, help="dialogue folder")
    parser.add_argument("--timeout", type=float, default=REQUEST_TIMEOUT, help="per request, s")
    parser.add_argument("--report", type=Path, help="also write the result JSON here")
    parser.add_argument("--check", action="store_true",
                        help="only validate the dialogue files (no stack needed)")  # fmt: skip
    args = parser.parse_args(argv)
    if not args.check and not (args.rasa_url or args.model):
        parser.error("--rasa-url or --model is required (or --check)")
    return args


def run_on_private_stack(args: argparse.Namespace) -> dict:
    """Starts the action server and Rasa on free ports with a fresh case store (as
    `make bench` does), plays the dialogues, stops the stack."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bodam-dialogues-") as work:
        stack = LocalStack(model=args.model, work=Path(work))
        try:
            stack.start()
            stack.wait_ready()
            return run(stack.rasa_url, Path(work) / "cases.db", folder=args.dir,
                       only=args.only, report_path=args.report or REPORT_PATH,
                       timeout=args.timeout, echo=None if args.json else print)  # fmt: skip
        finally:
            stack.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 0 when every language meets the target, 1 when not, 2 on invalid files."""
    args = parse_args(argv)
    if args.check:
        try:
            dialogues = load_dialogues(args.dir)
        except DialogueFileError as error:
            print(error, file=sys.stderr)
            return 2
        by_language = {lang: sum(d.language == lang for d in dialogues) for lang in LANGUAGES}
        print(f"{len(dialogues)} dialogues valid: "
              + ", ".join(f"{k} {v}" for k, v in by_language.items()))  # fmt: skip
        return 0
    if args.model:
        found = run_on_private_stack(args)
    else:
        found = run(args.rasa_url, args.case_db, folder=args.dir, only=args.only,
                    report_path=args.report, timeout=args.timeout,
                    echo=None if args.json else print)  # fmt: skip
    if found["status"] != "ok":
        print(found["reason"], file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        print(found["summary"])
    return 0 if found["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
