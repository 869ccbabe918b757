"""Citations as spaCy spans: ``doc.spans["citations"]``, from records or from a pipeline component.

The extractor does not need spaCy (its rules read characters, not tokens, so a tokenizer's choices cannot
move a citation's edges); this adapter is for users who work in spaCy and want the citations beside their
own components, or shown with displaCy (``displacy.render(doc, style="span", options={"spans_key":
"citations"})``). ``spacy.blank("vi")`` wants the pyvi word segmenter by default, which the project does
not install, so the blank multilingual ``xx`` pipeline is used. Spans are aligned outwards to token edges
(``alignment_mode="expand"``), labelled with their relation, and carry their record as ``span._.citation``.

``nlp.add_pipe("kehoach_citations")`` adds a component that reads a plan's citations from ``doc.text``
(best fed the pipeline's normalized text, ``texts/<doc_id>.txt``, whose layout the segmenter knows).
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.extractors.citations import find
from pipeline.extractors.metadata import MetadataExtractor
from pipeline.model import Citation, NormalizedText
from pipeline.segment import segment

__all__ = ["SPANS_KEY", "citations_component", "citations_doc", "set_citation_spans"]

#: The key of the span group that holds the citations.
SPANS_KEY = "citations"

if not Span.has_extension("citation"):
    Span.set_extension("citation", default=None)


def set_citation_spans(doc: Doc, citations: list[Citation]) -> Doc:
    """Put ``citations`` (whose offsets are into ``doc.text``) into ``doc.spans["citations"]``."""
    spans = []
    for c in citations:
        span = doc.char_span(c.char_start, c.char_end, label=c.relation or "reference", alignment_mode="expand")
        if span is not None:
            span._.citation = c
            spans.append(span)
    doc.spans[SPANS_KEY] = spans
    return doc


def citations_doc(text: str, citations: list[Citation], nlp: Language | None = None) -> Doc:
    """A spaCy ``Doc`` of ``text`` whose ``spans["citations"]`` hold ``citations``."""
    nlp = nlp or spacy.blank("xx")
    return set_citation_spans(nlp.make_doc(text), citations)


@Language.component("kehoach_citations")
def citations_component(doc: Doc) -> Doc:
    """The citation extractor as a spaCy component: segments ``doc.text`` as it is (no re-normalization,
    so every offset stays the doc's own) and fills ``doc.spans["citations"]``."""
    text = doc.text
    seg = segment(NormalizedText(text=text, to_raw=list(range(len(text) + 1))))
    return set_citation_spans(doc, find(seg, MetadataExtractor().find(seg)))
