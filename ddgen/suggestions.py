"""`ddgen risks suggest` output: the listed goods of `derive.suggest` as text, JSON or YAML risk records.

Text and JSON are for the writer (they may show internal purchase shares); the YAML holds only
fields of a risk record, ready to paste under `risks:` or to save as a file in `data/risks/`.
The suggested records load as valid risks; the scores in them are starting points marked
`# assess`, to be replaced by the writer's own assessment of the chain.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from .countries import country_name
from .derive.suggest import Pair, Suggestions
from .model.dossier import Dossier
from .model.risk import Theme
from .problems import Span
from .reference import ILAB, goods

Locate = Callable[[str, str, tuple[str | int, ...]], Span]

KIND_WORDS = {
    "en": {Theme.CHILD_LABOUR: "child labour", Theme.FORCED_LABOUR: "forced labour"},
    "nl": {Theme.CHILD_LABOUR: "kinderarbeid", Theme.FORCED_LABOUR: "dwangarbeid"},
}
TEXTS = {
    "en": {
        "and": "and",
        "title": "{Kind} in {good} from {countries}",
        "description": "The US Department of Labor's List of Goods Produced by Child Labor or Forced Labor "
                       "({edition} edition) names {good} from {countries} for {kind}. In our chain: {items}.",
        "rationale": "Taken from a public list: a listing is a signal about a country, not a finding at a "
                     "supplier. Severity, likelihood and our involvement have not yet been assessed for our chain.",
        "source": "US Department of Labor, List of Goods Produced by Child Labor or Forced Labor, "
                  "{edition} edition ({good}, {countries})",
    },
    "nl": {
        "and": "en",
        "title": "{Kind} in {good} uit {countries}",
        "description": "De Amerikaanse lijst van goederen die met kinderarbeid of dwangarbeid worden gemaakt "
                       "(US Department of Labor, editie {edition}) noemt {good} uit {countries} voor {kind}. "
                       "In onze keten: {items}.",
        "rationale": "Overgenomen uit een openbare lijst: een vermelding is een signaal over een land, geen "
                     "bevinding bij een leverancier. Ernst, waarschijnlijkheid en onze betrokkenheid zijn nog niet "
                     "voor onze eigen keten beoordeeld.",
        "source": "US Department of Labor, List of Goods Produced by Child Labor or Forced Labor, editie {edition} "
                  "({good}, {countries})",
    },
}
AFFECTED = {Theme.CHILD_LABOUR: "children", Theme.FORCED_LABOUR: "supply_chain_workers"}
ASSESS = "assess for your own chain; this value is only a starting point"


def _kinds(pair: Pair) -> str:
    return ", ".join(KIND_WORDS["en"][f.theme] for f in pair.flags)


def _name(dossier: Dossier, section: str, ident: str) -> str:
    record = dossier.by_id(section).get(ident)
    return str(getattr(record, "name", "")) if record is not None else ""


def _supplier_line(dossier: Dossier, pair: Pair) -> str:
    suppliers = dossier.by_id("suppliers")
    listed = ", ".join(f"{i} (tier {getattr(suppliers[i], 'tier', '?')})" for i in pair.suppliers) or "none recorded"
    line = f"{listed}; {len(pair.suppliers)} of {pair.chain_suppliers} suppliers of these items"
    return line + (f", {pair.purchase_share:g} % of purchases" if pair.purchase_share is not None else "")


def _pair_text(dossier: Dossier, pair: Pair, locate: Locate) -> list[str]:
    first = pair.sightings[0]
    items = [f"{i} {_name(dossier, 'products', i)}" for i in pair.products]
    items += [f"{i} {_name(dossier, 'raw_materials', i)}" for i in pair.raw_materials]
    lines = [f"{pair.good} from {country_name(pair.country, 'en')} ({pair.country}): {_kinds(pair)}",
             f"  in the chain: {'; '.join(items)}",
             f"  named at: {locate(first.section, first.ident, first.path)}",
             f"  suppliers there: {_supplier_line(dossier, pair)}"]
    for flag in pair.flags:
        status = (f"covered by {', '.join(flag.covered_by)}" if flag.covered_by else
                  f"NOT COVERED: no {flag.theme.value} risk names {pair.country} and this good")
        lines.append(f"  {KIND_WORDS['en'][flag.theme]}: {status}")
    return lines


def render_text(found: Suggestions, dossier: Dossier, locate: Locate) -> str:
    intro = (f"Goods in the value chain that the US Department of Labor's {ILAB.title} ({ILAB.edition} edition) "
             "names for their country.")
    out = [intro, ""]
    for pair in found.pairs:
        out += [*_pair_text(dossier, pair, locate), ""]
    if found.unmatched:
        out.append("Not matched to a good of the list (set `listed_goods:` on the record, or `listed_goods: []` "
                   "when none applies):")
        for u in found.unmatched:
            where = locate(u.section, u.ident, ("name",))
            note = f" (from {', '.join(u.listed_countries)}, which the list names for other goods)" \
                if u.listed_countries else ""
            out.append(f"  {where}: {u.ident} {u.name}{note}")
        out.append("")
    gaps = len(found.gaps)
    out.append(f"{len(found.pairs)} listed good{'s' * (len(found.pairs) != 1)} from "
               f"{len({p.country for p in found.pairs})} countries in the value chain: "
               f"{len(found.pairs) - gaps} covered by the register, {gaps} with a gap. "
               f"{len(found.unmatched)} product{'s' * (len(found.unmatched) != 1)} or raw materials not matched.")
    return "\n".join(out) + "\n"


def _pair_json(dossier: Dossier, pair: Pair, locate: Locate) -> dict[str, Any]:
    suppliers = dossier.by_id("suppliers")
    spans = [str(locate(s.section, s.ident, s.path)) for s in pair.sightings]
    return {
        "good": pair.good, "good_nl": goods()[pair.good].nl if pair.good in goods() else pair.good,
        "country": pair.country, "country_name": country_name(pair.country, "en"),
        "kinds": [{"theme": f.theme.value, "covered_by": list(f.covered_by)} for f in pair.flags],
        "products": [{"id": i, "name": _name(dossier, "products", i)} for i in pair.products],
        "raw_materials": [{"id": i, "name": _name(dossier, "raw_materials", i)} for i in pair.raw_materials],
        "suppliers": [{"id": i, "name": _name(dossier, "suppliers", i), "tier": getattr(suppliers.get(i), "tier", None)}
                      for i in pair.suppliers],
        "chain_suppliers": pair.chain_suppliers, "purchase_share": pair.purchase_share,
        "at": spans[0], "also_at": spans[1:],
    }


def render_json(found: Suggestions, dossier: Dossier, locate: Locate) -> str:
    payload = {
        "source": {"title": ILAB.title, "publisher": ILAB.publisher, "edition": ILAB.edition, "url": ILAB.url},
        "pairs": [_pair_json(dossier, p, locate) for p in found.pairs],
        "unmatched": [{"section": u.section, "id": u.ident, "name": u.name, "listed_countries": list(u.listed_countries),
                       "at": str(locate(u.section, u.ident, ("name",)))} for u in found.unmatched],
        "summary": {"pairs": len(found.pairs), "gaps": len(found.gaps), "unmatched": len(found.unmatched)},
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Gap:
    """One suggested risk: a good and a kind of exploitation, over every country where it is uncovered."""

    good: str
    theme: Theme
    pairs: tuple[Pair, ...]

    def ids(self, field: str) -> list[str]:
        return sorted({i for p in self.pairs for i in getattr(p, field)})

    @property
    def countries(self) -> list[str]:
        return sorted({p.country for p in self.pairs})


def gaps(found: Suggestions) -> list[Gap]:
    grouped: dict[tuple[str, Theme], list[Pair]] = {}
    for pair in found.gaps:
        for theme in pair.uncovered:
            grouped.setdefault((pair.good, theme), []).append(pair)
    return [Gap(good, theme, tuple(pairs)) for (good, theme), pairs in sorted(grouped.items(),
                                                                            key=lambda kv: (kv[0][0].casefold(), kv[0][1].value))]


def next_ids(existing: list[str], count: int, prefix: str = "R-") -> list[str]:
    """`count` new risk ids after the highest 'R-<number>' in use, keeping its width (R-017 -> R-018)."""
    numbers = [(len(i) - len(prefix), int(i[len(prefix):])) for i in existing
               if i.startswith(prefix) and i[len(prefix):].isdigit()]
    width = max((w for w, _ in numbers), default=3)
    start = max((n for _, n in numbers), default=0) + 1
    return [f"{prefix}{n:0{width}d}" for n in range(start, start + count)]


def _join(names: list[str], language: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {TEXTS[language]['and']} {names[-1]}"


def _record(gap: Gap, ident: str, dossier: Dossier, language: str, as_of: date) -> CommentedMap:
    text = TEXTS[language]
    good = goods()[gap.good].nl if language == "nl" and gap.good in goods() else gap.good
    countries = _join([country_name(c, language) for c in gap.countries], language)
    kind = KIND_WORDS[language][gap.theme]
    items = ", ".join(f"{_name(dossier, s, i)} ({i})" for s in ("products", "raw_materials") for i in gap.ids(s))
    words = {"good": good, "countries": countries, "kind": kind, "Kind": kind.capitalize(), "items": items,
             "edition": ILAB.edition}
    record = CommentedMap(id=ident, title=text["title"].format(**words), theme=gap.theme.value,
                          description=_folded(text["description"].format(**words)), impact="potential")
    group = CommentedMap(group=AFFECTED[gap.theme], vulnerable=True)
    record["affected_groups"] = CommentedSeq([group])
    record["countries"] = _flow(gap.countries)
    for field in ("suppliers", "products", "raw_materials"):
        if gap.ids(field):
            record[field] = _flow(gap.ids(field))
    source = CommentedMap(kind="public_list", title=text["source"].format(**{**words, "good": gap.good}),
                          date=ILAB.published, url=ILAB.url)
    record["sources"] = CommentedSeq([source])
    record["severity"] = CommentedMap(scale=5, scope=3, irremediability=4)
    record["likelihood"] = 3
    record["involvement"] = "directly_linked"
    record["rationale"] = _folded(text["rationale"])
    record["assessed_on"] = as_of
    for key in ("severity", "likelihood", "involvement"):
        record.yaml_add_eol_comment(ASSESS, key)
    return record


def _folded(text: str, width: int = 88) -> FoldedScalarString:
    """A `>-` block wrapped at about `width` characters, as the example data is written."""
    folded = FoldedScalarString(text)
    positions, line_start = [], 0
    for i, char in enumerate(text):
        if char == " " and i - line_start > width:
            cut = text.rfind(" ", line_start, i)
            cut = cut if cut > line_start else i
            positions.append(cut)
            line_start = cut + 1
    folded.fold_pos = positions  # type: ignore[attr-defined]
    return folded


def _flow(values: list[str]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def render_yaml(found: Suggestions, dossier: Dossier, language: str, as_of: date) -> str:
    todo = gaps(found)
    ids = next_ids([r.id for r in dossier.risks], len(todo))
    records = CommentedSeq([_record(g, i, dossier, language, as_of) for g, i in zip(todo, ids)])
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # titles stay on one line; descriptions are folded by _folded
    yaml.representer.ignore_aliases = lambda *_: True  # the shared date is written out each time
    buffer = io.StringIO()
    header = (f"# Suggested by `ddgen risks suggest` from the US Department of Labor's\n# {ILAB.title} "
              f"({ILAB.edition} edition).\n# Each record is a starting point: assess severity, likelihood and "
              "involvement for your own\n# chain, rewrite the description and rationale, then paste the records "
              "under `risks:` in\n# data/risks.yaml (or keep them as a file in data/risks/).\n")
    if not todo:
        return header + "# The register covers every listed good in the value chain: nothing to suggest.\nrisks: []\n"
    yaml.dump(CommentedMap(risks=records), buffer)
    return header + buffer.getvalue()
