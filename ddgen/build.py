"""Build: check -> publish -> render -> MkDocs, writing the site atomically.

The generated Markdown and the hand-written pages of `content/` are laid out in a staging folder
(`.ddgen/<scope>/docs`, git-ignored), next to a generated `mkdocs.yml` that INHERITs the project's
own, so the project keeps its theme settings while ddgen sets the navigation, paths and data-driven
values (company name, report language). MkDocs builds into a temporary folder beside the output,
which replaces the previous site only when everything succeeded: bad data or a failed build leaves
the old site untouched and no partial site behind. `SOURCE_DATE_EPOCH` is set from the report date,
so the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import logging
import multiprocessing
import os
import pickle
import re
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError

from .derive.history import as_of_period, compare
from .frameworks import load_frameworks
from .model.common import LANGUAGES, Scope, text_in
from .pipeline import Checked, check, collector_paused, objects_frozen
from .problems import Problem, Report, Span, problem
from .publish import publish
from .render import Rendered, Renderer, YearLink

ASSETS = ("ddgen.css", "ddgen.js")
PUBLIC_MARKER = '<meta name="ddgen-scope" content="public">'


class BuildRefused(Exception):
    """The command line asked for something ddgen will not do (exit 2)."""


@dataclass
class BuildResult:
    report: Report
    site: Path | None = None
    pages: int = 0
    messages: list[str] = field(default_factory=list)
    release: tuple[Path, Path] | None = None
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage: load, validate, derive (check), render (publish, render, staging), site (MkDocs)."""

    @property
    def ok(self) -> bool:
        return self.site is not None and not self.report.errors


def settings_file(project: Path) -> Path:
    """The project's mkdocs.yml, or ddgen's default settings (those `ddgen init` writes) when it has none."""
    own = project / "mkdocs.yml"
    return own.resolve() if own.is_file() else Path(str(resources.files("ddgen") / "scaffold" / "project" / "mkdocs.yml"))


def read_project_config(project: Path) -> dict[str, Any]:
    """The project's mkdocs.yml (or the default) as MkDocs reads it (tags such as !ENV included)."""
    from mkdocs.utils.yaml import yaml_load

    path = settings_file(project)
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        loaded = yaml_load(fh)
    return loaded if isinstance(loaded, dict) else {}


def public_site_dir(project: Path, config: dict[str, Any]) -> Path:
    return (project / str(config.get("site_dir", "site"))).resolve()


def _is_public_site(folder: Path) -> bool:
    index = folder / "index.html"
    try:
        return index.is_file() and PUBLIC_MARKER in index.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def resolve_output(project: Path, config: dict[str, Any], output: Path | None, scope: Scope) -> Path:
    """Where to build; a review edition may never land in (or over) the public site."""
    public = public_site_dir(project, config)
    target = (output or public).resolve() if output is None or output.is_absolute() else (Path.cwd() / output).resolve()
    if scope is not Scope.PUBLIC:
        if output is None:
            raise BuildRefused(f"a {scope.value} edition needs its own folder: add -o FOLDER (not {public}).")
        if target == public or public in target.parents or target in public.parents or _is_public_site(target):
            raise BuildRefused(
                f"{target} is (or holds) the public site; write the {scope.value} edition to another folder.")
    return target


def content_root(project: Path, config: dict[str, Any], language: str) -> Path:
    """Hand-written pages: content/<language>/ when the project keeps one folder per language, else content/."""
    content = project / str(config.get("docs_dir", "content"))
    return content / language if (content / language).is_dir() else content


def _content_pages(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file()
                  and not any(x.startswith(".") or x in LANGUAGES for x in p.relative_to(root).parts))


