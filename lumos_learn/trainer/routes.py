"""Trainer area: cohorts and their reports (built in the trainer issue)."""

from flask import render_template

from ..access import trainer_required
from . import bp


@bp.route("/")
@trainer_required
def cohorts():
    return render_template("trainer/cohorts.html", cohorts=[])
