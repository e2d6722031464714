"""Forms of the certificates area (CSRF through Flask-WTF)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from .codes import normalise_code


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
            from wtforms.validators import ValidationError

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
        validators=[DataRequired(), Length(max=120)],
        description=_l("The learner's corrected name, as it should be printed."),
    )
    reissue_reason = TextAreaField(_l("Reason for re-issuing"), validators=[DataRequired(), Length(max=1000)])
