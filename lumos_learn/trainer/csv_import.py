"""Importing a cohort's learners from a CSV file: decode, check every row, preview, then import once.

The flow a trainer sees: upload -> `check_csv` (nothing written but the checked rows, kept for the
confirmation) -> preview: what will happen to each valid row, and the rows that will be skipped with their
row numbers and problems -> confirm -> `import_rows` of the valid rows in one transaction -> invitation
emails for the new accounts, sent only after the commit. A file with no valid row imports nothing.

Row numbers are the spreadsheet's: the header is row 1, the first learner row 2.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import unicodedata
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from ..auth.services import make_reset_token, normalise_email
from ..certificates.forms import name_problem
from ..content import Course
from ..extensions import db
from ..forms_common import PROFESSIONAL_ROLE_LABELS
from ..i18n import LANGUAGES
from ..models import Cohort, CohortImport, Enrolment, User, record_audit, utcnow
from ..notifications import events as notify

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
ENCODINGS = {"utf-8": "UTF-8", "cp1251": "Windows-1251", "cp1250": "Windows-1250"}
COLUMNS = ("name", "email", "language", "organisation", "role")
HEADER_ALIASES = {
    "name": "name",
    "full name": "name",
    "full_name": "name",
    "fullname": "name",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "mail": "email",
    "language": "language",
    "lang": "language",
    "preferred language": "language",
    "organisation": "organisation",
    "organization": "organisation",
    "institution": "organisation",
    "role": "role",
    "professional role": "role",
    "professional_role": "role",
    "job": "role",
}
# An account created by an import has no password until its owner sets one through the invitation link.
# The marker is not an Argon2 hash, so no password can ever match it.
NO_PASSWORD_PREFIX = "!invited:"  # noqa: S105 - a marker, not a password


class CsvProblem(ValueError):
    """The whole file is unusable; the message (translated) says what to do."""


@dataclass
class CheckedRow:
    number: int
    name: str
    email: str
    language: str
    organisation: str
    role: str
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        row = {
            "number": self.number,
            "name": self.name,
            "email": self.email,
            "language": self.language,
            "organisation": self.organisation,
            "role": self.role,
        }
        if self.errors:  # kept to show the trainer which rows were skipped and why; never imported
            row["errors"] = self.errors
        return row


def importable(rows: list[dict]) -> list[dict]:
    """The rows of a saved batch that passed every check (batches saved before skipping existed: all)."""
    return [row for row in rows if not row.get("errors")]


def skipped(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row.get("errors")]


# -- Decoding -------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _implausible_words(text: str) -> int:
    """How many words look like mojibake: Latin and Cyrillic letters mixed in one word (Czech read as
    Windows-1251), or a word of accented Latin letters only (Cyrillic read as Windows-1250)."""
    bad = 0
    for word in _WORD.findall(text):
        cyrillic = sum(1 for ch in word if _is_cyrillic(ch))
        ascii_letters = sum(1 for ch in word if ch.isascii())
        other = len(word) - cyrillic - ascii_letters
        if (cyrillic and (ascii_letters or other)) or (not cyrillic and len(word) >= 3 and not ascii_letters):
            bad += 1
    return bad


def decode_csv(data: bytes, encoding: str = "auto") -> str:
    """The file's text. 'auto' reads UTF-8 (with or without BOM), else tells Windows-1251 (Cyrillic)
    from Windows-1250 (Central European) by which reading gives real words; CsvProblem if neither does."""
    if encoding in ENCODINGS:
        try:
            return data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except UnicodeDecodeError as error:
            raise CsvProblem(
                _(
                    "The file could not be read as %(encoding)s. Choose another encoding, or save the "
                    "file as “CSV UTF-8” and upload it again.",
                    encoding=ENCODINGS[encoding],
                )
            ) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    readings = {}
    for candidate in ("cp1251", "cp1250"):
        try:
            readings[candidate] = data.decode(candidate)
        except UnicodeDecodeError:
            continue
    scored = sorted((_implausible_words(text), name) for name, text in readings.items())
    if scored and (len(scored) == 1 or scored[0][0] < scored[1][0]) and scored[0][0] == 0:
        return readings[scored[0][1]]
    raise CsvProblem(
        _(
            "The file is not in UTF-8 and its encoding could not be recognised. Save it as "
            "“CSV UTF-8” from your spreadsheet, or choose its encoding, and upload it again."
        )
    )


# -- Checking rows --------------------------------------------------------------------------------


def _language_of(value: str) -> str | None:
    value = value.strip()
    lowered = value.lower()
    if lowered in LANGUAGES:
        return lowered
    for code, name in LANGUAGES.items():
        if name.lower() == lowered:
            return code
    return None


# Romanian spreadsheets still often hold the old cedilla letters (ş ţ) where the labels use commas (ș ț).
_CEDILLAS = str.maketrans("şţŞŢ", "șțȘȚ")


def _comparable(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_CEDILLAS).casefold().replace("_", " ")
    return " ".join(text.split())


def role_names() -> dict[str, str]:
    """{comparable name: role code}: the codes, the labels the trainer's language shows on the site (the
    same PROFESSIONAL_ROLE_LABELS as the forms), then the labels in the other interface languages."""
    names = {_comparable(code): code for code in PROFESSIONAL_ROLE_LABELS}
    for lang in [str(get_locale()), *LANGUAGES]:
        with force_locale(lang):
            for code, label in PROFESSIONAL_ROLE_LABELS.items():
                names.setdefault(_comparable(str(label)), code)
    return names


def _role_of(value: str, names: dict[str, str]) -> str | None:
    return names.get(_comparable(value))


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = HEADER_ALIASES.get(title.strip().lower())
        if key and key not in found:
            found[key] = index
    missing = [c for c in ("name", "email") if c not in found]
    if missing:
        raise CsvProblem(
            _(
                "The first row must name the columns. Missing: %(columns)s. Expected columns: %(expected)s.",
                columns=", ".join(missing),
                expected=", ".join(COLUMNS),
            )
        )
    return found


def _delimiter(text: str) -> str:
    """Comma, semicolon (Excel where the decimal mark is a comma) or tab, as the header row uses.

    Only the delimiter is sniffed: the rest is Excel's dialect, whose doubled quotes (`"a ""b"", c"`) a
    sniffed dialect gets wrong when the header has no quotes to learn from.
    """
    first_line = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def check_csv(text: str, default_language: str) -> list[CheckedRow]:
    """Every non-empty row, checked; each problem is a translated sentence on its row."""
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=_delimiter(text))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvProblem(_("The file is empty.")) from None
    except csv.Error as error:
        raise CsvProblem(_("The file is not a valid CSV file.")) from error
    columns = _header_map(header)
    rows: list[CheckedRow] = []
    first_row_of: dict[str, int] = {}
    roles = role_names()
    try:
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvProblem(
                    _("The file has more than %(max)d learners. Split it into smaller files.", max=MAX_ROWS)
                )

            def cell(name: str, record=record) -> str:
                index = columns.get(name)
                return record[index].strip() if index is not None and index < len(record) else ""

            rows.append(_check_row(number, cell, default_language, first_row_of, roles))
    except csv.Error as error:
        raise CsvProblem(_("The file is not a valid CSV file (near row %(row)d).", row=reader.line_num)) from error
    if not rows:
        raise CsvProblem(_("The file has no learners: only a header row."))
    return rows


def _check_row(
    number: int, cell, default_language: str, first_row_of: dict[str, int], roles: dict[str, str]
) -> CheckedRow:
    errors = []
    name = cell("name")
    if not name:
        errors.append(_("The name is missing."))
    elif len(name) > 120:
        errors.append(_("The name is longer than 120 characters."))
    elif problem := name_problem(name):
        errors.append(problem)
    raw_email = cell("email")
    email = normalise_email(raw_email)
    if not raw_email:
        errors.append(_("The email address is missing."))
    else:
        try:
            email = validate_email(raw_email, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            errors.append(_("“%(email)s” is not a valid email address.", email=raw_email))
        else:
            if email in first_row_of:
                errors.append(_("Duplicate: the same email address as row %(row)d.", row=first_row_of[email]))
            else:
                first_row_of[email] = number
    raw_language = cell("language")
    language = _language_of(raw_language) if raw_language else default_language
    if language is None:
        errors.append(
            _("Unknown language “%(value)s”. Use one of: %(codes)s.", value=raw_language, codes=", ".join(LANGUAGES))
        )
        language = raw_language
    organisation = cell("organisation")
    if len(organisation) > 160:
        errors.append(_("The organisation is longer than 160 characters."))
    raw_role = cell("role")
    role = _role_of(raw_role, roles) if raw_role else "other"
    if role is None:
        errors.append(
            _(
                "Unknown role “%(value)s”. Use one of: %(roles)s.",
                value=raw_role,
                roles=", ".join(str(label) for label in PROFESSIONAL_ROLE_LABELS.values()),
            )
        )
        role = raw_role
    return CheckedRow(number, name, email, language, organisation, role, errors)


# -- Preview and import ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedRow:
    row: dict
    outcome: str  # new_account, enrol, join_cohort (enrolled without cohort), already, other_cohort


def plan_import(cohort: Cohort, rows: list[dict]) -> list[PlannedRow]:
    """What confirming would do to each row, judged against the database now (two queries)."""
    users, enrolments = _existing(cohort, [r["email"] for r in rows])
    planned = []
    for row in rows:
        user = users.get(row["email"])
        enrolment = enrolments.get(user.id) if user else None
        if user is None:
            outcome = "new_account"
        elif enrolment is None:
            outcome = "enrol"
        elif enrolment.cohort_id is None:
            outcome = "join_cohort"
        elif enrolment.cohort_id == cohort.id:
            outcome = "already"
        else:
            outcome = "other_cohort"
        planned.append(PlannedRow(row, outcome))
    return planned


def _existing(cohort: Cohort, emails: list[str]) -> tuple[dict[str, User], dict[int, Enrolment]]:
    users: dict[str, User] = {}
    for start in range(0, len(emails), 500):  # keep IN lists within every database's parameter limit
        chunk = emails[start : start + 500]
        users.update((u.email, u) for u in db.session.execute(select(User).where(User.email.in_(chunk))).scalars())
    enrolments: dict[int, Enrolment] = {}
    ids = [u.id for u in users.values()]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        enrolments.update(
            (e.user_id, e)
            for e in db.session.execute(
                select(Enrolment).where(Enrolment.course_slug == cohort.course_slug, Enrolment.user_id.in_(chunk))
            ).scalars()
        )
    return users, enrolments


def save_checked(actor: User, cohort: Cohort, filename: str, rows: list[CheckedRow]) -> CohortImport:
    batch = CohortImport(
        cohort_id=cohort.id, created_by_id=actor.id, filename=filename[:255], rows=[r.as_json() for r in rows]
    )
    db.session.add(batch)
    db.session.commit()
    return batch


@dataclass
class ImportResult:
    created: int = 0
    enrolled: int = 0
    already: int = 0
    other_cohort: int = 0
    invited: list[User] = field(default_factory=list)
    added: list[User] = field(default_factory=list)  # existing accounts newly in the cohort


class AlreadyImported(Exception):
    pass


def import_rows(actor: User, cohort: Cohort, course: Course, batch: CohortImport) -> ImportResult:
    """Create missing accounts and enrol everyone in the cohort, all in one transaction.

    Confirming twice (a double click, a resent form) imports once: the batch is claimed with a
    conditional UPDATE. Existing accounts are never changed (people own their profiles); learners
    enrolled through another cohort stay there.
    """
    claimed = db.session.execute(
        update(CohortImport)
        .where(CohortImport.id == batch.id, CohortImport.confirmed_at.is_(None))
        .values(confirmed_at=utcnow())
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise AlreadyImported
    result = ImportResult()
    try:
        for planned in plan_import(cohort, importable(batch.rows)):
            row = planned.row
            if planned.outcome == "new_account":
                user = User(
                    email=row["email"],
                    password_hash=NO_PASSWORD_PREFIX + secrets.token_urlsafe(24),
                    full_name=row["name"],
                    preferred_language=row["language"],
                    organisation=row["organisation"],
                    professional_role=row["role"],
                    role="learner",
                )
                db.session.add(user)
                db.session.flush()
                result.created += 1
                result.invited.append(user)
            else:
                user = db.session.execute(select(User).filter_by(email=row["email"])).scalar_one()
            if planned.outcome in ("new_account", "enrol"):
                lang = (
                    row["language"]
                    if row["language"] in course.languages
                    else (cohort.language if cohort.language in course.languages else course.source_language)
                )
                db.session.add(
                    Enrolment(user_id=user.id, course_slug=course.slug, content_language=lang, cohort_id=cohort.id)
                )
                result.enrolled += 1
                if planned.outcome == "enrol":
                    result.added.append(user)
            elif planned.outcome == "join_cohort":
                db.session.execute(
                    update(Enrolment)
                    .where(
                        Enrolment.user_id == user.id,
                        Enrolment.course_slug == course.slug,
                        Enrolment.cohort_id.is_(None),
                    )
                    .values(cohort_id=cohort.id)
                )
                result.enrolled += 1
                result.added.append(user)
            elif planned.outcome == "already":
                result.already += 1
            else:
                result.other_cohort += 1
        record_audit(
            actor,
            "cohort.imported",
            "cohort",
            cohort.id,
            batch=batch.id,
            created=result.created,
            enrolled=result.enrolled,
            already=result.already,
            other_cohort=result.other_cohort,
        )
        # The e-mails are queued in the import's transaction: all of them or, if it fails, none.
        for user in result.invited:
            notify.invitation(user, cohort, course, actor, make_reset_token(user, invitation=True))
        for user in result.added:
            notify.added_to_cohort(user, cohort, course, actor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result
