"""Paper for the workplace: job-aid pages, and PDFs (lessons, job aids) and XLSX (worksheets) made on the server.

All public, like the lessons they come from: a card for the kitchen wall needs no account. The language is the
one asked for (`?content=bg`, what the links on the pages carry), else the learner's reading language, else the
interface language; a text not translated comes in the course's source language, and the page says so.
"""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request, session
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import escape

from ..content import Course
from ..content.assignment import Assignment
from ..content.job_aids import JobAid, find_aid
from ..course_library import library
from ..printing.pdf import PrintPage, render_pdf
from ..printing.worksheet import worksheet_xlsx
from . import bp
from .enrolment import content_language_for, find_enrolment

PUBLIC_MAX_AGE = 3600  # content changes only with a release; an hour keeps a reprint cheap


def _course_or_404(slug: str) -> Course:
    course = library().get(slug)
    if course is None:
        abort(404)
    return course


def _aid_or_404(course: Course, aid_slug: str) -> JobAid:
    aid = find_aid(course, aid_slug)
    if aid is None:
        abort(404)
    return aid


def print_language(course: Course) -> str:
    enrolment = find_enrolment(current_user, course.slug)
    return content_language_for(
        course,
        request.args.get("content"),
        enrolment.content_language if enrolment else None,
        str(get_locale()),
    )


def _file(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if current_user.is_anonymous:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


def _version_line(course: Course, lang: str) -> str:
    title, _lang = course.text("title", lang)
    with force_locale(lang):  # the header is part of the paper, so in the paper's language, not the interface's
        return _("%(course)s · version %(version)s", course=title, version=course.version)


@bp.route("/courses/<slug>/aids/<aid_slug>/")
def job_aid(slug: str, aid_slug: str):
    course = _course_or_404(slug)
    aid = _aid_or_404(course, aid_slug)
    reading_language = print_language(course)
    text = aid.text(reading_language)
    response = Response(
        render_template(
            "learn/job_aid.html",
            course=course,
            aid=aid,
            text=text,
            module=course.module(aid.module_slug),
            reading_language=reading_language,
        )
    )
    if current_user.is_anonymous and not session.get("_flashes"):  # a page showing a message is not kept
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.vary.add("Cookie")
    return response


@bp.route("/courses/<slug>/aids/<aid_slug>.pdf")
def job_aid_pdf(slug: str, aid_slug: str):
    course = _course_or_404(slug)
    aid = _aid_or_404(course, aid_slug)
    text = aid.text(print_language(course))
    page = PrintPage(
        lang=text.lang,
        title=text.title,
        html=text.html,
        header=_version_line(course, text.lang),
        footer=current_app.config["SITE_NAME"],
        media_dir=f"{course.path}/media",
        compact=aid.kind in ("card", "checklist"),
    )
    data = render_pdf(page, ("aid", course.slug, aid.slug, text.content_hash, page.header, page.footer))
    return _file(data, "application/pdf", f"{aid.slug}.{text.lang}.pdf")


@bp.route("/courses/<slug>/aids/<aid_slug>.xlsx")
def job_aid_xlsx(slug: str, aid_slug: str):
    course = _course_or_404(slug)
    aid = _aid_or_404(course, aid_slug)
    text = aid.text(print_language(course))
    if text.worksheet is None:
        abort(404)
    data = worksheet_xlsx(text.worksheet, text.title)
    return _file(
        data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{aid.slug}.{text.lang}.xlsx"
    )


def _assignment_on_paper(assignment: Assignment, lang: str) -> str:
    """The task, the case and the rubric, so that the work can be prepared away from a screen; never the model
    answer, which a self-assessing learner sees only after submitting. Course HTML is sanitised already; the titles
    are escaped here."""
    with force_locale(lang):
        parts = [f"<h2>{escape(_('Assignment'))}: {escape(assignment.title)}</h2>", f"<h3>{escape(_('Task'))}</h3>"]
        parts.append(assignment.task_html)
        if assignment.case_html:
            parts += [f"<h3>{escape(_('Case'))}</h3>", assignment.case_html]
        parts.append(f"<h3>{escape(_('Rubric'))}</h3>")
        for criterion in assignment.criteria:
            essential = f" ({escape(_('essential'))})" if criterion.essential else ""
            parts.append(f"<h4>{escape(criterion.title)}{essential}</h4><ul>")
            for level in criterion.levels:
                points = ngettext("%(num)s point", "%(num)s points", level.points)
                parts.append(f"<li><b>{escape(level.title)}</b> ({escape(points)}): {level.descriptor_html}</li>")
            parts.append("</ul>")
    return "".join(parts)


@bp.route("/courses/<slug>/<module_slug>/lesson.pdf")
def lesson_pdf(slug: str, module_slug: str):
    course = _course_or_404(slug)
    module = course.module(module_slug)
    if module is None:
        abort(404)
    text = module.text(print_language(course))
    with force_locale(text.lang):  # see _version_line
        header = _(
            "%(course)s · Module %(number)d of %(total)d · version %(version)s",
            course=course.text("title", text.lang)[0],
            number=module.position + 1,
            total=len(course.modules),
            version=course.version,
        )
    page = PrintPage(
        lang=text.lang,
        title=text.title,
        html=text.html + (_assignment_on_paper(text.assignment, text.lang) if text.assignment else ""),
        header=header,
        footer=current_app.config["SITE_NAME"],
        media_dir=f"{course.path}/media",
    )
    data = render_pdf(page, ("lesson", course.slug, module.slug, text.content_hash, header, page.footer))
    return _file(data, "application/pdf", f"{module.number:02d}-{module.slug}.{text.lang}.pdf")


@bp.app_template_global("aids_of_module")
def _aids_of_module(course: Course, module_slug: str):
    from ..content.job_aids import aids_of_module

    return aids_of_module(course, module_slug)
