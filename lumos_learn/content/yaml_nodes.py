"""YAML with line numbers: PyYAML's node tree, so that every problem can name the line of its key."""

from __future__ import annotations

import yaml

from .problems import ProblemLog

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str, log: ProblemLog, first_line: int = 1) -> yaml.Node | None:
    """Parse YAML into nodes; a syntax error becomes a problem at its line."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + (mark.line if mark else 0)
        log.add(line, f"YAML syntax: {err.problem or err.context}")
    except yaml.YAMLError as err:
        log.add(first_line, f"YAML syntax: {err}")
    return None


def line_of(node: yaml.Node, first_line: int = 1) -> int:
    return first_line + node.start_mark.line


def value(node: yaml.Node):
    """Plain Python value of a node (safe types only)."""
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def mapping_items(node, log: ProblemLog, first_line: int, what: str):
    """(key, key line, value node) of a mapping node; reports non-mappings and duplicate keys."""
    if not isinstance(node, yaml.MappingNode):
        log.add(line_of(node, first_line), f"{what} must be a mapping of 'key: value' lines")
        return []
    items, seen = [], set()
    for key_node, value_node in node.value:
        key = value(key_node)
        line = line_of(key_node, first_line)
        if not isinstance(key, str):
            log.add(line, f"{what}: key {key!r} must be text")
            continue
        if key in seen:
            log.add(line, f"{what}: '{key}' appears twice")
            continue
        seen.add(key)
        items.append((key, line, value_node))
    return items
