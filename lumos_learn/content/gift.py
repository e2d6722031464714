"""GIFT, Moodle's plain-text quiz format: parse into Questions and write them back.

Escaped characters (\\~ \\= \\# \\{ \\} \\: \\\\) are first replaced by private-use placeholders, so that the
structure can be found with ordinary string operations; placeholders become literal characters again in
the texts stored on the questions. Question texts keep their source (for writing back) and their HTML.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from .markdown import LinkContext, render_fragment
from .model import TEXT_FORMATS, Answer, Question
from .problems import CourseValidationError, Problem, ProblemLog
from .quality_checks import MIN_EXEMPTION_REASON, QUALITY_CHECKS

_ESCAPES = {"~": "\ue000", "=": "\ue001", "#": "\ue002", "{": "\ue003", "}": "\ue004", ":": "\ue005", "\\": "\ue006"}
_ESCAPE_RE = re.compile(r"\\([~=#{}:\\n])")
_RESTORE = {ord(v): k for k, v in _ESCAPES.items()}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_MARKER = re.compile(r"^\s*\[(markdown|plain|html|moodle)\]")
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:[.,]\d+)?)%")
_EXEMPT_START = re.compile(r"^//\s*exempt\b")
_EXEMPT = re.compile(r"^//\s*exempt\s+([a-z-]+)\s*:(.*)$")
_TRUEFALSE = re.compile(r"^(T|TRUE|F|FALSE)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)


def _encode(line: str) -> str:
    return _ESCAPE_RE.sub(lambda m: "\n" if m.group(1) == "n" else _ESCAPES[m.group(1)], line)


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


class _Chunk:
    """One question's encoded text with a map from offsets to file lines, its group and exemption comments."""

    def __init__(self, lines: list[tuple[int, str]], group: str = "", exemptions: tuple = ()):
        encoded = [_encode(text) for _, text in lines]
        self.text = "\n".join(encoded)
        self.group = group
        self.exemptions = exemptions
        self.starts, self.numbers, offset = [], [], 0
        for (number, _), text in zip(lines, encoded, strict=False):
            self.starts.append(offset)
            self.numbers.append(number)
            offset += len(text) + 1

    def line(self, offset: int) -> int:
        return self.numbers[max(0, bisect_right(self.starts, offset) - 1)]


@dataclass
class Category:
    """A `$CATEGORY: <id>` line of a course quiz: the start of a group of questions."""

    id: str
    line: int


@dataclass
class _Scan:
    chunks: list[_Chunk] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)


def _chunks(text: str, first_line: int, log: ProblemLog, moodle_import: bool, group: str = "") -> _Scan:
    """Split into questions at blank lines (outside braces); `//` comment lines are dropped, except
    `// exempt <check>: <reason>` lines, which go with the next question. A `$CATEGORY:` line (outside
    braces) ends the question before it and, in a course quiz, starts a group."""
    scan = _Scan()
    current: list[tuple[int, str]] = []
    exemptions: list[tuple[str, str, int]] = []
    depth = 0

    def close() -> None:
        nonlocal current, exemptions
        if current:
            scan.chunks.append(_Chunk(current, group, tuple(exemptions)))
            current, exemptions = [], []

    for i, line in enumerate(text.split("\n")):
        number = first_line + i
        stripped = line.strip()
        if stripped.startswith("//"):
            if depth == 0 and not moodle_import and _EXEMPT_START.match(stripped):
                close()
                exemption = _exemption(stripped, number, log)
                if exemption is not None:
                    exemptions.append(exemption)
            continue
        if depth == 0 and stripped.startswith("$CATEGORY:"):
            close()
            _orphan_exemptions(exemptions, log)
            exemptions = []
            if not moodle_import:
                group = stripped[len("$CATEGORY:") :].strip()
                if not _ID.match(group):
                    log.add(
                        number, f"group id '{group}' must use lower-case letters, digits and - ($CATEGORY: choking)"
                    )
                scan.categories.append(Category(group, number))
            continue
        if not stripped and depth == 0:
            close()
            continue
        current.append((number, line))
        encoded = _encode(line)
        depth = max(0, depth + encoded.count("{") - encoded.count("}"))
    close()
    _orphan_exemptions(exemptions, log)
    return scan


