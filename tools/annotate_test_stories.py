"""Annotates the user texts of tests/conversations/*.yml with what the entity rules find.

`rasa test` fails a story when an extracted entity is not annotated with the same span and
value, so annotations are generated, then reviewed. Only lines directly under `- user: |`
are touched (each story message is one line); button payloads ("/intent{...}") are skipped.
Usage: .venv/bin/python tools/annotate_test_stories.py [--write]
"""

import glob
import json
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bot.nlp.message_entities import extract_message_entities  # noqa: E402

ENTITY_REGEX = re.compile(
    r"\[(?P<entity_text>[^\]]+?)\](\((?P<entity>[^:)]+?)(?:\:(?P<value>[^)]+))?\)|\{(?P<entity_dict>[^}]+?)\}|\[(?P<list_entity_dicts>.*?)\])"
)
TODAY = date(2026, 11, 25)


def plain(text):
    return ENTITY_REGEX.sub(lambda m: m.group("entity_text"), text)


def annotate(text):
    out, pos = [], 0
    for e in extract_message_entities(text, TODAY):
        out.append(text[pos : e.start])
        surface = text[e.start : e.end]
        if e.value == surface:
            out.append(f"[{surface}]({e.entity})")
        else:
            out.append(
                f"[{surface}]"
                + json.dumps({"entity": e.entity, "value": e.value}, ensure_ascii=False)
            )
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


write = "--write" in sys.argv
for path in sorted(glob.glob(str(ROOT / "tests" / "conversations" / "*.yml"))):
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    changed = False
    for i, line in enumerate(lines):
        if i > 0 and lines[i - 1].strip() == "- user: |":
            indent = line[: len(line) - len(line.lstrip())]
            text = line.strip()
            if text.startswith("/"):
                continue
            new = annotate(plain(text))
            if new != text:
                print(f"{path.split('/')[-1]}:{i + 1}: {text}\n    -> {new}")
                lines[i] = indent + new
                changed = True
            elif "[" in new:
                print(f"{path.split('/')[-1]}:{i + 1}: ok {new}")
    if changed and write:
        Path(path).write_text("\n".join(lines), encoding="utf-8")
