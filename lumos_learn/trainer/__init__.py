from flask import Blueprint

bp = Blueprint("trainer", __name__)

from . import messages, routes  # noqa: E402,F401
