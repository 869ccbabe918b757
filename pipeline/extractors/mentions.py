"""Mentions: the organizations a plan names outside its unit rows — partners inside tasks ("phối hợp với Sở
Tài chính"), the issuer and its superiors in the header, the bodies of cited documents, the recipients.

The rule source is the same name matcher as the units table (:class:`~pipeline.extractors.unit_names.
UnitNames`: listed agencies, openers, organ abbreviations), run over the whole text; a name that lies inside a
unit row's span is that row's, not a mention. Collectives ("các sở, ban, ngành") name no organization and are
left out.

underthesea's CRF NER can add organizations that the lists lack (source ``ner``). It gives tokens, not
offsets, so each entity is placed back in its line by finding its tokens in order; an entity that cannot be
placed, or that overlaps a rule mention or a unit, is dropped. The model ships inside the underthesea wheel
(``pipeline/ner/ner_crf_2017_10_12.bin``), so nothing is fetched at run time; it is still off by default
because it costs about 10 ms a line — around a second per plan, five times the budget of a whole document —
and on the seed plans it finds almost nothing the rules miss (the measure is in the closing note of issue 5).
Set ``KEHOACH_NER=1`` (or pass ``ner=True``) to turn it on.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache

from pipeline.extractors.unit_names import UnitNames
from pipeline.extractors.units import UnitExtractor
from pipeline.model import DocumentRecord, Mention, Section
from pipeline.segment import Segmented

__all__ = ["NER_ENV", "MentionExtractor", "find", "ner_enabled", "ner_entities"]

#: Environment variable that turns the NER fallback on ("1", "true", "yes").
NER_ENV = "KEHOACH_NER"
#: Lines longer than this are left to the rules: the CRF tagger's cost grows with them and plans' long lines
#: are prose, where the rules already read the names.
NER_MAX_LINE = 1500


def ner_enabled() -> bool:
    """Whether the underthesea NER fallback is switched on (:data:`NER_ENV`)."""
    return os.environ.get(NER_ENV, "").strip().lower() in ("1", "true", "yes", "on")


class MentionExtractor:
    """Mentions of organizations, from the rules and (optionally) underthesea NER."""

    def __init__(self, names: UnitNames | None = None, units: UnitExtractor | None = None) -> None:
        self.names = names or UnitNames.default()
        self.units = units or (UnitExtractor.default() if names is None else UnitExtractor(self.names))

    @classmethod
    @cache
    def default(cls) -> MentionExtractor:
        return cls()

    def find(self, doc: Segmented, *, ner: bool | None = None) -> list[Mention]:
        """Every mention in ``doc``, in text order. ``ner`` None reads :data:`NER_ENV`."""
        taken = self.units.spans(doc)
        in_unit = _Spans(taken)
        sections = _Sections(doc.sections)
        rows: list[Mention] = []
        for m in self.names.find_all(doc.text):
            if in_unit.overlaps(m.start, m.end):
                continue
            rows.append(self._mention(sections, m.text, m.start, m.end, "rule"))
        if ner if ner is not None else ner_enabled():
            blocked = sorted(taken + [(r.char_start, r.char_end) for r in rows])
            for text, start, end in ner_entities(doc.text, (ln.start for ln in doc.lines if ln.stripped)):
                if not _overlaps(start, end, blocked):
                    rows.append(self._mention(sections, text, start, end, "ner"))
        return sorted(rows, key=lambda r: r.char_start)

    def _mention(self, sections: _Sections, text: str, start: int, end: int, source: str) -> Mention:
        return Mention(
            unit=text,
            unit_canonical=self.names.canonical(text),
            section_id=sections.id_at(start),
            char_start=start,
            char_end=end,
            source=source,
        )


def ner_entities(text: str, line_starts: Iterable[int]) -> list[tuple[str, int, int]]:
    """ORG entities that underthesea's CRF NER finds in the lines of ``text`` beginning at ``line_starts``,
    each placed back at its ``[start, end)``; an entity whose tokens cannot all be found in order is dropped."""
    from underthesea import ner  # imported here: loading the tagger costs half a second

    out: list[tuple[str, int, int]] = []
    for start in line_starts:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if not line.strip() or len(line) > NER_MAX_LINE:
            continue
        pos, current, broken = 0, None, False
        for token, _pos, _chunk, tag in [*ner(line), ("", "", "", "O")]:
            at = line.find(token, pos) if token else -1
            if current is not None and tag != "I-ORG":
                if not broken:
                    out.append((line[current[0] : current[1]], start + current[0], start + current[1]))
                current, broken = None, False
            if tag == "B-ORG":
                current, broken = [at, at + len(token)], at < 0
            elif tag == "I-ORG" and current is not None:
                broken = broken or at < 0 or at - current[1] > 2  # tokens of one entity stand side by side
                current[1] = at + len(token)
            if at >= 0:
                pos = at + len(token)
    return out


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


class _Spans:
    """:func:`_overlaps` for many questions about the same spans: a plan's mentions are tested against its
    units' spans one by one, and a scan of every span for each of them cost a tenth of the table's time."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _e in ordered]
        self._reach: list[int] = []  # the furthest end among the spans up to each one, in start order
        for _s, e in ordered:
            self._reach.append(max(e, self._reach[-1]) if self._reach else e)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps one of the spans: one that begins before ``end`` ends after
        ``start``."""
        k = bisect_left(self._starts, end)
        return k > 0 and self._reach[k - 1] > start


class _Sections:
    """:func:`_section_id` for many offsets of one document, each answered by a bisection: the sections that
    hold an offset change only at a section's start or end, so the answer is worked out once for each piece
    of text between two such boundaries."""

    def __init__(self, sections: list[Section]) -> None:
        self._bounds = sorted({b for s in sections for b in (s.char_start, s.char_end)})
        self._ids: list[str] = []
        starting: dict[int, list[int]] = {}
        for k, s in enumerate(sections):
            if s.char_start < s.char_end:
                starting.setdefault(s.char_start, []).append(k)
        active: list[int] = []
        for b in self._bounds:  # the piece [b, next boundary): the sections that began and have not ended
            active = [k for k in active if sections[k].char_end > b] + starting.get(b, [])
            # the deepest, and of those the first listed, as max() over the list in order would give
            best = max(active, key=lambda k: (sections[k].level, -k), default=None)
            self._ids.append("" if best is None else sections[best].section_id)

    def id_at(self, offset: int) -> str:
        """The id of the deepest section holding ``offset``; empty outside every section."""
        k = bisect_right(self._bounds, offset) - 1
        return self._ids[k] if k >= 0 else ""


def _section_id(sections: list[Section], offset: int) -> str:
    """The deepest section holding ``offset``; empty in the header, the closing and between sections."""
    holding = [s for s in sections if s.char_start <= offset < s.char_end]
    return max(holding, key=lambda s: s.level).section_id if holding else ""


def find(doc: Segmented, meta: DocumentRecord) -> list[Mention]:
    """The mentions table's rows for one document (the runner fills ``doc_id``)."""
    return MentionExtractor.default().find(doc)
