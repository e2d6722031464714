"""EU funds for the transition, version 2026.2: the subject-matter review's findings that a machine can check.

One test per finding (../shared/reviews/eu-funding-di.md): Article 9 no longer said to bind every operation and
Article 73 taught instead, the CPR-CRPD link not stated as fact, "approves" rather than "adopts", the children's-homes
line, who documented what, the common indicators, the French meaning errors, a final that repeats no module item and
holds proposals that only look suspicious as well as institutions in disguise, the length and position cues, the
bank sizes and the hours.

These tests read the course files themselves (front matter with PyYAML, quizzes with the engine's GIFT parser in its
Moodle-import mode, which skips `$CATEGORY` lines), so they run before the engine learns question banks (issue 20).
Only the last test needs that engine: it is skipped, saying so, while `$CATEGORY` is still rejected.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from lumos_learn.content import check_courses, parse_gift

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "courses" / "eu-funding-di"
LANGS = ("en", "fr")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
QUIZ_BLOCK = re.compile(r"^```quiz\n(.*?)^```", re.S | re.M)


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def files(lang: str) -> list[Path]:
    return sorted(COURSE.glob(f"[0-9][0-9]-*.{lang}.md"))


def front_matter(path: Path) -> dict:
    return yaml.safe_load(FRONT_MATTER.match(path.read_text(encoding="utf-8")).group(1))


def prose(path: Path) -> str:
    """The module text a learner reads, without its quiz, spaces normalised (French uses no-break spaces)."""
    text = path.read_text(encoding="utf-8")
    return norm(text[: text.index("```quiz")] if "```quiz" in text else text)


def quiz(path: Path):
    text = path.read_text(encoding="utf-8")
    return [q for block in QUIZ_BLOCK.findall(text) for q in parse_gift(block, str(path), moodle_import=True)]


def final(lang: str) -> Path:
    return COURSE / f"07-final-assessment.{lang}.md"


def lessons(lang: str) -> list[Path]:
    return [p for p in files(lang) if not front_matter(p).get("graded")]


def key_text(question) -> str:
    return next(a.text for a in question.answers if a.fraction == 1)


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text)


def test_hours_are_the_modules_minutes_rounded_to_half_an_hour():
    # Every module counts, the capstone assignment included (issue 25: "hours that are true").
    course = yaml.safe_load((COURSE / "course.yml").read_text(encoding="utf-8"))
    for lang in LANGS:
        assert [p.name.split(".")[0][3:] for p in files(lang)] == course["modules"], lang
        assert course["modules"][-1] == "appraisal-memo", "the capstone comes last, after the final"
        minutes = sum(front_matter(p)["minutes"] for p in files(lang))
        assert round(minutes / 30) / 2 == course["hours"], (
            f"{lang}: {minutes} minutes, certificate says {course['hours']} h"
        )


def test_course_settings_for_a_certifying_final():
    course = yaml.safe_load((COURSE / "course.yml").read_text(encoding="utf-8"))
    assert course["version"] != "2026.1"
    assert course["max_attempts"] == 3 and course["attempt_wait_hours"] == 24
    assert course["review"] == {"practice": "full", "graded": "after-pass"}


@pytest.mark.parametrize("lang", LANGS)
def test_no_sentence_says_article_9_binds_every_operation(lang):
    wrong = {
        "en": r"article 9[^.;]*(binding on|binds) every operation",
        "fr": r"article 9[^.;]*s'impose à chaque opération",
    }[lang]
    for path in files(lang):
        text = path.read_text(encoding="utf-8")
        assert not re.search(wrong, norm(text)), f"{path.name} says Article 9 binds every operation"


@pytest.mark.parametrize("lang", LANGS)
def test_article_73_is_the_rule_for_selecting_operations(lang):
    heading = {"en": "## selecting operations: cpr article 73", "fr": "## la sélection des opérations : l'article 73"}
    regulations = prose(COURSE / f"02-regulations-and-enabling-conditions.{lang}.md")
    assert heading[lang] in regulations
    for needed in {"en": ("accessibility", "charter", "enabling condition"), "fr": ("accessibilité", "charte")}[lang]:
        assert needed in regulations.split(heading[lang])[1][:2500]
    # The appraisal modules and the final rest decisions on it too.
    for module in ("03-what-can-be-funded", "05-spotting-institutions-in-disguise"):
        assert re.search(r"article 73", prose(COURSE / f"{module}.{lang}.md")), module
    final_keys = " ".join(norm(key_text(q) + " " + q.text) for q in quiz(final(lang)) if q.type == "multichoice")
    assert "article 73" in final_keys


@pytest.mark.parametrize("lang", LANGS)
def test_the_crpd_link_in_article_9_is_not_stated_as_fact(lang):
    # Whether CPR Article 9 refers to the CRPD is [unverified] in the fact sheet: no module text, right answer or
    # feedback may say it does without telling the reader to check. (A quiz stem may quote the wrong claim.)
    hedge = {"en": r"check|not confirmed|whether|unless", "fr": r"vérifi|pas pu|si, ni comment|si le texte"}[lang]
    for path in files(lang):
        said = [prose(path)]
        for q in quiz(path):
            said += [norm(a.feedback) for a in q.answers]
            said += [norm(a.text) for a in q.answers if a.fraction > 0]
        for sentence in (s for text in said for s in sentences(text)):
            if re.search(r"article 9\b", sentence) and re.search(r"crpd|cnudph|convention", sentence):
                assert re.search(hedge, sentence), f"{path.name}: {sentence[:160]}"
    gone = {"en": "including how they refer to the crpd", "fr": "et leur renvoi à la cnudph"}[lang]
    assert gone not in prose(COURSE / f"02-regulations-and-enabling-conditions.{lang}.md")


@pytest.mark.parametrize("lang", LANGS)
def test_the_commission_approves_programmes_rather_than_adopting_them(lang):
    adopts = {
        "en": r"commission adopts the (partnership agreement|programme)|programme is adopted",
        "fr": r"commission adopte l'accord|adoption du programme",
    }[lang]
    approves = {"en": "the commission approves the partnership agreement", "fr": "la commission approuve, par voie"}
    for path in files(lang):
        assert not re.search(adopts, prose(path)), f"{path.name} still says the Commission adopts"
    assert approves[lang] in prose(COURSE / f"02-regulations-and-enabling-conditions.{lang}.md")


@pytest.mark.parametrize("lang", LANGS)
def test_the_child_poverty_share_is_not_offered_for_childrens_homes(lang):
    text = prose(COURSE / f"01-what-eu-law-requires.{lang}.md")
    old = {"en": "or children's homes. your appraisal decides which", "fr": "ou bien des foyers pour enfants"}[lang]
    assert old not in text
    paragraph = next(s for s in sentences(text) if re.search(r"(that money|cet argent)", s))
    assert re.search(r"family support|soutien aux familles", paragraph)
    assert not re.search(r"children's homes|foyers pour enfants", paragraph)


@pytest.mark.parametrize("lang", LANGS)
def test_the_key_points_say_who_documented_funds_sustaining_institutions(lang):
    text = prose(COURSE / f"01-what-eu-law-requires.{lang}.md")
    line = next(line for line in text.split(" - ") if re.search(r"documented eu funds|constaté que des fonds", line))
    documented = line.split(";")[0]
    assert "eccl" in documented and re.search(r"crpd|comité", documented)
    assert not re.search(r"ad hoc|ombudsman|médiatrice", documented), documented


@pytest.mark.parametrize("lang", LANGS)
def test_common_indicators_are_named_and_paired(lang):
    text = prose(COURSE / f"06-indicators-and-monitoring.{lang}.md")
    common = {"en": r"common (output and result )?indicators", "fr": r"indicateurs communs"}[lang]
    assert re.search(common + r"[^.]*annex", text), "the common indicators and where they are listed"
    assert re.search(r"pair it|associez-le", text)


# Review section 3: the French sentences that changed meaning or read badly, and what replaces them.
FRENCH = {
    "02-regulations-and-enabling-conditions": (
        ["selon des synthèses, il appelle", "la commission adopte", "or l'expertise en droits fondamentaux manque"],
        ["selon des synthèses, le règlement appelle", "manquent souvent d'expertise en matière de droits fondamentaux"],
    ),
    "04-partnership-and-monitoring-committees": (
        ["en temps suffisamment utile", "établissements de soins en institution", "réexamen annuel"],
        ["suffisamment rapidement", "prise en charge institutionnelle", "examen annuel des performances"],
    ),
    "06-indicators-and-monitoring": (
        ["en temps suffisamment utile", "réexamen annuel", "convention de subvention"],
        ["document fixant les conditions du soutien", "examen annuel des performances"],
    ),
    "03-what-can-be-funded": (
        ["centre d'hébergement old hill", "peut être un vrai progrès si", "communication d'orientations"],
        ["établissement d'hébergement old hill", "ne constitue un vrai progrès que si", "projets de sortie"],
    ),
    "05-spotting-institutions-in-disguise": (["centre d'hébergement old hill"], ["établissement d'hébergement"]),
    "01-what-eu-law-requires": (
        ["première organisation régionale"],
        ["première organisation d'intégration régionale", "aide personnelle"],
    ),
    "07-final-assessment": (["convention de subvention"], []),
}


@pytest.mark.parametrize("module", FRENCH)
def test_french_meaning_errors_from_the_review_are_corrected(module):
    text = norm((COURSE / f"{module}.fr.md").read_text(encoding="utf-8"))
    removed, added = FRENCH[module]
    for phrase in removed:
        assert phrase not in text, f"{module}.fr: {phrase!r}"
    for phrase in added:
        assert phrase in text, f"{module}.fr: {phrase!r} missing"


@pytest.mark.parametrize("lang", LANGS)
def test_no_final_question_repeats_a_module_question(lang):
    module_questions = [q for path in lessons(lang) for q in quiz(path)]
    texts = {norm(q.text) for q in module_questions}
    answers = {norm(a.text) for q in module_questions for a in q.answers if q.type != "truefalse"}
    for question in quiz(final(lang)):
        assert norm(question.text) not in texts, f"{question.id} repeats a module question"
        for answer in question.answers:
            if question.type != "truefalse":
                assert norm(answer.text) not in answers, f"{question.id} repeats a module answer: {answer.text}"


SUSPICIOUS = {
    "en": r"village|family-type|used to work|former|nobody will live",
    "fr": r"village|type familial|travaillait|personne n'y vivra",
}
REASSURING = {"en": r"independent living|community|in town", "fr": r"vie autonome|proximité|en ville"}


def kinds(lang: str) -> tuple[set, set]:
    """Ids of the final's proposals that look suspicious but are keyed compatible, and of the reassuringly named
    proposals keyed not compatible (institutions in disguise)."""
    questions = quiz(final(lang))
    suspicious = {
        q.id
        for q in questions
        if re.search(SUSPICIOUS[lang], norm(q.text))
        and (
            (q.type == "multichoice" and norm(key_text(q)).startswith("compatible"))
            or (q.type == "truefalse" and q.answer is True)
        )
    }
    disguised = {
        q.id
        for q in questions
        if q.type == "multichoice"
        and re.search(REASSURING[lang], norm(q.text))
        and norm(key_text(q)).startswith(("not compatible", "non compatible"))
    }
    return suspicious, disguised


@pytest.mark.parametrize("lang", LANGS)
def test_the_final_holds_compatible_proposals_that_look_suspicious_and_disguised_institutions(lang):
    suspicious, disguised = kinds(lang)
    assert len(suspicious) >= 3, suspicious
    assert len(disguised) >= 2, disguised
    assert (suspicious, disguised) == kinds("en"), "the same items in both languages"


@pytest.mark.parametrize("lang", LANGS)
def test_no_length_or_position_cue_and_balanced_true_false(lang):
    single = []
    truths = []
    for path in files(lang):
        for q in quiz(path):
            if q.type == "multichoice":
                single.append(q)
            elif q.type == "truefalse":
                truths.append(q.answer)
    longest = shortest = 0
    positions = Counter()
    for q in single:
        lengths = [len(a.text) for a in q.answers]
        k = next(i for i, a in enumerate(q.answers) if a.fraction == 1)
        others = lengths[:k] + lengths[k + 1 :]
        longest += lengths[k] > max(others)
        shortest += lengths[k] < min(others)
        positions[k] += 1
    assert len(single) >= 20
    assert longest <= 0.25 * len(single), f"{lang}: the key is the longest option in {longest} of {len(single)}"
    assert shortest <= 0.25 * len(single), f"{lang}: the key is the shortest option in {shortest} of {len(single)}"
    assert max(positions.values()) <= 0.35 * len(single), f"{lang}: key positions {dict(positions)}"
    assert 0.40 <= sum(truths) / len(truths) <= 0.60, f"{lang}: {sum(truths)} of {len(truths)} true"


def test_the_final_is_a_bank_grouped_by_objective_at_least_twice_its_draw():
    english, french = front_matter(final("en")), front_matter(final("fr"))
    assert [(g["id"], g["draw"]) for g in english["groups"]] == [(g["id"], g["draw"]) for g in french["groups"]]
    assert 12 <= sum(g["draw"] for g in english["groups"]) <= 16
    for lang, meta in (("en", english), ("fr", french)):
        text = final(lang).read_text(encoding="utf-8")
        block = QUIZ_BLOCK.search(text).group(1)
        counts = Counter()
        group = None
        for line in block.splitlines():
            category = re.match(r"^\$CATEGORY:\s*(\S+)", line)
            if category:
                group = category.group(1)
            elif re.match(r"^::[a-z0-9-]+::", line):
                assert group, f"{lang}: a question before the first $CATEGORY"
                counts[group] += 1
        assert list(counts) == [g["id"] for g in meta["groups"]], lang
        for g in meta["groups"]:
            assert counts[g["id"]] >= 2 * g["draw"], f"{lang}: group {g['id']} holds {counts[g['id']]}"
            assert len(g["objective"]) > 40
    for en, fr in zip(english["groups"], french["groups"], strict=True):
        assert en["objective"] != fr["objective"], "the French objective is translated"


def test_the_course_passes_the_engine_check_with_its_question_banks():
    # Needs the question-bank parser of issue 20: until it lands, the engine rejects $CATEGORY in course quizzes.
    problems: list = []
    parse_gift("$CATEGORY: probe\n\n::probe-q::Probe? {T}", problems=problems)
    if problems:
        pytest.skip("the course engine does not read $CATEGORY groups yet (issue 20)")
    problems = [p for p in check_courses(ROOT / "courses") if "eu-funding-di" in str(p)]
    assert problems == []


# ---- Issue 25, part 2: the capstone appraisal memo and the job aids ------------------------------------------------

ASSIGNMENT_BLOCK = re.compile(r"^```assignment\n(.*?)^```", re.S | re.M)
CAPSTONE = "08-appraisal-memo"
TEACHING = (
    "what-eu-law-requires",
    "regulations-and-enabling-conditions",
    "what-can-be-funded",
    "partnership-and-monitoring-committees",
    "spotting-institutions-in-disguise",
    "indicators-and-monitoring",
)
AIDS = COURSE / "aids"


def capstone(lang: str) -> dict:
    text = (COURSE / f"{CAPSTONE}.{lang}.md").read_text(encoding="utf-8")
    (block,) = ASSIGNMENT_BLOCK.findall(text)
    return yaml.safe_load(block)


def aid_front(path: Path) -> dict:
    return front_matter(path)


def aid_text(path: Path) -> str:
    return norm(FRONT_MATTER.sub("", path.read_text(encoding="utf-8")))


def test_completion_counts_the_capstone_assignment():
    course = yaml.safe_load((COURSE / "course.yml").read_text(encoding="utf-8"))
    assert course["completion"] == "read-all-pass-graded-and-assignments"
    assert course.get("assessment", "trainer") == "trainer"
    for lang in LANGS:
        path = COURSE / f"{CAPSTONE}.{lang}.md"
        meta = front_matter(path)
        assert not meta.get("graded") and 90 <= meta["minutes"] <= 150, lang
        assert "```quiz" not in path.read_text(encoding="utf-8"), "the capstone has no quiz"


def test_the_capstone_has_the_same_ids_points_and_essentials_in_every_language():
    def skeleton(block: dict) -> tuple:
        return (
            block["id"],
            block["words"],
            block.get("attachments", False),
            block["pass_level"],
            [
                (c["id"], c.get("essential", False), [(lv["id"], lv["points"]) for lv in c["levels"]])
                for c in block["criteria"]
            ],
        )

    english, french = capstone("en"), capstone("fr")
    assert skeleton(english) == skeleton(french)
    criteria = english["criteria"]
    assert 4 <= len(criteria) <= 6
    assert sum(bool(c.get("essential")) for c in criteria) >= 2
    for c in criteria:
        assert [(lv["id"], lv["points"]) for lv in c["levels"]] == [("not-yet", 0), ("meets", 2), ("exceeds", 3)]
    for key in ("title", "task", "case", "model_answer"):
        assert english[key].strip() and french[key].strip() and norm(english[key]) != norm(french[key]), key
    for en, fr in zip(criteria, french["criteria"], strict=True):
        for en_level, fr_level in zip(en["levels"], fr["levels"], strict=True):
            assert norm(en_level["descriptor"]) != norm(fr_level["descriptor"]), f"{en['id']} is translated"


# What each criterion is about, as the model answer must show it (English, French).
CRITERION_SUBJECTS = {
    "recommendation": [("recommendation: select with conditions", "recommandation : sélectionner sous conditions")],
    "legal-basis": [
        ("article 73(2)(b)", "paragraphe 2, point b)"),
        ("2 june 2021", "2 juin 2021"),
        ("eur-lex", "eur-lex"),
        ("enabling condition", "condition favorisante"),
    ],
    "red-flags": [
        ("riverside court", "riverside court"),
        ("varga", "varga"),
        ("retrained", "reconverti"),
        ("a real problem", "un vrai problème"),
    ],
    "indicators": [
        ("common indicator", "indicateurs communs"),
        ("12 months later", "12 mois plus tard"),
        ("new admissions to old hill per year: zero", "nouvelles admissions à old hill par an : zéro"),
    ],
    "monitoring": [
        ("document setting out the conditions for support", "document fixant les conditions du soutien"),
        ("on-the-spot verification", "vérification sur place"),
        ("monitoring committee", "comité de suivi"),
        ("suspended", "suspendus"),
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_model_answer_is_within_its_word_range_and_covers_every_criterion(lang):
    from lumos_learn.content.assignment import count_words

    block = capstone(lang)
    low, high = (int(n) for n in block["words"].split("-"))
    assert low >= 500 and high <= 1200
    assert low <= count_words(block["model_answer"]) <= high
    answer = norm(block["model_answer"].replace("**", "").replace("*", ""))
    assert set(CRITERION_SUBJECTS) == {c["id"] for c in block["criteria"]}
    for criterion, phrases in CRITERION_SUBJECTS.items():
        for en, fr in phrases:
            assert norm({"en": en, "fr": fr}[lang]) in answer, f"{lang}: {criterion} needs {en!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_case_needs_judgement_not_pattern_matching(lang):
    # Features that look like red flags but are compatible, and at least one real problem: the model answer must
    # clear at least three such features and find at least two real problems, in every language.
    answer = norm(capstone(lang)["model_answer"].replace("**", "").replace("*", ""))
    cleared = {"en": r"\. compatible\b", "fr": r"\. compatible\b"}[lang]
    real = {"en": r"a real problem", "fr": r"un vrai problème"}[lang]
    assert len(re.findall(cleared, answer)) >= 3
    assert len(re.findall(real, answer)) >= 2
    case = norm(capstone(lang)["case"])
    for feature in ("riverside court", "varga", "old hill"):
        assert feature in case


UNVERIFIED = re.compile(
    r"article 15|annex (iii|iv)|annexe (iii|iv)|articles? (38|39|40|63|74)\b|\(d\)\((iii|v)\)|point \(k\)"
)
HEDGE = {
    "en": r"commonly cited|check|not confirmed|no such|not found",
    "fr": r"couramment cité|vérifi|non confirmé|aucune",
}


def course_texts(lang: str) -> list[tuple[str, str]]:
    """The capstone's text and every job aid, as (name, normalised text)."""
    block = capstone(lang)
    texts = [(f"{CAPSTONE}.{lang}", norm(" ".join(str(block[k]) for k in ("task", "case", "model_answer"))))]
    texts += [(p.name, aid_text(p)) for p in sorted(AIDS.glob(f"*.{lang}.md"))]
    return texts


