"""The quiz form, and each of its questions, kept as fragments (lumos_learn/fragments.py) rather than rendered again on
every signed-in lesson page (the quiz form was about a sixth of a lesson page's time: bench/profile_pages.py).

The form is kept per draw and saved choices, with the attempt's token filled in per request. A question's
fieldset depends only on: the course (slug and version), the module, the text it comes from (its
language and content hash), the question, the order its answers are shown in, the answer saved so far and its
position in the form (and the interface language, which every fragment's key holds). All of that is the key, so
an entry is the same bytes for every learner who gets that draw and has saved that choice; nothing about who is
asking goes into a fragment (the CSRF token and the attempt's token are filled in per request).

A learner's own words (a saved short answer, number or reflection) are never kept: the fragment would hold
personal text, and typing could fill the cache.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from ..fragments import fragment

FREE_TEXT = frozenset({"shortanswer", "numerical", "essay"})


def quiz_form(course, module, text, attempt_token: str, saved: dict, paper) -> Markup:
    questions = paper.quiz.questions
    if any(q.type in FREE_TEXT and saved.get(q.id) not in (None, "") for q in questions):
        key = None
    else:
        draw = tuple((q.id, paper.order_of(q), json.dumps(saved.get(q.id), sort_keys=True)) for q in questions)
        key = (course.slug, course.version, module.slug, text.lang, text.content_hash, draw)
    values = {"course": course, "module": module, "text": text, "saved": saved, "paper": paper}
    return fragment("quiz_form.html", key, personal={"attempt_token": attempt_token}, **values)


def quiz_question(course, module, text, question, order, saved_answer, number: int, total: int) -> Markup:
    key = (
        course.slug,
        course.version,
        module.slug,
        text.lang,
        text.content_hash,
        question.id,
        tuple(order),
        json.dumps(saved_answer, sort_keys=True),
        number,
        total,
    )
    if question.type in FREE_TEXT and saved_answer not in (None, ""):
        key = None
    values = {"q": question, "order": order, "saved_answer": saved_answer, "number": number, "total": total}
    return fragment("quiz_question.html", key, **values)
