"""Review warnings (derive/review.py): each fires when the guidance says so, and only then."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ddgen.pipeline import check

MINIMAL = Path(__file__).resolve().parents[2] / "fixtures" / "minimal"
MakeRepo = Callable[..., Path]  # the make_repo fixture of tests/conftest.py
RISK = (MINIMAL / "data/risks.yaml").read_text()
SUPPLIER = (MINIMAL / "data/suppliers.yaml").read_text()
SEVERE = RISK.replace("scale: 2", "scale: 5").replace("irremediability: 2", "irremediability: 5")


def codes(repo: Path) -> list[str]:
    report = check(repo).report
    assert not report.errors, report.render_text()
    return [f"{p.where.line} {p.code}" for p in report.sorted()]


def action(kind: str = "prevent", status: str = "in_progress", due_on: str = "2025-06-30") -> str:
    return (f"actions:\n  - id: A-1\n    title: t\n    description: d\n    kind: {kind}\n    risks: [R-001]\n"
            f"    owner: o\n    status: {status}\n    due_on: {due_on}\n")


@pytest.mark.parametrize("status", ["active", "phasing_out", "exited"])
def test_expired_certificate_only_for_active_suppliers(make_repo: MakeRepo, status: str) -> None:
    exit_ = "    exit: {on: 2024-03-01, kind: business_reasons, reason: Closed the line.}\n" if status == "exited" else ""
    supplier = SUPPLIER + f"    status: {status}\n{exit_}    certifications:\n      - scheme: SA8000\n" \
                          "        valid_until: 2024-06-30\n"
    last_line = supplier.count("\n")
    assert codes(make_repo({"data/suppliers.yaml": supplier})) == ([f"{last_line} DDG301"] if status == "active" else [])


def test_a_certificate_valid_on_the_report_date_is_fine(make_repo: MakeRepo) -> None:
    supplier = SUPPLIER + "    certifications:\n      - scheme: SA8000\n        valid_until: 2024-12-31\n"
    assert codes(make_repo({"data/suppliers.yaml": supplier})) == []


@pytest.mark.parametrize(("status", "actions", "expected"), [
    ("open", None, ["2 DDG303"]),
    ("mitigated", None, []),
    ("open", action(), []),
])
def test_high_priority_risk_without_action(make_repo: MakeRepo, status: str, actions: str | None,
                                           expected: list[str]) -> None:
    files = {"data/risks.yaml": SEVERE.replace("impact: potential", f"impact: potential\n    status: {status}")}
    if actions:
        files["data/actions.yaml"] = actions
    assert codes(make_repo(files)) == expected


def test_a_medium_priority_risk_needs_no_action(make_repo: MakeRepo) -> None:
    assert codes(make_repo({"data/risks.yaml": RISK.replace("scale: 2", "scale: 4")})) == []  # severity 2.50 -> band 3


@pytest.mark.parametrize(("status", "due_on", "expected"), [
    ("in_progress", "2024-12-30", ["9 DDG304"]), ("in_progress", "2024-12-31", []), ("completed", "2024-01-01", []),
])
def test_overdue_action(make_repo: MakeRepo, status: str, due_on: str, expected: list[str]) -> None:
    assert codes(make_repo({"data/actions.yaml": action(status=status, due_on=due_on)})) == expected


@pytest.mark.parametrize(("involvement", "kind", "expected"), [
    ("cause", "prevent", ["18 DDG305"]), ("contribute", "prevent", ["18 DDG305"]), ("cause", "remedy", []),
    ("directly_linked", "prevent", []),
])
def test_actual_impact_caused_or_contributed_to_needs_remedy(make_repo: MakeRepo, involvement: str, kind: str,
                                                             expected: list[str]) -> None:
    risk = RISK.replace("impact: potential", "impact: actual").replace("directly_linked", involvement)
    assert codes(make_repo({"data/risks.yaml": risk, "data/actions.yaml": action(kind)})) == expected


@pytest.mark.parametrize(("status", "review_on", "expected"), [
    ("open", "2024-12-30", ["22 DDG306"]), ("mitigated", "2024-12-30", ["22 DDG306"]), ("closed", "2024-12-30", []),
    ("open", "2024-12-31", []),
])
def test_review_overdue(make_repo: MakeRepo, status: str, review_on: str, expected: list[str]) -> None:
    risk = RISK.replace("assessed_on: 2024-06-01", f"assessed_on: 2024-06-01\n    next_review_on: {review_on}")
    risk = risk.replace("impact: potential", f"impact: potential\n    status: {status}")
    assert codes(make_repo({"data/risks.yaml": risk})) == expected


def test_kpi_deadline_passed_without_any_value(make_repo: MakeRepo) -> None:
    kpi = ("kpis:\n  - id: K-1\n    name: n\n    description: d\n    step: 4\n    kind: output\n    unit: '%'\n"
           "    direction: increase\n    baseline: {value: 0, year: 2022}\n    target: {value: 100, deadline: 2024-06-30}\n"
           "    owner: o\n")
    assert codes(make_repo({"data/kpis.yaml": kpi})) == ["10 DDG302"]
    assert codes(make_repo({"data/kpis.yaml": kpi + "    values: [{year: 2024, value: 40}]\n"})) == []
    assert codes(make_repo({"data/kpis.yaml": kpi.replace("2024-06-30", "2024-12-31")})) == []
