"""Normalization on real Vietnamese administrative text: every rewrite keeps the offset map right."""

from __future__ import annotations

import unicodedata

from pipeline.model import RawDocument
from pipeline.normalize import normalize


def norm(text: str, pages: list[int] | None = None):
    return normalize(RawDocument(text=text, format="txt", page_starts=pages or [0]))


def _check_map(raw: str, n) -> None:
    assert len(n.to_raw) == len(n.text) + 1
    assert all(0 <= o <= len(raw) for o in n.to_raw)
    assert n.to_raw == sorted(n.to_raw)


def test_decomposed_diacritics_become_nfc() -> None:
    raw = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Quảng Ngãi ban hành Kế hoạch")
    n = norm(raw)
    assert n.text == "Ủy ban nhân dân tỉnh Quảng Ngãi ban hành Kế hoạch"
    _check_map(raw, n)


def test_one_tone_placement_convention() -> None:
    n = norm("Uỷ ban hoà giải; công tác thuỷ lợi; sức khoẻ")
    assert n.text == "Ủy ban hòa giải; công tác thủy lợi; sức khỏe"
    assert n.to_raw[:5] == [0, 1, 2, 3, 4]


def test_emphasis_marks_removed_but_ornament_and_bullets_kept() -> None:
    raw = "ĐẢNG ỦY KHỐI\n*\n**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\n* Bước một\nhằng năm báo cáo (*qua Sở Tài chính*)."
    n = norm(raw)
    assert "**" not in n.text
    assert "(qua Sở Tài chính)" in n.text
    assert "\n*\n" in n.text
    assert "* Bước một" in n.text
    _check_map(raw, n)
    start = n.text.index("KT. CHỦ TỊCH")
    assert raw[n.to_raw[start] : n.to_raw[start] + 12] == "KT. CHỦ TỊCH"


def test_line_broken_inside_a_name_is_joined() -> None:
    raw = (
        "1. Sự ra đời, ý nghĩa và vai trò lãnh đạo của Đảng Cộng sản Việt\n\n"
        "Nam, Đảng bộ tỉnh qua các kỳ đại hội.\n\n2. Nội dung khác."
    )
    n = norm(raw)
    assert "Đảng Cộng sản Việt Nam, Đảng bộ tỉnh" in n.text
    assert "\n\n2. Nội dung khác." in n.text


def test_break_after_function_word_is_joined_but_title_and_preamble_stay_apart() -> None:
    raw = (
        "KẾ HOẠCH\n\nTuyên truyền kỷ niệm ngày thành lập Công đoàn Việt Nam\n\n"
        "Thực hiện Kế hoạch số 12-KH/TU của Ban Thường vụ Tỉnh ủy, theo hướng dẫn do\n\n"
        "Văn phòng Trung ương Đảng phát hành, Ban Thường vụ ban hành kế hoạch như sau:"
    )
    n = norm(raw)
    assert "Công đoàn Việt Nam\n\nThực hiện" in n.text
    assert "hướng dẫn do Văn phòng Trung ương" in n.text
    assert "KẾ HOẠCH\n\nTuyên truyền" in n.text


def test_lower_case_continuation_joined_headings_and_bullets_not() -> None:
    raw = "Tuyên truyền đại hội đảng bộ các cấp\n\ntiến tới Đại hội XIV\n\n1. Mục đích\n\n- Tiếp tục tuyên truyền"
    n = norm(raw)
    assert n.text.startswith("Tuyên truyền đại hội đảng bộ các cấp tiến tới Đại hội XIV\n\n1. Mục đích\n\n- Tiếp")


def test_document_number_broken_at_hyphen_is_rejoined() -> None:
    raw = "Theo đề nghị của Sở Thông tin và Truyền thông tại Tờ trình số 55/TTr-\nSTTTT ngày 17/6/2021"
    n = norm(raw)
    assert "55/TTr-STTTT ngày" in n.text
    _check_map(raw, n)


