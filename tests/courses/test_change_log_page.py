"""The course page shows the course's CHANGES.md ("What changed in this version") in the reader's language."""

from __future__ import annotations

import shutil
from pathlib import Path

from lumos_learn import create_app

ROOT = Path(__file__).resolve().parents[2]


def test_the_feeding_course_page_shows_its_change_log_in_the_readers_language(app, client):
    shipped = create_app({**app.config, "COURSES_DIR": str(ROOT / "courses")}).test_client()
    english = shipped.get("/en/courses/feeding-support/").get_data(as_text=True)
    assert "What changed in this version" in english
    assert "Choking: back blows come first." in english and "Задавяне" not in english
    assert english.index("What changed in this version") < english.index('class="syllabus"')
    bulgarian = shipped.get("/bg/courses/feeding-support/").get_data(as_text=True)
    assert "Какво е променено в тази версия" in bulgarian
    assert "Задавяне: първо са ударите по гърба." in bulgarian and "back blows come first" not in bulgarian
    ukrainian = shipped.get("/uk/courses/feeding-support/").get_data(as_text=True)
    assert "Що змінилося в цій версії" in ukrainian and "Підтримка під час годування дітей з інвалідністю" in ukrainian
    assert "Курс тепер доступний українською." in ukrainian and "back blows come first" not in ukrainian
    # a course without a change log (the test course) shows no empty section
    other = client.get("/en/courses/demo-course/").get_data(as_text=True)
    assert "demo-course" in other and "What changed in this version" not in other


def test_the_change_log_is_sanitised_and_falls_back_to_the_source_language(app, tmp_path):
    courses = tmp_path / "courses"
    shutil.copytree(ROOT / "tests" / "data" / "courses" / "demo-course", courses / "demo-course")
    (courses / "demo-course" / "CHANGES.md").write_text(
        "<!-- lang: en -->\n### Version 1.1\n\n- The *quiz* on seating was corrected.<script>alert(1)</script>\n"
        '- <img src="media/x.svg" alt="x" onerror="alert(2)"> [more](javascript:alert(3))\n',
        encoding="utf-8",
    )
    client = create_app({**app.config, "COURSES_DIR": str(courses)}).test_client()
    page = client.get("/ro/courses/demo-course/").get_data(as_text=True)
    # no Romanian section: the English one is shown, marked as English, under the Romanian heading
    assert "Ce s-a schimbat în această versiune" in page
    assert '<div lang="en"><h3' in page and "The <em>quiz</em> on seating was corrected." in page
    assert "alert(" not in page and "onerror" not in page and "javascript:" not in page
    # the page follows an edited file, and shows nothing when neither language has a section
    (courses / "demo-course" / "CHANGES.md").write_text("<!-- lang: ro -->\nTestul a fost corectat.\n")
    page = client.get("/ro/courses/demo-course/").get_data(as_text=True)
    assert "Testul a fost corectat." in page and "on seating" not in page
    assert "Ce s-a schimbat" not in client.get("/en/courses/demo-course/").get_data(as_text=True)
