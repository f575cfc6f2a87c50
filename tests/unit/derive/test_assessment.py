"""Severity, priority and expected action (derive/assessment.py): the rules the "How we assess" page states."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest

from ddgen.derive.assessment import (
    EXPECTED_ACTIONS, Priority, expected_action, order_key, priority, priority_of, severity, severity_band,
)
from ddgen.model.action import ActionKind
from ddgen.model.risk import Involvement, Risk

SCORES = range(1, 6)


def risk(scale: int = 1, scope: int = 1, irremediability: int = 1, likelihood: int = 1, *, id: str = "R-1",
         involvement: str = "directly_linked") -> Risk:
    fields: dict[str, Any] = {
        "id": id, "title": "t", "theme": "wages", "description": "d", "impact": "potential",
        "affected_groups": [{"group": "supply_chain_workers"}], "sources": [{"kind": "audit", "title": "a"}],
        "severity": {"scale": scale, "scope": scope, "irremediability": irremediability},
        "likelihood": likelihood, "involvement": involvement, "rationale": "r", "assessed_on": "2024-01-01",
    }
    return Risk.model_validate(fields)


@pytest.mark.parametrize(("scores", "expected"), [
    ((1, 1, 1), "1.00"), ((5, 5, 5), "5.00"), ((2, 3, 4), "3.25"), ((1, 2, 2), "1.75"), ((4, 4, 1), "2.50"),
    ((1, 1, 5), "3.00"), ((5, 5, 1), "3.00"),
])
def test_severity_is_the_weighted_mean_with_irremediability_counted_twice(scores: tuple[int, int, int],
                                                                           expected: str) -> None:
    assert severity(risk(*scores)) == Decimal(expected)
    assert str(severity(risk(*scores))) == expected  # two decimals, as the site shows them


def test_irremediability_weighs_most() -> None:
    for scale, scope, irr in itertools.product(SCORES, SCORES, range(1, 5)):
        base = severity(risk(scale, scope, irr))
        assert severity(risk(scale, scope, irr + 1)) - base == Decimal("0.50")
        if scale < 5:
            assert severity(risk(scale + 1, scope, irr)) - base == Decimal("0.25")
        if scope < 5:
            assert severity(risk(scale, scope + 1, irr)) - base == Decimal("0.25")


@pytest.mark.parametrize(("scores", "band"), [((1, 1, 1), 1), ((4, 4, 1), 3), ((2, 2, 2), 2), ((2, 3, 2), 2),
                                               ((3, 3, 4), 4), ((5, 5, 5), 5)])
def test_the_band_rounds_half_up(scores: tuple[int, int, int], band: int) -> None:
    assert severity_band(risk(*scores)) == band


def test_raising_any_score_never_lowers_priority() -> None:
    """Checked for every one of the 625 combinations, not a sample."""
    for scores in itertools.product(SCORES, repeat=4):
        current = priority(risk(*scores)).rank
        for i in range(4):
            if scores[i] < 5:
                raised = list(scores)
                raised[i] += 1
                assert priority(risk(*raised)).rank <= current, (scores, i)


def test_a_severe_but_unlikely_impact_is_high_priority() -> None:
    assert priority(risk(5, 5, 5, likelihood=1)) is Priority.HIGH
    assert priority(risk(3, 3, 5, likelihood=1)) is Priority.HIGH  # severity 4.00
    # ... while a likely but minor one is not.
    assert priority(risk(1, 1, 1, likelihood=5)) is Priority.LOW


@pytest.mark.parametrize(("band", "likelihood", "expected"), [
    (5, 1, "high"), (4, 1, "high"), (3, 4, "high"), (3, 3, "medium"), (3, 1, "medium"),
    (2, 4, "medium"), (2, 3, "low"), (1, 5, "low"),
])
def test_priority_matrix(band: int, likelihood: int, expected: str) -> None:
    assert priority_of(band, likelihood) is Priority(expected)


def test_order_puts_severity_first_and_likelihood_only_breaks_ties() -> None:
    risks = [risk(3, 3, 3, 5, id="R-a"), risk(4, 4, 4, 1, id="R-b"), risk(3, 3, 3, 2, id="R-c"),
             risk(3, 3, 3, 5, id="R-0")]
    assert [r.id for r in sorted(risks, key=order_key)] == ["R-b", "R-0", "R-a", "R-c"]


@pytest.mark.parametrize(("involvement", "remedy", "kinds"), [
    ("cause", True, {ActionKind.CEASE, ActionKind.PREVENT, ActionKind.REMEDY}),
    ("contribute", True, {ActionKind.CEASE, ActionKind.PREVENT, ActionKind.MITIGATE, ActionKind.REMEDY}),
    ("directly_linked", False, {ActionKind.PREVENT, ActionKind.MITIGATE}),
])
def test_expected_action_follows_involvement(involvement: str, remedy: bool, kinds: set[ActionKind]) -> None:
    expected = expected_action(risk(involvement=involvement))
    assert expected.involvement is Involvement(involvement)
    assert expected.remedy_required is remedy
    assert set(expected.kinds_expected) == kinds


def test_every_involvement_has_an_expected_action() -> None:
    assert set(EXPECTED_ACTIONS) == set(Involvement)
