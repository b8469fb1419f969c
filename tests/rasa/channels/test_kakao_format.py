"""Kakao skill payload parsing and skill response building, as plain functions."""

from __future__ import annotations

import json

import pytest
from channel_testing import assert_valid_kakao_response, load_fixture

from bot.channels.kakao import (
    SkillPayloadError,
    parse_skill_payload,
    shorten,
    shorten_label,
    split_text,
    to_kakao_response,
    use_callback_response,
)

# A Korean paragraph of about 190 characters; sentences end with "요." / "다.".
KOREAN_PARAGRAPH = (
    "사고 접수가 완료되었습니다. 담당 보상 직원이 영업일 기준 2일 안에 연락드릴 예정이에요. "
    "사고 현장 사진과 진단서가 있으면 미리 준비해 주세요. 청구 진행 상황은 언제든지 "
    "이 채팅에서 조회하실 수 있어요. 본인 확인을 위해 증권번호와 생년월일을 여쭤볼 수 있습니다."
)


def outputs_of(body: dict) -> list:
    return body["template"]["outputs"]


def texts_of(body: dict) -> list[str]:
    return [o["simpleText"]["text"] for o in outputs_of(body) if "simpleText" in o]


# --------------------------------------------------------------------------- parsing


def test_documented_payload_is_parsed() -> None:
    payload = load_fixture("kakao_skill_payload.json")
    skill = parse_skill_payload(payload)
    assert skill.utterance == "보험금 청구한 거 어떻게 됐어요?"
    assert skill.user_id == payload["userRequest"]["user"]["id"]
    assert skill.user_type == "botUserKey"
    assert skill.callback_url is None
    assert skill.block_name == "폴백 블록"
    assert skill.timezone == "Asia/Seoul"
    metadata = skill.metadata()["kakao"]
    assert metadata["callback"] is False
    assert metadata["block"]["id"] == payload["userRequest"]["block"]["id"]
    # user properties (plusfriend keys) are not copied into the tracker
    assert "plusfriendUserKey" not in json.dumps(skill.metadata())


def test_raw_bytes_are_decoded_as_utf8_json() -> None:
    payload = load_fixture("kakao_skill_payload.json")
    skill = parse_skill_payload(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    assert skill.utterance == "보험금 청구한 거 어떻게 됐어요?"


def test_callback_url_and_action_params_are_kept() -> None:
    skill = parse_skill_payload(load_fixture("kakao_skill_payload_callback.json"))
    assert skill.callback_url.startswith("https://bot-api.kakao.com/")
    quick = parse_skill_payload(load_fixture("kakao_skill_payload_quick_reply.json"))
    assert quick.utterance == '/inform{"incident_type": "theft"}'
    assert quick.params == {"product": "자동차보험"}
    assert quick.detail_params["product"]["value"] == "자동차보험"
    assert quick.client_extra == {"source": "quickReply"}


def test_very_long_utterance_is_passed_on_unchanged() -> None:
    payload = load_fixture("kakao_skill_payload.json")
    payload["userRequest"]["utterance"] = "보험 " * 5000
    assert parse_skill_payload(payload).utterance == "보험 " * 5000


def test_whitespace_only_utterance_is_left_to_the_input_guard() -> None:
    payload = load_fixture("kakao_skill_payload.json")
    payload["userRequest"]["utterance"] = "   "
    assert parse_skill_payload(payload).utterance == "   "


def test_numeric_user_id_becomes_a_string() -> None:
    payload = load_fixture("kakao_skill_payload.json")
    payload["userRequest"]["user"]["id"] = 620678
    assert parse_skill_payload(payload).user_id == "620678"


def test_optional_fields_of_the_wrong_type_are_ignored() -> None:
    payload = load_fixture("kakao_skill_payload.json")
    payload["action"] = "not an object"
    payload["userRequest"]["block"] = None
    payload["bot"] = []
    skill = parse_skill_payload(payload)
    assert skill.params == {} and skill.block_id is None and skill.bot_id is None


def _broken(change) -> dict:
    payload = load_fixture("kakao_skill_payload.json")
    change(payload)
    return payload


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "invalid_json"),
        (b"", "invalid_json"),
        (b"\xff\xfe\x00", "invalid_json"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid_json"),
        ([1, 2, 3], "invalid_payload"),
        ('"just a string"', "invalid_payload"),
        (42, "invalid_payload"),
        (None, "invalid_payload"),
        ({}, "invalid_payload"),
        ({"userRequest": "보험"}, "invalid_payload"),
        (_broken(lambda p: p["userRequest"].pop("utterance")), "invalid_utterance"),
        (_broken(lambda p: p["userRequest"].update(utterance="")), "invalid_utterance"),
        (_broken(lambda p: p["userRequest"].update(utterance=None)), "invalid_utterance"),
        (_broken(lambda p: p["userRequest"].update(utterance=123)), "invalid_utterance"),
        (_broken(lambda p: p["userRequest"].update(utterance=["안녕"])), "invalid_utterance"),
        (_broken(lambda p: p["userRequest"].pop("user")), "invalid_user"),
        (_broken(lambda p: p["userRequest"]["user"].update(id="")), "invalid_user"),
        (_broken(lambda p: p["userRequest"]["user"].update(id=True)), "invalid_user"),
        (_broken(lambda p: p["userRequest"]["user"].update(id={"a": 1})), "invalid_user"),
        (_broken(lambda p: p["userRequest"].update(callbackUrl=42)), "invalid_callback_url"),
    ],
)
def test_unusable_payloads_raise_a_bilingual_error(body, code: str) -> None:
    with pytest.raises(SkillPayloadError) as raised:
        parse_skill_payload(body)
    error_body = raised.value.body()
    assert error_body["error"] == code
    assert error_body["message_en"] and error_body["message_ko"]
    assert set(error_body) == {"error", "message_ko", "message_en"}