def test_page_starts_follow_the_text() -> None:
    raw = "Trang một có chữ.\n\n\n\nTrang hai bắt đầu ở đây."
    second = raw.index("Trang hai")
    n = norm(raw, [0, second])
    assert n.text[n.page_starts[1] :].startswith("Trang hai")
    assert n.page_of(n.page_starts[1]) == 2


def test_spaces_tabs_and_crlf() -> None:
    raw = "Số:\t252/KH-LĐLĐ  \r\nLai Châu,  ngày 20 tháng 5 năm 2021\u00a0"
    n = norm(raw)
    assert n.text == "Số: 252/KH-LĐLĐ\nLai Châu, ngày 20 tháng 5 năm 2021"
    _check_map(raw, n)


def test_edge_space_pattern_matches_like_the_plain_one() -> None:
    """The edge-space pattern is written with its lookbehinds after the first space, for speed; it must
    match exactly where "(?<! ) +\\n|\\n +|^ +|(?<! ) +$" does."""
    import itertools
    import re

    from pipeline.normalize import _EDGE_SPACES

    plain = re.compile(r"(?<! ) +\n|\n +|^ +|(?<! ) +$")
    for n in range(7):
        for chars in itertools.product(" \na", repeat=n):
            s = "".join(chars)
            assert [m.span() for m in plain.finditer(s)] == [m.span() for m in _EDGE_SPACES.finditer(s)], repr(s)


def test_tone_placement_of_a_long_text_keeps_length_and_offsets() -> None:
    text = "Uỷ ban nhân dân tỉnh Khánh Hoà\nThuỷ lợi, hoà bình và quý vị " * 40
    n = norm(text)
    assert "Ủy ban nhân dân tỉnh Khánh Hòa" in n.text and "Thủy lợi, hòa bình và quý vị" in n.text
    assert "Uỷ" not in n.text and "Hoà" not in n.text


def test_broken_number_pattern_matches_like_the_plain_one() -> None:
    """The broken-number pattern opens with its slash or hyphen, for speed; it must find the same matches
    and the same group as "(?<=\\d)([/-][A-ZĐa-zđ&]{1,12}[/-]|[/-])[ \\t]*\\n[ \\t\\n]*(?=[A-ZĐ]{2,})"."""
    import itertools
    import random
    import re

    from pipeline.normalize import _BROKEN_NUMBER

    plain = re.compile(r"(?<=\d)([/-][A-ZĐa-zđ&]{1,12}[/-]|[/-])[ \t]*\n[ \t\n]*(?=[A-ZĐ]{2,})")

    def same(s: str) -> None:
        want = [(m.span(), m.group(1)) for m in plain.finditer(s)]
        assert want == [(m.span(), m.group(1)) for m in _BROKEN_NUMBER.finditer(s)], repr(s)

    for n in range(6):
        for chars in itertools.product("5/-aB \n", repeat=n):
            same("".join(chars))
    rng = random.Random(8)
    for _ in range(20000):
        same("".join(rng.choice("12/-aĐđB& \t\nTTr") for _ in range(rng.randint(5, 30))))


def test_line_break_pattern_joins_like_the_plain_one() -> None:
    """The line-break pattern skips breaks after a newline or a sentence end; the joins must be the ones
    that every break handed to :func:`_should_join` gives."""
    import random
    import re

    from pipeline.normalize import _join_edits
    from pipeline.rules.language import LanguageRules

    rules = LanguageRules.default()
    pieces = [
        "của",
        "và",
        "Việt",
        "Nam",
        "Sở Nội vụ",
        "tỉnh.",
        "a)",
        "- ",
        "1.",
        "năm 2025;",
        ":",
        "”",
        "\n",
        "\n\n",
    ]
    rng = random.Random(8)
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    texts += ["\n\n\nx", "x.\n\ny", "x\n\n\ny", "\n", "a\n.\nb", "dài dòng " * 6 + "\nViệt Nam"]
    every_break = re.compile(r"\n\n?")
    assert [_join_edits(t, rules) for t in texts] == [_join_edits(t, rules, every_break) for t in texts]
    plain = re.compile(r"(?<![\n.:;!?…)\]”\"'/|])\n\n?")
    for t in texts:
        assert [m.span() for m in plain.finditer(t)] == [
            m.span() for m in normalize_module()._LINE_BREAK.finditer(t)
        ]


