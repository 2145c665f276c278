"""Problems found while validating a file, and the report that lists them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

ERROR = "error"
WARNING = "warning"

MAX_PROBLEMS = 5_000
"""Problems kept in one report. Past it, only the number of further errors and warnings
is kept, so a file with an error on every one of 500,000 rows stays readable."""


@dataclass(frozen=True)
class Problem:
    """One problem at a place in a file: an error blocks the import, a warning does not.

    ``row`` is the row number the user sees (the spreadsheet row or the CSV line),
    ``column`` the header as written in the file. Either is None when the problem
    concerns a whole sheet or column.
    """

    severity: str
    sheet: str | None
    row: int | None
    column: str | None
    value: object
    message_vi: str
    message_en: str

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi

    def as_dict(self, lang: str = "vi") -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": _plain(self.value),
            "message": self.message(lang),
        }


def _plain(value: object) -> object:
    """Return ``value`` as a JSON-ready value."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


@dataclass
class ValidationReport:
    """The validation of one file: the kinds of table found, the rows read and every problem.

    ``tables`` maps each kind found to its validated table. Import it only when `ok`
    is true.
    """

    file_name: str
    kinds: list[str] = field(default_factory=list)
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    omitted: dict[str, int] = field(default_factory=lambda: {ERROR: 0, WARNING: 0})

    def add(self, problem: Problem) -> None:
        """Add a problem, or only count it once `MAX_PROBLEMS` are listed."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.omitted[problem.severity] += 1

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.omitted[ERROR]

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + self.omitted[WARNING]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == WARNING]

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and bool(self.tables)

    @property
    def kind(self) -> str | None:
        """The kind of table found, kinds joined by commas for a workbook of several."""
        return ",".join(self.kinds) if self.kinds else None

    def as_dict(self, lang: str = "vi") -> dict:
        return {
            "file": self.file_name,
            "kind": self.kind,
            "rows": self.rows,
            "errors": [problem.as_dict(lang) for problem in self.errors],
            "warnings": [problem.as_dict(lang) for problem in self.warnings],
            "omitted_errors": self.omitted[ERROR],
            "omitted_warnings": self.omitted[WARNING],
        }
