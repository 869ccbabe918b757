"""Hostile inputs: each becomes an errors row (or a document, when it is a readable plan) in bounded memory and
time, and the rest of the batch still completes.

A national collection holds whatever people uploaded: zip bombs, scanned books of thousands of pages, log
dumps named ``.txt``, generated HTML nested a hundred thousand deep, PDFs with scripts or passwords. One of
them must never take a worker's memory or the batch's time. Each input is run by :func:`pipeline.runner.run`
in a child process (so that its peak memory, ``ru_maxrss``, is its own and a runaway cannot take the test
runner with it: the child's address space is capped too), after a warm-up document so that the imports do
not count as the input's memory. The child reports its tables as JSON.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SEEDS

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
MiB = 1 << 20
#: Address-space cap of the child: far above a normal run, far below what a runaway input would take.
CHILD_AS_LIMIT = 3 << 30
#: Peak memory an input may add over the warmed-up child: generous, and still far from "the file times 30".
PEAK_LIMIT_MB = 700
#: Per-document time limit given to the runner, and the child's own wall-clock limit.
DOC_TIMEOUT = 10
CHILD_TIMEOUT = 120

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from pipeline.runner import process, run
import pandas as pd
process(Path(sys.argv[4]), "warmup")  # the imports a document needs are not the input's memory
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
summary = run(json.loads(sys.argv[1]), sys.argv[2], progress=False, jobs=1, timeout=float(sys.argv[5]),
              use_cache=False)
seconds = time.perf_counter() - started
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
out = Path(sys.argv[2])
read = lambda name: pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False).to_dict("records")
print(json.dumps({"seconds": seconds, "peak_mb": peak, "errors": read("errors"), "documents": read("documents")}))
"""


def run_child(inputs: list[Path], out: Path) -> dict[str, Any]:
    """Run the batch ``inputs`` in a capped child process; its tables, time and added peak memory."""
    seed = sorted(SEEDS.glob("*.txt"))[0]
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _CHILD,
            json.dumps([str(p) for p in inputs]),
            str(out),
            str(CHILD_AS_LIMIT),
            str(seed),
            str(DOC_TIMEOUT),
        ],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def one_error(result: dict[str, Any], name: str) -> dict[str, str]:
    """The single errors row of a one-input batch, after checking the bounds every input must respect."""
    assert result["peak_mb"] < PEAK_LIMIT_MB, f"{name}: peak memory grew by {result['peak_mb']:.0f} MB"
    assert result["seconds"] < DOC_TIMEOUT, f"{name}: took {result['seconds']:.1f} s"
    assert result["documents"] == []
    assert len(result["errors"]) == 1, result["errors"]
    row = result["errors"][0]
    assert Path(row["source_path"]).name == name
    assert name in row["message"]  # a message a user can act on names the file
    return row


# -- builders -------------------------------------------------------------------------------------------


def _seed_text() -> str:
    return sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")


def _docx_bytes(text: str) -> bytes:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _with_part(docx: bytes, dest: Path, name: str, chunks: int, chunk: bytes, head: bytes, tail: bytes) -> Path:
    """Copy ``docx`` to ``dest`` with part ``name`` replaced by ``head + chunk * chunks + tail``, streamed
    through deflate (a few hundred KB on disk however large it unpacks)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != name:
                out.writestr(info, src.read(info))
        with out.open(name, "w", force_zip64=True) as fh:
            fh.write(head)
            for _ in range(chunks):
                fh.write(chunk)
            fh.write(tail)
    return dest


_DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    b"<w:p><w:r><w:t>K\xe1\xba\xbe HO\xe1\xba\xa0CH</w:t></w:r></w:p><w:p><w:r><w:t>"
)
_DOC_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


def _pdf_of_pages(dest: Path, pages: int) -> Path:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    with dest.open("wb") as fh:
        writer.write(fh)
    return dest


def _text_pdf(text: str) -> bytes:
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 (test extra) writes the PDFs")
    if not FONT.exists():
        pytest.skip(f"{FONT} is missing")
    doc = fpdf.FPDF(format="A4", unit="pt")
    doc.add_font("serif", "", str(FONT))
    doc.set_font("serif", size=11)
    doc.add_page()
    doc.multi_cell(0, 14, text)
    return bytes(doc.output())


def _rewrite_pdf(data: bytes, dest: Path, js: str = "", password: str = "") -> Path:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    if js:
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        action = {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(js)}
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(action)
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    with dest.open("wb") as fh:
        writer.write(fh)
    return dest


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5,000 blank pages, built once for the module (half a second)."""
    return _pdf_of_pages(tmp_path_factory.mktemp("pdf") / "book.pdf", 5000)


@pytest.fixture(scope="module")
def plan_pdf() -> bytes:
    return _text_pdf(_seed_text()[:2500])


# -- one input each ---------------------------------------------------------------------------------------


