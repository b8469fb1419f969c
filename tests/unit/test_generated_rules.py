from pathlib import Path

from tools.generate_form_rules import TARGET, render


def test_form_rules_yaml_is_up_to_date() -> None:
    assert Path(TARGET).read_text(encoding="utf-8") == render(), (
        "bot/data/rules/forms.yml is stale: run python tools/generate_form_rules.py"
    )
