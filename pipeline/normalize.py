"""Clean a reader's text into the normalized text that every offset of every table refers to.

Each step is a regular-expression rewrite that records, for every character it produces, the offset of the
reader's character it came from; the steps compose, so :class:`~pipeline.model.NormalizedText` can always
map a span back to the reader's text and its page. What normalization does, in order:

1. Line endings, no-break and zero-width spaces, soft hyphens and tabs become plain ``\\n`` and spaces.
2. Unicode NFC, so decomposed diacritics (Word 97 files, some PDFs) compare equal to precomposed ones.
3. One tone-placement convention, the one official documents use ("hòa", "thủy", "Ủy"), through
   underthesea's syllable table, so that "hoà"/"hòa" and "Uỷ"/"Ủy" are the same string.
4. Emphasis marks from Markdown conversions (``**bold**``, ``*italic*``) are removed; lone ``*`` lines
   (the party-document ornament under the organ name) and ``*`` bullets stay.
5. Document numbers that a converter broke at a hyphen or slash ("55/TTr-" at a line end, "STTTT" on the
   next) are rejoined.
6. Lines broken inside a sentence are joined back into one line (see :func:`_should_join`).
7. Spaces at line ends and beginnings are dropped and runs of blank lines become one blank line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from pipeline.model import NormalizedText, RawDocument
from pipeline.rules.language import LanguageRules

Rewrite = Callable[[re.Match[str]], str]


def _rewrite(text: str, to_raw: list[int], pattern: re.Pattern[str], repl: Rewrite) -> tuple[str, list[int]]:
    """Apply ``pattern.sub(repl)`` and carry the offset map through it.

    Characters outside matches keep their mapping. Inside a match, when the replacement is as long as the
    match, each character keeps its own source offset (a tone moved, a space for a tab); when it is the
    match's first group (emphasis marks dropped around it) the group's characters keep theirs; otherwise the
    replacement's characters map to the start of the match.
    """
    out: list[str] = []
    new_map: list[int] = []
    pos = 0
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


_SPACES = re.compile(
    r"\r\n?|[\t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000\u2028\u2029]|[\u200b-\u200d\ufeff\u00ad]"
)
_COMBINING = re.compile(r".[\u0300-\u036f]+", re.DOTALL)
_ANY_COMBINING = re.compile(r"[\u0300-\u036f]")
#: Syllable-sized runs of letters, captured so that ``split`` returns them between the text around them.
_WORD = re.compile(r"([^\W\d_]{1,7})")
_BOLD = re.compile(r"\*\*(?=\S)(.{1,800}?)(?<=\S)\*\*", re.DOTALL)
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,400}?)(?<=[^\s*])\*(?![\w*])")
# "(?<=\d)([/-][A-ZĐa-zđ&]{1,12}[/-]|[/-])[ \t]*\n[ \t\n]*(?=[A-ZĐ]{2,})" with the lookbehind after the slash
# or hyphen both branches open with, and the branches as an optional tail: the same matches and group, but
# ``re`` jumps from one slash or hyphen to the next instead of trying every position of the text.
_BROKEN_NUMBER = re.compile(r"([/-](?<=\d[/-])(?:[A-ZĐa-zđ&]{1,12}[/-])?)[ \t]*\n[ \t\n]*(?=[A-ZĐ]{2,})")
# Each alternative starts at the first space of a run, so a long run inside a line costs O(n), not O(n^2).
# They read "(?<! ) +\n|\n +|^ +|(?<! ) +$", with each lookbehind moved after the first space (where it
# looks one character further back): a pattern whose every branch opens with a literal lets ``re`` jump
# from space to newline instead of trying each position, three times faster on a plan, same matches.
_EDGE_SPACES = re.compile(r" (?<!  ) *\n|\n +| (?<![\s\S] ) *| (?<!  ) *$")
_MANY_BLANKS = re.compile(r"\n{3,}")
_INNER_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")


def _space_repl(m: re.Match[str]) -> str:
    s = m.group(0)
    if s in ("\r\n", "\r", "\u2028", "\u2029"):
        return "\n"
    if s == "\f":
        return "\n"
    if s in "\u200b\u200c\u200d\ufeff\u00ad":
        return ""
    return " "


def _nfc_repl(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", m.group(0))


@lru_cache(maxsize=1)
def _token_normalize() -> Callable[[str], str]:
    """underthesea's syllable table for tone placement and common typing slips, loaded once."""
    from underthesea.pipeline.text_normalize import token_normalize

    return token_normalize


def _fix_tones(text: str) -> str:
    """``text`` with each syllable in the official tone placement; the same length, so offsets carry over.

    One ``split`` into letter runs and separators, then a lookup per run in a table of the few runs of this
    text that change: the same runs as ``_WORD.sub`` with a replacement function would see, without a
    Python call per syllable (that call was a third of normalization's time).
    """
    parts = _WORD.split(text)
    words = parts[1::2]
    changed: dict[str, str] = {}
    for word in set(words):
        if not word.isascii():
            fixed = _tone_fixed(word)
            if fixed != word:
                changed[word] = fixed
    if not changed:
        return text
    parts[1::2] = [changed.get(w, w) for w in words]
    return "".join(parts)


@lru_cache(maxsize=65536)
def _tone_fixed(word: str) -> str:
    """The syllable in the official tone placement; cached, since a plan repeats the same few thousand."""
    fixed = _token_normalize()(word)
    if len(fixed) != len(word) or _letters(fixed) != _letters(word):
        return word
    return fixed


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _strip_tones(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if c not in _TONE_MARKS)


