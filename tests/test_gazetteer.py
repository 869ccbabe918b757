"""The gazetteers under ``pipeline/rules/data`` and their loaders."""

from __future__ import annotations

import json
import unicodedata
from importlib import resources
from pathlib import Path

import pytest

from pipeline.rules.gazetteer import (
    Abbreviations,
    DocumentTypes,
    GazetteerError,
    HeadingCategories,
    Provinces,
    fold,
)

DATA = resources.files("pipeline.rules").joinpath("data")
FILES = ["provinces.json", "abbreviations.json", "document_types.json", "heading_categories.json"]


@pytest.fixture(scope="module")
def provinces() -> Provinces:
    return Provinces.default()


@pytest.fixture(scope="module")
def abbreviations() -> Abbreviations:
    return Abbreviations.default()


@pytest.fixture(scope="module")
def types() -> DocumentTypes:
    return DocumentTypes.default()


@pytest.fixture(scope="module")
def headings() -> HeadingCategories:
    return HeadingCategories.default()


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# -- the files ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_data_file_is_nfc_json(name: str) -> None:
    text = DATA.joinpath(name).read_text(encoding="utf-8")
    json.loads(text)
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("name", FILES)
def test_data_file_uses_traditional_tone_placement(name: str) -> None:
    """Official documents write Hòa, Thủy, Ủy: a new-style spelling may only appear as an alias or
    variant, never as a canonical name or full form."""
    data = json.loads(DATA.joinpath(name).read_text(encoding="utf-8"))
    canon = [p["name"] for p in data.get("provinces", [])]
    canon += [a["full"] for a in data.get("abbreviations", [])] + [t["name"] for t in data.get("types", [])]
    for text in canon:
        for new_style in ("oà", "oá", "oả", "oã", "oạ", "uỳ", "uý", "uỷ", "uỹ", "uỵ"):
            words = [w for w in text.lower().split() if w.endswith(new_style) and not w.startswith("qu")]
            assert not words, (name, text)


@pytest.mark.parametrize("cls", [Provinces, Abbreviations, DocumentTypes, HeadingCategories])
def test_every_loader_loads_its_packaged_file(cls: type) -> None:
    loaded = cls.default()
    assert loaded is cls.default()  # cached


# -- provinces ---------------------------------------------------------------------------------------------


def test_province_counts(provinces: Provinces) -> None:
    assert len(provinces.current()) == 34
    current = provinces.current()
    assert sum(p.kind == "thành phố" for p in current) == 6
    assert sum(p.kind == "tỉnh" for p in current) == 28
    assert sum(p.status == "merged" for p in provinces) == 29
    assert len(provinces.as_of("2024-06-01")) == 63
    assert len(provinces.as_of("2025-06-30")) == 63
    assert len(provinces.as_of("2025-07-01")) == 34
    before = {p.name for p in provinces.as_of("2024-06-01")}
    assert "Thừa Thiên Huế" in before and "Huế" not in before
    assert {"Lâm Đồng", "Đắk Nông", "Bình Thuận", "Hà Tây"} & before == {"Lâm Đồng", "Đắk Nông", "Bình Thuận"}


