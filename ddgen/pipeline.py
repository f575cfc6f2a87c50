"""The pipeline's front half, shared by every command: load -> validate -> derive.

`check` is `build` without writing: both start here, so what `ddgen check` accepts is exactly what
`ddgen build` publishes.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .derive import review
from .frameworks import check_data, load_frameworks
from .load import LoadCache, SourceDoc, load
from .model.dossier import Dossier
from .problems import Report, Span
from .validate import validate


@dataclass(frozen=True)
class Checked:
    dossier: Dossier
    report: Report
    as_of: date
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    """Seconds per stage (load, validate, derive), for `-v` and the benchmark."""

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


@contextmanager
def collector_paused(freeze_after: bool = False) -> Iterator[None]:
    """Python's cyclic garbage collector off for a while, as it was after.

    Reading and checking records makes millions of small objects and no cycles worth collecting;
    the collector's passes over the growing heap took about half of validate and derive (and a
    tenth of load) at 10,000 suppliers. Whatever cycles there are go at its next pass after.

    `freeze_after`: the objects made meanwhile are frozen before the collector is back on, or its
    first pass walks them all (about 0.3 s after a render at L); only inside `objects_frozen`, which
    unfreezes them."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze_after:
            gc.freeze()
        if was_on:
            gc.enable()


@contextmanager
def objects_frozen() -> Iterator[None]:
    """Every object made so far left out of the collector's passes for a while (`gc.freeze`): the
    records and pages ddgen keeps through MkDocs' build or shares with a forked render worker, which
    collections would only walk (and, in a fork, copy page by page)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def check(project: Path, as_of: date | None = None, cache: LoadCache | None = None) -> Checked:
    """Load, validate and derive; `cache` (kept by `ddgen serve`) skips re-reading unchanged files."""
    with collector_paused():
        return _check(project, as_of, cache)


def _check(project: Path, as_of: date | None, cache: LoadCache | None) -> Checked:
    started = time.perf_counter()
    docs, problems = load(project, cache)
    loaded = time.perf_counter()
    report = Report(files=len(docs))
    report.extend(problems)
    dossier, found = validate(docs, cache.validated if cache is not None else None)
    report.extend(found)
    frameworks, framework_problems = load_frameworks(project)  # packaged maps are read once per process
    report.extend(framework_problems)
    report.extend(check_data(dossier, frameworks, _locator(docs, dossier)))
    report.records.update({name: n for name, n in dossier.counts().items()})
    validated = time.perf_counter()
    today = report_date(dossier, as_of)
    report.extend(review(dossier, today, _locator(docs, dossier)))
    timings = {"load": loaded - started, "validate": validated - loaded, "derive": time.perf_counter() - validated}
    return Checked(dossier, report, today, timings)
