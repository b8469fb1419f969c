"""Pass rate of the conversation tests (`rasa test core --stories tests/conversations`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from evaluation.common import REPORTS_DIR, ROOT

STORIES_DIR = ROOT / "tests" / "conversations"
TEST_TODAY = "2026-11-25"


def model_path() -> Path:
    """models/bodam-<fingerprint>.tar.gz, as the Makefile's MODEL variable names it."""
    fingerprint = subprocess.run(
        [str(ROOT / "tools" / "model_fingerprint.sh")],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    return ROOT / "models" / f"bodam-{fingerprint}.tar.gz"


def ensure_model(echo=print) -> Path:
    model = model_path()
    if not model.is_file():
        echo(f"  {model.relative_to(ROOT)} missing: nice -n 10 make train")
        subprocess.run(["nice", "-n", "10", "make", "--no-print-directory", "train"],
                       cwd=ROOT, check=True)  # fmt: skip
    return model


def story_names(folder: Path) -> list[str]:
    names: list[str] = []
    for path in sorted(Path(folder).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names.extend(str(story.get("story")) for story in data.get("stories") or [])
    return names


def failed_story_names(path: Path) -> list[str]:
    """Stories in Rasa's failed_test_stories.yml (its failure notes are YAML comments)."""
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [str(story.get("story")) for story in (data.get("stories") or [])]


def run(model: Path | None = None, out_dir: Path = REPORTS_DIR / "conversations",
        echo=print) -> dict:  # fmt: skip
    try:
        model = Path(model) if model else ensure_model(echo)
    except subprocess.CalledProcessError as error:
        return {"status": "failed", "reason": f"make train failed ({error.returncode})"}
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    rasa = Path(sys.executable).with_name("rasa")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BODAM_TODAY": TEST_TODAY,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    command = [
        "nice", "-n", "10", str(rasa), "test", "core", "--model", str(model),
        "--stories", str(STORIES_DIR), "--out", str(out_dir),
    ]  # fmt: skip
    log_file = REPORTS_DIR / "logs" / "conversations.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log_file.open("w", encoding="utf-8") as out:
        result = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        tail = log_file.read_text(encoding="utf-8").strip().splitlines()[-5:]
        return {"status": "failed", "reason": " / ".join(tail), "exit": result.returncode}
    total = story_names(STORIES_DIR)
    failed = failed_story_names(out_dir / "failed_test_stories.yml")
    passed = len(total) - len(failed)
    return {
        "status": "ok",
        "model": str(model.relative_to(ROOT) if model.is_relative_to(ROOT) else model),
        "stories": len(total),
        "passed": passed,
        "failed": failed,
        "pass_rate": passed / len(total) if total else 0.0,
        "seconds": round(seconds, 1),
    }
