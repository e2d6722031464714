"""`flask backup create|restore`: consistent copies of the database while the site runs.

SQLite: SQLite's online backup API copies the live database page by page under its own locking, so
a backup taken while gunicorn workers write is consistent (copying the file would not be: WAL mode
keeps recent writes in a -wal file beside it). PostgreSQL: use its own tools; `create` prints the
commands (see SECURITY.md, "Backups").
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

from ..extensions import db

backup = AppGroup("backup", help="Back up and restore the database.")


def _sqlite_path() -> Path | None:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise click.ClickException("an in-memory database cannot be backed up")
    return Path(url.database)


def _postgres_instructions(action: str) -> str:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    shown = url.render_as_string(hide_password=True)
    if action == "create":
        return (
            "This site runs on PostgreSQL: back it up with PostgreSQL's own tool, which takes a consistent "
            "snapshot while the site runs:\n\n"
            f"  pg_dump --format=custom --no-owner --file=lumos-learn-$(date -u +%Y%m%dT%H%M%SZ).dump '{shown}'\n\n"
            "(give the password through PGPASSWORD or ~/.pgpass rather than on the command line)"
        )
    return (
        "This site runs on PostgreSQL: stop the site, then restore with PostgreSQL's own tool:\n\n"
        f"  pg_restore --clean --if-exists --no-owner --single-transaction --dbname='{shown}' FILE.dump\n\n"
        "then run `flask db upgrade` if the backup is older than the code, and start the site."
    )


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _check(connection: sqlite3.Connection, path: Path) -> None:
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{path}: not a readable SQLite database ({error})") from None
    if result != "ok":
        raise click.ClickException(f"{path}: integrity check failed: {result}")
    if "users" not in tables:
        raise click.ClickException(f"{path}: not a Lumos Learn database (no users table)")


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database with the online backup API (readers and writers may go on meanwhile)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=1024)
    src.close()
    dst.close()


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


@backup.command("create")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: instance/backups/lumos-learn-<UTC time>.db).",
)
def create(out: Path | None) -> None:
    """Write a consistent copy of the database, even while the site is running."""
    source = _sqlite_path()
    if source is None:
        click.echo(_postgres_instructions("create"), err=True)
        raise SystemExit(2)
    if not source.exists():
        raise click.ClickException(f"{source}: no database here yet (run `flask db upgrade`)")
    out = out or Path(current_app.instance_path) / "backups" / f"lumos-learn-{_stamp()}.db"
    if out.exists():
        raise click.ClickException(f"{out} already exists; choose another --out")
    copy_sqlite(source, out)
    os.chmod(out, 0o600)  # the copy holds the same personal data as the database
    with sqlite3.connect(out) as connection:
        _check(connection, out)
        revision = _revision(connection)
    connection.close()
    click.echo(f"Backup written to {out} ({out.stat().st_size} bytes, schema revision {revision or 'unknown'}).")


@backup.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(file: Path, yes: bool) -> None:
    """Replace the database with FILE (a backup made by `flask backup create`). Stop the site first."""
    target = _sqlite_path()
    if target is None:
        click.echo(_postgres_instructions("restore"), err=True)
        raise SystemExit(2)
    with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as connection:
        _check(connection, file)
        backup_revision = _revision(connection)
    connection.close()
    if not yes:
        click.confirm(f"Replace every row of {target} with the contents of {file}?", abort=True)
    if target.exists():
        safety = target.with_name(f"{target.stem}.before-restore-{_stamp()}{target.suffix}")
        copy_sqlite(target, safety)
        os.chmod(safety, 0o600)
        click.echo(f"The database as it was is kept in {safety}.")
    db.engine.dispose()  # no pooled connection may keep the old pages
    copy_sqlite(file, target)
    with sqlite3.connect(target) as connection:
        _check(connection, target)
    connection.close()
    click.echo(f"Restored {target} from {file} (schema revision {backup_revision or 'unknown'}).")
    click.echo("Run `flask db upgrade` if the backup is older than the code, then start the site.")
