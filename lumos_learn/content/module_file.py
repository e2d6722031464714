"""A module file -> front matter, Markdown body and quiz blocks, each with the file line it starts on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from . import yaml_nodes
from .model import REVIEW_POLICIES
from .problems import ProblemLog
from .translation_sources import read_source_hash

_GROUP_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
GROUP_KEYS = ("id", "objective", "draw", "critical")


@dataclass
class GroupSource:
    """One `groups:` entry of the front matter, as written."""

    id: str
    objective: str
    draw: int
    critical: bool
    line: int


FRONT_MATTER_KEYS = ("title", "minutes", "objectives", "graded", "draw", "groups", "critical", "review", "source_hash")
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
    # question banks (None: not written, so a translation follows its source)
    draw: int | None = None
    draw_line: int = 1
    groups: list[GroupSource] | None = None
    groups_line: int = 1
    critical: tuple[str, ...] | None = None
    critical_line: int = 1
    review: str | None = None
    review_line: int = 1
    assignment_blocks: list[tuple[int, str]] = field(default_factory=list)  # (first line, YAML text)
    # translations only: the hash of the source file they were translated from (written by record-translation)
    source_hash: str | None = None
    source_hash_line: int = 1


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
        elif key == "draw":
            source.draw_line = line
            if _whole_number(value) and value >= 1:
                source.draw = value
            else:
                log.add(line, "draw must be a whole number of questions, 1 or more")
        elif key == "groups":
            source.groups_line = line
            source.groups = _read_groups(node, log)
        elif key == "critical":
            source.critical_line = line
            if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
                source.critical = tuple(v.strip() for v in value)
            else:
                log.add(line, "critical must be a list of question ids, e.g. critical: [fin-texture-check]")
        elif key == "review":
            source.review_line = line
            if value in REVIEW_POLICIES:
                source.review = value
            else:
                log.add(line, f"review must be one of: {', '.join(REVIEW_POLICIES)}")
        elif key == "source_hash":
            source.source_hash_line = line
            if (recorded := read_source_hash(value, line, log)) is not None:
                source.source_hash = recorded
        else:
            log.add(line, f"unknown front matter key '{key}' (allowed: {', '.join(FRONT_MATTER_KEYS)})")
    for key in ("title", "minutes"):
        if key not in found:
            log.add(1, f"front matter is missing '{key}:'")


def _whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _read_groups(node, log: ProblemLog) -> list[GroupSource] | None:
    """`groups:` entries; None when the list as a whole cannot be read. Each entry's problems name its line."""
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        log.add(yaml_nodes.line_of(node, 2), "groups must be a list of entries with id, objective and draw")
        return None
    groups, seen, ok = [], set(), True
    for item in node.value:
        item_line = yaml_nodes.line_of(item, 2)
        fields = {k: (line, n) for k, line, n in yaml_nodes.mapping_items(item, log, 2, "group")}
        if not isinstance(item, yaml.MappingNode):
            ok = False
            continue
        for key, (line, _n) in fields.items():
            if key not in GROUP_KEYS:
                ok = False
                log.add(line, f"group: unknown key '{key}' (allowed: {', '.join(GROUP_KEYS)})")
        gid = yaml_nodes.value(fields["id"][1]) if "id" in fields else None
        objective = yaml_nodes.value(fields["objective"][1]) if "objective" in fields else None
        draw = yaml_nodes.value(fields["draw"][1]) if "draw" in fields else None
        critical = yaml_nodes.value(fields["critical"][1]) if "critical" in fields else False
        if not isinstance(gid, str) or not _GROUP_ID.match(gid):
            ok = False
            log.add(item_line, "group needs an id of lower-case letters, digits and - (the $CATEGORY id)")
            continue
        if gid in seen:
            ok = False
            log.add(fields["id"][0], f"group '{gid}' is listed twice")
        seen.add(gid)
        if isinstance(objective, dict):
            ok = False
            log.add(fields["objective"][0], f"group '{gid}': objective read as \"key: value\": put it in double quotes")
        elif not isinstance(objective, str) or not objective.strip():
            ok = False
            log.add(item_line, f"group '{gid}' needs an objective: the sentence a learner who missed it revisits")
        if not _whole_number(draw) or draw < 1:
            ok = False
            line = fields["draw"][0] if "draw" in fields else item_line
            log.add(line, f"group '{gid}' needs draw: a whole number of questions asked per attempt, 1 or more")
        if not isinstance(critical, bool):
            ok = False
            log.add(fields["critical"][0], f"group '{gid}': critical must be true or false")
        if ok:
            groups.append(GroupSource(gid, objective.strip(), draw, critical, item_line))
    return groups if ok else None


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
