"""The number grammar, the date reader and the citation rule files, on numbers as plans write them."""

from __future__ import annotations

import json

import pytest

from pipeline.extractors.citation_dates import DateReader
from pipeline.extractors.docnumber import NumberGrammar
from pipeline.rules.citation_rules import AuditRules, CitationRules
from pipeline.rules.gazetteer import GazetteerError

GRAMMAR = NumberGrammar()


@pytest.mark.parametrize(
    ("written", "style", "seq", "year", "type_code", "issuer", "units"),
    [
        ("173-KH/TU", "party", "173", "", "KH", "TU", ()),
        ("35-CT/TW", "party", "35", "", "CT", "TW", ()),
        ("05-NQ/TU", "party", "05", "", "NQ", "TU", ()),
        ("273-KH/ĐUK", "party", "273", "", "KH", "ĐUK", ()),
        ("189/KH-UBND", "state", "189", "", "KH", "UBND", ()),
        ("55/TTr-STTTT", "state", "55", "", "TTr", "STTTT", ()),
        ("589/KH-BCA-C04", "state", "589", "", "KH", "BCA", ("C04",)),
        # a công văn: no type code, the issuer and the drafting unit
        ("136/STTTT-TTBCXB", "state", "136", "", "", "STTTT", ("TTBCXB",)),
        ("3803/SNV-CCHC&VTLT", "state", "3803", "", "", "SNV", ("CCHC&VTLT",)),
        ("163/2024/QH15", "legal", "163", "2024", "", "QH15", ()),
        ("201/2023/NQ-HĐND", "legal", "201", "2023", "NQ", "HĐND", ()),
        ("01/2015/TTLT-BNV-BTC", "legal", "01", "2015", "TTLT", "BNV", ("BTC",)),
    ],
)
def test_numbers_are_read_into_their_parts(written, style, seq, year, type_code, issuer, units):
    n = GRAMMAR.parse(written)
    assert n is not None
    assert (n.style, n.seq, n.year, n.type_code, n.issuer_code, n.units) == (
        style,
        seq,
        year,
        type_code,
        issuer,
        units,
    )
    assert n.flags == ()
    assert n.normalized == written


def test_type_codes_are_read_in_the_family_of_their_style():
    # TT is a Thông tri in a party number and a Thông tư in a legal one.
    assert GRAMMAR.type_of(GRAMMAR.parse("05-TT/TW")).name == "Thông tri"
    assert GRAMMAR.type_of(GRAMMAR.parse("12/2020/TT-BTC")).name == "Thông tư"
    assert GRAMMAR.type_of(GRAMMAR.parse("23/CT-TTg")).name == "Chỉ thị"
    assert GRAMMAR.type_of(GRAMMAR.parse("136/STTTT-TTBCXB")) is None


def test_one_number_written_two_ways_has_one_key():
    party, state = GRAMMAR.parse("173-KH/TU"), GRAMMAR.parse("173/KH-TU")
    assert party.key == state.key
    assert GRAMMAR.parse("5-CT/TW").key == GRAMMAR.parse("05-CT/TW").key
    assert GRAMMAR.parse("273-KH/DUK").key == GRAMMAR.parse("273-KH/ĐUK").key
    assert GRAMMAR.parse("173-KH/TU").key != GRAMMAR.parse("173-KH/HU").key


def test_malformed_numbers_are_flagged_not_mended():
    state_style = GRAMMAR.parse("173/KH-TU")  # a party number in the state's style
    assert state_style.flags == ("style_mismatch",)
    assert state_style.normalized == "173/KH-TU"
    assert "style_mismatch" in GRAMMAR.parse("12-KH/UBND").flags
    assert GRAMMAR.parse("173/KH/TU").flags == ("malformed_number",)
    assert GRAMMAR.parse("12/KH").flags == ("malformed_number",)  # a type code and no issuer


def test_spaces_around_separators_are_normalized():
    n = GRAMMAR.parse("173 - KH/TU")
    assert n.normalized == "173-KH/TU"
    assert n.key == GRAMMAR.parse("173-KH/TU").key


