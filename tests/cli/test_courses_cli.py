"""`flask courses ...` on a minimal Flask app that only registers the command group."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from flask import Flask

sys.path.insert(0, str(Path(__file__).parent.parent / "content"))
from course_files import FINAL_EN, default_files, write_course

from lumos_learn.content import parse_gift
from lumos_learn.courses_cli import courses

DATA = Path(__file__).parent.parent / "content" / "data"


@pytest.fixture
def runner(tmp_path):
    root = tmp_path / "courses"
    files = default_files()
    # a one-question final asks the same paper every time: exempt, so that the course passes the quality checks
    files["02-final-check.en.md"] = FINAL_EN.replace(
        "::final-q::", "// exempt bank-size: a one-question check of the command itself\n::final-q::"
    )
    write_course(root, files)
    app = Flask(__name__)
    app.config["COURSES_DIR"] = str(root)
    app.cli.add_command(courses)
    return app.test_cli_runner(), root


def test_check_valid_courses(runner):
    cli, _ = runner
    result = cli.invoke(args=["courses", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("1 courses, 2 modules, 2 questions: no problems")


def test_check_reports_problems_and_exits_1(runner, tmp_path, monkeypatch):
    cli, root = runner
    write_course(root, {"02-final-check.en.md": FINAL_EN.replace("minutes: 10", "minutes: 10\nauthor: x")})
    monkeypatch.chdir(tmp_path)
    result = cli.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1].startswith("courses/demo/02-final-check.en.md:4: unknown front matter key 'author'")
    assert len(lines) == 2


def test_check_runs_the_quiz_quality_checks(runner, tmp_path, monkeypatch):
    cli, _root = runner
    planted = Path(__file__).parent.parent / "data" / "quality"
    monkeypatch.chdir(planted.parent.parent.parent)
    result = cli.invoke(args=["courses", "check", "tests/data/quality"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "20 quiz-quality problem(s) in tests/data/quality (see courses/README.md, Quiz quality):"
    assert "tests/data/quality/planted/02-final.en.md:5: bank-size: the graded quiz holds 9 questions" in result.output
    checks = {re.match(r"[^:]+:\d+: ([a-z-]+):", line).group(1) for line in lines[1:]}
    assert checks == {
        "longest-key",
        "truefalse-balance",
        "key-position",
        "repeats-module",
        "bank-size",
        "translation-key",
    }


def test_export_gift_writes_every_quiz_with_categories(runner, tmp_path):
    cli, _ = runner
    out = tmp_path / "demo.gift"
    result = cli.invoke(args=["courses", "export-gift", "demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "$CATEGORY: demo/01-first-steps" in text and "$CATEGORY: demo/02-final-check" in text
    assert [q.id for q in parse_gift(text, moodle_import=True)] == ["first-q", "final-q"]


def test_export_gift_unknown_course_or_language(runner):
    cli, _ = runner
    assert cli.invoke(args=["courses", "export-gift", "nope"]).exit_code == 2
    assert cli.invoke(args=["courses", "export-gift", "demo", "--lang", "uk"]).exit_code == 2


def test_import_gift_prints_course_ready_questions(runner):
    cli, _ = runner
    result = cli.invoke(args=["courses", "import-gift", str(DATA / "moodle_export_inclusion.gift")])
    assert result.exit_code == 0, result.output
    assert "$CATEGORY" not in result.stdout
    assert result.stdout.startswith("::inclusion-definition::[markdown]What does **inclusion** mean")
    assert len(parse_gift(result.stdout)) == 5


def test_import_gift_reports_unsupported_items(runner):
    cli, _ = runner
    result = cli.invoke(args=["courses", "import-gift", str(DATA / "moodle_unsupported.gift")])
    assert result.exit_code == 1
    assert "moodle_unsupported.gift:4: no answers in braces" in result.output
    assert "moodle_unsupported.gift:6: text after the closing '}'" in result.output


def test_export_gift_writes_groups_as_moodle_subcategories(runner, tmp_path):
    from test_banks import BANK_EN

    cli, root = runner
    write_course(root, {"02-final-check.en.md": BANK_EN})
    out = tmp_path / "bank.gift"
    result = cli.invoke(args=["courses", "export-gift", "demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "$CATEGORY: demo/01-first-steps\n" in text
    assert "$CATEGORY: demo/02-final-check/choking\n" in text and "$CATEGORY: demo/02-final-check/texture\n" in text
    # Moodle's import of the same file (and ours) still reads every question
    assert [q.id for q in parse_gift(text, moodle_import=True)][1:] == [
        "ch-1",
        "ch-2",
        "tex-1",
        "tex-2",
        "tex-3",
        "tex-reflect",
    ]


def test_check_reports_an_assignment_problem_at_its_line(runner, tmp_path, monkeypatch):
    from course_files import FIRST_EN

    cli, root = runner
    block = (
        "\n```assignment\nid: plan\ntitle: A plan\nwords: 10-5\ntask: Write it.\npass_level: meets\n"
        "criteria:\n  - id: safety\n    title: Safety\n    essential: true\n    levels:\n"
        "      - {id: not-yet, title: Not yet, points: 0, descriptor: Missing.}\n"
        "      - {id: meets, title: Meets, points: 2, descriptor: Safe.}\n```\n"
    )
    write_course(root, {"01-first-steps.en.md": FIRST_EN + block})
    monkeypatch.chdir(tmp_path)
    result = cli.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 1
    assert (
        "courses/demo/01-first-steps.en.md:19: assignment: words must be a range such as 80-400 "
        "(fewest-most, most above 0)" in result.output
    )
