"""`flask courses ...`: check course files, and move quizzes between Lumos Learn and Moodle (GIFT)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .content import CourseValidationError, check_courses, load_library, parse_gift, write_gift
from .content.course_yml import read_course_yml
from .content.problems import Problem, ProblemLog
from .content.quality import check_quality
from .content.translation_sources import Translation, course_translations, record

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


def _relative(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    return str(path)


def _translations(library) -> dict:
    """[(course, [Translation, ...]), ...] of every course in a loaded library."""
    return [(c, course_translations(Path(c.path), c.source_language, c.languages)) for c in library.courses]


def _stale_line(t: Translation) -> str:
    since = f"source changed since {t.recorded}" if t.recorded else "no source_hash recorded"
    return f"{_relative(t.path)}:{t.line}: translation of {_relative(t.source_path)} is out of date ({since})"


@courses.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Also fail (exit status 1) when a translation is out of date.")
def check(directory: Path | None, strict: bool) -> None:
    """Report every problem in the course files as path:line: message (exit status 1 if any), then the
    quiz-quality checks of valid courses, then the translations whose source changed since they were recorded
    (a warning: a course often runs ahead of its translations; --strict makes it fail)."""
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
    stale = [t for _course, found in _translations(library) for t in found if not t.missing and not t.up_to_date]
    if stale:
        click.echo(
            f"{len(stale)} translation(s) out of date in {root} (when translated again: "
            "flask courses record-translation SLUG; see courses/README.md, Translations):",
            err=True,
        )
        for translation in stale:
            click.echo(_stale_line(translation))
        if strict:
            sys.exit(1)
    modules = sum(len(c.modules) for c in library.courses)
    questions = sum(len(c.question_ids) for c in library.courses)
    verdict = f"no problems, {len(stale)} translation(s) out of date" if stale else "no problems"
    click.echo(f"{root}: {len(library.courses)} courses, {modules} modules, {questions} questions: {verdict}")


def _changed_on(path: Path) -> str:
    """The date a source file last changed: its last commit, or its file time when git is missing, the file is
    not committed or it was edited since."""
    git = shutil.which("git")
    if git:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            run = {"cwd": path.parent, "capture_output": True, "text": True, "timeout": 20}
            edited = subprocess.run([git, "status", "--porcelain", "--", path.name], **run)
            logged = subprocess.run([git, "log", "-1", "--format=%cs", "--", path.name], **run)
            if (
                edited.returncode == 0
                and not edited.stdout.strip()
                and logged.returncode == 0
                and logged.stdout.strip()
            ):
                return logged.stdout.strip()
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()


def _library_or_fail():
    try:
        return load_library(_courses_dir())
    except CourseValidationError as err:
        _fail(err.problems)


@courses.command("translate-status")
@click.argument("slug", required=False)
def translate_status(slug: str | None) -> None:
    """A table per course and language: each translated file up to date, out of date since <date>, or missing."""
    library = _library_or_fail()
    chosen = [c for c in library.courses if slug in (None, c.slug)]
    if not chosen:
        raise click.BadParameter(f"no course '{slug}' (have: {', '.join(c.slug for c in library.courses)})")
    for course, found in _translations(library):
        if course.slug not in {c.slug for c in chosen}:
            continue
        for lang in course.languages:
            rows = [t for t in found if t.lang == lang]
            if lang == course.source_language or not rows:
                continue
            click.echo(f"{course.slug} · {lang} (from {course.source_language})")
            width = max(len(f"{t.kind} {t.stem}") for t in rows)
            for t in rows:
                if t.missing:
                    state = "missing"
                elif t.up_to_date:
                    state = "up to date"
                elif t.recorded is None:
                    state = "out of date (no source_hash recorded)"
                else:
                    state = f"out of date since {_changed_on(t.source_path)}"
                click.echo(f"  {f'{t.kind} {t.stem}':<{width}}  {state}")
            counts = [sum(1 for t in rows if t.up_to_date), sum(1 for t in rows if t.missing)]
            click.echo(
                f"  {counts[0]} of {len(rows)} up to date, {len(rows) - counts[0] - counts[1]} out of date, "
                f"{counts[1]} missing"
            )
            click.echo("")


@courses.command("record-translation")
@click.argument("slug")
@click.option("--lang", "lang", default=None, help="Only this language (default: every translation).")
@click.option("--module", "module", default=None, help="Only this module (its slug, e.g. safe-positioning).")
def record_translation(slug: str, lang: str | None, module: str | None) -> None:
    """Mark translations as made from their source as it is now: writes source_hash: in their front matter.
    Run it when a translation has been brought up to date with its source (or checked to need no change)."""
    folder = _courses_dir() / slug
    yml = folder / "course.yml"
    if not yml.is_file():
        raise click.BadParameter(f"no course folder {folder} with a course.yml")
    problems: list[Problem] = []
    settings = read_course_yml(yml.read_text(encoding="utf-8-sig"), slug, ProblemLog(str(yml), problems))
    values = settings.values if settings else {}
    if problems or not values.get("source_language") or not values.get("languages"):
        _fail(problems or [Problem(str(yml), 1, "source_language: and languages: are needed")])
    source, languages = values["source_language"], values["languages"]
    if lang is not None and (lang not in languages or lang == source):
        raise click.BadParameter(f"'{lang}' is not a translation language of {slug} (source {source}, {languages})")
    chosen = [
        t
        for t in course_translations(folder, source, languages)
        if not t.missing and lang in (None, t.lang) and module in (None, t.stem, t.stem.split("-", 1)[-1])
    ]
    if not chosen:
        raise click.BadParameter(f"no translated file of {slug} matches --lang {lang} --module {module}")
    written = 0
    for translation in chosen:
        try:
            changed = record(translation)
        except ValueError as err:
            click.echo(str(err), err=True)
            sys.exit(1)
        written += changed
        if changed:
            click.echo(f"{_relative(translation.path)}: translated from {translation.current[:16]}")
    click.echo(f"{written} of {len(chosen)} translation(s) recorded; the others were already up to date", err=True)


@courses.command("export-gift")
@click.argument("slug")
@click.option("--lang", "lang", default=None, help="Language of the questions (default: the source language).")
@click.option("-o", "output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout.")
def export_gift(slug: str, lang: str | None, output: Path | None) -> None:
    """Write every quiz of a course as GIFT for Moodle, one $CATEGORY per module."""
    library = _library_or_fail()
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
