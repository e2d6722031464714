"""Strategic DI planning: the subject-matter review's findings that a machine can check, in every language.

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
LANGS = ("en", "cs", "uk")


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
        "uk": [
            "прихильність",
            "мовлення",
            "IQ",
            "інтелект",
            "психічне здоров'я",
            "руховий розвиток",
            "Когнітивний розвиток",
        ],
    },
    ("principles-and-strategy", "sdi-m2-crpd-article"): {
        "en": ["23(5)", "article 23(5)", "art. 23"],
        "cs": ["23(5)", "čl. 23(5)", "čl. 23 odst. 5"],
        "uk": ["23(5)", "ст. 23(5)", "ч. 5 ст. 23", "стаття 23"],
    },
    ("money-and-people", "sdi-m5-term"): {
        "en": ["bridging funding", "dual running", "overlap funding", "double running"],
        "cs": ["souběžné financování", "překlenovací financování", "dvojí provoz"],
        "uk": ["паралельне фінансування", "перехідне фінансування", "проміжне фінансування", "подвійне фінансування"],
    },
    ("preparing-each-child", "sdi-m6-plan-name"): {
        "en": ["IPOD", "individual child protection plan", "individual care plan"],
        "cs": ["IPOD", "individuální plán ochrany dítěte", "individuální plán péče"],
        "uk": ["IPOD", "індивідуальний план захисту дитини", "індивідуальний план догляду"],
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


def test_the_plan_name_question_asks_the_same_in_every_language():
    # The same plan, named the same way, is accepted in every language: the general term and the Czech IPOD.
    same_thing = [
        {"en": "individual care plan", "cs": "individuální plán péče", "uk": "індивідуальний план догляду"},
        {"en": "individual plan", "cs": "individuální plán", "uk": "індивідуальний план"},
        {
            "en": "individual child protection plan",
            "cs": "individuální plán ochrany dítěte",
            "uk": "індивідуальний план захисту дитини",
        },
        {"en": "IPOD", "cs": "IPOD", "uk": "IPOD"},
    ]
    for names in same_thing:
        for lang in LANGS:
            assert accepts("preparing-each-child", lang, "sdi-m6-plan-name", names[lang]), names[lang]
    # All ask for the general term or the name used in Czech practice, not one each.
    czech = {"en": "Czech practice", "cs": "české praxi", "uk": "чеській практиці"}
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
    "uk": {
        "own family": r"власн",
        "kinship": r"родич",
        "adoption": r"усиновлен",
        "foster": r"прийомн|патронат",
    },
}
RESIDENTIAL = {"en": r"residential|group home", "cs": r"pobytov|skupinov", "uk": r"інтернат|групов"}
ORDER_HEADING = {"en": "order of preference", "cs": "pořadí preferencí", "uk": "порядок пріоритетності"}
# The key points name the order in a sentence, where Czech and Ukrainian decline the noun.
ORDER_IN_KEY_POINTS = {"en": "order of preference", "cs": "pořadí", "uk": "порядку пріоритетності"}


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
    line = next(s for s in re.split(r"(?<=\.)\s", key_points) if ORDER_IN_KEY_POINTS[lang] in s)
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
    neglect = {"en": r"neglect", "cs": r"zanedbáv", "uk": r"бездоглядн"}[lang]
    assert any(a.fraction > 0 and re.search(neglect, a.text) for a in question.answers)
    assert re.search(neglect, plain(module("why-institutions-harm").text(lang).html))


@pytest.mark.parametrize("lang", LANGS)
def test_the_propped_bottles_are_named_as_unsafe(lang):
    case = re.search(r'class="admonition case".*?</div>', module("why-institutions-harm").text(lang).html, re.S)
    text = plain(case.group(0)).lower()
    danger = {"en": r"choke|inhale", "cs": r"zakuckat|vdechnout", "uk": r"вдавит|вдихнут"}[lang]
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


# Ukrainian edition and Ukraine in the course (issue 27).


def learner_text(text) -> str:
    """Everything a learner reads in a module: the page and the quiz (questions, options, feedback)."""
    quiz = " ".join(
        q.text + " " + q.general_feedback + " " + " ".join(a.text + " " + a.feedback for a in q.answers)
        for q in text.quiz.questions
    )
    return plain(text.html) + " " + plain(quiz)


@pytest.mark.parametrize("slug", [m.slug for m in COURSE.modules])
def test_each_ukrainian_module_exists_and_is_at_least_seven_tenths_of_the_english(slug):
    english, ukrainian = module(slug).text("en"), module(slug).text("uk")
    assert ukrainian.lang == "uk", f"{slug}: no Ukrainian module, the English one would be shown"
    assert [q.id for q in ukrainian.quiz.questions] == [q.id for q in english.quiz.questions]
    ratio = len(learner_text(ukrainian)) / len(learner_text(english))
    assert ratio >= 0.7, f"{slug}: the Ukrainian text is {ratio:.2f} of the English"


STRATEGY_2024 = {
    "en": r"Strategy for ensuring the right of every child in Ukraine to grow up in a family environment for 2024–2028",
    "cs": r"Strategi\w* zajištění práva každého dítěte na Ukrajině vyrůstat v rodinném prostředí na léta 2024–2028",
    "uk": r"Стратегі\w+ забезпечення права кожної дитини в Україні на зростання в сімейному оточенні на 2024–2028",
}
# 105,459 children in 727 institutions with round-the-clock stay on 24 February 2022 (NSSU), in any digit grouping.
CHILDREN_2022 = r"105[ ,\u00a0\u202f]?4(59|55)"


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_names_the_2024_2028_strategy_and_the_2022_figures(lang):
    pages = {m.slug: plain(m.text(lang).html) for m in COURSE.modules if not m.graded}
    assert all(m.text(lang).lang == lang for m in COURSE.modules), f"{lang}: a module falls back to English"
    strategy = [slug for slug, page in pages.items() if re.search(STRATEGY_2024[lang], page)]
    assert "principles-and-strategy" in strategy, f"{lang}: module 2 does not name the 2024–2028 strategy exactly"
    for target in ("95", "30", "80"):
        assert re.search(rf"\b{target}\s?%", pages["principles-and-strategy"]), f"{lang}: target {target}% missing"
    # The 2022 count is given with its number of institutions, in the same sentence.
    sentences = [s for page in pages.values() for s in re.split(r"(?<=[.;])\s", page)]
    both = [s for s in sentences if re.search(CHILDREN_2022, s) and "727" in s]
    assert both, f"{lang}: no sentence gives the over 105,000 children in 727 institutions"
    assert any("2022" in s for s in both), f"{lang}: the 2022 count is not dated"
