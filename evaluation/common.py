"""Training examples, languages, stratified splits and NLU files (stdlib + PyYAML only)."""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
NLU_DIR = ROOT / "bot" / "data" / "nlu"
EVAL_DATA_DIR = ROOT / "tests" / "eval_data"
REPORTS_DIR = ROOT / "reports"
LANGUAGES = ("ko", "en")
FALLBACK_INTENTS = ("out_of_scope", "nlu_fallback")

# Syllables, conjoining jamo, compatibility jamo and the extended blocks (as bot.nlp.language).
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]")
# [text](entity), [text]{"entity": ...} and [text][{...}] annotations in Rasa NLU data.
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\])")


def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text))


def language_of(text: str) -> str:
    """Korean when the message has any Hangul, otherwise English."""
    return "ko" if has_hangul(text) else "en"


def plain_text(raw: str) -> str:
    """The text a customer would type: entity annotations removed."""
    return _ANNOTATION.sub(r"\1", raw)


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    raw: str = ""

    @property
    def language(self) -> str:
        return language_of(self.text)

    @property
    def training_line(self) -> str:
        return self.raw or self.text


def _example_lines(block: str) -> list[str]:
    return [line[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")]


def load_nlu_file(path: Path) -> list[Example]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    found: list[Example] = []
    for item in data.get("nlu") or []:
        if "intent" not in item or not item.get("examples"):
            continue
        for raw in _example_lines(item["examples"]):
            found.append(Example(plain_text(raw), str(item["intent"]), raw))
    return found


def load_training_examples(nlu_dir: Path = NLU_DIR) -> list[Example]:
    """Every intent example of bot/data/nlu, in file order."""
    examples: list[Example] = []
    for path in sorted(Path(nlu_dir).glob("*.yml")):
        examples.extend(load_nlu_file(path))
    return examples


def nlu_passthrough_items(nlu_dir: Path = NLU_DIR) -> list[dict]:
    """Synonyms, regexes and lookup tables: kept whole in every training split."""
    items: list[dict] = []
    for path in sorted(Path(nlu_dir).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        items.extend(item for item in data.get("nlu") or [] if "intent" not in item)
    return items


def stratum(example: Example) -> tuple[str, str]:
    return (example.intent, example.language)


def _strata(examples: Iterable[Example], seed: int) -> list[list[Example]]:
    groups: dict[tuple[str, str], list[Example]] = defaultdict(list)
    for example in examples:
        groups[stratum(example)].append(example)
    ordered = []
    for key in sorted(groups):
        members = list(groups[key])
        random.Random(f"{seed}:{key[0]}:{key[1]}").shuffle(members)
        ordered.append(members)
    return ordered


def stratified_split(
    examples: Sequence[Example], test_fraction: float = 0.2, seed: int = 2026
) -> tuple[list[Example], list[Example]]:
    """(train, test) with the same intent x language mix in both halves.

    Each intent x language group gives round(n * test_fraction) examples to the test half,
    at least one and at most n - 1 when it has two or more, so every intent is in both.
    """
    if not 0 < test_fraction < 1:
        raise ValueError("test_fraction must be between 0 and 1")
    train: list[Example] = []
    test: list[Example] = []
    for members in _strata(examples, seed):
        n = len(members)
        k = round(n * test_fraction)
        k = min(max(k, 1), n - 1) if n >= 2 else 0
        test.extend(members[:k])
        train.extend(members[k:])
    return train, test


def stratified_folds(
    examples: Sequence[Example], k: int = 5, seed: int = 2026
) -> list[list[Example]]:
    """k disjoint folds covering every example, each intent x language group dealt round-robin."""
    if k < 2:
        raise ValueError("k must be at least 2")
    folds: list[list[Example]] = [[] for _ in range(k)]
    offset = 0
    for members in _strata(examples, seed):
        for position, example in enumerate(members):
            folds[(offset + position) % k].append(example)
        offset = (offset + len(members)) % k
    return folds


def write_nlu_yaml(
    examples: Sequence[Example], path: Path, extra_items: Sequence[dict] = ()
) -> Path:
    """Rasa 3.x NLU training file with the examples grouped by intent."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example.training_line)
    lines = ['version: "3.1"', "", "nlu:"]
    for intent in sorted(by_intent):
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines.extend(f"    - {line}" for line in by_intent[intent])
    text = "\n".join(lines) + "\n"
    if extra_items:
        text += yaml.safe_dump(list(extra_items), allow_unicode=True, sort_keys=False)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_message_set(path: Path) -> list[str]:
    """A held-out message list: a YAML mapping with ``messages: [..]``."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [str(message).strip() for message in data.get("messages") or []]


def out_of_scope_path(language: str) -> Path:
    return EVAL_DATA_DIR / f"out_of_scope_{language}.yml"


def load_out_of_scope(language: str) -> list[str]:
    return load_message_set(out_of_scope_path(language))


def digest(*parts: str | bytes) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(part.encode("utf-8") if isinstance(part, str) else part)
        sha.update(b"\0")
    return sha.hexdigest()[:12]


def source_digest(root: Path = ROOT) -> str:
    """Hash of the code a trained NLU model depends on besides its config and data."""
    files = [root / "requirements" / "rasa.txt"]
    for folder in ("bot/components", "bot/nlp"):
        files.extend(sorted((root / folder).rglob("*.py")))
    return digest(*(path.read_bytes() for path in files if path.is_file()))
