"""Job aids and lessons on paper: the public aid page, its PDF and XLSX, and a lesson's PDF, in the reading language."""

from __future__ import annotations

import shutil
from io import BytesIO
from pathlib import Path

import yaml
from openpyxl import load_workbook
from pypdf import PdfReader

from lumos_learn import create_app
from lumos_learn.learn.enrolment import enrol

ROOT = Path(__file__).resolve().parents[2]
COURSE = "/en/courses/demo-course/"
COURSE_VERSION = yaml.safe_load((ROOT / "courses" / "feeding-support" / "course.yml").read_text())["version"]


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_course_page_and_lesson_link_their_job_aids(client):
    course = client.get(COURSE).get_data(as_text=True)
    assert 'id="job-aids"' in course
    # signed out, the link carries the language the page is read in
    assert 'href="/en/courses/demo-course/aids/meal-record/?content=en">Meal and drink record</a>' in course
    assert 'href="/en/courses/demo-course/aids/meal-record/?content=ro"' in client.get(COURSE + "?content=ro").get_data(
        as_text=True
    )
    lesson = client.get(f"{COURSE}positioning/").get_data(as_text=True)
    assert "Job aids for this module" in lesson and "/en/courses/demo-course/aids/meal-record/" in lesson
    assert 'href="/en/courses/demo-course/positioning/lesson.pdf?content=en"' in lesson
    # the final check has no aid of its own
    assert "Job aids for this module" not in client.get(f"{COURSE}final-check/").get_data(as_text=True)


def test_aid_page_is_public_in_the_reading_language_with_downloads(client):
    page = client.get(f"{COURSE}aids/meal-record/")
    assert page.status_code == 200 and page.headers["Cache-Control"].startswith("public")
    html = page.get_data(as_text=True)
    assert "<h1>Meal and drink record</h1>" in html
    # the module link inside the aid reaches the lesson from the aid's folder
    assert 'href="../../positioning/"' in html
    assert "meal-record.pdf?content=en" in html and "meal-record.xlsx?content=en" in html
    romanian = client.get("/ro/courses/demo-course/aids/meal-record/").get_data(as_text=True)
    assert "<h1>Fișa mesei și a lichidelor</h1>" in romanian


def test_untranslated_aid_falls_back_with_a_notice(app, tmp_path):
    courses = tmp_path / "courses"
    shutil.copytree(ROOT / "tests" / "data" / "courses" / "demo-course", courses / "demo-course")
    (courses / "demo-course" / "aids" / "meal-record.ro.md").unlink()
    client = create_app({**app.config, "COURSES_DIR": str(courses)}).test_client()
    page = client.get("/ro/courses/demo-course/aids/meal-record/").get_data(as_text=True)
    # a Romanian reader gets the English aid, marked as English, with a notice in Romanian
    assert '<article class="lesson job-aid job-aid-worksheet" lang="en">' in page
    assert (
        '<p class="notice no-print" lang="ro">Această fișă practică nu este încă disponibilă în limba Română.' in page
    )
    course = client.get("/ro/courses/demo-course/").get_data(as_text=True)
    assert 'lang="en">Meal and drink record</a>' in course


