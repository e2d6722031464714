"""Deployment: client addresses behind proxies, caching of personal data, HSTS, nothing private served."""

from __future__ import annotations

import pytest
from support import PASSWORD, Client
from test_learning_journey import COURSE
from test_personal_data import complete_course

from lumos_learn import create_app
from lumos_learn.extensions import limiter


def failed_login(client, email, **headers):
    return client.post(
        "/en/auth/login",
        data={"email": email, "password": "wrong password", "csrf_token": client.csrf_token("/en/auth/login")},
        headers=headers,
    )


def app_behind_proxies(app, proxies: int):
    proxied = create_app({**app.config, "TRUSTED_PROXIES": proxies})
    proxied.test_client_class = Client
    proxied.extensions["mail_outbox"] = []
    return proxied


def test_the_per_address_throttle_counts_failures_across_accounts(client, make_user):
    for n in range(5):
        make_user(email=f"colleague{n}@example.org")
    statuses = [failed_login(client, f"colleague{n % 5}@example.org").status_code for n in range(20)]
    assert statuses == [200] * 20  # 4 per account: each account alone is far from its own limit
    assert failed_login(client, "colleague0@example.org").status_code == 429
    right = client.submit("/en/auth/login", {"email": "colleague4@example.org", "password": PASSWORD})
    assert right.status_code == 429  # the address is throttled, whatever the account


def test_a_spoofed_forwarded_for_header_does_not_dodge_the_throttle_without_trusted_proxies(client, make_user):
    make_user(email="victim@example.org")
    statuses = [
        failed_login(client, f"guess{n}@example.org", **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(21)
    ]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429


def test_behind_one_proxy_the_forwarded_client_address_is_the_one_that_counts(app):
    proxied = app_behind_proxies(app, 1)
    with proxied.app_context():
        limiter.reset()
        attacker, neighbour = proxied.test_client(), proxied.test_client()
        proxy = {"REMOTE_ADDR": "10.0.0.2"}
        for n in range(20):
            attacker.environ_base.update(proxy)
            assert failed_login(attacker, f"x{n}@example.org", **{"X-Forwarded-For": "198.51.100.7"}).status_code == 200
        assert failed_login(attacker, "x@example.org", **{"X-Forwarded-For": "198.51.100.7"}).status_code == 429
        # Another person behind the same proxy is not locked out with them...
        neighbour.environ_base.update(proxy)
        assert failed_login(neighbour, "y@example.org", **{"X-Forwarded-For": "198.51.100.8"}).status_code == 200
        # ...and the attacker cannot escape by prepending a made-up address: only the proxy's entry counts.
        spoofed = failed_login(attacker, "x@example.org", **{"X-Forwarded-For": "192.0.2.1, 198.51.100.7"})
        assert spoofed.status_code == 429


def test_downloads_of_personal_data_are_not_cached(client, app, learner, make_user, login_as, db, tmp_path):
    from lumos_learn.certificates.keys import write_key_file
    from lumos_learn.models import Certificate, Cohort, CohortTrainer

    key = tmp_path / "issuer.pem"
    write_key_file(key, bits=2048)
    app.config.update(CERTIFICATE_KEY_FILE=str(key), CERTIFICATE_KEY_PEM="")
    login_as(client, learner)
    complete_course(client)
    code = db.session.query(Certificate.code).scalar()
    trainer = make_user("trainer")
    cohort = Cohort(course_slug="demo-course", name="C", language="en", join_code="CACHE001", created_by_id=trainer.id)
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id))
    db.session.commit()
    trainer_client = app.test_client()
    login_as(trainer_client, trainer)
    downloads = {
        "/en/auth/account/data/export.json": client,
        f"/certificates/{code}.pdf": client,
        f"/certificates/{code}/credential.json": client,
        f"/certificates/{code}/credential.jwt": client,
        f"/en/trainer/cohorts/{cohort.id}/progress.csv": trainer_client,
        f"/en/trainer/cohorts/{cohort.id}/progress.xlsx": trainer_client,
        "/en/trainer/report.csv": trainer_client,
        "/en/dashboard/": client,
        f"{COURSE}completed": client,
    }
    problems = []
    for url, who in downloads.items():
        response = who.get(url)
        if response.status_code != 200 or "no-store" not in response.headers.get("Cache-Control", ""):
            problems.append(
                f"{url}: {response.status_code} {response.mimetype} "
                f"Cache-Control={response.headers.get('Cache-Control')!r}"
            )
    assert not problems, "\n".join(problems)


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/en/").headers
    secure = client.get("/en/", base_url="https://learn.example.org")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hsts_behind_a_tls_terminating_proxy(app):
    proxied = app_behind_proxies(app, 1)
    with proxied.app_context():
        response = proxied.test_client().get("/en/", headers={"X-Forwarded-Proto": "https"})
        assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


@pytest.mark.parametrize(
    "path",
    [
        "/.git/config",
        "/.git/HEAD",
        "/.env",
        "/instance/lumos_learn.db",
        "/instance/keys/issuer-rs256.pem",
        "/migrations/env.py",
        "/migrations/alembic.ini",
        "/app.py",
        "/requirements.txt",
        "/pyproject.toml",
        "/lumos_learn/config.py",
        "/static/../app.py",
        "/static/..%2fapp.py",
        "/console",
        "/en/console",
        "/static/css/site.css.map",
        "/courses/demo-course/course.yml",
        "/tests/conftest.py",
    ],
)
def test_nothing_private_is_served(client, path):
    response = client.get(path)
    assert response.status_code == 404, path
    body = response.get_data(as_text=True)
    assert "SECRET_KEY" not in body and "[core]" not in body and "BEGIN" not in body


def test_the_debugger_is_off(app, client):
    assert not app.debug
    response = client.get("/en/", headers={"X-Werkzeug-Debug": "1"})
    assert "__debugger__" not in response.get_data(as_text=True)
    assert client.get("/?__debugger__=yes&cmd=resource&f=style.css").status_code in (302, 404)


@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
def test_static_files_carry_nosniff_and_a_referrer_policy(app, client, encoding):
    """WhiteNoise answers /static/ before Flask's after_request: the headers are added there too, for every file
    and every pre-compressed variant."""
    files = sorted(app.extensions["static_manifest"].values())
    assert any(name.endswith(".css") for name in files) and any(name.endswith(".js") for name in files)
    for name in files:
        response = client.get(f"/static/{name}", headers={"Accept-Encoding": encoding} if encoding else {})
        assert response.status_code == 200, name
        assert response.headers.getlist("X-Content-Type-Options") == ["nosniff"], name
        assert response.headers.getlist("Referrer-Policy") == ["strict-origin-when-cross-origin"], name


def test_csv_downloads_name_their_character_set_once(client, make_user, login_as, db):
    from lumos_learn.models import Cohort, CohortTrainer

    trainer = make_user("trainer")
    cohort = Cohort(course_slug="demo-course", name="C", language="en", join_code="CSVHEAD1", created_by_id=trainer.id)
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id))
    db.session.commit()
    login_as(client, trainer)
    for url in (
        f"/en/trainer/cohorts/{cohort.id}/progress.csv",
        f"/en/trainer/cohorts/{cohort.id}/import/template.csv",
        "/en/trainer/report.csv",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"], url
