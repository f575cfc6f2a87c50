"""What the framework pages show: which pages an edition gets, and where each requirement is answered.

Used by render (this module imports nothing from it): render hands over the page paths and the
anchors its step pages actually contain, so a location link is made only to a page and section that
exist in the edition being built. A requirement is answered where its present `answered_by` items are
shown; items without records give no link, and a requirement nobody answers and the writer did not
explain in an omission is left off the public pages altogether.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..derive.coverage import (
    AGGREGATE,
    FrameworkCoverage,
    ItemCoverage,
    RequirementCoverage,
    Status,
    coverage,
)
from ..derive.disclosures import answered
from ..model.common import Scope
from ..model.communication import FrameworkUse
from . import FrameworkMap, Layout, registry

LABELS = (
    "Due diligence statement", "Coverage (internal)", "Reporting frameworks", "records in %(section)s (%(file)s)",
    "with %(field)s filled in", "where %(field)s is %(values)s", "they exist, but none is public",
)
"""Labels written in this module and in render's navigation, for the message catalog."""

MAX_RECORD_LINKS = 4
"""More answering records than this: link the list they are in, not each record."""

LIST_OF: dict[str, str] = {
    "risks": "risks#risk-register", "suppliers": "suppliers", "kpis": "monitoring#indicators", "actions": "actions",
    "policies": "policy", "remediation_cases": "grievances#remedy",
}
"""Where the records of a kind are listed together, for requirements answered by many of them."""

FRAMEWORK_PAGES: dict[Layout, str] = {
    Layout.GRI: "frameworks/gri.md",
    Layout.UNGPRF: "frameworks/ungprf.md",
    Layout.STATEMENT: "frameworks/due-diligence-statement.md",
    Layout.LKSG: "frameworks/lksg.md",
}
COVERAGE_PAGE = "frameworks/coverage.md"
TEMPLATES: dict[Layout, str] = {
    Layout.GRI: "pages/gri.md.j2", Layout.UNGPRF: "pages/ungprf.md.j2", Layout.INDEX: "pages/ungprf.md.j2",
    Layout.STATEMENT: "pages/statement.md.j2", Layout.LKSG: "pages/lksg.md.j2",
}
PAGE_KEYS: dict[Layout, str] = {Layout.GRI: "gri", Layout.STATEMENT: "statement", Layout.LKSG: "lksg"}
"""Framework pages that other pages' locations may name (`gri#gri-408-1`)."""
GRI_STATEMENT_USES = (FrameworkUse.IN_ACCORDANCE, FrameworkUse.WITH_REFERENCE)
_ANCHOR = re.compile(r"\{#([A-Za-z0-9_.:-]+)\}")


def summarised(edition: Any) -> list[str]:
    """Record kinds an edition shows as aggregates: audits and grievance cases of the year."""
    found = []
    audits = edition.audits
    if audits is not None and audits.audits:
        found.append("audits")
    stats = edition.grievances
    if stats is not None and stats.received.total.count:
        found.append("grievance_cases")
    return found


def declared(dossier: Any) -> dict[str, FrameworkUse]:
    """The frameworks the company lists in communication.frameworks, with how it uses each."""
    com = dossier.communication
    return {str(f.framework.value): f.use for f in (com.frameworks if com is not None else ())}


def is_published(fw: FrameworkMap, dossier: Any) -> bool:
    """Packaged maps get a page when the company lists the framework in communication.frameworks (GRI only
    with a statement of use: in accordance or with reference); a project's own map whenever its file is there."""
    if fw.header.declared_as is None:
        return True
    use = declared(dossier).get(fw.header.declared_as.value)
    if use is None:
        return False
    return fw.header.layout is not Layout.GRI or use in GRI_STATEMENT_USES


@dataclass(frozen=True)
class Location:
    target: str  # docs path, with #anchor
    label: str


@dataclass(frozen=True)
class FrameworkPage:
    """One framework page of the site: its path, template and the frameworks it presents."""

    path: str
    template: str
    frameworks: tuple[FrameworkMap, ...]
    title: str


