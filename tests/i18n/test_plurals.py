"""Plural forms a native reader expects, for 1, 2, 5, 21 and 22 in every language, and for hours also 1.5.

Hours may be fractional: their form comes from CLDR's rules on the decimal (lumos_learn/study_hours.py), so
Czech reads "1,5 hodiny", Romanian "1,5 ore", French "1,5 heure", where the truncated integer would say
"1,5 hodina", "1,5 oră".
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask import render_template_string
from flask_babel import force_locale, ngettext
from pypdf import PdfReader

from lumos_learn.certificates.pdf import CertificateText, render_certificate
from lumos_learn.study_hours import format_hours, plural_count

NUMBERS = (1, 1.5, 2, 5, 21, 22)

HOURS = {
    "en": ["1 hour", "1.5 hours", "2 hours", "5 hours", "21 hours", "22 hours"],
    "ro": ["1 oră", "1,5 ore", "2 ore", "5 ore", "21 de ore", "22 de ore"],
    "bg": ["1 час", "1,5 часа", "2 часа", "5 часа", "21 часа", "22 часа"],
    "cs": ["1 hodina", "1,5 hodiny", "2 hodiny", "5 hodin", "21 hodin", "22 hodin"],
    "uk": ["1 година", "1,5 години", "2 години", "5 годин", "21 година", "22 години"],
    "fr": ["1 heure", "1,5 heure", "2 heures", "5 heures", "21 heures", "22 heures"],
}

# The certificate's line: the same rule inside a longer sentence.
CERTIFICATE_HOURS = {
    "en": [
        "1 hour of training",
        "1.5 hours of training",
        "2 hours of training",
        "5 hours of training",
        "21 hours of training",
        "22 hours of training",
    ],
    "ro": [
        "1 oră de formare",
        "1,5 ore de formare",
        "2 ore de formare",
        "5 ore de formare",
        "21 de ore de formare",
        "22 de ore de formare",
    ],
    "bg": ["1 учебен час", "1,5 учебни часа", "2 учебни часа", "5 учебни часа", "21 учебни часа", "22 учебни часа"],
    "cs": ["1 hodina výuky", "1,5 hodiny výuky", "2 hodiny výuky", "5 hodin výuky", "21 hodin výuky", "22 hodin výuky"],
    "uk": [
        "1 година навчання",
        "1,5 години навчання",
        "2 години навчання",
        "5 годин навчання",
        "21 година навчання",
        "22 години навчання",
    ],
    "fr": [
        "1 heure de formation",
        "1,5 heure de formation",
        "2 heures de formation",
        "5 heures de formation",
        "21 heures de formation",
        "22 heures de formation",
    ],
}

WHOLE = (1, 2, 5, 21, 22)

STUCK = {
    "en": ["Stuck for 1 day", "Stuck for 2 days", "Stuck for 5 days", "Stuck for 21 days", "Stuck for 22 days"],
    "ro": [
        "Fără activitate de 1 zi",
        "Fără activitate de 2 zile",
        "Fără activitate de 5 zile",
        "Fără activitate de 21 de zile",
        "Fără activitate de 22 de zile",
    ],
    "bg": [
        "Без напредък от 1 ден",
        "Без напредък от 2 дни",
        "Без напредък от 5 дни",
        "Без напредък от 21 дни",
        "Без напредък от 22 дни",
    ],
    "cs": [
        "Bez aktivity 1 den a déle",
        "Bez aktivity 2 dny a déle",
        "Bez aktivity 5 dní a déle",
        "Bez aktivity 21 dní a déle",
        "Bez aktivity 22 dní a déle",
    ],
    "uk": [
        "Без активності 1 день",
        "Без активності 2 дні",
        "Без активності 5 днів",
        "Без активності 21 день",
        "Без активності 22 дні",
    ],
    "fr": [
        "Sans progression depuis 1 jour",
        "Sans progression depuis 2 jours",
        "Sans progression depuis 5 jours",
        "Sans progression depuis 21 jours",
        "Sans progression depuis 22 jours",
    ],
}

MINUTES = {
    "en": ["1 minute", "2 minutes", "5 minutes", "21 minutes", "22 minutes"],
    "ro": ["1 minut", "2 minute", "5 minute", "21 de minute", "22 de minute"],
    "bg": ["1 минута", "2 минути", "5 минути", "21 минути", "22 минути"],
    "cs": ["1 minuta", "2 minuty", "5 minut", "21 minut", "22 minut"],
    "uk": ["1 хвилина", "2 хвилини", "5 хвилин", "21 хвилина", "22 хвилини"],
    "fr": ["1 minute", "2 minutes", "5 minutes", "21 minutes", "22 minutes"],
}


@pytest.mark.parametrize("lang", list(HOURS))
def test_hours_are_written_and_pluralised_as_a_native_writes_them(app, lang):
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        assert [format_hours(number) for number in NUMBERS] == HOURS[lang]
        # Pages use the same helper as a filter (course page, catalogue).
        page = render_template_string("{% for h in hours %}{{ h|hoursformat }};{% endfor %}", hours=NUMBERS)
    assert page.split(";")[:-1] == HOURS[lang]


@pytest.mark.parametrize("lang", list(CERTIFICATE_HOURS))
def test_the_certificate_states_its_hours_in_the_right_form(app, lang):
    for number, expected in zip(NUMBERS, CERTIFICATE_HOURS[lang], strict=True):
        with app.test_request_context(f"/{lang}/"):
            data = render_certificate(
                CertificateText(
                    lang=lang,
                    recipient_name="Ana Popescu",
                    course_title="Safe mealtimes",
                    course_title_lang="en",
                    hours=number,
                    completed_on=date(2026, 11, 20),
                    issued_on=date(2026, 11, 21),
                    issuer_name="Lumos Learn",
                    trainer_name=None,
                    code="LL-7K3M-Q9XD-2RTB-HW4N-8PJC-ZE6F-1GVA",
                    verify_url="http://127.0.0.1:8000/verify/LL-7K3M-Q9XD-2RTB-HW4N-8PJC-ZE6F-1GVA",
                )
            )
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert expected in " ".join(text.split()), f"{lang} {number}: {expected!r} not on the certificate"


def test_a_stored_whole_number_is_not_taken_for_a_fraction():
    # Hours come from a Float column: 8.0 is eight hours, the plural of 8, not the fractional form.
    assert plural_count(8.0, "cs") == 8
    assert plural_count(1.0, "fr") == 1
    assert plural_count(1.5, "cs") == plural_count(2, "cs")  # "hodiny", not "hodina" nor "hodin"


@pytest.mark.parametrize("lang", list(STUCK))
def test_stuck_for_days(app, lang):
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        found = [ngettext("Stuck for %(num)d day", "Stuck for %(num)d days", n) for n in WHOLE]
    assert found == STUCK[lang]


@pytest.mark.parametrize("lang", list(MINUTES))
def test_minutes(app, lang):
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        found = [ngettext("%(num)d minute", "%(num)d minutes", n) for n in WHOLE]
    assert found == MINUTES[lang]
