"""The course library of this process: loaded and validated once at start-up, then read-only.

The site refuses to start on invalid courses rather than serve half of one. Files edited or broken on
disk after start-up change nothing until the next start (`flask courses check` before restarting).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app

from .content import CourseValidationError, Library, load_library

_loaded: dict[tuple[str, float], Library] = {}


def _signature(root: Path) -> tuple[str, float]:
    newest = max((p.stat().st_mtime for p in root.rglob("*") if p.is_file()), default=0.0)
    return str(root.resolve()), newest


def load_cached(root: Path) -> Library:
    """Load a library once per process (tests build many apps over the same files)."""
    key = _signature(root)
    if key not in _loaded:
        _loaded[key] = load_library(root)
    return _loaded[key]


def _running_courses_command() -> bool:
    # `flask courses check` must be able to report broken courses, which the app factory would
    # otherwise refuse to load before the command even runs.
    return click.get_current_context(silent=True) is not None and "courses" in sys.argv[1:3]


def init_app(app: Flask) -> None:
    try:
        app.extensions["course_library"] = load_cached(Path(app.config["COURSES_DIR"]))
    except CourseValidationError:
        if not _running_courses_command():
            raise
        app.extensions["course_library"] = None


def library() -> Library:
    loaded = current_app.extensions["course_library"]
    if loaded is None:
        raise RuntimeError("the course library did not load; run `flask courses check`")
    return loaded


def courses_for_reader(lang: str) -> list:
    """All courses, those written in `lang` first: a reader sees first what they can read."""
    return sorted(library().courses, key=lambda course: (lang not in course.languages, course.text("title", lang)[0]))