def test_no_name_or_alias_names_two_provinces() -> None:
    data = json.loads(DATA.joinpath("provinces.json").read_text(encoding="utf-8"))
    for strip in (False, True):
        owner: dict[str, str] = {}
        for p in data["provinces"]:
            for form in [p["name"], *p.get("aliases", []), *p.get("abbreviations", [])]:
                key = " ".join(fold(form, strip_diacritics=strip).replace("-", " ").split())
                assert owner.setdefault(key, p["name"]) == p["name"], (form, owner[key], p["name"])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Đắk Nông", "Lâm Đồng"),
        ("Bình Thuận", "Lâm Đồng"),
        ("Phú Yên", "Đắk Lắk"),
        ("Yên Bái", "Lào Cai"),
        ("Hà Giang", "Tuyên Quang"),
        ("Bắc Kạn", "Thái Nguyên"),
        ("Hòa Bình", "Phú Thọ"),
        ("Vĩnh Phúc", "Phú Thọ"),
        ("Bắc Giang", "Bắc Ninh"),
        ("Thái Bình", "Hưng Yên"),
        ("Hải Dương", "Hải Phòng"),
        ("Nam Định", "Ninh Bình"),
        ("Hà Nam", "Ninh Bình"),
        ("Quảng Bình", "Quảng Trị"),
        ("Quảng Nam", "Đà Nẵng"),
        ("Kon Tum", "Quảng Ngãi"),
        ("Bình Định", "Gia Lai"),
        ("Ninh Thuận", "Khánh Hòa"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("Bình Dương", "Hồ Chí Minh"),
        ("Bình Phước", "Đồng Nai"),
        ("Long An", "Tây Ninh"),
        ("Sóc Trăng", "Cần Thơ"),
        ("Hậu Giang", "Cần Thơ"),
        ("Bến Tre", "Vĩnh Long"),
        ("Trà Vinh", "Vĩnh Long"),
        ("Tiền Giang", "Đồng Tháp"),
        ("Bạc Liêu", "Cà Mau"),
        ("Kiên Giang", "An Giang"),
        ("Thừa Thiên Huế", "Huế"),
        ("Lâm Đồng", "Lâm Đồng"),
        ("Nghệ An", "Nghệ An"),
    ],
)
def test_current_name(provinces: Provinces, old: str, new: str) -> None:
    assert provinces.current_name(old) == new


def test_dak_nong_is_merged_into_lam_dong(provinces: Provinces) -> None:
    p = provinces.get("Đắk Nông")
    assert p is not None
    assert (p.status, p.merged_into, p.until.isoformat() if p.until else None) == (
        "merged",
        "Lâm Đồng",
        "2025-06-30",
    )
    assert set(provinces.absorbed_by("Lâm Đồng")) == {"Đắk Nông", "Bình Thuận"}


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Đắc Lắc", "Đắk Lắk"),
        ("Daklak", "Đắk Lắk"),
        ("tỉnh Đắk Nông", "Đắk Nông"),
        ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("TP.HCM", "Hồ Chí Minh"),
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("HÒA BÌNH", "Hòa Bình"),
        ("Thua Thien Hue", "Thừa Thiên Huế"),
        ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Gotham", None),
    ],
)
def test_canonical(provinces: Provinces, written: str, canonical: str | None) -> None:
    assert provinces.canonical(written) == canonical


def test_find_in_real_sentences(provinces: Provinces) -> None:
    text = "Đại hội đại biểu Đảng bộ tỉnh Đắk Nông lần thứ XIII"
    (m,) = provinces.find(text)
    assert (m.name, text[m.start : m.end]) == ("Đắk Nông", "Đắk Nông")

    text = "UBND tỉnh Thừa Thiên Huế"
    assert provinces.find(text) == [("Thừa Thiên Huế", 10, 24)]  # the longest name, not "Huế"

    text = "Thành ủy TP. Hồ Chí Minh"
    (m,) = provinces.find(text)
    assert (m.name, text[m.start : m.end]) == ("Hồ Chí Minh", "Hồ Chí Minh")

    text = "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG"
    assert [m.name for m in provinces.find(text)] == ["Đắk Nông"]

    text = "Liên đoàn Lao động tỉnh Lai Châu và Sở Nội vụ tỉnh Kon Tum"
    assert [m.name for m in provinces.find(text)] == ["Lai Châu", "Kon Tum"]


def test_find_skips_names_that_are_also_words(provinces: Provinces) -> None:
    text = (
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; Đoàn TNCS Hồ Chí Minh; "
        "vì hòa bình; chiến thắng Điện Biên Phủ; Thái Bình Dương"
    )
    assert provinces.find(text) == []
    assert [m.name for m in provinces.find("tỉnh Hòa Bình và tỉnh Điện Biên")] == ["Hòa Bình", "Điện Biên"]
    assert [m.name for m in provinces.find("Huế")] == ["Huế"]  # a name standing alone


