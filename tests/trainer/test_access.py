"""Every trainer URL: another trainer gets 404 (the cohort's existence is not confirmed), a learner 403."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from trainer_helpers import add_learner, make_cohort

from lumos_learn.models import CohortImport, Enrolment
from lumos_learn.trainer.csv_import import save_checked


@pytest.fixture
def setup(make_user, app, db):
    owner, stranger, learner = make_user("trainer"), make_user("trainer"), make_user("learner")
    cohort = make_cohort(owner)
    enrolment = add_learner(cohort, make_user())
    with app.test_request_context("/en/"):
        batch = save_checked(owner, cohort, "x.csv", [])
    return owner, stranger, learner, cohort, enrolment, batch


def cohort_urls(cohort, enrolment, batch):
    base = f"/en/trainer/cohorts/{cohort.id}"
    return [
        f"{base}/",
        f"{base}/progress",
        f"{base}/progress.csv",
        f"{base}/progress.xlsx",
        f"{base}/learners/{enrolment.id}",
        f"{base}/items",
        f"{base}/confidence",
        f"{base}/import",
        f"{base}/import/template.csv",
        f"{base}/import/{batch.id}",
    ]


def post_urls(cohort, owner, batch):
    base = f"/en/trainer/cohorts/{cohort.id}"
    return [f"{base}/trainers", f"{base}/trainers/{owner.id}/remove", f"{base}/import", f"{base}/import/{batch.id}"]


def test_owner_reaches_every_page(client, login_as, setup):
    owner, _stranger, _learner, cohort, enrolment, batch = setup
    login_as(client, owner)
    for url in [
        *cohort_urls(cohort, enrolment, batch),
        "/en/trainer/",
        "/en/trainer/cohorts/new",
        "/en/trainer/report",
        "/en/trainer/report.csv",
        "/en/trainer/report.xlsx",
        "/en/trainer/courses/demo-course/items",
    ]:
        assert client.get(url).status_code == 200, url


def test_another_trainer_gets_404_everywhere(client, login_as, setup, db):
    owner, stranger, _learner, cohort, enrolment, batch = setup
    login_as(client, stranger)
    for url in cohort_urls(cohort, enrolment, batch):
        assert client.get(url).status_code == 404, url
    token = client.csrf_token("/en/trainer/")
    for url in post_urls(cohort, owner, batch):
        assert client.post(url, data={"csrf_token": token, "email": stranger.email}).status_code == 404, url
    # Nor do their overall pages leak the cohort's learners.
    assert client.get("/en/trainer/courses/demo-course/items").status_code == 404
    assert "<strong>0</strong> people trained" in client.get("/en/trainer/report").get_data(as_text=True)
    assert db.session.execute(select(CohortImport.confirmed_at)).scalar_one() is None


def test_learner_gets_403_everywhere(client, login_as, setup):
    owner, _stranger, learner, cohort, enrolment, batch = setup
    login_as(client, learner)
    for url in [
        *cohort_urls(cohort, enrolment, batch),
        "/en/trainer/",
        "/en/trainer/cohorts/new",
        "/en/trainer/report",
        "/en/trainer/report.csv",
        "/en/trainer/courses/demo-course/items",
    ]:
        assert client.get(url).status_code == 403, url
    token = client.csrf_token("/en/dashboard/")
    for url in [*post_urls(cohort, owner, batch), "/en/trainer/cohorts/new"]:
        assert client.post(url, data={"csrf_token": token}).status_code == 403, url


def test_anonymous_visitor_is_sent_to_sign_in(client, setup):
    _owner, _stranger, _learner, cohort, enrolment, batch = setup
    for url in [*cohort_urls(cohort, enrolment, batch), "/en/trainer/report"]:
        response = client.get(url)
        assert response.status_code in (302, 401) and "/auth/login" in response.headers.get(
            "Location", "/auth/login"
        ), url


def test_admin_sees_every_cohort(client, login_as, admin, setup):
    _owner, _stranger, _learner, cohort, enrolment, batch = setup
    login_as(client, admin)
    for url in cohort_urls(cohort, enrolment, batch):
        assert client.get(url).status_code == 200, url


def test_learner_of_another_cohort_is_404_through_this_cohort(client, login_as, make_user, setup):
    owner, _stranger, _learner, cohort, _enrolment, _batch = setup
    elsewhere = add_learner(make_cohort(make_user("trainer")), make_user())
    login_as(client, owner)
    assert client.get(f"/en/trainer/cohorts/{cohort.id}/learners/{elsewhere.id}").status_code == 404


def test_import_batch_of_another_cohort_is_404(client, login_as, setup, app, db):
    owner, _stranger, _learner, cohort, _enrolment, _batch = setup
    other_cohort = make_cohort(owner, "Other")
    with app.test_request_context("/en/"):
        other_batch = save_checked(owner, other_cohort, "y.csv", [])
    login_as(client, owner)
    assert client.get(f"/en/trainer/cohorts/{cohort.id}/import/{other_batch.id}").status_code == 404
    assert db.session.execute(select(Enrolment)).scalars().all()  # untouched
