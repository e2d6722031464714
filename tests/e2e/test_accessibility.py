"""axe-core (WCAG 2.0, 2.1, 2.2 A and AA rules) on every page type in every interface language.

The page sweeps visit each page once per language (site_sweep); this file reports what axe found.
"""

from __future__ import annotations

import pytest
from browser_checks import axe_violations

pytestmark = pytest.mark.e2e
LANGUAGES = ["en", "ro", "bg", "cs", "uk", "fr"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_type_has_no_wcag_violations(site_sweep, lang):
    problems = site_sweep(lang)["axe"]
    assert not problems, "\n".join(problems)


def test_real_lesson_pages_have_no_wcag_violations(real_lessons_sweep):
    problems = real_lessons_sweep["axe"]
    assert not problems, "\n".join(problems)


def test_axe_reports_a_planted_violation(page, site):
    page.goto("/en/")
    assert axe_violations(page) == []
    page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    assert any(line.startswith("label ") for line in axe_violations(page))


def test_each_quiz_answer_group_is_named_by_its_question(as_role, site_facts):
    from playwright.sync_api import expect

    page = as_role("student")
    page.goto("/en/courses/demo-course/final-check/")
    groups = page.locator("form.quiz fieldset.question")
    assert groups.count() >= 3
    for group in groups.all():
        question = group.locator(".question-text").inner_text().strip()
        legend = group.locator("legend").inner_text().strip()
        assert question
        # the group's accessible name: "Question 2 of 5" and the question itself, read on entering the group
        expect(group).to_have_accessible_name(f"{legend} {question}".replace("\n", " "))
