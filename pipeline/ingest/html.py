"""Reader for web pages: government portal articles and Word's "Save as Web Page" files.

Two kinds of HTML reach the pipeline and they need opposite treatment:

* **Portal articles** wrap one document in site chrome (menus, sidebars, share buttons, footers). Only the
  article is wanted, so the main text is chosen by trafilatura, a boilerplate remover tuned on millions of
  news pages, which keeps paragraph structure and tables (its tree, not its text output, is serialized
  here, so that tables and line breaks keep their shape). Link-dense blocks are pruned first, because on
  older portals laid out in one big table trafilatura keeps the menu cells. Its choice is then checked
  against the page: Word-exported articles put their footnotes (which name the documents a plan cites)
  in a block after the body, and an article title may sit outside the block trafilatura picked; both are
  put back if dropped. Pages with no navigation at all (converter output) are read whole.
* **Word web pages** (and other converter output without site chrome) *are* the document: nothing may be
  dropped, so the whole body is written out. Their header (issuing organ, number, national motto, place and
  date) and signature are laid out in borderless 2-column tables, which are written column by column so that
  each header line stays whole; real data tables are written one row per line with `` | `` between cells.

Text is written one block element per line, with a blank line between paragraphs, so later stages can work
line by line. The reader never recurses over the HTML tree (deeply nested input must not hit Python's
recursion limit); libxml2 itself stops at a nesting depth of 256, and a page that deep is read as flat text.
"""

from __future__ import annotations

import codecs
import html as html_lib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import lxml.html
from lxml import etree

from pipeline.ingest.file_bytes import read_limited
from pipeline.ingest.legacy_fonts import convert_legacy
from pipeline.ingest.plaintext import decode_windows_1252
from pipeline.ingest.table_layout import Cell, render_table
from pipeline.ingest.vietnamese import count_vietnamese_only
from pipeline.model import PipelineError, RawDocument

__all__ = ["decode_html_bytes", "fragment_to_text", "from_string", "read"]

#: How far into the file a charset declaration is looked for. Word writes it in the first kilobyte, but
#: some portals put long inline scripts before the meta tag.
_DECL_SCAN_BYTES = 64 * 1024

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_XML_DECL_CHARSET = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")

#: Labels that browsers (WHATWG Encoding standard) read as windows-1252: a page that says latin-1 or ascii
#: is decoded as windows-1252, as browsers do, so that its curly quotes and dashes survive.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"}

#: A page is still read as UTF-8 with at most one undecodable byte per this many bytes.
_MAX_BAD_UTF8_RATIO = 2000

_WS = re.compile(r"\s+")

# ---------------------------------------------------------------------------------------------------------
# Element roles. The serializer works on two vocabularies: HTML, and the XML that trafilatura returns
# (head, list, item, row, cell, lb, quote, ...). Inside <body> the two do not clash.

# fmt: off
_PARAGRAPH_TAGS = frozenset([
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section", "article",
    "main", "header", "footer", "nav", "aside", "address", "figure", "figcaption", "center",
    "fieldset", "legend", "form", "dl", "ul", "ol", "menu", "details", "summary", "hgroup",
    "caption", "head", "quote", "code", "list",
])
# fmt: on
_LINE_TAGS = frozenset(["li", "dt", "dd", "item", "option"])
_BREAK_TAGS = frozenset(["br", "lb", "hr", "wbr"])
_TABLE_TAGS = frozenset(["table"])
_ROW_TAGS = frozenset(["tr", "row"])
_CELL_TAGS = frozenset(["td", "th", "cell"])
_ROW_GROUP_TAGS = frozenset(["thead", "tbody", "tfoot"])
_PRE_TAGS = frozenset(["pre", "code"])

#: Never text: scripts, styles, form controls, embedded objects. VML shapes (v:*) are dropped because Word
#: repeats a text box's text in a plain-HTML fallback right after the shape. (``head`` is not listed: only
#: <body> is ever serialized, and in trafilatura's vocabulary <head> is a heading.)
# fmt: off
_DROP_ALWAYS = frozenset([
    "script", "style", "noscript", "template", "title", "meta", "link", "object", "embed",
    "iframe", "frame", "frameset", "svg", "math", "canvas", "audio", "video", "source", "track",
    "map", "button", "input", "select", "textarea", "img", "picture", "graphic",
])
# fmt: on
_DROP_PREFIXES = ("v:",)

