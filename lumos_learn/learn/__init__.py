from flask import Blueprint

bp = Blueprint("learn", __name__)

from . import offline_routes, print_routes, routes  # noqa: E402,F401
from .lesson_page import lesson_article, lesson_nav  # noqa: E402
from .quiz_fragments import quiz_form, quiz_question  # noqa: E402

for _global in (quiz_form, quiz_question, lesson_article, lesson_nav):
    bp.add_app_template_global(_global)
