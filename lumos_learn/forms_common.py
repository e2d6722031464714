"""Form fields and choices shared by several areas (profile, registration, CSV import)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel import Locale
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
    """An empty first choice, as every required select has; the views preselect the page's language."""
    return [("", str(_l("Choose a language"))), *LANGUAGES.items()]


def professional_role_choices() -> list[tuple[str, str]]:
    """Starts with an empty choice: a required select must not submit its first option unseen."""
    return [("", str(_l("Choose a role"))), *((key, str(label)) for key, label in PROFESSIONAL_ROLE_LABELS.items())]


# Alphabet order of the Cyrillic languages we serve (code point order puts Ukrainian Є, І, Ї first).
_CYRILLIC = "аәбвгґдђеёєжзѕиіїйјклљмнњопрстћуўфхцчџшщъыьэюя"


def collation_key(text: str) -> tuple:
    """Sort names as a reader of the page's language expects: accents after the plain letter
    (Égypte among the E), Cyrillic in alphabet order. An approximation of full Unicode collation."""
    letters = []
    for char in unicodedata.normalize("NFC", text.casefold()):
        position = _CYRILLIC.find(char)
        if position >= 0:  # й, ї, ё are letters of their own, not и, і, е with a mark
            letters.append((1, position))
            continue
        letters.extend(
            (0, ord(base)) for base in unicodedata.normalize("NFD", char) if unicodedata.category(base) != "Mn"
        )
    return (tuple(letters), text)


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries named in the page's language, sorted as its readers expect."""
    return [("", _l("Choose a country")), *_countries(str(get_locale()))]


@lru_cache(maxsize=16)
def _countries(language: str) -> tuple[tuple[str, str], ...]:
    # Sorted once per language: the collation key of 250 names was an eighth of the account page's time.
    territories = Locale.parse(language).territories
    countries = [
        (code, name)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}
    ]
    return tuple(sorted(countries, key=lambda item: collation_key(item[1])))


PASSWORD_MESSAGES = {
    "too_short": _l("Use at least 10 characters."),
    "too_long": _l("Use at most 256 characters."),
    "common": _l("This password is too common and easy to guess. Choose another."),
    "personal": _l("Do not use your name or email address as your password."),
    "context": _l(
        "Do not build your password from your name, your email address or the name of this site: add words of your own."
    ),
}


class StrongPassword:
    """Validator: the password policy of passwords.py, for the account the password is for.

    That account is the form's `account` (a password change or reset) or, at registration, the email and name
    typed in the same form."""

    def __call__(self, form, field):
        account = getattr(form, "account", None)
        if account is not None:
            email, name = account.email, account.full_name
        else:
            email = form.email.data if hasattr(form, "email") and form.email.data else ""
            name = form.full_name.data if hasattr(form, "full_name") and form.full_name.data else ""
        problem = password_problem(field.data or "", email=email, name=name)
        if problem:
            raise ValidationError(str(PASSWORD_MESSAGES[problem]))