def _banner(scope: Scope, language: str) -> str:
    from .i18n import Formatter
    from .render import escape_text

    _ = Formatter(language)._
    text = {
        Scope.PARTNER: _("Partner edition: contains information shared under agreement. Do not publish or pass on."),
        Scope.INTERNAL: _("Internal edition: for management only. Contains confidential information. Do not publish."),
    }[scope]
    return f'<div class="ddgen-scope-banner" role="note"><strong>{escape_text(text)}</strong></div>\n\n'


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """Write `path` unless it already holds exactly these bytes; True when it was written.

    An unchanged file keeps its modification time, so MkDocs' own change detection (`ddgen serve`)
    rebuilds only the pages whose Markdown really changed.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    _write(path, data)
    return True


def sync_folder(folder: Path, wanted: Mapping[str, bytes | str],
                last: Mapping[str, bytes | str] | None = None) -> list[str]:
    """Make `folder` hold exactly `wanted` (relative path -> bytes, or text written as UTF-8): the same
    end state as writing it afresh, but files that did not change are not touched. Returns the paths
    written or removed.

    `last`: what the previous call wrote into this folder, which nothing else writes to (`ddgen
    serve`'s staging folder): files equal to it are neither read nor written."""
    if last is None:
        changed = [rel for rel, data in sorted(wanted.items()) if write_if_changed(folder / rel, data)]
        gone = [path for path in sorted(folder.rglob("*"), reverse=True)  # children before their folders
                if path.is_file() and path.relative_to(folder).as_posix() not in wanted] if folder.is_dir() else []
    else:
        changed = [rel for rel, data in sorted(wanted.items())
                   if not _same(last.get(rel), data) and write_if_changed(folder / rel, data)]
        gone = [folder / rel for rel in sorted(set(last) - set(wanted), reverse=True) if (folder / rel).is_file()]
    for path in gone:
        path.unlink()
        changed.append(path.relative_to(folder).as_posix())
        for parent in path.parents:  # folders left empty go too
            if parent == folder or any(parent.iterdir()):
                break
            parent.rmdir()
    if last is None and folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


def _same(before: bytes | str | None, now: bytes | str) -> bool:
    return before is now or (before is not None and type(before) is type(now) and before == now)


def docs_files(project: Path, config: dict[str, Any], rendered: Rendered, scope: Scope,
               language: str) -> tuple[dict[str, bytes | str], list[Problem]]:
    """The docs folder MkDocs reads, by path: content/ pages, generated pages (text) and files, ddgen's assets."""
    wanted: dict[str, bytes | str] = {}
    problems: list[Problem] = []
    content_dir = content_root(project, config, language)
    for source in _content_pages(content_dir):
        rel = source.relative_to(content_dir).as_posix()
        if rel in rendered.pages or rel in rendered.files:
            problems.append(problem(
                "DDG010", Span(source.relative_to(project).as_posix()),
                f"{rel} in content/ has the same name as a page ddgen generates.",
                "rename the hand-written page; to change a generated page, put a template in overrides/ddgen/."))
            continue
        data = source.read_bytes()
        if scope is not Scope.PUBLIC and source.suffix == ".md":
            data = _banner(scope, language).encode() + data
        wanted[rel] = data
    banner = _banner(scope, language) if scope is not Scope.PUBLIC else ""
    for rel, text in rendered.pages.items():
        wanted[rel] = banner + text if banner else text  # str: no second copy of every page in memory
    wanted.update(rendered.files)
    for name in ASSETS:
        wanted[f"assets/ddgen/{name}"] = (resources.files("ddgen") / "templates" / "assets" / name).read_bytes()
    return wanted, problems


def stage(project: Path, config: dict[str, Any], rendered: Rendered, scope: Scope, language: str,
          staging: Path) -> list[Problem]:
    """Lay out the docs folder on disk (`ddgen serve`, whose MkDocs rebuilds pages by modification time).

    Only files whose bytes change are written and files no longer generated are removed, so the
    folder ends exactly as if written afresh while `ddgen serve` rebuilds only what changed.
    """
    wanted, problems = docs_files(project, config, rendered, scope, language)
    if not problems:
        sync_folder(staging / "docs", wanted)
    return problems


class _DocsInMemory:
    """A MkDocs plugin handing over the docs folder's files from memory (`ddgen build`): writing tens of
    thousands of pages to disk only for MkDocs to read them back took longer than rendering them.
    The files take the places `get_files` would give them on disk, so the site is the same."""

    def __init__(self, docs: dict[str, bytes | str]) -> None:
        self.docs = docs

    def on_files(self, files: Any, config: Any) -> Any:
        from mkdocs.structure.files import File, Files, file_sort_key

        made = sorted((File.generated(config, rel, content=data) for rel, data in self.docs.items()),
                      key=file_sort_key)
        return Files([*made, *(f for f in files if f.src_uri not in self.docs)])


def _footer(checked: Checked, language: str, scope: Scope) -> dict[str, Any]:
    """Values for the theme's footer: the reporting period and the downloads link, in the report language."""
    from .i18n import Formatter

    fmt = Formatter(language)
    period = checked.dossier.period
    values: dict[str, Any] = {"scope": scope.value, "downloads_label": fmt._("Data downloads"),
                              "made_with": fmt._("Made with")}
    if period is not None:
        values["period_text"] = fmt._("Due diligence report %(year)s, reporting period %(start)s to %(end)s") % {
            "year": period.year, "start": fmt.date(period.start), "end": fmt.date(period.end)}
    return values


THEME_FIXES = ("assets/stylesheets/material-fixes.css", "assets/javascripts/material-fixes.js")


def theme_layer(project: Path, config: dict[str, Any], staging: Path) -> Path:
    """The theme overrides MkDocs uses: ddgen's fixes to Material (validity and accessibility, in the
    package, so every project gets them and they follow ddgen's version), with the project's own
    `overrides/` (theme.custom_dir) laid over them."""
    layer = staging / "theme"
    if layer.exists():
        shutil.rmtree(layer)
    shutil.copytree(Path(str(resources.files("ddgen") / "theme")), layer)
    custom = (config.get("theme") or {}).get("custom_dir")
    source = (project / str(custom)).resolve() if custom else None
    if source is not None and source.is_dir():
        shutil.copytree(source, layer, dirs_exist_ok=True, ignore=shutil.ignore_patterns("ddgen", "README.md"))
    return layer


def mkdocs_config(project: Path, config: dict[str, Any], rendered: Rendered, checked: Checked, scope: Scope,
                  staging: Path, site: Path, content: list[str | dict[str, str]], language: str,
                  docs_dir: Path) -> dict[str, Any]:
    """The generated config: INHERITs the project's mkdocs.yml and sets what comes from data."""
    dossier = checked.dossier
    company = dossier.company
    period = dossier.period
    generated: dict[str, Any] = {
        "INHERIT": str(settings_file(project)),
        "docs_dir": str(docs_dir),
        "site_dir": str(site),
        "use_directory_urls": True,
        "not_in_nav": "\n".join(rendered.not_in_nav),
        "extra_css": [THEME_FIXES[0], *config.get("extra_css", []), "assets/ddgen/ddgen.css"],
        "extra_javascript": [THEME_FIXES[1], *config.get("extra_javascript", []), "assets/ddgen/ddgen.js"],
        "extra": {"ddgen": _footer(checked, language, scope)},
    }
    generated["theme"] = {"custom_dir": str(theme_layer(project, config, staging))}
    if "nav" not in config:
        generated["nav"] = [*rendered.nav, *content]  # entries: a path, or {title: path} (content_entry)
    if company is not None:
        generated["site_name"] = text_in(company.name, language)
        if company.logo:
            generated.setdefault("theme", {})["logo"] = company.logo
        if period is not None and "copyright" not in config:
            generated["copyright"] = text_in(company.legal_name or company.name, language)
    return generated


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _build_environment(as_of: date) -> Iterator[_Collector]:
    """Reproducible time for MkDocs (sitemap dates) and quiet logs, restored afterwards."""
    saved = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp()))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    collector = _Collector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _mark_public(site: Path) -> None:
    """Tag the public home page so a review edition can never be written over it."""
    index = site / "index.html"
    if index.is_file():
        text = index.read_text(encoding="utf-8")
        if PUBLIC_MARKER not in text:
            index.write_text(text.replace("<head>", "<head>\n    " + PUBLIC_MARKER, 1), encoding="utf-8")