@pytest.mark.parametrize("lang", LANGS)
def test_capstone_and_aids_state_no_unverified_article_as_fact(lang):
    # The fact sheet marks the enabling-conditions article, Annexes III and IV, the monitoring-committee and
    # verification articles and the ESF+/ERDF point letters [unverified]: they may appear only with a hedge.
    assert len(course_texts(lang)) >= 7
    for name, text in course_texts(lang):
        for sentence in re.split(r"(?<=[.!?])\s+|\s-\s", text):
            if UNVERIFIED.search(sentence):
                assert re.search(HEDGE[lang], sentence), f"{name}: {sentence[:160]}"
            if re.search(r"article 9\b", sentence) and re.search(r"crpd|cnudph", sentence):
                assert re.search(HEDGE[lang], sentence), f"{name}: {sentence[:160]}"


ARTICLE = re.compile(r"\barticles? (\d+)((?:(?: \([^)]*\))?(?:,| and| et) \d+)*)")


def articles(text: str) -> set[str]:
    """Article numbers cited, lists included: "articles 24 (rights of the child) and 26" gives 24 and 26."""
    found = set()
    for first, rest in ARTICLE.findall(text):
        found |= {first, *re.findall(r"(?:,| and| et) (\d+)", rest)}
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_article_an_aid_or_the_capstone_cites_is_one_the_modules_cite(lang):
    taught = set()
    for path in lessons(lang):
        if not path.name.startswith(CAPSTONE):
            taught |= articles(norm(path.read_text(encoding="utf-8")))
    for name, text in course_texts(lang):
        cited = articles(text)
        assert cited <= taught, f"{name} cites articles no module teaches: {sorted(cited - taught)}"


