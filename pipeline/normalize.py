"""Clean a reader's text into the normalized text that every offset of every table refers to.

Each step is a rewrite that records, for every character it produces, the offset of the reader's
character it came from; the steps compose, so :class:`~pipeline.model.NormalizedText` can always map a span
back to the reader's text and its page. What normalization does, in order:

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

How it stays cheap (a plan takes well under a millisecond): each step lists its *edits* (start, end,
replacement) and the text is rebuilt only when there are some. The edits are kept, and the offset map is
worked out from them (as a short list of pieces, :class:`_OffsetMap`) only when someone reads
:attr:`NormalizedText.to_raw` or the document has pages to map: most runs never do. Steps that can find
their few places with ``str.find`` do so instead of a regular-expression scan, each pattern that does scan
opens with a literal ``re`` can jump to, and tone placement looks up only the syllables that can change
(:func:`_tone_candidates`). The tests hold every step to the plain pattern it replaces.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

from pipeline.model import NormalizedText, RawDocument
from pipeline.rules.language import LanguageRules

Rewrite = Callable[[re.Match[str]], str]
#: One edit of a step: ``text[start:end]`` becomes ``new``; ``source`` is the span of the step's input whose
#: offsets ``new``'s characters take, one each (as long as ``new``), or None when all of them take the offset
#: of ``start``.
Edit = tuple[int, int, str, "tuple[int, int] | None"]


class _OffsetMap:
    """The offset in the reader's text of each character of the current text (and of its end).

    Kept as pieces ``(length, base, step)``: ``length`` consecutive entries ``base, base + step, ...``
    with ``step`` 1 (characters kept in order) or 0 (a replacement whose characters all come from one
    place). A plan needs a few dozen pieces where the list of integers has one entry per character.
    """

    __slots__ = ("pieces", "starts")

    def __init__(self, pieces: list[tuple[int, int, int]]) -> None:
        self.pieces = pieces
        starts, total = [], 0
        for length, _, _ in pieces:
            starts.append(total)
            total += length
        self.starts = starts

    @classmethod
    def identity(cls, size: int) -> _OffsetMap:
        return cls([(size, 0, 1)])

    def value(self, i: int) -> int:
        k = bisect.bisect_right(self.starts, i) - 1
        _, base, step = self.pieces[k]
        return base + step * (i - self.starts[k])

    def _slice(self, a: int, b: int, out: list[tuple[int, int, int]]) -> None:
        """Append the pieces of entries ``[a, b)`` to ``out``."""
        if a >= b:
            return
        starts, pieces = self.starts, self.pieces
        k = bisect.bisect_right(starts, a) - 1
        while a < b:
            length, base, step = pieces[k]
            first = starts[k]
            end = min(first + length, b)
            _append(out, end - a, base + step * (a - first), step)
            a = end
            k += 1

    def edited(self, edits: list[Edit], size: int) -> _OffsetMap:
        """The map after ``edits`` (in order, not overlapping) of a text whose map this is (``size`` entries)."""
        out: list[tuple[int, int, int]] = []
        pos = 0
        for start, end, new, source in edits:
            self._slice(pos, start, out)
            if source is not None:
                self._slice(source[0], source[1], out)
            elif new:
                _append(out, len(new), self.value(start), 0)
            pos = end
        self._slice(pos, size, out)
        return _OffsetMap(out)

    def sliced(self, a: int, b: int) -> _OffsetMap:
        out: list[tuple[int, int, int]] = []
        self._slice(a, b, out)
        return _OffsetMap(out)

    def to_list(self) -> list[int]:
        result: list[int] = []
        for length, base, step in self.pieces:
            if step:
                result.extend(range(base, base + length))
            else:
                result.extend([base] * length)
        return result


def _append(out: list[tuple[int, int, int]], length: int, base: int, step: int) -> None:
    """Append a piece, merged with the last one when it simply continues it."""
    if length <= 0:
        return
    if out:
        last_length, last_base, last_step = out[-1]
        if last_step == step and ((step and last_base + last_length == base) or (not step and last_base == base)):
            out[-1] = (last_length + length, last_base, step)
            return
    out.append((length, base, step))


def _applied(text: str, edits: list[Edit]) -> str:
    pieces: list[str] = []
    pos = 0
    for start, end, new, _ in edits:
        pieces.append(text[pos:start])
        pieces.append(new)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


class _Text:
    """The text being normalized, rewritten step by step, and the edits of each step: its offset map is
    only worked out when asked for (:meth:`offsets`)."""

    __slots__ = ("raw_size", "steps", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.raw_size = len(text) + 1
        self.steps: list[tuple[list[Edit], int]] = []

    def edit(self, edits: list[Edit]) -> None:
        if edits:
            self.steps.append((edits, len(self.text) + 1))
            self.text = _applied(self.text, edits)

    def offsets(self, start: int, end: int) -> _Offsets:
        """What gives ``to_raw`` for the current text's entries ``[start, end)``, when called."""
        return _Offsets(self.steps, self.raw_size, start, end)