@dataclass
class FrameworkViews:
    """Coverage and locations for one edition; `pages` maps page keys to docs paths (render.PAGES)."""

    frameworks: Mapping[str, FrameworkMap]
    edition: Any
    everything: Any
    pages: dict[str, str]
    record_pages: Mapping[str, Callable[[str], str]]
    translate: Callable[[str], str]
    language: str
    fmt: Any = None
    v: Any = None
    anchors: dict[str, set[str]] = field(default_factory=dict)
    built: set[str] = field(default_factory=set)
    page_list: list[FrameworkPage] = field(default_factory=list)

    def __post_init__(self) -> None:
        shown = self.edition.dossier
        self.coverage: dict[str, FrameworkCoverage] = {
            c.framework.id: c for c in coverage(self.frameworks, shown, everything=self.everything,
                                                summarised=self.summarised(), figures=answered(self.edition.figures))}
        self.public_coverage: dict[str, FrameworkCoverage] = self.coverage

    def summarised(self) -> list[str]:
        return summarised(self.edition)

    # ------------------------------------------------------------------ which pages the edition gets

    def is_published(self, fw: FrameworkMap) -> bool:
        return is_published(fw, self.edition.dossier)

    def gri_use(self) -> FrameworkUse | None:
        use = declared(self.edition.dossier).get("gri")
        return use if use in GRI_STATEMENT_USES else None

    def framework_pages(self) -> list[FrameworkPage]:
        found: list[FrameworkPage] = []
        statement: list[FrameworkMap] = []
        for fw in self.frameworks.values():
            if not self.is_published(fw):
                continue
            layout = fw.header.layout
            if layout is Layout.STATEMENT:
                statement.append(fw)
                continue
            path = FRAMEWORK_PAGES.get(layout, f"frameworks/{fw.id}.md")
            if any(p.path == path for p in found):
                path = f"frameworks/{fw.id}.md"
            found.append(FrameworkPage(path, TEMPLATES[layout], (fw,), self.short_name(fw)))
        if statement:
            found.append(FrameworkPage(FRAMEWORK_PAGES[Layout.STATEMENT], TEMPLATES[Layout.STATEMENT],
                                       tuple(statement), self.translate("Due diligence statement")))
        order = {Layout.GRI: 0, Layout.UNGPRF: 1, Layout.STATEMENT: 2, Layout.LKSG: 3, Layout.INDEX: 4}
        return sorted(found, key=lambda p: (order[p.frameworks[0].header.layout], p.path))

    def has_coverage_page(self) -> bool:
        return self.edition.scope is Scope.INTERNAL

    # ------------------------------------------------------------------ texts

    def text(self, value: Any) -> str:
        from . import words

        return words(value, self.language)

    def short_name(self, fw: FrameworkMap) -> str:
        return self.text(fw.header.short_name or fw.header.name)

    # ------------------------------------------------------------------ requirement by requirement

    def of(self, fw: FrameworkMap) -> FrameworkCoverage:
        return self.coverage[fw.id]

    def shown(self, fw: FrameworkMap) -> list[RequirementCoverage]:
        """The requirements a public index lists: answered ones, and gaps the writer explains."""
        return [rc for rc in self.of(fw).requirements if rc.publishable]

    def rows(self, fw: FrameworkMap, group: Any) -> list[RequirementCoverage]:
        gid = group.id if group is not None else None
        return [rc for rc in self.shown(fw) if rc.requirement.group == gid]

    def groups_of(self, fw: FrameworkMap) -> list[Any]:
        """The groups in file order, with None first when some requirements belong to no group."""
        return ([None] if fw.in_group(None) else []) + list(fw.groups)

    @staticmethod
    def slug(group: Any) -> str:
        text = "".join(ch if ch.isalnum() else "-" for ch in str(group.id if group is not None else "other").lower())
        return "part-" + "-".join(part for part in text.split("-") if part)

    def locations(self, rc: RequirementCoverage) -> list[Location]:
        found: list[Location] = []
        for item in rc.present:
            for loc in self.item_locations(item):
                if all(loc.target != f.target for f in found):
                    found.append(loc)
        return found

    def item_locations(self, item: ItemCoverage) -> list[Location]:
        where = item.answer.shown_at
        if where is None:
            return []
        records = [r for r in item.records if r != AGGREGATE]
        if where == registry.RECORD:
            if not records or len(records) > MAX_RECORD_LINKS:
                return self.place(LIST_OF.get(item.answer.records, ""))
            return [loc for r in records for loc in self.record_location(item.answer.records, r)]
        return self.place(where)

    def record_location(self, section: str, record: Any) -> list[Location]:
        page, prefix = registry.RECORD_LOCATIONS[section]
        label = str(getattr(record, "title", None) or getattr(record, "name", None) or record.id)
        if page in self.record_pages:
            target = self.record_pages[page](record.id)
            return [Location(target, label)] if target in self.built else []
        path = self.pages[page]
        anchor = f"{prefix}{record.id}"
        if anchor in self.anchors.get(path, set()):
            return [Location(f"{path}#{anchor}", label)]
        return self.place(page)

    def place(self, where: str) -> list[Location]:
        """A page#section location as a link target, if the page exists and has that section."""
        page, _, anchor = where.partition("#")
        path = self.pages.get(page)
        if not page or path is None or path not in self.built:
            return []
        page_label = self.translate(registry.PAGE_LABELS.get(page, page))
        if anchor and anchor in self.anchors.get(path, set()):
            section = self.translate(registry.ANCHORS[page][anchor])
            return [Location(f"{path}#{anchor}", f"{page_label} › {section}")]
        return [Location(path, page_label)]

    # ------------------------------------------------------------------ GRI: material topics and figures

    def gri_topics(self) -> list[Any]:
        return list(self.d.material_topics)

    def topic_rows(self, fw: FrameworkMap, topic: Any) -> list[RequirementCoverage]:
        named = [str(x) for x in topic.gri_disclosures]
        return [rc for rc in self.of(fw).requirements if rc.requirement.id in named and rc.publishable]

    def figure_rows(self, fw: FrameworkMap) -> list[RequirementCoverage]:
        """Answered topic disclosures with computed figures that some material topic names (each once)."""
        named = {str(x) for t in self.d.material_topics for x in t.gri_disclosures}
        return [rc for rc in self.of(fw).requirements
                if rc.requirement.topic and rc.requirement.figures and rc.requirement.id in named and rc.answered]

    def topic_locations(self, topic: Any) -> list[Location]:
        """GRI 3-3 for one topic: the topic, its risks, the actions on them and the indicators that track them."""
        found = self.place("risks#material-topics")
        risks = [self.v.risk_by_id[r] for r in topic.risks if r in self.v.risk_by_id]
        found += self._some(risks, lambda r: [Location(r.page, r.risk.title)] if r.page in self.built else [],
                            "risks#risk-register")
        ids = {r.risk.id for r in risks}
        if any(set(a.risks) & ids for a in self.d.actions):
            found += self.place("actions")
        kpis = [k for k in self.v.kpis if set(k.kpi.risks) & ids]
        found += self._some(kpis, lambda k: [Location(k.page, k.kpi.name)] if k.page in self.built else [],
                            "monitoring#indicators", limit=2)
        unique: list[Location] = []
        for loc in found:
            if all(loc.target != u.target for u in unique):
                unique.append(loc)
        return unique

    def _some(self, items: list[Any], one: Callable[[Any], list[Location]], many: str,
              limit: int = MAX_RECORD_LINKS) -> list[Location]:
        if not items:
            return []
        if len(items) > limit:
            return self.place(many)
        return [loc for item in items for loc in one(item)]

    def visible_actions(self, ids: Any) -> list[Any]:
        wanted = set(ids)
        return [a for a in self.d.actions if a.id in wanted]

    def anchors_of_framework_page(self, page: FrameworkPage) -> set[str]:
        """The sections a framework page will have that other pages may link to (GRI figures)."""
        if page.frameworks[0].header.layout is Layout.GRI:
            return {str(rc.requirement.figures) for rc in self.figure_rows(page.frameworks[0])}
        return set()

    # ------------------------------------------------------------------ figures and hints

    def hint(self, item: ItemCoverage) -> str:
        """What would fill a missing item, in the site's language: which records, field and values."""
        from . import home_of

        answer = item.answer
        parts = [self.translate("records in %(section)s (%(file)s)") % {"section": f"{answer.records}:",
                                                                       "file": home_of(answer.records)}]
        if answer.field:
            parts.append(self.translate("with %(field)s filled in") % {"field": f"{answer.field}:"})
        for name, value in answer.where.items():
            values = value if isinstance(value, tuple) else (value,)
            parts.append(self.translate("where %(field)s is %(values)s") % {"field": name, "values": " | ".join(values)})
        text = ", ".join(parts)
        if item.hidden:
            text += " (" + self.translate("they exist, but none is public") + ")"
        return text

    def material_topics_for(self, disclosure: str) -> list[Any]:
        return [t for t in self.edition.dossier.material_topics if disclosure in [str(x) for x in t.gri_disclosures]]

    def counts(self, fw: FrameworkMap) -> dict[str, int]:
        cov = self.of(fw)
        return {s.value: cov.count(s) for s in Status}


    # ------------------------------------------------------------------ helpers for the short answers

    @property
    def d(self) -> Any:
        return self.edition.dossier

    def labels(self, values: Any) -> list[str]:
        return [self.fmt.label(x) for x in values]

    def instruments(self) -> list[str]:
        found = {i for p in self.d.policies for i in p.instruments_referenced}
        return [self.fmt.label(i) for i in sorted(found, key=lambda i: i.value)]

    def affected_groups(self) -> list[str]:
        found = {g.group for r in self.d.risks for g in r.affected_groups if g.vulnerable}
        return [self.fmt.label(g) for g in sorted(found, key=lambda g: g.value)]

    def policy_consultations(self) -> list[str]:
        found = []
        for ident in sorted({c for p in self.d.policies for c in p.developed_with}):
            c = self.v.consultations.get(ident)
            if c is not None:
                found.append(f"{self.fmt.date(c.date)} ({', '.join(self.labels(c.groups))})")
        return found

    def code_signed(self) -> tuple[int, int]:
        tier1 = [s for s in self.v.active_suppliers if s.tier == 1]
        return sum(1 for s in tier1 if s.code_signed_on is not None), len(tier1)

    def in_period(self, records: Any, attr: str) -> list[Any]:
        period = self.d.period
        if period is None:
            return []
        return [r for r in records if period.start <= getattr(r, attr) <= period.end]

    def countries(self, codes: Any) -> str:
        return ", ".join(self.fmt.country(c) for c in codes)

    def actual_outside_salient(self) -> list[Any]:
        salient = {r.risk.id for r in self.v.salient}
        return [r for r in self.v.risks if r.risk.impact.value == "actual" and r.risk.id not in salient
                and r.risk.status.value != "closed"]

    def groups_engaged(self, counts: bool = False) -> list[str]:
        tally: dict[Any, int] = {}
        for c in self.d.consultations:
            for g in c.groups:
                tally[g] = tally.get(g, 0) + 1
        ordered = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0].value))
        return [f"{self.fmt.label(g)} ({n})" if counts else self.fmt.label(g) for g, n in ordered]

    def overdue_reviews(self) -> list[Any]:
        as_of = self.edition.as_of
        return [r for r in self.d.risks if r.status.value != "closed" and r.next_review_on is not None
                and r.next_review_on < as_of]

    def departments(self) -> list[str]:
        found = sorted({r.department for r in self.d.roles}, key=lambda d: d.value)
        return self.labels(found)

    def cap_items(self) -> list[Any]:
        return [i for a in self.d.actions if a.corrective_action_plan for i in a.corrective_action_plan.items]

    def kpi_examples(self, count: int = 3) -> list[Any]:
        measured = [k for k in self.v.kpis if k.progress.measured is not None and k.kpi.kind.value in ("outcome", "impact")]
        return measured[:count]

    def involvement_counts(self) -> dict[str, int]:
        live = [r for r in self.d.risks if r.status.value != "closed"]
        remedy = sum(1 for r in live if r.involvement.value in ("cause", "contribute"))
        return {"remedy": remedy, "leverage": len(live) - remedy}

    def consultations_on(self, risk: str) -> list[Any]:
        return sorted((c for c in self.d.consultations if risk in c.risks), key=lambda c: c.date)

    def risks_by_involvement(self) -> list[tuple[Any, list[Any]]]:
        """Open risks grouped by involvement: cause, contribute (remedy), directly linked (leverage)."""
        groups: dict[Any, list[Any]] = {}
        for r in self.v.risks:
            if r.risk.status.value != "closed":
                groups.setdefault(r.risk.involvement, []).append(r)
        order = ["cause", "contribute", "directly_linked"]
        return sorted(groups.items(), key=lambda kv: order.index(kv[0].value))

    def channel_languages(self) -> list[str]:
        g = self.d.grievance_mechanism
        return sorted({lang for ch in g.channels for lang in ch.languages}) if g is not None else []