def normalize_module():
    import pipeline.normalize

    return pipeline.normalize


def test_reordered_patterns_match_like_the_plain_ones() -> None:
    """Patterns written to open with a literal (for speed) find what their plain forms find."""
    import itertools
    import random
    import re

    n = normalize_module()
    pairs = [
        (re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,400}?)(?<=[^\s*])\*(?![\w*])"), n._ITALIC),
        (re.compile(r"(?<=\S) {2,}(?=\S)"), n._INNER_SPACES),
        (re.compile(r"\n{3,}"), n._MANY_BLANKS),
    ]

    def same(s: str) -> None:
        for plain, fast in pairs:
            want = [(m.span(), m.groups()) for m in plain.finditer(s)]
            assert want == [(m.span(), m.groups()) for m in fast.finditer(s)], (plain.pattern, s)

    for length in range(7):
        for chars in itertools.product("* a\n", repeat=length):
            same("".join(chars))
    rng = random.Random(5)
    for _ in range(20000):
        same(
            "".join(
                rng.choice(["*", "**", " ", "  ", "\n", "a", "đ", "_", "1", "\t"])
                for _ in range(rng.randint(1, 25))
            )
        )


def test_space_and_edge_space_edits_are_the_plain_patterns_matches() -> None:
    """Steps 1 and 7 find their places with ``str.find``; the edits must be those of the plain patterns."""
    import itertools
    import random
    import re

    n = normalize_module()
    spaces = re.compile(
        r"\r\n?|[\t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000\u2028\u2029]|[\u200b-\u200d\ufeff\u00ad]"
    )

    def space_repl(m: re.Match[str]) -> str:
        s = m.group(0)
        if s in ("\r\n", "\r", "\u2028", "\u2029", "\f"):
            return "\n"
        return "" if s in "\u200b\u200c\u200d\ufeff\u00ad" else " "

    edge = re.compile(r"(?<! ) +\n|\n +|^ +|(?<! ) +$")
    chars = " \n\r\ta\u00a0\u200b\u00ad\f\v\u2028\u3000\ufeff\u2005"
    rng = random.Random(3)
    texts = ["".join(p) for length in range(6) for p in itertools.product(" \na\r", repeat=length)]
    texts += ["".join(rng.choice(chars) for _ in range(rng.randint(1, 40))) for _ in range(20000)]
    for t in texts:
        assert n._space_edits(t) == n._match_edits(spaces.finditer(t), space_repl), repr(t)
        want = n._match_edits(edge.finditer(t), lambda m: "\n" if "\n" in m.group(0) else "")
        assert n._edge_space_edits(t) == want, repr(t)


def test_broken_number_guard_never_skips_a_match() -> None:
    import random

    n = normalize_module()
    rng = random.Random(4)
    for _ in range(30000):
        t = "".join(
            rng.choice(["5", "/", "-", "TTr", "ST", " ", "\t", "\n", "a"]) for _ in range(rng.randint(1, 20))
        )
        if n._BROKEN_NUMBER.search(t):
            assert n._may_break_number(t), repr(t)


