"""Organization names in running text: where a unit's name starts, where it ends, and how a list splits.

Plans name their units in prose, not in a field: "Sở Thông tin và Truyền thông chủ trì", "Báo Đắk Lắk, Đài
Phát thanh và Truyền hình tỉnh, Tạp chí Chư Yang Sin", "UBND các huyện, thị xã, thành phố". A name's end and
a list's commas are ambiguous in the text alone ("Sở Văn hóa, Thể thao và Du lịch" is one unit), so the
matcher reads them with what ``agencies.json`` knows about the genre:

* a name begins with a listed agency ("Sở Nội vụ", "Ban Chỉ đạo"), an opener and what follows it ("Tạp chí
  Chư Yang Sin"), an organ abbreviation ("UBND", "LĐLĐ", "Sở TTTT"), or a collective ("các sở, ban, ngành");
* it goes on over capitalised words and the lower-case syllable that completes one ("Tài chính", "Đảng ủy"),
  over words that official names use in lower case ("Sở Giao thông vận tải"), over a place ("tỉnh Lâm Đồng",
  "các huyện, thị xã, thành phố"), a tail ("trực thuộc", "có liên quan"), a genitive ("Trang TTĐT của BQLKKT
  tỉnh"), and over "và", "-" or ", ... và" when a capitalised word that does not begin another name follows
  ("Ban Tuyên giáo và Nữ công", "Ban Tổ chức - Kiểm tra");
* it stops at the predicate ("chủ trì", "đôn đốc", "là", from ``unit_roles.json``), at punctuation, and at a
  comma or "và" that another name follows — which is where a list splits.

Matching ignores case and tone placement for the listed names (``fold``), so "Ban chỉ đạo" and upper-case
headers are read like the written form; offsets always refer to the original text. The matcher is strict in
running text (a name must be capitalised and more than a bare opener) and lenient inside a list or at the head
of an item, where "công đoàn ngành" and a bare "Văn phòng" are units.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.extractors.casing import Recaser, is_upper_case
from pipeline.rules.agencies import Agencies, UnitRoles
from pipeline.rules.gazetteer import Abbreviations, Provinces, class_in_listed_blocks, fold
from pipeline.rules.language import LanguageRules

__all__ = ["NameMatch", "UnitNames"]

_TOKEN = re.compile(r"\w+(?:[&'’-]\w+)*")
#: :data:`_TOKEN` after the blanks before it (``_SPACES``), with its first run of letters apart: group 1 is
#: the word, group 2 that run (what :meth:`UnitNames._opens` and ``_abbr_runs`` look up); both None when no
#: word follows the blanks.
_SPACED_WORD = re.compile(r"[ \t\u00a0]*((\w+)(?:[&'’-]\w+)*)?")
_RUN = re.compile(r"\w+")
_ROMAN = re.compile(r"^[IVXLC]+$")
_SPACES = re.compile(r"[ \t\u00a0]*")
#: How :func:`_phrase_atoms` cuts a phrase into words and punctuation.
_PHRASE_TOKEN = re.compile(r"[,;]|[-–]|[^\s,;\-–]+")
#: The words that open a genitive ("Trang TTĐT của BQLKKT tỉnh").
_GENITIVE_WORDS = ("của", "thuộc")
_AND_OR_WITH = re.compile(r"(?:và|cùng)\b")

# The lists of ``agencies.json`` and ``unit_roles.json`` that a name's parts are matched against, as bits of
# the masks that :meth:`UnitNames._opens` gives: which of them may begin at a word.
_KNOWN = 1
_OPENER = 2
_DETERMINER = 4  # the collectives with a determiner: "các sở, ban, ngành", "các cơ quan"
_EXCEPTION = 8
_BARE_FIXED = 16
_BARE_NOUN = 32
_ADMIN = 64
_TAIL = 128
_NAME_WORD = 256
_PREDICATE = 512
_BREAKER = 1024
_GENITIVE = 2048
#: What :meth:`UnitNames._step` tries at a lower-case word.
_LOWER_PARTS = _GENITIVE | _ADMIN | _TAIL | _NAME_WORD | _KNOWN | _PREDICATE
_LIST_SEP = re.compile(r"[ \t]*(?:[,;][ \t]*(?:(?:và|cùng)[ \t]+)?|[ \t]+(?:và|cùng(?:[ \t]+với)?)[ \t]+)")
_DASH = re.compile(r"[ \t]*[-–][ \t]*")
_END_STRIP = " \t,;:-–"
_BLANKS = r"[ \t]+"
_LAST_WORD = re.compile(r"(\w+)[ \t]+$")
#: :data:`_LAST_WORD` read backwards: matched at the start of the reversed text, group 1 is the same word
#: reversed (``$`` also matches before a final line break, hence the ``\n?``). A search for ``_LAST_WORD``
#: tries every position of the text before it finds the last word; this is one match.
_LAST_WORD_REVERSED = re.compile(r"\n?[ \t]+(\w+)")


@dataclass(frozen=True)
class NameMatch:
    """A unit's name as written at ``[start, end)``. ``kind`` says what opened it: ``agency`` (a listed name),
    ``abbreviation``, ``opener`` (an opener and the words after it) or ``collective`` ("các sở, ban, ngành")."""

    start: int
    end: int
    text: str
    kind: str


def _phrase_pattern(phrases: Iterable[str]) -> str:
    """One alternation over folded phrases, longest first, tolerant of the spacing around commas, dashes and
    between words."""
    return "|".join(_phrase_branches(phrases)) or r"(?!)"


def _phrase_branches(phrases: Iterable[str]) -> list[str]:
    """The branches of :func:`_phrase_pattern`, in its order."""
    return ["".join(atoms) for atoms in _phrase_atoms(phrases)]


def _phrase_atoms(phrases: Iterable[str]) -> list[list[str]]:
    r"""Each branch of :func:`_phrase_pattern` as its atoms, in the same order: one per letter of a word
    (escaped), ``[ \t]+`` between two words, ``\s*,\s*`` (or ``;``, or a dash) around punctuation."""
    out = []
    for phrase in sorted({fold(p) for p in phrases if p.strip()}, key=lambda p: (-len(p), p)):
        atoms: list[str] = []
        after_word = False
        for tok in _PHRASE_TOKEN.findall(phrase):
            if tok in ",;":
                atoms.append(r"\s*" + re.escape(tok) + r"\s*")
            elif tok in "-–":
                atoms.append(r"\s*[-–]\s*")
            else:
                if after_word:
                    atoms.append(_BLANKS)
                atoms.extend(re.escape(ch) for ch in tok)
            after_word = tok not in ",;-–"
        out.append(atoms)
    return out


def _first_runs(phrases: Iterable[str]) -> set[str] | None:
    r"""The runs of letters (``\w+``, folded) that a match of :func:`_phrase_pattern` over ``phrases`` can
    begin with: each phrase's first word up to its first other character. None when a phrase begins with
    punctuation, so that a match may begin with no letter at all.

    A match begins with its phrase's first word, letter for letter, and what comes after that word's first
    run (the rest of the word, blanks, punctuation, or the end with ``(?!\w)``) is no letter: so the run of
    letters at the match's start is exactly that first run, and a position whose run is not among these
    begins no match. Looking the run up costs one short match and a dict lookup; trying the lists costs a
    match each."""
    runs: set[str] = set()
    for phrase in {fold(p) for p in phrases if p.strip()}:
        run = _RUN.match(_PHRASE_TOKEN.findall(phrase)[0])
        if run is None:
            return None
        runs.add(run.group())
    return runs


def _form_runs(forms: Iterable[str]) -> set[str] | None:
    """:func:`_first_runs` for abbreviations' forms as written (:func:`_word_atoms`), not folded."""
    runs: set[str] = set()
    for form in forms:
        words = form.split()
        if not words:
            continue
        run = _RUN.match(words[0])
        if run is None:
            return None
        runs.add(run.group())
    return runs


