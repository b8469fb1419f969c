"""Clause, glossary, product and recommendation answers come from policies_kb, cited."""

from __future__ import annotations

import json

import pytest
from rasa_sdk.events import SlotSet

from bot.actions.backend import knowledge_base
from bot.actions.catalogue import (
    ActionExplainTerm,
    ActionPremiumInfo,
    ActionProductInfo,
    ActionRecommendProducts,
    recommended_products,
)
from bot.actions.clauses import (
    ActionAnswerClauseQuestion,
    ActionExplainSimpler,
    ActionShowClauseText,
    ActionShowRelatedClauses,
)
from tests.app.conftest import make_tracker


@pytest.fixture(scope="module", autouse=True)
def loaded_knowledge() -> None:
    knowledge_base()  # load the model and index once for the module


def product_entity(value: str) -> list[dict]:
    return [{"entity": "product", "value": value}]


async def test_coverage_question_is_answered_from_the_right_clause(dispatcher, domain):
    tracker = make_tracker(
        text="해외여행 중 가방을 도둑맞았는데 보상되나요?",
        intent="ask_coverage",
        entities=product_entity("travel"),
    )
    events = await ActionAnswerClauseQuestion().run(dispatcher, tracker, domain)
    message, offer = dispatcher.messages
    assert message["response"] == "utter_clause_answer"
    assert message["citation"].startswith("해외여행보험 제")
    clause_id = events[0]["value"]
    clause = knowledge_base().clause(clause_id)
    assert "travel.baggage_loss_vs_theft" in clause.topics
    assert message["answer"] == clause.plain_ko
    # the deciding sentence as written (after its paragraph's lead when it is an item)
    assert all(part in clause.text_ko for part in message["quote"].split(" … "))
    marker = "①②③④⑤⑥⑦⑧⑨"[events[1]["value"] - 1]  # the paragraph of the quote
    assert message["citation"].endswith(f"조({clause.title_ko}) {marker}")
    assert events[2:4] == [SlotSet("product", "travel"), SlotSet("pending_question", None)]
    # The loss told with the question is offered as a claim, its details kept.
    assert offer["response"] == "utter_offer_claim_report_after_answer"
    assert {(e["name"], e["value"]) for e in events[4:]} == {
        ("claim_offered", True),
        ("incident_type", "baggage"),
        ("incident_description", "해외여행 중 가방을 도둑맞았는데 보상되나요?"),
    }


async def test_the_customers_own_policy_picks_the_product(dispatcher, domain):
    tracker = make_tracker(
        slots={"verified_policy": "AU20250001", "verified_customer_id": "C001", "language": "en"},
        text="my car was flooded in the typhoon last night, is that covered?",
        intent="ask_coverage",
    )
    await ActionAnswerClauseQuestion().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    # Answered from the flood clause, or (when not sure enough) offered it first beside
    # another clause of the same policy: never a clause of another product.
    if message["response"] == "utter_clause_choose":
        picked = [clause_pick(button) for button in message["buttons"]]
        assert picked[0] == "auto-017" and all(c.startswith("auto-") for c in picked)
        assert message["first_citation"].startswith("Personal auto insurance, Article 17(")
    else:
        assert message["response"] == "utter_clause_answer"
        assert message["citation"].startswith("Personal auto insurance, Article 17(")


def clause_pick(button: dict) -> str:
    return json.loads(button["payload"][button["payload"].index("{"):])["clause_id"]


def pressed(question: str, clause_id: str):
    """The turn after "which of these?": the customer pressed the button for ``clause_id``."""
    return make_tracker(
        slots={"pending_question": question},
        text=f'/ask_coverage{{"clause_id": "{clause_id}"}}',
        intent="ask_coverage",
        entities=[{"entity": "clause_id", "value": clause_id}],
    )


async def test_two_sided_story_offers_both_clauses_then_answers_the_pick(dispatcher, domain):
    question = "운전하다 사고 나서 나도 다치고 상대방도 다쳤어요 보상 어떻게 돼요?"
    tracker = make_tracker(text=question, intent="ask_coverage")
    events = await ActionAnswerClauseQuestion().run(dispatcher, tracker, domain)
    [choice] = dispatcher.messages
    assert choice["response"] == "utter_clause_choose"
    picked = [clause_pick(button) for button in choice["buttons"]]
    assert set(picked) == {"auto-005", "auto-012"}  # liability to others / own injury
    assert choice["first_citation"].startswith("개인용 자동차보험 제")
    assert events == [SlotSet("pending_question", question)]

    events = await ActionAnswerClauseQuestion().run(dispatcher, pressed(question, "auto-005"),
                                                    domain)
    answer = dispatcher.messages[1]
    assert answer["response"] == "utter_clause_answer"
    assert answer["answer"] == knowledge_base().clause("auto-005").plain_ko
    wording = knowledge_base().clause("auto-005").text_ko
    assert all(part in wording for part in answer["quote"].split(" … "))
    assert events[0] == SlotSet("last_clause_id", "auto-005")
    assert SlotSet("pending_question", None) in events


async def test_a_forged_clause_pick_is_answered_as_the_question(dispatcher, domain):
    question = "태풍에 주차해 둔 차가 잠겼어요 자차 보상 되나요?"
    events = await ActionAnswerClauseQuestion().run(
        dispatcher, pressed(question, "../../etc/passwd"), domain
    )
    message = dispatcher.messages[0]
    assert message["response"] in ("utter_clause_answer", "utter_clause_choose")
    assert "제17조(침수로 인한 손해)" in str(message) and "passwd" not in str(message)
    assert all(e.get("value") != "../../etc/passwd" for e in events)


