"""What an administrator does to people's accounts: find them, change a role, suspend and reactivate,
send a password-reset link, reset two-step sign-in, see their courses and certificates.

Every change is recorded in the audit log with who did it and why (when a reason is asked), in the
same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select

from ..auth import two_factor
from ..auth.services import make_reset_token
from ..extensions import db
from ..models import ROLES, Certificate, Enrolment, User, UserSession, record_audit
from ..notifications import events as notify

STATUSES = ("active", "suspended")


class AdminActionRefused(ValueError):
    """The rule forbids it (e.g. suspending yourself); `str()` is not for users, the view words it."""


def people_statement(query: str = "", role: str = "", status: str = ""):
    """People matching a name or e-mail fragment, a role and a status, in name order."""
    statement = select(User).order_by(func.lower(User.full_name), User.id)
    if query:
        like = f"%{query.strip().lower()}%"
        statement = statement.where(or_(func.lower(User.full_name).like(like), User.email.like(like)))
    if role in ROLES:
        statement = statement.where(User.role == role)
    if status == "active":
        statement = statement.where(User.is_active_account.is_(True))
    elif status == "suspended":
        statement = statement.where(User.is_active_account.is_(False))
    return statement


def change_role(person: User, actor: User, role: str) -> None:
    if role not in ROLES:
        raise AdminActionRefused("unknown role")
    if person.id == actor.id and role != "admin":
        raise AdminActionRefused("own admin role")
    old = person.role
    if old == role:
        return
    person.role = role
    record_audit(actor, "user.role_changed", "user", person.id, old=old, new=role)
    db.session.commit()


def suspend(person: User, actor: User, reason: str) -> None:
    """The person can no longer sign in, and every browser signed in as them is signed out now."""
    if person.id == actor.id:
        raise AdminActionRefused("self")
    if not person.is_active_account:
        return
    person.is_active_account = False
    db.session.execute(delete(UserSession).where(UserSession.user_id == person.id))
    record_audit(actor, "user.suspended", "user", person.id, reason=reason.strip())
    db.session.commit()


def reactivate(person: User, actor: User) -> None:
    if person.is_active_account:
        return
    person.is_active_account = True
    record_audit(actor, "user.reactivated", "user", person.id)
    db.session.commit()


def send_password_reset(person: User, actor: User) -> None:
    """The same e-mail the person would get by asking on the reset page; the password is not changed."""
    if not person.is_active_account:
        raise AdminActionRefused("suspended")  # the link would not work: reset refuses suspended accounts
    record_audit(actor, "user.password_reset_sent", "user", person.id)
    notify.password_reset(person, make_reset_token(person))
    db.session.commit()


def reset_two_factor(person: User, actor: User, reason: str) -> bool:
    """Turn two-step sign-in off (the person sets it up again); False if it was not on."""
    if person.totp_secret is None:
        return False
    record_audit(actor, "user.two_factor_reset", "user", person.id, reason=reason.strip())
    two_factor.disable(person, actor)  # records user.two_factor_disabled and commits both
    return True


@dataclass(frozen=True)
class PersonRecord:
    enrolments: list[Enrolment]
    certificates: list[Certificate]
    sessions: int


def person_record(person: User) -> PersonRecord:
    enrolments = (
        db.session.execute(
            select(Enrolment).filter_by(user_id=person.id).order_by(Enrolment.enrolled_at.desc(), Enrolment.id)
        )
        .scalars()
        .all()
    )
    certificates = (
        db.session.execute(
            select(Certificate)
            .filter_by(user_id=person.id)
            .where(Certificate.superseded_by_id.is_(None))
            .order_by(Certificate.issued_at.desc())
        )
        .scalars()
        .all()
    )
    sessions = db.session.scalar(select(func.count()).select_from(UserSession).filter_by(user_id=person.id))
    return PersonRecord(list(enrolments), list(certificates), sessions or 0)


def people_by_id(ids) -> dict[int, User]:
    wanted = {int(i) for i in ids if str(i).isdigit() and len(str(i)) < 19}
    if not wanted:
        return {}
    return {person.id: person for person in db.session.execute(select(User).where(User.id.in_(wanted))).scalars()}
