"""Certificates: public verification, downloads, the issuer's public documents, and management.

Public, no login: /verify/, /verify/<code>, /verify/<code>.json, /issuer,
/.well-known/jwks.json, /keys/<kid>.json, /status/1.
Owner, cohort trainer or admin: /certificates/<code>.pdf and the credential downloads (others get 404).
Admin or cohort trainer: /<lang>/admin/certificates/... (list, search, revoke, re-issue).
"""

from __future__ import annotations

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import ServiceUnavailable

from ..access import trainer_required
from ..course_library import library
from ..extensions import db, limiter
from ..i18n import LANGUAGES
from ..models import utcnow
from ..public_url import public_base_url
from . import bp, credential, status_list
from .codes import normalise_code
from .forms import ReissueForm, RevokeForm, VerifyForm
from .keys import KeyUnavailable, public_jwk, public_jwks, signing_key
from .services import (
    CertificateError,
    assignment_wording,
    find_certificate,
    manageable_certificates,
    may_download,
    may_manage,
    reissue_certificate,
    revoke_certificate,
    revoked_indices,
    verification_result,
)

VERIFY_LIMIT = "60 per minute;600 per hour"
# The page and its JSON twin draw on one budget: two doors must not double the guesses a scraper gets.
verify_limit = limiter.shared_limit(VERIFY_LIMIT, scope="certificate-verify-code")


def _base_url() -> str:
    return public_base_url()


def _verify_url(code: str) -> str:
    return f"{_base_url()}/verify/{code}"


def _key_or_503():
    try:
        return signing_key()
    except KeyUnavailable as error:
        current_app.logger.error("certificate credential requested but %s", error)
        unavailable = ServiceUnavailable()
        unavailable.user_message = _(
            "Signed digital credentials are not available at the moment: the site has "
            "no signing key configured. The PDF certificate and the verification page still work."
        )
        raise unavailable from error


def _asked_language() -> dict:
    """?lang= of this request, to carry into a redirect: the answer in the language the check was made in."""
    asked = request.args.get("lang")
    return {"lang": asked} if asked in LANGUAGES else {}


# --- public verification -------------------------------------------------------------------------------------


@bp.route("/verify/", methods=["GET", "POST"])
@limiter.limit(VERIFY_LIMIT, methods=["POST"], scope="certificate-verify")
def verify_form():
    form = VerifyForm()
    if form.validate_on_submit():
        return redirect(url_for("certificates.verify", code=normalise_code(form.code.data), **_asked_language()))
    return render_template("certificates/verify_form.html", form=form), 400 if form.errors else 200


@bp.route("/verify/<code>")
@verify_limit
def verify(code: str):
    canonical = normalise_code(code)
    if canonical and canonical != code:
        return redirect(url_for("certificates.verify", code=canonical, **_asked_language()), 301)
    certificate, replaced = find_certificate(canonical)
    if certificate is None:
        return render_template("certificates/verify.html", certificate=None, code=code, form=VerifyForm()), 404
    course = library().get(certificate.course_slug)
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        replaced=replaced,
        code=canonical,
        course=course,
        assignment_marking=assignment_wording(certificate, course),
        may_download=may_download(current_user, certificate),
        may_manage=may_manage(current_user, certificate),
    )


@bp.route("/verify/<code>.json")
@verify_limit
def verify_json(code: str):
    """The verify page for machines: {"status": "valid" | "revoked" | "replaced" | "unknown", ...}."""
    result = verification_result(normalise_code(code), _base_url())
    if result["status"] == "unknown":
        result["code"] = code[:80]
    response = jsonify(result)
    response.headers["Cache-Control"] = "no-cache"  # a revocation shows at once
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response, 404 if result["status"] == "unknown" else 200


# --- downloads for the owner, their trainer, an admin ------------------------------------------------------------


def _downloadable(code: str):
    certificate, _replaced = find_certificate(normalise_code(code))
    if certificate is None or not may_download(current_user, certificate):
        abort(404)  # a code alone proves nothing about who asks: same answer as an unknown code
    return certificate


@bp.route("/certificates/<code>.pdf")
def download_pdf(code: str):
    certificate = _downloadable(code)
    course = library().get(certificate.course_slug)
    lang = request.args.get("lang") or certificate.language
    if lang not in LANGUAGES:
        lang = certificate.language
    title, title_lang = certificate.course_title, certificate.language
    if lang != certificate.language and course is not None:
        title, title_lang = course.text("title", lang)
    # Imported here: fpdf2 and its font tools cost every worker ~30 MB of memory, and only a
    # certificate download needs them.
    from .pdf import CertificateText, render_certificate

    text = CertificateText(
        lang=lang,
        recipient_name=certificate.recipient_name,
        course_title=title,
        course_title_lang=title_lang,
        hours=certificate.hours,
        completed_on=certificate.completed_on,
        issued_on=certificate.issued_at.date(),
        issuer_name=current_app.config["ISSUER_NAME"],
        trainer_name=certificate.trainer_name,
        code=certificate.code,
        verify_url=_verify_url(certificate.code),
        course_version=certificate.course_version,
        revoked_on=certificate.revoked_at.date() if certificate.revoked_at else None,
        assignment_marking=assignment_wording(certificate, course),
    )
    filename = f"certificate-{certificate.course_slug}-{lang}.pdf"
    response = Response(
        render_certificate(text, current_app.config["CERTIFICATE_CJK_FONT"]), mimetype="application/pdf"
    )
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _signed_credential(certificate) -> str:
    key = _key_or_503()
    payload = credential.build_credential(
        certificate, library().get(certificate.course_slug), _base_url(), current_app.config["ISSUER_NAME"]
    )
    return credential.sign(payload, key, _base_url())


