"""The running assistant over the REST channel: language, verification, privacy, bad input."""

from __future__ import annotations

import re
import sqlite3

from tests.e2e.conftest import Stack

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_korean_is_answered_in_korean(stack: Stack, sender: str) -> None:
    reply = stack.texts(sender, "안녕하세요")
    assert HANGUL.search(reply)


def test_english_is_answered_in_english(stack: Stack, sender: str) -> None:
    reply = stack.texts(sender, "hi there, what can you do for me?")
    assert reply and not HANGUL.search(reply)


def test_language_switch_is_followed(stack: Stack, sender: str) -> None:
    assert HANGUL.search(stack.texts(sender, "안녕하세요"))
    assert not HANGUL.search(stack.texts(sender, "how do I contact you by phone?"))
    assert HANGUL.search(stack.texts(sender, "고객센터 운영시간 알려주세요"))


def test_demo_claim_status_only_after_the_birth_date(stack: Stack, sender: str) -> None:
    asked = stack.texts(sender, "CLM-2026-000123 청구 건 진행 상황 알려주세요")
    assert "사고 조사" not in asked and "조사 중" not in asked
    after_policy = stack.texts(sender, "AU20250001")
    assert "CLM-2026-000123" not in after_policy or "조사" not in after_policy
    shown = stack.texts(sender, "1985년 3월 14일")
    assert "CLM-2026-000123" in shown
    assert "사고 조사 중" in shown


def test_three_wrong_birth_dates_show_nothing_and_lock(stack: Stack, sender: str) -> None:
    stack.texts(sender, "what's the status of claim CLM-2026-000123?")
    replies = []
    for wrong in ["1990-01-01", "1991-02-02", "1992-03-03"]:
        stack.texts(sender, "AU20250001")
        replies.append(stack.texts(sender, wrong))
    everything = "\n".join(replies)
    assert "under investigation" not in everything
    assert "1588-0000" in replies[-1]
    # Even the right birth date is refused while the check is locked.
    stack.texts(sender, "claim status please")
    assert "under investigation" not in stack.texts(sender, "1985-03-14")


def test_unknown_policy_and_wrong_birth_date_read_the_same(stack: Stack) -> None:
    def attempt(sender: str, policy: str, birth: str) -> str:
        stack.texts(sender, "보험금 청구한 거 어떻게 됐어요?")
        stack.texts(sender, policy)
        return stack.texts(sender, birth)

    wrong_birth = attempt("e2e-privacy-a", "AU20250001", "1990-01-01")
    unknown_policy = attempt("e2e-privacy-b", "AU99999999", "1985-03-14")
    assert wrong_birth == unknown_policy


def test_empty_and_huge_messages_get_a_clear_reply(stack: Stack, sender: str) -> None:
    assert HANGUL.search(stack.texts(sender, "   "))
    huge = stack.texts(sender, "보험 " * 7000)
    assert "2000" in huge.replace(",", "")


def test_form_keeps_its_answers_through_bad_input(stack: Stack, sender: str) -> None:
    stack.texts(sender, "어제 접촉사고가 났어요 접수하고 싶어요")
    stack.texts(sender, "AU20250001")
    stack.texts(sender, "\x00\x01")
    stack.texts(sender, "가" * 20_000)
    after = stack.texts(sender, "850314")
    # The policy number survived the bad messages: the form went on to the incident.
    assert "증권번호" not in after


def test_injection_strings_are_harmless(stack: Stack, sender: str) -> None:
    for attack in ["'; DROP TABLE claims;--", "<script>alert(1)</script>", "{{7*7}} ${jndi:x}"]:
        assert stack.say(sender, attack)
    assert HANGUL.search(stack.texts(sender, "안녕하세요"))


def test_stored_conversation_masks_personal_numbers(stack: Stack, sender: str) -> None:
    stack.texts(sender, "제 번호는 010-2345-6789이고 주민번호는 850314-2345678이에요")
    with sqlite3.connect(stack.tracker_db) as db:
        # the REST channel keeps conversations under "rest:<sender>"
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ?", (f"rest:{sender}",)
        ).fetchall()
    stored = "\n".join(row[0] for row in rows)
    assert "010-****-6789" in stored
    assert "2345-6789" not in stored and "2345678" not in stored


def test_coverage_question_is_answered_with_a_citation(stack: Stack, sender: str) -> None:
    reply = stack.texts(sender, "자동차보험인데 태풍 때문에 주차해 둔 차가 물에 잠기면 보상되나요?")
    assert "근거: 개인용 자동차보험 제" in reply
    simpler = stack.texts(sender, "그게 무슨 뜻이에요? 쉽게 설명해 주세요")
    assert "예를 들어" in simpler


def test_english_clause_answer(stack: Stack, sender: str) -> None:
    reply = stack.texts(sender, "is my luggage covered if it gets stolen on my trip abroad?")
    assert "Source: Overseas travel insurance, Article" in reply


def test_two_sided_story_offers_both_clauses_and_answers_the_pick(
    stack: Stack, sender: str
) -> None:
    story = "운전하다 사고 나서 나도 다치고 상대방도 다쳤어요 보상 어떻게 돼요?"
    messages = stack.say(sender, story)
    text = "\n".join(message.get("text", "") for message in messages)
    assert "어느 쪽에 가까운지" in text
    assert text.count("근거: 개인용 자동차보험 제") == 2
    payloads = {button["payload"] for message in messages for button in message.get("buttons", [])}
    assert '/ask_coverage{"clause_id": "auto-005"}' in payloads

    answer = stack.texts(sender, '/ask_coverage{"clause_id": "auto-005"}')
    assert "약관 문구: “" in answer
    assert "근거: 개인용 자동차보험 제5조(" in answer
    wording = stack.texts(sender, "/show_clause_text")
    assert "제5조" in wording and "\n▶ " in wording


def test_english_story_thanks_then_the_marked_wording(stack: Stack, sender: str) -> None:
    story = ("Hi! So last night I was driving home, crashed at a junction, I hurt my neck and "
             "the other driver broke his arm. What does my car insurance pay?")
    reply = stack.texts(sender, story)
    assert "Source: Personal auto insurance, Article" in reply
    assert "The wording: “" in reply or "Which one is closer" in reply
    assert not HANGUL.search(stack.texts(sender, "thanks!"))
    if "Which one is closer" in reply:  # two clauses offered: take the first
        stack.texts(sender, '/ask_coverage{"clause_id": "auto-012"}')
    wording = stack.texts(sender, "/show_clause_text")
    assert "The wording of Personal auto insurance, Article" in wording
    assert "▶ (" in wording  # the paragraph that answered is marked