def test_every_teaching_module_has_a_job_aid_in_every_language():
    sources = sorted(AIDS.glob("*.en.md"))
    covered = {aid_front(p)["module"] for p in sources}
    assert covered >= set(TEACHING), f"no job aid for {sorted(set(TEACHING) - covered)}"
    assert not covered - set(TEACHING), "aids belong to teaching modules, not the final or the capstone"
    for source in sources:
        slug = source.name.split(".")[0]
        meta = aid_front(source)
        assert meta["kind"] in ("checklist", "card", "template", "worksheet")
        for lang in LANGS[1:]:
            translation = AIDS / f"{slug}.{lang}.md"
            assert translation.exists(), f"{slug} has no {lang} version"
            translated = aid_front(translation)
            assert translated["title"] != meta["title"], f"{slug}.{lang}: the title is translated"
            assert translated.get("kind", meta["kind"]) == meta["kind"]
            assert translated.get("module", meta["module"]) == meta["module"]


def test_the_named_job_aids_of_the_issue_exist():
    titles = {aid_front(p)["title"].casefold() for p in AIDS.glob("*.en.md")}
    for wanted in ("four-question appraisal", "red flags", "secretariat", "indicator pairing"):
        assert any(wanted in title for title in titles), wanted


def test_cards_and_checklists_fit_one_a4_page_and_worksheets_two(app):
    from io import BytesIO

    from pypdf import PdfReader

    from lumos_learn import create_app

    shipped = create_app({**app.config, "COURSES_DIR": str(ROOT / "courses")}).test_client()
    version = yaml.safe_load((COURSE / "course.yml").read_text(encoding="utf-8"))["version"]
    checked = 0
    for source in sorted(AIDS.glob("*.en.md")):
        slug = source.name.split(".")[0]
        kind = aid_front(source)["kind"]
        for lang in LANGS:
            response = shipped.get(f"/en/courses/eu-funding-di/aids/{slug}.pdf?content={lang}")
            assert response.status_code == 200 and response.mimetype == "application/pdf", (slug, lang)
            reader = PdfReader(BytesIO(response.data))
            text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
            assert f"version {version}" in text
            title = aid_front(AIDS / f"{slug}.{lang}.md")["title"]
            assert " ".join(title.split()) in text, (slug, lang)
            limit = 2 if kind in ("worksheet", "template") else 1
            assert len(reader.pages) <= limit, f"{slug}.{lang}: {len(reader.pages)} pages for a {kind}"
            checked += 1
    assert checked >= 12