#: Site chrome: these tags and class/id words tell a site page from a converted document, and are dropped
#: when a page without a trafilatura result is read whole. <header> and "header" only count as a sign:
#: an article's <header> holds its title, a document's "doc-header" its issuing organ.
_CHROME_TAGS = frozenset(["nav", "footer", "aside", "form", "menu"])
_CHROME_SIGN_TAGS = _CHROME_TAGS | {"header"}
_CHROME_WORDS = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|menubar|sidebar|side-bar|footer|breadcrumbs?|share|social|"
    r"banner|advert|ads|login|search|related|tags|comment|comments|widget|topbar|toolbar|copyright)"
    r"($|[\s_-])",
    re.IGNORECASE,
)
#: Deeper than this the page is pathological (libxml2 stops at 256 by default; older builds do not).
_MAX_DEPTH = 255

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all|visibility\s*:\s*hidden", re.IGNORECASE)
_WORD_SECTION_CLASS = re.compile(r"^(Word)?Section\d+$")
_OFFICE_GENERATOR = re.compile(r"Microsoft (Word|Office)|LibreOffice|OpenOffice|StarOffice|Word\.Document", re.I)
_WORD_NAMESPACE = b"urn:schemas-microsoft-com:office:word"
_GENERATOR_METAS = frozenset(["generator", "progid", "originator"])

#: A page with more links to other pages than this is a site page, not a converted document.
_BARE_MAX_LINKS = 5

#: A block with at least this many links and this share of its text in links is a menu or link list.
_LINK_BLOCK_TAGS = frozenset(["td", "th", "div", "ul", "ol", "table", "section", "p", "nav", "aside"])
_LINK_BLOCK_MIN_LINKS = 3
_LINK_DENSITY = 0.6

#: A table cell with little text is written tight (one line per paragraph, no blank lines between): in a
#: header or signature table, Word's paragraph spacing is not a paragraph break.
_TIGHT_CELL_CHARS = 1500
#: A cell this long holding most of a table's text is the content column of a page laid out in a table.
_FRAME_CELL_CHARS = 1000

#: Footnote and endnote bodies as Word writes them (``<div id=ftn1>`` in a ``mso-element:footnote-list``
#: block, back-links to ``#_ftnref1``) and as markdown/CMS renderers write them (``class="footnotes"``).
_NOTE_ID = re.compile(r"^_?(ftn|edn|fn)[:_-]?\d+$")
_NOTE_CLASS = re.compile(r"(^|\s)(footnotes?|endnotes?|MsoFootnoteText|MsoEndnoteText)(\s|$)", re.IGNORECASE)
_NOTE_STYLE = re.compile(r"mso-element\s*:\s*(footnote|endnote)-list", re.IGNORECASE)
_NOTE_BACKLINK = ("#_ftnref", "#_ednref", "#ftnref", "#ednref")


# ---------------------------------------------------------------------------------------------------------
# Public entry points


def read(path: Path) -> RawDocument:
    """Read one HTML file: decode it, pick the document text out of the page, and write it as lines."""
    path = Path(path)
    data = read_limited(path)
    text, encoding, notes = decode_html_bytes(data, path.name)
    return from_string(text, name=path.name, encoding=encoding, notes=notes, raw=data)


