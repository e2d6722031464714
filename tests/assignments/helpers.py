"""Small builders for the assignment tests: planted files, cohorts, the learner's page and the marking form."""

from __future__ import annotations

import io
import re
import zipfile

from lumos_learn.course_library import library
from lumos_learn.trainer.cohorts import create_cohort

COURSE = "/en/courses/demo-course/"
PAGE = f"{COURSE}positioning/assignment"
GOOD_TEXT = (
    "Dan sits upright in a chair with arms, hips at 90 degrees and both feet flat on a footrest. "
    "I check the seat before each meal and stop feeding when he coughs again and again."
)


def small_pdf() -> bytes:
    """A real one-page PDF, made with fpdf2."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Mealtime plan for Dan")
    return bytes(pdf.output())


def small_docx() -> bytes:
    """A minimal OOXML word document, made with zipfile."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        docx.writestr("_rels/.rels", "<Relationships/>")
        docx.writestr(
            "word/document.xml", "<w:document><w:body><w:p><w:r><w:t>Plan</w:t></w:r></w:p></w:body></w:document>"
        )
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A DOCX whose document.xml inflates from ~200 KB to 200 MB: refused from the central directory alone."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        with docx.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1024 * 1024)
            for _ in range(200):
                part.write(block)
    return out.getvalue()


def elf_named_pdf() -> bytes:
    """The start of an ELF executable (what a Linux program looks like), to be uploaded as 'plan.pdf'."""
    return b"\x7fELF\x02\x01\x01\x00" + b"\0" * 8 + b"\x02\x00\x3e\x00" + b"\0" * 2000


def make_cohort(trainer, name="Shumen care staff"):
    return create_cohort(
        trainer, library().get("demo-course"), name=name, language="en", starts_on=None, ends_on=None, deadline=None
    )


def enrol_learner(client, join_code: str | None = None):
    """Enrol the signed-in learner (into a cohort when `join_code` is given), skipping the confidence questions."""
    if join_code:
        page = f"/en/join/{join_code}"
        return client.submit(page, {"content_language": "en"}, page=page)
    return client.submit(f"{COURSE}enrol", {"content_language": "en"}, page=COURSE)


def upload(name: str, data: bytes):
    return (io.BytesIO(data), name)


def level_form(levels: dict[str, str], **fields) -> dict:
    return {**{f"level-{criterion}": level for criterion, level in levels.items()}, **fields}


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
