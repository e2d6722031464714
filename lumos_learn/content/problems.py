"""Problems found in course files, reported to authors as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing a course author must fix. `line` is 1-based; 0 means "the whole file or folder"."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class CourseValidationError(Exception):
    """Raised by `load_library` when any course has problems; `problems` lists all of them."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ProblemLog:
    """Collects problems for one file, so that parsers report everything in one pass."""

    def __init__(self, path: str, into: list[Problem] | None = None):
        self.path = path
        self.problems: list[Problem] = into if into is not None else []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def for_file(self, path: str) -> ProblemLog:
        """A log for another file that appends to the same list."""
        return ProblemLog(path, self.problems)
