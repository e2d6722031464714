"""Strategic DI planning, version 2026.2: the subject-matter review's findings that a machine can check.

One test per finding (../shared/reviews/strategic-di-planning.md): the family-first order of preference, the
short-answer keys that rejected right answers, the plan-name item that asked different things in English and
Czech, final questions repeating module questions, certificate hours, and the false texts that were removed.
Everything goes through the course engine's public API, as a learner's attempt would.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from pathlib import Path

import pytest

from lumos_learn.content import grade_attempt, load_library, parse_responses

ROOT = Path(__file__).resolve().parents[2]
SLUG = "strategic-di-planning"
COURSE = load_library(ROOT / "courses").get(SLUG)
LANGS = ("en", "cs")


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def module(slug: str):
    return COURSE.module(slug)


def accepts(slug: str, lang: str, question_id: str, typed: str) -> bool:
    """Whether a learner typing `typed` gets the question right (form -> responses -> grade)."""
    quiz = module(slug).text(lang).quiz
    responses = parse_responses(quiz, {f"q-{question_id}": typed})
    return grade_attempt(quiz, responses, COURSE.pass_mark).result(question_id).correct


def test_hours_are_the_modules_minutes_rounded_to_half_an_hour():
    for lang in LANGS:
        minutes = sum(m.text(lang).minutes for m in COURSE.modules)
        assert round(minutes / 30) / 2 == COURSE.hours, f"{lang}: {minutes} minutes, certificate says {COURSE.hours} h"


@pytest.mark.parametrize("lang", LANGS)
def test_no_final_question_repeats_a_module_question(lang):
    lessons = [m for m in COURSE.modules if not m.graded]
    module_texts = {norm(q.text) for m in lessons for q in m.text(lang).quiz.questions}
    module_options = {
        frozenset(norm(a.text) for a in q.answers)
        for m in lessons
        for q in m.text(lang).quiz.questions
        if q.type in ("multichoice", "multianswer", "matching")
    }
    final = COURSE.graded_modules[0].text(lang).quiz
    for question in final.questions:
        assert norm(question.text) not in module_texts, f"{question.id} repeats a module question"
        if question.type in ("multichoice", "multianswer", "matching"):
            options = frozenset(norm(a.text) for a in question.answers)
            assert options not in module_options, f"{question.id} repeats a module question's options"


# Answers the review (section 2b) found rejected although right, per question and language.
REVIEW_ACCEPTED = {
    ("why-institutions-harm", "sdi-m1-domains"): {
        "en": ["attachment", "language", "IQ", "intelligence", "mental health", "motor development", "Cognition"],
        "cs": ["citový vývoj", "citová vazba", "psychický vývoj", "kognitivní vývoj"],
    },
    ("principles-and-strategy", "sdi-m2-crpd-article"): {
        "en": ["23(5)", "article 23(5)", "art. 23"],
        "cs": ["23(5)", "čl. 23(5)", "čl. 23 odst. 5"],
    },
    ("money-and-people", "sdi-m5-term"): {
        "en": ["bridging funding", "dual running", "overlap funding", "double running"],
        "cs": ["souběžné financování", "překlenovací financování", "dvojí provoz"],
    },
    ("preparing-each-child", "sdi-m6-plan-name"): {
        "en": ["IPOD", "individual child protection plan", "individual care plan"],
        "cs": ["IPOD", "individuální plán ochrany dítěte", "individuální plán péče"],
    },
}


@pytest.mark.parametrize(
    ("where", "lang"),
    [(w, lang) for w in REVIEW_ACCEPTED for lang in LANGS],
    ids=lambda value: value[1] if isinstance(value, tuple) else value,
)
def test_short_answers_accept_what_the_review_listed(where, lang):
    slug, question_id = where
    for typed in REVIEW_ACCEPTED[where][lang]:
        assert accepts(slug, lang, question_id, typed), f"{question_id} ({lang}) rejects {typed!r}"
    assert not accepts(slug, lang, question_id, "institution"), "a wrong answer must still be wrong"


def test_the_plan_name_question_asks_the_same_in_english_and_czech():
    # The same plan, named the same way, is accepted in both languages: the general term and the Czech IPOD.
    same_thing = [
        ("individual care plan", "individuální plán péče"),
        ("individual plan", "individuální plán"),
        ("individual child protection plan", "individuální plán ochrany dítěte"),
        ("IPOD", "IPOD"),
    ]
    for en, cs in same_thing:
        assert accepts("preparing-each-child", "en", "sdi-m6-plan-name", en), en
        assert accepts("preparing-each-child", "cs", "sdi-m6-plan-name", cs), cs
    # Both ask for the general term or the name used in Czech practice, not one each.
    czech = {"en": "Czech practice", "cs": "české praxi"}
    for lang in LANGS:
        assert czech[lang] in module("preparing-each-child").text(lang).quiz.question("sdi-m6-plan-name").text


# Words naming each option in the order of preference, per language (matched in lower case).
FAMILY_OPTIONS = {
    "en": {"own family": r"own (parents|family)", "kinship": r"kinship", "adoption": r"adoption", "foster": r"foster"},
    "cs": {
        "own family": r"vlastní (rodiče|rodina)",
        "kinship": r"příbuzensk",
        "adoption": r"osvojení",
        "foster": r"pěstoun",
    },
}
RESIDENTIAL = {"en": r"residential|group home", "cs": r"pobytov|skupinov"}
ORDER_HEADING = {"en": "order of preference", "cs": "pořadí preferencí"}


@pytest.mark.parametrize("lang", LANGS)
def test_placement_order_puts_every_family_option_before_any_residential_one(lang):
    html = module("designing-services").text(lang).html
    start = html.lower().index(ORDER_HEADING[lang])
    ordered_list = re.search(r"<ol>(.*?)</ol>", html[start:], re.S).group(1)
    items = [plain(item).lower() for item in re.findall(r"<li>(.*?)</li>", ordered_list, re.S)]
    for name, pattern in FAMILY_OPTIONS[lang].items():
        assert any(re.search(pattern, item) for item in items), f"{lang}: {name} missing from the order"
    assert not any(re.search(RESIDENTIAL[lang], item) for item in items), f"{lang}: residential care ranked"
    # The key points repeat the order: every family option is named before residential care is.
    key_points = plain(re.search(r'class="admonition key".*?</div>', html, re.S).group(0)).lower()
    line = next(s for s in re.split(r"(?<=\.)\s", key_points) if ORDER_HEADING[lang] in s or "pořadí" in s)
    rest = key_points[key_points.index(line) :]
    first_residential = re.search(RESIDENTIAL[lang], rest).start()
    for name, pattern in FAMILY_OPTIONS[lang].items():
        found = re.search(pattern, rest)
        assert found and found.start() < first_residential, f"{lang}: key points name {name} after residential care"


@pytest.mark.parametrize("lang", LANGS)
def test_final_assessment_keeps_group_homes_behind_adoption(lang):
    question = COURSE.graded_modules[0].text(lang).quiz.question("sdi-fa-preference")
    assert question.type == "truefalse" and question.answer is False
    assert re.search(RESIDENTIAL[lang], question.text.lower()) and re.search(
        FAMILY_OPTIONS[lang]["adoption"], question.text
    )


@pytest.mark.parametrize("lang", LANGS)
def test_abuse_and_neglect_are_among_the_reasons_for_admission(lang):
    question = module("why-institutions-harm").text(lang).quiz.question("sdi-m1-admission-drivers")
    neglect = r"neglect" if lang == "en" else r"zanedbáv"
    assert any(a.fraction > 0 and re.search(neglect, a.text) for a in question.answers)
    assert re.search(neglect, plain(module("why-institutions-harm").text(lang).html))


@pytest.mark.parametrize("lang", LANGS)
def test_the_propped_bottles_are_named_as_unsafe(lang):
    case = re.search(r'class="admonition case".*?</div>', module("why-institutions-harm").text(lang).html, re.S)
    text = plain(case.group(0)).lower()
    danger = r"choke|inhale" if lang == "en" else r"zakuckat|vdechnout"
    assert re.search(danger, text), f"{lang}: the case describes propped bottles without saying they are unsafe"


def test_the_false_and_unsupported_feedback_is_gone():
    removed = [
        "Each answer names a source and a year",
        "commonest cause of breakdown",
        "Každá odpověď uvádí zdroj a rok",
        "nejčastější příčinou selhání",
        "adequately resourced",
        "přiměřeně vybavená",
    ]
    for m in COURSE.modules:
        for lang in LANGS:
            text = m.text(lang)
            everything = text.html + " ".join(
                q.text + q.general_feedback + " ".join(a.text + a.feedback for a in q.answers)
                for q in text.quiz.questions
            )
            for phrase in removed:
                assert phrase not in everything, f"{m.slug}.{lang}: {phrase!r}"
