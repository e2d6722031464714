"""The PDF: the exact name and course title in every language (text extracted with pypdf), labels in
the PDF's language, the title falling back to the course's source language, and who may download it."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from lumos_learn.certificates.pdf import CertificateText, render_certificate

PEOPLE_AND_TITLES = {
    "en": ("Ana-Maria O'Neill", "Inclusive education: every child learns"),
    "ro": ("Ștefan Țurcanu-Bălănescu", "Educație incluzivă: fiecare copil învață în școala din comunitate"),
    "bg": ("Росица Жечева-Цветкова", "Подкрепа при хранене на деца с увреждания"),
    "cs": ("Jiří Řehoř Ůžasný", "Strategické plánování přechodu od ústavní péče"),
    "uk": ("Тарас Їжакевич-Ґудзь", "Інклюзивна освіта: кожна дитина навчається"),
    "fr": ("Françoise Lefèvre-Cœur", "Financement européen : règles et ressources à l'œuvre"),
}


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("lang", list(PEOPLE_AND_TITLES))
def test_name_and_title_are_exact_in_every_language(app, lang):
    name, title = PEOPLE_AND_TITLES[lang]
    with app.test_request_context(f"/{lang}/"):
        data = render_certificate(
            CertificateText(
                lang=lang,
                recipient_name=name,
                course_title=title,
                course_title_lang=lang,
                hours=12.5,
                completed_on=date(2026, 11, 20),
                issued_on=date(2026, 11, 21),
                issuer_name="Lumos Learn",
                trainer_name=None,
                code="LL-7K3M-Q9XD-2RTB-HW4N-8PJC-ZE6F-1GVA",
                verify_url="http://127.0.0.1:8000/verify/LL-7K3M-Q9XD-2RTB-HW4N-8PJC-ZE6F-1GVA",
            )
        )
    assert data.startswith(b"%PDF")
    text = " ".join(pdf_text(data).split())
    assert name in text
    assert title in text
    assert "LL-7K3M-Q9XD-2RTB-HW4N-8PJC-ZE6F-1GVA" in text


@pytest.mark.parametrize("lang", ["en", "ro", "bg", "cs", "uk", "fr"])
def test_download_in_any_language_title_falls_back_to_the_source(client, learner, login_as, certificate, lang):
    login_as(client, learner)
    response = client.get(f"/certificates/{certificate.code}.pdf?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(pdf_text(response.data).split())
    assert "Ana Popescu" in text
    # demo-course is written in en and ro: other languages get the English (source) title.
    expected = "Mese în siguranță: un curs scurt de test" if lang == "ro" else "Safe mealtimes: a short test course"
    assert expected in text
    heading = {
        "en": "Certificate of completion",
        "ro": "Certificat de absolvire",
        "bg": "Сертификат за завършен курс",
        "cs": "Osvědčení o absolvování",
        "uk": "Сертифікат про проходження курсу",
        "fr": "Certificat de fin de formation",
    }[lang]
    assert heading in text  # the labels are in the certificate's language too


def test_default_language_is_the_content_language_not_the_interface(client, learner, login_as, finish):
    from lumos_learn.certificates.services import certificate_for

    certificate = certificate_for(finish(learner, lang="ro"))
    login_as(client, learner)
    client.get("/uk/dashboard/")
    text = " ".join(pdf_text(client.get(f"/certificates/{certificate.code}.pdf").data).split())
    assert "Mese în siguranță: un curs scurt de test" in text


def test_owner_trainer_of_the_cohort_and_admin_may_download(
    client, make_user, login_as, finish, admin, cohort_with_trainer
):
    from lumos_learn.certificates.services import certificate_for

    cohort, trainer = cohort_with_trainer
    owner = make_user()
    code = certificate_for(finish(owner, cohort=cohort)).code
    for person in (owner, trainer, admin):
        login_as(client, person)
        assert client.get(f"/certificates/{code}.pdf").status_code == 200


def test_anyone_else_gets_404_even_with_the_code(client, make_user, login_as, certificate, cohort_with_trainer):
    assert client.get(f"/certificates/{certificate.code}.pdf").status_code == 404  # signed out
    for person in (make_user(), make_user("trainer")):  # another learner; a trainer of another cohort
        login_as(client, person)
        assert client.get(f"/certificates/{certificate.code}.pdf").status_code == 404
        assert client.get("/certificates/LL-0000-0000-0000-0000-0000-0000-0000.pdf").status_code == 404
