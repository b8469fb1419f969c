"""Clause retrieval figures from `.venv/bin/python -m knowledge eval` (stdlib only)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from evaluation.common import REPORTS_DIR, ROOT

APP_PYTHON = ROOT / ".venv" / "bin" / "python"
_ROW = re.compile(r"^(ko|en)\s+(\w+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s*$")
_CONFIDENT = re.compile(
    r"is_confident:\s*([\d.]+)% of dev questions,\s*([\d.]+)% of\s*(\d+) off-topic"
)


def parse_report(text: str) -> dict:
    """The per language x method table and the confidence line of knowledge's report."""
    methods: dict[str, dict[str, dict]] = {}
    for line in text.splitlines():
        match = _ROW.match(line.strip())
        if match:
            language, method, n, top3, mrr = match.groups()
            methods.setdefault(language, {})[method] = {
                "questions": int(n),
                "top3": float(top3),
                "mrr": float(mrr),
            }
    found: dict = {"by_language": methods}
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
