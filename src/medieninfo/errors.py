"""Errors the library raises, shaped so the CLI can print them as ``file:line:col: message``.

Every problem with user input becomes a :class:`Problem`; a stage that finds problems collects
all of them and raises one :class:`InputError`, so the user sees every mistake at once instead
of fixing them one run at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the parser allows."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"message": self.message, "line": self.line, "column": self.column}


class MedieninfoError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(MedieninfoError):
    """One or more problems with an input file (release or letterhead)."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("InputError needs at least one problem")
        # Report in file order, whatever order the checks ran in.
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(
        cls, file: str | Path, message: str, line: int | None = None, column: int | None = None
    ) -> InputError:
        return cls([Problem(str(file), message, line, column)])


def internal_error(label: str, exc: BaseException) -> str:
    """The one line that reports a bug (an exception no stage raises on purpose) for
    ``label``, the input or the program: its type and message, white space folded."""
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())
    return f"{label}: internal error: {detail}"


class OutputError(MedieninfoError):
    """The PDF could not be written where the user asked."""
