"""Risk identification from open data (guide step 2b): which goods in the value chain come from a
country where the US Department of Labor's List of Goods Produced by Child Labor or Forced Labor
names them, and whether the risk register already covers each.

Pure: the records in, `Suggestions` out; the reference data is read from the package.

1. Goods of an item. A product or raw material names its goods with `listed_goods:`; without it
   ddgen reads the name up to the first bracket, comma or semicolon (the rest usually describes
   use or standards) and looks its words up in `ddgen/reference/goods.yaml`: whole words and
   phrases in English and Dutch, and for Dutch also the last part of a compound word
   (werkbroeken -> broeken), the longest term winning. A product whose name names no good is
   tried by its category (Kleding). An item that still matches nothing is reported as unmatched.
2. Countries of an item: its `origin_countries`, plus the country of every supplier, at any tier,
   that is linked to the item and whose `product_types` name the same good (a spinner of cotton
   yarn in India makes yarn there; a weaver that only handles the yarn does not).
3. A listed pair is a good and a country that the list names together. Its suppliers are the
   active suppliers in that country linked to any of its items.
4. A risk covers a pair for child or forced labour when its theme is that kind of exploitation,
   its `countries` include the country, and it names the good: through a product or raw material
   whose goods include it, or through one of the pair's suppliers (same theme, same country, same
   product, as the guide's step 2b asks).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ..model.dossier import Dossier
from ..model.risk import Risk, Theme
from ..model.value_chain import Product, RawMaterial, Supplier, SupplierStatus
from ..reference import ILAB, Listing, goods, listing, listings, not_goods

EXPLOITATION = (Theme.CHILD_LABOUR, Theme.FORCED_LABOUR)
COMPOUND_MIN = 4
"""A Dutch term this long or longer also matches as the last part of a compound word."""

Path = tuple[str | int, ...]


def words(text: str) -> tuple[str, ...]:
    """Lower-case words without accents: 'Werkjassen en -broeken' -> ('werkjassen', 'en', 'broeken')."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return tuple(re.findall(r"[a-z0-9]+", plain))


def head(text: str) -> str:
    """The part of a name before the first bracket, comma or semicolon."""
    return re.split(r"[(,;]", text, maxsplit=1)[0]


@dataclass(frozen=True)
class _Matcher:
    phrases: dict[tuple[str, ...], frozenset[str]]
    compounds: dict[str, frozenset[str]]
    longest: int


@cache
def _matcher() -> _Matcher:
    phrases: dict[tuple[str, ...], set[str]] = {}
    compounds: dict[str, set[str]] = {}
    for good in goods().values():
        for term in (*good.terms_en, *good.terms_nl):
            phrases.setdefault(words(term), set()).add(good.name)
        for term in good.terms_nl:
            key = words(term)
            if len(key) == 1 and len(key[0]) >= COMPOUND_MIN:
                compounds.setdefault(key[0], set()).add(good.name)
    for word in not_goods():
        phrases[words(word)] = set()
        compounds[words(word)[0]] = set()
    return _Matcher({k: frozenset(v) for k, v in phrases.items()}, {k: frozenset(v) for k, v in compounds.items()},
                    max(len(k) for k in phrases))


def _compound(word: str, compounds: dict[str, frozenset[str]]) -> frozenset[str]:
    """Goods of the longest term that `word` ends with (the head of a Dutch compound)."""
    for start in range(1, len(word) - COMPOUND_MIN + 1):
        if word[start:] in compounds:
            return compounds[word[start:]]
    return frozenset()


def with_broader(names: Iterable[str]) -> tuple[str, ...]:
    """The goods plus the broader goods they imply (sandals -> footwear), sorted."""
    table = goods()
    found: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(table[name].also if name in table else ())
    return tuple(sorted(found, key=str.casefold))


@lru_cache(maxsize=65536)
def match_goods(text: str) -> tuple[str, ...]:
    """The list's goods that a name names, by ddgen's table (see the module docstring).

    Remembered by text: large value chains repeat the same few product names thousands of times."""
    m = _matcher()
    tokens = words(head(text))
    found: set[str] = set()
    i = 0
    while i < len(tokens):
        for n in range(min(m.longest, len(tokens) - i), 0, -1):
            key = tokens[i:i + n]
            if key in m.phrases:
                found |= m.phrases[key]
                i += n
                break
        else:
            found |= _compound(tokens[i], m.compounds)
            i += 1
    return with_broader(found)


