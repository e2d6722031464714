"""Attached files: checked by content (planted disguised files and a ZIP bomb), stored in chunks, streamed back only
to the people who may see them, exported with the learner's data and deleted with the account."""

from __future__ import annotations

import io
import zipfile

import pytest
from helpers import (
    GOOD_TEXT,
    PAGE,
    elf_named_pdf,
    enrol_learner,
    make_cohort,
    small_docx,
    small_pdf,
    upload,
    zip_bomb_docx,
)
from sqlalchemy import func, select
from support import PASSWORD

from lumos_learn.assignments.files import RefusedFile, check_upload
from lumos_learn.assignments.models import CHUNK_BYTES, FileChunk, Submission, SubmissionFile


def attach(client, *files, text="A draft."):
    return client.submit(
        PAGE,
        {"action": "save", "text": text, "files": [upload(n, d) for n, d in files]},
        content_type="multipart/form-data",
    )


def count(db, model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def learner_client(client, learner, login_as):
    login_as(client, learner)
    enrol_learner(client)
    return client


def test_real_pdf_and_docx_are_accepted_by_content():
    assert check_upload("plan.pdf", io.BytesIO(small_pdf())).content_type == "application/pdf"
    docx = check_upload("Plan für Dan.docx", io.BytesIO(small_docx()))
    assert docx.content_type.endswith("wordprocessingml.document")
    assert docx.filename == "Plan für Dan.docx"


def _xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Mealtime"
    book.save(out)
    return out.getvalue()


def _odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        odt.writestr("content.xml", "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
        odt.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return out.getvalue()


def _image(kind: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("budget.xlsx", _xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("plan.odt", _odt, "application/vnd.oasis.opendocument.text"),
        ("seat.png", lambda: _image("PNG"), "image/png"),
        ("seat.jpg", lambda: _image("JPEG"), "image/jpeg"),
        ("seat.JPEG", lambda: _image("JPEG"), "image/jpeg"),
    ],
)
def test_every_allowed_type_is_recognised_by_content(name, make, content_type):
    assert check_upload(name, io.BytesIO(make())).content_type == content_type


def test_an_image_named_as_another_type_is_refused():
    with pytest.raises(RefusedFile) as refused:
        check_upload("seat.png", io.BytesIO(_image("JPEG")))
    assert "seat.png is not really a PNG file" in str(refused.value.message)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.pdf", elf_named_pdf(), "plan.pdf is not really a PDF file"),
        ("plan.docx", zip_bomb_docx(), "plan.docx is not a document we can accept"),
        ("plan.docx", small_pdf(), "plan.docx is not really a DOCX file"),
        ("plan.exe", small_pdf(), "only PDF, DOCX, ODT, XLSX, PNG and JPEG files can be attached"),
        ("plan.pdf", b"", "The file plan.pdf is empty."),
    ],
)
def test_disguised_files_are_refused(name, data, message):
    with pytest.raises(RefusedFile) as refused:
        check_upload(name, io.BytesIO(data))
    assert message in str(refused.value.message)


def test_zip_bomb_is_refused_without_inflating_it():
    bomb = zip_bomb_docx()
    assert len(bomb) < 1024 * 1024  # small on the wire...
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(i.file_size for i in archive.infolist()) >= 200 * 1024 * 1024  # ...huge inside


def test_macro_enabled_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")
        docx.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    with pytest.raises(RefusedFile):
        check_upload("plan.docx", out)


def test_refused_file_shows_next_to_the_field_and_stores_nothing(learner_client, db):
    response = attach(learner_client, ("plan.pdf", elf_named_pdf()), ("notes.pdf", small_pdf()), text="Kept?")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="files-error">plan.pdf is not really a PDF file' in html
    assert ">Kept?</textarea>" in html  # the learner's text is kept in the form
    assert count(db, Submission) == count(db, SubmissionFile) == count(db, FileChunk) == 0


def test_oversize_file_and_too_many_files(learner_client, db):
    big = small_pdf() + b"%" * (10 * 1024 * 1024)
    response = attach(learner_client, ("big.pdf", big))
    assert response.status_code == 400
    assert "The file big.pdf is larger than 10 MB." in response.get_data(as_text=True)
    assert count(db, SubmissionFile) == 0
    assert (
        attach(learner_client, ("a.pdf", small_pdf()), ("b.pdf", small_pdf()), ("c.docx", small_docx())).status_code
        == 302
    )
    fourth = attach(learner_client, ("d.pdf", small_pdf()))
    assert "At most 3 files can be attached" in fourth.get_data(as_text=True)
    assert count(db, SubmissionFile) == 3


