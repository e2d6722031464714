from flask import Blueprint

bp = Blueprint("trainer", __name__)

from . import routes  # noqa: E402,F401