async def test_question_split_between_products_asks_which_product(dispatcher, domain):
    question = "my premium payment is late, is there a grace period before the contract ends?"
    tracker = make_tracker(slots={"language": "en"}, text=question, intent="ask_coverage")
    events = await ActionAnswerClauseQuestion().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_clause_ask_product"]
    assert events == [SlotSet("pending_question", question)]

    chosen = make_tracker(
        slots={"language": "en", "pending_question": question},
        text='/inform{"product": "health"}',
        intent="inform",
        entities=product_entity("health"),
    )
    events = await ActionAnswerClauseQuestion().run(dispatcher, chosen, domain)
    reply = dispatcher.messages[1]
    if reply["response"] == "utter_clause_choose":  # the grace-period clause offered first
        first = clause_pick(reply["buttons"][0])
        assert events == [SlotSet("pending_question", question)]
    else:
        assert reply["response"] == "utter_clause_answer"
        first = events[0]["value"]
    assert first.startswith("health-")
    assert "common.grace_period" in knowledge_base().clause(first).topics


async def test_nothing_is_invented_for_an_unrelated_question(dispatcher, domain):
    tracker = make_tracker(
        slots={"language": "en", "product": "auto"},
        text="where can I get a good pizza delivered tonight",
        intent="ask_coverage",
    )
    events = await ActionAnswerClauseQuestion().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_clause_not_found"]
    assert events == [SlotSet("pending_question", None)]


async def test_follow_ups_explain_the_last_clause(dispatcher, domain):
    slots = {"last_clause_id": "travel-020", "last_clause_paragraph": 2}
    clause = knowledge_base().clause("travel-020")
    await ActionExplainSimpler().run(dispatcher, make_tracker(slots=slots), domain)
    await ActionShowClauseText().run(dispatcher, make_tracker(slots=slots), domain)
    await ActionShowRelatedClauses().run(dispatcher, make_tracker(slots=slots), domain)
    simpler, text, related = dispatcher.messages
    assert simpler["example"] == clause.example_ko and simpler["action"] == clause.action_ko
    assert text["response"] == "utter_clause_text_highlighted" and text["marker"] == "②"
    assert text["text"] is None  # a "text" variable would replace the whole message in Rasa
    marked = [line for line in text["wording"].splitlines() if line.startswith("▶")]
    assert len(marked) == 1 and marked[0].startswith("▶ ②")
    assert "".join(text["wording"].replace("▶ ", "").split()) == "".join(clause.text_ko.split())
    assert related["related"].count("\n") + 1 == len(clause.related)


async def test_wording_without_a_decided_paragraph_is_shown_plain(dispatcher, domain):
    await ActionShowClauseText().run(
        dispatcher, make_tracker(slots={"last_clause_id": "travel-020"}), domain)
    [text] = dispatcher.messages
    assert text["response"] == "utter_clause_text" and "▶" not in text["wording"]


async def test_follow_up_without_an_earlier_answer(dispatcher, domain):
    await ActionExplainSimpler().run(dispatcher, make_tracker(), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_no_recent_clause"]


@pytest.mark.parametrize(
    ("text", "language", "term"),
    [
        ("자기부담금이 뭐예요?", "ko", "자기부담금"),
        ("what does deductible mean?", "en", "deductible"),
    ],
)
async def test_terms_come_from_the_glossary(dispatcher, domain, text, language, term):
    tracker = make_tracker(slots={"language": language}, text=text, intent="ask_term")
    await ActionExplainTerm().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_term_definition"
    assert message["term"].lower() == term


async def test_product_info_asks_for_the_product_then_answers(dispatcher, domain):
    await ActionProductInfo().run(dispatcher, make_tracker(intent="ask_product_info"), domain)
    assert dispatcher.messages[0]["response"] == "utter_ask_product_choice"
    tracker = make_tracker(intent="inform", entities=product_entity("home"))
    assert await ActionProductInfo().run(dispatcher, tracker, domain) == [
        SlotSet("product", "home")
    ]
    assert dispatcher.messages[1]["name"] == "주택화재보험"
    assert dispatcher.messages[1]["coverages"].startswith("- ")


async def test_premium_range_for_travel_is_per_trip(dispatcher, domain):
    tracker = make_tracker(slots={"product": "travel"}, intent="ask_premium")
    await ActionPremiumInfo().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["range"].startswith("1회 여행에 ")


def test_needs_map_to_products() -> None:
    assert recommended_products(["차 있어요", "해외여행 가요", "병원비"]) == [
        "auto",
        "travel",
        "health",
    ]
    assert recommended_products(["I just bought a flat", "hiking", "a fire"]) == [
        "home",
        "accident",
    ]


async def test_recommendation_gives_reasons(dispatcher, domain):
    slots = {
        "recommend_owns": "작은 아파트",
        "recommend_plans": "없어요",
        "recommend_worries": "화재",
    }
    events = await ActionRecommendProducts().run(dispatcher, make_tracker(slots=slots), domain)
    assert "주택화재보험" in dispatcher.messages[0]["items"]
    assert SlotSet("recommend_owns", None) in events
