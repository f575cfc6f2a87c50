"""The pipeline's front half, shared by every command: load -> validate -> derive.

`check` is `build` without writing: both start here, so what `ddgen check` accepts is exactly what
`ddgen build` publishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .derive import review
from .frameworks import check_data, load_frameworks
from .load import SourceDoc, data_files, load
from .model.dossier import Dossier
from .problems import Report, Span
from .validate import validate


@dataclass(frozen=True)
class Checked:
    dossier: Dossier
    report: Report
    as_of: date

    @property
    def ok(self) -> bool:
        return not self.report.errors


def _locator(docs: list[SourceDoc], dossier: Dossier):  # type: ignore[no-untyped-def]
    by_file = {d.file: d for d in docs}

    def locate(section: str, ident: str, path: tuple[str | int, ...]) -> Span:
        origin = dossier.origins.get((section, ident))
        if origin is None:
            return Span("data")
        return by_file[origin.file].locate((*origin.path, *path))

    return locate


def report_date(dossier: Dossier, override: date | None = None) -> date:
    """'Today' for every derived value: --as-of, else the latest period's as_of or end. Never the clock."""
    if override is not None:
        return override
    period = dossier.period
    return period.report_date if period is not None else date(1970, 1, 1)


def check(project: Path, as_of: date | None = None) -> Checked:
    docs, problems = load(project)
    report = Report(files=len(data_files(project)))
    report.extend(problems)
    dossier, found = validate(docs)
    report.extend(found)
    frameworks, framework_problems = load_frameworks(project)  # packaged maps are read once per process
    report.extend(framework_problems)
    report.extend(check_data(dossier, frameworks, _locator(docs, dossier)))
    report.records.update({name: n for name, n in dossier.counts().items()})
    today = report_date(dossier, as_of)
    report.extend(review(dossier, today, _locator(docs, dossier)))
    return Checked(dossier, report, today)
