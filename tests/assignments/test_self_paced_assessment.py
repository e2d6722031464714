"""Who assesses an assignment in a trainer-marked course, per learner: a cohort's trainer, the course's assessor for a
learner outside any cohort, or, when nobody could, the learner's own self-assessment; and what the certificate,
its PDF, the verify page and the signed credential then say."""

from __future__ import annotations

import base64
import io
import json

import pytest
from helpers import COURSE, GOOD_TEXT, PAGE, enrol_learner, hidden, level_form, make_cohort
from pypdf import PdfReader
from sqlalchemy import select
from test_assignment_journey import pass_the_rest_of_the_course
from test_learning_journey import final_answers, quiz_token

from lumos_learn.assignments.models import Review, Submission
from lumos_learn.certificates.services import reissue_certificate
from lumos_learn.models import Certificate, Enrolment

PASS = {"seating": "meets", "warning-signs": "meets"}
SELF_PATH = (
    "You are not in a trainer’s group: assess your work against the rubric, then compare it with the model answer."
)
ASSESSOR_PATH = (
    "You are not in a trainer’s group: an assessor named for this course marks your work against the rubric."
)
MODEL_ANSWER = "Seat Dan upright with his hips"
ASSESSED = "Includes an assessed practical assignment"
SELF_ASSESSED = "Includes a practical assignment, self-assessed against the course rubric"


def page_of(client) -> str:
    return " ".join(client.get(PAGE).get_data(as_text=True).split())


def certificate_texts(client, db, user) -> tuple[str, str, str]:
    """(PDF text, the signed credential's narrative, the public verify page) of `user`'s certificate."""
    enrolment = db.session.execute(select(Enrolment).filter_by(user_id=user.id)).scalar_one()
    certificate = db.session.execute(select(Certificate).filter_by(enrolment_id=enrolment.id)).scalar_one()
    pdf = client.get(f"/certificates/{certificate.code}.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages).split())
    token = client.get(f"/certificates/{certificate.code}/credential.jwt").get_data(as_text=True)
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))  # the signed claims
    narrative = payload["credentialSubject"]["achievement"]["criteria"]["narrative"]
    verify = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    return text, narrative, verify


def name_assessor(app, login_as, admin, email: str) -> None:
    client = app.test_client()
    login_as(client, admin)
    assert client.submit("/en/admin/assessors", {"course": "demo-course", "email": email}).status_code == 302


def test_self_paced_learner_self_assesses_completes_and_the_certificate_says_self_assessed(
    app, client, learner, make_user, login_as, admin, db
):
    login_as(client, learner)
    enrol_learner(client)  # no cohort, and the course has no assessor
    pass_the_rest_of_the_course(client)
    before = page_of(client)
    assert SELF_PATH in before and MODEL_ANSWER not in before  # told the path; the model answer only after submitting

    client.submit(PAGE, {"action": "submit", "text": GOOD_TEXT})
    page = page_of(client)
    assert MODEL_ANSWER in page and "Assess your work" in page
    assert "Waiting for your self-assessment" in page and "Waiting to be marked" not in page  # nobody else will
    client.submit(f"{PAGE}/self-assessment", level_form(PASS), page=PAGE)
    [review] = db.session.execute(select(Review)).scalars().all()
    assert review.self_assessed and review.decision == "passed" and review.marker_id == learner.id

    db.session.expire_all()
    enrolment = db.session.execute(select(Enrolment).filter_by(user_id=learner.id)).scalar_one()
    assert enrolment.completed_at is not None
    certificate = db.session.execute(select(Certificate)).scalar_one()
    assert certificate.assignment_marking == "self"
    pdf, narrative, verify = certificate_texts(client, db, learner)
    assert SELF_ASSESSED in pdf and ASSESSED not in pdf
    assert SELF_ASSESSED in narrative and "marked by a trainer" not in narrative
    assert SELF_ASSESSED in verify and ASSESSED not in verify

    # An assessor named afterwards changes nothing: the work stays passed, the signed credential says the same.
    make_user("trainer", email="assessor@example.org")
    name_assessor(app, login_as, admin, "assessor@example.org")
    db.session.expire_all()
    assert db.session.execute(select(Submission.status)).scalar_one() == "passed"
    assert certificate_texts(client, db, learner)[1] == narrative
    # A re-issued certificate (a corrected name) keeps what the reviews said at issue.
    renamed = reissue_certificate(certificate, admin, "Ana Maria Popescu", "name corrected")
    assert renamed.assignment_marking == "self"
    assert SELF_ASSESSED in certificate_texts(client, db, learner)[1]
    assert "Passed" in page_of(client) and MODEL_ANSWER in page_of(client)


