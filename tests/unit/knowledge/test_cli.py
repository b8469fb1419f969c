"""The command line contract, run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

from knowledge.settings import REPO_ROOT

BATCH = [
    {"text": "주차해 둔 차가 태풍 때 물에 잠겼는데 보상돼요?"},
    {"text": "How do I cancel my policy and get a refund?", "product": "auto"},
    {"text": "임플란트 비용도 실비로 받을 수 있나요?", "product": "health"},
    {"text": "My flight was cancelled and I paid for a hotel."},
]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "knowledge", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_batch_prints_one_json_line_per_question_in_order(kb, tmp_path):
    batch = tmp_path / "questions.jsonl"
    batch.write_text(
        "\n".join(json.dumps(item, ensure_ascii=False) for item in BATCH) + "\n",
        encoding="utf-8",
    )
    completed = _run("search", "--top-k", "2", "--batch", str(batch))
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert len(lines) == len(BATCH)
    for item, line in zip(BATCH, lines, strict=True):
        result = json.loads(line)
        assert set(result) == {"text", "results"}
        assert result["text"] == item["text"]
        assert len(result["results"]) == 2
        for hit in result["results"]:
            assert set(hit) == {"clause_id", "product", "topics", "score", "title"}
            assert isinstance(hit["score"], float)
            if "product" in item:
                assert hit["product"] == item["product"]
    first, second = (json.loads(line) for line in lines[:2])
    assert first["results"][0]["clause_id"] == "auto-017"
    assert first["results"][0]["title"] == kb.clause("auto-017").title_ko
    assert second["results"][0]["title"] == kb.clause(second["results"][0]["clause_id"]).title_en


def test_search_prints_readable_results(kb):
    completed = _run("search", "--top-k", "1", "--product", "auto",
                     "주차해 둔 차가 태풍 때 물에 잠겼는데 보상돼요?")
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].startswith("1. auto-017  [auto]  개인용 자동차보험 제17조(침수로 인한 손해)")
    assert "score" in lines[0]
    assert lines[1].strip().startswith("topics: auto.flood_damage")
    assert lines[2].strip() == kb.clause("auto-017").plain_ko.splitlines()[0]
