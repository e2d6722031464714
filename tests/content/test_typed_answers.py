"""Numbers and short answers as learners in six languages actually type them."""

import pytest

from lumos_learn.content.grading import normalise_short_answer, parse_number


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("3,5", 3.5),
        ("3.5", 3.5),
        ("10,000", 10000),
        ("10.000", 10000),
        ("10 000", 10000),
        ("10\u00a0000", 10000),
        ("10'000", 10000),
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("12,345,678", 12345678),
        ("-2,5", -2.5),
        (" 112 ", 112),
    ],
)
def test_numbers_in_every_notation(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize("typed", ["", "abc", "1,2,3", "nan", "inf", "1..2"])
def test_non_numbers_are_not_numbers(typed):
    assert parse_number(typed) is None


@pytest.mark.parametrize("typed", ["OSPOD", "ospod.", " „OSPOD” ", "(ospod)", "OSPOD!", "Ospod;"])
def test_short_answers_ignore_case_quotes_and_end_punctuation(typed):
    assert normalise_short_answer(typed) == "ospod"


def test_short_answers_keep_inner_punctuation():
    assert normalise_short_answer("C.R.A.P.") == "c.r.a.p"
    assert normalise_short_answer("plan  educațional") == "plan educațional"
