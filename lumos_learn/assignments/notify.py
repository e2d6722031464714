"""The e-mail a learner gets when a trainer or assessor has marked their work (queued in the marking's transaction).

An account e-mail in the outbox like the others (notifications/compose.py): it cannot be turned off, because it is
the only way a learner who has closed the page learns that their work came back for revision.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..content import Course
from ..content.assignment import Assignment
from ..models import User
from ..notifications.compose import public_url, queue_email, reader_language
from .models import Submission


def work_marked(learner: User, course: Course, module_slug: str, assignment: Assignment, submission: Submission):
    lang = reader_language(learner)
    module = course.module(module_slug)
    title = (module.text(submission.content_language).assignment or assignment).title
    queue_email(
        learner,
        "assignment_marked",
        "assignment_marked",
        subject=_l("Your assignment “%(title)s” has been marked", title=title),
        title=title,
        course_title=course.text("title", lang)[0],
        passed=submission.status == "passed",
        link=public_url("assignments.assignment", slug=course.slug, module_slug=module_slug, lang=lang),
    )
