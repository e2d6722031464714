"""Files learners attach: checked by their content, stored in the database in chunks, streamed back.

Why the database: one instance or many, backups, data export and account deletion all see the same files with
nothing else to run. Why chunks: a 10 MB file is 40 rows of 256 KB, written and read one row at a time, so it is
never one huge value in a query and never whole in memory more than once.

The type check believes neither the name nor the browser: the first bytes (`filetype`, a maintained magic-number
library) must be PDF, PNG, JPEG or a ZIP; a ZIP must be a real OOXML/ODF document whose central directory promises a
sane total size and compression ratio (a ZIP bomb is refused without inflating it) and holds no macros.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, select

from ..content.assignment import MAX_FILE_BYTES
from ..extensions import db
from .models import CHUNK_BYTES, FileChunk, SubmissionFile

# extension -> the content type a file with that name must have
ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED)  # the file input's hint; the server decides
# A document's parts inflate to at most this much, each at most this many times its compressed size.
ZIP_MAX_TOTAL = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 2000
_MACROS = ("vbaproject.bin", "basic/")  # Office macros, ODF Basic scripts


class RefusedFile(Exception):
    """A file we do not store; `message` says why, in words for the learner."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    size: int


def check_upload(filename: str, stream: IO[bytes]) -> CheckedFile:
    """The file's real type, or RefusedFile. `stream` must be seekable (Werkzeug spools uploads to disk)."""
    name = _safe_name(filename)
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise RefusedFile(_l("The file %(name)s is empty.", name=name))
    if size > MAX_FILE_BYTES:
        raise RefusedFile(_l("The file %(name)s is larger than 10 MB.", name=name))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise RefusedFile(_l("%(name)s: only PDF, DOCX, ODT, XLSX, PNG and JPEG files can be attached.", name=name))
    head = stream.read(8192)
    stream.seek(0)
    kind = filetype.guess(head)
    if (kind is not None and kind.mime == "application/zip") or head.startswith(b"PK\x03\x04"):
        content_type = _document_in_zip(stream, name)
    else:
        content_type = kind.mime if kind is not None else ""
    if content_type != ALLOWED[extension]:
        raise RefusedFile(
            _l(
                "%(name)s is not really a %(type)s file: its content is something else.",
                name=name,
                type=extension.upper(),
            )
        )
    return CheckedFile(name, content_type, size)


def _document_in_zip(stream: IO[bytes], name: str) -> str:
    """The OOXML/ODF type of a ZIP, judged from its central directory (nothing is inflated but `mimetype`)."""
    refused = RefusedFile(
        _l("%(name)s is not a document we can accept (damaged, too large inside, or with macros).", name=name)
    )
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as err:
        raise refused from err
    entries = archive.infolist()
    total = sum(e.file_size for e in entries)
    compressed = sum(e.compress_size for e in entries)
    if len(entries) > ZIP_MAX_ENTRIES or total > ZIP_MAX_TOTAL or total > ZIP_MAX_RATIO * max(compressed, 1):
        raise refused
    names = {e.filename for e in entries}
    if any(n.lower().endswith(_MACROS[0]) or n.lower().startswith(_MACROS[1]) for n in names):
        raise refused
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return ALLOWED["docx"]
        if "xl/workbook.xml" in names:
            return ALLOWED["xlsx"]
    if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
        try:
            declared = archive.read("mimetype").decode("ascii").strip()
        except (zipfile.BadZipFile, UnicodeDecodeError, OSError) as err:
            raise refused from err
        if declared == ALLOWED["odt"] and "content.xml" in names:
            return declared
    raise refused


def _safe_name(filename: str) -> str:
    """The last path part, without control characters, at most 200 characters (the extension kept)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?').strip() or "file"
    if len(name) > 200:
        stem, _, ext = name.rpartition(".")
        name = stem[:190] + "." + ext[:8] if stem else name[:200]
    return name


def store_file(submission_id: int, checked: CheckedFile, stream: IO[bytes]) -> SubmissionFile:
    """Add the file and its chunks to the current transaction (the caller commits)."""
    record = SubmissionFile(
        submission_id=submission_id,
        filename=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256="",
    )
    db.session.add(record)
    db.session.flush()
    digest = hashlib.sha256()
    stream.seek(0)
    seq = 0
    while chunk := stream.read(CHUNK_BYTES):
        digest.update(chunk)
        # a Core INSERT: the chunk is not kept in the session, so one chunk at a time is in memory
        db.session.execute(insert(FileChunk).values(file_id=record.id, seq=seq, data=chunk))
        seq += 1
    record.sha256 = digest.hexdigest()
    return record


_CHUNK = select(FileChunk.data).where(FileChunk.file_id == bindparam("file_id"), FileChunk.seq == bindparam("seq"))


def file_chunks(file_id: int):
    """The file's bytes, one chunk per query, for a streamed response or a ZIP entry."""
    seq = 0
    while True:
        data = db.session.execute(_CHUNK, {"file_id": file_id, "seq": seq}).scalar_one_or_none()
        if data is None:
            return
        yield bytes(data)
        seq += 1
