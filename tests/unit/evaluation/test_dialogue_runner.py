"""The pure parts of evaluation/dialogues.py: dates, the asks table, global checks, file
validation, record checks and the play loop (with a scripted stand-in for the stack)."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
import yaml

from evaluation import dialogues as runner
from evaluation.common import ROOT

# --- dates ------------------------------------------------------------------------------


def test_date_forms_include_the_usual_spellings() -> None:
    forms = runner.date_forms("2026-11-24")
    for expected in ["2026-11-24", "2026.11.24", "2026/11/24", "2026년 11월 24일", "11월 24일",
                     "24 November 2026", "24 Nov 2026", "November 24", "Nov 24"]:  # fmt: skip
        assert expected in forms
    assert runner.date_forms(dt.date(2026, 12, 9)) == runner.date_forms("2026-12-09")
    assert "2026년 12월 9일" in runner.date_forms("2026-12-09")


@pytest.mark.parametrize(
    "reply",
    [
        "- 사고 일시: 2026년 11월 24일(화) 저녁 7시쯤",
        "사고 날짜를 11월24일로 바꿨어요",
        "- When: Tuesday, 24 November 2026, around 7 pm",
        "on Nov 24, 2026",
        "date 2026. 11. 24.",
        "2026-11-24T19:00",
    ],
)
def test_date_is_found_in_any_usual_form(reply: str) -> None:
    assert runner.shows_date(reply, "2026-11-24")


@pytest.mark.parametrize(
    "reply, day",
    [
        ("11월 14일", "2026-11-04"),
        ("November 24", "2026-11-02"),
        ("2026-11-24", "2026-11-23"),
        ("1월 24일", "2026-11-24"),
        ("21 November 2026", "2026-11-02"),
    ],
)
def test_date_does_not_match_a_neighbour(reply: str, day: str) -> None:
    assert not runner.shows_date(reply, day)


# --- the asks table -----------------------------------------------------------------------

QUESTIONS = {
    "policy_number": [
        "증권번호를 알려주세요.\n예: AU20250001 (영문 2자리 + 숫자 8자리)",
        "조회를 위해 증권번호나 청구번호를 알려주세요.",
        "Please tell me your policy number.",
        "What's your policy number?",
    ],
    "birth_date": [
        "본인 확인을 위해 생년월일을 알려주세요.\n예: 1985-03-14 또는 850314",
        "생년월일도 함께 입력해 주세요",
        "To confirm your identity, please tell me your date of birth.",
        "And your date of birth?",
    ],
    "identity": [
        "증권번호와 생년월일을 다시 입력해 주세요.",
        "Please enter your policy number and date of birth again.",
        "본인 확인을 위해 증권번호나 청구번호, 생년월일이 필요해요.",
    ],
    "incident_type": ["어떤 사고인지 골라 주세요.", "What kind of incident was it?"],
    "incident_date": [
        "사고가 언제 있었나요?\n예: 어제, 11월 20일",
        "사고 날짜를 알려주세요",
        "When did it happen?",
    ],
    "incident_place": [
        "사고가 난 장소를 알려주세요.\n예: 서울 강남구 테헤란로 교차로",
        "어디서 있었던 일인가요?",
        "Where did it happen?",
    ],
    "incident_description": [
        "어떤 일이 있었는지 간단히 설명해 주세요.",
        "Please describe briefly what happened.",
    ],
    "injuries": [
        "이번 사고로 다친 사람이 있나요?",
        "다치신 분은 없으신가요?",
        "Was anyone hurt in this incident?",
    ],
    "contact_consent": [
        "보상 담당자가 등록된 연락처로 연락드려도 될까요?",
        "May a claims handler contact you on the phone number we have on file?",
    ],
    "confirm": [
        "접수 전에 내용을 한 번 확인해 주세요.\n- 증권번호: AU20250001\n\n이대로 접수할까요?",
        "변경 요청 내용을 확인해 주세요.\n\n이대로 요청할까요?",
        "Before I file it, please check the details.\n\nShall I file it like this?",
        "Please check your change request.\nShall I send it like this?",
    ],
    "complaint_category": [
        "불편을 드려 죄송합니다. 어떤 내용에 대한 민원인지 골라 주세요.",
        "I'm sorry you've had a bad experience. What is your complaint about?",
    ],
    "complaint_description": [
        "어떤 일이 있었는지 자세히 말씀해 주세요.",
        "Please tell me what happened.",
    ],
    "complaint_desired_outcome": [
        "어떻게 해결되기를 바라시는지 알려주세요.\n예: 보험금 빠른 지급, 재심사",
        "What would you like us to do to put this right?",
    ],
    "change_type": ["어떤 내용을 변경하고 싶으신가요?", "What would you like to change?"],
    "change_new_value": [
        "변경할 항목: 주소\n새로 등록할 내용을 알려주세요.",
        "새 주소를 알려주세요.\n예: 서울시 마포구 월드컵로 12길 34, 301호",
        "새 보험수익자의 이름과 관계를 알려주세요.",
        "보험기간을 언제까지로 바꾸고 싶으신가요?",
        "어떤 방법으로 보험료를 내시겠어요? 카드, 자동이체, 가상계좌 중에서 골라 주세요.",
        "What is the new address?",
        "Who should the new beneficiary be?",
        "How would you like to pay your premiums: card, direct debit or a virtual account?",
    ],
}


@pytest.mark.parametrize(
    "slot, text", [(slot, text) for slot, texts in QUESTIONS.items() for text in texts]
)
def test_questions_are_recognised(slot: str, text: str) -> None:
    assert runner.asks(text, slot)


def test_every_slot_of_the_format_has_a_pattern() -> None:
    assert set(runner.SLOT_ASKS) == set(QUESTIONS)


SUMMARIES = [
    "\n".join([
        "접수 전에 내용을 한 번 확인해 주세요.",
        "- 증권번호: AU20250001",
        "- 사고 유형: 교통사고(충돌·접촉)",
        "- 사고 일시: 2026년 11월 24일 저녁",
        "- 사고 장소: 합정역 근처",
        "- 사고 내용: 뒤에서 택시가 박았어요",
        "- 다친 사람: 아니요",
        "- 담당자 연락 동의: 예",
        "",
        "이대로 접수할까요? 고칠 부분이 있으면 바로 말씀해 주세요.",
    ]),
    "Before I file it, please check the details.\n- Policy number: TR20261105\n"
    "- What happened: baggage\n- When: 20 November 2026\n- Where: Barcelona airport\n"
    "- Description: my suitcase never showed up\n- Anyone hurt: no\n"
    "- OK for a handler to contact you: yes\n\nShall I file it like this?",
    "\n".join([
        "민원 내용을 이렇게 정리했어요.",
        "- 민원 유형: 불완전 판매",
        "- 내용: 종신보험을 적금처럼 팔았어요",
        "- 바라시는 처리: 전액 환불",
        "",
        "이대로 접수할까요?",
    ]),
    "\n".join([
        "변경 요청 내용을 확인해 주세요.",
        "- 증권번호: AU20250001",
        "- 변경 항목: 주소",
        "- 새 내용: 경기도 성남시 분당구 판교역로 235",
        "",
        "이대로 요청할까요?",
    ]),
]  # fmt: skip


@pytest.mark.parametrize("summary", SUMMARIES)
def test_a_summary_asks_only_for_confirmation(summary: str) -> None:
    asked = {slot for slot in runner.SLOT_ASKS if runner.asks(summary, slot)}
    assert asked == {"confirm"}


@pytest.mark.parametrize(
    "text",
    [
        "본인 확인이 완료되었어요.",
        "서류가 모두 접수되면 3영업일 이내에 보험금을 지급해 드려요.",
        "새 주소는 영업일 기준 1일 이내에 반영돼요.",
        "사고 유형을 고르시면 필요한 서류를 더 자세히 알려드릴게요.",
        "Your new address will be updated within 1 business day.",
        "Thank you, your identity is confirmed.",
    ],
)
def test_statements_are_not_questions(text: str) -> None:
    asked = [slot for slot in runner.SLOT_ASKS if runner.asks(text, slot)]
    assert asked == []


# --- global checks ------------------------------------------------------------------------


def _domain_texts(response: str) -> list[str]:
    data = yaml.safe_load(
        (ROOT / "bot/domain/responses_conversation.yml").read_text(encoding="utf-8")
    )
    return [variant["text"] for variant in data["responses"][response]]


@pytest.mark.parametrize("response", ["utter_default", "utter_ask_rephrase"])
def test_the_real_fallback_texts_are_caught(response: str) -> None:
    for text in _domain_texts(response):
        language = "ko" if re.search("[가-힣]", text) else "en"
        problems = runner.global_problems(text, language)
        assert any(p.startswith("fallback") for p in problems), text


@pytest.mark.parametrize(
    "reply, language, expected",
    [
        ("", "ko", "empty reply"),
        ("  \n ", "en", "empty reply"),
        ("증권번호 형식이 맞지 않아요.", "ko", "value rejected"),
        ("That doesn't look like a policy number.", "en", "value rejected"),
        ("- 사고 유형: water_damage", "ko", "raw key"),
        ("Change: sum_insured\nWhat should the new details be?", "en", "raw key"),
        ("변경할 항목: {change_type}", "ko", "raw key"),
        ("Please tell me your policy number.", "ko", "not in Korean"),
        ("증권번호를 알려주세요.", "en", "not in English"),
    ],
)
def test_global_problems(reply: str, language: str, expected: str) -> None:
    assert any(expected in p for p in runner.global_problems(reply, language))


def test_clean_replies_pass_the_global_checks() -> None:
    assert runner.global_problems("증권번호를 알려주세요.\n문의: help@bodam.example", "ko") == []
    assert runner.global_problems("Claim number: CLM-2026-000141 (bodam.example)", "en") == []


def test_english_reply_may_show_back_the_customers_korean_words() -> None:
    reply = "Please check the details.\n- Where: 합정역 근처\n- Name: 김민지\nShall I file it?"
    assert runner.global_problems(reply, "en", ["그저께 합정역 근처에서 박았어요"]) == []
    problems = runner.global_problems(reply + "\n접수할까요?", "en", ["합정역 근처"])
    assert any("not in English" in p for p in problems)


def test_turn_checks() -> None:
    reply = "사고 조사 중이에요.\n접수번호: CLM-2026-000123\n다음 단계: 최대 30영업일"
    assert runner.turn_problems(reply, {
        "contains": ["사고조사 중", "clm-2026-000123"],
        "contains_any": ["없는 말", "영업일"],
        "not_contains": ["지급 완료"],
        "regex": r"CLM-2026-\d{6}",
        "not_regex": r"\d+\s*만\s*원",
        "not_asks": ["policy_number", "birth_date"],
    }) == []  # fmt: skip
    problems = runner.turn_problems(reply, {
        "contains": ["지급 완료"], "contains_any": ["x", "y"], "not_contains": ["영업일"],
        "asks": "birth_date", "date": "2026-11-24", "regex": "CMP-", "not_regex": "CLM",
    })  # fmt: skip
    assert len(problems) == 7


# --- file validation ------------------------------------------------------------------------

GOOD = {
    "id": "ko-sample",
    "language": "ko",
    "about": "예시",
    "turns": [
        {"user": "사고 접수요", "expect": {"asks": "policy_number"}},
        {"user": "AU20250001", "expect": {"asks": "birth_date"}},
        {"user": "850314", "expect": {"not_asks": ["birth_date"], "date": "2026-11-24"}},
    ],
    "record": {"kind": "claim", "equals": {"incident_type": "collision"}},
}


def _with(**changes) -> dict:
    dialogue = yaml.safe_load(yaml.safe_dump(GOOD, allow_unicode=True))
    dialogue.update(changes)
    return {"dialogues": [dialogue]}


def test_a_good_dialogue_is_read() -> None:
    (dialogue,) = runner.parse_dialogues(_with(), "good.yml")
    assert dialogue.id == "ko-sample" and len(dialogue.turns) == 3
    assert dialogue.turns[0].expect == {"asks": "policy_number"}


def _turns_with(expect: dict) -> list[dict]:
    return [*GOOD["turns"][:2], {"user": "850314", "expect": expect}]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"dialogue": []}, "exactly one key"),
        (_with(langauge="ko"), "unknown key 'langauge'"),
        (_with(language="jp"), "language must be"),
        (_with(id="Bad Id"), "id must be"),
        (_with(about=""), "about"),
        (_with(turns=GOOD["turns"][:2]), "3 to 9 turns"),
        (_with(turns=_turns_with({"asks_for": "birth_date"})), "unknown check 'asks_for'"),
        (_with(turns=_turns_with({"asks": "birthday"})), "unknown slot 'birthday'"),
        (_with(turns=_turns_with({"regex": "CLM-("})), "not a regex"),
        (_with(turns=_turns_with({"date": "24.11.2026"})), "not YYYY-MM-DD"),
        (_with(turns=_turns_with({"contains": []})), "non-empty strings"),
        (_with(record={"kind": "policy", "absent": True}), "record kind"),
        (_with(record={"kind": "claim", "equals": {"place": "x"}}), "no column 'place'"),
        (_with(record={"kind": "claim", "absent": True, "equals": {"id": "x"}}), "no value"),
        (_with(record={"kind": "claim"}), "record needs"),
    ],
)
def test_bad_files_are_rejected_naming_the_dialogue(data: dict, message: str) -> None:
    with pytest.raises(runner.DialogueFileError) as raised:
        runner.parse_dialogues(data, "bad.yml")
    assert message in str(raised.value)
    if "dialogues" in data:
        assert "bad.yml: dialogue" in str(raised.value)


def test_bad_yaml_file_and_duplicate_ids_are_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(yaml.safe_dump(_with(), allow_unicode=True), "utf-8")
    (tmp_path / "b.yml").write_text(yaml.safe_dump(_with(), allow_unicode=True), "utf-8")
    with pytest.raises(runner.DialogueFileError, match="ko-sample: id already used"):
        runner.load_dialogues(tmp_path)
    (tmp_path / "b.yml").write_text("dialogues: [unclosed", "utf-8")
    with pytest.raises(runner.DialogueFileError, match="not valid YAML"):
        runner.load_dialogues(tmp_path)


# --- the dialogues in the repository ---------------------------------------------------------


def test_the_repository_dialogues_are_valid_and_large_enough() -> None:
    dialogues = runner.load_dialogues()
    by_language = {lang: [d for d in dialogues if d.language == lang] for lang in ("ko", "en")}
    assert len(by_language["ko"]) >= 40
    assert len(by_language["en"]) >= 20
    assert all(runner.MIN_TURNS <= len(d.turns) <= runner.MAX_TURNS for d in dialogues)
    assert any(d.record and d.record.get("absent") for d in dialogues)


def _normalised(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def _training_lines() -> set[str]:
    found: set[str] = set()
    files = [*ROOT.glob("bot/data/**/*.yml"), *ROOT.glob("tests/conversations/*.yml")]
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"^\s*(?:-\s*)?(?:user:\s*)?", "", line).strip().strip("\"'")
            found.add(_normalised(re.sub(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})", r"\1", line)))
    return found


def test_customer_messages_are_not_copied_from_training_data() -> None:
    """Bare values (policy numbers, dates) may repeat; sentences may not."""
    seen = _training_lines()
    copied = [
        f"{d.id}: {t.user}"
        for d in runner.load_dialogues()
        for t in d.turns
        if re.search(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}", t.user) and _normalised(t.user) in seen
    ]
    assert copied == []


# --- record checks ----------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE claims (id VARCHAR(15) PRIMARY KEY, policy_number VARCHAR(10), incident_type
  VARCHAR(32), incident_date DATE, incident_place VARCHAR(200), description TEXT,
  injuries BOOLEAN, contact_consent BOOLEAN, status VARCHAR(32), assessed_amount BIGINT,
  paid_amount BIGINT, channel VARCHAR(40), idempotency_key VARCHAR(128), created_at DATETIME);
CREATE TABLE complaints (id VARCHAR(15) PRIMARY KEY, customer_id VARCHAR(32), policy_number
  VARCHAR(10), category VARCHAR(40), description TEXT, desired_outcome TEXT, status
  VARCHAR(32), opened_at DATETIME, acknowledged_at DATETIME, due_at DATETIME,
  resolved_at DATETIME, idempotency_key VARCHAR(128));
CREATE TABLE change_requests (id VARCHAR(15) PRIMARY KEY, policy_number VARCHAR(10),
  change_type VARCHAR(32), new_value TEXT, status VARCHAR(32), created_at DATETIME,
  idempotency_key VARCHAR(128));
"""


