"""Outgoing email: SMTP when MAIL_SERVER is set, otherwise written to the log (development)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_email(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    # Tests read what would have been sent; nothing leaves the machine.
    outbox = current_app.extensions.get("mail_outbox")
    if outbox is not None:
        outbox.append(message)
    if not config["MAIL_SERVER"]:
        current_app.logger.warning("MAIL_SERVER not set; email to %s not sent:\n%s\n\n%s", to, subject, body)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
