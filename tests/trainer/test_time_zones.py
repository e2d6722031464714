"""Times are shown on each person's clock with the zone named (here on a trainer's pages); the zone is
theirs to choose on the account page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from trainer_helpers import add_learner, make_cohort

from lumos_learn.extensions import db
from lumos_learn.time_zones import LANGUAGE_ZONES, default_time_zone, known_zones

SUMMER_NOON_UTC = datetime(2026, 7, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("country", "language", "zone"),
    [
        ("MD", "ro", "Europe/Chisinau"),  # Romanian in Moldova
        ("RO", "ro", "Europe/Bucharest"),  # and in Romania
        ("", "ro", "Europe/Bucharest"),
        ("", "bg", "Europe/Sofia"),
        ("", "cs", "Europe/Prague"),
        ("", "uk", "Europe/Kyiv"),
        ("", "fr", "Europe/Paris"),
        ("", "en", "UTC"),
        ("BE", "fr", "Europe/Brussels"),  # the country, when known, before the language
        ("UA", "en", "Europe/Kyiv"),
    ],
)
def test_the_zone_follows_the_country_then_the_language(country, language, zone):
    assert default_time_zone(country, language) == zone


def test_every_language_has_a_zone_the_select_offers():
    assert all(zone in known_zones() for zone in LANGUAGE_ZONES.values())
    assert len(known_zones()) > 300 and "Europe/Chisinau" in known_zones()


def learner_page(client, make_user, login_as, trainer):
    cohort = make_cohort(trainer)
    enrolment = add_learner(cohort, make_user(name="Ana Popescu"))
    enrolment.enrolled_at = SUMMER_NOON_UTC
    db.session.commit()
    login_as(client, trainer)
    return f"/cohorts/{cohort.id}/learners/{enrolment.id}"


def test_a_trainer_in_moldova_reads_times_on_chisinau_time_with_the_zone_named(client, make_user, login_as):
    trainer = make_user("trainer", country="MD", preferred_language="ro")
    path = learner_page(client, make_user, login_as, trainer)
    html = client.get(f"/ro/trainer{path}").get_data(as_text=True)
    assert "5 iul. 2026, 15:00:00 (Chișinău, GMT+03:00)" in html
    english = client.get(f"/en/trainer{path}").get_data(as_text=True)
    assert "Jul 5, 2026, 3:00:00\u202fPM (Chisinau, GMT+03:00)" in english


def test_a_chosen_zone_is_saved_and_used(client, make_user, login_as):
    trainer = make_user("trainer", country="MD", preferred_language="ro")
    path = learner_page(client, make_user, login_as, trainer)
    account = client.get("/en/auth/account").get_data(as_text=True)
    assert '<option selected value="Europe/Chisinau">' in account or 'value="Europe/Chisinau" selected' in account
    profile = {
        "full_name": trainer.full_name,
        "preferred_language": "en",
        "country": "MD",
        "organisation": "",
        "professional_role": "trainer",
    }
    response = client.submit("/en/auth/account", {**profile, "time_zone": "Europe/Paris"})
    assert response.status_code == 302
    db.session.refresh(trainer)
    assert trainer.time_zone == "Europe/Paris"
    html = client.get(f"/fr/trainer{path}").get_data(as_text=True)
    assert "5 juil. 2026, 14:00:00 (Paris, UTC+02:00)" in html


def test_an_unknown_zone_is_refused_next_to_the_field_and_nothing_changes(client, make_user, login_as):
    user = make_user("learner", country="BG", preferred_language="bg")
    login_as(client, user)
    profile = {"full_name": user.full_name, "preferred_language": "bg", "country": "BG", "professional_role": "other"}
    response = client.submit("/en/auth/account", {**profile, "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200 and 'id="time_zone-error"' in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.time_zone is None


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("bg", "6 декември 2026\u202fг., 11:26:50 (София, Гринуич+02:00)"),
        ("en", "December 6, 2026, 9:26:50\u202fAM (UTC)"),
        ("cs", "6. prosince 2026 10:26:50 (Praha, GMT+01:00)"),
    ],
)
def test_a_long_moment_names_its_zone_once(app, lang, expected):
    """The retake notice of a failed final ('from 6 December 2026, 11:26:50 ...') uses the long format, whose
    Babel pattern carries its own zone (`+0200`, or a wrong `EEST` in French winter): only ours is kept."""
    from lumos_learn.time_zones import format_moment

    with app.test_request_context(f"/{lang}/courses/"):
        assert format_moment(datetime(2026, 12, 6, 9, 26, 50, tzinfo=UTC), "long") == expected
