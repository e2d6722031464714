"""The assignment tests run on a copy of the test course whose completion counts its assignment."""

from __future__ import annotations

import shutil

import pytest
from support import ROOT, Client, database_uri, release_database

from lumos_learn import create_app
from lumos_learn.extensions import db as _db
from lumos_learn.extensions import limiter

COMPLETION = "completion: read-all-and-pass-graded"


def assessed_courses(folder, assessment: str = "trainer"):
    """tests/data/courses copied to `folder`, the demo course counting its assignment, marked as `assessment` says."""
    target = folder / "courses"
    shutil.copytree(ROOT / "tests" / "data" / "courses", target)
    yml = target / "demo-course" / "course.yml"
    text = yml.read_text(encoding="utf-8")
    assert COMPLETION in text
    yml.write_text(
        text.replace(COMPLETION, f"completion: read-all-pass-graded-and-assignments\nassessment: {assessment}"),
        encoding="utf-8",
    )
    return target


def make_app(tmp_path, courses, **extra):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": database_uri(tmp_path),
            "SERVER_NAME": None,
            "RATELIMIT_STORAGE_URI": "memory://",
            "COURSES_DIR": str(courses),
            **extra,
        }
    )
    app.test_client_class = Client
    app.extensions["mail_outbox"] = []
    return app


@pytest.fixture
def assessment_mode():
    return "trainer"


@pytest.fixture(scope="session")
def _session_key(tmp_path_factory):
    from lumos_learn.certificates.keys import write_key_file

    path = tmp_path_factory.mktemp("keys") / "issuer-rs256.pem"
    write_key_file(path, bits=2048)
    return path


@pytest.fixture
def app(tmp_path, assessment_mode, _session_key):
    key = _session_key
    app = make_app(
        tmp_path,
        assessed_courses(tmp_path, assessment_mode),
        CERTIFICATE_KEY_FILE=str(key),
        CERTIFICATE_KEY_PEM="",
    )
    with app.app_context():
        _db.create_all()
        limiter.reset()
        yield app
        release_database(_db)
