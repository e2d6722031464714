"""Two-step sign-in views: the code step after the password, and setting it up or off on the account page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..extensions import limiter
from ..models import User
from ..passwords import verify_password
from . import bp, two_factor
from .forms import PasswordAndCodeForm, TwoFactorCodeForm, TwoFactorSetupForm
from .sessions import end_other_sessions, start_session
from .sign_in import PENDING_KEY, after_sign_in, pending_key, pending_user


def _failed(response) -> bool:
    return response.status_code == 200


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("20 per 15 minutes", methods=["POST"], deduct_when=_failed)
@limiter.limit("6 per 15 minutes", methods=["POST"], key_func=pending_key, deduct_when=_failed)
def login_code():
    user = pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        method = two_factor.verify_code(user, form.code.data)
        if method is not None:
            start_session(user)  # clears the pending state with the rest of the anonymous session
            if method == "recovery":
                left = two_factor.unused_recovery_codes(user)
                flash(
                    ngettext(
                        "You used a recovery code. %(num)d is left: make new ones on your account page.",
                        "You used a recovery code. %(num)d are left: make new ones on your account page.",
                        left,
                    ),
                    "info",
                )
            return redirect(after_sign_in(user, request.args.get("next")))
        form.code.errors.append(_("This code is not right, or it has already been used. Try the next one."))
    return render_template("auth/login_code.html", form=form)


@bp.route("/account/two-factor")
@login_required
def two_factor_status():
    return render_template(
        "auth/two_factor.html",
        disable_form=PasswordAndCodeForm(prefix="disable"),
        codes_form=PasswordAndCodeForm(prefix="codes"),
        codes_left=two_factor.unused_recovery_codes(current_user),
    )


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    if current_user.has_two_factor:
        return redirect(url_for("auth.two_factor_status"))
    form = TwoFactorSetupForm()
    if form.validate_on_submit():
        codes = two_factor.confirm_setup(current_user, form.code.data)
        if codes is not None:
            # Browsers signed in with the password alone are signed out: from now on it takes both.
            end_other_sessions(current_user)
            return render_template("auth/recovery_codes.html", codes=codes, first_time=True)
        form.code.errors.append(_("This code is not right. Check the time on your phone and enter the newest code."))
    two_factor.begin_setup(current_user)
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        qr=two_factor.qr_code_data_uri(current_user),
        key=two_factor.grouped_secret(current_user.totp_secret),
    )


def _both_factors(form: PasswordAndCodeForm) -> bool:
    if not verify_password(current_user.password_hash, form.password.data):
        form.password.errors.append(_("This is not your current password."))
        return False
    if two_factor.verify_code(current_user, form.code.data) is None:
        form.code.errors.append(_("This code is not right, or it has already been used. Try the next one."))
        return False
    return True


@bp.route("/account/two-factor/disable", methods=["POST"])
@login_required
@limiter.limit("10 per 15 minutes")
def two_factor_disable():
    form = PasswordAndCodeForm(prefix="disable")
    if not current_user.has_two_factor:
        return redirect(url_for("auth.two_factor_status"))
    if form.validate_on_submit() and _both_factors(form):
        two_factor.disable(current_user)
        if current_user.is_admin:
            flash(
                _(
                    "Two-step sign-in is off. Administrators need it: set it up again before using the "
                    "administration pages."
                ),
                "info",
            )
        else:
            flash(_("Two-step sign-in is off."), "success")
        return redirect(url_for("auth.two_factor_status"))
    return render_template(
        "auth/two_factor.html",
        disable_form=form,
        codes_form=PasswordAndCodeForm(prefix="codes"),
        codes_left=two_factor.unused_recovery_codes(current_user),
    ), 400


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
@limiter.limit("10 per 15 minutes")
def two_factor_recovery_codes():
    form = PasswordAndCodeForm(prefix="codes")
    if not current_user.has_two_factor:
        return redirect(url_for("auth.two_factor_status"))
    if form.validate_on_submit() and _both_factors(form):
        return render_template(
            "auth/recovery_codes.html", codes=two_factor.regenerate_recovery_codes(current_user), first_time=False
        )
    return render_template(
        "auth/two_factor.html",
        disable_form=PasswordAndCodeForm(prefix="disable"),
        codes_form=form,
        codes_left=two_factor.unused_recovery_codes(current_user),
    ), 400


def admin_needs_two_factor(user: User | None = None):
    """An administrator without two-step sign-in is sent to set it up; None otherwise. access.py asks before
    every administration and trainer page; sign-in asks straight after the password (`user`)."""
    user = user or current_user
    if user.is_authenticated and user.is_admin and not user.has_two_factor:
        flash(_("Administrators must use two-step sign-in. Set it up to continue."), "info")
        return redirect(url_for("auth.two_factor_setup"))
    return None