def _exemption(line: str, number: int, log: ProblemLog) -> tuple[str, str, int] | None:
    match = _EXEMPT.match(line)
    if not match:
        log.add(number, "an exemption reads '// exempt <check>: <reason>', e.g. '// exempt longest-key: ...'")
        return None
    check, reason = match.group(1), match.group(2).strip()
    if check not in QUALITY_CHECKS:
        log.add(number, f"unknown check '{check}' (exemptible: {', '.join(QUALITY_CHECKS)})")
        return None
    if len(reason) < MIN_EXEMPTION_REASON:
        log.add(number, f"exempt {check}: say why in at least {MIN_EXEMPTION_REASON} characters")
        return None
    return check, reason, number


def _orphan_exemptions(exemptions: list[tuple[str, str, int]], log: ProblemLog) -> None:
    for check, _reason, number in exemptions:
        log.add(number, f"exempt {check}: an exemption goes on the line right before its question")


def parse_gift(
    text: str,
    path: str = "<string>",
    first_line: int = 1,
    *,
    problems: list[Problem] | None = None,
    moodle_import: bool = False,
    context: LinkContext | None = None,
) -> list[Question]:
    """Parse GIFT text into questions.

    With `problems` given, problems are appended to it and the valid questions returned; without it, any
    problem raises CourseValidationError. Course quizzes (the default) need `::id::` on every question and
    read `$CATEGORY: <group-id>` lines as groups; `moodle_import=True` ignores categories and makes ids from
    titles or texts.
    """
    log = ProblemLog(path, problems if problems is not None else [])
    before = len(log.problems)
    questions, _categories = parse_gift_bank(text, log, first_line, moodle_import=moodle_import, context=context)
    if problems is None and len(log.problems) > before:
        raise CourseValidationError(log.problems)
    return questions


def parse_gift_bank(
    text: str,
    log: ProblemLog,
    first_line: int = 1,
    *,
    moodle_import: bool = False,
    context: LinkContext | None = None,
    group: str = "",
) -> tuple[list[Question], list[Category]]:
    """Questions (each with its group and exemptions) and the `$CATEGORY` lines of one quiz block.

    Problems go to `log`. `group` is the group still open from an earlier block of the same quiz."""
    questions: list[Question] = []
    used_ids: set[str] = set()
    scan = _chunks(text.replace("\r\n", "\n"), first_line, log, moodle_import, group)
    for chunk in scan.chunks:
        question = _parse_question(chunk, log, moodle_import, used_ids, context)
        if question is not None:
            questions.append(replace(question, group=chunk.group, exemptions=chunk.exemptions))
    return questions, scan.categories


def _parse_question(chunk, log, moodle_import, used_ids, context) -> Question | None:
    s, start = chunk.text, 0
    first = chunk.line(0)
    title, body_start = None, start
    lead = len(s[start:]) - len(s[start:].lstrip())
    if s.startswith("::", start + lead):
        end = s.find("::", start + lead + 2)
        if end < 0:
            log.add(first, "question title '::' is not closed with '::'")
            return None
        title, body_start = _restore(s[start + lead + 2 : end]).strip(), end + 2
    open_at = s.find("{", body_start)
    if open_at < 0:
        log.add(first, "no answers in braces {...}: description items and text without a question are not supported")
        return None
    close_at = s.find("}", open_at)
    if close_at < 0:
        log.add(chunk.line(open_at), "'{' is never closed with '}'")
        return None
    if "{" in s[open_at + 1 : close_at]:
        log.add(chunk.line(open_at), "'{' inside answers: write \\{ for a literal brace")
        return None
    after = s[close_at + 1 :].strip()
    if after.startswith(("::", "$CATEGORY")):
        log.add(chunk.line(close_at + 1 + s[close_at + 1 :].index(after[0])), "separate questions with a blank line")
        return None
    if after:
        log.add(
            chunk.line(close_at),
            "text after the closing '}' (missing-word question) is not supported: "
            "put the whole question before the answers",
        )
        return None
    qid = _question_id(title, s[body_start:open_at], first, log, moodle_import, used_ids)
    text_format, raw_text = "markdown", s[body_start:open_at]
    marker = _MARKER.match(raw_text)
    if marker:
        text_format, raw_text = marker.group(1), raw_text[marker.end() :]
    question_text = _restore(raw_text).strip()
    if not question_text:
        log.add(first, "question text is empty")
    parsed = _parse_answers(chunk, open_at + 1, close_at, log)
    if parsed is None or qid is None:
        return None
    qtype, answers, general_feedback, truth = parsed
    question = Question(qid, qtype, question_text, "", answers, general_feedback, "", text_format, truth, first)
    if not validate_question(question, log):
        return None
    return render_question(question, context, log)


