"""Loading courses: the model built from files, and every validation problem at its file and line."""

from __future__ import annotations

import dataclasses
import re
import textwrap

import pytest
from course_files import COURSE_YML, FINAL_EN, FIRST_EN, default_files, write_course

from lumos_learn.content import CourseValidationError, Problem, check_courses, load_library


def problems_of(root):
    return [(p.path.rsplit("/", 1)[-1], p.line, p.message) for p in check_courses(root)]


def test_valid_course_loads_into_model(demo):
    lib = load_library(demo)
    course = lib.get("demo")
    assert [c.slug for c in lib.courses] == ["demo"]
    assert lib.get("missing") is None
    assert course.version == "2026.1"
    assert course.languages == ("en", "ro")
    assert (course.hours, course.pass_mark, course.max_attempts) == (0.5, 80, 3)
    assert [m.slug for m in course.modules] == ["first-steps", "final-check"]
    assert [(m.number, m.position) for m in course.modules] == [(1, 0), (2, 1)]
    assert [m.slug for m in course.graded_modules] == ["final-check"]
    assert course.question_ids == frozenset({"first-q", "final-q"})
    assert course.confidence[0].id == "can-test"
    assert course.confidence[0].text["ro"] == "Pot testa."
    first = course.module("first-steps").text("en")
    assert first.title == "First steps" and first.minutes == 20
    assert first.objectives == ("Take the first step.",)
    assert first.toc == ((2, "why-it-matters", "Why it matters"),)
    assert '<a href="../final-check/#the-check">' in first.html
    assert "```" not in first.html and "first-q" not in first.html  # quiz removed from the body
    assert first.quiz.question("first-q").answer is True
    assert len(first.content_hash) == 64


def test_library_is_immutable(demo):
    course = load_library(demo).get("demo")
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.pass_mark = 0
    with pytest.raises(TypeError):
        course.title["en"] = "changed"
    with pytest.raises(TypeError):
        course.modules[0].versions["ro"] = None


def test_fallback_to_source_language(demo):
    write_course(demo, {"01-first-steps.ro.md": FIRST_EN.replace("First steps", "Primii pași")})
    course = load_library(demo).get("demo")
    first, final = course.modules
    assert first.text("ro").lang == "ro" and first.text("ro").title == "Primii pași"
    assert first.languages == ("en", "ro")
    assert final.text("ro").lang == "en"  # not translated: falls back
    assert final.languages == ("en",)
    assert course.text("title", "ro") == ("Curs demo", "ro")
    assert course.text("title", "uk") == ("Demo course", "en")


def test_error_lists_every_problem_with_path_and_line(demo):
    write_course(demo, {"course.yml": COURSE_YML.replace("hours: 0.5", "hours: 0.5\ncolour: blue")})
    write_course(demo, {"02-final-check.en.md": FINAL_EN.replace("minutes: 10", "minutes: 10\nauthor: me")})
    with pytest.raises(CourseValidationError) as err:
        load_library(demo)
    lines = str(err.value).splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(
        "demo/02-final-check.en.md:4: unknown front matter key 'author' "
        "(allowed: title, minutes, objectives, graded, draw, groups, critical, review, source_hash)"
    )
    assert "demo/course.yml:9: unknown key 'colour'" in lines[1]
    assert err.value.problems == tuple(check_courses(demo))


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("slug: demo", "slug: other"), 1, "slug 'other' must equal the folder name 'demo'"),
        (("slug: demo\n", ""), 1, "missing required key 'slug'"),
        (('version: "2026.1"', "version: 2026.1"), 2, "version must be a quoted string"),
        (("languages: [en, ro]", "languages: [ro, en]"), 4, "languages must list the source language 'en' first"),
        (
            ('title: {en: "Demo course", ro: "Curs demo"}', 'title: {en: "Demo course"}'),
            5,
            "title: missing the ro text",
        ),
        (
            ('audience: {en: "Testers.", ro: "Testeri."}', 'audience: {en: "Testers.", ro: "Testeri.", fr: "x"}'),
            7,
            "audience: 'fr' is not in the course languages",
        ),
        (("pass_mark: 80", "pass_mark: 180"), 9, "pass_mark must be a whole percentage"),
        (("attempt_policy: best", "attempt_policy: first"), 11, "attempt_policy must be 'best' or 'last'"),
        (
            ("  - final-check\n", "  - final-check\n  - missing-module\n"),
            17,
            "module 'missing-module' has no file 03-missing-module.en.md",
        ),
        (('      ro: "Pot testa."\n', ""), 19, "confidence 'can-test': missing the ro text"),
        (("  - id: can-test", "  - id: Can Test"), 18, "confidence statement needs an id"),
        (("hours: 0.5", "hours: [0.5"), 9, "YAML syntax"),
    ],
)
def test_course_yml_problems(demo, change, line, message):
    write_course(demo, {"course.yml": COURSE_YML.replace(*change)})
    found = problems_of(demo)
    assert any(p[0] == "course.yml" and p[1] == line and message in p[2] for p in found), found


