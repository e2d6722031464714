"""Learner forms (most learner pages are plain forms checked by their service: quiz, confidence)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class JoinForm(FlaskForm):
    code = StringField(
        _l("Join code"),
        validators=[DataRequired(_l("Enter the code your trainer gave you.")), Length(max=32)],
        description=_l("Eight letters and digits, for example K7MQ2XPA."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
