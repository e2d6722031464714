"""Quiz form data -> responses for `grade_attempt`, and the per-attempt order in which answers are shown.

Field names: `q-<id>` for every question except matching, whose left item i is `q-<id>-<i>`.
Values are indices into `question.answers` (multichoice, multianswer), into `question.match_choices`
(matching), "true"/"false", or text. Anything a genuine form cannot send raises InvalidResponses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from .model import Question, Quiz

MAX_TEXT = 5000


class InvalidResponses(ValueError):
    """The submitted form does not belong to this quiz (tampered or stale): answer 400, do not grade."""


def _values(form, name: str) -> list[str]:
    if hasattr(form, "getlist"):
        return list(form.getlist(name))
    value = form[name]
    return [value] if isinstance(value, str) else list(value)


def _index(value: str, size: int, name: str) -> int:
    if not value.isdigit() or int(value) >= size:
        raise InvalidResponses(f"{name}: '{value[:20]}' is not a valid choice")
    return int(value)


def _single(values: list[str], name: str) -> str:
    if len(values) != 1:
        raise InvalidResponses(f"{name}: expected one value, got {len(values)}")
    return values[0]


def parse_responses(quiz: Quiz, form: Mapping) -> dict:
    """{question id: response}. multichoice -> int; multianswer -> frozenset[int]; truefalse -> bool;
    shortanswer/numerical/essay -> str (stripped); matching -> {left answer index: match_choices index}.
    Unanswered questions (and empty values) are absent."""
    by_id = {q.id: q for q in quiz.questions}
    responses: dict = {}
    for name in form:
        if not name.startswith("q-"):
            continue
        values = [v for v in _values(form, name) if v != ""]
        question = by_id.get(name[2:])
        if question is not None and question.type != "matching":
            if values:
                responses[question.id] = _parse_value(question, values, name)
            continue
        qid, _, item = name[2:].rpartition("-")
        question = by_id.get(qid)
        if question is None or question.type != "matching":
            raise InvalidResponses(f"{name}: no such question in this quiz")
        left = _index(item, len(question.answers), name)
        if not question.answers[left].text:
            raise InvalidResponses(f"{name}: not an item to match")
        if values:
            match = responses.setdefault(qid, {})
            match[left] = _index(_single(values, name), len(question.match_choices), name)
    return responses


def _parse_value(question: Question, values: list[str], name: str):
    kind = question.type
    if kind == "multianswer":
        chosen = frozenset(_index(v, len(question.answers), name) for v in values)
        if len(chosen) != len(values):
            raise InvalidResponses(f"{name}: the same choice twice")
        return chosen
    value = _single(values, name)
    if kind == "multichoice":
        return _index(value, len(question.answers), name)
    if kind == "truefalse":
        if value not in ("true", "false"):
            raise InvalidResponses(f"{name}: expected true or false")
        return value == "true"
    if len(value) > MAX_TEXT:
        raise InvalidResponses(f"{name}: longer than {MAX_TEXT} characters")
    return value.strip()


def shuffled_answer_order(question: Question, seed: str) -> tuple[int, ...]:
    """A permutation of answer indices (multichoice, multianswer) or of match_choices (matching), the same
    for the same seed on every machine and Python version; the identity for other types."""
    if question.type == "matching":
        size = len(question.match_choices)
    elif question.type in ("multichoice", "multianswer"):
        size = len(question.answers)
    else:
        return tuple(range(len(question.answers)))
    order = list(range(size))
    # Fisher-Yates driven by SHA-256 rather than `random`, whose algorithms may change between versions
    for i in range(size - 1, 0, -1):
        digest = hashlib.sha256(f"{seed}\x00{question.id}\x00{i}".encode()).digest()
        j = int.from_bytes(digest[:8], "big") % (i + 1)
        order[i], order[j] = order[j], order[i]
    return tuple(order)