@pytest.fixture()
def case_db(tmp_path: Path) -> Path:
    path = tmp_path / "cases.db"
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        db.execute(
            "INSERT INTO claims VALUES ('CLM-2026-000123', 'AU20250001', 'collision', "
            "'2026-10-28', NULL, NULL, NULL, NULL, 'under_investigation', NULL, NULL, NULL, "
            "NULL, '2026-10-28 01:00:00')"
        )
    return path


def _add_claim(case_db: Path) -> None:
    with sqlite3.connect(case_db) as db:
        db.execute(
            "INSERT INTO claims VALUES ('CLM-2026-000141', 'AU20250001', 'collision', "
            "'2026-11-24', '을지로입구역 2번 출구 앞', '뒤에서 받혀서 범퍼가 깨졌어요', 0, 1, "
            "'received', NULL, NULL, 'rest', NULL, '2026-11-25 02:00:00')"
        )
        db.execute(
            "INSERT INTO complaints VALUES ('CMP-2026-000046', NULL, NULL, 'sales_conduct', "
            "'종신보험을 적금처럼', '환불', 'received', '2026-11-24 16:30:00', NULL, "
            "'2026-12-08 16:30:00', NULL, NULL)"
        )


def test_record_check_reads_the_new_claim(case_db: Path) -> None:
    before = runner.case_ids(case_db, "claim")
    _add_claim(case_db)
    replies = ["CLM-2026-000123 건은 조사 중이에요", "접수번호: CLM-2026-000141"]
    users = ["CLM-2026-000123 어떻게 됐어요"]
    record = {
        "kind": "claim",
        "equals": {"policy_number": "AU20250001", "incident_type": "collision",
                   "incident_date": dt.date(2026, 11, 24), "injuries": False,
                   "contact_consent": True},  # fmt: skip
        "contains": {"incident_place": "을지로 입구역", "description": ["범퍼", "받혀서"]},
        "not_contains": {"incident_place": "시청역"},
    }
    assert runner.record_problems(record, case_db, replies, users, before) == []
    wrong = {
        "kind": "claim",
        "equals": {"incident_date": "2026-11-23", "injuries": True},
        "contains": {"incident_place": "시청역"},
        "not_contains": {"description": "범퍼"},
    }
    assert len(runner.record_problems(wrong, case_db, replies, users, before)) == 4


