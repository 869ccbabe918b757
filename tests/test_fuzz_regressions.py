"""Inputs found by the fuzzing and the regular-expression audit (``fuzz/``), kept as tests.

Each test holds the smallest input that showed the problem and says what went wrong. A document that takes
minutes is as lost as one that crashes: the per-document time limit turns it into an errors row, and the plan
is not read. So the inputs below are plans with one hostile line (a run of tens of thousands of the same
character, as pasted tables, scanned-text garbage and "leader" lines produce), and the tests require the
pipeline to stay linear on them: each must finish well within a few seconds where a quadratic pattern takes
minutes. The time check uses an alarm, so a regression fails in seconds instead of hanging the suite.

Tests marked ``xfail(strict=True)`` reproduce a problem that is not fixed yet (the fix is described in the
reason); when it is fixed they pass, strict mode turns that into a failure, and the marker must go.
"""

from __future__ import annotations

import io
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest

from pipeline.model import PipelineError, RawDocument
from pipeline.normalize import normalize
from pipeline.runner import process
from tests.conftest import SEEDS

T = TypeVar("T")
#: Seconds a plan with one 20,000-50,000-character hostile line may take (a linear pipeline needs ~0.3 s).
LIMIT = 4.0


class TooSlow(BaseException):
    """Raised by the alarm when a call runs past its time limit; a BaseException, like the runner's own
    timeout, so that the pipeline's ``except Exception`` (unexpected failure → errors row) lets it through."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TooSlow in the block after ``seconds`` (SIGALRM: the main thread of a POSIX process)."""

    def on_alarm(_signum: int, _frame: object) -> None:
        raise TooSlow(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed(fn: Callable[[], T], seconds: float = LIMIT) -> tuple[T, float]:
    started = time.perf_counter()
    with time_limit(seconds):
        result = fn()
    return result, time.perf_counter() - started


def _plan() -> str:
    return sorted(SEEDS.glob("*.txt"))[2].read_text(encoding="utf-8")


def _with_line(line: str, after: str | None = None) -> str:
    """The seed plan with ``line`` inserted after the first line containing ``after`` (else the 3rd line)."""
    lines = _plan().split("\n")
    at = next((i + 1 for i, ln in enumerate(lines) if after and after in ln), 3)
    return "\n".join([*lines[:at], "", line, "", *lines[at:]])


def _process_text(tmp_path: Path, text: str, suffix: str = ".txt") -> object:
    path = tmp_path / f"plan{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        return process(path, "plan")
    except PipelineError as exc:  # refusing the input is fine; taking minutes is not
        return exc


def test_the_seed_plan_itself_is_fast(tmp_path: Path) -> None:
    """The yardstick for the tests below: the same plan without the hostile line."""
    process(sorted(SEEDS.glob("*.txt"))[0], "warm")
    _, seconds = timed(lambda: _process_text(tmp_path, _plan()))
    assert seconds < 1.0


def test_a_long_run_of_spaces_inside_a_line_is_linear_in_normalize() -> None:
    """Found end to end by fuzz/regex_audit.py: "- Sở Tài chính" + 50,000 spaces + " chủ trì" in a .txt
    plan took 9-16 s, all of it in normalize._EDGE_SPACES (``[ ]+\\n|...``, retried from every space of the
    run: quadratic); 23-30 s with the run inside a cited number. Fixed by a lookbehind (commit d6c43a3)."""
    text = _with_line("- Sở Tài chính" + " " * 50_000 + " chủ trì, phối hợp.", after="TỔ CHỨC THỰC HIỆN")
    norm, _ = timed(lambda: normalize(RawDocument(text=text, format="txt")))
    assert "Sở Tài chính chủ trì" in norm.text


def test_a_long_word_in_the_header_is_linear_in_metadata(tmp_path: Path) -> None:
    """Found end to end by fuzz/regex_audit.py: a header line of 50,000 letters (OCR or encoding garbage)
    held a plan for over a minute, in MetadataExtractor._date (DATE_LINE searched before the line's length
    was checked; quadratic on a long word). Fixed in commit d6c43a3."""
    result, _ = timed(lambda: _process_text(tmp_path, _with_line("a" * 20_000)))
    assert not isinstance(result, PipelineError) or result.error_type != "internal"


def test_a_run_of_dots_in_the_preamble_is_linear_in_citations(tmp_path: Path) -> None:
    """Found end to end by fuzz/regex_audit.py: "Thực hiện Kế hoạch số 31" + 50,000 dots (a dot leader) +
    "-KH/TU ..." in the preamble held a plan for over a minute, in citation_relations._scopes. Fixed: the
    sentence-end pattern is tried from the first stop of a run only."""
    line = "Thực hiện Kế hoạch số 31" + "." * 20_000 + "-KH/TU ngày 17/5/2021 của Tỉnh ủy."
    result, _ = timed(lambda: _process_text(tmp_path, _with_line(line, after="Thực hiện")))
    assert not isinstance(result, PipelineError) or result.error_type != "internal"


# -- readers: found by fuzz/fuzz_pipeline.py ----------------------------------------------------------------


def _docx_with_patched_entry(part: str, flag_or: int = 0, method: int | None = None) -> bytes:
    """A small DOCX whose ZIP entry ``part`` has ``flag_or`` set in its flags and/or its compression method
    replaced, in both the local header and the central directory (what the fuzzer's bit flips produced)."""
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH triển khai công tác tuyên truyền năm 2024")
    buf = io.BytesIO()
    d.save(buf)
    data = bytearray(buf.getvalue())
    name = part.encode()
    for sig, flags_at, method_at, name_len_at, header in (
        (b"PK\x03\x04", 6, 8, 26, 30),
        (b"PK\x01\x02", 8, 10, 28, 46),
    ):
        at = data.find(sig)
        while at >= 0:
            n = int.from_bytes(data[at + name_len_at : at + name_len_at + 2], "little")
            if bytes(data[at + header : at + header + n]) == name:
                data[at + flags_at] |= flag_or
                if method is not None:
                    data[at + method_at : at + method_at + 2] = method.to_bytes(2, "little")
            at = data.find(sig, at + 4)
    return bytes(data)


#: Fixed: word._check_container refuses encrypted entries and unknown compression methods.


@pytest.mark.parametrize("part", ["docProps/app.xml", "word/document.xml"])
def test_docx_with_an_encrypted_zip_entry_is_an_encrypted_errors_row(tmp_path: Path, part: str) -> None:
    """Found by atheris (crash-86519263..., a mutated DOCX; 4,932 runs into the second session): one bit of
    an entry's ZIP flags set → ``RuntimeError: File 'docProps/app.xml' is encrypted, password required for
    extraction`` from zipfile.read inside python-docx's Package.open, uncaught by pipeline.ingest.word."""
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx_with_patched_entry(part, flag_or=0x01))
    result = _process_text_file(path)
    assert isinstance(result, PipelineError)
    assert (result.stage, result.error_type) == ("ingest", "encrypted"), result.message


@pytest.mark.parametrize("method", [77, 99])
def test_docx_with_an_unknown_compression_method_is_a_corrupt_errors_row(tmp_path: Path, method: int) -> None:
    """The same path with another header field: ``NotImplementedError: That compression method is not
    supported`` (99 is WinZip AES, 77 is nothing)."""
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx_with_patched_entry("word/document.xml", method=method))
    result = _process_text_file(path)
    assert isinstance(result, PipelineError)
    assert (result.stage, result.error_type) in {("ingest", "corrupt"), ("ingest", "encrypted")}, result.message


def _process_text_file(path: Path) -> object:
    try:
        return process(path, "plan")
    except PipelineError as exc:
        return exc
