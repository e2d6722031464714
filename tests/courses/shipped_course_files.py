"""A shipped course's files read as written, for the review tests: front matter, quiz lines and questions with
their `$CATEGORY` group (the engine's own view is tested in tests/content; these tests check what authors wrote)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from lumos_learn.content.gift import parse_gift

ROOT = Path(__file__).resolve().parents[2]
_CATEGORY = re.compile(r"^\$CATEGORY:\s*([a-z0-9-]+)\s*$")


class CourseFiles:
    def __init__(self, slug: str):
        self.folder = ROOT / "courses" / slug
        self.settings = yaml.safe_load((self.folder / "course.yml").read_text(encoding="utf-8"))

    def module_file(self, slug: str, lang: str) -> Path:
        (path,) = self.folder.glob(f"??-{slug}.{lang}.md")
        return path

    def front_matter(self, slug: str, lang: str) -> dict:
        text = self.module_file(slug, lang).read_text(encoding="utf-8")
        return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))

    def quiz_lines(self, slug: str, lang: str) -> list[str]:
        text = self.module_file(slug, lang).read_text(encoding="utf-8")
        if "\n```quiz\n" not in text:  # a capstone: an assignment and no quiz
            return []
        return text.split("\n```quiz\n", 1)[1].split("\n```", 1)[0].split("\n")

    def questions(self, slug: str, lang: str):
        """The quiz as learners get it, each question with its group (None outside groups)."""
        lines = self.quiz_lines(slug, lang)
        gift = "\n".join("// " + line if _CATEGORY.match(line) else line for line in lines)
        parsed = parse_gift(gift, str(self.module_file(slug, lang)))
        group, groups = None, {}
        for line in lines:
            if match := _CATEGORY.match(line):
                group = match.group(1)
            elif match := re.match(r"^::([a-z0-9-]+)::", line):
                groups[match.group(1)] = group
        return [(groups[q.id], q) for q in parsed]
