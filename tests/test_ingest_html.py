"""The HTML reader on pages built from the seed texts the way real sources publish them.

Seed 003 is the text of a provincial portal article: it is wrapped back into a portal page (menus, sidebar,
share buttons, related news, footer, Word-exported footnotes). Seed 004 is a plan from a provincial
People's Committee: it is written as Word's "Save as Web Page" output (windows-1252 with numeric character
references, mso styles, header and signature in tables). The reader must give the document's text back
word for word, with its header lines whole, and nothing of the site around it.
"""

from __future__ import annotations

import html
import itertools
import re
import time
import unicodedata
from pathlib import Path

import pytest

from pipeline.ingest import html as html_reader
from pipeline.ingest import read as read_any
from pipeline.model import PipelineError

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"
SEED_ARTICLE = SEEDS / "003_7cd2d666120a5f39.txt"
SEED_PLAN = SEEDS / "004_685ec59672f4ffa2.txt"


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _contains_run(haystack: list[str], needle: list[str]) -> bool:
    """Whether ``needle`` occurs as one contiguous run of ``haystack``."""
    if not needle:
        return True
    first = needle[0]
    return any(
        haystack[i : i + len(needle)] == needle
        for i, word in enumerate(haystack)
        if word == first and i + len(needle) <= len(haystack)
    )


# ---------------------------------------------------------------------------------------------------------
# Seed 003 as a portal article


def _article_parts() -> tuple[str, list[str], list[str]]:
    """Title, body paragraphs and footnotes of seed 003 (its slug, "Article" and "Top page" junk left out)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", SEED_ARTICLE.read_text(encoding="utf-8")) if p.strip()]
    title = paragraphs[1]
    body, notes = [], []
    for p in paragraphs[4:]:
        if p.startswith("Top page"):
            continue
        (notes if re.match(r"\[\d+\]", p) else body).append(p)
    return title, body, notes


def _note_marker(match: re.Match[str]) -> str:
    n = match.group(1)
    return (
        f'<a style="mso-footnote-id:ftn{n}" href="#_ftn{n}" name="_ftnref{n}" title="">'
        f'<span class="MsoFootnoteReference"><span style="mso-special-character:footnote">'
        f'<![if !supportFootnotes]><span class="MsoFootnoteReference">[{n}]</span><![endif]>'
        f"</span></span></a>"
    )


def _article_body_html(body: list[str]) -> str:
    out = []
    for i, p in enumerate(body):
        inner = re.sub(r"\[(\d+)\]", _note_marker, html.escape(p, quote=False))
        if i == 0:
            out.append(f'<p class="sapo"><strong>{inner}</strong></p>')
        elif re.match(r"[IVX]+\. ", p):
            out.append(f'<p class="MsoNormal" style="text-align:justify"><b>{inner}</b></p>')
        elif p.startswith("Xem nội dung"):
            out.append('<p>Xem nội dung chi tiết kế hoạch <a href="/VanBan/KH17.pdf">tại đây</a></p>')
        elif p.startswith("BBT"):
            out.append(f'<p style="text-align:right"><strong><em>{inner}</em></strong></p>')
        else:
            out.append(f'<p class="MsoNormal" style="text-align:justify;text-indent:36pt">{inner}</p>')
    return "\n".join(out)


def _footnotes_html(notes: list[str]) -> str:
    out = ['<div style="mso-element:footnote-list"><br clear="all"><hr align="left" size="1" width="33%">']
    for note in notes:
        n, rest = re.match(r"\[(\d+)\]\s*(.*)", note, re.S).groups()
        out.append(
            f'<div style="mso-element:footnote" id="ftn{n}"><p class="MsoFootnoteText">'
            f'<a style="mso-footnote-id:ftn{n}" href="#_ftnref{n}" name="_ftn{n}" title="">'
            f'<span class="MsoFootnoteReference"><![if !supportFootnotes]>[{n}]<![endif]></span></a> '
            f"{html.escape(rest, quote=False)}</p></div>"
        )
    out.append("</div>")
    return "\n".join(out)


MENU = ["Trang chủ", "Giới thiệu chung", "Tin tức - Sự kiện", "Văn bản chỉ đạo điều hành", "Thủ tục hành chính",
        "Xúc tiến đầu tư", "Hỏi đáp trực tuyến", "Liên hệ"]  # fmt: skip
SIDEBAR = [
    "Hội nghị sơ kết công tác 6 tháng đầu năm của Ban Quản lý",
    "Thông báo lịch tiếp công dân định kỳ tháng 3",
    "Kêu gọi đầu tư vào Khu công nghiệp Hòa Bình giai đoạn II",
    "Danh mục dự án thu hút đầu tư năm 2020",
    "Tuyển dụng viên chức năm 2020 tại Trung tâm Dịch vụ",
]
RELATED = [
    "Kế hoạch phòng chống dịch bệnh viêm đường hô hấp cấp",
    "Triển khai Nghị định số 82/2018/NĐ-CP về quản lý khu công nghiệp",
    "Thông báo kết quả kiểm tra doanh nghiệp trong Khu kinh tế",
]
FOOTER = "BẢN QUYỀN THUỘC BAN QUẢN LÝ KHU KINH TẾ TỈNH KON TUM"
#: Phrases of the page around the article; none may reach the text.
CHROME = [*MENU[1:], *SIDEBAR, *RELATED, FOOTER, "Chia sẻ", "In bài viết", "Lượt truy cập", "Top page",
          "Desktop", "Đăng nhập", "Tìm kiếm", "toggleMenu", "font-family", "Các tin khác"]  # fmt: skip


def portal_page(footnotes_outside: bool = False) -> str:
    """Seed 003 as the provincial portal serves it."""
    title, body, notes = _article_parts()
    menu = "".join(f'<li><a href="/m/{i}">{t}</a></li>' for i, t in enumerate(MENU))
    side = "".join(f'<li><a href="/tin/{i}">{t}</a></li>' for i, t in enumerate(SIDEBAR))
    related = "".join(
        f'<li><a href="/r/{i}">{t}</a> <span>(1{i}/02/2020)</span></li>' for i, t in enumerate(RELATED)
    )
    notes_html = _footnotes_html(notes)
    inside, outside = ("", notes_html) if footnotes_outside else (notes_html, "")
    return f"""<!DOCTYPE html>