def test_tone_candidates_find_every_syllable_that_changes() -> None:
    """The shortcut of :func:`_fix_tones` gives what looking every syllable up gives: each key of
    underthesea's table that changes, alone, after letters (runs longer than seven letters are cut into
    pieces), between punctuation and in upper case; real plans; and text the shortcut hands back (NFD,
    with ð)."""
    import random
    import unicodedata
    from pathlib import Path

    n = normalize_module()
    assert n._tone_candidates() is not None, "underthesea's token_normalize changed shape: the shortcut is off"
    table = n._token_normalize().__globals__["token_map"]
    keys = [k for k in table if isinstance(k, str) and not k.isascii()]
    changing = [k for k in keys if n._tone_fixed(k) != k]
    assert len(changing) > 1000
    rng = random.Random(6)
    texts = []
    for key in keys:
        left = rng.choice(["", " ", "x", "ab", "Việt", "nghiêng", "abcdefg", "abcdefgh", "(", "1", "_"])
        right = rng.choice(["", " ", ",", ".", "a", "1", "_", "\n"])
        texts.append(left + key + right)
    texts.append(" ".join(changing))
    texts += [
        p.read_text(encoding="utf-8")
        for p in sorted((Path(__file__).parents[1] / "corpora" / "seeds").glob("*.txt"))
    ]
    texts += [unicodedata.normalize("NFD", "Uỷ ban hoà giải, thuỷ lợi"), "Ðảng uỷ khoá", "ðoà"]
    for t in texts:
        assert n._fix_tones(t) == n._fix_tones_everywhere(t), repr(t[:80])
    assert n._fix_tones(" ".join(changing)) != " ".join(changing)


def _reference_normalize(text: str, page_starts: list[int]):
    """Normalization as it was written before the speed-ups: every step a pattern substitution carrying a
    list of offsets, with the plain patterns. The fast :func:`normalize` must give the same text, offset
    map and page starts."""
    import bisect
    import re

    n = normalize_module()
    from pipeline.rules.language import LanguageRules

    rules = LanguageRules.default()

    def rewrite(text, to_raw, pattern, repl):
        out, new_map, pos = [], [], 0
        for m in pattern.finditer(text):
            start, end = m.span()
            new = repl(m)
            if new == m.group(0):
                continue
            out.append(text[pos:start])
            new_map.extend(to_raw[pos:start])
            out.append(new)
            if len(new) == end - start:
                new_map.extend(to_raw[start:end])
            elif m.re.groups and new == m.group(1):
                new_map.extend(to_raw[m.start(1) : m.end(1)])
            else:
                new_map.extend([to_raw[start]] * len(new))
            pos = end
        if not out:
            return text, to_raw
        out.append(text[pos:])
        new_map.extend(to_raw[pos:])
        return "".join(out), new_map

    def space_repl(m):
        s = m.group(0)
        if s in ("\r\n", "\r", "\u2028", "\u2029", "\f"):
            return "\n"
        return "" if s in "\u200b\u200c\u200d\ufeff\u00ad" else " "

    def join_repl(m):
        line_start = text.rfind("\n", 0, m.start()) + 1
        next_end = text.find("\n", m.end())
        before = text[line_start : m.start()]
        after = text[m.end() : next_end if next_end >= 0 else len(text)]
        return " " if n._should_join(before, after, rules) else m.group(0)

    to_raw = list(range(len(text) + 1))
    dotall = re.DOTALL
    steps = [
        (
            r"\r\n?|[\t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000\u2028\u2029]|[\u200b-\u200d\ufeff\u00ad]",
            0,
            space_repl,
        ),
        (r".[\u0300-\u036f]+", dotall, lambda m: unicodedata.normalize("NFC", m.group(0))),
        ("", 0, None),  # tone placement, which keeps the length
        (r"\*\*(?=\S)(.{1,800}?)(?<=\S)\*\*", dotall, lambda m: m.group(1)),
        (r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,400}?)(?<=[^\s*])\*(?![\w*])", 0, lambda m: m.group(1)),
        (r"(?<=\d)([/-][A-ZĐa-zđ&]{1,12}[/-]|[/-])[ \t]*\n[ \t\n]*(?=[A-ZĐ]{2,})", 0, lambda m: m.group(1)),
        (r"(?<! ) +\n|\n +|^ +|(?<! ) +$", 0, lambda m: "\n" if "\n" in m.group(0) else ""),
        (r"\n\n?", 0, join_repl),
        (r"\n{3,}", 0, lambda m: "\n\n"),
        (r"(?<=\S) {2,}(?=\S)", 0, lambda m: " "),
    ]
    for pattern, flags, repl in steps:
        if repl is None:
            text = n._fix_tones_everywhere(text)
        else:
            text, to_raw = rewrite(text, to_raw, re.compile(pattern, flags), repl)
    lead = len(text) - len(text.lstrip("\n"))
    trail = max(len(text.rstrip("\n")), lead)
    text, to_raw = text[lead:trail], to_raw[lead : trail + 1]
    return text, to_raw, [min(bisect.bisect_left(to_raw, s), len(to_raw) - 1) for s in page_starts]


