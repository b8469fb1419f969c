"""Reads `rasa data validate` output and prints the warnings nobody has explained.

A response "not used in any story or rule" is explained when an action sends it
(its name appears in bot/actions), when it is a form's question (utter_ask_<slot>),
or when tools/validate_allowlist.txt names it with a reason.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
UNUSED = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")


def action_source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "bot" / "actions").glob("*.py"))


def form_slots() -> set[str]:
    forms = yaml.safe_load((ROOT / "bot" / "domain" / "forms.yml").read_text(encoding="utf-8"))
    return {slot for form in forms["forms"].values() for slot in form["required_slots"]}


def allowlist() -> list[str]:
    lines = (ROOT / "tools" / "validate_allowlist.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def unexplained(output: str) -> list[str]:
    source, slots, allowed = action_source(), form_slots(), allowlist()
    prefixes = set(re.findall(r'f"(utter_\w+?)\{', source))
    found = []
    for line in output.splitlines():
        if "UserWarning" not in line and "WARNING" not in line:
            continue
        match = UNUSED.search(line)
        if match:
            name = match.group(1)
            if (
                f'"{name}"' in source
                or name.removeprefix("utter_ask_") in slots
                or any(name.startswith(prefix) for prefix in prefixes)
            ):
                continue
        if any(pattern in line for pattern in allowed):
            continue
        found.append(line.strip())
    return found


if __name__ == "__main__":
    problems = unexplained(sys.stdin.read())
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)
