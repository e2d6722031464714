"""What a lesson page shows, loaded in a fixed number of queries, and the validators that let a revisit be a 304.

The ETag is a fingerprint of everything the page is made from, computed before rendering:
- for everyone: the release (templates, translations, code, static names), the course's content (version,
  every module file's hash and whether each translation is out of date with its source: the notice on the
  page), the interface language and the language the module is read in (`?read=` included);
- for a signed-in learner also: who is signed in with which session (the CSRF secret the page's forms carry),
  the role (it changes the navigation), the enrolment, which modules are read, every submitted attempt of the
  course (progress), the attempt in progress with its saved answers (the quiz token and the ticks in the form).

So a 304 is only ever sent when the page would be the same. The ETag is weak because two renders of the same
page differ byte-wise (the CSRF token carries a timestamp) while meaning the same; weak ETags also pass
Flask-Compress unchanged, whatever the encoding. Signed-in pages get `private, no-cache` (the browser keeps the
page but asks every time) and no Last-Modified: a date cannot see a changed reading language or a new session,
so only the ETag may answer "unchanged". Anonymous pages are the same for everyone: `public` with a short max-age.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from flask import Response, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import Boolean, DateTime, Float, Integer, String, bindparam, literal, null, select, union_all

from ..config import BASE_DIR
from ..content import Course, Module, PastAttempt, attempt_decision
from ..content.attempt_rules import EXHAUSTED, WAIT
from ..extensions import db
from ..fragments import fragment
from ..models import AttemptGrant, AttemptQuestion, Enrolment, ModuleProgress, QuizAnswer, QuizAttempt, utcnow
from ..page_cache import allow_page_cache
from .progress import CourseProgress, SubmittedAttempt, summarise
from .quizzes import AttemptBlocked, AttemptPaper, attempt_paper, open_attempt, restart_if_allowed

ANONYMOUS_MAX_AGE = 300  # seconds a browser or proxy may reuse a public lesson page without asking


class _Attempt(NamedTuple):
    """An attempt as the lesson page shows it (the row is enough: nothing here is changed)."""

    id: int
    token: str
    module_slug: str
    percent: float | None
    passed: bool | None
    submitted_at: datetime | None
    started_at: datetime


@dataclass
class LearnerLesson:
    """A signed-in learner's side of a lesson page."""

    progress: CourseProgress
    past_attempts: list[_Attempt]  # submitted attempts at this module's quiz, oldest first
    attempt: QuizAttempt | _Attempt | None  # the attempt in progress (its token is in the form)
    saved: dict[str, object]
    attempts_left: int | None  # None for unlimited
    exhausted: bool
    state: list = field(default_factory=list)  # what the ETag is computed from
    paper: AttemptPaper | None = None  # the questions the attempt in progress asks, and their answers' order
    not_before: datetime | None = None  # when the waiting rule lets the next attempt start


# Built once, asked on every signed-in lesson page (see SESSION_BY_TOKEN in auth/sessions.py for why).
# What the learner did in the course, in one statement: every quiz attempt (submitted or in progress), the
# modules read and the attempts trainers granted; a row per fact, its kind first, NULL where a kind has no value.
_NULLS = (null().cast(Integer), null().cast(String), null().cast(Float), null().cast(Boolean))
_STATE = union_all(
    select(
        literal("attempt").label("kind"),
        QuizAttempt.module_slug.label("slug"),
        QuizAttempt.id,
        QuizAttempt.token,
        QuizAttempt.percent,
        QuizAttempt.passed,
        QuizAttempt.submitted_at,
        QuizAttempt.started_at,
    ).where(QuizAttempt.enrolment_id == bindparam("enrolment_id")),
    select(literal("read"), ModuleProgress.module_slug, *_NULLS, *[null().cast(DateTime)] * 2).where(
        ModuleProgress.enrolment_id == bindparam("enrolment_id")
    ),
    select(literal("grant"), AttemptGrant.module_slug, *_NULLS, *[null().cast(DateTime)] * 2).where(
        AttemptGrant.enrolment_id == bindparam("enrolment_id")
    ),
)


