"""The quiz form's questions, each rendered once per process and kept in a bounded LRU cache, rather than rendered
again on every signed-in lesson page (the quiz form was about a sixth of a lesson page's time: bench/profile_pages.py).

A question's fieldset depends only on: the course (slug and version), the module, the text it comes from (its
language and content hash), the question, the order its answers are shown in, the answer saved so far, its
position in the form and the interface language. All of that is the cache key, so an entry is the same bytes for
every learner who gets that draw and has saved that choice; nothing about who is asking goes into the fragment
(the CSRF token and the attempt's token stay in `_quiz.html`, rendered per request).

A learner's own words (a saved short answer, number or reflection) are never kept: the fragment would hold
personal text, and typing could fill the cache. The cache holds at most MAX_FRAGMENTS entries (least recently
used first out), a few KB each.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import NamedTuple

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

MAX_FRAGMENTS = 4096  # 1-3 KB each: under 12 MB per process; the shipped courses' questions in 6 languages fit
FREE_TEXT = frozenset({"shortanswer", "numerical", "essay"})


class FragmentKey(NamedTuple):
    course: str
    course_version: str
    module: str
    text_language: str
    content_hash: str
    question: str
    question_object: int  # id() of the course library's Question: checked on every hit (see quiz_question)
    order: tuple[int, ...]
    saved_answer: str  # JSON of a choice (an index, indices, a mapping, true/false) or "null"
    number: int
    total: int
    interface_language: str


class _Keyed:
    """The question to render, compared and hashed by its key alone (the question object itself is not hashable)."""

    __slots__ = ("key", "question", "saved_answer")

    def __init__(self, key: FragmentKey, question, saved_answer) -> None:
        self.key, self.question, self.saved_answer = key, question, saved_answer

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Keyed) and other.key == self.key


def quiz_question(course, module, text, question, order, saved_answer, number: int, total: int) -> Markup:
    if question.type in FREE_TEXT and saved_answer not in (None, ""):
        return _render(question, order, saved_answer, number, total)
    key = FragmentKey(
        course.slug,
        course.version,
        module.slug,
        text.lang,
        text.content_hash,
        question.id,
        id(question),
        tuple(order),
        json.dumps(saved_answer, sort_keys=True),
        number,
        total,
        str(get_locale()),
    )
    kept_for, html = _cached(_Keyed(key, question, saved_answer))
    if kept_for is not question:  # the same key made for another object (a reloaded library): never serve it
        return _render(question, order, saved_answer, number, total)
    return html


@lru_cache(maxsize=MAX_FRAGMENTS)
def _cached(item: _Keyed) -> tuple[object, Markup]:
    key = item.key
    return item.question, _render(item.question, key.order, item.saved_answer, key.number, key.total)


def _render(question, order, saved_answer, number: int, total: int) -> Markup:
    # The template autoescapes: its output is HTML, as the macro would have inlined it.
    return Markup(  # noqa: S704
        render_template(
            "learn/_quiz_question.html", q=question, order=order, saved_answer=saved_answer, number=number, total=total
        )
    )


def cache_info():
    """Hits, misses, size and bound of the cache (for tests and the profiling aid)."""
    return _cached.cache_info()


def clear() -> None:
    _cached.cache_clear()