def _question_id(title, text, line, log, moodle_import, used_ids) -> str | None:
    if moodle_import:
        base = slugify(title or _restore(_MARKER.sub("", text))) or "question"
        qid, n = base, 2
        while qid in used_ids:
            qid, n = f"{base}-{n}", n + 1
        used_ids.add(qid)
        return qid
    if not title:
        log.add(line, "question has no id: start it with ::id:: (lower-case letters, digits and -)")
        return None
    if not _ID.match(title):
        log.add(line, f"question id '{title}' must use lower-case letters, digits and - (e.g. ::pos-upright::)")
        return None
    return title


def slugify(text: str, limit: int = 48) -> str:
    """An id from a title or question text: ASCII lower-case words joined by '-', cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", re.sub(r"<[^>]*>", " ", text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def _split_text_and_feedback(raw: str) -> tuple[str, str, str]:
    """'[html]text#feedback' -> (format or '', text, feedback), all restored and stripped."""
    text, _, feedback = raw.partition("#")
    marker = _MARKER.match(text)
    fmt = ""
    if marker:
        fmt, text = marker.group(1), text[marker.end() :]
    return fmt, _restore(text).strip(), _restore(feedback).strip()


def _parse_answers(chunk, start, end, log):
    """The part between the braces -> (type, answers, general feedback, truefalse answer) or None."""
    s = chunk.text
    general = ""
    gf_at = s.find("####", start, end)
    if gf_at >= 0:
        general, end = _restore(s[gf_at + 4 : end]).strip(), gf_at
    body = s[start:end]
    stripped = body.strip()
    line = chunk.line(start)
    if not stripped:
        return "essay", (), general, None
    if stripped.startswith("#"):
        answers = _parse_numerical(chunk, start + body.index("#") + 1, end, log)
        return None if answers is None else ("numerical", answers, general, None)
    tf = _TRUEFALSE.match(stripped)
    if tf:
        truth = tf.group(1).upper().startswith("T")
        feedback = [_restore(f).strip() for f in (tf.group(2) or "").split("#")[1:]]
        if len(feedback) > 2:
            log.add(line, "true/false takes at most two feedbacks: {T #if answered wrong #if answered right}")
        wrong, right = ([*feedback, "", ""])[:2]
        return (
            "truefalse",
            (
                Answer("true", "", 1.0 if truth else 0.0, right if truth else wrong),
                Answer("false", "", 0.0 if truth else 1.0, wrong if truth else right),
            ),
            general,
            truth,
        )
    marks = [i for i in range(start, end) if s[i] in "~="]
    if not marks or s[start : marks[0]].strip():
        log.add(line, "answers must start with = (right) or ~ (wrong); escape literal characters as \\= \\~ \\#")
        return None
    items = [(s[i], s[i + 1 : j], chunk.line(i)) for i, j in zip(marks, [*marks[1:], end], strict=False)]
    if any(mark == "~" for mark, _, _ in items):
        qtype = "multichoice" if any(mark == "=" for mark, _, _ in items) else "multianswer"
    elif any("->" in raw for _, raw, _ in items):
        qtype = "matching"
    else:
        qtype = "shortanswer"
    answers = []
    for mark, raw, answer_line in items:
        weight = _WEIGHT.match(raw)
        fraction = 1.0 if mark == "=" else 0.0
        if weight:
            fraction, raw = _fraction(weight.group(1)), raw[weight.end() :]
            if not -1.0 <= fraction <= 1.0:
                log.add(answer_line, f"weight {weight.group(1)}% is outside -100..100")
        if qtype == "matching":
            if "->" not in raw or "#" in raw:
                log.add(answer_line, "matching answers are '=left -> right' pairs, without feedback")
                return None
            left, right = raw.split("->", 1)
            fmt, left_text, _ = _split_text_and_feedback(left)
            answers.append(
                Answer(left_text, "", 1.0 if left_text else 0.0, match=_restore(right).strip(), text_format=fmt)
            )
            continue
        fmt, text, feedback = _split_text_and_feedback(raw)
        if not text:
            log.add(answer_line, "answer text is empty")
        answers.append(Answer(text, "", fraction, feedback, text_format=fmt))
    return qtype, tuple(answers), general, None


def _fraction(percent: str) -> float:
    return float(Decimal(percent.replace(",", ".")) / 100)


def _number(text: str) -> float | None:
    try:
        value = Decimal(_restore(text).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return float(value) if value.is_finite() else None


def _parse_numerical(chunk, start, end, log) -> tuple[Answer, ...] | None:
    s = chunk.text
    marks = [i for i in range(start, end) if s[i] == "="]
    if "~" in s[start:end]:
        log.add(chunk.line(start), "numerical answers use = only (wrong answers need no listing)")
        return None
    items = (
        [(s[i + 1 : j], chunk.line(i)) for i, j in zip(marks, [*marks[1:], end], strict=False)]
        if marks
        else [(s[start:end], chunk.line(start))]
    )
    if marks and s[start : marks[0]].strip():
        log.add(chunk.line(start), "numerical answers: write either {#value:tolerance} or {# =value =value}")
        return None
    answers = []
    for raw, line in items:
        fraction = 1.0
        weight = _WEIGHT.match(raw)
        if weight:
            fraction, raw = _fraction(weight.group(1)), raw[weight.end() :]
        spec, _, feedback = raw.partition("#")
        spec = _restore(spec).strip()  # some exporters escape the ':' of value:tolerance
        feedback = _restore(feedback).strip()
        if ".." in spec:
            low, high = (_number(part) for part in spec.split("..", 1))
            if low is None or high is None or low > high:
                log.add(line, f"numerical range '{_restore(spec)}' must be min..max, e.g. 1..5")
                return None
            answers.append(Answer("", "", fraction, feedback, min=low, max=high))
            continue
        value_text, _, tolerance_text = spec.partition(":")
        value = _number(value_text)
        tolerance = _number(tolerance_text) if tolerance_text.strip() else 0.0
        if value is None or tolerance is None or tolerance < 0:
            log.add(line, f"numerical answer '{_restore(spec)}' must be a number, value:tolerance or min..max")
            return None
        answers.append(Answer("", "", fraction, feedback, value=value, tolerance=tolerance))
    return tuple(answers)


def validate_question(q: Question, log: ProblemLog) -> bool:
    """Structural rules a question must follow; reports problems at the question's line."""
    ok = True

    def fail(message: str) -> None:
        nonlocal ok
        ok = False
        log.add(q.line, f"question '{q.id}': {message}")

    positive = sum(a.fraction for a in q.answers if a.fraction > 0)
    best = max((a.fraction for a in q.answers), default=0.0)
    if not q.text.strip():
        ok = False
    if any(not a.text for a in q.answers if q.type in ("multichoice", "multianswer", "shortanswer")):
        ok = False
    if q.type == "multichoice" and best < 0.9999:
        fail("no correct answer: mark the right answer with =")
    elif q.type == "multianswer":
        if positive == 0:
            fail("no correct answer: mark the right answer with =, or weights like ~%50% that add to 100")
        elif abs(positive - 1.0) > 0.0001:
            fail(f"positive weights add to {positive * 100:g}%, not 100%")
        if len(q.answers) < 2:
            fail("a multiple-answer question needs at least two answers")
    elif q.type in ("shortanswer", "numerical") and best < 0.9999:
        fail("no answer gives full marks: mark one with = (without a weight below 100%)")
    elif q.type == "matching":
        if len(q.pairs) < 3:
            fail(f"a matching question needs at least 3 pairs (found {len(q.pairs)})")
        if any(not a.match for a in q.answers):
            fail("a matching pair has an empty right-hand side")
    return ok


