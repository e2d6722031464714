"""Render an e-mail in its reader's language and put it in the outbox (the caller's transaction commits it)."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale

from ..extensions import db
from ..i18n import LANGUAGES
from ..models import OutboxMessage, User
from ..public_url import public_base_url
from .unsubscribe import TOPICS, unsubscribe_token


def public_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail: the site's public address, never the address a worker runs on."""
    base = public_base_url()
    if has_request_context():
        return base + url_for(endpoint, **values)
    # Events also happen outside a request: a revocation from the command line, `remind` from cron.
    with current_app.test_request_context(base_url=base):
        return base + url_for(endpoint, **values)


def reader_language(user: User) -> str:
    return user.preferred_language if user.preferred_language in LANGUAGES else "en"


def queue_email(
    user: User,
    kind: str,
    template: str,
    *,
    subject,
    topic: str | None = None,
    dedupe_key: str | None = None,
    **context,
) -> OutboxMessage:
    """Queue `templates/notifications/email/<template>.txt|.html` for `user`, in their interface language.

    `subject` is a lazy string (`lazy_gettext`): it is translated here, in the reader's language.

    `topic` (reminders, announcements) makes the message one a person can turn off: it gets a signed
    one-click unsubscribe link in the body and the List-Unsubscribe headers. Account e-mails pass no topic.
    """
    lang = reader_language(user)
    with force_locale(lang):
        unsubscribe_url = None
        if topic is not None:
            assert topic in TOPICS, topic
            unsubscribe_url = public_url("notifications.unsubscribe", token=unsubscribe_token(user, topic), lang=lang)
        context.update(user=user, lang=lang, unsubscribe_url=unsubscribe_url)
        subject = str(subject)
        text = render_template(f"notifications/email/{template}.txt", **context)
        html = render_template(f"notifications/email/{template}.html", subject=subject, **context)
    row = OutboxMessage(
        kind=kind,
        user_id=user.id,
        to_address=user.email,
        language=lang,
        subject=subject,
        body_text=text,
        body_html=html,
        unsubscribe_url=unsubscribe_url,
        dedupe_key=dedupe_key,
    )
    db.session.add(row)
    # Tests read what was queued as it would be sent; nothing leaves the machine.
    captured = current_app.extensions.get("mail_outbox")
    if captured is not None:
        captured.append(as_email(row, current_app.config["MAIL_SENDER"]))
    return row


# Python folds long non-ASCII headers at 78 characters into encoded words and loses the space at the fold
# ("місця,де"); RFC 5322's hard limit of 998 keeps a subject in one piece, as every mail client reads it.
_POLICY = policy.SMTP.clone(max_line_length=998)


def as_email(row: OutboxMessage, sender: str) -> EmailMessage:
    """The MIME message for an outbox row: plain text with an HTML alternative, and unsubscribe headers."""
    message = EmailMessage(policy=_POLICY)
    message["From"] = sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "localhost"
    # One id per outbox row: a retry after a lost reply is recognisably the same message.
    message["Message-ID"] = f"<outbox-{row.id}@{domain}>" if row.id else make_msgid(domain=domain)
    if row.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    # After the body: setting the content replaces every Content-* header.
    message["Content-Language"] = row.language
    return message