# --------------------------------------------------------------------------- text fitting


def test_split_prefers_line_breaks() -> None:
    lines = [f"{n}번째 안내 문장입니다." for n in range(1, 120)]
    pieces = split_text("\n".join(lines), 1000)
    assert len(pieces) > 1
    assert all(len(piece) <= 1000 for piece in pieces)
    for piece in pieces:  # no line was cut in two
        assert all(line in lines for line in piece.split("\n"))
    assert "\n".join(pieces) == "\n".join(lines)


def test_split_korean_text_at_sentence_ends() -> None:
    text = " ".join([KOREAN_PARAGRAPH] * 8)  # ~1,550 characters, no line breaks
    pieces = split_text(text, 1000)
    assert len(pieces) == 2
    assert all(len(piece) <= 1000 for piece in pieces)
    assert pieces[0].endswith(("다.", "요."))
    assert " ".join(pieces) == text


def test_split_without_any_boundary_cuts_hard() -> None:
    pieces = split_text("가" * 2500, 1000)
    assert [len(piece) for piece in pieces] == [1000, 1000, 500]


def test_shorten_keeps_whole_sentences_and_marks_the_cut() -> None:
    short = shorten(KOREAN_PARAGRAPH * 10, 300)
    assert len(short) <= 300
    assert short.endswith("…")
    assert short[:-1].endswith(("다.", "요."))
    assert shorten("짧은 문장", 300) == "짧은 문장"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("청구 진행 조회", "청구 진행 조회"),
        ("Make a complaint", "Make a compla…"),
        ("계절별 안전 수칙과 부가서비스 안내", "계절별 안전 수칙과 부가…"),
        ("  상담원   연결 ", "상담원 연결"),
    ],
)
def test_labels_are_at_most_14_characters(title: str, expected: str) -> None:
    label = shorten_label(title)
    assert label == expected
    assert len(label) <= 14


# --------------------------------------------------------------------------- responses


def test_plain_text_becomes_one_simple_text() -> None:
    body = to_kakao_response([{"recipient_id": "u", "text": "안녕하세요, 보담입니다."}])
    assert body == {
        "version": "2.0",
        "template": {"outputs": [{"simpleText": {"text": "안녕하세요, 보담입니다."}}]},
    }


