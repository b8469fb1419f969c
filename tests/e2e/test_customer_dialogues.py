"""Whole customer conversations (tests/dialogues) against the real stack: >= 95 % per language.

The figures go to reports/dialogues.json and into the assertion message, so they are
visible without `-s`; each failing dialogue is listed with its turn, check and reply.
"""

from __future__ import annotations

from evaluation import dialogues as runner
from tests.e2e.conftest import Stack


def test_customer_dialogues_pass_per_language(stack: Stack) -> None:
    dialogues = runner.load_dialogues()
    results = runner.play_all(dialogues, runner.rest_sender(stack.rasa_url, 90), stack.case_db)
    found = runner.report(results)
    path = runner.write_report(found, runner.REPORT_PATH)
    summary = found["summary"]
    print(summary)
    failures = "\n".join(runner.failure_line(r) for r in results if not r.passed)
    below = [
        f"{language} {counts['pass_rate']:.1%}"
        for language, counts in found["by_language"].items()
        if not counts["total"] or counts["pass_rate"] < runner.TARGET_PASS_RATE
    ]
    assert not below, (
        f"{summary} - below {runner.TARGET_PASS_RATE:.0%}: {', '.join(below)}\n"
        f"{failures}\n(full report: {path})"
    )
