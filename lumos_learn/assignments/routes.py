"""Assignment pages: the learner's work, the file downloads, marking queues, marking, the cohort ZIP, assessors.

Views translate HTTP; the rules live in services.py (status, checks, who may), queue.py and files.py.
"""

from __future__ import annotations

import time

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..access import admin_required, role_required
from ..content import Course
from ..course_library import library
from ..extensions import db
from ..learn.enrolment import find_enrolment
from ..models import Cohort, Enrolment, User, record_audit
from ..trainer.cohorts import cohort_for_trainer
from . import bp, downloads, services
from .files import ACCEPT
from .models import CourseAssessor, Submission, SubmissionFile
from .queue import PAGE_SIZE, Scope, next_waiting, queue_page, status_counts


def _assignment_or_404(slug: str, module_slug: str):
    course = library().get(slug)
    module = course.module(module_slug) if course else None
    if module is None or module.assignment is None:
        abort(404)
    return course, module


def _learner_enrolment(course: Course) -> Enrolment:
    enrolment = find_enrolment(current_user, course.slug)
    if enrolment is None:
        abort(404)
    return enrolment


def _uploads() -> list[services.Upload]:
    return [services.Upload(f.filename or "", f.stream) for f in request.files.getlist("files") if f and f.filename]


# The learner's form carries three files of 10 MB and the text: above the site-wide request limit. URL value
# preprocessors run before every before_request function, so the limit is raised before the CSRF check reads the form.
UPLOAD_REQUEST_BYTES = 32 * 1024 * 1024


@bp.app_template_global()
def course_has_assignments(slug: str) -> bool:
    """For the cohort menu: a Marking tab only where the cohort's course has work to mark."""
    course = library().get(slug)
    return bool(course and course.assignment_modules)


@bp.url_value_preprocessor
def _room_for_uploads(endpoint, values):
    if endpoint == "assignments.assignment" and request.method == "POST":
        request.max_content_length = UPLOAD_REQUEST_BYTES


@bp.route("/courses/<slug>/<module_slug>/assignment", methods=["GET", "POST"])
@login_required
def assignment(slug: str, module_slug: str):
    course, module = _assignment_or_404(slug, module_slug)
    enrolment = _learner_enrolment(course)
    errors, text = {}, None
    if request.method == "POST":
        text = request.form.get("text", "").replace("\r\n", "\n")
        action = request.form.get("action", "save")
        try:
            services.save_work(enrolment, module.slug, module.assignment, text, _uploads(), hand_in=action == "submit")
        except services.Refused as refused:
            errors[refused.field or "text"] = refused.message
        else:
            flash(_("Your work has been submitted.") if action == "submit" else _("Draft saved."), "success")
            return redirect(url_for("assignments.assignment", slug=slug, module_slug=module_slug))
    return _learner_page(course, module, enrolment, errors, text), 400 if errors else 200


def _learner_page(course, module, enrolment, errors, text=None, self_marks=None):
    submission = services.submission_for(enrolment, module.assignment.id)
    reading = module.text(enrolment.content_language)
    return render_template(
        "assignments/assignment.html",
        course=course,
        module=module,
        assignment=reading.assignment or module.assignment,
        reading_language=reading.lang,
        submission=submission,
        review=submission.latest_review if submission else None,
        editable=services.editable(submission),
        room=services.attach_room(submission),
        text=text if text is not None else (submission.text if submission else ""),
        errors=errors,
        accept=ACCEPT,
        self_marks=self_marks,
        path=services.assessment_path(course, enrolment.cohort_id),
        self_assessed=services.self_assessed(course, enrolment),
    )


@bp.route("/courses/<slug>/<module_slug>/assignment/draft", methods=["POST"])
@login_required
def autosave(slug: str, module_slug: str):
    """The page's script saves the text as the learner types; answers JSON (the form works without it)."""
    course, module = _assignment_or_404(slug, module_slug)
    enrolment = _learner_enrolment(course)
    text = request.form.get("text", "").replace("\r\n", "\n")
    try:
        services.save_work(enrolment, module.slug, module.assignment, text)
    except services.Refused as refused:
        return jsonify(saved=False, message=str(refused.message)), 409
    return jsonify(saved=True, message=_("Draft saved."))


