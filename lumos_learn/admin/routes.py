"""Administration: people (list, a page per person, role, suspension, reset link, two-step reset) and
the audit log. Views parse and render; `people.py` decides."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..access import admin_required
from ..course_library import library
from ..extensions import db
from ..models import ROLES, AuditEvent, User
from . import bp, people
from .forms import ROLE_LABELS, EmptyForm, ResetTwoFactorForm, RoleForm, SuspendForm

PAGE_SIZE = 50


@bp.route("/")
@admin_required
def users():
    query = (request.args.get("q") or "").strip()[:120]
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    role = role if role in ROLES else ""
    status = status if status in people.STATUSES else ""
    page = max(request.args.get("page", 1, type=int), 1)
    found = db.paginate(
        people.people_statement(query, role, status), page=page, per_page=PAGE_SIZE, error_out=False, count=True
    )
    return render_template(
        "admin/users.html",
        people=found,
        query=query,
        role=role,
        status=status,
        role_labels=ROLE_LABELS,
    )


def _person_page(person: User, *, role_form=None, suspend_form=None, two_factor_form=None, status: int = 200):
    if role_form is None:
        role_form = RoleForm(formdata=None, role=person.role)
    record = people.person_record(person)
    return render_template(
        "admin/person.html",
        person=person,
        record=record,
        courses=library(),
        role_form=role_form,
        suspend_form=suspend_form or SuspendForm(formdata=None),
        two_factor_form=two_factor_form or ResetTwoFactorForm(formdata=None),
        action_form=EmptyForm(formdata=None),
        role_labels=ROLE_LABELS,
    ), status


@bp.route("/users/<int:user_id>/")
@admin_required
def person(user_id: int):
    return _person_page(db.get_or_404(User, user_id))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def set_role(user_id: int):
    person = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _person_page(person, role_form=form, status=400)
    try:
        people.change_role(person, current_user, form.role.data)
    except people.AdminActionRefused:
        form.role.errors.append(_("You cannot remove your own administrator role."))
        return _person_page(person, role_form=form, status=400)
    flash(_("%(name)s is now: %(role)s.", name=person.full_name, role=ROLE_LABELS[form.role.data]), "success")
    return redirect(url_for("admin.person", user_id=person.id))


@bp.route("/users/<int:user_id>/suspend", methods=["POST"])
@admin_required
def suspend(user_id: int):
    person = db.get_or_404(User, user_id)
    form = SuspendForm()
    if not form.validate_on_submit():
        return _person_page(person, suspend_form=form, status=400)
    try:
        people.suspend(person, current_user, form.reason.data)
    except people.AdminActionRefused:
        form.reason.errors.append(_("You cannot suspend your own account."))
        return _person_page(person, suspend_form=form, status=400)
    flash(_("%(name)s is suspended and signed out everywhere.", name=person.full_name), "success")
    return redirect(url_for("admin.person", user_id=person.id))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@admin_required
def reactivate(user_id: int):
    person = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        people.reactivate(person, current_user)
        flash(_("%(name)s can sign in again.", name=person.full_name), "success")
    return redirect(url_for("admin.person", user_id=person.id))


@bp.route("/users/<int:user_id>/password-reset", methods=["POST"])
@admin_required
def send_reset(user_id: int):
    person = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        try:
            people.send_password_reset(person, current_user)
        except people.AdminActionRefused:
            flash(_("A suspended account cannot reset its password. Reactivate it first."), "error")
        else:
            flash(_("A link to choose a new password was sent to %(email)s.", email=person.email), "success")
    return redirect(url_for("admin.person", user_id=person.id))


@bp.route("/users/<int:user_id>/two-factor/reset", methods=["POST"])
@admin_required
def reset_two_factor(user_id: int):
    person = db.get_or_404(User, user_id)
    form = ResetTwoFactorForm()
    if not form.validate_on_submit():
        return _person_page(person, two_factor_form=form, status=400)
    if people.reset_two_factor(person, current_user, form.two_factor_reason.data):
        flash(_("Two-step sign-in of %(name)s is off; they set it up again.", name=person.full_name), "success")
    else:
        flash(_("%(name)s does not use two-step sign-in.", name=person.full_name), "info")
    return redirect(url_for("admin.person", user_id=person.id))


AUDIT_PAGE_SIZE = 50


@bp.route("/audit")
@admin_required
def audit_log():
    """Who did what to whom, newest first; filter by action, by actor (name or email) and by target."""
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
    # Names, not row ids: the actors, and the people events were done to (user targets, trainer changes).
    ids = {event.actor_id for event in events.items if event.actor_id is not None}
    ids |= {event.target_id for event in events.items if event.target_type == "user"}
    ids |= {(event.details or {}).get("user_id") for event in events.items if (event.details or {}).get("user_id")}
    named = people.people_by_id(ids)
    actions = db.session.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars().all()
    return render_template(
        "admin/audit.html", events=events, named=named, actions=actions, action=action, actor=actor, target=target
    )