def test_module_file_not_listed_numbered_wrong_or_in_unknown_language(demo):
    write_course(
        demo,
        {
            "03-extra.en.md": FIRST_EN,
            "01-final-check.ro.md": FINAL_EN,
            "01-first-steps.fr.md": FIRST_EN,
            "notes.md": "scratch",
            "CHANGES.md": "# What changed in this version\n",
        },
    )
    # CHANGES.md is the course's change log, not a module: it is the only other Markdown file allowed.
    assert problems_of(demo) == [
        (
            "01-final-check.ro.md",
            0,
            "module 'final-check' is number 02 in course.yml: rename the file to 02-final-check.ro.md",
        ),
        ("01-first-steps.fr.md", 0, "language 'fr' is not in the course languages"),
        ("03-extra.en.md", 0, "module 'extra' is not listed under modules: in course.yml"),
        ("notes.md", 0, "not a module file name: NN-<module-slug>.<lang>.md"),
    ]


def test_front_matter_problems_point_at_their_lines(demo):
    write_course(
        demo,
        {
            "01-first-steps.en.md": """\
        ---
        title: First steps
        minutes: twenty
        objectives: one objective
        graded: maybe
        ---

        Text.
        """
        },
    )
    assert problems_of(demo) == [
        ("01-first-steps.en.md", 3, "minutes must be a whole number above 0"),
        ("01-first-steps.en.md", 4, "objectives must be a list of sentences, one per '- ' line"),
        ("01-first-steps.en.md", 5, "graded must be true or false"),
    ]


def test_objective_with_colon_is_explained(demo):
    write_course(
        demo, {"01-first-steps.en.md": FIRST_EN.replace("Take the first step.", "Assess needs: which children")}
    )
    assert problems_of(demo) == [
        (
            "01-first-steps.en.md",
            5,
            'objective read as "key: value" because of ": " inside it: put the sentence in double quotes',
        )
    ]


def test_missing_front_matter(demo):
    write_course(demo, {"01-first-steps.en.md": "## Just text\n"})
    assert problems_of(demo) == [
        (
            "01-first-steps.en.md",
            1,
            "a module file starts with front matter: a line '---', title: and minutes:, then '---'",
        )
    ]


def test_markdown_problems_count_front_matter_lines(demo):
    body = FIRST_EN.replace(
        "## Why it matters",
        '# Big title\n\n!!! danger "Careful"\n    text\n\n![](media/none.png)\n\n[elsewhere](../other/page.html)',
    )
    write_course(demo, {"01-first-steps.en.md": body})
    found = [p for p in problems_of(demo) if p[0] == "01-first-steps.en.md"]
    assert found == [
        (
            "01-first-steps.en.md",
            8,
            "level-1 heading: the page prints the module title; start headings at ## (level 2)",
        ),
        ("01-first-steps.en.md", 10, 'box type must be one of case, key, warning, note, tip: !!! note "Title"'),
        ("01-first-steps.en.md", 13, "image file not found: media/none.png"),
        ("01-first-steps.en.md", 13, "image needs a text description (alt text)"),
        (
            "01-first-steps.en.md",
            15,
            "link '../other/page.html' not allowed: use https://..., mailto:, #anchor or another module's NN-slug.md",
        ),
    ]


def test_module_links_are_checked(demo):
    body = FIRST_EN.replace("Body with", "[a](07-nowhere.md) [b](01-final-check.md)\n[c](02-final-check.ro.md)")
    write_course(demo, {"01-first-steps.en.md": body})
    assert [(p[1], p[2]) for p in problems_of(demo)] == [
        (10, "link to unknown module 'nowhere'"),
        (10, "module 'final-check' is number 02: link to 02-final-check.md"),
        (11, "link to a module without the language: 02-final-check.md"),
    ]