def test_zip_bomb_docx_is_refused_before_unpacking(tmp_path: Path) -> None:
    """document.xml unpacks to 110 MiB (from a few hundred KB): refused from the ZIP directory alone."""
    bomb = _with_part(
        _docx_bytes(_seed_text()[:500]),
        tmp_path / "bomb.docx",
        "word/document.xml",
        110,
        b" " * MiB,
        _DOC_HEAD,
        _DOC_TAIL,
    )
    assert bomb.stat().st_size < 2 * MiB
    row = one_error(run_child([bomb], tmp_path / "out"), "bomb.docx")
    assert (row["stage"], row["error_type"]) == ("ingest", "too_large")
    assert "zip bomb" in row["message"] or "MiB" in row["message"]


#: Text inputs over 16 MiB (sniff.MAX_TEXT_BYTES), DOCX parts over 32 MiB (word.MAX_XML_PART_BYTES) and any
#: reader's text over 5 million characters (ingest.MAX_TEXT_CHARS) are refused with a too_large row: plan text
#: that long would take gigabytes through normalize.


def test_zip_bomb_docx_under_the_part_limit_stays_bounded(tmp_path: Path) -> None:
    """A bomb that stays under the per-part and total limits: 60 MiB of short paragraphs, from about 200 KB.
    Plan text that long would take gigabytes through normalize; it must be refused for its size."""
    paragraph = "Các sở, ban, ngành triển khai thực hiện Kế hoạch này.</w:t></w:r></w:p><w:p><w:r><w:t>".encode()
    bomb = _with_part(
        _docx_bytes(_seed_text()[:500]),
        tmp_path / "bomb60.docx",
        "word/document.xml",
        60,
        paragraph * (MiB // len(paragraph)),
        _DOC_HEAD,
        _DOC_TAIL,
    )
    assert bomb.stat().st_size < 2 * MiB
    row = one_error(run_child([bomb], tmp_path / "out"), "bomb60.docx")
    assert row["error_type"] == "too_large"


def test_zip_bomb_docx_with_lying_sizes_is_an_errors_row(tmp_path: Path) -> None:
    """The ZIP directory says document.xml unpacks to 1,000 bytes; it really unpacks to 50 MiB."""
    honest = _with_part(
        _docx_bytes(_seed_text()[:500]),
        tmp_path / "honest.docx",
        "word/document.xml",
        50,
        b" " * MiB,
        _DOC_HEAD,
        _DOC_TAIL,
    )
    data = bytearray(honest.read_bytes())
    _lie_about_size(data, b"word/document.xml", 1000)
    liar = tmp_path / "liar.docx"
    liar.write_bytes(bytes(data))
    row = one_error(run_child([liar], tmp_path / "out"), "liar.docx")
    assert row["error_type"] in {"corrupt", "too_large"}


def _lie_about_size(data: bytearray, name: str | bytes, size: int) -> None:
    """Overwrite the uncompressed size of ``name`` in its local header and in the central directory (in the
    zip64 extra field when the entry has one)."""
    name = name.encode() if isinstance(name, str) else name
    for sig, size_at, name_len_at, extra_len_at, header in (
        (b"PK\x03\x04", 22, 26, 28, 30),
        (b"PK\x01\x02", 24, 28, 30, 46),
    ):
        at = data.find(sig)
        while at >= 0:
            n = int.from_bytes(data[at + name_len_at : at + name_len_at + 2], "little")
            e = int.from_bytes(data[at + extra_len_at : at + extra_len_at + 2], "little")
            if bytes(data[at + header : at + header + n]) == name:
                if data[at + size_at : at + size_at + 4] == b"\xff\xff\xff\xff":
                    extra = at + header + n
                    end = extra + e
                    while extra + 4 <= end:
                        tag = int.from_bytes(data[extra : extra + 2], "little")
                        length = int.from_bytes(data[extra + 2 : extra + 4], "little")
                        if tag == 1:  # zip64: uncompressed size first
                            data[extra + 4 : extra + 12] = size.to_bytes(8, "little")
                        extra += 4 + length
                else:
                    data[at + size_at : at + size_at + 4] = size.to_bytes(4, "little")
            at = data.find(sig, at + 4)


def test_pdf_of_5000_pages_is_refused_by_its_page_count(big_pdf: Path, tmp_path: Path) -> None:
    row = one_error(run_child([big_pdf], tmp_path / "out"), "book.pdf")
    assert (row["stage"], row["error_type"]) == ("ingest", "too_large")
    assert "5000 pages" in row["message"]


def test_sparse_200_mb_file_is_an_errors_row_in_bounded_memory(tmp_path: Path) -> None:
    """200 MB of holes (NUL bytes when read), created instantly with truncate."""
    big = tmp_path / "dump.txt"
    with big.open("wb") as fh:
        fh.write(_seed_text()[:2000].encode())
        fh.truncate(200_000_000)
    row = one_error(run_child([big], tmp_path / "out"), "dump.txt")
    assert row["error_type"] in {"binary", "too_large"}


def test_200_mb_of_real_text_is_refused_or_bounded(tmp_path: Path) -> None:
    """200 MB of plan text (a plan pasted again and again): a real plan is under 1 MB of text, and reading
    this one through normalize would take gigabytes, so it must be refused up front."""
    big = tmp_path / "huge.txt"
    block = (_seed_text() + "\n").encode() * 64
    with big.open("wb") as fh:
        while fh.tell() < 200_000_000:
            fh.write(block)
    row = one_error(run_child([big], tmp_path / "out"), "huge.txt")
    assert (row["stage"], row["error_type"]) == ("ingest", "too_large")


def test_deeply_nested_html_without_text_is_an_errors_row(tmp_path: Path) -> None:
    page = tmp_path / "nested.html"
    page.write_text("<html><body>" + "<div>" * 200_000 + "</div>" * 200_000 + "</body></html>", encoding="utf-8")
    row = one_error(run_child([page], tmp_path / "out"), "nested.html")
    assert row["error_type"] in {"no_text", "not_vietnamese"}


def test_deeply_nested_html_with_a_plan_is_read_as_flat_text(tmp_path: Path) -> None:
    """The same nesting around a real plan: the plan is read (as flat text, with a warning), not lost."""
    page = tmp_path / "nested_plan.html"
    body = "".join(f"<p>{line}</p>" for line in _seed_text().split("\n") if line.strip())
    page.write_text("<html><body>" + "<div>" * 100_000 + body + "</div>" * 100_000 + "</body></html>", "utf-8")
    result = run_child([page], tmp_path / "out")
    assert result["peak_mb"] < PEAK_LIMIT_MB and result["errors"] == []
    (doc,) = result["documents"]
    assert "nesting deeper" in doc["warnings"]
    assert doc["doc_type"]


def test_password_pdf_is_an_encrypted_errors_row(plan_pdf: bytes, tmp_path: Path) -> None:
    locked = _rewrite_pdf(plan_pdf, tmp_path / "locked.pdf", password="secret")
    row = one_error(run_child([locked], tmp_path / "out"), "locked.pdf")
    assert (row["stage"], row["error_type"]) == ("ingest", "encrypted")
    assert "password" in row["message"]


def test_pdf_with_javascript_is_read_and_its_script_never_runs(plan_pdf: bytes, tmp_path: Path) -> None:
    """The readers have no script engine: pdfium is built without V8 (and no form environment is opened),
    pdfplumber is a parser. The plan's text is read; the script is not part of it."""
    pdfium = pytest.importorskip("pypdfium2")
    assert not {"V8", "XFA"} & set(pdfium.PDFIUM_INFO.flags)
    js = "app.alert('kehoach-js-ran'); this.exportDataObject({cName: 'x', nLaunch: 2});"
    scripted = _rewrite_pdf(plan_pdf, tmp_path / "scripted.pdf", js=js)
    assert b"/JavaScript" in scripted.read_bytes()
    out = tmp_path / "out"
    result = run_child([scripted], out)
    assert result["peak_mb"] < PEAK_LIMIT_MB and result["errors"] == []
    (doc,) = result["documents"]
    text = (out / doc["text_path"]).read_text(encoding="utf-8")
    assert "KẾ HOẠCH" in text.upper() and "kehoach-js-ran" not in text


# -- all of them in one batch -------------------------------------------------------------------------------


def test_a_batch_of_hostile_inputs_completes_with_its_good_plan(
    big_pdf: Path, plan_pdf: bytes, tmp_path: Path
) -> None:
    """The issue's "done when": every hostile input yields its errors row and the rest of the batch completes."""
    src = tmp_path / "src"
    src.mkdir()
    good = src / "good.txt"
    good.write_text(_seed_text(), encoding="utf-8")
    _with_part(_docx_bytes("x"), src / "bomb.docx", "word/document.xml", 110, b" " * MiB, _DOC_HEAD, _DOC_TAIL)
    (src / "book.pdf").write_bytes(big_pdf.read_bytes())
    with (src / "dump.txt").open("wb") as fh:
        fh.truncate(200_000_000)
    (src / "nested.html").write_text("<div>" * 200_000, encoding="utf-8")
    _rewrite_pdf(plan_pdf, src / "locked.pdf", password="secret")
    result = run_child([src], tmp_path / "out")
    assert [Path(d["source_path"]).name for d in result["documents"]] == ["good.txt"]
    failed = {Path(e["source_path"]).name: e["error_type"] for e in result["errors"]}
    assert failed.keys() == {"bomb.docx", "book.pdf", "dump.txt", "nested.html", "locked.pdf"}
    assert result["peak_mb"] < PEAK_LIMIT_MB