def test_the_indicator_pairing_sheet_downloads_as_a_translated_spreadsheet(app):
    from io import BytesIO

    from openpyxl import load_workbook

    from lumos_learn import create_app

    shipped = create_app({**app.config, "COURSES_DIR": str(ROOT / "courses")}).test_client()
    columns = {}
    for lang in LANGS:
        response = shipped.get(f"/en/courses/eu-funding-di/aids/indicator-pairing-sheet.xlsx?content={lang}")
        assert response.status_code == 200, lang
        sheet = load_workbook(BytesIO(response.data)).active
        columns[lang] = [c.value for c in sheet[3]]
    assert columns["en"][:2] == [
        "Common indicator the programme reports",
        "Programme-specific result indicator about people",
    ]
    assert (
        len(columns["fr"]) == len(columns["en"]) and columns["fr"][0] == "Indicateur commun renseigné par le programme"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_change_log_has_this_version_in_every_language(lang):
    version = yaml.safe_load((COURSE / "course.yml").read_text(encoding="utf-8"))["version"]
    text = (COURSE / "CHANGES.md").read_text(encoding="utf-8")
    section = text.split(f"<!-- lang: {lang} -->", 1)[1].split("<!-- lang:", 1)[0]
    first = re.search(r"^### (.*)$", section, re.M).group(1)
    assert first.startswith(f"Version {version} "), f"{lang}: the newest entry is {first!r}"
    assert {"en": "capstone", "fr": "travail de synthèse"}[lang] in norm(section.split("### ", 2)[1])