<html lang="vi" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{title}">
<title>{title} - Ban Quản lý Khu kinh tế tỉnh Kon Tum</title>
<link rel="stylesheet" href="/_layouts/15/portal.css">
<style>body {{ font-family: Arial; }} .menu li {{ display: inline; }}</style>
<script>var _gaq = _gaq || []; function toggleMenu() {{ return "Trang chủ"; }}</script>
</head>
<body>
<div id="s4-workspace">
<header class="site-header">
  <div class="banner"><a href="/"><img src="/logo.png" alt="Ban Quản lý Khu kinh tế tỉnh Kon Tum"></a>
  <span class="site-name">BAN QUẢN LÝ KHU KINH TẾ TỈNH KON TUM</span></div>
  <div class="top-links"><a href="/sitemap">Sơ đồ cổng</a> | <a href="/login">Đăng nhập</a></div>
  <form class="search" action="/search"><input type="text" name="q" placeholder="Tìm kiếm...">
  <button>Tìm kiếm</button></form>
</header>
<nav class="main-menu"><ul class="menu">{menu}</ul></nav>
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/tin-tuc">Tin tức - Sự kiện</a></div>
<div class="container">
  <aside class="sidebar-left">
    <div class="box"><h3>TIN MỚI NHẤT</h3><ul>{side}</ul></div>
    <div class="box"><h3>THỐNG KÊ</h3><p>Lượt truy cập: 1.234.567</p></div>
  </aside>
  <main class="content">
    <article class="news-detail">
      <h1 class="title">{title}</h1>
      <div class="meta"><span class="date">12/02/2020 08:30</span></div>
      <div class="share"><a href="https://facebook.com/share">Chia sẻ</a>
      <a href="javascript:window.print()">In bài viết</a></div>
      <div class="news-content">
{_article_body_html(body)}
<p>&nbsp;</p>
{inside}
      </div>
      <div class="related"><h3>Các tin khác</h3><ul>{related}</ul></div>
    </article>
    {outside}
  </main>
