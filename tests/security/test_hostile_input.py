"""Hostile input: script in every text field shown back, SQL metacharacters, oversized and malformed
bodies, invalid UTF-8, unexpected methods and path traversal. Each gets a clear 4xx (or is shown as
inert text) and leaves the data unchanged.

Hostile Markdown in course files is the course engine's business: tests/content/test_markdown.py
checks its sanitiser (script, event handlers, javascript: links, raw HTML), not repeated here.
"""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select
from test_learning_journey import COURSE, final_answers, quiz_token

from lumos_learn.models import AuditEvent, Cohort, CohortImport, Enrolment, QuizAttempt, User, record_audit

SCRIPT = '<script>alert("xss")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"Ana {SCRIPT} {ATTRIBUTE}"


def assert_inert(html: str, where: str) -> None:
    """The payload is shown as text: no live tag, but its escaped form is there."""
    assert SCRIPT not in html and "<img src=x" not in html, f"live markup on {where}"
    assert "&lt;script&gt;" in html, f"payload not shown at all on {where}"


def row_counts(db) -> dict[str, int]:
    db.session.expire_all()
    return {
        m.__name__: db.session.scalar(select(func.count()).select_from(m))
        for m in (User, Enrolment, QuizAttempt, Cohort, CohortImport, AuditEvent)
    }


@pytest.fixture
def hostile_world(app, client, make_user, login_as, db):
    """A learner whose name, organisation and short answer are script, in a cohort named with script,
    run by a trainer; and an admin."""
    learner = make_user(email="ana@example.org")
    login_as(client, learner)
    saved = client.submit(
        "/en/auth/account",
        {
            "full_name": PAYLOAD,
            "organisation": PAYLOAD,
            "preferred_language": "en",
            "country": "MD",
            "professional_role": "teacher",
        },
    )
    assert saved.status_code == 302
    trainer = make_user("trainer", name="Tara Trainer")
    trainer_client = app.test_client()
    login_as(trainer_client, trainer)
    created = trainer_client.submit(
        "/en/trainer/cohorts/new", {"course": "demo-course", "name": PAYLOAD, "language": "en"}
    )
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    cohort = db.session.execute(select(Cohort)).scalar_one()
    join = client.submit(f"/en/join/{cohort.join_code}", {}, page=f"/en/join/{cohort.join_code}")
    assert join.status_code == 302
    lesson = client.get(f"{COURSE}final-check/").get_data(as_text=True)
    answers = {**final_answers(lesson, right=True), "q-demo-final-call": PAYLOAD}
    result = client.submit(
        f"{COURSE}final-check/quiz",
        {"token": quiz_token(lesson), "action": "submit", **answers},
        page=f"{COURSE}final-check/",
    )
    admin = make_user("admin")
    admin_client = app.test_client()
    login_as(admin_client, admin)
    record_audit(trainer, "cohort.imported", "cohort", cohort.id, filename=PAYLOAD)
    db.session.commit()
    enrolment = db.session.execute(select(Enrolment)).scalar_one()
    return {
        "learner": client,
        "trainer": trainer_client,
        "admin": admin_client,
        "cohort": cohort,
        "enrolment": enrolment,
        "result": result.headers["Location"],
    }


def test_script_in_names_organisations_cohort_names_and_answers_stays_inert_everywhere(hostile_world):
    w = hostile_world
    cohort, enrolment = w["cohort"].id, w["enrolment"].id
    pages = {
        "learner": ["/en/auth/account", "/en/dashboard/", w["result"], f"/en/join/{w['cohort'].join_code}"],
        "trainer": [
            "/en/trainer/",
            f"/en/trainer/cohorts/{cohort}/",
            f"/en/trainer/cohorts/{cohort}/progress",
            f"/en/trainer/cohorts/{cohort}/learners/{enrolment}",
            "/en/trainer/report",
        ],
        "admin": ["/en/admin/", "/en/admin/audit", f"/en/admin/audit?actor={PAYLOAD}"],
    }
    for who, urls in pages.items():
        for url in urls:
            response = w[who].get(url)
            assert response.status_code == 200, url
            html = response.get_data(as_text=True)
            assert SCRIPT not in html and "<img src=x" not in html, f"live markup on {url}"
    # Where the name itself must appear, it appears escaped.
    assert_inert(w["learner"].get("/en/auth/account").get_data(as_text=True), "account")
    assert_inert(w["trainer"].get(f"/en/trainer/cohorts/{cohort}/progress").get_data(as_text=True), "grid")
    assert_inert(w["admin"].get("/en/admin/").get_data(as_text=True), "admin people")
    assert_inert(w["admin"].get("/en/admin/audit").get_data(as_text=True), "audit log")