def decode_html_bytes(data: bytes, name: str = "page") -> tuple[str, str, list[str]]:
    """Decode a page's bytes: BOM, then the declared charset, then UTF-8, then a statistical guess.

    The declared charset comes before UTF-8 because Word pages declare windows-1252 and hold raw 1252 bytes
    beside numeric character references; the declaration is not trusted blindly because portals often
    declare one encoding and serve another. Returns ``(text, encoding, notes)``.
    """
    notes: list[str] = []
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.replace("-sig", ""), notes
            except UnicodeDecodeError as exc:
                raise PipelineError(
                    "encoding", f"{name}: starts with a {codec} byte-order mark but is not valid {codec}"
                ) from exc

    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16, [f"{utf16} without byte-order mark"]
        except UnicodeDecodeError:
            pass

    declared = _declared_charset(data[:_DECL_SCAN_BYTES])
    if declared:
        codec = _codec_for(declared)
        if codec is None:
            notes.append(f"declared charset {declared!r} is unknown; ignored")
        elif codec != "utf-8" and not data.isascii() and _is_utf8(data):
            # Valid multi-byte UTF-8 almost never arises by chance in a legacy 8-bit encoding: the page was
            # re-saved as UTF-8 and its meta tag left behind (common on portals).
            notes.append(f"declared charset {declared} but the bytes are UTF-8; read as UTF-8")
            return data.decode("utf-8"), "utf-8", notes
        else:
            text = _decode_as(data, codec)
            if text is not None:
                return text, codec, notes
            notes.append(f"declared charset {declared} does not fit the bytes; detected instead")

    try:
        return data.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError:
        pass
    # A UTF-8 page with a stray damaged byte or two is still UTF-8: a statistical guess on it would turn
    # every Vietnamese letter into mojibake, which is far worse than one replacement character.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad * _MAX_BAD_UTF8_RATIO <= len(data):
        notes.append(f"{bad} byte(s) that are not UTF-8 were replaced by U+FFFD")
        return text, "utf-8", notes

    return _guess_single_byte(data, name, notes)


def _guess_single_byte(data: bytes, name: str, notes: list[str]) -> tuple[str, str, list[str]]:
    """An undeclared page that is not UTF-8: windows-1258, windows-1252 or charset-normalizer's guess,
    whichever reads with the fewest characters Vietnamese text never has.

    A statistical guesser alone knows little Vietnamese: on windows-1258 text it may answer a Central
    European code page. A wrong reading leaves symbols no Vietnamese text has (Þ, ð, a tone mark on a
    consonant, a capital inside a word, control codes), which is what the score counts; ties go to the
    reading with more Vietnamese letters.
    """
    from charset_normalizer import from_bytes

    readings: list[tuple[str, str]] = []
    for codec in ("cp1258", "cp1252"):
        text = _decode_as(data, codec)
        if text is not None:
            readings.append((unicodedata.normalize("NFC", text), codec))
    best = from_bytes(data).best()
    if best is not None and best.encoding is not None:
        readings.append((unicodedata.normalize("NFC", str(best)), best.encoding))
    scored = [(_junk_score(text), -count_vietnamese_only(text), text, codec) for text, codec in readings]
    if scored:
        junk, _, text, codec = min(scored, key=lambda c: (c[0], c[1]))
        if junk <= _MAX_JUNK_SHARE * len(text):
            notes.append(f"no usable charset declaration; read as {codec}")
            return text, codec, notes
    raise PipelineError("encoding", f"{name}: the text encoding could not be recognised")


#: A reading with more than this share of characters Vietnamese text never has is no reading at all.
_MAX_JUNK_SHARE = 0.02
_JUNK = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u0300-\u036f\u1e00-\u1e9f¤¦¨ª¯²³¸¹º¼½¾¿ÅÆÇËÎÏÐÑÖ×ØÛÜÞßåæçëîïðñö÷øûüþÿ]"
)
_WORD = re.compile(r"[^\W\d_]{2,}")


def _junk_score(text: str) -> int:
    """Characters Vietnamese text does not contain, plus words with a capital after a small letter."""
    inner_caps = sum(1 for w in _WORD.findall(text) if not w.isupper() and any(c.isupper() for c in w[1:]))
    return len(_JUNK.findall(text)) + inner_caps


def from_string(
    markup: str,
    name: str = "page",
    encoding: str = "",
    notes: list[str] | None = None,
    raw: bytes | None = None,
) -> RawDocument:
    """Turn decoded HTML into a RawDocument (format ``html``); ``raw`` (the file bytes) helps tell kinds."""
    notes = list(notes or [])
    warnings: list[str] = []
    markup = _XML_DECL.sub("", markup, count=1)
    root, too_deep = _parse(markup)
    if root is None:
        raise PipelineError("no_text", f"{name}: the page has no text")

    if too_deep:
        warnings.append("nesting deeper than the parser allows; the page was read as flat text")
        text = _flat_text(markup)
    else:
        head = raw[:_DECL_SCAN_BYTES] if raw is not None else markup[:_DECL_SCAN_BYTES].encode("utf-8", "replace")
        kind = _page_kind(root, head)
        if kind == "word":
            notes.append("a Word web page; the whole document was kept")
            text = _serialize(_body(root), drop_chrome=False)
        elif kind == "bare":
            notes.append("a page without site navigation; the whole body was kept")
            text = _serialize(_body(root), drop_chrome=False)
        else:
            text, article_notes = _article_text(root, markup)
            notes.extend(article_notes)

    text = _tidy(text)
    if not text:
        raise PipelineError("no_text", f"{name}: the page has no text")
    # Old ".VnTime" documents saved as web pages keep their TCVN3/VNI font codes.
    text, legacy = convert_legacy(text)
    if legacy:
        encoding = f"{encoding}+{legacy}" if encoding else legacy
        notes.append(f"converted from the {legacy} font encoding to Unicode")
    composed = unicodedata.normalize("NFC", text)
    if composed != text:
        # windows-1258 pages and some editors write tone marks as separate combining characters.
        notes.append("decomposed diacritics normalized to NFC")
        text = composed
    return RawDocument(
        text=text, format="html", page_starts=[0], encoding=encoding, notes=notes, warnings=warnings
    )


