"""`flask courses ...`: check course files, and move quizzes between Lumos Learn and Moodle (GIFT)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .content import CourseValidationError, check_courses, load_library, parse_gift, write_gift
from .content.problems import Problem
from .content.quality import check_quality

courses = AppGroup("courses", help="Check course files and exchange quizzes with Moodle.")


def _courses_dir() -> Path:
    return Path(current_app.config.get("COURSES_DIR") or "courses")


def _shown(problem: Problem) -> str:
    """`path:line: message` with the path relative to the current folder, so editors can jump to it."""
    path = problem.path
    with contextlib.suppress(ValueError):  # outside the current folder: keep it as given
        path = str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    return str(Problem(path, problem.line, problem.message))


def _fail(problems) -> None:
    for problem in problems:
        click.echo(_shown(problem))
    sys.exit(1)


@courses.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def check(directory: Path | None) -> None:
    """Report every problem in the course files as path:line: message (exit status 1 if any), then the
    quiz-quality checks of valid courses."""
    root = directory or _courses_dir()
    problems = check_courses(root)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {root}:", err=True)
        _fail(problems)
    library = load_library(root)
    quality = check_quality(library)
    if quality:
        click.echo(f"{len(quality)} quiz-quality problem(s) in {root} (see courses/README.md, Quiz quality):", err=True)
        _fail(quality)
    modules = sum(len(c.modules) for c in library.courses)
    questions = sum(len(c.question_ids) for c in library.courses)
    click.echo(f"{root}: {len(library.courses)} courses, {modules} modules, {questions} questions: no problems")


@courses.command("export-gift")
@click.argument("slug")
@click.option("--lang", "lang", default=None, help="Language of the questions (default: the source language).")
@click.option("-o", "output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout.")
def export_gift(slug: str, lang: str | None, output: Path | None) -> None:
    """Write every quiz of a course as GIFT for Moodle, one $CATEGORY per module."""
    try:
        library = load_library(_courses_dir())
    except CourseValidationError as err:
        _fail(err.problems)
    course = library.get(slug)
    if course is None:
        raise click.BadParameter(f"no course '{slug}' (have: {', '.join(c.slug for c in library.courses)})")
    lang = lang or course.source_language
    if lang not in course.languages:
        raise click.BadParameter(f"'{lang}' is not a language of {slug} ({', '.join(course.languages)})")
    parts = []
    for module in course.modules:
        text = module.text(lang)
        if text.quiz:  # each group becomes a sub-category of the module's category
            parts.append(write_gift(text.quiz.questions, category=f"{slug}/{module.number:02d}-{module.slug}"))
    gift = "\n".join(parts)
    if output:
        output.write_text(gift, encoding="utf-8")
    else:
        click.echo(gift, nl=False)


@courses.command("import-gift")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout.")
def import_gift(file: Path, output: Path | None) -> None:
    """Read a Moodle GIFT export and print it ready for a ```quiz block: ids made from the question titles,
    $CATEGORY lines dropped. Unsupported items are reported, never dropped silently."""
    problems: list[Problem] = []
    questions = parse_gift(file.read_text(encoding="utf-8-sig"), str(file), problems=problems, moodle_import=True)
    if problems:
        _fail(problems)
    gift = write_gift(questions)
    if output:
        output.write_text(gift, encoding="utf-8")
    else:
        click.echo(gift, nl=False)
    click.echo(f"{len(questions)} questions imported from {file}", err=True)
