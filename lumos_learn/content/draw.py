"""Which questions an attempt asks, and in which order its answers are shown: plain functions of the quiz.

A quiz without `draw` or `groups` asks every question in the file's order, as it always did. With a draw,
each group (or the whole quiz) gives its `draw` questions, the ones this learner has not been asked yet first;
reflections are asked in every attempt, after the drawn questions. The ranking comes from SHA-256 of a seed,
not from `random`, so the same seed gives the same draw on every machine and Python version (the draw is
stored with the attempt anyway; the seed makes it reproducible in tests and in the benchmark).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from .model import ModuleText, Question
from .responses import shuffled_answer_order


def _rank(seed: str, question_id: str) -> bytes:
    return hashlib.sha256(f"{seed}\x00draw\x00{question_id}".encode()).digest()


def _pick(questions: list[Question], count: int, seed: str, seen: frozenset[str]) -> set[str]:
    ranked = sorted(questions, key=lambda q: (q.id in seen, _rank(seed, q.id)))
    return {q.id for q in ranked[:count]}


def draw_questions(text: ModuleText, seed: str, seen: Iterable[str] = ()) -> tuple[str, ...]:
    """The ids asked in one attempt, in the order they are shown. `seen`: ids asked in earlier attempts."""
    quiz = text.quiz
    if quiz is None:
        return ()
    seen = frozenset(seen)
    graded = [q for q in quiz.questions if q.graded]
    if text.groups:
        chosen: set[str] = set()
        for group in text.groups:
            chosen |= _pick([q for q in graded if q.group == group.id], group.draw, f"{seed}\x00{group.id}", seen)
    elif text.draw is not None:
        chosen = _pick(graded, text.draw, seed, seen)
    else:
        return tuple(q.id for q in quiz.questions)
    drawn = [q.id for q in quiz.questions if q.id in chosen]  # the file's order: groups keep their sequence
    return tuple(drawn + [q.id for q in quiz.questions if not q.graded])


def answer_order(question: Question, token: str) -> tuple[int, ...] | None:
    """The order an attempt shows a question's answers in (None where answers are not shuffled)."""
    if question.type not in ("multichoice", "multianswer", "matching"):
        return None
    return shuffled_answer_order(question, f"{token}:{question.id}")
