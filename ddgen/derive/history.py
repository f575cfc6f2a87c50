"""Years: the records as they stood at the end of an earlier reporting period, and what changed.

`as_of_period` rebuilds an earlier year's view from today's records, so a correction made today shows
in every year's report. Rules (stated on the "How we assess" page):
- a supplier counts from its `relationship_since` year; one that left before the period began is
  left out; one that left after the period ended is shown as it was then (active, no exit);
- a risk counts from `identified_on` (else `assessed_on`); its scores are those of the latest
  assessment made by the report date (`earlier_assessments` or the current one); it is closed only
  if `closed_on` lies before the report date;
- an action counts from its `start_on`; it is completed only if `completed_on` lies before the report
  date, otherwise it was in progress;
- consultations, trainings, audits, remediation and grievance cases count from their dates; KPI
  values up to the period's year.

`compare` works on two published editions (never on unpublished records), so the "what changed"
page cannot reveal anything its own edition hides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from ..model.action import Action, ActionStatus
from ..model.company import ReportingPeriod
from ..model.dossier import Dossier
from ..model.risk import Risk, RiskStatus
from ..model.tracking import Kpi
from ..model.value_chain import Supplier, SupplierStatus
from .aggregates import GrievanceStatistics
from .assessment import Priority, priority, severity
from .progress import KpiStatus, kpi_progress, latest_measurement


def _supplier_then(s: Supplier, period: ReportingPeriod) -> Supplier | None:
    if s.relationship_since is not None and s.relationship_since > period.year:
        return None
    if s.exit is not None and s.exit.on < period.start:
        return None
    if s.exit is not None and s.exit.on > period.report_date:
        return s.model_copy(update={"status": SupplierStatus.ACTIVE, "exit": None})
    return s


def _risk_then(r: Risk, day: date) -> Risk | None:
    if (r.identified_on or r.assessed_on) > day:
        return None
    candidates = [(a.on, a.severity, a.likelihood) for a in r.earlier_assessments if a.on <= day]
    if r.assessed_on <= day:
        candidates.append((r.assessed_on, r.severity, r.likelihood))
    updates: dict[str, Any] = {}
    if candidates:
        on, scores, likelihood = max(candidates, key=lambda c: c[0])
        updates.update(severity=scores, likelihood=likelihood, assessed_on=on)
    if r.closed_on is not None and r.closed_on > day:
        updates.update(status=RiskStatus.OPEN, closed_on=None)
    return r.model_copy(update=updates) if updates else r


def _action_then(a: Action, day: date) -> Action | None:
    if a.start_on is not None and a.start_on > day:
        return None
    if a.completed_on is not None and a.completed_on > day:
        return a.model_copy(update={"status": ActionStatus.IN_PROGRESS, "completed_on": None})
    return a


def _kpi_then(k: Kpi, year: int) -> Kpi | None:
    if k.baseline.year > year:
        return None
    return k.model_copy(update={"values": tuple(m for m in k.values if m.year <= year)})


def as_of_period(dossier: Dossier, period: ReportingPeriod) -> Dossier:
    """The records as they stood at the end of `period`, with that period as the latest one."""
    day = period.report_date

    def kept(records: tuple[Any, ...], then: Any) -> tuple[Any, ...]:
        return tuple(x for x in (then(r) for r in records) if x is not None)

    return replace(
        dossier,
        reporting_periods=tuple(p for p in dossier.reporting_periods if p.year <= period.year),
        suppliers=kept(dossier.suppliers, lambda s: _supplier_then(s, period)),
        risks=kept(dossier.risks, lambda r: _risk_then(r, day)),
        actions=kept(dossier.actions, lambda a: _action_then(a, day)),
        kpis=kept(dossier.kpis, lambda k: _kpi_then(k, period.year)),
        consultations=tuple(c for c in dossier.consultations if c.date <= day),
        trainings=tuple(t for t in dossier.trainings if t.held_on <= day),
        audits=tuple(a for a in dossier.audits if a.date <= day),
        grievance_cases=tuple(g for g in dossier.grievance_cases if g.received_on <= day),
        remediation_cases=tuple(r for r in dossier.remediation_cases if r.opened_on <= day),
    )


@dataclass(frozen=True)
class RiskChange:
    risk: Risk
    before: Risk | None
    kind: str  # added, closed, reprioritised

    @property
    def priority_before(self) -> Priority | None:
        return priority(self.before) if self.before is not None else None

    @property
    def priority_now(self) -> Priority:
        return priority(self.risk)


@dataclass(frozen=True)
class KpiChange:
    kpi: Kpi
    before: Decimal | None
    now: Decimal | None
    status_before: KpiStatus
    status_now: KpiStatus


@dataclass(frozen=True)
class Changes:
    """What changed between two consecutive reporting years, from the two published editions."""

    year: int
    previous_year: int
    risks_added: tuple[RiskChange, ...]
    risks_closed: tuple[RiskChange, ...]
    risks_reprioritised: tuple[RiskChange, ...]
    actions_completed: tuple[Action, ...]
    actions_overdue: tuple[Action, ...]
    suppliers_added: tuple[Supplier, ...]
    suppliers_exited: tuple[Supplier, ...]
    kpis: tuple[KpiChange, ...]
    grievances_before: GrievanceStatistics | None = None
    grievances_now: GrievanceStatistics | None = None


def _value(kpi: Kpi, year: int) -> Decimal | None:
    m = latest_measurement(kpi, year)
    return Decimal(str(m.value)) if m is not None and m.year == year else None


def compare(before: Dossier, now: Dossier, before_day: date, now_day: date) -> Changes:
    """Differences between the edition of the previous year (`before`) and this year's (`now`)."""
    old_risks = {r.id: r for r in before.risks}
    added = tuple(RiskChange(r, None, "added") for r in now.risks if r.id not in old_risks)
    closed = tuple(RiskChange(r, old_risks[r.id], "closed") for r in now.risks
                   if r.id in old_risks and r.status is RiskStatus.CLOSED
                   and old_risks[r.id].status is not RiskStatus.CLOSED)
    moved = tuple(RiskChange(r, old_risks[r.id], "reprioritised") for r in now.risks
                  if r.id in old_risks and r.status is not RiskStatus.CLOSED
                  and (priority(r) is not priority(old_risks[r.id]) or severity(r) != severity(old_risks[r.id])
                       or r.likelihood != old_risks[r.id].likelihood))
    year = now_day.year
    old_suppliers = {s.id for s in before.suppliers if s.status is not SupplierStatus.EXITED}
    old_kpis = {k.id: k for k in before.kpis}
    return Changes(
        year=year,
        previous_year=before_day.year,
        risks_added=added,
        risks_closed=closed,
        risks_reprioritised=moved,
        actions_completed=tuple(a for a in now.actions if a.completed_on is not None
                                and before_day < a.completed_on <= now_day),
        actions_overdue=tuple(a for a in now.actions if a.status.is_open and a.due_on is not None
                              and a.due_on < now_day),
        suppliers_added=tuple(s for s in now.suppliers if s.id not in old_suppliers
                              and s.status is not SupplierStatus.EXITED),
        suppliers_exited=tuple(s for s in now.suppliers if s.exit is not None
                               and before_day < s.exit.on <= now_day),
        kpis=tuple(
            KpiChange(k, _value(old_kpis[k.id], before_day.year) if k.id in old_kpis else None, _value(k, year),
                      kpi_progress(old_kpis[k.id], before_day).status if k.id in old_kpis else KpiStatus.NO_DATA,
                      kpi_progress(k, now_day).status)
            for k in now.kpis),
    )