def test_cohort_learner_is_marked_by_the_trainer_and_the_certificate_says_assessed(
    app, client, make_user, login_as, db
):
    trainer = make_user("trainer", name="Tara Trainer")
    learner = make_user("learner")
    cohort = make_cohort(trainer)
    login_as(client, learner)
    enrol_learner(client, cohort.join_code)
    pass_the_rest_of_the_course(client)
    assert "A trainer of your group marks your work against the rubric." in page_of(client)
    client.submit(PAGE, {"action": "submit", "text": GOOD_TEXT})
    page = page_of(client)
    assert MODEL_ANSWER not in page and "Assess your work" not in page
    assert client.submit(f"{PAGE}/self-assessment", level_form(PASS), page=PAGE).status_code == 404

    marker = app.test_client()
    login_as(marker, trainer)
    submission = db.session.execute(select(Submission)).scalar_one()
    url = f"/en/trainer/submissions/{submission.id}"
    form = marker.get(url).get_data(as_text=True)
    assert marker.submit(url, level_form(PASS, decision="passed", version=hidden(form, "version"))).status_code == 302

    db.session.expire_all()
    assert db.session.execute(select(Certificate.assignment_marking)).scalar_one() == "trainer"
    pdf, narrative, verify = certificate_texts(client, db, learner)
    assert ASSESSED in pdf and SELF_ASSESSED not in pdf
    assert "Includes an assessed practical assignment, marked by a trainer against a rubric." in narrative
    assert ASSESSED in verify and SELF_ASSESSED not in verify


def test_learner_outside_a_cohort_goes_to_the_named_assessor(app, client, learner, make_user, login_as, admin, db):
    assessor = make_user("trainer", email="assessor@example.org", name="Asa Assessor")
    name_assessor(app, login_as, admin, "assessor@example.org")
    login_as(client, learner)
    enrol_learner(client)
    assert ASSESSOR_PATH in page_of(client)
    client.submit(PAGE, {"action": "submit", "text": GOOD_TEXT})
    page = page_of(client)
    assert MODEL_ANSWER not in page and "Assess your work" not in page
    assert client.submit(f"{PAGE}/self-assessment", level_form(PASS), page=PAGE).status_code == 404
    assert db.session.execute(select(Review)).first() is None

    marker = app.test_client()
    login_as(marker, assessor)
    submission = db.session.execute(select(Submission)).scalar_one()
    url = f"/en/trainer/submissions/{submission.id}"
    assert url in marker.get("/en/trainer/assessments/demo-course").get_data(as_text=True)
    form = marker.get(url).get_data(as_text=True)
    assert marker.submit(url, level_form(PASS, decision="passed", version=hidden(form, "version"))).status_code == 302
    db.session.expire_all()
    [review] = db.session.execute(select(Review)).scalars().all()
    assert review.marker_id == assessor.id and not review.self_assessed


def test_work_waiting_for_self_assessment_goes_to_an_assessor_named_meanwhile(
    app, client, learner, make_user, login_as, admin, db
):
    login_as(client, learner)
    enrol_learner(client)
    client.submit(PAGE, {"action": "submit", "text": GOOD_TEXT})
    assert "Assess your work" in page_of(client)  # self-assessment offered...
    assessor = make_user("trainer", email="assessor@example.org")
    name_assessor(app, login_as, admin, "assessor@example.org")

    # ...but the learner did not send it before the assessor was named: the work now waits for the assessor.
    page = page_of(client)
    assert ASSESSOR_PATH in page and "Assess your work" not in page and "Waiting to be marked" in page
    assert client.submit(f"{PAGE}/self-assessment", level_form(PASS), page=PAGE).status_code == 404
    marker = app.test_client()
    login_as(marker, assessor)
    submission = db.session.execute(select(Submission)).scalar_one()
    assert f"/en/trainer/submissions/{submission.id}" in marker.get("/en/trainer/assessments/demo-course").get_data(
        as_text=True
    )
    assert submission.status == "submitted"


