"""The plain functions behind assessments that certify: the draw, the attempt rules, the review policy, grading."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from course_files import write_course
from test_banks import BANK_EN, BANK_RO

from lumos_learn.content import (
    FULL,
    SCORE,
    PastAttempt,
    attempt_decision,
    draw_questions,
    grade_attempt,
    load_library,
    missed_groups,
    review_level,
)

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def course(demo):
    write_course(demo, {"02-final-check.en.md": BANK_EN, "02-final-check.ro.md": BANK_RO})
    return load_library(demo).get("demo")


def with_text(course, **changes):
    """The course with its final's source text changed (e.g. review=..., draw=...)."""
    final = course.module("final-check")
    versions = dict(final.versions)
    versions["en"] = replace(versions["en"], **changes)
    modules = tuple(replace(m, versions=versions) if m.slug == "final-check" else m for m in course.modules)
    return replace(course, modules=modules)


def test_the_draw_takes_each_groups_share_and_keeps_reflections(course):
    text = course.module("final-check").text("en")
    drawn = draw_questions(text, "seed-1")
    assert (
        sum(q.startswith("ch-") for q in drawn) == 1
        and sum(q.startswith("tex-") and q != "tex-reflect" for q in drawn) == 2
    )
    assert drawn[-1] == "tex-reflect"
    assert draw_questions(text, "seed-1") == drawn  # the same seed, the same draw, on any machine
    papers = {draw_questions(text, f"seed-{n}") for n in range(40)}
    assert len(papers) > 1  # other attempts, other papers (2 x 3 possible papers: 40 seeds cannot all agree)


def test_the_draw_prefers_questions_not_seen(course):
    text = course.module("final-check").text("en")
    for n in range(20):
        first = draw_questions(text, f"a-{n}")
        second = draw_questions(text, f"b-{n}", seen=first)
        assert {"ch-1", "ch-2"} - set(first) == {q for q in second if q.startswith("ch-")}
        unseen_texture = {"tex-1", "tex-2", "tex-3"} - set(first)
        assert unseen_texture <= set(second)


def test_a_quiz_without_a_bank_asks_everything_in_order(course):
    first = course.module("first-steps").text("en")
    assert draw_questions(first, "any") == ("first-q",)
    plain = replace(course.module("final-check").text("en"), groups=())
    assert draw_questions(plain, "x") == tuple(q.id for q in plain.quiz.questions)
    drawn = draw_questions(replace(plain, draw=2), "x")
    assert len(drawn) == 3 and drawn[-1] == "tex-reflect"


def test_attempt_rules(course):
    final = course.module("final-check")
    failed = PastAttempt(NOW - timedelta(hours=2), False)
    assert attempt_decision(course, final, [], 0, NOW).allowed
    decision = attempt_decision(course, final, [failed] * 3, 0, NOW)  # max_attempts: 3
    assert (decision.allowed, decision.reason, decision.attempts_left) == (False, "exhausted", 0)
    assert attempt_decision(course, final, [failed] * 3, 1, NOW).allowed  # a trainer granted one more
    waiting = replace(course, attempt_wait_hours=24)
    decision = attempt_decision(waiting, final, [failed], 0, NOW)
    assert (decision.reason, decision.not_before, decision.attempts_left) == ("wait", NOW + timedelta(hours=22), 2)
    assert attempt_decision(waiting, final, [failed], 0, NOW + timedelta(hours=22)).allowed
    assert attempt_decision(waiting, final, [PastAttempt(NOW, True)], 0, NOW).allowed  # no wait after a pass
    practice = course.module("first-steps")
    assert attempt_decision(waiting, practice, [failed] * 9, 0, NOW).attempts_left is None  # practice: no limits


@pytest.mark.parametrize(
    ("policy", "passed", "left", "expected"),
    [
        ("full", False, 2, FULL),
        ("score", False, 2, SCORE),
        ("score", True, 0, SCORE),
        ("after-pass", False, 2, SCORE),
        ("after-pass", False, None, SCORE),  # unlimited attempts: never a last one
        ("after-pass", True, 2, FULL),
        ("after-pass", False, 0, FULL),  # the last allowed attempt is used
    ],
)
def test_review_policy_graded(course, policy, passed, left, expected):
    course = with_text(replace(course, review_graded=policy), review=None)  # the course's policy, no override
    assert review_level(course, course.module("final-check"), passed=passed, attempts_left=left) == expected


def test_review_policy_practice_and_module_override(course):
    first = course.module("first-steps")
    assert review_level(course, first, passed=False, attempts_left=None) == FULL  # default practice: full
    assert review_level(replace(course, review_practice="score"), first, passed=False, attempts_left=None) == SCORE
    # the final of the fixture says review: full, which beats the course's after-pass
    assert review_level(course, course.module("final-check"), passed=False, attempts_left=2) == FULL
    scored = with_text(course, review="score")
    assert review_level(scored, scored.module("final-check"), passed=True, attempts_left=0) == SCORE


def test_a_wrong_critical_answer_fails_whatever_the_total(course):
    text = course.module("final-check").text("en")
    quiz = text.quiz.subset(["ch-1", "tex-1", "tex-2", "tex-3"])
    right = {"ch-1": 0, "tex-1": 0, "tex-2": False, "tex-3": 0}
    result = grade_attempt(quiz, right, 75, text.critical_ids())
    assert result.passed and result.failed_critical == ()
    result = grade_attempt(quiz, {**right, "ch-1": 1}, 75, text.critical_ids())
    assert result.percent == 75.0 and not result.passed and result.failed_critical == ("ch-1",)
    assert missed_groups(text, result) == ("choking",)
    result = grade_attempt(quiz, {**right, "tex-3": 2}, 75, text.critical_ids())  # tex-3 is critical on its own
    assert not result.passed and result.failed_critical == ("tex-3",) and missed_groups(text, result) == ("texture",)
    # without critical ids (as before question banks) the total decides
    assert grade_attempt(quiz, {**right, "ch-1": 1}, 75).passed
