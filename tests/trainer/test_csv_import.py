"""Importing learners from CSV: encodings, row-numbered problems, preview, one transaction, invitations."""

from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select
from support import CSRF_RE, plain_text
from trainer_helpers import make_cohort

from lumos_learn.forms_common import PROFESSIONAL_ROLE_LABELS
from lumos_learn.models import AuditEvent, Enrolment, User, UserSession
from lumos_learn.trainer.csv_import import CsvProblem, check_csv, decode_csv

HEADER = "name,email,language,organisation,role\n"


def upload(client, cohort, content: bytes | str, *, encoding="auto", filename="learners.csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    url = f"/en/trainer/cohorts/{cohort.id}/import"
    return client.submit(
        url, {"file": (io.BytesIO(content), filename), "encoding": encoding}, content_type="multipart/form-data"
    )


def confirm(client, response):
    preview = response.headers["Location"]
    return client.submit(preview)


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def trainer_cohort(make_user, login_as, client):
    trainer = make_user("trainer", name="Mihai Ceban")
    login_as(client, trainer)
    return trainer, make_cohort(trainer)


# -- Decoding and checking, without the web --------------------------------------------------------


def test_utf8_with_bom_is_read(app):
    text = decode_csv("\ufeffname,email\nPetya Ivanova,p@example.org\n".encode())
    assert text.startswith("name,")


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("Петя Иванова", "cp1251"), ("Tomáš Novák Žďárský", "cp1250"), ("Олександра Шевченко", "cp1251")],
)
def test_windows_encodings_are_recognised(app, name, encoding):
    data = f"name,email,organisation\n{name},x@example.org,Обл\n".encode(encoding, errors="ignore")
    assert name in decode_csv(data)


def test_unrecognisable_bytes_are_refused_with_a_message(app):
    with app.test_request_context("/en/"), pytest.raises(CsvProblem, match="encoding"):
        decode_csv(b"name,email\n\x98\x98\x98\xa0\xad\x98,x@example.org\n")


def test_chosen_encoding_that_does_not_fit_is_refused(app):
    with app.test_request_context("/en/"), pytest.raises(CsvProblem, match="UTF-8"):
        decode_csv("Петя".encode("cp1251"), "utf-8")


def test_rows_are_checked_with_spreadsheet_row_numbers(app):
    text = HEADER + (
        "Ana Rusu,ana@example.org,ro,School 1,teacher\n"
        "Bad Email,not-an-email,en,,\n"
        "\n"
        "Ana Again,ANA@example.org,ro,,\n"
        "Klingon,k@example.org,tlh,,\n"
        ",noname@example.org,,,astronaut\n"
    )
    with app.test_request_context("/en/"):
        rows = check_csv(text, "bg")
    problems = {r.number: " ".join(r.errors) for r in rows if r.errors}
    assert list(problems) == [3, 5, 6, 7]
    assert "not a valid email" in problems[3]
    assert "Duplicate" in problems[5] and "row 2" in problems[5]
    assert "Unknown language" in problems[6]
    assert "name is missing" in problems[7] and "Unknown role" in problems[7]


def test_a_name_no_certificate_can_print_is_a_row_problem(app):
    text = HEADER + "王小明,wang@example.org,en,,\nAna \U0001f600 Rusu,emoji@example.org,ro,,\n"
    with app.test_request_context("/en/"):
        rows = check_csv(text, "en")
    assert rows[0].errors == []  # Chinese prints (fallback font)
    assert rows[1].number == 3 and "Certificates cannot print these characters: \U0001f600" in rows[1].errors[0]


def test_semicolons_language_names_and_default_language(app):
    text = "Name;E-mail;Language;Organization\nPetya;p@example.org;Български;ЦНСТ\nTom;t@example.org;;\n"
    with app.test_request_context("/en/"):
        rows = check_csv(text, "bg")
    assert [(r.language, r.organisation, r.errors) for r in rows] == [("bg", "ЦНСТ", []), ("bg", "", [])]


