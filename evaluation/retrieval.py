"""Clause retrieval figures from `.venv/bin/python -m knowledge eval` (stdlib only)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from evaluation.common import REPORTS_DIR, ROOT

APP_PYTHON = ROOT / ".venv" / "bin" / "python"
_SET = re.compile(r"^== ([\w-]+) questions")
_NUMBER = r"([\d.]+)"
_ROW = re.compile(r"^(ko|en)\s+([\w+-]+)\s+(\d+)" + rf"\s+{_NUMBER}" * 6 + r"\s*$")
_DECISIONS = re.compile(r"^(ko|en)\s+(\d+)" + r"\s+([\d.]+)%" * 4 + r"\s*$")
_CONFIDENT = re.compile(
    r"is_confident:\s*([\d.]+)% of dev questions,\s*([\d.]+)% of\s*(\d+) off-topic"
)
_COLUMNS = ("top1", "top1_strict", "top3", "top3_strict", "mrr", "mrr_strict")


def parse_report(text: str) -> dict:
    """Per question set (held-out, dev), language and method: top-1 / top-3 / MRR, plain and
    strict; what the confidence rule did per language; and the off-topic line."""
    sets: dict[str, dict] = {}
    current = "dev"
    for line in text.splitlines():
        line = line.strip()
        if heading := _SET.match(line):
            current = heading.group(1)
        elif row := _ROW.match(line):
            language, method, n, *values = row.groups()
            figures = {"questions": int(n), **dict(zip(_COLUMNS, map(float, values),
                                                       strict=True))}
            sets.setdefault(current, {}).setdefault("by_language", {}).setdefault(
                language, {})[method] = figures
        elif row := _DECISIONS.match(line):
            language, n, *shares = row.groups()
            answered, choose, ask_product, wrong = (float(v) / 100 for v in shares)
            sets.setdefault(current, {}).setdefault("decisions", {})[language] = {
                "questions": int(n), "answered": answered, "choose": choose,
                "ask_product": ask_product, "wrong_answers": wrong,
            }
    found: dict = {"sets": sets, "by_language": (sets.get("dev") or {}).get("by_language", {})}
    confident = _CONFIDENT.search(text)
    if confident:
        found["confident_on_dev"] = float(confident.group(1)) / 100
        found["confident_on_off_topic"] = float(confident.group(2)) / 100
        found["off_topic_questions"] = int(confident.group(3))
    return found


def run(timeout: float = 1200, out_dir: Path = REPORTS_DIR) -> dict:
    """Runs the knowledge evaluation; {"status": "absent"|"failed"|"ok", ...}."""
    if not APP_PYTHON.is_file():
        return {"status": "absent", "reason": f"{APP_PYTHON} not found (make setup)"}
    if not (ROOT / "knowledge" / "__main__.py").is_file():
        return {
            "status": "absent",
            "reason": "knowledge has no command line yet (knowledge/__main__.py missing)",
        }
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TOKENIZERS_PARALLELISM": "false"}
    command = ["nice", "-n", "10", str(APP_PYTHON), "-m", "knowledge", "eval"]
    try:
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"status": "failed", "reason": f"timed out after {timeout:.0f} s"}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "retrieval.txt").write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        status = "absent" if "No module named" in (result.stderr or "") else "failed"
        return {"status": status, "reason": " / ".join(tail), "exit": result.returncode}
    figures = parse_report(result.stdout)
    if not figures["by_language"]:
        return {"status": "failed", "reason": "no figures in its output (reports/retrieval.txt)"}
    return {"status": "ok", **figures}