def test_find_handles_decomposed_and_legacy_text(provinces: Provinces) -> None:
    nfd = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Đắk Nông")
    (m,) = provinces.find(nfd)
    assert m.name == "Đắk Nông"
    assert unicodedata.normalize("NFC", nfd[m.start : m.end]) == "Đắk Nông"
    assert [m.name for m in provinces.find("UBND TỈNH ÐẮK NÔNG")] == ["Đắk Nông"]  # Icelandic eth for Đ


def test_find_without_diacritics(provinces: Provinces) -> None:
    text = "So Noi vu tinh Lam Dong va tinh Ba Ria - Vung Tau"  # ASCII spellings are listed aliases
    assert [m.name for m in provinces.find(text)] == ["Lâm Đồng", "Bà Rịa - Vũng Tàu"]
    text = "Sở Nội vụ tỉnh Lâm Đông và tỉnh Quang Ngãi"  # a slip in the diacritics
    assert provinces.find(text) == []
    assert [m.name for m in provinces.find(text, ignore_diacritics=True)] == ["Lâm Đồng", "Quảng Ngãi"]


def test_level_of(provinces: Provinces) -> None:
    assert provinces.level_of("Huế") == "thành phố"
    assert provinces.level_of("Lai Châu") == "tỉnh"


# -- abbreviations -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("abbr", "full"),
    [
        ("LĐLĐ", "Liên đoàn Lao động"),
        ("UBND", "Ủy ban nhân dân"),
        ("HĐND", "Hội đồng nhân dân"),
        ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc"),
        ("CĐN", "Công đoàn ngành"),
        ("CDN", "Công đoàn ngành"),
        ("CĐVC", "Công đoàn Viên chức"),
        ("ĐUK", "Đảng ủy Khối"),
        ("BQLKKT", "Ban Quản lý Khu kinh tế"),
        ("STTTT", "Sở Thông tin và Truyền thông"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở GDĐT", "Sở Giáo dục và Đào tạo"),
        ("Tổng LĐLĐVN", "Tổng Liên đoàn Lao động Việt Nam"),
        ("TTg", "Thủ tướng Chính phủ"),
        ("CNVCLĐ", "công nhân, viên chức, lao động"),
        ("VPTU", "Văn phòng Tỉnh ủy"),
        ("TP", "thành phố"),
    ],
)
def test_expand(abbreviations: Abbreviations, abbr: str, full: str) -> None:
    assert abbreviations.expand(abbr) == full


def test_expand_whole_token_only(abbreviations: Abbreviations) -> None:
    assert abbreviations.expand("UBNDX") is None
    assert abbreviations.expand("ubnd") is None  # case matters: "tt" is not "TT"
    assert abbreviations.expand("LĐLĐ tỉnh") is None


def test_ambiguous_abbreviations_list_their_readings(abbreviations: Abbreviations) -> None:
    for abbr in ("TP", "TT", "CT", "TTĐT", "BTC"):
        entry = abbreviations.get(abbr)
        assert entry is not None and entry.ambiguous and entry.alternatives, abbr
    tp = abbreviations.get("TP")
    assert tp is not None and "Tư pháp" in tp.alternatives


def test_expand_text(abbreviations: Abbreviations) -> None:
    text = "BTV LĐLĐ tỉnh, Sở TP, UBND TP Cần Thơ và TT HĐND; ĐUK không phải ĐU"
    assert abbreviations.expand_text(text) == (
        "Ban Thường vụ Liên đoàn Lao động tỉnh, Sở Tư pháp, Ủy ban nhân dân thành phố Cần Thơ và "
        "Thường trực Hội đồng nhân dân; Đảng ủy Khối không phải Đảng ủy"
    )
    assert abbreviations.expand_text("TT Y tế huyện") == "TT Y tế huyện"  # ambiguous: left alone
    found = [(m.text, m.start) for m in abbreviations.find("Kế hoạch số 173-KH/TU của BTV Tỉnh ủy")]
    assert found == [("TU", 19), ("BTV", 26)]