def _swap(built: Path, target: Path) -> None:
    """Replace `target` with `built` in two renames, so readers never see a half-written site."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    built.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_release(site: Path, release_dir: Path, name: str, when: date) -> tuple[Path, Path]:
    """Zip the built site (its downloads hold the public data) with one fixed timestamp and sorted
    entries, plus a sha256sum-style checksum file: the same input gives the same bytes."""
    release_dir.mkdir(parents=True, exist_ok=True)
    archive = release_dir / f"{name}.zip"
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{name}/{path.relative_to(site).as_posix()}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    archive.write_bytes(buffer.getvalue())
    checksum = release_dir / f"{name}.zip.sha256"
    checksum.write_text(f"{hashlib.sha256(buffer.getvalue()).hexdigest()}  {archive.name}\n", encoding="utf-8")
    return archive, checksum


def release_name(checked: Checked, scope: Scope) -> str:
    """A file name from the data: company slug, year and (for review editions) the scope."""
    company = checked.dossier.company
    name = text_in(company.name, "en") if company else "report"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "report"
    period = checked.dossier.period
    suffix = "" if scope is Scope.PUBLIC else f"-{scope.value}"
    return f"{slug}-due-diligence-{period.year if period else 'report'}{suffix}"


def project_languages(checked: Checked, config: dict[str, Any]) -> tuple[str, ...]:
    """The report's languages: `report.languages` in the data, else mkdocs.yml's theme language."""
    settings = checked.dossier.settings
    if settings.languages:
        return tuple(settings.languages)
    return (str((config.get("theme") or {}).get("language", "nl")),)


ROOT_REDIRECT = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={first}/">
<link rel="canonical" href="{first}/">
</head>
<body>
<main>
<h1>{title}</h1>
<ul>
{links}
</ul>
</main>
</body>
</html>
"""


