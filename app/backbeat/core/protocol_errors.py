"""Problems found in a protocol file, each at a line and column a person can open."""

from __future__ import annotations

from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a protocol file; ``line`` and ``column`` are 1-based."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class ProtocolError(Exception):
    """A protocol that cannot be loaded or saved; ``str(error)`` lists every problem."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @classmethod
    def single(cls, path: str, message: str, line: int = 1, column: int = 1) -> ProtocolError:
        return cls([Problem(path, line, column, message)])


class ProblemLog:
    """Collects problems while a file is checked, so all of them are reported at once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._problems: list[Problem] = []

    def add(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self._problems.append(Problem(self.source, mark.line + 1, mark.column + 1, message))

    def __bool__(self) -> bool:
        return bool(self._problems)

    def __len__(self) -> int:
        return len(self._problems)

    def error(self) -> ProtocolError:
        """All problems, in file order, each reported once."""
        unique = dict.fromkeys(self._problems)
        return ProtocolError(sorted(unique, key=lambda p: (p.line, p.column)))
