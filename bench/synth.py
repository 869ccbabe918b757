"""A synthetic corpus of plans for the benchmark, made from the bundled ones.

Why not copy the seed plans a thousand times: the result cache is keyed by content, and identical texts would
also flatter any per-text memoisation. Why not random text: the pipeline's cost lies in the sections, dates,
citations and unit lists real plans have, and a benchmark must pay it. So each synthetic plan is a seed plan
with its Roman-numeral sections reordered (and renumbered, so the numbering stays valid), its own and cited
document numbers, its dates (one consistent year shift, days and months redrawn within their months), its
province (every spelling, from ``pipeline/rules/data/provinces.json``) and its departments (``Sở ...`` from
``agencies.json``) varied. Every output is still a plausible Vietnamese plan.

Usage::

    .venv/bin/python bench/synth.py OUT_DIR --count 1000 [--seed 0]
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"
RULES = ROOT / "pipeline" / "rules" / "data"

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
#: A level-1 heading: a Roman numeral, a dot or dash, then the heading (the seeds' convention).
_HEADING = re.compile(r"^(?P<label>[IVX]{1,5})(?P<sep>\s*[.)\-–]\s+)(?P<rest>\S.*)$", re.MULTILINE)
_CLOSING = re.compile(r"^(?:Nơi nhận|TM\.|KT\.|T/M|TL\.|Xem nội dung|BBT|Nguồn)", re.MULTILINE)
_DATE_WORDS = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm ((?:19|20)\d\d)")
_DATE_SLASH = re.compile(r"(?<![\d/])(\d{1,2})([/-])(\d{1,2})\2((?:19|20)\d\d)(?![\d/])")
_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/])")
_NUMBER = re.compile(r"(?<=Số: )\d+|(?<=số )\d+(?=[-/])|^\d+(?=-KH/)", re.MULTILINE)


@dataclass(frozen=True)
class Vocabulary:
    """The names the generator swaps: provinces (each with every spelling seen) and departments."""

    provinces: tuple[tuple[str, ...], ...]
    departments: tuple[str, ...]

    @classmethod
    def load(cls) -> Vocabulary:
        data = json.loads((RULES / "provinces.json").read_text(encoding="utf-8"))
        provinces = []
        for p in data["provinces"]:
            names = [p["name"]] + [a for a in p.get("aliases", []) if not a.isascii()]
            provinces.append(tuple(dict.fromkeys(n for n in names if len(n) > 3)))
        agencies = json.loads((RULES / "agencies.json").read_text(encoding="utf-8"))["agencies"]
        departments = tuple(a["name"] for a in agencies if a.get("kind") == "department")
        return cls(tuple(provinces), departments)


def _level1(text: str) -> tuple[str, list[str], str] | None:
    """The text before the first Roman heading, the level-1 sections, and the closing after the last one."""
    heads = [m for m in _HEADING.finditer(text) if m.group("label") in _ROMAN]
    expected = [m for i, m in enumerate(heads) if i < len(_ROMAN) and m.group("label") == _ROMAN[i]]
    if len(expected) < 3:
        return None
    starts = [m.start() for m in expected]
    closing = _CLOSING.search(text, starts[-1])
    end = closing.start() if closing else len(text)
    sections = [text[a:b] for a, b in zip(starts, [*starts[1:], end], strict=True)]
    return text[: starts[0]], sections, text[end:]


def reorder_sections(text: str, rng: random.Random) -> str:
    """Shuffle the level-1 sections between the first (purpose) and the last (implementation) and renumber
    them I, II, III... so that the numbering stays valid; a plan without three of them is left as is."""
    parts = _level1(text)
    if parts is None:
        return text
    head, sections, tail = parts
    middle = sections[1:-1]
    rng.shuffle(middle)
    ordered = [sections[0], *middle, sections[-1]]
    renumbered = [
        _HEADING.sub(lambda m, k=k: f"{_ROMAN[k]}{m.group('sep')}{m.group('rest')}", s, count=1)
        for k, s in enumerate(ordered)
    ]
    body = "".join(s if s.endswith("\n") else s + "\n\n" for s in renumbered)
    return head + body + tail


def vary_dates(text: str, rng: random.Random) -> str:
    """Shift every year since 2000 by the same amount and redraw days (and some months), keeping each date
    valid and the document's chronology intact; historical dates (1930, 1975...) stay as they are."""
    offset = rng.randint(-4, 3)

    def shift(year: int) -> int:
        return year + offset if year >= 2000 else year

    def day(y: int, m: int) -> int:
        return rng.randint(1, calendar.monthrange(y, m)[1])

    def words(m: re.Match[str]) -> str:
        y = shift(int(m.group(3)))
        if y < 2000:
            return m.group(0)
        mo = min(12, max(1, int(m.group(2)) + rng.choice((0, 0, 1, -1))))
        return f"ngày {day(y, mo)} tháng {mo} năm {y}"

    def slash(m: re.Match[str]) -> str:
        y = shift(int(m.group(4)))
        if y < 2000 or not 1 <= int(m.group(3)) <= 12:
            return m.group(0)
        mo = int(m.group(3))
        d = day(y, mo)
        dd = f"{d:02d}" if len(m.group(1)) == 2 else str(d)
        mm = f"{mo:02d}" if len(m.group(3)) == 2 else str(mo)
        return f"{dd}{m.group(2)}{mm}{m.group(2)}{y}"

    text = _DATE_WORDS.sub(words, text)
    text = _DATE_SLASH.sub(slash, text)
    return _YEAR.sub(lambda m: str(shift(int(m.group(1)))), text)