def fragment_to_text(markup: str) -> str:
    """Text of an HTML fragment (a raw ``<table>`` left in a Markdown file), read whole: no chrome removal.

    Tables come out as in a Word page: layout tables column by column, data tables one row per line.
    """
    root, too_deep = _parse(f"<html><body>{markup}</body></html>")
    if root is None:
        return ""
    text = _flat_text(markup) if too_deep else _serialize(_body(root), drop_chrome=False)
    return _tidy(text)


# ---------------------------------------------------------------------------------------------------------
# Decoding helpers


def _declared_charset(head: bytes) -> str:
    match = _XML_DECL_CHARSET.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace").strip().lower() if match else ""


def _codec_for(label: str) -> str | None:
    label = label.lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    if label in {"unicode", "utf-16"}:
        # Word's "Unicode" pages are UTF-16 and carry a BOM (handled earlier); a page that still says so
        # was re-saved by something else and is most likely UTF-8.
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode_as(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        if codec == "cp1252":
            return decode_windows_1252(data)  # as browsers do: the undefined bytes do not fail the page
        return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(data: bytes) -> str:
    """UTF-16 without a BOM shows as NUL bytes in every other position of ASCII markup."""
    sample = data[:4096]
    if len(sample) < 16 or sample.count(0) < len(sample) // 4:
        return ""
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls > even_nuls * 4:
        return "utf-16-le"
    if even_nuls > odd_nuls * 4:
        return "utf-16-be"
    return ""


# ---------------------------------------------------------------------------------------------------------
# Parsing and choosing the text


def _parse(markup: str) -> tuple[etree._Element | None, bool]:
    """Parse with libxml2's forgiving HTML parser; report whether it stopped at its depth limit.

    Comments are removed while parsing: Word's ``<![if !supportLists]>`` markers become comments there, and
    the list bullet between them is ordinary text that must stay.
    """
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return None, False
    too_deep = any("depth" in entry.message.lower() for entry in parser.error_log) or _deeper_than(
        root, _MAX_DEPTH
    )
    return root, too_deep


def _deeper_than(root: etree._Element, limit: int) -> bool:
    depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > limit:
            return True
    return False


def _body(root: etree._Element) -> etree._Element:
    body = root.find("body")
    return body if body is not None else root


def _page_kind(root: etree._Element, raw_head: bytes) -> str:
    """``word`` for office-converter output, ``bare`` for a page with no site chrome, else ``article``."""
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").lower()
        if name in _GENERATOR_METAS and _OFFICE_GENERATOR.search(meta.get("content") or ""):
            return "word"
    if _WORD_NAMESPACE in raw_head[:_DECL_SCAN_BYTES]:
        return "word"
    body = _body(root)
    for div in body.iter("div"):
        if _WORD_SECTION_CLASS.match(div.get("class") or ""):
            return "word"
    if _has_chrome(body):
        return "article"
    return "bare"


def _has_chrome(body: etree._Element) -> bool:
    """Whether the page has navigation: chrome elements or classes, or much of its text in links."""
    if any(True for _ in body.iter(*_CHROME_SIGN_TAGS)):
        return True
    for el in body.iter("div", "ul", "section", "table"):
        if _CHROME_WORDS.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            return True
    # A document converted to HTML links to nothing but its own footnotes; a site links to its pages.
    links = [a for a in body.iter("a") if not (a.get("href") or "#").startswith("#")]
    if len(links) > _BARE_MAX_LINKS:
        return True
    total = len(_WS.sub("", body.text_content()))
    linked = sum(len(_WS.sub("", a.text_content())) for a in links)
    return total > 0 and linked > 0.1 * total


def _article_text(root: etree._Element, markup: str) -> tuple[str, list[str]]:
    """The article of a portal page, by trafilatura, with its title and footnotes checked against the page."""
    import trafilatura

    notes: list[str] = []
    work, _ = _parse(markup)  # trafilatura prunes the tree it is given; keep ``root`` intact for checks
    result = None
    if work is not None:
        _prune_link_blocks(_body(work))
        result = trafilatura.bare_extraction(
            work,
            favor_recall=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_formatting=False,
            include_links=False,
            with_metadata=False,
            deduplicate=False,
        )
    body = getattr(result, "body", None)
    text = _serialize(body, drop_chrome=False) if body is not None else ""
    if len(_WS.sub("", text)) < 20:
        notes.append("main text not found; the page body without navigation was kept")
        return _serialize(_body(root), drop_chrome=True), notes
    notes.append("main text chosen by trafilatura")

    flat = _squash(text)
    title = _page_title(root)
    if title and _squash(title) not in flat:
        text = f"{title}\n\n{text}"
    restored = []
    for note in _footnote_blocks(root):
        note_text = _tidy(_serialize(note, drop_chrome=False))
        if note_text and _squash(note_text) not in flat:
            restored.append(note_text)
    if restored:
        text = text + "\n\n" + "\n\n".join(restored)
        notes.append(f"{len(restored)} footnote block(s) outside the main text were kept")
    return text, notes


def _prune_link_blocks(root: etree._Element) -> None:
    """Remove menus and link lists: blocks with several links whose text is mostly link text.

    Trafilatura finds such blocks itself on pages built with divs, but on the older portals laid out with
    one big table it keeps the menu and sidebar cells. Sizes are summed bottom-up in one pass.
    """
    sizes: dict[etree._Element, tuple[int, int, int]] = {}
    doomed: list[etree._Element] = []
    for _, el in etree.iterwalk(root, events=("end",)):
        tag = _tag(el)
        text = len((el.text or "").strip()) if tag not in _DROP_ALWAYS else 0
        linked = links = 0
        for child in el:
            c_text, c_linked, c_links = sizes.pop(child, (0, 0, 0))
            text += c_text + len((child.tail or "").strip())
            linked += c_linked
            links += c_links
        if tag == "a" and not (el.get("href") or "#").startswith("#"):
            linked, links = text, links + 1
        sizes[el] = (text, linked, links)
        if tag in _LINK_BLOCK_TAGS and links >= _LINK_BLOCK_MIN_LINKS and linked >= _LINK_DENSITY * text:
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is not None and el is not root:
            el.drop_tree()


def _page_title(root: etree._Element) -> str:
    """The article's <h1>, when the page's <title> or og:title names it and og:site_name does not."""
    metas = {m.get("property"): m.get("content") or "" for m in root.iter("meta") if m.get("property")}
    confirm = _squash(" ".join([t.text_content() for t in root.iter("title")] + [metas.get("og:title", "")]))
    site = _squash(metas.get("og:site_name", "")).casefold()
    best = ""
    for h1 in _body(root).iter("h1"):
        title = _WS.sub(" ", h1.text_content()).strip()
        flat = _squash(title).casefold()
        if flat and flat in confirm.casefold() and flat != site and len(title) > len(best):
            best = title
    return best


def _footnote_blocks(root: etree._Element) -> list[etree._Element]:
    """Footnote/endnote elements of the page, innermost (one note each where the markup says so), in
    document order, so that each note is checked against trafilatura's text on its own."""
    order: dict[etree._Element, int] = {}
    found: set[etree._Element] = set()
    for i, el in enumerate(_body(root).iter()):
        order[el] = i
        if not isinstance(el.tag, str):
            continue
        if (
            _NOTE_ID.match(el.get("id") or "")
            or _NOTE_CLASS.search(el.get("class") or "")
            or _NOTE_STYLE.search(el.get("style") or "")
        ):
            found.add(el)
        elif el.tag == "a" and (el.get("href") or "").startswith(_NOTE_BACKLINK):
            holder = next((a for a in el.iterancestors("p", "div", "li")), None)
            if holder is not None:
                found.add(holder)
    holders = {anc for el in found for anc in el.iterancestors()}
    inner = [el for el in found if el not in holders]
    return sorted(inner, key=lambda el: order.get(el, 0))


def _squash(text: str) -> str:
    """Text without whitespace, for "is this already in the output" checks that ignore line layout."""
    return _WS.sub("", text)


# ---------------------------------------------------------------------------------------------------------
# Serializing a tree into lines


class _Writer:
    """Collects inline text into lines and lines into blocks.

    Separator strengths: 1 ends a line, 2 ends a paragraph (blank line). Requests are merged (the strongest
    wins) and applied only when the next non-empty line arrives, so empty elements leave no blank runs.
    ``tight`` caps the strength at 1, for the small cells of a header or signature table.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.seps: list[int] = []
        self.buf: list[str] = []
        self.pending = 0
        self.tight = 0
        self.pre = 0

    def text(self, s: str | None) -> None:
        if s:
            if self.pre:
                parts = s.split("\n")
                for i, part in enumerate(parts):
                    if i:
                        self.flush(1, keep_empty=True)
                    self.buf.append(part)
            else:
                self.buf.append(s)

    def flush(self, strength: int, keep_empty: bool = False) -> None:
        line = "".join(self.buf)
        self.buf.clear()
        line = line.rstrip() if self.pre else _WS.sub(" ", line).strip()
        if line or keep_empty:
            self.seps.append(self.pending if self.lines else 0)
            self.lines.append(line)
            self.pending = 0
        if self.tight:
            strength = min(strength, 1)
        self.pending = max(self.pending, strength)

    def line_break(self) -> None:
        """``<br>``: a second break in a row (an empty line) turns into a paragraph break."""
        if self.buf and "".join(self.buf).strip():
            self.flush(1)
        else:
            self.buf.clear()
            self.pending = max(self.pending, 1 if self.tight else 2) if self.lines else self.pending

    def add_lines(self, lines: Iterable[str], strength: int) -> None:
        """Whole lines as a block of separator ``strength``; "" in ``lines`` stands for a blank line."""
        self.flush(strength)
        for line in lines:
            if line:
                self.buf.append(line)
                self.flush(1)
            else:
                self.pending = max(self.pending, 2)
        self.pending = max(self.pending, strength)

    def result(self) -> str:
        self.flush(0)
        out: list[str] = []
        for sep, line in zip(self.seps, self.lines, strict=True):
            if out:
                out.append("\n\n" if sep >= 2 else "\n")
            out.append(line)
        return "".join(out)


def _tag(el: etree._Element) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _dropped(el: etree._Element, drop_chrome: bool) -> bool:
    tag = _tag(el)
    if not tag or tag in _DROP_ALWAYS or tag.startswith(_DROP_PREFIXES):
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if drop_chrome:
        if tag in _CHROME_TAGS:
            return True
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if marks.strip() and _CHROME_WORDS.search(marks):
            return True
    return False


def _serialize(root: etree._Element, drop_chrome: bool) -> str:
    writer = _Writer()
    _walk(root, writer, drop_chrome, include_root=True)
    return writer.result()


def _walk(root: etree._Element, writer: _Writer, drop_chrome: bool, include_root: bool) -> None:
    """Write ``root``'s text (and, with ``include_root``, not its tail) without recursing on depth.

    Only tables recurse (a table in a cell in a table...), and libxml2's depth limit bounds that.
    """
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            if el is not root and _dropped(el, drop_chrome):
                walker.skip_subtree()
                continue
            if el is root and not include_root:
                writer.text(el.text)
                continue
            if tag in _TABLE_TAGS:
                _write_table(el, writer, drop_chrome)
                walker.skip_subtree()
                continue
            if tag in _BREAK_TAGS:
                writer.line_break()
            elif tag in _PARAGRAPH_TAGS or tag in _CELL_TAGS or tag in _ROW_TAGS:
                writer.flush(2)
            elif tag in _LINE_TAGS:
                writer.flush(1)
            if tag in _PRE_TAGS:
                writer.pre += 1
            writer.text(el.text)
        else:
            if el is root:
                if include_root and tag in _PRE_TAGS:
                    writer.pre -= 1
                break
            if _dropped(el, drop_chrome):
                writer.text(el.tail)
                continue
            if tag in _PRE_TAGS:
                writer.pre -= 1
            if tag in _PARAGRAPH_TAGS or tag in _TABLE_TAGS:
                writer.flush(2)
            elif tag in _LINE_TAGS or tag in _ROW_TAGS or tag in _CELL_TAGS:
                writer.flush(1)
            writer.text(el.tail)


def _table_rows(table: etree._Element) -> list[list[etree._Element]]:
    rows: list[list[etree._Element]] = []
    for child in table:
        tag = _tag(child)
        if tag in _ROW_GROUP_TAGS:
            rows.extend([c for c in tr if _tag(c) in _CELL_TAGS] for tr in child if _tag(tr) in _ROW_TAGS)
        elif tag in _ROW_TAGS:
            rows.append([c for c in child if _tag(c) in _CELL_TAGS])
    return rows


def _write_table(table: etree._Element, writer: _Writer, drop_chrome: bool) -> None:
    """A layout table column by column, a data table one row per line with `` | `` between cells
    (:mod:`pipeline.ingest.table_layout`); a page laid out in a table cell by cell."""
    rows = _table_rows(table)
    if not rows:
        # Broken markup (text straight inside <table>): read it as an ordinary block.
        writer.flush(2)
        _walk(table, writer, drop_chrome, include_root=False)
        writer.flush(2)
        return
    writer.flush(2)
    for caption in table.iterchildren("caption"):
        writer.text(caption.text_content())
        writer.flush(2)

    sizes = [[len(_squash("".join(cell.itertext()))) for cell in row] for row in rows]
    total = sum(map(sum, sizes))
    longest = max((n for row in sizes for n in row), default=0)
    nested = any(next(cell.iter("table"), None) is not None for row in rows for cell in row)
    if nested or (longest > _FRAME_CELL_CHARS and longest * 2 > total):
        # A page laid out with a table (banner, menu, content, sidebar, footer): read cell by cell in
        # reading order, each cell a block of its own.
        for row, row_sizes in zip(rows, sizes, strict=True):
            for cell, size in zip(row, row_sizes, strict=True):
                if size:
                    writer.flush(2)
                    _walk(cell, writer, drop_chrome, include_root=False)
                    writer.flush(2)
        return

    grid = [
        [
            Cell(j, _cell_lines(cell, drop_chrome, tight=size <= _TIGHT_CELL_CHARS))
            for j, (cell, size) in enumerate(zip(row, row_sizes, strict=True))
        ]
        for row, row_sizes in zip(rows, sizes, strict=True)
    ]
    writer.add_lines(render_table(grid), 2)


def _cell_lines(cell: etree._Element, drop_chrome: bool, tight: bool) -> list[str]:
    """A cell's text as lines, "" for a blank line. A tight cell (little text) has no blank lines; a long
    one keeps its paragraphs apart and stands apart from the cells around it."""
    sub = _Writer()
    sub.tight = int(tight)
    _walk(cell, sub, drop_chrome, include_root=False)
    text = sub.result()
    if not text:
        return []
    lines = text.split("\n")
    return lines if tight else ["", *lines, ""]


# ---------------------------------------------------------------------------------------------------------
# Fallback and final tidying


_FLAT_DROP = re.compile(r"(?is)<(script|style|head|noscript|template)\b.*?</\1\s*>|<!--.*?-->")
_FLAT_BREAK = re.compile(r"(?i)<br\b[^>]*>")
_FLAT_BLOCK = re.compile(
    r"(?i)</?(p|div|h[1-6]|li|tr|table|ul|ol|section|article|blockquote|pre|dt|dd|dl|main)\b[^>]*>"
)
_FLAT_TAG = re.compile(r"<[^>]*>")


def _flat_text(markup: str) -> str:
    """Text of a page the tree parser cannot hold: block tags become breaks, other tags vanish."""
    s = _FLAT_DROP.sub(" ", markup)
    s = _FLAT_BREAK.sub("\n", s)
    s = _FLAT_BLOCK.sub("\n\n", s)
    s = _FLAT_TAG.sub("", s)
    s = html_lib.unescape(s)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", s):
        lines = [_WS.sub(" ", line).strip() for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _tidy(text: str) -> str:
    """No trailing spaces, no runs of blank lines, one final newline."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text.strip() else ""