def test_missing_columns_are_named(app):
    with app.test_request_context("/en/"), pytest.raises(CsvProblem, match="email"):
        check_csv("name,organisation\nAna,School\n", "en")


# -- The flow a trainer goes through ---------------------------------------------------------------


def test_preview_imports_nothing_until_confirmed(client, trainer_cohort, db, make_user, outbox):
    _trainer, cohort = trainer_cohort
    existing = make_user(email="existing@example.org", name="Existing Learner")
    response = upload(
        client,
        cohort,
        HEADER + "Petya Ivanova,petya@example.org,bg,ЦНСТ Шумен,care_staff\n"
        "Existing Learner,Existing@Example.org,en,,\n",
    )
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "New account, invitation email" in preview and "Existing account: will be enrolled" in preview
    assert count(db, Enrolment) == 0 and count(db, User) == 2 and outbox == []

    result = confirm(client, response)
    assert result.status_code == 302
    db.session.expire_all()
    petya = db.session.execute(select(User).filter_by(email="petya@example.org")).scalar_one()
    assert (
        petya.preferred_language == "bg"
        and petya.organisation == "ЦНСТ Шумен"
        and petya.professional_role == "care_staff"
    )
    assert {e.user_id for e in db.session.execute(select(Enrolment).filter_by(cohort_id=cohort.id)).scalars()} == {
        petya.id,
        existing.id,
    }
    # The new account is invited, in Bulgarian, with a link to choose a password; the existing account is told
    # it was added to the group, with the join link.
    assert sorted(m["To"] for m in outbox) == sorted(["petya@example.org", existing.email])
    invitation = next(m for m in outbox if m["To"] == "petya@example.org")
    assert "/bg/auth/reset/" in plain_text(invitation)
    added = next(m for m in outbox if m["To"] == existing.email)
    assert f"/join/{cohort.join_code}" in plain_text(added)
    audit = db.session.execute(select(AuditEvent).filter_by(action="cohort.imported")).scalar_one()
    assert audit.details["created"] == 1 and audit.details["enrolled"] == 2


def test_invitation_link_lets_the_new_learner_choose_a_password(client, trainer_cohort, outbox, app, db):
    _trainer, cohort = trainer_cohort
    confirm(client, upload(client, cohort, HEADER + "Ana Rusu,ana@example.org,en,,\n"))
    link = next(line for line in plain_text(outbox[0]).splitlines() if "/auth/reset/" in line).strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    learner_client = app.test_client()
    page = learner_client.get("/" + path)
    assert page.status_code == 200
    response = learner_client.submit(
        "/" + path,
        {
            "password": "a brand new passphrase 42",
            "password_confirm": "a brand new passphrase 42",
            "confirm": "a brand new passphrase 42",
        },
    )
    assert response.status_code == 302
    signed_in = learner_client.submit(
        "/en/auth/login", {"email": "ana@example.org", "password": "a brand new passphrase 42"}
    )
    assert signed_in.status_code == 302


def test_invited_account_cannot_sign_in_before_choosing_a_password(client, trainer_cohort, app):
    _trainer, cohort = trainer_cohort
    confirm(client, upload(client, cohort, HEADER + "Ana Rusu,ana@example.org,en,,\n"))
    other = app.test_client()
    response = other.submit("/en/auth/login", {"email": "ana@example.org", "password": ""})
    assert response.status_code != 302


def test_reupload_creates_no_duplicates(client, trainer_cohort, db, outbox):
    _trainer, cohort = trainer_cohort
    content = HEADER + "Ana Rusu,ana@example.org,ro,,\nTom Novak,tom@example.org,cs,,\n"
    confirm(client, upload(client, cohort, content))
    again = upload(client, cohort, content)
    preview = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Already in this cohort: no change" in preview
    confirm(client, again)
    assert count(db, User) == 3 and count(db, Enrolment) == 2 and len(outbox) == 2


