"""Events one area announces and others act on, so that learning need not know about certificates."""

from blinker import Namespace

_signals = Namespace()

# Sent once per enrolment, after the completion is committed: sender is the app, kwarg `enrolment`.
course_completed = _signals.signal("course-completed")
