"""The four launch courses: valid, complete in every language they list, and of the shape the issues ask for."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from lumos_learn.content import check_courses, load_library
from lumos_learn.content.quality import check_quality

ROOT = Path(__file__).resolve().parents[2]
COURSES = {
    "strategic-di-planning": ("en", "cs", "uk"),
    "eu-funding-di": ("en", "fr"),
    "inclusive-education": ("en", "ro"),
    "feeding-support": ("en", "bg", "uk"),
}
LIBRARY = load_library(ROOT / "courses")


def words(html: str) -> int:
    return len(re.findall(r"\w+", unescape(re.sub(r"<[^>]+>", " ", html))))


def capstone(module) -> bool:
    """A capstone module (CONTRACTS: placed after the final) holds an assignment and no quiz."""
    return module.assignment is not None and module.text(module.source_language).quiz is None


def test_the_shipped_courses_have_no_problems():
    assert check_courses(ROOT / "courses") == []
    assert check_quality(LIBRARY) == []  # the quiz-quality checks too, with the exemptions the files give
    assert {c.slug for c in LIBRARY.courses} == set(COURSES)


@pytest.mark.parametrize("slug", COURSES)
def test_course_metadata(slug):
    course = LIBRARY.get(slug)
    assert course.languages == COURSES[slug]
    assert course.pass_mark == 80 and course.certificate
    assert len(course.confidence) == 5
    for statement in course.confidence:
        assert set(statement.text) == set(course.languages)
    for field in ("title", "summary", "audience"):
        assert set(getattr(course, field)) == set(course.languages)


@pytest.mark.parametrize("slug", COURSES)
def test_modules_are_complete_in_every_language(slug):
    course = LIBRARY.get(slug)
    lessons = [m for m in course.modules if not m.graded and not capstone(m)]
    assert 5 <= len(lessons) <= 7
    # the final is the one graded module; only capstones (an assignment, no quiz) may come after it
    graded = [m.graded for m in course.modules]
    assert len(course.graded_modules) == 1 and all(capstone(m) for m in course.modules[graded.index(True) + 1 :])
    for module in course.modules:
        assert set(module.languages) == set(course.languages), f"{slug}/{module.slug} is not translated"


@pytest.mark.parametrize("slug", COURSES)
def test_lessons_have_substance_and_a_knowledge_check(slug):
    course = LIBRARY.get(slug)
    for module in course.modules:
        if module.graded or capstone(module):  # a capstone's shape is checked by its course's own tests
            continue
        for lang in course.languages:
            text = module.text(lang)
            where = f"{slug}/{module.slug}.{lang}"
            assert 1000 <= words(text.html) <= 2500, f"{where}: {words(text.html)} words"
            assert 3 <= len(text.objectives) <= 6, where
            assert 'class="admonition case"' in text.html, f"{where}: no case study"
            assert 'class="admonition key"' in text.html, f"{where}: no key points"
            assert len(re.findall(r"<h2", text.html)) >= 3, f"{where}: too few sections"
            questions = text.quiz.questions
            assert 5 <= len(questions) <= 8, f"{where}: {len(questions)} questions"
            assert len({q.type for q in questions}) >= 3, f"{where}: fewer than three question types"
            for question in questions:
                has_feedback = any(a.feedback_html for a in question.answers) or question.general_feedback_html
                assert has_feedback, f"{where}: question {question.id} explains nothing"
        # The sources section exists in the source language (its heading is translated elsewhere).
        assert "Sources" in module.text("en").html


@pytest.mark.parametrize("slug", COURSES)
def test_final_assessment_covers_the_course(slug):
    course = LIBRARY.get(slug)
    final = course.graded_modules[0]
    for lang in course.languages:
        questions = final.text(lang).quiz.questions
        front_matter = Path(final.text(lang).path).read_text(encoding="utf-8").split("\n---\n", 1)[0]
        groups = yaml.safe_load(front_matter.removeprefix("---\n")).get("groups")
        if groups:  # a bank grouped by objective: each attempt asks every group's draw
            asked = sum(group["draw"] for group in groups)
            assert 12 <= asked <= 20 and len(questions) >= 2 * asked
        else:
            assert 15 <= len(questions) <= 20
        assert len({q.type for q in questions}) >= 3


@pytest.mark.parametrize("slug", COURSES)
def test_translations_keep_question_ids_and_structure(slug):
    course = LIBRARY.get(slug)
    source, *translations = course.languages
    for module in course.modules:
        for translation in translations:
            original, translated = module.text(source).quiz, module.text(translation).quiz
            if original is None:  # a capstone: no quiz in any language
                assert translated is None
                continue
            assert [(q.id, q.type, len(q.answers)) for q in original.questions] == [
                (q.id, q.type, len(q.answers))
                if q.type != "shortanswer"
                else (q.id, q.type, len(original.question(q.id).answers))
                for q in translated.questions
            ]
            assert module.text(translation).lang == translation


def test_images_have_alt_text_and_exist():
    for course in LIBRARY.courses:
        for module in course.modules:
            for lang in course.languages:
                for tag in re.findall(r"<img [^>]*>", module.text(lang).html):
                    assert re.search(r'alt="[^"]{10,}"', tag), f"{course.slug}/{module.slug}.{lang}: {tag}"
                    src = re.search(r'src="/media/([^/]+)/([^"?]+)\?v=[0-9a-f]{12}"', tag)
                    assert src and (ROOT / "courses" / src.group(1) / "media" / src.group(2)).is_file()
