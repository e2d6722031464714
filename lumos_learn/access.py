"""Role checks for views. Object-level checks (whose data is this?) live with each area's services."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def role_required(*roles: str):
    """Signed in, with one of `roles` (admins pass every role check)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles and current_user.role != "admin":
                abort(403)
            from .auth.two_factor_routes import admin_needs_two_factor

            setup_first = admin_needs_two_factor()  # administrators use two-step sign-in, whatever the page
            if setup_first is not None:
                return setup_first
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required("admin")
trainer_required = role_required("trainer")