def render_question(q: Question, context: LinkContext | None, log: ProblemLog) -> Question:
    """Fill in the *_html fields from the source texts (Markdown unless a format marker says otherwise)."""

    def html(text: str, fmt: str = "") -> str:
        return render_fragment(text, fmt or q.text_format, context, log, q.line)

    answers = tuple(
        a
        if q.type in ("truefalse", "numerical") and not a.feedback
        else replace(
            a,
            text_html=html(a.text, a.text_format) if q.type not in ("truefalse", "numerical") else "",
            feedback_html=html(a.feedback),
        )
        for a in q.answers
    )
    return replace(q, text_html=html(q.text), answers=answers, general_feedback_html=html(q.general_feedback))


# --- writing -------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _percent(fraction: float) -> str:
    # repr() round-trips a float exactly, and Decimal scales it by 100 without rounding
    return format((Decimal(repr(fraction)) * 100).normalize(), "f")


def _number_text(value: float) -> str:
    return repr(float(value))


def _answer_text(a: Answer, q: Question) -> str:
    marker = f"[{a.text_format}]" if a.text_format and a.text_format != q.text_format else ""
    return marker + _escape(a.text) + (f"#{_escape(a.feedback)}" if a.feedback else "")


def _answer_lines(q: Question) -> list[str]:
    if q.type == "truefalse":
        chosen_right = q.answers[0] if q.answer else q.answers[1]
        chosen_wrong = q.answers[1] if q.answer else q.answers[0]
        feedback = ""
        if chosen_wrong.feedback or chosen_right.feedback:
            feedback = f"#{_escape(chosen_wrong.feedback)}#{_escape(chosen_right.feedback)}"
        return [("TRUE" if q.answer else "FALSE") + feedback]
    lines = []
    if q.type == "numerical":
        lines.append("#")
    for a in q.answers:
        if q.type == "matching":
            lines.append(f"={_escape(a.text)} -> {_escape(a.match or '')}")
        elif q.type == "numerical":
            spec = (
                f"{_number_text(a.min)}..{_number_text(a.max)}"
                if a.value is None
                else f"{_number_text(a.value)}:{_number_text(a.tolerance or 0.0)}"
            )
            weight = "" if a.fraction == 1 else f"%{_percent(a.fraction)}%"
            lines.append(f"={weight}{spec}" + (f"#{_escape(a.feedback)}" if a.feedback else ""))
        elif q.type == "shortanswer" or (q.type == "multichoice" and a.fraction == 1):
            weight = "" if a.fraction == 1 else f"%{_percent(a.fraction)}%"
            lines.append(f"={weight}{_answer_text(a, q)}")
        else:
            weight = "" if a.fraction == 0 else f"%{_percent(a.fraction)}%"
            lines.append(f"~{weight}{_answer_text(a, q)}")
    return lines


def write_gift(questions, *, category: str | None = None) -> str:
    """Questions -> GIFT text that `parse_gift` reads back to equal questions (and Moodle imports).

    Every question gets its format marker, because Moodle's default format is not Markdown. Groups become
    `$CATEGORY` lines (sub-categories of `category` when given); quality exemptions are written as comments.
    """
    blocks = [f"$CATEGORY: {category}"] if category and not any(q.group for q in questions) else []
    group = ""
    for q in questions:
        if q.group and q.group != group:  # a group is a sub-category of the module's category in Moodle
            group = q.group
            blocks.append(f"$CATEGORY: {category}/{group}" if category else f"$CATEGORY: {group}")
        lines = [f"// exempt {check}: {reason}" for check, reason, _line in q.exemptions]
        lines.append(f"::{_escape(q.id)}::[{q.text_format}]{_escape(q.text)} {{")
        lines += ["  " + line for line in _answer_lines(q)]
        if q.general_feedback:
            lines.append(f"  ####{_escape(q.general_feedback)}")
        lines.append("}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


__all__ = [
    "TEXT_FORMATS",
    "Category",
    "parse_gift",
    "parse_gift_bank",
    "render_question",
    "slugify",
    "validate_question",
    "write_gift",
]
