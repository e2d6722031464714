"""Markdown (and the HTML of imported Moodle questions) -> sanitised HTML, with course links checked.

Rendering happens once, at load time. Every link and image goes through `_filter_attribute`, whether it
came from Markdown syntax or from raw HTML, so there is one policy: images only from the course's `media/`,
links only to the web (http, https, mailto), to an anchor, or to another module of the course.
"""

from __future__ import annotations

import contextvars
import hashlib
import html
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

import markdown as markdown_lib
import nh3
from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import slugify_unicode as toc_slugify_unicode

from .problems import ProblemLog

ADMONITION_TYPES = ("case", "key", "warning", "note", "tip")
EXTENSIONS = ("tables", "footnotes", "def_list", "admonition", "toc")

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    **{h: {"id"} for h in ("h1", "h2", "h3", "h4", "h5", "h6")},
    "sup": {"id"},
    "li": {"id"},
}
_CLASSES = {
    "div": {"admonition", "footnote", *ADMONITION_TYPES},
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
}
# An id starts with a letter of any script: Bulgarian and Ukrainian headings have Cyrillic anchors.
_SAFE_ID = re.compile(r"^[^\W\d_][\w:.-]*$")
_MODULE_LINK = re.compile(r"^(\d{2})-([a-z0-9][a-z0-9-]*)(\.[a-z]{2,3})?\.md(?:#(.*))?$")
_WEB_LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)


@dataclass
class LinkContext:
    """What a course allows links and images to point at. `module_links` records links for a later anchor check."""

    course_slug: str
    module_numbers: dict[str, int]
    media_dir: Path | None
    module_links: list[tuple[str, str, str, int]] = field(default_factory=list)  # (path, slug, anchor, line)
    # how a page rendered from this text reaches a lesson: lessons sit side by side; job aids one folder deeper
    module_link_prefix: str = "../"


@dataclass
class _Render:
    """State of one render call, read by the sanitiser's attribute callback."""

    context: LinkContext | None
    issues: list[tuple[str, str]] = field(default_factory=list)  # (url as written, message)
    module_targets: list[tuple[str, str, str]] = field(default_factory=list)  # (url, slug, anchor)
    rejected_images: int = 0
    written_as: dict[str, str] = field(default_factory=dict)  # rewritten image URL -> URL in the source


_current: contextvars.ContextVar[_Render] = contextvars.ContextVar("lumos_render")


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    state = _current.get()
    if attr == "id":
        return value if _SAFE_ID.match(value) else None
    if tag == "a" and attr == "href":
        return _check_link(state, value)
    if tag == "img" and attr == "src":
        return _check_image(state, value)
    return value


def _check_link(state: _Render, url: str) -> str | None:
    if url.startswith("#") or _WEB_LINK.match(url):
        return url
    match = _MODULE_LINK.match(url)
    ctx = state.context
    if match and ctx is not None:
        number, slug, lang_suffix, anchor = match.groups()
        if lang_suffix:
            state.issues.append((url, f"link to a module without the language: {number}-{slug}.md"))
            return None
        if slug not in ctx.module_numbers:
            state.issues.append((url, f"link to unknown module '{slug}'"))
            return None
        expected = ctx.module_numbers[slug]
        if int(number) != expected:
            state.issues.append((url, f"module '{slug}' is number {expected:02d}: link to {expected:02d}-{slug}.md"))
            return None
        state.module_targets.append((url, slug, anchor or ""))
        return f"{ctx.module_link_prefix}{slug}/" + (f"#{anchor}" if anchor else "")
    state.issues.append(
        (url, f"link '{url}' not allowed: use https://..., mailto:, #anchor or another module's NN-slug.md")
    )
    return None


def _check_image(state: _Render, src: str) -> str | None:
    result = _image_url(state, src)
    if result is None:
        state.rejected_images += 1
    else:
        state.written_as[result] = src
    return result


def _image_url(state: _Render, src: str) -> str | None:
    ctx = state.context
    if ctx is None or ctx.media_dir is None:
        state.issues.append((src, f"image '{src}' not allowed here: images belong in module text, from media/"))
        return None
    name = unquote(src)[len("media/") :] if src.startswith("media/") else None
    if not name or ".." in Path(name).parts or name.startswith("/"):
        state.issues.append((src, f"image '{src}' must be a file in this course's media/ folder"))
        return None
    path = ctx.media_dir / name
    if not path.is_file():
        state.issues.append((src, f"image file not found: media/{name}"))
        return None
    # The file's hash in the URL: media are cached for a week, and a redrawn diagram must reach learners at once.
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"/media/{ctx.course_slug}/{quote(name)}?v={version}"