</div>
<footer class="site-footer">
  <p>{FOOTER}</p>
  <p>Địa chỉ: 01 Trần Phú, thành phố Kon Tum. Điện thoại: 0260.3862.000</p>
</footer>
<div class="page-tools"><a href="#top">Top page</a> <a href="?desktop=1">Desktop</a></div>
</div>
<script src="/_layouts/15/init.js"></script>
</body>
</html>
"""


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_portal_article_gives_body_and_footnotes_without_site_chrome(tmp_path: Path) -> None:
    title, body, notes = _article_parts()
    doc = read_any(_write(tmp_path, "ke-hoach-tuyen-truyen.html", portal_page()))

    assert doc.format == "html"
    assert doc.encoding == "utf-8"
    assert doc.page_starts == [0]
    text = doc.text
    lines = [line.strip() for line in text.splitlines()]
    # The article, word for word and in order, footnotes included.
    assert _contains_run(_words(text), _words("\n".join([*body, *notes])))
    # Every paragraph of the article is one line of its own, and the footnotes stay whole.
    for paragraph in [*body, *notes]:
        assert _squash(paragraph) in lines, paragraph[:60]
    assert lines.index(_squash(notes[0])) > lines.index(_squash(body[-1]))
    assert lines[0] == title
    # Paragraphs are separated by blank lines.
    assert "\n\n".join([_squash(body[1]), _squash(body[2])]) in text
    # Nothing of the site around the article.
    for junk in CHROME:
        assert junk not in text, junk
    assert "mso-" not in text


def test_portal_footnotes_outside_the_article_block_are_kept(tmp_path: Path) -> None:
    _, body, notes = _article_parts()
    doc = read_any(_write(tmp_path, "page.html", portal_page(footnotes_outside=True)))
    lines = [line.strip() for line in doc.text.splitlines()]
    for note in notes:
        assert _squash(note) in lines
    assert _squash(body[-1]) in lines
    assert "Top page" not in doc.text and FOOTER not in doc.text


def test_portal_paragraphs_split_by_double_br(tmp_path: Path) -> None:
    """CMS editors often type paragraphs as ``text<br><br>text`` inside one div."""
    _, body, _ = _article_parts()
    content = "<br>\n<br>\n".join(html.escape(p) for p in body[:8])
    page = portal_page().replace('<div class="news-content">', f'<div class="news-content"><div>{content}</div>')
    text = read_any(_write(tmp_path, "br.html", page)).text
    for a, b in itertools.pairwise(body[:8]):
        assert f"{_squash(a)}\n\n{_squash(b)}" in text


# ---------------------------------------------------------------------------------------------------------
# Seed 004 as a Word "Save as Web Page" file

HEADER_LEFT = ["ỦY BAN NHÂN DÂN", "TỈNH ĐẮK LẮK", "Số: 152/KH-UBND"]
HEADER_RIGHT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Đắk Lắk, ngày 22 tháng 6 năm 2021",
]
APPENDIX = [
    ["STT", "Nội dung tuyên truyền", "Cơ quan chủ trì", "Thời gian"],
    [
        "1",
        "Mở chuyên trang, chuyên mục trên Cổng thông tin điện tử tỉnh",
        "Sở Thông tin và Truyền thông",
        "Năm 2021",
    ],
    ["2", "Treo băng rôn, khẩu hiệu tại nơi công cộng", "Sở Văn hóa, Thể thao và Du lịch", "Quý III/2021"],
    ["3", "Hội nghị báo cáo viên", "Ban Tuyên giáo Tỉnh ủy", "Hằng quý"],
]

_WORD_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=windows-1252">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<link rel=File-List href="KH_files/filelist.xml">
<title>KẾ HOẠCH</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>Văn phòng UBND tỉnh</o:Author>
  <o:Pages>6</o:Pages>
 </o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face
\t{font-family:"Cambria Math";
\tpanose-1:2 4 5 3 5 4 6 3 2 4;
\tmso-font-charset:0;}
p.MsoNormal, li.MsoNormal, div.MsoNormal
\t{mso-style-unhide:no;
\tmargin:0cm;
\tfont-size:14.0pt;
\tfont-family:"Times New Roman",serif;}
@page WordSection1
\t{size:595.3pt 841.9pt;
\tmargin:56.7pt 42.5pt 56.7pt 85.05pt;}
div.WordSection1
\t{page:WordSection1;}
-->
</style>
</head>

<body lang=EN-US style='tab-interval:36.0pt'>

<div class=WordSection1>
"""

