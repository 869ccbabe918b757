"""Time every regular expression of the package on adversarial inputs, to find catastrophic backtracking.

Why: Python's ``re`` backtracks, so a pattern like ``(\\w+\\s?)+$`` or ``\\s+x`` searched over a long run of
spaces can take seconds to hours on one hostile line — a hung worker rather than an errors row. A per-document
time limit catches the hang, but the plan is then lost; the patterns themselves must stay linear (or close).

How:

1. Collect. Third-party libraries are imported first and the ``re`` cache is purged; then every module of
   ``pipeline`` is imported and the whole pipeline runs once on each seed plan, so that patterns compiled
   lazily (rule loaders, ``@cache`` builders, inline ``re.sub(r"...")`` calls) exist too. Every
   ``re.Pattern`` the garbage collector knows that was not there before is a candidate; its origin is the
   module global, class or instance attribute that holds it, or the source line that spells it.
2. Attack. For each pattern, its parse tree (``re._parser``) gives every repetition and the characters that
   repetition takes; each becomes an input: a string matching what precedes the repetition, then 50,000 of
   the repeated character (or two of them alternating), then a character nothing expects. A battery of
   generic inputs (50k spaces, 50k "a", a 50k-character line without newline...) is added.
3. Time ``finditer`` over each input in a worker process, killed after ``--kill`` seconds.

Usage::

    .venv/bin/python fuzz/regex_audit.py [--size 50000] [--limit-ms 100] [--out fuzz/regex_audit.json]

Prints the patterns over the limit (slowest input, its time, where the pattern lives) and writes all figures
to the JSON report. Exit status 1 when a pattern is over the limit.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import itertools
import json
import multiprocessing as mp
import pkgutil
import re
import re._constants as C
import re._parser as P
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: Characters the inputs are built from: what plans are made of, plus the pattern's own literals.
ALPHABET = [*' \t\n\u00a0aAzệĐ10.,-–/:;()"*+IVX_', "\u0301"]
#: Libraries the pipeline imports, imported before the snapshot so that their patterns are not counted.
THIRD_PARTY = [
    "pandas",
    "pyarrow",
    "bs4",
    "lxml.html",
    "docx",
    "pdfplumber",
    "pypdfium2",
    "charset_normalizer",
    "tqdm",
    "trafilatura",
    "underthesea",
    "spacy",
    "dateparser",
]


@dataclass
class Finding:
    """One pattern's worst input and time."""

    pattern: str
    flags: int
    origin: str
    worst_ms: float = 0.0
    worst_input: str = ""
    inputs: int = 0
    killed: bool = False
    times: dict[str, float] = field(default_factory=dict)


# -- collection -----------------------------------------------------------------------------------------


def _live_patterns() -> dict[int, re.Pattern[str]]:
    return {id(o): o for o in gc.get_objects() if isinstance(o, re.Pattern) and isinstance(o.pattern, str)}


def collect() -> list[tuple[re.Pattern[str], str]]:
    """Every pattern the pipeline compiles, with where it lives (see the module docstring)."""
    for name in THIRD_PARTY:
        with contextlib.suppress(Exception):  # a missing library only means fewer patterns to exclude
            importlib.import_module(name)
    re.purge()
    before = set(_live_patterns())
    keep_alive = [_live_patterns()]  # ids must not be reused by new objects
    import pipeline

    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if info.name.endswith(".__main__"):  # a command line, which would run on import
            continue
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # a module another helper is still writing
            print(f"note: {info.name} not imported ({type(exc).__name__}: {exc})", file=sys.stderr)
    _exercise()
    found = [p for i, p in _live_patterns().items() if i not in before]
    del keep_alive
    sources = _sources()
    seen: set[tuple[str, int]] = set()
    out = []
    for p in found:
        key = (p.pattern, p.flags)
        if key in seen:
            continue
        seen.add(key)
        origin = _origin(p, sources)
        if origin:
            out.append((p, origin))
    return sorted(out, key=lambda po: po[1])


def _exercise() -> None:
    """Run the whole pipeline on the seed plans so that lazily built patterns exist."""
    from pipeline.runner import process

    for i, seed in enumerate(sorted((ROOT / "corpora" / "seeds").glob("*.txt"))):
        process(seed, f"seed{i}")


def _sources() -> dict[str, str]:
    return {
        str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted((ROOT / "pipeline").rglob("*.py"))
    }


