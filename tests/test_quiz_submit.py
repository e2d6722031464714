"""What one quiz submit records (demo-course's final check): every answer with its score, the module read, the
learner's activity, and the completion with its certificate only when the submit completes the course."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from support import add_failed_attempts
from test_learning_journey import COURSE, enrol, final_answers, position_of, quiz_token

from lumos_learn.models import AttemptGrant, Certificate, Enrolment, ModuleProgress, QuizAnswer, QuizAttempt, utcnow

FINAL = f"{COURSE}final-check/"


def submit_final(client, *, right: bool, extra: dict | None = None):
    lesson = client.get(FINAL).get_data(as_text=True)
    data = {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=right), **(extra or {})}
    return client.submit(f"{FINAL}quiz", data, page=FINAL), data


def answers_of(db, attempt_id: int) -> dict[str, tuple]:
    rows = db.session.execute(select(QuizAnswer).filter_by(attempt_id=attempt_id)).scalars()
    return {a.question_id: (a.response, a.score, a.correct) for a in rows}


def test_every_answer_is_recorded_with_its_score_and_a_resent_form_adds_nothing(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    response, data = submit_final(client, right=True)
    attempt = db.session.execute(select(QuizAttempt)).scalar_one()
    assert response.headers["Location"].endswith(f"/attempts/{attempt.id}")
    recorded = answers_of(db, attempt.id)
    assert set(recorded) == {
        "demo-final-position",
        "demo-final-signs",
        "demo-final-number",
        "demo-final-call",
        "demo-final-match",
    }
    assert all(score == 1.0 and correct is True for _response, score, correct in recorded.values()), recorded
    assert recorded["demo-final-call"][0] == "112" and recorded["demo-final-number"][0] == "88,5"
    assert attempt.percent == 100.0 and attempt.passed is True
    # the same form again (a double click, a resent POST): the recorded result, nothing added or changed
    again = client.submit(f"{FINAL}quiz", data, page=FINAL)
    assert again.status_code == 302 and again.headers["Location"] == response.headers["Location"]
    assert answers_of(db, attempt.id) == recorded
    submitted = select(func.count()).select_from(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None))
    assert db.session.scalar(submitted) == 1


def test_answers_saved_before_the_submit_give_way_to_the_submitted_ones(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    lesson = client.get(FINAL).get_data(as_text=True)
    token = quiz_token(lesson)
    saved = {
        "token": token,
        "action": "save",
        "q-demo-final-position": position_of(lesson, "q-demo-final-position", "Upright"),
        "q-demo-final-call": "999",
    }
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    enrolment.last_activity_at = utcnow() - timedelta(days=3)
    db.session.commit()
    client.submit(f"{FINAL}quiz", saved, page=FINAL)
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == 2
    db.session.expire_all()
    assert utcnow() - db.session.get(Enrolment, enrolment.id).last_activity_at < timedelta(minutes=1)  # active
    # the submit changes the number and leaves the position question out (the learner cleared it)
    submitted = {"token": token, "action": "submit", "q-demo-final-call": "112", "q-demo-final-number": "45"}
    response = client.submit(f"{FINAL}quiz", submitted, page=FINAL)
    assert response.status_code == 302
    attempt = db.session.execute(select(QuizAttempt)).scalar_one()
    recorded = answers_of(db, attempt.id)
    assert set(recorded) == {"demo-final-call", "demo-final-number"}
    assert recorded["demo-final-call"] == ("112", 1.0, True)
    assert recorded["demo-final-number"][2] is False
    question = {q["id"]: q for q in attempt.result["questions"]}["demo-final-position"]
    assert question["answered"] is False and question["your_answer"] == []


def test_a_failed_final_marks_the_module_read_and_completes_nothing(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    client.submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    enrolment.last_activity_at = utcnow() - timedelta(days=3)
    db.session.commit()
    response, _data = submit_final(client, right=False)
    assert response.status_code == 302
    db.session.expire_all()
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    assert enrolment.completed_at is None
    assert utcnow() - enrolment.last_activity_at < timedelta(minutes=1)
    read = set(db.session.scalars(select(ModuleProgress.module_slug).filter_by(enrolment_id=enrolment.id)))
    assert read == {"positioning", "final-check"}  # taking the quiz means the learner was on its page
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_the_passed_final_completes_the_course_once_with_one_certificate(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    client.submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
    submit_final(client, right=True)
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    completed_at = enrolment.completed_at
    assert completed_at is not None and enrolment.course_version_completed == "1.0"
    (certificate,) = db.session.execute(select(Certificate)).scalars()
    assert certificate.enrolment_id == enrolment.id
    # a later attempt (one of the three allowed) changes neither the completion nor the certificate
    response, _data = submit_final(client, right=True)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.passed)) == 2
    assert db.session.get(Enrolment, enrolment.id).completed_at == completed_at
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_the_final_passed_before_the_last_module_is_read_completes_on_reading_it(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    submit_final(client, right=True)  # passed, but the first module is not read yet
    assert db.session.execute(select(Enrolment)).scalar_one().completed_at is None
    response = client.submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
    assert response.headers["Location"] == f"{COURSE}completed"
    db.session.expire_all()
    assert db.session.execute(select(Enrolment)).scalar_one().completed_at is not None
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_an_attempt_over_the_limit_is_refused_until_a_trainer_grants_one_more(client, learner, login_as, db):
    login_as(client, learner)
    enrol(client)
    lesson = client.get(FINAL).get_data(as_text=True)  # opens the attempt
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    add_failed_attempts(db, enrolment.id, (3, 2, 1))  # meanwhile the three are used up (another tab, device)
    data = {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=True)}
    refused = client.submit(f"{FINAL}quiz", data, page=COURSE)
    assert refused.status_code == 409 and "You have used all your attempts" in refused.get_data(as_text=True)
    db.session.expire_all()
    still_open = db.session.execute(select(QuizAttempt).filter_by(submitted_at=None)).scalar_one()
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == 0
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) == 0  # nothing recorded at all
    db.session.add(AttemptGrant(enrolment_id=enrolment.id, module_slug="final-check"))
    db.session.commit()
    accepted = client.submit(f"{FINAL}quiz", data, page=COURSE)
    assert accepted.headers["Location"].endswith(f"/attempts/{still_open.id}")
    db.session.expire_all()
    assert db.session.get(QuizAttempt, still_open.id).passed is True
    assert len(answers_of(db, still_open.id)) == 5