def _root_page(languages: tuple[str, ...], title: str) -> str:
    """The site root of a report in several languages: sends readers to the first language, and
    lists every language for those whose browser does not follow the redirect."""
    from babel import Locale

    links = "\n".join(
        f'<li><a href="{code}/" hreflang="{code}" lang="{code}">{html.escape(Locale(code).display_name.capitalize())}</a></li>'
        for code in languages)
    return ROOT_REDIRECT.format(lang=languages[0], title=html.escape(title), first=languages[0], links=links)


PARALLEL_FROM = 2000
"""Supplier pages (over all years) from which a render worker pays for its start (tens of milliseconds)."""


def render_workers() -> int:
    """Processes that may render at once: DDGEN_WORKERS, else the cores this process may use (at most 2:
    the render splits in two parts). Only on Linux: the worker is a fork, which Windows lacks and
    which macOS's system libraries do not support."""
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    setting = os.environ.get("DDGEN_WORKERS", "")
    if setting.isdigit() and int(setting) > 0:
        return min(int(setting), 2)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, 2)


YearsKept = dict[tuple[str, int], tuple[bytes, Rendered]]
"""`ddgen serve`'s rendered years from the last round, by (language, year), with their inputs' fingerprint."""
Elsewhere = Callable[[tuple[str, int], bytes], "Rendered | None"]
"""A reporting year rendered by another process (`ddgen serve`'s helper), asked for by (language, year)
and the fingerprint of its inputs: what the helper made of that year (see `helper_makes_downloads`) if
it was made from the same inputs, else None."""


def helper_makes_downloads(index: int) -> bool:
    """Whether `ddgen serve`'s helper makes the downloads of the year at `index` (0: the latest), or only
    its pages: it makes them for every earlier year but the one before the latest, whose downloads
    this process makes after the latest year, so that at three years both processes take about as
    long."""
    return index >= 2