def _origin(p: re.Pattern[str], sources: dict[str, str]) -> str:
    """Where the pipeline holds ``p``: a module global, an attribute of a pipeline object, or the source line
    spelling it; "" when nothing in the pipeline holds it (a library's own pattern)."""
    for ref in gc.get_referrers(p):
        if isinstance(ref, dict):
            mod = ref.get("__name__")
            if isinstance(mod, str) and mod.startswith("pipeline") and "__builtins__" in ref:
                name = next((k for k, v in ref.items() if v is p), "?")
                return f"{mod}.{name}"
            for owner in gc.get_referrers(ref):
                kind = type(owner)
                if getattr(owner, "__dict__", None) is ref and kind.__module__.startswith("pipeline"):
                    name = next((k for k, v in ref.items() if v is p), "?")
                    return f"{kind.__module__}.{kind.__qualname__}().{name}"
        if isinstance(ref, type) and ref.__module__.startswith("pipeline"):
            return f"{ref.__module__}.{ref.__qualname__}"
        if isinstance(ref, (list, tuple)):
            for owner in gc.get_referrers(ref):
                kind = type(owner)
                if kind.__module__.startswith("pipeline"):
                    return f"{kind.__module__}.{kind.__qualname__}() (in a list)"
    for path, text in sources.items():
        for quoted in (f'r"{p.pattern}"', f"r'{p.pattern}'", f'"{p.pattern}"'):
            at = text.find(quoted)
            if at >= 0:
                return f"{path}:{text.count(chr(10), 0, at) + 1} (inline)"
    return ""


# -- inputs ---------------------------------------------------------------------------------------------


def _accepts(item: tuple[Any, Any], ch: str, ignore_case: bool) -> bool:
    """Whether one parse-tree item (LITERAL, NOT_LITERAL, IN, ANY) matches the single character ``ch``."""
    chars = {ch, ch.lower(), ch.upper()} if ignore_case else {ch}
    op, av = item
    if op is C.LITERAL:
        return chr(av) in chars
    if op is C.NOT_LITERAL:
        return chr(av) not in chars
    if op is C.ANY:
        return ch != "\n"
    if op is C.IN:
        negate = bool(av) and av[0][0] is C.NEGATE
        hit = any(_in_item(sub, c) for sub in av for c in chars)
        return hit != negate
    return False


def _in_item(sub: tuple[Any, Any], ch: str) -> bool:
    op, av = sub
    if op is C.LITERAL:
        return ch == chr(av)
    if op is C.RANGE:
        return av[0] <= ord(ch) <= av[1]
    if op is C.CATEGORY:
        name = str(av).removeprefix("CATEGORY_").removeprefix("UNI_").removeprefix("LOC_")
        tests = {
            "DIGIT": ch.isdigit(),
            "SPACE": ch.isspace(),
            "WORD": ch.isalnum() or ch == "_",
            "LINEBREAK": ch == "\n",
        }
        positive = name.removeprefix("NOT_")
        return tests.get(positive, False) != name.startswith("NOT_")
    return False


def _first_chars(seq: Any, alphabet: list[str], ic: bool) -> list[str]:
    """Characters of ``alphabet`` that can start a match of the sub-pattern ``seq``."""
    out: list[str] = []
    for op, av in seq:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            return [c for c in alphabet if _accepts((op, av), c, ic)]
        if op is C.SUBPATTERN:
            return _first_chars(av[-1], alphabet, ic)
        if op is C.ATOMIC_GROUP:
            return _first_chars(av, alphabet, ic)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            out += _first_chars(av[2], alphabet, ic)
            if av[0] > 0:
                return out
            continue
        if op is C.BRANCH:
            for branch in av[1]:
                out += _first_chars(branch, alphabet, ic)
            return out
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        return out
    return out


def _example(seq: Any, alphabet: list[str], ic: bool) -> str:
    """A short string matching ``seq`` (first alternative, fewest repetitions); a best effort."""
    parts: list[str] = []
    for op, av in seq:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            chars = [c for c in alphabet if _accepts((op, av), c, ic)]
            parts.append(chars[0] if chars else "")
        elif op is C.SUBPATTERN:
            parts.append(_example(av[-1], alphabet, ic))
        elif op is C.ATOMIC_GROUP:
            parts.append(_example(av, alphabet, ic))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            parts.append(_example(av[2], alphabet, ic) * min(av[0], 3))
        elif op is C.BRANCH:
            parts.append(_example(av[1][0], alphabet, ic))
    return "".join(parts)


def _repeats(seq: Any, prefix: str, alphabet: list[str], ic: bool, out: list[tuple[str, list[str]]]) -> None:
    """Every repetition of ``seq`` with a string leading up to it and the characters it takes."""
    for item in seq:
        op, av = item
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            out.append((prefix, _first_chars(av[2], alphabet, ic)))
            _repeats(av[2], prefix, alphabet, ic, out)
        elif op is C.SUBPATTERN:
            _repeats(av[-1], prefix, alphabet, ic, out)
        elif op is C.BRANCH:
            for branch in av[1]:
                _repeats(branch, prefix, alphabet, ic, out)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _repeats(av[1], prefix, alphabet, ic, out)
        prefix += _example([item], alphabet, ic)


