"""``python -m knowledge lint``: which clauses an editor still has to finish.

A clause has gaps when an explanation, example or action is missing in a language, when its
wording or title is missing in one, when its file still lists ``topics`` under ``gaps``, when it
carries a topic tag spec/topics.yml does not define, or when it points to a related clause that
does not exist. ``topics: []`` on its own is fine (a clause may rightly carry no topic); an
ingested file lists ``topics`` under ``gaps`` until an editor has looked.

One line per clause with gaps, then a count; exit status 1 when any clause has gaps, so that
CI can hold back a half-finished wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge import settings
from knowledge.policy_data import GAP_FIELDS, Clause, PolicyData, load_policy_data

_REQUIRED = ("plain", "example", "action", "title", "text")


@dataclass(frozen=True)
class ClauseProblems:
    product: str
    clause_id: str
    missing: tuple[str, ...]
    unknown_topics: tuple[str, ...]
    unknown_related: tuple[str, ...]

    def line(self) -> str:
        parts = []
        if self.missing:
            parts.append(f"missing {', '.join(self.missing)}")
        if self.unknown_topics:
            parts.append(f"unknown topics {', '.join(self.unknown_topics)}")
        if self.unknown_related:
            parts.append(f"unknown related {', '.join(self.unknown_related)}")
        return f"{self.product} {self.clause_id}: {'; '.join(parts)}"


def _missing(clause: Clause) -> tuple[str, ...]:
    empty = [f"{name}_{language}" for name in _REQUIRED for language in ("ko", "en")
             if not clause.get(name, language)]
    order = {name: index for index, name in enumerate(GAP_FIELDS)}
    names = dict.fromkeys([*clause.gaps, *empty])
    return tuple(sorted(names, key=lambda name: order.get(name, len(order))))


def clause_problems(clause: Clause, data: PolicyData, known_ids: set[str]) -> ClauseProblems:
    return ClauseProblems(
        product=clause.product,
        clause_id=clause.clause_id,
        missing=_missing(clause),
        unknown_topics=tuple(tag for tag in clause.topics if tag not in data.topics),
        unknown_related=tuple(ref for ref in clause.related if ref not in known_ids),
    )


def unreadable_files(kb_dir: Path) -> list[str]:
    """Clause files the loader skips (it only warns, to keep the assistant up): an error here."""
    problems = []
    for path in sorted((kb_dir / "clauses").glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            problems.append(f"{path.name}: unreadable ({str(error).splitlines()[0]})")
            continue
        if not isinstance(data, dict) or not isinstance(data.get("clauses"), list):
            problems.append(f"{path.name}: no clauses list")
    return problems


def lint(kb_dir: Path | None = None) -> tuple[list[str], int]:
    """(report lines, exit status)."""
    kb_dir = Path(kb_dir or settings.kb_dir())
    if not (kb_dir / "clauses").is_dir():
        return [f"{kb_dir}: no clauses/ folder"], 1
    data = load_policy_data(kb_dir)
    known_ids = {clause.clause_id for clause in data.clauses}
    problems = [clause_problems(clause, data, known_ids) for clause in data.clauses]
    flagged = [p for p in problems if p.missing or p.unknown_topics or p.unknown_related]
    files = unreadable_files(kb_dir)
    lines = files + [problem.line() for problem in flagged]
    products = len({clause.product for clause in data.clauses})
    if flagged or files:
        lines.append(f"{len(flagged)} of {len(problems)} clauses have gaps"
                     + (f"; {len(files)} unreadable files" if files else ""))
        return lines, 1
    lines.append(f"{len(problems)} clauses in {products} products: no gaps")
    return lines, 0
