"""`flask certificates ...`: keys, offline verification, listings by course version, repair."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from joserfc.jwk import KeySet
from sqlalchemy import select

from ..course_library import library
from ..extensions import db
from ..models import Certificate
from ..public_url import public_base_url
from . import credential
from .keys import KeyUnavailable, public_keyset, write_key_file
from .services import issue_missing, manageable_certificates


@click.group("certificates", help="Certificates: signing keys, credential checks, listings.")
def certificates() -> None:
    pass


@certificates.command("generate-key")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the PEM (e.g. instance/keys/issuer-rs256.pem).",
)
@click.option("--force", is_flag=True, help="Replace an existing key (credentials signed with it stop verifying).")
@click.option("--bits", default=3072, show_default=True, type=click.IntRange(2048, 8192))
def generate_key(out: Path, force: bool, bits: int) -> None:
    """Write a new RSA private key for signing credentials (mode 0600)."""
    try:
        write_key_file(out, force=force, bits=bits)
    except FileExistsError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"wrote {out} (RSA {bits} bits, mode 0600). Keep it out of version control.")


def _revocation_reason(index: int) -> str | None:
    certificate = db.session.execute(select(Certificate).filter_by(status_index=index)).scalar_one_or_none()
    if certificate is None or certificate.revoked_at is None:
        return None
    when = certificate.revoked_at.strftime("%Y-%m-%d")
    if certificate.superseded_by_id:
        return f"replaced by a re-issued certificate on {when}"
    return f"revoked on {when}"


@certificates.command("verify")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option(
    "--jwks",
    "jwks_file",
    type=click.File("r", encoding="utf-8"),
    help="The issuer's JWK Set (a saved /.well-known/jwks.json); default: this site's configured key.",
)
@with_appcontext
def verify(file, jwks_file) -> None:
    """Check a credential (.jwt, or the .json from the dashboard) offline and say why it fails."""
    base = public_base_url()
    try:
        token = credential.extract_token(file.read())
    except ValueError as error:
        click.echo(f"INVALID: {error}")
        sys.exit(1)
    try:
        keys = (
            KeySet.import_key_set(json.load(jwks_file))
            if jwks_file
            else public_keyset(lambda thumbprint: credential.key_url(base, thumbprint))
        )
    except (KeyUnavailable, ValueError) as error:
        raise click.ClickException(f"no issuer key to check against: {error}") from error
    result = credential.verify_token(token, keys, credential.issuer_id(base), revoked=_revocation_reason)
    if not result.valid:
        click.echo(f"INVALID: {result.reason}")
        sys.exit(1)
    subject = result.payload["credentialSubject"]
    names = [i.get("identityHash") for i in subject.get("identifier", []) if i.get("identityType") == "name"]
    achievement = subject["achievement"]
    click.echo(
        f"VALID: {', '.join(names)} — {achievement['name']} (version {achievement.get('version')}), "
        f"issued by {result.payload['issuer'].get('name')}"
    )


@certificates.command("list")
@click.option("--course", "course_slug", default="", help="Course slug.")
@click.option("--version", "version", default="", help="Course version studied (as in course.yml).")
@click.option("--include-revoked", is_flag=True)
@with_appcontext
def list_certificates(course_slug: str, version: str, include_revoked: bool) -> None:
    """Tab-separated: code, name, course, version, completed on, status (who trained on which version)."""

    class _Everyone:  # the command line acts with an administrator's reach
        is_admin = True

    rows = db.session.execute(manageable_certificates(_Everyone(), course_slug=course_slug, version=version)).scalars()
    count = 0
    for certificate in rows:
        if certificate.revoked_at and not include_revoked:
            continue
        status = "revoked" if certificate.revoked_at else "valid"
        click.echo(
            "\t".join(
                [
                    certificate.code,
                    certificate.recipient_name,
                    certificate.course_slug,
                    certificate.course_version,
                    certificate.completed_on.isoformat(),
                    status,
                ]
            )
        )
        count += 1
    click.echo(f"{count} certificate(s)", err=True)


@certificates.command("issue-missing")
@with_appcontext
def issue_missing_command() -> None:
    """Issue the certificates of completed enrolments that have none (if issuing failed at completion)."""
    courses = {course.slug: course for course in library().courses}
    issued = issue_missing(courses)
    click.echo(f"issued {len(issued)} certificate(s)")