def test_confirming_twice_imports_once(client, trainer_cohort, db):
    _trainer, cohort = trainer_cohort
    response = upload(client, cohort, HEADER + "Ana Rusu,ana@example.org,ro,,\n")
    confirm(client, response)
    second = client.post(response.headers["Location"], data={"csrf_token": client.csrf_token("/en/trainer/")})
    assert second.status_code == 302
    assert "already been imported" in client.get(second.headers["Location"]).get_data(as_text=True)
    assert count(db, Enrolment) == 1


def test_valid_rows_are_imported_and_skipped_rows_listed_with_their_numbers_and_reasons(
    client, trainer_cohort, db, outbox
):
    _trainer, cohort = trainer_cohort
    text = HEADER + "Ana Rusu,ana@example.org,ro,,\nBad,bad-email,ro,,\nZoe Pop,zoe@example.org,ro,,astronaut\n"
    response = upload(client, cohort, text)
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 rows have problems and are not imported" in preview
    assert '<th scope="row" class="num">3</th>' in preview and "not a valid email" in preview
    assert '<th scope="row" class="num">4</th>' in preview and "Unknown role “astronaut”" in preview
    assert "1 learner in the file." in preview

    result = confirm(client, response)
    assert result.status_code == 302
    assert "2 rows with problems were skipped" in client.get(result.headers["Location"]).get_data(as_text=True)
    assert [u.email for u in db.session.execute(select(User).filter_by(role="learner")).scalars()] == [
        "ana@example.org"
    ]
    assert count(db, Enrolment) == 1 and len(outbox) == 1
    # The page of the import keeps the list, for correcting the file later.
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "not a valid email" in done and "astronaut" in done

    # The corrected rows uploaded again: only they are added, nobody twice.
    fixed = HEADER + "Ana Rusu,ana@example.org,ro,,\nBad,bad@example.org,ro,,\nZoe Pop,zoe@example.org,ro,,teacher\n"
    confirm(client, upload(client, cohort, fixed))
    assert count(db, Enrolment) == 3 and count(db, User) == 4  # the trainer and three learners


