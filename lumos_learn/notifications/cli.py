"""`flask notifications send|worker|remind`: deliver the outbox and queue reminders, for cron or systemd."""

from __future__ import annotations

import signal
import time

import click
from flask.cli import with_appcontext

from .delivery import deliver_all
from .reminders import queue_reminders


@click.group(help="E-mail notifications: delivery and reminders.")
def notifications():
    pass


@notifications.command("send")
@click.option("--batch", default=50, show_default=True, help="Messages claimed at a time.")
@with_appcontext
def send_command(batch: int):
    """Deliver every message that is due now, then exit (for cron)."""
    report = deliver_all(batch)
    click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")


@notifications.command("worker")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between looks at an empty outbox.")
@click.option("--batch", default=50, show_default=True, help="Messages claimed at a time.")
@with_appcontext
def worker_command(interval: float, batch: int):
    """Deliver messages as they are queued, until stopped (SIGTERM or Ctrl-C finishes the current batch)."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping:
            report = deliver_all(batch)
            if report.sent or report.failed:
                click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")
            for _tick in range(max(int(interval * 10), 1)):
                if stopping:
                    break
                time.sleep(0.1)
    except KeyboardInterrupt:
        pass


@notifications.command("remind")
@with_appcontext
def remind_command():
    """Queue the reminders due today (run it daily; running it twice queues nothing new)."""
    queued = queue_reminders()
    click.echo(f"queued {queued} reminders")
