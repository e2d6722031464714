"""A small course with a question bank, written into a temporary folder for the learning tests.

Its final has two groups: `choking` (3 questions, 1 drawn, critical) and `texture` (8 questions, 4 drawn), plus a
reflection. Every choice answer's text is unique, so a test can find the right or a wrong option by its label;
wrong answers carry feedback that names the right one, as the issue found in the shipped courses.
"""

from __future__ import annotations

import re
from pathlib import Path

SLUG = "bank-course"
URL = f"/en/courses/{SLUG}/"
CHOKING = [f"ch-{n}" for n in range(1, 4)]
TEXTURE = [f"tx-{n}" for n in range(1, 9)]
CHOKING_OBJECTIVE = "Respond to a choking child: back blows first"
TEXTURE_OBJECTIVE = "Give each child the texture written in their plan"


def right_text(qid: str) -> str:
    return f"Right answer {qid}"


def wrong_text(qid: str, n: int = 1) -> str:
    return f"Wrong answer {qid} {'ab'[n - 1]}"


def feedback_text(qid: str) -> str:
    return f"Hint for {qid}: pick the right answer"


COURSE_YML = """\
slug: bank-course
version: "1"
source_language: en
languages: [en]
title: {en: "Bank course"}
summary: {en: "A course with a question bank."}
audience: {en: "Testers."}
hours: 1
pass_mark: 80
max_attempts: MAX
attempt_wait_hours: WAIT
modules:
  - lesson
  - final
"""

LESSON = """\
---
title: The lesson
minutes: 50
---

## Read this

Back blows first.
"""


def _question(qid: str) -> str:
    # the right answer is written second: the position in the file is never the shown position anyway
    return (
        f"::{qid}::Question {qid}? {{\n  ~{wrong_text(qid, 1)} #{feedback_text(qid)}\n  ={right_text(qid)}\n"
        f"  ~{wrong_text(qid, 2)} #{feedback_text(qid)}\n}}\n"
    )


def final_module() -> str:
    choking = "\n".join(_question(q) for q in CHOKING)
    texture = "\n".join(_question(q) for q in TEXTURE)
    return f"""\
---
title: Final
minutes: 10
graded: true
objectives:
  - Act safely at meals.
groups:
  - id: choking
    objective: "{CHOKING_OBJECTIVE}"
    draw: 1
    critical: true
  - id: texture
    objective: "{TEXTURE_OBJECTIVE}"
    draw: 4
---

## The final

```quiz
$CATEGORY: choking
{choking}
$CATEGORY: texture
{texture}
::reflect::What will you change? {{}}
```
"""


def write_bank_course(root: Path, *, max_attempts: int = 3, wait_hours: int = 0) -> Path:
    folder = root / SLUG
    folder.mkdir(parents=True, exist_ok=True)
    yml = COURSE_YML.replace("MAX", str(max_attempts)).replace("WAIT", str(wait_hours))
    (folder / "course.yml").write_text(yml, encoding="utf-8")
    (folder / "01-lesson.en.md").write_text(LESSON, encoding="utf-8")
    (folder / "02-final.en.md").write_text(final_module(), encoding="utf-8")
    return root


def drawn_ids(html: str) -> list[str]:
    """The questions a quiz page asks, in order."""
    return re.findall(r'<fieldset class="question" id="question-([a-z0-9-]+)"', html)


def answers(html: str, *, wrong: set[str] = frozenset()) -> dict:
    """Form data answering every drawn question: right, except the ids in `wrong`."""
    data = {}
    for qid in drawn_ids(html):
        if qid == "reflect":
            data["q-reflect"] = "I will slow down."
            continue
        label = wrong_text(qid) if qid in wrong else right_text(qid)
        match = re.search(
            rf'name="q-{qid}" id="[^"]+" value="(\d+)"[^>]*>\s*<label[^>]*>{re.escape(label)}</label>', html
        )
        assert match, f"{label!r} not offered"
        data[f"q-{qid}"] = match.group(1)
    return data
