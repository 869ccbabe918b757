"""The plain-text reader on a real plan saved every way Vietnamese offices save text.

Seed 002 (a trade-union plan from Lai Châu) is written to disk as UTF-8, UTF-8 with a BOM, UTF-16 with a
BOM, Windows-1258 (tone marks as separate combining characters), and in the legacy font encodings TCVN3
(ABC) and VNI, both as raw bytes and as Unicode text that kept the fonts' code points. Each must read back
as the original text, and the reader must say what it did. Refusals (binary data, whitespace, English or
French text, a broken UTF-16 file) must come with the right error type and the file's name.
"""

from __future__ import annotations

import json
import random
import unicodedata
import unittest.mock
from pathlib import Path

import pytest

from pipeline.ingest import legacy_fonts, plaintext
from pipeline.ingest import read as read_any
from pipeline.model import PipelineError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"
SEED = SEEDS / "002_6f632e44ce525a9e.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "tcvn3_sample.txt"
DATA = ROOT / "pipeline" / "rules" / "data"

TCVN3, VNI = legacy_fonts.legacy_encodings()
TONES = "\u0300\u0301\u0303\u0309\u0323"

#: What tests/fixtures/tcvn3_sample.txt says (it is stored as TCVN3 bytes with Windows line endings).
FIXTURE_TEXT = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

KẾ HOẠCH
Triển khai công tác chuyển đổi số trên địa bàn huyện năm 2024

Ủy ban nhân dân huyện ban hành Kế hoạch triển khai công tác chuyển đổi số năm 2024 như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của cán bộ, công chức, viên chức và người dân về vai trò của chuyển đổi số.
2. Bảo đảm các nhiệm vụ được thực hiện đúng tiến độ, tiết kiệm, hiệu quả.

II. NỘI DUNG THỰC HIỆN
- Phòng Văn hóa và Thông tin chủ trì, phối hợp với các cơ quan, đơn vị liên quan tổ chức tuyên truyền.
- Ủy ban nhân dân các xã, thị trấn căn cứ Kế hoạch này xây dựng kế hoạch cụ thể để triển khai thực hiện.
"""


def _vowels() -> list[str]:
    """Every Vietnamese vowel letter with every tone (a ă â e ê i o ô ơ u ư y × 6 tones), lower case."""
    bases = ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u", "u\u031b", "y"]
    return [unicodedata.normalize("NFC", base + tone) for base in bases for tone in ["", *TONES]]


VOWELS = _vowels()


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: hatted letters (â ơ ư ...) precomposed, tone marks as combining bytes.

    Python's cp1258 codec has no precomposed "ế" or "ạ" and no combining circumflex, so plain NFD fails;
    only the tone marks are split off.
    """
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


@pytest.fixture(scope="module")
def original() -> str:
    return SEED.read_text(encoding="utf-8")


def _variants(original: str) -> dict[str, bytes]:
    return {
        "utf-8": original.encode("utf-8"),
        "utf-8-bom": original.encode("utf-8-sig"),
        "utf-16-le-bom": b"\xff\xfe" + original.encode("utf-16-le"),
        "utf-16-be-bom": b"\xfe\xff" + original.encode("utf-16-be"),
        "cp1258": to_cp1258(original),
        "tcvn3": TCVN3.encode(original).encode("cp1252"),
        "vni": VNI.encode(original).encode("cp1252"),
        "tcvn3-in-utf-8": TCVN3.encode(original).encode("utf-8"),
        "vni-in-utf-8": VNI.encode(original).encode("utf-8"),
    }


#: variant -> (encoding reported, a phrase the notes must contain; "" for none)
EXPECTED = {
    "utf-8": ("utf-8", ""),
    "utf-8-bom": ("utf-8-sig", "UTF-8 byte-order mark"),
    "utf-16-le-bom": ("utf-16-le", "UTF-16 LE byte-order mark"),
    "utf-16-be-bom": ("utf-16-be", "UTF-16 BE byte-order mark"),
    "cp1258": ("cp1258", "Windows-1258"),
    "tcvn3": ("tcvn3", "converted from TCVN3 (ABC) to Unicode"),
    "vni": ("vni", "converted from VNI Windows to Unicode"),
    "tcvn3-in-utf-8": ("utf-8+tcvn3", "converted from TCVN3 (ABC) to Unicode"),
    "vni-in-utf-8": ("utf-8+vni", "converted from VNI Windows to Unicode"),
}