def _word_atoms(form: str) -> list[str]:
    r"""An abbreviation's form as atoms: its letters, escaped, and ``[ \t]+`` between its words."""
    atoms: list[str] = []
    for k, word in enumerate(form.split()):
        if k:
            atoms.append(_BLANKS)
        atoms.extend(re.escape(ch) for ch in word)
    return atoms


def _trie(branches: list[list[str]], not_after: str | None = None) -> str:
    r"""The alternation of ``branches`` (lists of atoms), in their order, written as a trie: branches that
    begin with the same atom share it (``s(?:ở nội vụ|ở y tế)`` for ``sở nội vụ|sở y tế``), and so on down.

    The same matches, found faster: ``re`` tries an alternation's branches one by one, so a position costs
    one test per branch that opens like the text; as a trie it costs one test per letter that could come
    next (scanning a plan for the listed names takes a third less time than with the branches grouped by
    their first letter only), and a pattern whose branches all open with a letter still lets ``re`` skip
    ahead to the next letter that opens a name. It matches what the flat alternation matches because the
    first branch that matches is the same one:

    * only atoms that match in one way are shared: a letter, or ``[ \t]+`` (always followed by a letter,
      so it takes every blank); an atom with ``\s*`` begins a branch's unshared rest;
    * two alternatives that begin with different shared atoms, or with different punctuation, never both
      match, so their order does not matter; within one, the branches keep their order;
    * a branch that ends at a node (``sở`` among ``sở nội vụ``, ``sở``) may match where a longer one also
      does, so it stays between the branches that came before it and those that came after it.

    ``not_after`` is a lookbehind class put after the first letter (``s(?<!\w.)(?:...)``): it looks one
    character further back than ``(?<!\w)`` before the letter would, and keeps the letter first, which is
    what lets ``re`` skip ahead.
    """
    alternatives: list[tuple[str, list[list[str]] | None]] = []  # (atom, rests); None: not shared
    shared: dict[str, list[list[str]]] = {}
    ended = False
    for atoms in branches:
        if not atoms:
            if not ended:  # a second branch ending here is the same pattern: it never matches first
                alternatives.append(("", None))
                ended = True
                shared.clear()  # the branches after it go after it
        elif atoms[0] == _BLANKS or not atoms[0].startswith(r"\s*"):
            rests = shared.get(atoms[0])
            if rests is None:
                rests = shared[atoms[0]] = []
                alternatives.append((atoms[0], rests))
            rests.append(atoms[1:])
        else:
            alternatives.append(("".join(atoms), None))
    after = f"(?<!{not_after}.)" if not_after else ""
    parts = [atom if rests is None else atom + after + _trie(rests) for atom, rests in alternatives]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _compile(phrases: Iterable[str]) -> re.Pattern[str]:
    """The folded ``phrases`` as whole words, longest first (see :func:`_trie`)."""
    branches = _phrase_atoms(phrases)
    if branches and all(len(b[0]) == 1 and b[0].isalnum() for b in branches):
        return re.compile(_trie(branches, r"\w") + r"(?!\w)")
    return re.compile(rf"(?<!\w)(?:{'|'.join(''.join(b) for b in branches) or '(?!)'})(?!\w)")