_SPAN = "<span lang=VI style='font-size:14.0pt;mso-ansi-language:VI'>"


def _runs(text: str) -> str:
    """Text as Word writes it: emphasis as <i>/<b>, words split over runs, a spacerun here and there."""
    out = html.escape(text, quote=False)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b style='mso-bidi-font-weight:normal'>\1</b>", out)
    out = re.sub(r"\*(.+?)\*", r"<i style='mso-bidi-font-style:normal'>\1</i>", out)
    # Word breaks runs inside words (spelling, language marks): "tuy|ền" must still read as one word.
    out = re.sub(r"(tuy)(ền)", rf"\1</span>{_SPAN}\2", out)
    out = out.replace(", ", ",<span style='mso-spacerun:yes'>&nbsp; </span>", 1)
    return f"{_SPAN}{out}<o:p></o:p></span>"


def _word_paragraph(text: str) -> str:
    if text.startswith(("- ", "+ ")):
        bullet, rest = text[0], text[2:]
        return (
            "<p class=MsoListParagraph style='margin-left:0cm;text-align:justify;text-indent:35.45pt;"
            "mso-list:l0 level1 lfo1'><![if !supportLists]><span lang=VI style='mso-ansi-language:VI'>"
            f"<span style='mso-list:Ignore'>{bullet}<span style='font:7.0pt \"Times New Roman\"'>"
            "&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>" + _runs(rest) + "</p>"
        )
    if text.isupper() or re.match(r"[IVX]+\. ", text):
        return f"<p class=MsoNormal align=center style='text-align:center'><b>{_runs(text)}</b></p>"
    return f"<p class=MsoNormal style='text-align:justify;text-indent:36.0pt'>{_runs(text)}</p>"


def _cell(lines: list[str], width: int, bold: bool = False) -> str:
    ps = []
    for line in lines:
        inner = _runs(line)
        if bold:
            inner = f"<b>{inner}</b>"
        ps.append(f"  <p class=MsoNormal align=center style='text-align:center'>{inner}</p>\n")
    return (
        f"  <td width={width} valign=top style='width:{width * 0.75:.1f}pt;padding:0cm 5.4pt 0cm 5.4pt'>\n"
        + "".join(ps)
        + "  </td>\n"
    )


def _layout_table(rows: list[list[list[str]]]) -> str:
    trs = []
    for i, row in enumerate(rows):
        tds = "".join(_cell(cell, 250 if j == 0 else 390, bold=(j == 1 and i == 0)) for j, cell in enumerate(row))
        trs.append(f" <tr style='mso-yfti-irow:{i}'>\n{tds} </tr>\n")
    return (
        "<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 width=640\n"
        " style='border-collapse:collapse;border:none;mso-yfti-tbllook:1184'>\n" + "".join(trs) + "</table>\n"
    )


def _data_table(rows: list[list[str]]) -> str:
    trs = []
    for i, row in enumerate(rows):
        tds = "".join(
            "  <td valign=top style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>\n"
            f"  <p class=MsoNormal>{_runs(cell)}</p>\n  </td>\n"
            for cell in row
        )
        trs.append(f" <tr style='mso-yfti-irow:{i}'>\n{tds} </tr>\n")
    return "<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0>\n" + "".join(trs) + "</table>\n"


def _word_wrap(markup: str, width: int = 76) -> str:
    """Word hard-wraps its HTML source at spaces (never inside ``<![...]>``)."""
    out, col, in_cond = [], 0, False
    for i, ch in enumerate(markup):
        if markup.startswith("<![", i):
            in_cond = True
        elif ch == ">":
            in_cond = False
        if ch == "\n":
            col = 0
        elif ch == " " and col > width and not in_cond:
            out.append("\n")
            col = 0
            continue
        else:
            col += 1
        out.append(ch)
    return "".join(out)


