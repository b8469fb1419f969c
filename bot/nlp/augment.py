"""Noisy copies of training messages: how customers really type on a phone.

Used at training time only (bot.components.training_augmenter). Two kinds of noise:
Korean written without spaces, and one random edit inside one word. The edit is uniform
over the jamo of one Hangul syllable (or over letters for Latin text); it deliberately
does not model any particular keyboard, so evaluations that do (evaluation.variants)
still measure generalisation rather than recall of the same noise. Stdlib only and
seeded by the text, so a training run is reproducible.
"""

from __future__ import annotations

import random
import re
import string

_FIRST = 0xAC00
_LAST = 0xD7A3
_N_INITIALS, _N_VOWELS, _N_FINALS = 19, 21, 28
_SPACES = re.compile(r"\s+")
_LETTERS = string.ascii_lowercase


def _is_syllable(char: str) -> bool:
    return _FIRST <= ord(char) <= _LAST


def without_spaces(text: str) -> str:
    return _SPACES.sub("", text)


def _syllable_edit(char: str, rng: random.Random) -> str:
    code = ord(char) - _FIRST
    initial, vowel, final = code // (21 * 28), (code // 28) % 21, code % 28
    slot = rng.randrange(3)
    if slot == 0:
        initial = rng.choice([i for i in range(_N_INITIALS) if i != initial])
    elif slot == 1:
        vowel = rng.choice([v for v in range(_N_VOWELS) if v != vowel])
    else:
        final = rng.choice([f for f in range(_N_FINALS) if f != final])
    return chr(_FIRST + (initial * 21 + vowel) * 28 + final)


def _letter_edit(text: str, i: int, rng: random.Random) -> str:
    operation = rng.randrange(3)
    if operation == 0:  # replaced
        letter = rng.choice([c for c in _LETTERS if c != text[i].lower()])
        return text[:i] + letter + text[i + 1 :]
    if operation == 1 and len(text) > 1:  # dropped
        return text[:i] + text[i + 1 :]
    if i + 1 < len(text) and text[i + 1].isalpha():  # swapped with the next letter
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i] + text[i:]  # doubled


def one_edit(text: str, rng: random.Random) -> str:
    """``text`` with one edit in a Hangul syllable, else in a Latin letter of a long word."""
    syllables = [i for i, char in enumerate(text) if _is_syllable(char)]
    if syllables:
        i = rng.choice(syllables)
        return text[:i] + _syllable_edit(text[i], rng) + text[i + 1 :]
    # Letters of words of 3+ letters: editing "a" or "is" makes another word, not a typo.
    letters = [
        m.start() + k
        for m in re.finditer(r"[A-Za-z]{3,}", text)
        for k in range(m.end() - m.start())
    ]
    if not letters:
        return text
    return _letter_edit(text, rng.choice(letters), rng)


def noisy_variants(text: str, seed: int = 0) -> list[str]:
    """Distinct noisy copies of ``text`` (never ``text`` itself): no spaces and one edit.

    Korean text gets both, English text only the edit; ids and numbers stay as they are.
    """
    rng = random.Random(f"augment:{seed}:{text}")
    found: list[str] = []
    if any(_is_syllable(char) for char in text):
        squeezed = without_spaces(text)
        if squeezed != text:
            found.append(squeezed)
    edited = one_edit(text, rng)
    if edited != text and edited not in found:
        found.append(edited)
    return found
