"""Quiz-quality checks, each shown failing on the planted course in tests/data/quality, and lifted by an exemption."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lumos_learn.content import load_library
from lumos_learn.content.quality import check_quality

PLANTED = Path(__file__).resolve().parents[1] / "data" / "quality"
REASON = "the planted fault is kept on purpose for this test"

EXPECTED = {
    "longest-key": {
        ("02-final.en.md", 11),
        ("02-final.en.md", 13),
        ("02-final.en.md", 15),
        ("02-final.fr.md", 9),
        ("02-final.fr.md", 11),
        ("02-final.fr.md", 13),
    },
    "truefalse-balance": {("02-final.en.md", n) for n in (19, 21, 23, 25)},
    "key-position": {("01-lesson.en.md", 11)} | {("02-final.en.md", n) for n in (11, 13, 15, 17, 27)},
    "repeats-module": {("02-final.en.md", 27), ("02-final.fr.md", 25)},
    "bank-size": {("02-final.en.md", 5)},
    "translation-key": {("02-final.fr.md", 15)},
}


def found(root: Path) -> dict[str, set[tuple[str, int]]]:
    result: dict[str, set[tuple[str, int]]] = {}
    for problem in check_quality(load_library(root)):
        check = problem.message.split(":", 1)[0]
        result.setdefault(check, set()).add((Path(problem.path).name, problem.line))
    return result


def exempt(root: Path, check: str, question_ids) -> None:
    """Write an exemption before each question, in the English (source) file that holds it."""
    for path in (root / "planted").glob("*.en.md"):
        text = path.read_text(encoding="utf-8")
        for qid in question_ids:
            text = text.replace(f"::{qid}::", f"// exempt {check}: {REASON}\n::{qid}::")
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def planted(tmp_path) -> Path:
    shutil.copytree(PLANTED, tmp_path / "quality")
    return tmp_path / "quality"


def test_every_check_fails_on_the_planted_course_at_its_questions():
    assert found(PLANTED) == EXPECTED


def test_problems_name_the_check_the_numbers_and_the_way_out():
    messages = [str(p) for p in check_quality(load_library(PLANTED))]
    assert any(
        m.endswith(
            "02-final.en.md:11: longest-key: question 'fn-long-1': the right option is the longest, as in 3 of 6 "
            "single-answer questions of this course in en (at most a third may be): rewrite it, or write "
            "'// exempt longest-key: <reason>' on the line before the question"
        )
        for m in messages
    )
    assert any("truefalse-balance: question 'fn-tf-1' is keyed true, as 4 of the course's 4" in m for m in messages)
    assert any("(keep 35-65% true: 1 to 3 of 4)" in m for m in messages)
    assert any("bank-size: the graded quiz holds 9 questions for a draw of 5" in m for m in messages)
    assert any("translation-key: question 'fn-seconds': the right option (answer 1) names 30" in m for m in messages)
    assert any(
        re.search(r"repeats-module: question 'fn-call' repeats the module question at .*01-lesson\.en\.md:11", m)
        for m in messages
    )


@pytest.mark.parametrize(
    ("check", "questions"),
    [
        ("longest-key", ["fn-long-1", "fn-long-2", "fn-long-3"]),
        ("truefalse-balance", ["fn-tf-1"]),  # 3 of 3 left... still out of range
        ("truefalse-balance", ["fn-tf-1", "fn-tf-2"]),  # 2 of 2: within 35-65 % (0 to 2 of 2)
        ("key-position", ["ls-call", "fn-long-1", "fn-long-2", "fn-long-3"]),
        ("repeats-module", ["fn-call"]),
        ("bank-size", ["fn-tf-4"]),
        ("translation-key", ["fn-seconds"]),
    ],
)
def test_an_exemption_leaves_the_question_out_of_its_check_only(planted, check, questions):
    exempt(planted, check, questions)
    after = found(planted)
    if check == "truefalse-balance" and len(questions) == 1:
        assert len(after[check]) == 3  # one exemption is not enough to balance 4 of 4 "true"
        return
    assert check not in after, after.get(check)
    # every other check still fails where it did (lines below an inserted exemption move down)
    assert {c: len(v) for c, v in after.items()} == {c: len(v) for c, v in EXPECTED.items() if c != check}


def test_longest_key_is_counted_per_language(planted):
    """The English options are made alike in length; the French keys are still the longest."""
    path = planted / "planted" / "02-final.en.md"
    text = path.read_text(encoding="utf-8")
    for wrong in ("~Give water", "~Nothing", "~The cook"):
        text = text.replace(wrong, wrong + " and everything else that comes to mind first of all")
    path.write_text(text, encoding="utf-8")
    after = found(planted)
    assert {name for name, _line in after["longest-key"]} == {"02-final.fr.md"}


def test_exemption_lines_must_be_well_formed(planted):
    from lumos_learn.content import check_courses

    path = planted / "planted" / "02-final.en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("::fn-long-1::", "// exempt longest-key: because\n::fn-long-1::"), encoding="utf-8")
    assert [(Path(p.path).name, p.line, p.message) for p in check_courses(planted)] == [
        ("02-final.en.md", 11, "exempt longest-key: say why in at least 20 characters")
    ]
