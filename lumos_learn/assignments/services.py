"""The rules of assignments, each in one function: drafting, submitting, marking, who may see and mark what.

Status: draft -> submitted -> passed, or -> returned (for revision) -> submitted again... A learner may edit a draft
or returned work, never work waiting for marking or passed. Marking is optimistic: the marking page carries the
submission's `version`, and the UPDATE that records the mark succeeds only if nobody changed it meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..content import Course
from ..content.assignment import MAX_FILES, Assignment, count_words
from ..extensions import db
from ..learn.progress import complete_if_done
from ..models import CohortTrainer, Enrolment, User, utcnow
from .files import RefusedFile, check_upload, store_file
from .models import CourseAssessor, Review, Submission, SubmissionFile
from .notify import work_marked
from .queue import Scope

MAX_TEXT_CHARS = 100_000  # a draft longer than this is not a draft of a 600-word plan
MAX_COMMENT_CHARS = 5_000
MAX_MARKING_SECONDS = 4 * 3600  # a marking page left open overnight is not four hours of marking


class Refused(Exception):
    """A learner's or marker's request we do not carry out: `field` is where the message belongs."""

    def __init__(self, message, field: str = ""):
        self.message = message
        self.field = field
        super().__init__(str(message))


class MarkedMeanwhile(Refused):
    """Someone else marked (or the learner changed) the submission since the marking page was opened."""


def editable(submission: Submission | None) -> bool:
    return submission is None or submission.status in ("draft", "returned")


def submission_for(enrolment: Enrolment, assignment_id: str) -> Submission | None:
    return db.session.execute(
        select(Submission).filter_by(enrolment_id=enrolment.id, assignment_id=assignment_id)
    ).scalar_one_or_none()


def _get_or_create(enrolment: Enrolment, module_slug: str, assignment: Assignment) -> Submission:
    submission = submission_for(enrolment, assignment.id)
    if submission is None:
        submission = Submission(
            enrolment_id=enrolment.id,
            module_slug=module_slug,
            assignment_id=assignment.id,
            content_language=enrolment.content_language,
            status="draft",
            text="",
            version=1,
            times_submitted=0,
        )
        db.session.add(submission)
        db.session.flush()
    return submission


def _check_editable(submission: Submission | None) -> None:
    if submission is not None and submission.status == "passed":
        raise Refused(_l("This assignment has passed: it cannot be changed or submitted again."), "text")
    if submission is not None and submission.status == "submitted":
        raise Refused(_l("This work is waiting to be marked: it cannot be changed until it is returned."), "text")


def word_range_problem(assignment: Assignment, text: str):
    words = count_words(text)
    if words > assignment.max_words:
        return _l(
            "%(words)s words: at most %(most)s are allowed. Shorten the text before submitting.",
            words=words,
            most=assignment.max_words,
        )
    if words < assignment.min_words or words == 0:
        return _l("%(words)s words: at least %(fewest)s are needed.", words=words, fewest=max(assignment.min_words, 1))
    return None


@dataclass(frozen=True)
class Upload:
    filename: str
    stream: IO[bytes]


def save_work(
    enrolment: Enrolment,
    module_slug: str,
    assignment: Assignment,
    text: str,
    uploads: list[Upload] = (),
    *,
    hand_in: bool = False,
) -> Submission:
    """Keep the text (and attach `uploads`) as a draft, or hand the work in when `hand_in`. Commits.

    Everything is checked before anything is stored: a refused file or a text outside the word range on hand-in
    raises Refused and stores nothing, not even the other files or the text.
    """
    existing = submission_for(enrolment, assignment.id)
    _check_editable(existing)
    if len(text) > MAX_TEXT_CHARS:
        raise Refused(_l("The text is too long to save."), "text")
    checked = []
    if uploads:
        if not assignment.attachments:
            raise Refused(_l("This assignment does not take attached files."), "files")
        if len(uploads) > attach_room(existing):
            raise Refused(_l("At most %(count)s files can be attached: remove one first.", count=MAX_FILES), "files")
        for upload in uploads:
            try:
                checked.append((check_upload(upload.filename, upload.stream), upload.stream))
            except RefusedFile as refused:
                raise Refused(refused.message, "files") from refused
    if hand_in:
        problem = word_range_problem(assignment, text)
        if problem is not None:
            raise Refused(problem, "text")
    submission = existing or _get_or_create(enrolment, module_slug, assignment)
    now = utcnow()
    for file, stream in checked:
        store_file(submission.id, file, stream)
    if submission.text != text or checked:
        submission.text = text
        submission.updated_at = now
        submission.version += 1
    if hand_in:
        submission.status = "submitted"
        submission.submitted_at = now
        submission.times_submitted += 1
        submission.version += 1
    enrolment.last_activity_at = now
    db.session.commit()
    return submission


def attach_room(submission: Submission | None) -> int:
    return MAX_FILES - (len(submission.files) if submission is not None else 0)


def remove_file(submission: Submission, public_id: str) -> bool:
    """False when the submission has no such file; Refused when the work cannot change now."""
    file = next((f for f in submission.files if f.public_id == public_id), None)
    if file is None:
        return False
    _check_editable(submission)
    db.session.delete(file)
    submission.version += 1
    db.session.commit()
    return True


@dataclass(frozen=True)
class Marks:
    levels: dict[str, str]
    comments: dict[str, str]
    overall: str


def read_marks(assignment: Assignment, form) -> Marks:
    """Levels and comments from a marking form (`level-<criterion>`, `comment-<criterion>`, `overall`)."""
    levels, comments = {}, {}
    for criterion in assignment.criteria:
        level = form.get(f"level-{criterion.id}", "")
        if criterion.level(level) is not None:
            levels[criterion.id] = level
        comment = form.get(f"comment-{criterion.id}", "").strip()
        if comment:
            comments[criterion.id] = comment[:MAX_COMMENT_CHARS]
    return Marks(levels, comments, form.get("overall", "").strip()[:MAX_COMMENT_CHARS])


def check_marks(assignment: Assignment, marks: Marks, decision: str) -> dict[str, object]:
    """Field -> message for a mark that cannot be recorded; {} when it can."""
    errors: dict[str, object] = {}
    for criterion_id in assignment.missing_criteria(marks.levels):
        errors[f"level-{criterion_id}"] = _l("Choose a level for this criterion.")
    if decision not in ("passed", "returned"):
        errors["decision"] = _l("Choose whether the work passes or goes back for revision.")
    elif decision == "passed" and not errors and not assignment.meets_pass_rule(marks.levels):
        errors["decision"] = _l(
            "It cannot pass: every essential criterion needs at least the pass level. Return it for revision."
        )
    elif decision == "returned" and not marks.overall:
        errors["overall"] = _l("Say in the overall comment what to revise.")
    return errors


def record_mark(
    course: Course,
    submission: Submission,
    assignment: Assignment,
    marker: User,
    version: int,
    marks: Marks,
    decision: str,
    seconds: int | None,
    *,
    self_assessed: bool = False,
) -> Review:
    """Record a checked mark if the submission is still the version the marker saw; completes the course if due."""
    expected_status = "submitted"
    result = db.session.execute(
        update(Submission)
        .where(Submission.id == submission.id, Submission.version == version, Submission.status == expected_status)
        .values(status=decision, version=Submission.version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise MarkedMeanwhile(
            _l("Someone else marked this work (or it changed) while you had it open. Nothing was saved: see it now.")
        )
    review = Review(
        submission_id=submission.id,
        marker_id=marker.id,
        self_assessed=self_assessed,
        decision=decision,
        levels=marks.levels,
        comments=marks.comments,
        overall_comment=marks.overall,
        points=assignment.points(marks.levels),
        max_points=assignment.max_points,
        seconds=None if seconds is None else max(0, min(seconds, MAX_MARKING_SECONDS)),
    )
    db.session.add(review)
    db.session.flush()
    db.session.refresh(submission)
    enrolment = submission.enrolment
    if not self_assessed:
        work_marked(enrolment.user, course, submission.module_slug, assignment, submission)
    if decision == "passed":
        complete_if_done(course, enrolment)  # commits
    else:
        db.session.commit()
    return review


# Who assesses a learner's work: the answers of `assessment_path`.
COHORT_TRAINER = "cohort-trainer"  # a trainer of the learner's cohort
COURSE_ASSESSOR = "course-assessor"  # outside any cohort, an assessor an admin named for the course
SELF_COURSE = "self-course"  # the course says `assessment: self`: every learner assesses their own work
SELF_NO_TRAINER = "self-no-trainer"  # a trainer-marked course, but nobody could mark this learner's work


def assessment_path(course: Course, cohort_id: int | None) -> str:
    """THE rule deciding who assesses a learner's assignments in `course` (`cohort_id`: the enrolment's cohort).

    A trainer-marked course is marked by the cohort's trainers, or, for a learner outside any cohort, by the
    course's assessors; with no assessor named such a learner would wait for ever, so they self-assess (the
    rubric after submitting, then the model answer), exactly as in an `assessment: self` course.
    It is asked at every request, not stored: once an admin names an assessor, work submitted and not yet
    assessed goes to that assessor; work already passed by self-assessment stays passed (the reviews say how).
    """
    if course.assessment != "trainer":
        return SELF_COURSE
    if cohort_id is not None:
        return COHORT_TRAINER
    return COURSE_ASSESSOR if course_has_assessor(course.slug) else SELF_NO_TRAINER


def self_assessed(course: Course, enrolment: Enrolment) -> bool:
    return assessment_path(course, enrolment.cohort_id) in (SELF_COURSE, SELF_NO_TRAINER)


def course_has_assessor(course_slug: str) -> bool:
    return db.session.execute(select(CourseAssessor.user_id).filter_by(course_slug=course_slug)).first() is not None


def marking_scope(course: Course, cohort_id: int | None = None) -> Scope:
    """The marking queue of a cohort, or of the course's learners outside any cohort: empty when self-assessed."""
    path = assessment_path(course, cohort_id)
    marked = path in (COHORT_TRAINER, COURSE_ASSESSOR)
    if cohort_id is not None:
        return Scope(cohort_id=cohort_id, marked=marked)
    return Scope(course_slug=course.slug, marked=marked)


