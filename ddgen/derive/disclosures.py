"""Figures for GRI topic disclosures, computed from all records of the reporting period.

Counts of suppliers are not personal data, so like the audit summary they are worked out from every
record, internal ones included, before publish filters the records: a supplier that is not on the
public list still counts as a new supplier or as a supplier at risk. Only counts, themes and
countries come out; names and ids stay behind.

Rules (the GRI page states them next to the figures):
- new supplier: `relationship_since` is the reporting year; screened: its `screening` names the criteria;
- assessed (308-2-a, 414-2-a): a supplier with an audit dated in the reporting year on those criteria
  (the audit's `criteria`, or by default environmental audits environmental, every other kind social);
- significant negative impacts (b): named in an open or mitigated risk of high priority whose theme is
  environmental (308) or a labour or human-rights theme (414);
- improvements agreed (d): of those, suppliers named in an action (not cancelled) on such a risk;
- relationship ended (e): of those, suppliers that left in the reporting year after a responsible exit
  or for non-compliance;
- at risk (407-1, 408-1, 409-1): suppliers (not exited) named in an open or mitigated risk on the theme,
  by country and tier, and own operations where such a risk is located there;
- incidents (411-1): actual risks affecting indigenous peoples.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..model.action import ActionStatus
from ..model.dossier import Dossier
from ..model.remedy import RemediationStatus
from ..model.risk import (
    THEME_LABELS,
    AffectedGroupKind,
    Impact,
    Risk,
    RiskStatus,
    Theme,
    ThemeCategory,
    ValueChainLocation,
)
from ..model.tracking import Audit, AuditType
from ..model.value_chain import ExitKind, ScreeningCriterion, Supplier, SupplierStatus
from .assessment import Priority, priority

SOCIAL_CATEGORIES = (ThemeCategory.LABOUR_RIGHTS, ThemeCategory.HUMAN_RIGHTS)
ENVIRONMENTAL_CATEGORIES = (ThemeCategory.ENVIRONMENT,)
AT_RISK_THEMES = {"gri-407-1": Theme.FREEDOM_OF_ASSOCIATION, "gri-408-1": Theme.CHILD_LABOUR,
                  "gri-409-1": Theme.FORCED_LABOUR}
ENDED_FOR_CAUSE = (ExitKind.RESPONSIBLE_EXIT, ExitKind.NON_COMPLIANCE)


def share(part: int, whole: int) -> Decimal | None:
    """part of whole in percent, one decimal, half up; None when there is nothing to divide."""
    if whole == 0:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Screening:
    """GRI 308-1 / 414-1: new suppliers of the year and how many were screened on the criteria."""

    criterion: ScreeningCriterion
    new: int
    screened: int
    by_tier: tuple[tuple[int, int, int], ...]  # (tier, new, screened)
    recorded: int = 0  # suppliers of any year whose screening on this criterion is recorded

    @property
    def percent(self) -> Decimal | None:
        return share(self.screened, self.new)


@dataclass(frozen=True)
class Assessment:
    """GRI 308-2 / 414-2 a-e."""

    criterion: ScreeningCriterion
    assessed: int
    significant: int
    themes: tuple[Theme, ...]
    improvements: int
    ended: int
    end_kinds: tuple[ExitKind, ...]

    @property
    def improvements_percent(self) -> Decimal | None:
        return share(self.improvements, self.significant)

    @property
    def ended_percent(self) -> Decimal | None:
        return share(self.ended, self.significant)


@dataclass(frozen=True)
class CountryRow:
    country: str
    tier_1: int
    further_tiers: int

    @property
    def total(self) -> int:
        return self.tier_1 + self.further_tiers


@dataclass(frozen=True)
class AtRisk:
    """GRI 407-1 / 408-1 / 409-1: operations and suppliers at risk on one theme, by country and type."""

    theme: Theme
    rows: tuple[CountryRow, ...]
    own_operations: bool
    countries_without_supplier: tuple[str, ...]
    risks: tuple[str, ...]
    actions: tuple[str, ...]

    @property
    def suppliers(self) -> int:
        return sum(r.total for r in self.rows)


@dataclass(frozen=True)
class Incidents:
    """GRI 411-1: incidents involving rights of indigenous peoples, by status."""

    total: int
    by_status: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class DisclosureFigures:
    year: int
    screening: dict[str, Screening]
    assessment: dict[str, Assessment]
    at_risk: dict[str, AtRisk]
    indigenous: Incidents


def audit_criteria(audit: Audit) -> tuple[ScreeningCriterion, ...]:
    """What an audit assessed: as recorded, else environmental audits environmental, all others social."""
    if audit.criteria:
        return audit.criteria
    if audit.type is AuditType.ENVIRONMENTAL_AUDIT:
        return (ScreeningCriterion.ENVIRONMENTAL,)
    return (ScreeningCriterion.SOCIAL,)


def _categories(criterion: ScreeningCriterion) -> tuple[ThemeCategory, ...]:
    return ENVIRONMENTAL_CATEGORIES if criterion is ScreeningCriterion.ENVIRONMENTAL else SOCIAL_CATEGORIES


def _live(risk: Risk) -> bool:
    return risk.status is not RiskStatus.CLOSED


def screening(suppliers: tuple[Supplier, ...], year: int, criterion: ScreeningCriterion) -> Screening:
    new = [s for s in suppliers if s.relationship_since == year]
    done = [s for s in new if s.screening is not None and criterion in s.screening.criteria]
    tiers = sorted({s.tier for s in new})
    by_tier = tuple((t, sum(1 for s in new if s.tier == t), sum(1 for s in done if s.tier == t)) for t in tiers)
    recorded = sum(1 for s in suppliers if s.screening is not None and criterion in s.screening.criteria)
    return Screening(criterion, len(new), len(done), by_tier, recorded)


def assessment(d: Dossier, year: int, criterion: ScreeningCriterion) -> Assessment:
    assessed = {a.supplier for a in d.audits if a.date.year == year and criterion in audit_criteria(a)}
    categories = _categories(criterion)
    significant_risks = [r for r in d.risks if _live(r) and priority(r) is Priority.HIGH
                         and THEME_LABELS[r.theme][0] in categories]
    significant = {s for r in significant_risks for s in r.suppliers}
    risk_ids = {r.id for r in significant_risks}
    improved = {s for a in d.actions if a.status is not ActionStatus.CANCELLED and set(a.risks) & risk_ids
                for s in a.suppliers} & significant
    ended = [s for s in d.suppliers if s.id in significant and s.exit is not None and s.exit.on.year == year
             and s.status in (SupplierStatus.EXITED, SupplierStatus.PHASING_OUT) and s.exit.kind in ENDED_FOR_CAUSE]
    themes = tuple(sorted({r.theme for r in significant_risks}, key=lambda t: list(Theme).index(t)))
    return Assessment(criterion, len(assessed), len(significant), themes, len(improved), len(ended),
                      tuple(sorted({s.exit.kind for s in ended if s.exit is not None})))


def at_risk(d: Dossier, theme: Theme) -> AtRisk:
    risks = [r for r in d.risks if r.theme is theme and _live(r)]
    suppliers = {s.id: s for s in d.suppliers if s.status is not SupplierStatus.EXITED}
    named = sorted({i for r in risks for i in r.suppliers if i in suppliers})
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for ident in named:
        counts[suppliers[ident].country][0 if suppliers[ident].tier == 1 else 1] += 1
    rows = tuple(CountryRow(c, n[0], n[1]) for c, n in sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0])))
    elsewhere = sorted({c for r in risks for c in r.countries} - set(counts))
    risk_ids = {r.id for r in risks}
    actions = tuple(a.id for a in d.actions if a.status is not ActionStatus.CANCELLED and set(a.risks) & risk_ids)
    own = any(r.location is ValueChainLocation.OWN_OPERATIONS for r in risks)
    return AtRisk(theme, rows, own, tuple(elsewhere), tuple(sorted(risk_ids)), actions)


def indigenous_incidents(d: Dossier) -> Incidents:
    """GRI 411-1 statuses: reviewed, remediation plan being implemented, implemented and reviewed, no longer subject to action."""
    risks = [r for r in d.risks if r.impact is Impact.ACTUAL
             and any(g.group is AffectedGroupKind.INDIGENOUS_PEOPLES for g in r.affected_groups)]
    statuses: dict[str, int] = defaultdict(int)
    for r in risks:
        cases = [c for c in d.remediation_cases if r.id in c.risks]
        if r.status is RiskStatus.CLOSED:
            statuses["no_longer_subject_to_action"] += 1
        elif cases and all(c.status is RemediationStatus.COMPLETED for c in cases):
            statuses["remediation_implemented"] += 1
        elif cases:
            statuses["remediation_in_progress"] += 1
        else:
            statuses["reviewed"] += 1
    return Incidents(len(risks), tuple(sorted(statuses.items())))


def disclosure_figures(d: Dossier) -> DisclosureFigures | None:
    """All figures for the GRI topic disclosures of the latest reporting period (None without one)."""
    period = d.period
    if period is None:
        return None
    year = period.year
    criteria = {"308": ScreeningCriterion.ENVIRONMENTAL, "414": ScreeningCriterion.SOCIAL}
    return DisclosureFigures(
        year=year,
        screening={f"gri-{n}-1": screening(d.suppliers, year, c) for n, c in criteria.items()},
        assessment={f"gri-{n}-2": assessment(d, year, c) for n, c in criteria.items()},
        at_risk={key: at_risk(d, theme) for key, theme in AT_RISK_THEMES.items()},
        indigenous=indigenous_incidents(d),
    )


def answered(figures: DisclosureFigures | None) -> frozenset[str]:
    """The figure blocks the records can fill: screening recorded, suppliers assessed or found at risk."""
    if figures is None:
        return frozenset()
    found = {key for key, s in figures.screening.items() if s.recorded}
    found |= {key for key, a in figures.assessment.items() if a.assessed or a.significant}
    found |= {key for key, r in figures.at_risk.items() if r.risks}
    if figures.indigenous.total:
        found.add("gri-411-1")
    return frozenset(found)