@bp.route("/courses/<slug>/<module_slug>/assignment/files/<public_id>/remove", methods=["POST"])
@login_required
def remove_file(slug: str, module_slug: str, public_id: str):
    course, module = _assignment_or_404(slug, module_slug)
    submission = services.submission_for(_learner_enrolment(course), module.assignment.id)
    if submission is None:
        abort(404)
    try:
        removed = services.remove_file(submission, public_id)
    except services.Refused as refused:
        flash(str(refused.message), "error")
        return redirect(url_for("assignments.assignment", slug=slug, module_slug=module_slug))
    if not removed:
        abort(404)
    flash(_("The file has been removed."), "success")
    return redirect(url_for("assignments.assignment", slug=slug, module_slug=module_slug))


@bp.route("/courses/<slug>/<module_slug>/assignment/self-assessment", methods=["POST"])
@login_required
def self_assess(slug: str, module_slug: str):
    course, module = _assignment_or_404(slug, module_slug)
    enrolment = _learner_enrolment(course)
    submission = services.submission_for(enrolment, module.assignment.id)
    if not services.self_assessed(course, enrolment) or submission is None or submission.status != "submitted":
        abort(404)
    marks = services.read_marks(module.assignment, request.form)
    decision = "passed" if module.assignment.meets_pass_rule(marks.levels) else "returned"
    errors = {k: v for k, v in services.check_marks(module.assignment, marks, decision).items() if k != "overall"}
    if errors:
        return _learner_page(course, module, enrolment, errors, self_marks=marks), 400
    services.record_mark(
        course,
        submission,
        module.assignment,
        current_user,
        submission.version,
        marks,
        decision,
        None,
        self_assessed=True,
    )
    flash(_("Your self-assessment has been saved."), "success")
    return redirect(url_for("assignments.assignment", slug=slug, module_slug=module_slug))


@bp.route("/files/<public_id>")
@login_required
def download_file(public_id: str):
    file = db.session.execute(select(SubmissionFile).filter_by(public_id=public_id)).scalar_one_or_none()
    if file is None:
        abort(404)
    submission = file.submission
    if not services.may_view(current_user, submission, library().get(submission.enrolment.course_slug)):
        abort(404)  # not 403: whether a file exists is itself private
    return downloads.file_response(file)


# Marking ------------------------------------------------------------------------------------------------------


def _submission_to_mark(submission_id: int) -> tuple[Submission, Course, bool]:
    """(submission, course, whether the current user may mark it); 404 unless they may mark or (admins) view it."""
    submission = db.session.get(Submission, submission_id)
    course = library().get(submission.enrolment.course_slug) if submission else None
    if submission is None or course is None:
        abort(404)
    may_mark = services.may_mark(current_user, submission, course)
    if not may_mark and not (current_user.is_admin and request.method == "GET"):
        abort(404)
    return submission, course, may_mark


def _scope_of(submission: Submission, course: Course) -> Scope:
    return services.marking_scope(course, submission.enrolment.cohort_id)


