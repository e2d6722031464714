"""Assignments: applied work a learner writes (and attaches files to), marked against a rubric.

The learner's page, file downloads, marking queues and marking, the cohort ZIP and course assessors. The rubric
itself is course content (content/assignment.py); the tables are in models.py.
"""

from flask import Blueprint

bp = Blueprint("assignments", __name__)

from . import models, routes  # noqa: E402,F401
