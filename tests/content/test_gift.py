"""GIFT: every question type, escapes, errors at their lines, writing back, and real Moodle exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumos_learn.content import CourseValidationError, Question, parse_gift, write_gift
from lumos_learn.content.gift import render_question
from lumos_learn.content.model import Answer
from lumos_learn.content.problems import ProblemLog

DATA = Path(__file__).parent / "data"


def one(text: str) -> Question:
    (question,) = parse_gift(text)
    return question


def problems(text: str, **kwargs) -> list[tuple[int, str]]:
    found = []
    parse_gift(text, "quiz.gift", problems=found, **kwargs)
    return [(p.line, p.message) for p in found]


def test_multichoice_with_feedback_and_general_feedback():
    q = one("""::pos::What is *safest*? {
  =Upright #Right: it protects the airway.
  ~Lying back #No.
  ~%-50%Anything #Safety first.
  ####Shown to everyone.
}""")
    assert (q.id, q.type, q.line) == ("pos", "multichoice", 1)
    assert q.text_html == "What is <em>safest</em>?"
    assert [(a.text, a.fraction, a.feedback) for a in q.answers] == [
        ("Upright", 1.0, "Right: it protects the airway."),
        ("Lying back", 0.0, "No."),
        ("Anything", -0.5, "Safety first."),
    ]
    assert q.general_feedback_html == "Shown to everyone."


def test_multianswer_weights():
    q = one("::ma::Pick two {~%50%a ~%50%b ~%-100%c}")
    assert q.type == "multianswer"
    assert [a.fraction for a in q.answers] == [0.5, 0.5, -1.0]


@pytest.mark.parametrize(
    ("braces", "answer", "chosen_true_feedback", "chosen_false_feedback"),
    [
        ("{T #wrong #right}", True, "right", "wrong"),
        ("{FALSE#wrong#right}", False, "wrong", "right"),
        ("{F}", False, "", ""),
    ],
)
def test_truefalse(braces, answer, chosen_true_feedback, chosen_false_feedback):
    q = one(f"::tf::The sky is blue {braces}")
    assert q.type == "truefalse" and q.answer is answer
    assert [a.fraction for a in q.answers] == ([1.0, 0.0] if answer else [0.0, 1.0])
    assert (q.answers[0].feedback, q.answers[1].feedback) == (chosen_true_feedback, chosen_false_feedback)


def test_shortanswer():
    q = one("::sa::Capital of France? {=Paris =%50%Lutetia #Old name}")
    assert q.type == "shortanswer"
    assert [(a.text, a.fraction, a.feedback) for a in q.answers] == [("Paris", 1.0, ""), ("Lutetia", 0.5, "Old name")]


def test_numerical_forms():
    single = one("::n1::Pi? {#3.14:0.01}").answers[0]
    assert (single.value, single.tolerance, single.min) == (3.14, 0.01, None)
    ranged = one("::n2::Range {#1..5}").answers[0]
    assert (ranged.min, ranged.max, ranged.value) == (1.0, 5.0, None)
    exact = one("::n3::Exact {#-2,5}").answers[0]
    assert (exact.value, exact.tolerance) == (-2.5, 0.0)
    multi = one("::n4::Age? {# =30:0 #Exactly =%50%25:5 #Close}")
    assert [(a.value, a.tolerance, a.fraction, a.feedback) for a in multi.answers] == [
        (30.0, 0.0, 1.0, "Exactly"),
        (25.0, 5.0, 0.5, "Close"),
    ]


def test_matching_and_choices_in_canonical_order():
    q = one("::m::Match {=dog -> barks =cat -> Meows =cow -> moos = -> quacks}")
    assert q.type == "matching"
    assert [(a.text, a.match) for a in q.answers] == [
        ("dog", "barks"),
        ("cat", "Meows"),
        ("cow", "moos"),
        ("", "quacks"),
    ]
    assert q.match_choices == ("barks", "Meows", "moos", "quacks")
    assert [i for i, _ in q.pairs] == [0, 1, 2]


def test_essay():
    q = one("::e::What did you learn? {\n  ####Thank you.\n}")
    assert (q.type, q.answers, q.general_feedback) == ("essay", (), "Thank you.")
    assert not q.graded


def test_escapes_and_newlines():
    q = one(r"::esc::a \~ b \= c \# d \{e\} f\: g\\h\nnew line {=x\=y #fb\#1 ~z}")
    assert q.text == "a ~ b = c # d {e} f: g\\h\nnew line"
    assert (q.answers[0].text, q.answers[0].feedback) == ("x=y", "fb#1")


def test_comments_and_blank_lines_separate_questions():
    qs = parse_gift("// intro\n::a::A {T}\n// between\n\n\n::b::B {\n// inside\n=x\n~y\n}\n")
    assert [(q.id, q.line) for q in qs] == [("a", 2), ("b", 6)]
    assert [a.text for a in qs[1].answers] == ["x", "y"]


def test_first_line_offsets_line_numbers():
    assert problems("\n\n::x::Text {~a ~b}", first_line=40) == [
        (42, "question 'x': no correct answer: mark the right answer with =, or weights like ~%50% that add to 100")
    ]


def test_format_markers():
    plain = one("::p::[plain]Use *stars* & <b>tags</b> {T}")
    assert plain.text_format == "plain"
    assert plain.text_html == "Use *stars* &amp; &lt;b&gt;tags&lt;/b&gt;"
    html = one("::h::[html]<p>Hello <b>there</b><script>alert(1)</script></p> {T}")
    assert html.text_html == "<p>Hello <b>there</b></p>"
    md = one("::m::[markdown]- one\n- two {T}")
    assert md.text_html.startswith("<ul>")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "::a::Text {~a ~b}",
            [
                (
                    1,
                    "question 'a': no correct answer: mark the right answer with =, or weights like "
                    "~%50% that add to 100",
                )
            ],
        ),
        ("::a::Text {~%50%a ~%40%b ~c}", [(1, "question 'a': positive weights add to 90%, not 100%")]),
        ("::a::Text {=a -> 1 =b -> 2}", [(1, "question 'a': a matching question needs at least 3 pairs (found 2)")]),
        ("::a::Text {#three}", [(1, "numerical answer 'three' must be a number, value:tolerance or min..max")]),
        ("::a::Text {#5..1}", [(1, "numerical range '5..1' must be min..max, e.g. 1..5")]),
        ("::a:: {T}", [(1, "question text is empty")]),
        ("Text {T}", [(1, "question has no id: start it with ::id:: (lower-case letters, digits and -)")]),
        (
            "::A_1::Text {T}",
            [(1, "question id 'A_1' must use lower-case letters, digits and - (e.g. ::pos-upright::)")],
        ),
        (
            "::a::Just a description",
            [(1, "no answers in braces {...}: description items and text without a question are not supported")],
        ),
        (
            "::a::Children {~lie =sit} at meals.",
            [
                (
                    1,
                    "text after the closing '}' (missing-word question) is not "
                    "supported: put the whole question before the answers",
                )
            ],
        ),
        ("::a::Text {\n=a\n~b\n", [(1, "'{' is never closed with '}'")]),
        ("::a::Text {=a ~}", [(1, "answer text is empty")]),
        ("::a::Text {T}\n::b::Text {F}", [(2, "separate questions with a blank line")]),
        (
            "$CATEGORY: Top group\n\n::a::Text {T}",
            [(1, "group id 'Top group' must use lower-case letters, digits and - ($CATEGORY: choking)")],
        ),
        (
            "// exempt longest-key: too short\n::a::Text {T}",
            [(1, "exempt longest-key: say why in at least 20 characters")],
        ),
        (
            "// exempt longest: the key must name all three steps of it\n::a::Text {T}",
            [
                (
                    1,
                    "unknown check 'longest' (exemptible: longest-key, truefalse-balance, key-position, "
                    "repeats-module, bank-size, translation-key)",
                )
            ],
        ),
        (
            "// exempt longest-key the key is long\n::a::Text {T}",
            [(1, "an exemption reads '// exempt <check>: <reason>', e.g. '// exempt longest-key: ...'")],
        ),
        (
            "::a::Text {T}\n\n// exempt bank-size: the group is small on purpose, see notes",
            [(3, "exempt bank-size: an exemption goes on the line right before its question")],
        ),
        (
            "::a::Text {=a -> 1 #fb =b -> 2 =c -> 3}",
            [(1, "matching answers are '=left -> right' pairs, without feedback")],
        ),
        (
            "::a::Text {x =a ~b}",
            [(1, "answers must start with = (right) or ~ (wrong); escape literal characters as \\= \\~ \\#")],
        ),
        ("::a::Text {~%150%a =b}", [(1, "weight 150% is outside -100..100")]),
    ],
)
def test_problems(text, expected):
    assert problems(text) == expected


def test_problems_raise_without_a_list():
    with pytest.raises(CourseValidationError) as err:
        parse_gift("::a::x {~a ~b}", "bank.gift")
    assert str(err.value).startswith("bank.gift:1: question 'a': no correct answer")


def test_import_mode_generates_ids_and_ignores_categories():
    qs = parse_gift(
        "$CATEGORY: $course$/top\n\n::Ma question à moi::Q {T}\n\n::Ma question à moi::Q {F}\n\n"
        "Which one is it, really and truly, when all is said and done, in the end? {T}",
        moodle_import=True,
    )
    assert [q.id for q in qs] == [
        "ma-question-a-moi",
        "ma-question-a-moi-2",
        "which-one-is-it-really-and-truly-when-all-is",
    ]


def test_moodle_export_feeding():
    qs = parse_gift((DATA / "moodle_export_feeding.gift").read_text(), moodle_import=True)
    assert [(q.id, q.type) for q in qs] == [
        ("upright-position", "multichoice"),
        ("signs-of-aspiration", "multianswer"),
        ("thickened-drinks-tf", "truefalse"),
        ("portion-in-ml", "numerical"),
        ("match-textures", "matching"),
        ("name-the-team-member", "shortanswer"),
        ("reflection", "essay"),
    ]
    upright = qs[0]
    assert upright.text_html == "<p>What is the <strong>safest</strong> basic position for a child eating a meal?</p>"
    assert upright.answers[0].feedback_html == "<p>Right: this protects the airway.</p>"
    assert 'href="https://www.who.int/"' in upright.general_feedback_html
    assert 'rel="noopener noreferrer"' in upright.general_feedback_html
    assert qs[2].answer is False and qs[2].answers[0].feedback.startswith("Not always: the right")
    assert [(a.value, a.tolerance, a.fraction) for a in qs[3].answers] == [(1500.0, 0.0, 1.0), (1500.0, 100.0, 0.5)]
    assert qs[4].match_choices == ("Minced and moist", "Pureed", "Regular", "Soft and bite-sized")
    assert "script" not in qs[6].text_html and "onclick" not in qs[6].text_html
    assert qs[6].line == 44


def test_moodle_export_inclusion_with_markers_and_escapes():
    qs = parse_gift((DATA / "moodle_export_inclusion.gift").read_text(), moodle_import=True)
    by_id = {q.id: q for q in qs}
    assert len(qs) == 5
    assert by_id["inclusion-definition"].text_html == "What does <strong>inclusion</strong> mean in education?"
    assert (by_id["pupils-per-class"].answers[0].min, by_id["pupils-per-class"].answers[0].max) == (10.0, 15.0)
    braces = by_id["braces-and-escapes"]
    assert braces.text == 'In the formula a = b {c}, which symbol means "is equal to"? Type it:'
    assert [a.text for a in braces.answers] == ["=", "equals"]
    assert by_id["multi-line-feedback"].answers[1].feedback_html == "Read again:<br>the task changes."
    assert sum(a.fraction for a in by_id["accessible-formats"].answers if a.fraction > 0) == pytest.approx(1.0)


def test_unsupported_moodle_items_are_reported_not_dropped():
    found = []
    qs = parse_gift((DATA / "moodle_unsupported.gift").read_text(), "bank.gift", problems=found, moodle_import=True)
    assert [q.id for q in qs] == ["fine"]
    assert [(p.line, p.message.split(":")[0]) for p in found] == [
        (4, "no answers in braces {...}"),
        (6, "text after the closing '}' (missing-word question) is not supported"),
    ]


def test_moodle_exports_round_trip():
    for name in ("moodle_export_feeding.gift", "moodle_export_inclusion.gift"):
        qs = parse_gift((DATA / name).read_text(), moodle_import=True)
        written = write_gift(qs)
        assert "$CATEGORY" not in written
        assert parse_gift(written) == qs


def test_write_gift_output_is_readable_gift():
    q = one("::pos::Which {=a: yes #Right ~b ~%-50%c}")
    assert write_gift([q], category="lumos/demo") == (
        "$CATEGORY: lumos/demo\n\n::pos::[markdown]Which {\n  =a\\: yes#Right\n  ~b\n  ~%-50%c\n}\n"
    )


# --- property: write_gift then parse_gift gives the same question -------------------------------------

_text = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Co"))
        | st.sampled_from(list("~=#{}:\\\n->*_[]`%")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(lambda t: t and "->" not in t)
)  # GIFT cannot escape "->"
_feedback = st.one_of(st.just(""), _text)
_weight = st.sampled_from([0.5, 0.25, 1 / 3, -1.0, -0.5, 0.1])
_number = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 4))


@st.composite
def questions(draw) -> Question:
    kind = draw(
        st.sampled_from(["multichoice", "multianswer", "truefalse", "shortanswer", "numerical", "matching", "essay"])
    )
    answers: list[Answer] = []
    truth = None
    if kind == "multichoice":
        answers = [Answer(draw(_text), "", 1.0, draw(_feedback))]
        answers += [
            Answer(draw(_text), "", draw(st.sampled_from([0.0, 0.5, -0.25])), draw(_feedback))
            for _ in range(draw(st.integers(1, 4)))
        ]
    elif kind == "multianswer":
        n = draw(st.integers(1, 4))
        answers = [Answer(draw(_text), "", 1 / n, draw(_feedback)) for _ in range(n)]
        answers += [Answer(draw(_text), "", draw(_weight.filter(lambda w: w < 0)), draw(_feedback))]
    elif kind == "truefalse":
        truth = draw(st.booleans())
        right, wrong = draw(_feedback), draw(_feedback)
        answers = [
            Answer("true", "", float(truth), right if truth else wrong),
            Answer("false", "", float(not truth), wrong if truth else right),
        ]
    elif kind == "shortanswer":
        answers = [Answer(draw(_text), "", 1.0, draw(_feedback))]
        answers += [
            Answer(draw(_text), "", draw(st.sampled_from([1.0, 0.5])), draw(_feedback))
            for _ in range(draw(st.integers(0, 2)))
        ]
    elif kind == "numerical":
        value = draw(_number)
        answers = [Answer("", "", 1.0, draw(_feedback), value=value, tolerance=abs(draw(_number)))]
        low = draw(_number)
        answers += [Answer("", "", 0.5, draw(_feedback), min=low, max=low + abs(draw(_number)))]
    elif kind == "matching":
        answers = [Answer(draw(_text), "", 1.0, match=draw(_text)) for _ in range(draw(st.integers(3, 5)))]
        if draw(st.booleans()):
            answers.append(Answer("", "", 0.0, match=draw(_text)))
    fmt = draw(st.sampled_from(["markdown", "plain"]))
    question = Question(
        id=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)),
        type=kind,
        text=draw(_text),
        text_html="",
        answers=tuple(answers),
        general_feedback=draw(_feedback),
        text_format=fmt,
        answer=truth,
    )
    return render_question(question, None, ProblemLog("generated"))


@settings(max_examples=300, deadline=None)
@given(st.lists(questions(), min_size=1, max_size=3))
def test_write_then_parse_gives_equal_questions(qs):
    assert parse_gift(write_gift(qs)) == qs
