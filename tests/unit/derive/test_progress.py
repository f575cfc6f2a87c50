"""KPI progress and status (derive/progress.py) at the dates where the status changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ddgen.derive.progress import KpiStatus, action_on_track, is_overdue, kpi_progress
from ddgen.model.action import Action
from ddgen.model.tracking import Kpi


def kpi(values: dict[int, float] | None = None, *, baseline: float = 20, target: float = 100,
        direction: str = "increase", baseline_year: int = 2022, deadline: str = "2024-12-31") -> Kpi:
    fields: dict[str, Any] = {
        "id": "K-1", "name": "n", "description": "d", "step": 4, "kind": "output", "unit": "%",
        "direction": direction, "baseline": {"value": baseline, "year": baseline_year},
        "target": {"value": target, "deadline": deadline}, "owner": "o",
        "values": [{"year": y, "value": v} for y, v in (values or {}).items()],
    }
    return Kpi.model_validate(fields)


def test_progress_is_the_share_of_the_way_from_baseline_to_target() -> None:
    result = kpi_progress(kpi({2023: 60}), date(2023, 12, 31))
    assert result.progress == Decimal("50.0")
    assert result.measured is not None and result.measured.year == 2023


def test_the_latest_value_up_to_the_report_year_counts() -> None:
    k = kpi({2023: 40, 2024: 60, 2025: 100})
    assert kpi_progress(k, date(2024, 6, 30)).progress == Decimal("50.0")
    assert kpi_progress(k, date(2023, 12, 31)).progress == Decimal("25.0")


@pytest.mark.parametrize(("value", "progress"), [(10, "0.0"), (20, "0.0"), (140, "100.0"), (100, "100.0")])
def test_progress_stays_within_0_and_100(value: float, progress: str) -> None:
    assert kpi_progress(kpi({2023: value}), date(2023, 12, 31)).progress == Decimal(progress)


@settings(max_examples=200, deadline=None)
@given(baseline=st.integers(-1000, 1000), distance=st.integers(1, 1000), share=st.fractions(0, 1),
       decrease=st.booleans())
def test_progress_within_0_100_while_the_value_lies_between_baseline_and_target(
        baseline: int, distance: int, share: Any, decrease: bool) -> None:
    target = baseline - distance if decrease else baseline + distance
    value = float(baseline + (target - baseline) * share)
    result = kpi_progress(kpi({2023: value}, baseline=baseline, target=target,
                              direction="decrease" if decrease else "increase"), date(2023, 12, 31))
    assert result.progress is not None and Decimal(0) <= result.progress <= Decimal(100)
    assert abs(result.progress - Decimal(float(share) * 100)) <= Decimal("0.051")


def test_a_decreasing_kpi_progresses_as_its_value_goes_down() -> None:
    k = kpi({2023: 30}, baseline=50, target=10, direction="decrease")
    result = kpi_progress(k, date(2023, 12, 31))
    assert (result.progress, result.status) == (Decimal("50.0"), KpiStatus.ON_TRACK)
    assert kpi_progress(kpi({2023: 60}, baseline=50, target=10, direction="decrease"),
                        date(2023, 12, 31)).progress == Decimal("0.0")
    assert kpi_progress(kpi({2024: 10}, baseline=50, target=10, direction="decrease"),
                        date(2024, 12, 31)).status is KpiStatus.ACHIEVED
    assert kpi_progress(kpi({2024: 11}, baseline=50, target=10, direction="decrease"),
                        date(2025, 1, 1)).status is KpiStatus.MISSED


def test_expected_progress_follows_the_calendar() -> None:
    k = kpi(baseline_year=2021, deadline="2023-12-31")  # no leap day in between: the middle is exactly 50 %
    assert kpi_progress(k, date(2021, 12, 31)).expected == Decimal("0.0")
    assert kpi_progress(k, date(2022, 12, 31)).expected == Decimal("50.0")
    assert kpi_progress(k, date(2023, 12, 31)).expected == Decimal("100.0")
    assert kpi_progress(kpi(), date(2023, 12, 31)).expected == Decimal("49.93")  # 365 of 731 days
    assert kpi_progress(k, date(2020, 1, 1)).expected == Decimal("0.0")
    assert kpi_progress(k, date(2030, 1, 1)).expected == Decimal("100.0")


def test_status_at_each_date() -> None:
    k = kpi({2023: 45})  # 31.3 % of the way; 50 % of the time has passed by the end of 2023
    assert kpi_progress(kpi(), date(2023, 12, 31)).status is KpiStatus.NO_DATA
    assert kpi_progress(k, date(2023, 6, 30)).status is KpiStatus.ON_TRACK    # expected 24.8 %
    assert kpi_progress(k, date(2023, 12, 31)).status is KpiStatus.OFF_TRACK  # expected 50 %, 31.3 < 40
    assert kpi_progress(k, date(2024, 12, 31)).status is KpiStatus.OFF_TRACK  # deadline day: not yet missed
    assert kpi_progress(k, date(2025, 1, 1)).status is KpiStatus.MISSED
    assert kpi_progress(kpi({2024: 100}), date(2025, 6, 1)).status is KpiStatus.ACHIEVED
    assert kpi_progress(kpi({2023: 100}), date(2023, 12, 31)).status is KpiStatus.ACHIEVED


def test_on_track_allows_ten_points_behind_schedule() -> None:
    at = date(2022, 12, 31)  # 50.0 % of the time
    assert kpi_progress(kpi({2022: 52}, baseline_year=2021, deadline="2023-12-31"), at).status is KpiStatus.ON_TRACK
    assert kpi_progress(kpi({2022: 51.9}, baseline_year=2021, deadline="2023-12-31"),
                        at).status is KpiStatus.OFF_TRACK  # 39.9 % < 50.0 - 10


def test_no_value_yet_gives_no_progress() -> None:
    result = kpi_progress(kpi({2025: 80}), date(2024, 12, 31))
    assert (result.measured, result.progress, result.status) == (None, None, KpiStatus.NO_DATA)


def test_a_target_equal_to_the_baseline_counts_as_reached_progress() -> None:
    assert kpi_progress(kpi({2023: 20}, target=20), date(2023, 12, 31)).progress == Decimal("100.0")


def action(status: str, due_on: str | None) -> Action:
    return Action.model_validate({"id": "A-1", "title": "t", "description": "d", "kind": "prevent", "risks": ["R-1"],
                                  "owner": "o", "status": status, "due_on": due_on})


@pytest.mark.parametrize(("status", "due_on", "overdue", "on_track"), [
    ("in_progress", "2024-06-30", True, False), ("planned", "2024-06-30", True, False),
    ("on_hold", "2024-06-30", True, False), ("in_progress", "2024-07-01", False, True),
    ("in_progress", None, False, True), ("completed", "2024-01-01", False, True), ("cancelled", "2024-01-01", False, False),
])
def test_open_actions_past_their_due_date_are_overdue(status: str, due_on: str | None, overdue: bool,
                                                      on_track: bool) -> None:
    assert is_overdue(action(status, due_on), date(2024, 7, 1)) is overdue
    assert action_on_track(action(status, due_on), date(2024, 7, 1)) is on_track