def _plan_parts() -> tuple[list[str], list[str], list[str]]:
    """Seed 004 split into body paragraphs, recipients ("Nơi nhận") and signature lines."""
    text = SEED_PLAN.read_text(encoding="utf-8")
    main, tail = text.split("Nơi nhận:", 1)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", main) if p.strip()]
    recipients_part, signature_part = tail.split("**KT.CHỦ TỊCH", 1)
    recipients = [line.strip() for line in recipients_part.splitlines() if line.strip()]
    signature = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Tuấn Hà"]
    assert "Nguyễn Tuấn Hà" in signature_part
    return paragraphs, recipients, signature


def word_page(with_appendix: bool = True) -> bytes:
    """Seed 004 as Word 2016 saves it with "Save as Web Page" and the Western (windows-1252) encoding."""
    paragraphs, recipients, signature = _plan_parts()
    parts = [_WORD_HEAD]
    parts.append(
        _layout_table(
            [
                [[*HEADER_LEFT[:2], "--------"], [*HEADER_RIGHT[:2], "_______________________"]],
                [HEADER_LEFT[2:], HEADER_RIGHT[2:]],
            ]
        )
    )
    parts.append("\n<p class=MsoNormal><o:p>&nbsp;</o:p></p>\n")
    parts.extend(_word_paragraph(p) + "\n\n" for p in paragraphs)
    left = "".join(
        f"  <p class=MsoNormal><span lang=VI style='font-size:11.0pt'>{html.escape(r)}</span></p>\n"
        for r in ["Nơi nhận:", *recipients]
    )
    right = "".join(
        f"  <p class=MsoNormal align=center style='text-align:center'><b>{_runs(s)}</b></p>\n"
        + ("  <p class=MsoNormal><o:p>&nbsp;</o:p></p>\n" * 3 if s == "PHÓ CHỦ TỊCH" else "")
        for s in signature
    )
    parts.append(
        "<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 width=640>\n <tr>\n"
        f"  <td width=300 valign=top>\n{left}  </td>\n  <td width=340 valign=top>\n{right}  </td>\n </tr>\n"
        "</table>\n"
    )
    if with_appendix:
        parts.append(
            "<br clear=all style='page-break-before:always'>\n"
            f"<p class=MsoNormal align=center style='text-align:center'><b>{_runs('PHỤ LỤC')}</b></p>\n"
        )
        parts.append(_data_table(APPENDIX))
    parts.append("\n</div>\n\n</body>\n\n</html>\n")
    markup = _word_wrap("".join(parts))
    return markup.encode("cp1252", errors="xmlcharrefreplace")


def _plan_words(with_appendix: bool = True) -> list[str]:
    paragraphs, recipients, signature = _plan_parts()
    words = _words(" ".join([*HEADER_LEFT, *HEADER_RIGHT, *paragraphs, "Nơi nhận:", *recipients, *signature]))
    if with_appendix:
        words += _words("PHỤ LỤC " + " ".join(" ".join(row) for row in APPENDIX))
    return words


def test_word_page_bytes_are_really_windows_1252_with_references() -> None:
    """The fixture is what Word writes: raw 1252 bytes (not UTF-8) beside &#NNNN; references."""
    data = word_page()
    assert b"&#7871;" in data and b"charset=windows-1252" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_word_page_text_comes_back_whole(tmp_path: Path) -> None:
    doc = read_any(_write(tmp_path, "KH-152.htm", word_page()))
    assert doc.format == "html"
    assert doc.encoding == "cp1252"
    assert any("Word" in note for note in doc.notes)
    # Every word, in order, and nothing else: no CSS, no document properties, no title element.
    assert _words(doc.text) == _plan_words()
    for junk in ("mso-", "font-family", "@page", "Cambria", "Văn phòng UBND tỉnh", "&#", "\ufffd"):
        assert junk not in doc.text