# The attempt's drawn questions with the answers saved so far, in one statement.
_DRAWN = (
    select(AttemptQuestion.question_id, AttemptQuestion.answer_order, QuizAnswer.response)
    .outerjoin(
        QuizAnswer,
        (QuizAnswer.attempt_id == AttemptQuestion.attempt_id) & (QuizAnswer.question_id == AttemptQuestion.question_id),
    )
    .where(AttemptQuestion.attempt_id == bindparam("attempt_id"))
    .order_by(AttemptQuestion.position)
)
_SAVED = select(QuizAnswer.question_id, QuizAnswer.response).where(QuizAnswer.attempt_id == bindparam("attempt_id"))


def learner_lesson(course: Course, module: Module, enrolment: Enrolment, has_quiz: bool) -> LearnerLesson:
    """Progress, attempts, the draw and saved answers: two queries (more when a quiz attempt is opened)."""
    read, attempts, granted = [], [], 0
    for kind, slug, *values in db.session.execute(_STATE, {"enrolment_id": enrolment.id}):
        if kind == "attempt":
            attempts.append(_Attempt(values[0], values[1], slug, *values[2:]))
        elif kind == "read":
            read.append(slug)
        elif slug == module.slug:
            granted += 1
    submitted = sorted((a for a in attempts if a.submitted_at is not None), key=lambda a: (a.submitted_at, a.id))
    progress = summarise(
        course,
        set(read),
        [SubmittedAttempt(a.module_slug, a.percent or 0.0, bool(a.passed), a.submitted_at) for a in submitted],
    )
    past = [a for a in submitted if a.module_slug == module.slug]
    history = [PastAttempt(a.submitted_at, bool(a.passed)) for a in past]
    decision = attempt_decision(course, module, history, granted, utcnow())
    attempt = next((a for a in attempts if a.module_slug == module.slug and a.submitted_at is None), None)
    if (
        attempt is not None
        and not attempt_decision(course, module, history, granted, attempt.started_at).allowed
        and not restart_if_allowed(course, module, enrolment, db.session.get(QuizAttempt, attempt.id))
    ):
        attempt = None  # opened before a rule applied, and the rules still say wait: not shown until they allow
    blocked = None
    if has_quiz and attempt is None:
        if decision.allowed:
            try:
                attempt = open_attempt(course, module, enrolment)
            except AttemptBlocked as error:  # the rules changed in between (another tab submitted)
                blocked = error.decision
        else:
            blocked = decision
    exhausted = blocked is not None and blocked.reason == EXHAUSTED
    not_before = blocked.not_before if blocked is not None and blocked.reason == WAIT else None
    saved, paper = {}, None
    if attempt is not None:
        rows = db.session.execute(_DRAWN, {"attempt_id": attempt.id}).all()
        if rows:
            saved = {qid: response for qid, _order, response in rows if response is not None}
        else:  # an attempt from before question banks
            saved = dict(db.session.execute(_SAVED, {"attempt_id": attempt.id}).all())
        paper = attempt_paper(module.text(enrolment.content_language), attempt, [(q, o) for q, o, _r in rows])
    state = [
        enrolment.id,
        enrolment.content_language,
        _iso(enrolment.completed_at),
        sorted(read),
        granted,
        [(a.id, a.module_slug, _iso(a.submitted_at), a.percent) for a in submitted],
        attempt.token if attempt is not None else None,
        sorted(saved.items()),
        exhausted,
        _iso(not_before),
    ]
    return LearnerLesson(progress, past, attempt, saved, decision.attempts_left, exhausted, state, paper, not_before)


def lesson_article(course: Course, module: Module, text, usual_text, enrolment: Enrolment | None) -> Markup:
    """The lesson's text, job aids and assignment title: the same for every reader with the same languages."""
    enrolment_language = enrolment.content_language if enrolment is not None else None
    content_arg = request.args.get("content") if usual_text is not None else None  # the link back keeps it
    signed_in = current_user.is_authenticated  # job aid links carry the reading language for visitors only
    usual_language = usual_text.lang if usual_text is not None else None
    return fragment(
        "lesson_article.html",
        (
            course.slug,
            course.version,
            module.slug,
            text.lang,
            usual_language,
            enrolment_language,
            content_arg,
            signed_in,
        ),
        course=course,
        module=module,
        text=text,
        usual_text=usual_text,
        enrolment_language=enrolment_language,
        content_arg=content_arg,
        signed_in=signed_in,
    )