def test_numbers_are_found_in_running_text_and_nothing_else_is():
    text = (
        "Chỉ thị số 35-CT/TW,ngày 30-5-2019 của Bộ Chính trị; đại dịch Covid-19; ngày 26/8/2024; "
        "giai đoạn 2021 - 2030; V01, C04 - Bộ Công an; Kế hoạch số 9669/KH-UBND."
    )
    found = [(n.normalized, text[s:e]) for n, s, e in GRAMMAR.finditer(text)]
    assert found == [("35-CT/TW", "35-CT/TW"), ("9669/KH-UBND", "9669/KH-UBND")]


def test_a_documents_own_number_is_rebuilt_from_number_and_symbol():
    assert GRAMMAR.from_parts("173", "KH/TU").normalized == "173-KH/TU"
    assert GRAMMAR.from_parts("252", "KH-LĐLĐ").normalized == "252/KH-LĐLĐ"
    assert GRAMMAR.from_parts("163", "2024/QH15").normalized == "163/2024/QH15"
    assert GRAMMAR.from_parts("", "KH-LĐLĐ") is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        (", ngày 26/8/2024 của", "2024-08-26"),
        (",ngày 30-5-2019 của", "2019-05-30"),
        (" ngày 04.02.2020", "2020-02-04"),
        (" ngày 26 tháng 8 năm 2024", "2024-08-26"),
        (" Ngày 5 tháng 01 năm 2025", "2025-01-05"),
    ],
)
def test_dates_as_plans_write_them(text, iso):
    found = DateReader().read(text, 0)
    assert found is not None and found.iso == iso and not found.flag
    assert text[found.start : found.end] == found.text


def test_an_impossible_date_is_flagged_and_left_empty():
    found = DateReader().read(" ngày 31/2/2024 của", 0)
    assert found.iso == "" and found.flag == "impossible_date" and found.text == "31/2/2024"


def test_no_date_where_none_follows():
    assert DateReader().read(" của Ban Thường vụ Tỉnh ủy", 0) is None


def test_rule_files_reject_unknown_keys_naming_the_file(tmp_path):
    bad = tmp_path / "citations.json"
    bad.write_text(json.dumps({"basis_opener": ["Thực hiện"]}), encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"citations\.json.*'basis_opener'"):
        CitationRules.from_file(bad)
    audit = tmp_path / "audit.json"
    severities = dict.fromkeys(AuditRules.CHECKS, "info")
    audit.write_text(json.dumps({"severities": {**severities, "date_wrong": "error"}}), encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"audit\.json.*'date_wrong'"):
        AuditRules.from_file(audit)
    audit.write_text(json.dumps({"severities": {**severities, "cycle": "fatal"}}), encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"audit\.json.*'fatal'"):
        AuditRules.from_file(audit)


def test_packaged_rules_load():
    rules = CitationRules.default()
    assert "Thực hiện" in rules.basis_openers and "về việc" in rules.subject_cues
    assert set(AuditRules.default().severities) == set(AuditRules.CHECKS)


def test_number_pattern_matches_like_its_readable_form(seed_paths) -> None:
    """NUMBER opens with a digit (for speed); it must find exactly what the lookbehind-first form finds."""
    import random
    import re

    from pipeline.extractors import docnumber

    readable = re.compile(docnumber.NUMBER_READABLE)
    texts = [p.read_text(encoding="utf-8") for p in seed_paths]
    rnd = random.Random(5)
    pieces = ["173", "-", "/", "KH", "TU", " ", "2024", "a", "x", ".", "٣", "1234567", "NĐ-CP", "\n", "(", "số "]
    pieces += ["²", "中", "“", "٣/KH"]  # the first class lets other scripts through: (?<=\d) decides
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 9))) for _ in range(20000)]
    for text in texts:
        assert [m.span() for m in docnumber.NUMBER.finditer(text)] == [m.span() for m in readable.finditer(text)]
    assert [n.normalized for n in (GRAMMAR.parse(w) for w in ("173-KH/TU", "30/2020/NĐ-CP"))] == [
        "173-KH/TU",
        "30/2020/NĐ-CP",
    ]