def vary_numbers(text: str, rng: random.Random) -> str:
    """New document numbers: the plan's own ("Số: 252") and those it cites ("số 31-KH/TU")."""
    return _NUMBER.sub(lambda m: str(rng.randint(1, 999)), text)


def vary_province(text: str, vocab: Vocabulary, rng: random.Random) -> str:
    """Replace the plan's province (every spelling, upper case too) with another one."""
    found = [names for names in vocab.provinces if any(n in text or n.upper() in text for n in names)]
    if not found:
        return text
    old = max(found, key=lambda names: sum(text.count(n) for n in names))
    new = rng.choice([p for p in vocab.provinces if p is not old])[0]
    for name in sorted(old, key=len, reverse=True):
        text = text.replace(name, new).replace(name.upper(), new.upper())
    return text


def vary_departments(text: str, vocab: Vocabulary, rng: random.Random) -> str:
    """Give some of the departments named in the plan other departments' names (one mapping per plan)."""
    named = [d for d in vocab.departments if d in text]
    if not named:
        return text
    mapping = {d: rng.choice(vocab.departments) for d in named if rng.random() < 0.5}
    if not mapping:
        return text
    pattern = re.compile("|".join(re.escape(d) for d in sorted(mapping, key=len, reverse=True)))
    return pattern.sub(lambda m: mapping[m.group(0)], text)


def synthesize(seed_text: str, vocab: Vocabulary, rng: random.Random) -> str:
    """One synthetic plan from one seed plan."""
    text = reorder_sections(seed_text, rng)
    text = vary_numbers(text, rng)
    text = vary_dates(text, rng)
    text = vary_province(text, vocab, rng)
    return vary_departments(text, vocab, rng)


def generate(out_dir: Path, count: int, seed: int = 0) -> Iterator[Path]:
    """Write ``count`` synthetic plans (``plan_00000.txt``...) into ``out_dir``, cycling over the seeds."""
    rng = random.Random(seed)
    vocab = Vocabulary.load()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    out_dir.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        path = out_dir / f"plan_{i:05d}.txt"
        path.write_text(synthesize(seeds[i % len(seeds)], vocab, rng), encoding="utf-8")
        yield path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    n = sum(1 for _ in generate(args.out_dir, args.count, args.seed))
    print(f"{n} plans in {args.out_dir}")


if __name__ == "__main__":
    main()
