"""Parsing of the retrieval and conversation-test outputs, and the eval targets."""

from __future__ import annotations

from evaluation.conversations import STORIES_DIR, failed_story_names, story_names
from evaluation.report import targets
from evaluation.retrieval import parse_report
from evaluation.scripts import SCRIPTS, TURN_KINDS

KNOWLEDGE_OUTPUT = """second stage: 3702 situation questions, cross-validated top-1 0.9

== held-out questions (plain: right topic; strict: right topic from the right product)
language method                 n   top-1  strict   top-3  strict  MRR@10  strict
ko       served               300   0.950   0.930   0.990   0.985   0.970   0.960
ko       hybrid               300   0.800   0.760   0.930   0.900   0.870   0.840
en       served               290   0.910   0.900   0.980   0.970   0.950   0.940

language     n  answered  which?  product?  wrong answers
ko         300     90.0%    8.0%      2.0%           1.3%
en         290     85.5%   12.0%      2.5%           2.1%

== dev questions (plain: right topic; strict: right topic from the right product)
language method                 n   top-1  strict   top-3  strict  MRR@10  strict
ko       served               196   0.900   0.880   0.970   0.960   0.940   0.930
ko       bm25+glossary        196   0.700   0.650   0.850   0.800   0.780   0.740

dev questions: 373 evaluated, 0 skipped (topic not yet in the KB: none)
is_confident: 92.5% of dev questions, 10.0% of 10 off-topic questions
"""


def test_knowledge_report_is_parsed() -> None:
    found = parse_report(KNOWLEDGE_OUTPUT)
    held_out = found["sets"]["held-out"]
    assert held_out["by_language"]["ko"]["served"]["top1_strict"] == 0.93
    assert held_out["by_language"]["ko"]["hybrid"]["questions"] == 300
    assert held_out["by_language"]["en"]["served"]["top3"] == 0.98
    assert held_out["decisions"]["en"] == {
        "questions": 290, "answered": 0.855, "choose": 0.12, "ask_product": 0.025,
        "wrong_answers": 0.021,
    }
    assert found["by_language"]["ko"]["bm25+glossary"]["mrr_strict"] == 0.74
    assert found["confident_on_dev"] == 0.925
    assert found["off_topic_questions"] == 10


def test_retrieval_targets_come_from_the_held_out_questions() -> None:
    retrieval = parse_report(KNOWLEDGE_OUTPUT)
    verdicts = {t["name"]: t["passed"] for t in targets({"retrieval": retrieval})}
    assert verdicts == {
        "clause retrieval top-1, held-out strict (ko)": True,
        "clause retrieval top-3, held-out strict (ko)": True,
        "clause answers from a wrong clause (ko)": True,
        "clause retrieval top-1, held-out strict (en)": True,
        "clause retrieval top-3, held-out strict (en)": True,
        "clause answers from a wrong clause (en)": True,
    }
    retrieval["sets"]["held-out"]["by_language"]["en"]["served"]["top1_strict"] = 0.85
    verdicts = {t["name"]: t["passed"] for t in targets({"retrieval": retrieval})}
    assert verdicts["clause retrieval top-1, held-out strict (en)"] is False


def test_failed_stories_are_read_from_rasa_output(tmp_path) -> None:
    failed = tmp_path / "failed_test_stories.yml"
    failed.write_text(
        'version: "3.1"\nstories:\n- story: greet (ko) (/tmp/x.yml)\n  steps:\n'
        "  - intent: greet  # predicted: thank\n"
    )
    assert failed_story_names(failed) == ["greet (ko) (/tmp/x.yml)"]
    (tmp_path / "none.yml").write_text("# None of the test stories failed - all good!\n")
    assert failed_story_names(tmp_path / "none.yml") == []
    assert failed_story_names(tmp_path / "missing.yml") == []


def test_conversation_stories_are_counted() -> None:
    assert len(story_names(STORIES_DIR)) > 0


def test_targets_pass_and_fail() -> None:
    results = {
        "nlu": {
            "heldout": {"ko": {"macro_f1": 0.95}, "en": {"macro_f1": 0.92}},
            "robustness": {"ko": {"no_space": {"drop_points": 1.2}, "typo": {"drop_points": 3.5}}},
            "out_of_scope": {"ko": {"n": 160, "caught_share": 0.93, "drop_points": 0.5}},
        }
    }
    verdicts = {t["name"]: t["passed"] for t in targets(results)}
    assert verdicts == {
        "held-out intent macro-F1 (ko)": True,
        "held-out intent macro-F1 (en)": False,
        "Korean held-out, no spaces: accuracy drop (points)": True,
        "Korean held-out, one typo: accuracy drop (points)": False,
        "out-of-scope caught (ko)": True,
        "in-scope accuracy drop with OOS mixed in (ko, points)": True,
    }


def test_bench_scripts_cover_every_turn_kind_in_both_languages() -> None:
    kinds = {turn.kind for turns in SCRIPTS.values() for turn in turns}
    assert kinds == set(TURN_KINDS)
    for script in ("claim", "status", "coverage"):
        assert f"{script}_ko" in SCRIPTS and f"{script}_en" in SCRIPTS
    assert any("AU20250001" in t.text for t in SCRIPTS["claim_ko"])
    assert any("CLM-2026-000123" in t.text for t in SCRIPTS["status_en"])
