"""Plain-text reader: turn the bytes of a text file into composed Unicode Vietnamese.

Vietnamese offices save plain text in many ways: UTF-8 with or without a BOM, UTF-16 from Notepad's
"Unicode", Windows-1258 (which writes tone marks as separate combining characters), and, in older files,
the 8-bit *font* encodings TCVN3 (ABC, ".VnTime") and VNI (VNI-Times), whose bytes only look Vietnamese
when shown in the matching font. The legacy glyphs also turn up *inside* UTF-8 files, after a converter
kept the font's code points ("Ph¸t triÓn" for "Phát triển"). Every later stage assumes composed (NFC)
Unicode, so this reader decides the encoding from evidence in the text itself, converts, and records what
it did in ``notes``; it refuses binary data, empty files and texts that are not Vietnamese with a
:class:`~pipeline.model.PipelineError` that says why.

The legacy character tables are data (``pipeline/rules/data/legacy_*.json``), not code, so they can be
checked against published tables without reading Python.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pipeline.ingest.sniff import MAX_BYTES
from pipeline.model import PipelineError, RawDocument

__all__ = [
    "LANGUAGE_SAMPLE_CHARS",
    "MAX_BAD_UTF8_SHARE",
    "MAX_CONTROL_SHARE",
    "MAX_LEGACY_LEFTOVER",
    "MIN_LEGACY_EVIDENCE",
    "MIN_LEGACY_SHARE",
    "MIN_LETTERS_FOR_LANGUAGE_CHECK",
    "MIN_VIETNAMESE_WORD_SHARE",
    "LegacyEncoding",
    "convert_legacy",
    "decode_bytes",
    "legacy_encodings",
    "read",
]

#: Share of control characters (other than tab, newlines, form feed) above which input is binary data.
#: Real text has none or a stray few; random or compressed bytes have about 12 %.
MAX_CONTROL_SHARE = 0.01
#: Below this many letters a text is too short to judge its language, so it is let through.
MIN_LETTERS_FOR_LANGUAGE_CHECK = 100
#: Share of words that must be visibly Vietnamese (a letter only Vietnamese uses, such as ư, ơ, đ, ạ, or a
#: very common syllable such as "của", "các", "và") for a text to count as Vietnamese. Vietnamese prose
#: scores 0.4-0.7 and even text typed without diacritics scores well above this; English or French
#: scores about 0.
MIN_VIETNAMESE_WORD_SHARE = 0.05
#: The language check reads only this many characters, so that it stays cheap on very large files.
LANGUAGE_SAMPLE_CHARS = 50_000
#: A legacy encoding is only considered when at least this many of its tell-tale characters occur ...
MIN_LEGACY_EVIDENCE = 3
#: ... and at least this many per letter, so that a few ©, «, § or soft hyphens in real Unicode text
#: never set off a conversion. Legacy Vietnamese text has roughly one per five letters.
MIN_LEGACY_SHARE = 0.01
#: A real legacy text converts cleanly; if the conversion leaves more stray Latin-1 symbols than this share
#: of the evidence (as UTF-8 mojibake "Káº¿ hoáº¡ch" does: º and ¿ are no TCVN3 codes), it is refused.
MAX_LEGACY_LEFTOVER = 0.2
#: Text that is UTF-8 except for at most this share of bad byte sequences is read as damaged UTF-8 (the
#: bad sequences replaced) rather than as a single-byte encoding, which would garble all the good ones.
MAX_BAD_UTF8_SHARE = 0.001

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


_VI_LETTERS = _vietnamese_letters()
#: Vietnamese letters that Latin-1 also has (à, é, ô ...): shared with French, Portuguese and the legacy
#: fonts' glyphs, so they are no evidence of anything by themselves.
_VI_LATIN1 = frozenset(ch for ch in _VI_LETTERS if ord(ch) <= 0xFF)
#: Letters only Vietnamese uses (ă, đ, ơ, ư, ạ, ế ...) and Windows-1258's combining tone marks: real
#: Unicode Vietnamese is full of them; legacy-font text, read as Windows-1252, never has them.
_VI_SPECIFIC_RE = re.compile(
    "[" + "".join(sorted(ch for ch in _VI_LETTERS if ord(ch) > 0xFF)) + _TONE_MARKS + "".join(_HAT_MARKS) + "]"
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_NEVER = re.compile(r"(?!)")
#: Latin-1 symbols and C1 controls: what a wrong single-byte decoding leaves behind. The no-break space
#: is left out, as real text of any encoding has it.
_JUNK_RE = re.compile(
    "[" + "".join(chr(c) for c in range(0x80, 0x100) if chr(c) not in _VI_LATIN1 and c != 0xA0) + "]"
)
#: Very common Vietnamese syllables, with and without diacritics, that other Latin-script languages do
#: not use as words; they catch Vietnamese typed without diacritics. Two-letter syllables that are also
#: French, Spanish or English words ("va", "la", "te", "an") are left out on purpose.
_COMMON_SYLLABLE_TEXT = """
và các là có cho trong theo khi ngày tháng thành chính sách tình hình phòng những được người việc
cua cac nhung duoc nguoi viec thuc hien tinh huyen xa hoi cong tac hoach voi tren ngay thang nam
khong nhieu dong phat trien kinh quan nhan thanh chinh sach
"""
_COMMON_SYLLABLES = frozenset(_COMMON_SYLLABLE_TEXT.split())
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F])
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
#: Windows-1252 gives these characters for bytes 0x80-0x9F; the five bytes it leaves undefined are read as
#: the Latin-1 control of the same value so that no byte is ever lost.
_CP1252_HIGH = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}
_LATIN1_TO_CP1252 = str.maketrans({chr(b): ch for b, ch in _CP1252_HIGH.items()})
_CP1252_TO_LATIN1 = str.maketrans({ch: chr(b) for b, ch in _CP1252_HIGH.items()})
#: Characters beyond Latin-1 that are not Windows-1252's: text holding one cannot be Windows-1252 mojibake.
_NOT_CP1252_RE = re.compile("[^\x00-\xff" + re.escape("".join(_CP1252_HIGH.values())) + "]")


# --------------------------------------------------------------------------------------------------------
# Legacy font encodings (TCVN3, VNI)


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
        telling = [key for key in enc.table if not key.isascii() and key[-1] not in _VI_LATIN1]
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
class _Conversion:
    text: str
    encoding: LegacyEncoding | None = None
    lines_converted: int = 0
    lines_total: int = 0
    capitals_restored: int = 0


def convert_legacy(text: str) -> tuple[str, str | None]:
    """Convert text written in a legacy font encoding (TCVN3, VNI) to Unicode.

    Returns the converted text and the encoding's name, or ``text`` unchanged and ``None`` when the
    evidence does not show a legacy encoding. The text may be the single-byte file read as Windows-1252
    or Unicode text that kept the font's code points; both look the same here.
    """
    result = _convert_legacy(text)
    return result.text, (result.encoding.name if result.encoding else None)


def _convert_legacy(text: str) -> _Conversion:
    """Decide by evidence whether and how ``text`` is legacy-encoded, then convert it line by line.

    The encoding with the most distinctive sequences (TCVN3's ¸ µ ¶ · ¹ © ª « ¬ ®, VNI's vowel + ø û ï
    å ä ...) is the candidate; its evidence is then weighed against the letters only real Unicode
    Vietnamese has (ư, ơ, đ, ạ ...). Deciding per line as well keeps a file that mixes converted and
    unconverted paragraphs right, and leaves a Unicode paragraph with a stray © alone.
    """
    scores = [
        (len(enc.distinctive.findall(text)), len(enc.evidence.findall(text)), enc) for enc in legacy_encodings()
    ]
    _, total_evidence, enc = max(scores, key=lambda score: score[:2])
    if total_evidence < MIN_LEGACY_EVIDENCE:
        return _Conversion(text)
    if total_evidence < MIN_LEGACY_SHARE * sum(map(len, _WORD_RE.findall(text))):
        return _Conversion(text)

    lines = text.split("\n")
    unicode_total = len(_VI_SPECIFIC_RE.findall(text))
    if unicode_total == 0:
        convert_flags = [True] * len(lines)
        winning = total_evidence
    else:
        line_evidence = [len(enc.evidence.findall(line)) for line in lines]
        line_unicode = [len(_VI_SPECIFIC_RE.findall(line)) for line in lines]
        winning = sum(e for e, u in zip(line_evidence, line_unicode, strict=True) if e > u)
        mostly_legacy = winning > unicode_total
        convert_flags = [
            e > u or (e == u == 0 and mostly_legacy) for e, u in zip(line_evidence, line_unicode, strict=True)
        ]
    if winning < MIN_LEGACY_EVIDENCE:
        return _Conversion(text)

    out = [enc.convert(line) if flag else line for line, flag in zip(lines, convert_flags, strict=True)]
    leftover = sum(_junk(line) for line, flag in zip(out, convert_flags, strict=True) if flag)
    if leftover > MAX_LEGACY_LEFTOVER * winning:
        return _Conversion(text)
    restored = _restore_capitals(out, convert_flags, enc) if enc.ambiguous else 0
    converted = "\n".join(out)
    if not unicodedata.is_normalized("NFC", converted):
        converted = unicodedata.normalize("NFC", converted)
    return _Conversion(converted, enc, sum(convert_flags), len(lines), restored)


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


def _legacy_notes(conv: _Conversion) -> list[str]:
    assert conv.encoding is not None
    notes = [f"converted from {conv.encoding.name} to Unicode"]
    if conv.lines_converted < conv.lines_total and conv.lines_total > 1:
        notes[0] += f" ({conv.lines_converted} of {conv.lines_total} lines; the rest were already Unicode)"
    if conv.capitals_restored:
        notes.append(
            f"restored {conv.capitals_restored} capital letter(s) with tone marks from context "
            f"({conv.encoding.name} has no codes for them)"
        )
    return notes


# --------------------------------------------------------------------------------------------------------
# Bytes to text


def decode_bytes(data: bytes) -> tuple[str, str, list[str]]:
    """Decode the bytes of a text file to composed Unicode: ``(text, encoding_name, notes)``.

    Tries, in order: a byte-order mark (UTF-8, UTF-16, UTF-32); strict UTF-8 (repairing Windows-1252
    mojibake); UTF-8 with a very few damaged sequences; then Windows-1258 against the legacy font
    encodings (TCVN3, VNI) found by evidence, the cleanest reading winning; and only then
    charset-normalizer's guess. Legacy glyphs inside a Unicode file are converted too. Line endings
    become "\\n". Raises :class:`PipelineError` (``empty``, ``binary``, ``encoding``, ``not_vietnamese``)
    with a message in plain words, without the file name.
    """
    if not data:
        raise PipelineError("empty", "the file is empty (0 bytes)")
    notes: list[str] = []
    legacy_done = False
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise PipelineError(
                    "encoding",
                    f"starts with a {label} byte-order mark but is not valid {label} "
                    f"({exc.reason} at byte {exc.start + len(bom)})",
                ) from None
            encoding = codec
            notes.append(f"{label} byte-order mark")
            break
    else:
        if not data.strip():
            raise PipelineError("empty", "contains only whitespace")
        if b"\x00" in data:
            raise PipelineError(
                "binary",
                "contains NUL bytes but no UTF-16 byte-order mark: it is binary data, not text "
                "(or UTF-16 saved without a byte-order mark)",
            )
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
        if controls > MAX_CONTROL_SHARE * len(data):
            raise PipelineError(
                "binary",
                f"{controls / len(data):.0%} of its bytes are control codes: it is binary data, not text",
            )
        text, encoding, legacy_done = _decode_without_bom(data, notes)

    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise PipelineError("empty", "contains only whitespace")
    controls = len(_CONTROL_CHARS_RE.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise PipelineError(
            "binary",
            f"{controls / len(text):.0%} of its characters are control codes: it is binary data, not text",
        )
    if not legacy_done:
        conv = _convert_legacy(text)
        if conv.encoding is not None:
            text = conv.text
            encoding = f"{encoding}+{conv.encoding.code}"
            notes.extend(_legacy_notes(conv))
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        notes.append("composed separate tone marks into precomposed letters (Unicode NFC)")
    _check_vietnamese(text)
    return text, encoding, notes


def _decode_without_bom(data: bytes, notes: list[str]) -> tuple[str, str, bool]:
    """Decode bytes that carry no byte-order mark; the flag says a legacy conversion was already done."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        repaired = _undo_cp1252_mojibake(text)
        if repaired is not None:
            notes.append("repaired UTF-8 text that had been read as Windows-1252 and saved again (mojibake)")
            return repaired, "utf-8", False
        return text, "utf-8", False

    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    non_ascii = len(lenient) - len(lenient.encode("ascii", errors="ignore"))
    if bad <= MAX_BAD_UTF8_SHARE * len(lenient) and non_ascii >= 20 * bad:
        notes.append(f"{bad} damaged UTF-8 byte sequence(s) replaced by U+FFFD")
        return lenient, "utf-8", False

    # A single-byte file: Windows-1258 and the legacy font encodings compete. Each candidate decoding is
    # scored by the stray Latin-1 symbols it leaves (a wrong one leaves many: TCVN3 read as Windows-1258
    # keeps its ¸ µ ¶, VNI keeps its ø ï ä, Windows-1258 read as TCVN3 keeps ð for every đ) and then by
    # Vietnamese letters. A clean Windows-1258 reading settles it without trying the others.
    candidates: list[tuple[int, int, str, str, list[str]]] = []
    cp1258_note = ["decoded as Windows-1258 (Vietnamese); its separate tone marks composed (Unicode NFC)"]
    try:
        cp1258 = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        cp1258 = ""
    if _VI_SPECIFIC_RE.search(cp1258):
        junk = _junk(cp1258)
        if junk == 0:
            notes.extend(cp1258_note)
            return cp1258, "cp1258", True
        candidates.append((junk, -_vi_count(cp1258), cp1258, "cp1258", cp1258_note))
    conv = _convert_legacy(data.decode("latin-1").translate(_LATIN1_TO_CP1252))
    if conv.encoding is not None:
        candidates.append(
            (_junk(conv.text), -_vi_count(conv.text), conv.text, conv.encoding.code, _legacy_notes(conv))
        )
    if candidates:
        _, _, text, encoding, extra = min(candidates, key=lambda c: (c[0], c[1]))
        notes.extend(extra)
        return text, encoding, True

    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is None:
        raise PipelineError(
            "encoding",
            "is not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI text, and no other encoding fits its bytes",
        )
    notes.append(f"encoding uncertain: charset-normalizer guessed {guess.encoding}")
    return str(guess), guess.encoding, False


