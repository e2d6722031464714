"""Public verification: valid, revoked, replaced or unknown, never the email; forgiving typing; rate limit."""

from __future__ import annotations

from lumos_learn.certificates.services import reissue_certificate, revoke_certificate
from lumos_learn.extensions import limiter


def test_valid_certificate_shows_name_course_date_hours_and_no_email(client, learner, certificate):
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Valid" in page
    assert "Ana Popescu" in page and "Safe mealtimes: a short test course" in page
    assert certificate.completed_on.strftime("%Y") in page
    assert learner.email not in page and "@" not in page.split("<main", 1)[1].split("</main>")[0]


def test_revoked_certificate_says_so_with_the_date(client, learner, admin, certificate):
    revoke_certificate(certificate, admin, "Attended under another name")
    response = client.get(f"/verify/{certificate.code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Revoked" in page and "no longer valid" in page
    assert "Attended under another name" not in page  # the reason is for the record, not the public
    assert learner.email not in page


def test_unknown_code_is_not_found(client):
    response = client.get("/verify/LL-0000-0000-0000-0000-0000-0000-0000")
    assert response.status_code == 404
    assert "No certificate has this code" in response.get_data(as_text=True)
    assert client.get("/verify/not-a-code").status_code == 404


def test_typed_code_is_case_insensitive_and_dash_tolerant(client, certificate):
    typed = certificate.code.lower().replace("-", " ")
    response = client.submit("/verify/", {"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.code}")
    assert client.get(f"/verify/{certificate.code.lower()}").headers["Location"].endswith(certificate.code)


def test_form_explains_a_wrong_code_next_to_the_field(client):
    response = client.submit("/verify/", {"code": "hello"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This is not a certificate code" in page and 'aria-invalid="true"' in page and 'value="hello"' in page


def test_reissued_certificate_old_code_leads_to_the_new_one(client, learner, admin, certificate, db):
    old_code = certificate.code
    new = reissue_certificate(certificate, admin, "Ana Popescu-Ionescu", "Name corrected after marriage")
    page = client.get(f"/verify/{old_code}").get_data(as_text=True)
    assert "Ana Popescu-Ionescu" in page and new.code in page and "earlier version" in page
    assert "Valid" in page


def test_verification_is_rate_limited(app, client, certificate):
    limiter.enabled = True
    statuses = [client.get(f"/verify/LL-0000-0000-0000-0000-0000-0000-{n:04d}").status_code for n in range(61)]
    assert statuses[-1] == 429 and set(statuses[:60]) == {404}


def test_machine_readable_verification_valid_revoked_replaced_unknown(client, learner, admin, certificate, db):
    response = client.get(f"/verify/{certificate.code}.json")
    result = response.get_json()
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert result["status"] == "valid" and result["recipientName"] == "Ana Popescu"
    assert result["courseVersion"] == "1.0" and result["code"] == certificate.code
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert learner.email not in response.get_data(as_text=True)
    assert client.get(f"/verify/{certificate.code.lower()}.json").get_json()["status"] == "valid"

    old_code = certificate.code
    new = reissue_certificate(certificate, admin, "Ana Popescu-Ionescu", "Name corrected")
    result = client.get(f"/verify/{old_code}.json").get_json()
    assert result["status"] == "replaced" and result["code"] == old_code
    assert result["current"] == {"code": new.code, "status": "valid"}
    assert result["recipientName"] == "Ana Popescu-Ionescu"

    revoke_certificate(new, admin, "Attended under another name")
    response = client.get(f"/verify/{new.code}.json")
    result = response.get_json()
    assert result["status"] == "revoked" and result["revokedOn"]
    assert "Attended under another name" not in response.get_data(as_text=True)  # the reason is not public

    response = client.get("/verify/LL-0000-0000-0000-0000-0000-0000-0000.json")
    assert response.status_code == 404 and response.get_json()["status"] == "unknown"
    assert client.get("/verify/not-a-code.json").get_json()["status"] == "unknown"


def test_machine_readable_verification_shares_the_pages_rate_limit(app, client, certificate):
    limiter.enabled = True
    statuses = [client.get(f"/verify/LL-0000-0000-0000-0000-0000-0000-{n:04d}").status_code for n in range(30)]
    statuses += [client.get(f"/verify/LL-0000-0000-0000-0000-0000-0001-{n:04d}.json").status_code for n in range(31)]
    assert set(statuses[:60]) == {404} and statuses[-1] == 429


def test_a_check_asked_in_french_is_answered_in_french(client, certificate):
    form = client.get("/verify/?lang=fr").get_data(as_text=True)
    assert 'action="/verify/?lang=fr"' in form
    wrong = client.submit("/verify/?lang=fr", {"code": "hello"}).get_data(as_text=True)
    assert "Veuillez corriger les points suivants" in wrong and "Please correct" not in wrong
    response = client.submit("/verify/?lang=fr", {"code": certificate.code.lower()})
    assert response.headers["Location"].endswith(f"/verify/{certificate.code}?lang=fr")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="fr"' in page and "Vérification de certificat" in page
    # a hand-typed lower-case code keeps the language through the canonical redirect
    assert client.get(f"/verify/{certificate.code.lower()}?lang=fr").headers["Location"].endswith("?lang=fr")


def test_error_summary_is_translated_in_every_language(client):
    for lang, heading in {"ro": "Vă rugăm să corectați", "bg": "Моля, поправете", "uk": "Будь ласка, виправте"}.items():
        page = client.submit(f"/verify/?lang={lang}", {"code": "hello"}).get_data(as_text=True)
        assert heading in page


def test_no_double_full_stop_after_dates_in_bulgarian_and_ukrainian(client, admin, certificate, db):
    import re

    old_code = certificate.code
    new = reissue_certificate(certificate, admin, "Ana Popescu-Ionescu", "Name corrected")
    revoke_certificate(new, admin, "Attended under another name")
    for lang in ("bg", "uk"):
        page = client.get(f"/verify/{old_code}?lang={lang}", follow_redirects=True).get_data(as_text=True)
        main = page.split("<main", 1)[1].split("</main>")[0]
        assert re.search(r"[гр]\.\)", main)  # the replaced notice, with the date's own abbreviation
        assert not re.search(r"\.\s*\.", re.sub(r"<[^>]+>", " ", main)), main


def test_pages_chosen_by_accept_language_say_so_in_vary(client, certificate):
    for url in (f"/verify/{certificate.code}", "/verify/"):
        response = client.get(url, headers={"Accept-Language": "cs"})
        assert "Accept-Language" in response.headers.get("Vary", "")
        assert '<html lang="cs"' in response.get_data(as_text=True)
    assert "Accept-Language" not in client.get("/en/courses/").headers.get("Vary", "")