def _texts(value: Any) -> list[str]:
    """The strings of a text field: one, or one per language."""
    per_language = [getattr(value, code, None) for code in ("nl", "en")]
    if any(isinstance(t, str) for t in per_language) and not isinstance(value, str):
        return [t for t in per_language if isinstance(t, str) and t]
    return [str(value)] if value else []


def _match_any(value: Any) -> tuple[str, ...]:
    return with_broader(g for text in _texts(value) for g in match_goods(text))


def goods_of(item: Product | RawMaterial) -> tuple[str, ...]:
    """The goods of a product or raw material: `listed_goods` if given, else matched by name (then category)."""
    if item.listed_goods is not None:
        return with_broader(item.listed_goods)
    found = _match_any(item.name)
    if not found and isinstance(item, Product):
        found = _match_any(item.category)
    return found


def supplier_goods(supplier: Supplier) -> tuple[str, ...]:
    """What a site makes, as goods of the list, from its `product_types`."""
    return with_broader(g for kind in supplier.product_types for g in _match_any(kind))


@dataclass(frozen=True)
class Sighting:
    """A line in the records that puts an item in a country: (section, id, field path)."""

    section: str
    ident: str
    path: Path


@dataclass(frozen=True)
class Flag:
    """One kind of exploitation the list names for a pair, and the risks that cover it."""

    theme: Theme
    covered_by: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    """A good from a country that the list names, and where the value chain has it."""

    good: str
    country: str
    flags: tuple[Flag, ...]
    products: tuple[str, ...]
    raw_materials: tuple[str, ...]
    suppliers: tuple[str, ...]
    chain_suppliers: int
    purchase_share: float | None
    sightings: tuple[Sighting, ...]

    @property
    def uncovered(self) -> tuple[Theme, ...]:
        return tuple(f.theme for f in self.flags if not f.covered_by)


@dataclass(frozen=True)
class Unmatched:
    """A product or raw material that names no good of the list."""

    section: str
    ident: str
    name: str
    listed_countries: tuple[str, ...]


@dataclass(frozen=True)
class Suggestions:
    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    edition: str = ILAB.edition

    @property
    def gaps(self) -> tuple[Pair, ...]:
        return tuple(p for p in self.pairs if p.uncovered)


def _active(dossier: Dossier) -> tuple[Supplier, ...]:
    return tuple(s for s in dossier.suppliers if s.status is not SupplierStatus.EXITED)


def _links(supplier: Supplier, section: str) -> tuple[str, ...]:
    return supplier.products if section == "products" else supplier.raw_materials


class _Chain:
    """The active suppliers, indexed once: which ones each item links to, and what goods each makes.

    Without it every item would look at every supplier and every pair at every supplier and risk,
    which at 10,000 suppliers is most of the time `ddgen check` takes.
    """

    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self.suppliers = _active(dossier)
        self.linked: dict[tuple[str, str], list[int]] = {}
        for k, s in enumerate(self.suppliers):
            for section in ("products", "raw_materials"):
                for item in dict.fromkeys(_links(s, section)):
                    self.linked.setdefault((section, item), []).append(k)
        self._goods: dict[int, frozenset[str]] = {}
        self._risk_goods: dict[int, set[str]] = {}

    def supplier_goods(self, k: int) -> frozenset[str]:
        if k not in self._goods:
            self._goods[k] = frozenset(supplier_goods(self.suppliers[k]))
        return self._goods[k]

    def risk_goods(self, risk: Risk) -> set[str]:
        if id(risk) not in self._risk_goods:
            self._risk_goods[id(risk)] = risk_goods(risk, self.dossier)
        return self._risk_goods[id(risk)]

    def sightings(self, item: Product | RawMaterial, section: str,
                  item_goods: tuple[str, ...]) -> Iterator[tuple[str, Sighting]]:
        """(country, sighting) for each place the records put the item in a country."""
        for i, country in enumerate(item.origin_countries):
            yield country, Sighting(section, item.id, ("origin_countries", i))
        for k in self.linked.get((section, item.id), ()):
            if self.supplier_goods(k) & set(item_goods):
                s = self.suppliers[k]
                yield s.country, Sighting("suppliers", s.id, ("country",))

    def covering(self, good: str, country: str, theme: Theme, suppliers: Iterable[str]) -> tuple[str, ...]:
        """Ids of the risks of `theme` that name `country` and the good (or one of the pair's suppliers)."""
        linked = set(suppliers)
        return tuple(r.id for r in self.dossier.risks
                     if r.theme is theme and country in r.countries
                     and (good in self.risk_goods(r) or linked & set(r.suppliers)))


