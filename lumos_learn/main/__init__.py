from flask import Blueprint

bp = Blueprint("main", __name__)

from . import routes, service_worker  # noqa: E402,F401
