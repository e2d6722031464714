"""Whose clock a time is shown on: each person's time zone, and the one helper that formats a moment.

A person chooses their zone on the account page (`users.time_zone`, an IANA name). Until they do it follows
their country (Babel's list of each territory's zones: MD -> Europe/Chisinau, RO -> Europe/Bucharest), then
the usual zone of their interface language. Visitors who are not signed in get the language's zone. Every
time shown to a person names its zone (`format_moment`), because a trainer in Chișinău and a learner in
Sofia read the same moment from different clocks.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel.core import get_global
from babel.dates import get_datetime_format, get_timezone_gmt, get_timezone_location
from flask import has_request_context
from flask_babel import format_date, format_datetime, format_time, get_locale, get_timezone
from flask_login import current_user

from .i18n import LANGUAGES
from .i18n import get_locale as interface_language

# The zone most readers of each interface language live in. Romanian is spoken in Moldova and Romania alike:
# the country, when known, decides (see default_time_zone); without it, Romania's.
LANGUAGE_ZONES = {
    "en": "UTC",
    "ro": "Europe/Bucharest",
    "bg": "Europe/Sofia",
    "cs": "Europe/Prague",
    "uk": "Europe/Kyiv",
    "fr": "Europe/Paris",
}
assert set(LANGUAGE_ZONES) == set(LANGUAGES)


@cache
def known_zones() -> tuple[str, ...]:
    """The canonical zone of every territory (Babel's CLDR list) that this machine's tz database has, and UTC."""
    territory_zones = get_global("territory_zones")
    zones = {zone for zones in territory_zones.values() for zone in zones} | {"UTC"}
    return tuple(sorted(zones & available_timezones()))


def default_time_zone(country: str | None, language: str | None) -> str:
    """The person's country's main zone if it has one, else their language's usual zone, else UTC."""
    zones = get_global("territory_zones").get((country or "").upper(), [])
    for zone in zones:
        if zone in known_zones():
            return zone
    return LANGUAGE_ZONES.get(language or "", "UTC")


def time_zone_of(user) -> str:
    """The zone `user` chose, or the one chosen for them."""
    chosen = getattr(user, "time_zone", None)
    if chosen and chosen in known_zones():
        return chosen
    return default_time_zone(getattr(user, "country", ""), getattr(user, "preferred_language", ""))


def select_time_zone() -> str:
    """Flask-Babel's timezone selector: the signed-in person's zone, else the page's language's (UTC for a
    command run outside any request)."""
    if not has_request_context():
        return "UTC"
    if current_user.is_authenticated:
        return time_zone_of(current_user)
    return LANGUAGE_ZONES.get(interface_language(), "UTC")


@cache
def _zone_labels(locale: str) -> tuple[tuple[str, str], ...]:
    labels = []
    for zone in known_zones():
        city = get_timezone_location(ZoneInfo(zone), locale=locale, return_city=True)
        plain = zone.replace("_", " ")
        labels.append((zone, plain if plain.endswith(city) else f"{plain} ({city})"))
    return tuple(labels)


def time_zone_choices() -> list[tuple[str, str]]:
    """(IANA name, label) for the account page's select, the city named in the reader's language."""
    return list(_zone_labels(str(get_locale())))


def zone_name(moment: datetime) -> str:
    """`Chișinău, GMT+02:00`: the zone's city in the reader's language and its offset at that moment."""
    zone = get_timezone()
    local = moment.astimezone(zone)
    gmt = get_timezone_gmt(local, locale=get_locale())
    if str(zone) == "UTC":
        return "UTC"
    return f"{get_timezone_location(zone, locale=get_locale(), return_city=True)}, {gmt}"


def format_moment(moment: datetime | None, format: str = "medium") -> str:
    """A moment on the reader's clock, in their language's format, with the zone named: the one helper for
    every time shown to a person (the `datetimeformat` filter of the templates)."""
    if moment is None:
        return ""
    if format in ("long", "full"):
        # Babel's long and full patterns print their own zone (`+0200`; `EEST` in a French December): the date
        # in words with the time of day, and the zone once, as ours.
        pattern = get_datetime_format(format, locale=get_locale())
        when = pattern.replace("{1}", format_date(moment, format)).replace("{0}", format_time(moment, "medium"))
    else:
        when = format_datetime(moment, format)
    return f"{when} ({zone_name(moment)})"
