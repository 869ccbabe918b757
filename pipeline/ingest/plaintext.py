"""Plain-text reader: turn the bytes of a text file into composed Unicode Vietnamese.

Vietnamese offices save plain text in many ways: UTF-8 with or without a BOM, UTF-16 from Notepad's
"Unicode", Windows-1258 (which writes tone marks as separate combining characters), and, in older files,
the 8-bit *font* encodings TCVN3 (ABC, ".VnTime") and VNI (VNI-Times), whose bytes only look Vietnamese
when shown in the matching font. The legacy glyphs also turn up *inside* UTF-8 files, after a converter
kept the font's code points ("Ph¸t triÓn" for "Phát triển"). Every later stage assumes composed (NFC)
Unicode, so this reader decides the encoding from evidence in the text itself, converts (the legacy fonts
through :mod:`pipeline.ingest.legacy_fonts`), and records what it did in ``notes``; it refuses binary
data, empty files and texts that are not Vietnamese (:mod:`pipeline.ingest.vietnamese`) with a
:class:`~pipeline.model.PipelineError` that says why. The Markdown reader decodes its files here too.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from pipeline.ingest.file_bytes import read_limited
from pipeline.ingest.legacy_fonts import legacy_conversion
from pipeline.ingest.vietnamese import VIETNAMESE_ONLY, check_vietnamese, count_stray_latin1, count_vietnamese_only
from pipeline.model import PipelineError, RawDocument

__all__ = [
    "MAX_BAD_UTF8_SHARE",
    "MAX_CONTROL_SHARE",
    "decode_bytes",
    "decode_windows_1252",
    "read",
]

#: Share of control characters (other than tab, newlines, form feed) above which input is binary data.
#: Real text has none or a stray few; random or compressed bytes have about 12 %.
MAX_CONTROL_SHARE = 0.01
#: Text that is UTF-8 except for at most this share of bad byte sequences is read as damaged UTF-8 (the
#: bad sequences replaced) rather than as a single-byte encoding, which would garble all the good ones.
MAX_BAD_UTF8_SHARE = 0.001

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


def decode_windows_1252(data: bytes) -> str:
    """``data`` as Windows-1252 the way browsers read it: no byte fails, the five bytes the code page
    leaves undefined become the C1 controls of the same value. Legacy-font text is read this way
    before conversion, and so are web pages that say they are Latin-1."""
    return data.decode("latin-1").translate(_LATIN1_TO_CP1252)


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
    controls = -1  # control characters of the decoded text, -1 until counted
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
        if data.isspace():
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
        if encoding == "utf-8" and not notes:
            # The text is the bytes read as UTF-8, so its control characters are the control bytes counted
            # above (UTF-8 writes C0 controls as themselves) and the C1 controls, which UTF-8 writes as
            # \xc2\x80-\xc2\x9f. The rewrites below leave them all alone.
            controls += _count_c1_controls(data)
        else:
            controls = -1

    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x0b" in text:
        text = text.replace("\x0b", "\n")
    text = text.removeprefix("\ufeff")
    if not text or text.isspace():
        raise PipelineError("empty", "contains only whitespace")
    if controls < 0:
        controls = len(_CONTROL_CHARS_RE.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise PipelineError(
            "binary",
            f"{controls / len(text):.0%} of its characters are control codes: it is binary data, not text",
        )
    if not legacy_done:
        conv = legacy_conversion(text)
        if conv.encoding is not None:
            text = conv.text
            encoding = f"{encoding}+{conv.encoding.code}"
            notes.extend(conv.notes())
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        notes.append("composed separate tone marks into precomposed letters (Unicode NFC)")
    check_vietnamese(text, stage="ingest")
    return text, encoding, notes


def _count_c1_controls(utf8: bytes) -> int:
    r"""How many C1 controls (U+0080-U+009F) valid UTF-8 bytes hold: \xc2 followed by \x80-\x9f. A
    Vietnamese plan has none or a few \xc2 (no-break spaces, degree signs), so they are looked at one by
    one, which is far cheaper than scanning the decoded text with a pattern."""
    count = 0
    i = utf8.find(b"\xc2")
    while i >= 0:
        count += utf8[i + 1] < 0xA0
        i = utf8.find(b"\xc2", i + 2)
    return count


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
    if VIETNAMESE_ONLY.search(cp1258):
        junk = count_stray_latin1(cp1258)
        if junk == 0:
            notes.extend(cp1258_note)
            return cp1258, "cp1258", True
        candidates.append((junk, -count_vietnamese_only(cp1258), cp1258, "cp1258", cp1258_note))
    conv = legacy_conversion(decode_windows_1252(data))
    if conv.encoding is not None:
        candidates.append(
            (
                count_stray_latin1(conv.text),
                -count_vietnamese_only(conv.text),
                conv.text,
                conv.encoding.code,
                conv.notes(),
            )
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
    if count_vietnamese_only(fixed) <= count_vietnamese_only(text):
        return None
    return fixed


def read(path: Path) -> RawDocument:
    """Read a plain-text file into a :class:`RawDocument` (format ``txt``, one page)."""
    path = Path(path)
    data = read_limited(path)
    try:
        text, encoding, notes = decode_bytes(data)
    except PipelineError as exc:
        raise PipelineError(exc.error_type, f"{path.name}: {exc.message}", exc.stage) from None
    return RawDocument(text=text, format="txt", page_starts=[0], encoding=encoding, notes=notes)
