"""The example module in courses/README.md is valid: the guide trainers copy from must not lie."""

from __future__ import annotations

import re
from pathlib import Path

from course_files import COURSE_YML, write_course

from lumos_learn.content import check_courses, load_library

GUIDE = Path(__file__).resolve().parents[2] / "courses" / "README.md"


def test_guide_example_module_loads(courses_dir):
    example = re.search(r"````markdown\n(.*?)\n````", GUIDE.read_text(encoding="utf-8"), re.DOTALL).group(1)
    yml = COURSE_YML.replace(
        "  - first-steps\n  - final-check\n", "  - intro\n  - safe-positioning\n  - swallowing-and-aspiration\n"
    )
    other = "---\ntitle: Other\nminutes: 5\n---\n\n## Coughing during meals\n\nText.\n"
    folder = write_course(
        courses_dir,
        {
            "course.yml": yml,
            "01-intro.en.md": other,
            "02-safe-positioning.en.md": example + "\n",
            "03-swallowing-and-aspiration.en.md": other,
            "media/seated-position.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        },
    )
    assert check_courses(courses_dir) == []
    module = load_library(courses_dir).get("demo").module("safe-positioning").text("en")
    assert [q.type for q in module.quiz.questions] == [
        "multichoice",
        "multianswer",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
        "essay",
    ]
    assert '<div class="admonition case">' in module.html and "/media/demo/seated-position.svg" in module.html
    assert folder.name == "demo"


def test_guide_example_job_aid_loads(courses_dir):
    guide = GUIDE.read_text(encoding="utf-8")
    example = re.search(r"## Job aids\n.*?```markdown\n(.*?)\n```\n", guide, re.DOTALL).group(1)
    yml = COURSE_YML.replace("  - first-steps\n  - final-check\n", "  - intro\n  - safe-positioning\n")
    module = "---\ntitle: Module\nminutes: 15\n---\n\n## Text\n\nText.\n"
    write_course(
        courses_dir,
        {
            "course.yml": yml,
            "01-intro.en.md": module,
            "02-safe-positioning.en.md": module,
            "aids/fluid-record.en.md": example + "\n",
        },
    )
    assert check_courses(courses_dir) == []
    aid = load_library(courses_dir).get("demo").job_aids[0]
    assert (aid.slug, aid.kind, aid.module_slug) == ("fluid-record", "worksheet", "safe-positioning")
    assert aid.text("en").worksheet.columns == ("Time", "Offered (ml)", "Drunk (ml)", "Signs seen")
