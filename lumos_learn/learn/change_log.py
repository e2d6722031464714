"""A course's learner-facing change log (CHANGES.md beside its modules), in the reader's language.

The file holds one section per language, each starting with a line `<!-- lang: xx -->` (the comment is
invisible wherever the Markdown is shown); text before the first such line belongs to the source language.
It goes through the course engine's Markdown renderer, so it is sanitised exactly like module text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..content import Course
from ..content.markdown import render_body
from ..content.problems import ProblemLog

FILE_NAME = "CHANGES.md"
_LANGUAGE_LINE = re.compile(r"^<!--\s*lang:\s*([a-z]{2,3})\s*-->[ \t]*$", re.MULTILINE)


def change_log(course: Course, lang: str) -> tuple[str, str] | None:
    """(sanitised HTML, language used) of the course's change log, in `lang` when it has a section for it,
    else in the source language; None when the course has no change log."""
    path = Path(course.path) / FILE_NAME
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        return None
    sections = _rendered_sections(str(path), modified, course.source_language)
    for code in (lang, course.source_language):
        if sections.get(code):
            return sections[code], code
    return None


@lru_cache(maxsize=64)
def _rendered_sections(path: str, _modified: int, source_language: str) -> dict[str, str]:
    # Keyed on the modification time, so an edited file is read again; otherwise it is rendered once.
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    parts = _LANGUAGE_LINE.split(text)
    chunks = {source_language: parts[0]} if parts[0].strip() else {}
    chunks.update(zip(parts[1::2], parts[2::2], strict=True))
    # A change log is not validated by `flask courses check`: what the renderer would report is dropped,
    # and what it rejects (scripts, foreign images, links to modules) is left out of the page.
    return {code: render_body(body, None, ProblemLog(path), 1)[0] for code, body in chunks.items() if body.strip()}