def test_aid_pdf_in_each_language_fits_one_page(app):
    shipped = create_app({**app.config, "COURSES_DIR": str(ROOT / "courses")}).test_client()
    for lang, words, version in (("en", "back blows", "version"), ("bg", "удари по гърба", "версия")):
        response = shipped.get(f"/en/courses/feeding-support/aids/warning-signs-card.pdf?content={lang}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert f"warning-signs-card.{lang}.pdf" in response.headers["Content-Disposition"]
        pages, text = pdf_text(response.data)
        assert pages == 1, "the card is one sheet for the kitchen wall"
        assert words in " ".join(text.split())
        # the course version in the header, in the language of the paper (the interface here is English)
        assert f"{version} {COURSE_VERSION}" in text


def test_worksheet_xlsx_has_the_translated_columns(client):
    response = client.get(f"{COURSE}aids/meal-record.xlsx?content=ro")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    assert sheet.title == "Fișa mesei"
    assert sheet["A1"].value == "Fișa mesei și a lichidelor"
    assert [c.value for c in sheet[3]] == [
        "Data",
        "Ora",
        "Poziția",
        "A mâncat",
        "A băut (ml)",
        "Semne observate",
        "A hrănit",
    ]


def test_worksheet_text_never_becomes_a_formula():
    from lumos_learn.content.job_aids import Worksheet
    from lumos_learn.printing.worksheet import worksheet_xlsx

    sheet = load_workbook(BytesIO(worksheet_xlsx(Worksheet("S", ("=1+1", "@SUM(A1)"), 2), '=HYPERLINK("x")'))).active
    assert [(c.value, c.data_type) for c in (sheet["A1"], sheet["A3"], sheet["B3"])] == [
        ('=HYPERLINK("x")', "s"),
        ("=1+1", "s"),
        ("@SUM(A1)", "s"),
    ]


def test_unknown_aid_or_spreadsheet_of_a_card_is_404(app):
    shipped = create_app({**app.config, "COURSES_DIR": str(ROOT / "courses")}).test_client()
    assert shipped.get("/en/courses/feeding-support/aids/warning-signs-card.xlsx").status_code == 404
    assert shipped.get("/en/courses/feeding-support/aids/nothing/").status_code == 404
    assert shipped.get("/en/courses/feeding-support/aids/nothing.pdf").status_code == 404
    assert shipped.get("/en/courses/feeding-support/nothing/lesson.pdf").status_code == 404


def test_lesson_pdf_in_the_learners_reading_language(client, learner, login_as, app):
    from lumos_learn.course_library import library

    enrol(learner, library().get("demo-course"), "ro")
    login_as(client, learner)
    response = client.get(f"{COURSE}positioning/lesson.pdf")
    assert response.status_code == 200 and "01-positioning.ro.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"  # signed in: not kept by shared caches
    _pages, text = pdf_text(response.data)
    # the header, all in the reading language: the course title, the module's place and the version
    assert "Mese în siguranță: un curs scurt de test · Modulul 1 din 2 · versiunea 1.0" in " ".join(text.split())
    # the quiz is not on paper: its answers would be
    assert "demo-upright" not in text and "Lying back" not in text


SCRIPTS = {
    "en": "Back blows first, then call the nurse.",
    "ro": "Așezați copilul drept, țineți capul înainte și chemați asistenta în sală.",
    "bg": "Първо удари по гърба, после повикайте медицинската сестра.",
    "cs": "Příliš žluťoučký kůň úpěl ďábelské ódy; zavolejte sestru.",
    "uk": "Ґречна їжа є, але дитину ставте рівно й кличте медсестру.",
    "fr": "Asseyez l’enfant bien droit : œil attentif, appelez l’infirmière à côté, ça va.",
}


def test_job_aid_pdf_renders_every_languages_script():
    from lumos_learn.printing.pdf import PrintPage, render_pdf

    for lang, sentence in SCRIPTS.items():
        page = PrintPage(
            lang=lang,
            title=f"Card ({lang})",
            html=f"<h2>{sentence}</h2><ul><li><strong>{sentence}</strong></li></ul><p>{sentence}</p>",
            header=f"{sentence[:20]} · 1.0",
            footer="Lumos Learn",
            media_dir=str(ROOT / "tests" / "data" / "courses" / "demo-course" / "media"),
            compact=True,
        )
        pages, text = pdf_text(render_pdf(page))
        # every letter comes back out of the PDF as it went in: no missing glyphs, no substitutes
        assert pages == 1 and " ".join(text.split()).count(sentence) == 3, (lang, text)


def test_lesson_pdf_carries_the_assignment_but_never_the_model_answer(client):
    """Work prepared away from a screen: the task, the case and the rubric are on paper, in the paper's language."""
    for lang, expected in (
        ("en", ("A mealtime plan for Dan", "Dan is six", "Seating (essential)", "Not yet (0 points)", "Rubric")),
        ("ro", ("Grilă de evaluare", "(esențial)")),
    ):
        response = client.get(f"{COURSE}positioning/lesson.pdf?content={lang}")
        assert response.status_code == 200
        _pages, text = pdf_text(response.data)
        text = " ".join(text.split())
        for words in expected:
            assert words in text, (lang, words)
        assert "hips at 90 degrees and his feet supported; stop" not in text  # the model answer stays off paper


def test_worksheet_with_formulas_downloads_as_xlsx_and_prints_as_before(app, tmp_path):
    """Labels, formulas and totals reach the XLSX through the app; the aid's page and PDF show only its text."""
    courses = tmp_path / "courses"
    shutil.copytree(ROOT / "tests" / "data" / "courses" / "demo-course", courses / "demo-course")
    (courses / "demo-course" / "aids" / "costs.en.md").write_text(
        "---\ntitle: Meal costs\nkind: worksheet\nmodule: positioning\nxlsx:\n  sheet: Costs\n"
        "  columns: [Item, Per meal (EUR), Meals, Cost (EUR)]\n  rows: 5\n  labels: [Thickener, '=Cups']\n"
        '  formulas:\n    D: "=ROUND(B{row}*C{row}, 0)"\n  totals: [D]\n  total_label: Total\n---\n\n'
        "Write what each item costs per meal.\n",
        encoding="utf-8",
    )
    client = create_app({**app.config, "COURSES_DIR": str(courses)}).test_client()
    sheet = load_workbook(BytesIO(client.get(f"{COURSE}aids/costs.xlsx?content=en").data)).active
    assert [sheet[f"A{r}"].value for r in (4, 5, 9)] == ["Thickener", "=Cups", "Total"]
    assert sheet["D8"].value == "=ROUND(B8*C8, 0)" and sheet["D9"].value == "=SUM(D4:D8)"
    page = client.get(f"{COURSE}aids/costs/").get_data(as_text=True)
    assert "Write what each item costs per meal." in page and "ROUND" not in page and "SUM(" not in page
    pages, text = pdf_text(client.get(f"{COURSE}aids/costs.pdf?content=en").data)
    assert pages == 1 and "Write what each item costs per meal." in text and "ROUND" not in text
