"""`flask users ...`: manage accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..auth.services import EmailTaken, create_user, find_user_by_email
from ..extensions import db
from ..models import ROLES, record_audit
from ..passwords import password_problem

users = AppGroup("users", help="Create accounts and change roles.")


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True, help="Full name as printed on certificates.")
@click.option("--role", type=click.Choice(ROLES), default="learner", show_default=True)
@click.option("--language", default="en", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create(email: str, full_name: str, role: str, language: str, password: str) -> None:
    """Create an account."""
    problem = password_problem(password, email=email, name=full_name)
    if problem:
        raise click.ClickException(f"password rejected: {problem.replace('_', ' ')}")
    try:
        user = create_user(email=email, password=password, full_name=full_name, role=role, preferred_language=language)
    except EmailTaken:
        raise click.ClickException(f"an account with email {email} already exists") from None
    click.echo(f"created {user.email} ({user.role})")


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def set_role(email: str, role: str) -> None:
    """Change the role of the account with EMAIL."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with email {email}")
    old, user.role = user.role, role
    record_audit(None, "user.role_changed", "user", user.id, old=old, new=role, via="cli")
    db.session.commit()
    click.echo(f"{user.email}: {old} -> {role}")
