"""Robustness variants of held-out messages: spaces removed, one typo (stdlib only).

A typo in Korean is one jamo edit inside one Hangul syllable (initial consonant, vowel, or
final consonant replaced, added or dropped), preferring a neighbouring key of the standard
two-set (두벌식) keyboard, then recomposed into a valid syllable. Elsewhere it is one letter
replaced by a neighbouring QWERTY key. The random choices are seeded per sentence, so a
variant depends only on the seed and the sentence.
"""

from __future__ import annotations

import random
import re

SYLLABLE_FIRST = 0xAC00
SYLLABLE_LAST = 0xD7A3
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
# Index 0 is "no final consonant".
FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")

# Two-set Korean keyboard and QWERTY, row by row (same key positions).
_KOREAN_ROWS = ("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ")
_LATIN_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_SPACES = re.compile(r"\s+")


def is_syllable(char: str) -> bool:
    return len(char) == 1 and SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST


def decompose(char: str) -> tuple[int, int, int]:
    """(initial, vowel, final) indexes of one precomposed Hangul syllable."""
    if not is_syllable(char):
        raise ValueError(f"not a Hangul syllable: {char!r}")
    code = ord(char) - SYLLABLE_FIRST
    return code // (21 * 28), (code // 28) % 21, code % 28


def compose(initial: int, vowel: int, final: int = 0) -> str:
    if not (0 <= initial < 19 and 0 <= vowel < 21 and 0 <= final < 28):
        raise ValueError(f"no such syllable: {(initial, vowel, final)}")
    return chr(SYLLABLE_FIRST + (initial * 21 + vowel) * 28 + final)


def to_jamo(text: str) -> str:
    """Hangul syllables spelled out as compatibility jamo; everything else kept."""
    out = []
    for char in text:
        if is_syllable(char):
            initial, vowel, final = decompose(char)
            out.append(INITIALS[initial] + VOWELS[vowel] + FINALS[final])
        else:
            out.append(char)
    return "".join(out)


def _neighbours(rows: tuple[str, ...]) -> dict[str, str]:
    position = {key: (r, c) for r, row in enumerate(rows) for c, key in enumerate(row)}
    found: dict[str, str] = {}
    for key, (r, c) in position.items():
        # Each row sits half a key right of the one above it.
        near = [
            other
            for other, (r2, c2) in position.items()
            if other != key
            and (
                (r2 == r and abs(c2 - c) == 1)
                or (r2 == r + 1 and c2 - c in (-1, 0))
                or (r2 == r - 1 and c2 - c in (0, 1))
            )
        ]
        found[key] = "".join(near)
    return found


KOREAN_NEIGHBOURS = _neighbours(_KOREAN_ROWS)
LATIN_NEIGHBOURS = _neighbours(_LATIN_ROWS)


def remove_spaces(text: str) -> str:
    """The message as typed without any spaces."""
    return _SPACES.sub("", text)


def _pick(rng: random.Random, current: str, alphabet: str | tuple[str, ...]) -> str:
    """A keyboard neighbour of ``current`` that the slot allows, else any other allowed one."""
    allowed = [jamo for jamo in alphabet if jamo and jamo != current]
    near = [jamo for jamo in KOREAN_NEIGHBOURS.get(current, "") if jamo in allowed]
    return rng.choice(near or allowed)


def _korean_typo(char: str, rng: random.Random) -> str:
    initial, vowel, final = decompose(char)
    slot = rng.choices(("initial", "vowel", "final"), weights=(3, 4, 3))[0]
    if slot == "initial":
        initial = INITIALS.index(_pick(rng, INITIALS[initial], INITIALS))
    elif slot == "vowel":
        vowel = VOWELS.index(_pick(rng, VOWELS[vowel], VOWELS))
    elif final and rng.random() < 0.5:
        final = 0  # the final consonant dropped
    else:
        final = FINALS.index(_pick(rng, FINALS[final], FINALS))
    return compose(initial, vowel, final)


def _latin_typo(char: str, rng: random.Random) -> str:
    lower = char.lower()
    replacement = rng.choice(LATIN_NEIGHBOURS[lower])
    return replacement.upper() if char.isupper() else replacement


def typo_variant(text: str, seed: int = 2026) -> str:
    """``text`` with exactly one edit (see the module docstring); unchanged if nothing fits."""
    rng = random.Random(f"typo:{seed}:{text}")
    syllables = [i for i, char in enumerate(text) if is_syllable(char)]
    if syllables:
        i = rng.choice(syllables)
        return text[:i] + _korean_typo(text[i], rng) + text[i + 1 :]
    letters = [i for i, char in enumerate(text) if char.lower() in LATIN_NEIGHBOURS]
    if letters:
        i = rng.choice(letters)
        return text[:i] + _latin_typo(text[i], rng) + text[i + 1 :]
    return text
