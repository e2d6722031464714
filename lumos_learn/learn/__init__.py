from flask import Blueprint

bp = Blueprint("learn", __name__)

from . import offline_routes, print_routes, routes  # noqa: E402,F401
from .quiz_fragments import quiz_question  # noqa: E402

bp.add_app_template_global(quiz_question)
