"""The course library of this process: loaded and validated once at start-up, then read-only.

The site refuses to start on invalid courses rather than serve half of one. Files edited or broken on
disk after start-up change nothing until the next start (`flask courses check` before restarting).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from .content import Library, load_library

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


def init_app(app: Flask) -> None:
    app.extensions["course_library"] = load_cached(Path(app.config["COURSES_DIR"]))


def library() -> Library:
    return current_app.extensions["course_library"]