class _Offsets:
    """``to_raw`` of a normalized text, worked out from the steps' edits when called."""

    __slots__ = ("end", "raw_size", "start", "steps")

    def __init__(self, steps: list[tuple[list[Edit], int]], raw_size: int, start: int, end: int) -> None:
        self.steps, self.raw_size, self.start, self.end = steps, raw_size, start, end

    def __call__(self) -> list[int]:
        offsets = _OffsetMap.identity(self.raw_size)
        for edits, size in self.steps:
            offsets = offsets.edited(edits, size)
        return offsets.sliced(self.start, self.end).to_list()


def _match_edits(matches: Iterable[re.Match[str]], repl: Rewrite) -> list[Edit]:
    """The edits of ``pattern.sub(repl)`` over ``matches``: a replacement as long as its match keeps each
    character's own offset (a tone moved, a space for a tab); one that is the match's first group (emphasis
    marks dropped around it) keeps the group's; any other takes the offset of the start of the match."""
    edits: list[Edit] = []
    for m in matches:
        new = repl(m)
        if new == m.group(0):
            continue
        start, end = m.span()
        if len(new) == end - start:
            source: tuple[int, int] | None = (start, end)
        elif m.re.groups and new == m.group(1):
            source = m.span(1)
        else:
            source = None
        edits.append((start, end, new, source))
    return edits