def test_record_dates_are_korean_calendar_dates(case_db: Path) -> None:
    _add_claim(case_db)
    record = {"kind": "complaint", "equals": {"due_at": "2026-12-09", "opened_at": "2026-11-25",
                                              "category": "sales_conduct"}}  # fmt: skip
    assert runner.record_problems(record, case_db, ["민원번호: CMP-2026-000046"], [], set()) == []


def test_record_check_needs_a_new_id_in_the_store(case_db: Path) -> None:
    record = {"kind": "claim", "equals": {"incident_type": "collision"}}
    # Only the demo claim, which the customer typed: no new id.
    problems = runner.record_problems(record, case_db, ["CLM-2026-000123"], [], set())
    assert "no reply showed a new CLM" in problems[0]
    problems = runner.record_problems(record, case_db, ["CLM-2026-000999"], [], set())
    assert "not in claims" in problems[0]
    assert "no case store" in runner.record_problems(record, None, [], [], None)[0]


def test_absent_record_check(case_db: Path) -> None:
    record = {"kind": "claim", "absent": True}
    before = runner.case_ids(case_db, "claim")
    assert runner.record_problems(record, case_db, ["취소했어요"], [], before) == []
    _add_claim(case_db)
    problems = runner.record_problems(record, case_db, ["취소했어요"], [], before)
    assert problems and "CLM-2026-000141" in problems[0]
    problems = runner.record_problems(record, case_db, ["접수번호 CLM-2026-000141"], [], None)
    assert problems and "new CLM id" in problems[0]


