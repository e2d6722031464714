"""Fixtures for the certificates area: a signing key in tmp_path and a learner who completed demo-course."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lumos_learn.certificates.keys import write_key_file
from lumos_learn.certificates.services import certificate_for
from lumos_learn.course_library import library
from lumos_learn.extensions import db
from lumos_learn.learn.progress import complete_if_done
from lumos_learn.models import Cohort, CohortTrainer, Enrolment, ModuleProgress, QuizAttempt, utcnow

PUBLIC_BASE_URL = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def public_base_url(app):
    """A configured public address, as in production: credentials are signed with it and verified offline."""
    app.config["PUBLIC_BASE_URL"] = PUBLIC_BASE_URL
    return PUBLIC_BASE_URL


@pytest.fixture(scope="session")
def _session_key(tmp_path_factory):
    path = tmp_path_factory.mktemp("keys") / "issuer-rs256.pem"
    write_key_file(path, bits=2048)
    return path


@pytest.fixture
def key_file(app, _session_key):
    """A signing key configured through CERTIFICATE_KEY_FILE (generated once per test run, never committed)."""
    app.config["CERTIFICATE_KEY_FILE"] = str(_session_key)
    app.config["CERTIFICATE_KEY_PEM"] = ""
    return _session_key


@pytest.fixture
def no_key(app, tmp_path):
    app.config["CERTIFICATE_KEY_FILE"] = str(tmp_path / "missing.pem")
    app.config["CERTIFICATE_KEY_PEM"] = ""


def _course():
    return library().get("demo-course")


def finish_course(user, *, lang: str = "en", cohort: Cohort | None = None) -> Enrolment:
    """Enrol `user`, read both modules and pass the final quiz, then complete: the real completion path."""
    course = _course()
    enrolment = Enrolment(
        user_id=user.id, course_slug=course.slug, content_language=lang, cohort_id=cohort.id if cohort else None
    )
    db.session.add(enrolment)
    db.session.flush()
    for module in course.modules:
        db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_slug=module.slug))
        if module.graded:
            db.session.add(
                QuizAttempt(
                    enrolment_id=enrolment.id,
                    module_slug=module.slug,
                    content_language=lang,
                    content_hash="x",
                    course_version=course.version,
                    submitted_at=utcnow() - timedelta(minutes=1),
                    score=1,
                    max_score=1,
                    percent=100,
                    passed=True,
                    graded=True,
                )
            )
    db.session.commit()
    assert complete_if_done(course, enrolment)
    return enrolment


@pytest.fixture
def finish(app):
    return finish_course


@pytest.fixture
def cohort_with_trainer(make_user):
    trainer = make_user("trainer", name="Maria Ionescu")
    cohort = Cohort(course_slug="demo-course", name="Iași, spring", language="ro", join_code="JOIN1234")
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id))
    db.session.commit()
    return cohort, trainer


@pytest.fixture
def certificate(learner, finish):
    enrolment = finish(learner)
    return certificate_for(enrolment)