def test_module_link_anchors_must_exist(demo):
    body = FIRST_EN.replace("Body with", "[d](02-final-check.md#nope) [e](#why-it-matters) [f](#fn:1)\n\nBody with")
    write_course(demo, {"01-first-steps.en.md": body})
    assert problems_of(demo) == [
        ("01-first-steps.en.md", 10, "module 'final-check' has no heading with the anchor #nope")
    ]


def test_images_from_media_are_rewritten(demo):
    (demo / "demo" / "media").mkdir()
    (demo / "demo" / "media" / "seat.svg").write_text("<svg/>")
    body = FIRST_EN.replace("Body with", "![A child seated upright](media/seat.svg)\n\nBody with")
    write_course(demo, {"01-first-steps.en.md": body})
    html = load_library(demo).get("demo").modules[0].text("en").html
    assert re.search(r'<img alt="A child seated upright" src="/media/demo/seat.svg\?v=[0-9a-f]{12}">', html)


def test_quiz_problems_report_file_lines(demo):
    quiz = textwrap.dedent("""\
        ```quiz
        // a comment line
        ::final-q::Pick the right one {~one ~two}

        ::Bad Id::Text {=a ~b}

        ::no-close::Text {=a ~b
        ```
        """)
    write_course(demo, {"02-final-check.en.md": FINAL_EN.split("```quiz")[0] + quiz})
    assert [(p[1], p[2]) for p in problems_of(demo)] == [
        (
            11,
            "question 'final-q': no correct answer: mark the right answer with =, or weights like ~%50% "
            "that add to 100",
        ),
        (13, "question id 'Bad Id' must use lower-case letters, digits and - (e.g. ::pos-upright::)"),
        (15, "'{' is never closed with '}'"),
    ]


def test_question_ids_are_unique_across_modules(demo):
    write_course(demo, {"02-final-check.en.md": FINAL_EN.replace("final-q", "first-q")})
    (problem,) = check_courses(demo)
    assert problem.path.endswith("02-final-check.en.md") and problem.line == 10
    assert problem.message.startswith("question id 'first-q' is already used at ")
    assert problem.message.endswith("01-first-steps.en.md:13")


def test_graded_module_needs_a_graded_question(demo):
    write_course(demo, {"02-final-check.en.md": FINAL_EN.replace("{=right #Well done ~wrong #Try again}", "{}")})
    assert problems_of(demo) == [
        ("02-final-check.en.md", 4, "a graded module needs a ```quiz with at least one question that is not an essay")
    ]


def test_other_fenced_blocks_are_errors(demo):
    write_course(demo, {"01-first-steps.en.md": FIRST_EN + "\n```python\nprint(1)\n```\n"})
    assert problems_of(demo) == [
        ("01-first-steps.en.md", 16, "only ```quiz and ```assignment blocks are supported (found '```python')")
    ]


def test_translation_must_match_source_quiz(demo):
    translated = FINAL_EN.replace(
        "::final-q::Pick the right one {=right #Well done ~wrong #Try again}",
        "::final-q::Alege {=corect ~greșit ~tot greșit}\n\n::extra-q::În plus {T}",
    )
    write_course(demo, {"02-final-check.ro.md": translated.replace("graded: true", "graded: false")})
    assert problems_of(demo) == [
        ("02-final-check.ro.md", 4, "graded: must be the same as in the en source"),
        ("02-final-check.ro.md", 10, "question 'final-q' differs from the en source: 3 answers here, 2 in the source"),
        ("02-final-check.ro.md", 12, "question 'extra-q' is not in the en source"),
    ]


@pytest.mark.parametrize(
    ("source", "translation", "message"),
    [
        ("{T}", "{F}", "true/false answer differs"),
        ("{=a ~b}", "{~a =b}", "answer 1 has another right/wrong mark or weight"),
        ("{#3:1}", "{#3:2}", "answer 1 has other numbers"),
        ("{=a ~b}", "{=a}", "type shortanswer here, multichoice in the source"),
        ("{=a -> 1 =b -> 2 =c -> 3}", "{=a -> 1 =b -> 2 =c -> 3 =d -> 4}", "4 pairs/choices here, 3 in the source"),
    ],
)
def test_translation_structure_mismatch(demo, source, translation, message):
    quiz = "```quiz\n::final-q::Question {}\n```\n"
    write_course(
        demo,
        {
            "02-final-check.en.md": FINAL_EN.split("```quiz")[0] + quiz.replace("{}", source),
            "02-final-check.ro.md": FINAL_EN.split("```quiz")[0] + quiz.replace("{}", translation),
        },
    )
    assert problems_of(demo) == [
        ("02-final-check.ro.md", 10, f"question 'final-q' differs from the en source: {message}")
    ]


