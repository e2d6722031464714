"""A person's own data: the privacy page, the JSON download and deleting the account."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..extensions import limiter
from ..models import utcnow
from ..passwords import verify_password
from ..privacy import AdministratorAccount, delete_account, export_personal_data
from . import bp, two_factor
from .forms import DeleteAccountForm


@bp.route("/account/data")
@login_required
def my_data():
    return render_template("auth/my_data.html", form=DeleteAccountForm())


@bp.route("/account/data/export.json")
@login_required
def export_data():
    body = json.dumps(export_personal_data(current_user), ensure_ascii=False, indent=2)
    filename = f"lumos-learn-my-data-{utcnow():%Y-%m-%d}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/account/delete", methods=["POST"])
@login_required
@limiter.limit("10 per 15 minutes")
def delete_my_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.password.data):
            form.password.errors.append(_("This is not your current password."))
        elif current_user.has_two_factor and two_factor.verify_code(current_user, form.code.data or "") is None:
            form.code.errors.append(_("This code is not right, or it has already been used. Try the next one."))
        else:
            try:
                delete_account(current_user._get_current_object())
            except AdministratorAccount:
                flash(
                    _(
                        "Administrators cannot delete their own account. Ask another administrator to change "
                        "your role first."
                    ),
                    "error",
                )
                return redirect(url_for("auth.my_data"))
            logout_user()
            session.clear()
            flash(_("Your account and your learning records have been deleted."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/my_data.html", form=form), 400
