"""Render: an `Edition` -> Markdown pages and download files, through Jinja2 templates.

Templates only format: every figure is computed here or in `derive` and handed over in a view.
User text is data, never markup: the `finalize` hook escapes HTML and Markdown in every value a
template prints, unless a filter below deliberately returns `Markup` (itself built from escaped
parts). A same-named template in the project's `overrides/ddgen/` replaces the packaged one.

Output is a `Rendered`: pages by path under the docs folder, files by path, and the navigation.
"""

from __future__ import annotations

import hashlib
import html
import pickle
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache, ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, Template, pass_context,
)
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from jinja2.runtime import Context, Macro
from markupsafe import Markup

from . import charts
from .derive.aggregates import Cell, SuppressedTable
from .derive.history import Changes
from .derive.assessment import (
    EXPECTED_ACTIONS, IRREMEDIABILITY_WEIGHT, SEVERITY_DIVISOR, Priority, expected_action, order_key, priority,
    priority_of, severity, severity_band,
)
from .derive.progress import ON_TRACK_TOLERANCE, KpiProgress, KpiStatus, is_overdue, kpi_progress
from .derive.coverage import Status
from .export import downloads
from .frameworks.views import COVERAGE_PAGE, build_views
from .i18n import Formatter
from .memo import PAGE_MEMO, Later, fingerprint, put_in
from .model.common import Scope
from .model.risk import THEME_LABELS, Risk, RiskStatus, Theme
from .publish import Edition

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
            **{c: f"&#{ord(c)};" for c in "\\`*_[]{}|#~^:!+$="}}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)  # one pass in C: every printed value goes through it
_NEWLINE = re.compile(r"\s*\n\s*")


def escape_text(value: Any) -> str:
    """Escape a value for Markdown and HTML in one pass: it shows as the same text and never becomes markup."""
    if value is None:
        return ""
    text = _CONTROL.sub("", str(value))
    text = text.translate(_ESCAPE_TABLE)
    return _NEWLINE.sub(" ", text) if "\n" in text else text


def _finalize(value: Any) -> Markup:
    return value if isinstance(value, Markup) else Markup(escape_text(value))


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def translate(message: str, values: dict[str, Any]) -> Markup:
    """A translated label with `%(name)s` placeholders filled; the label and plain values are escaped,
    values that are already `Markup` (links built by ddgen) are kept."""
    parts = _PLACEHOLDER.split(message)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(escape_text(part))
        else:
            value = values[part]
            out.append(value if isinstance(value, Markup) else escape_text(value))
    return Markup("".join(out))


def inline(items: Iterable[Any], separator: str = ", ") -> Markup:
    """Values in one line, each escaped, joined by `separator` (markup of the template's own)."""
    return Markup(separator.join(escape_text(item) for item in items))


def paragraphs(value: Any) -> Markup:
    """Multi-paragraph user text as HTML paragraphs (blank lines separate paragraphs)."""
    if not value:
        return Markup("")
    parts = [p for p in re.split(r"\n\s*\n", str(value).strip()) if p.strip()]
    return Markup("\n\n".join(f"<p>{escape_text(p)}</p>" for p in parts))


def link(label: Any, url: str | None) -> Markup:
    """A link from data: only http(s) and mailto (the models refuse other schemes)."""
    if not url:
        return Markup(escape_text(label))
    if not re.match(r"^(https?:|mailto:)", url):
        return Markup(escape_text(label))
    return Markup(f'<a href="{html.escape(url, quote=True)}">{escape_text(label)}</a>')


def page_link(label: Any, target: str, current: str) -> Markup:
    """A Markdown link from page `current` to page `target` (both paths under docs/)."""
    text = label if isinstance(label, Markup) else escape_text(label)
    return Markup(f"[{text}]({relative(current, target)})")


def _split_anchor(target: str) -> tuple[str, str]:
    path, _, anchor = target.partition("#")
    return path, f"#{anchor}" if anchor else ""


def relative(current: str, target: str) -> str:
    """A Markdown link target: the .md path of `target` relative to page `current` (MkDocs checks it)."""
    path, anchor = _split_anchor(target)
    return _relpath(path, posixpath.dirname(current) or ".") + anchor


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for the site's own paths (relative, normalised, '.' for the root), without
    its calls to abspath: links are computed hundreds of thousands of times in a large report."""
    to = [part for part in path.split("/") if part and part != "."]
    here = [part for part in start.split("/") if part and part != "."]
    if ".." in to or ".." in here:
        return posixpath.relpath(path, start)
    common = 0
    for a, b in zip(to, here):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def url_of(path: str) -> str:
    """The URL of a docs file with directory URLs: index.md -> '', a/b.md -> a/b/, a/index.md -> a/."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index":
        return ""
    return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"


