"""Every card and checklist of every shipped course fits one A4 page, in every language it is written in.

They hang on kitchen and classroom walls. The aids are found in the course library itself, so an aid added to any
course (in any language) is checked without touching this file. Each PDF is made by the app, as a reader gets it:
GET /<lang>/courses/<slug>/aids/<aid>.pdf, and its pages counted with pypdf.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from support import ROOT

from lumos_learn import create_app
from lumos_learn.content import load_library

ONE_PAGE_KINDS = ("card", "checklist")


def _wall_aids() -> list[tuple[str, str, tuple[str, ...]]]:
    """(course slug, aid slug, languages the aid has a file in) of every shipped card and checklist."""
    library = load_library(ROOT / "courses")
    return [
        (course.slug, aid.slug, tuple(aid.versions))
        for course in library.courses
        for aid in course.job_aids
        if aid.kind in ONE_PAGE_KINDS
    ]


WALL_AIDS = _wall_aids()


@pytest.fixture
def shipped(app):
    """The app on the shipped courses (the `app` fixture's database and settings)."""
    return create_app({**app.config, "COURSES_DIR": str(ROOT / "courses")}).test_client()


def test_the_library_holds_wall_aids_to_check():
    # the feeding course's warning-signs card hangs in kitchens: if discovery found nothing, this test would pass
    # on nothing at all
    assert ("feeding-support", "warning-signs-card") in [(course, aid) for course, aid, _langs in WALL_AIDS]


@pytest.mark.parametrize(("slug", "aid", "languages"), WALL_AIDS, ids=[f"{c}/{a}" for c, a, _l in WALL_AIDS])
def test_card_or_checklist_is_one_page_in_every_language(shipped, slug, aid, languages):
    too_long = {}
    for lang in languages:
        response = shipped.get(f"/{lang}/courses/{slug}/aids/{aid}.pdf?content={lang}")
        assert response.status_code == 200 and response.mimetype == "application/pdf", (lang, response.status_code)
        # the file is the aid in this language, not the source language's as a fallback
        assert f'"{aid}.{lang}.pdf"' in response.headers["Content-Disposition"]
        pages = len(PdfReader(BytesIO(response.data)).pages)
        if pages != 1:
            too_long[lang] = pages
    assert not too_long, f"{slug}/{aid}: more than one A4 page in {too_long} (language: pages)"
