"""Question banks in course files: `$CATEGORY` groups, `draw`, `groups`, `critical`, `review`, exemptions."""

from __future__ import annotations

import pytest
from course_files import COURSE_YML, write_course

from lumos_learn.content import check_courses, load_library, parse_gift, write_gift

BANK_EN = """\
---
title: Final check
minutes: 10
graded: true
groups:
  - id: choking
    objective: "Respond to a choking child: back blows first"
    draw: 1
    critical: true
  - id: texture
    objective: "Give each child the texture in their plan"
    draw: 2
critical: [tex-3]
review: full
---

## The check

```quiz
$CATEGORY: choking
::ch-1::A child chokes and cannot cough. First? {=Back blows ~Water ~Wait}

::ch-2::A child chokes silently. First? {=Back blows ~A drink ~Lie down}

$CATEGORY: texture
// exempt longest-key: the key must name both steps of the check; the distractors are complete too
::tex-1::Which texture? {=The one in the plan, checked twice ~Any soft food ~What the child wants}

::tex-2::Thickened drinks are optional. {F}

::tex-3::Who sets the texture? {=The speech therapist ~The cook ~The parent}

::tex-reflect::What will you check first? {}
```
"""

BANK_RO = """\
---
title: Verificarea finală
minutes: 10
groups:
  - id: choking
    objective: "Răspundeți unui copil care se sufocă"
    draw: 1
    critical: true
  - id: texture
    objective: "Dați fiecărui copil textura din plan"
    draw: 2
---

## Verificarea

```quiz
$CATEGORY: choking
::ch-1::Un copil se sufocă. Primul pas? {=Lovituri pe spate ~Apă ~Așteptați}

::ch-2::Un copil se sufocă în tăcere. Primul pas? {=Lovituri pe spate ~O băutură ~Culcat}

$CATEGORY: texture
::tex-1::Ce textură? {=Cea din plan ~Orice ~Ce vrea copilul}

::tex-2::Băuturile îngroșate sunt opționale. {F}

::tex-3::Cine stabilește textura? {=Logopedul ~Bucătarul ~Părintele}

::tex-reflect::Ce veți verifica întâi? {}
```
"""


def problems_of(root):
    return [(p.path.rsplit("/", 1)[-1], p.line, p.message) for p in check_courses(root)]


@pytest.fixture
def bank(demo):
    write_course(demo, {"02-final-check.en.md": BANK_EN, "02-final-check.ro.md": BANK_RO})
    return demo


def test_groups_draws_and_critical_questions_load(bank):
    final = load_library(bank).get("demo").module("final-check")
    en, ro = final.text("en"), final.text("ro")
    assert [(q.id, q.group) for q in en.quiz.questions] == [
        ("ch-1", "choking"),
        ("ch-2", "choking"),
        ("tex-1", "texture"),
        ("tex-2", "texture"),
        ("tex-3", "texture"),
        ("tex-reflect", "texture"),
    ]
    assert [(g.id, g.draw, g.critical) for g in en.groups] == [("choking", 1, True), ("texture", 2, False)]
    assert en.groups[0].objective == "Respond to a choking child: back blows first"
    assert ro.groups[0].objective == "Răspundeți unui copil care se sufocă"  # the objective is translated
    assert en.critical_ids() == {"ch-1", "ch-2", "tex-3"} == ro.critical_ids()
    assert en.review == ro.review == "full" and en.draw is None
    tex1 = en.quiz.question("tex-1")
    assert tex1.exempt_from("longest-key") and not tex1.exempt_from("key-position")
    assert tex1.exemptions[0][2] == 26  # the comment's line