def href(current: str, target: str) -> str:
    """A URL for raw HTML (which MkDocs does not rewrite): from page `current` to `target`."""
    path, anchor = _split_anchor(target)
    here, there = url_of(current), url_of(path)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    rel = _relpath(there or ".", base.rstrip("/") or ".")
    if there.endswith("/") or not there:
        rel = "./" if rel == "." else rel + "/"
    return rel + anchor


@dataclass(frozen=True)
class RiskView:
    risk: Risk
    rank: int | Later  # `Later` on a risk page being remembered (see `Renderer.detail`)
    severity: Decimal
    band: int
    priority: Priority
    page: str


SUPPLIERS_PER_PAGE = 500
"""Rows of the supplier list per page; a longer list is split by country (about 0.6 MB a page)."""


@dataclass(frozen=True)
class SupplierListPage:
    """One page of a supplier list split by country: the country's suppliers, or a part of them."""

    page: str
    country: str
    number: int
    parts: int
    suppliers: tuple[Any, ...]


@dataclass(frozen=True)
class KpiView:
    kpi: Any
    progress: KpiProgress
    page: str


@dataclass
class Rendered:
    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    nav: list[Any] = field(default_factory=list)
    not_in_nav: list[str] = field(default_factory=list)


PAGES = {
    "home": "index.md",
    "policy": "policy.md",
    "value_chain": "value-chain.md",
    "suppliers": "suppliers/index.md",
    "risks": "risks/index.md",
    "actions": "actions.md",
    "monitoring": "monitoring/index.md",
    "communication": "communication.md",
    "grievances": "grievances.md",
    "downloads": "downloads.md",
    "method": "how-we-assess.md",
}


DETAIL_HIDDEN = ("d", "edition", "changes", "years", "periods", "matrix_points")
"""Names of the whole edition that detail pages do not see (see `Renderer.detail`)."""
PRINT_PAGE = "print.md"
PRINT_PART_CHARS = 600_000
"""Markdown per printable page (about 1.5 MB of HTML); a longer report is printed in parts."""
CHANGES_PAGE = "changes.md"
ARCHIVE_PAGE = "archive.md"
PRINTED = ("home", "policy", "value_chain", "suppliers", "risks", "actions", "monitoring", "communication",
           "grievances", "method")
"""The step pages that make up the printable report, in reading order."""


def _same_links(page: str, other: str) -> bool:
    """Whether every link renders the same on two pages: same folder, and neither is an index page
    (index.md has the folder's URL, one level up from its siblings' URLs)."""
    return (posixpath.dirname(page) == posixpath.dirname(other)
            and posixpath.basename(page) != "index.md" and posixpath.basename(other) != "index.md")


def supplier_page(ident: str) -> str:
    return f"suppliers/{ident}.md"


def risk_page(ident: str) -> str:
    return f"risks/{ident}.md"


def kpi_page(ident: str) -> str:
    return f"monitoring/{ident}.md"


