"""Issue 19: the safety corrections of the feeding course, in every language it is written in (issue 27 adds uk).

Choking: back blows come first and the call never comes before them (ERC 2021, Resuscitation Council UK
2021). Breathing signs after a meal are reported at once. Seizure, vomiting, choking foods and serious
dehydration each have their instruction. Every module ends with its clinical-review line and its sources.
The module text is read from the source files (what authors wrote, box by box); the quiz from the loaded
course (what learners are shown).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lumos_learn.content import load_library

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "courses" / "feeding-support"
COURSE = load_library(ROOT / "courses").get("feeding-support")
LANGUAGES = ("en", "bg", "uk")

WORDS = {
    "en": {
        "back_blows": "back blows",
        "breathing": ("breath", "fever", "cough"),
        "wait": ("same day", "next day", "tomorrow", "later", "next shift", "end of the day", "next weighing"),
        "at_once": ("at once", "now"),
        "called_first": ("called first", "call 112 first", "first call 112", "help is called first"),
        "review": "Clinically reviewed on 2026-12-05.",
        # the capstone was written after that review: it says so, and what its instructions rest on
        "capstone_review": ("modules 1 to 6, clinically reviewed on 2026-12-05", "not yet been checked"),
        "stop_box": "Stop feeding and call for help",
        "first_aid": "Choking first aid",
        "sources": "## Sources",
        "ineffective": "Silent cough",
        "choking": ("choking", "silent cough", "back blows"),
        "first": "First",
    },
    "bg": {
        "back_blows": "по гърба",  # удари / удара по гърба
        "breathing": ("диша", "температур", "кашл"),
        "wait": ("в същия ден", "на следващия ден", "утре", "по-късно", "следващата смяна", "в края на деня"),
        "at_once": ("веднага", "незабавно"),
        "called_first": ("първо се вика", "първо звъннете", "първо звъните", "първо се звъни"),
        "review": "Прегледано от клиничен специалист на 05.12.2026 г.",
        "capstone_review": ("модули 1 до 6, прегледани от клиничен специалист на 05.12.2026 г.", "още не са проверени"),
        "stop_box": "Спрете храненето и повикайте помощ",
        "first_aid": "Първа помощ при задавяне",
        "sources": "## Източници",
        "ineffective": "Беззвучна кашлица",
        "choking": ("задавя", "беззвучна", "по гърба"),
        "first": "Първо",
    },
    "uk": {
        "back_blows": "по спині",  # удари / ударів по спині
        "breathing": ("диха", "температур", "кашель", "кашл"),
        "wait": (
            "того ж дня",
            "наступного дня",
            "завтра",
            "пізніше",
            "наступної зміни",
            "наприкінці дня",
            "в кінці дня",
            "наступного зважування",
        ),
        "at_once": ("негайно", "одразу"),
        "called_first": ("спочатку телефонуйте", "спершу телефонуйте", "спочатку зателефонуйте", "спочатку викликайте"),
        "review": "Зміст перевірено клінічним фахівцем 05.12.2026 р. (український текст ще чекає окремої перевірки).",
        "capstone_review": ("модулів 1–6, зміст яких перевірив клінічний фахівець 05.12.2026 р.", "ще не перевіряв"),
        "stop_box": "Припиніть годування і покличте на допомогу",
        "first_aid": "Перша допомога, коли дитина вдавилася",
        "sources": "## Джерела",
        "ineffective": "Беззвучний кашель",
        "choking": ("вдави", "беззвучн", "по спині"),
        "first": "Крок 1",
    },
}


def translated(module: str, lang: str) -> bool:
    return any(FOLDER.glob(f"??-{module}.{lang}.md"))


def source(module: str, lang: str) -> str:
    (path,) = FOLDER.glob(f"??-{module}.{lang}.md")
    return path.read_text(encoding="utf-8")


def written_in(lang: str, *modules: str) -> None:
    """Skip a check whose modules are not translated yet (test_feeding_course checks that none is missing)."""
    missing = [m for m in modules if not translated(m, lang)]
    if missing:
        pytest.skip(f"{lang}: {', '.join(missing)} not translated yet")


def body(module: str, lang: str) -> str:
    """The module text without front matter and quiz."""
    text = source(module, lang).split("\n---\n", 1)[1]
    return text.split("```quiz", 1)[0]


def warning_boxes(text: str) -> dict[str, list[str]]:
    """Title of every `!!! warning` box -> its paragraphs and list items, as plain lines of text."""
    boxes: dict[str, list[str]] = {}
    lines = text.split("\n")
    for i, line in enumerate(lines):
        match = re.match(r'^!!! warning "(.*)"\s*$', line)
        if not match:
            continue
        content = []
        for following in lines[i + 1 :]:
            if following.strip() and not following.startswith("    "):
                break
            content.append(following.strip())
        parts = re.split(r"\n\s*\n|\n(?=[-*] |\d+\. )", "\n".join(content).strip())
        boxes[match.group(1)] = [" ".join(part.split()) for part in parts if part.strip()]
    return boxes


def question(qid: str, lang: str):
    for module in COURSE.modules:
        if not translated(module.slug, lang):
            continue
        text = module.text(lang)
        for q in text.quiz.questions if text.quiz else ():
            if q.id == qid:
                return q
    raise AssertionError(f"no question {qid}")


def before(text: str, first: str, second: str) -> bool:
    """`first` occurs in `text`, and before `second` if `second` occurs at all."""
    text = text.casefold()
    a, b = text.find(first.casefold()), text.find(second.casefold())
    return a >= 0 and (b < 0 or a < b)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_module_3_puts_back_blows_before_the_call_in_every_choking_sequence(lang):
    written_in(lang, "swallowing-and-aspiration")
    w = WORDS[lang]
    text = body("swallowing-and-aspiration", lang)
    first_aid = next(s for s in text.split("\n## ") if s.startswith(w["first_aid"]))
    sequences = re.findall(r"(?ms)^1\. .*?(?=^\*\*|\Z)", first_aid)
    assert len(sequences) == 2, "a sequence for children over 1 year and one for babies"
    for steps in sequences:
        step_one = steps.split("\n2. ")[0]
        assert w["back_blows"] in step_one.casefold(), step_one
        assert before(step_one, w["back_blows"], "112"), step_one
    # the table row for an ineffective cough says the same
    row = next(line for line in text.split("\n") if line.startswith("| ") and "112" in line)
    assert before(row.split("|")[-2], w["back_blows"], "112"), row


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_choking_quiz_items_key_back_blows_before_the_call(lang):
    written_in(lang, "swallowing-and-aspiration", "final-assessment")
    w = WORDS[lang]
    match = question("fs-m3-cough-match", lang)
    silent = [a.match for a in match.answers if a.text.startswith(w["ineffective"])]
    assert len(silent) == 2
    for key in silent:
        assert before(key, w["back_blows"], "112"), key
    order = question("fs-fa-choke-order", lang)
    (first,) = [a.match for a in order.answers if a.text == w["first"]]
    assert before(first, w["back_blows"], "112"), first
    # the old key, calling before the first back blow, is now a choice that matches no step
    decoys = [a.match for a in order.answers if not a.text]
    assert decoys and all("112" in d for d in decoys)
    # the right first step is not given away by being the longest choice
    assert len(first) < max(len(choice) for choice in order.match_choices)
    for q in (match, order, question("fs-m3-emergency-number", lang)):
        feedback = q.general_feedback.casefold()
        assert not any(phrase in feedback for phrase in w["called_first"]), q.id
        # from where the feedback turns to choking, back blows are named before the call
        start = min(i for i in (feedback.find(word) for word in w["choking"]) if i >= 0)
        assert before(feedback[start:], w["back_blows"], "112"), q.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_infant_thrusts_key_is_not_the_longest_option(lang):
    written_in(lang, "swallowing-and-aspiration")
    q = question("fs-m3-infant-thrusts", lang)
    (key,) = [a.text for a in q.answers if a.fraction == 1]
    assert len(key) < max(len(a.text) for a in q.answers), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_warning_box_tells_the_reader_to_wait_with_breathing_signs(lang):
    w = WORDS[lang]
    for module in COURSE.modules:
        if not translated(module.slug, lang):
            continue
        for title, parts in warning_boxes(body(module.slug, lang)).items():
            for part in parts:
                low = part.casefold()
                if any(word in low for word in w["breathing"]):
                    assert not any(word in low for word in w["wait"]), f"{module.slug}.{lang} [{title}]: {part}"
    # and module 3 says at once for the signs after a meal
    written_in(lang, "swallowing-and-aspiration")
    box = warning_boxes(body("swallowing-and-aspiration", lang))[w["stop_box"]]
    after_meal = [p for p in box if w["breathing"][1] in p.casefold()]
    assert after_meal and all(any(word in p.casefold() for word in w["at_once"]) for p in after_meal)


NEW_INSTRUCTIONS = {
    "en": {
        ("swallowing-and-aspiration", "Seizure"): (
            "nothing in the mouth",
            "onto the side",
            "seizure plan",
            "time",
            "5 minutes",
            "112",
        ),
        ("swallowing-and-aspiration", "Vomiting"): (
            "stop feeding",
            "lean the child forward",
            "onto the side",
            "clear the mouth",
            "watch the breathing",
            "report",
        ),
        ("malnutrition-and-dehydration", "Dehydration"): (
            "sleepy",
            "difficult to wake",
            "sunken eyes",
            "no urine",
            "cold hands",
            "fast breathing",
            "now",
        ),
    },
    "bg": {
        ("swallowing-and-aspiration", "Гърч"): ("нищо в устата", "на една страна", "план", "часа", "5 минути", "112"),
        ("swallowing-and-aspiration", "Повръщане"): (
            "спрете храненето",
            "наведете детето напред",
            "на една страна",
            "почистете устата",
            "наблюдавайте дишането",
            "съобщете",
        ),
        ("malnutrition-and-dehydration", "дехидратация"): (
            "сънливо",
            "трудно се събужда",
            "хлътнали очи",
            "не е уринирало",
            "студени ръце",
            "диша учестено",
            "веднага",
        ),
    },
    "uk": {
        ("swallowing-and-aspiration", "Судом"): (
            "нічого не кладіть у рот",
            "на бік",
            "план",
            "час",
            "5 хвилин",
            "103",
            "112",
        ),
        ("swallowing-and-aspiration", "Блювання"): (
            "припиніть годування",
            "нахиліть дитину вперед",
            "на бік",
            "очистьте рот",
            "стежте за диханням",
            "повідомте",
        ),
        ("malnutrition-and-dehydration", "зневоднення"): (
            "сонлив",
            "важко розбудити",
            "запалі очі",
            "не було сечі",
            "холодні руки",
            "часто дихає",
            "негайно",
        ),
    },
}
CHOKING_FOODS = {
    "en": ("whole grapes", "lengthways into quarters", "nuts", "ground", "raw apple", "grate", "sausages",
           "lengthways into thin strips", "peanut butter", "sticky", "popcorn", "hard sweets", "level"),
    "bg": ("цели гроздови зърна", "по дължина на четири", "ядки", "смлени", "сурова ябълка", "настъргани",
           "кренвирши", "по дължина на тънки ивици", "фъстъчено масло", "лепкави", "пуканки", "твърди бонбони", "ниво"),
    "uk": ("цілі виноградини", "уздовж на чотири частини", "горіхи", "змелені", "сире яблуко", "натріть", "сосиски",
           "уздовж на тонкі смужки", "арахісова паста", "липк", "попкорн", "тверді цукерки", "рівн"),
}  # fmt: skip


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_four_missing_instructions_are_there(lang):
    written_in(lang, "swallowing-and-aspiration", "malnutrition-and-dehydration", "textures-and-thickened-drinks")
    for (module, title_word), phrases in NEW_INSTRUCTIONS[lang].items():
        boxes = warning_boxes(body(module, lang))
        matching = [" ".join(parts).casefold() for title, parts in boxes.items() if title_word in title]
        assert len(matching) == 1, f"{module}.{lang}: no warning box about {title_word}"
        for phrase in phrases:
            assert phrase.casefold() in matching[0], f"{module}.{lang} [{title_word}]: missing '{phrase}'"
    foods = body("textures-and-thickened-drinks", lang).casefold()
    section = next(s for s in foods.split("\n## ") if CHOKING_FOODS[lang][0] in s)
    for phrase in CHOKING_FOODS[lang]:
        assert phrase in section, f"choking foods ({lang}): missing '{phrase}'"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_module_ends_with_its_review_line_then_its_sources(lang):
    w = WORDS[lang]
    for module in COURSE.modules:
        if not translated(module.slug, lang):
            continue
        lines = [line for line in body(module.slug, lang).rstrip().split("\n") if line.strip()]
        heading = max(i for i, line in enumerate(lines) if line.startswith("## "))
        assert lines[heading] == w["sources"], f"{module.slug}.{lang}: the last section is not the sources"
        if module.assignment is None:
            assert lines[heading - 1] == w["review"], f"{module.slug}.{lang}: no review line before the sources"
        else:  # the capstone's case and model answer came after the review: its line must not claim one
            assert all(part in lines[heading - 1] for part in w["capstone_review"]), f"{module.slug}.{lang}"
        assert len(lines) > heading + 1 and all(line.startswith("- ") for line in lines[heading + 1 :])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_choking_steps_cite_the_2021_guidelines_not_2010(lang):
    written_in(lang, "swallowing-and-aspiration", "final-assessment")
    for module in ("swallowing-and-aspiration", "final-assessment"):
        sources = body(module, lang).split(WORDS[lang]["sources"])[1]
        assert "European Resuscitation Council Guidelines 2021: Paediatric Life Support" in sources
        assert "2021;161:327–387" in sources and "(Guidelines 2021)" in sources
        assert "2010" not in sources, f"{module}.{lang} still cites a 2010 guideline"


def test_the_version_went_up_and_the_change_log_has_every_language():
    assert COURSE.version >= "2026.4"  # issue 27: the Ukrainian edition
    changes = (FOLDER / "CHANGES.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"<!-- lang: (\w+) -->\n(.*?)(?=<!-- lang: |\Z)", changes, re.S))
    assert set(sections) == set(LANGUAGES)
    for lang in ("en", "bg"):
        for version in ("2026.2", "2026.3", COURSE.version):
            assert f"{version} (" in sections[lang], (lang, version)
    # the Ukrainian section starts with this version and says that the Ukrainian text awaits its clinical reviewer
    assert sections["uk"].startswith(f"### Версія {COURSE.version} (")
    assert "ще не перевірив український клінічний фахівець" in sections["uk"]
    assert "103 (або 112)" in sections["uk"]
