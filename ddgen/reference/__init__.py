"""Open reference data shipped inside ddgen: the ILAB goods list, the World Bank governance indicators
and ddgen's table from product names to the list's goods.

The files sit next to this module (provenance and licences in PROVENANCE.md) and are read from
the installed package, never fetched: the same ddgen version always gives the same answers. Each
reader is cached; everything returned is immutable.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from ruamel.yaml import YAML


@dataclass(frozen=True)
class Source:
    """A reference source as readers and writers should cite it."""

    title: str
    publisher: str
    edition: str
    published: date | None
    url: str
    licence: str


ILAB = Source(
    title="List of Goods Produced by Child Labor or Forced Labor",
    publisher="U.S. Department of Labor, Bureau of International Labor Affairs (ILAB)",
    edition="2022",
    published=date(2022, 9, 28),
    url="https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods",
    licence="public domain (work of the U.S. Government)",
)
WGI = Source(
    title="Worldwide Governance Indicators",
    publisher="World Bank (D. Kaufmann and A. Kraay)",
    edition="2024",
    published=None,
    url="https://www.govindicators.org",
    licence="CC BY 4.0",
)


@dataclass(frozen=True)
class Listing:
    """One good-country pair of the list, with the kinds of exploitation ILAB found."""

    good: str
    country: str
    child_labour: bool
    forced_labour: bool


@dataclass(frozen=True)
class DownstreamListing:
    """A good made with an input that is itself on the list (the source gives no labour flag)."""

    good: str
    country: str
    input_country: str


GOVERNANCE_DIMENSIONS = (
    "voice_accountability", "political_stability", "government_effectiveness", "regulatory_quality",
    "rule_of_law", "control_of_corruption",
)


@dataclass(frozen=True)
class Governance:
    """WGI estimates of one economy (about -2.5 weak to +2.5 strong); None where WGI has no value."""

    country: str
    year: int
    estimates: tuple[tuple[str, float | None], ...]
    mean_percentile_rank: float | None


@dataclass(frozen=True)
class Good:
    """A good of the list with its Dutch name and the words that name it."""

    name: str
    nl: str
    also: tuple[str, ...]
    terms_en: tuple[str, ...]
    terms_nl: tuple[str, ...]


def _text(name: str) -> str:
    return (resources.files(__name__) / name).read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_text(name))))


@cache
def listings() -> tuple[Listing, ...]:
    return tuple(Listing(r["good"], r["iso2"], r["child_labor"] == "true", r["forced_labor"] == "true")
                 for r in _rows("ilab-goods-list.csv"))


@cache
def downstream_listings() -> tuple[DownstreamListing, ...]:
    return tuple(DownstreamListing(r["good"], r["iso2"], r["input_iso2"]) for r in _rows("ilab-downstream-goods.csv"))


@cache
def listings_of(country: str) -> tuple[Listing, ...]:
    """The country's listed goods, sorted by good."""
    return tuple(sorted((x for x in listings() if x.country == country), key=lambda x: x.good.casefold()))


@cache
def listing(good: str, country: str) -> Listing | None:
    return next((x for x in listings() if x.good == good and x.country == country), None)


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


@cache
def _governance() -> dict[str, Governance]:
    return {
        r["iso2"]: Governance(r["iso2"], int(r["year"]), tuple((d, _float(r[d])) for d in GOVERNANCE_DIMENSIONS),
                              _float(r["mean_percentile_rank"]))
        for r in _rows("wgi.csv")
    }


def governance(country: str) -> Governance | None:
    return _governance().get(country)


@cache
def _table() -> dict[str, object]:
    data = YAML(typ="safe").load(_text("goods.yaml"))
    assert isinstance(data, dict)
    return data


@cache
def goods() -> dict[str, Good]:
    """ddgen's table of goods, keyed by the list's spelling."""
    entries: dict[str, dict[str, object]] = _table()["goods"]  # type: ignore[assignment]
    return {
        name: Good(name, str(e["nl"]), tuple(e.get("also", ())), tuple(e["terms_en"]), tuple(e["terms_nl"]))  # type: ignore[arg-type]
        for name, e in entries.items()
    }


@cache
def not_goods() -> frozenset[str]:
    return frozenset(str(w) for w in _table()["not_goods"])  # type: ignore[attr-defined]


@cache
def good_names() -> tuple[str, ...]:
    """Every good of the list and of its downstream goods, sorted: the values `listed_goods:` accepts."""
    return tuple(sorted({x.good for x in listings()} | {x.good for x in downstream_listings()}, key=str.casefold))


@cache
def list_counts() -> tuple[int, int, int]:
    """(good-country pairs, goods, countries) of the list: figures for the method page."""
    items = listings()
    return len(items), len({x.good for x in items}), len({x.country for x in items})
