"""The organization-name matcher shared by the units and mentions tables, and its data files' loaders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extractors.unit_names import UnitNames
from pipeline.rules.agencies import Agencies, UnitRoles
from pipeline.rules.gazetteer import GazetteerError


@pytest.fixture(scope="module")
def names() -> UnitNames:
    return UnitNames.default()


def members(names: UnitNames, text: str) -> list[str]:
    found = names.match_list(text, 0)
    for m in found:  # every name is the text at its span
        assert text[m.start : m.end] == m.text
    return [m.text for m in found]


def test_a_list_of_media_splits_at_commas_that_open_a_new_name(names: UnitNames) -> None:
    text = "Báo Đắk Lắk, Đài Phát thanh và Truyền hình tỉnh, Tạp chí Chư Yang Sin, Cổng Thông tin điện tử tỉnh"
    assert members(names, text) == [
        "Báo Đắk Lắk",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Tạp chí Chư Yang Sin",
        "Cổng Thông tin điện tử tỉnh",
    ]


def test_commas_inside_a_department_name_do_not_split_it(names: UnitNames) -> None:
    assert members(names, "Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp") == [
        "Sở Văn hóa, Thể thao và Du lịch"
    ]
    # an unlisted name of the same shape ("A, B và C") stays whole too
    assert members(names, "Phòng Văn hóa, Khoa học và Thông tin huyện hướng dẫn") == [
        "Phòng Văn hóa, Khoa học và Thông tin huyện"
    ]


def test_two_departments_with_and_in_their_names(names: UnitNames) -> None:
    assert members(names, "Sở Nông nghiệp và Môi trường, Sở Dân tộc và Tôn giáo") == [
        "Sở Nông nghiệp và Môi trường",
        "Sở Dân tộc và Tôn giáo",
    ]


def test_a_name_ends_where_the_predicate_begins(names: UnitNames) -> None:
    assert members(names, "Văn phòng BQLKKT tỉnh đôn đốc các Phòng, đơn vị trực thuộc") == [
        "Văn phòng BQLKKT tỉnh"
    ]
    assert members(names, "Sở Tài chính chủ trì, phối hợp các sở, ban, ngành") == ["Sở Tài chính"]
    assert members(names, "Công an tỉnh là cơ quan thường trực") == ["Công an tỉnh"]
    assert members(names, "Báo Yên Bái tổ chức tuyên truyền") == ["Báo Yên Bái"]


def test_a_genitive_belongs_to_the_name(names: UnitNames) -> None:
    text = "Tổ Biên tập Trang TTĐT của BQLKKT tỉnh tăng cường công tác thông tin"
    assert members(names, text) == ["Tổ Biên tập Trang TTĐT của BQLKKT tỉnh"]


def test_collectives_and_their_elliptical_coordination(names: UnitNames) -> None:
    assert members(names, "các Phòng, đơn vị trực thuộc có trách nhiệm chỉ đạo") == [
        "các Phòng, đơn vị trực thuộc"
    ]
    assert members(names, "Các chi, đảng bộ cơ sở, các đoàn thể Khối") == [
        "Các chi, đảng bộ cơ sở",
        "các đoàn thể Khối",
    ]
    # "sở, ban, ngành" is one fixed coordination: what follows it is another member
    assert members(
        names, "Các sở, ban, ngành, đoàn thể và Ủy ban nhân dân các xã, phường, đặc khu căn cứ chức năng"
    ) == ["Các sở, ban, ngành", "đoàn thể", "Ủy ban nhân dân các xã, phường, đặc khu"]


def test_a_list_of_places_stays_in_one_name(names: UnitNames) -> None:
    assert members(names, "UBND các huyện, thị xã, thành phố") == ["UBND các huyện, thị xã, thành phố"]
    assert members(names, "Liên đoàn lao động các huyện, thành phố, công đoàn ngành và Công đoàn Viên chức") == [
        "Liên đoàn lao động các huyện, thành phố",
        "công đoàn ngành",
        "Công đoàn Viên chức",
    ]


def test_a_level_that_begins_a_name_is_not_another_place(names: UnitNames) -> None:
    text = "Hội Nông dân tỉnh, Hội Cựu chiến binh tỉnh, Tỉnh đoàn"
    assert members(names, text) == ["Hội Nông dân tỉnh", "Hội Cựu chiến binh tỉnh", "Tỉnh đoàn"]


def test_semicolons_separate_members(names: UnitNames) -> None:
    text = "Các sở, ban, ngành; UBND các xã, phường, đặc khu; các cơ quan, đơn vị có liên quan"
    assert members(names, text) == [
        "Các sở, ban, ngành",
        "UBND các xã, phường, đặc khu",
        "các cơ quan, đơn vị có liên quan",
    ]


def test_words_that_begin_like_an_organ_are_not_names_in_running_text(names: UnitNames) -> None:
    for text in (
        "Tổ chức hội nghị quán triệt Nghị quyết.",
        "Báo cáo kết quả thực hiện trước ngày 30/11.",
        "Phòng, chống ma túy trong trường học.",
        "Hội nghị sơ kết được tổ chức tại hội trường.",
        "Ban hành kế hoạch cụ thể.",
    ):
        assert names.find_all(text) == [], text


def test_running_text_finds_named_partners_not_collectives(names: UnitNames) -> None:
    text = "Chủ trì, phối hợp với Sở Thông tin và Truyền thông, các sở, ngành và UBND tỉnh Đắk Lắk định hướng."
    assert [m.text for m in names.find_all(text)] == ["Sở Thông tin và Truyền thông", "UBND tỉnh Đắk Lắk"]


def test_upper_case_header_names_and_their_wrapped_line(names: UnitNames) -> None:
    text = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTM. BAN THƯỜNG VỤ\n"
    assert [m.text for m in names.find_all(text)] == ["ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG", "BAN THƯỜNG VỤ"]


def test_canonical_forms(names: UnitNames) -> None:
    assert names.canonical("LĐLĐ tỉnh") == "Liên đoàn Lao động tỉnh"
    assert names.canonical("Sở Thông tin truyền thông") == "Sở Thông tin và Truyền thông"
    assert names.canonical("Ban chỉ đạo 35 Đảng ủy khối") == "Ban Chỉ đạo 35 Đảng ủy Khối"
    assert names.canonical("Văn phòng BQLKKT tỉnh") == "Văn phòng Ban Quản lý Khu kinh tế tỉnh"
    assert names.canonical("Sở Văn hoá, Thể thao và Du lịch") == "Sở Văn hóa, Thể thao và Du lịch"
    assert names.canonical("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG") == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert names.canonical("các sở, ban, ngành") == "Các sở, ban, ngành"


# -- the loaders ------------------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_packaged_lists_hold_the_2025_departments() -> None:
    agencies = {a.name for a in Agencies.default().agencies}
    for name in ("Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo", "Sở Thông tin và Truyền thông"):
        assert name in agencies


def test_an_unknown_key_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "agencies.json", {"agencies": [], "openers": [], "opener": []})
    with pytest.raises(GazetteerError, match=r"agencies\.json.*unknown key 'opener'"):
        Agencies.from_file(path)
    path = write(
        tmp_path, "bad_agency.json", {"agencies": [{"name": "Sở Y tế", "kind": "x", "alias": []}], "openers": []}
    )
    with pytest.raises(GazetteerError, match=r"bad_agency\.json: agencies\[0\].*unknown key 'alias'"):
        Agencies.from_file(path)
    path = write(
        tmp_path, "roles.json", {"roles": {"lead": [], "coordinate": []}, "predicate_words": [], "cues": []}
    )
    with pytest.raises(GazetteerError, match=r"roles\.json.*unknown key 'cues'"):
        UnitRoles.from_file(path)


def test_a_link_phrase_must_give_a_known_role(tmp_path: Path) -> None:
    data = {"roles": {"lead": [], "coordinate": []}, "predicate_words": [], "link_phrases": {"chỉ đạo": "boss"}}
    with pytest.raises(GazetteerError, match="link_phrases"):
        UnitRoles.from_file(write(tmp_path, "roles.json", data))


def test_names_grouped_by_first_letter_match_like_the_plain_alternation(names: UnitNames) -> None:
    """The name patterns are compiled as tries (branches sharing their first letters), for speed: on the
    bundled plans they must find exactly what the plain alternation finds, at every position."""
    import re

    from pipeline.extractors.unit_names import _phrase_pattern
    from pipeline.rules.gazetteer import fold

    a = names.agencies
    known = {form: ag.name for ag in a.agencies for form in ag.forms}
    plain = {
        "_openers": re.compile(rf"(?<!\w)(?:{_phrase_pattern(a.openers)})(?!\w)"),
        "_tails": re.compile(rf"(?<!\w)(?:{_phrase_pattern(a.tails)})(?!\w)"),
        "_predicate": re.compile(rf"(?<!\w)(?:{_phrase_pattern(names.roles.predicate_words)})(?!\w)"),
    }
    seeds = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
    for e in names.abbreviations:  # as UnitNames lists them: full forms of organ abbreviations are names
        if e.kind == "organ" and not e.ambiguous and e.full[:1].isupper() and " " in e.full:
            known.setdefault(e.full, e.full)
    plain["_known"] = re.compile(rf"(?<!\w)(?:{_phrase_pattern(known)})(?!\w)")
    forms = sorted(
        {
            f
            for e in names.abbreviations
            if e.kind == "organ" and not e.ambiguous and e.full[:1].isupper()
            for f in e.forms
        },
        key=lambda f: (-len(f), f),
    )
    abbr = "|".join(r"[ \t]+".join(re.escape(w) for w in f.split()) for f in forms)
    plain_abbr = re.compile(rf"(?<![\w&/-])(?:{abbr})(?![\w&])")
    for path in sorted(seeds.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        text = fold(raw)
        assert any(fold(k) in text for k in known)
        for attr, rx in [*plain.items(), ("_abbr", plain_abbr)]:
            grouped = getattr(names, attr)
            subject = raw if attr == "_abbr" else text  # abbreviations are matched as written
            assert [m.span() for m in rx.finditer(subject)] == [m.span() for m in grouped.finditer(subject)]
            for pos in range(len(subject)):
                m1, m2 = rx.match(subject, pos), grouped.match(subject, pos)
                assert (m1 and m1.span()) == (m2 and m2.span()), (attr, pos)


def test_a_list_is_tried_only_where_its_first_run_of_letters_stands(names: UnitNames) -> None:
    """Each part of a name is tried only at a word whose first run of letters opens one of the list's
    phrases (``_opens``, ``_abbr_runs``), and a strict name only at a capital (``_may_open``): for speed.
    Wherever a list's pattern matches, the gate must let it be tried, at every position of the seed plans,
    of the same plans in capitals, and of short texts made of the lists' own phrases; no list may be
    skipped where it would have matched."""
    import itertools
    import re

    from pipeline.extractors import unit_names as un
    from pipeline.rules.gazetteer import fold

    lists = {
        un._KNOWN: names._known,
        un._OPENER: names._openers,
        un._DETERMINER: names._fixed,
        un._EXCEPTION: names._exceptions,
        un._BARE_FIXED: names._bare_fixed,
        un._BARE_NOUN: names._bare_noun,
        un._ADMIN: names._admin,
        un._TAIL: names._tails,
        un._NAME_WORD: names._name_words,
        un._PREDICATE: names._predicate,
        un._BREAKER: names._breakers,
        un._GENITIVE: names._genitive,
    }
    a = names.agencies
    phrases = [*a.openers, *a.tails, *a.name_words, *a.collective_nouns, *a.fixed_coordinations]
    phrases += [*names.roles.predicate_words[:40], *names.language.admin_levels, *a.collective_determiners]
    phrases += [ag.name for ag in a.agencies[:60]] + ["UBND", "Sở TT&TT", "VP UBND", "của", "thuộc", "XIII"]
    rng = __import__("random").Random(6)
    soups = [
        "".join(rng.choice(phrases) + rng.choice([" ", ", ", " - ", "\n", "&", ""]) for _ in range(6))
        for _ in range(300)
    ]
    seeds = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
    plans = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    tried = dict.fromkeys(lists, 0)
    for raw in itertools.chain(plans, (p.upper() for p in plans), soups):
        folded = fold(raw)
        for pos in range(len(raw)):
            opens = names._opens(folded, pos)
            for bit, rx in lists.items():
                if rx.match(folded, pos):
                    assert opens & bit, (bit, raw[pos : pos + 40])
                    tried[bit] += 1
            if names._abbr.match(raw, pos):
                run = re.match(r"\w+", raw[pos:])
                assert names._abbr_runs is None or (run and run.group() in names._abbr_runs), raw[pos:]
            assert names._may_open(raw, pos) == (raw[pos].isupper() or bool(names._abbr.match(raw, pos)))
    assert all(tried.values()), tried  # every list matched somewhere, so each gate was put to the test
    for tok in ["IV", "XIII", "IVa", "iv", "12", "", "I\n", "V-I", "Đ"]:
        assert un._is_number(tok) == (tok.isdigit() or bool(un._ROMAN.match(tok))), tok


def test_a_trie_keeps_the_order_of_the_alternation() -> None:
    """Where two branches can match at one position, the trie tries them in the flat alternation's order:
    a branch that ends where a longer one goes on ("a ," before "a,b" when sorted, "A    B" before "A B
    C"), punctuation whose spaces can be taken in more than one way, a repeated spelling. Checked at every
    position of every short text made of the phrases' own pieces."""
    import itertools
    import re

    from pipeline.extractors.unit_names import _compile, _compile_forms, _phrase_pattern, _word_atoms

    pieces = ["a", "b", "c", "sở", "y", " ", ",", "-"]
    texts = ["".join(p) for n in range(1, 6) for p in itertools.product(pieces, repeat=n)]
    for phrases in (
        ["a ,", "a,b", "a", "a , b c", "ab"],
        ["sở y", "sở", "sở - y", "sở-y b", "sở, y", "sở ,", "sở,"],
    ):
        fast = _compile(phrases)
        plain = re.compile(rf"(?<!\w)(?:{_phrase_pattern(phrases)})(?!\w)")
        for text in texts:
            for pos in range(len(text)):
                m1, m2 = plain.match(text, pos), fast.match(text, pos)
                assert (m1 and m1.span()) == (m2 and m2.span()), (phrases, text, pos)
    forms = ["A B C D E", "A    B", "A B C", "A B", "AB"]  # in the matcher's order: longest first
    fast = _compile_forms([_word_atoms(f) for f in forms])
    plain = re.compile(rf"(?<![\w&/-])(?:{'|'.join(''.join(_word_atoms(f)) for f in forms)})(?![\w&])")
    for text in [
        "".join(p) for n in range(1, 7) for p in itertools.product(["A", "B", "C", "D", " ", "&"], repeat=n)
    ]:
        for pos in range(len(text)):
            m1, m2 = plain.match(text, pos), fast.match(text, pos)
            assert (m1 and m1.span()) == (m2 and m2.span()), (text, pos)


def test_a_strict_name_in_lower_case_needs_an_abbreviation(names: UnitNames) -> None:
    """``match`` and ``find_all`` give up at once on a lower-case position where no abbreviation begins, when
    matching strictly (``_may_open``), without asking ``_head``: whatever else begins there, the name it makes
    is not an abbreviation, and a strict name that is not one must begin with a capital. Checked against
    ``_head`` itself and the lenient reading at every position of the seed plans."""
    from pipeline.extractors.unit_names import _folded

    for path in sorted((Path(__file__).resolve().parent.parent / "corpora" / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        folded = _folded(text)
        for pos in range(len(text)):
            if text[pos].isupper() or names._abbr.match(text, pos):
                continue
            assert names._head(text, folded, pos, False, False) is None
            head = names._head(text, folded, pos, True, False)
            assert head is None or head[1] != "abbreviation", (path.name, pos)


def test_the_last_word_read_backwards_is_the_last_word() -> None:
    """``_inside_upper_run`` matches ``_LAST_WORD_REVERSED`` at the start of the reversed text instead of
    searching it for ``_LAST_WORD``: the same word (or none) for every ending of the text before a name,
    a final line break that ``$`` passes over included."""
    import itertools

    from pipeline.extractors.unit_names import _LAST_WORD, _LAST_WORD_REVERSED

    pieces = ["", "ỦY", "BAN", "a", "x_1", " ", "  ", "\t", "\n", ",", "-", "\u00a0", "(", "HỘI"]
    for parts in itertools.product(pieces, repeat=4):
        before = "".join(parts)
        m1 = _LAST_WORD.search(before)
        m2 = _LAST_WORD_REVERSED.match(before[::-1])
        assert (m1 and m1.group(1)) == (m2 and m2.group(1)[::-1]), repr(before)


def test_the_start_scanners_find_where_the_exact_patterns_match(names: UnitNames) -> None:
    """:meth:`UnitNames.find_all` looks for the starts of listed names and openers with a pattern that opens
    with the character before them (:class:`_StartScanner`): on the bundled plans and on random strings it
    must give the starts of the exact pattern's ``finditer``, from any start and to any end, including
    names at the very start, glued to a word, and after word characters of other scripts (where it falls
    back on the exact pattern)."""
    import random

    from pipeline.extractors.unit_names import _folded

    seeds = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
    texts = [_folded(p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("*.txt"))]
    pieces = ["sở y tế", "ban", "ủy ban nhân dân", "đoàn", "trung tâm", "tổ", "x", " ", "\n", ",", "“", "…"]
    pieces += ["中", "Ω", "٣", "²", "_", "-", "tỉnh", "văn phòng", "báo", "đài", "ngân hàng", "a"]
    rnd = random.Random(7)
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))) for _ in range(6000)]
    texts += ["sở y tế", "ban", "xban ban", "中ban ban", "ban中 ban", "“ban” Ωban", "ban\nđoàn, tổ"]
    for scanner in (names._known_starts, names._opener_starts):
        assert scanner.fast is not None
        for text in texts:
            for start, end in [(0, len(text)), (1, len(text)), (3, max(len(text) - 2, 0))]:
                exact = [m.start() for m in scanner.exact.finditer(text, start, end)]
                assert scanner.starts(text, start, end) == exact, (text, start, end)
