"""Notifications: e-mail written to an outbox in the same transaction as the event, delivered by a worker.

compose.py  renders a message in its reader's language (plain text and HTML) and queues it
events.py   the messages the platform sends: cohort, certificate, announcement, reminder, account
reminders.py  which learners are due a reminder (computed by `flask notifications remind`)
delivery.py   claims queued rows and sends them over SMTP, with retries and back-off
unsubscribe.py, routes.py   one-click unsubscribe from reminders and announcements
cli.py      `flask notifications send|worker|remind`
"""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from . import routes  # noqa: E402,F401  (registers the views)


def init_app(app) -> None:
    from .announcements import announcement_html
    from .cli import notifications

    app.register_blueprint(bp, url_prefix="/<lang:lang>/notifications")
    app.jinja_env.filters["announcement_html"] = announcement_html
    app.cli.add_command(notifications)
