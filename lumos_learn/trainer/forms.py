"""Trainer forms: new cohort, CSV upload, co-trainers, report filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from ..i18n import LANGUAGES
from .csv_import import MAX_BYTES


class CohortForm(FlaskForm):
    course = SelectField(_l("Course"), validators=[DataRequired(_l("Choose a course."))])
    name = StringField(
        _l("Name of the cohort"),
        validators=[DataRequired(_l("Enter a name.")), Length(max=160)],
        description=_l("For example: Ungheni district teachers, spring 2027."),
    )
    language = SelectField(
        _l("Language of the cohort"),
        validators=[DataRequired(_l("Choose a language."))],
        description=_l("Learners read the course in this language unless they choose another."),
    )
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    deadline = DateField(_l("Completion deadline (optional)"), validators=[Optional()])

    def __init__(self, courses, *args, lang: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self._courses = {c.slug: c for c in courses}
        self.course.choices = [("", _l("Choose a course"))] + [(c.slug, c.text("title", lang)[0]) for c in courses]
        self.language.choices = [("", _l("Choose a language")), *LANGUAGES.items()]

    def validate_language(self, field):
        course = self._courses.get(self.course.data)
        if course is not None and field.data not in course.languages:
            raise ValidationError(
                _l(
                    "This course is available in: %(languages)s.",
                    languages=", ".join(LANGUAGES.get(code, code) for code in course.languages),
                )
            )

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date must be on or after the start date."))

    def validate_deadline(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The deadline must be on or after the start date."))


class FileSize:
    """At most `max_bytes`: checked on the stream, so the message appears next to the field."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes

    def __call__(self, form, field):
        storage = field.data
        if not storage:
            return
        storage.stream.seek(0, 2)
        size = storage.stream.tell()
        storage.stream.seek(0)
        if size > self.max_bytes:
            form.file_too_large = True
            raise ValidationError(
                _l(
                    "The file is larger than %(size)d MB. Split it into smaller files.",
                    size=self.max_bytes // (1024 * 1024),
                )
            )


ENCODING_CHOICES = [
    ("auto", _l("Recognise automatically (UTF-8, Windows-1251 or Windows-1250)")),
    ("utf-8", _l("UTF-8")),
    ("cp1251", _l("Windows-1251 (Cyrillic: Bulgarian, Ukrainian)")),
    ("cp1250", _l("Windows-1250 (Central European: Czech, Romanian)")),
]


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file of learners"),
        validators=[FileRequired(_l("Choose a CSV file.")), FileSize(MAX_BYTES)],
        description=_l("Columns: name, email, language, organisation, role. At most 5 MB."),
        render_kw={"accept": ".csv,text/csv"},
    )
    encoding = SelectField(_l("Encoding of the file"), choices=ENCODING_CHOICES, default="auto")
    file_too_large = False  # set by FileSize: the view answers 413


class CoTrainerForm(FlaskForm):
    email = EmailField(
        _l("Email of the trainer to add"),
        validators=[DataRequired(_l("Enter an email address.")), Email(_l("Enter a valid email address."))],
        description=_l("They need a trainer account on Lumos Learn."),
    )


class ReportForm(FlaskForm):
    """Query parameters of the report: no CSRF (a GET that changes nothing)."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    course = SelectField(_l("Course"), validators=[Optional()])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end of the period must be on or after its start."))


class CohortMessagesForm(FlaskForm):
    """Cohort dates and the reminders a trainer switches on."""

    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    remind_inactive = BooleanField(_l("Remind learners who have not opened the course for a while"))
    inactive_days = IntegerField(
        _l("Days without activity before a reminder"),
        default=7,
        validators=[Optional(), NumberRange(min=1, max=365, message=_l("Enter a number of days from 1 to 365."))],
    )
    remind_before_end = BooleanField(_l("Remind learners who have not completed before the end date"))
    days_before_end = IntegerField(
        _l("Days before the end date"),
        default=7,
        validators=[Optional(), NumberRange(min=1, max=365, message=_l("Enter a number of days from 1 to 365."))],
    )

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date must be on or after the start date."))

    def validate_inactive_days(self, field):
        if self.remind_inactive.data and not field.data:
            raise ValidationError(_l("Enter a number of days from 1 to 365."))

    def validate_days_before_end(self, field):
        if self.remind_before_end.data and not field.data:
            raise ValidationError(_l("Enter a number of days from 1 to 365."))

    def validate_remind_before_end(self, field):
        if field.data and not self.ends_on.data:
            raise ValidationError(_l("Set an end date first: this reminder counts the days before it."))


class AnnouncementForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(_l("Enter a subject.")), Length(max=160)])
    body = TextAreaField(
        _l("Message"),
        validators=[DataRequired(_l("Write a message.")), Length(max=4000)],
        description=_l("Plain text. *Emphasis*, **bold**, links and lists are kept; everything else is shown as text."),
    )