def test_nobody_else_marks_self_assessed_work_admins_may_only_read_it(
    app, client, learner, make_user, login_as, admin, db
):
    login_as(client, learner)
    enrol_learner(client)
    client.submit(PAGE, {"action": "submit", "text": GOOD_TEXT})
    submission = db.session.execute(select(Submission)).scalar_one()
    url = f"/en/trainer/submissions/{submission.id}"

    trainer = app.test_client()
    login_as(trainer, make_user("trainer"))
    assert trainer.get(url).status_code == 404
    admin_client = app.test_client()
    login_as(admin_client, admin)
    view = admin_client.get(url)
    assert view.status_code == 200 and GOOD_TEXT in view.get_data(as_text=True)
    assert "nobody else marks it" in view.get_data(as_text=True) and 'name="decision"' not in view.get_data(
        as_text=True
    )
    token = admin_client.csrf_token(url)
    forced = admin_client.post(
        url, data=level_form(PASS, decision="passed", version=str(submission.version), csrf_token=token)
    )
    assert forced.status_code == 404
    # The admin's queue of the course holds nothing to mark.
    queue = admin_client.get("/en/trainer/assessments/demo-course").get_data(as_text=True)
    assert url not in queue and "<strong>0</strong> waiting to be marked" in queue
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "submitted"
    assert db.session.execute(select(Review)).first() is None
    # Another learner cannot reach the work either.
    other = app.test_client()
    login_as(other, make_user("learner"))
    assert other.get(url).status_code == 404


@pytest.mark.parametrize("assessment_mode", ["self"])
def test_trainer_sees_a_cohort_learner_of_a_self_assessed_course_as_self_assessed(app, make_user, login_as, db):
    trainer = make_user("trainer")
    cohort = make_cohort(trainer)
    learner_client = app.test_client()
    login_as(learner_client, make_user("learner", name="Sam Self"))
    enrol_learner(learner_client, cohort.join_code)
    assert "You assess this work yourself against the rubric." in page_of(learner_client)
    learner_client.submit(PAGE, {"action": "submit", "text": GOOD_TEXT})

    client = app.test_client()
    login_as(client, trainer)
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    page = client.get(f"/en/trainer/cohorts/{cohort.id}/learners/{enrolment.id}").get_data(as_text=True)
    submission = db.session.execute(select(Submission)).scalar_one()
    assert "self-assessed by the learner" in page and f"/trainer/submissions/{submission.id}" not in page
    queue = client.get(f"/en/trainer/cohorts/{cohort.id}/marking").get_data(as_text=True)
    assert "Sam Self" not in queue
    assert client.get(f"/en/trainer/submissions/{submission.id}").status_code == 404


def test_the_final_quiz_passed_after_the_assignment_completes_the_course(client, learner, login_as, db):
    """The other order: the assignment self-assessed as passed first, then the quiz submit is the last step."""
    login_as(client, learner)
    enrol_learner(client)
    client.submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
    client.submit(PAGE, {"action": "submit", "text": GOOD_TEXT})
    client.submit(f"{PAGE}/self-assessment", level_form(PASS), page=PAGE)
    enrolment = db.session.execute(select(Enrolment).filter_by(user_id=learner.id)).scalar_one()
    assert enrolment.completed_at is None  # the final check is not passed yet
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    failed = {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=False)}
    client.submit(f"{COURSE}final-check/quiz", failed, page=f"{COURSE}final-check/")
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).completed_at is None
    assert db.session.execute(select(Certificate)).first() is None
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    passed = {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=True)}
    client.submit(f"{COURSE}final-check/quiz", passed, page=f"{COURSE}final-check/")
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).completed_at is not None
    certificate = db.session.execute(select(Certificate)).scalar_one()
    assert certificate.enrolment_id == enrolment.id and certificate.assignment_marking == "self"