def test_a_quiz_without_banks_asks_everything_as_before(demo):
    final = load_library(demo).get("demo").module("final-check").text("en")
    assert (final.draw, final.groups, final.critical, final.review) == (None, (), frozenset(), None)
    assert [q.group for q in final.quiz.questions] == [""]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (  # a question before the first $CATEGORY
            lambda t: t.replace(
                "$CATEGORY: choking\n::ch-1::", "::ch-0::Zero? {=a ~b}\n\n$CATEGORY: choking\n::ch-1::"
            ),
            (
                20,
                "question 'ch-0' comes before the first $CATEGORY line: in a quiz with groups every question "
                "belongs to one",
            ),
        ),
        (  # $CATEGORY in the quiz, no groups: in the front matter
            lambda t: t.replace(t[t.index("groups:") : t.index("critical: [tex-3]")], ""),
            (
                12,
                "the quiz has $CATEGORY groups: list each one under groups: in the front matter (id, objective, draw)",
            ),
        ),
        (  # groups: in the front matter, no $CATEGORY in the quiz
            lambda t: t.replace("$CATEGORY: choking\n", "").replace("$CATEGORY: texture\n", ""),
            (5, "groups: the quiz has no $CATEGORY: <group-id> lines to start its groups"),
        ),
        (  # a malformed group id
            lambda t: t.replace("$CATEGORY: texture", "$CATEGORY: Texture!"),
            (25, "group id 'Texture!' must use lower-case letters, digits and - ($CATEGORY: choking)"),
        ),
        (  # a group in the front matter the quiz never starts
            lambda t: t.replace("$CATEGORY: texture", "$CATEGORY: textures"),
            (10, "group 'texture' has no '$CATEGORY: texture' line in the quiz"),
        ),
        (  # groups listed out of order
            lambda t: t.replace("$CATEGORY: choking\n", "$CATEGORY: texture\n", 1).replace(
                "$CATEGORY: texture\n// exempt", "$CATEGORY: choking\n// exempt"
            ),
            (5, "groups: list the groups in the order of the quiz: texture, choking"),
        ),
        (  # a group started twice
            lambda t: t.replace(
                "::tex-3::", "$CATEGORY: choking\n::ch-3::Again? {=a ~b}\n\n$CATEGORY: texture\n::tex-3::"
            ),
            (
                31,
                "group 'choking' already started at line 20: keep a group's questions together under one "
                "$CATEGORY line",
            ),
        ),
        (  # a group drawing more than it has (the reflection does not count)
            lambda t: t.replace("draw: 2", "draw: 4"),
            (10, "group 'texture' draws 4 but has 3 questions (reflections are not counted)"),
        ),
        (  # a group without an objective
            lambda t: t.replace('    objective: "Give each child the texture in their plan"\n', ""),
            (10, "group 'texture' needs an objective: the sentence a learner who missed it revisits"),
        ),
        (
            lambda t: t.replace("draw: 1", "draw: 0"),
            (8, "group 'choking' needs draw: a whole number of questions asked per attempt, 1 or more"),
        ),
        (
            lambda t: t.replace("    critical: true\n", "    critical: yes please\n    weight: 2\n"),
            (9, "group 'choking': critical must be true or false"),
        ),
        (  # critical names a question that does not exist
            lambda t: t.replace("critical: [tex-3]", "critical: [tex-9]"),
            (13, "critical: 'tex-9' is not a question of this module's quiz"),
        ),
        (
            lambda t: t.replace("critical: [tex-3]", "critical: [tex-reflect]"),
            (13, "critical: 'tex-reflect' is a reflection, which is not graded"),
        ),
        (
            lambda t: t.replace("critical: [tex-3]", "critical: tex-3"),
            (13, "critical must be a list of question ids, e.g. critical: [fin-texture-check]"),
        ),
        (  # draw: with groups
            lambda t: t.replace("review: full", "review: full\ndraw: 2"),
            (15, "draw: is for a quiz without groups: give each group its own draw under groups:"),
        ),
        (
            lambda t: t.replace("review: full", "review: sometimes"),
            (14, "review must be one of: full, score, after-pass"),
        ),
    ],
)
def test_bank_problems_name_their_line(demo, change, expected):
    write_course(demo, {"02-final-check.en.md": change(BANK_EN)})
    found = [(line, message) for name, line, message in problems_of(demo) if name == "02-final-check.en.md"]
    assert expected in found, found


def test_draw_larger_than_the_quiz(demo):
    final = """\
    ---
    title: Final check
    minutes: 10
    graded: true
    draw: 3
    ---

    ## The check

    ```quiz
    ::a::One? {=a ~b}

    ::b::Two? {T}

    ::c::Think {}
    ```
    """
    write_course(demo, {"02-final-check.en.md": final})
    assert problems_of(demo) == [
        ("02-final-check.en.md", 5, "draw: 3 is more than the 2 questions of the quiz (reflections are not counted)")
    ]
    write_course(demo, {"02-final-check.en.md": final.replace("draw: 3", "draw: 2")})
    assert load_library(demo).get("demo").module("final-check").text("en").draw == 2
    write_course(demo, {"02-final-check.en.md": final.replace("draw: 3", "draw: two")})
    assert problems_of(demo) == [("02-final-check.en.md", 5, "draw must be a whole number of questions, 1 or more")]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda t: t.replace("    draw: 2\n", "    draw: 3\n"),
            (
                9,
                "groups must have the same ids, draws and critical flags, in the same order, as the en source: "
                "only the objectives are translated",
            ),
        ),
        (
            lambda t: t.replace("    critical: true\n", ""),
            (
                5,
                "groups must have the same ids, draws and critical flags, in the same order, as the en source: "
                "only the objectives are translated",
            ),
        ),
        (
            lambda t: t.replace("minutes: 10\n", "minutes: 10\ncritical: [tex-1]\n"),
            (4, "critical must list the same questions as the en source"),
        ),
        (
            lambda t: t.replace("minutes: 10\n", "minutes: 10\ndraw: 2\n"),
            (4, "draw must be the same as in the en source (none)"),
        ),
        (
            lambda t: t.replace(t[t.index("groups:") : t.index("---\n\n##")], ""),
            (
                1,
                "front matter is missing groups: repeat the en source's groups, with the objectives written in "
                "this language",
            ),
        ),
        (  # a question moved to another group
            lambda t: t.replace("$CATEGORY: texture\n::tex-1::", "::tex-1::").replace(
                "::tex-2::", "$CATEGORY: texture\n::tex-2::"
            ),
            (22, "question 'tex-1' differs from the en source: in group 'choking' here, 'texture' in the source"),
        ),
        (
            lambda t: t.replace("::tex-1::", "// exempt longest-key: the key must name both steps of it\n::tex-1::"),
            (23, "exempt longest-key: exemptions go in the en source file, before the question"),
        ),
    ],
)
def test_translations_keep_the_source_banks(bank, change, expected):
    write_course(bank, {"02-final-check.ro.md": change(BANK_RO)})
    found = [(line, message) for name, line, message in problems_of(bank) if name == "02-final-check.ro.md"]
    assert expected in found, found