class Views:
    """Everything templates show, computed once per edition."""

    def __init__(self, edition: Edition, fmt: Formatter, prefix: str = "") -> None:
        d = edition.dossier
        self.edition = edition
        self.d = d
        self.fmt = fmt
        self.prefix = prefix
        self.as_of = edition.as_of
        self.period = d.period
        ordered = sorted(d.risks, key=order_key)
        self.risks = [RiskView(r, i, severity(r), severity_band(r), priority(r), prefix + risk_page(r.id))
                      for i, r in enumerate(ordered, start=1)]
        self.risk_by_id = {v.risk.id: v for v in self.risks}
        self.kpis = [KpiView(k, kpi_progress(k, self.as_of), prefix + kpi_page(k.id)) for k in d.kpis]
        self.kpi_by_id = {v.kpi.id: v for v in self.kpis}
        self.suppliers = d.by_id("suppliers")
        self.products = d.by_id("products")
        self.materials = d.by_id("raw_materials")
        self.customers = d.by_id("customers")
        self.roles = d.by_id("roles")
        self.consultations = d.by_id("consultations")
        self.actions_for_risk: dict[str, list[Any]] = defaultdict(list)
        self.kpis_for_risk: dict[str, list[KpiView]] = defaultdict(list)
        for a in d.actions:
            for r in a.risks:
                self.actions_for_risk[r].append(a)
        for k in self.kpis:
            for r in k.kpi.risks:
                self.kpis_for_risk[r].append(k)
            for a in k.kpi.actions:
                for a_risk in next((x.risks for x in d.actions if x.id == a), ()):
                    if k not in self.kpis_for_risk[a_risk]:
                        self.kpis_for_risk[a_risk].append(k)
        self.risks_for_supplier: dict[str, list[RiskView]] = defaultdict(list)
        for v in self.risks:
            for s in v.risk.suppliers:
                self.risks_for_supplier[s].append(v)

    # -- headline figures (worked out once per edition: the step and framework pages ask dozens of times)
    @cached_property
    def active_suppliers(self) -> list[Any]:
        return [s for s in self.d.suppliers if s.status.value != "exited"]

    @cached_property
    def countries(self) -> list[str]:
        return sorted({s.country for s in self.active_suppliers})

    @cached_property
    def salient(self) -> list[RiskView]:
        return [v for v in self.risks if v.priority is Priority.HIGH and v.risk.status is not RiskStatus.CLOSED]

    def overdue(self, action: Any) -> bool:
        return is_overdue(action, self.as_of)

    @property
    def actions_on_track(self) -> tuple[int, int]:
        relevant = [a for a in self.d.actions if a.status.value != "cancelled"]
        good = [a for a in relevant if a.status.value == "completed" or (a.status.is_open and not self.overdue(a))]
        return len(good), len(relevant)

    @property
    def kpis_on_track(self) -> tuple[int, int]:
        return sum(1 for k in self.kpis if k.progress.status.good), len(self.kpis)

    def suppliers_per_country(self) -> list[tuple[str, int, list[int]]]:
        counts: dict[str, list[int]] = defaultdict(list)
        for s in self.active_suppliers:
            counts[s.country].append(s.tier)
        return sorted(((c, len(t), sorted(set(t))) for c, t in counts.items()), key=lambda x: (-x[1], x[0]))

    @cached_property
    def supplier_list_pages(self) -> list[SupplierListPage]:
        """The supplier list split by country when it is too long for one page (empty: one page).

        Thousands of rows on one page make it megabytes large and slow to open on a phone, and
        Material repeats every page in the search index; per country (at most SUPPLIERS_PER_PAGE
        rows a page) each page stays small, and the list page shows one row per country.
        """
        if len(self.d.suppliers) <= SUPPLIERS_PER_PAGE:
            return []
        by_country: dict[str, list[Any]] = defaultdict(list)
        for supplier in self.d.suppliers:
            by_country[supplier.country].append(supplier)
        pages = []
        for country, rows in sorted(by_country.items(), key=lambda item: (self.fmt.country(item[0]), item[0])):
            parts = [rows[i:i + SUPPLIERS_PER_PAGE] for i in range(0, len(rows), SUPPLIERS_PER_PAGE)]
            for number, part in enumerate(parts, start=1):
                name = country.lower() if number == 1 else f"{country.lower()}-{number}"
                pages.append(SupplierListPage(f"{self.prefix}suppliers/by-country/{name}.md", country, number,
                                              len(parts), tuple(part)))
        return pages

    def matrix_cells(self) -> dict[tuple[int, int], list[RiskView]]:
        cells: dict[tuple[int, int], list[RiskView]] = defaultdict(list)
        for v in self.risks:
            if v.risk.status is not RiskStatus.CLOSED:
                cells[(v.band, v.risk.likelihood)].append(v)
        return cells

    def theme_key(self, key: str) -> str:
        return self.theme(Theme(key))

    def theme(self, theme: Theme) -> str:
        category, nl, en = THEME_LABELS[theme]
        return nl if self.fmt.language == "nl" else en

    def country_context(self, risk: Risk) -> list[Any]:
        """Open data on the risk's countries (ILAB goods list, WGI) for the risk page."""
        from .country_context import country_context

        return country_context(risk, self.d, self.fmt.language)

    @property
    def reference(self) -> Any:
        """The shipped reference data (sources, editions, list counts) for the method and risk pages."""
        from . import reference

        return reference


def _only(table: Mapping[str, Any], ids: Iterable[str]) -> dict[str, Any]:
    return {i: table[i] for i in ids if i in table}


@dataclass(frozen=True)
class RiskLink:
    """A risk as other pages name it: title, priority and page (not its scores, which change yearly)."""

    id: str
    title: str
    priority: Priority
    page: str


@dataclass(frozen=True)
class SupplierScope:
    """What a supplier page shows (its `v`): the records the supplier names and the risks naming it.

    A detail page sees its scope and nothing else of the edition, so equal scopes give equal pages
    and the page is rendered once for every year that shows it alike (`memo`)."""

    products: dict[str, Any]
    materials: dict[str, Any]
    suppliers: dict[str, Any]
    risks_for_supplier: dict[str, list[RiskLink]]
    expired: tuple[Any, ...]
    """The supplier's certificates that had expired on the report date."""


@dataclass(frozen=True)
class RiskScope:
    """What a risk page shows (its `v`): the records the risk names, their actions and KPIs, and the
    open data on its countries."""

    risk_count: int | Later
    products: dict[str, Any]
    materials: dict[str, Any]
    customers: dict[str, Any]
    suppliers: dict[str, Any]
    actions_for_risk: dict[str, list[Any]]
    kpis_for_risk: dict[str, list[KpiView]]
    overdue_actions: frozenset[str]
    context: tuple[Any, ...]

    def overdue(self, action: Any) -> bool:
        return action.id in self.overdue_actions

    def country_context(self, risk: Risk) -> tuple[Any, ...]:
        return self.context

    @property
    def reference(self) -> Any:
        from . import reference

        return reference