def test_case_store_is_opened_read_only(case_db: Path) -> None:
    with runner._connect_read_only(case_db) as db, pytest.raises(sqlite3.OperationalError):
        db.execute("DELETE FROM claims")


# --- playing a dialogue (a scripted stand-in for the REST channel) -----------------------------


class Script:
    """Answers each message with the next canned reply and records what was sent."""

    def __init__(self, *replies: list[dict]) -> None:
        self.replies = list(replies)
        self.sent: list[tuple[str, str]] = []

    def __call__(self, sender: str, message: str) -> list[dict]:
        self.sent.append((sender, message))
        return self.replies.pop(0)


def _dialogue(record: dict | None = None) -> runner.Dialogue:
    (dialogue,) = runner.parse_dialogues(_with(record=record) if record else {
        "dialogues": [{k: v for k, v in GOOD.items() if k != "record"}]
    })  # fmt: skip
    return dialogue


def test_a_dialogue_that_goes_as_written_passes() -> None:
    send = Script(
        [{"text": "증권번호를 알려주세요."}],
        [{"text": "본인 확인을 위해 생년월일을 알려주세요."}],
        [{"text": "어제(2026년 11월 24일) 사고로 적어 둘게요.",
          "buttons": [{"title": "교통사고"}]}],
    )
    result = runner.play_dialogue(_dialogue(), send)
    assert result.passed, result.check
    assert len({sender for sender, _ in send.sent}) == 1
    assert send.sent[0][0].startswith("dlg-ko-sample-")
    assert [t["bot"] for t in result.transcript][2].endswith("교통사고")


