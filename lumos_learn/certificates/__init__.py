from flask import Blueprint

bp = Blueprint("certificates", __name__)


@bp.record_once
def _connect_receivers(state) -> None:
    # Learning announces completion; certificates listen (learning never imports this area).
    from ..signals import course_completed
    from .services import issue_on_completion

    course_completed.connect(issue_on_completion)


from . import routes  # noqa: E402,F401