# -- document types ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("KH", "Kế hoạch"),
        ("QĐ", "Quyết định"),
        ("QyĐ", "Quy định"),
        ("QĐi", "Quy định"),
        ("CTr", "Chương trình"),
        ("CT", "Chỉ thị"),
        ("TTr", "Tờ trình"),
        ("HD", "Hướng dẫn"),
        ("HĐ", "Hợp đồng"),
        ("KL", "Kết luận"),
        ("NĐ-CP", "Nghị định"),
        ("TT-BTC", "Thông tư"),
        ("TTLT", "Thông tư liên tịch"),
        ("GUQ", "Giấy ủy quyền"),
        ("QD", "Quyết định"),
    ],
)
def test_by_code(types: DocumentTypes, code: str, name: str) -> None:
    found = types.by_code(code)
    assert found is not None and found.name == name


def test_by_code_family_and_unknown(types: DocumentTypes) -> None:
    party = types.by_code("TT", family="party")
    assert party is not None and party.name == "Thông tri"
    assert {t.name for t in types.all_by_code("TT")} == {"Thông tư", "Thông tri"}
    assert types.by_code("XYZ") is None
    assert types.by_code("252") is None


@pytest.mark.parametrize("written", ["kế hoạch", "KẾ HOẠCH", "Kế hoạch", "Ke hoach", "KẾ HOẠCH:"])
def test_by_name(types: DocumentTypes, written: str) -> None:
    found = types.by_name(written)
    assert found is not None and found.name == "Kế hoạch" and found.codes == ("KH",)


def test_document_type_names(types: DocumentTypes) -> None:
    names = types.names()
    assert {"Kế hoạch", "Công văn", "Luật", "Nghị định", "Kết luận", "Thông tri"} <= set(names)
    assert len(names) == len(set(names))


# -- heading categories ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("MỤC ĐÍCH, YÊU CẦU", ("purpose",)),
        ("I. MỤC ĐÍCH, YÊU CẦU", ("purpose",)),
        ("I. Mục đích, yêu cầu:", ("purpose",)),
        ("THỜI GIAN, NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN", ("content", "timeline", "forms")),
        ("Tình thức tuyên truyền", ("forms",)),
        ("IV. Tình thức tuyên truyền:", ("forms",)),
        ("KINH PHÍ THỰC HIỆN", ("budget",)),
        ("TỔ CHỨC THỰC HIỆN", ("implementation",)),
        ("THỜI GIAN THỰC HIỆN", ("timeline",)),
        ("ĐOÀN KIỂM TRA, ĐƠN VỊ ĐƯỢC KIỂM TRA, THỜI GIAN KIỂM TRA", ("timeline", "other")),
        ("PHƯƠNG PHÁP KIỂM TRA", ("forms",)),
        ("CHỈ TIÊU CHỦ YẾU", ("purpose",)),
        ("NỘI DUNG, GIẢI PHÁP TRỌNG TÂM VÀ PHÂN CÔNG NHIỆM VỤ", ("content", "implementation")),
        ("CHẾ ĐỘ BÁO CÁO", ("other",)),
        ("ĐỐI TƯỢNG, NỘI DUNG VÀ HÌNH THỨC TUYÊN TRUYỀN", ("content", "forms", "other")),
        ("II. NỘI DUNG TUYÊN TRUYỀN", ("content",)),
        ("III. HÌNH THỨC TUYÊN TRUYỀN CHỦ YẾU", ("forms",)),
        ("PHÂN CÔNG NHIỆM VỤ", ("implementation",)),
        ("KINH PHÍ TỔ CHỨC THỰC HIỆN", ("budget",)),
        ("TRÁCH NHIỆM CỦA CÁC SỞ, BAN, NGÀNH", ("implementation",)),
        ("CÁC NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", ("content",)),
        ("MUC DICH, YEU CAU", ("purpose",)),
        ("Tổ chức thực hiện và chế độ báo cáo", ("implementation", "other")),
        ("TUYÊN TRUYỀN KỶ NIỆM 50 NĂM", ("other",)),
        ("", ("other",)),
    ],
)
def test_categorize(headings: HeadingCategories, heading: str, expected: tuple[str, ...]) -> None:
    assert headings.categorize(heading) == expected