def test_a_dialogue_stops_at_the_first_failing_turn() -> None:
    send = Script(
        [{"text": "증권번호를 알려주세요."}],
        [{"text": "죄송해요, 정확히 이해하지 못했어요."}],
        [{"text": "never sent"}],
    )
    result = runner.play_dialogue(_dialogue(), send)
    assert not result.passed
    assert result.turn == 2 and result.user == "AU20250001"
    assert "fallback" in result.check and "asks birth_date" in result.check
    assert len(send.sent) == 2
    assert "turn 2" in runner.failure_line(result)


def test_a_transport_error_fails_the_dialogue_only() -> None:
    def broken(sender: str, message: str) -> list[dict]:
        raise ConnectionError("refused")

    result = runner.play_dialogue(_dialogue(), broken)
    assert not result.passed and result.turn == 1 and "refused" in result.check


def test_record_check_runs_after_the_last_turn(case_db: Path) -> None:
    replies = iter([
        [{"text": "증권번호를 알려주세요."}],
        [{"text": "생년월일을 알려주세요."}],
        [{"text": "접수번호: CLM-2026-000141 (2026-11-24)"}],
    ])  # fmt: skip

    def send(sender: str, message: str) -> list[dict]:
        reply = next(replies)
        if "CLM" in reply[0]["text"]:
            _add_claim(case_db)
        return reply

    dialogue = _dialogue({"kind": "claim", "equals": {"incident_type": "theft"}})
    result = runner.play_dialogue(dialogue, send, case_db)
    assert not result.passed and result.turn is None
    assert "incident_type" in result.check and "record" in runner.failure_line(result)


