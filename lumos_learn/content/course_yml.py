"""course.yml -> validated settings. Every problem names the line of the key it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from . import yaml_nodes
from .model import ConfidenceStatement, frozen_mapping
from .problems import ProblemLog

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
REQUIRED = (
    "slug",
    "version",
    "source_language",
    "languages",
    "title",
    "summary",
    "audience",
    "hours",
    "pass_mark",
    "modules",
)
OPTIONAL = {
    "max_attempts": 0,
    "attempt_wait_hours": 0,
    "review": {"practice": "full", "graded": "after-pass"},
    "attempt_policy": "best",
    "certificate": True,
    "completion": "read-all-and-pass-graded",
    "confidence": (),
    "assessment": "trainer",
}
COMPLETION_RULES = ("read-all-and-pass-graded", "read-all-pass-graded-and-assignments")
ASSESSMENT_MODES = ("trainer", "self")
ATTEMPT_POLICIES = ("best", "last")
PRACTICE_REVIEWS = ("full", "score")
GRADED_REVIEWS = ("after-pass", "full", "score")


@dataclass
class CourseSettings:
    values: dict = field(default_factory=dict)
    module_lines: dict[str, int] = field(default_factory=dict)  # module slug -> line in course.yml
    modules_line: int = 1
    key_lines: dict[str, int] = field(default_factory=dict)  # course.yml key -> its line


def read_course_yml(text: str, folder: str, log: ProblemLog) -> CourseSettings | None:
    """Settings with every readable value (None only when the YAML cannot be read at all); problems to `log`."""
    root = yaml_nodes.compose(text, log)
    if root is None:
        if not any(p.path == log.path for p in log.problems):
            log.add(1, "course.yml is empty")
        return None
    if not isinstance(root, yaml.MappingNode):
        log.add(1, "course.yml must be a mapping of 'key: value' lines")
        return None
    settings = CourseSettings()
    raw = {}
    for key, line, node in yaml_nodes.mapping_items(root, log, 1, "course.yml"):
        if key not in REQUIRED and key not in OPTIONAL:
            log.add(line, f"unknown key '{key}' (allowed: {', '.join(REQUIRED + tuple(OPTIONAL))})")
            continue
        raw[key] = (line, node)
        settings.key_lines[key] = line
    for key in REQUIRED:
        if key not in raw:
            log.add(1, f"missing required key '{key}'")
    v = settings.values
    v.update(OPTIONAL)
    checks = {
        "slug": _slug,
        "version": _version,
        "source_language": _language,
        "languages": _languages,
        "hours": _hours,
        "pass_mark": _pass_mark,
        "max_attempts": _max_attempts,
        "attempt_wait_hours": _attempt_wait_hours,
        "attempt_policy": _attempt_policy,
        "certificate": _certificate,
        "completion": _completion,
        "assessment": _assessment,
    }
    for key, check in checks.items():
        if key in raw:
            line, node = raw[key]
            result = check(yaml_nodes.value(node), line, log)
            if result is not None:
                v[key] = result
    if v.get("slug") is not None and v.get("slug") != folder:
        log.add(raw["slug"][0], f"slug '{v['slug']}' must equal the folder name '{folder}'")
    languages = v.get("languages") or ()
    source = v.get("source_language")
    if languages and source and languages[0] != source:
        log.add(raw["languages"][0], f"languages must list the source language '{source}' first")
    for key in ("title", "summary", "audience"):
        if key in raw:
            v[key] = _per_language(raw[key][1], raw[key][0], key, languages, log)
    if "modules" in raw:
        settings.modules_line = raw["modules"][0]
        v["modules"] = _modules(raw["modules"][1], settings, log)
    if "confidence" in raw:
        v["confidence"] = _confidence(raw["confidence"][1], languages, log)
    if "review" in raw:
        v["review"] = _review(raw["review"][1], raw["review"][0], log)
    return settings


def _slug(value, line, log):
    if isinstance(value, str) and SLUG.match(value):
        return value
    log.add(line, "slug must be lower-case letters, digits and -")
    return None


def _version(value, line, log):
    if isinstance(value, str) and value.strip():
        return value
    log.add(line, 'version must be a quoted string, e.g. version: "2026.1" (unquoted 2026.10 would read as 2026.1)')
    return None


def _language(value, line, log):
    if isinstance(value, str) and LANGUAGE.match(value):
        return value
    log.add(line, f"'{value}' is not a language code such as en, ro, bg")
    return None


def _languages(value, line, log):
    if not isinstance(value, list) or not value:
        log.add(line, "languages must be a list such as [en, ro]")
        return None
    if any(not isinstance(x, str) or not LANGUAGE.match(x) for x in value) or len(set(value)) != len(value):
        log.add(line, "languages must be distinct language codes such as [en, ro]")
        return None
    return tuple(value)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _hours(value, line, log):
    if _is_number(value) and value > 0:
        return value
    log.add(line, "hours must be a positive number")
    return None


def _pass_mark(value, line, log):
    if _is_number(value) and int(value) == value and 0 <= value <= 100:
        return int(value)
    log.add(line, "pass_mark must be a whole percentage, 0 to 100")
    return None


def _max_attempts(value, line, log):
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    log.add(line, "max_attempts must be a whole number, 0 for unlimited")
    return None


def _attempt_wait_hours(value, line, log):
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24 * 365:
        return value
    log.add(line, "attempt_wait_hours must be a whole number of hours, 0 for no waiting")
    return None


def _review(node, line, log):
    """review: {practice: full|score, graded: after-pass|full|score}; unwritten keys keep their defaults."""
    review = dict(OPTIONAL["review"])
    allowed = {"practice": PRACTICE_REVIEWS, "graded": GRADED_REVIEWS}
    for key, key_line, value_node in yaml_nodes.mapping_items(node, log, 1, "review"):
        value = yaml_nodes.value(value_node)
        if key not in allowed:
            log.add(key_line, f"review: unknown key '{key}' (allowed: practice, graded)")
        elif value not in allowed[key]:
            log.add(key_line, f"review: {key} must be one of: {', '.join(allowed[key])}")
        else:
            review[key] = value
    return review


def _attempt_policy(value, line, log):
    if value in ATTEMPT_POLICIES:
        return value
    log.add(line, "attempt_policy must be 'best' or 'last'")
    return None


def _certificate(value, line, log):
    if isinstance(value, bool):
        return value
    log.add(line, "certificate must be true or false")
    return None


def _completion(value, line, log):
    if value in COMPLETION_RULES:
        return value
    log.add(line, f"completion must be one of: {', '.join(COMPLETION_RULES)}")
    return None


def _assessment(value, line, log):
    if value in ASSESSMENT_MODES:
        return value
    log.add(line, "assessment must be 'trainer' (marked by trainers or assessors) or 'self' (learners self-assess)")
    return None


def _text_by_language(node, line, what, languages, log):
    """A {lang: text} mapping with a non-empty text for every course language."""
    result, written = {}, set()
    for lang, key_line, value_node in yaml_nodes.mapping_items(node, log, 1, what):
        written.add(lang)
        text = yaml_nodes.value(value_node)
        if languages and lang not in languages:
            log.add(key_line, f"{what}: '{lang}' is not in the course languages")
        elif not isinstance(text, str) or not text.strip():
            log.add(key_line, f"{what}: the {lang} text is empty")
        else:
            result[lang] = text.strip()
    if isinstance(node, yaml.MappingNode):
        for lang in languages:
            if lang not in written:
                log.add(line, f"{what}: missing the {lang} text")
    return frozen_mapping(result)


def _per_language(node, line, key, languages, log):
    return _text_by_language(node, line, key, languages, log)


def _modules(node, settings, log):
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        log.add(settings.modules_line, "modules must be a list of module slugs, in order")
        return ()
    slugs = []
    for item in node.value:
        slug, line = yaml_nodes.value(item), yaml_nodes.line_of(item)
        if not isinstance(slug, str) or not SLUG.match(slug):
            log.add(line, f"module '{slug}' must be a slug: lower-case letters, digits and -")
        elif slug in settings.module_lines:
            log.add(line, f"module '{slug}' is listed twice")
        else:
            settings.module_lines[slug] = line
            slugs.append(slug)
    return tuple(slugs)


def _confidence(node, languages, log):
    if not isinstance(node, yaml.SequenceNode):
        log.add(yaml_nodes.line_of(node), "confidence must be a list of statements with id and text")
        return ()
    statements, ids = [], set()
    for item in node.value:
        fields = {k: (line, n) for k, line, n in yaml_nodes.mapping_items(item, log, 1, "confidence statement")}
        item_line = yaml_nodes.line_of(item)
        for key, (line, _) in fields.items():
            if key not in ("id", "text"):
                log.add(line, f"confidence statement: unknown key '{key}' (allowed: id, text)")
        sid = yaml_nodes.value(fields["id"][1]) if "id" in fields else None
        if not isinstance(sid, str) or not SLUG.match(sid):
            log.add(item_line, "confidence statement needs an id of lower-case letters, digits and -")
            sid = None
        elif sid in ids:
            log.add(fields["id"][0], f"confidence statement id '{sid}' is used twice")
        if "text" not in fields:
            log.add(item_line, "confidence statement needs a text for every language")
            continue
        text = _text_by_language(fields["text"][1], fields["text"][0], f"confidence '{sid}'", languages, log)
        if sid:
            ids.add(sid)
            statements.append(ConfidenceStatement(sid, text))
    return tuple(statements)
