"""Severity, priority and expected action: the guide's step 2c and 3a as pure functions.

Rules (stated on the site's "How we assess" page, generated from the constants below):
- severity = (scale + scope + 2 x irremediability) / 4, from 1.00 to 5.00: irremediability weighs
  most (guide 2c.4); the three scores stay visible next to the result.
- severity band = severity rounded half up to a whole number 1-5 (the matrix row).
- priority: high when band >= 4 whatever the likelihood, or band 3 with likelihood >= 4; medium
  when band 3, or band 2 with likelihood >= 4; low otherwise. A severe but unlikely impact is
  therefore always high: when in doubt severity decides (guide 2c.6, ESRS 1 para 45).
- order: severity first, likelihood only breaks ties, then the id.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..model.action import ActionKind
from ..model.risk import Involvement, Risk

IRREMEDIABILITY_WEIGHT = 2
SEVERITY_DIVISOR = 2 + IRREMEDIABILITY_WEIGHT


class Priority(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 0, "medium": 1, "low": 2}[self.value]


def severity(risk: Risk) -> Decimal:
    """Weighted mean of scale, scope and irremediability; irremediability counts twice (guide 2c.4)."""
    s = risk.severity
    total = s.scale + s.scope + IRREMEDIABILITY_WEIGHT * s.irremediability
    return (Decimal(total) / SEVERITY_DIVISOR).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def severity_band(risk: Risk) -> int:
    """The severity rounded half up to a whole score: the row of the severity x likelihood matrix."""
    return int(severity(risk).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def priority_of(band: int, likelihood: int) -> Priority:
    """Priority of a matrix cell. Severity decides in case of doubt (guide 2c.6)."""
    if band >= 4 or (band == 3 and likelihood >= 4):
        return Priority.HIGH
    if band == 3 or (band == 2 and likelihood >= 4):
        return Priority.MEDIUM
    return Priority.LOW


def priority(risk: Risk) -> Priority:
    return priority_of(severity_band(risk), risk.likelihood)


def order_key(risk: Risk) -> tuple[Decimal, int, str]:
    """Sort key: severity first, likelihood breaks ties (guide 2c.6), then id for a stable order."""
    return (-severity(risk), -risk.likelihood, risk.id)


@dataclass(frozen=True)
class ExpectedAction:
    """What the OECD guidance expects of a company with this involvement (guide 3a.3, 6.9, 6.10)."""

    involvement: Involvement
    cease: str
    prevent: str
    remedy: str
    kinds_expected: tuple[ActionKind, ...]
    remedy_required: bool


EXPECTED_ACTIONS: dict[Involvement, ExpectedAction] = {
    Involvement.CAUSE: ExpectedAction(
        Involvement.CAUSE,
        "Stop the activity that causes the harm.",
        "Prevent the harm from happening (again).",
        "Provide remedy: restore the situation and compensate those affected.",
        (ActionKind.CEASE, ActionKind.PREVENT, ActionKind.REMEDY),
        True,
    ),
    Involvement.CONTRIBUTE: ExpectedAction(
        Involvement.CONTRIBUTE,
        "Stop the contribution.",
        "Prevent further contribution and use leverage with others to reduce the remaining harm.",
        "Cooperate in remedy, in proportion to the contribution.",
        (ActionKind.CEASE, ActionKind.PREVENT, ActionKind.MITIGATE, ActionKind.REMEDY),
        True,
    ),
    Involvement.DIRECTLY_LINKED: ExpectedAction(
        Involvement.DIRECTLY_LINKED,
        "Not applicable: the harm is not caused by the company's own activities.",
        "Use or build leverage, alone or with others, so that the business partner prevents or mitigates the harm.",
        "No duty to provide remedy; use leverage so that the responsible party remedies, and may choose to help.",
        (ActionKind.PREVENT, ActionKind.MITIGATE),
        False,
    ),
}


def expected_action(risk: Risk) -> ExpectedAction:
    return EXPECTED_ACTIONS[risk.involvement]
