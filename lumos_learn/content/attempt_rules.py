"""May a learner start (or submit) an attempt at a quiz now? One plain function, used by the site and the bench.

- `max_attempts` (course.yml, 0 = unlimited) plus the attempts trainers granted caps the submitted attempts at a
  graded quiz;
- `attempt_wait_hours` after a failed graded attempt, the next attempt can start only that much later.
Practice checks are never limited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .model import Course, Module

EXHAUSTED = "exhausted"
WAIT = "wait"


@dataclass(frozen=True)
class PastAttempt:
    submitted_at: datetime
    passed: bool


@dataclass(frozen=True)
class AttemptDecision:
    allowed: bool
    reason: str | None  # EXHAUSTED or WAIT when not allowed
    attempts_left: int | None  # None: unlimited
    not_before: datetime | None  # WAIT: when the next attempt may start


def attempt_decision(
    course: Course, module: Module, past: Sequence[PastAttempt], granted: int, at: datetime
) -> AttemptDecision:
    """Whether an attempt may start at `at`, given the submitted attempts and the attempts granted."""
    if not module.graded:
        return AttemptDecision(True, None, None, None)
    left = None
    if course.max_attempts:
        left = max(course.max_attempts + granted - len(past), 0)
        if left == 0:
            return AttemptDecision(False, EXHAUSTED, 0, None)
    if course.attempt_wait_hours and past:
        last = max(past, key=lambda a: a.submitted_at)
        if not last.passed:
            not_before = last.submitted_at + timedelta(hours=course.attempt_wait_hours)
            if at < not_before:
                return AttemptDecision(False, WAIT, left, not_before)
    return AttemptDecision(True, None, left, None)
