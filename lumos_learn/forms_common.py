"""Form fields and choices shared by several areas (profile, registration, CSV import)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import ValidationError

from .i18n import LANGUAGES
from .models import PROFESSIONAL_ROLES
from .passwords import password_problem

PROFESSIONAL_ROLE_LABELS = {
    "teacher": _l("Teacher"),
    "principal": _l("School principal or manager"),
    "care_staff": _l("Care staff"),
    "health": _l("Nurse, doctor or therapist"),
    "social_worker": _l("Social worker"),
    "official": _l("Public official"),
    "trainer": _l("Trainer"),
    "other": _l("Other"),
}
assert set(PROFESSIONAL_ROLE_LABELS) == set(PROFESSIONAL_ROLES)


def language_choices() -> list[tuple[str, str]]:
    return list(LANGUAGES.items())


def professional_role_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in PROFESSIONAL_ROLE_LABELS.items()]


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries named in the page's language, sorted as its readers expect."""
    territories = get_locale().territories
    countries = [(code, name) for code, name in territories.items() if len(code) == 2 and code.isalpha()
                 and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}]
    countries.sort(key=lambda item: item[1])
    return [("", _l("Choose a country"))] + countries


PASSWORD_MESSAGES = {
    "too_short": _l("Use at least 10 characters."),
    "too_long": _l("Use at most 256 characters."),
    "common": _l("This password is too common and easy to guess. Choose another."),
    "personal": _l("Do not use your name or email address as your password."),
}


class StrongPassword:
    """Validator: the password policy of passwords.py, with the email and name fields of the same form."""

    def __call__(self, form, field):
        email = form.email.data if hasattr(form, "email") and form.email.data else ""
        name = form.full_name.data if hasattr(form, "full_name") and form.full_name.data else ""
        from flask_login import current_user

        if not email and current_user.is_authenticated:
            email, name = current_user.email, current_user.full_name
        problem = password_problem(field.data or "", email=email, name=name)
        if problem:
            raise ValidationError(str(PASSWORD_MESSAGES[problem]))