def test_summary_line_and_target() -> None:
    results = [
        runner.DialogueResult("a", "ko", "", True),
        runner.DialogueResult("b", "ko", "", False),
        runner.DialogueResult("c", "en", "", True),
    ]
    counts = runner.counts(results)
    assert runner.summary_line(counts) == "dialogues: ko 1/2 (50.0 %), en 1/1 (100.0 %)"
    assert not runner.meets_target(counts)
    found = runner.report(results)
    assert found["by_language"]["en"] == {"passed": 1, "total": 1, "pass_rate": 1.0}
    assert [f["id"] for f in found["failed"]] == ["b"]


def test_read_only_dialogues_play_first() -> None:
    dialogues = runner.load_dialogues()
    ordered = runner.play_order(dialogues)
    assert ordered == [d for d in dialogues if d.record is None] + [
        d for d in dialogues if d.record is not None
    ]
    assert all(d.record is None for d in ordered if d.source.startswith("tests/dialogues/status"))


def test_select_by_id_or_pattern() -> None:
    dialogues = runner.load_dialogues()
    assert {d.id for d in runner.select(dialogues, ["ko-claim-*"])} <= {
        d.id for d in dialogues if d.id.startswith("ko-claim-")
    }
    assert len(runner.select(dialogues, [dialogues[0].id])) == 1
    with pytest.raises(runner.DialogueFileError):
        runner.select(dialogues, ["no-such-dialogue"])


def test_cli_check_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert runner.main(["--check"]) == 0
    assert "dialogues valid" in capsys.readouterr().out