@bp.route("/trainer/cohorts/<int:cohort_id>/marking")
@role_required("trainer")
def marking_queue(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    course = library().get(cohort.course_slug)
    scope = services.marking_scope(course, cohort.id) if course else Scope(cohort_id=cohort.id)
    return _queue_page(scope, cohort=cohort)


@bp.route("/trainer/assessments/<slug>")
@login_required
def assessor_queue(slug: str):
    """Work of a course's learners outside any cohort, for the course's assessors (and admins)."""
    if library().get(slug) is None or not (current_user.is_admin or services.is_assessor(current_user.id, slug)):
        abort(404)
    return _queue_page(services.marking_scope(library().get(slug)))


def _queue_page(scope: Scope, cohort: Cohort | None = None):
    slug = cohort.course_slug if cohort else scope.course_slug
    page = request.args.get("page", 1, type=int) or 1
    rows, total = queue_page(scope, page)
    return render_template(
        "assignments/queue.html",
        cohort=cohort,
        course=library().get(slug),
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        counts=status_counts(scope),
    )


@bp.route("/trainer/submissions/<int:submission_id>", methods=["GET", "POST"])
@login_required
def mark(submission_id: int):
    submission, course, may_mark = _submission_to_mark(submission_id)
    module = course.module(submission.module_slug)
    if module is None or module.assignment is None or module.assignment.id != submission.assignment_id:
        abort(404)
    assignment = module.assignment
    errors, marks, notice = {}, None, None
    if request.method == "POST":
        marks = services.read_marks(assignment, request.form)
        decision = request.form.get("decision", "")
        errors = services.check_marks(assignment, marks, decision)
        version = request.form.get("version", type=int)
        opened = request.form.get("opened", type=int)
        seconds = int(time.time()) - opened if opened else None
        if not errors:
            try:
                services.record_mark(course, submission, assignment, current_user, version, marks, decision, seconds)
            except services.MarkedMeanwhile as meanwhile:
                submission = db.session.get(Submission, submission_id)
                notice = meanwhile.message
            else:
                flash(_("Passed") if decision == "passed" else _("Returned for revision"), "success")
                following = next_waiting(_scope_of(submission, course), after=submission)
                if following is not None:
                    return redirect(url_for("assignments.mark", submission_id=following))
                return redirect(_queue_url(submission, course))
    status = 409 if notice else (400 if errors else 200)
    return render_template(
        "assignments/mark.html",
        submission=submission,
        course=course,
        module=module,
        # the rubric in the language the learner wrote in (same ids and points in every language)
        assignment=module.text(submission.content_language).assignment or assignment,
        rubric_lang=module.text(submission.content_language).lang,
        review=submission.latest_review,
        learner=submission.enrolment.user,
        errors=errors,
        marks=marks,
        notice=notice,
        opened=int(time.time()),
        queue_url=_queue_url(submission, course),
        next_id=next_waiting(_scope_of(submission, course), after=submission) if may_mark else None,
        may_mark=may_mark,
    ), status


def _queue_url(submission: Submission, course: Course) -> str:
    cohort_id = submission.enrolment.cohort_id
    if cohort_id is not None:
        return url_for("assignments.marking_queue", cohort_id=cohort_id)
    return url_for("assignments.assessor_queue", slug=course.slug)


@bp.route("/trainer/cohorts/<int:cohort_id>/submissions.zip")
@role_required("trainer")
def cohort_zip(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    record_audit(current_user, "assignments.downloaded", "cohort", cohort.id)
    db.session.commit()
    return downloads.cohort_zip_response(cohort)


# Course assessors (admins) ----------------------------------------------------------------------------------------


@bp.route("/admin/assessors", methods=["GET", "POST"])
@admin_required
def assessors():
    error = None
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        slug = request.form.get("course", "")
        person = db.session.execute(select(User).filter_by(email=email)).scalar_one_or_none()
        if library().get(slug) is None or not library().get(slug).assignment_modules:
            error = _("Choose a course with an assignment.")
        elif person is None or not person.is_trainer:
            error = _("No trainer has that e-mail address.")
        elif services.is_assessor(person.id, slug):
            error = _("This person already assesses this course.")
        else:
            db.session.add(CourseAssessor(user_id=person.id, course_slug=slug))
            record_audit(current_user, "assessor.added", "user", person.id, course=slug)
            db.session.commit()
            flash(_("Assessor added."), "success")
            return redirect(url_for("assignments.assessors"))
    rows = db.session.execute(
        select(CourseAssessor).join(User).order_by(CourseAssessor.course_slug, User.full_name)
    ).scalars()
    courses = [c for c in library().courses if c.assignment_modules and c.assessment == "trainer"]
    return render_template("assignments/assessors.html", rows=list(rows), courses=courses, error=error), (
        400 if error else 200
    )


@bp.route("/admin/assessors/<int:user_id>/<slug>/remove", methods=["POST"])
@admin_required
def remove_assessor(user_id: int, slug: str):
    row = db.session.get(CourseAssessor, (user_id, slug))
    if row is None:
        abort(404)
    db.session.delete(row)
    record_audit(current_user, "assessor.removed", "user", user_id, course=slug)
    db.session.commit()
    flash(_("Assessor removed."), "success")
    return redirect(url_for("assignments.assessors"))


@bp.route("/trainer/assessments/")
@login_required
def my_assessments():
    """The courses someone assesses, with the work waiting in each."""
    if current_user.is_admin:
        slugs = [c.slug for c in library().courses if c.assignment_modules and c.assessment == "trainer"]
    else:
        slugs = list(
            db.session.execute(select(CourseAssessor.course_slug).filter_by(user_id=current_user.id)).scalars()
        )
        if not slugs:
            abort(404)
    courses = [
        (library().get(s), status_counts(services.marking_scope(library().get(s)))) for s in slugs if library().get(s)
    ]
    return render_template("assignments/assessments.html", courses=courses)
