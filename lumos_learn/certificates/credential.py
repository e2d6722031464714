"""Open Badges 3.0: each certificate as an OpenBadgeCredential, secured as a VC-JWT (RS256).

The JWT payload is the credential itself with the registered claims of OB 3.0 §8.2.4.1 (VC-JWT):
`iss` = issuer id, `sub` = credentialSubject id, `jti` = credential id, `nbf` (and `iat`) =
validFrom, `exp` = validUntil when there is one. The header names the key by a `kid` URL that
serves the public JWK, and the issuer's keys are also published as a JWK Set.

Identifiers: the subject's id is a `urn:uuid` derived from the certificate's code, so a credential
says nothing that links it to the learner's other certificates; the achievement's id is derived from
the course and its version only, so every language of the same course version names one achievement.
Hours of training are not `creditsEarned` (OB credits are credit units such as ECTS, which these
courses do not award): they are said in the achievement's description.
Signing and signature checks are joserfc's; this module only decides what the credential says.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from ..content import Course
from ..models import Certificate
from ..study_hours import hours_in
from .keys import ALGORITHM
from .services import assignment_wording
from .status_list import status_entry

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
ENVELOPE_PREFIX = "data:application/vc+jwt,"


def issuer_id(base_url: str) -> str:
    return f"{base_url}/issuer"


def key_url(base_url: str, thumbprint: str) -> str:
    return f"{base_url}/keys/{thumbprint}.json"


def issuer_profile(base_url: str, name: str) -> dict:
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_id(base_url),
        "type": ["Profile"],
        "name": name,
        "url": f"{base_url}/",
    }


def subject_id(credential_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, credential_id + '#subject')}"


def achievement_id(base_url: str, course_slug: str, version: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base_url}/courses/{course_slug}#version-{version}')}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_credential(certificate: Certificate, course: Course | None, base_url: str, issuer_name: str) -> dict:
    """The OpenBadgeCredential of `certificate`, in the certificate's language."""
    lang = certificate.language
    hours = hours_in(certificate.hours, lang)
    with force_locale(lang):
        description = ngettext(
            "Completion of the course “%(title)s” (%(hours)s hour), course version %(version)s.",
            "Completion of the course “%(title)s” (%(hours)s hours), course version %(version)s.",
            hours.count,
            title=certificate.course_title,
            hours=hours.text,
            version=certificate.course_version,
        )
        if course is not None:
            narrative = _(
                "Read every module of the course and passed every graded quiz with at least %(mark)s%%.",
                mark=course.pass_mark,
            )
        else:
            narrative = _("Read every module of the course and passed every graded quiz.")
        marking = assignment_wording(certificate, course)  # stored at issue: the signed text never changes
        if marking == "trainer":
            narrative += " " + _("Includes an assessed practical assignment, marked by a trainer against a rubric.")
        elif marking == "self":
            narrative += " " + _("Includes a practical assignment, self-assessed against the course rubric.")
    credential_id = f"{base_url}/verify/{certificate.code}"
    completed = datetime(
        certificate.completed_on.year, certificate.completed_on.month, certificate.completed_on.day, tzinfo=UTC
    )
    subject = {
        "id": subject_id(credential_id),
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.recipient_name,
            }
        ],
        "achievement": {
            "id": achievement_id(base_url, certificate.course_slug, certificate.course_version),
            "type": ["Achievement"],
            "achievementType": "Course",
            "name": certificate.course_title,
            "description": description,
            "criteria": {"narrative": narrative},
            "humanCode": f"{certificate.course_slug} {certificate.course_version}",
            "version": certificate.course_version,
            "inLanguage": lang,
        },
        "activityEndDate": _iso(completed),
    }
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "description": description,
        "issuer": {"id": issuer_id(base_url), "type": ["Profile"], "name": issuer_name, "url": f"{base_url}/"},
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": subject,
        "credentialStatus": status_entry(base_url, certificate.status_index),
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def sign(payload: dict, key: RSAKey, base_url: str) -> str:
    """A compact JWS (VC-JWT) of `payload` with the OB 3.0 registered claims added."""
    claims = dict(payload)
    issuer = payload["issuer"]
    claims["iss"] = issuer["id"] if isinstance(issuer, dict) else issuer
    subject = payload.get("credentialSubject")
    if isinstance(subject, dict) and "id" in subject:
        claims["sub"] = subject["id"]
    claims["nbf"] = int(datetime.fromisoformat(payload["validFrom"].replace("Z", "+00:00")).timestamp())
    claims["iat"] = claims["nbf"]
    claims["jti"] = payload["id"]
    if "validUntil" in payload:
        claims["exp"] = int(datetime.fromisoformat(payload["validUntil"].replace("Z", "+00:00")).timestamp())
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": key_url(base_url, key.kid)}
    body = json.dumps(claims, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return jws.serialize_compact(header, body, key, algorithms=[ALGORITHM])


def envelope(token: str) -> dict:
    """The VC-JWT as a JSON document (a VC Data Model 2.0 EnvelopedVerifiableCredential)."""
    return {"@context": [VC_CONTEXT], "id": ENVELOPE_PREFIX + token, "type": "EnvelopedVerifiableCredential"}


# ---------------------------------------------------------------------------------------------------------------
# Verification (used by `flask certificates verify`): every failure says why.


@dataclass
class Verification:
    valid: bool
    reason: str
    payload: dict = field(default_factory=dict)


def extract_token(text: str) -> str:
    """A compact JWS from a file's text: the JWT itself, or the JSON envelope the dashboard offers."""
    text = text.strip()
    if text.startswith("{"):
        document = json.loads(text)
        value = document.get("id", "") if isinstance(document, dict) else ""
        if not value.startswith(ENVELOPE_PREFIX):
            raise ValueError("JSON without an EnvelopedVerifiableCredential holding a VC-JWT")
        return value[len(ENVELOPE_PREFIX) :]
    return text


def _b64json(segment: str) -> dict:
    data = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    value = json.loads(data)
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def verify_token(
    token: str,
    keys: KeySet,
    expected_issuer: str,
    revoked: Callable[[int], str | None] | None = None,
    now: datetime | None = None,
) -> Verification:
    """Check a VC-JWT against the issuer's public keys; `revoked(index)` returns a reason or None."""
    parts = token.split(".")
    if len(parts) != 3:
        return Verification(False, "not a VC-JWT (a compact JWS has three dot-separated parts)")
    try:
        header = _b64json(parts[0])
    except ValueError:
        return Verification(False, "tampered: the JWT header is not valid base64url JSON")
    alg = header.get("alg")
    if alg != ALGORITHM:
        return Verification(False, f"wrong algorithm: {alg!r} is not accepted, only {ALGORITHM}")
    kid = header.get("kid")
    known = {k.kid: k for k in keys.keys}  # kids are the key URLs published in the JWK Set
    if kid not in known:
        return Verification(False, f"signed by another key: {kid!r} is not one of the issuer's keys")
    try:
        jws.deserialize_compact(token, known[kid], algorithms=[ALGORITHM])
    except (JoseError, ValueError) as error:
        name = error.__class__.__name__
        return Verification(False, f"bad signature: the credential was changed after signing ({name})")
    payload = _b64json(parts[1])
    if "OpenBadgeCredential" not in payload.get("type", []) and "AchievementCredential" not in payload.get("type", []):
        return Verification(False, "not an Open Badges 3.0 credential (type)", payload)
    if payload.get("iss") != expected_issuer:
        return Verification(False, f"issuer {payload.get('iss')!r} is not {expected_issuer!r}", payload)
    moment = now or datetime.now(UTC)
    if int(payload.get("nbf", 0)) > moment.timestamp() + 60:
        return Verification(False, "not yet valid (nbf in the future)", payload)
    if "exp" in payload and int(payload["exp"]) < moment.timestamp():
        return Verification(False, "expired", payload)
    status = payload.get("credentialStatus") or {}
    if revoked is not None and status.get("statusListIndex") is not None:
        reason = revoked(int(status["statusListIndex"]))
        if reason:
            return Verification(False, f"revoked: {reason}", payload)
    return Verification(True, "valid", payload)