def may_mark(user: User, submission: Submission, course: Course) -> bool:
    """Admins; the trainers of the learner's cohort; for a learner outside any cohort, the course's assessors.

    Nobody marks work the rule says is self-assessed (admins may still view it: `may_view`)."""
    if not user.is_authenticated or self_assessed(course, submission.enrolment):
        return False
    if user.is_admin:
        return True
    cohort_id = submission.enrolment.cohort_id
    if cohort_id is not None:
        return user.is_trainer and _is_cohort_trainer(user.id, cohort_id)
    return is_assessor(user.id, course.slug)


def may_view(user: User, submission: Submission, course: Course | None) -> bool:
    """The learner, and whoever may mark their work (admins always, even when the course has gone)."""
    if not user.is_authenticated:
        return False
    if submission.enrolment.user_id == user.id or user.is_admin:
        return True
    return course is not None and may_mark(user, submission, course)


def _is_cohort_trainer(user_id: int, cohort_id: int) -> bool:
    return (
        db.session.execute(select(CohortTrainer.user_id).filter_by(user_id=user_id, cohort_id=cohort_id)).first()
        is not None
    )


def is_assessor(user_id: int, course_slug: str) -> bool:
    return (
        db.session.execute(select(CourseAssessor.user_id).filter_by(user_id=user_id, course_slug=course_slug)).first()
        is not None
    )


def assesses_any_course(user: User) -> bool:
    """Whether `user` has an assessments page: admins, and anyone named assessor of a course."""
    if user.is_admin:
        return True
    return db.session.execute(select(CourseAssessor.user_id).filter_by(user_id=user.id)).first() is not None


def assignment_marking(course: Course, enrolment: Enrolment) -> str:
    """What a certificate says of the course's assignments, from the stored reviews: "trainer" when every counted
    assignment was passed by a trainer or assessor, "self" when one was passed by the learner's self-assessment,
    "none" when the course counts no assignment for completion."""
    ids = {m.assignment.id for m in course.assignment_modules}
    if not course.assignments_count_for_completion or not ids:
        return "none"
    rows = db.session.execute(
        select(Review.self_assessed)
        .join(Submission, Submission.id == Review.submission_id)
        .where(
            Submission.enrolment_id == enrolment.id,
            Submission.assignment_id.in_(ids),
            Submission.status == "passed",
            Review.decision == "passed",
        )
    ).scalars()
    found = list(rows)
    if not found:
        return "none"
    return "self" if any(found) else "trainer"


def file_count(submission_id: int) -> int:
    return db.session.execute(select(func.count(SubmissionFile.id)).filter_by(submission_id=submission_id)).scalar_one()