@dataclass(frozen=True)
class KpiScope:
    """What a KPI page shows (its `v`): the risks it measures."""

    risk_by_id: dict[str, RiskView]


RANK, RISK_COUNT = Later("rank"), Later("total")
_PRINTS_MORE: set[tuple[bytes, str]] = set()
"""(template sources, template) of detail templates that do more with a `Later` number than print it."""


def _with_numbers(value: Any, late: tuple[tuple[Later, int], ...]) -> Any:
    """A scope or record (a dataclass) with its `Later` fields set to their numbers."""
    if not is_dataclass(value) or isinstance(value, type):
        return value
    numbers = [(later.name, number) for later, number in late]
    found = {f.name: next(n for name, n in numbers if name == getattr(value, f.name).name)
             for f in fields(value) if isinstance(getattr(value, f.name), Later)}
    return replace(value, **found) if found else value


def _at_root(view: Any, prefix: str) -> Any:
    """A risk or KPI view with its page as in the latest year's folder (detail pages are rendered there)."""
    return replace(view, page=view.page.removeprefix(prefix)) if prefix else view


def supplier_scope(views: Views, supplier: Any) -> SupplierScope:
    return SupplierScope(
        products=_only(views.products, supplier.products), materials=_only(views.materials, supplier.raw_materials),
        suppliers=_only(views.suppliers, supplier.supplies_to),
        risks_for_supplier={supplier.id: [RiskLink(v.risk.id, v.risk.title, v.priority, v.page.removeprefix(views.prefix))
                                          for v in views.risks_for_supplier.get(supplier.id, [])]},
        expired=tuple(c for c in supplier.certifications if c.valid_until and c.valid_until < views.as_of))


def risk_scope(views: Views, view: RiskView) -> RiskScope:
    risk = view.risk
    actions = views.actions_for_risk.get(risk.id, [])
    return RiskScope(
        risk_count=len(views.risks), products=_only(views.products, risk.products),
        materials=_only(views.materials, risk.raw_materials), customers=_only(views.customers, risk.customers),
        suppliers=_only(views.suppliers, risk.suppliers), actions_for_risk={risk.id: actions},
        kpis_for_risk={risk.id: [_at_root(k, views.prefix) for k in views.kpis_for_risk.get(risk.id, [])]},
        overdue_actions=frozenset(a.id for a in actions if views.overdue(a)),
        context=tuple(views.country_context(risk)))


def kpi_scope(views: Views, view: KpiView) -> KpiScope:
    return KpiScope(risk_by_id={i: _at_root(v, views.prefix) for i, v in _only(views.risk_by_id, view.kpi.risks).items()})


def _table_rows(table: SuppressedTable, label: Callable[[str], str]) -> list[tuple[str, str]]:
    return [(label(c.key), c.shown(table.k)) for c in table.cells]


