"""Administration: people and their roles."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..access import admin_required
from ..extensions import db
from ..models import ROLES, User, record_audit
from . import bp
from .forms import RoleForm

PAGE_SIZE = 50


@bp.route("/")
@admin_required
def users():
    query = (request.args.get("q") or "").strip()
    page = max(request.args.get("page", 1, type=int), 1)
    statement = select(User).order_by(User.full_name, User.id)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(or_(func.lower(User.full_name).like(like), User.email.like(like)))
    people = db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/users.html", people=people, query=query, form=RoleForm(), roles=ROLES)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def set_role(user_id: int):
    person = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a valid role."), "error")
    elif person.id == current_user.id and form.role.data != "admin":
        flash(_("You cannot remove your own administrator role."), "error")
    else:
        old = person.role
        person.role = form.role.data
        record_audit(current_user, "user.role_changed", "user", person.id, old=old, new=person.role)
        db.session.commit()
        flash(_("%(name)s is now: %(role)s.", name=person.full_name, role=form.role.data), "success")
    return redirect(url_for("admin.users"))
