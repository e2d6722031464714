"""Many people at once without lost writes or duplicates, and faults the site survives.

tests/test_learning_robustness.py already covers the same token submitted twice at once and the same
course completed in several browsers at once; this adds many learners at once, concurrent enrolment
and concurrent CSV import confirmation, then the database going away and coming back, a course file
broken on disk while the site runs, and a restart in the middle of a quiz.
"""

from __future__ import annotations

import io
import shutil
import threading
import traceback
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from support import POSTGRES_URL, ROOT, Client
from test_learning_journey import COURSE, final_answers, quiz_token

from lumos_learn import create_app
from lumos_learn.extensions import db as _db
from lumos_learn.models import Certificate, Cohort, Enrolment, QuizAnswer, QuizAttempt, User


def run_together(jobs) -> list:
    """Run every job in its own thread, released at the same moment; return their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        try:
            results[index] = job()
        except Exception:  # a crash is a result the test reports, with where it happened
            results[index] = traceback.format_exc()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def count(db, statement) -> int:
    db.session.expire_all()
    return db.session.scalar(statement)


def test_many_learners_submit_and_complete_at_once(app, make_user, login_as, db):
    learners = [make_user(email=f"learner{n}@example.org") for n in range(8)]
    clients, forms = [], []
    for learner in learners:
        client = app.test_client()
        login_as(client, learner)
        client.submit(f"{COURSE}enrol", {"content_language": "en"}, page=COURSE)
        client.submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
        lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
        forms.append(
            {
                "token": quiz_token(lesson),
                "action": "submit",
                **final_answers(lesson, right=True),
                "csrf_token": client.csrf_token(f"{COURSE}final-check/"),
            }
        )
        clients.append(client)

    def submit(client, form):
        return lambda: client.post(f"{COURSE}final-check/quiz", data=form)

    responses = run_together([submit(c, f) for c, f in zip(clients, forms, strict=True)])
    statuses = [r.status_code if not isinstance(r, Exception) else repr(r) for r in responses]
    assert statuses == [302] * len(learners), statuses
    assert all("locked" not in r.get_data(as_text=True) for r in responses)
    submitted = select(func.count()).select_from(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None))
    assert count(db, submitted) == len(learners)
    assert count(db, select(func.count()).select_from(QuizAnswer)) >= 5 * len(learners)  # no answer lost
    completed = select(func.count()).select_from(Enrolment).where(Enrolment.completed_at.is_not(None))
    assert count(db, completed) == len(learners)
    assert (
        count(db, select(func.count(func.distinct(Certificate.enrolment_id))))
        == count(db, select(func.count()).select_from(Certificate))
        == len(learners)
    )


def test_enrolling_from_several_browsers_at_once_gives_one_enrolment(app, learner, login_as, db):
    clients = [app.test_client() for _ in range(6)]
    tokens = []
    for client in clients:
        login_as(client, learner)
        tokens.append(client.csrf_token(COURSE))

    def enrol(client, token):
        return lambda: client.post(f"{COURSE}enrol", data={"content_language": "en", "csrf_token": token})

    responses = run_together([enrol(c, t) for c, t in zip(clients, tokens, strict=True)])
    assert [r.status_code for r in responses] == [302] * len(clients)
    assert count(db, select(func.count()).select_from(Enrolment)) == 1


def test_confirming_the_same_csv_import_at_once_imports_it_once(app, make_user, login_as, db):
    trainer = make_user("trainer")
    first = app.test_client()
    login_as(first, trainer)
    first.submit("/en/trainer/cohorts/new", {"course": "demo-course", "name": "Spring", "language": "en"})
    cohort = db.session.execute(select(Cohort)).scalar_one()
    rows = "".join(f"Learner {n},learner{n}@example.org,en,School {n},teacher\n" for n in range(12))
    uploaded = first.post(
        f"/en/trainer/cohorts/{cohort.id}/import",
        data={
            "csrf_token": first.csrf_token(f"/en/trainer/cohorts/{cohort.id}/import"),
            "encoding": "auto",
            "file": (io.BytesIO(("name,email,language,organisation,role\n" + rows).encode()), "learners.csv"),
        },
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302, uploaded.get_data(as_text=True)[:500]
    preview = uploaded.headers["Location"]
    browsers = [app.test_client() for _ in range(4)]
    tokens = []
    for browser in browsers:
        login_as(browser, trainer)
        tokens.append(browser.csrf_token(preview))

    def confirm(browser, token):
        return lambda: browser.post(preview, data={"csrf_token": token})

    responses = run_together([confirm(b, t) for b, t in zip(browsers, tokens, strict=True)])
    assert [getattr(r, "status_code", r) for r in responses] == [302] * len(browsers)
    assert count(db, select(func.count()).select_from(User).where(User.email.like("learner%"))) == 12
    assert count(db, select(func.count()).select_from(Enrolment).where(Enrolment.cohort_id == cohort.id)) == 12


# -- Faults ----------------------------------------------------------------------------------------


def _fresh_app(uri: str, courses: str = str(ROOT / "tests" / "data" / "courses")):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": uri,
            "COURSES_DIR": courses,
        }
    )
    app.test_client_class = Client
    return app


@pytest.mark.skipif(bool(POSTGRES_URL), reason="the SQLite variant; PostgreSQL below")
def test_sqlite_going_away_gives_a_503_page_and_the_site_recovers(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    app = _fresh_app(f"sqlite:///{folder / 'site.db'}")
    with app.app_context():
        _db.create_all()
    client = app.test_client()

    def sign_in():  # a request that must read the database
        return client.submit("/en/auth/login", {"email": "someone@example.org", "password": "not it"})

    assert sign_in().status_code == 200

    folder.rename(tmp_path / "data-moved")  # the disk is unmounted, the volume detached...
    with app.app_context():
        _db.engine.dispose()  # ...and the next request needs a new connection
    response = sign_in()
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Temporarily unavailable" in html and '<html lang="en"' in html
    assert client.get("/healthz").status_code == 503

    (tmp_path / "data-moved").rename(folder)  # it comes back
    assert sign_in().status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.skipif(not POSTGRES_URL, reason="needs TEST_DATABASE_URL")
def test_postgresql_going_away_gives_a_503_page_and_the_site_recovers():
    server = make_url(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"lumos_fault_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        app = _fresh_app(server.set(database=name).render_as_string(hide_password=False))
        with app.app_context():
            _db.create_all()
        client = app.test_client()

        def sign_in():  # a request that must read the database
            return client.submit("/en/auth/login", {"email": "someone@example.org", "password": "not it"})

        assert sign_in().status_code == 200
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
            )
        response = sign_in()
        assert response.status_code == 503 and "Temporarily unavailable" in response.get_data(as_text=True)
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        assert sign_in().status_code == 200
        with app.app_context():
            _db.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_course_file_broken_after_start_does_not_take_the_site_down(tmp_path, app):
    courses = tmp_path / "courses"
    shutil.copytree(ROOT / "tests" / "data" / "courses", courses)
    running = _fresh_app(app.config["SQLALCHEMY_DATABASE_URI"], str(courses))
    client = running.test_client()
    assert client.get(f"{COURSE}final-check/").status_code == 200

    (courses / "demo-course" / "course.yml").write_text("slug: [unclosed\n")
    (courses / "demo-course" / "01-positioning.en.md").write_text("---\ntitle: [broken\n")
    for url in (COURSE, f"{COURSE}positioning/", f"{COURSE}final-check/", "/en/courses/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "less likely to choke" in client.get(f"{COURSE}positioning/").get_data(as_text=True)
    with pytest.raises(Exception):  # noqa: B017 - the loader's own error type; what matters is the refusal
        _fresh_app(app.config["SQLALCHEMY_DATABASE_URI"], str(courses))  # a restart refuses the broken files


def test_a_restart_in_the_middle_of_a_quiz_loses_no_saved_answer(app, learner, login_as, db):
    client = app.test_client()
    login_as(client, learner)
    client.submit(f"{COURSE}enrol", {"content_language": "en"}, page=COURSE)
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    token = quiz_token(lesson)
    client.submit(
        f"{COURSE}final-check/quiz",
        {"token": token, "action": "save", "q-demo-final-call": "112", "q-demo-final-number": "88,5"},
        page=f"{COURSE}final-check/",
    )
    with client.session_transaction() as session:
        cookie = dict(session)

    restarted = _fresh_app(app.config["SQLALCHEMY_DATABASE_URI"])  # a new process on the same database
    browser = restarted.test_client()
    with browser.session_transaction() as session:
        session.update(cookie)
    html = browser.get(f"{COURSE}final-check/").get_data(as_text=True)
    assert quiz_token(html) == token  # the same attempt, resumed
    assert 'value="112"' in html and 'value="88,5"' in html
    assert count(db, select(func.count()).select_from(QuizAnswer)) == 2
