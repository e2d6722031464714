from flask import Blueprint

bp = Blueprint("learn", __name__)

from . import offline_routes, print_routes, routes  # noqa: E402,F401
