"""Hours of training in words: the number in the reader's notation, the noun in the right plural form.

A course may last 1.5 hours. gettext's plural formulas (the `Plural-Forms` header of each catalogue) only
know whole numbers, and truncating 1.5 to 1 picks the singular: "1,5 oră" in Romanian, "1,5 hodina" in
Czech, where a native writes "1,5 ore", "1,5 hodiny". CLDR's plural rules, which Babel evaluates on the
decimal's own operands, do know fractions: Czech 1.5 is "many", Romanian 1.5 is "few", French 1.5 is "one".
`plural_count` turns that category back into a whole number that the catalogue's formula files under the
same form, so every hours message stays an ordinary `ngettext` entry that translators see as usual.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from babel import Locale
from babel.numbers import format_decimal
from flask_babel import get_locale, get_translations

# Categories that CLDR gives only to fractions (Czech "many", Ukrainian "other") have no whole number to
# stand for them. For hours their form is spelled like the "few" form: "1,5 hodiny" as "2 hodiny",
# "1,5 години" as "2 години", so the "few" form's stand-in is used.
FRACTION_ONLY_FALLBACK = "few"


class Hours(NamedTuple):
    count: int  # what to give ngettext to pick the form
    text: str  # the number as the reader writes it: "1,5", "8"


def _exact(hours) -> int | Decimal:
    # Through str(), so that 1.1 stays 1.1 and not 1.100000000000000088817841970012523.
    value = Decimal(str(hours))
    return int(value) if value == value.to_integral_value() else value.normalize()


@lru_cache(maxsize=64)
def _stand_in(locale: str, category: str) -> int:
    rules = Locale.parse(locale)
    for whole in range(200):
        if rules.plural_form(whole) == category:
            return whole
    return _stand_in(locale, FRACTION_ONLY_FALLBACK) if category != FRACTION_ONLY_FALLBACK else 2


def plural_count(hours, locale: str) -> int:
    """The whole number that makes a catalogue choose the plural form `hours` takes in `locale`."""
    value = _exact(hours)
    if isinstance(value, int):
        return value
    return _stand_in(locale, Locale.parse(locale).plural_form(value))


def hours_in(hours, locale: str | None = None) -> Hours:
    locale = str(locale or get_locale())
    return Hours(plural_count(hours, locale), format_decimal(_exact(hours), locale=locale))


def format_hours(hours, locale: str | None = None) -> str:
    """ "1,5 hodiny", "8 hours": a course's length on its own (catalogue, course page)."""
    count, text = hours_in(hours, locale)
    # Not flask_babel's ngettext, which fills %(num)s with the count itself: here it is the formatted number.
    return get_translations().ungettext("%(num)s hour", "%(num)s hours", count) % {"num": text}
