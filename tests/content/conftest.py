"""Fixtures: a temporary courses folder, and in it a valid demo course that tests change file by file."""

from __future__ import annotations

from pathlib import Path

import pytest
from course_files import default_files, write_course


@pytest.fixture
def courses_dir(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    root.mkdir()
    return root


@pytest.fixture
def demo(courses_dir: Path) -> Path:
    """A valid two-module course; tests add or replace files in it."""
    write_course(courses_dir, default_files())
    return courses_dir