def test_word_header_table_comes_out_column_by_column(tmp_path: Path) -> None:
    doc = read_any(_write(tmp_path, "KH-152.htm", word_page()))
    lines = [line for line in doc.text.splitlines() if line.strip()]
    # Left column (organ, its rule, number), then right column (motto, its rule, place and date), each
    # cell paragraph a whole line.
    assert lines[:8] == [
        *HEADER_LEFT[:2],
        "--------",
        HEADER_LEFT[2],
        *HEADER_RIGHT[:2],
        "_______________________",
        HEADER_RIGHT[2],
    ]
    assert lines[8:10] == ["KẾ HOẠCH", "Tuyên truyền sau Đại hội đại biểu Đảng bộ tỉnh lần thứ XVII và Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"]  # fmt: skip
    # The header's two columns are separate blocks.
    assert "Số: 152/KH-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.text


def test_word_signature_and_recipients_stay_whole(tmp_path: Path) -> None:
    _, recipients, _ = _plan_parts()
    text = read_any(_write(tmp_path, "KH-152.htm", word_page())).text
    lines = text.splitlines()
    start = lines.index("Nơi nhận:")
    assert lines[start + 1 : start + 1 + len(recipients)] == recipients
    after = [line for line in lines[start + 1 + len(recipients) :] if line.strip()]
    assert after[:3] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Tuấn Hà"]


def test_word_lists_keep_their_bullets_and_split_runs_join(tmp_path: Path) -> None:
    paragraphs, _, _ = _plan_parts()
    lines = read_any(_write(tmp_path, "KH-152.htm", word_page())).text.splitlines()
    for p in paragraphs:
        assert _squash(p.replace("*", "")) in lines, p[:60]
    assert "- Huy động từ các nguồn tài trợ, đóng góp của các tổ chức, doanh nghiệp và các nguồn tài trợ hợp pháp khác." in lines  # fmt: skip


def test_word_data_table_one_row_per_line(tmp_path: Path) -> None:
    lines = read_any(_write(tmp_path, "KH-152.htm", word_page())).text.splitlines()
    start = lines.index("STT | Nội dung tuyên truyền | Cơ quan chủ trì | Thời gian")
    assert lines[start : start + 4] == [" | ".join(row) for row in APPENDIX]


def test_word_page_detected_by_section_class_without_generator(tmp_path: Path) -> None:
    """Word's "filtered" HTML drops the generator meta but keeps the WordSection div."""
    data = word_page(with_appendix=False)
    data = re.sub(rb"<meta name=(ProgId|Generator|Originator)[^>]*>\s*", b"", data)
    data = data.replace(b'xmlns:w="urn:schemas-microsoft-com:office:word"', b"")
    doc = read_any(_write(tmp_path, "filtered.htm", data))
    assert any("Word" in note for note in doc.notes)
    assert _words(doc.text) == _plan_words(with_appendix=False)


def test_word_page_without_charset_declaration_is_detected(tmp_path: Path) -> None:
    data = word_page(with_appendix=False).replace(b"; charset=windows-1252", b"")
    doc = read_any(_write(tmp_path, "nocharset.htm", data))
    # windows-1258 would turn the raw ò, ã, ý bytes into tone marks and ă, ư: the reading with no stray
    # symbols wins.
    assert doc.encoding == "cp1252"
    assert any("no usable charset declaration" in note for note in doc.notes)
    assert _words(doc.text) == _plan_words(with_appendix=False)


