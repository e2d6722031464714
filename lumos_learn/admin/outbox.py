"""The e-mail outbox for administrators: what is queued, sent or failed (with the server's reason), and retry."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..access import admin_required
from ..extensions import db
from ..models import OUTBOX_STATUSES, OutboxMessage, record_audit
from ..notifications.delivery import retry_failed
from . import bp

PAGE_SIZE = 50


@bp.route("/outbox")
@admin_required
def outbox():
    status = request.args.get("status", "")
    if status and status not in OUTBOX_STATUSES:
        status = ""
    page = max(request.args.get("page", 1, type=int), 1)
    statement = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status:
        statement = statement.where(OutboxMessage.status == status)
    messages = db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False, count=True)
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return render_template(
        "admin/outbox.html", messages=messages, status=status, counts=counts, statuses=OUTBOX_STATUSES
    )


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@admin_required
def retry_message(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    if not retry_failed(message.id):
        abort(409)
    record_audit(current_user, "outbox.retry", "email", message.id, to=message.to_address)
    db.session.commit()
    flash(_("The message to %(address)s is queued again.", address=message.to_address), "success")
    return redirect(url_for("admin.outbox", status="failed"))