def test_categorize_ignores_tone_placement_and_encoding(headings: HeadingCategories, tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "THỜI GIAN VÀ HÌNH THỨC")
    assert headings.categorize(nfd) == ("timeline", "forms")
    path = _write(
        tmp_path,
        "h.json",
        {
            "categories": [
                {"category": "purpose", "keywords": ["ý nghĩa"]},
                {"category": "other_budget", "keywords": ["hòa giải"]},
            ]
        },
    )
    custom = HeadingCategories.from_file(path)
    assert custom.categorize("HOÀ GIẢI") == ("other_budget",)  # new-style tone placement
    assert custom.categorize("Ý NGHĨA, HÒA GIẢI") == ("purpose", "other_budget")
    assert custom.categorize("Tổ chức thực hiện") == ("other",)


# -- user files --------------------------------------------------------------------------------------------


def test_unknown_key_names_file_and_entry(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "mine.json",
        {"provinces": [{"name": "Hà Tây", "kind": "tỉnh", "status": "current", "alias": ["Ha Tay"]}]},
    )
    with pytest.raises(GazetteerError, match=r"mine\.json: provinces\[0\] \('Hà Tây'\): unknown key 'alias'"):
        Provinces.from_file(path)

    path = _write(tmp_path, "top.json", {"abbreviations": [], "extra": 1})
    with pytest.raises(GazetteerError, match=r"top\.json: unknown key 'extra'"):
        Abbreviations.from_file(path)

    path = _write(tmp_path, "types.json", {"types": [{"name": "Kế hoạch", "codes": ["KH"], "family": "admin"}]})
    with pytest.raises(GazetteerError, match=r"types\.json: types\[0\] \('Kế hoạch'\): 'family'"):
        DocumentTypes.from_file(path)

    path = _write(tmp_path, "heads.json", {"categories": [{"category": "forms", "keyword": ["cách làm"]}]})
    with pytest.raises(GazetteerError, match=r"heads\.json: categories\[0\] \('forms'\): unknown key 'keyword'"):
        HeadingCategories.from_file(path)


def test_bad_json_and_bad_links(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"bad\.json: not valid JSON"):
        DocumentTypes.from_file(bad)
    path = _write(
        tmp_path,
        "links.json",
        {
            "provinces": [
                {
                    "name": "Hà Tây",
                    "kind": "tỉnh",
                    "status": "merged",
                    "merged_into": "Atlantis",
                    "until": "2008-07-31",
                }
            ]
        },
    )
    with pytest.raises(GazetteerError, match="Atlantis"):
        Provinces.from_file(path)


def test_user_file_extends_default(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "ha_tay.json",
        {
            "provinces": [
                {
                    "name": "Hà Tây",
                    "kind": "tỉnh",
                    "aliases": ["Ha Tay"],
                    "status": "merged",
                    "merged_into": "Hà Nội",
                    "until": "2008-07-31",
                }
            ]
        },
    )
    extended = Provinces.from_file(path, extend_default=True)
    assert len(extended) == len(Provinces.default()) + 1
    assert extended.current_name("Hà Tây") == "Hà Nội"
    assert [m.name for m in extended.find("tỉnh Hà Tây (cũ) và tỉnh Lai Châu")] == ["Hà Tây", "Lai Châu"]

    path = _write(
        tmp_path, "abbr.json", {"abbreviations": [{"abbr": "LĐLĐ", "full": "Liên đoàn", "kind": "organ"}]}
    )
    assert Abbreviations.from_file(path, extend_default=True).expand("LĐLĐ") == "Liên đoàn"
    assert Abbreviations.default().expand("LĐLĐ") == "Liên đoàn Lao động"


