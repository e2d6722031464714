from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

ROLE_LABELS = {"learner": _l("Learner"), "trainer": _l("Trainer"), "admin": _l("Administrator")}


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()), validators=[DataRequired()])


class SuspendForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for suspending"),
        validators=[DataRequired(_l("Say why: it is recorded in the audit log.")), Length(max=500)],
        description=_l("Recorded in the audit log with your name. The person is not shown it."),
    )


class ResetTwoFactorForm(FlaskForm):
    two_factor_reason = TextAreaField(
        _l("How you checked who is asking"),
        validators=[DataRequired(_l("Say how you checked the person's identity.")), Length(max=500)],
        description=_l(
            "Resetting two-step sign-in lets anyone with the password in: do it only after checking, "
            "for example by a call to a known phone number. Recorded in the audit log."
        ),
    )


class EmptyForm(FlaskForm):
    """A button that changes something: CSRF only."""