def _compile_forms(branches: list[list[str]]) -> re.Pattern[str]:
    """Abbreviations' forms (as atoms, in order) as written, not inside a longer word or a compound with
    "&", "/" or "-" (see :func:`_trie`)."""
    if branches and all(len(b[0]) == 1 and b[0].isalnum() for b in branches):
        return re.compile(_trie(branches, r"[\w&/-]") + r"(?![\w&])")
    return re.compile(rf"(?<![\w&/-])(?:{'|'.join(''.join(b) for b in branches) or '(?!)'})(?![\w&])")


_WORD_AT = re.compile(r"\w").match


@dataclass(frozen=True)
class _StartScanner:
    r"""Where the matches of a pattern of :func:`_compile` start in a folded text, found faster than by its
    ``finditer``.

    :func:`_compile`'s trie opens with the first letters of the phrases, which ``re`` skips to with a bitmap;
    but those letters (t, n, c, đ, ...) make up much of a Vietnamese text, and at each ``re`` tries the
    lookbehind and the trie. ``fast`` opens instead with the non-word character before the phrase, consumed,
    as a class of ranges (:func:`class_in_listed_blocks`): ``re`` then stops only at blanks and punctuation,
    and the scan costs a fifth less. Its matches start one character early. A phrase at the very start of
    the scan, with no character there before it, is looked for with ``exact.match``.

    The two find the same starts, in the same no-overlap chain, because every phrase ends with a letter: a
    match of ``exact`` ends before a non-word character (``(?!\w)``), which the next one that ``fast`` finds
    may take, and no match of ``exact`` begins right after a letter. The class also lets through the word
    characters of scripts other than Latin, which ``\W`` does not take: when one stands before a match of
    ``fast`` (rare in a plan), :meth:`starts` uses ``exact``.
    """

    exact: re.Pattern[str]
    fast: re.Pattern[str] | None  # None: a phrase opens or ends with no letter, ``exact`` alone is used

    @classmethod
    def of(cls, phrases: Iterable[str], exact: re.Pattern[str]) -> _StartScanner:
        """The scanner for ``exact``, which is ``_compile(phrases)``."""
        branches = _phrase_atoms(phrases)
        if not (
            branches
            and all(len(b[0]) == 1 and b[0].isalnum() and len(b[-1]) == 1 and b[-1].isalnum() for b in branches)
            and exact.pattern.endswith(r"(?!\w)")
        ):
            return cls(exact, None)
        # the trie without the lookbehind after each first letter (see :func:`_trie`): the consumed class
        # tests what it tests
        body = _trie(branches) + r"(?!\w)"
        return cls(exact, re.compile(class_in_listed_blocks(lambda c: not _WORD_AT(c)) + body))

    def starts(self, folded: str, start: int, end: int) -> list[int]:
        """The starts of ``exact.finditer(folded, start, end)``'s matches, in order."""
        if self.fast is None:
            return [m.start() for m in self.exact.finditer(folded, start, end)]
        head: list[int] = []
        pos = start - 1  # the character before ``start`` may be the one before a phrase
        if not start:
            m = self.exact.match(folded, 0, end)  # a phrase that opens the text: no character stands before it
            head, pos = ([0], m.end()) if m else ([], 0)
        before = [m.start() for m in self.fast.finditer(folded, pos, end)]
        if _WORD_SEARCH("".join(map(folded.__getitem__, before))):
            # a word character of another script, which ``\W`` does not take, before a phrase (two scans
            # in C, cheaper than a test per match)
            return [m.start() for m in self.exact.finditer(folded, start, end)]
        return head + [k + 1 for k in before]


_WORD_SEARCH = re.compile(r"\w").search


