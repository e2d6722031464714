"""Lessons and job aids on paper, in Chromium: a printed lesson keeps every diagram whole on one page and carries
the course, module and version; job-aid pages pass axe in every interface language and print on one A4 sheet."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from browser_checks import axe_violations, horizontal_overflow, small_tap_targets
from e2e_config import ROOT
from pypdf import PdfReader

FEEDING_VERSION = yaml.safe_load((ROOT / "courses" / "feeding-support" / "course.yml").read_text())["version"]

pytestmark = pytest.mark.e2e
LANGUAGES = ["en", "ro", "bg", "cs", "uk", "fr"]
# Lessons of the shipped courses that show diagrams, in each language they have them.
DIAGRAM_LESSONS = [
    ("feeding-support", "safe-positioning", "en"),
    ("feeding-support", "textures-and-thickened-drinks", "bg"),
    ("feeding-support", "organising-mealtimes", "en"),
    ("inclusive-education", "universal-design-for-learning", "ro"),
]
_TEXT = re.compile(r"<text\b[^>]*>([^<]+)</text>")


def printed_pages(page) -> list[str]:
    page.emulate_media(media="print")
    data = page.pdf(format="A4", print_background=True)
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def diagram_labels(src: str, root: Path) -> tuple[str, str]:
    """The first and last text of an SVG diagram (its title and its source line): both must print on one page."""
    slug, name = src.split("/")[2], src.split("/")[3].split("?", 1)[0]  # lesson images carry ?v=<file hash>
    texts = [t.strip() for t in _TEXT.findall((root / slug / "media" / name).read_text(encoding="utf-8"))]
    texts = [t.replace("&amp;", "&") for t in texts if len(t.strip()) > 12]
    return texts[0], texts[-1]


@pytest.mark.parametrize(("slug", "module", "lang"), DIAGRAM_LESSONS)
def test_a_printed_lesson_keeps_each_diagram_on_one_page(real_page, slug, module, lang):
    real_page.goto(f"/{lang}/courses/{slug}/{module}/?content={lang}")
    sources = real_page.locator("article.lesson img[src^='/media/']").evaluate_all(
        "els => els.map(e => e.getAttribute('src'))"
    )
    assert sources, "this lesson should show a diagram"
    title = real_page.locator("article.lesson h1").inner_text()
    pages = printed_pages(real_page)
    assert len(pages) > 1
    # the header names the course, the module's place and the version; no navigation or forms on paper
    count = len(yaml.safe_load((ROOT / "courses" / slug / "course.yml").read_text())["modules"])  # a capstone adds one
    header = rf"· (Module|Modulul|Модул) \d of {count} ·|· (Modulul|Модул) \d (din|от) {count} ·"
    assert re.search(header, pages[0]), pages[0][:200]
    assert title.split()[0] in pages[0]
    assert "Skip to main content" not in " ".join(pages)
    for src in sources:
        first, last = diagram_labels(src, ROOT / "courses")
        holding = [i for i, text in enumerate(pages) if first in text]
        assert holding, f"{src}: '{first}' not printed"
        assert any(last in pages[i] for i in holding), f"{src} is split across pages: '{last}' not beside '{first}'"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_job_aid_pages_have_no_wcag_violations(real_page, lang):
    real_page.goto(f"/{lang}/courses/feeding-support/aids/warning-signs-card/")
    assert real_page.locator("main h1").is_visible()
    assert axe_violations(real_page) == []


def test_the_warning_signs_card_prints_on_one_sheet(real_page):
    for lang in ("en", "bg"):
        real_page.goto(f"/{lang}/courses/feeding-support/aids/warning-signs-card/?content={lang}")
        pages = printed_pages(real_page)
        assert len(pages) == 1, f"{lang}: {len(pages)} pages"
        assert ("back blows" if lang == "en" else "удари по гърба") in pages[0]
        assert FEEDING_VERSION in pages[0]  # the version in the print header
        assert "Download as PDF" not in pages[0] and "Изтегли като PDF" not in pages[0]


@pytest.mark.parametrize(
    ("server", "path"),
    [
        ("site", "/ro/courses/demo-course/aids/meal-record/"),
        ("real", "/bg/courses/feeding-support/aids/warning-signs-card/"),
    ],
)
def test_job_aid_pages_fit_a_small_phone(page, real_page, server, path):
    target = real_page if server == "real" else page
    target.set_viewport_size({"width": 375, "height": 812})
    target.goto(path)
    assert horizontal_overflow(target) == []
    assert small_tap_targets(target) == []