def test_bank_keys_need_a_quiz(demo):
    first = "---\ntitle: First\nminutes: 5\ndraw: 2\ncritical: [x]\n---\n\nText.\n"
    write_course(demo, {"01-first-steps.en.md": first})
    found = problems_of(demo)
    assert ("01-first-steps.en.md", 4, "draw: this module has no ```quiz to draw from") in found
    assert ("01-first-steps.en.md", 5, "critical: this module has no ```quiz to draw from") in found


@pytest.mark.parametrize(
    ("yml", "line", "message"),
    [
        ("attempt_wait_hours: -1", 11, "attempt_wait_hours must be a whole number of hours, 0 for no waiting"),
        ("attempt_wait_hours: soon", 11, "attempt_wait_hours must be a whole number of hours, 0 for no waiting"),
        ("review:\n  graded: sometimes", 12, "review: graded must be one of: after-pass, full, score"),
        ("review:\n  practice: after-pass", 12, "review: practice must be one of: full, score"),
        ("review:\n  exam: full", 12, "review: unknown key 'exam' (allowed: practice, graded)"),
    ],
)
def test_course_yml_attempt_rules_and_review(demo, yml, line, message):
    write_course(demo, {"course.yml": COURSE_YML.replace("max_attempts: 3\n", f"max_attempts: 3\n{yml}\n")})
    assert problems_of(demo) == [("course.yml", line, message)]


def test_course_yml_rules_and_defaults(demo):
    course = load_library(demo).get("demo")
    assert (course.attempt_wait_hours, course.review_practice, course.review_graded) == (0, "full", "after-pass")
    write_course(
        demo,
        {
            "course.yml": COURSE_YML.replace(
                "max_attempts: 3\n", "max_attempts: 3\nattempt_wait_hours: 24\nreview:\n  graded: score\n"
            )
        },
    )
    course = load_library(demo).get("demo")
    assert (course.attempt_wait_hours, course.review_practice, course.review_graded) == (24, "full", "score")


def test_groups_round_trip_through_gift_and_export_as_moodle_subcategories(bank):
    quiz = load_library(bank).get("demo").module("final-check").text("en").quiz
    plain = write_gift(quiz.questions)
    assert plain.startswith("$CATEGORY: choking\n\n::ch-1::")
    assert "$CATEGORY: texture\n\n// exempt longest-key: the key must name both steps" in plain
    again = parse_gift(plain)
    assert again == list(quiz.questions)
    assert [q.exemptions[0][:2] for q in again if q.exemptions] == [
        ("longest-key", "the key must name both steps of the check; the distractors are complete too")
    ]
    moodle = write_gift(quiz.questions, category="demo/02-final-check")
    assert "$CATEGORY: demo/02-final-check/choking" in moodle and "$CATEGORY: demo/02-final-check/texture" in moodle
    # importing a Moodle bank still drops its categories, as documented
    imported = parse_gift(moodle, moodle_import=True)
    assert [q.id for q in imported] == [q.id for q in quiz.questions] and {q.group for q in imported} == {""}


def test_the_guides_bank_example_loads(courses_dir):
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "courses" / "README.md").read_text(encoding="utf-8")
    example = guide.split("````markdown bank\n", 1)[1].split("\n````", 1)[0]
    write_course(
        courses_dir,
        {
            "course.yml": COURSE_YML.replace("languages: [en, ro]", "languages: [en]")
            .replace(', ro: "Curs demo"', "")
            .replace(', ro: "Un curs pentru teste."', "")
            .replace(', ro: "Testeri."', "")
            .replace('      ro: "Pot testa."\n', "")
            .replace("hours: 0.5", "hours: 1"),
            "01-first-steps.en.md": "---\ntitle: First\nminutes: 20\n---\n\nText.\n",
            "02-final-check.en.md": example + "\n",
        },
    )
    assert check_courses(courses_dir) == []
    final = load_library(courses_dir).get("demo").module("final-check").text("en")
    assert [(g.id, g.draw, g.critical) for g in final.groups] == [("choking", 1, True), ("texture", 1, False)]
    assert final.critical_ids() == {"fin-choke-1", "fin-choke-2", "fin-texture-who"}
