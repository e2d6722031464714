"""Sign-in, registration, account and password views: parse the form, call a service, render."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..learn.joining import cohort_of_link, join_by_link
from ..notifications import events as notify
from ..passwords import verify_password
from ..time_zones import time_zone_of
from . import bp
from .forms import ChangePasswordForm, LoginForm, ProfileForm, RegistrationForm, ResetPasswordForm, ResetRequestForm
from .services import (
    EmailTaken,
    authenticate,
    create_user,
    find_user_by_email,
    make_reset_token,
    set_password,
    user_for_reset_token,
)
from .sessions import end_other_sessions, end_session, start_session
from .sign_in import after_sign_in, begin_second_step, safe_next
from .two_factor_routes import admin_needs_two_factor


def _failed_login(response) -> bool:
    # Only failed sign-ins count against the throttle: a successful one redirects.
    return response.status_code == 200


def _account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per 15 minutes", methods=["POST"], deduct_when=_failed_login)
@limiter.limit("8 per 15 minutes", methods=["POST"], key_func=_account_key, deduct_when=_failed_login)
def login():
    if current_user.is_authenticated:
        return redirect(after_sign_in(current_user, request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None and user.has_two_factor:
            # The password was right; the session starts only after the second step (two_factor_routes.py).
            begin_second_step(user)
            return redirect(url_for("auth.login_code", next=safe_next(request.args.get("next"))))
        if user is not None:
            start_session(user)
            setup_first = admin_needs_two_factor(user)  # an administrator is asked at once, not at the first admin page
            if setup_first is not None:
                return setup_first
            return redirect(after_sign_in(user, request.args.get("next")))
        # One message for unknown email and wrong password: the page must not tell which accounts exist.
        form.password.errors.append(_("The email or password is not right."))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    end_session(current_user._get_current_object())
    flash(_("You have signed out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(after_sign_in(current_user, request.args.get("next")))
    form = RegistrationForm()
    if request.method == "GET":
        form.preferred_language.data = str(get_locale())
    if form.validate_on_submit():
        try:
            user = create_user(
                email=form.email.data,
                password=form.password.data,
                full_name=form.full_name.data,
                preferred_language=form.preferred_language.data,
                country=form.country.data or "",
                organisation=(form.organisation.data or "").strip(),
                professional_role=form.professional_role.data,
            )
        except EmailTaken:
            form.email.errors.append(_("An account with this email already exists. Sign in, or reset your password."))
        else:
            start_session(user)
            flash(_("Welcome to Lumos Learn."), "success")
            # A join link (or any page that sent the visitor here) is where they were going.
            target = safe_next(request.args.get("next"))
            joined = join_by_link(user, target)
            return redirect(joined or target or url_for("learn.catalogue", lang=user.preferred_language))
    return render_template("auth/register.html", form=form, joining=cohort_of_link(safe_next(request.args.get("next"))))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ProfileForm(obj=current_user)
    if not form.is_submitted():
        form.time_zone.data = time_zone_of(current_user)  # the zone in use, chosen or derived
    if form.validate_on_submit():
        chosen_zone = form.time_zone.data or current_user.time_zone
        form.populate_obj(current_user)
        current_user.full_name = current_user.full_name.strip()
        current_user.time_zone = chosen_zone
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("auth.account", lang=current_user.preferred_language))
    return render_template("auth/account.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm(account=current_user)
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            set_password(current_user, form.password.data)
            end_other_sessions(current_user)
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            notify.password_reset(user, make_reset_token(user))
            db.session.commit()
        # The same answer whether or not the account exists.
        flash(_("If an account exists for that address, we have sent it a link to choose a new password."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user, problem = user_for_reset_token(token)
    if user is None:
        message = (
            _("This link has expired. Ask for a new one.")
            if problem == "expired"
            else _("This link is not valid or has already been used. Ask for a new one.")
        )
        return render_template("auth/reset_invalid.html", message=message), 400
    form = ResetPasswordForm(account=user)
    if form.validate_on_submit():
        set_password(user, form.password.data)
        end_other_sessions(user)
        flash(_("Your password has been changed. You can sign in with it now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
