"""Whether a message asks something, or states it."""

from __future__ import annotations

import re

_KO_QUESTION_END = re.compile(
    r"(?:나요|까요|을까|ㄹ까|는지|인가요|건가요|되나|오르나)[\s.~!ㅠㅜ]*$"
)
_KO_QUESTION_WORD = re.compile(
    r"^(?:혹시|근데|그런데|그럼)?\s*(?:어떻게|언제|왜|뭐|무엇|얼마|어디|누가|몇)"
)
_EN_QUESTION_START = re.compile(
    r"^\s*(?:so |and |but |also |btw,? )?(?:what|how|when|where|why|who|which|can|could|do|does|"
    r"did|is|are|will|would|should|am|may)\b",
    re.IGNORECASE,
)


def is_question(text: str) -> bool:
    """ "보험료 오르나요?" / "how do I pay" are questions; "전부 돌려받고 싶어요" is not.

    Korean statements and questions can share endings (있어요), so a Korean message counts
    as a question only with a question mark, a question ending on a known verb form, or a
    question word at its start.
    """
    text = text.strip()
    if "?" in text or "？" in text:
        return True
    if _EN_QUESTION_START.search(text):
        return True
    return bool(_KO_QUESTION_WORD.search(text) or _KO_QUESTION_END.search(text))
