from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from ..certificates.forms import PrintableOnCertificate
from ..forms_common import StrongPassword, country_choices, language_choices, professional_role_choices
from ..time_zones import known_zones, time_zone_choices


def new_password_field(label, description=None) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(_l("Choose a password.")), StrongPassword()],
        description=description,
        render_kw={"autocomplete": "new-password"},
    )


def confirm_password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ProfileFields(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Enter your full name.")), Length(max=120), PrintableOnCertificate()],
        description=_l("As it should be printed on your certificates."),
        render_kw={"autocomplete": "name"},
    )
    preferred_language = SelectField(_l("Preferred language"), validators=[DataRequired(_l("Choose a language."))])
    country = SelectField(_l("Country"), validators=[Optional()])
    organisation = StringField(
        _l("Organisation"), validators=[Optional(), Length(max=160)], render_kw={"autocomplete": "organization"}
    )
    professional_role = SelectField(
        _l("Professional role"), validators=[DataRequired(_l("Choose the role closest to your work."))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preferred_language.choices = language_choices()
        self.country.choices = country_choices()
        self.professional_role.choices = professional_role_choices()


class RegistrationForm(ProfileFields):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter a valid email address, like name@example.org.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    password = new_password_field(
        _l("Password"), _l("At least 10 characters. A few unrelated words make a good password.")
    )
    confirm = confirm_password_field(_l("Repeat the password"))


class ProfileForm(ProfileFields):
    # What a person may turn off; e-mails about the account and password are always sent.
    email_reminders = BooleanField(_l("Reminders when I have not opened a course for a while or a group is ending"))
    email_announcements = BooleanField(_l("Announcements from my trainers"))
    # Left out of a submitted form (an older page, a script): the zone stays as it was.
    time_zone = SelectField(
        _l("Time zone"),
        validators=[Optional()],
        validate_choice=False,
        description=_l("Times on the site, such as when a quiz was submitted, are shown on this clock."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = time_zone_choices()

    def validate_time_zone(self, field):
        if field.data not in known_zones():
            raise ValidationError(_l("Choose a time zone from the list."))


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Enter your email address."))], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class NewPasswordForm(FlaskForm):
    """A new password typed twice: the fields of a password change and of a reset. `account` is the person whose
    password it becomes: the policy refuses their e-mail and name (forms_common.StrongPassword)."""

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    password = new_password_field(_l("New password"))
    confirm = confirm_password_field(_l("Repeat the new password"))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter a valid email address, like name@example.org.")),
        ],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(NewPasswordForm):
    pass


class TwoFactorCodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32)],
        description=_l("The 6-digit code from your authenticator app, or one of your recovery codes."),
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "text",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )


class TwoFactorSetupForm(FlaskForm):
    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32)],
        description=_l("6 digits. A new code appears every 30 seconds."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class PasswordAndCodeForm(FlaskForm):
    """Confirms a sensitive change with both factors: the password and a current code."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32)],
        description=_l("The 6-digit code from your authenticator app, or one of your recovery codes."),
        render_kw={"autocomplete": "one-time-code"},
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code"),
        validators=[Optional(), Length(max=32)],
        description=_l("Two-step sign-in is on: the code from your app, or a recovery code."),
        render_kw={"autocomplete": "one-time-code"},
    )