def year_renderers(checked: Checked, scope: Scope, language: str, project: Path,
                   earlier_only: bool = False) -> tuple[tuple[YearLink, ...], list[Renderer]]:
    """A renderer per reporting year, the latest first: each year's edition as the records stood then,
    with what changed since the year before. `earlier_only`: none for the latest year (whose edition
    is then not even made)."""
    dossier = checked.dossier
    periods = sorted(dossier.reporting_periods, key=lambda p: p.year, reverse=True)
    latest = periods[0].year if periods else None
    first = 1 if earlier_only else 0
    editions = {}
    for period in periods[first:]:
        then = dossier if period.year == latest else as_of_period(dossier, period)
        day = checked.as_of if period.year == latest else period.report_date
        editions[period.year] = publish(then, scope, day, language)
    years = tuple(YearLink(p.year, "" if p.year == latest else f"{p.year}/") for p in periods)
    frameworks, _ = load_frameworks(project)  # check reported their problems; a build only runs without errors
    renderers = []
    for index, period in enumerate(periods[first:], start=first):
        edition = editions[period.year]
        changes = None
        if index + 1 < len(periods):
            before = editions[periods[index + 1].year]
            changes = replace(compare(before.dossier, edition.dossier, before.as_of, edition.as_of),
                              grievances_before=before.grievances, grievances_now=edition.grievances)
        renderers.append(Renderer(edition, language, project, years[index].prefix,
                                  years if len(years) > 1 else (), changes, frameworks))
    return years, renderers


def render_years(checked: Checked, scope: Scope, language: str, project: Path,
                 parallel: bool | None = None, kept: YearsKept | None = None,
                 elsewhere: Elsewhere | None = None) -> Rendered:
    """Every reporting year's report in one language: the latest at the root, earlier ones under
    /<year>/, each rebuilt from today's records as they stood then, with a page of what changed.

    With `parallel` (default: when there are two cores and a large supplier list) a forked worker
    renders the supplier pages and downloads of every year while this process renders the rest; the
    result is the same, byte for byte (tested). `ddgen serve` renders without that fork (it runs
    server threads), with its memo, and passes `kept`: a year whose inputs (edition, what changed,
    templates, frameworks) are those of the last round is taken as it was, so an edit to this year's
    records renders this year only; and `elsewhere`, where its helper process offers the earlier
    years it rendered meanwhile."""
    years, renderers = year_renderers(checked, scope, language, project)
    if kept is not None:
        return _merge(years, [_render_kept(renderer, kept, (language, year.year), elsewhere if index else None,
                                           helper_makes_downloads(index))
                              for index, (renderer, year) in enumerate(zip(renderers, years, strict=True))])
    if parallel is None:
        supplier_pages = sum(len(r.edition.dossier.suppliers) for r in renderers)
        parallel = render_workers() > 1 and supplier_pages >= PARALLEL_FROM
    # The supplier pages of every year, in order (the earlier years reuse the latest year's pages from
    # the memo), then the downloads, which either process may take: whichever is free first.
    jobs = [*(r.supplier_pages for r in renderers), *(r.download_files for r in renderers)]
    worker = None
    if parallel:
        try:
            worker = Background(jobs, shared_from=len(renderers))
        except OSError:  # no process to be had (limits, memory): render in this one
            worker = None
    try:
        pages = [r.render_pages() for r in renderers]
        parts = worker.results() if worker is not None else [job() for job in jobs]
    finally:
        if worker is not None:
            worker.stop()
    n = len(renderers)
    return _merge(years, [r.finish(pages[i], parts[i], parts[n + i]) for i, r in enumerate(renderers)])


def _render_kept(renderer: Renderer, kept: YearsKept, key: tuple[str, int], elsewhere: Elsewhere | None,
                 complete: bool) -> Rendered:
    """One year's report: the last round's when its inputs are the same, else the helper's when it made
    it from the same inputs (`complete`: with the downloads, else they are made here), else rendered
    here."""
    inputs = renderer.fingerprint()
    last = kept.get(key)
    if last is not None and last[0] == inputs:
        return last[1]
    made = elsewhere(key, inputs) if elsewhere is not None else None
    part = (renderer.render() if made is None else made if complete
            else renderer.finish(made, renderer.download_files()))
    kept[key] = (inputs, part)
    return part


def _merge(years: tuple[YearLink, ...], parts: list[Rendered]) -> Rendered:
    """The years' reports as one site: the latest's navigation, earlier years out of it."""
    merged = Rendered()
    for index, part in enumerate(parts):
        merged.pages.update(part.pages)
        merged.files.update(part.files)
        merged.not_in_nav += part.not_in_nav if index == 0 else [f"/{years[index].prefix}"]
        if index == 0:
            merged.nav = part.nav
    return merged