def test_a_certificate_for_a_hostile_name_verifies_as_text(hostile_world, client, db, app):
    from lumos_learn.models import Certificate

    w = hostile_world
    w["learner"].submit(f"{COURSE}positioning/read", page=f"{COURSE}positioning/")
    code = db.session.execute(select(Certificate.code)).scalar_one()
    assert_inert(app.test_client().get(f"/verify/{code}").get_data(as_text=True), "verification page")


def test_exports_neutralise_spreadsheet_formulas(app, client, make_user, login_as, db):
    learner = make_user(
        email="formula@example.org", name='=HYPERLINK("http://evil.example","click")', organisation="+cmd|' /C calc'!A0"
    )
    trainer = make_user("trainer")
    from lumos_learn.course_library import library
    from lumos_learn.learn.enrolment import enrol
    from lumos_learn.trainer.cohorts import create_cohort

    with app.test_request_context():
        cohort = create_cohort(
            trainer,
            library().get("demo-course"),
            name="@SUM(1+1)",
            language="en",
            starts_on=None,
            ends_on=None,
            deadline=None,
        )
    enrol(learner, library().get("demo-course"), "en", cohort)
    login_as(client, trainer)
    csv_text = client.get(f"/en/trainer/cohorts/{cohort.id}/progress.csv").get_data(as_text=True)
    assert "HYPERLINK" in csv_text
    for cell in re.findall(r'(?:^|,)"?([^,\n"]*HYPERLINK|[^,\n"]*calc|[^,\n"]*SUM\(1\+1\))', csv_text, re.M):
        assert not cell.startswith(("=", "+", "-", "@")), cell