@dataclass
class _Draft:
    items: dict[str, set[str]]
    sightings: dict[Sighting, None]


def _drafts(chain: _Chain) -> dict[tuple[str, str], _Draft]:
    """Listed (good, country) -> the items and sightings that put the good in that country."""
    drafts: dict[tuple[str, str], _Draft] = {}
    dossier = chain.dossier
    for section, items in (("products", dossier.products), ("raw_materials", dossier.raw_materials)):
        for item in items:
            item_goods = goods_of(item)
            for country, sighting in chain.sightings(item, section, item_goods):
                for good in item_goods:
                    if listing(good, country) is None:
                        continue
                    draft = drafts.setdefault((good, country), _Draft({"products": set(), "raw_materials": set()}, {}))
                    draft.items[section].add(item.id)
                    draft.sightings[sighting] = None
    return drafts


def risk_goods(risk: Risk, dossier: Dossier) -> set[str]:
    """The goods of the products and raw materials a risk names."""
    products, materials = dossier.by_id("products"), dossier.by_id("raw_materials")
    named = [products[i] for i in risk.products if i in products] + [materials[i] for i in risk.raw_materials
                                                                       if i in materials]
    return {g for item in named for g in goods_of(item)}  # type: ignore[arg-type]


def _flags(found: Listing) -> tuple[Theme, ...]:
    return tuple(t for t, on in ((Theme.CHILD_LABOUR, found.child_labour), (Theme.FORCED_LABOUR, found.forced_labour))
                 if on)


def _pair(chain: _Chain, good: str, country: str, draft: _Draft) -> Pair:
    items = draft.items
    linked = sorted({k for section in items for i in items[section] for k in chain.linked.get((section, i), ())})
    here = sorted((s for s in (chain.suppliers[k] for k in linked) if s.country == country), key=lambda s: s.id)
    shares = [s.purchase_share for s in here if s.purchase_share is not None]
    ids = tuple(s.id for s in here)
    found = listing(good, country)
    assert found is not None
    order = {"products": 0, "raw_materials": 1, "suppliers": 2}
    return Pair(
        good=good, country=country,
        flags=tuple(Flag(t, chain.covering(good, country, t, ids)) for t in _flags(found)),
        products=tuple(sorted(items["products"])), raw_materials=tuple(sorted(items["raw_materials"])),
        suppliers=ids, chain_suppliers=len(linked), purchase_share=round(sum(shares), 2) if shares else None,
        sightings=tuple(sorted(draft.sightings, key=lambda s: (order[s.section], s.ident, s.path))),
    )


def _unmatched(dossier: Dossier) -> tuple[Unmatched, ...]:
    listed = {x.country for x in listings()}
    out = []
    for section, items in (("products", dossier.products), ("raw_materials", dossier.raw_materials)):
        for item in items:
            if item.listed_goods is None and not goods_of(item):
                countries = tuple(c for c in item.origin_countries if c in listed)
                out.append(Unmatched(section, item.id, str(item.name), countries))
    return tuple(out)


def suggest(dossier: Dossier) -> Suggestions:
    """Every listed pair in the value chain with its coverage, and the items that name no good."""
    chain = _Chain(dossier)
    pairs = [_pair(chain, good, country, draft) for (good, country), draft in _drafts(chain).items()]
    pairs.sort(key=lambda p: (p.good.casefold(), p.country))
    return Suggestions(tuple(pairs), _unmatched(dossier))