class Background:
    """Jobs run one after the other in a forked copy of this process, while this one goes on; the
    jobs from `shared_from` on this process may take from the end of the queue once it is free
    (`results`), so neither waits for the other while work is left.

    The copy inherits every object, so nothing is pickled on the way in. Each job's result goes to a
    file of its own in a private folder, and only its name through the pipe: a result of a hundred
    megabytes sent through the pipe itself crossed it 64 KiB at a time, and each piece waited for
    this busy process to take it in, so the worker spent seconds blocked. An exception in the worker
    is raised again here."""

    def __init__(self, jobs: Iterable[Callable[[], Any]], shared_from: int | None = None) -> None:
        self._jobs = list(jobs)
        self._shared_from = len(self._jobs) if shared_from is None else shared_from
        context = multiprocessing.get_context("fork")
        # The queue: the worker takes the job at the front, this process the one at the back.
        self._ends = context.Array("i", [0, len(self._jobs)])
        self._folder = Path(tempfile.mkdtemp(prefix="ddgen-worker-"))
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_work_in_background, daemon=True,
                                        args=(self._jobs, self._ends, send, self._folder))
        try:
            with objects_frozen():  # the worker's collections would copy the memory it inherits
                self._process.start()
        except BaseException:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise
        send.close()

    def _take_last(self) -> int | None:
        """The last job no process has taken yet, if it may run here."""
        with self._ends.get_lock():
            front, back = self._ends[0], self._ends[1]
            if back <= front or back - 1 < self._shared_from:
                return None
            self._ends[1] = back - 1
            return back - 1

    def results(self) -> list[Any]:
        """Every job's result, in order: this process runs the shared jobs the worker has not begun."""
        out: dict[int, Any] = {}
        while (index := self._take_last()) is not None:
            out[index] = self._jobs[index]()
        while len(out) < len(self._jobs):
            try:
                status, index, value = self._receive.recv()
            except (EOFError, OSError):
                self._process.join()
                raise RuntimeError(
                    f"the render worker stopped without a result (exit code {self._process.exitcode})") from None
            if status == "error":
                raise value
            out[index] = pickle.loads(Path(value).read_bytes())
            Path(value).unlink()
        return [out[index] for index in range(len(self._jobs))]

    def stop(self) -> None:
        """Wait for the worker's end (ending it if this process gave up before its results)."""
        if self._process.is_alive():  # done once its results are read; still busy if this process gave up
            self._process.terminate()
        self._process.join()
        self._receive.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def _work_in_background(jobs: list[Callable[[], Any]], ends: Any, send: Any, folder: Path) -> None:
    try:
        while True:
            with ends.get_lock():
                index = ends[0]
                if index >= ends[1]:
                    return
                ends[0] = index + 1
            try:
                result = folder / f"{index}.pickle"
                with result.open("wb") as out:
                    pickle.dump(jobs[index](), out, protocol=pickle.HIGHEST_PROTOCOL)
                outcome: tuple[str, int, Any] = ("ok", index, str(result))
            except Exception as error:  # noqa: BLE001 - handed to the parent, which raises it
                outcome = ("error", index, error)
            try:
                send.send(outcome)
            except Exception:  # noqa: BLE001 - an exception that cannot be pickled: send its text
                send.send(("error", index, RuntimeError(traceback.format_exc())))
            if outcome[0] == "error":
                return
    finally:
        send.close()


def template_problem(project: Path, error: TemplateError) -> Problem:
    """Where a page template failed, as FILE:LINE: Jinja puts the template's own lines in the traceback."""
    where = Span("overrides/ddgen")
    if isinstance(error, TemplateSyntaxError) and error.filename:
        where = _template_span(project, error.filename, error.lineno)
    else:
        tb = error.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith(".j2"):
                where = _template_span(project, filename, tb.tb_lineno)
            tb = tb.tb_next
    reason = str(error.message or error).rstrip(".")
    return problem("DDG012", where, f"The page template could not be rendered: {reason}.",
                   "fix the template in overrides/ddgen/, or remove it to use ddgen's own.")


