"""Is this text Vietnamese? The letters only Vietnamese uses, and a cheap test that keeps foreign documents
out of the tables.

Vietnamese writes tones and vowel qualities as diacritics, and some of its letters (ă, đ, ơ, ư, ạ, ế ...)
no other major Latin-script language has; a handful of syllables ("của", "các", "được", "trong") carry a
large share of any running text. A text with plenty of words but almost none with either is not a
Vietnamese plan, whatever its extension says: it is reported instead of being mined for nonsense.

The letters Vietnamese shares with Latin-1 (à, é, ô ...) prove nothing: French and Portuguese have them,
and so do the glyphs of the legacy font encodings (:mod:`pipeline.ingest.legacy_fonts`), which is why the
readers that tell encodings apart also use the sets defined here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from pipeline.model import PipelineError

__all__ = [
    "LANGUAGE_SAMPLE_CHARS",
    "LATIN1_VIETNAMESE",
    "MIN_LETTERS_FOR_LANGUAGE_CHECK",
    "MIN_VIETNAMESE_WORD_SHARE",
    "VIETNAMESE_ONLY",
    "WORD",
    "check_vietnamese",
    "common_syllables",
    "count_stray_latin1",
    "count_vietnamese_only",
]

#: Below this many letters a text is too short to judge its language, so it is let through.
MIN_LETTERS_FOR_LANGUAGE_CHECK = 100
#: Share of words that must be visibly Vietnamese (a letter only Vietnamese uses, such as ư, ơ, đ, ạ, or a
#: very common syllable such as "của", "các", "và") for a text to count as Vietnamese. Vietnamese prose
#: scores 0.4-0.7 and even text typed without diacritics scores well above this; English or French
#: scores about 0.
MIN_VIETNAMESE_WORD_SHARE = 0.05
#: The language check reads only this many characters, so that it stays cheap on very large files.
LANGUAGE_SAMPLE_CHARS = 50_000

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_HAT_MARKS = {"\u0302": "aeo", "\u0306": "a", "\u031b": "ou"}  # circumflex, breve, horn


def _vietnamese_letters() -> frozenset[str]:
    """All precomposed letters of the Vietnamese alphabet that are not plain ASCII (both cases)."""
    letters = {"đ", "Đ"}
    for base in "aeiouy":
        hats = [""] + [hat for hat, bases in _HAT_MARKS.items() if base in bases]
        for hat in hats:
            for tone in ["", *_TONE_MARKS]:
                if not hat and not tone:
                    continue
                for cased in (base, base.upper()):
                    letters.add(unicodedata.normalize("NFC", cased + hat + tone))
    return frozenset(letters)


_VIETNAMESE_LETTERS = _vietnamese_letters()
#: Vietnamese letters that Latin-1 also has (à, é, ô ...): shared with French, Portuguese and the legacy
#: fonts' glyphs, so they are no evidence of anything by themselves.
LATIN1_VIETNAMESE = frozenset(ch for ch in _VIETNAMESE_LETTERS if ord(ch) <= 0xFF)
#: Letters only Vietnamese uses (ă, đ, ơ, ư, ạ, ế ...) and Windows-1258's combining tone and hat marks: real
#: Unicode Vietnamese is full of them; legacy-font text, read as Windows-1252, never has them.
VIETNAMESE_ONLY = re.compile(
    "["
    + "".join(sorted(ch for ch in _VIETNAMESE_LETTERS if ord(ch) > 0xFF))
    + _TONE_MARKS
    + "".join(_HAT_MARKS)
    + "]"
)
#: A word: a run of letters.
WORD = re.compile(r"[^\W\d_]+")
#: Latin-1 symbols and C1 controls: what a wrong single-byte decoding leaves behind. The no-break space is
#: left out, as real text of any encoding has it.
_STRAY_LATIN1 = re.compile(
    "[" + "".join(chr(c) for c in range(0x80, 0x100) if chr(c) not in LATIN1_VIETNAMESE and c != 0xA0) + "]"
)


def count_vietnamese_only(text: str) -> int:
    """How many characters of ``text`` are letters (or combining marks) only Vietnamese uses."""
    return len(VIETNAMESE_ONLY.findall(text))


def count_stray_latin1(text: str) -> int:
    """How many characters of ``text`` are Latin-1 symbols or C1 controls rather than Vietnamese letters."""
    return len(_STRAY_LATIN1.findall(text))


@lru_cache(maxsize=1)
def common_syllables() -> frozenset[str]:
    """The very common syllables of ``pipeline/rules/data/vietnamese_syllables.json``, lower case."""
    resource = resources.files("pipeline.rules") / "data" / "vietnamese_syllables.json"
    data = json.loads(resource.read_text(encoding="utf-8"))
    unknown = set(data) - {"note", "syllables"}
    if unknown:
        raise ValueError(f"vietnamese_syllables.json: unknown keys {sorted(unknown)}; allowed: note, syllables")
    return frozenset(s.lower() for s in data["syllables"])


def check_vietnamese(text: str, name: str = "", stage: str = "normalize") -> None:
    """Raise PipelineError("not_vietnamese") when ``text`` has plenty of letters but nothing Vietnamese.

    Cheap on purpose: one split into words of the first LANGUAGE_SAMPLE_CHARS characters, counting the
    words with a letter only Vietnamese uses and the very common Vietnamese syllables. ``name`` (the file
    name, if known) opens the message; ``stage`` is the pipeline stage reported with the error.
    """
    sample = text[:LANGUAGE_SAMPLE_CHARS].lower()
    if len(sample) >= _SETTLE_MIN_CHARS and _settled_by_first_half(sample):
        return
    words = WORD.findall(sample)
    if sum(map(len, words)) < MIN_LETTERS_FOR_LANGUAGE_CHECK:
        return
    common = common_syllables()
    needed = MIN_VIETNAMESE_WORD_SHARE * len(words)
    # The common syllables alone settle a Vietnamese text (counted without a Python step per word); the
    # rarer letters are counted only for the words they could still add.
    vietnamese = sum(map(common.__contains__, words))
    if vietnamese >= needed:
        return
    vietnamese += sum(
        1 for word in words if word not in common and not word.isascii() and VIETNAMESE_ONLY.search(word)
    )
    if vietnamese < needed:
        raise PipelineError(
            "not_vietnamese",
            f"{name + ': ' if name else ''}has {len(words)} words of text but it is not Vietnamese "
            f"(only {vietnamese} show Vietnamese letters or common Vietnamese syllables); is this the right file?",
            stage=stage,
        )


#: Texts at least this long are first judged on their first half (:func:`_settled_by_first_half`).
_SETTLE_MIN_CHARS = 2000


def _settled_by_first_half(sample: str) -> bool:
    """Whether the first half of ``sample`` alone proves that :func:`check_vietnamese` lets it through.

    Splitting the whole sample into words is most of the check's cost, and a Vietnamese plan settles it
    long before its end. The common syllables among the first half's complete words (all but its last,
    which the cut may have truncated) are words of the whole sample, and the whole sample has at most the
    first half's words plus one word for every two characters of the second half (words are separated by
    at least one character): when those syllables already reach the needed share of that many words, they
    reach it of the real count. Enough letters in the first half are enough letters in the whole. So True
    here means the full count would not raise either; False decides nothing.
    """
    head = sample[: len(sample) // 2]
    words = WORD.findall(head)
    if sum(map(len, words)) < MIN_LETTERS_FOR_LANGUAGE_CHECK:
        return False
    most_words = len(words) + (len(sample) - len(head) + 1) // 2
    return sum(map(common_syllables().__contains__, words[:-1])) >= MIN_VIETNAMESE_WORD_SHARE * most_words