def test_csv_cells_with_script_are_shown_inert_in_the_import_preview(app, client, make_user, login_as, db):
    trainer = make_user("trainer")
    login_as(client, trainer)
    client.submit("/en/trainer/cohorts/new", {"course": "demo-course", "name": "Spring", "language": "en"})
    cohort = db.session.execute(select(Cohort)).scalar_one()
    csv_bytes = (
        f"name,email,language,organisation,role\n{PAYLOAD.replace(',', ' ')},a@example.org,en,{SCRIPT},teacher\n"
    )
    response = client.post(
        f"/en/trainer/cohorts/{cohort.id}/import",
        data={
            "csrf_token": client.csrf_token(f"/en/trainer/cohorts/{cohort.id}/import"),
            "encoding": "auto",
            "file": (io.BytesIO(csv_bytes.encode()), "learners.csv"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code in (200, 400)
    assert_inert(response.get_data(as_text=True), "import preview")


@pytest.mark.parametrize(
    "text", ["' OR '1'='1", "'; DROP TABLE users; --", "%' OR 1=1 --", "\\'; SELECT pg_sleep(5);--"]
)
def test_sql_metacharacters_are_just_text(client, app, admin, learner, login_as, db, text):
    before = row_counts(db)
    login = client.submit("/en/auth/login", {"email": text, "password": text})
    assert login.status_code == 200 and client.get("/en/dashboard/").status_code == 302
    assert client.get(f"/verify/{text}").status_code in (200, 404)
    admin_client = app.test_client()
    login_as(admin_client, admin)
    search = admin_client.get("/en/admin/", query_string={"q": text})
    assert search.status_code == 200 and "No one matches this search." in search.get_data(as_text=True)
    audit = admin_client.get("/en/admin/audit", query_string={"actor": text, "target": text, "action": text})
    assert audit.status_code == 200 and "No event matches" in audit.get_data(as_text=True)
    assert row_counts(db) == before


def test_an_oversized_body_gets_the_friendly_413_page_and_changes_nothing(client, app, learner, login_as, db):
    login_as(client, learner)
    before = row_counts(db)
    limit = app.config["MAX_CONTENT_LENGTH"]
    token = client.csrf_token("/en/auth/account")
    response = client.post(
        "/en/auth/account",
        data={
            "csrf_token": token,
            "full_name": "x" * (limit + 1),
            "preferred_language": "en",
            "professional_role": "other",
        },
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Too large" in html and '<html lang="en"' in html and "What you sent is larger" in html
    db.session.refresh(learner)
    assert learner.full_name == "Ana Popescu" and row_counts(db) == before


def test_an_oversized_upload_is_refused_with_413(client, make_user, login_as, db):
    login_as(client, make_user("trainer"))
    client.submit("/en/trainer/cohorts/new", {"course": "demo-course", "name": "Spring", "language": "en"})
    cohort = db.session.execute(select(Cohort)).scalar_one()
    before = row_counts(db)
    big = b"name,email\n" + b"a" * (client.application.config["MAX_CONTENT_LENGTH"] + 10)
    response = client.post(
        f"/en/trainer/cohorts/{cohort.id}/import",
        data={
            "csrf_token": client.csrf_token(f"/en/trainer/cohorts/{cohort.id}/import"),
            "file": (io.BytesIO(big), "huge.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and "Too large" in response.get_data(as_text=True)
    assert row_counts(db) == before


def test_malformed_multipart_is_a_clear_400(client, make_user, login_as, db):
    login_as(client, make_user("trainer"))
    client.submit("/en/trainer/cohorts/new", {"course": "demo-course", "name": "Spring", "language": "en"})
    cohort = db.session.execute(select(Cohort)).scalar_one()
    before = row_counts(db)
    body = b'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nname,email\r\n'  # no end
    response = client.post(
        f"/en/trainer/cohorts/{cohort.id}/import", data=body, content_type="multipart/form-data; boundary=XYZ"
    )
    assert response.status_code == 400 and "<h1>" in response.get_data(as_text=True)
    assert row_counts(db) == before


def test_invalid_utf8_is_refused_or_shown_harmlessly(client, learner, login_as, db):
    before = row_counts(db)
    token = client.csrf_token("/en/auth/login")
    response = client.post(
        "/en/auth/login",
        data=f"csrf_token={token}&email=%FF%FE%C0%AF&password=%ED%A0%80".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 400) and client.get("/en/dashboard/").status_code == 302
    for url in ("/en/courses/%FF%FE/", "/verify/%C0%AF", "/media/demo-course/%FF.svg", "/en/join/%ED%A0%80"):
        assert client.get(url).status_code in (400, 404), url
    login_as(client, learner)
    token = client.csrf_token("/en/auth/account")
    saved = client.post(
        "/en/auth/account",
        data=f"csrf_token={token}&full_name=Ana%FF&preferred_language=en&professional_role=other".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert saved.status_code in (302, 400)
    db.session.refresh(learner)
    assert "\udcff" not in learner.full_name  # never a lone surrogate in the database
    assert row_counts(db) == before


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("PUT", "/en/auth/login", {"GET", "POST"}),
        ("DELETE", "/en/dashboard/", {"GET"}),
        ("PATCH", "/en/auth/account", {"GET", "POST"}),
        ("GET", "/en/auth/logout", {"POST"}),
        ("DELETE", "/en/courses/demo-course/enrol", {"POST"}),
    ],
)
def test_unexpected_methods_get_405_with_allow(client, method, url, allowed):
    response = client.open(url, method=method)
    assert response.status_code == 405
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}
    assert "Method not allowed" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/media/demo-course/../course.yml",
        "/media/demo-course/..%2fcourse.yml",
        "/media/demo-course/%2e%2e/course.yml",
        "/media/demo-course/..%2f..%2f..%2fapp.py",
        "/media/demo-course/%2e%2e%2f%2e%2e%2fdemo-course%2fcourse.yml",
        "/media/demo-course//etc/passwd",
        "/media/demo-course/..\\course.yml",
        "/media/..%2fdemo-course/course.yml",
        "/media/%2e%2e/app.py",
        "/media/demo-course/seated.svg%00.yml",
        "/certificates/..%2f..%2fapp.py.pdf",
        "/certificates/%2e%2e%2finstance%2fkeys%2fissuer-rs256.pem.pdf",
        "/certificates/../app.py/credential.json",
    ],
)
def test_path_traversal_reaches_nothing(client, path):
    response = client.get(path, follow_redirects=True)  # `//` is merged into `/` by a 308 first
    assert response.status_code in (400, 404), path
    body = response.get_data(as_text=True)
    assert "slug:" not in body and "import" not in body and "root:" not in body


def test_course_media_itself_is_served(client):
    response = client.get("/media/demo-course/seated.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