def test_a_file_with_no_valid_row_imports_nothing_and_says_why_by_row(client, trainer_cohort, db):
    _trainer, cohort = trainer_cohort
    response = upload(client, cohort, HEADER + "Bad,bad-email,ro,,\n,x@example.org,ro,,\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "2 rows have problems. Nothing has been imported." in html
    assert '<th scope="row" class="num">2</th>' in html and "not a valid email" in html
    assert '<th scope="row" class="num">3</th>' in html and "name is missing" in html
    assert count(db, User) == 1 and count(db, Enrolment) == 0


def test_a_quoted_cell_with_doubled_quotes_is_read_as_excel_writes_it(app):
    text = HEADER + '"Rusu, ""Ana"" B",ana@example.org,ro,"Liceul ""Mihai Eminescu"", Bălți",teacher\n'
    with app.test_request_context("/en/"):
        [row] = check_csv(text, "en")
    assert (row.name, row.organisation, row.errors) == ('Rusu, "Ana" B', 'Liceul "Mihai Eminescu", Bălți', [])
    semicolons = 'name;email;organisation\n"Ivanova; ""Petya""";p@example.org;"ЦНСТ ""Надежда"""\n'
    with app.test_request_context("/en/"):
        [row] = check_csv(semicolons, "bg")
    assert (row.name, row.organisation, row.errors) == ('Ivanova; "Petya"', 'ЦНСТ "Надежда"', [])


@pytest.mark.parametrize(
    ("lang", "typed", "code"),
    [
        ("ro", "Personal de îngrijire", "care_staff"),
        ("ro", "  personal DE  îngrijire ", "care_staff"),
        ("ro", "Funcţionar public", "official"),  # the old cedilla ţ, as many Romanian keyboards type it
        ("bg", "учител", "teacher"),
        ("en", "Social worker", "social_worker"),
        ("en", "care staff", "care_staff"),
        ("fr", "care_staff", "care_staff"),
    ],
)
def test_roles_are_accepted_as_the_site_names_them_in_the_trainers_language(app, lang, typed, code):
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        label = str(PROFESSIONAL_ROLE_LABELS[code])
        [row] = check_csv(f"name,email,role\nAna,a@example.org,{typed}\n", "en")
    assert (row.role, row.errors) == (code, []), label


def test_an_unknown_role_lists_the_names_in_the_trainers_language(app):
    with app.test_request_context("/ro/"), force_locale("ro"):
        [row] = check_csv("name,email,role\nAna,a@example.org,astronaut\n", "ro")
        expected = str(PROFESSIONAL_ROLE_LABELS["care_staff"])
    assert expected in row.errors[0] and "care_staff" not in row.errors[0]


def test_a_failure_during_import_leaves_nothing_behind(client, trainer_cohort, db, make_user, monkeypatch):
    _trainer, cohort = trainer_cohort
    response = upload(client, cohort, HEADER + "Ana Rusu,ana@example.org,ro,,\nTom,tom@example.org,cs,,\n")
    # Between preview and confirmation someone registers with the second address: the import's
    # INSERT then violates the unique email, and the whole import must roll back.
    from lumos_learn.trainer import csv_import

    real_plan = csv_import.plan_import

    def stale_plan(cohort, rows):
        planned = real_plan(cohort, rows)
        make_user(email="tom@example.org")
        return [csv_import.PlannedRow(p.row, "new_account") for p in planned]

    monkeypatch.setattr(csv_import, "plan_import", stale_plan)
    with pytest.raises(Exception, match=r"UNIQUE|unique|duplicate"):
        confirm(client, response)
    db.session.rollback()
    assert db.session.execute(select(User).filter_by(email="ana@example.org")).scalar_one_or_none() is None
    assert count(db, Enrolment) == 0


def test_file_over_5_mb_gets_413_with_the_message_next_to_the_field(client, trainer_cohort, app):
    _trainer, cohort = trainer_cohort
    big = HEADER + ("x" * 1000 + "\n") * 5400
    response = upload(client, cohort, big)
    html = response.get_data(as_text=True)
    assert response.status_code == 413, html[-2500:]
    assert 'id="file-error"' in html and "larger than 5 MB" in html


def test_badly_encoded_upload_is_refused_next_to_the_field(client, trainer_cohort):
    _trainer, cohort = trainer_cohort
    response = upload(client, cohort, b"name,email\n\x98\x98\x98\xa0\xad\x98,x@example.org\n")
    assert response.status_code == 400
    assert 'id="file-error"' in response.get_data(as_text=True)


def test_windows_1251_upload_keeps_cyrillic_names(client, trainer_cohort, db):
    _trainer, cohort = trainer_cohort
    content = (HEADER + "Петя Иванова,petya@example.org,bg,Дом за деца,teacher\n").encode("cp1251")
    confirm(client, upload(client, cohort, content))
    assert (
        db.session.execute(select(User.full_name).filter_by(email="petya@example.org")).scalar_one() == "Петя Иванова"
    )


def test_invitation_links_follow_the_address_served_in_development(client, trainer_cohort, outbox, app, db):
    trainer, cohort = trainer_cohort
    assert app.config["PUBLIC_BASE_URL"] == ""  # development, unset
    served = "http://127.0.0.1:8100"  # the site served on another port; its own cookie, as in a browser
    user_session = UserSession(user=trainer)
    db.session.add(user_session)
    db.session.commit()
    with client.session_transaction(base_url=served) as session:
        session["_user_id"], session["_fresh"] = user_session.token, True

    def submit(url, data, **kwargs):
        token = CSRF_RE.search(client.get(url, base_url=served).get_data(as_text=True)).group(1)
        return client.post(url, data={**data, "csrf_token": token}, base_url=served, **kwargs)

    content = (HEADER + "Ana Rusu,ana@example.org,ro,,\n").encode()
    file = {"file": (io.BytesIO(content), "learners.csv"), "encoding": "auto"}
    preview = submit(f"/en/trainer/cohorts/{cohort.id}/import", file, content_type="multipart/form-data")
    assert submit(preview.headers["Location"], {}).status_code == 302
    links = [line.strip() for line in plain_text(outbox[0]).splitlines() if "://" in line]
    assert links and all(link.startswith(f"{served}/ro/auth/") for link in links), links
