"""Listed pairs in a value chain, their suppliers and whether the risk register covers them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ddgen.derive.suggest import Suggestions, suggest
from ddgen.model.risk import Theme
from ddgen.pipeline import check

MakeRepo = Callable[..., Path]

CHAIN = """\
products:
  - id: P-1
    name: Werkbroeken
    direction: [bought]
    category: Kleding
    origin_countries: [BD]
  - id: P-2
    name: Embroidery service
    direction: [bought]
    category: Diensten
    origin_countries: [CN]
raw_materials:
  - id: M-1
    name: Katoen
    origin_countries: [TR]
  - id: M-2
    name: Elastaan
    listed_goods: []
    origin_countries: [CN]
"""

SUPPLIERS = """\
suppliers:
  - id: S-001
    name: Dhaka Garments Ltd
    address: Plot 4, Gazipur
    country: BD
    tier: 1
    product_types: [workwear]
    purchase_share: 40
    products: [P-1]
  - id: S-002
    name: Multan Spinning
    address: Multan
    country: PK
    tier: 3
    product_types: [katoenvezel]
    raw_materials: [M-1]
  - id: S-003
    name: Faisalabad Weaving
    address: Faisalabad
    country: PK
    tier: 2
    product_types: [denim]
    raw_materials: [M-1]
"""

RISK = """\
  - id: R-{n}
    title: A listed risk
    theme: {theme}
    description: From the list.
    impact: potential
    affected_groups:
      - group: children
    countries: [{country}]
    {field}: [{ids}]
    sources:
      - kind: public_list
        title: ILAB list
    severity: {{scale: 5, scope: 3, irremediability: 4}}
    likelihood: 2
    involvement: directly_linked
    rationale: Country-level signal.
    assessed_on: 2024-06-01
"""


def run(make_repo: MakeRepo, *risks: str) -> Suggestions:
    files = {"data/value_chain.yaml": CHAIN, "data/suppliers.yaml": SUPPLIERS}
    if risks:
        files["data/risks/listed.yaml"] = "risks:\n" + "".join(risks)
    checked = check(make_repo(files))
    assert not checked.report.errors, [p.render() for p in checked.report.errors]
    return suggest(checked.dossier)


def risk(n: int, theme: str, country: str, field: str, ids: str) -> str:
    return RISK.format(n=n, theme=theme, country=country, field=field, ids=ids)


def pairs(found: Suggestions) -> dict[tuple[str, str], dict[str, tuple[str, ...]]]:
    return {(p.good, p.country): {f.theme.value: f.covered_by for f in p.flags} for p in found.pairs}


def test_origin_countries_and_deeper_tiers_give_the_listed_pairs(make_repo: MakeRepo) -> None:
    found = run(make_repo)
    # Garments BD from the product; cotton TR from the material; cotton PK only through the tier-3
    # spinner whose product types are cotton (the tier-2 weaver in PK makes fabric, not cotton).
    assert pairs(found) == {
        ("Cotton", "PK"): {"forced_labour": ()},
        ("Cotton", "TR"): {"child_labour": ()},
        ("Garments", "BD"): {"child_labour": (), "forced_labour": ()},
    }
    cotton_pk = next(p for p in found.pairs if p.country == "PK")
    assert cotton_pk.suppliers == ("S-002", "S-003")
    assert [(s.section, s.ident) for s in cotton_pk.sightings] == [("suppliers", "S-002")]
    garments = next(p for p in found.pairs if p.good == "Garments")
    assert (garments.products, garments.suppliers, garments.purchase_share) == (("P-1",), ("S-001",), 40)


def test_a_risk_of_the_same_theme_country_and_product_covers_a_pair(make_repo: MakeRepo) -> None:
    found = run(make_repo, risk(1, "child_labour", "BD", "products", "P-1"))
    assert pairs(found)[("Garments", "BD")] == {"child_labour": ("R-1",), "forced_labour": ()}


def test_a_risk_with_another_theme_country_or_product_does_not_cover_it(make_repo: MakeRepo) -> None:
    found = run(make_repo,
                risk(1, "working_hours", "BD", "products", "P-1"),   # another theme
                risk(2, "child_labour", "PK", "products", "P-1"),    # another country
                risk(3, "child_labour", "BD", "raw_materials", "M-1"))  # another good (cotton)
    assert pairs(found)[("Garments", "BD")] == {"child_labour": (), "forced_labour": ()}


def test_a_risk_that_names_a_supplier_of_the_pair_covers_it(make_repo: MakeRepo) -> None:
    found = run(make_repo, risk(1, "forced_labour", "PK", "suppliers", "S-002"))
    assert pairs(found)[("Cotton", "PK")] == {"forced_labour": ("R-1",)}


def test_items_that_name_no_good_are_reported_unless_listed_goods_says_none(make_repo: MakeRepo) -> None:
    found = run(make_repo)
    assert [(u.ident, u.listed_countries) for u in found.unmatched] == [("P-2", ("CN",))]


def test_listed_goods_overrides_the_name(make_repo: MakeRepo) -> None:
    chain = CHAIN.replace("    name: Elastaan\n    listed_goods: []", "    name: Elastaan\n    listed_goods: [Thread/Yarn]")
    checked = check(make_repo({"data/value_chain.yaml": chain}))
    found = suggest(checked.dossier)
    assert ("Thread/Yarn", "CN") in pairs(found)
    assert Theme.FORCED_LABOUR in next(p for p in found.pairs if p.good == "Thread/Yarn").uncovered


def test_a_misspelt_listed_good_is_an_error_with_a_suggestion(make_repo: MakeRepo) -> None:
    chain = CHAIN.replace("listed_goods: []", "listed_goods: [cotton]")
    problems = check(make_repo({"data/value_chain.yaml": chain})).report.errors
    assert [(str(p.where), p.code) for p in problems] == [("data/value_chain.yaml:18:20", "DDG103")]
    assert "did you mean 'Cotton'?" in problems[0].message