def _letters(word: str) -> str:
    """The base letters and tone of a syllable, ignoring where the tone sits: a safety check that the
    normalizer only moved a tone and never changed the word."""
    nfd = unicodedata.normalize("NFD", word.lower())
    return "".join(sorted(c for c in nfd if c not in _TONE_MARKS)) + "".join(c for c in nfd if c in _TONE_MARKS)


def _unwrap(m: re.Match[str]) -> str:
    return m.group(1)


def _join_broken_number(m: re.Match[str]) -> str:
    return m.group(1)


def normalize(raw: RawDocument, rules: LanguageRules | None = None) -> NormalizedText:
    """Normalize a reader's text; the result's offsets map back to ``raw.text``."""
    rules = rules or LanguageRules.default()
    text = raw.text
    to_raw = list(range(len(text) + 1))
    text, to_raw = _rewrite(text, to_raw, _SPACES, _space_repl)
    # The guards below skip a rewrite whose pattern cannot match (each needs the character tested), which
    # saves a scan of the whole text for the patterns that cannot skip ahead by themselves.
    if _ANY_COMBINING.search(text):
        text, to_raw = _rewrite(text, to_raw, _COMBINING, _nfc_repl)
    text = _fix_tones(text)  # same length, syllable by syllable: the offset map is unchanged
    if "*" in text:
        text, to_raw = _rewrite(text, to_raw, _BOLD, _unwrap)
        text, to_raw = _rewrite(text, to_raw, _ITALIC, _unwrap)
    text, to_raw = _rewrite(text, to_raw, _BROKEN_NUMBER, _join_broken_number)
    text, to_raw = _rewrite(text, to_raw, _EDGE_SPACES, lambda m: "\n" if "\n" in m.group(0) else "")
    text, to_raw = _join_lines(text, to_raw, rules)
    if "\n\n\n" in text:
        text, to_raw = _rewrite(text, to_raw, _MANY_BLANKS, lambda m: "\n\n")
    if "  " in text:
        text, to_raw = _rewrite(text, to_raw, _INNER_SPACES, lambda m: " ")
    # Leading and trailing blank lines carry nothing.
    lead = len(text) - len(text.lstrip("\n"))
    trail = max(len(text.rstrip("\n")), lead)
    text, to_raw = text[lead:trail], to_raw[lead : trail + 1]
    return NormalizedText(text=text, to_raw=to_raw, page_starts=_map_pages(raw.page_starts, to_raw))


def _map_pages(raw_starts: list[int], to_raw: list[int]) -> list[int]:
    """Normalized offset of each page start: the first normalized character at or after it."""
    import bisect

    return [min(bisect.bisect_left(to_raw, s), len(to_raw) - 1) for s in raw_starts]


#: A line break that may join two lines. After a newline or a sentence end (:data:`_ENDS_SENTENCE`) a break
#: never joins (the line before is empty, or ends a sentence), so those are not handed to Python at all;
#: a break skipped so is never joined, and one found a character later is after a newline.
_LINE_BREAK = re.compile(r"(?<![\n.:;!?…)\]”\"'/|])\n\n?")


def _join_lines(text: str, to_raw: list[int], rules: LanguageRules) -> tuple[str, list[int]]:
    """Join lines that a converter or a hard wrap broke in the middle of a sentence."""

    def repl(m: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, m.start()) + 1
        next_end = text.find("\n", m.end())
        before = text[line_start : m.start()]
        after = text[m.end() : next_end if next_end >= 0 else len(text)]
        return " " if _should_join(before, after, rules) else m.group(0)

    return _rewrite(text, to_raw, _LINE_BREAK, repl)


#: A line broken before a capitalised word is taken for a wrap only when it is at least this long: short
#: lines before a capital are names, titles and headings ("Lê Thị Hoa" / "Nơi nhận:").
MIN_WRAPPED_LINE = 40

_LIST_OR_HEADING = re.compile(
    r"^(?:[IVXLC]{1,7}\s*[.):\-–]|\d{1,3}(?:\.\d{1,3})*\s*[.):/]|[a-zđ]\s*[).]|[-+*•–●○▪■]|\[\d+\]|\(\d+\)|"
    r"(?:Điều|Chương|Mục|Phần|Phụ lục)\s)",
    re.IGNORECASE,
)
_ENDS_SENTENCE = re.compile(r"[.:;!?…)\]”\"'/|]$")


def _should_join(before: str, after: str, rules: LanguageRules) -> bool:
    """Whether the line ``before`` continues on ``after`` (separated by one newline or one blank line).

    A line continues when it does not end a sentence and the next line is not a list item or heading, and
    either the next line starts in lower case, or the break falls after a function word that cannot end a
    phrase ("của", "và", "do"), or the two words around the break form one word ("Việt" / "Nam"); these
    last two only after a line long enough to have been wrapped. Upper-case lines (organ names, headings,
    the document type) never join.
    """
    b, a = before.rstrip(), after.lstrip()
    if not b or not a or _ENDS_SENTENCE.search(b) or _LIST_OR_HEADING.match(a):
        return False
    if not any(c.islower() for c in b) or b.isupper():
        return False
    if not b[-1].isalnum() and b[-1] not in ",-–":
        return False
    first = a.split(maxsplit=1)[0]
    if first[0].islower():
        return True
    if a.isupper() or (len(first) > 1 and first.isupper()) or len(b) < MIN_WRAPPED_LINE:
        return False
    last = b.split()[-1]
    if last.lower() in rules.continuation_words:
        return True
    if b[-1] in ",-–":
        return True
    if not (last.isalpha() and first.strip(",.;:").isalpha()) or last.isupper():
        return False
    return rules.joins_across(" ".join(b.split()[-2:]), " ".join(a.split()[:2]))
