"""The interface in six languages: every message translated, plurals right, no English left on a page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.checkers import num_plurals, python_format
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("ro", "bg", "cs", "uk", "fr")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "pgettext": ((1, "c"), 2)}
METHODS = [("lumos_learn/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]


def extracted_msgids() -> set[tuple[str, str | None]]:
    """(msgid, msgctxt) of every message in the code: pgettext's context tells two senses of a word apart."""
    ids = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        ids.add((message[0] if isinstance(message, tuple) else message, context))
    return ids


def catalogue(lang: str):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", encoding="utf-8") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang):
    po = catalogue(lang)
    missing, fuzzy = [], []
    for msgid, context in sorted(extracted_msgids(), key=lambda pair: (pair[0], pair[1] or "")):
        message = po.get(msgid, context)
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


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cs", {1: "1 minuta", 2: "2 minuty", 5: "5 minut", 21: "21 minut"}),
        ("uk", {1: "1 хвилина", 2: "2 хвилини", 5: "5 хвилин", 21: "21 хвилина"}),
        ("ro", {1: "1 minut", 2: "2 minute", 5: "5 minute", 21: "21 de minute"}),
    ],
)
def test_plural_forms(app, lang, expected):
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        for number, text in expected.items():
            assert ngettext("%(num)d minute", "%(num)d minutes", number) == text


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
