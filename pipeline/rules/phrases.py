"""Regular expressions from the phrase lists of the rules files, for text in the comparison form of
:func:`~pipeline.rules.gazetteer.fold`.

Every extractor turns some list of cue words ("chủ trì", "hằng năm", "về việc") into an alternation, and
the alternation has to be built the same way wherever it is: each phrase folded like the text it is matched
against, the longest phrase first (so that "phối hợp với" is tried before "phối hợp"), and a pattern that
never matches for an empty list, since a user may empty a list in the rules file and an empty alternation
would match everywhere.

Two spellings of a phrase are supported, because the extractors read two kinds of text: :func:`alternation`
takes the phrase's spaces as written, for the cue words of the temporal grammar and the unit roles, which
are matched inside one line of running text; :func:`phrase_pattern` lets any run of white space stand for a
space, for the citation vocabulary, which spans the broken lines of a preamble.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.rules.gazetteer import fold

__all__ = ["alternation", "longest_first", "phrase_pattern", "trie_alternation", "word_pattern"]

_NEVER = r"(?!)"


def longest_first(phrases: Iterable[str]) -> tuple[str, ...]:
    """The folded phrases, each once, longest first (ties in a fixed order, so that a pattern is the same
    in every process)."""
    return tuple(sorted({fold(p) for p in phrases if p.strip()}, key=lambda p: (-len(p), p)))


def alternation(phrases: Iterable[str]) -> str:
    """A group matching any of ``phrases`` with their spaces as written: ``(?:phối hợp với|phối hợp)``."""
    keys = longest_first(phrases)
    return "(?:" + "|".join(map(re.escape, keys)) + ")" if keys else _NEVER


def trie_alternation(phrases: Iterable[str]) -> str:
    """:func:`alternation` with the phrases merged on their shared beginnings, for scanning a whole text:
    ``(?:h(?:ằng (?:năm|quý)|oàn thành))``. At a position it matches exactly what the alternation matches:
    the phrases that fit there are prefixes of one another, and both forms try them longest first (the
    alternation by its order, the trie by trying to go on before it stops). But ``re`` tests one character
    per branch point instead of every phrase in turn, which matters where most positions match nothing."""
    keys = longest_first(phrases)
    if not keys:
        return _NEVER
    root: dict[str, dict] = {}
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here
    return "(?:" + _trie_branches(root) + ")"


def _trie_branches(node: dict[str, dict]) -> str:
    branches = [re.escape(ch) + _trie_branches(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    if "" in node:  # a phrase may stop here: go on if possible, else stop
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def word_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of ``phrases`` where it ends a word: for ``.match(text, pos)`` at a position
    the caller has found, so that a cue is not read at the start of a longer word ("quý" in "quýt")."""
    return re.compile(alternation(phrases) + r"(?!\w)")


def phrase_pattern(phrases: Iterable[str]) -> str:
    """An alternation (not a group) of ``phrases`` in which any run of white space stands for a space:
    "về việc" also matches "về\\nviệc" in a preamble broken across lines."""
    keys = longest_first(phrases)
    return "|".join(r"\s+".join(re.escape(w) for w in k.split()) for k in keys) or _NEVER
