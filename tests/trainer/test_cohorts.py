"""Creating cohorts, joining by code, co-trainers."""

from __future__ import annotations

from sqlalchemy import select
from trainer_helpers import make_cohort

from lumos_learn.models import AuditEvent, Cohort, Enrolment


def test_trainer_creates_a_cohort_and_sees_its_join_link(client, make_user, login_as, db):
    trainer = make_user("trainer")
    login_as(client, trainer)
    response = client.submit(
        "/en/trainer/cohorts/new",
        {
            "course": "demo-course",
            "name": "Shumen care staff",
            "language": "ro",
            "starts_on": "2027-03-01",
            "ends_on": "2027-06-30",
            "deadline": "2027-06-15",
        },
    )
    assert response.status_code == 302
    cohort = db.session.execute(select(Cohort)).scalar_one()
    assert [t.id for t in cohort.trainers] == [trainer.id] and len(cohort.join_code) == 8
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"/ro/join/{cohort.join_code}" in page and cohort.join_code in page
    assert db.session.execute(select(AuditEvent).filter_by(action="cohort.created")).scalar_one().target_id == str(
        cohort.id
    )
    assert "Shumen care staff" in client.get("/en/trainer/").get_data(as_text=True)


def test_cohort_form_errors_are_next_to_the_fields_and_input_kept(client, make_user, login_as, db):
    login_as(client, make_user("trainer"))
    response = client.submit(
        "/en/trainer/cohorts/new",
        {
            "course": "demo-course",
            "name": "Kept name",
            "language": "bg",
            "starts_on": "2027-06-01",
            "ends_on": "2027-03-01",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="language-error"' in html and 'id="ends_on-error"' in html and 'value="Kept name"' in html
    assert db.session.execute(select(Cohort)).first() is None


def test_learner_joins_by_code_typed_loosely(client, make_user, login_as, learner, db):
    cohort = make_cohort(make_user("trainer"))
    login_as(client, learner)
    typed = cohort.join_code[:4].lower() + " " + cohort.join_code[4:].lower()
    response = client.submit("/en/join", {"code": typed})
    assert response.headers["Location"] == f"/en/join/{cohort.join_code}"
    response = client.submit(f"/en/join/{cohort.join_code}")
    assert response.status_code == 302
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    assert enrolment.cohort_id == cohort.id and enrolment.course_slug == "demo-course"
    # Joining again changes nothing.
    client.submit(f"/en/join/{cohort.join_code}")
    assert len(db.session.execute(select(Enrolment)).all()) == 1


def test_unknown_or_archived_code_is_refused(client, make_user, login_as, learner, db):
    cohort = make_cohort(make_user("trainer"))
    cohort.archived = True
    db.session.commit()
    login_as(client, learner)
    response = client.submit("/en/join", {"code": cohort.join_code})
    assert response.status_code == 400 and 'id="code-error"' in response.get_data(as_text=True)
    assert client.get(f"/en/join/{cohort.join_code}").status_code == 404


def test_learner_in_another_cohort_stays_there(client, make_user, login_as, learner, db):
    first, second = make_cohort(make_user("trainer"), "First"), make_cohort(make_user("trainer"), "Second")
    login_as(client, learner)
    client.submit(f"/en/join/{first.join_code}")
    response = client.submit(f"/en/join/{second.join_code}")
    assert "another group" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.execute(select(Enrolment.cohort_id)).scalar_one() == first.id


def test_anonymous_visitor_is_asked_to_sign_in_first(client, make_user):
    cohort = make_cohort(make_user("trainer"))
    assert "Sign in" in client.get(f"/en/join/{cohort.join_code}").get_data(as_text=True)
    assert (
        "/auth/login"
        in client.post(f"/en/join/{cohort.join_code}", data={"csrf_token": client.csrf_token("/en/join")}).headers[
            "Location"
        ]
    )


def test_co_trainer_added_sees_the_cohort_and_can_be_removed(client, make_user, login_as, app, db):
    owner, colleague = make_user("trainer"), make_user("trainer", email="colleague@example.org")
    cohort = make_cohort(owner)
    login_as(client, owner)
    page = f"/en/trainer/cohorts/{cohort.id}/"
    response = client.submit(f"/en/trainer/cohorts/{cohort.id}/trainers", {"email": "Colleague@Example.org"}, page=page)
    assert response.status_code == 302
    other = app.test_client()
    login_as(other, colleague)
    assert other.get(page).status_code == 200
    client.submit(f"/en/trainer/cohorts/{cohort.id}/trainers/{colleague.id}/remove", page=page)
    assert other.get(page).status_code == 404
    actions = [e.action for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]
    assert actions == ["cohort.created", "cohort.trainer_added", "cohort.trainer_removed"]


def test_only_trainer_accounts_can_be_co_trainers_and_the_last_one_stays(client, make_user, login_as, learner, db):
    owner = make_user("trainer")
    cohort = make_cohort(owner)
    login_as(client, owner)
    page = f"/en/trainer/cohorts/{cohort.id}/"
    response = client.submit(f"/en/trainer/cohorts/{cohort.id}/trainers", {"email": learner.email}, page=page)
    assert response.status_code == 400 and "no trainer account" in response.get_data(as_text=True)
    response = client.submit(f"/en/trainer/cohorts/{cohort.id}/trainers/{owner.id}/remove", page=page)
    assert "at least one trainer" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert [t.id for t in db.session.get(Cohort, cohort.id).trainers] == [owner.id]


def test_a_newcomer_who_registers_from_a_join_link_ends_in_the_cohort(client, make_user, db):
    cohort = make_cohort(make_user("trainer"), "Balti teachers", language="ro")
    join_page = client.get(f"/ro/join/{cohort.join_code}").get_data(as_text=True)
    register_link = f"/ro/auth/register?next=/ro/join/{cohort.join_code}"
    assert f'href="{register_link}"' in join_page
    # The registration page says which group the account will join (anyone may have handed over the link).
    assert "Balti teachers" in client.get(register_link).get_data(as_text=True)
    form = {
        "full_name": "Nou Venit",
        "email": "nou.venit@example.md",
        "password": "livada de meri 1987",
        "confirm": "livada de meri 1987",
        "preferred_language": "ro",
        "country": "MD",
        "organisation": "",
        "professional_role": "teacher",
    }
    response = client.submit(register_link, form)
    assert response.status_code == 302 and response.headers["Location"] == "/ro/courses/demo-course/confidence/before"
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    assert enrolment.cohort_id == cohort.id and enrolment.user.email == "nou.venit@example.md"
    assert "Balti teachers" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_registration_with_a_join_link_of_an_archived_cohort_just_registers(client, make_user, db):
    cohort = make_cohort(make_user("trainer"))
    cohort.archived = True
    db.session.commit()
    form = {
        "full_name": "Late Comer",
        "email": "late@example.org",
        "password": "livada de meri 1987",
        "confirm": "livada de meri 1987",
        "preferred_language": "en",
        "country": "",
        "organisation": "",
        "professional_role": "teacher",
    }
    response = client.submit(f"/en/auth/register?next=/en/join/{cohort.join_code}", form)
    assert response.status_code == 302 and response.headers["Location"] == f"/en/join/{cohort.join_code}"
    assert db.session.execute(select(Enrolment)).first() is None
