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
from .forms import ROLE_LABELS, RoleForm

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
        flash(_("%(name)s is now: %(role)s.", name=person.full_name, role=ROLE_LABELS[form.role.data]), "success")
    return redirect(url_for("admin.users"))


AUDIT_PAGE_SIZE = 50


@bp.route("/audit")
@admin_required
def audit_log():
    """Who did what to whom, newest first; filter by action, by actor (name or email) and by target."""
    from ..models import AuditEvent

    action = (request.args.get("action") or "").strip()
    actor = (request.args.get("actor") or "").strip()
    target = (request.args.get("target") or "").strip()
    page = max(request.args.get("page", 1, type=int), 1)
    statement = (
        select(AuditEvent)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if action:
        statement = statement.where(AuditEvent.action == action)
    if actor:
        like = f"%{actor.lower()}%"
        statement = statement.where(or_(func.lower(User.full_name).like(like), User.email.like(like)))
    if target:
        target_type, _sep, target_id = target.partition(":")
        statement = statement.where(AuditEvent.target_type == target_type.strip())
        if target_id.strip():
            statement = statement.where(AuditEvent.target_id == target_id.strip())
    events = db.paginate(statement, page=page, per_page=AUDIT_PAGE_SIZE, error_out=False, count=True)
    actor_ids = {event.actor_id for event in events.items if event.actor_id is not None}
    actors = {person.id: person for person in db.session.execute(select(User).where(User.id.in_(actor_ids))).scalars()}
    actions = db.session.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars().all()
    return render_template(
        "admin/audit.html", events=events, actors=actors, actions=actions, action=action, actor=actor, target=target
    )
