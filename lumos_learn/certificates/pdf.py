"""The certificate as a PDF: A4 landscape, fonts embedded, a QR code to the verification page.

Labels are translated with Babel in the PDF's language; the course title comes in that language when
the course has it (else its source language); the name is always as registered, in whatever script:
`pdf_fonts` picks the fallback fonts the text needs. A revoked certificate carries a large diagonal
mark with the date across the page, so a printout cannot pass for a valid one.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno
from babel.dates import format_date
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from fpdf import FPDF

from ..study_hours import hours_in
from .pdf_fonts import CJK_FONT_DEFAULT, MAIN, Face, faces_for, subset_font

INK = (33, 37, 41)
NAVY = (20, 52, 94)
GOLD = (176, 141, 64)
MUTED = (90, 96, 104)


@dataclass(frozen=True)
class CertificateText:
    """What the page says, already chosen in its language."""

    lang: str
    recipient_name: str
    course_title: str
    course_title_lang: str
    hours: float
    completed_on: date
    issued_on: date
    issuer_name: str
    trainer_name: str | None
    code: str
    verify_url: str
    course_version: str = ""
    revoked_on: date | None = None
    assignment_marking: str = "none"  # "trainer": an assignment assessed by a trainer; "self": self-assessed


class _Page(FPDF):
    def __init__(self, fallbacks: list[Face], folder: Path) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        for face in (MAIN, *fallbacks):
            if face.only:
                cut = folder / f"{face.family}.ttf"
                cut.write_bytes(subset_font(face.regular, face.only))
                self.add_font(face.family, "", str(cut))
                continue
            self.add_font(face.family, "", str(face.regular))
            if face.bold is not None:
                self.add_font(face.family, "B", str(face.bold))
        if fallbacks:
            # exact_match=False: a face without a bold file prints bold text in its regular weight.
            self.set_fallback_fonts([face.family for face in fallbacks], exact_match=False)
        if any(face.shaping for face in fallbacks):
            self.set_text_shaping(True)  # HarfBuzz: Arabic letters joined, right-to-left, Indic vowels reordered

    def centred(self, y: float, text: str, size: float, *, bold: bool = False, colour=INK, height: float | None = None):
        self.set_font("serif", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.set_xy(30, y)
        self.multi_cell(self.w - 60, height or size * 0.5, text, align="C")
        return self.get_y()


def _frame(pdf: _Page) -> None:
    pdf.set_draw_color(*NAVY)
    pdf.set_line_width(1.6)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.5)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)
    # A short rule under the heading, like a seal line.
    pdf.set_line_width(0.7)
    pdf.line(pdf.w / 2 - 30, 58, pdf.w / 2 + 30, 58)


def _qr(pdf: _Page, url: str, x: float, y: float, size: float) -> None:
    """The QR code drawn as vector rectangles (sharp at any zoom, no image to embed)."""
    qr = segno.make(url, error="m")
    rows = qr.matrix
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        start = None
        for c, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                pdf.rect(x + start * module, y + r * module, (c - start) * module, module, style="F")
                start = None


def _url_lines(url: str, width: float, pdf: _Page) -> str:
    """The URL with line breaks only after slashes: a certificate code is never cut in two."""
    lines, line = [], ""
    for part in url.replace("/", "/\n").split("\n"):
        if line and pdf.get_string_width(line + part) > width:
            lines.append(line)
            line = part
        else:
            line += part
    return "\n".join([*lines, line])


def _revoked_mark(pdf: _Page, word: str, date_line: str) -> None:
    """A large translucent diagonal word and date across the whole page."""
    red = (190, 20, 20)
    with pdf.local_context(fill_opacity=0.35, text_color=red), pdf.rotation(angle=28, x=pdf.w / 2, y=pdf.h / 2):
        size = 96.0
        pdf.set_font("serif", "B", size)
        while pdf.get_string_width(word) > pdf.w * 0.8 and size > 30:
            size -= 4
            pdf.set_font("serif", "B", size)
        pdf.set_xy(0, pdf.h / 2 - size * 0.3)
        pdf.cell(pdf.w, size * 0.4, word, align="C")
        pdf.set_font("serif", "B", 22)
        pdf.set_xy(0, pdf.h / 2 + size * 0.15)
        pdf.cell(pdf.w, 10, date_line, align="C")


def render_certificate(text: CertificateText, cjk_font: str | None = None) -> bytes:
    """The PDF's bytes. `cjk_font` is the path of the Chinese/Japanese/Korean font (config
    CERTIFICATE_CJK_FONT); it is opened only when the text needs it, and its absence then raises
    `pdf_fonts.FontMissing` rather than printing a name with letters left out."""
    lang = text.lang
    hours = hours_in(text.hours, lang)
    with force_locale(lang):
        labels = {
            "heading": _("Certificate of completion"),
            "certifies": _("This certifies that"),
            "completed": _("has successfully completed the course"),
            "hours": ngettext(
                "%(hours)s hour of training · completed on %(date)s",
                "%(hours)s hours of training · completed on %(date)s",
                hours.count,
                hours=hours.text,
                date=format_date(text.completed_on, "long", locale=lang),
            ),
            "trainer": _("Trainer: %(name)s", name=text.trainer_name or ""),
            "assignment": _("Includes an assessed practical assignment"),
            "self_assignment": _("Includes a practical assignment, self-assessed against the course rubric"),
            "issued": _(
                "Issued by %(issuer)s on %(date)s",
                issuer=text.issuer_name,
                date=format_date(text.issued_on, "long", locale=lang),
            ),
            "code": _("Certificate code"),
            "verify": _("Check that this certificate is genuine: scan the code or visit"),
            "revoked": _("REVOKED: this certificate is no longer valid"),
            "revoked_word": _("REVOKED"),
            "revoked_on": _("Revoked on %(date)s", date=format_date(text.revoked_on, "long", locale=lang))
            if text.revoked_on
            else "",
            "version": _("Course version %(version)s", version=text.course_version),
        }
    everything = " ".join([text.recipient_name, text.course_title, text.issuer_name, text.trainer_name or ""])
    fallbacks, _missing = faces_for(everything + " ".join(labels.values()), cjk_font or CJK_FONT_DEFAULT)
    # Characters no font has (refused when a name is set, so only from a course file) print as
    # fpdf2's missing-glyph box rather than vanish from the middle of a word.
    # A CJK font is cut down to this document's characters first, in a folder that lives as long as
    # the document: fpdf2 reads font files lazily, until the output.
    with tempfile.TemporaryDirectory(prefix="lumos-pdf-") as folder:
        pdf = _Page(fallbacks, Path(folder))
        _draw(pdf, text, labels)
        return bytes(pdf.output())


def _draw(pdf: _Page, text: CertificateText, labels: dict[str, str]) -> None:
    pdf.set_title(f"{labels['heading']} — {text.recipient_name}")
    pdf.set_author(text.issuer_name)
    pdf.set_subject(text.course_title)
    pdf.set_creator(text.issuer_name)
    pdf.set_lang(text.lang)
    pdf.add_page()
    _frame(pdf)

    pdf.centred(24, text.issuer_name.upper(), 12, colour=NAVY)
    pdf.centred(38, labels["heading"], 30, bold=True, colour=NAVY, height=14)
    pdf.centred(68, labels["certifies"], 13, colour=MUTED)
    pdf.centred(78, text.recipient_name, 30, bold=True, height=14)
    pdf.centred(98, labels["completed"], 13, colour=MUTED)
    y = pdf.centred(108, text.course_title, 20, bold=True, colour=NAVY, height=9)
    y = pdf.centred(y + 5, labels["hours"], 12)
    if text.assignment_marking == "trainer":
        y = pdf.centred(y + 2, labels["assignment"], 12)
    elif text.assignment_marking == "self":
        y = pdf.centred(y + 2, labels["self_assignment"], 12)
    if text.trainer_name:
        y = pdf.centred(y + 2, labels["trainer"], 12)
    if text.course_version:
        pdf.centred(y + 2, labels["version"], 9, colour=MUTED)

    # Footer: issuer on the left, verification on the right.
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.3)
    pdf.line(30, 160, 150, 160)
    pdf.set_font("serif", "", 10)
    pdf.set_text_color(*INK)
    pdf.set_xy(30, 162)
    pdf.multi_cell(120, 5, labels["issued"])
    pdf.set_xy(30, 174)
    pdf.set_text_color(*MUTED)
    pdf.cell(120, 5, labels["code"])
    pdf.set_xy(30, 179)
    pdf.set_font("serif", "B", 11)
    pdf.set_text_color(*INK)
    pdf.cell(120, 6, text.code)

    qr_size = 36
    qr_x = pdf.w - 30 - qr_size
    _qr(pdf, text.verify_url, qr_x, 140, qr_size)
    pdf.set_font("serif", "", 8)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(150, 160)
    pdf.multi_cell(qr_x - 154, 4, labels["verify"], align="R")
    pdf.set_xy(150, pdf.get_y() + 1)
    pdf.set_text_color(*NAVY)
    pdf.multi_cell(qr_x - 154, 4, _url_lines(text.verify_url, qr_x - 156, pdf), align="R", link=text.verify_url)

    if text.revoked_on:
        pdf.centred(15.5, labels["revoked"], 11, bold=True, colour=(170, 20, 20))
        _revoked_mark(pdf, labels["revoked_word"], labels["revoked_on"])
