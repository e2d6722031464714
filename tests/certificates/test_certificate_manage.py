"""Revoking and re-issuing: admins and the cohort's trainers, with a reason, recorded in the audit log."""

from __future__ import annotations

from sqlalchemy import select
from support import plain_text

from lumos_learn.certificates.services import certificate_for
from lumos_learn.models import AuditEvent, Certificate


def manage_url(code: str) -> str:
    return f"/en/admin/certificates/{code}/"


def test_admin_revokes_with_a_reason_recorded_with_who_and_when(client, admin, login_as, certificate, db):
    login_as(client, admin)
    response = client.submit(
        manage_url(certificate.code) + "revoke",
        {"reason": "Quiz answers were shared"},
        page=manage_url(certificate.code),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert certificate.revoked_at is not None and certificate.revoked_by_id == admin.id
    assert certificate.revocation_reason == "Quiz answers were shared"
    event = db.session.execute(select(AuditEvent).filter_by(action="certificate.revoke")).scalar_one()
    assert event.actor_id == admin.id and event.target_id == certificate.code
    assert "Revoked" in client.get(f"/verify/{certificate.code}").get_data(as_text=True)


def test_revoking_needs_a_reason_kept_next_to_the_field(client, admin, login_as, certificate, db):
    login_as(client, admin)
    response = client.submit(manage_url(certificate.code) + "revoke", {"reason": ""}, page=manage_url(certificate.code))
    assert response.status_code == 400
    assert 'id="reason-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert certificate.revoked_at is None


def test_forms_refuse_posts_without_csrf(client, admin, login_as, certificate, db):
    login_as(client, admin)
    response = client.post(manage_url(certificate.code) + "revoke", data={"reason": "x"})
    assert response.status_code == 400
    db.session.expire_all()
    assert certificate.revoked_at is None


def test_cohort_trainer_may_manage_others_may_not(client, make_user, login_as, finish, cohort_with_trainer, db):
    cohort, trainer = cohort_with_trainer
    code = certificate_for(finish(make_user(), cohort=cohort)).code
    outsider_code = certificate_for(finish(make_user())).code
    login_as(client, trainer)
    listing = client.get("/en/admin/certificates/").get_data(as_text=True)
    assert code in listing and outsider_code not in listing
    assert client.get(manage_url(code)).status_code == 200
    assert client.get(manage_url(outsider_code)).status_code == 404
    login_as(client, make_user("trainer"))
    assert client.get(manage_url(code)).status_code == 404
    login_as(client, make_user())
    assert client.get("/en/admin/certificates/").status_code == 403


def test_reissue_after_name_correction_keeps_the_old_code_working(client, admin, learner, login_as, certificate, db):
    old_code = certificate.code
    learner.full_name = "Ana Popescu-Ionescu"
    db.session.commit()
    login_as(client, admin)
    page = client.get(manage_url(old_code)).get_data(as_text=True)
    assert 'value="Ana Popescu-Ionescu"' in page  # prefilled with the corrected registered name
    response = client.submit(
        manage_url(old_code) + "reissue",
        {"recipient_name": "Ana Popescu-Ionescu", "reissue_reason": "Name changed"},
        page=manage_url(old_code),
    )
    assert response.status_code == 302
    db.session.expire_all()
    new = db.session.execute(select(Certificate).filter_by(recipient_name="Ana Popescu-Ionescu")).scalar_one()
    old = db.session.execute(select(Certificate).filter_by(code=old_code)).scalar_one()
    assert old.superseded_by_id == new.id and old.revoked_at is not None and new.code != old_code
    assert new.enrolment_id is not None and old.enrolment_id is None and new.status_index != old.status_index
    assert "Ana Popescu-Ionescu" in client.get(f"/verify/{old_code}").get_data(as_text=True)
    login_as(client, learner)
    assert client.get(f"/certificates/{old_code}.pdf").status_code == 200  # the old code leads to the new PDF
    dashboard = client.get("/en/dashboard/").get_data(as_text=True)
    assert new.code in dashboard and old_code not in dashboard


def test_list_filters_by_course_version(client, admin, login_as, make_user, finish, db):
    old = certificate_for(finish(make_user(name="Olga Old")))
    old.course_version = "0.9"
    db.session.commit()
    certificate_for(finish(make_user(name="Nina New")))
    login_as(client, admin)
    page = client.get("/en/admin/certificates/?course=demo-course&version=0.9").get_data(as_text=True)
    assert "Olga Old" in page and "Nina New" not in page


def test_revocation_reaches_the_learner_on_the_dashboard_in_the_pdf_and_by_email(
    client, admin, learner, login_as, certificate, db, outbox
):
    import io

    from pypdf import PdfReader

    from lumos_learn.certificates.services import revoke_certificate

    login_as(client, learner)
    page = client.get("/en/dashboard/").get_data(as_text=True)
    assert f"/certificates/{certificate.code}.pdf" in page and "Revoked on" not in page
    learner.preferred_language = "ro"
    db.session.commit()

    revoke_certificate(certificate, admin, "Quiz answers copied from another learner")

    page = client.get("/en/dashboard/").get_data(as_text=True)
    assert "Revoked on" in page and "Quiz answers copied from another learner" in page
    assert f"/certificates/{certificate.code}.pdf" not in page  # no longer offered as a valid PDF
    assert f"/certificates/{certificate.code}/credential" not in page

    pdf = PdfReader(io.BytesIO(client.get(f"/certificates/{certificate.code}.pdf?lang=fr").data))
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "RÉVOQUÉ" in text and "Révoqué le" in text  # the diagonal mark and its date, in the PDF's language

    mail = outbox[-1]  # after the "certificate issued" e-mail
    assert mail["To"] == learner.email
    body = plain_text(mail)
    assert "revocat" in mail["Subject"].lower()  # Romanian, the learner's language
    assert certificate.code in body and "Quiz answers copied from another learner" in body
    assert f"/verify/{certificate.code}" in body


def test_a_failing_mail_server_does_not_undo_the_revocation(app, admin, learner, certificate, db):
    from lumos_learn.certificates.services import revoke_certificate

    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", 9  # nothing listens on the discard port
    revoke_certificate(certificate, admin, "Duplicate account")
    db.session.refresh(certificate)
    assert certificate.revoked_at is not None