def test_normalize_is_the_plain_step_by_step_rewrite() -> None:
    """Text, offset map and page starts are exactly those of :func:`_reference_normalize`, on the seed
    plans, on pieces of them with noise dropped in, and on random strings of the characters every step
    looks at."""
    import random
    import unicodedata
    from pathlib import Path

    seeds = [
        p.read_text(encoding="utf-8")
        for p in sorted((Path(__file__).parents[1] / "corpora" / "seeds").glob("*.txt"))
    ]
    noise = ["hoà", "Uỷ", "cuả", "khoá", "ð", "İ", "abcdefghoà", "*", "**", "/", "-", "55/TTr-", "STTTT", "."]
    noise += [";", "1.", "a)", "-", "Điều", "Việt", "Nam"]
    noise += [" ", "  ", "\n", "\n\n", "\n\n\n", "\r\n", "\r", "\t", "\f", "\u00a0", "\u200b", "\u00ad", "\x85"]
    noise += ["\u0301", "o\u0300a", "q\u0301", "a\u0335\u0301", "- ", "của Ủy ban"]
    rng = random.Random(7)
    cases = [(t, [0]) for t in seeds]
    for _ in range(300):
        t = rng.choice(seeds)
        a = rng.randrange(len(t))
        piece = list(t[a : a + rng.randint(1, 1500)])
        for _ in range(rng.randint(0, 25)):
            piece.insert(rng.randrange(len(piece) + 1), rng.choice(noise))
        s = "".join(piece)
        if rng.random() < 0.2:
            s = unicodedata.normalize("NFD", s)
        cases.append((s, [0] if rng.random() < 0.7 else [0, len(s) // 3, len(s) // 2]))
    for _ in range(3000):
        s = "".join(rng.choice(noise) for _ in range(rng.randint(0, 30)))
        cases.append((s, [0] if rng.random() < 0.7 else sorted({0, rng.randint(0, len(s))})))
    for text, pages in cases:
        got = norm(text, pages)
        assert (got.text, got.to_raw, got.page_starts) == _reference_normalize(text, pages), repr(text[:100])


def test_the_offset_map_is_built_when_first_read() -> None:
    import dataclasses
    import pickle

    from pipeline.model import NormalizedText

    raw = "Số:\t252/KH-LĐLĐ  \r\nLai Châu,  ngày 20 tháng 5 năm 2021\u00a0"
    n = norm(raw)
    assert n.__dict__["_to_raw"] is None  # not built yet
    copy = pickle.loads(pickle.dumps(n))
    assert n.to_raw == list(n.to_raw) and len(n.to_raw) == len(n.text) + 1
    assert copy == n and copy.to_raw == n.to_raw
    assert dataclasses.replace(n, text="x").to_raw == n.to_raw
    made = NormalizedText(text="ab", to_raw=[0, 1, 2])
    assert made.to_raw == [0, 1, 2] and made == NormalizedText("ab", [0, 1, 2], [0])
    made.to_raw = [0, 0, 2]
    assert made.to_raw == [0, 0, 2]
    assert "to_raw=[0, 0, 2]" in repr(made)