#: What step 1 replaces, and by what. ``\r\n`` is one edit (a newline), found at its ``\r``.
_SPACE_REPLACEMENTS = {
    "\r": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
    "\f": "\n",
    **dict.fromkeys("\u200b\u200c\u200d\ufeff\u00ad", ""),
    **dict.fromkeys("\t\v\u00a0\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B))), " "),
}
_COMBINING = re.compile(r".[\u0300-\u036f]+", re.DOTALL)
_ANY_COMBINING = re.compile(r"[\u0300-\u036f]")
#: Syllable-sized runs of letters, captured so that ``split`` returns them between the text around them.
_WORD = re.compile(r"([^\W\d_]{1,7})")
_LETTER = re.compile(r"[^\W\d_]")
_BOLD = re.compile(r"\*\*(?=\S)(.{1,800}?)(?<=\S)\*\*", re.DOTALL)
# "(?<![\w*])\*(?=[^\s*])([^*\n]{1,400}?)(?<=[^\s*])\*(?![\w*])" with the lookbehind moved after the star
# (where it looks one character further back): the same matches, but ``re`` jumps from star to star.
_ITALIC = re.compile(r"\*(?<![\w*]\*)(?=[^\s*])([^*\n]{1,400}?)(?<=[^\s*])\*(?![\w*])")
# "(?<=\d)([/-][A-ZĐa-zđ&]{1,12}[/-]|[/-])[ \t]*\n[ \t\n]*(?=[A-ZĐ]{2,})" with the lookbehind after the slash
# or hyphen both branches open with, and the branches as an optional tail: the same matches and group, but
# ``re`` jumps from one slash or hyphen to the next instead of trying every position of the text.
_BROKEN_NUMBER = re.compile(r"([/-](?<=\d[/-])(?:[A-ZĐa-zđ&]{1,12}[/-])?)[ \t]*\n[ \t\n]*(?=[A-ZĐ]{2,})")
# Each alternative starts at the first space of a run, so a long run inside a line costs O(n), not O(n^2).
# They read "(?<! ) +\n|\n +|^ +|(?<! ) +$", with each lookbehind moved after the first space (where it
# looks one character further back). The pattern is only tried where ``str.find`` saw a match could begin
# (:func:`_edge_space_edits`).
_EDGE_SPACES = re.compile(r" (?<!  ) *\n|\n +| (?<![\s\S] ) *| (?<!  ) *$")
# "\n{3,}" and "(?<=\S) {2,}(?=\S)", opening with the literal they need.
_MANY_BLANKS = re.compile(r"\n\n\n+")
_INNER_SPACES = re.compile(r"  (?<=\S  ) *(?=\S)")


def _space_edits(text: str) -> list[Edit]:
    """Step 1's edits, found with ``str.find``: every character of :data:`_SPACE_REPLACEMENTS` is its own
    edit (``\\r\\n`` one), as the plain pattern
    ``\\r\\n?|[\\t\\f\\v\\u00a0\\u2000-\\u200a\\u202f\\u205f\\u3000\\u2028\\u2029]|[\\u200b-\\u200d\\ufeff\\u00ad]``
    would find them, without scanning the text with a pattern that has no literal to jump to."""
    edits: list[Edit] = []
    find = text.find
    for char, new in _SPACE_REPLACEMENTS.items():
        if char not in text:
            continue
        i = find(char)
        while i >= 0:
            end = i + 2 if char == "\r" and text.startswith("\n", i + 1) else i + 1
            edits.append((i, end, new, (i, end) if len(new) == end - i else None))
            i = find(char, end)
    edits.sort()
    return edits


def _nfc_repl(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", m.group(0))


@lru_cache(maxsize=1)
def _token_normalize() -> Callable[[str], str]:
    """underthesea's syllable table for tone placement and common typing slips, loaded once."""
    from underthesea.pipeline.text_normalize import token_normalize

    return token_normalize


def _fix_tones(text: str, nfc: bool | None = None) -> str:
    """``text`` with each syllable in the official tone placement; the same length, so offsets carry over.

    A syllable here is a run of letters cut into pieces of at most seven (what ``_WORD.split`` gives), and
    only those that are not ASCII are looked up. :func:`_tone_candidates` finds the few runs whose last
    piece can change, so most plans never split their text at all; text it cannot vouch for (not NFC, or
    holding a character underthesea rewrites) takes :func:`_fix_tones_everywhere`. ``nfc`` says whether
    ``text`` is NFC, when the caller knows.
    """
    finder = _tone_candidates()
    if finder is None or not (unicodedata.is_normalized("NFC", text) if nfc is None else nfc):
        return _fix_tones_everywhere(text)
    pattern, rewritten_chars = finder
    if any(char in text for char in rewritten_chars):
        return _fix_tones_everywhere(text)
    letter = _LETTER.match
    pieces: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        start, end = m.span()
        while start > 0 and letter(text, start - 1):
            start -= 1
        run = text[start:end]
        for i in range(0, len(run), 7):
            word = run[i : i + 7]
            if word.isascii():
                continue
            fixed = _tone_fixed(word)
            if fixed != word:
                pieces += (text[pos : start + i], fixed)
                pos = start + i + len(word)
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def _fix_tones_everywhere(text: str) -> str:
    """:func:`_fix_tones` by looking every piece up: one ``split`` into letter runs and separators, then a
    lookup per run in a table of the few runs of this text that change."""
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
#: The shape of underthesea's ``token_normalize`` that :func:`_tone_candidates` relies on: names each
#: function uses (its code's ``co_names``). Another shape (a new underthesea) disables the shortcut.
_EXPECTED_NAMES = {
    "token_normalize": ("len", "normalize_characters_in_text", "token_map"),
    "normalize_characters_in_text": ("utf8_normalize", "character_normalize"),
    "character_normalize": ("character_map", "replace"),
}


@lru_cache(maxsize=1)
def _tone_candidates() -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    """A pattern that finds every letter run whose last piece :func:`_tone_fixed` changes, and the
    characters that underthesea rewrites before its lookup; None if underthesea is not as expected.

    underthesea's ``token_normalize`` leaves a word longer than six letters alone; otherwise it composes it
    (NFC), replaces the characters of its ``character_map`` (ð for đ) and looks the result up in its
    ``token_map``. So in NFC text without those characters, a piece changes only if it is a key of
    ``token_map`` that :func:`_tone_fixed` accepts. Such a piece is at most six letters, so it is the last
    piece of its run (the pieces before the last have seven) and ends where the run ends. Each key has a
    tone mark (or, were one without, is matched whole); the pattern matches, at the end of a run, the key
    from its first toned letter on, with the letter before that checked by a lookbehind: it opens with the
    toned letter, which ``re`` can jump to. A plan has a dozen such runs ("quả" ends like "cuả"), and only
    those are cut into pieces and looked up.
    """
    token_normalize = _token_normalize()
    try:
        normalize_chars = token_normalize.__globals__["normalize_characters_in_text"]
        character_normalize = normalize_chars.__globals__["character_normalize"]
        functions = {
            "token_normalize": token_normalize,
            "normalize_characters_in_text": normalize_chars,
            "character_normalize": character_normalize,
        }
        if any(functions[name].__code__.co_names != names for name, names in _EXPECTED_NAMES.items()):
            return None
        token_map = token_normalize.__globals__["token_map"]
        character_map = character_normalize.__globals__["character_map"]
        keys = [key for key in token_map if isinstance(key, str) and not key.isascii()]
        rewritten = tuple(key for key in character_map if isinstance(key, str) and key)
    except (AttributeError, KeyError, TypeError):
        return None
    # toned letter -> rest of the key after it -> letters allowed before it (None: the key starts there)
    tails: dict[str, dict[str, set[str | None]]] = {}
    for key in keys:
        if _tone_fixed(key) == key:
            continue
        toned = [i for i, ch in enumerate(key) if _TONE_MARKS & set(unicodedata.normalize("NFD", ch))]
        i = toned[0] if toned else 0
        tails.setdefault(key[i], {}).setdefault(key[i + 1 :], set()).add(key[i - 1] if i else None)
    if not tails:
        return re.compile("(?!)"), rewritten
    branches = []
    for anchor, by_tail in sorted(tails.items()):
        alternatives = []
        for tail, before in sorted(by_tail.items(), key=lambda item: (-len(item[0]), item[0])):
            alternative = re.escape(tail)
            if None not in before:
                chars = "".join(sorted(c for c in before if c is not None))
                alternative += f"(?<=[{re.escape(chars)}]{re.escape(anchor + tail)})"
            alternatives.append(alternative)
        branches.append(re.escape(anchor) + "(?:" + "|".join(alternatives) + ")")
    return re.compile("(?:" + "|".join(branches) + r")(?![^\W\d_])"), rewritten


def _letters(word: str) -> str:
    """The base letters and tone of a syllable, ignoring where the tone sits: a safety check that the
    normalizer only moved a tone and never changed the word."""
    nfd = unicodedata.normalize("NFD", word.lower())
    return "".join(sorted(c for c in nfd if c not in _TONE_MARKS)) + "".join(c for c in nfd if c in _TONE_MARKS)


def _unwrap(m: re.Match[str]) -> str:
    return m.group(1)


def _join_broken_number(m: re.Match[str]) -> str:
    return m.group(1)


def _may_break_number(text: str) -> bool:
    """Whether :data:`_BROKEN_NUMBER` can match: each match holds a slash or hyphen, then only spaces or
    tabs up to a newline. Found with ``str.find``, which is far cheaper than the pattern's scan."""
    if "-\n" in text or "/\n" in text:
        return True
    for gap in (" \n", "\t\n"):
        i = text.find(gap)
        while i >= 0:
            j = i
            while j > 0 and text[j - 1] in " \t":
                j -= 1
            if j > 0 and text[j - 1] in "/-":
                return True
            i = text.find(gap, i + 2)
    return False


def _edge_space_edits(text: str) -> list[Edit]:
    """Step 7's edits: ``_EDGE_SPACES.finditer`` with a space-or-newline replacement, but the pattern is
    only tried where a match can begin: at the first space of a run before a newline, at a newline before
    a space, at the start of the text and at the first space of a run that ends it. ``str.find`` lists
    those few places; each is tried in order, skipping those inside the match before, as ``finditer``
    would."""
    find = text.find
    starts: list[int] = []
    i = find(" \n")
    while i >= 0:
        j = i
        while j > 0 and text[j - 1] == " ":
            j -= 1
        starts.append(j)
        i = find(" \n", i + 2)
    i = find("\n ")
    while i >= 0:
        starts.append(i)
        i = find("\n ", i + 2)
    if text.startswith(" "):
        starts.append(0)
    if text.endswith(" "):
        starts.append(len(text.rstrip(" ")))
    if not starts:
        return []
    starts.sort()
    edits: list[Edit] = []
    pos = 0
    match = _EDGE_SPACES.match
    for start in starts:
        if start < pos:
            continue
        m = match(text, start)
        if m is None:
            continue
        pos = m.end()
        edits.append((start, pos, "\n" if "\n" in m.group() else "", None))
    return edits


def normalize(raw: RawDocument, rules: LanguageRules | None = None) -> NormalizedText:
    """Normalize a reader's text; the result's offsets map back to ``raw.text``."""
    rules = rules or LanguageRules.default()
    doc = _Text(raw.text)
    doc.edit(_space_edits(doc.text))
    # The guards below skip a step that cannot change anything (each needs what is tested), which saves
    # a scan of the whole text. In NFC text each character with its combining marks is NFC already.
    nfc: bool | None = unicodedata.is_normalized("NFC", doc.text)
    if not nfc and _ANY_COMBINING.search(doc.text):
        doc.edit(_match_edits(_COMBINING.finditer(doc.text), _nfc_repl))
        nfc = None  # not known any more
    doc.text = _fix_tones(doc.text, nfc)  # same length, syllable by syllable: the offset map is unchanged
    if "*" in doc.text:
        doc.edit(_match_edits(_BOLD.finditer(doc.text), _unwrap))
        doc.edit(_match_edits(_ITALIC.finditer(doc.text), _unwrap))
    if _may_break_number(doc.text):
        doc.edit(_match_edits(_BROKEN_NUMBER.finditer(doc.text), _join_broken_number))
    doc.edit(_edge_space_edits(doc.text))
    doc.edit(_join_edits(doc.text, rules))
    if "\n\n\n" in doc.text:
        doc.edit(_match_edits(_MANY_BLANKS.finditer(doc.text), lambda m: "\n\n"))
    if "  " in doc.text:
        doc.edit(_match_edits(_INNER_SPACES.finditer(doc.text), lambda m: " "))
    # Leading and trailing blank lines carry nothing.
    text = doc.text
    lead = len(text) - len(text.lstrip("\n"))
    trail = max(len(text.rstrip("\n")), lead)
    to_raw = doc.offsets(lead, trail + 1)
    text = text[lead:trail]
    if all(start <= 0 for start in raw.page_starts):
        # the first normalized offset whose source is at or after a start <= 0 is 0
        return NormalizedText.deferred(text, to_raw, [0] * len(raw.page_starts))
    offsets = to_raw()
    return NormalizedText(text=text, to_raw=offsets, page_starts=_map_pages(raw.page_starts, offsets))


def _map_pages(raw_starts: list[int], to_raw: list[int]) -> list[int]:
    """Normalized offset of each page start: the first normalized character at or after it."""
    return [min(bisect.bisect_left(to_raw, s), len(to_raw) - 1) for s in raw_starts]


#: A line break that may join two lines. After a newline or a sentence end (:data:`_ENDS_SENTENCE`) a break
#: never joins (the line before is empty, or ends a sentence), so those are not handed to Python at all;
#: a break skipped so is never joined, and one found a character later is after a newline. The lookbehind
#: comes after the newline (looking one character further back), so that ``re`` jumps from newline to
#: newline: "(?<![\n.:;!?…)\]”\"'/|])\n\n?" reads the same.
_LINE_BREAK = re.compile(r"\n(?<![\n.:;!?…)\]”\"'/|]\n)\n?")


def _join_edits(text: str, rules: LanguageRules, pattern: re.Pattern[str] = _LINE_BREAK) -> list[Edit]:
    """The edits that join lines a converter or a hard wrap broke in the middle of a sentence: each break
    becomes one space."""
    edits: list[Edit] = []
    rfind, find = text.rfind, text.find
    for m in pattern.finditer(text):
        start, end = m.span()
        next_end = find("\n", end)
        before = text[rfind("\n", 0, start) + 1 : start]
        after = text[end : next_end if next_end >= 0 else len(text)]
        if _should_join(before, after, rules):
            edits.append((start, end, " ", (start, end) if end - start == 1 else None))
    return edits


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
