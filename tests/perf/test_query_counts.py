"""No N+1 queries: every page type runs a bounded number of SQL statements, the same with 3 rows as with 40.

Each page is fetched twice for the same viewer: with a little data, then after the data behind that page has
grown (attempts, answers, ratings, certificates, people, cohort members). The count may not grow and stays
under a small bound; a page that issued one query per row would fail here long before it was slow in use.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import event

from lumos_learn.certificates.codes import new_code
from lumos_learn.models import (
    Certificate,
    Cohort,
    CohortTrainer,
    ConfidenceRating,
    Enrolment,
    ModuleProgress,
    QuizAnswer,
    QuizAttempt,
    User,
    utcnow,
)
from lumos_learn.passwords import hash_password

COURSE = "demo-course"
PAGES = {  # page -> (url, the most statements it may run; today's count is one less, or equal for lessons)
    "catalogue": ("/en/courses/", 4),  # session, enrolments, their progress (one union)
    "course": (f"/en/courses/{COURSE}/", 4),
    "lesson": (f"/en/courses/{COURSE}/positioning/", 4),  # session, enrolment, learner's state, the draw
    "quiz lesson": (f"/en/courses/{COURSE}/final-check/", 4),
    "result": (None, 6),  # the learner's last attempt, filled in below
    "dashboard": ("/en/dashboard/", 5),  # a learner in no cohort: no announcements query
    "confidence": (f"/en/courses/{COURSE}/confidence/after", 4),
    "completed": (f"/en/courses/{COURSE}/completed", 6),
    "account": ("/en/auth/account", 2),
}
_serial = itertools.count(1)


class QueryCounter:
    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def __call__(self, *args):
        self.count += 1

    def __enter__(self):
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self)


def queries(client, db, url: str) -> int:
    # Counted on a second request: the first may also run once-a-minute housekeeping (the throttle counters'
    # clean-up), which is not the page's cost and would make two counts differ by chance.
    client.get(url)
    with QueryCounter(db.engine) as counter:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counter.count


def _user(db, role="learner") -> User:
    n = next(_serial)
    user = User(
        email=f"grown{n}@example.org", password_hash=hash_password("x" * 12), full_name=f"Grown Person {n}", role=role
    )
    db.session.add(user)
    return user


def _attempt(enrolment: Enrolment, module_slug: str, percent: float, **kwargs) -> QuizAttempt:
    return QuizAttempt(
        enrolment=enrolment,
        module_slug=module_slug,
        content_language="en",
        content_hash="x",
        course_version="1.0",
        graded=module_slug == "final-check",
        submitted_at=utcnow(),
        percent=percent,
        passed=percent >= 80,
        score=percent,
        max_score=100,
        result={
            "lang": "en",
            "title": "t",
            "questions": [],
            "percent": percent,
            "passed": percent >= 80,
            "score": percent,
            "max_score": 100,
        },
        **kwargs,
    )


def _certificate(db, user: User, enrolment: Enrolment | None) -> Certificate:
    n = next(_serial)
    certificate = Certificate(
        code=new_code(),
        enrolment=enrolment,
        user=user,
        course_slug=COURSE,
        course_version="1.0",
        language="en",
        recipient_name=user.full_name,
        course_title="Safe mealtimes",
        hours=2,
        completed_on=dt.date(2026, 1, 1),
        status_index=n,
    )
    db.session.add(certificate)
    return certificate


def grow_learner(db, learner: User, enrolment: Enrolment, rows: int) -> None:
    """`rows` more of everything a learner's pages list: attempts with answers, certificates, other learners."""
    for n in range(rows):
        attempt = _attempt(enrolment, "positioning", 50 + n % 50)
        attempt.answers = [QuizAnswer(question_id=f"q{k}", response=k, score=1, correct=True) for k in range(3)]
        db.session.add(attempt)
        _certificate(db, learner, None)
        other = _user(db)
        db.session.add(Enrolment(user=other, course_slug=COURSE, content_language="en"))
    db.session.commit()


