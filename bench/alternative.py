"""The obvious alternative a user has: underthesea's NER plus dateparser's ``search_dates`` over the text.

Why measure it: someone with a folder of plans and a notebook would reach for these two first. The benchmark
reports what that costs per document and what it finds next to kehoach's tables on the bundled plans, so
that the comparison is in figures, not adjectives. Both tools run line by line (``search_dates`` over a
whole plan is far slower and no more accurate; the NER tagger is a sentence tagger).

The comparison counts, per plan:

* dates: the calendar days ``search_dates`` returns, against the days in kehoach's tables (issue date, cited
  documents' dates, phase boundaries that were written rather than inferred, deadlines);
* organizations: underthesea's distinct ORG entities, against kehoach's distinct units and mentions,
  compared folded (lower case, tone marks and punctuation ignored): the same name, or a partial match (one
  name of two words or more inside the other);
* and what the alternative cannot give at all (document number, issuer, signer, sections, citation
  relations, phase ranges, unit roles), which is the point of the comparison.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

#: dateparser's settings: Vietnamese day-month-year order, and no "today" filled into a partial date, so
#: that a bare "năm 2021" is not reported as today's day in 2021.
DATEPARSER_SETTINGS: dict[str, Any] = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "RELATIVE_BASE": datetime(2000, 1, 1),
    "REQUIRE_PARTS": ["day", "month", "year"],
}


@dataclass
class AlternativeResult:
    """What the two tools found in one text, and how long each took."""

    orgs: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    dates: list[tuple[str, str]] = field(default_factory=list)  # (text as written, ISO day)
    ner_seconds: float = 0.0
    dates_seconds: float = 0.0


def _entities(tagged: list[tuple[str, ...]]) -> list[tuple[str, str]]:
    """(kind, text) of the B-/I- runs of one tagged line."""
    out: list[tuple[str, str]] = []
    kind, words = "", []
    for token, *_, tag in [*tagged, ("", "O")]:
        if tag.startswith("I-") and kind == tag[2:]:
            words.append(token)
            continue
        if kind:
            out.append((kind, " ".join(words)))
        kind, words = (tag[2:], [token]) if tag.startswith("B-") else ("", [])
    return out


def run_alternative(text: str) -> AlternativeResult:
    """underthesea NER and dateparser ``search_dates`` over every non-empty line of ``text``."""
    from dateparser.search import search_dates
    from underthesea import ner

    result = AlternativeResult()
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    started = time.perf_counter()
    for line in lines:
        for kind, name in _entities(ner(line)):
            {"ORG": result.orgs, "LOC": result.locations, "PER": result.persons}.get(kind, []).append(name)
    result.ner_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for line in lines:
        for written, when in search_dates(line, languages=["vi"], settings=DATEPARSER_SETTINGS) or []:
            result.dates.append((written, when.date().isoformat()))
    result.dates_seconds = time.perf_counter() - started
    return result


def fold(text: str) -> str:
    """Lower case, no tone or vowel marks, đ → d, letters and digits only: a lenient comparison key."""
    nfd = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join("".join(c if c.isalnum() else " " for c in nfd if not unicodedata.combining(c)).split())


def our_dates(tables: dict[str, list[dict[str, Any]]]) -> set[str]:
    """The calendar days (ISO) kehoach's tables hold for one plan, written ones only."""
    days: set[str] = set()

    def add(value: Any) -> None:
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            days.add(value)

    for doc in tables["documents"]:
        add(doc.get("issue_date"))
    for c in tables.get("citations", []):
        add(c.get("cited_date"))
    for p in tables.get("phases", []):
        if not p.get("start_inferred") and p.get("start_grain") == "day":
            add(p.get("start_date"))
        if not p.get("end_inferred") and p.get("end_grain") == "day":
            add(p.get("end_date"))
    for d in tables.get("deadlines", []):
        add(d.get("date"))
    return days


def our_orgs(tables: dict[str, list[dict[str, Any]]]) -> set[str]:
    """The organizations kehoach's units and mentions tables name for one plan (as written)."""
    return {r["unit"] for t in ("units", "mentions") for r in tables.get(t, []) if r.get("unit")}


def _partial(a: str, b: str) -> bool:
    """One folded name of at least two words inside the other, on word boundaries."""
    short, long = sorted((a, b), key=len)
    return len(short.split()) >= 2 and f" {short} " in f" {long} "


def compare(text: str, tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The alternative's finds on ``text`` next to kehoach's ``tables`` for the same plan."""
    alt = run_alternative(text)
    alt_days = {iso for _, iso in alt.dates}
    ours = our_dates(tables)
    alt_orgs = {fold(o) for o in alt.orgs if fold(o)}
    mine = {fold(o) for o in our_orgs(tables) if fold(o)}
    return {
        "seconds": {"ner": round(alt.ner_seconds, 3), "search_dates": round(alt.dates_seconds, 3)},
        "dates": {
            "alternative_found": len(alt.dates),
            "alternative_distinct_days": len(alt_days),
            "kehoach_days": len(ours),
            "kehoach_days_also_found_by_alternative": len(ours & alt_days),
            "alternative_days_not_in_kehoach_tables": sorted(alt_days - ours),
            "examples": alt.dates[:8],
        },
        "organizations": {
            "alternative_distinct_orgs": len(alt_orgs),
            "kehoach_distinct_units_and_mentions": len(mine),
            "same_name": len(mine & alt_orgs),
            "partial_match": sum(1 for m in mine - alt_orgs if any(_partial(m, a) for a in alt_orgs)),
            "alternative_orgs": sorted(alt_orgs)[:15],
            "alternative_orgs_not_in_kehoach_tables": sorted(
                a for a in alt_orgs if a not in mine and not any(_partial(a, m) for m in mine)
            )[:15],
            "alternative_persons": sorted(set(alt.persons))[:10],
            "alternative_locations": len(set(alt.locations)),
        },
        "only_kehoach_gives": {
            "number_symbol": bool(tables["documents"] and tables["documents"][0].get("symbol")),
            "issuer": bool(tables["documents"] and tables["documents"][0].get("issuer")),
            "signer": bool(tables["documents"] and tables["documents"][0].get("signer_name")),
            "sections": len(tables.get("sections", [])),
            "citations_with_relation": sum(1 for c in tables.get("citations", []) if c.get("relation")),
            "phases": len(tables.get("phases", [])),
            "units_with_role": sum(1 for u in tables.get("units", []) if u.get("role")),
        },
    }


def tables_of(path: Path) -> dict[str, list[dict[str, Any]]]:
    """kehoach's rows for one file, straight from the pipeline (no output folder)."""
    from pipeline.runner import process, rows_of

    return rows_of(process(path, path.stem))


def time_per_document(texts: list[str]) -> dict[str, float]:
    """Mean seconds per document of each tool over ``texts`` (the first call's model loading excluded)."""
    run_alternative("Ủy ban nhân dân tỉnh Lai Châu ban hành kế hoạch ngày 20 tháng 5 năm 2021.")
    ner_s = dates_s = 0.0
    for text in texts:
        r = run_alternative(text)
        ner_s += r.ner_seconds
        dates_s += r.dates_seconds
    n = max(1, len(texts))
    return {
        "documents": len(texts),
        "ner_s_per_doc": round(ner_s / n, 4),
        "search_dates_s_per_doc": round(dates_s / n, 4),
        "total_s_per_doc": round((ner_s + dates_s) / n, 4),
    }