@dataclass(frozen=True)
class YearLink:
    """One reporting year of the site: its year and the folder its pages live in ('' for the latest)."""

    year: int
    prefix: str


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept for the whole process, and between processes in Jinja's own per-user
    cache folder (in the temporary directory, made private to the user by Jinja).

    Each edition (year, language) gets its own environment, and `ddgen serve` renders again on every
    change; compiling ddgen's templates takes about half a second, more than rendering the example's
    pages, so every build would pay it first. Jinja checks the source's checksum and its own and
    Python's version, so an edited template in overrides/ddgen/ is compiled again. The folder is a
    cache only: where it cannot be made or written, templates are compiled as before."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}
        self._disk: BytecodeCache | None | bool = False  # False: not tried yet

    def _folder(self) -> BytecodeCache | None:
        if self._disk is False:
            try:
                self._disk = FileSystemBytecodeCache(pattern="ddgen-%s.cache")
            except (OSError, RuntimeError):  # no safe temporary folder: Jinja refuses one
                self._disk = None
        return self._disk  # type: ignore[return-value]

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            return
        disk = self._folder()
        if disk is not None:
            try:
                disk.load_bytecode(bucket)
            except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):  # damaged: compile
                bucket.reset()
            if bucket.code is not None:
                self.code[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
        disk = self._folder()
        if disk is not None:
            try:
                disk.dump_bytecode(bucket)
            except OSError:
                pass


_COMPILED = _CompiledTemplates()


class Renderer:
    def __init__(self, edition: Edition, language: str, project: Path | None = None, prefix: str = "",
                 years: tuple[YearLink, ...] = (), changes: Changes | None = None,
                 frameworks: Mapping[str, Any] | None = None) -> None:
        self.edition = edition
        self.frameworks = frameworks or {}
        self.prefix = prefix
        self.years = years
        self.changes = changes
        self.paths = {name: prefix + path for name, path in PAGES.items()}
        self.fmt = Formatter(language)
        self.views = Views(edition, self.fmt, prefix)
        self._labels: dict[str, Markup] = {}
        self._bare: dict[str, str] = {}
        """Step pages as rendered, before the year switcher: the printable report reuses them."""
        self._templates: dict[str, Template] = {}
        loaders: list[Any] = []
        if project is not None and (project / "overrides" / "ddgen").is_dir():
            loaders.append(FileSystemLoader(str(project / "overrides" / "ddgen")))
        loaders.append(PackageLoader("ddgen", "templates"))
        self.env = Environment(
            loader=ChoiceLoader(loaders), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True, autoescape=True, finalize=_finalize, bytecode_cache=_COMPILED,
            auto_reload=False,  # one environment per edition and round: a changed template gets a new one
        )
        self.env.filters.update({
            "para": paragraphs, "inline": inline, "label": self.fmt.label, "date": self.fmt.date, "month": self.fmt.month, "num": self.fmt.number,
            "pct": self.fmt.percent, "country": self.fmt.country, "theme": self.views.theme,
            "e": lambda v: Markup(escape_text(v)), "cell": lambda v: Markup(escape_text(v)),
            "lang": self.fmt.language_name,
        })
        self.env.globals.update({
            "v": self.views, "d": edition.dossier, "fmt": self.fmt, "link": link, "edition": edition,
            "PAGES": self.paths, "Priority": Priority, "KpiStatus": KpiStatus, "Scope": Scope,
            "supplier_page": lambda ident: prefix + supplier_page(ident),
            "risk_page": lambda ident: prefix + risk_page(ident), "kpi_page": lambda ident: prefix + kpi_page(ident),
            "changes": changes, "years": years, "severity_of": severity,
            "periods": {p.year: p for p in edition.dossier.reporting_periods}, "CHANGES_PAGE": prefix + CHANGES_PAGE, "ARCHIVE_PAGE": ARCHIVE_PAGE,
            "EXPECTED_ACTIONS": EXPECTED_ACTIONS, "IRREMEDIABILITY_WEIGHT": IRREMEDIABILITY_WEIGHT,
            "SEVERITY_DIVISOR": SEVERITY_DIVISOR, "ON_TRACK_TOLERANCE": ON_TRACK_TOLERANCE,
            "priority_of": priority_of, "expected_action": expected_action, "table_rows": _table_rows,
            "raw": Markup, "charts": charts, "suppressed": self._suppressed,
            "matrix_points": self._matrix_points(), "cell_priority": lambda band, likelihood: priority_of(band, likelihood).value,
            "level_names": {i: str(i) for i in range(1, 6)},
            "priority_names": {p.value: self.fmt.label(p) for p in Priority},
            "kpi_points": lambda kpi: [(m.year, m.value) for m in sorted(kpi.values, key=lambda m: m.year)],
            "_": self._label, "remembered": self._remembered_part,
            "supplier_count_text": lambda n: self.fmt.n_("%(num)s supplier", "%(num)s suppliers", n) % {"num": n},
            "plain": lambda message, **values: self.fmt._(message) % values if values else self.fmt._(message),
            "n_": lambda singular, plural, n, **values: translate(self.fmt.n_(singular, plural, n), {"num": n, **values}),
        })

    def _label(self, message: str, **values: Any) -> Markup:
        """A translated, escaped label; one without placeholders is worked out once per edition."""
        if values:
            return translate(self.fmt._(message), values)
        done = self._labels.get(message)
        if done is None:
            done = self._labels[message] = translate(self.fmt._(message), {})
        return done

    def _template(self, name: str) -> Template:
        """The compiled template, looked up once per edition (Jinja would stat its file on every page)."""
        template = self._templates.get(name)
        if template is None:
            template = self._templates[name] = self.env.get_template(name)
        return template

    def _matrix_points(self) -> list[Any]:
        # No links inside the chart: it is role="img", so screen readers would never hear them; the
        # table next to it links every risk.
        return [charts.MatrixPoint(v.risk.id, v.risk.title, v.band, v.risk.likelihood, v.priority.value, None)
                for v in self.views.risks if v.risk.status is not RiskStatus.CLOSED]

    def _suppressed(self, table: SuppressedTable, label: Callable[[str], str]) -> list[tuple[str, str]]:
        return _table_rows(table, label)

    def page(self, template: str, path: str, **extra: Any) -> str:
        def to(target: str, label: Any) -> Markup:
            return page_link(label, target, path)

        def url(target: str) -> str:
            return href(path, target)

        text = self._bare[path] = self._template(template).render(page=path, to=to, href=url, **extra)
        return self._with_year_switch(text, path) if len(self.years) > 1 else text

    def detail(self, template: str, path: str, scope: Any, late: tuple[tuple[Later, int], ...] = (),
               **record: Any) -> str:
        """A page about one record (supplier, risk, KPI, a country's suppliers), made from the record and
        its scope alone (as `v`; the edition-wide names are undefined there). It is rendered as if it
        were in the latest year's folder: its links are relative, so the text is the same in every
        year that shows the record alike, and it is rendered once and remembered (`memo.PAGE_MEMO`).
        `scope` and `record` hold year-free paths, and `Later` markers for the numbers in `late` (a
        risk's rank), which are put in after: a template that does more than print them is rendered
        with the numbers themselves."""
        at = path.removeprefix(self.prefix)
        if late and (self._sources, template) in _PRINTS_MORE:
            scope, record, late = _with_numbers(scope, late), {k: _with_numbers(v, late) for k, v in record.items()}, ()
        try:
            text = self._remembered(template, at, scope, record)
        except TypeError:
            if not late:
                raise
            _PRINTS_MORE.add((self._sources, template))
            return self.detail(template, path, scope, late, **record)
        text = put_in(text, late) if late else text
        return self._with_year_switch(text, path) if len(self.years) > 1 else text

    def _remembered(self, template: str, at: str, scope: Any, record: dict[str, Any]) -> str:
        def to(target: str, label: Any) -> Markup:
            return page_link(label, target, at)

        def url(target: str) -> str:
            return href(at, target)

        return PAGE_MEMO.made(
            fingerprint(self._sources, self.fmt.language, template, at, scope, record),
            lambda: self._template(template).render(page=at, to=to, href=url, v=scope, **self._hidden, **record))

    @pass_context
    def _remembered_part(self, context: Context, name: str, macro: Macro, record: Any) -> Markup:
        """What `macro` makes of `record` (a row of a long table), remembered under `name` like a detail
        page: the macro may use the record and the page's links, nothing else of the page."""
        return Markup(PAGE_MEMO.made(fingerprint(self._sources, self.fmt.language, name, context["page"], record),
                                     lambda: str(macro(record))))

    def fingerprint(self) -> bytes:
        """What this edition's pages are made from: equal fingerprints, equal pages (`ddgen serve`)."""
        return fingerprint(self._sources, self.fmt.language, self.prefix, self.years, self.changes,
                           self.edition, self.frameworks)

    @cached_property
    def _sources(self) -> bytes:
        """A digest of every template's source (packaged and overrides): an edited template renders anew."""
        digest = hashlib.blake2b(digest_size=16)
        for name in sorted(self.env.list_templates()):
            source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            digest.update(name.encode() + b"\0" + source.encode() + b"\0")
        return digest.digest()

    @cached_property
    def _hidden(self) -> dict[str, Any]:
        """The edition-wide names, undefined on detail pages, with what to use instead."""
        hint = ("a page about one record (supplier, risk, KPI, a country's suppliers) shows that record "
                "and `v`, the records it names; '%s' is only available on the step pages")
        hidden: dict[str, Any] = {name: self.env.undefined(hint=hint % name, name=name) for name in DETAIL_HIDDEN}
        return {**hidden, "PAGES": dict(PAGES), "supplier_page": supplier_page, "risk_page": risk_page,
                "kpi_page": kpi_page, "CHANGES_PAGE": CHANGES_PAGE}

    def _with_year_switch(self, text: str, path: str) -> str:
        """After the page title, links to the same page in the other reporting years."""
        same = path.removeprefix(self.prefix)
        label = translate(self.fmt._("Report year"), {})
        links = []
        for year in self.years:
            if year.prefix == self.prefix:
                links.append(f'<strong aria-current="page">{year.year}</strong>')
            else:
                links.append(f'<a href="{href(path, year.prefix + same)}">{year.year}</a>')
        switch = (f'<nav class="ddgen-years" aria-label="{label}"><span>{label}:</span> '
                  + " · ".join(links) + "</nav>\n\n")
        head, newline, rest = text.partition("\n")
        return f"{head}{newline}\n{switch}{rest}" if head.startswith("# ") else switch + text

    def render(self) -> Rendered:
        """Every page and download of the edition."""
        return self.finish(self.render_pages(), self.supplier_pages(), self.download_files())

    def pages_without_downloads(self) -> Rendered:
        """Every page but the downloads page, and no files: what `ddgen serve`'s helper process renders
        of the year before the latest, while the other process makes its downloads and the page listing
        them (`finish(part, download_files())`, which gives what `render` gives)."""
        pages, suppliers = self.render_pages(), self.supplier_pages()
        return Rendered({**pages.pages, **suppliers.pages}, {}, pages.nav, pages.not_in_nav)

    def supplier_pages(self) -> Rendered:
        """The supplier pages, one per supplier: with the downloads about half of a large report's work,
        which needs nothing else rendered first, so a render worker can make it (build)."""
        out = Rendered()
        prefix, views = self.prefix, self.views
        # A long list leaves its detail pages out of the site search: thousands of them would make the
        # search index tens of megabytes; the country pages still find every supplier by name.
        unsearched = "---\nsearch:\n  exclude: true\n---\n\n" if views.supplier_list_pages else ""
        for s in self.edition.dossier.suppliers:
            out.pages[prefix + supplier_page(s.id)] = unsearched + self.detail(
                "pages/supplier.md.j2", prefix + supplier_page(s.id), supplier_scope(views, s), s=s)
        return out

    def download_files(self) -> Rendered:
        """The files under downloads/ (CSV, JSON, XLSX): they depend on the edition alone."""
        return Rendered(files={f"{self.prefix}downloads/{name}": data for name, data in downloads(self.edition).items()})

    def render_pages(self) -> Rendered:
        """Every page but the supplier pages and the downloads page (which lists the files' sizes)."""
        out = Rendered()
        prefix, views = self.prefix, self.views
        for name, path in self.paths.items():
            if name != "downloads":
                out.pages[path] = self.page(f"pages/{name}.md.j2", path)
        for part in views.supplier_list_pages:  # a country's page is the same in every year its suppliers are
            out.pages[part.page] = self.detail("pages/suppliers_country.md.j2", part.page, None,
                                               part=replace(part, page=part.page.removeprefix(prefix)))
        count = len(views.risks)
        for view in views.risks:  # remembered without the rank, which moves whenever another risk does
            out.pages[view.page] = self.detail(
                "pages/risk.md.j2", view.page, replace(risk_scope(views, view), risk_count=RISK_COUNT),
                ((RANK, view.rank), (RISK_COUNT, count)), r=_at_root(replace(view, rank=RANK), prefix))
        for view in views.kpis:
            out.pages[view.page] = self.detail("pages/kpi.md.j2", view.page, kpi_scope(views, view),
                                               k=_at_root(view, prefix))
        out.nav = self.nav()
        section = self.framework_pages(out)
        at = next((i for i, entry in enumerate(out.nav) if self.fmt._("How we assess") in entry), len(out.nav))
        out.nav[at:at] = section
        out.pages.update(self.printable())
        if self.changes is not None:
            out.pages[prefix + CHANGES_PAGE] = self.page("pages/changes.md.j2", prefix + CHANGES_PAGE)
        if not prefix and len(self.years) > 1:
            out.pages[ARCHIVE_PAGE] = self.page("pages/archive.md.j2", ARCHIVE_PAGE)
        out.not_in_nav = [f"/{prefix}suppliers/*.md", f"/{prefix}suppliers/by-country/*.md",
                          f"/{prefix}risks/*.md", f"/{prefix}monitoring/*.md",
                          f"/{prefix}{PRINT_PAGE}", f"/{prefix}print-*.md"]
        return out

    def finish(self, pages: Rendered, *parts: Rendered) -> Rendered:
        """The edition's pages with its other parts (supplier pages, downloads), and the downloads page
        listing the files."""
        prefix = self.prefix
        out = Rendered(dict(pages.pages), {}, pages.nav, pages.not_in_nav)
        for part in parts:
            out.pages.update(part.pages)
            out.files.update(part.files)
        out.pages[self.paths["downloads"]] = self.page(
            "pages/downloads.md.j2", self.paths["downloads"], download_list=self.download_list(),
            download_sizes={k.removeprefix(f"{prefix}downloads/"): len(b) for k, b in out.files.items()})
        return out

    def framework_pages(self, out: Rendered) -> list[Any]:
        """The framework index pages the company publishes (and, in the internal edition, the coverage
        page), rendered after the step pages so that every location links to a section that exists."""
        if not self.frameworks:
            return []
        prefix = self.prefix
        records = {"risk": lambda i: prefix + risk_page(i), "supplier": lambda i: prefix + supplier_page(i),
                   "kpi": lambda i: prefix + kpi_page(i)}
        # Supplier pages exist (one per supplier) but may be rendered elsewhere: locations only need their paths.
        built = {**{prefix + supplier_page(s.id): "" for s in self.edition.dossier.suppliers}, **out.pages}
        fv = build_views(self.edition, self.frameworks, self.paths, built, records, self.fmt, self.views, prefix)
        entries: list[Any] = []
        for fp in fv.page_list:
            out.pages[prefix + fp.path] = self.page(fp.template, prefix + fp.path, fp=fp, fv=fv, Status=Status)
            entries.append({fp.title: prefix + fp.path})
        if fv.has_coverage_page():
            out.pages[prefix + COVERAGE_PAGE] = self.page("pages/coverage.md.j2", prefix + COVERAGE_PAGE, fv=fv,
                                                          Status=Status)
            entries.append({self.fmt._("Coverage (internal)"): prefix + COVERAGE_PAGE})
        return [{self.fmt._("Reporting frameworks"): entries}] if entries else []

    def printable(self) -> dict[str, str]:
        """The whole report on one page for printing: every step page rendered again as if it lived at
        print.md (so its links resolve from there), headings moved one level down under one title.

        A large report (hundreds of risks and actions) is printed in parts of at most PRINT_PART_CHARS
        of Markdown, print.md, print-2.md ..., each ending with a link to the next, so no page grows
        past a few megabytes."""
        path = self.prefix + PRINT_PAGE
        years, self.years = self.years, ()  # one year switcher, at the top, is enough
        sections = [self._bare.get(self.paths[name]) if _same_links(self.paths[name], path) else None
                    for name in PRINTED]
        sections = [text if text is not None else self.page(f"pages/{name}.md.j2", path)
                    for name, text in zip(PRINTED, sections, strict=True)]
        self.years = years
        parts: list[list[str]] = [[]]
        for text in sections:
            if parts[-1] and sum(map(len, parts[-1])) + len(text) > PRINT_PART_CHARS:
                parts.append([])
            parts[-1].append(re.sub(r"^(#+) ", r"#\1 ", text, flags=re.M))
        names = [path, *(f"{self.prefix}print-{n}.md" for n in range(2, len(parts) + 1))]
        pages = {}
        for number, (name, part) in enumerate(zip(names, parts, strict=True), start=1):
            body = "\n\n".join(part)
            if number < len(parts):
                label = translate(self.fmt._("part %(number)s of %(parts)s"), {"number": number + 1, "parts": len(parts)})
                body += "\n\n" + translate(self.fmt._("The printable report continues in %(link)s."),
                                             {"link": page_link(label, names[number], name)})
            pages[name] = self.page("pages/print.md.j2", name, body=Markup(body))
        return pages

    def download_list(self) -> list[tuple[str, Markup]]:
        _ = self.env.globals["_"]
        return [
            ("suppliers.csv", _("Supplier list (CSV, UTF-8)")),
            ("suppliers.xlsx", _("Supplier list (Excel)")),
            ("suppliers.json", _("Supplier list (JSON)")),
            ("open-supply-hub.csv", _("Supplier list for upload to Open Supply Hub (CSV, its upload template)")),
            ("transparency-pledge.csv", _("Supplier list with the Transparency Pledge fields (CSV, English headers)")),
            ("certifications.csv", _("Certificates of suppliers with number and expiry date (CSV)")),
            ("products.csv", _("Products and services with their raw materials and origins (CSV)")),
            ("raw_materials.csv", _("Raw materials and their countries of origin (CSV)")),
            ("risks.csv", _("Risk register with scores and priority (CSV)")),
            ("actions.csv", _("Actions and corrective action plans (CSV)")),
            ("kpis.csv", _("Indicators with their values per year (CSV)")),
            ("due-diligence.xlsx", _("All tables above in one Excel workbook, a sheet per record type")),
            ("datapackage.json", _("Description of the CSV files as a Frictionless data package (field types, keys)")),
        ]

    def nav(self) -> list[Any]:
        _ = self.fmt._
        return [
            {_("At a glance"): PAGES["home"]},
            {_("1 Policy and embedding"): PAGES["policy"]},
            {_("2 Value chain and risks"): [
                {_("Value chain"): PAGES["value_chain"]},
                {_("Supplier list"): PAGES["suppliers"]},
                {_("Risks and priorities"): PAGES["risks"]},
            ]},
            {_("3 Actions"): PAGES["actions"]},
            {_("4 Monitoring"): PAGES["monitoring"]},
            {_("5 Communication"): PAGES["communication"]},
            {_("6 Grievances and remedy"): PAGES["grievances"]},
            {_("How we assess"): PAGES["method"]},
            {_("Downloads"): PAGES["downloads"]},
            *([{_("What changed"): CHANGES_PAGE}] if self.changes is not None else []),
            *([{_("Earlier reports"): ARCHIVE_PAGE}] if len(self.years) > 1 else []),
        ]


def render(edition: Edition, language: str = "nl", project: Path | None = None, prefix: str = "",
           years: tuple[YearLink, ...] = (), changes: Changes | None = None,
           frameworks: Mapping[str, Any] | None = None) -> Rendered:
    return Renderer(edition, language, project, prefix, years, changes, frameworks).render()


def count_by(values: Iterable[str]) -> list[tuple[str, int]]:
    return sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))


def cells_table(table: SuppressedTable) -> Sequence[Cell]:
    return table.cells