def _cp1258(text: str) -> bytes:
    """Vietnamese as windows-1258 writes it: base letters with hats precomposed, tone marks combining."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        hats = "".join(c for c in parts[1:] if c in "\u0302\u0306\u031b")
        tones = "".join(c for c in parts[1:] if c not in hats)
        base = unicodedata.normalize("NFC", parts[0] + hats)
        out.append(base + tones if base.encode("cp1258", "ignore") else ch)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("declared", [True, False])
def test_windows_1258_page(tmp_path: Path, declared: bool) -> None:
    _, body, _ = _article_parts()
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">' if declared else ""
    page = f"<html><head>{meta}<title>t</title></head><body>" + "".join(f"<p>{html.escape(p)}</p>" for p in body)
    data = _cp1258(page + "</body></html>")
    assert b"\xcc" in data or b"\xec" in data  # combining tone marks really are there
    doc = read_any(_write(tmp_path, "vn1258.html", data))
    assert doc.encoding == "cp1258"
    assert [line for line in doc.text.splitlines() if line] == [_squash(p) for p in body]


def test_word_page_saved_as_utf8_with_stale_1252_declaration(tmp_path: Path) -> None:
    data = word_page(with_appendix=False).decode("cp1252").encode("utf-8")
    doc = read_any(_write(tmp_path, "resaved.htm", data))
    assert doc.encoding == "utf-8"
    assert _words(doc.text) == _plan_words(with_appendix=False)


# ---------------------------------------------------------------------------------------------------------
# Tables, encodings, limits


def _page_with(body: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title></head><body>{body}</body></html>"


def test_small_numbered_two_column_table_is_data_not_layout(tmp_path: Path) -> None:
    table = (
        "<table border=1><tr><th>STT</th><th>Nhiệm vụ</th></tr>"
        "<tr><td>1</td><td>Tuyên truyền trên báo chí</td></tr>"
        "<tr><td>2</td><td>Tuyên truyền miệng</td></tr></table>"
    )
    text = read_any(_write(tmp_path, "t.html", _page_with("<p>Phụ lục kèm theo kế hoạch.</p>" + table))).text
    assert "STT | Nhiệm vụ\n1 | Tuyên truyền trên báo chí\n2 | Tuyên truyền miệng" in text


def test_three_column_header_with_spacer_column_is_layout(tmp_path: Path) -> None:
    table = (
        "<table><tr><td><p>BỘ TÀI CHÍNH</p><p>Số: 12/KH-BTC</p></td><td>&nbsp;</td>"
        "<td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Độc lập - Tự do - Hạnh phúc</p>"
        "<p>Hà Nội, ngày 5 tháng 3 năm 2026</p></td></tr></table><p>KẾ HOẠCH</p>"
    )
    text = read_any(_write(tmp_path, "t.html", _page_with(table))).text
    assert text.splitlines()[:7] == [
        "BỘ TÀI CHÍNH",
        "Số: 12/KH-BTC",
        "",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 5 tháng 3 năm 2026",
        "",
    ]


def test_bom_without_declaration(tmp_path: Path) -> None:
    page = "<html><body><p>Kế hoạch số 12/KH-UBND</p><p>Đắk Lắk</p></body></html>"
    doc = read_any(_write(tmp_path, "bom.html", b"\xef\xbb\xbf" + page.encode("utf-8")))
    assert doc.text == "Kế hoạch số 12/KH-UBND\n\nĐắk Lắk\n"
    doc = read_any(_write(tmp_path, "u16.html", page.encode("utf-16")))
    assert doc.text == "Kế hoạch số 12/KH-UBND\n\nĐắk Lắk\n"


def test_stray_bad_byte_in_utf8_page_is_replaced_not_guessed(tmp_path: Path) -> None:
    _, body, _ = _article_parts()
    page = _page_with("".join(f"<p>{html.escape(p)}</p>" for p in body)).encode("utf-8")
    page = page.replace(b"Kon Tum", b"Kon \xff Tum", 1).replace(b"<meta charset='utf-8'>", b"")
    doc = read_any(_write(tmp_path, "bad.html", page))
    assert doc.encoding == "utf-8"
    assert "Kon \ufffd Tum" in doc.text
    assert _squash(body[1]) in doc.text.splitlines()


def test_undecodable_bytes_raise_encoding_error(tmp_path: Path) -> None:
    junk = bytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 16, 17, 127, 0x81, 0x8D, 0x8F, 0x90, 0x9D] * 150)
    with pytest.raises(PipelineError) as err:
        html_reader.read(_write(tmp_path, "junk.html", b"<html><body>" + junk))
    assert err.value.error_type == "encoding"


@pytest.mark.parametrize(
    "body",
    [
        "<script>var x = 'Kế hoạch';</script><style>p { color: red }</style>",
        "<p>&nbsp;</p><div>   </div><br><br>",
        "",
    ],
)
def test_page_without_text_is_no_text_error(tmp_path: Path, body: str) -> None:
    with pytest.raises(PipelineError) as err:
        html_reader.read(_write(tmp_path, "empty.html", _page_with(body)))
    assert err.value.error_type == "no_text"


def test_deep_nesting_does_not_crash_and_keeps_text(tmp_path: Path) -> None:
    depth = 100_000
    page = _page_with(
        "<p>Kế hoạch số 12/KH-UBND</p>" + "<div>" * depth + "Nội dung sâu" + "</div>" * depth + "<p>Hết</p>"
    )
    path = _write(tmp_path, "deep.html", page)
    started = time.perf_counter()
    doc = html_reader.read(path)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0
    assert [line for line in doc.text.splitlines() if line] == ["Kế hoạch số 12/KH-UBND", "Nội dung sâu", "Hết"]
    assert doc.warnings


def test_hidden_text_and_vml_duplicates_are_dropped(tmp_path: Path) -> None:
    page = _page_with(
        "<p>Kế hoạch</p><span style='display:none;mso-hide:all'>ẩn đi</span>"
        "<v:shape><v:textbox><p>Số: 12/KH-UBND</p></v:textbox></v:shape>"
        "<![if !vml]><table><tr><td><p>Số: 12/KH-UBND</p></td></tr></table><![endif]>"
    )
    text = read_any(_write(tmp_path, "vml.html", page)).text
    assert text.count("Số: 12/KH-UBND") == 1
    assert "ẩn đi" not in text


def test_old_portal_laid_out_in_one_table(tmp_path: Path) -> None:
    """Older portals put banner, menu, article and sidebar in the cells of one big table."""
    title, body, notes = _article_parts()
    menu = "".join(f'<tr><td><a href="/m/{i}">{t}</a></td></tr>' for i, t in enumerate(MENU))
    side = "".join(f'<p><a href="/s/{i}">{t}</a></p>' for i, t in enumerate(SIDEBAR))
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}</title></head><body>
<table width="1000" border="0" cellpadding="0" cellspacing="0">
<tr><td colspan="3"><img src="banner.jpg"></td></tr>
<tr><td width="200" valign="top"><table>{menu}</table></td>
<td width="600" valign="top"><font class="title"><b>{title}</b></font><br><br>
{_article_body_html(body)}
{_footnotes_html(notes)}
</td><td width="200" valign="top">{side}</td></tr>
<tr><td colspan="3"><center>{FOOTER}</center></td></tr>
</table></body></html>"""
    text = read_any(_write(tmp_path, "old.html", page)).text
    lines = [line.strip() for line in text.splitlines()]
    for paragraph in [*body, *notes]:
        assert _squash(paragraph) in lines, paragraph[:60]
    for junk in [*MENU[1:], *SIDEBAR]:
        assert junk not in text, junk


