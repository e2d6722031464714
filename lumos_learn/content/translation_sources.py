"""Which version of its source each translated file was translated from, and which translations are out of date.

A translation records in its front matter `source_hash: "<16 hex>"`, written by `flask courses record-translation`
(never typed by hand). The hash is taken over the WHOLE source file, front matter included, after normalising
what an editor changes without changing a word (UTF-8 byte-order mark, CRLF line ends, spaces at line ends,
blank lines at the end): the title, objectives and group objectives in the front matter are translated text too,
so a changed objective must mark the translations out of date. A changed `minutes:` or `draw:` does as well; a
re-record costs one command, a missed change costs a learner a wrong translation.

The file kinds that have translations are listed in TRANSLATED_KINDS: a new kind (job aids, assignments) joins
with one line, naming its folder in the course and its file names (`stem` and `lang` groups).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .problems import ProblemLog

HASH_LENGTH = 16  # hex digits written; 12 or more are accepted, compared as a prefix of the full SHA-256
SOURCE_HASH = re.compile(r"^[0-9a-f]{12,64}$")
_KEY_LINE = re.compile(r"^source_hash:[ \t]*(.*?)[ \t]*$")


def read_source_hash(value, line: int, log: ProblemLog) -> str | None:
    """A front matter's `source_hash:` value (a module's, a job aid's), or None with the problem logged at `line`."""
    if isinstance(value, str) and SOURCE_HASH.match(value):
        return value
    log.add(
        line,
        "source_hash must be 12 or more lower-case hex digits, written by "
        "`flask courses record-translation`: do not type it",
    )
    return None


@dataclass(frozen=True)
class TranslatedKind:
    name: str
    folder: str  # inside the course folder; "" for the course folder itself
    file_name: re.Pattern  # groups: stem (the same in every language) and lang


TRANSLATED_KINDS = (
    TranslatedKind("module", "", re.compile(r"^(?P<stem>\d{2}-[a-z0-9][a-z0-9-]*)\.(?P<lang>[a-z]{2,3})\.md$")),
    TranslatedKind("job aid", "aids", re.compile(r"^(?P<stem>[a-z0-9][a-z0-9-]*)\.(?P<lang>[a-z]{2,3})\.md$")),
)


def normalised_text(data: bytes) -> str:
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n") + "\n"


def source_hash(data: bytes) -> str:
    """The full SHA-256 (hex) of a source file's normalised text."""
    return hashlib.sha256(normalised_text(data).encode("utf-8")).hexdigest()


def matches(recorded: str | None, current: str) -> bool:
    return recorded is not None and SOURCE_HASH.match(recorded) is not None and current.startswith(recorded)


def recorded_hash(text: str) -> tuple[str | None, int]:
    """(the `source_hash:` value written in the front matter or None, its file line; 1 when absent)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, 1
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            break
        found = _KEY_LINE.match(line)
        if found:
            return found.group(1).strip("'\""), number
    return None, 1


@dataclass(frozen=True)
class Translation:
    """One translated file (or a missing one: path does not exist) beside its source."""

    kind: str
    stem: str
    lang: str
    path: Path
    source_path: Path
    recorded: str | None  # the hash written in the translation
    line: int  # where it is written (1 when it is not)
    current: str  # the source's hash now

    @property
    def missing(self) -> bool:
        return not self.path.is_file()

    @property
    def up_to_date(self) -> bool:
        return not self.missing and matches(self.recorded, self.current)


def course_translations(folder: Path, source_language: str, languages) -> list[Translation]:
    """Every (source file, other course language) of a course, translated or not, sorted by kind, stem, lang."""
    found = []
    for kind in TRANSLATED_KINDS:
        where = folder / kind.folder if kind.folder else folder
        if not where.is_dir():
            continue
        for source in sorted(where.iterdir()):
            name = kind.file_name.match(source.name)
            if not name or name.group("lang") != source_language or not source.is_file():
                continue
            current = source_hash(source.read_bytes())
            for lang in languages:
                if lang == source_language:
                    continue
                path = where / f"{name.group('stem')}.{lang}.md"
                recorded, line = (None, 1)
                if path.is_file():
                    recorded, line = recorded_hash(path.read_bytes().decode("utf-8-sig", "replace"))
                found.append(Translation(kind.name, name.group("stem"), lang, path, source, recorded, line, current))
    return found


def record(translation: Translation) -> bool:
    """Write the source's current hash into the translation's front matter; False if it was already there."""
    value = translation.current[:HASH_LENGTH]
    if translation.recorded == value:
        return False
    with translation.path.open(encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{translation.path}:1: no front matter to record the source hash in")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise ValueError(f"{translation.path}:1: front matter is not closed with a '---' line")
    entry = f'source_hash: "{value}"'  # quoted: a hash of digits only would otherwise be read as a number
    for i in range(1, end):
        if _KEY_LINE.match(lines[i]):
            lines[i] = entry
            break
    else:  # a key at column 0 ends whatever block the front matter's last key opened
        lines.insert(end, entry)
    with translation.path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(newline.join(lines))
    return True
