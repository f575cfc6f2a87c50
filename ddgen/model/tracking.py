"""Step 4: track effectiveness — SMART KPIs and audits (guide 4.1-4.7)."""

from __future__ import annotations

import enum
import datetime as dt
from typing import Annotated, ClassVar

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .common import ActionRef, Record, RiskRef, Scope, Scoped, Sensitive, SupplierRef, Text, Year
from .risk import Theme
from .value_chain import ScreeningCriterion


class Direction(enum.StrEnum):
    """Whether the KPI improves when its value goes up or down."""

    INCREASE = "increase"
    DECREASE = "decrease"


class KpiKind(enum.StrEnum):
    """Activity and output measure effort; outcome and impact measure change (guide 4.7)."""

    ACTIVITY = "activity"
    OUTPUT = "output"
    OUTCOME = "outcome"
    IMPACT = "impact"


class Baseline(Record):
    value: float
    year: Year


class Target(Record):
    value: float
    deadline: dt.date


class Measurement(Record):
    """A value measured for one reporting year, optionally by gender (guide 0.5)."""

    year: Year
    value: float
    women: float | None = None
    men: float | None = None
    note: Text | None = None


class Kpi(Scoped):
    """A SMART indicator: specific, measurable, with baseline, target and deadline (guide 4.2)."""

    name: Text
    description: Text
    step: int = Field(ge=1, le=6, description="The due-diligence step (1-6) this KPI tracks.")
    kind: KpiKind
    unit: Text
    direction: Direction
    baseline: Baseline
    target: Target
    values: tuple[Measurement, ...] = ()
    owner: Text
    data_source: Text | None = None
    risks: tuple[RiskRef, ...] = ()
    actions: tuple[ActionRef, ...] = ()

    @model_validator(mode="after")
    def _years_unique(self) -> Kpi:
        years = [m.year for m in self.values]
        dup = sorted({y for y in years if years.count(y) > 1})
        if dup:
            raise PydanticCustomError("duplicate_year", "KPI {id} has more than one value for {year}",
                                      {"id": self.id, "year": dup[0]})
        return self


class AuditType(enum.StrEnum):
    SOCIAL_AUDIT = "social_audit"
    ENVIRONMENTAL_AUDIT = "environmental_audit"
    CERTIFICATION_AUDIT = "certification_audit"
    SITE_VISIT = "site_visit"
    WORKER_INTERVIEWS = "worker_interviews"
    SELF_ASSESSMENT = "self_assessment"
    VERIFICATION = "verification"


class Announcement(enum.StrEnum):
    ANNOUNCED = "announced"
    SEMI_ANNOUNCED = "semi_announced"
    UNANNOUNCED = "unannounced"


class FindingSeverity(enum.StrEnum):
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class Finding(Record):
    """A finding of an audit. Per-audit detail stays internal; the site shows aggregates."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    category: Theme
    severity: FindingSeverity
    description: Annotated[Text, Sensitive(Scope.INTERNAL)]
    closed_on: dt.date | None = None


class Audit(Scoped):
    """An audit, assessment or site visit at a supplier. Internal unless the writer says otherwise."""

    default_scope: ClassVar[Scope] = Scope.INTERNAL

    supplier: SupplierRef
    date: dt.date
    type: AuditType
    announcement: Announcement
    standard: Text | None = None
    auditor: Annotated[Text | None, Sensitive(Scope.INTERNAL)] = None
    covers: Text = Field(description="What the audit covered (its own scope): topics, site parts, documents.")
    joint: bool = False
    worker_interviews: int | None = Field(default=None, ge=0)
    criteria: tuple[ScreeningCriterion, ...] = Field(
        default=(), description="What the audit assessed (GRI 308-2, 414-2). Empty: environmental audits count as "
                                "environmental, all other kinds as social.")
    findings: tuple[Finding, ...] = ()
    report_reference: Annotated[Text | None, Sensitive(Scope.INTERNAL)] = None