@pytest.mark.parametrize("variant", list(EXPECTED))
def test_seed_reads_back_in_every_encoding(variant: str, original: str, tmp_path: Path) -> None:
    data = _variants(original)[variant]
    path = tmp_path / f"plan-{variant}.txt"
    path.write_bytes(data)

    doc = plaintext.read(path)

    assert unicodedata.normalize("NFC", doc.text) == original
    assert doc.text == original, "the reader itself must return NFC text"
    assert doc.format == "txt"
    assert doc.page_starts == [0]
    encoding, note = EXPECTED[variant]
    assert doc.encoding == encoding
    if note:
        assert any(note in n for n in doc.notes), doc.notes
    else:
        assert doc.notes == []


def test_variants_really_are_the_encodings_they_claim(original: str) -> None:
    """Guard the test data: each variant must differ from UTF-8 where that encoding differs."""
    variants = _variants(original)
    cp1258 = variants["cp1258"]
    assert b"\xec" in cp1258 and b"\xf2" in cp1258, "cp1258 must carry combining acute and dot-below bytes"
    with pytest.raises(UnicodeDecodeError):
        cp1258.decode("utf-8")
    tcvn3 = variants["tcvn3"].decode("cp1252")
    assert "ph¸t triÓn" in tcvn3 and "§¶ng" in tcvn3  # "phát triển", "Đảng" in ABC fonts
    vni = variants["vni"].decode("cp1252")
    assert "Ñaûng" in vni and "phaùt trieån" in vni  # the same words in VNI fonts


