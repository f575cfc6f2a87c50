"""A synthetic company at benchmark sizes S, M and L, generated deterministically from the example.

S is the bundled example itself (Tweestroom Werkkleding, 36 suppliers). M and L keep the example's
company, policy, value chain and grievance mechanism, and grow the record sections that grow in
real reports: suppliers, risks, actions, KPIs (five years of values each), grievance cases and
audits. Each new record is a copy of an example record of the same kind with a new id, new
references and varied values drawn from realistic distributions (sourcing countries weighted like
a European apparel brand's supplier list, worker counts log-normal, scores centred on 3), so the
data has the shape and the text density of the real thing and passes `ddgen check` without errors.

Ids: the example's own records keep their ids; a copy gets the example id's prefix and a
five-digit number (S-00037, R-00018 ...). A reference in a copy points at the copy of the same
example record in another "generation" of the target section, so every reference resolves and
references spread evenly over the generated records.

The same size and seed always give the same bytes (`random.Random(seed)`, sorted output, PyYAML's
emitter with fixed settings).
"""

from __future__ import annotations

import copy
import math
import random
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import yaml

from ddgen.load import SourceDoc, load
from ddgen.model.dossier import FILE_KINDS, SECTIONS
from ddgen.validate import walk_refs

EXAMPLE = Path(__file__).resolve().parents[1]
"""The repository root: data/, content/, overrides/ and mkdocs.yml of the bundled example."""

SEED = 20260


@dataclass(frozen=True)
class Size:
    name: str
    counts: dict[str, int]  # section -> number of records; sections not named keep the example's


SIZES: dict[str, Size] = {
    "S": Size("S", {}),
    "M": Size("M", {"suppliers": 1_000, "risks": 200, "actions": 100, "kpis": 50, "grievance_cases": 500,
                    "audits": 100}),
    "L": Size("L", {"suppliers": 10_000, "risks": 1_000, "actions": 500, "kpis": 100, "grievance_cases": 5_000,
                    "audits": 1_000}),
}
"""Audits are not named in the issue; one audit per ten suppliers is a common yearly sample."""

YEARS = 5
"""KPI values per KPI: the last five reporting years."""

# Apparel sourcing countries, weighted roughly like a European brand's published supplier list.
COUNTRIES: dict[str, tuple[int, tuple[str, ...], str]] = {
    "CN": (22, ("Ningbo", "Shaoxing", "Guangzhou", "Dongguan", "Qingdao"), "Co., Ltd."),
    "BD": (14, ("Gazipur", "Narayanganj", "Savar", "Chattogram", "Ashulia"), "Ltd."),
    "IN": (10, ("Tiruppur", "Bengaluru", "Ludhiana", "Noida", "Ahmedabad"), "Pvt. Ltd."),
    "TR": (10, ("İstanbul", "Bursa", "Denizli", "İzmir", "Çorlu"), "A.Ş."),
    "VN": (9, ("Hanoi", "Bình Dương", "Đồng Nai", "Nam Định", "Hải Phòng"), "Co., Ltd."),
    "PK": (6, ("Faisalabad", "Lahore", "Karachi", "Sialkot"), "(Pvt.) Ltd."),
    "KH": (5, ("Phnom Penh", "Kampong Speu", "Kandal"), "Co., Ltd."),
    "ID": (5, ("Bandung", "Semarang", "Tangerang", "Solo"), "PT"),
    "LK": (3, ("Katunayake", "Biyagama", "Koggala"), "(Pvt) Ltd."),
    "PT": (4, ("Guimarães", "Barcelos", "Famalicão"), "Lda."),
    "IT": (3, ("Prato", "Biella", "Como"), "S.r.l."),
    "RO": (2, ("Iași", "Timișoara", "Bacău"), "S.R.L."),
    "MA": (2, ("Tanger", "Casablanca", "Fès"), "SARL"),
    "TN": (2, ("Monastir", "Sousse", "Ksar Hellal"), "SARL"),
    "EG": (1, ("Mahalla al-Kubra", "Alexandria"), "S.A.E."),
    "ET": (1, ("Hawassa", "Addis Ababa"), "PLC"),
    "DE": (1, ("Mönchengladbach", "Bielefeld"), "GmbH"),
    "NO": (1, ("Ålesund", "Bergen"), "AS"),  # `NO` is Norway: a YAML 1.1 trap kept on purpose
}
WORDS = ("Meghna", "Padma", "Lotus", "Delta", "Golden", "Orient", "Pearl", "Crown", "Jade", "Harbour", "Summit",
         "Unity", "Prime", "Silver", "Evergreen", "Rainbow", "Phoenix", "Sunrise", "Northstar", "Blue River")
