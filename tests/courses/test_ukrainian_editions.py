"""The Ukrainian editions of strategic-di-planning and feeding-support (issue 27): complete, asking the same
questions as the English, of comparable length, and shown first to a Ukrainian reader."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from lumos_learn import create_app
from lumos_learn.content import load_library
from lumos_learn.content.translation_sources import course_translations

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = load_library(ROOT / "courses")
UKRAINIAN = ("strategic-di-planning", "feeding-support")


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def quiz_words(quiz) -> str:
    if quiz is None:  # a capstone: an assignment and no quiz
        return ""
    return " ".join(
        " ".join([q.text, q.general_feedback, *(f"{a.text} {a.feedback} {a.match or ''}" for a in q.answers)])
        for q in quiz.questions
    )


@pytest.mark.parametrize("slug", UKRAINIAN)
def test_the_course_loads_in_ukrainian_with_the_same_ids(slug):
    course = LIBRARY.get(slug)
    assert "uk" in course.languages and course.text("title", "uk")[1] == "uk"
    for module in course.modules:
        english, ukrainian = module.text("en"), module.text("uk")
        assert ukrainian.lang == "uk", f"{slug}/{module.slug} has no Ukrainian file"
        if english.quiz is None:  # a capstone: its assignment's ids are compared in the course's own tests
            assert ukrainian.quiz is None
            continue
        assert [(q.id, q.type, q.group) for q in ukrainian.quiz.questions] == [
            (q.id, q.type, q.group) for q in english.quiz.questions
        ]
        assert [g.id for g in ukrainian.groups] == [g.id for g in english.groups]
        assert ukrainian.critical_ids() == english.critical_ids()


@pytest.mark.parametrize("slug", UKRAINIAN)
def test_each_ukrainian_module_is_at_least_seven_tenths_of_the_english(slug):
    for module in LIBRARY.get(slug).modules:
        english, ukrainian = module.text("en"), module.text("uk")
        for what, en, uk in (
            ("lesson text", plain(english.html), plain(ukrainian.html)),
            ("quiz text", quiz_words(english.quiz), quiz_words(ukrainian.quiz)),
        ):
            assert len(uk) >= 0.7 * len(en), f"{slug}/{module.slug}: Ukrainian {what} {len(uk)} of {len(en)} chars"


@pytest.mark.parametrize("slug", UKRAINIAN)
def test_the_ukrainian_files_record_the_english_they_were_translated_from(slug):
    course = LIBRARY.get(slug)
    translations = course_translations(Path(course.path), "en", course.languages)
    found = [t for t in translations if t.lang == "uk" and t.kind == "module"]
    assert len(found) == len(course.modules)
    assert all(t.recorded is not None for t in found)  # written by record-translation, checked by the test below


def test_a_ukrainian_reader_sees_the_courses_in_ukrainian_first(app):
    client = create_app({**app.config, "COURSES_DIR": str(ROOT / "courses")}).test_client()
    in_ukrainian = ["Підтримка під час годування дітей з інвалідністю", "Стратегічне планування деінституціалізації"]
    others = ["EU funds for the transition to community-based care", "Inclusive education in the mainstream classroom"]
    for page in ("/uk/courses/", "/uk/"):
        html = client.get(page).get_data(as_text=True)
        positions = [html.index(title) for title in in_ukrainian + others]
        assert positions == sorted(positions), page  # Ukrainian ones first, each group in alphabetical order
    # the order follows the reader: a French reader sees the French course first
    french = client.get("/fr/courses/").get_data(as_text=True)
    assert french.index("Les fonds de l&#39;UE") < french.index("Feeding support for children with disabilities")