def test_up_to_three_buttons_make_a_text_card_with_payloads() -> None:
    body = to_kakao_response(load_fixture("rasa_messages_claim_report.json"))
    assert_valid_kakao_response(body)
    first, card = outputs_of(body)
    assert first == {"simpleText": {"text": "사고 접수를 도와드릴게요."}}
    assert card["textCard"]["description"] == "먼저 어떤 사고인지 알려 주세요."
    assert card["textCard"]["buttons"] == [
        {
            "label": "교통사고",
            "action": "message",
            "messageText": '/inform{"incident_type": "collision"}',
        },
        {"label": "도난", "action": "message", "messageText": '/inform{"incident_type": "theft"}'},
        {"label": "화재", "action": "message", "messageText": '/inform{"incident_type": "fire"}'},
    ]
    assert "quickReplies" not in body["template"]


def test_many_buttons_become_quick_replies() -> None:
    body = to_kakao_response(load_fixture("rasa_messages_help_ko.json"))
    assert_valid_kakao_response(body)
    assert len(outputs_of(body)) == 1
    assert texts_of(body)[0].startswith("보담이 도와드릴 수 있는 일이에요.")
    replies = body["template"]["quickReplies"]
    assert [r["messageText"] for r in replies] == [
        "/report_claim",
        "/claim_status",
        "/claim_documents",
        "/change_policy",
        "/pay_premium",
        "/file_complaint",
        "/request_human",
    ]
    assert replies[1] == {
        "label": "청구 진행 조회",
        "action": "message",
        "messageText": "/claim_status",
    }


def test_at_most_ten_quick_replies() -> None:
    buttons = [{"title": f"선택 {n}", "payload": f'/inform{{"n": {n}}}'} for n in range(14)]
    body = to_kakao_response([{"text": "골라 주세요.", "buttons": buttons}])
    assert_valid_kakao_response(body)
    replies = body["template"]["quickReplies"]
    assert len(replies) == 10
    assert replies[0]["messageText"] == '/inform{"n": 0}'


def test_duplicate_buttons_are_offered_once() -> None:
    buttons = [{"title": "상담원 연결", "payload": "/request_human"}] * 2
    messages = [
        {"text": "첫 번째 안내입니다.", "buttons": buttons * 2},
        {"text": "두 번째 안내입니다.", "buttons": buttons * 2},
    ]
    body = to_kakao_response(messages)
    assert body["template"]["quickReplies"] == [
        {"label": "상담원 연결", "action": "message", "messageText": "/request_human"}
    ]


def test_card_text_over_400_characters_uses_quick_replies() -> None:
    text = KOREAN_PARAGRAPH * 3  # ~570 characters
    body = to_kakao_response([{"text": text, "buttons": [{"title": "네", "payload": "/affirm"}]}])
    assert_valid_kakao_response(body)
    assert texts_of(body) == [text]
    assert body["template"]["quickReplies"][0]["messageText"] == "/affirm"


def test_consecutive_messages_are_merged_into_one_bubble() -> None:
    # CollectingOutputChannel splits a response at blank lines; they come back together
    messages = [{"recipient_id": "u", "text": f"{n}단계 안내입니다."} for n in range(1, 6)]
    body = to_kakao_response(messages)
    assert texts_of(body) == ["\n\n".join(f"{n}단계 안내입니다." for n in range(1, 6))]


def test_long_answer_is_split_into_at_most_three_bubbles() -> None:
    text = "\n".join([KOREAN_PARAGRAPH] * 14)  # ~2,700 characters
    body = to_kakao_response([{"text": text}])
    assert_valid_kakao_response(body)
    texts = texts_of(body)
    assert len(texts) == 3
    assert "\n".join(texts) == text  # nothing lost, cut at line ends


def test_too_long_answer_is_shortened_in_the_third_bubble() -> None:
    text = " ".join([KOREAN_PARAGRAPH] * 40)  # ~7,700 characters
    body = to_kakao_response([{"text": text}])
    assert_valid_kakao_response(body)
    texts = texts_of(body)
    assert len(texts) == 3
    assert texts[2].endswith("…")
    assert text.startswith(texts[0])


