"""`flask courses ...` on a minimal Flask app that only registers the command group."""

from __future__ import annotations

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
    write_course(root, default_files())
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