def _template_span(project: Path, filename: str, line: int) -> Span:
    path = Path(filename)
    shown = path.relative_to(project).as_posix() if path.is_relative_to(project) else f"(ddgen) {path.name}"
    return Span(shown, max(line, 1))


def stage_editions(project: Path, config: dict[str, Any], checked: Checked, scope: Scope,
                   site: Path, parallel: bool | None = None, in_memory: bool = False,
                   kept: YearsKept | None = None,
                   staged: dict[Path, Mapping[str, bytes | str]] | None = None,
                   elsewhere: Elsewhere | None = None) -> tuple[list[_Job], list[Problem]]:
    """Publish, render and stage every language edition of a checked project, MkDocs building into `site`.
    `parallel` as in `render_years` (`ddgen serve` renders in one process: it runs server threads);
    `in_memory` hands MkDocs the docs from memory instead of staging them on disk (`ddgen build`);
    `staged` (kept by `ddgen serve`) holds what the last call staged, per staging folder, so that
    unchanged files are not even read; `elsewhere` as in `render_years`."""
    languages = project_languages(checked, config)
    several = len(languages) > 1
    jobs = []
    for language in languages:
        try:
            rendered = render_years(checked, scope, language, project, parallel, kept, elsewhere)
        except TemplateError as error:
            return [], [template_problem(project, error)]
        staging = project / ".ddgen" / scope.value / (language if several else "")
        wanted, clashes = docs_files(project, config, rendered, scope, language)
        if clashes:
            return [], clashes
        if not in_memory:
            last = staged.pop(staging, None) if staged is not None else None  # back only once all is written
            sync_folder(staging / "docs", wanted, last)
            if staged is not None:
                staged[staging] = wanted
        content = tuple(content_entry(rel, wanted[rel]) for rel in sorted(
            (rel for rel in wanted if rel.endswith(".md") and rel not in rendered.pages),
            key=lambda rel: rel.split("/")))  # folder by folder, as a walk of the folder
        jobs.append(_Job(language, staging, site / language if several else site, rendered, content,
                         wanted if in_memory else None))
    return jobs, []


_PLAIN_TITLE = re.compile(r"#[ \t]+([^\n*_`\[\]<>&\\{}#]+?)[ \t]*#*")


def content_entry(rel: str, page: bytes | str) -> str | dict[str, str]:
    """A hand-written page's navigation entry, titled with its heading when that is plain text.

    MkDocs takes a title from the page itself, but a dirty build (`ddgen serve`) does not read pages
    that did not change, and showed 'None' for them in the navigation; with the title given here
    every build shows the same. Front matter or markup in the heading: MkDocs decides, as before."""
    text = page.decode("utf-8-sig", errors="replace") if isinstance(page, bytes) else page
    if text.startswith("---"):
        return rel
    first = next((line for line in text.splitlines() if line.strip()), "")
    found = _PLAIN_TITLE.fullmatch(first.strip())
    return {found[1]: rel} if found else rel


@dataclass(frozen=True)
class _Job:
    """One language edition to build: where its Markdown is staged and where its HTML goes."""

    language: str
    staging: Path
    site: Path
    rendered: Rendered
    content: tuple[str | dict[str, str], ...]
    """The hand-written pages' navigation entries."""
    docs: dict[str, bytes | str] | None = None
    """The docs folder in memory (`ddgen build`); None when it is staged on disk (`ddgen serve`)."""

    @property
    def docs_dir(self) -> Path:
        """The folder MkDocs walks: the staged docs, or an empty one when the files come from memory."""
        return self.staging / ("docs" if self.docs is None else "in-memory")