def test_tcvn3_capitals_come_back_from_context(original: str) -> None:
    """TCVN3 has no codes for capitals with tone marks; the all-capitals headings must still come back."""
    encoded = TCVN3.encode(original)
    assert "KÕ HO¹CH" in encoded  # "KẾ HOẠCH" with lower-case codes, as a .VnTimeH font shows it
    converted, name = legacy_fonts.convert_legacy(encoded)
    assert name == "TCVN3 (ABC)"
    for heading in ("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "III. TỔ CHỨC THỰC HIỆN", "CHỦ TỊCH"):
        assert heading in converted
    assert "Số: 252/KH-LĐLĐ" in converted  # a title-case word before a code is left alone
    assert converted == original


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_seed_survives_both_legacy_encodings(seed: Path) -> None:
    """VNI has every capital, so it comes back exactly. TCVN3 comes back letter for letter; only a capital
    with a tone mark inside a sentence ("của Ủy ban") cannot be known from the text and may stay small."""
    text = seed.read_text(encoding="utf-8")
    from_vni, vni_enc, _ = plaintext.decode_bytes(VNI.encode(text).encode("cp1252"))
    assert (from_vni, vni_enc) == (text, "vni")
    from_tcvn3, tcvn3_enc, _ = plaintext.decode_bytes(TCVN3.encode(text).encode("cp1252"))
    assert tcvn3_enc == "tcvn3"
    assert from_tcvn3.casefold() == text.casefold()
    wrong = [(a, b) for a, b in zip(text.split(), from_tcvn3.split(), strict=True) if a != b]
    assert all(b[0].islower() and a[0] == b[0].upper() and a[1:] == b[1:] for a, b in wrong), wrong


def test_whole_alphabet_round_trips() -> None:
    """Every vowel with every tone, both cases, plus đ/Đ, through both legacy tables."""
    lower = " ".join(VOWELS) + " đ"
    upper = lower.upper()
    assert len(VOWELS) == 72 and upper != lower

    for text in (lower, upper, f"{lower}\n{upper}"):
        converted, name = legacy_fonts.convert_legacy(VNI.encode(text))
        assert (converted, name) == (text, "VNI Windows")

    converted, name = legacy_fonts.convert_legacy(TCVN3.encode(lower))
    assert (converted, name) == (lower, "TCVN3 (ABC)")
    # TCVN3 writes capitals with tone marks with the lower-case code; inside capitals words ("TẤN") they
    # are restored, and Ă Â Ê Ô Ơ Ư Đ have codes of their own.
    caps_words = " ".join(f"T{v.upper()}N" for v in VOWELS) + " ĐĂ ĐÂ ĐÊ ĐÔ ĐƠ ĐƯ"
    converted, name = legacy_fonts.convert_legacy(TCVN3.encode(caps_words))
    assert (converted, name) == (caps_words, "TCVN3 (ABC)")


def test_tables_are_complete_and_one_to_one() -> None:
    """The data files cover the alphabet, map into Vietnamese letters only, and invert cleanly."""
    tcvn3 = json.loads((DATA / "legacy_tcvn3.json").read_text(encoding="utf-8"))
    vni = json.loads((DATA / "legacy_vni.json").read_text(encoding="utf-8"))
    letters = set(VOWELS) | {v.upper() for v in VOWELS} | {"đ", "Đ"}
    non_ascii = {ch for ch in letters if not ch.isascii()}

    assert set(vni["map"].values()) == non_ascii
    assert len(vni["map"]) == len(non_ascii) == 134
    assert set(tcvn3["map"].values()) == {ch for ch in non_ascii if ch.islower()} | set("ĂÂÊÔƠƯĐ")
    assert len(tcvn3["map"]) == 74
    for table in (tcvn3["map"], vni["map"]):
        for key in table:
            key.encode("cp1252")  # every legacy sequence is bytes of a single-byte font
    # VNI aliases only add a modifier of the other case and never shadow a canonical key.
    assert not set(vni["aliases"]) & set(vni["map"])
    assert all(vni["map"][k[0] + k[1].swapcase()] == v for k, v in vni["aliases"].items())


@pytest.mark.parametrize(
    ("legacy", "expected", "name"),
    [
        # Examples published with public TCVN3 / VNI converters, and the national motto in both.
        ("B¶o Th¾ng, B¸t X¸t, Ph¸t triÓn", "Bảo Thắng, Bát Xát, Phát triển", "TCVN3 (ABC)"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam", "TCVN3 (ABC)"),
        ("Xin chaøo caùc baïn, Coäng hoøa xaõ hoäi", "Xin chào các bạn, Cộng hòa xã hội", "VNI Windows"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc", "VNI Windows"),
    ],
)
def test_known_legacy_strings(legacy: str, expected: str, name: str) -> None:
    assert legacy_fonts.convert_legacy(legacy) == (expected, name)


def test_committed_tcvn3_fixture(tmp_path: Path) -> None:
    raw = FIXTURE.read_bytes()
    assert b"\r\n" in raw and b"\xa7\xe9c l\xcbp" in raw  # TCVN3 bytes of "Độc lập", Windows line ends
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")

    doc = plaintext.read(FIXTURE)

    assert doc.text == FIXTURE_TEXT
    assert doc.encoding == "tcvn3"
    assert "converted from TCVN3 (ABC) to Unicode" in doc.notes
    assert any("capital letter" in note for note in doc.notes)
    assert read_any(FIXTURE).text == FIXTURE_TEXT  # the same through the format dispatcher


def test_unicode_text_with_stray_latin1_symbols_is_left_alone() -> None:
    """A few ©, «», §, ·, ½ in real Unicode Vietnamese are TCVN3 codes too, but must not set it off."""
    text = "Kế hoạch © 2024 «Phát triển» ® § 5 · ½ mục tiêu của tỉnh, các huyện và xã.\n" * 5
    assert legacy_fonts.convert_legacy(text) == (text, None)
    decoded, encoding, notes = plaintext.decode_bytes(text.encode("utf-8"))
    assert (decoded, encoding, notes) == (text, "utf-8", [])


def test_mixed_file_converts_only_the_legacy_paragraphs(original: str) -> None:
    """Some files were converted paragraph by paragraph: the Unicode ones must stay, the rest convert."""
    paragraphs = [p for p in original.split("\n\n") if p.strip()]
    mixed = "\n\n".join(TCVN3.encode(p) if i % 2 else p for i, p in enumerate(paragraphs))
    text, encoding, notes = plaintext.decode_bytes(mixed.encode("utf-8"))
    assert text.casefold() == "\n\n".join(paragraphs).casefold()
    assert encoding == "utf-8+tcvn3"
    assert "the rest were already Unicode" in notes[0]


def test_utf8_mojibake_is_repaired(original: str) -> None:
    """UTF-8 read as Windows-1252 and saved again ("Káº¿ hoáº¡ch") comes back as the original."""
    mojibake = original.encode("utf-8").decode("latin-1").translate(plaintext._LATIN1_TO_CP1252)
    assert "Káº¾ HOáº\xa0CH" in mojibake
    text, encoding, notes = plaintext.decode_bytes(mojibake.encode("utf-8"))
    assert (text, encoding) == (original, "utf-8")
    assert any("mojibake" in note for note in notes)


def test_damaged_utf8_keeps_its_good_text(original: str) -> None:
    data = bytearray(original.encode("utf-8"))
    cut = original.encode("utf-8").index("Lai Châu".encode())
    data[cut + 6] = 0xFF  # break the "â" of "Châu"
    text, encoding, notes = plaintext.decode_bytes(bytes(data))
    assert encoding == "utf-8"
    assert "Lai Ch\ufffd" in text and text.count("\ufffd") <= 2
    assert any("damaged UTF-8" in note for note in notes)


def test_line_endings_become_newlines(original: str, tmp_path: Path) -> None:
    for ending in ("\r\n", "\r"):
        path = tmp_path / "endings.txt"
        path.write_bytes(original.replace("\n", ending).encode("utf-8"))
        assert plaintext.read(path).text == original


def test_vietnamese_without_diacritics_is_accepted(original: str) -> None:
    plain = "".join(
        ch
        for ch in unicodedata.normalize("NFD", original.replace("đ", "d").replace("Đ", "D"))
        if not unicodedata.combining(ch)
    )
    text, _, _ = plaintext.decode_bytes(plain.encode("utf-8"))
    assert text == plain


ENGLISH = (
    "The committee approved the annual plan for digital transformation. Each department shall report "
    "its progress to the provincial committee before the end of the quarter, and the finance office "
    "will allocate the budget accordingly.\n"
)
FRENCH = (
    "Le comité a approuvé le plan annuel de transformation numérique. Chaque département présentera "
    "ses progrès au comité provincial avant la fin du trimestre, et le bureau des finances va répartir "
    "le budget en conséquence.\n"
)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("english.txt", ENGLISH.encode("utf-8")),
        ("english-utf16.txt", ENGLISH.encode("utf-16")),
        ("french.txt", FRENCH.encode("utf-8")),
        ("french-cp1252.txt", FRENCH.encode("cp1252")),
    ],
)
def test_text_in_another_language_is_refused(name: str, data: bytes, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PipelineError) as info:
        plaintext.read(path)
    assert info.value.error_type == "not_vietnamese"
    assert name in info.value.message and "not Vietnamese" in info.value.message


def test_random_bytes_are_binary(tmp_path: Path) -> None:
    noise = random.Random(0).randbytes(20_000)
    path = tmp_path / "noise.txt"
    path.write_bytes(noise)
    with pytest.raises(PipelineError) as info:
        plaintext.read(path)
    assert info.value.error_type == "binary"
    assert "noise.txt" in info.value.message and "NUL" in info.value.message

    path.write_bytes(noise.replace(b"\x00", b""))  # no NUL: the control codes still give it away
    with pytest.raises(PipelineError) as info:
        plaintext.read(path)
    assert info.value.error_type == "binary"
    assert "control codes" in info.value.message


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n   ", "\n \n".encode("utf-16"), b"\xef\xbb\xbf \n"])
def test_empty_or_whitespace_is_empty(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(data)
    with pytest.raises(PipelineError) as info:
        plaintext.read(path)
    assert info.value.error_type == "empty"
    assert info.value.message.startswith("blank.txt: ")


def test_broken_utf16_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\xff\xfe" + "Kế hoạch".encode("utf-16-le") + b"\x00\xd8A\x00")  # lone surrogate
    with pytest.raises(PipelineError) as info:
        plaintext.read(path)
    assert info.value.error_type == "encoding"
    assert "broken.txt" in info.value.message and "UTF-16 LE" in info.value.message


def test_the_first_half_settles_the_language_check_only_when_the_whole_would() -> None:
    """:func:`_settled_by_first_half` may only say True where the full count lets the text through: Vietnamese
    halves, foreign halves and mixtures of every proportion around the threshold."""
    import random

    from pipeline.ingest.vietnamese import (
        MIN_LETTERS_FOR_LANGUAGE_CHECK,
        MIN_VIETNAMESE_WORD_SHARE,
        VIETNAMESE_ONLY,
        WORD,
        _settled_by_first_half,
        common_syllables,
    )

    def full_count_passes(sample: str) -> bool:
        words = WORD.findall(sample)
        if sum(map(len, words)) < MIN_LETTERS_FOR_LANGUAGE_CHECK:
            return True
        common = common_syllables()
        shown = sum(1 for w in words if w in common or VIETNAMESE_ONLY.search(w))
        return shown >= MIN_VIETNAMESE_WORD_SHARE * len(words)

    vietnamese = "Ủy ban nhân dân tỉnh ban hành kế hoạch tuyên truyền của các sở, ngành và địa phương. "
    foreign = "The provincial committee issues the plan for the departments and the districts here. "
    digits = "2025/KH-UBND 12.345 (1) 67 89 - 10/11 "
    rng = random.Random(8)
    settled = failing = 0
    for _ in range(1500):
        parts = [rng.choice((vietnamese, foreign, foreign, foreign, digits)) for _ in range(rng.randint(20, 80))]
        if rng.random() < 0.5:
            parts.sort(key=lambda p: p != vietnamese)  # the Vietnamese up front, where the first half sees it
        sample = "".join(parts).lower()
        if len(sample) < 2000:
            continue
        passes = full_count_passes(sample)
        failing += not passes
        if _settled_by_first_half(sample):
            settled += 1
            assert passes, sample
    assert settled > 100 and failing > 0


def _plain_count_passes(sample: str) -> bool:
    """The language check's full count on a sample (lower-cased first, as the check does)."""
    from pipeline.ingest.vietnamese import (
        MIN_LETTERS_FOR_LANGUAGE_CHECK,
        MIN_VIETNAMESE_WORD_SHARE,
        VIETNAMESE_ONLY,
        WORD,
        common_syllables,
    )

    words = WORD.findall(sample.lower())
    if sum(map(len, words)) < MIN_LETTERS_FOR_LANGUAGE_CHECK:
        return True
    common = common_syllables()
    shown = sum(1 for w in words if w in common or VIETNAMESE_ONLY.search(w))
    return shown >= MIN_VIETNAMESE_WORD_SHARE * len(words)


def test_the_counting_shortcut_passes_a_text_only_when_the_full_count_would(original: str) -> None:
    """:func:`_passes_by_counts` may only say True where the full count lets the text through: mixtures of
    Vietnamese (with and without diacritics, in capitals), English, digits and odd characters in every
    proportion around the threshold; and it does settle real plans."""
    from pipeline.ingest.vietnamese import _passes_by_counts

    assert _passes_by_counts(original)
    assert all(_passes_by_counts(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt")))
    plain = unicodedata.normalize("NFD", original).encode("ascii", "ignore").decode()
    assert _passes_by_counts(plain) and _plain_count_passes(plain)
    vietnamese = [
        "Ủy ban nhân dân tỉnh ban hành kế hoạch của các sở, ngành và địa phương. ",
        "UBND TỈNH LAI CHÂU ",
        "cua cac va trong thuc hien ke hoach ",
        "các của và ",
        "Các Của Và ",
        "được ",
    ]
    other = [
        "The provincial committee issues the plan for the departments and the districts here. ",
        "Le comité provincial publie le plan pour les départements. ",
        "2025/KH-UBND 12.345 (1) 67 89 - 10/11 ",
        "İstanbul ",
        "𝐀𝐁𝐂 ",
        "ẞß ǅǆ Ⅻⅻ ²³ _x_ ",
        "đ\u0301 q\u0301 ",
        "aaaaaaaaaaaaaaaaaaaa ",
    ]
    rng = random.Random(8)
    passed = failing = 0
    for _ in range(3000):
        k = rng.randint(1, 80)
        parts = rng.choices(other, [rng.random() ** 3 for _ in other], k=k)
        parts += rng.choices(vietnamese, [rng.random() ** 3 for _ in vietnamese], k=round(k * rng.random() * 0.6))
        rng.shuffle(parts)
        sample = "".join(parts)
        full = _plain_count_passes(sample)
        failing += not full
        if _passes_by_counts(sample):
            passed += 1
            assert full, sample
    assert passed > 300 and failing > 200, (passed, failing)


def test_lower_casing_keeps_letters_and_vietnamese_letters() -> None:
    """What :func:`_passes_by_counts` relies on to count on text it has not lower-cased: every character
    of the Basic Multilingual Plane but "İ" lower-cases to one character, a letter to :data:`WORD` exactly
    when it is one, and a letter only Vietnamese uses exactly when it is one."""
    import re

    from pipeline.ingest.vietnamese import VIETNAMESE_ONLY

    letter = re.compile(r"[^\W\d_]")
    for code in range(0x10000):
        ch = chr(code)
        low = ch.lower()
        if low == ch:
            continue
        if ch == "İ":
            assert len(low) == 2
            continue
        assert len(low) == 1, hex(code)
        assert bool(letter.match(ch)) == bool(letter.match(low)), hex(code)
        assert bool(VIETNAMESE_ONLY.match(ch)) == bool(VIETNAMESE_ONLY.match(low)), hex(code)


def test_the_legacy_evidence_gate_only_skips_texts_without_evidence(original: str) -> None:
    """:func:`_too_little_evidence` may only say True where both encodings' evidence patterns find fewer
    than MIN_LEGACY_EVIDENCE sequences; and every variant converts as it did without the gate."""
    from pipeline.ingest.legacy_fonts import MIN_LEGACY_EVIDENCE, _evidence_ends, _too_little_evidence

    symbols = "".join(_evidence_ends()) + "aeoAEOàáâãèéêìíòóôõùúý©«»§\u00ad"
    rng = random.Random(9)
    skipped = 0
    for _ in range(20000):
        text = "".join(rng.choice(symbols) for _ in range(rng.randint(0, 12)))
        counts = [len(enc.evidence.findall(text)) for enc in (TCVN3, VNI)]
        if _too_little_evidence(text):
            skipped += 1
            assert max(counts) < MIN_LEGACY_EVIDENCE, text
    assert skipped > 1000
    assert _too_little_evidence(original)
    for name, data in _variants(original).items():
        text = data.decode("utf-8", "replace") if "utf" in name else plaintext.decode_windows_1252(data)
        gated = legacy_fonts.legacy_conversion(text)
        with unittest.mock.patch.object(legacy_fonts, "_too_little_evidence", lambda text: False):
            plain = legacy_fonts.legacy_conversion(text)
        assert (gated.text, gated.encoding, gated.lines_converted) == (
            plain.text,
            plain.encoding,
            plain.lines_converted,
        )


@pytest.mark.parametrize("control", ["\x01", "\x1b", "\x7f", "\x85", "\x9f"])
def test_control_characters_are_counted_in_utf8_text(control: str, original: str) -> None:
    """UTF-8 text is binary when more than MAX_CONTROL_SHARE of its characters are control codes, C1
    controls (two bytes in UTF-8) included; one control code fewer lets it through."""
    text = original[:2000]
    limit = int(plaintext.MAX_CONTROL_SHARE * (len(text) + 30))
    for n in (limit - 1, limit + 2):
        body = text + control * n
        if n > plaintext.MAX_CONTROL_SHARE * len(body):
            with pytest.raises(PipelineError) as info:
                plaintext.decode_bytes(body.encode())
            assert info.value.error_type == "binary"
        else:
            assert plaintext.decode_bytes(body.encode())[0] == body
