"""A module file -> front matter, Markdown body and quiz blocks, each with the file line it starts on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import yaml_nodes
from .problems import ProblemLog

FRONT_MATTER_KEYS = ("title", "minutes", "objectives", "graded")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([\w-]*)\s*$")


@dataclass
class ModuleSource:
    title: str = ""
    minutes: int = 0
    objectives: tuple[str, ...] = ()
    graded: bool | None = None  # None: not written (a translation then follows its source)
    graded_line: int = 1
    body: str = ""  # quiz blocks replaced by empty lines, so that body lines stay file lines
    body_first_line: int = 1
    quiz_blocks: list[tuple[int, str]] = field(default_factory=list)  # (first line, GIFT text)
    assignment_blocks: list[tuple[int, str]] = field(default_factory=list)  # (first line, YAML text)


def read_module_file(text: str, log: ProblemLog) -> ModuleSource:
    lines = text.split("\n")
    source = ModuleSource()
    if not lines or lines[0].strip() != "---":
        log.add(1, "a module file starts with front matter: a line '---', title: and minutes:, then '---'")
        body_start = 0
    else:
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            log.add(1, "front matter is not closed with a '---' line")
            return source
        _read_front_matter("\n".join(lines[1:end]), source, log)
        body_start = end + 1
    source.body_first_line = body_start + 1
    body_lines = lines[body_start:]
    _extract_quiz_blocks(body_lines, source, log)
    source.body = "\n".join(body_lines)
    return source


def _read_front_matter(text: str, source: ModuleSource, log: ProblemLog) -> None:
    root = yaml_nodes.compose(text, log, first_line=2)
    if root is None:
        if text.strip() == "":
            log.add(1, "front matter needs title: and minutes:")
        return
    found = set()
    for key, line, node in yaml_nodes.mapping_items(root, log, 2, "front matter"):
        value = yaml_nodes.value(node)
        found.add(key)
        if key == "title":
            if isinstance(value, str) and value.strip():
                source.title = value.strip()
            else:
                log.add(line, "title must be text")
        elif key == "minutes":
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                source.minutes = value
            else:
                log.add(line, "minutes must be a whole number above 0")
        elif key == "objectives":
            _read_objectives(node, value, line, source, log)
        elif key == "graded":
            source.graded_line = line
            if isinstance(value, bool):
                source.graded = value
            else:
                log.add(line, "graded must be true or false")
        else:
            log.add(line, f"unknown front matter key '{key}' (allowed: {', '.join(FRONT_MATTER_KEYS)})")
    for key in ("title", "minutes"):
        if key not in found:
            log.add(1, f"front matter is missing '{key}:'")


def _read_objectives(node, value, line: int, source: ModuleSource, log: ProblemLog) -> None:
    if not isinstance(value, list):
        log.add(line, "objectives must be a list of sentences, one per '- ' line")
        return
    ok = True
    for item, item_node in zip(value, node.value, strict=True):
        if isinstance(item, dict):
            ok = False
            log.add(
                yaml_nodes.line_of(item_node, 2),
                'objective read as "key: value" because of ": " inside it: put the sentence in double quotes',
            )
        elif not isinstance(item, str) or not item.strip():
            ok = False
            log.add(yaml_nodes.line_of(item_node, 2), "objective must be a sentence")
    if ok:
        source.objectives = tuple(o.strip() for o in value)


def _extract_quiz_blocks(lines: list[str], source: ModuleSource, log: ProblemLog) -> None:
    """Move ```quiz and ```assignment blocks out of the body (in place); other fenced blocks are errors."""
    first = source.body_first_line
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        marker, info = fence.groups()
        close = next(
            (
                j
                for j in range(i + 1, len(lines))
                if lines[j].strip().startswith(marker[0] * len(marker)) and not lines[j].strip().strip(marker[0])
            ),
            None,
        )
        if close is None:
            log.add(first + i, f"the {marker}{info} block is never closed with {marker}")
            close = len(lines)
        if info == "quiz":
            source.quiz_blocks.append((first + i + 1, "\n".join(lines[i + 1 : close])))
        elif info == "assignment":
            source.assignment_blocks.append((first + i + 1, "\n".join(lines[i + 1 : close])))
        else:
            log.add(
                first + i, f"only {marker}quiz and {marker}assignment blocks are supported (found '{marker}{info}')"
            )
        for j in range(i, min(close + 1, len(lines))):
            lines[j] = ""
        i = close + 1