def _junk(text: str) -> int:
    """How many characters of ``text`` are Latin-1 symbols or C1 controls rather than Vietnamese letters."""
    return len(_JUNK_RE.findall(text))


def _vi_count(text: str) -> int:
    return len(_VI_SPECIFIC_RE.findall(text))


def _undo_cp1252_mojibake(text: str) -> str | None:
    """Undo UTF-8 that was once decoded as Windows-1252 and saved again ("Káº¿ hoáº¡ch" for "Kế hoạch").

    Only accepted when the bytes behind the mojibake are strict UTF-8 and the result has more letters
    only Vietnamese uses, which real Windows-1252 or legacy-font text practically never satisfies.
    """
    if text.isascii() or _NOT_CP1252_RE.search(text):
        return None
    try:
        fixed = text.translate(_CP1252_TO_LATIN1).encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    if len(_VI_SPECIFIC_RE.findall(fixed)) <= len(_VI_SPECIFIC_RE.findall(text)):
        return None
    return fixed


def _check_vietnamese(text: str) -> None:
    """Refuse a text with plenty of letters but nothing Vietnamese about it (an English or French file).

    Cheap on purpose: one split into words of the first LANGUAGE_SAMPLE_CHARS characters, counting the
    words with a Vietnamese-only letter and the very common Vietnamese syllables.
    """
    sample = text[:LANGUAGE_SAMPLE_CHARS].lower()
    words = _WORD_RE.findall(sample)
    letters = sum(map(len, words))
    if letters < MIN_LETTERS_FOR_LANGUAGE_CHECK:
        return
    vietnamese = sum(
        1
        for word in words
        if word in _COMMON_SYLLABLES or (not word.isascii() and _VI_SPECIFIC_RE.search(word) is not None)
    )
    if vietnamese < MIN_VIETNAMESE_WORD_SHARE * len(words):
        raise PipelineError(
            "not_vietnamese",
            f"has {len(words)} words of text but it is not Vietnamese "
            f"(only {vietnamese} show Vietnamese letters or common Vietnamese syllables)",
        )


def read(path: Path) -> RawDocument:
    """Read a plain-text file into a :class:`RawDocument` (format ``txt``, one page)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PipelineError(
                "too_large", f"{path.name}: {size / 2**20:.0f} MiB is over the {MAX_BYTES // 2**20} MiB limit"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise PipelineError("missing", f"{path}: no such file") from None
    except OSError as exc:
        raise PipelineError("corrupt", f"{path.name}: the file could not be read ({exc.strerror})") from None
    try:
        text, encoding, notes = decode_bytes(data)
    except PipelineError as exc:
        raise PipelineError(exc.error_type, f"{path.name}: {exc.message}", exc.stage) from None
    return RawDocument(text=text, format="txt", page_starts=[0], encoding=encoding, notes=notes)
