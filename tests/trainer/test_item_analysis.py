"""Item statistics as plain Python: difficulty, upper-lower discrimination, wrong answers, languages."""

from __future__ import annotations

import pytest

from lumos_learn.trainer.item_analysis import (
    FLAG_LANGUAGE_GAP,
    FLAG_NEGATIVE,
    FLAG_TOO_HARD,
    AnswerRecord,
    analyse_items,
    discrimination_index,
    first_attempts,
)


def records(question, outcomes, *, quiz="q", language="en", response_wrong=1, start=0):
    return [
        AnswerRecord(start + i, quiz, question, ok, 1.0 if ok else 0.0, 0 if ok else response_wrong, language)
        for i, ok in enumerate(outcomes)
    ]


def by_id(stats):
    return {s.question_id: s for s in stats}


def test_share_correct_and_most_chosen_wrong_answer():
    answers = records("a", [True, True, False, False])
    answers[3] = AnswerRecord(3, "q", "a", False, 0.0, 2, "en")
    answers.append(AnswerRecord(4, "q", "a", False, 0.0, 2, "en"))
    stats = by_id(analyse_items(answers))["a"]
    assert stats.answers == 5
    assert stats.p_correct == pytest.approx(0.4)
    assert stats.most_common_wrong == 2 and stats.most_common_wrong_count == 2


def test_discrimination_is_upper_minus_lower_27_percent_by_total_score():
    # 10 learners; the total is their score on two questions. Upper 27% (3 learners: 7, 8, 9) all right
    # on "good", lower 3 (0, 1, 2) all wrong: D = 1.
    good = [AnswerRecord(i, "q", "good", i >= 5, 1.0 if i >= 5 else 0.0, 0, "en") for i in range(10)]
    other = [AnswerRecord(i, "q", "other", i >= 3, 1.0 if i >= 3 else 0.0, 0, "en") for i in range(10)]
    stats = by_id(analyse_items(good + other))
    assert stats["good"].discrimination == pytest.approx(1.0)
    assert FLAG_NEGATIVE not in stats["good"].flags


def test_question_strong_learners_get_wrong_is_flagged_negative():
    strong = [AnswerRecord(i, "q", "s", i >= 6, 1.0 if i >= 6 else 0.0, 0, "en") for i in range(12)]
    odd = [AnswerRecord(i, "q", "odd", i < 6, 0.5 if i < 6 else 0.0, 0, "en") for i in range(12)]
    stats = by_id(analyse_items(strong + odd))
    assert stats["odd"].discrimination < 0
    assert FLAG_NEGATIVE in stats["odd"].flags


def test_discrimination_needs_ten_learners():
    assert discrimination_index(dict.fromkeys(range(9), True), {i: float(i) for i in range(9)}) is None
    assert discrimination_index({i: i > 4 for i in range(10)}, {i: float(i) for i in range(10)}) == pytest.approx(1.0)


def test_almost_nobody_right_is_flagged_too_hard():
    stats = by_id(analyse_items(records("hard", [False] * 9 + [True])))
    assert FLAG_TOO_HARD in stats["hard"].flags
    assert FLAG_TOO_HARD not in by_id(analyse_items(records("ok", [True] * 5)))["ok"].flags


def test_same_question_much_harder_in_one_language_is_flagged():
    english = records("t", [True] * 27 + [False] * 3, language="en")
    romanian = records("t", [False] * 10 + [True] * 20, language="ro", start=100)  # 90% against 67%
    stats = by_id(analyse_items(english + romanian))["t"]
    figures = {f.language: f for f in stats.by_language}
    assert figures["en"].p_correct == pytest.approx(0.9) and figures["ro"].p_correct == pytest.approx(2 / 3)
    assert stats.hardest_language.language == "ro"
    assert FLAG_LANGUAGE_GAP in stats.flags


def test_a_gap_of_20_points_or_less_is_not_flagged():
    english = records("t", [True] * 27 + [False] * 3, language="en")
    romanian = records("t", [False] * 9 + [True] * 21, language="ro", start=100)  # 90% against 70%
    assert FLAG_LANGUAGE_GAP not in by_id(analyse_items(english + romanian))["t"].flags


def test_language_gap_needs_30_answers_in_each_language():
    english = records("t", [True] * 30, language="en")
    romanian = records("t", [False] * 29, language="ro", start=100)
    assert FLAG_LANGUAGE_GAP not in by_id(analyse_items(english + romanian))["t"].flags
    romanian += records("t", [False], language="ro", start=200)
    assert FLAG_LANGUAGE_GAP in by_id(analyse_items(english + romanian))["t"].flags


def test_discrimination_per_language():
    """In English the strong learners get item t right; in Romanian the weak ones do: a key broken in translation."""
    en, ro = [], []
    for n in range(30):
        strong = n >= 15
        en += [AnswerRecord(n, "q", item, strong, float(strong), 0, "en") for item in ("t", "u", "v")]
        ro.append(AnswerRecord(100 + n, "q", "t", not strong, float(not strong), 0, "ro"))
        ro += [AnswerRecord(100 + n, "q", item, strong, float(strong), 0, "ro") for item in ("u", "v")]
    figures = {f.language: f for f in by_id(analyse_items(en + ro))["t"].by_language}
    assert figures["en"].discrimination == pytest.approx(1.0)
    assert figures["ro"].discrimination == pytest.approx(-1.0)
    assert figures["en"].p_correct == figures["ro"].p_correct == 0.5


def test_first_attempt_per_learner_and_quiz():
    rows = [(1, "q", 10, 3), (1, "q", 11, 1), (1, "other", 12, 5), (2, "q", 13, 2)]
    assert first_attempts(rows) == {11, 12, 13}
