"""The glossary is what the catalogues keep: terms a native review ruled out stay out.

Each `translations/glossary.<lang>.md` ends with a table "Checked by tests": a pattern on the English, a
pattern the translation must not match, and why. Translators edit the glossary, not this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
TRANSLATED = ("ro", "bg", "cs", "uk", "fr")
SECTION = "## Checked by tests"


@dataclass(frozen=True)
class Rule:
    english: re.Pattern | None  # None: every message
    forbidden: re.Pattern
    why: str
    where: str


def _cells(row: str) -> list[str]:
    # A table row; `\|` is a pipe inside a cell (as in GitHub's Markdown), backticks only mark code.
    cells = re.split(r"(?<!\\)\|", row.strip().strip("|"))
    return [cell.strip().replace("\\|", "|").strip("`") for cell in cells]


def glossary_rules(lang: str) -> list[Rule]:
    path = TRANSLATIONS / f"glossary.{lang}.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(SECTION)
    rules = []
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if line.startswith("#"):
            break
        if not line.startswith("|") or set(line) <= set("|- ") or line.startswith("| English"):
            continue
        english, forbidden, why = _cells(line)
        where = f"{path.relative_to(ROOT)}:{number}"
        rules.append(Rule(None if english == "(any)" else re.compile(english), re.compile(forbidden), why, where))
    return rules


def catalogue(lang: str) -> Catalog:
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", encoding="utf-8") as handle:
        return read_po(handle, locale=lang)


def violations(po: Catalog, rules: list[Rule]) -> list[str]:
    found = []
    for message in po:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for rule in rules:
            if rule.english is not None and not any(rule.english.search(text) for text in english):
                continue
            for text in strings:
                if text and rule.forbidden.search(text):
                    found.append(f"{english[0]!r} → {text!r}: {rule.why} ({rule.where})")
                    break
    return found


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_language_has_a_glossary_with_checked_terms(lang):
    assert len(glossary_rules(lang)) >= 4


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_catalogue_keeps_its_glossary(lang):
    problems = violations(catalogue(lang), glossary_rules(lang))
    assert not problems, "\n".join(problems)


# The review's worst cases, planted back into the real catalogue: each must be caught by its glossary.
PLANTED = [
    ("bg", "Sign in to enrol", "Влез, за да се запишеш"),
    ("bg", "or create an account", "или създай профил"),
    ("bg", "Sign in to enrol", "Ако искаш, влез с твоя профил"),
    ("cs", "Revoke the certificate", "Zrušit osvědčení"),
    ("cs", "Revoked", "Zrušeno"),
    ("ro", "School principal or manager", "Director de instituție sau manager"),
    ("uk", "Ask for a new link", "Запросити нове посилання"),
    ("uk", "Upload a corrected file", "Завантажити виправлений файл"),
    ("uk", "has successfully completed the course", "успішно завершив(-ла) курс"),
    ("fr", "Not set", "Non définie"),
]


@pytest.mark.parametrize(("lang", "msgid", "bad"), PLANTED)
def test_a_planted_bad_translation_is_caught(lang, msgid, bad):
    po = catalogue(lang)
    assert po.get(msgid) is not None, f"{msgid!r} is no longer a message: update PLANTED"
    po.get(msgid).string = bad
    problems = violations(po, glossary_rules(lang))
    assert [p for p in problems if p.startswith(f"{msgid!r} → {bad!r}")], problems


def test_the_rules_leave_the_right_words_alone():
    # Cancel is Zrušit in Czech; Bulgarian buttons may be singular imperatives; "ваш" is the polite "your".
    po = Catalog(locale="cs")
    po.add("Cancel", "Zrušit")
    assert violations(po, glossary_rules("cs")) == []
    po = Catalog(locale="bg")
    po.add("Create account", "Създай профил")
    po.add("Your account", "Вашият профил е ваш")
    assert violations(po, glossary_rules("bg")) == []
    po = Catalog(locale="ro")
    po.add("Training for the professionals who move children from institutions", "din instituții în familii")
    assert violations(po, glossary_rules("ro")) == []