@lru_cache(maxsize=16)
def _folded(text: str) -> str:
    """``fold(text)`` with the same length as ``text``, so offsets carry over (true for NFC text; a character
    whose fold changes the length is kept as it is)."""
    out = fold(text)
    if len(out) == len(text):
        return out
    return "".join(c if len(c) == 1 else ch for ch, c in ((ch, fold(ch)) for ch in text))


@lru_cache(maxsize=4096)
def _ending(part: str) -> str:
    """:meth:`UnitNames._state_of` of a name's part. Kept per part: the same few hundred names and openers
    ("Đảng bộ", "Ban Thường vụ Tỉnh ủy") are read again and again, and a lookup costs a fifth of the
    reading."""
    words = _TOKEN.findall(part)
    last = words[-1] if words else ""
    if _is_abbr(last) or _is_number(last):
        return "abbr"
    return "cap" if _is_cap(last) else "lower"


def _is_abbr(tok: str) -> bool:
    return len(tok) >= 2 and tok.isupper()


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


def _is_number(tok: str) -> bool:
    return tok.isdigit() or (tok[:1] in "IVXLC" and bool(_ROMAN.match(tok)))


class UnitNames:
    """Finds organization names with the lists of ``agencies.json`` and the predicate words of
    ``unit_roles.json``."""

    def __init__(
        self,
        agencies: Agencies | None = None,
        roles: UnitRoles | None = None,
        abbreviations: Abbreviations | None = None,
        language: LanguageRules | None = None,
        provinces: Provinces | None = None,
    ) -> None:
        self.agencies = agencies or Agencies.default()
        self.roles = roles or UnitRoles.default()
        self.abbreviations = abbreviations or Abbreviations.default()
        self.language = language or LanguageRules.default()
        self.recase = Recaser(provinces or Provinces.default(), self.abbreviations, self.language)
        a = self.agencies
        organ_abbrs = [
            e for e in self.abbreviations if e.kind == "organ" and not e.ambiguous and e.full[:1].isupper()
        ]
        known = {form: ag.name for ag in a.agencies for form in ag.forms}
        for e in organ_abbrs:  # full forms of organ abbreviations are names too ("Liên đoàn Lao động")
            if " " in e.full:
                known.setdefault(e.full, e.full)
        self._spelling = {fold(form): name for form, name in known.items()}
        self._known = _compile(known)
        self._known_starts = _StartScanner.of(known, self._known)
        forms = sorted({f for e in organ_abbrs for f in e.forms}, key=lambda f: (-len(f), f))
        self._abbr = _compile_forms([_word_atoms(f) for f in forms if f.split()])
        #: The runs of letters an abbreviation begins with, as written; None: any position may begin one.
        self._abbr_runs = _form_runs(forms)
        #: Whether every abbreviation begins with a capital, so that none begins at a lower-case position.
        self._abbr_capitalised = all(f.split()[0][0].isupper() for f in forms if f.split())
        self._openers = _compile(a.openers)
        self._opener_starts = _StartScanner.of(a.openers, self._openers)
        self._single_openers = {fold(o) for o in a.openers if " " not in o}
        determiners = _phrase_pattern(a.collective_determiners)
        self._fixed = re.compile(
            rf"(?<!\w)(?:{determiners})[ \t]+(?:{_phrase_pattern(a.fixed_coordinations)})(?!\w)"
        )
        self._collective = re.compile(
            rf"(?<!\w)(?:{determiners})[ \t]+(?:{_phrase_pattern(a.collective_nouns)})(?!\w)"
        )
        self._bare_fixed = _compile(a.fixed_coordinations)
        self._bare_noun = _compile(a.collective_nouns)
        self._admin = re.compile(
            rf"(?<!\w)(?:(?:{determiners})[ \t]+)?(?:{_phrase_pattern(self.language.admin_levels)})(?!\w)"
        )
        self._tails = _compile(a.tails)
        self._name_words = _compile(a.name_words)
        self._exceptions = _compile(a.opener_exceptions)
        self._breakers = _compile(a.connector_breakers)
        self._predicate = _compile(self.roles.predicate_words)
        self._genitive = re.compile(rf"(?:{'|'.join(_GENITIVE_WORDS)})[ \t]+")
        self._lower_parts = (
            (_ADMIN, self._admin, "place"),
            (_TAIL, self._tails, "tail"),
            (_NAME_WORD, self._name_words, "lower"),
        )
        self._gates, self._always = _gates(
            {
                _KNOWN: _first_runs(known),
                _OPENER: _first_runs(a.openers),
                _DETERMINER: _first_runs(a.collective_determiners),
                _EXCEPTION: _first_runs(a.opener_exceptions),
                _BARE_FIXED: _first_runs(a.fixed_coordinations),
                _BARE_NOUN: _first_runs(a.collective_nouns),
                _ADMIN: _union(_first_runs(a.collective_determiners), _first_runs(self.language.admin_levels)),
                _TAIL: _first_runs(a.tails),
                _NAME_WORD: _first_runs(a.name_words),
                _PREDICATE: _first_runs(self.roles.predicate_words),
                _BREAKER: _first_runs(a.connector_breakers),
                _GENITIVE: set(_GENITIVE_WORDS),
            }
        )
        # A plan names the same units again and again, and so does a corpus: each name's canonical form is
        # worked out once per matcher (and so per rules), a bounded number of them kept.
        self._canonical = lru_cache(maxsize=8192)(self._canonical_form)

    @classmethod
    @cache
    def default(cls) -> UnitNames:
        """The matcher over the packaged lists, built once."""
        return cls()

    # -- one name ------------------------------------------------------------------------------------------

    def match(self, text: str, pos: int, *, lenient: bool = False, in_list: bool = False) -> NameMatch | None:
        """The name that begins exactly at ``pos``, or None.

        ``lenient`` accepts a lower-case start ("công đoàn ngành") and a bare opener ("Văn phòng"), as at the
        head of an item; ``in_list`` also accepts a collective noun without "các" ("đoàn thể"), as a list
        member after a comma.
        """
        if pos >= len(text) or (pos > 0 and text[pos - 1].isalnum()):
            return None
        if not lenient and not self._may_open(text, pos):
            # Strictly, only an abbreviation may open a name in lower case (see the test at the end of
            # :meth:`_head`), and none does here: most of the openers a plan's text holds ("đại hội", "nhiệm
            # vụ") stop here, before the text is folded (a task's text, say) and the patterns are tried.
            return None
        return self._match_at(text, _folded(text), pos, lenient, in_list)

    def _match_at(self, text: str, folded: str, pos: int, lenient: bool, in_list: bool) -> NameMatch | None:
        """:meth:`match` once its cheap tests have passed: nothing before ``pos`` joins it to a word, and a
        strict name may open there (:meth:`_may_open`). :meth:`find_all` makes those tests itself, with the
        text folded once, and comes straight here."""
        head = self._head(text, folded, pos, lenient, in_list)
        if head is None:
            return None
        head_end, kind, state = head
        end = self._extend(text, folded, head_end, state, pos)
        while end > pos and text[end - 1] in _END_STRIP:
            end -= 1
        if kind == "opener" and not lenient and end <= head_end:
            return None  # a bare opener ("Văn phòng", "Công an") is not a name in running text
        if kind == "bare" and not self._ends_cleanly(text, folded, end):
            return None
        return NameMatch(pos, end, text[pos:end], "collective" if kind == "bare" else kind)

    def _head(self, text: str, folded: str, pos: int, lenient: bool, in_list: bool) -> tuple[int, str, str] | None:
        """End, kind and extension state of the name's first part at ``pos``, where a strict name may open
        (its caller has asked :meth:`_may_open`)."""
        opens = self._opens(folded, pos)  # the lists that may begin here: the others are not tried
        cands: list[tuple[int, int, str, str]] = []  # (end, priority, kind, state)
        m = self._known.match(folded, pos) if opens & _KNOWN else None
        if m:
            cands.append((m.end(), 4, "agency", ""))  # its state is read below, if it wins
        m = self._abbr.match(text, pos)
        if m:
            cands.append((m.end(), 3, "abbreviation", "abbr"))
        if opens & _DETERMINER:
            m = self._fixed.match(folded, pos)
            if m:
                cands.append((m.end(), 2, "collective", "fixed"))
            else:
                m = self._collective.match(folded, pos)
                if m:
                    cands.append((m.end(), 2, "collective", "bare"))
        m = self._openers.match(folded, pos) if opens & _OPENER else None
        if m and self._opener_ok(text, folded, pos, m.end()):
            cands.append((m.end(), 1, "opener", ""))
        if in_list and not cands:
            fixed = self._bare_fixed.match(folded, pos) if opens & _BARE_FIXED else None
            m = fixed or (self._bare_noun.match(folded, pos) if opens & _BARE_NOUN else None)
            if m:
                cands.append((m.end(), 0, "bare", "fixed" if fixed else "bare"))
        if not cands:
            return None
        end, _prio, kind, state = max(cands)  # the longest, then by priority (each kind has its own)
        exc = self._exceptions.match(folded, pos) if opens & _EXCEPTION else None
        if exc and exc.end() >= end:
            return None
        if not lenient and kind != "abbreviation" and not text[pos].isupper():
            return None
        return end, kind, state or self._state_of(text, pos, end)

    def _may_open(self, text: str, pos: int) -> bool:
        """Whether a strict name may begin at ``pos``: a capital, or an abbreviation (which, when all of them
        begin with a capital, needs no try at a lower-case position)."""
        if text[pos].isupper():
            return True
        return not self._abbr_capitalised and self._abbr.match(text, pos) is not None

    def _opens(self, folded: str, pos: int) -> int:
        """The bits of the lists that may begin at ``pos`` of the folded text, from its run of letters (see
        :func:`_first_runs`); a list that cannot begin there needs no try."""
        run = _RUN.match(folded, pos)
        return self._always if run is None else self._gates.get(run.group(), 0) | self._always

    def _abbr_at(self, text: str, pos: int, run: str) -> re.Match[str] | None:
        """``_abbr.match(text, pos)`` where ``run`` is the run of letters at ``pos`` (as written)."""
        if self._abbr_runs is not None and run not in self._abbr_runs:
            return None
        return self._abbr.match(text, pos)

    def _opener_ok(self, text: str, folded: str, pos: int, end: int) -> bool:
        """A one-syllable opener ("Sở", "Tổ", "Hội") begins a name only before a capitalised word, an
        abbreviation or a number: "Sở Y tế", not "Tổ chức" or "Hội nghị"."""
        if folded[pos:end] not in self._single_openers:
            return True
        tok = _TOKEN.match(text, end + len(_SPACES.match(text, end).group(0)))
        return bool(tok) and (_is_cap(tok.group(0)) or _is_number(tok.group(0)))

    @staticmethod
    def _state_of(text: str, start: int, end: int) -> str:
        """How the text up to ``end`` ends: an abbreviation, a capitalised syllable (which a lower-case one
        may complete) or a lower-case one."""
        return _ending(text[start:end])

    def _ends_cleanly(self, text: str, folded: str, end: int) -> bool:
        """A bare collective noun is a list member only where its phrase ends: "đoàn thể và UBND ...", not
        "cơ quan thường trực"."""
        j = end + len(_SPACES.match(text, end).group(0))
        if j >= len(text) or not text[j].isalnum():
            return True
        return bool(self._predicate.match(folded, j) or _AND_OR_WITH.match(folded, j))

    # -- what may follow the first part ---------------------------------------------------------------------

    def _extend(self, text: str, folded: str, i: int, state: str, start: int) -> int:
        """Extend a name that began at ``start`` from ``i`` (see the module docstring); ``state`` is how the
        text so far ends: ``cap``, ``lower``, ``abbr``, ``place`` (an administrative level), ``placecap`` (a
        place name), ``bare`` (a collective noun that another may join: "các Phòng, đơn vị") or ``fixed``."""
        n = len(text)
        while True:
            w = _SPACED_WORD.match(text, i)
            word, run = w.group(1, 2)
            if word is not None:  # a word: not the end, a line break or punctuation
                j, word_end = w.span(1)
                if word_end == j + 2 and folded.startswith("và", j):
                    nxt = self._after_and(text, folded, word_end, state)
                    if nxt is None:
                        return i
                    i, state = nxt
                    continue
                step = self._step(text, folded, j, word, word_end, state, run)
                if step is None:
                    return i
                i, state = step
                continue
            j = w.end()
            if j < n and text[j] == "\n" and state not in ("place", "placecap"):
                k = self._header_wrap(text, folded, start, j)
                if k is not None:
                    i, state = k, "place"
                    continue
            if j >= n or text[j] == "\n":
                return i
            ch = text[j]
            if ch in ",;":
                nxt = self._after_comma(text, folded, j, state) if ch == "," else None
                if nxt is None:
                    return i
                i, state = nxt
                continue
            if ch in "-–":  # "Ban Tổ chức - Kiểm tra", "Đài Truyền thanh - Truyền hình"
                k = j + len(_DASH.match(text, j).group(0))
                tok = _TOKEN.match(text, k)
                if tok and _is_cap(tok.group(0)) and not self._breakers.match(folded, k):
                    i, state = tok.end(), self._state_of(text, k, tok.end())
                    continue
            return i  # any other character ends the name

    def _header_wrap(self, text: str, folded: str, start: int, j: int) -> int | None:
        """Where an upper-case header name wrapped onto the next line goes on ("ỦY BAN NHÂN DÂN" / "TỈNH LÂM
        ĐỒNG"): the end of that line's administrative level, or None."""
        if not is_upper_case(text[start:j]):
            return None
        k = j + 1
        line_end = text.find("\n", k)
        line_end = len(text) if line_end < 0 else line_end
        k += len(text[k:line_end]) - len(text[k:line_end].lstrip())
        m = self._admin.match(folded, k)
        if not m or not is_upper_case(text[k:line_end]) or len(text[k:line_end]) > 60:
            return None
        return m.end()

    def _step(
        self, text: str, folded: str, j: int, word: str, word_end: int, state: str, run: str
    ) -> tuple[int, str] | None:
        """One more part of a name at ``j`` (not a connector), or None where the name ends. ``run`` is the
        word's first run of letters."""
        if word[0].isupper():  # _is_cap
            m = self._known.match(folded, j)
            if m:
                return m.end(), self._state_of(text, j, m.end())
            m = self._abbr_at(text, j, run)
            if m:
                return m.end(), "abbr"
            if state == "place" or state == "placecap":
                return word_end, "placecap"
            return word_end, "abbr" if _is_abbr(word) or _is_number(word) else "cap"
        if word.isdigit():  # _is_number: a Roman numeral is capitalised
            return (word_end, "abbr") if state in ("cap", "abbr", "placecap", "lower") else None
        r = _RUN.match(folded, j)  # self._opens(folded, j), inlined: it is asked at every lower-case word
        opens = self._always if r is None else self._gates.get(r.group(), 0) | self._always
        if not opens & _LOWER_PARTS:  # none of what follows can begin here: the usual end of a name
            return (word_end, "lower") if state == "cap" else None
        m = self._genitive.match(folded, j) if opens & _GENITIVE else None
        if m and not (opens & _TAIL and self._tails.match(folded, j)):
            inner = self.match(text, m.end())
            if inner is not None and inner.kind != "collective":
                return inner.end, self._state_of(text, inner.start, inner.end)
            return None
        # the longest lower-case part that names use wins ("xã hội" over the level "xã"), unless the
        # predicate begins here ("có trách nhiệm", but "có liên quan" is a tail); what max() over the parts
        # that match, in this order, would give
        best: tuple[int, str] | None = None
        for bit, rx, kind in self._lower_parts:
            if opens & bit and (m := rx.match(folded, j)) and (best is None or (m.end(), kind) > best):
                best = (m.end(), kind)
        m = self._known.match(folded, j) if opens & _KNOWN else None
        if m and (best is None or (m.end(), self._state_of(text, j, m.end())) > best):
            best = (m.end(), self._state_of(text, j, m.end()))
        predicate = self._predicate.match(folded, j) if opens & _PREDICATE else None
        if predicate and (best is None or predicate.end() >= best[0]):
            return None
        if best is not None:
            return best
        if state == "cap":
            return word_end, "lower"
        return None

    def _after_comma(self, text: str, folded: str, j: int, state: str) -> tuple[int, str] | None:
        """What a comma at ``j`` continues: another collective noun after a bare one ("các Phòng, đơn vị"),
        another level in a list of places ("các huyện, thị xã"), or the middle of a name ("Sở Văn hóa, Thể
        thao và Du lịch"). None when the comma ends the name."""
        k = j + 1 + len(_SPACES.match(text, j + 1).group(0))
        if state == "bare":
            m = self._bare_fixed.match(folded, k) or self._bare_noun.match(folded, k)
            if m:
                return m.end(), "bare"
        if state == "place" and self._place_level(text, folded, k):
            return self._admin.match(folded, k).end(), "place"  # type: ignore[union-attr]
        end = self._internal_coordination(text, folded, k)
        return (end, "lower") if end is not None else None

    def _after_and(self, text: str, folded: str, k: int, state: str) -> tuple[int, str] | None:
        """What "và" continues: another level in a list of places, or the second half of a name ("Sở Thông
        tin và Truyền thông") when a capitalised word that does not begin another name follows."""
        k += len(_SPACES.match(text, k).group(0))
        if state == "place" and self._place_level(text, folded, k):
            return self._admin.match(folded, k).end(), "place"  # type: ignore[union-attr]
        if not self._plain_cap(text, folded, k):
            return None
        tok = _TOKEN.match(text, k)
        assert tok is not None
        return tok.end(), "cap"

    def _place_level(self, text: str, folded: str, k: int) -> bool:
        """Another level in a list of places ("các huyện, thị xã, thành phố"): lower case, without its own
        determiner, and not the start of a name ("Tỉnh đoàn", "Huyện ủy")."""
        m = self._admin.match(folded, k)
        return (
            bool(m) and text[k].islower() and not folded.startswith("các", k) and not self._known.match(folded, k)
        )

    def _plain_cap(self, text: str, folded: str, k: int) -> bool:
        """A capitalised word at ``k`` that continues a name: not the start of another one, not a word that
        never does ("Nhân dân", "Nhà nước")."""
        tok = _SPACED_WORD.match(text, k)
        word = tok.group(1)
        if word is None or tok.start(1) != k or not _is_cap(word) or _is_abbr(word):
            return False
        opens = self._opens(folded, k)
        if (
            (opens & _BREAKER and self._breakers.match(folded, k))
            or (opens & _KNOWN and self._known.match(folded, k))
            or self._abbr_at(text, k, tok.group(2))
        ):
            return False
        opener = self._openers.match(folded, k) if opens & _OPENER else None
        return not (opener and self._opener_ok(text, folded, k, opener.end()))

    def _internal_coordination(self, text: str, folded: str, k: int) -> int | None:
        """End of "B và C" after a comma inside a name ("Sở Văn hóa, Thể thao và Du lịch"), or None when what
        follows the comma is not such a run of capitalised words joined by "và"."""
        p, saw_and = k, False
        while True:
            if not self._plain_cap(text, folded, p):
                return None
            tok = _TOKEN.match(text, p)
            assert tok is not None
            p = tok.end()
            nxt = _TOKEN.match(text, p + len(_SPACES.match(text, p).group(0)))
            if (
                nxt
                and not _is_cap(nxt.group(0))
                and nxt.group(0) != "và"
                and not self._predicate.match(folded, nxt.start())
            ):
                p = nxt.end()
            q = p + len(_SPACES.match(text, p).group(0))
            if folded.startswith("và ", q):
                saw_and = True
                p = q + 3
                continue
            return p if saw_and else None

    # -- lists and running text ---------------------------------------------------------------------------

    def match_list(self, text: str, pos: int, *, lenient: bool = True) -> list[NameMatch]:
        """The names of a list of units that begins at ``pos`` ("Báo Đắk Lắk, Đài Phát thanh và Truyền hình
        tỉnh, Tạp chí Chư Yang Sin"), split where a comma, a semicolon, "và" or "cùng" is followed by another
        name; empty when no name begins at ``pos``."""
        first = self.match(text, pos, lenient=lenient)
        if first is None:
            return []
        out, i = [first], first.end
        while True:
            sep = _LIST_SEP.match(text, i)
            if not sep:
                break
            nxt = self.match(text, sep.end(), lenient=lenient, in_list=True)
            if nxt is None:
                break
            out.append(nxt)
            i = nxt.end
        return out

    def find_all(self, text: str, start: int = 0, end: int | None = None) -> list[NameMatch]:
        """Every named organization in ``text[start:end]``, in order, without overlaps (strict matching:
        capitalised, more than a bare opener; collectives such as "các sở, ngành" are not names)."""
        end = len(text) if end is None else end
        folded = _folded(text)
        starts = set(self._known_starts.starts(folded, start, end))
        starts |= {m.start() for m in self._abbr.finditer(text, start, end)}
        starts.update(self._opener_starts.starts(folded, start, end))
        out: list[NameMatch] = []
        last = start
        abbr_capitalised, abbr = self._abbr_capitalised, self._abbr
        for s in sorted(starts):
            # Most starts are lower case ("ban hành", "tổ chức"), where a strict name can only open with an
            # abbreviation (:meth:`_may_open`, inlined): passed over before the costlier tests. Then what
            # :meth:`match` tests first (a start is inside the text: its match is not empty).
            if s < last or not (text[s].isupper() or (not abbr_capitalised and abbr.match(text, s))):
                continue
            if (s > 0 and text[s - 1].isalnum()) or _inside_upper_run(text, s):
                continue
            m = self._match_at(text, folded, s, False, False)
            if m is None or m.end > end or m.kind == "collective":
                continue
            out.append(m)
            last = m.end
        return out

    # -- canonical form ------------------------------------------------------------------------------------

    def canonical(self, name: str) -> str:
        """The name with abbreviations expanded, an upper-case header re-cased and listed agencies in their
        listed spelling: "LĐLĐ tỉnh" → "Liên đoàn Lao động tỉnh", "Sở Thông tin truyền thông" → "Sở Thông tin
        và Truyền thông", "Ban chỉ đạo 35" → "Ban Chỉ đạo 35"."""
        return self._canonical(name)

    def _canonical_form(self, name: str) -> str:
        s = " ".join(name.split()).strip(_END_STRIP)
        s = self.recase.organ(s) if is_upper_case(s) else self.abbreviations.expand_text(s)
        folded = _folded(s)
        out, last = [], 0
        for m in self._known.finditer(folded):
            spelling = self._spelling.get(re.sub(r"\s+", " ", m.group(0)))
            if spelling is None:
                spelling = next((v for k, v in self._spelling.items() if _loose(k) == _loose(m.group(0))), None)
            if spelling is None:
                continue
            out.append(s[last : m.start()])
            out.append(spelling)
            last = m.end()
        out.append(s[last:])
        s = "".join(out)
        return s[:1].upper() + s[1:]


def _union(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    return None if a is None or b is None else a | b


def _gates(runs: dict[int, set[str] | None]) -> tuple[dict[str, int], int]:
    """For :meth:`UnitNames._opens`: each run of letters → the bits of the lists that may begin with it, and
    the bits of the lists that may begin anywhere (their runs are None)."""
    gates: dict[str, int] = {}
    always = 0
    for bit, found in runs.items():
        if found is None:
            always |= bit
            continue
        for run in found:
            gates[run] = gates.get(run, 0) | bit
    return gates, always


def _inside_upper_run(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside a run of upper-case words ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA"), where a name can
    only begin with the run: "HỘI" there is no association."""
    tok = _TOKEN.match(text, pos)
    if not tok or not _is_abbr(tok.group(0)) or len(tok.group(0)) < 2:
        return False
    m = _LAST_WORD_REVERSED.match(text[max(0, pos - 40) : pos][::-1])  # _LAST_WORD.search(text[pos-40:pos])
    return bool(m) and m.group(1).isupper() and len(m.group(1)) >= 2


def _loose(folded: str) -> str:
    """A folded name without its punctuation, for spellings that differ only in commas, dashes or spaces."""
    return " ".join(re.sub(r"[,;\-–]", " ", folded).split())