def test_more_than_three_bubbles_fall_back_to_text_and_quick_replies() -> None:
    messages = [
        {"text": "첫째 안내입니다."},
        {"text": "사고 종류를 골라 주세요.", "buttons": [{"title": "도난", "payload": "/a"}]},
        {"text": "둘째 안내입니다."},
        {"text": "계속할까요?", "buttons": [{"title": "네", "payload": "/affirm"}]},
        {"text": "셋째 안내입니다."},
    ]
    body = to_kakao_response(messages)
    assert_valid_kakao_response(body)
    assert len(outputs_of(body)) == 1
    assert texts_of(body)[0].split("\n\n") == [m["text"] for m in messages]
    assert [r["messageText"] for r in body["template"]["quickReplies"]] == ["/a", "/affirm"]


def test_link_buttons_open_the_page_in_a_card() -> None:
    button = {"title": "보담 고객센터", "url": "https://example.com/help", "type": "web_url"}
    body = to_kakao_response([{"text": "자세한 내용은 홈페이지를 봐 주세요.", "buttons": [button]}])
    assert_valid_kakao_response(body)
    (card,) = outputs_of(body)
    assert card["textCard"]["buttons"] == [
        {"label": "보담 고객센터", "action": "webLink", "webLinkUrl": "https://example.com/help"}
    ]


def test_nothing_said_gives_a_fallback_text_in_the_conversation_language() -> None:
    korean = to_kakao_response([])
    english = to_kakao_response([], language="en")
    assert_valid_kakao_response(korean)
    assert texts_of(korean)[0].startswith("말씀하신 내용을 확인했어요")
    assert texts_of(english)[0].startswith("Got it")


def test_buttons_without_text_still_have_a_bubble() -> None:
    body = to_kakao_response([{"buttons": [{"title": "네", "payload": "/affirm"}]}])
    assert_valid_kakao_response(body)
    assert texts_of(body) == ["아래에서 골라 주세요."]
    assert body["template"]["quickReplies"][0]["messageText"] == "/affirm"


def test_images_and_unknown_custom_messages() -> None:
    body = to_kakao_response(
        [
            {"text": "사고 현장 예시입니다."},
            {"image": "https://example.com/sample.png"},
            {"custom": {"kind": "handoff"}},
        ]
    )
    assert_valid_kakao_response(body)
    assert outputs_of(body)[1] == {
        "simpleImage": {"imageUrl": "https://example.com/sample.png", "altText": "image"}
    }


def test_title_mode_sends_the_title_and_carries_the_payload_in_extra() -> None:
    body = to_kakao_response(load_fixture("rasa_messages_help_ko.json"), quick_reply_text="title")
    first = body["template"]["quickReplies"][0]
    assert first == {
        "label": "사고 접수",
        "action": "message",
        "messageText": "사고 접수",
        "extra": {"payload": "/report_claim"},
    }


def test_kakao_block_buttons_call_the_block() -> None:
    button = {"title": "상담원 연결", "payload": "/request_human", "kakao_block_id": "abc123"}
    body = to_kakao_response([{"text": "연결할까요?", "buttons": [button] * 4}])
    assert body["template"]["quickReplies"] == [
        {
            "label": "상담원 연결",
            "action": "block",
            "blockId": "abc123",
            "messageText": "/request_human",
        }
    ]


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 7, 12])
@pytest.mark.parametrize("length", [1, 399, 401, 999, 1001, 3500])
def test_every_combination_respects_kakao_limits(count: int, length: int) -> None:
    text = ("가나다라마. " * 1000)[:length]
    buttons = [
        {"title": f"아주 긴 버튼 제목 번호 {n}", "payload": f"/intent_{n}"} for n in range(count)
    ]
    messages = [{"text": text, "buttons": buttons}, {"text": text}, {"text": "끝."}]
    assert_valid_kakao_response(to_kakao_response(messages))


def test_use_callback_answer() -> None:
    assert use_callback_response("잠시만 기다려 주세요.") == {
        "version": "2.0",
        "useCallback": True,
        "data": {"text": "잠시만 기다려 주세요."},
    }
