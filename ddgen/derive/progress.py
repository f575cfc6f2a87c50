"""KPI progress, action and certificate dates: pure functions of the records and the report date.

KPI rules (stated on the "How we assess" page):
- the measured value is the latest value of a year up to the report year;
- progress % = (measured - baseline) / (target - baseline) x 100, kept within 0-100;
- expected % = share of the time from the end of the baseline year to the deadline that has passed
  by the report date;
- status: achieved when the target is met; missed when the deadline has passed without that;
  on track when progress >= expected - ON_TRACK_TOLERANCE points; off track otherwise; no data
  when nothing has been measured yet.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..model.action import Action, ActionStatus
from ..model.tracking import Direction, Kpi, Measurement

ON_TRACK_TOLERANCE = Decimal(10)


class KpiStatus(enum.StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    MISSED = "missed"
    NO_DATA = "no_data"

    @property
    def good(self) -> bool:
        return self in (KpiStatus.ACHIEVED, KpiStatus.ON_TRACK)


@dataclass(frozen=True)
class KpiProgress:
    measured: Measurement | None
    progress: Decimal | None  # 0-100
    expected: Decimal  # 0-100
    status: KpiStatus


def _pct(value: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(100), value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def latest_measurement(kpi: Kpi, year: int) -> Measurement | None:
    return max((m for m in kpi.values if m.year <= year), key=lambda m: m.year, default=None)


def target_met(kpi: Kpi, value: float) -> bool:
    return value >= kpi.target.value if kpi.direction is Direction.INCREASE else value <= kpi.target.value


def kpi_progress(kpi: Kpi, as_of: date) -> KpiProgress:
    start = date(kpi.baseline.year, 12, 31)
    span = (kpi.target.deadline - start).days
    expected = _pct(Decimal(100) * Decimal((as_of - start).days) / Decimal(span)) if span > 0 else Decimal(100)
    measured = latest_measurement(kpi, as_of.year)
    if measured is None:
        return KpiProgress(None, None, expected, KpiStatus.NO_DATA)
    distance = Decimal(str(kpi.target.value)) - Decimal(str(kpi.baseline.value))
    moved = Decimal(str(measured.value)) - Decimal(str(kpi.baseline.value))
    progress = _pct(Decimal(100) * moved / distance) if distance != 0 else Decimal(100)
    if target_met(kpi, measured.value):
        status = KpiStatus.ACHIEVED
    elif as_of > kpi.target.deadline:
        status = KpiStatus.MISSED
    elif progress >= expected - ON_TRACK_TOLERANCE:
        status = KpiStatus.ON_TRACK
    else:
        status = KpiStatus.OFF_TRACK
    return KpiProgress(measured, progress, expected, status)


def is_overdue(action: Action, as_of: date) -> bool:
    """An action is overdue when it is still open after its due date."""
    return action.status.is_open and action.due_on is not None and action.due_on < as_of


def action_on_track(action: Action, as_of: date) -> bool:
    return action.status is ActionStatus.COMPLETED or (action.status.is_open and not is_overdue(action, as_of))