TRADES = ("Garments", "Textiles", "Apparel", "Knitwear", "Fabrics", "Dyeing", "Washing", "Trims", "Spinning",
          "Workwear", "Denim", "Composite")
STREETS = ("Industrial Road", "Export Zone", "Station Road", "Canal Street", "Textile Park", "Ring Road")
SCORE_WEIGHTS = (10, 25, 30, 25, 10)
"""Severity and likelihood scores 1-5: most risks sit in the middle of the scale."""

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def example_docs(example: Path = EXAMPLE) -> dict[str, SourceDoc]:
    docs, problems = load(example)
    assert not problems, problems
    return {doc.file: doc for doc in docs}


def _prefix(ident: str) -> str:
    return ident.split("-", 1)[0] + "-" if "-" in ident else ident


class Generator:
    """Copies example records into `size.counts` records per section, references remapped."""

    def __init__(self, size: Size, seed: int = SEED, example: Path = EXAMPLE) -> None:
        self.size = size
        self.rng = random.Random(f"{seed}-{size.name}")
        self.docs = example_docs(example)
        self.examples: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for doc in sorted(self.docs.values(), key=lambda d: d.file):
            for name, value in doc.data.items():
                if SECTIONS[name].many:
                    self.examples[name].extend(value)
        self.index = {name: {str(r["id"]): i for i, r in enumerate(records) if "id" in r}
                      for name, records in self.examples.items()}
        periods = [p["year"] for p in self.examples["reporting_periods"]]
        self.last_year = max(periods)
        self.first_year = min(periods)

    # -- ids and references

    def count(self, section: str) -> int:
        return self.size.counts.get(section, len(self.examples.get(section, ())))

    def ident(self, section: str, clone: int) -> str:
        examples = self.examples[section]
        template = str(examples[clone % len(examples)]["id"])
        return template if clone < len(examples) else f"{_prefix(template)}{clone + 1:05d}"

    def ref(self, target: str, example_id: str, clone: int) -> str:
        """The id a copy `clone` refers to, for a reference to `example_id` in the example."""
        examples = self.examples[target]
        generations = max(1, self.count(target) // len(examples))
        position = self.index[target][example_id]
        return self.ident(target, (clone * 7 + position) % generations * len(examples) + position)

    def remap(self, section: str, raw: dict[str, Any], clone: int) -> dict[str, Any]:
        record = SECTIONS[section].model.model_validate(raw)
        out = copy.deepcopy(raw)
        for path, target, ident in walk_refs(record):
            holder: Any = out
            for part in path[:-1]:
                holder = holder[part]
            holder[path[-1]] = self.ref(target, ident, clone)
        return out

    # -- values

    def score(self) -> int:
        return self.rng.choices(range(1, 6), SCORE_WEIGHTS)[0]

    def country(self) -> str:
        codes = list(COUNTRIES)
        return self.rng.choices(codes, [COUNTRIES[c][0] for c in codes])[0]

    def supplier(self, raw: dict[str, Any], clone: int) -> dict[str, Any]:
        rng = self.rng
        country = self.country()
        _, cities, legal = COUNTRIES[country]
        city = rng.choice(cities)
        name = f"{rng.choice(WORDS)} {rng.choice(TRADES)}"
        raw.update({
            "name": f"{legal} {name}" if legal == "PT" else f"{name} {legal}",
            "address": f"{rng.randint(1, 400)} {rng.choice(STREETS)}, {city}",
            "country": country,
            "workers": (max(5, int(rng.lognormvariate(math.log(350), 1.0))) if rng.random() < 0.8
                        else rng.choice(("<100", "100-500", "501-1000", "1001-5000", ">5000"))),
            "percent_female": rng.randint(15, 90),
            "os_id": f"{country}{rng.randint(2018, self.last_year)}{rng.randint(0, 999):03d}"
                     + "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=6)),
            "relationship_since": rng.randint(2005, self.last_year),
        })
        for key in ("lat", "lng", "local_name", "parent_company", "website"):
            raw.pop(key, None)
        return raw

    def risk(self, raw: dict[str, Any], clone: int) -> dict[str, Any]:
        raw["title"] = f"{raw['title']} (cluster {clone // len(self.examples['risks'])})"
        raw["severity"] = {"scale": self.score(), "scope": self.score(), "irremediability": self.score()}
        raw["likelihood"] = self.score()
        return raw

    def kpi(self, raw: dict[str, Any], clone: int) -> dict[str, Any]:
        """Five years of values moving from the baseline toward the target, with noise."""
        baseline, target = float(raw["baseline"]["value"]), float(raw["target"]["value"])
        first = self.last_year - YEARS + 1
        raw["baseline"] = {"value": raw["baseline"]["value"], "year": first - 1}
        values = []
        for step, year in enumerate(range(first, self.last_year + 1), start=1):
            share = min(1.0, step / YEARS * self.rng.uniform(0.6, 1.2))
            values.append({"year": year, "value": round(baseline + (target - baseline) * share, 1)})
        raw["values"] = values
        if clone >= len(self.examples["kpis"]):
            raw["name"] = f"{raw['name']} (reeks {clone // len(self.examples['kpis'])})"
        return raw

    def shift_years(self, raw: Any, years: int) -> Any:
        """Move every date in a record back by whole years (dates keep their order)."""
        if isinstance(raw, dict):
            return {k: self.shift_years(v, years) for k, v in raw.items()}
        if isinstance(raw, list):
            return [self.shift_years(v, years) for v in raw]
        if isinstance(raw, str) and _DATE.match(raw):
            day = date.fromisoformat(raw)
            return day.replace(year=day.year - years, day=min(day.day, 28 if day.month == 2 else 31)).isoformat()
        return raw

    def grievance(self, raw: dict[str, Any], clone: int) -> dict[str, Any]:
        received = int(str(raw["received_on"])[:4])
        shifted = self.shift_years(raw, self.rng.randint(0, max(0, received - self.first_year)))
        shifted["theme"] = self.rng.choice(("wages", "working_hours", "health_safety", "discrimination_gender",
                                            "freedom_of_association", raw["theme"]))
        return shifted

    VARY: ClassVar[dict[str, Any]] = {"suppliers": supplier, "risks": risk, "kpis": kpi, "grievance_cases": grievance}

    def records(self, section: str) -> list[dict[str, Any]]:
        examples = self.examples[section]
        out = []
        for clone in range(self.count(section)):
            raw = self.remap(section, examples[clone % len(examples)], clone)
            if "id" in raw:
                raw["id"] = self.ident(section, clone)
            vary = self.VARY.get(section)
            if clone >= len(examples) or section == "kpis":
                raw = vary(self, raw, clone) if vary else raw
            out.append(raw)
        return out


def _plain(value: Any) -> Any:
    """Dates back to date objects, so the emitter writes them unquoted as people do."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str) and _DATE.match(value):
        return date.fromisoformat(value)
    return value


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(_plain(data), Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def generate(size: str, target: Path, seed: int = SEED, example: Path = EXAMPLE) -> Path:
    """Write a complete project of `size` into `target` (replaced if it exists) and return it."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(example / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("content", "overrides"):
        shutil.copytree(example / folder, target / folder)
    if not SIZES[size].counts:
        shutil.copytree(example / "data", target / "data")
        return target
    gen = Generator(SIZES[size], seed, example)
    files: dict[str, dict[str, Any]] = defaultdict(dict)
    for doc in sorted(gen.docs.values(), key=lambda d: d.file):
        for name, value in doc.data.items():
            if not SECTIONS[name].many:
                files[doc.file][name] = value
    home = {name: kind for kind, names in FILE_KINDS.items() for name in names}
    for name in SECTIONS:
        if not SECTIONS[name].many or not gen.examples.get(name):
            continue
        records = gen.records(name)
        if name == "suppliers":  # large supplier lists are kept per country, as brands publish them
            for record in records:
                files[f"data/suppliers/{record['country'].lower()}.yaml"].setdefault("suppliers", []).append(record)
        else:
            files[f"data/{home[name]}.yaml"][name] = records
    for file, sections in sorted(files.items()):
        path = target / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(sections), encoding="utf-8", newline="\n")
    return target
