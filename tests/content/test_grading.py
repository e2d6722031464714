"""Grading every question type, and turning form data into responses."""

from __future__ import annotations

import pytest

from lumos_learn.content import (
    InvalidResponses,
    Quiz,
    grade_attempt,
    parse_gift,
    parse_responses,
    shuffled_answer_order,
)

QUIZ = Quiz(
    tuple(
        parse_gift("""
::mc::One right {=right #Yes ~wrong #No ~%50%half #Partly}

::ma::Several {~%50%a #A ~%50%b #B ~%-100%c #C ~d}

::tf::True? {T #Wrong #Right}

::sa::City? {=São Paulo =%50%Sao Paulo}

::num::Litres? {# =1.5:0.1 #Yes =%50%1..2 #Close}

::match::Match {=dog -> barks =cat -> meows =cow -> moos = -> quacks}

::essay::Reflect {####Thanks}
""")
    )
)


def grade(responses, pass_mark=80):
    return grade_attempt(QUIZ, responses, pass_mark)


def score_of(qid, response):
    return grade({qid: response}).result(qid)


@pytest.mark.parametrize(
    ("response", "score", "feedback"),
    [(0, 1.0, ("Yes",)), (1, 0.0, ("No",)), (2, 0.5, ("Partly",))],
)
def test_multichoice(response, score, feedback):
    result = score_of("mc", response)
    assert (result.score, result.correct, result.feedback_html) == (score, score == 1.0, feedback)


@pytest.mark.parametrize(
    ("chosen", "score"),
    [({0, 1}, 1.0), ({0}, 0.5), ({0, 1, 2}, 0.0), ({0, 2}, 0.0), ({2}, 0.0), ({0, 1, 3}, 1.0)],
)
def test_multianswer_sums_and_clamps(chosen, score):
    assert score_of("ma", frozenset(chosen)).score == score


def test_multianswer_feedback_of_every_chosen_answer():
    assert score_of("ma", frozenset({0, 2})).feedback_html == ("A", "C")


def test_truefalse():
    right, wrong = score_of("tf", True), score_of("tf", False)
    assert (right.score, right.correct, right.feedback_html) == (1.0, True, ("Right",))
    assert (wrong.score, wrong.correct, wrong.feedback_html) == (0.0, False, ("Wrong",))


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("São Paulo", 1.0),
        ("  são   PAULO ", 1.0),
        ("Sa\u0303o Paulo", 1.0),  # decomposed ã: NFC makes it equal
        ("sao paulo", 0.5),
        ("Rio", 0.0),
    ],
)
def test_shortanswer_normalisation(text, score):
    assert score_of("sa", text).score == score


@pytest.mark.parametrize(
    ("text", "score", "feedback"),
    [
        ("1.5", 1.0, ("Yes",)),
        ("1,45", 1.0, ("Yes",)),
        ("1.6", 1.0, ("Yes",)),
        (" 1,7 ", 0.5, ("Close",)),
        ("2", 0.5, ("Close",)),
        ("2.01", 0.0, ()),
        ("one and a half", 0.0, ()),
        ("1,000.5", 0.0, ()),
    ],
)
def test_numerical_tolerance_range_and_decimal_comma(text, score, feedback):
    result = score_of("num", text)
    assert (result.score, result.feedback_html) == (score, feedback)


def test_matching_partial_credit():
    choices = QUIZ.question("match").match_choices
    assert choices == ("barks", "meows", "moos", "quacks")
    all_right = {0: 0, 1: 1, 2: 2}
    assert score_of("match", all_right).score == 1.0
    assert score_of("match", {0: 0, 1: 3}).score == pytest.approx(1 / 3)


