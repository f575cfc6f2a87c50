"""Public aggregates of records that stay internal: grievance statistics and audit results.

Small-cell suppression (disclosure-formats §3.3): in every published table about cases that concern
people, a count from 1 to k-1 is shown as "<k" (k = report.suppression_threshold, default 5).
Categories with no cases are not listed. When the table's total is published and the hidden cells
could be worked out from it (one hidden cell, or hidden cells that can only be all 1 or all k-1),
the smallest shown cell is hidden too ("x"), until no hidden cell can be recomputed. A total below
k is itself shown as "<k". Medians are given only when at least k cases lie behind them.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..model.remedy import GrievanceCase
from ..model.tracking import Audit

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Cell:
    key: str
    count: int
    hidden: str | None = None  # None, PRIMARY or SECONDARY

    def shown(self, k: int) -> str:
        if self.hidden == PRIMARY:
            return f"<{k}"
        if self.hidden == SECONDARY:
            return "x"
        return str(self.count)


@dataclass(frozen=True)
class SuppressedTable:
    cells: tuple[Cell, ...]
    total: Cell
    k: int

    @property
    def any_hidden(self) -> bool:
        return any(c.hidden for c in self.cells) or self.total.hidden is not None


def _recomputable(cells: list[Cell], total: int, k: int) -> bool:
    hidden = [c for c in cells if c.hidden]
    if not hidden:
        return False
    residual = total - sum(c.count for c in cells if not c.hidden)
    return len(hidden) == 1 or residual == len(hidden) or residual == len(hidden) * (k - 1)


def suppress(counts: Mapping[str, int], k: int) -> SuppressedTable:
    """Apply the small-cell rule to one table of counts that has a published total."""
    total = sum(counts.values())
    items = sorted(((key, n) for key, n in counts.items() if n > 0), key=lambda kv: (-kv[1], kv[0]))
    if total < k:
        return SuppressedTable(tuple(Cell(key, n, PRIMARY) for key, n in items),
                               Cell("total", total, PRIMARY if total else None), k)
    cells = [Cell(key, n, PRIMARY if n < k else None) for key, n in items]
    while _recomputable(cells, total, k):
        shown = [i for i, c in enumerate(cells) if not c.hidden]
        if not shown:
            break
        smallest = min(shown, key=lambda i: (cells[i].count, cells[i].key))
        cells[smallest] = Cell(cells[smallest].key, cells[smallest].count, SECONDARY)
    return SuppressedTable(tuple(cells), Cell("total", total), k)


@dataclass(frozen=True)
class GrievanceStatistics:
    year: int
    k: int
    received: SuppressedTable  # by status
    by_theme: SuppressedTable
    by_country: SuppressedTable
    by_channel: SuppressedTable
    by_complainant: SuppressedTable
    outcomes: SuppressedTable
    closed_in_year: Cell
    median_days_to_close: Decimal | None
    closed_count_for_median: int


def _in_year(day: date | None, year: int) -> bool:
    return day is not None and day.year == year


def grievance_statistics(cases: Iterable[GrievanceCase], year: int, k: int) -> GrievanceStatistics:
    """Counts of cases received in `year` by status, theme, country, channel; closure times."""
    received = [c for c in cases if _in_year(c.received_on, year)]
    closed = [c for c in cases if _in_year(c.closed_on, year)]

    def table(values: Iterable[str]) -> SuppressedTable:
        return suppress(Counter(values), k)

    days = [(c.closed_on - c.received_on).days for c in closed if c.closed_on]
    median = (Decimal(str(statistics.median(days))).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
              if len(days) >= k else None)
    closed_total = suppress({"closed": len(closed)}, k).total
    return GrievanceStatistics(
        year=year, k=k,
        received=table(c.status.value for c in received),
        by_theme=table(c.theme.value for c in received),
        by_country=table(c.country for c in received),
        by_channel=table(c.channel.value for c in received),
        by_complainant=table(c.complainant_type.value for c in received),
        outcomes=table(c.outcome.value for c in closed if c.outcome is not None),
        closed_in_year=closed_total,
        median_days_to_close=median,
        closed_count_for_median=len(days),
    )


@dataclass(frozen=True)
class FindingCategorySummary:
    category: str
    findings: int
    closed: int
    major_or_critical: int

    @property
    def closure_rate(self) -> Decimal:
        if not self.findings:
            return Decimal(0)
        return (Decimal(100) * self.closed / self.findings).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AuditSummary:
    """Audits of a period aggregated: no per-audit detail reaches the public site."""

    year: int
    audits: int
    suppliers_audited: int
    by_type: tuple[tuple[str, int], ...]
    by_announcement: tuple[tuple[str, int], ...]
    categories: tuple[FindingCategorySummary, ...]
    findings: int
    closed: int
    worker_interviews: int

    @property
    def closure_rate(self) -> Decimal:
        if not self.findings:
            return Decimal(0)
        return (Decimal(100) * self.closed / self.findings).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def audit_summary(audits: Iterable[Audit], year: int, as_of: date) -> AuditSummary:
    """Audits held in `year`; a finding counts as closed when closed by the report date."""
    held = [a for a in audits if a.date.year == year]
    per: dict[str, list[int]] = {}
    for a in held:
        for f in a.findings:
            row = per.setdefault(f.category.value, [0, 0, 0])
            row[0] += 1
            row[1] += int(f.closed_on is not None and f.closed_on <= as_of)
            row[2] += int(f.severity.value in ("major", "critical"))
    categories = tuple(sorted((FindingCategorySummary(c, *v) for c, v in per.items()),
                              key=lambda s: (-s.findings, s.category)))
    return AuditSummary(
        year=year,
        audits=len(held),
        suppliers_audited=len({a.supplier for a in held}),
        by_type=tuple(sorted(Counter(a.type.value for a in held).items())),
        by_announcement=tuple(sorted(Counter(a.announcement.value for a in held).items())),
        categories=categories,
        findings=sum(s.findings for s in categories),
        closed=sum(s.closed for s in categories),
        worker_interviews=sum(a.worker_interviews or 0 for a in held),
    )
