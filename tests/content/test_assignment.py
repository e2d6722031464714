"""Assignments in course files: parsed into a rubric, every problem reported at its file and line."""

from __future__ import annotations

import pytest
from course_files import COURSE_YML, FIRST_EN, write_course
from test_loader import problems_of

from lumos_learn.content import load_library
from lumos_learn.content.assignment import count_words

ASSIGNMENT = """
```assignment
id: plan
title: A plan
words: 10-50
attachments: true
pass_level: meets
task: |
  Write **a plan**.
case: |
  The case.
model_answer: |
  The model answer.
criteria:
  - id: safety
    title: Safety
    essential: true
    levels:
      - {id: not-yet, title: Not yet, points: 0, descriptor: "Missing."}
      - {id: meets, title: Meets, points: 2, descriptor: "Safe."}
      - {id: exceeds, title: Exceeds, points: 3, descriptor: "Safe and checked."}
  - id: clarity
    title: Clarity
    levels:
      - {id: not-yet, title: Not yet, points: 0, descriptor: "Unclear."}
      - {id: meets, title: Meets, points: 1, descriptor: "Clear."}
```
"""
# FIRST_EN has 14 lines; the block's ``` line is 16 (after one empty line).
BLOCK = 16


def with_assignment(block: str = ASSIGNMENT) -> str:
    return FIRST_EN + block


def test_assignment_parses_into_a_rubric_with_a_pass_rule(demo):
    write_course(demo, {"01-first-steps.en.md": with_assignment()})
    course = load_library(demo).get("demo")
    assignment = course.module("first-steps").assignment
    assert (assignment.id, assignment.min_words, assignment.max_words, assignment.attachments) == ("plan", 10, 50, True)
    assert assignment.task_html == "Write <strong>a plan</strong>."
    assert [c.id for c in assignment.criteria] == ["safety", "clarity"]
    assert assignment.max_points == 4
    assert course.assignment_modules == (course.module("first-steps"),)
    assert not course.has_assessed_assignment  # completion does not count it
    assert assignment.meets_pass_rule({"safety": "meets", "clarity": "not-yet"})
    assert not assignment.meets_pass_rule({"safety": "not-yet", "clarity": "meets"})
    assert not assignment.meets_pass_rule({"safety": "exceeds"})  # a criterion without a level
    assert assignment.points({"safety": "exceeds", "clarity": "meets"}) == 4


def test_completion_and_assessment_rules_from_course_yml(demo):
    yml = COURSE_YML.replace(
        "completion: read-all-and-pass-graded", "completion: read-all-pass-graded-and-assignments\nassessment: trainer"
    )
    write_course(demo, {"course.yml": yml, "01-first-steps.en.md": with_assignment()})
    course = load_library(demo).get("demo")
    assert course.assignments_count_for_completion and course.has_assessed_assignment


def test_completion_counting_assignments_needs_one(demo):
    yml = COURSE_YML.replace("completion: read-all-and-pass-graded", "completion: read-all-pass-graded-and-assignments")
    write_course(demo, {"course.yml": yml})
    assert problems_of(demo) == [
        ("course.yml", 13, "completion counts assignments, but no module has an ```assignment")
    ]


@pytest.mark.parametrize("assessment", ["self", "trainer"])
def test_every_assignment_needs_a_model_answer(demo, assessment):
    """Self-assessing learners exist in trainer-marked courses too (outside any cohort, no assessor named)."""
    yml = COURSE_YML.replace("certificate: true", f"certificate: true\nassessment: {assessment}")
    block = ASSIGNMENT.replace("model_answer: |\n  The model answer.\n", "")
    write_course(demo, {"course.yml": yml, "01-first-steps.en.md": with_assignment(block)})
    assert problems_of(demo) == [
        (
            "01-first-steps.en.md",
            BLOCK,
            "the assignment needs a model_answer: self-assessing learners compare their work with it",
        )
    ]
    write_course(demo, {"course.yml": yml.replace(f"assessment: {assessment}", "assessment: peers")})
    assert ("course.yml", 13) in [p[:2] for p in problems_of(demo)]


def test_rubric_mistakes_are_reported_at_their_lines(demo):
    block = (
        ASSIGNMENT.replace("words: 10-50", "words: 50-10")
        .replace("pass_level: meets", "pass_level: good")
        .replace('points: 1, descriptor: "Clear."', 'points: 0, descriptor: "Clear."')
        .replace("attachments: true", "attachments: yes please")
    )
    write_course(demo, {"01-first-steps.en.md": with_assignment(block)})
    assert problems_of(demo) == [
        (
            "01-first-steps.en.md",
            BLOCK + 3,
            "assignment: words must be a range such as 80-400 (fewest-most, most above 0)",
        ),
        ("01-first-steps.en.md", BLOCK + 4, "assignment: attachments must be true or false"),
        ("01-first-steps.en.md", BLOCK + 5, "pass_level 'good' is not a level of the essential criterion 'safety'"),
        ("01-first-steps.en.md", BLOCK + 24, "levels go from the lowest to the highest: points must increase"),
    ]


def test_missing_keys_and_unknown_keys(demo):
    block = "\n```assignment\nid: plan\ncolour: blue\n```\n"
    write_course(demo, {"01-first-steps.en.md": with_assignment(block)})
    messages = [(line, message) for _, line, message in problems_of(demo)]
    assert (
        BLOCK + 2,
        "assignment: unknown key 'colour' (allowed: "
        + ", ".join(("id", "title", "words", "attachments", "pass_level", "task", "case", "model_answer", "criteria"))
        + ")",
    ) in messages
    for key in ("title", "words", "task", "pass_level", "criteria"):
        assert (BLOCK, f"assignment: missing '{key}:'") in messages


def test_translation_keeps_criterion_ids_and_points(demo):
    write_course(demo, {"01-first-steps.en.md": with_assignment()})
    translated = with_assignment(
        ASSIGNMENT.replace("title: Safety", "title: Siguranța").replace("  - id: clarity\n", "  - id: claritate\n")
    )
    write_course(demo, {"01-first-steps.ro.md": translated})
    assert problems_of(demo) == [
        (
            "01-first-steps.ro.md",
            BLOCK,
            "assignment criteria must be the same ids in the same order as the en source: safety, clarity",
        )
    ]
    write_course(demo, {"01-first-steps.ro.md": with_assignment(ASSIGNMENT.replace("points: 2,", "points: 1,"))})
    assert problems_of(demo) == [
        (
            "01-first-steps.ro.md",
            BLOCK + 13,
            "criterion 'safety' differs from the en source: "
            "same essential flag, level ids and points in every language",
        )
    ]
    write_course(demo, {"01-first-steps.ro.md": FIRST_EN})
    assert problems_of(demo) == [("01-first-steps.ro.md", 1, "this translation has no assignment, the en source does")]


def test_criterion_ids_are_unique(demo):
    write_course(
        demo, {"01-first-steps.en.md": with_assignment(ASSIGNMENT.replace("  - id: clarity", "  - id: safety"))}
    )
    assert problems_of(demo) == [("01-first-steps.en.md", BLOCK + 20, "criterion id 'safety' is used twice")]


def test_words_are_counted_as_a_reader_counts_them():
    assert count_words("Seat Dan upright — hips at 90 degrees; don't rush, well-known rule.") == 11
    assert count_words("") == 0
