"""Trainer area: cohorts, enrolment by code or CSV, progress grid, item analysis, confidence, impact, exports.

Every view is `trainer_required` (a learner gets 403) and takes its cohort through
`cohort_for_trainer` (another trainer's cohort is a 404). Views translate HTTP; the work is in
cohorts.py, csv_import.py, grid.py, item_report.py, confidence_report.py, impact.py and exports.py.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import trainer_required
from ..assignments.queue import status_counts as assignment_counts
from ..assignments.reports import assessed_work, markings_of, submissions_of
from ..assignments.services import assesses_any_course, marking_scope, self_assessed
from ..auth.services import find_user_by_email
from ..content import Course
from ..course_library import library
from ..extensions import db
from ..forms_common import PROFESSIONAL_ROLE_LABELS
from ..i18n import LANGUAGES
from ..learn.progress import progress_of
from ..models import Cohort, CohortImport, ConfidenceRating, Enrolment, QuizAttempt, User, utcnow
from ..public_url import public_base_url
from . import bp
from .attempt_grants import GrantRefused, grant_attempt, grants_of
from .charts import confidence_chart
from .cohorts import (
    CoTrainerProblem,
    add_co_trainer,
    cohort_for_trainer,
    cohort_list,
    create_cohort,
    enrolment_in_cohort,
    enrolment_scope,
    remove_co_trainer,
    visible_cohorts,
)
from .confidence_report import confidence_shift
from .csv_import import (
    AlreadyImported,
    CsvProblem,
    check_csv,
    decode_csv,
    import_rows,
    importable,
    plan_import,
    save_checked,
    skipped,
)
from .exports import CSV_MIMETYPE, XLSX_MIMETYPE, grid_table, module_done, report_table, to_csv, to_xlsx
from .forms import CohortForm, CoTrainerForm, ImportForm, ReportForm
from .grid import STATUSES, STUCK_AFTER_DAYS, cohort_progress_grid, status_counts
from .impact import DIMENSIONS, impact_report
from .item_analysis import LANGUAGE_GAP, MIN_ANSWERS_PER_LANGUAGE
from .item_report import describe_response, item_rows, question_text

EXPORT_FORMATS = ("csv", "xlsx")


def _lang() -> str:
    return str(get_locale())


def _course_of(cohort: Cohort) -> Course:
    course = library().get(cohort.course_slug)
    if course is None:  # the course was removed from the files: nothing to show against
        abort(404)
    return course


def _download(data: bytes, filename: str, fmt: str) -> Response:
    response = Response(data, mimetype=CSV_MIMETYPE if fmt == "csv" else XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# -- Cohorts ---------------------------------------------------------------------------------------


@bp.route("/")
@trainer_required
def cohorts():
    return render_template(
        "trainer/cohorts.html",
        cohorts=cohort_list(current_user),
        courses=library(),
        assesses=assesses_any_course(current_user),
    )


@bp.route("/cohorts/new", methods=["GET", "POST"])
@trainer_required
def new_cohort():
    form = CohortForm(library().courses, lang=_lang())
    if form.validate_on_submit():
        cohort = create_cohort(
            current_user,
            library().get(form.course.data),
            name=form.name.data,
            language=form.language.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            deadline=form.deadline.data,
        )
        flash(
            _("Cohort created. Share the join link or code with your learners, or import them from a CSV file."),
            "success",
        )
        return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
    if request.method == "GET" and not form.language.data:
        form.language.data = _lang()
    return render_template("trainer/cohort_new.html", form=form), 400 if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/")
@trainer_required
def cohort(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    return _cohort_page(cohort, CoTrainerForm())


def _cohort_page(cohort: Cohort, trainer_form: CoTrainerForm):
    course = _course_of(cohort)
    join_url = public_base_url() + url_for("learn.join_cohort", code=cohort.join_code, lang=cohort.language)
    return render_template(
        "trainer/cohort.html",
        cohort=cohort,
        course=course,
        counts=status_counts(cohort, utcnow()),
        marking=assignment_counts(marking_scope(course, cohort.id)) if course and course.assignment_modules else None,
        join_url=join_url,
        trainer_form=trainer_form,
    )


@bp.route("/cohorts/<int:cohort_id>/trainers", methods=["POST"])
@trainer_required
def add_trainer(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    form = CoTrainerForm()
    if form.validate_on_submit():
        person = find_user_by_email(form.email.data)
        try:
            add_co_trainer(current_user, cohort, person)
        except CoTrainerProblem as problem:
            messages = {
                "not_trainer": _(
                    "There is no trainer account with this email address. An administrator can "
                    "give an account the trainer role."
                ),
                "already": _("This person already trains this cohort."),
            }
            form.email.errors.append(messages[str(problem)])
        else:
            flash(_("%(name)s now trains this cohort.", name=person.full_name), "success")
            return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
    return _cohort_page(cohort, form), 400


@bp.route("/cohorts/<int:cohort_id>/trainers/<int:user_id>/remove", methods=["POST"])
@trainer_required
def remove_trainer(cohort_id: int, user_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    try:  # the CSRF token is checked by CSRFProtect for every POST
        remove_co_trainer(current_user, cohort, user_id)
    except CoTrainerProblem:
        flash(_("A cohort needs at least one trainer. Add another trainer before removing this one."), "error")
    else:
        flash(_("The trainer was removed from this cohort."), "success")
    if user_id == current_user.id and not current_user.is_admin:
        return redirect(url_for("trainer.cohorts"))
    return redirect(url_for("trainer.cohort", cohort_id=cohort.id))


# -- CSV import ------------------------------------------------------------------------------------


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@trainer_required
def import_learners(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    form = ImportForm()
    status = 200
    if form.validate_on_submit():
        storage = form.file.data
        try:
            rows = check_csv(decode_csv(storage.read(), form.encoding.data), cohort.language)
        except CsvProblem as problem:
            form.file.errors.append(str(problem))
            status = 400
        else:
            invalid = [r for r in rows if r.errors]
            if len(invalid) == len(rows):  # nothing to import: say why, row by row
                return render_template(
                    "trainer/import_preview.html",
                    cohort=cohort,
                    rows=rows,
                    invalid=invalid,
                    batch=None,
                    planned=None,
                    filename=storage.filename,
                ), 400
            batch = save_checked(current_user, cohort, storage.filename or "", rows)
            return redirect(url_for("trainer.import_preview", cohort_id=cohort.id, batch_id=batch.id))
    elif form.errors:
        status = 413 if form.file_too_large else 400
    return render_template("trainer/import.html", cohort=cohort, form=form), status


@bp.route("/cohorts/<int:cohort_id>/import/template.csv")
@trainer_required
def import_template(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    data = to_csv(
        ["name", "email", "language", "organisation", "role"],
        [["Ana Rusu", "ana.rusu@example.org", cohort.language, "Liceul Teoretic", "teacher"]],
    )
    return _download(data, "learners", "csv")


def _batch_or_404(cohort: Cohort, batch_id: int) -> CohortImport:
    batch = db.session.get(CohortImport, batch_id)
    if batch is None or batch.cohort_id != cohort.id:
        abort(404)
    return batch


@bp.route("/cohorts/<int:cohort_id>/import/<int:batch_id>", methods=["GET", "POST"])
@trainer_required
def import_preview(cohort_id: int, batch_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    batch = _batch_or_404(cohort, batch_id)
    course = _course_of(cohort)
    if request.method == "POST":
        try:
            result = import_rows(current_user, cohort, course, batch)
        except AlreadyImported:
            flash(_("This file has already been imported."), "error")
            return redirect(url_for("trainer.grid", cohort_id=cohort.id))
        if skipped_rows := skipped(batch.rows):
            flash(
                ngettext(
                    "%(num)d row with problems was skipped: correct it and upload it again.",
                    "%(num)d rows with problems were skipped: correct them and upload them again.",
                    len(skipped_rows),
                ),
                "info",
            )
        flash(
            _(
                "Import complete: %(created)d new accounts invited, %(enrolled)d learners added to the cohort, "
                "%(already)d already in it, %(other)d left in another cohort.",
                created=result.created,
                enrolled=result.enrolled,
                already=result.already,
                other=result.other_cohort,
            ),
            "success",
        )
        return redirect(url_for("trainer.grid", cohort_id=cohort.id))
    planned = plan_import(cohort, importable(batch.rows)) if batch.confirmed_at is None else None
    return render_template(
        "trainer/import_preview.html",
        cohort=cohort,
        rows=None,
        invalid=[],
        batch=batch,
        planned=planned,
        skipped=skipped(batch.rows),
        filename=batch.filename,
    )


# -- Progress grid and learner detail --------------------------------------------------------------


def _grid_args() -> dict:
    return {
        "status": request.args.get("status", "all"),
        "sort": request.args.get("sort", "name"),
        "descending": request.args.get("dir") == "desc",
        "query": request.args.get("q", "")[:100],
    }


@bp.route("/cohorts/<int:cohort_id>/progress")
@trainer_required
def grid(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    course = _course_of(cohort)
    grid = cohort_progress_grid(cohort, course, page=request.args.get("page", 1, type=int), **_grid_args())
    return render_template(
        "trainer/grid.html",
        cohort=cohort,
        course=course,
        grid=grid,
        statuses=STATUSES,
        stuck_days=STUCK_AFTER_DAYS,
        module_done=module_done,
    )


@bp.route("/cohorts/<int:cohort_id>/progress.<fmt>")
@trainer_required
def export_grid(cohort_id: int, fmt: str):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    cohort = cohort_for_trainer(cohort_id, current_user)
    course = _course_of(cohort)
    grid = cohort_progress_grid(cohort, course, per_page=None, **_grid_args())
    headers, rows = grid_table(grid, course, cohort.language if cohort.language in course.languages else _lang())
    data = to_csv(headers, rows) if fmt == "csv" else to_xlsx(_("Progress"), headers, rows)
    return _download(data, f"cohort-{cohort.id}-progress", fmt)


@bp.route("/cohorts/<int:cohort_id>/learners/<int:enrolment_id>")
@trainer_required
def learner(cohort_id: int, enrolment_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    enrolment = enrolment_in_cohort(cohort, enrolment_id)
    course = _course_of(cohort)
    attempts = (
        db.session.execute(
            select(QuizAttempt)
            .filter_by(enrolment_id=enrolment.id)
            .where(QuizAttempt.submitted_at.is_not(None))
            .order_by(QuizAttempt.submitted_at)
        )
        .scalars()
        .all()
    )
    ratings = db.session.execute(select(ConfidenceRating).filter_by(enrolment_id=enrolment.id)).scalars().all()
    confidence = {(r.statement_id, r.phase): r.rating for r in ratings}
    return render_template(
        "trainer/learner.html",
        cohort=cohort,
        course=course,
        enrolment=enrolment,
        person=db.session.get(User, enrolment.user_id),
        progress=progress_of(course, enrolment),
        attempts=attempts,
        confidence=confidence,
        module_done=module_done,
        grants=grants_of(enrolment),
        submissions=submissions_of(enrolment) if course.assignment_modules else [],
        markings=markings_of(enrolment) if course.assignment_modules else [],
        self_assessed=self_assessed(course, enrolment),
    )


@bp.route("/cohorts/<int:cohort_id>/learners/<int:enrolment_id>/extra-attempt", methods=["POST"])
@trainer_required
def extra_attempt(cohort_id: int, enrolment_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    enrolment = enrolment_in_cohort(cohort, enrolment_id)
    course = _course_of(cohort)
    try:  # the CSRF token is checked by CSRFProtect for every POST
        grant_attempt(current_user, cohort, enrolment, course, request.form.get("module", ""))
    except GrantRefused as refused:
        messages = {
            "no_module": _("Choose a graded assessment of this course."),
            "unlimited": _("This course has no limit on attempts: the learner can try again already."),
            "passed": _("The learner has already passed this assessment."),
        }
        flash(messages[str(refused)], "error")
    else:
        flash(_("The learner can now take the assessment one more time."), "success")
    return redirect(url_for("trainer.learner", cohort_id=cohort.id, enrolment_id=enrolment.id, _anchor="attempts"))


# -- Quiz item analysis and confidence shift -------------------------------------------------------


def _render_items(course: Course, scope, *, cohort: Cohort | None):
    lang = _lang() if _lang() in course.languages else course.source_language
    rows = item_rows(course, scope, lang)
    return render_template(
        "trainer/items.html",
        cohort=cohort,
        course=course,
        rows=rows,
        lang=lang,
        describe_response=describe_response,
        question_text=question_text,
        LANGUAGE_NAMES=LANGUAGES,
        language_gap=LANGUAGE_GAP,
        min_per_language=MIN_ANSWERS_PER_LANGUAGE,
    )


@bp.route("/cohorts/<int:cohort_id>/items")
@trainer_required
def cohort_items(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    return _render_items(_course_of(cohort), Enrolment.cohort_id == cohort.id, cohort=cohort)


@bp.route("/courses/<slug>/items")
@trainer_required
def course_items(slug: str):
    course = library().get(slug)
    if course is None:
        abort(404)
    if (
        not current_user.is_admin
        and not db.session.execute(visible_cohorts(current_user).where(Cohort.course_slug == slug).limit(1)).first()
    ):
        abort(404)
    return _render_items(course, enrolment_scope(current_user), cohort=None)


@bp.route("/cohorts/<int:cohort_id>/confidence")
@trainer_required
def confidence(cohort_id: int):
    cohort = cohort_for_trainer(cohort_id, current_user)
    course = _course_of(cohort)
    lang = _lang()
    shifts = confidence_shift(course, Enrolment.cohort_id == cohort.id, lang)
    chart = None
    if any(s.before_n or s.after_n for s in shifts):
        chart = confidence_chart(
            "confidence-chart",
            _("Mean confidence before and after the course, by statement"),
            _(
                "Mean rating from 1 (not at all confident) to 5 (fully confident), before and after, for each numbered "
                "statement in the table below."
            ),
            [(str(n), s.before_mean, s.after_mean) for n, s in enumerate(shifts, start=1)],
            _("Before"),
            _("After"),
            number=lambda v: format_decimal(v, format="0.0"),
        )
    return render_template("trainer/confidence.html", cohort=cohort, course=course, shifts=shifts, chart=chart)


# -- Impact report ---------------------------------------------------------------------------------


def _report_from_request():
    form = ReportForm(request.args)
    lang = _lang()
    visible_slugs = None
    if not current_user.is_admin:
        visible_slugs = set(
            db.session.execute(visible_cohorts(current_user).with_only_columns(Cohort.course_slug)).scalars()
        )
    courses = [c for c in library().courses if visible_slugs is None or c.slug in visible_slugs]
    form.course.choices = [("", _("All courses"))] + [(c.slug, c.text("title", lang)[0]) for c in courses]
    valid = form.validate()
    start, end = (form.start.data, form.end.data) if valid else (None, None)
    course_slug = form.course.data if valid and form.course.data else None
    report = impact_report(enrolment_scope(current_user), courses, start, end, course_slug)
    return form, report, valid


def _group_namer():
    lang = _lang()
    territories = get_locale().territories

    def name(dimension: str, key: str) -> str:
        if dimension == "course":
            course = library().get(key)
            return course.text("title", lang)[0] if course else key
        if dimension == "country":
            return territories.get(key, key) if key else _("Not given")
        if dimension == "role":
            return str(PROFESSIONAL_ROLE_LABELS.get(key, key))
        return key or _("Not given")

    return name


@bp.route("/report")
@trainer_required
def report():
    form, report, valid = _report_from_request()
    course_slug = form.course.data if valid and form.course.data else None
    return render_template(
        "trainer/report.html",
        form=form,
        report=report,
        assessed=assessed_work(enrolment_scope(current_user), report.start, report.end, course_slug),
        dimensions=DIMENSIONS,
        group_name=_group_namer(),
        top=20,
        export_args=request.args.to_dict(),
    ), 200 if valid else 400


@bp.route("/report.<fmt>")
@trainer_required
def export_report(fmt: str):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    _form, report, valid = _report_from_request()
    if not valid:
        abort(400)
    headers, rows = report_table(report, _group_namer())
    data = to_csv(headers, rows) if fmt == "csv" else to_xlsx(_("Impact report"), headers, rows)
    return _download(data, "impact-report", fmt)