def lesson_nav(course: Course, module: Module, text, previous: Module | None, following: Module | None) -> Markup:
    """Links to the modules before and after this one, titled in the language this one is read in."""
    key = (course.slug, course.version, module.slug, text.lang)
    return fragment("lesson_nav.html", key, course=course, text=text, previous=previous, next=following)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Validators:
    etag: str  # the opaque value, sent weak: W/"<etag>"
    last_modified: datetime | None  # anonymous pages only
    personal: bool
    cacheable: bool  # False while a flashed message waits to be shown: that page must be rendered

    def unchanged(self) -> bool:
        """True if the browser's copy (If-None-Match, else If-Modified-Since for public pages) is current."""
        if not self.cacheable:
            return False
        if request.if_none_match:
            return request.if_none_match.contains_weak(self.etag)
        if self.last_modified is not None and request.if_modified_since is not None:
            return self.last_modified.replace(microsecond=0) <= request.if_modified_since
        return False

    def apply(self, response: Response) -> Response:
        response.vary.add("Cookie")
        if not self.cacheable:
            response.headers["Cache-Control"] = "no-store"
            return response
        response.set_etag(self.etag, weak=True)
        if self.personal:
            response.headers["Cache-Control"] = "private, no-cache"
        else:
            response.headers["Cache-Control"] = f"public, max-age={ANONYMOUS_MAX_AGE}"
            response.last_modified = self.last_modified
            allow_page_cache()  # the same bytes for every cookie-less visitor until the next release (200s only)
        return response

    def not_modified(self) -> Response:
        return self.apply(Response(status=304))


def lesson_validators(course: Course, reading_language: str, learner: LearnerLesson | None) -> Validators:
    release, release_time = _release()
    content, content_time = _course_content(course)
    parts: list = [release, content, str(get_locale()), reading_language]
    personal = current_user.is_authenticated
    if personal:
        user_session = getattr(current_user, "current_session", None)
        generate_csrf()  # makes sure the session holds the secret the page's forms are signed with
        parts += [
            current_user.id,
            current_user.role,
            user_session.id if user_session else None,
            _digest(str(session.get("csrf_token", ""))),
            learner.state if learner is not None else None,
        ]
    return Validators(
        etag=_digest(json.dumps(parts, default=str, sort_keys=True)),
        last_modified=None if personal else max(release_time, content_time),
        personal=personal,
        cacheable=not session.get("_flashes"),
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _course_content(course: Course) -> tuple[str, datetime]:
    """(digest, newest file time) of a course, once per process: the library never changes after start-up."""
    cache = current_app.extensions.setdefault("lesson_content_digests", {})
    if course.slug not in cache:
        parts = [course.slug, course.version, dict(course.title)]
        for module in course.modules:
            versions = module.versions.items()
            parts.append(
                [module.slug, sorted((lang, t.content_hash, t.title, module.out_of_date(lang)) for lang, t in versions)]
            )
        for aid in course.job_aids:  # a lesson lists its module's job aids by title
            parts.append([aid.slug, sorted((lang, t.content_hash, t.title) for lang, t in aid.versions.items())])
        cache[course.slug] = (_digest(json.dumps(parts, sort_keys=True)), _newest(Path(course.path)))
    return cache[course.slug]


def _release() -> tuple[str, datetime]:
    """(digest, newest file time) of what renders pages besides the course: computed once per process."""
    cached = current_app.extensions.get("lesson_release")
    if cached is None:
        sha = hashlib.sha256()
        newest = 0.0
        roots = [
            (BASE_DIR / "templates", "*.html"),
            (BASE_DIR / "translations", "*.mo"),
            (BASE_DIR / "lumos_learn", "*.py"),
        ]
        for root, pattern in roots:
            for path in sorted(root.rglob(pattern)):
                sha.update(str(path.relative_to(BASE_DIR)).encode() + b"\0" + path.read_bytes())
                newest = max(newest, path.stat().st_mtime)
        sha.update(json.dumps(current_app.extensions.get("static_manifest", {}), sort_keys=True).encode())
        cached = current_app.extensions["lesson_release"] = (
            sha.hexdigest()[:32],
            datetime.fromtimestamp(int(newest), UTC),
        )
    return cached


def _newest(root: Path) -> datetime:
    newest = max((p.stat().st_mtime for p in root.rglob("*") if p.is_file()), default=0.0) if root.is_dir() else 0.0
    return datetime.fromtimestamp(int(newest), UTC)