@bp.route("/certificates/<code>/credential.jwt")
def download_credential_jwt(code: str):
    certificate = _downloadable(code)
    response = Response(_signed_credential(certificate), mimetype="application/vc+jwt")
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.code}.jwt"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/certificates/<code>/credential.json")
def download_credential_json(code: str):
    certificate = _downloadable(code)
    response = jsonify(credential.envelope(_signed_credential(certificate)))
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.code}.json"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the issuer's public documents -------------------------------------------------------------------------------


def _kid_for(thumbprint: str) -> str:
    return credential.key_url(_base_url(), thumbprint)


def _public_json(data: dict, mimetype: str = "application/json", max_age: int = 300) -> Response:
    response = jsonify(data)
    response.mimetype = mimetype
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/.well-known/jwks.json")
def jwks():
    return _public_json(public_jwks(_kid_for), "application/jwk-set+json")


@bp.route("/keys/<thumbprint>.json")
def public_key(thumbprint: str):
    key = _key_or_503()
    if thumbprint != key.kid:
        abort(404)
    return _public_json(public_jwk(key, _kid_for(key.kid)), "application/jwk+json", 3600)


@bp.route("/issuer")
def issuer():
    profile = credential.issuer_profile(_base_url(), current_app.config["ISSUER_NAME"])
    return _public_json(profile, "application/ld+json")


def _status_document() -> dict:
    base = _base_url()
    return status_list.status_list_credential(base, credential.issuer_id(base), revoked_indices(), utcnow())


@bp.route(f"/status/{status_list.LIST_ID}")
def status_list_jwt():
    key = _key_or_503()
    response = Response(credential.sign(_status_document(), key, _base_url()), mimetype="application/vc+jwt")
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route(f"/status/{status_list.LIST_ID}.json")
def status_list_json():
    return _public_json(_status_document(), "application/vc+ld+json", 60)


# --- management: admins, and trainers for their cohorts -----------------------------------------------------------


@bp.route("/<lang:lang>/admin/certificates/")
@trainer_required
def manage_list(lang=None):
    course_slug = request.args.get("course", "").strip()[:80]
    version = request.args.get("version", "").strip()[:40]
    query = request.args.get("q", "").strip()[:120]
    certificates = (
        db.session.execute(
            manageable_certificates(current_user, course_slug=course_slug, version=version, query=query).limit(200)
        )
        .scalars()
        .all()
    )
    courses = sorted(library().courses, key=lambda c: c.slug)
    return render_template(
        "certificates/manage_list.html",
        certificates=certificates,
        course_slug=course_slug,
        version=version,
        query=query,
        courses=courses,
    )


def _manageable(code: str):
    certificate, _replaced = find_certificate(normalise_code(code))
    if certificate is None or not may_manage(current_user, certificate):
        abort(404)
    return certificate


@bp.route("/<lang:lang>/admin/certificates/<code>/", methods=["GET"])
@trainer_required
def manage(code: str, lang=None):
    certificate = _manageable(code)
    revoke_form = RevokeForm()
    reissue_form = ReissueForm()
    if certificate.user is not None:
        reissue_form.recipient_name.data = certificate.user.full_name
    return _manage_page(certificate, revoke_form, reissue_form)


def _manage_page(certificate, revoke_form, reissue_form, status: int = 200):
    return render_template(
        "certificates/manage.html", certificate=certificate, revoke_form=revoke_form, reissue_form=reissue_form
    ), status


@bp.route("/<lang:lang>/admin/certificates/<code>/revoke", methods=["POST"])
@trainer_required
def revoke(code: str, lang=None):
    certificate = _manageable(code)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            revoke_certificate(certificate, current_user, form.reason.data)
        except CertificateError:
            form.reason.errors.append(_("This certificate is already revoked."))
        else:
            flash(_("The certificate is revoked. Its verification page and the status list say so now."), "success")
            return redirect(url_for("certificates.manage", code=certificate.code))
    return _manage_page(certificate, form, ReissueForm(formdata=None), 400)


@bp.route("/<lang:lang>/admin/certificates/<code>/reissue", methods=["POST"])
@trainer_required
def reissue(code: str, lang=None):
    certificate = _manageable(code)
    form = ReissueForm()
    if form.validate_on_submit():
        try:
            new = reissue_certificate(certificate, current_user, form.recipient_name.data, form.reissue_reason.data)
        except CertificateError:
            form.reissue_reason.errors.append(_("A revoked or already replaced certificate cannot be re-issued."))
        else:
            flash(_("A new certificate is issued; the old code now leads to it."), "success")
            return redirect(url_for("certificates.manage", code=new.code))
    return _manage_page(certificate, RevokeForm(formdata=None), form, 400)
