"""The words and conventions by which Vietnamese documents cite one another (``citations.json``), and what
the audit of those citations reports (``audit.json``).

The citation extractor and the number grammar read every Vietnamese word they rely on from here ("Thực
hiện" opens a basis clause, "của" introduces the issuer, "về việc" the subject, "Tỉnh ủy" belongs to a
province), so that a user can teach them a new habit by editing the JSON file, not the code; the audit
reads its severities and the words that leave an issuer unchanged ("Ban Thường vụ ...") the same way. Like
the gazetteers, each loader accepts a closed set of keys (:mod:`pipeline.rules.loading`) and names the file
when it meets another, because a misspelt key in a hand-edited file would otherwise be ignored without a word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.rules import loading
from pipeline.rules.phrases import phrase_pattern  # kept importable from here, where it was first

__all__ = ["AuditRules", "CitationRules", "phrase_pattern"]


_LISTS = (
    "number_word",
    "basis_openers",
    "basis_verbs",
    "chain_verbs",
    "chain_fillers",
    "titled_types",
    "subject_cues",
    "title_verbs",
    "issuing_verbs",
    "aside_openers",
    "list_joiners",
    "issuer_links",
    "issuer_left_links",
    "issuer_stops",
    "name_joiners",
    "issuer_qualifiers",
    "committee_prefixes",
    "closed_organs",
    "open_heads",
    "department_heads",
    "not_document_before",
    "party_issuer_codes",
    "party_issuer_suffixes",
    "state_issuer_codes",
)
_MAPS = ("date_words", "provincial_organs")
_KEYS = {"source", "note", *_LISTS, *_MAPS}
_DATE_WORDS = {"day", "month", "year"}
#: Without these no citation can be read at all.
_REQUIRED = {"number_word", "date_words", "issuer_links"}


@dataclass(frozen=True)
class CitationRules(loading.RuleFile):
    """The citation vocabulary. Each list is a tuple of phrases as written in the file (NFC).

    ``basis_openers`` open a preamble clause whose citations are the plan's basis ("Thực hiện", "Căn cứ");
    ``basis_verbs`` make the document right after them a basis ("để triển khai thực hiện Kế hoạch ...");
    ``chain_verbs`` (with ``chain_fillers``) join a cited document to the one it implements ("Kế hoạch số
    189/KH-UBND ... về việc triển khai thực hiện Kế hoạch số 116-KH/TU"); ``titled_types`` are cited with
    their name between the type and the number ("Luật Ngân sách nhà nước số 83/2015/QH13"); ``subject_cues`` and
    ``title_verbs`` introduce what a cited document is about; ``issuing_verbs`` open the clause in which the
    plan's own issuer acts, which ends a subject, as does a bracketed aside opened by one of
    ``aside_openers`` ("(sau đây gọi tắt là ...)"); ``list_joiners`` join the members of a list of documents;
    ``issuer_links`` introduce the issuer after a number
    ("của"), ``issuer_left_links`` after the issuer and before the type ("của Sở ... tại Tờ trình số");
    ``issuer_stops`` end an issuer's name; ``name_joiners`` ("và") join the halves of one name
    ("Sở Thông tin và Truyền thông") or two names; ``issuer_qualifiers`` ("khóa XII") are dropped from it;
    ``committee_prefixes`` name the standing body of an organ ("Ban Thường vụ Tỉnh ủy"); ``closed_organs``
    are names that are complete by themselves, ``open_heads`` names that need a complement; the
    ``provincial_organs`` of each province level, and ``department_heads``, take the citing plan's
    province; ``not_document_before`` marks a number that is a form or an annex, not a document;
    ``party_issuer_codes``/``party_issuer_suffixes``/``state_issuer_codes`` tell which numbering style an
    issuer's code calls for.
    """

    number_word: tuple[str, ...] = ()
    date_words: dict[str, str] = field(default_factory=dict)
    basis_openers: tuple[str, ...] = ()
    basis_verbs: tuple[str, ...] = ()
    chain_verbs: tuple[str, ...] = ()
    chain_fillers: tuple[str, ...] = ()
    titled_types: tuple[str, ...] = ()
    subject_cues: tuple[str, ...] = ()
    title_verbs: tuple[str, ...] = ()
    issuing_verbs: tuple[str, ...] = ()
    aside_openers: tuple[str, ...] = ()
    list_joiners: tuple[str, ...] = ()
    issuer_links: tuple[str, ...] = ()
    issuer_left_links: tuple[str, ...] = ()
    issuer_stops: tuple[str, ...] = ()
    name_joiners: tuple[str, ...] = ()
    issuer_qualifiers: tuple[str, ...] = ()
    committee_prefixes: tuple[str, ...] = ()
    closed_organs: tuple[str, ...] = ()
    open_heads: tuple[str, ...] = ()
    provincial_organs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    department_heads: tuple[str, ...] = ()
    not_document_before: tuple[str, ...] = ()
    party_issuer_codes: tuple[str, ...] = ()
    party_issuer_suffixes: tuple[str, ...] = ()
    state_issuer_codes: tuple[str, ...] = ()
    source: str = "<citation rules>"

    FILE = "citations.json"

    @classmethod
    def from_dict(cls, data: Any, where: str = "<citation rules>") -> CitationRules:
        """Rules from a parsed file; ``where`` names it in errors."""
        loading.check_keys(loading.top_level(data, where), _KEYS, _REQUIRED, where)
        values: dict[str, Any] = {name: loading.texts(data, name, where) for name in _LISTS if name in data}
        if "date_words" in data:
            words = data["date_words"]
            if not isinstance(words, dict) or set(words) != _DATE_WORDS:
                raise loading.RulesError(f"{where}: 'date_words' must map exactly {sorted(_DATE_WORDS)} to words")
            values["date_words"] = {k: loading.text(words, k, f"{where}: date_words") for k in words}
        if "provincial_organs" in data:
            organs = loading.mapping(data, "provincial_organs", where)
            values["provincial_organs"] = {
                loading.nonempty(level, f"{where}: provincial_organs key"): loading.texts(
                    organs, level, f"{where}: provincial_organs"
                )
                for level in organs
            }
        return cls(source=where, **values)

    from_data = from_dict  # the name RuleFile builds by


_CHECKS = (
    "parent_not_in_corpus",
    "ambiguous_parent",
    "date_differs",
    "issuer_differs",
    "type_differs",
    "number_written_differently",
    "number_differs",
    "dated_before_parent",
    "cycle",
    "phase_outside_parent",
)
_SEVERITIES = ("info", "warning", "error")
_AUDIT_KEYS = {"source", "note", "severities", "parent_relations", "issuer_ignored_prefixes"}


@dataclass(frozen=True)
class AuditRules(loading.RuleFile):
    """What the audit of a corpus's citations reports, and how it compares issuers (``audit.json``).

    ``severities`` gives every check its severity (info, warning, error), so that a team can demote a
    check it does not care about without touching code; ``parent_relations`` are the relations whose cited
    document is the plan's parent; ``issuer_ignored_prefixes`` are words before an organ's name that do
    not change which organ it is ("Ban Thường vụ Tỉnh ủy" is the Tỉnh ủy's document).
    """

    severities: dict[str, str] = field(default_factory=dict)
    parent_relations: tuple[str, ...] = ("basis",)
    issuer_ignored_prefixes: tuple[str, ...] = ()
    source: str = "<audit rules>"

    CHECKS = _CHECKS
    FILE = "audit.json"

    @classmethod
    def from_dict(cls, data: Any, where: str = "<audit rules>") -> AuditRules:
        """Rules from a parsed file; ``where`` names it in errors. Every check needs a severity, so that a
        check added to the code cannot go unreported because an older file does not list it."""
        loading.check_keys(loading.top_level(data, where), _AUDIT_KEYS, (), where)
        severities = loading.mapping(data, "severities", where)
        loading.check_keys(severities, _CHECKS, _CHECKS, f"{where}: severities")
        for check in severities:
            loading.choice(severities, check, _SEVERITIES, f"{where}: severities")
        return cls(
            severities=dict(severities),
            parent_relations=loading.texts(data, "parent_relations", where)
            if "parent_relations" in data
            else ("basis",),
            issuer_ignored_prefixes=loading.texts(data, "issuer_ignored_prefixes", where),
            source=where,
        )

    from_data = from_dict  # the name RuleFile builds by
