"""Sanitised course HTML -> an A4 PDF (fpdf2), with the certificate fonts embedded (Latin and Cyrillic).

The HTML is the course engine's output, so only its small set of tags arrives here. Boxes (case, key,
warning...) become indented blocks with a bold title; images come from the course's media/ folder on disk.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from fpdf import FPDF
from fpdf.fonts import FontFace

FONTS = Path(__file__).resolve().parent.parent / "certificates" / "fonts"
INK = (33, 37, 41)
MUTED = (90, 96, 104)
_ADMONITION = re.compile(r'<div class="admonition[^"]*">(.*?)</div>', re.DOTALL)
_ADMONITION_TITLE = re.compile(r'<p class="admonition-title">(.*?)</p>', re.DOTALL)
_FOOTNOTES = re.compile(r'<div class="footnote">(.*?)</div>', re.DOTALL)
_MEDIA = re.compile(r"^/media/([^/]+)/([^?]+)(?:\?.*)?$")  # lesson images carry ?v=<file hash>
_IMG = re.compile(r"<img ")
_CELL = re.compile(r"(<t([dh])\b[^>]*>)(.*?)(</t\2>)", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
IMAGE_WIDTH_PT = 300  # about 10.5 cm: a diagram readable on paper that leaves room for its caption
# fpdf2 logs a warning for every <title> and <desc> of an SVG: they are for screen readers, not paper.
logging.getLogger("fpdf.svg").setLevel(logging.ERROR)
_cache: dict[tuple, bytes] = {}
_cache_lock = threading.Lock()
CACHE_SIZE = 128


@dataclass(frozen=True)
class PrintPage:
    """What goes on paper. `header` is printed small at the top of every page (course, module, version)."""

    lang: str
    title: str
    html: str
    header: str
    footer: str
    media_dir: str  # the course's media/ folder, for images
    compact: bool = False  # cards and checklists: smaller type, to fit one sheet for the wall


class _Document(FPDF):
    def __init__(self, page: PrintPage) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.page_info = page
        margin = 12 if page.compact else 18
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(True, margin=margin)
        # One family for text and another name for the same files: SVG diagrams ask for "sans-serif".
        for family in ("serif", "sans-serif"):
            self.add_font(family, "", str(FONTS / "DejaVuSerif.ttf"))
            self.add_font(family, "B", str(FONTS / "DejaVuSerif-Bold.ttf"))
            self.add_font(family, "I", str(FONTS / "DejaVuSerif.ttf"))
            self.add_font(family, "BI", str(FONTS / "DejaVuSerif-Bold.ttf"))
        self.set_title(page.title)
        self.set_lang(page.lang)
        self.set_creator("Lumos Learn")

    def header(self) -> None:
        self.set_font("serif", "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, self.page_info.header, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("serif", "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"{self.page_info.footer}   {self.page_no()}/{{nb}}", align="R")


def render_pdf(page: PrintPage, cache_key: tuple | None = None) -> bytes:
    """The PDF of `page`. With `cache_key` (which must change whenever the content does) it is made once."""
    if cache_key is not None:
        with _cache_lock:
            cached = _cache.get(cache_key)
        if cached is not None:
            return cached
    data = _render(page)
    if cache_key is not None:
        with _cache_lock:
            if len(_cache) >= CACHE_SIZE:
                _cache.pop(next(iter(_cache)))
            _cache[cache_key] = data
    return data


def _render(page: PrintPage) -> bytes:
    pdf = _Document(page)
    pdf.alias_nb_pages()
    pdf.add_page()
    size = 11.5 if page.compact else 11
    pdf.set_font("serif", "B", 15 if page.compact else 18)
    pdf.multi_cell(0, 7 if page.compact else 8, page.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1 if page.compact else 3)
    pdf.set_font("serif", "", size)
    media = Path(page.media_dir)

    def image_path(src: str) -> str:
        match = _MEDIA.match(src)
        if match:
            candidate = (media / unquote(match.group(2))).resolve()
            if candidate.is_file() and media.resolve() in candidate.parents:
                return str(candidate)
        return src

    pdf.write_html(
        _printable(page.html),
        font_family="serif",
        image_map=image_path,
        tag_styles={
            "h2": FontFace(family="serif", emphasis="BOLD", color=INK, size_pt=size + 3),
            "h3": FontFace(family="serif", emphasis="BOLD", color=INK, size_pt=size + 1.5),
            "h4": FontFace(family="serif", emphasis="BOLD", color=INK, size_pt=size + 0.5),
            "a": FontFace(color=INK, emphasis="UNDERLINE"),
            "blockquote": FontFace(color=INK),
        },
        li_prefix_color=INK,
        table_line_separators=True,
        warn_on_tags_not_matching=False,
    )
    return bytes(pdf.output())


def _printable(html: str) -> str:
    """The tags fpdf2 does not know, turned into ones it does: boxes -> blockquote with a bold title, plain cells."""
    html = _IMG.sub(f'<img width="{IMAGE_WIDTH_PT}" ', html)
    # fpdf2 (2.8) refuses any tag inside a table cell (NotImplementedError): on paper a cell keeps its words, and
    # loses only its bold, italics or link.
    html = _CELL.sub(lambda m: m[1] + _TAG.sub("", m[3]) + m[4], html)
    html = _ADMONITION_TITLE.sub(r"<p><b>\1</b></p>", html)
    html = _ADMONITION.sub(r"<blockquote>\1</blockquote>", html)
    return _FOOTNOTES.sub(r"<hr>\1", html)
