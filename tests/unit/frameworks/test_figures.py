"""The GRI topic figures equal values worked out by hand from the example's raw YAML (not through ddgen)."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ddgen.derive.disclosures import DisclosureFigures, disclosure_figures
from ddgen.pipeline import check

ROOT = Path(__file__).resolve().parents[3]
LABOUR = {"freedom_of_association", "working_conditions", "working_hours", "forced_labour", "child_labour",
          "discrimination_gender", "wages", "health_safety"}
HUMAN_RIGHTS = {"government_influence", "conflict_security", "land_rights", "community_impacts", "animal_welfare",
                "consumer_product_safety"}
ENVIRONMENT = {"climate_energy", "biodiversity_deforestation", "water", "air_pollution", "soil_groundwater_pollution",
               "waste"}


def raw(name: str) -> dict[str, Any]:
    return YAML(typ="safe", pure=True).load((ROOT / "data" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def figures() -> DisclosureFigures:
    checked = check(ROOT)
    found = disclosure_figures(checked.dossier)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def year() -> int:
    return max(p["year"] for p in raw("company.yaml")["reporting_periods"])


def high_priority(risk: dict[str, Any]) -> bool:
    s = risk["severity"]
    band = int((Decimal(s["scale"] + s["scope"] + 2 * s["irremediability"]) / 4).quantize(Decimal(1), ROUND_HALF_UP))
    return band >= 4 or (band == 3 and risk["likelihood"] >= 4)


def live(risk: dict[str, Any]) -> bool:
    return risk.get("status", "open") != "closed"


@pytest.mark.parametrize(("key", "criterion"), [("gri-414-1", "social"), ("gri-308-1", "environmental")])
def test_new_suppliers_screened(figures: DisclosureFigures, year: int, key: str, criterion: str) -> None:
    suppliers = raw("suppliers.yaml")["suppliers"]
    new = [s for s in suppliers if s.get("relationship_since") == year]
    screened = [s for s in new if criterion in (s.get("screening") or {}).get("criteria", [])]
    got = figures.screening[key]
    assert (got.new, got.screened) == (len(new), len(screened))
    assert new, "the example should have a new supplier in its reporting year"


@pytest.mark.parametrize(("key", "themes", "environmental"), [
    ("gri-414-2", LABOUR | HUMAN_RIGHTS, False), ("gri-308-2", ENVIRONMENT, True)])
def test_suppliers_assessed_and_with_significant_impacts(figures: DisclosureFigures, year: int, key: str,
                                                        themes: set[str], environmental: bool) -> None:
    audits = raw("audits.yaml")["audits"]
    in_year = [a for a in audits if a["date"].year == year]
    assessed = {a["supplier"] for a in in_year
                if (a.get("criteria") and ("environmental" if environmental else "social") in a["criteria"])
                or (not a.get("criteria") and (a["type"] == "environmental_audit") == environmental)}
    risks = [r for r in raw("risks.yaml")["risks"] if live(r) and high_priority(r) and r["theme"] in themes]
    significant = {s for r in risks for s in r.get("suppliers", [])}
    ids = {r["id"] for r in risks}
    improved = {s for a in raw("actions.yaml")["actions"] if a["status"] != "cancelled" and set(a["risks"]) & ids
                for s in a.get("suppliers", [])} & significant
    got = figures.assessment[key]
    assert (got.assessed, got.significant, got.improvements) == (len(assessed), len(significant), len(improved))
    assert sorted(t.value for t in got.themes) == sorted({r["theme"] for r in risks})


@pytest.mark.parametrize(("key", "theme"), [("gri-408-1", "child_labour"), ("gri-409-1", "forced_labour"),
                                            ("gri-407-1", "freedom_of_association")])
def test_suppliers_at_risk_by_country_and_tier(figures: DisclosureFigures, key: str, theme: str) -> None:
    suppliers = {s["id"]: s for s in raw("suppliers.yaml")["suppliers"] if s.get("status", "active") != "exited"}
    risks = [r for r in raw("risks.yaml")["risks"] if r["theme"] == theme and live(r)]
    named = {i for r in risks for i in r.get("suppliers", []) if i in suppliers}
    by_country: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for ident in named:
        by_country[suppliers[ident]["country"]][0 if suppliers[ident]["tier"] == 1 else 1] += 1
    got = figures.at_risk[key]
    assert {r.country: [r.tier_1, r.further_tiers] for r in got.rows} == dict(by_country)
    assert got.suppliers == len(named)
    countries = {c for r in risks for c in r.get("countries", [])}
    assert set(got.countries_without_supplier) == countries - set(by_country)


def test_no_indigenous_peoples_incidents_in_the_example(figures: DisclosureFigures) -> None:
    risks = [r for r in raw("risks.yaml")["risks"] if r["impact"] == "actual"
             and any(g["group"] == "indigenous_peoples" for g in r["affected_groups"])]
    assert figures.indigenous.total == len(risks) == 0