_cleaner = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags={"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript"},
    attributes=_ATTRIBUTES,
    allowed_classes=_CLASSES,
    attribute_filter=_filter_attribute,
    filter_style_properties={"text-align"},
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    strip_comments=True,
)
_NO_ALT = "image needs a text description (alt text)"
# a line that shows an image without a description: ![](...), ![ ](...) or <img> without alt
_EMPTY_ALT_SOURCE = re.compile(r"!\[\s*\]\(|<img(?![^>]*\balt=\s*[\"'][^\"'\s])", re.IGNORECASE)
_EXTERNAL_A = re.compile(r'<a (?=[^>]*href="(?:https?:|mailto:))', re.IGNORECASE)
_IMG = re.compile(r"<img\b[^>]*>")
# Markdown writes a table column's alignment as an inline style, which the site's CSP (no inline styles) blocks
# with a console error: it becomes a class of the stylesheet instead.
_CELL_ALIGN = re.compile(r'<(th|td) style="text-align: ?(left|center|right);?">')
_ALT = re.compile(r'\balt="([^"]*)"')


def _sanitise(raw_html: str, state: _Render) -> str:
    token = _current.set(state)
    try:
        clean = _cleaner.clean(raw_html)
    finally:
        _current.reset(token)
    # rel is added after cleaning, to web links only, so that authors cannot set it themselves
    clean = _EXTERNAL_A.sub('<a rel="noopener noreferrer" ', clean)
    clean = _CELL_ALIGN.sub(r'<\1 class="align-\2">', clean)
    images = _IMG.findall(clean)
    # images whose src the sanitiser dropped for its scheme (data:, javascript:) were not reported yet
    unreported = sum('src="' not in img for img in images) - state.rejected_images
    state.issues.extend([("![", "image source not allowed: use a file in media/")] * max(0, unreported))
    for img in images:
        alt = _ALT.search(img)
        if not alt or not alt.group(1).strip():
            src = re.search(r'src="([^"]*)"', img)
            url = state.written_as.get(src.group(1), src.group(1)) if src else "!["
            state.issues.append((url, _NO_ALT))
    return clean


_local = threading.local()


def _slug(text: str, separator: str) -> str:
    """Latin headings keep their ASCII anchors (links such as 01-x.md#proc-ustavy-skodi depend on them); a heading
    with no Latin letters (Cyrillic) gets a Unicode anchor instead of an empty one that the sanitiser would drop."""
    latin = toc_slugify(text, separator)
    return latin if re.search("[a-z]", latin) else toc_slugify_unicode(text, separator)


def _markdown() -> markdown_lib.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown_lib.Markdown(
            extensions=list(EXTENSIONS), extension_configs={"toc": {"slugify": _slug}}, output_format="html"
        )
        _local.md = md
    md.reset()
    return md


def _report(state: _Render, log: ProblemLog, source: str, first_line: int, fallback_line: int) -> None:
    """Turn render issues into problems at the line where the URL is written (nth occurrence for repeats)."""
    lines = source.split("\n")
    seen: dict[str, int] = {}
    for url, message in state.issues:
        nth = seen.get(url, 0)
        seen[url] = nth + 1
        found = [i for i, text in enumerate(lines) if url in text or html.escape(url) in text]
        if message == _NO_ALT:
            found = [i for i in found if _EMPTY_ALT_SOURCE.search(lines[i])] or found
            nth = 0
        line = first_line + found[min(nth, len(found) - 1)] if found else fallback_line
        log.add(line, message)
    ctx = state.context
    if ctx is not None:
        for url, slug, anchor in state.module_targets:
            found = [i for i, text in enumerate(lines) if url in text]
            line = first_line + found[0] if found else fallback_line
            ctx.module_links.append((log.path, slug, anchor, line))


_HEADING_1 = re.compile(r"^ {0,3}#(?:\s|$)")
_SETEXT_1 = re.compile(r"^ {0,3}=+\s*$")
_ADMONITION = re.compile(r'^\s*!!!\s*([\w-]+(?: +[\w-]+)*)?(?: *"(.*?)")?\s*$')


def _check_body_lines(text: str, log: ProblemLog, first_line: int) -> None:
    """Checks that need source lines: level-1 headings and admonition types."""
    previous = ""
    for i, line in enumerate(text.split("\n")):
        number = first_line + i
        if _HEADING_1.match(line):
            log.add(number, "level-1 heading: the page prints the module title; start headings at ## (level 2)")
        elif _SETEXT_1.match(line) and previous.strip() and not previous.lstrip().startswith(("-", "*", "|")):
            log.add(number - 1, "level-1 heading (underlined with ===): start headings at ## (level 2)")
        admonition = _ADMONITION.match(line)
        if admonition:
            kinds = (admonition.group(1) or "").split()
            if len(kinds) != 1 or kinds[0] not in ADMONITION_TYPES:
                log.add(number, f'box type must be one of {", ".join(ADMONITION_TYPES)}: !!! note "Title"')
        previous = line


