"""Training NLU models and parsing messages with Rasa (the `.venv-rasa` side only)."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluation.common import (
    REPORTS_DIR,
    ROOT,
    Example,
    digest,
    nlu_passthrough_items,
    source_digest,
    write_nlu_yaml,
)

WORK_DIR = REPORTS_DIR / "work"
MODELS_DIR = REPORTS_DIR / "models"
LOG_DIR = REPORTS_DIR / "logs"
# e5 vectors by text, shared with `make train`: the folds share most messages.
E5_CACHE = ROOT / ".cache" / "nlu" / "e5-vectors.sqlite"
BODAM_CONFIG = ROOT / "config.yml"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prediction:
    intent: str
    confidence: float
    # The classifier's best intent before FallbackClassifier / InputGuard replaced it.
    ranked_first: str = ""


@dataclass(frozen=True)
class TrainedModel:
    path: Path
    seconds: float  # 0 when it came from the cache
    cached: bool


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """Computed once per run, so every model of one run shares it."""
    return source_digest()


def rasa_executable() -> Path:
    return Path(sys.executable).with_name("rasa")


def rasa_version() -> str:
    import rasa

    return rasa.__version__


def default_config_text() -> str:
    """The config Rasa 3.6 uses for a project that `rasa init` created (pipeline not set).

    `rasa init` writes config.yml with the pipeline commented out; Rasa then fills it in from
    ``rasa/engine/recipes/config_files/default_config.yml``, read here from the installed
    package so the baseline is exactly Rasa's.
    """
    import rasa.engine.recipes.default_recipe as recipe_module

    path = Path(recipe_module.__file__).parent / "config_files" / "default_config.yml"
    return path.read_text(encoding="utf-8")


def baseline_config(work_dir: Path = WORK_DIR) -> Path:
    path = work_dir / "rasa_default_config.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(default_config_text(), encoding="utf-8")
    return path


def train_nlu(
    config: Path,
    examples: Sequence[Example],
    name: str,
    *,
    force: bool = False,
    echo=print,
) -> TrainedModel:
    """An NLU-only model trained on ``examples`` with ``config`` (cached by content).

    Training runs as `nice -n 10 rasa train nlu` in a child process, one at a time.
    """
    data_file = write_nlu_yaml(
        examples, WORK_DIR / f"{name}.nlu.yml", extra_items=nlu_passthrough_items()
    )
    key = digest(
        Path(config).read_text(encoding="utf-8"),
        data_file.read_text(encoding="utf-8"),
        _code_digest(),
        rasa_version(),
    )
    model_name = f"{name}-{key}"
    model = MODELS_DIR / f"{model_name}.tar.gz"
    if model.is_file() and not force:
        echo(f"  {name}: using cached model {model.relative_to(ROOT)}")
        return TrainedModel(model, 0.0, True)
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_file = LOG_DIR / f"train-{name}.log"
    command = [
        "nice", "-n", "10", str(rasa_executable()), "train", "nlu",
        "--config", str(config), "--nlu", str(data_file), "--out", str(MODELS_DIR),
        "--fixed-model-name", model_name,
    ]  # fmt: skip
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # Keep the fold models out of the project's shared .rasa/cache.
        "RASA_CACHE_DIRECTORY": str(REPORTS_DIR / "cache" / "rasa"),
        "BODAM_E5_CACHE": str(E5_CACHE),
    }
    echo(f"  {name}: training on {len(examples)} examples (log {log_file.relative_to(ROOT)})")
    started = time.monotonic()
    with log_file.open("w", encoding="utf-8") as out:
        result = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    if result.returncode != 0 or not model.is_file():
        tail = "\n".join(log_file.read_text(encoding="utf-8").splitlines()[-30:])
        raise RuntimeError(f"training {name} failed (exit {result.returncode}):\n{tail}")
    echo(f"  {name}: trained in {seconds:.0f} s")
    return TrainedModel(model, seconds, False)


def quiet_rasa() -> None:
    """Only warnings from Rasa (its structlog otherwise prints every parse at debug)."""
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    # Deprecation noise from TensorFlow, matplotlib and SQLAlchemy hides the summary.
    warnings.filterwarnings("ignore")


class Parser:
    """Loads one trained model in this process and classifies messages with it."""

    def __init__(self, model: Path) -> None:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        os.environ.setdefault("BODAM_E5_CACHE", str(E5_CACHE))
        quiet_rasa()
        from rasa.core.agent import Agent

        self.model = Path(model)
        self.agent = Agent.load(str(model))

    async def _parse(self, texts: Sequence[str]) -> list[Prediction]:
        found = []
        for text in texts:
            result = await self.agent.parse_message(text)
            intent = result.get("intent") or {}
            ranked = [
                str(item.get("name"))
                for item in result.get("intent_ranking") or []
                if item.get("name") != "nlu_fallback"
            ]
            name = str(intent.get("name"))
            confidence = float(intent.get("confidence") or 0.0)
            found.append(Prediction(name, confidence, ranked[0] if ranked else name))
        return found

    def parse(self, texts: Sequence[str]) -> list[Prediction]:
        return asyncio.run(self._parse(list(texts)))