def test_fold_moves_tones_like_the_plain_rule() -> None:
    """The tone pattern opens with its letters (for speed); it must move exactly the pairs that
    "(?<!q)(?:oà|...)(?!\\w)" moves: not after "q", only at a syllable's end."""
    import itertools
    import re

    from pipeline.rules import gazetteer

    plain = re.compile(r"(?<!q)(?:" + "|".join(sorted(gazetteer._TONE_MOVES)) + r")(?!\w)")
    for n in range(5):
        for chars in itertools.product("qouàéỷn ", repeat=n):
            s = "".join(chars)
            moved = plain.sub(gazetteer._move_tone, s)
            assert gazetteer._TONE_RE.sub(gazetteer._move_tone, s) == moved, repr(s)
    assert fold("Khánh Hoà, Thuỷ, quý, hoàn") == "khánh hòa, thủy, quý, hoàn"
    assert fold("ÐÀ NẴNG") == "đà nẵng"
    long_text = "Khánh Hoà " * 200
    assert fold(long_text) == "khánh hòa " * 200 and fold(long_text) is fold(long_text)


def test_heading_with_damaged_diacritics_is_read_on_its_letters() -> None:
    """A scan's heading whose diacritics name no category is read again without them; a heading that is
    "other" with its diacritics right stays other."""
    categories = HeadingCategories.default()
    assert categories.categorize("TỎ CHỨC THỰC HIỆN") == ("implementation",)
    assert categories.categorize("CHÍ TIỂU XÂY DỰNG XÃ") == categories.categorize("CHỈ TIÊU XÂY DỰNG XÃ")
    assert categories.categorize("CÁC ĐỒNG CHÍ THAM DỰ") == ("other",)


# -- fast forms of the patterns: they must match exactly like their plain, readable forms ----------------


def _seed_texts() -> list[str]:
    from tests.conftest import SEEDS

    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _random_texts(pieces: list[str], n: int, seed: int) -> list[str]:
    import random

    rnd = random.Random(seed)
    glue = ["", " ", "  ", "-", " - ", ".", ". ", "\n", ",", "(", "x"]
    return ["".join(rnd.choice(pieces) + rnd.choice(glue) for _ in range(rnd.randint(0, 7))) for _ in range(n)]


def test_units_spell_the_flexible_name_pattern() -> None:
    from pipeline.rules import gazetteer

    for key in ["hà nội", "tp.hcm", "bà rịa vũng tàu", "t.p.", "a", "x(y"]:
        assert "".join(gazetteer._units(key)) == gazetteer._flex(key)


def test_trie_matches_like_the_plain_alternation() -> None:
    """Sharing the beginnings of keys keeps the first match (and its end) at every position."""
    import itertools
    import re

    from pipeline.rules import gazetteer

    keys = ["hà nội", "hà nam", "hà", "hà giang", "hải phòng", "tp.hcm", "tp", "t.p. huế", "huế", "an giang", "a"]
    keys = sorted(set(keys), key=lambda k: (-len(k), k))
    plain = re.compile(f"(?:{'|'.join(gazetteer._flex(k) for k in keys)})(?!\\w)")
    fast = re.compile(f"(?:{gazetteer._trie([gazetteer._units(k) for k in keys])})(?!\\w)")
    texts = [
        "".join(t)
        for n in range(4)
        for t in itertools.product(["hà", " ", "nội", "-", "tp", ".", "hcm"], repeat=n)
    ]
    for text in texts + _random_texts([*keys, "giang", "nam", "hải"], 3000, seed=1):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], repr(text)


