"""Country context for the risk pages: what the shipped open data says about a risk's countries.

For each country of a risk: the goods the ILAB list names there, per kind of exploitation (goods
that the risk's own products or raw materials match are marked), and the World Bank governance
indicators. Reads only the edition's records and the packaged reference data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .derive.suggest import risk_goods
from .model.dossier import Dossier
from .model.risk import Risk
from .reference import Governance, goods, governance, listings_of


@dataclass(frozen=True)
class ListedGood:
    label: str
    named: bool
    """True when one of the risk's products or raw materials is this good."""


@dataclass(frozen=True)
class CountryContext:
    country: str
    child_labour: tuple[ListedGood, ...]
    forced_labour: tuple[ListedGood, ...]
    governance: Governance | None

    def estimate(self, dimension: str) -> float | None:
        estimates = self.governance.estimates if self.governance else ()
        return next((value for name, value in estimates if name == dimension), None)


def good_label(good: str, language: str) -> str:
    """The good's name in the page language: Dutch from ddgen's table, else as ILAB spells it."""
    return goods()[good].nl if language == "nl" and good in goods() else good


def country_context(risk: Risk, dossier: Dossier, language: str) -> list[CountryContext]:
    named = risk_goods(risk, dossier)
    return [_context(c, language, frozenset(x.good for x in listings_of(c) if x.good in named)) for c in risk.countries]


@lru_cache(maxsize=8192)
def _context(country: str, language: str, named: frozenset[str]) -> CountryContext:
    """One country's context; the same for every risk that names the same listed goods there (a
    thousand risks share a few dozen countries)."""
    def of(kind: str) -> tuple[ListedGood, ...]:
        found = [ListedGood(good_label(x.good, language), x.good in named)
                 for x in listings_of(country) if getattr(x, kind)]
        return tuple(sorted(found, key=lambda g: (not g.named, g.label.casefold())))

    return CountryContext(country, of("child_labour"), of("forced_labour"), governance(country))


