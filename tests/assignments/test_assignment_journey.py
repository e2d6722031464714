"""The whole journey of an assessed assignment in the test client: submit, returned, resubmit, passed, the course
completes and the certificate says that it includes an assessed practical assignment."""

from __future__ import annotations

import base64
import io
import json

from helpers import COURSE, GOOD_TEXT, PAGE, enrol_learner, hidden, level_form, make_cohort, small_pdf, upload
from pypdf import PdfReader
from sqlalchemy import select
from support import plain_text
from test_learning_journey import final_answers, quiz_token

from lumos_learn.assignments.models import Review, Submission
from lumos_learn.models import Certificate, Enrolment


def pass_the_rest_of_the_course(client):
    """Read both modules and pass the final check: all the course asks besides the assignment."""
    client.submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    client.submit(
        f"{COURSE}final-check/quiz",
        {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=True)},
        page=f"{COURSE}final-check/",
    )


def test_submit_return_resubmit_pass_complete_and_certificate(app, client, make_user, login_as, db):
    trainer = make_user("trainer", name="Tara Trainer")
    learner = make_user("learner", name="Lena Learner")
    cohort = make_cohort(trainer)
    login_as(client, learner)
    enrol_learner(client, cohort.join_code)
    pass_the_rest_of_the_course(client)
    enrolment = db.session.execute(select(Enrolment).filter_by(user_id=learner.id)).scalar_one()
    assert enrolment.completed_at is None  # the assignment counts: not complete yet

    lesson = client.get(f"{COURSE}positioning/").get_data(as_text=True)
    assert PAGE in lesson and "A mealtime plan for Dan" in lesson
    page = client.get(PAGE).get_data(as_text=True)
    assert "Dan is six." in page and "Seating" in page and "Between 20 and 300 words" in page

    # A draft kept without JavaScript, then a file, then the submit.
    client.submit(PAGE, {"action": "save", "text": "Upright."})
    assert 'id="text"' in client.get(PAGE).get_data(as_text=True)
    assert ">Upright.</textarea>" in client.get(PAGE).get_data(as_text=True)
    too_short = client.submit(PAGE, {"action": "submit", "text": "Upright."})
    assert too_short.status_code == 400
    assert "1 words: at least 20 are needed." in too_short.get_data(as_text=True)
    response = client.submit(
        PAGE,
        {"action": "submit", "text": GOOD_TEXT, "files": [upload("plan.pdf", small_pdf())]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "Waiting to be marked" in page and "plan.pdf" in page
    assert 'name="text"' not in page  # no longer editable

    # The trainer sees it in the queue (and the count on the cohort page), returns it with comments.
    trainer_client = app.test_client()
    login_as(trainer_client, trainer)
    overview = trainer_client.get(f"/en/trainer/cohorts/{cohort.id}/").get_data(as_text=True)
    assert "<strong>1</strong> waiting to be marked" in overview
    queue = trainer_client.get(f"/en/trainer/cohorts/{cohort.id}/marking").get_data(as_text=True)
    assert "Lena Learner" in queue
    submission = db.session.execute(select(Submission)).scalar_one()
    mark_url = f"/en/trainer/submissions/{submission.id}"
    form = trainer_client.get(mark_url).get_data(as_text=True)
    assert GOOD_TEXT in form and "plan.pdf" in form
    refused = trainer_client.submit(
        mark_url,
        level_form(
            {"seating": "not-yet", "warning-signs": "meets"}, decision="passed", version=hidden(form, "version")
        ),
        page=mark_url,
    )
    assert refused.status_code == 400
    assert "every essential criterion needs at least the pass level" in refused.get_data(as_text=True)
    returned = trainer_client.submit(
        mark_url,
        level_form(
            {"seating": "not-yet", "warning-signs": "meets"},
            **{"comment-seating": "Say how his feet are supported."},
            overall="Add the footrest and the seat check.",
            decision="returned",
            version=hidden(form, "version"),
            opened=hidden(form, "opened"),
        ),
        page=mark_url,
    )
    assert returned.status_code == 302

    # The learner is told by e-mail, in their language, with a link to the assignment.
    [message] = [m for m in app.extensions["mail_outbox"] if m["Subject"].startswith("Your assignment")]
    assert message["To"] == learner.email
    assert "has been returned for revision" in plain_text(message) and PAGE in plain_text(message)

    # The learner sees the marker's level, the comments, and resubmits.
    page = client.get(PAGE).get_data(as_text=True)
    assert "Returned for revision" in page
    assert "Say how his feet are supported." in page and "Add the footrest and the seat check." in page
    assert 'class="rubric-chosen"><strong>Not yet</strong>' in page
    client.submit(PAGE, {"action": "submit", "text": GOOD_TEXT + " Feet rest on a footrest."})

    form = trainer_client.get(mark_url).get_data(as_text=True)
    passed = trainer_client.submit(
        mark_url,
        level_form(
            {"seating": "exceeds", "warning-signs": "meets"},
            decision="passed",
            version=hidden(form, "version"),
            opened=hidden(form, "opened"),
        ),
        page=mark_url,
    )
    assert passed.status_code == 302 and passed.headers["Location"].endswith(f"/trainer/cohorts/{cohort.id}/marking")
    reviews = db.session.execute(select(Review).order_by(Review.id)).scalars().all()
    assert [r.decision for r in reviews] == ["returned", "passed"]
    assert reviews[-1].points == 5 and reviews[-1].seconds is not None

    # The course completed with the pass; the certificate says it includes an assessed assignment.
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).completed_at is not None
    assert "Passed" in client.get(PAGE).get_data(as_text=True)
    assert '<span class="badge badge-ok">Assignment passed</span>' in client.get(COURSE).get_data(as_text=True)
    certificate = db.session.execute(select(Certificate).filter_by(enrolment_id=enrolment.id)).scalar_one()
    pdf = client.get(f"/certificates/{certificate.code}.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Includes an assessed practical assignment" in " ".join(text.split())
    token = client.get(f"/certificates/{certificate.code}/credential.jwt").get_data(as_text=True)
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))  # the signed credential's claims
    narrative = payload["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert "Includes an assessed practical assignment" in narrative

    # A submit after passing: refused next to the field, nothing stored.
    after = client.submit(PAGE, {"action": "submit", "text": "changed " * 30}, page=COURSE)
    assert after.status_code == 400
    assert "This assignment has passed" in after.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).text.endswith("Feet rest on a footrest.")
