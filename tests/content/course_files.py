"""Course files as strings, and a helper that writes them into a temporary courses folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

COURSE_YML = """\
slug: demo
version: "2026.1"
source_language: en
languages: [en, ro]
title: {en: "Demo course", ro: "Curs demo"}
summary: {en: "A course for tests.", ro: "Un curs pentru teste."}
audience: {en: "Testers.", ro: "Testeri."}
hours: 0.5
pass_mark: 80
max_attempts: 3
attempt_policy: best
certificate: true
completion: read-all-and-pass-graded
modules:
  - first-steps
  - final-check
confidence:
  - id: can-test
    text:
      en: "I can test."
      ro: "Pot testa."
"""

FIRST_EN = """\
---
title: First steps
minutes: 20
objectives:
  - Take the first step.
---

## Why it matters

Body with a [link to the final check](02-final-check.md#the-check).

```quiz
::first-q::Is this the first module? {T #No, it is. #Yes.}
```
"""

FINAL_EN = """\
---
title: Final check
minutes: 10
graded: true
---

## The check

```quiz
::final-q::Pick the right one {=right #Well done ~wrong #Try again}
```
"""


def write_course(root: Path, files: dict[str, str], slug: str = "demo") -> Path:
    """Write `files` (name -> text, dedented) under root/slug; None as text deletes a default file."""
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def default_files() -> dict[str, str | None]:
    return {"course.yml": COURSE_YML, "01-first-steps.en.md": FIRST_EN, "02-final-check.en.md": FINAL_EN}
