"""A trainer grants one more attempt to a learner of their cohort who has used them all; it is audited."""

from __future__ import annotations

from sqlalchemy import func, select
from support import add_failed_attempts
from trainer_helpers import add_learner, make_cohort

from lumos_learn.extensions import db
from lumos_learn.models import AttemptGrant, AuditEvent

FINAL = "/en/courses/demo-course/final-check/"


def fail_twice_more(enrolment):
    """add_learner recorded one failed attempt; two more make the demo course's three."""
    add_failed_attempts(db, enrolment.id, (2, 1))


def test_a_trainer_grants_one_more_attempt_and_it_is_audited(app, make_user, login_as):
    trainer, person = make_user("trainer"), make_user()
    cohort = make_cohort(trainer)
    enrolment = add_learner(cohort, person, read=["positioning"], final=20)
    fail_twice_more(enrolment)
    learner = app.test_client()
    login_as(learner, person)
    assert "You have used all your attempts" in learner.get(FINAL).get_data(as_text=True)

    coach = app.test_client()
    login_as(coach, trainer)
    page_url = f"/en/trainer/cohorts/{cohort.id}/learners/{enrolment.id}"
    page = coach.get(page_url).get_data(as_text=True)
    assert "3 of 3 attempts used." in page and "Grant one more attempt" in page
    response = coach.submit(f"{page_url}/extra-attempt", {"module": "final-check"}, page=page_url)
    assert response.status_code == 302
    page = coach.get(response.headers["Location"]).get_data(as_text=True)
    assert "The learner can now take the assessment one more time." in page
    assert "3 of 4 attempts used." in page and "(including 1 granted by a trainer)" in page

    event = db.session.execute(select(AuditEvent).filter_by(action="attempt.granted")).scalar_one()
    assert (event.actor_id, event.target_type, event.target_id) == (trainer.id, "enrolment", str(enrolment.id))
    assert event.details == {
        "cohort": cohort.id,
        "course": "demo-course",
        "module": "final-check",
        "learner": person.id,
    }
    lesson = learner.get(FINAL).get_data(as_text=True)
    assert 'name="token"' in lesson and "You have 1 attempt left." in lesson


def test_a_trainer_of_another_cohort_cannot_grant(app, make_user, login_as):
    trainer, other, person = make_user("trainer"), make_user("trainer"), make_user()
    cohort = make_cohort(trainer)
    make_cohort(other, name="Other cohort")
    enrolment = add_learner(cohort, person, final=20)
    client = app.test_client()
    login_as(client, other)
    csrf = client.csrf_token("/en/trainer/")
    url = f"/en/trainer/cohorts/{cohort.id}/learners/{enrolment.id}/extra-attempt"
    assert client.post(url, data={"module": "final-check", "csrf_token": csrf}).status_code == 404
    learner_client = app.test_client()
    login_as(learner_client, person)
    csrf = learner_client.csrf_token("/en/dashboard/")
    assert learner_client.post(url, data={"module": "final-check", "csrf_token": csrf}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AttemptGrant)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).filter_by(action="attempt.granted")) == 0


def test_a_grant_without_csrf_or_that_means_nothing_records_nothing(app, make_user, login_as):
    trainer, person, passer = make_user("trainer"), make_user(), make_user()
    cohort = make_cohort(trainer)
    enrolment = add_learner(cohort, person, final=20)
    passed = add_learner(cohort, passer, final=100)
    client = app.test_client()
    login_as(client, trainer)
    url = f"/en/trainer/cohorts/{cohort.id}/learners/{enrolment.id}/extra-attempt"
    assert client.post(url, data={"module": "final-check"}).status_code == 400  # no CSRF token
    page = f"/en/trainer/cohorts/{cohort.id}/learners/{enrolment.id}"
    response = client.submit(url, {"module": "positioning"}, page=page)  # not a graded assessment
    assert "Choose a graded assessment of this course." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    passed_url = f"/en/trainer/cohorts/{cohort.id}/learners/{passed.id}"
    response = client.submit(f"{passed_url}/extra-attempt", {"module": "final-check"}, page=passed_url)
    assert "already passed" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AttemptGrant)) == 0
