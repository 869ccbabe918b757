"""Read a legacy Word 97-2003 binary document (.doc) with Debian's ``antiword``.

The text must come out in the same shape as :mod:`pipeline.ingest.word` gives for DOCX (one paragraph per
line, blank line only for visible white space, layout tables column by column, data tables one row per
line with " | "), so that header and signature parsing need not know which format a plan came in.

antiword has two outputs, and neither alone is enough:

* plain text (``-m UTF-8.txt -w 0``) prints tables as ``|cell|cell|`` lines but wraps each cell at its
  column width and prints no boundary between rows, so a row whose cells hold several paragraphs cannot
  be told from several rows, and a long recipient line is cut in two. Blank lines there follow paragraph
  spacing, not empty paragraphs.
* DocBook XML (``-x db``) keeps every paragraph whole, marks empty paragraphs, and gives tables as
  ``row``/``entry`` with one line per cell paragraph. It loses the numbers of automatically numbered
  paragraphs (it writes ``orderedlist``/``listitem``), which this module puts back from the list type.

So DocBook is read first; plain text is the fallback when antiword cannot produce well-formed DocBook.
Automatic numbers in .doc are approximated: antiword says only the list's numeral style and restarts a
list after every non-list paragraph, so counters are kept per numeral style, in the order styles first
appear (the first style seen acts as level 1): advancing a style resets the styles first seen after it.
"I. ... 1. 2. ... II. ... 1." therefore comes out right, though a list's own start value is unknown.
"""

from __future__ import annotations

import mmap
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.ingest.table_layout import Cell, render_table
from pipeline.ingest.word import document_from_lines
from pipeline.ingest.word_numbering import format_number
from pipeline.model import PipelineError, RawDocument

#: Seconds antiword may take on one file; a real plan takes well under one second.
ANTIWORD_TIMEOUT_S = 60
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_INSTALL_HINT = "install antiword (apt-get install antiword)"

#: antiword's stderr messages and the error each means.
_ENCRYPTED_MSG = "Encrypted documents are not supported"
_UNSUPPORTED_MSGS = (
    "This version of Word is not supported",
    "before Word 6",
    "fast saved documents are not supported",
    "autosave documents are not supported",
    "Unknown type of 'fastsaved' format",
)
_NOISE = re.compile(r"^(I can't find the name of your HOME directory|XML doesn't need a mapping file)\s*$")

_SECTIONS = {"book", "chapter", "sect1", "sect2", "sect3", "sect4", "sect5", "listitem"}
_NUMERATION_MARK = {
    "arabic": ("decimal", "."),
    "upperroman": ("upperRoman", "."),
    "lowerroman": ("lowerRoman", "."),
    "upperalpha": ("upperLetter", "."),
    "loweralpha": ("lowerLetter", ")"),
}


def ole_has_stream(path: Path, name: str) -> bool:
    """Whether the OLE compound file at ``path`` has a directory entry called ``name``.

    Looks for the entry the way the format lays it out (a 128-byte directory entry: the UTF-16LE name,
    zero-terminated, then its byte length at offset 64) instead of parsing the sector chains: cheap,
    needs no extra package, and a text that merely mentions the name does not match.
    """
    needle = name.encode("utf-16-le") + b"\x00\x00"
    with path.open("rb") as fh:
        if fh.read(8) != _OLE_MAGIC:
            return False
        fh.seek(0)
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            start = 0
            while (i := data.find(needle, start)) >= 0:
                if i % 128 == 0 and int.from_bytes(data[i + 64 : i + 66], "little") == len(needle):
                    return True
                start = i + 1
    return False


def _antiword() -> str:
    exe = shutil.which("antiword")
    if exe is None:
        raise PipelineError(
            "converter_missing", f"reading Word 97 (.doc) files needs the antiword program: {_INSTALL_HINT}"
        )
    return exe


def _run(exe: str, args: list[str], path: Path) -> tuple[int, str, str]:
    """Run antiword; return (exit code, stdout, stderr without its harmless warnings)."""
    # antiword wants a HOME for its own settings and warns without one; CI may run with none.
    env = dict(os.environ)
    env.setdefault("HOME", tempfile.gettempdir())
    try:
        proc = subprocess.run(
            [exe, *args, str(path.resolve())],
            capture_output=True,
            timeout=ANTIWORD_TIMEOUT_S,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PipelineError(
            "corrupt", f"{path.name}: antiword did not finish within {ANTIWORD_TIMEOUT_S} s"
        ) from exc
    except OSError as exc:
        raise PipelineError(
            "converter_missing", f"antiword could not be started ({exc}); {_INSTALL_HINT}"
        ) from exc
    err = "\n".join(
        line for line in proc.stderr.decode("utf-8", "replace").splitlines() if line and not _NOISE.match(line)
    )
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), err


def _raise_for(path: Path, message: str) -> None:
    """Turn antiword's complaint into the matching PipelineError."""
    shown = message.replace(str(path.resolve()), path.name).strip() or "antiword failed without a message"
    if _ENCRYPTED_MSG in message:
        raise PipelineError("encrypted", f"{path.name}: the Word document is password-protected")
    if any(m in message for m in _UNSUPPORTED_MSGS):
        raise PipelineError("unsupported", f"{path.name}: {shown}")
    raise PipelineError("corrupt", f"{path.name}: antiword could not read it: {shown}")


# --------------------------------------------------------------------------------------------------
# DocBook
# --------------------------------------------------------------------------------------------------


