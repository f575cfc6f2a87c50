"""Step 3: cease, prevent and mitigate — action plans and corrective action plans (guide 3a, 3b)."""

from __future__ import annotations

import enum
from datetime import date
from typing import Annotated

from pydantic import Field

from .common import AuditRef, Record, RiskRef, Scope, Scoped, Sensitive, SupplierRef, Text
from .risk import Theme


class ActionKind(enum.StrEnum):
    """The kinds of response the guide distinguishes (3a.2)."""

    CEASE = "cease"
    PREVENT = "prevent"
    MITIGATE = "mitigate"
    REMEDY = "remedy"


class ActionStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.ON_HOLD)


class Escalation(enum.StrEnum):
    """Stages of handling non-compliance; exit is the last resort (guide 4.6)."""

    ENGAGE = "engage"
    SUPPORT = "support"
    SUSPEND = "suspend"
    EXIT = "exit"


class CollaborationKind(enum.StrEnum):
    SECTOR_INITIATIVE = "sector_initiative"
    MULTI_STAKEHOLDER = "multi_stakeholder"
    JOINT_AUDIT = "joint_audit"
    OTHER_BUYERS = "other_buyers"
    NGO = "ngo"
    TRADE_UNION = "trade_union"


class Collaboration(Record):
    """Leverage through collaboration (guide 3b.6)."""

    initiative: Text
    kind: CollaborationKind


FindingCategory = Theme
"""Audit findings are classified with the same themes as risks, so they can be compared."""


class CapItemStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class CapItem(Record):
    """One measurable agreement with a supplier (guide 3b.8, 4.5)."""

    finding: Text
    category: FindingCategory
    action: Text
    due_on: date
    status: CapItemStatus
    closed_on: date | None = None
    verification: Text | None = None


class CorrectiveActionPlan(Record):
    """Agreements made with a supplier after an audit (guide 3b.8, 4.5)."""

    audit: AuditRef | None = None
    items: tuple[CapItem, ...] = Field(min_length=1)


class Action(Scoped):
    """An action to cease, prevent, mitigate or remedy one or more risks."""

    title: Text
    description: Text
    kind: ActionKind
    risks: tuple[RiskRef, ...] = Field(min_length=1)
    suppliers: tuple[SupplierRef, ...] = ()
    owner: Text
    partners: tuple[Text, ...] = ()
    leverage: Text | None = None
    collaborations: tuple[Collaboration, ...] = ()
    root_causes: tuple[Text, ...] = ()
    status: ActionStatus
    start_on: date | None = None
    due_on: date | None = None
    completed_on: date | None = None
    escalation: Escalation | None = None
    budget_eur: Annotated[float | None, Sensitive(Scope.INTERNAL)] = Field(default=None, ge=0)
    progress_note: Text | None = None
    corrective_action_plan: CorrectiveActionPlan | None = None