def render_body(text: str, context: LinkContext | None, log: ProblemLog, first_line: int):
    """A module body -> (sanitised HTML, table of contents as (level, id, text)). Problems go to `log`."""
    _check_body_lines(text, log, first_line)
    md = _markdown()
    raw = md.convert(text)
    toc: list[tuple[int, str, str]] = []

    def walk(tokens):
        for t in tokens:
            toc.append((t["level"], t["id"], html.unescape(t["name"])))
            walk(t["children"])

    walk(getattr(md, "toc_tokens", []))
    state = _Render(context)
    clean = _sanitise(raw, state)
    _report(state, log, text, first_line, first_line)
    return _frame_tables_and_images(clean), tuple(toc)


# Tags the post-processing below steps through, in document order, in already sanitised HTML.
_LAYOUT_TAG = re.compile(r'<h[2-6] id="([^"]+)">|<(/?)(a|table)\b[^>]*>|<img\b[^>]*\bsrc="([^"]+)"[^>]*>')
_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def _table_label(table_html: str) -> str:
    """A table's name when no heading precedes it: its column headings (escaped, in the module's language)."""
    cells = [html.unescape(_TAGS.sub("", cell)).strip() for cell in _HEADER_CELL.findall(table_html)]
    return html.escape(", ".join(cell for cell in cells if cell), quote=True)


def _frame_tables_and_images(clean: str, link_images: bool = True) -> str:
    """Make wide tables and diagrams usable on a phone, after sanitising (so authors cannot set these attributes).

    A table goes into the labelled, focusable scrolling region the trainer tables use (named by the heading above
    it, or by its column headings), so a keyboard can scroll it; an image not already in a link becomes a link to
    the image file itself, its full-size view (works without JavaScript), unless `link_images` is false.
    """
    out, position, heading, in_link, table_start, depth = [], 0, None, 0, None, 0
    for match in _LAYOUT_TAG.finditer(clean):
        heading_id, closing, tag, image_src = match.groups()
        if heading_id and table_start is None:
            heading = heading_id
        elif tag == "a":
            in_link = max(0, in_link + (-1 if closing else 1))
        elif tag == "table" and not closing:
            depth += 1
            if depth == 1:
                out.append(clean[position : match.start()])
                position = table_start = match.start()
        elif tag == "table" and depth:
            depth -= 1
            if depth == 0:
                table = clean[table_start : match.end()]
                label = f'aria-labelledby="{heading}"' if heading else f'aria-label="{_table_label(table)}"'
                out.append(f'<div class="table-scroll" tabindex="0" role="region" {label}>{table}</div>')
                position, table_start = match.end(), None
        elif image_src and link_images and not in_link and table_start is None:
            out.append(clean[position : match.start()])
            out.append(f'<a class="image-link" href="{image_src}">{match.group(0)}</a>')
            position = match.end()
    out.append(clean[position:])
    return "".join(out)


# Text with none of these characters renders in Markdown as itself, escaped: skip the Markdown parser.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&!#|~\n\r\t]|^\s*(?:[-+=>]|\d+[.)])|  $|^ {4}|:$")


def render_fragment(text: str, text_format: str, context: LinkContext | None, log: ProblemLog, line: int) -> str:
    """Question text, answer or feedback -> sanitised HTML; a single paragraph is unwrapped to inline HTML."""
    if not text:
        return ""
    if text_format == "plain":
        return html.escape(text, quote=False).replace("\n", "<br>")
    if text_format in ("html", "moodle"):
        raw = text.replace("\n", "<br>") if text_format == "moodle" else text
    elif not _MARKDOWN_SYNTAX.search(text):
        return html.escape(text, quote=False)
    else:
        raw = _markdown().convert(text)
        if raw.startswith("<p>") and raw.endswith("</p>") and raw.count("<p>") == 1:
            raw = raw[3:-4]
    state = _Render(context)
    clean = _sanitise(raw, state)
    _report(state, log, text, line, line)
    # A table in an assignment's case or model answer scrolls in its own region on a phone, as in a lesson. Images
    # stay as they are: in a quiz option's label a link would take the click that chooses the option.
    return _frame_tables_and_images(clean, link_images=False) if "<table" in clean else clean