def test_word_page_in_legacy_tcvn3_font_is_converted(tmp_path: Path) -> None:
    """An old ".VnTime" document saved as a web page: its letters are TCVN3 glyphs in windows-1252."""
    from pipeline.ingest.legacy_fonts import legacy_encodings

    tcvn3 = next(enc for enc in legacy_encodings() if "TCVN3" in enc.name)
    _, body, _ = _article_parts()
    paragraphs = body[1:6]
    page = _WORD_HEAD + "".join(
        f"<p class=MsoNormal><span style='font-family:\".VnTime\"'>{html.escape(tcvn3.encode(p))}</span></p>\n"
        for p in paragraphs
    )
    page += "</div></body></html>"
    doc = read_any(_write(tmp_path, "vntime.htm", page.encode("cp1252", errors="xmlcharrefreplace")))
    assert any("TCVN3" in note for note in doc.notes)
    lines = doc.text.splitlines()
    for p in paragraphs:
        assert _squash(p) in lines


def test_article_title_outside_the_content_block_is_kept(tmp_path: Path) -> None:
    title, body, _ = _article_parts()
    page = portal_page().replace(f'<h1 class="title">{title}</h1>', "")
    page = page.replace(
        '<div class="breadcrumb">', f'<div class="page-title"><h1>{title}</h1></div><div class="breadcrumb">'
    )
    text = read_any(_write(tmp_path, "title.html", page)).text
    assert text.splitlines()[0] == title
    assert _squash(body[0]) in text.splitlines()