def test_attempt_totals_skip_essays_and_unanswered_score_zero():
    result = grade({"mc": 0, "tf": True, "essay": "I learnt a lot"})
    assert (result.score, result.max_score) == (2.0, 6.0)
    assert result.percent == pytest.approx(100 * 2 / 6)
    assert not result.passed
    essay = result.result("essay")
    assert (essay.answered, essay.score, essay.general_feedback_html) == (True, 0.0, "Thanks")
    assert result.result("sa").answered is False and result.result("sa").score == 0.0
    assert [r.question_id for r in result.results] == ["mc", "ma", "tf", "sa", "num", "match", "essay"]


def test_pass_mark_boundary():
    everything = {"mc": 0, "ma": frozenset({0, 1}), "tf": True, "sa": "São Paulo", "num": "1.5"}
    result = grade(everything, pass_mark=83)  # 5 of 6 = 83.33 %
    assert result.passed
    assert not grade(everything, pass_mark=84).passed
    assert grade({**everything, "match": {0: 0, 1: 1, 2: 2}}, pass_mark=100).passed


def test_quiz_of_reflections_only_passes():
    quiz = Quiz(tuple(parse_gift("::r::Reflect {}")))
    result = grade_attempt(quiz, {}, 80)
    assert (result.max_score, result.percent, result.passed) == (0.0, 100.0, True)


# --- form data -> responses -------------------------------------------------------------------------


def test_parse_responses_for_every_type():
    form = {
        "csrf_token": ["abc"],
        "token": ["t"],
        "q-mc": ["2"],
        "q-ma": ["0", "3"],
        "q-tf": ["false"],
        "q-sa": ["  Sao Paulo "],
        "q-num": ["1,5"],
        "q-match-0": ["1"],
        "q-match-2": [""],
        "q-essay": ["Long thoughts"],
    }
    assert parse_responses(QUIZ, form) == {
        "mc": 2,
        "ma": frozenset({0, 3}),
        "tf": False,
        "sa": "Sao Paulo",
        "num": "1,5",
        "match": {0: 1},
        "essay": "Long thoughts",
    }


def test_parse_responses_accepts_werkzeug_style_multidicts():
    class MultiDict(dict):
        def getlist(self, key):
            return self[key]

    assert parse_responses(QUIZ, MultiDict({"q-ma": ["1", "2"]})) == {"ma": frozenset({1, 2})}


def test_unanswered_questions_are_absent():
    assert parse_responses(QUIZ, {"q-mc": [""], "q-sa": [""]}) == {}


@pytest.mark.parametrize(
    "form",
    [
        {"q-nope": ["1"]},
        {"q-mc": ["3"]},
        {"q-mc": ["-1"]},
        {"q-mc": ["one"]},
        {"q-mc": ["0", "1"]},
        {"q-ma": ["0", "0"]},
        {"q-ma": ["9"]},
        {"q-tf": ["yes"]},
        {"q-essay": ["x" * 5001]},
        {"q-match": ["0"]},
        {"q-match-3": ["0"]},  # the extra choice is not an item to match
        {"q-match-9": ["0"]},
        {"q-match-0": ["4"]},
        {"q-mc-0": ["0"]},
    ],
)
def test_parse_responses_rejects_what_no_form_can_send(form):
    with pytest.raises(InvalidResponses):
        parse_responses(QUIZ, form)


def test_shuffled_order_is_a_deterministic_permutation_that_depends_on_the_seed():
    question = QUIZ.question("ma")
    order = shuffled_answer_order(question, "token-1:ma")
    assert sorted(order) == [0, 1, 2, 3]
    assert shuffled_answer_order(question, "token-1:ma") == order
    orders = {shuffled_answer_order(question, f"token-{n}:ma") for n in range(50)}
    assert len(orders) > 10


def test_shuffled_order_for_matching_permutes_the_choices_and_is_identity_for_others():
    match = QUIZ.question("match")
    assert sorted(shuffled_answer_order(match, "seed")) == [0, 1, 2, 3]
    assert len({shuffled_answer_order(match, f"s{n}") for n in range(30)}) > 5
    assert shuffled_answer_order(QUIZ.question("tf"), "seed") == (0, 1)
    assert shuffled_answer_order(QUIZ.question("num"), "x") == (0, 1)
