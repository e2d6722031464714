"""The interface in six languages: every message translated, plurals right, no English left on a page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.checkers import num_plurals, python_format
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("ro", "bg", "cs", "uk", "fr")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "ungettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
METHODS = [("lumos_learn/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]


def _scanned(path: str) -> bool:
    # Babel skips folders starting with "_" by default, which hid templates/_macros (the Makefile passes --ignore-dirs).
    name = Path(path).name
    return not name.startswith(".") and name != "__pycache__"


def extracted_msgids() -> set[tuple[str | None, str]]:
    """(context, msgid) of every message in the code: "Completed" as a heading and as a count are two."""
    ids = set()
    found = extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS, directory_filter=_scanned)
    for _filename, _lineno, message, _comments, context in found:
        ids.add((context, message[0] if isinstance(message, tuple) else message))
    return ids


def catalogue(lang: str):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", encoding="utf-8") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang):
    po = catalogue(lang)
    missing, fuzzy = [], []
    for context, msgid in sorted(extracted_msgids(), key=lambda key: (key[1], key[0] or "")):
        message = po.get(msgid, context=context)
        strings = [] if message is None else (message.string if isinstance(message.string, tuple) else [message.string])
        if message is None or not all(strings):
            missing.append(msgid)
        elif message.fuzzy:
            fuzzy.append(msgid)
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{lang}: fuzzy entries {fuzzy[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_and_plural_forms_pass_babels_checks(lang):
    po = catalogue(lang)
    problems = []
    for message in po:
        if not message.id:
            continue
        for checker in (python_format, num_plurals):
            try:
                checker(po, message)
            except Exception as error:  # babel raises TranslationError
                problems.append(f"{message.id!r}: {error}")
    assert not problems, problems[:5]


# Plural forms: test_plurals.py.


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _InterfaceText(HTMLParser):
    """The page's text in its own language: what is marked lang="xx" for another language (course
    content read in another language, language names) and scripts are left out."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang, self.stack, self.parts = lang, [], []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        skipping = (
            bool(self.stack and self.stack[-1])
            or tag in ("script", "style")
            or (lang is not None and lang != self.lang)
        )
        self.stack.append(skipping)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str, lang: str) -> str:
    parser = _InterfaceText(lang)
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


ENGLISH_ONLY = {"PDF", "Lumos Learn", "English", "Email"}


def untranslated_on(html: str, lang: str, english: dict[str, str]) -> list[str]:
    text = visible_text(html, lang)
    return [msgid for msgid in english if re.search(rf"(?<!\w){re.escape(msgid)}(?!\w)", text)]


@pytest.fixture(scope="module")
def english_strings():
    """Plain messages (no placeholders) that a catalogue translates differently from the English."""
    strings = {}
    for lang in TRANSLATED:
        messages = [m for m in catalogue(lang) if m.id and isinstance(m.id, str)]
        # An English word that is also a translation in this language ("Module" is Romanian for
        # modules) proves nothing when it appears on the page.
        native = {m.string for m in messages if isinstance(m.string, str)}
        for message in messages:
            if (
                "%" not in message.id
                and len(message.id) > 3
                and message.string
                and message.string != message.id
                and message.id not in ENGLISH_ONLY
                and message.id not in native
            ):
                strings.setdefault(lang, {})[message.id] = message.string
    return strings


@pytest.mark.parametrize("lang", TRANSLATED)
def test_pages_show_no_english_in_another_language(client, app, learner, login_as, admin, lang, english_strings):
    anonymous_pages = [
        "/{l}/",
        "/{l}/courses/",
        "/{l}/courses/demo-course/",
        "/{l}/courses/demo-course/positioning/",
        "/{l}/auth/login",
        "/{l}/auth/register",
        "/{l}/auth/reset",
        "/{l}/no-such-page",
        "/verify/?lang={l}",
    ]
    for page in anonymous_pages:
        html = client.get(page.format(l=lang)).get_data(as_text=True)
        left = untranslated_on(html, lang, english_strings.get(lang, {}))
        assert not left, f"{page.format(l=lang)}: English left: {left[:5]}"
    login_as(client, learner)
    client.submit("/en/courses/demo-course/enrol", {"content_language": "en"}, page="/en/courses/demo-course/")
    for page in [
        "/{l}/dashboard/",
        "/{l}/courses/demo-course/",
        "/{l}/courses/demo-course/final-check/",
        "/{l}/courses/demo-course/confidence/before",
        "/{l}/auth/account",
        "/{l}/auth/account/password",
    ]:
        html = client.get(page.format(l=lang)).get_data(as_text=True)
        left = untranslated_on(html, lang, english_strings.get(lang, {}))
        assert not left, f"{page.format(l=lang)}: English left: {left[:5]}"


def test_switching_language_keeps_the_page_and_the_progress(client, learner, login_as):
    login_as(client, learner)
    client.submit("/en/courses/demo-course/enrol", {"content_language": "en"}, page="/en/courses/demo-course/")
    client.submit("/en/courses/demo-course/positioning/read", page="/en/courses/demo-course/positioning/")
    english = client.get("/en/courses/demo-course/").get_data(as_text=True)
    switch = re.search(r'<a href="(/bg/courses/demo-course/)"[^>]*hreflang="bg"', english)
    assert switch, "the language switcher links to the same page in Bulgarian"
    bulgarian = client.get(switch.group(1)).get_data(as_text=True)
    assert '<html lang="bg"' in bulgarian
    assert bulgarian.count("badge-ok") == english.count("badge-ok") >= 1


@pytest.mark.parametrize(
    ("lang", "dashboard_headings", "admin_heading"),
    [
        ("cs", ("Probíhající kurzy", "Dokončené kurzy"), "Uživatelé"),
        ("uk", ("Поточні курси", "Завершені курси"), "Користувачі"),
        ("bg", ("Текущи курсове", "Завършени курсове"), "Потребители"),
    ],
)
def test_a_word_with_two_senses_is_translated_in_each(
    client, app, learner, admin, login_as, lang, dashboard_headings, admin_heading
):
    """ "In progress" / "Completed" head the learner's course lists; "People" on the admin page is every
    account. The same English elsewhere (a status filter, a count column) keeps its own translation."""
    login_as(client, learner)
    dashboard = client.get(f"/{lang}/dashboard/").get_data(as_text=True)
    for heading in dashboard_headings:
        assert re.search(rf"<h2 [^>]*>{heading}</h2>", dashboard), heading
    other = app.test_client()
    login_as(other, admin)
    people = other.get(f"/{lang}/admin/").get_data(as_text=True)
    assert f"<h1>{admin_heading}</h1>" in people
    plain = catalogue(lang).get("People").string
    assert plain != admin_heading  # the report's "People" (who enrolled) is another word
