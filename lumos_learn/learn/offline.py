"""What saving a course for offline use stores: the per-course manifest the browser saves from.

The service worker (static/sw.js, served at /sw.js) answers from what the page saved when the network fails.
The manifest lists, for one course in one reading language and one interface language:
- pages: the course page, every lesson, every job aid, the dashboard (each with its title, for the offline page);
- files: the site's stylesheets and scripts (content-hashed names), the images the lessons and aids show, and
  the offline page itself.
`bytes` are what the saved copy takes on the device: exact for files, estimated for pages (their rendered text
plus the page layout), since pages are made per learner when they are fetched. `version` is the course version:
the browser saves again when it changes, or when the reading language does.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from flask import current_app, url_for

from ..content import Course
from ..content.job_aids import JobAid

# The layout around a lesson's own text (header, navigation, forms, footer): with these, the estimate of the
# shipped courses' pages came within 15% of their real size (a little above it, Cyrillic pages closest).
PAGE_LAYOUT_BYTES = 8_000
QUIZ_QUESTION_BYTES = 1_800  # the form markup of one question, besides its text
# What a saved copy needs from static/: everything a saved page links to, and the page-side offline script.
STATIC_FILES = ("css/site.css", "css/print.css", "js/forms.js", "js/quiz.js", "js/offline.js", "img/favicon.svg")
_MEDIA_SRC = re.compile(r'src="(/media/[^"]+)"')


def offline_manifest(course: Course, reading_language: str) -> dict:
    pages = [_page(url_for("learn.course", slug=course.slug), course.text("title", reading_language)[0], 4_000)]
    media: set[str] = set()
    for module in course.modules:
        text = module.text(reading_language)
        questions = len(text.quiz.questions) if text.quiz else 0
        estimate = len(text.html.encode()) + PAGE_LAYOUT_BYTES + questions * QUIZ_QUESTION_BYTES
        if text.quiz:
            estimate += sum(len(q.text_html.encode()) for q in text.quiz.questions)
        pages.append(_page(url_for("learn.lesson", slug=course.slug, module_slug=module.slug), text.title, estimate))
        media.update(_MEDIA_SRC.findall(text.html))
    for aid in course.job_aids:
        pages.append(_aid_page(course, aid, reading_language))
        media.update(_MEDIA_SRC.findall(aid.text(reading_language).html))
    pages.append(_page(url_for("learn.dashboard"), None, 5_000))
    files = [_static_file(name) for name in STATIC_FILES]
    files += [_media_file(course, url) for url in sorted(media)]
    files.append({"url": url_for("learn.offline_page"), "bytes": 3_500})
    return {
        "course": course.slug,
        "version": course.version,
        "language": reading_language,
        "title": course.text("title", reading_language)[0],
        "pages": pages,
        "files": files,
        "bytes": sum(item["bytes"] for item in pages + files),
    }


def offline_bytes(course: Course, reading_language: str) -> int:
    return offline_manifest(course, reading_language)["bytes"]


def _page(url: str, title: str | None, estimate: int) -> dict:
    return {"url": url, "title": title, "bytes": estimate}


def _aid_page(course: Course, aid: JobAid, lang: str) -> dict:
    text = aid.text(lang)
    url = url_for("learn.job_aid", slug=course.slug, aid_slug=aid.slug)
    return _page(url, text.title, len(text.html.encode()) + PAGE_LAYOUT_BYTES)


def _static_file(name: str) -> dict:
    hashed = current_app.extensions["static_manifest"][name]
    path = Path(current_app.instance_path) / "static-hashed" / hashed
    return {"url": f"/static/{hashed}", "bytes": path.stat().st_size}


def _media_file(course: Course, url: str) -> dict:
    name = unquote(url.split("/", 3)[3].split("?", 1)[0])  # media URLs carry ?v=<file hash>
    return {"url": url, "bytes": (Path(course.path) / "media" / name).stat().st_size}
