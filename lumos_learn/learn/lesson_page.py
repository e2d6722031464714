"""What a lesson page shows, loaded in a fixed number of queries, and the validators that let a revisit be a 304.

The ETag is a fingerprint of everything the page is made from, computed before rendering:
- for everyone: the release (templates, translations, code, static names), the course's content (version and
  every module file's hash), the interface language and the language the module is read in;
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

from flask import Response, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam, select
from sqlalchemy.orm import load_only

from ..config import BASE_DIR
from ..content import Course, Module
from ..extensions import db
from ..models import Enrolment, ModuleProgress, QuizAnswer, QuizAttempt
from ..page_cache import allow_page_cache
from .progress import CourseProgress, SubmittedAttempt, summarise
from .quizzes import open_attempt

ANONYMOUS_MAX_AGE = 300  # seconds a browser or proxy may reuse a public lesson page without asking


@dataclass
class LearnerLesson:
    """A signed-in learner's side of a lesson page."""

    progress: CourseProgress
    past_attempts: list[QuizAttempt]  # submitted attempts at this module's quiz, oldest first
    attempt: QuizAttempt | None  # the attempt in progress (its token is in the form)
    saved: dict[str, object]
    attempts_left: int | None  # None for unlimited
    exhausted: bool
    state: list = field(default_factory=list)  # what the ETag is computed from


# Built once, asked on every signed-in lesson page (see SESSION_BY_TOKEN in auth/sessions.py for why).
_READ = select(ModuleProgress.module_slug).where(ModuleProgress.enrolment_id == bindparam("enrolment_id"))
_ATTEMPTS = (
    select(QuizAttempt)
    .options(
        load_only(
            QuizAttempt.id,
            QuizAttempt.token,
            QuizAttempt.module_slug,
            QuizAttempt.percent,
            QuizAttempt.passed,
            QuizAttempt.submitted_at,
        )
    )
    .where(QuizAttempt.enrolment_id == bindparam("enrolment_id"))
    .order_by(QuizAttempt.submitted_at, QuizAttempt.id)
)
_SAVED = select(QuizAnswer.question_id, QuizAnswer.response).where(QuizAnswer.attempt_id == bindparam("attempt_id"))


def learner_lesson(course: Course, module: Module, enrolment: Enrolment, has_quiz: bool) -> LearnerLesson:
    """Progress, attempts and saved answers: three queries (four when a quiz is opened for the first time)."""
    read = db.session.execute(_READ, {"enrolment_id": enrolment.id}).scalars().all()
    attempts = db.session.execute(_ATTEMPTS, {"enrolment_id": enrolment.id}).scalars().all()
    submitted = [a for a in attempts if a.submitted_at is not None]
    progress = summarise(
        course,
        set(read),
        [SubmittedAttempt(a.module_slug, a.percent or 0.0, bool(a.passed), a.submitted_at) for a in submitted],
    )
    past = [a for a in submitted if a.module_slug == module.slug]
    left = max(course.max_attempts - len(past), 0) if module.graded and course.max_attempts else None
    attempt = next((a for a in attempts if a.module_slug == module.slug and a.submitted_at is None), None)
    exhausted = False
    if has_quiz and attempt is None:
        if left == 0:
            exhausted = True
        else:
            attempt = open_attempt(course, module, enrolment)
    saved = {}
    if attempt is not None:
        saved = dict(db.session.execute(_SAVED, {"attempt_id": attempt.id}).all())
    state = [
        enrolment.id,
        enrolment.content_language,
        _iso(enrolment.completed_at),
        sorted(read),
        [(a.id, a.module_slug, _iso(a.submitted_at), a.percent) for a in submitted],
        attempt.token if attempt is not None else None,
        sorted(saved.items()),
        exhausted,
    ]
    return LearnerLesson(progress, past, attempt, saved, left, exhausted, state)


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
            parts.append([module.slug, sorted((lang, t.content_hash, t.title) for lang, t in module.versions.items())])
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
