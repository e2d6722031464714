"""Learner pages: catalogue, course, lesson, quiz, results, confidence and dashboard.

Views translate HTTP; the rules live in enrolment.py, progress.py, quizzes.py and confidence.py.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..content import Course, InvalidResponses, review_policy
from ..course_library import courses_for_reader, library
from ..errors import bad_request
from ..extensions import db, limiter
from ..models import Certificate, Enrolment, QuizAttempt, utcnow
from ..notifications.announcements import recent_announcements
from . import bp, confidence
from .change_log import change_log
from .enrolment import content_language_for, enrol, find_enrolment, set_content_language
from .forms import JoinForm
from .joining import cohort_by_join_code, join_and_tell, normalise_join_code
from .lesson_page import learner_lesson, lesson_validators
from .progress import load_progress, mark_read, progress_of
from .quiz_submit import find_quiz_target, submit_attempt
from .quizzes import AttemptBlocked, attempt_paper, parse_form, review_of, save_answers


def _course_or_404(slug: str) -> Course:
    course = library().get(slug)
    if course is None:
        abort(404)
    return course


def _module_or_404(course: Course, module_slug: str):
    module = course.module(module_slug)
    if module is None:
        abort(404)
    return module


def _enrolment_or_404(course: Course) -> Enrolment:
    enrolment = find_enrolment(current_user, course.slug)
    if enrolment is None:
        abort(404)
    return enrolment


def _reading_language(course: Course, enrolment: Enrolment | None) -> str:
    if enrolment is not None:
        return enrolment.content_language
    return content_language_for(course, request.args.get("content"), str(get_locale()))


@bp.route("/courses/")
def catalogue():
    courses = courses_for_reader(str(get_locale()))
    progress = {}
    if current_user.is_authenticated:
        enrolments = db.session.execute(select(Enrolment).filter_by(user_id=current_user.id)).scalars().all()
        by_id = {e.id: library().get(e.course_slug) for e in enrolments if library().get(e.course_slug)}
        loaded = load_progress(by_id, list(by_id))
        progress = {e.course_slug: (e, loaded[e.id]) for e in enrolments if e.id in loaded}
    return render_template("learn/catalogue.html", courses=courses, progress=progress)


@bp.route("/courses/<slug>/")
def course(slug: str):
    course = _course_or_404(slug)
    enrolment = find_enrolment(current_user, slug)
    progress = progress_of(course, enrolment) if enrolment else None
    reading_language = _reading_language(course, enrolment)
    return render_template(
        "learn/course.html",
        course=course,
        enrolment=enrolment,
        progress=progress,
        reading_language=reading_language,
        change_log=change_log(course, reading_language),
    )


@bp.route("/courses/<slug>/enrol", methods=["POST"])
@login_required
def enrol_in_course(slug: str):
    course = _course_or_404(slug)
    language = content_language_for(
        course, request.form.get("content_language"), str(get_locale()), current_user.preferred_language
    )
    _enrolment, created = enrol(current_user, course, language)
    if created and course.confidence:
        return redirect(url_for("learn.confidence_form", slug=slug, phase="before"))
    return redirect(url_for("learn.course", slug=slug))


@bp.route("/courses/<slug>/content-language", methods=["POST"])
@login_required
def change_content_language(slug: str):
    course = _course_or_404(slug)
    enrolment = _enrolment_or_404(course)
    if not set_content_language(enrolment, course, request.form.get("content_language", "")):
        bad_request(_("This course is not available in that language."))
    return redirect(
        request.form.get("back")
        if _is_course_path(request.form.get("back"), slug)
        else url_for("learn.course", slug=slug)
    )


def _is_course_path(path: str | None, slug: str) -> bool:
    return bool(path) and path.startswith(f"/{get_locale()}/courses/{slug}/") and "//" not in path


@bp.route("/courses/<slug>/confidence/<phase>", methods=["GET", "POST"])
@login_required
def confidence_form(slug: str, phase: str):
    course = _course_or_404(slug)
    enrolment = _enrolment_or_404(course)
    if phase not in confidence.PHASES or not course.confidence:
        abort(404)
    if phase == "after" and enrolment.completed_at is None:
        abort(404)
    if request.method == "POST":
        if request.form.get("action") == "skip":
            return redirect(_after_confidence(slug, phase))
        try:
            ratings = confidence.parse_ratings(course, request.form)
        except confidence.InvalidRatings as error:
            return render_template(
                "learn/confidence.html",
                course=course,
                phase=phase,
                enrolment=enrolment,
                ratings=confidence.partial_ratings(request.form),
                error=str(error),
            ), 400
        confidence.record(enrolment, phase, ratings)
        flash(_("Thank you. Your answers have been saved."), "success")
        return redirect(_after_confidence(slug, phase))
    return render_template(
        "learn/confidence.html",
        course=course,
        phase=phase,
        enrolment=enrolment,
        ratings=confidence.ratings_of(enrolment, phase),
        error=None,
    )


def _after_confidence(slug: str, phase: str) -> str:
    if phase == "after":
        return url_for("learn.completed", slug=slug)
    return url_for("learn.course", slug=slug)


@bp.route("/courses/<slug>/completed")
@login_required
def completed(slug: str):
    course = _course_or_404(slug)
    enrolment = _enrolment_or_404(course)
    if enrolment.completed_at is None:
        return redirect(url_for("learn.course", slug=slug))
    certificate = db.session.execute(select(Certificate).filter_by(enrolment_id=enrolment.id)).scalar_one_or_none()
    return render_template(
        "learn/completed.html",
        course=course,
        enrolment=enrolment,
        certificate=certificate,
        shift=confidence.shift(course, enrolment),
    )


@bp.route("/courses/<slug>/<module_slug>/")
def lesson(slug: str, module_slug: str):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_slug)
    enrolment = find_enrolment(current_user, slug)
    usual_language = reading_language = _reading_language(course, enrolment)
    if request.args.get("read") in module.versions:  # one module in another of its languages (the source, for
        reading_language = request.args["read"]  # an out-of-date translation): the enrolment stays as it is
    text = module.text(reading_language)
    learner = learner_lesson(course, module, enrolment, text.quiz is not None) if enrolment else None
    validators = lesson_validators(course, reading_language, learner)
    if validators.unchanged():  # a revisit: the browser's copy is this very page
        return validators.not_modified()
    position = module.position
    attempt = learner.attempt if learner else None
    page = render_template(
        "learn/lesson.html",
        course=course,
        module=module,
        text=text,
        usual_text=module.text(usual_language) if reading_language != usual_language else None,
        enrolment=enrolment,
        progress=learner.progress if learner else None,
        attempt=attempt,
        exhausted=learner and learner.exhausted,
        not_before=learner.not_before if learner else None,
        wait=learner.not_before - utcnow() if learner and learner.not_before else None,
        saved=learner.saved if learner else {},
        paper=learner.paper if learner else None,
        previous=course.modules[position - 1] if position > 0 else None,
        next=course.modules[position + 1] if position + 1 < len(course.modules) else None,
        past_attempts=learner.past_attempts if learner else [],
        attempts_left=learner.attempts_left if learner else None,
    )
    return validators.apply(make_response(page))


@bp.route("/courses/<slug>/<module_slug>/read", methods=["POST"])
@login_required
def mark_module_read(slug: str, module_slug: str):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_slug)
    enrolment = _enrolment_or_404(course)
    mark_read(course, enrolment, module.slug)
    db.session.refresh(enrolment)
    if enrolment.completed_at is not None:
        return redirect(url_for("learn.completed", slug=slug))
    following = course.modules[module.position + 1] if module.position + 1 < len(course.modules) else None
    if following is not None:
        return redirect(url_for("learn.lesson", slug=slug, module_slug=following.slug))
    return redirect(url_for("learn.course", slug=slug))


@bp.route("/courses/<slug>/<module_slug>/quiz", methods=["POST"])
@login_required
def quiz(slug: str, module_slug: str):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_slug)
    target = find_quiz_target(current_user.id, course.slug, module.slug, request.form.get("token", ""))
    if target is None:  # not enrolled
        abort(404)
    text = module.text(target.content_language)
    if text.quiz is None:
        abort(404)
    attempt = target.attempt
    if attempt is None:
        bad_request(_("This quiz form is no longer valid. Reload the page to continue with your answers."))
    if attempt.submitted_at is not None:  # a resent form or a double click: show what was recorded
        return redirect(url_for("learn.attempt_result", slug=slug, module_slug=module_slug, attempt_id=attempt.id))
    paper = attempt_paper(text, attempt, attempt.drawn)
    try:
        responses = parse_form(paper, request.form.to_dict(flat=False))
    except InvalidResponses:
        bad_request(
            _(
                "Some answers did not match the questions of this attempt. Nothing was recorded: reload the page "
                "and try again."
            )
        )
    if request.form.get("action") == "save":
        save_answers(db.session.get(QuizAttempt, attempt.id), responses)
        if request.accept_mimetypes.best == "application/json":
            return {"saved": len(responses)}
        flash(_("Your answers have been saved. You can come back and finish later."), "success")
        return redirect(url_for("learn.lesson", slug=slug, module_slug=module_slug, _anchor="quiz"))
    try:
        submit_attempt(course, module, target, paper, responses)
    except AttemptBlocked as blocked:
        return render_template(
            "learn/attempt_blocked.html",
            course=course,
            module=module,
            text=text,
            decision=blocked.decision,
            wait=blocked.decision.not_before - utcnow() if blocked.decision.not_before else None,
        ), 409
    return redirect(url_for("learn.attempt_result", slug=slug, module_slug=module_slug, attempt_id=attempt.id))


@bp.route("/courses/<slug>/<module_slug>/attempts/<int:attempt_id>")
@login_required
def attempt_result(slug: str, module_slug: str, attempt_id: int):
    course = _course_or_404(slug)
    module = _module_or_404(course, module_slug)
    enrolment = _enrolment_or_404(course)
    attempt = db.session.get(QuizAttempt, attempt_id)
    if (
        attempt is None
        or attempt.enrolment_id != enrolment.id
        or attempt.module_slug != module.slug
        or attempt.submitted_at is None
    ):
        abort(404)
    db.session.refresh(enrolment)
    decision, review = review_of(course, module, enrolment)
    return render_template(
        "learn/result.html",
        course=course,
        module=module,
        attempt=attempt,
        enrolment=enrolment,
        result=attempt.result,
        attempts_left=decision.attempts_left,
        decision=decision,
        review=review,
        policy=review_policy(course, module),
        wait=decision.not_before - utcnow() if decision.not_before else None,
    )


@bp.route("/dashboard/")
@login_required
def dashboard():
    enrolments = (
        db.session.execute(
            select(Enrolment).filter_by(user_id=current_user.id).order_by(Enrolment.last_activity_at.desc())
        )
        .scalars()
        .all()
    )
    courses = {e.id: library().get(e.course_slug) for e in enrolments if library().get(e.course_slug)}
    progress = load_progress(courses, list(courses))
    certificates = (
        db.session.execute(
            select(Certificate).filter_by(user_id=current_user.id).order_by(Certificate.issued_at.desc())
        )
        .scalars()
        .all()
    )
    in_progress = [e for e in enrolments if e.id in courses and e.completed_at is None]
    done = [e for e in enrolments if e.id in courses and e.completed_at is not None]
    return render_template(
        "learn/dashboard.html",
        in_progress=in_progress,
        done=done,
        courses=courses,
        progress=progress,
        certificates=certificates,
        # Announcements are posted to cohorts: a learner in none (most learners) has none, and is spared the query.
        announcements=recent_announcements(current_user) if any(e.cohort_id for e in enrolments) else [],
    )


# Joining a cohort by its code (the trainer area creates cohorts; this is the learner's side).
# Only codes that lead nowhere count, per address, over both ways of trying one: a typo costs one of them,
# an attempt to guess the codes of other groups runs out quickly.
JOIN_FAILURE_LIMIT = "30 per 15 minutes"


def _join_code_missed(response) -> bool:
    return response.status_code in (400, 404)


@bp.route("/join", methods=["GET", "POST"])
@limiter.shared_limit(JOIN_FAILURE_LIMIT, scope="join-code", methods=["POST"], deduct_when=_join_code_missed)
def join():
    form = JoinForm()
    if form.validate_on_submit():
        if cohort_by_join_code(form.code.data) is not None:
            return redirect(url_for("learn.join_cohort", code=normalise_join_code(form.code.data)))
        form.code.errors.append(_("No open cohort has this code. Check it with your trainer."))
    return render_template("learn/join.html", form=form), 400 if form.errors else 200


@bp.route("/join/<code>", methods=["GET", "POST"])
@limiter.shared_limit(JOIN_FAILURE_LIMIT, scope="join-code", deduct_when=_join_code_missed)
def join_cohort(code: str):
    cohort = cohort_by_join_code(code)
    course = library().get(cohort.course_slug) if cohort else None
    if cohort is None or course is None:
        abort(404)
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        return redirect(join_and_tell(current_user, cohort, course))
    return render_template(
        "learn/join_cohort.html", cohort=cohort, course=course, enrolment=find_enrolment(current_user, course.slug)
    )