def test_province_scanner_finds_what_the_readable_pattern_finds(provinces: Provinces) -> None:
    """:meth:`Provinces._scan` (first-character groups, tries) against the readable pattern's matches."""
    from pipeline.rules import gazetteer

    names = [n for p in provinces for n in p.forms] + list(provinces.designators) + list(provinces.stop_phrases)
    texts = _seed_texts() + _random_texts([*names, "tỉnh", "thành phố", "TP.", "Ủy ban"], 4000, seed=2)
    # the scanner consumes the character before a name: names at the very start, glued by one character
    # or to a word, and a text that is a name whole
    texts += ["Hà Nội", "Hà Nội,Huế", "tỉnh Lâm Đồng;Huế", "xHuế Huế", "Huế\nHuế", "TP.HCM-Hà Nội", " Huế", "ĐHuế"]
    # and lets the word characters of other scripts through its first class: the exact form takes over
    texts += ["ΩHuế Huế", "Hà Nội 中Hà Nội Huế", "“Huế” ЖHuế", "Huế ٣Huế, tỉnh Lâm Đồng"]
    for strip in (False, True):
        readable = provinces._pattern(strip)
        for text in texts:
            folded = gazetteer._fold_map(text, strip).text
            expected = [
                (m.start("name"), m.end("name"), m.group("des") is not None) for m in readable.finditer(folded)
            ]
            assert list(provinces._scan(folded, strip)) == expected, repr(text[:80])
    text = _seed_texts()[0]
    assert list(provinces.finditer(text)) == provinces.find(text)


def test_the_class_before_a_name_takes_what_non_word_takes_in_the_listed_blocks() -> None:
    """The scanner's first class: every ``\\W`` character, and the word characters of the Latin and
    Vietnamese blocks never (those of other scripts do pass it, and :meth:`Provinces._scan` checks them)."""
    import re

    from pipeline.rules import gazetteer

    before = re.compile(gazetteer._before_name_class())
    listed = [range(low, high + 1) for low, high in gazetteer._LISTED_BLOCKS]
    for code in [*range(0x2100), *range(0x1E00, 0x1F00), 0x201C, 0x3000, 0x4E2D, 0xFF10, 0x1D7CE]:
        c = chr(code)
        listed_word = re.match(r"\w", c) is not None and any(code in r for r in listed)
        assert (before.match(c) is None) == listed_word, hex(code)


def test_abbreviation_pattern_matches_like_the_readable_one(abbreviations: Abbreviations) -> None:
    import re

    from pipeline.rules import gazetteer

    keys = sorted(abbreviations._by_form, key=lambda k: (-len(k), k))
    readable = re.compile(gazetteer._abbreviation_readable(keys))
    for text in _seed_texts() + _random_texts([*keys, "&", "Ủy ban", "x"], 4000, seed=3):
        assert [m.span() for m in abbreviations._pattern.finditer(text)] == [
            m.span() for m in readable.finditer(text)
        ], repr(text[:80])


def test_heading_keywords_pattern_matches_like_the_readable_one() -> None:
    import re

    from pipeline.rules import gazetteer

    categories = HeadingCategories.default()
    for strip in (False, True):
        keys = list(categories._table[strip])
        readable = re.compile(gazetteer._word_pattern_readable(keys))
        fast = categories._patterns[strip]
        lines = [fold(line, strip_diacritics=strip) for text in _seed_texts() for line in text.splitlines()]
        for text in lines + _random_texts([*keys, "các", "về", "x"], 3000, seed=4):
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in readable.finditer(text)]
            first, plain_first = fast.match(text), readable.match(text)
            assert (first and first.span()) == (plain_first and plain_first.span())


def test_one_scan_tells_when_a_fold_needs_more_than_lower_case() -> None:
    """:data:`_FOLD_WORK_RE` finds something exactly where a combining mark or a tone to move is."""
    import itertools

    from pipeline.rules import gazetteer

    alphabet = ["q", "o", "u", "à", "é", "ỷ", "n", " ", "\u0301", "a"]
    for n in range(5):
        for chars in itertools.product(alphabet, repeat=n):
            s = "".join(chars)
            either = gazetteer._COMBINING_RE.search(s) or gazetteer._TONE_RE.search(s)
            assert (gazetteer._FOLD_WORK_RE.search(s) is None) == (either is None), repr(s)
    nfd = unicodedata.normalize("NFD", "Khánh Hoà, Thuỷ")
    assert fold(nfd) == "khánh hòa, thủy" and fold("Hoà Bình") == "hòa bình"
