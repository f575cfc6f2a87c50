"""Problems: what every stage reports instead of raising.

A `Problem` says where (a `Span` the user's editor can open), what is wrong in the writer's words,
and what to do about it. Codes are stable and documented in `CATALOGUE`: `DDG0xx` reading files,
`DDG1xx` fields and values, `DDG2xx` ids and references, `DDG3xx` consistency with the guidance,
`DDG4xx` privacy. A `Report` collects the problems of a whole run and renders them as text or JSON.
"""

from __future__ import annotations

import enum
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Span:
    """A position in a project file: 1-based line and column, as editors show them."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    where: Span
    message: str
    fix: str
    related: tuple[Span, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.where.file, self.where.line, self.where.column, self.code, self.message)

    def render(self) -> str:
        lines = [f"{self.where}: {self.severity.value}: {self.code}: {self.message}"]
        lines += [f"  see: {span}" for span in self.related]
        lines.append(f"  hint: {self.fix}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.where.file,
            "line": self.where.line,
            "column": self.where.column,
            "message": self.message,
            "hint": self.fix,
            "related": [str(s) for s in self.related],
        }


@dataclass(frozen=True)
class Entry:
    """One catalogue entry: the stable code, a title and what the problem means."""

    code: str
    title: str
    description: str


CATALOGUE: dict[str, Entry] = {
    e.code: e
    for e in (
        Entry("DDG001", "not UTF-8", "The file is not UTF-8 text, so it cannot be read reliably."),
        Entry("DDG002", "YAML syntax", "The file is not valid YAML (indentation, quotes, colons, tabs)."),
        Entry("DDG003", "duplicate key", "A key appears twice in one mapping; YAML would keep only one."),
        Entry("DDG004", "tag refused", "A YAML tag such as !!python/object could create program objects."),
        Entry("DDG005", "file too large", "The file is larger than ddgen reads, to protect the build."),
        Entry("DDG006", "too complex", "Anchors and aliases expand too far, or nesting is too deep."),
        Entry("DDG007", "unknown file", "ddgen does not know which records a file in data/ holds."),
        Entry("DDG008", "wrong shape", "A file or section has the wrong overall shape."),
        Entry("DDG009", "file unreadable", "The file or folder could not be read."),
        Entry("DDG010", "page name clash", "A hand-written page has the name of a page ddgen generates."),
        Entry("DDG011", "site build failed", "MkDocs stopped; the previous site was left as it was."),
        Entry("DDG012", "page template error",
              "A page template in overrides/ddgen/ could not be rendered: a syntax error, or a name the "
              "page does not have (a page about one record sees only that record and `v`)."),
        Entry("DDG020", "spreadsheet not readable",
              "An imported file is not a supplier list ddgen can read: not a workbook, protected by a "
              "password, an old .xls file, no such sheet, no header row, or a column given twice."),
        Entry("DDG021", "spreadsheet too large", "An imported file has more rows or bytes than ddgen reads."),
        Entry("DDG101", "missing field", "A required field is not there."),
        Entry("DDG102", "unknown key", "A key is not a field of this record (often a typo)."),
        Entry("DDG103", "not an allowed value", "The value is not one of a fixed list of choices."),
        Entry("DDG104", "wrong kind of value", "A number, date, list or text was expected."),
        Entry("DDG105", "out of range", "A number is outside the range the field allows."),
        Entry("DDG106", "bad date", "A date is not a real calendar date in the form YYYY-MM-DD."),
        Entry("DDG107", "unknown country", "A country code is not an ISO 3166-1 alpha-2 code."),
        Entry("DDG108", "bad format", "An id, link or code does not have the expected form."),
        Entry("DDG109", "inconsistent values", "Values within one record contradict each other."),
        Entry("DDG201", "dangling reference", "A record refers to an id that no record has."),
        Entry("DDG202", "duplicate id", "Two records of the same kind share an id."),
        Entry("DDG203", "section given twice", "A section that must appear once is in two files."),
        Entry("DDG204", "required section missing", "The project lacks a section every report needs."),
        Entry("DDG205", "unknown framework name",
              "A framework file, or an omission, answer elsewhere or material topic in the data, names a record "
              "type, field, value, page, requirement or framework that does not exist."),
        Entry("DDG220", "row matches several records",
              "An imported row fits more than one supplier, or its id and OS ID point at different ones."),
        Entry("DDG301", "certificate expired", "A supplier certificate expired before the report date."),
        Entry("DDG302", "KPI without value", "A KPI deadline has passed without a measured value."),
        Entry("DDG303", "priority risk without action", "A high-priority risk has no action."),
        Entry("DDG304", "action overdue", "An open action is past its due date."),
        Entry("DDG305", "expected action missing", "Involvement calls for an action of a kind that is missing."),
        Entry("DDG306", "review overdue", "A risk's planned review date has passed."),
        Entry("DDG307", "listed good without risk",
              "A product or raw material comes from a country where the US Department of Labor lists that good "
              "for child or forced labour, and no risk of that theme names the country and the good."),
        Entry("DDG308", "text missing in a language", "A text given per language lacks one of the report's languages."),
        Entry("DDG401", "personal data made public", "Grievance personal data is marked public."),
    )
}


def problem(
    code: str,
    where: Span,
    message: str,
    fix: str,
    *,
    severity: Severity | None = None,
    related: Iterable[Span] = (),
) -> Problem:
    """Make a problem; codes DDG3xx default to warnings, all others to errors."""
    if code not in CATALOGUE:
        raise KeyError(f"problem code {code} is not in the catalogue")
    if severity is None:
        severity = Severity.WARNING if code.startswith("DDG3") else Severity.ERROR
    return Problem(code, severity, where, message, fix, tuple(related))


@dataclass
class Report:
    """All problems of one run, plus counts of what was checked."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    records: Counter[str] = field(default_factory=Counter)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def sorted(self) -> list[Problem]:
        unique = {(p.sort_key(), p.severity, p.fix): p for p in self.problems}
        return [unique[k] for k in sorted(unique, key=lambda k: (k[0], k[1].value, k[2]))]

    def summary(self) -> str:
        kinds = ", ".join(f"{n} {name}" for name, n in sorted(self.records.items()) if n)
        errors, warnings, total = len(self.errors), len(self.warnings), sum(self.records.values())
        parts = [
            f"Checked {self.files} file{'s' * (self.files != 1)}",
            f"{total} record{'s' * (total != 1)} ({kinds})" if kinds else "0 records",
        ]
        verdict = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        return f"{': '.join([', '.join(parts), verdict])}."

    def render_text(self) -> str:
        blocks = [p.render() for p in self.sorted()]
        return "\n\n".join([*blocks, self.summary()]) + "\n"

    def render_json(self) -> str:
        payload = {
            "valid": not self.errors,
            "files": self.files,
            "records": dict(sorted(self.records.items())),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.as_dict() for p in self.sorted()],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

    def render_github(self) -> str:
        """GitHub Actions workflow commands, so problems show on the right line of a pull request."""

        def esc(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def esc_property(text: str) -> str:  # a ',' or ':' in a file name would end the property early
            return esc(text).replace(":", "%3A").replace(",", "%2C")

        lines = [
            f"::{'error' if p.is_error else 'warning'} file={esc_property(p.where.file)},line={p.where.line},"
            f"col={p.where.column},title={p.code}::{esc(p.message + ' Hint: ' + p.fix)}"
            for p in self.sorted()
        ]
        return "\n".join([*lines, self.summary()]) + "\n"
