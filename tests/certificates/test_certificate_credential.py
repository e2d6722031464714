"""Open Badges 3.0 credentials: checked by an independent verifier (openbadgeslib's OB3Verifier, built
on PyJWT, while we sign with joserfc) and against the OB 3.0 JSON schema; they fail when changed, with
`alg: none`, or when signed by another key; revocation shows in the status list."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from joserfc.jwk import RSAKey
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

from lumos_learn.certificates import credential
from lumos_learn.certificates.services import revoke_certificate
from lumos_learn.certificates.status_list import bit_is_set, decode_bitstring

SCHEMA = json.loads((Path(__file__).parent / "data" / "ob_v3p0_achievementcredential_schema.json").read_text())
BASE = "http://127.0.0.1:8000"


def b64json(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def download_token(client, learner, login_as, certificate) -> str:
    login_as(client, learner)
    response = client.get(f"/certificates/{certificate.code}/credential.jwt")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/vc+jwt"
    return response.get_data(as_text=True)


def public_pem(client) -> bytes:
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert len(jwks["keys"]) == 1 and "d" not in jwks["keys"][0]
    return RSAKey.import_key(jwks["keys"][0]).as_pem(private=False)


def fetch_through(client):
    """openbadgeslib fetches the status list with this (the test client stands in for HTTPS)."""

    def fetch(url: str) -> bytes:
        assert url.startswith(BASE)
        response = client.get(url[len(BASE) :])
        assert response.status_code == 200
        return response.get_data()

    return fetch


def test_independent_verifier_accepts_the_credential_and_its_status(client, learner, login_as, certificate, key_file):
    token = download_token(client, learner, login_as, certificate)
    verifier = OB3Verifier(public_pem(client))
    badge = verifier.verify(token, check_status=True, download=fetch_through(client))  # list signature checked too
    assert badge.issuer.id == f"{BASE}/issuer"
    payload = b64json(token.split(".")[1])
    assert payload["credentialSubject"]["identifier"][0]["identityHash"] == "Ana Popescu"
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["name"] == "Safe mealtimes: a short test course"
    assert achievement["version"] == "1.0"
    assert "80%" in achievement["criteria"]["narrative"]
    assert payload["id"] == f"{BASE}/verify/{certificate.code}"
    header = b64json(token.split(".")[0])
    assert header["alg"] == "RS256"
    assert header["kid"] in {k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]}
    assert client.get(header["kid"][len(BASE) :]).get_json()["n"]


def test_credential_matches_the_open_badges_3_schema(client, learner, login_as, certificate, key_file):
    payload = b64json(download_token(client, learner, login_as, certificate).split(".")[1])
    validator = jsonschema.Draft201909Validator(SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
    errors = [e.message for e in validator.iter_errors(payload)]
    assert errors == []
    profile = client.get("/issuer").get_json()
    jsonschema.validate(profile, SCHEMA["$defs"]["Profile"])


def tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    data = b64json(payload)
    data["credentialSubject"]["identifier"][0]["identityHash"] = "Ana Popescy"  # one character
    return ".".join([header, b64(data), signature])


def alg_none(token: str) -> str:
    header, payload, _signature = token.split(".")
    return ".".join([b64({**b64json(header), "alg": "none"}), payload, ""])


def other_key(token: str) -> str:
    from joserfc import jws

    key = RSAKey.generate_key(2048, private=True)
    header = {**b64json(token.split(".")[0]), "kid": "https://attacker.example/key"}
    return jws.serialize_compact(header, json.dumps(b64json(token.split(".")[1])).encode(), key, algorithms=["RS256"])


@pytest.mark.parametrize("forge", [tampered, alg_none, other_key])
def test_independent_verifier_rejects_forgeries(client, learner, login_as, certificate, key_file, forge):
    token = download_token(client, learner, login_as, certificate)
    with pytest.raises(OB3VerificationError):
        OB3Verifier(public_pem(client)).verify(forge(token))


def test_a_single_changed_character_anywhere_fails(client, learner, login_as, certificate, key_file):
    token = download_token(client, learner, login_as, certificate)
    verifier = OB3Verifier(public_pem(client))
    for position in (5, len(token) // 2, len(token) - 5):
        changed = token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
        with pytest.raises(OB3VerificationError):
            verifier.verify(changed)


def test_revocation_shows_in_the_status_list(client, learner, admin, login_as, certificate, key_file, db):
    token = download_token(client, learner, login_as, certificate)
    index = certificate.status_index
    listed = client.get("/status/1.json").get_json()
    assert not bit_is_set(decode_bitstring(listed["credentialSubject"]["encodedList"]), index)
    assert len(decode_bitstring(listed["credentialSubject"]["encodedList"])) * 8 == 131_072

    revoke_certificate(certificate, admin, "Fraudulent quiz attempts")
    listed = client.get("/status/1.json").get_json()
    assert bit_is_set(decode_bitstring(listed["credentialSubject"]["encodedList"]), index)
    signed = client.get("/status/1").get_data(as_text=True)
    assert bit_is_set(decode_bitstring(b64json(signed.split(".")[1])["credentialSubject"]["encodedList"]), index)
    with pytest.raises(OB3VerificationError, match="revocation"):
        OB3Verifier(public_pem(client)).verify(token, check_status=True, download=fetch_through(client))


def test_json_download_envelopes_the_same_credential(client, learner, login_as, certificate, key_file):
    token = download_token(client, learner, login_as, certificate)
    document = client.get(f"/certificates/{certificate.code}/credential.json").get_json()
    assert document["type"] == "EnvelopedVerifiableCredential"
    assert credential.extract_token(json.dumps(document)) == token


def test_without_a_key_credentials_answer_503_but_pdf_and_verification_work(
    client, learner, login_as, certificate, no_key, caplog
):
    login_as(client, learner)
    response = client.get(f"/certificates/{certificate.code}/credential.jwt")
    assert response.status_code == 503
    assert "no signing key" in response.get_data(as_text=True)
    assert "certificate credential requested" in caplog.text
    assert client.get(f"/certificates/{certificate.code}.pdf").status_code == 200
    assert client.get(f"/verify/{certificate.code}").status_code == 200
    assert client.get("/.well-known/jwks.json").get_json() == {"keys": []}


def test_other_people_cannot_download_the_credential(client, make_user, login_as, certificate, key_file):
    login_as(client, make_user())
    assert client.get(f"/certificates/{certificate.code}/credential.jwt").status_code == 404
    assert client.get(f"/certificates/{certificate.code}/credential.json").status_code == 404


def test_jwt_claims_follow_the_ob3_vc_jwt_rules(client, learner, login_as, certificate, key_file):
    token = download_token(client, learner, login_as, certificate)
    payload = b64json(token.split(".")[1])
    assert payload["iss"] == payload["issuer"]["id"] == f"{BASE}/issuer"
    assert payload["sub"] == payload["credentialSubject"]["id"] and payload["sub"].startswith("urn:uuid:")
    assert learner.email not in payload["sub"]
    assert payload["jti"] == payload["id"] == f"{BASE}/verify/{certificate.code}"
    valid_from = int(datetime.fromisoformat(payload["validFrom"].replace("Z", "+00:00")).timestamp())
    assert payload["nbf"] == payload["iat"] == valid_from
    assert "exp" not in payload and "validUntil" not in payload  # certificates do not expire
    assert "vc" not in payload  # OB 3.0: the credential's members at the top level, no `vc` wrapper
    # the same certificate downloaded again is the same credential (same subject id)
    assert b64json(download_token(client, learner, login_as, certificate).split(".")[1])["sub"] == payload["sub"]


def test_hours_are_not_credits_and_the_version_studied_is_stamped(client, learner, login_as, certificate, key_file):
    payload = b64json(download_token(client, learner, login_as, certificate).split(".")[1])
    subject, achievement = payload["credentialSubject"], payload["credentialSubject"]["achievement"]
    assert "creditsEarned" not in subject and "creditsAvailable" not in achievement
    assert "(2 hours)" in achievement["description"] and "course version 1.0" in achievement["description"]
    assert achievement["version"] == "1.0" and achievement["humanCode"] == "demo-course 1.0"


def test_achievement_id_is_the_same_in_every_language_of_a_course_version(app, make_user, finish, db):
    from lumos_learn.certificates.services import certificate_for
    from lumos_learn.course_library import library

    english = certificate_for(finish(make_user(), lang="en"))
    romanian = certificate_for(finish(make_user(), lang="ro"))
    course = library().get("demo-course")

    def achievement(certificate):
        with app.test_request_context("/"):
            return credential.build_credential(certificate, course, BASE, "Lumos Learn")["credentialSubject"][
                "achievement"
            ]

    assert achievement(english)["name"] != achievement(romanian)["name"]  # each in its own language
    assert achievement(english)["id"] == achievement(romanian)["id"]
    romanian.course_version = "2.0"
    assert achievement(romanian)["id"] != achievement(english)["id"]  # another version, another achievement
    for certificate in (english, romanian):
        validator = jsonschema.Draft201909Validator(SCHEMA)
        with app.test_request_context("/"):
            document = credential.build_credential(certificate, course, BASE, "Lumos Learn")
        assert [e.message for e in validator.iter_errors(document)] == []


def test_bare_jwt_is_linked_from_the_learners_certificates(client, learner, login_as, certificate, key_file):
    login_as(client, learner)
    page = client.get("/en/dashboard/").get_data(as_text=True)
    link = f"/certificates/{certificate.code}/credential.jwt"
    assert link in page
    response = client.get(link)
    assert response.headers["Content-Disposition"] == f'attachment; filename="{certificate.code}.jwt"'
    assert response.get_data(as_text=True).count(".") == 2  # a bare compact JWS, not JSON
    assert link in client.get(f"/verify/{certificate.code}").get_data(as_text=True)


def test_in_development_without_a_public_address_links_follow_the_address_served(app, client, key_file):
    # As `make run PORT=8100` on a developer's machine, or a phone on the local network (tests/e2e reads the QR).
    app.config["PUBLIC_BASE_URL"] = ""
    profile = client.get("/issuer", headers={"Host": "192.168.1.20:8100"}).get_json()
    assert profile["id"] == "http://192.168.1.20:8100/issuer" and profile["url"] == "http://192.168.1.20:8100/"


def test_a_configured_public_address_wins_over_the_address_served(client, key_file):
    profile = client.get("/issuer", headers={"Host": "internal-host:9000"}).get_json()
    assert profile["id"] == f"{BASE}/issuer"
