"""The item report's counting (one pass, learners ranked once per quiz) against the rule applied question by question.

analyse_items reads a cohort's answers in one pass and ranks each quiz's learners once; these tests hold it to the
plain definition (discrimination_index over each question's learners, share correct, most chosen wrong response)
on data shaped like a real cohort: question banks (each learner draws some questions), two quizzes, several content
languages, ties in total score and partial credit.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest

from lumos_learn.trainer.item_analysis import AnswerRecord, analyse_items, discrimination_index


def cohort_answers(seed: int, learners: int) -> list[AnswerRecord]:
    rng = random.Random(seed)
    banks = {"quiz-a": [f"a{n}" for n in range(12)], "quiz-b": [f"b{n}" for n in range(6)]}
    answers = []
    for learner in range(learners):
        language = rng.choice(("en", "ro", "uk"))
        ability = rng.random()
        for quiz, bank in banks.items():
            if rng.random() < 0.15:
                continue  # has not taken this quiz
            for question in rng.sample(bank, 4):  # a draw of 4 from the bank
                correct = rng.random() < ability
                score = 1.0 if correct else rng.choice((0.0, 0.0, 0.5))
                response = None if correct else rng.choice((1, 2, [0, 2], "a typed answer", {"0": 1}))
                answers.append(AnswerRecord(learner, quiz, question, correct, score, response, language))
    return answers


def by_the_definition(answers: list[AnswerRecord]) -> dict[str, dict]:
    totals: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for a in answers:
        totals[a.quiz][a.learner] += a.score
    expected = {}
    for question in {a.question_id for a in answers}:
        mine = [a for a in answers if a.question_id == question]
        quiz_totals = totals[mine[0].quiz]
        wrong = Counter(repr(a.response) for a in mine if not a.correct)
        languages = {}
        for language in {a.language for a in mine}:
            theirs = [a for a in mine if a.language == language]
            languages[language] = (
                len(theirs),
                sum(a.correct for a in theirs) / len(theirs),
                discrimination_index({a.learner: a.correct for a in theirs}, quiz_totals),
            )
        expected[question] = {
            "answers": len(mine),
            "p_correct": sum(a.correct for a in mine) / len(mine),
            "discrimination": discrimination_index({a.learner: a.correct for a in mine}, quiz_totals),
            "wrong_count": max(wrong.values(), default=0),
            "most_chosen": {r for r, n in wrong.items() if n == max(wrong.values())},
            "languages": languages,
        }
    return expected


@pytest.mark.parametrize(("seed", "learners"), [(1, 40), (2, 400), (3, 2000)])
def test_every_figure_matches_the_definition_question_by_question(seed, learners):
    answers = cohort_answers(seed, learners)
    expected = by_the_definition(answers)
    stats = {s.question_id: s for s in analyse_items(answers)}
    assert stats.keys() == expected.keys()
    for question, want in expected.items():
        got = stats[question]
        assert got.answers == want["answers"]
        assert got.p_correct == pytest.approx(want["p_correct"])
        assert got.discrimination == pytest.approx(want["discrimination"])
        assert got.most_common_wrong_count == want["wrong_count"]
        assert repr(got.most_common_wrong) in want["most_chosen"]
        assert {f.language: (f.answers, pytest.approx(f.p_correct), f.discrimination) for f in got.by_language} == {
            language: (n, pytest.approx(p), d) for language, (n, p, d) in want["languages"].items()
        }


def test_a_learner_is_ranked_by_their_total_on_the_question_s_own_quiz():
    # Learners 0-9 are strong on quiz-b but answer quiz-a's "x" like the weakest: ranked on quiz-a alone, the
    # question separates them perfectly; a ranking mixed with quiz-b's totals would not.
    answers = []
    for learner in range(10):
        good = learner >= 5
        answers.append(AnswerRecord(learner, "quiz-a", "x", good, float(good), 0, "en"))
        answers.append(AnswerRecord(learner, "quiz-b", "y", True, 10.0 - learner, 0, "en"))
    stats = {s.question_id: s for s in analyse_items(answers)}
    assert stats["x"].discrimination == pytest.approx(1.0)
    assert stats["y"].discrimination == 0
