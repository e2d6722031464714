"""Forms of the certificates area (CSRF through Flask-WTF)."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from .codes import normalise_code
from .pdf_fonts import FontMissing, unprintable_characters


def name_problem(name: str) -> str | None:
    """The message for a name with characters no certificate font has, or None when it prints as written."""
    cjk_font = current_app.config["CERTIFICATE_CJK_FONT"]
    try:
        missing = unprintable_characters(name, cjk_font)
    except FontMissing as error:
        # The operator must install the font; until then the person is told, never printed short.
        current_app.logger.error("%s", error)
        missing = unprintable_characters(name, cjk_font, strict=False)
    if not missing:
        return None
    return _(
        "Certificates cannot print these characters: %(characters)s. Please write the name without them.",
        characters=" ".join(missing),
    )


class PrintableOnCertificate:
    """A name with a character no certificate font has is refused here, next to the field, rather
    than printed with the letter left out."""

    def __call__(self, form, field) -> None:
        problem = name_problem(field.data) if field.data else None
        if problem:
            raise ValidationError(problem)


class VerifyForm(FlaskForm):
    code = StringField(
        _l("Certificate code"),
        validators=[DataRequired(), Length(max=80)],
        description=_l(
            "As printed on the certificate, for example LL-7K3M-Q9XD-…. Dashes and letter case do not matter."
        ),
    )

    def validate_code(self, field) -> None:
        if normalise_code(field.data) is None:
            raise ValidationError(_l("This is not a certificate code. Check the characters and try again."))


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l(
            "Recorded with your name and the date. The public verification page "
            "shows that the certificate is revoked and when, not the reason."
        ),
    )


class ReissueForm(FlaskForm):
    recipient_name = StringField(
        _l("Name on the new certificate"),
        validators=[DataRequired(), Length(max=120), PrintableOnCertificate()],
        description=_l("The learner's corrected name, as it should be printed."),
    )
    reissue_reason = TextAreaField(_l("Reason for re-issuing"), validators=[DataRequired(), Length(max=1000)])
