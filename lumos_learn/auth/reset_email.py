"""The password-reset e-mail: asked for on the reset page, or sent by an administrator."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..mail import send_email
from ..models import User
from .services import make_reset_token


def send_reset_email(user: User) -> None:
    """A single-use link to choose a new password, in the person's language."""
    token = make_reset_token(user)
    with force_locale(user.preferred_language):
        link = current_app.config["PUBLIC_BASE_URL"] + url_for(
            "auth.reset_password", token=token, lang=user.preferred_language
        )
        minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
        body = render_template("auth/email/reset.txt", user=user, link=link, minutes=minutes)
        send_email(user.email, _("Choose a new Lumos Learn password"), body)
