"""The legacy Vietnamese font encodings TCVN3 (ABC, ".VnTime") and VNI (VNI-Times), found by evidence and
converted to Unicode.

Before Unicode, Vietnamese offices typed in 8-bit *font* encodings: the bytes are Windows-1252 characters
("Ph¸t triÓn", "Phaùt trieån") that only look Vietnamese when shown in the matching font. Such text
arrives as plain-text files, inside UTF-8 files whose converter kept the fonts' code points, and in old
documents saved as web pages; every later stage assumes Unicode, so the readers of text and HTML convert
it here. Whether a text is legacy-encoded, and in which encoding, is decided from the text itself: the
sequences each encoding produces that real Unicode Vietnamese never contains.

TCVN3 cannot write capital letters with a tone mark (typists used a capitals font), so after conversion
the capitals are restored from context (:func:`_restore_capitals`).

The character tables are data (``pipeline/rules/data/legacy_*.json``), not code, so they can be checked
against published tables without reading Python.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from pipeline.ingest.vietnamese import LATIN1_VIETNAMESE, VIETNAMESE_ONLY, WORD, count_stray_latin1

__all__ = [
    "MAX_LEGACY_LEFTOVER",
    "MIN_LEGACY_EVIDENCE",
    "MIN_LEGACY_SHARE",
    "LegacyConversion",
    "LegacyEncoding",
    "convert_legacy",
    "legacy_conversion",
    "legacy_encodings",
]

#: A legacy encoding is only considered when at least this many of its tell-tale characters occur ...
MIN_LEGACY_EVIDENCE = 3
#: ... and at least this many per letter, so that a few ©, «, § or soft hyphens in real Unicode text
#: never set off a conversion. Legacy Vietnamese text has roughly one per five letters.
MIN_LEGACY_SHARE = 0.01
#: A real legacy text converts cleanly; if the conversion leaves more stray Latin-1 symbols than this share
#: of the evidence (as UTF-8 mojibake "Káº¿ hoáº¡ch" does: º and ¿ are no TCVN3 codes), it is refused.
MAX_LEGACY_LEFTOVER = 0.2

_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True)
class LegacyEncoding:
    """One legacy Vietnamese font encoding, loaded from its table in ``pipeline/rules/data``.

    ``table`` maps legacy sequences (the Windows-1252 characters of the font's bytes) to Unicode, aliases
    included; ``encode_table`` is the inverse of the canonical entries only. ``evidence`` matches the
    sequences of this encoding that real Unicode Vietnamese never has, and ``distinctive`` the part of
    them that the other legacy encodings never produce either: the first says whether a text is legacy,
    the second which legacy encoding it is. ``ambiguous`` holds the lower-case letters whose capitals the
    encoding cannot write (TCVN3's toned vowels), and ``soft`` adds the hatted letters a capitals-only
    font may show lower-case: both drive the restoration of capitals from context.
    """

    name: str
    code: str
    table: dict[str, str]
    encode_table: dict[str, str]
    evidence: re.Pattern[str]
    distinctive: re.Pattern[str] = _NEVER
    ambiguous: frozenset[str] = frozenset()
    soft: frozenset[str] = frozenset()
    ambiguous_re: re.Pattern[str] = _NEVER
    soft_re: re.Pattern[str] = _NEVER
    sentence_start_re: re.Pattern[str] = _NEVER
    _convert: Callable[[str], str] = field(default=str, repr=False, compare=False)

    def convert(self, text: str) -> str:
        """Replace every legacy sequence in ``text`` by its Unicode letter, longest sequence first."""
        return self._convert(text)

    def encode(self, text: str) -> str:
        """The inverse conversion, for tests and fixtures: Unicode letters to legacy sequences.

        Capitals the encoding cannot write are given their lower-case code, as a capitals font would.
        """
        out = []
        for ch in unicodedata.normalize("NFC", text):
            code = self.encode_table.get(ch)
            if code is None and ch.lower() in self.encode_table and ch.lower() != ch:
                code = self.encode_table[ch.lower()]
            out.append(code if code is not None else ch)
        return "".join(out)


def _alternation(keys: list[str] | dict[str, str]) -> str:
    """A regex matching any of ``keys``, longest first, written so that the regex engine stays fast.

    A plain alternation of a few hundred two-character keys makes the engine try each in turn at every
    position; grouping them by first character ("a[ùøûõï]|e[...]") and folding single characters into
    one class gives the same matches in a fraction of the time.
    """
    longer = sorted((k for k in keys if len(k) > 2), key=len, reverse=True)
    pairs: dict[str, list[str]] = {}
    for key in keys:
        if len(key) == 2:
            pairs.setdefault(key[0], []).append(key[1])
    singles = sorted(k for k in keys if len(k) == 1)
    parts = [re.escape(k) for k in longer]
    parts += [re.escape(first) + "[" + re.escape("".join(sorted(rest))) + "]" for first, rest in pairs.items()]
    if singles:
        parts.append("[" + re.escape("".join(singles)) + "]")
    return "|".join(parts) or "(?!)"


def _char_class(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]") if chars else _NEVER


def _load_table(filename: str) -> LegacyEncoding:
    resource = resources.files("pipeline.rules") / "data" / filename
    data = json.loads(resource.read_text(encoding="utf-8"))
    canonical: dict[str, str] = data["map"]
    table = {**data.get("aliases", {}), **canonical}
    targets = set(canonical.values())
    ambiguous = frozenset(ch for ch in targets if ch.islower() and ch.upper() not in targets)
    soft = frozenset(ch for ch in targets if ch.islower()) if ambiguous else frozenset()
    if all(len(key) == 1 for key in table):
        trans = str.maketrans(table)

        def convert(text: str) -> str:
            return text.translate(trans)

    else:
        pattern = re.compile(_alternation(table))

        def convert(text: str) -> str:
            return pattern.sub(lambda m: table[m.group()], text)

    return LegacyEncoding(
        name=data["name"],
        code=data["code"],
        table=table,
        encode_table={uni: seq for seq, uni in canonical.items()},
        evidence=_NEVER,
        ambiguous=ambiguous,
        soft=soft,
        ambiguous_re=_char_class(ambiguous),
        soft_re=_char_class(soft),
        sentence_start_re=(
            re.compile(r"(^[ \t]*(?:[-+*•–][ \t]*)?|[.!?][ \t]+)([" + "".join(sorted(ambiguous)) + "])")
            if ambiguous
            else _NEVER
        ),
        _convert=convert,
    )


@lru_cache(maxsize=1)
def legacy_encodings() -> tuple[LegacyEncoding, ...]:
    """The legacy encodings the reader recognises, TCVN3 (ABC) and VNI Windows, with their evidence.

    A sequence is evidence for an encoding if real Unicode Vietnamese cannot contain it: it must not end
    in a letter Vietnamese Unicode also has (VNI's "oà" for ồ occurs in a genuine "toàn", TCVN3's "è" for
    ố in "chè"). It is distinctive if, besides, a single character does not appear in the other tables
    (VNI's ñ for đ is TCVN3's ủ; VNI's modifier ø is TCVN3's ứ) and a pair is not a key of theirs. What is
    distinctive is TCVN3's 0xA1-0xBE glyphs (¸ µ ¶ · ¹ © ª « ¬ ® ...) and VNI's vowel + ø û ï å ä ü ë.
    """
    loaded = [_load_table("legacy_tcvn3.json"), _load_table("legacy_vni.json")]
    result = []
    for enc in loaded:
        other_keys = {key for other in loaded if other is not enc for key in other.table}
        other_chars = {ch for key in other_keys for ch in key}
        telling = [key for key in enc.table if _telling(key)]
        distinctive = [
            key for key in telling if (key not in other_chars if len(key) == 1 else key not in other_keys)
        ]
        result.append(
            replace(
                enc, evidence=re.compile(_alternation(telling)), distinctive=re.compile(_alternation(distinctive))
            )
        )
    return tuple(result)


@dataclass
class LegacyConversion:
    """What :func:`legacy_conversion` did: the text (converted, or as given when ``encoding`` is None), how
    many of its lines were converted, and how many capitals were restored from context."""

    text: str
    encoding: LegacyEncoding | None = None
    lines_converted: int = 0
    lines_total: int = 0
    capitals_restored: int = 0

    def notes(self) -> list[str]:
        """What a user may need to know about the conversion, for :attr:`RawDocument.notes`."""
        if self.encoding is None:
            return []
        notes = [f"converted from {self.encoding.name} to Unicode"]
        if self.lines_converted < self.lines_total and self.lines_total > 1:
            notes[0] += f" ({self.lines_converted} of {self.lines_total} lines; the rest were already Unicode)"
        if self.capitals_restored:
            notes.append(
                f"restored {self.capitals_restored} capital letter(s) with tone marks from context "
                f"({self.encoding.name} has no codes for them)"
            )
        return notes


def convert_legacy(text: str) -> tuple[str, str | None]:
    """Convert text written in a legacy font encoding (TCVN3, VNI) to Unicode.

    Returns the converted text and the encoding's name, or ``text`` unchanged and ``None`` when the
    evidence does not show a legacy encoding. The text may be the single-byte file read as Windows-1252
    or Unicode text that kept the font's code points; both look the same here.
    """
    result = legacy_conversion(text)
    return result.text, (result.encoding.name if result.encoding else None)


def legacy_conversion(text: str) -> LegacyConversion:
    """Decide by evidence whether and how ``text`` is legacy-encoded, then convert it line by line.

    The encoding with the most distinctive sequences (TCVN3's ¸ µ ¶ · ¹ © ª « ¬ ®, VNI's vowel + ø û ï
    å ä ...) is the candidate; its evidence is then weighed against the letters only real Unicode
    Vietnamese has (ư, ơ, đ, ạ ...). Deciding per line as well keeps a file that mixes converted and
    unconverted paragraphs right, and leaves a Unicode paragraph with a stray © alone.
    """
    if _too_little_evidence(text):
        return LegacyConversion(text)
    scores = [
        (len(enc.distinctive.findall(text)), len(enc.evidence.findall(text)), enc) for enc in legacy_encodings()
    ]
    _, total_evidence, enc = max(scores, key=lambda score: score[:2])
    if total_evidence < MIN_LEGACY_EVIDENCE:
        return LegacyConversion(text)
    if total_evidence < MIN_LEGACY_SHARE * sum(map(len, WORD.findall(text))):
        return LegacyConversion(text)

    lines = text.split("\n")
    unicode_total = len(VIETNAMESE_ONLY.findall(text))
    if unicode_total == 0:
        convert_flags = [True] * len(lines)
        winning = total_evidence
    else:
        line_evidence = [len(enc.evidence.findall(line)) for line in lines]
        line_unicode = [len(VIETNAMESE_ONLY.findall(line)) for line in lines]
        winning = sum(e for e, u in zip(line_evidence, line_unicode, strict=True) if e > u)
        mostly_legacy = winning > unicode_total
        convert_flags = [
            e > u or (e == u == 0 and mostly_legacy) for e, u in zip(line_evidence, line_unicode, strict=True)
        ]
    if winning < MIN_LEGACY_EVIDENCE:
        return LegacyConversion(text)

    out = [enc.convert(line) if flag else line for line, flag in zip(lines, convert_flags, strict=True)]
    leftover = sum(count_stray_latin1(line) for line, flag in zip(out, convert_flags, strict=True) if flag)
    if leftover > MAX_LEGACY_LEFTOVER * winning:
        return LegacyConversion(text)
    restored = _restore_capitals(out, convert_flags, enc) if enc.ambiguous else 0
    converted = "\n".join(out)
    if not unicodedata.is_normalized("NFC", converted):
        converted = unicodedata.normalize("NFC", converted)
    return LegacyConversion(converted, enc, sum(convert_flags), len(lines), restored)


@lru_cache(maxsize=1)
def _evidence_ends() -> tuple[str, ...]:
    """The characters that end an evidence sequence of some legacy encoding (TCVN3's ¸ µ ¶ ..., VNI's ø û
    ï ...): Latin-1 symbols and letters that Vietnamese does not use."""
    ends = {key[-1] for enc in legacy_encodings() for key in enc.table if _telling(key)}
    return tuple(sorted(ends))


def _telling(key: str) -> bool:
    """Whether a legacy sequence is evidence: real Unicode Vietnamese cannot contain it (see
    :func:`legacy_encodings`)."""
    return not key.isascii() and key[-1] not in LATIN1_VIETNAMESE


def _too_little_evidence(text: str) -> bool:
    """Whether ``text`` surely has fewer than MIN_LEGACY_EVIDENCE evidence sequences of every encoding.

    Every evidence sequence ends in one of :func:`_evidence_ends`, and the sequences an encoding's pattern
    finds do not overlap, so there are no more of them than there are of those characters; ``str.count``
    counts those in a fraction of the time the patterns take to find nothing in ordinary Unicode text.
    """
    found = 0
    for char in _evidence_ends():
        if char in text:
            found += text.count(char)
            if found >= MIN_LEGACY_EVIDENCE:
                return False
    return True


_CAPS, _TITLE, _BARE, _KEEP = "caps", "title", "bare", "keep"
_GAP_RE = re.compile(r"[ \t]+")
#: Words without a plain lower-case letter: the only ones whose case the context can change.
_UNCASED_WORD_RE = re.compile(r"\b[^\W\d_a-z]+\b")


def _restore_capitals(lines: list[str], converted: list[bool], enc: LegacyEncoding) -> int:
    """Give back the capitals that TCVN3 cannot write, judging from the words around them.

    TCVN3 has no codes for capital letters with a tone mark: typists used the lower-case code in a
    capitals font (.VnTimeH), and the font is lost in plain text, so "KẾ HOẠCH" arrives as "Kế HOạCH".
    A word whose other letters are capitals (HOạCH, THôNG, ĐảNG) is a capitals word; a word that is one
    capital plus ambiguous letters ("Kế") or only ambiguous letters ("ở") joins a capitals word it stands
    next to, or sits between two plain capitals words ("QUAN Và DOANH"); and an ambiguous first letter at
    the start of a paragraph or sentence ("ủy ban") is a capital. Words with a plain lower-case letter
    keep their case, so a capital inside a sentence ("của Ủy ban") cannot be told and stays lower-case.
    Changes ``lines`` in place and returns how many letters it changed.
    """
    changed = 0
    for index, line in enumerate(lines):
        if not converted[index] or not enc.ambiguous_re.search(line):
            continue
        new_line, count = _restore_capital_words(line, enc)
        new_line, count_first = _restore_sentence_starts(new_line, lines[index - 1] if index else None, enc)
        if count or count_first:
            lines[index] = new_line
            changed += count + count_first
    return changed


def _restore_capital_words(line: str, enc: LegacyEncoding) -> tuple[str, int]:
    words = list(_UNCASED_WORD_RE.finditer(line))
    if not words:
        return line, 0
    kinds = [_word_kind(m.group(), enc) for m in words]
    upper = [kind == _CAPS for kind in kinds]
    # Plain capitals words ("QUAN", "UBND") carry less weight than capitals words with Vietnamese
    # letters: one of them next to "Bộ" proves nothing ("Bộ GTVT"), one on each side does.
    plain_caps = [
        kind == _KEEP and len(m.group()) >= 2 and m.group().isupper() for m, kind in zip(words, kinds, strict=True)
    ]
    progress = True
    while progress:
        progress = False
        for i, kind in enumerate(kinds):
            if upper[i] or kind not in (_TITLE, _BARE):
                continue
            beside = [j for j in (i - 1, i + 1) if 0 <= j < len(words) and _spaced(line, words, i, j)]
            if any(upper[j] and len(words[j].group()) >= 2 for j in beside) or (
                len(beside) == 2 and all(upper[j] or plain_caps[j] for j in beside)
            ):
                upper[i] = progress = True
    pieces: list[str] = []
    last = changed = 0
    for match, is_upper in zip(words, upper, strict=True):
        word = match.group()
        new = word.upper() if is_upper else word
        if new != word:
            changed += sum(a != b for a, b in zip(word, new, strict=False))
            pieces += [line[last : match.start()], new]
            last = match.end()
    return ("".join(pieces) + line[last:], changed) if pieces else (line, 0)


def _restore_sentence_starts(line: str, previous: str | None, enc: LegacyEncoding) -> tuple[str, int]:
    """Capitalise an ambiguous letter that opens a sentence, or a line that opens a paragraph.

    A line opens a paragraph when it is the first, or the line before it is blank or ends a sentence or
    clause (. ! ? : ;); a line that merely continues a wrapped sentence keeps its lower-case letter.
    """
    changed = 0

    def capitalise(match: re.Match[str]) -> str:
        nonlocal changed
        if match.start() == 0 and previous is not None and not match.group(1).rstrip().endswith((".", "!", "?")):
            tail = previous.rstrip()
            if tail and tail[-1] not in ".!?:;":
                return match.group()
        changed += 1
        return match.group(1) + match.group(2).upper()

    return enc.sentence_start_re.sub(capitalise, line), changed


def _spaced(line: str, words: list[re.Match[str]], i: int, j: int) -> bool:
    """Whether words ``i`` and ``j`` of ``line`` are separated by nothing but spaces or tabs."""
    left, right = (words[j], words[i]) if j < i else (words[i], words[j])
    return _GAP_RE.fullmatch(line, left.end(), right.start()) is not None


def _word_kind(word: str, enc: LegacyEncoding) -> str:
    if not enc.soft_re.search(word):
        return _KEEP
    capitals = sum(ch.isupper() for ch in word)
    if capitals >= 2 or (capitals == 1 and not word[0].isupper()):
        return _CAPS
    return _TITLE if capitals == 1 else _BARE
