from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import privacy_routes, routes, two_factor_routes  # noqa: E402,F401  (register the views on bp)