def build_views(edition: Any, frameworks: Mapping[str, FrameworkMap], paths: Mapping[str, str],
                rendered: Mapping[str, str], record_pages: Mapping[str, Callable[[str], str]], fmt: Any, v: Any,
                prefix: str = "") -> FrameworkViews:
    """Views for the framework pages of one edition, after its step pages are rendered (`rendered`), so
    locations link only to pages and sections that exist. The internal edition also gets the coverage
    the public edition would have, for the coverage page."""
    fv = FrameworkViews(frameworks, edition, edition.dossier, dict(paths), record_pages, fmt._, fmt.language,
                        fmt=fmt, v=v)
    fv.page_list = fv.framework_pages()
    fv.anchors = {path: set(_ANCHOR.findall(text)) for path, text in rendered.items()}
    fv.built = set(rendered)
    for page in fv.page_list:
        path = prefix + page.path
        key = PAGE_KEYS.get(page.frameworks[0].header.layout)
        if key is not None:
            fv.pages[key] = path
        fv.built.add(path)
        fv.anchors[path] = fv.anchors_of_framework_page(page)
    if edition.scope is Scope.INTERNAL:
        from ..publish import publish

        public = publish(edition.dossier, Scope.PUBLIC, edition.as_of, fmt.language)
        public_views = FrameworkViews(frameworks, public, edition.dossier, {}, {}, fmt._, fmt.language)
        fv.public_coverage = public_views.coverage
    return fv
