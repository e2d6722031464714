"""Learning state stays right under concurrency, course edits and missing translations."""

from __future__ import annotations

import shutil
import threading

from sqlalchemy import func, select
from support import ROOT
from test_learning_journey import COURSE, enrol, final_answers, quiz_token

from lumos_learn import create_app
from lumos_learn.models import Certificate, Enrolment, QuizAttempt, User

TEST_COURSES = ROOT / "tests" / "data" / "courses"


def test_concurrent_submits_of_the_same_token_record_one_attempt(app, learner, login_as, db):
    first, second = app.test_client(), app.test_client()
    login_as(first, learner)
    login_as(second, learner)
    enrol(first)
    lesson = first.get(f"{COURSE}final-check/").get_data(as_text=True)
    data = {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=True)}
    tokens = [client.csrf_token(f"{COURSE}final-check/") for client in (first, second)]
    barrier = threading.Barrier(2)
    statuses = []

    def submit(client, csrf):
        barrier.wait()
        statuses.append(client.post(f"{COURSE}final-check/quiz", data={**data, "csrf_token": csrf}).status_code)

    threads = [threading.Thread(target=submit, args=pair) for pair in zip((first, second), tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None)))
        == 1
    )


def test_concurrent_completion_fires_once(app, learner, login_as, db):
    """Two browsers finishing the course at the same moment complete it once."""
    clients = [app.test_client() for _ in range(3)]
    for client in clients:
        login_as(client, learner)
    enrol(clients[0])
    lesson = clients[0].get(f"{COURSE}final-check/").get_data(as_text=True)
    clients[0].submit(
        f"{COURSE}final-check/quiz",
        {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=True)},
        page=f"{COURSE}final-check/",
    )
    tokens = [client.csrf_token(f"{COURSE}positioning/") for client in clients]
    barrier = threading.Barrier(len(clients))

    def read(client, csrf):
        barrier.wait()
        client.post(f"{COURSE}positioning/read", data={"csrf_token": csrf})

    threads = [threading.Thread(target=read, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    assert enrolment.completed_at is not None
    assert db.session.scalar(select(func.count()).select_from(Certificate)) <= 1


def test_progress_and_past_attempts_survive_a_course_edit(tmp_path, app, learner, login_as, db):
    courses = tmp_path / "courses"
    shutil.copytree(TEST_COURSES, courses)
    app.config["COURSES_DIR"] = str(courses)
    client = app.test_client()
    login_as(client, learner)
    enrol(client)
    client.submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    result_url = client.submit(
        f"{COURSE}final-check/quiz",
        {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=False)},
        page=f"{COURSE}final-check/",
    ).headers["Location"]

    # The author rewrites a question and adds a module; the site restarts with the new files.
    final = courses / "demo-course" / "02-final-check.en.md"
    final.write_text(
        final.read_text().replace("Which position is safest for eating?", "Which posture protects the airway best?")
    )
    yml = courses / "demo-course" / "course.yml"
    yml.write_text(
        yml.read_text()
        .replace("  - final-check", "  - signs\n  - final-check")
        .replace('version: "1.0"', 'version: "1.1"')
        # a full review, so that the page shows the questions of the failed attempt (after-pass would not)
        .replace("max_attempts: 3", "max_attempts: 3\nreview:\n  graded: full")
    )
    (courses / "demo-course" / "02-final-check.en.md").rename(courses / "demo-course" / "03-final-check.en.md")
    (courses / "demo-course" / "02-final-check.ro.md").rename(courses / "demo-course" / "03-final-check.ro.md")
    (courses / "demo-course" / "02-signs.en.md").write_text(
        "---\ntitle: Warning signs\nminutes: 5\nobjectives:\n  - Name the warning signs.\ngraded: false\n---\n\n"
        "## Signs\nCoughing.\n"
    )
    edited_app = create_app({**app.config, "COURSES_DIR": str(courses)})
    edited_app.test_client_class = type(client)
    edited = edited_app.test_client()
    learner_id = learner.id
    with edited_app.app_context():
        login_as(edited, db.session.get(User, learner_id))
        page = edited.get(COURSE).get_data(as_text=True)
        assert "Warning signs" in page
        # Both modules done before the edit still count (the quiz submit counts as reading); the new one does not.
        assert page.count('badge-ok">Read<') == 2 and page.count("Not read yet") == 1
        past = edited.get(result_url).get_data(as_text=True)
        assert "Which position is safest for eating?" in past  # the attempt as it was taken
        assert "Which posture protects the airway best?" in edited.get(f"{COURSE}final-check/").get_data(as_text=True)


def test_missing_translation_falls_back_with_a_notice(tmp_path, app, learner, login_as, db):
    courses = tmp_path / "courses"
    shutil.copytree(TEST_COURSES, courses)
    (courses / "demo-course" / "02-final-check.ro.md").unlink()
    fallback_app = create_app({**app.config, "COURSES_DIR": str(courses)})
    fallback_app.test_client_class = type(app.test_client())
    client = fallback_app.test_client()
    learner_id = learner.id
    with fallback_app.app_context():
        login_as(client, db.session.get(User, learner_id))
        client.submit(f"{COURSE}enrol", {"content_language": "ro"}, page=COURSE)
        html = client.get("/ro/courses/demo-course/final-check/").get_data(as_text=True)
        assert '<article class="lesson" lang="en">' in html
        assert 'class="notice" lang="ro"' in html
        assert "Final check" in html