def test_file_is_stored_in_chunks_and_streamed_back_as_an_attachment(learner_client, db):
    data = small_pdf() + b"\n%" + b"x" * (CHUNK_BYTES * 2 + 10)  # a valid PDF head, three chunks long
    assert attach(learner_client, ("plan.pdf", data)).status_code == 302
    file = db.session.execute(select(SubmissionFile)).scalar_one()
    assert count(db, FileChunk) == 3 and file.size == len(data)
    assert len(file.public_id) >= 40  # a random address, not the row id
    response = learner_client.get(f"/en/files/{file.public_id}")
    assert response.status_code == 200 and response.is_streamed
    assert response.data == data
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/pdf"


def test_download_keeps_a_non_ascii_file_name(learner_client, db):
    assert attach(learner_client, ("Plan für Dan.docx", small_docx())).status_code == 302
    file = db.session.execute(select(SubmissionFile)).scalar_one()
    disposition = learner_client.get(f"/en/files/{file.public_id}").headers["Content-Disposition"]
    assert disposition == "attachment; filename=\"Plan f_r Dan.docx\"; filename*=UTF-8''Plan%20f%C3%BCr%20Dan.docx"


def test_file_is_private_to_learner_their_trainer_and_admins(app, learner_client, make_user, login_as, db):
    assert attach(learner_client, ("plan.pdf", small_pdf())).status_code == 302
    file = db.session.execute(select(SubmissionFile)).scalar_one()
    url = f"/en/files/{file.public_id}"
    statuses = {}
    for role in ("learner", "trainer", "admin"):
        other = app.test_client()
        login_as(other, make_user(role))
        statuses[role] = other.get(url).status_code
    # outside any cohort: no trainer sees it; an assessor of the course does
    assert statuses == {"learner": 404, "trainer": 404, "admin": 200}
    assessor = make_user("trainer")
    from lumos_learn.assignments.models import CourseAssessor

    db.session.add(CourseAssessor(user_id=assessor.id, course_slug="demo-course"))
    db.session.commit()
    other = app.test_client()
    login_as(other, assessor)
    assert other.get(url).status_code == 200
    assert app.test_client().get(url).status_code == 302  # anonymous: sign in first


def test_cohort_trainer_sees_the_file_a_trainer_of_another_cohort_does_not(app, client, make_user, login_as, db):
    trainer, stranger, learner = make_user("trainer"), make_user("trainer"), make_user("learner")
    cohort = make_cohort(trainer)
    make_cohort(stranger, name="Another cohort")
    login_as(client, learner)
    enrol_learner(client, cohort.join_code)
    assert attach(client, ("plan.pdf", small_pdf())).status_code == 302
    url = f"/en/files/{db.session.execute(select(SubmissionFile.public_id)).scalar_one()}"
    for person, status in ((trainer, 200), (stranger, 404)):
        other = app.test_client()
        login_as(other, person)
        assert other.get(url).status_code == status


def test_export_lists_submissions_and_files_and_deletion_removes_them(learner_client, learner, db):
    pdf = small_pdf()
    learner_client.submit(
        PAGE,
        {"action": "submit", "text": GOOD_TEXT, "files": [upload("plan.pdf", pdf)]},
        content_type="multipart/form-data",
    )
    exported = learner_client.get("/en/auth/account/data/export.json").get_json()
    [work] = exported["enrolments"][0]["assignments"]
    assert work["text"] == GOOD_TEXT and work["status"] == "submitted"
    [file] = work["files"]
    assert file["name"] == "plan.pdf" and file["size"] == len(pdf)
    public_id = file["download"].rsplit("/", 1)[-1]
    assert learner_client.get(f"/en/files/{public_id}").data == pdf  # the export's link downloads the file

    assert count(db, FileChunk) > 0
    response = learner_client.submit("/en/auth/account/delete", {"password": PASSWORD}, page="/en/auth/account/data")
    assert response.status_code == 302
    db.session.expire_all()
    assert count(db, Submission) == count(db, SubmissionFile) == count(db, FileChunk) == 0
