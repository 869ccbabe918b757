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
_LETTER = re.compile(r"[^\W\d_]")
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
    if _passes_by_counts(text[:LANGUAGE_SAMPLE_CHARS]):
        return
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


class _CharTables:
    """Tables for :func:`_passes_by_counts`: the class of each character of the Basic Multilingual Plane
    (0 not a letter to :data:`WORD`, 1 a letter, 2 a letter only Vietnamese uses), and the very common
    syllables of up to four letters, each packed into one integer (16 bits a letter) and sorted, one array
    per length."""

    def __init__(self) -> None:
        import numpy as np

        bmp = "".join(map(chr, range(0x10000)))
        self.classes = np.zeros(0x10000, dtype=np.uint8)
        self.classes[[m.start() for m in _LETTER.finditer(bmp)]] = 1
        vietnamese = [m.start() for m in VIETNAMESE_ONLY.finditer(bmp)]
        self.classes[vietnamese] *= 2  # the combining marks among them are no letters and stay 0
        self.syllables = {}
        for length in range(1, 5):
            packed = sorted(
                _pack(s) for s in common_syllables() if len(s) == length and max(map(ord, s)) < 0x10000
            )
            if packed:
                self.syllables[length] = np.array(packed, dtype=np.uint64)


def _pack(syllable: str) -> int:
    value = 0
    for ch in syllable:
        value = value << 16 | ord(ch)
    return value


@lru_cache(maxsize=1)
def _char_tables() -> _CharTables | None:
    try:
        return _CharTables()
    except ImportError:  # numpy comes with pandas; without it the plain count does the work
        return None


def _passes_by_counts(sample: str) -> bool:
    """Whether :func:`check_vietnamese` surely lets ``sample`` (its first LANGUAGE_SAMPLE_CHARS characters,
    not yet lower-cased) through, counted without a list of words: a tenth of the time.

    Each character's class (not a letter, a letter, a letter only Vietnamese uses) comes from a table
    indexed by its code. A word (a run of letters, as :data:`WORD` finds it) starts wherever a letter
    follows a non-letter, and letters only Vietnamese uses are in one word unless a non-letter comes
    between them: array operations count the words, the letters and the words with such a letter exactly.
    Should those words fall short, the very common syllables among the other words are added, those of up
    to four letters looked up packed into one integer: a lower bound (longer ones and capitalised ones are
    not counted). Lower-casing, which the check does first, changes neither the runs nor these letters,
    except for "İ" (two characters in lower case): a sample holding it, or a character beyond the Basic
    Multilingual Plane, is left to the plain count. True means the plain count passes the text; False
    decides nothing.
    """
    tables = _char_tables()
    if tables is None or "İ" in sample or not sample:
        return False
    import numpy as np

    codes = np.frombuffer(sample.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    if len(codes) != len(sample):
        return False
    classes = tables.classes.take(codes)
    letter = classes != 0
    if int(np.count_nonzero(letter)) < MIN_LETTERS_FOR_LANGUAGE_CHECK:
        return True
    words = int(np.count_nonzero(letter[1:] > letter[:-1])) + int(letter[0])
    needed = MIN_VIETNAMESE_WORD_SHARE * words
    # Words with a letter only Vietnamese uses: with the other letters left out, such letters stand
    # together when they are in one word, and a non-letter stands between two words.
    kept = classes[classes != 1]
    shown = int(np.count_nonzero(kept[1:] > kept[:-1])) + int(kept[0] == 2) if len(kept) else 0
    if shown >= needed:
        return True
    # the common syllables among the other words (a common one with such a letter is counted already)
    starts = np.flatnonzero(letter[1:] > letter[:-1]) + 1
    ends = np.flatnonzero(letter[:-1] > letter[1:]) + 1
    if letter[0]:
        starts = np.concatenate(([0], starts))
    if letter[-1]:
        ends = np.concatenate((ends, [len(codes)]))
    with_letters = np.add.reduceat(classes == 2, starts, dtype=np.int32) > 0
    lengths = np.where(with_letters, 0, ends - starts)
    wide = codes.astype(np.uint64)
    for length, packed in tables.syllables.items():
        at = starts[lengths == length]
        if not len(at):
            continue
        value = wide[at]
        for i in range(1, length):
            value = value << np.uint64(16) | wide[at + i]
        found = np.minimum(np.searchsorted(packed, value), len(packed) - 1)
        shown += int(np.count_nonzero(packed[found] == value))
    return shown >= needed