@pytest.fixture
def completed_learner(db, learner):
    """A learner who finished demo-course: read both modules, passed the final check, rated confidence."""
    enrolment = Enrolment(
        user=learner, course_slug=COURSE, content_language="en", completed_at=utcnow(), course_version_completed="1.0"
    )
    db.session.add(enrolment)
    db.session.add_all([ModuleProgress(enrolment=enrolment, module_slug=m) for m in ("positioning", "final-check")])
    db.session.add(_attempt(enrolment, "final-check", 100))
    for phase, rating in (("before", 2), ("after", 4)):
        db.session.add_all(
            [
                ConfidenceRating(enrolment=enrolment, statement_id=s, phase=phase, rating=rating)
                for s in ("position-safely", "spot-danger")
            ]
        )
    _certificate(db, learner, enrolment)
    db.session.commit()
    return enrolment


def test_learner_pages_run_a_bounded_number_of_queries(client, db, learner, login_as, completed_learner):
    login_as(client, learner)
    pages = dict(PAGES)
    last = max(completed_learner.attempts, key=lambda a: a.id)
    pages["result"] = (f"/en/courses/{COURSE}/final-check/attempts/{last.id}", PAGES["result"][1])
    for url, _bound in pages.values():
        client.get(url)  # warm-up: the lesson opens a quiz attempt on the first visit
    small = {name: queries(client, db, url) for name, (url, _bound) in pages.items()}
    grow_learner(db, learner, completed_learner, 40)
    grown = {name: queries(client, db, url) for name, (url, _bound) in pages.items()}
    for name, (_url, bound) in pages.items():
        assert grown[name] == small[name], f"{name}: {small[name]} queries with little data, {grown[name]} with more"
        assert grown[name] <= bound, f"{name}: {grown[name]} queries (bound {bound})"


def test_anonymous_pages_run_a_bounded_number_of_queries(client, db):
    for url in ("/en/courses/", f"/en/courses/{COURSE}/", f"/en/courses/{COURSE}/positioning/"):
        assert queries(client, db, url) == 0, url  # content comes from the in-memory library


def test_admin_users_page_does_not_grow_with_the_number_of_people(client, db, admin, login_as):
    login_as(client, admin)
    small = queries(client, db, "/en/admin/")
    for _ in range(80):
        _user(db)
    db.session.commit()
    grown = queries(client, db, "/en/admin/")
    assert grown == small <= 5


def test_trainer_and_certificate_pages_do_not_grow_with_the_cohort(client, db, make_user, login_as):
    trainer = make_user("trainer")
    cohort = Cohort(course_slug=COURSE, name="Spring", language="en", join_code="JOIN1234", created_by_id=trainer.id)
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id))
    db.session.commit()
    login_as(client, trainer)

    def add_learners(count: int) -> Certificate:
        certificate = None
        for n in range(count):
            person = _user(db)
            enrolment = Enrolment(
                user=person,
                course_slug=COURSE,
                content_language="en",
                cohort=cohort,
                completed_at=utcnow() if n % 2 else None,
            )
            db.session.add(enrolment)
            db.session.add(ModuleProgress(enrolment=enrolment, module_slug="positioning"))
            db.session.add(_attempt(enrolment, "final-check", 40 + n))
            db.session.add_all(
                [
                    ConfidenceRating(enrolment=enrolment, statement_id="spot-danger", phase=phase, rating=3)
                    for phase in ("before", "after")
                ]
            )
            if n % 2:
                certificate = _certificate(db, person, enrolment)
        db.session.commit()
        return certificate

    certificate = add_learners(3)
    pages = [
        "/en/trainer/",
        f"/en/trainer/cohorts/{cohort.id}/",
        f"/en/trainer/cohorts/{cohort.id}/progress",
        f"/en/trainer/cohorts/{cohort.id}/confidence",
        f"/en/trainer/cohorts/{cohort.id}/items",
        "/en/admin/certificates/",
        f"/verify/{certificate.code}",
    ]
    small = {url: queries(client, db, url) for url in pages}
    add_learners(40)
    grown = {url: queries(client, db, url) for url in pages}
    for url in pages:
        assert grown[url] == small[url], f"{url}: {small[url]} queries with 3 learners, {grown[url]} with 43"
        assert grown[url] <= 12, f"{url}: {grown[url]} queries"
