"""Who may open what: every route of the app × anonymous / learner / other learner / trainer / other
trainer / admin, with the status each must get.

Routes are enumerated from `app.url_map`: a new route without an entry in ROUTES fails
`test_every_route_has_an_entry`. Objects in the URLs (cohort, enrolment, attempt, certificate, import
batch) belong to the learner and the trainer of "their" cohort; the *other* learner and trainer have
the same kind of objects of their own, so a 403/404 for them is the IDOR check: changing an id or a
code in the URL must not reach someone else's data.

POST bodies carry a valid CSRF token (the status shows the access decision, not the CSRF check) and
are chosen not to change the shared world (wrong password, empty form, unknown role...).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pyotp
import pytest
from sqlalchemy import delete, select
from support import PASSWORD, ROOT, Client, database_uri, release_database
from test_learning_journey import COURSE, final_answers, quiz_token
from werkzeug.routing import IntegerConverter

from lumos_learn import create_app
from lumos_learn.auth.services import create_user
from lumos_learn.certificates.keys import write_key_file
from lumos_learn.course_library import library
from lumos_learn.extensions import db as _db
from lumos_learn.extensions import limiter
from lumos_learn.learn.enrolment import enrol
from lumos_learn.models import (
    Certificate,
    Cohort,
    CohortImport,
    CohortTrainer,
    Enrolment,
    QuizAttempt,
    UserSession,
    utcnow,
)

ASSIGNMENT = f"{COURSE}positioning/assignment"
ROLES = ("anonymous", "learner", "other_learner", "trainer", "other_trainer", "admin")
LOGIN = "login"  # a 302 to the sign-in page
SETUP_2FA = "2fa"  # a 302 to setting up two-step sign-in


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=LOGIN):
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], status)}


def trainers(status, *, other_trainer=None, learner=403):
    """Trainer pages: anonymous signs in, learners get 403, the other trainer `other_trainer` (IDOR)."""
    return {
        "anonymous": LOGIN,
        "learner": learner,
        "other_learner": learner,
        "trainer": status,
        "other_trainer": status if other_trainer is None else other_trainer,
        "admin": status,
    }


def admins(status):
    return {
        "anonymous": LOGIN,
        "learner": 403,
        "other_learner": 403,
        "trainer": 403,
        "other_trainer": 403,
        "admin": status,
    }


@dataclass
class Route:
    url: str
    expected: dict
    method: str = "GET"
    data: dict = field(default_factory=dict)
    note: str = ""


# {cohort} {enrolment} {attempt} {code} {batch} {learner_id} {other_trainer_id} {join_code} are the
# learner's / trainer's objects (see World). Expected statuses per role.
ROUTES: dict[str, list[Route]] = {
    "main.root": [Route("/", everyone(302))],
    "main.home": [Route("/en/", everyone(200))],
    "main.accessibility": [Route("/en/accessibility", everyone(200))],
    "main.healthz": [Route("/healthz", everyone(200))],
    "main.favicon": [Route("/favicon.ico", everyone(302), note="the site icon, for pages that name none")],
    "main.service_worker": [Route("/sw.js", everyone(200), note="the offline service worker: public code")],
    "main.course_media": [
        Route(
            "/media/demo-course/no-such-image.png",
            everyone(404),
            note="media is public (course content); see test_hostile_input for traversal",
        )
    ],
    # Accounts
    "auth.login": [
        Route("/en/auth/login", {**everyone(200), **dict.fromkeys(ROLES[1:], 302)}),
        Route(
            "/en/auth/login",
            {**everyone(200), **dict.fromkeys(ROLES[1:], 302)},
            "POST",
            {"email": "nobody@example.org", "password": "not it"},
        ),
    ],
    "auth.login_code": [Route("/en/auth/login/code", everyone(LOGIN), note="needs the password step first")],
    "auth.logout": [Route("/en/auth/logout", signed_in(302), "POST")],
    "auth.register": [Route("/en/auth/register", {**everyone(200), **dict.fromkeys(ROLES[1:], 302)})],
    "auth.account": [
        Route("/en/auth/account", signed_in(200)),
        Route("/en/auth/account", signed_in(200), "POST", {"full_name": ""}),
    ],
    "auth.change_password": [
        Route("/en/auth/account/password", signed_in(200)),
        Route(
            "/en/auth/account/password",
            signed_in(200),
            "POST",
            {"current_password": "wrong", "password": "x", "confirm": "y"},
        ),
    ],
    "auth.reset_request": [Route("/en/auth/reset", everyone(200))],
    "auth.reset_password": [Route("/en/auth/reset/not-a-token", everyone(400))],
    "auth.two_factor_status": [Route("/en/auth/account/two-factor", signed_in(200))],
    "auth.two_factor_setup": [
        Route("/en/auth/account/two-factor/setup", {**signed_in(200), "admin": 302})
    ],  # the admin has it on: sent to status
    "auth.two_factor_disable": [
        Route(
            "/en/auth/account/two-factor/disable",
            {**signed_in(302), "admin": 400},
            "POST",
            {"disable-password": "wrong", "disable-code": "000000"},
        )
    ],
    "auth.two_factor_recovery_codes": [
        Route(
            "/en/auth/account/two-factor/recovery-codes",
            {**signed_in(302), "admin": 400},
            "POST",
            {"codes-password": "wrong", "codes-code": "000000"},
        )
    ],
    "auth.my_data": [Route("/en/auth/account/data", signed_in(200))],
    "auth.export_data": [Route("/en/auth/account/data/export.json", signed_in(200))],
    "auth.delete_my_account": [Route("/en/auth/account/delete", signed_in(400), "POST", {"password": "wrong"})],
    # Learning: course pages are public; a learner's own state is reached only through their enrolment.
    "learn.catalogue": [Route("/en/courses/", everyone(200))],
    "learn.course": [Route(COURSE, everyone(200)), Route("/en/courses/no-such-course/", everyone(404))],
    "learn.lesson": [Route(f"{COURSE}positioning/", everyone(200))],
    "learn.enrol_in_course": [Route(f"{COURSE}enrol", signed_in(302), "POST", {"content_language": "en"})],
    "learn.change_content_language": [
        Route(
            f"{COURSE}content-language",
            {**signed_in(404), "learner": 400, "other_learner": 400},
            "POST",
            {"content_language": "xx"},
            note="404 for people not enrolled; 400 for a language the course lacks",
        )
    ],
    "learn.confidence_form": [
        Route(f"{COURSE}confidence/before", {**signed_in(404), "learner": 200, "other_learner": 200})
    ],
    "learn.completed": [Route(f"{COURSE}completed", {**signed_in(404), "learner": 200, "other_learner": 200})],
    "learn.mark_module_read": [
        Route(f"{COURSE}positioning/read", {**signed_in(404), "learner": 302, "other_learner": 302}, "POST")
    ],
    "learn.quiz": [
        Route(
            f"{COURSE}final-check/quiz",
            {**signed_in(404), "learner": 400, "other_learner": 302},
            "POST",
            {"token": "{other_attempt_token}", "action": "save"},
            note="the learner posting the other learner's attempt token: 400, nothing recorded; "
            "the other learner saving their own: 302",
        )
    ],
    "learn.attempt_result": [
        Route(
            f"{COURSE}final-check/attempts/{{attempt}}",
            {**signed_in(404), "learner": 200},
            note="the other learner (enrolled too) changes the id: 404",
        )
    ],
    "learn.dashboard": [Route("/en/dashboard/", signed_in(200))],
    # Paper and offline: job aids and lesson PDFs are public like the lessons; what to save is per enrolment.
    "learn.job_aid": [
        Route(f"{COURSE}aids/meal-record/", everyone(200)),
        Route(f"{COURSE}aids/no-such-aid/", everyone(404)),
    ],
    "learn.job_aid_pdf": [Route(f"{COURSE}aids/meal-record.pdf", everyone(200))],
    "learn.job_aid_xlsx": [Route(f"{COURSE}aids/meal-record.xlsx", everyone(200))],
    "learn.lesson_pdf": [Route(f"{COURSE}positioning/lesson.pdf", everyone(200))],
    "learn.offline_manifest_json": [
        Route(
            f"{COURSE}offline.json",
            {**signed_in(404), "learner": 200, "other_learner": 200},
            note="enrolled learners only; it lists public pages, in the asker's own reading language",
        )
    ],
    "learn.offline_page": [Route("/en/offline/", everyone(200))],
    "learn.join": [Route("/en/join", everyone(200))],
    "learn.join_cohort": [Route("/en/join/{join_code}", everyone(200)), Route("/en/join/NOSUCHCODE", everyone(404))],
    # Trainer area: the other trainer does not train the cohort and gets 404 for it and its objects.
    "trainer.cohorts": [Route("/en/trainer/", trainers(200))],
    "trainer.new_cohort": [Route("/en/trainer/cohorts/new", trainers(200))],
    "trainer.cohort": [Route("/en/trainer/cohorts/{cohort}/", trainers(200, other_trainer=404))],
    "trainer.add_trainer": [
        Route(
            "/en/trainer/cohorts/{cohort}/trainers",
            trainers(400, other_trainer=404),
            "POST",
            {"email": "nobody@example.org"},
        )
    ],
    "trainer.remove_trainer": [
        Route(
            "/en/trainer/cohorts/{cohort}/trainers/{learner_id}/remove",
            trainers(404),
            "POST",
            note="not a trainer of the cohort: 404 for everyone",
        )
    ],
    "trainer.extra_attempt": [
        Route(
            "/en/trainer/cohorts/{cohort}/learners/{enrolment}/extra-attempt",
            trainers(302, other_trainer=404),
            "POST",
            {"module": "final-check"},
            note="the learner has passed: refused with a message, nothing granted",
        ),
        Route(
            "/en/trainer/cohorts/{cohort}/learners/{other_enrolment}/extra-attempt",
            trainers(404, other_trainer=404),
            "POST",
            {"module": "final-check"},
            note="a learner of another cohort",
        ),
    ],
    "trainer.import_learners": [Route("/en/trainer/cohorts/{cohort}/import", trainers(200, other_trainer=404))],
    "trainer.import_template": [
        Route("/en/trainer/cohorts/{cohort}/import/template.csv", trainers(200, other_trainer=404))
    ],
    "trainer.import_preview": [
        Route("/en/trainer/cohorts/{cohort}/import/{batch}", trainers(200, other_trainer=404)),
        Route(
            "/en/trainer/cohorts/{other_cohort}/import/{batch}",
            trainers(404, other_trainer=404),
            note="a batch of another cohort",
        ),
    ],
    "trainer.grid": [Route("/en/trainer/cohorts/{cohort}/progress", trainers(200, other_trainer=404))],
    "trainer.export_grid": [Route("/en/trainer/cohorts/{cohort}/progress.csv", trainers(200, other_trainer=404))],
    "trainer.learner": [
        Route("/en/trainer/cohorts/{cohort}/learners/{enrolment}", trainers(200, other_trainer=404)),
        Route(
            "/en/trainer/cohorts/{cohort}/learners/{other_enrolment}",
            trainers(404, other_trainer=404),
            note="a learner of another cohort",
        ),
    ],
    "trainer.cohort_items": [Route("/en/trainer/cohorts/{cohort}/items", trainers(200, other_trainer=404))],
    "trainer.course_items": [Route("/en/trainer/courses/demo-course/items", trainers(200))],
    "trainer.confidence": [Route("/en/trainer/cohorts/{cohort}/confidence", trainers(200, other_trainer=404))],
    "trainer.messages": [Route("/en/trainer/cohorts/{cohort}/messages", trainers(200, other_trainer=404))],
    "trainer.message_settings": [
        Route(
            "/en/trainer/cohorts/{cohort}/messages/settings",
            trainers(400, other_trainer=404),
            "POST",
            {"starts_on": "2027-02-01", "ends_on": "2027-01-01"},
            note="an end before the start: refused next to the field, nothing saved",
        )
    ],
    "trainer.post_announcement": [
        Route(
            "/en/trainer/cohorts/{cohort}/messages/announce",
            trainers(400, other_trainer=404),
            "POST",
            {"subject": "", "body": ""},
            note="an empty announcement: refused, nothing sent",
        )
    ],
    "trainer.report": [Route("/en/trainer/report", trainers(200))],
    "trainer.export_report": [Route("/en/trainer/report.csv", trainers(200))],
    # Administration
    "admin.users": [Route("/en/admin/", admins(200))],
    "admin.set_role": [Route("/en/admin/users/{learner_id}/role", admins(400), "POST", {"role": "emperor"})],
    "admin.person": [Route("/en/admin/users/{learner_id}/", admins(200))],
    "admin.suspend": [
        Route("/en/admin/users/{learner_id}/suspend", admins(400), "POST", {"reason": ""}, note="a reason is required")
    ],
    "admin.reactivate": [
        Route("/en/admin/users/{learner_id}/reactivate", admins(302), "POST", note="already active: nothing changes")
    ],
    "admin.send_reset": [Route("/en/admin/users/{learner_id}/password-reset", admins(302), "POST")],
    "admin.reset_two_factor": [
        Route("/en/admin/users/{learner_id}/two-factor/reset", admins(400), "POST", {"two_factor_reason": ""})
    ],
    "admin.audit_log": [Route("/en/admin/audit", admins(200))],
    "admin.outbox": [Route("/en/admin/outbox", admins(200))],
    "admin.retry_message": [
        Route("/en/admin/outbox/999999/retry", admins(404), "POST", note="no such message: nothing to retry")
    ],
    # One-click unsubscribe: the signed token is the credential, so anyone holding the link may use it; a forged
    # or altered token is a 404 for everyone.
    "notifications.unsubscribe": [
        Route("/en/notifications/unsubscribe/forged-token", everyone(404)),
        Route("/en/notifications/unsubscribe/forged-token", everyone(404), "POST"),
    ],
    # Certificates: verification is public; files are for the owner, the cohort's trainers and admins.
    "certificates.verify_form": [Route("/verify/", everyone(200))],
    "certificates.verify": [Route("/verify/{code}", everyone(200))],
    "certificates.verify_json": [
        Route("/verify/{code}.json", everyone(200), note="public, like the verify page"),
        Route("/verify/LL-0000-0000-0000-0000-0000-0000-0000.json", everyone(404)),
    ],
    "certificates.download_pdf": [
        Route(
            "/certificates/{code}.pdf", {**signed_in(404, anonymous=404), "learner": 200, "trainer": 200, "admin": 200}
        )
    ],
    "certificates.download_credential_jwt": [
        Route(
            "/certificates/{code}/credential.jwt",
            {**signed_in(404, anonymous=404), "learner": 200, "trainer": 200, "admin": 200},
        )
    ],
    "certificates.download_credential_json": [
        Route(
            "/certificates/{code}/credential.json",
            {**signed_in(404, anonymous=404), "learner": 200, "trainer": 200, "admin": 200},
        )
    ],
    "certificates.jwks": [Route("/.well-known/jwks.json", everyone(200))],
    "certificates.public_key": [Route("/keys/not-a-thumbprint.json", everyone(404))],
    "certificates.issuer": [Route("/issuer", everyone(200))],
    "certificates.status_list_jwt": [Route("/status/1", everyone(200))],
    "certificates.status_list_json": [Route("/status/1.json", everyone(200))],
    "certificates.manage_list": [Route("/en/admin/certificates/", trainers(200))],
    "certificates.manage": [Route("/en/admin/certificates/{code}/", trainers(200, other_trainer=404))],
    "certificates.revoke": [
        Route("/en/admin/certificates/{code}/revoke", trainers(400, other_trainer=404), "POST", {"reason": ""})
    ],
    # Assignments: the learner's own work (through their enrolment); files and marking for the learner's cohort
    # trainers and admins only. The learner's work is submitted, so the learner's POSTs are refused (nothing changes).
    "assignments.assignment": [
        Route(ASSIGNMENT, {**signed_in(404), "learner": 200, "other_learner": 200}),
        Route(
            ASSIGNMENT,
            {**signed_in(404), "learner": 400, "other_learner": 400},
            "POST",
            {"action": "save", "text": "changed"},
            note="submitted work cannot change: refused next to the field",
        ),
    ],
    "assignments.autosave": [
        Route(f"{ASSIGNMENT}/draft", {**signed_in(404), "learner": 409, "other_learner": 409}, "POST", {"text": "x"})
    ],
    "assignments.remove_file": [
        Route(
            f"{ASSIGNMENT}/files/{{file}}/remove",
            {**signed_in(404), "learner": 302},
            "POST",
            note="the owner is refused (work submitted) with a message; anyone else: 404",
        )
    ],
    "assignments.self_assess": [
        Route(f"{ASSIGNMENT}/self-assessment", signed_in(404), "POST", note="the course is marked by trainers")
    ],
    "assignments.download_file": [
        Route("/en/files/{file}", {**signed_in(404), "learner": 200, "trainer": 200, "admin": 200}),
        Route("/en/files/not-a-file-id", signed_in(404)),
    ],
    "assignments.marking_queue": [Route("/en/trainer/cohorts/{cohort}/marking", trainers(200, other_trainer=404))],
    "assignments.mark": [
        Route("/en/trainer/submissions/{submission}", {**trainers(200, other_trainer=404, learner=404)}),
        Route(
            "/en/trainer/submissions/{submission}",
            {**trainers(400, other_trainer=404, learner=404)},
            "POST",
            {"decision": "passed"},
            note="no levels chosen: refused next to the fields, nothing recorded",
        ),
    ],
    "assignments.cohort_zip": [Route("/en/trainer/cohorts/{cohort}/submissions.zip", trainers(200, other_trainer=404))],
    "assignments.my_assessments": [Route("/en/trainer/assessments/", {**signed_in(404), "admin": 200})],
    "assignments.assessor_queue": [
        Route("/en/trainer/assessments/demo-course", {**signed_in(404), "admin": 200}, note="nobody assesses it")
    ],
    "assignments.assessors": [
        Route("/en/admin/assessors", admins(200)),
        Route("/en/admin/assessors", admins(400), "POST", {"course": "demo-course", "email": "nobody@example.org"}),
    ],
    "assignments.remove_assessor": [
        Route("/en/admin/assessors/{learner_id}/demo-course/remove", admins(404), "POST", note="not an assessor")
    ],
    "certificates.reissue": [
        Route(
            "/en/admin/certificates/{code}/reissue",
            trainers(400, other_trainer=404),
            "POST",
            {"recipient_name": "", "reason": ""},
        )
    ],
}


class World:
    """Two learners in two cohorts of two trainers, each learner with a completed course, quiz attempts
    and a certificate; an admin with two-step sign-in on."""

    def __init__(self, app):
        self.app = app
        self.users = {
            "learner": create_user(email="learner@example.org", password=PASSWORD, full_name="Lena Learner"),
            "other_learner": create_user(email="other.learner@example.org", password=PASSWORD, full_name="Otto Other"),
            "trainer": create_user(
                email="trainer@example.org", password=PASSWORD, full_name="Tara Trainer", role="trainer"
            ),
            "other_trainer": create_user(
                email="other.trainer@example.org", password=PASSWORD, full_name="Umar Other-Trainer", role="trainer"
            ),
            "admin": create_user(email="admin@example.org", password=PASSWORD, full_name="Ada Admin", role="admin"),
        }
        admin = self.users["admin"]
        admin.totp_secret, admin.totp_confirmed_at = pyotp.random_base32(), utcnow()
        self.cohort = self._cohort("trainer", "Cohort of Tara", "TARACODE")
        self.other_cohort = self._cohort("other_trainer", "Cohort of Umar", "UMARCODE")
        _db.session.commit()
        self.enrolment, self.attempt = self._complete_course("learner", self.cohort)
        self.other_enrolment, _ = self._complete_course("other_learner", self.other_cohort)
        self.other_attempt_token = self._open_attempt_token("other_learner")
        batch = CohortImport(
            cohort_id=self.cohort.id, created_by_id=self.users["trainer"].id, filename="x.csv", rows=[]
        )
        _db.session.add(batch)
        _db.session.commit()
        self.batch = batch.id
        certificate = _db.session.execute(select(Certificate).filter_by(enrolment_id=self.enrolment)).scalar_one()
        self.code = certificate.code
        self.submission, self.file = self._submit_assignment("learner")
        self._submit_assignment("other_learner")

    def _submit_assignment(self, role: str) -> tuple[int, str]:
        """The learner's assignment, submitted with a file: (submission id, the file's public id)."""
        from fpdf import FPDF

        from lumos_learn.assignments.models import SubmissionFile

        pdf = FPDF()
        pdf.add_page()
        text = (
            "Dan sits upright, hips at ninety degrees, feet supported; I stop and get help if he keeps coughing. " * 2
        )
        response = self.client(role).submit(
            ASSIGNMENT,
            {"action": "submit", "text": text, "files": [(io.BytesIO(bytes(pdf.output())), "plan.pdf")]},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
        file = _db.session.execute(select(SubmissionFile).order_by(SubmissionFile.id.desc()).limit(1)).scalar_one()
        return file.submission_id, file.public_id

    def _cohort(self, trainer: str, name: str, code: str) -> Cohort:
        cohort = Cohort(
            course_slug="demo-course", name=name, language="en", join_code=code, created_by_id=self.users[trainer].id
        )
        _db.session.add(cohort)
        _db.session.flush()
        _db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=self.users[trainer].id))
        return cohort

    def client(self, role: str) -> Client:
        client = self.app.test_client()
        if role != "anonymous":
            user_session = UserSession(user_id=self.users[role].id)
            _db.session.add(user_session)
            _db.session.commit()
            with client.session_transaction() as session:
                session["_user_id"] = user_session.token
        return client

    def _complete_course(self, role: str, cohort: Cohort) -> tuple[int, int]:
        """Enrol in the cohort, fail the final check once, read, then pass: the course is completed."""
        enrolment, _created = enrol(self.users[role], library().get("demo-course"), "en", cohort)
        client = self.client(role)
        lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
        failed = client.submit(
            f"{COURSE}final-check/quiz",
            {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=False)},
            page=f"{COURSE}final-check/",
        )
        assert failed.status_code == 302
        client.submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
        lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
        client.submit(
            f"{COURSE}final-check/quiz",
            {"token": quiz_token(lesson), "action": "submit", **final_answers(lesson, right=True)},
            page=f"{COURSE}final-check/",
        )
        attempt = (
            _db.session.execute(select(QuizAttempt.id).filter_by(enrolment_id=enrolment.id).order_by(QuizAttempt.id))
            .scalars()
            .first()
        )
        return enrolment.id, attempt

    def _open_attempt_token(self, role: str) -> str:
        lesson = self.client(role).get(f"{COURSE}final-check/").get_data(as_text=True)
        return quiz_token(lesson)

    def undo_enrolments(self) -> None:
        """Routes like enrol change who is enrolled; every test starts from the world as built."""
        _db.session.execute(delete(Enrolment).where(Enrolment.id.not_in([self.enrolment, self.other_enrolment])))
        _db.session.commit()

    def fill(self, url: str) -> str:
        return url.format(
            cohort=self.cohort.id,
            other_cohort=self.other_cohort.id,
            enrolment=self.enrolment,
            other_enrolment=self.other_enrolment,
            attempt=self.attempt,
            code=self.code,
            batch=self.batch,
            learner_id=self.users["learner"].id,
            join_code=self.cohort.join_code,
            other_trainer_id=self.users["other_trainer"].id,
            other_attempt_token=self.other_attempt_token,
            submission=self.submission,
            file=self.file,
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    uri = database_uri(tmp_path_factory.mktemp("matrix"))
    key = tmp_path_factory.mktemp("matrix-key") / "issuer.pem"
    write_key_file(key, bits=2048)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": uri,
            "RATELIMIT_STORAGE_URI": "memory://",
            "COURSES_DIR": str(ROOT / "tests" / "data" / "courses"),
            "CERTIFICATE_KEY_FILE": str(key),
            "CERTIFICATE_KEY_PEM": "",
        }
    )
    app.test_client_class = Client
    app.extensions["mail_outbox"] = []
    with app.app_context():
        _db.create_all()
        yield World(app)
        release_database(_db)


def _outcome(response) -> object:
    if response.status_code == 302:
        location = response.headers["Location"]
        if "/auth/login" in location and "/auth/login/code" not in location:
            return LOGIN
        if location.endswith("/auth/account/two-factor/setup"):
            return SETUP_2FA
    return response.status_code


def _request(world: World, role: str, route: Route):
    limiter.reset()
    client = world.client(role)
    url = world.fill(route.url)
    if route.method == "GET":
        return client.get(url)
    data = {key: world.fill(value) for key, value in route.data.items()}
    # A CSRF token from a page every role can open, as a browser would have it.
    data["csrf_token"] = client.csrf_token("/en/auth/reset")
    return client.open(url, method=route.method, data=data)


def test_every_route_has_an_entry(world):
    endpoints = {rule.endpoint for rule in world.app.url_map.iter_rules() if rule.endpoint != "static"}
    missing = sorted(endpoints - set(ROUTES))
    assert not missing, f"routes without an access-matrix entry: {missing}"
    stale = sorted(set(ROUTES) - endpoints)
    assert not stale, f"entries for routes that no longer exist: {stale}"


def test_every_method_of_every_route_is_covered(world):
    uncovered = []
    for rule in world.app.url_map.iter_rules():
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        covered = {route.method for route in ROUTES.get(rule.endpoint, [])}
        if rule.endpoint in ROUTES and not methods <= covered and not (methods - covered) <= {"POST"}:
            uncovered.append((rule.endpoint, sorted(methods - covered)))
    assert not uncovered, uncovered


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_access(world, endpoint):
    problems = []
    for route in ROUTES[endpoint]:
        for role in ROLES:
            outcome = _outcome(_request(world, role, route))
            if outcome != route.expected[role]:
                problems.append(f"{route.method} {route.url} as {role}: {outcome}, expected {route.expected[role]}")
            world.undo_enrolments()
    assert not problems, "\n".join(problems)


# Ids that no database column holds: beyond PostgreSQL's integer (2^31 - 1), beyond SQLite's (2^63 - 1), far
# beyond, and signed. Tried in place of every integer of every route, derived from app.url_map and the entries
# above, so that a new route is covered without editing this test.
IMPOSSIBLE_IDS = ("2147483648", "9223372036854775807", "9223372036854775808", "18446744073709551616", "1" + "0" * 40)
SIGNED_IDS = ("-1", "-9223372036854775809", "+1")
SENTINEL = 7340033  # an id no object has, to find where an integer sits in a built URL


def _integer_urls(world: World) -> list[tuple[str, str, str]]:
    """(method, URL with the marker `{id}` where one integer was, endpoint) for every integer route entry."""
    adapter = world.app.url_map.bind("localhost")
    urls = []
    for rule in world.app.url_map.iter_rules():
        integers = [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]
        for route in ROUTES.get(rule.endpoint, []) if integers else []:
            endpoint, values = adapter.match(world.fill(route.url), method=route.method)
            if endpoint != rule.endpoint:
                continue
            for name in integers:
                built = adapter.build(endpoint, {**values, name: SENTINEL}, method=route.method)
                assert built.count(str(SENTINEL)) == 1, built
                urls.append((route.method, built.replace(str(SENTINEL), "{id}"), endpoint))
    return urls


def test_integer_routes_are_found(world):
    """The derivation finds the id routes of every area (so that the next test cannot pass by trying none)."""
    endpoints = {endpoint for _method, _url, endpoint in _integer_urls(world)}
    assert {"trainer.cohort", "trainer.learner", "learn.attempt_result", "admin.set_role"} <= endpoints, endpoints


def test_an_id_no_database_holds_is_a_404_on_every_integer_route(world):
    problems = []
    for method, url, endpoint in _integer_urls(world):
        for role in ("anonymous", "learner", "trainer", "admin"):
            client = world.client(role)
            data = {"csrf_token": client.csrf_token("/en/auth/reset")} if method != "GET" else None
            for bad in IMPOSSIBLE_IDS + SIGNED_IDS:
                limiter.reset()
                status = client.open(url.format(id=bad), method=method, data=data).status_code
                if status != 404:
                    problems.append(f"{method} {url.format(id=bad)} ({endpoint}) as {role}: {status}")
            # The largest id that fits is a real lookup: not found, refused or sent to sign in; never a 500.
            limiter.reset()
            status = client.open(url.format(id="2147483647"), method=method, data=data).status_code
            if status >= 500:
                problems.append(f"{method} {url.format(id='2147483647')} ({endpoint}) as {role}: {status}")
    assert not problems, "\n".join(problems)