def test_short_answer_translations_may_accept_other_answers(demo):
    quiz = "```quiz\n::final-q::Capital? {=Bucharest}\n```\n"
    write_course(
        demo,
        {
            "02-final-check.en.md": FINAL_EN.split("```quiz")[0] + quiz,
            "02-final-check.ro.md": FINAL_EN.split("```quiz")[0]
            + quiz.replace("{=Bucharest}", "{=București =Bucuresti}"),
        },
    )
    assert check_courses(demo) == []


def test_translation_with_questions_in_another_order(demo):
    two = "```quiz\n::a-q::A {T}\n\n::b-q::B {F}\n```\n"
    write_course(
        demo,
        {
            "02-final-check.en.md": FINAL_EN.split("```quiz")[0] + two,
            "02-final-check.ro.md": FINAL_EN.split("```quiz")[0]
            + two.replace("::a-q::A {T}\n\n::b-q::B {F}", "::b-q::B {F}\n\n::a-q::A {T}"),
        },
    )
    assert [(p[1], p[2]) for p in problems_of(demo)] == [
        (10, "question 1 is 'a-q' in the en source, 'b-q' here: same questions in the same order"),
        (12, "question 2 is 'b-q' in the en source, 'a-q' here: same questions in the same order"),
    ]


def test_missing_translation_questions(demo):
    write_course(demo, {"02-final-check.ro.md": FINAL_EN.split("```quiz")[0] + "```quiz\n```\n"})
    assert problems_of(demo) == [
        ("02-final-check.ro.md", 9, "questions missing from this translation (in the en source): final-q")
    ]


def test_folder_without_course_yml_and_missing_root(courses_dir, tmp_path):
    (courses_dir / "draft").mkdir()
    (courses_dir / "_ignored").mkdir()
    assert check_courses(courses_dir) == [Problem(str(courses_dir / "draft"), 0, "not a course: course.yml is missing")]
    assert str(check_courses(tmp_path / "nope")[0]).endswith("nope: courses folder not found")


def test_problems_from_several_courses_in_one_pass(courses_dir):
    write_course(courses_dir, default_files())
    other = {
        **default_files(),
        "course.yml": COURSE_YML.replace("slug: demo", "slug: other").replace("hours: 0.5", "hours: -1"),
    }
    write_course(courses_dir, other, slug="other")
    write_course(courses_dir, {"01-first-steps.en.md": FIRST_EN.replace("minutes: 20", "minutes: 0")})
    found = problems_of(courses_dir)
    assert ("01-first-steps.en.md", 3, "minutes must be a whole number above 0") in found
    assert ("course.yml", 8, "hours must be a positive number") in found
    assert len(found) == 2


def test_not_utf8(demo):
    (demo / "demo" / "01-first-steps.en.md").write_bytes(FIRST_EN.encode() + b"\n\xff\xfe broken\n")
    assert problems_of(demo) == [("01-first-steps.en.md", 16, "not UTF-8 text: save the file as UTF-8")]


def test_hours_must_equal_the_modules_minutes_to_the_nearest_half_hour(demo):
    """The certificate prints `hours`: 254 minutes of modules are 4 hours, not 3 (reported at the hours: line)."""
    yml = COURSE_YML.replace("hours: 0.5", "hours: 3")
    write_course(
        demo,
        {
            "course.yml": yml,
            "01-first-steps.en.md": FIRST_EN.replace("minutes: 20", "minutes: 200"),
            "02-final-check.en.md": FINAL_EN.replace("minutes: 10", "minutes: 54"),
        },
    )
    assert problems_of(demo) == [
        (
            "course.yml",
            8,
            "hours: 3 but the modules take 254 minutes, i.e. 4 hours"
            " (the sum of the modules' minutes / 60, to the nearest half hour)",
        )
    ]
    # 270 minutes are four and a half hours; a translation's own minutes do not count, only the source's.
    write_course(
        demo,
        {
            "course.yml": yml.replace("hours: 3", "hours: 4.5"),
            "02-final-check.en.md": FINAL_EN.replace("minutes: 10", "minutes: 70"),
            "01-first-steps.ro.md": FIRST_EN.replace("minutes: 20", "minutes: 15"),
        },
    )
    assert problems_of(demo) == []
    assert load_library(demo).get("demo").hours == 4.5