def build(project: Path, output: Path | None = None, scope: Scope = Scope.PUBLIC, as_of: date | None = None,
          strict: bool = False, release_dir: Path | None = None) -> BuildResult:
    """Check the records, then build the site for `scope` into `output` (default: the public site folder).
    A report in several languages gets one edition per language under /<language>/."""
    project = project.resolve()
    config = read_project_config(project)
    target = resolve_output(project, config, output, scope)
    checked = check(project, as_of)
    result = BuildResult(checked.report, timings=dict(checked.timings))
    if checked.report.errors or (strict and checked.report.warnings):
        return result
    languages = project_languages(checked, config)
    several = len(languages) > 1
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    site = work / "site"
    started = time.perf_counter()
    try:
        with objects_frozen():  # MkDocs' collections need not walk ddgen's objects (a tenth of its time at M)
            with collector_paused(freeze_after=True):  # as in check: millions of objects, no cycles to collect
                jobs, clashes = stage_editions(project, config, checked, scope, site, in_memory=True)
            if clashes:
                checked.report.extend(clashes)
                shutil.rmtree(work, ignore_errors=True)
                return result
            result.timings["render"] = time.perf_counter() - started
            for job in jobs:
                result.messages += _run_mkdocs(project, config, job, checked, scope, languages)
    except _MkDocsFailed as failed:
        shutil.rmtree(work, ignore_errors=True)
        checked.report.extend([problem(
            "DDG011", Span("mkdocs.yml"), f"MkDocs could not build the site: {failed.detail}",
            "fix the page or setting MkDocs names; the previous site was left as it was.")])
        return result
    if several:
        company = checked.dossier.company
        _write(site / "index.html", _root_page(languages, text_in(company.name, languages[0]) if company else "Due diligence"))
    if scope is Scope.PUBLIC:
        _mark_public(site)
    _swap(site, target)
    shutil.rmtree(work, ignore_errors=True)
    result.site = target
    result.pages = sum(1 for _ in target.rglob("*.html"))
    result.timings["site"] = time.perf_counter() - started - result.timings["render"]
    if release_dir is not None:
        result.release = write_release(target, release_dir, release_name(checked, scope), checked.as_of)
    return result


class _MkDocsFailed(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _run_mkdocs(project: Path, config: dict[str, Any], job: _Job, checked: Checked, scope: Scope,
                languages: tuple[str, ...]) -> list[str]:
    """Build one edition with MkDocs in strict mode; its warnings (broken links ...) fail the build."""
    config_path, _ = write_mkdocs_config(project, config, job, checked, scope, languages)
    return run_mkdocs(config_path, checked.as_of, docs=job.docs)


def run_mkdocs(config_path: Path, as_of: date, dirty: bool = False,
               docs: dict[str, bytes | str] | None = None) -> list[str]:
    """MkDocs on a generated config; `dirty` rebuilds only pages whose Markdown is newer (ddgen serve).

    MkDocs warns on every dirty build that links may be stale, which strict mode would count as a
    failure; a dirty build therefore runs unstrict and its other warnings are returned to be shown.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    log: _Collector | None = None
    try:
        with _build_environment(as_of) as log:
            settings = load_config(config_file=str(config_path), strict=not dirty)
            if docs is not None:
                settings.plugins["ddgen-docs"] = _DocsInMemory(docs)  # type: ignore[assignment]
            mkdocs_build(settings, dirty=dirty)
    except (Abort, ConfigurationError, OSError) as exc:
        messages = log.messages if log is not None else []
        raise _MkDocsFailed("; ".join(messages[-5:]) or str(exc)) from None
    return [m for m in log.messages if not m.startswith("A 'dirty' build is being performed")]


def write_mkdocs_config(project: Path, config: dict[str, Any], job: _Job, checked: Checked, scope: Scope,
                        languages: tuple[str, ...]) -> tuple[Path, bool]:
    """Write the edition's generated mkdocs.yml (only if it changed); its path and whether it changed."""
    if job.docs is not None:
        job.docs_dir.mkdir(parents=True, exist_ok=True)
        sync_folder(job.docs_dir, {})
    generated = mkdocs_config(project, config, job.rendered, checked, scope, job.staging, job.site, list(job.content),
                              job.language, job.docs_dir)
    if len(languages) > 1:
        from babel import Locale

        generated.setdefault("theme", {})["language"] = job.language
        generated["extra"]["alternate"] = [
            {"name": Locale(code).display_name.capitalize(), "link": f"../{code}/", "lang": code}
            for code in languages]
    config_path = job.staging / "mkdocs.yml"
    return config_path, write_if_changed(config_path, json.dumps(generated, indent=2, ensure_ascii=False) + "\n")
