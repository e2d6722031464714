"""Responses that stream files out of the database: one attached file, or a cohort's work as one ZIP.

A file goes out chunk by chunk from a generator, as an attachment that browsers must not sniff or render, so no
active content from a submission ever runs on our origin. The ZIP is written with `zipfile` into a spooled temporary
file (memory up to 8 MB, then disk), then streamed from it: the archive is never whole in memory.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from urllib.parse import quote

from flask import Response, stream_with_context
from sqlalchemy import select

from ..extensions import db
from ..models import Cohort, Enrolment, User
from .files import file_chunks
from .models import Submission, SubmissionFile

SPOOL_BYTES = 8 * 1024 * 1024
_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def _attachment_headers(filename: str) -> dict[str, str]:
    """Download (never display) under the learner's file name: ASCII fallback plus RFC 5987 UTF-8, as send_file."""
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
    return {
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }


def file_response(file: SubmissionFile) -> Response:
    response = Response(
        stream_with_context(file_chunks(file.id)),
        mimetype=file.content_type,
        headers=_attachment_headers(file.filename),
    )
    response.content_length = file.size
    return response


def _folder_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip(" ._") or "learner"


def cohort_zip_response(cohort: Cohort) -> Response:
    """Every submission of the cohort that is not a mere draft: per learner a folder with text.txt and the files."""
    rows = db.session.execute(
        select(Submission, User.full_name, User.id)
        .join(Enrolment, Enrolment.id == Submission.enrolment_id)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.cohort_id == cohort.id, Submission.status != "draft")
        .order_by(User.full_name, User.id, Submission.assignment_id)
    ).all()
    # closed by the response generator once sent, so not a with-block here
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for submission, name, user_id in rows:
            folder = f"{_folder_name(name)}-{user_id}/{submission.assignment_id}"
            status_line = f"status: {submission.status}\nsubmitted: {submission.submitted_at:%Y-%m-%d %H:%M} UTC\n\n"
            archive.writestr(f"{folder}/text.txt", status_line + submission.text)
            used = set()
            for file in submission.files:
                entry = _folder_name(file.filename)
                while entry in used:
                    entry = "_" + entry
                used.add(entry)
                with archive.open(f"{folder}/files/{entry}", "w") as out:
                    for chunk in file_chunks(file.id):
                        out.write(chunk)
    size = spool.tell()
    spool.seek(0)

    def stream():
        try:
            while chunk := spool.read(256 * 1024):
                yield chunk
        finally:
            spool.close()

    filename = f"{_folder_name(cohort.name)}-submissions.zip"
    response = Response(stream(), mimetype="application/zip", headers=_attachment_headers(filename))
    response.content_length = size
    return response
