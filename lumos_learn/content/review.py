"""What a learner may see of a submitted attempt: decided here, in one place, for every page that shows one.

The policy comes from the module's `review:` if it has one, else from course.yml's `review:` (practice for
ungraded checks, graded for graded quizzes):
- `full`: every answer, the key and the feedback;
- `score`: the score and the missed objectives only;
- `after-pass`: `score` until the learner has passed the quiz or used the last allowed attempt, then `full`.
"""

from __future__ import annotations

from .model import Course, Module

FULL = "full"
SCORE = "score"


def review_policy(course: Course, module: Module) -> str:
    own = module.versions[module.source_language].review
    if own is not None:
        return own
    return course.review_graded if module.graded else course.review_practice


def review_level(course: Course, module: Module, *, passed: bool, attempts_left: int | None) -> str:
    """FULL or SCORE for a learner who has `passed` the quiz (in any attempt) or not, with `attempts_left`
    (None: unlimited)."""
    policy = review_policy(course, module)
    if policy == "after-pass":
        return FULL if passed or attempts_left == 0 else SCORE
    return policy