def inputs_for(p: re.Pattern[str], size: int) -> dict[str, str]:
    """Named adversarial inputs of about ``size`` characters for ``p`` (see the module docstring)."""
    literals = sorted({ch for ch in p.pattern if ch.isprintable() and not ch.isascii()})[:20]
    alphabet = ALPHABET + [c for c in literals if c not in ALPHABET]
    ic = bool(p.flags & re.IGNORECASE)
    out: dict[str, str] = {}
    try:
        tree = P.parse(p.pattern, p.flags)
    except Exception:  # a pattern the private parser cannot read gets the generic battery only
        tree = []
    spots: list[tuple[str, list[str]]] = []
    _repeats(list(tree), "", alphabet, ic, spots)
    for prefix, chars in spots:
        prefix = prefix[:200]
        for ch in chars[:6]:
            out[f"{prefix!r} + {ch!r}*{size} + '\\x00'"] = prefix + ch * size + "\x00"
            # the same run after a character that breaks ``^`` and greedy starts, so that every position
            # inside the run is a new start: ``[ ]+\\n|^[ ]+`` is linear at the start of a line, not inside it
            out[f"'x' + {prefix!r} + {ch!r}*{size} + 'x'"] = "x" + prefix + ch * size + "x"
        for a, b in itertools.pairwise(chars[:5]):
            out[f"{prefix!r} + ({a + b!r})*{size // 2} + '\\x00'"] = prefix + (a + b) * (size // 2) + "\x00"
        if len(out) > 120:
            break
    for ch in (" ", "a", "ệ", "1", ".", "-", "\n", "\t", "A"):
        out.setdefault(f"{ch!r}*{size}", ch * size)
        out.setdefault(f"'x' + {ch!r}*{size} + 'x'", "x" + ch * size + "x")
    out.setdefault(f"'a '*{size // 2}", "a " * (size // 2))
    out.setdefault(f"'Kế hoạch '*{size // 9} (one line)", "Kế hoạch " * (size // 9))
    out.setdefault(f"'1/'*{size // 2}", "1/" * (size // 2))
    out.setdefault(f"'I. '*{size // 3}", "I. " * (size // 3))
    return out


# -- timing ---------------------------------------------------------------------------------------------


def _time_one(args: tuple[str, int, str]) -> float:
    pattern, flags, text = args
    p = re.compile(pattern, flags)
    started = time.perf_counter()
    for _ in p.finditer(text):
        pass
    return (time.perf_counter() - started) * 1000


def audit(patterns: list[tuple[re.Pattern[str], str]], size: int, kill_after: float) -> list[Finding]:
    ctx = mp.get_context("fork")
    pool = ctx.Pool(1)
    findings: list[Finding] = []
    try:
        for k, (p, origin) in enumerate(patterns):
            f = Finding(p.pattern, p.flags, origin)
            inputs = inputs_for(p, size)
            f.inputs = len(inputs)
            for name, text in inputs.items():
                job = pool.apply_async(_time_one, ((p.pattern, p.flags, text),))
                try:
                    ms = job.get(timeout=kill_after)
                except mp.TimeoutError:
                    pool.terminate()
                    pool = ctx.Pool(1)
                    ms, f.killed = kill_after * 1000, True
                f.times[name] = round(ms, 2)
                if ms > f.worst_ms:
                    f.worst_ms, f.worst_input = round(ms, 2), name
                if f.killed:
                    break
            findings.append(f)
            print(f"[{k + 1}/{len(patterns)}] {f.worst_ms:9.1f} ms  {origin}", file=sys.stderr)
    finally:
        pool.terminate()
    return findings


# -- end to end -----------------------------------------------------------------------------------------

#: Characters whose long runs the end-to-end check puts into a plan (the runs the slow patterns choke on).
E2E_CHARS = (" ", "\t", "a", "ệ", "1", ".", "-", ",", "|", "\n")
#: Where in a plan a run goes: (name, line to find, text before the run, text after it).
E2E_SPOTS = (
    ("own line after the header", None, "", ""),
    ("after a unit, implementation section", "TỔ CHỨC THỰC HIỆN", "- Sở Tài chính", " chủ trì, phối hợp."),
    ("inside the date line", "ngày", "Hà Nội, ngày 20 tháng 5 năm 2021", ""),
    ("inside a cited number", "Thực hiện", "Thực hiện Kế hoạch số 31", "-KH/TU ngày 17/5/2021 của Tỉnh ủy."),
)


def plan_with_run(seed: str, spot: tuple[str, str | None, str, str], run: str) -> str:
    """``seed`` with a line ``before + run + after`` inserted after the first line holding the spot's cue."""
    _, cue, before, after = spot
    lines = seed.split("\n")
    at = 3 if cue is None else next((i + 1 for i, line in enumerate(lines) if cue in line), 3)
    return "\n".join([*lines[:at], "", before + run + after, "", *lines[at:]])


def _process_one(args: tuple[str, str, str]) -> float:
    from pipeline.model import PipelineError
    from pipeline.runner import process

    text, suffix, folder = args
    path = Path(folder) / f"plan{suffix}"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with contextlib.suppress(PipelineError):
        process(path, "plan")
    return (time.perf_counter() - started) * 1000


def end_to_end(size: int, kill_after: float) -> list[dict[str, Any]]:
    """Time the whole pipeline on plans carrying a ``size``-character run of each of :data:`E2E_CHARS` at each
    of :data:`E2E_SPOTS`, as ``.txt`` and ``.md``: which slow patterns a document can actually reach (the
    readers and normalize rewrite much of what the extractors would choke on)."""
    import tempfile

    seed = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))[2].read_text(encoding="utf-8")
    folder = tempfile.mkdtemp(prefix="regex-e2e-")
    ctx = mp.get_context("fork")
    pool = ctx.Pool(1)
    rows = []
    try:
        pool.apply_async(_process_one, ((seed, ".txt", folder),)).get(timeout=kill_after)  # imports, caches
        baseline = pool.apply_async(_process_one, ((seed, ".txt", folder),)).get(timeout=kill_after)
        for spot in E2E_SPOTS:
            for ch in E2E_CHARS:
                for suffix in (".txt", ".md"):
                    text = plan_with_run(seed, spot, ch * size)
                    job = pool.apply_async(_process_one, ((text, suffix, folder),))
                    try:
                        ms, killed = job.get(timeout=kill_after), False
                    except mp.TimeoutError:
                        pool.terminate()
                        pool = ctx.Pool(1)
                        ms, killed = kill_after * 1000, True
                    rows.append(
                        {
                            "spot": spot[0],
                            "run": f"{ch!r}*{size}",
                            "format": suffix,
                            "ms": round(ms, 1),
                            "baseline_ms": round(baseline, 1),
                            "killed": killed,
                        }
                    )
                    print(f"e2e {ms:9.1f} ms  {suffix} {ch!r} {spot[0]}", file=sys.stderr)
    finally:
        pool.terminate()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=50_000, help="length of the adversarial runs")
    ap.add_argument("--limit-ms", type=float, default=100.0, help="report patterns slower than this")
    ap.add_argument("--kill", type=float, default=2.0, help="seconds after which one input is abandoned")
    ap.add_argument("--out", type=Path, default=ROOT / "fuzz" / "regex_audit.json")
    ap.add_argument("--no-end-to-end", action="store_true", help="skip timing whole plans carrying the runs")
    ap.add_argument("--e2e-kill", type=float, default=60.0, help="seconds after which one plan is abandoned")
    args = ap.parse_args(argv)
    patterns = collect()
    print(f"{len(patterns)} patterns collected", file=sys.stderr)
    findings = audit(patterns, args.size, args.kill)
    e2e = [] if args.no_end_to_end else end_to_end(args.size, args.e2e_kill)
    slow_docs = [r for r in e2e if r["ms"] > 1000]
    slow = sorted((f for f in findings if f.worst_ms > args.limit_ms), key=lambda f: -f.worst_ms)
    report = {
        "size": args.size,
        "limit_ms": args.limit_ms,
        "patterns": len(findings),
        "inputs": sum(f.inputs for f in findings),
        "over_limit": [{k: v for k, v in asdict(f).items() if k != "times"} for f in slow],
        "end_to_end_over_1s": slow_docs,
        "end_to_end": e2e,
        "all": [asdict(f) for f in findings],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\n{len(findings)} patterns, {report['inputs']} inputs; {len(slow)} over {args.limit_ms:.0f} ms")
    for f in slow:
        flag = " (killed)" if f.killed else ""
        print(f"{f.worst_ms:9.1f} ms{flag}  {f.origin}")
        print(f"    pattern {f.pattern[:160]!r}\n    input   {f.worst_input}")
    if e2e:
        print(f"\nwhole plans with a {args.size}-character run: {len(slow_docs)} of {len(e2e)} over 1 s")
        for r in sorted(slow_docs, key=lambda r: -r["ms"]):
            killed = " (killed)" if r["killed"] else ""
            print(f"{r['ms']:9.1f} ms{killed}  {r['format']}  {r['run']}  {r['spot']}")
    return 1 if slow or slow_docs else 0


if __name__ == "__main__":
    sys.exit(main())