class _ListNumbers:
    """Counters per numeral style, ordered by first appearance (see the module docstring)."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.count: dict[str, int] = {}

    def next(self, numeration: str) -> str:
        if numeration not in _NUMERATION_MARK:
            numeration = "arabic"
        if numeration not in self.order:
            self.order.append(numeration)
        self.count[numeration] = self.count.get(numeration, 0) + 1
        for later in self.order[self.order.index(numeration) + 1 :]:
            self.count[later] = 0
        fmt, suffix = _NUMERATION_MARK[numeration]
        return format_number(self.count[numeration], fmt) + suffix + " "


def _text_lines(text: str) -> list[str]:
    """Lines of one DocBook paragraph or cell; antiword's own indentation newlines are dropped."""
    return [line.strip(" \t\u00a0") for line in text.split("\n")]


def _inline(el: Any) -> str:
    """Text of an inline element (emphasis, superscript...) without the tail."""
    return "".join(el.itertext())


class _DocBook:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.lists = _ListNumbers()
        self.label = ""  # a list number waiting for the next paragraph

    def walk(self, el: Any, top: bool = False) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in {"bookinfo", "beginpage", "colspec"}:
                continue
            if tag == "title":
                # The book's own title is the file's properties, not its text; an empty title is a
                # placeholder antiword adds for DocBook's sake, not an empty paragraph.
                if not top and _inline(child).strip():
                    self.paragraph(child)
            elif tag == "para":
                self.paragraph(child)
            elif tag == "informaltable":
                self.table(child)
            elif tag in {"orderedlist", "itemizedlist"}:
                self.list(child)
            elif tag in _SECTIONS:
                self.walk(child)

    def list(self, el: Any) -> None:
        for item in el:
            if item.tag != "listitem":
                continue
            if item.get("override") == "none":
                self.label = ""
            elif el.tag == "itemizedlist":
                self.label = "- "
            else:
                self.label = self.lists.next(el.get("numeration", "arabic"))
            self.walk(item)
            self.label = ""  # an item without text must not lend its number to the next paragraph

    def paragraph(self, el: Any) -> None:
        """One paragraph; a table inside it (antiword nests them so) is rendered in its place."""
        parts: list[str] = [el.text or ""]
        emitted = False
        for child in el:
            if child.tag == "informaltable":
                emitted |= self.flush(parts)
                self.table(child)
                emitted = True
                parts = []
            elif child.tag in {"orderedlist", "itemizedlist"}:
                emitted |= self.flush(parts)
                self.list(child)
                emitted = True
                parts = []
            else:
                parts.append(_inline(child))
            parts.append(child.tail or "")
        if not self.flush(parts) and not emitted:
            self.lines.append("")  # an empty paragraph

    def flush(self, parts: list[str]) -> bool:
        lines = [line for line in _text_lines("".join(parts)) if line]
        if not lines:
            return False
        lines[0] = self.label + lines[0]
        self.label = ""
        self.lines.extend(lines)
        return True

    def table(self, el: Any) -> None:
        rows: list[list[Cell]] = []
        for row in el.iter("row"):
            cells = []
            for col, entry in enumerate(row.iter("entry")):
                content = _inline(entry)
                # antiword writes "<entry>\n" + the cell's paragraphs, one per line + "\n   </entry>"
                content = content.removeprefix("\n")
                content = re.sub(r"\n[ \t]*$", "", content)
                cells.append(Cell(col, _text_lines(content)))
            rows.append(cells)
        self.lines.extend(render_table(rows))


def _from_docbook(xml: str) -> list[str] | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(xml.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return None
    walker = _DocBook()
    walker.walk(root, top=True)
    return walker.lines


# --------------------------------------------------------------------------------------------------
# Plain-text fallback
# --------------------------------------------------------------------------------------------------

_TABLE_LINE = re.compile(r"^\|(.*)\|\s*$")


def _from_text(text: str) -> list[str]:
    """Lines from antiword's plain text: each ``|...|`` line is taken as a table row (see module doc)."""
    lines: list[str] = []
    rows: list[list[Cell]] = []
    for raw in text.splitlines():
        match = _TABLE_LINE.match(raw)
        if match:
            rows.append([Cell(col, [cell]) for col, cell in enumerate(match.group(1).split("|"))])
            continue
        if rows:
            lines.extend(render_table(rows))
            rows = []
        lines.append(raw.strip(" \t\u00a0\f"))
    if rows:
        lines.extend(render_table(rows))
    return lines


# --------------------------------------------------------------------------------------------------


def read(path: Path) -> RawDocument:
    """Read a Word 97-2003 file into a :class:`RawDocument` (format ``doc``, one page)."""
    path = Path(path)
    if ole_has_stream(path, "EncryptedPackage") or ole_has_stream(path, "EncryptionInfo"):
        raise PipelineError(
            "encrypted",
            f"{path.name}: a password-protected Word document; remove the password and save again",
        )
    exe = _antiword()
    notes = ["converted with antiword"]
    warnings: list[str] = []
    code, out, err = _run(exe, ["-x", "db"], path)
    if _ENCRYPTED_MSG in err:
        _raise_for(path, err)
    lines = _from_docbook(out) if code == 0 else None
    if lines is None:
        code, out, err = _run(exe, ["-m", "UTF-8.txt", "-w", "0"], path)
        if code != 0:
            _raise_for(path, err)
        lines = _from_text(out)
        warnings.append("antiword's structured output failed; table rows and blank lines are approximate")
    return document_from_lines(lines, path, "doc", notes, warnings)
