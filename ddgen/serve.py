"""Serve: build the site into a temporary folder, serve it locally with live reload, rebuild on change.

`ddgen serve` watches `data/`, `content/`, `overrides/` and `mkdocs.yml` (MkDocs' LiveReloadServer,
which polls). After a change ddgen regenerates in three cheap steps:

1. `check` with a `LoadCache`: only data files whose bytes changed are parsed and validated again;
2. publish, render and stage: a year whose inputs did not change is kept from the last round; with
   two cores a helper process (`Helper`) renders the earlier years meanwhile; pages about
   one record come from the page memo; only Markdown files whose text changed are written, the
   others keep their modification time (`build.sync_folder`);
3. MkDocs with `dirty=True`, which re-renders only pages whose Markdown is newer than their HTML.
   A full MkDocs build runs instead when the navigation or settings changed (the generated
   mkdocs.yml differs) or a theme file changed, because those show on every page.

A change that brings errors prints the problems and leaves the last good site in place, so the
browser keeps showing it. Known limit of dirty builds: the search index then covers the pages
rebuilt since the last full build; any settings change or a restart rebuilds it fully.

Problem codes: none of its own; it reports what check and build report.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .build import (
    YearsKept,
    helper_makes_downloads,
    render_workers,
    year_renderers,
    _MkDocsFailed,
    _root_page,
    _write,
    project_languages,
    read_project_config,
    run_mkdocs,
    stage_editions,
    write_mkdocs_config,
)
from .load import LoadCache
from .model.common import Scope, text_in
from .pipeline import check, collector_paused, objects_frozen
from .problems import Report
from .render import Rendered


@dataclass
class Regeneration:
    """What one round of regeneration did."""

    report: Report
    ok: bool = False
    seconds: float = 0.0  # ddgen's own stages: check, render, staging
    site_seconds: float = 0.0  # MkDocs
    full: bool = False  # a full MkDocs build (else only changed pages)
    messages: list[str] = field(default_factory=list)
    problem: str = ""  # why MkDocs refused, when it did


class Session:
    """One `ddgen serve`: the project, its temporary site folder and what stays cached between rounds."""

    def __init__(self, project: Path, site: Path, scope: Scope = Scope.PUBLIC, as_of: date | None = None,
                 helper: bool | None = None) -> None:
        """`helper`: render the earlier reporting years in a second process (`Helper`); by default
        when there are two cores."""
        self.project = project.resolve()
        self.site = site
        self.scope = scope
        self.as_of = as_of
        self.helper = Helper(self.project, scope, as_of) if (render_workers() > 1 if helper is None else helper) else None
        self.cache = LoadCache()
        self.years: YearsKept = {}  # each year's pages from the last round, reused while its inputs stay the same
        self.staged: dict[Path, Mapping[str, bytes | str]] = {}  # what the last round staged, per folder
        self.built = False
        self.theme_seen: tuple[Any, ...] = ()

    def watched(self) -> list[Path]:
        """The folders and files to watch; content/ and overrides/ as mkdocs.yml names them."""
        config = read_project_config(self.project)
        names = {"data", "mkdocs.yml", str(config.get("docs_dir", "content")),
                 str((config.get("theme") or {}).get("custom_dir", "overrides"))}
        return sorted(self.project / name for name in names if (self.project / name).exists())

    def _theme_state(self, config: dict[str, Any]) -> tuple[Any, ...]:
        """Names, sizes and times of the theme files and mkdocs.yml: any change shows on every page."""
        custom = self.project / str((config.get("theme") or {}).get("custom_dir", "overrides"))
        files = [self.project / "mkdocs.yml", *(sorted(custom.rglob("*")) if custom.is_dir() else [])]
        return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.is_file())

    def regenerate(self) -> Regeneration:
        """Check, render and stage; then let MkDocs rebuild what changed. Never leaves a broken site.

        The garbage collector waits while ddgen works: the session keeps millions of objects between
        rounds (records, remembered pages), and a full collection in the middle of a round cost up to
        half a second at 1,000 suppliers. ddgen's objects, this round's too, are frozen before the
        collector is back: else its first pass walks every object made during the pause (about 50 ms
        at 1,000 suppliers). MkDocs then runs with the collector on (its pages make cycles), but
        without walking ddgen's objects; they are unfrozen at the end of the round, and `serve`
        collects once it is over (`IdleCollector`)."""
        started = time.perf_counter()
        if self.helper is not None:
            self.helper.ask()
        with objects_frozen():  # till the end of the round, whatever happens in it
            with collector_paused(freeze_after=True):  # this round's objects too
                config = read_project_config(self.project)
                checked = check(self.project, self.as_of, self.cache)
                result = Regeneration(checked.report)
                if checked.report.errors:
                    return result
                jobs, clashes = stage_editions(self.project, config, checked, self.scope, self.site, parallel=False,
                                               kept=self.years, staged=self.staged,
                                               elsewhere=self.helper.offered if self.helper is not None else None)
                if clashes:
                    checked.report.extend(clashes)
                    return result
                languages = project_languages(checked, config)
                changed = [write_mkdocs_config(self.project, config, job, checked, self.scope, languages)
                           for job in jobs]
                theme = self._theme_state(config)
                result.full = not self.built or theme != self.theme_seen or any(c for _, c in changed)
            result.seconds = time.perf_counter() - started
            try:
                for config_path, _ in changed:
                    result.messages += run_mkdocs(config_path, checked.as_of, dirty=not result.full)
            except _MkDocsFailed as failed:
                result.problem = failed.detail
                return result
        if len(languages) > 1:
            company = checked.dossier.company
            _write(self.site / "index.html",
                   _root_page(languages, text_in(company.name, languages[0]) if company else "Due diligence"))
        result.site_seconds = time.perf_counter() - started - result.seconds
        result.ok = True
        self.built = True
        self.theme_seen = theme
        if self.helper is not None:
            self.helper.take(wait=False)  # what it made while MkDocs built (after the first round: every earlier year)
        return result

    def close(self) -> None:
        """Stop the helper, if there is one."""
        if self.helper is not None:
            self.helper.stop()
            self.helper = None


@dataclass(frozen=True)
class YearChange:
    """What changed in one rendered year since the helper last sent it: new and changed pages and files,
    the names of those gone, and the navigation. `base`: the inputs' fingerprint of the version it
    changes (None: the whole year)."""

    inputs: bytes
    base: bytes | None
    pages: dict[str, str]
    files: dict[str, bytes]
    pages_gone: tuple[str, ...]
    files_gone: tuple[str, ...]
    nav: list[Any]
    not_in_nav: list[str]


def year_change(before: tuple[bytes, Rendered] | None, inputs: bytes, after: Rendered) -> YearChange:
    """`after` as a change to `before` (most pages are the same objects, from the page memo)."""
    if before is None:
        return YearChange(inputs, None, after.pages, after.files, (), (), after.nav, after.not_in_nav)
    base, last = before
    return YearChange(
        inputs, base,
        {name: text for name, text in after.pages.items() if last.pages.get(name) != text},
        {name: data for name, data in after.files.items() if last.files.get(name) != data},
        tuple(name for name in last.pages if name not in after.pages),
        tuple(name for name in last.files if name not in after.files),
        after.nav, after.not_in_nav)


def with_change(before: tuple[bytes, Rendered] | None, change: YearChange) -> tuple[bytes, Rendered] | None:
    """The year after `change`; None when `change` is to another version than `before`."""
    if change.base is None:
        return change.inputs, Rendered(dict(change.pages), dict(change.files), change.nav, change.not_in_nav)
    if before is None or before[0] != change.base:
        return None
    last = before[1]
    pages = {**last.pages, **change.pages}
    files = {**last.files, **change.files}
    for name in change.pages_gone:
        del pages[name]
    for name in change.files_gone:
        del files[name]
    return change.inputs, Rendered(pages, files, change.nav, change.not_in_nav)


HELPER_PATIENCE = 300.0
"""Seconds this process waits for the helper's answer before it goes on alone: far more than a round
takes (the helper's first round renders every earlier year from nothing), so only a hung helper."""


class Helper:
    """A second process that renders the earlier reporting years while this one checks and renders the
    latest year and the downloads of the year before (`render_years(elsewhere=...)`): after an edit to
    a record every year shows, each process does about half of the round.

    The helper is started afresh (spawned, not forked: the server runs threads), keeps its own load
    cache and page memo, and checks the project itself each round. It sends, through a file whose
    name crosses the pipe, only what changed in each year since it last sent it; this process keeps
    the same years (`mirror`) by applying every change in order. A year is taken from the mirror only
    when its inputs' fingerprint (edition, what changed, templates, frameworks) is the one this process
    computed, so a file saved between the two checks, a failed or slow helper or any other difference
    means this process renders the year itself: the pages are always those of a round without helper."""

    def __init__(self, project: Path, scope: Scope, as_of: date | None) -> None:
        context = multiprocessing.get_context("spawn")
        self.mirror: YearsKept = {}
        self._folder = Path(tempfile.mkdtemp(prefix="ddgen-helper-"))
        self._connection, theirs = context.Pipe()
        self._process = context.Process(target=_help, args=(theirs, project, scope, as_of, self._folder),
                                        name="ddgen-serve-helper", daemon=True)
        self._process.start()
        theirs.close()
        self._asked = False
        self._alive = True

    def ask(self) -> None:
        """Start the helper on a round (after taking in its answer to the last one, if not yet done)."""
        self.take(wait=True)
        if not self._alive:
            return
        try:
            self._connection.send("round")
            self._asked = True
        except OSError:
            self._lost()

    def take(self, wait: bool) -> None:
        """Apply the helper's answer to the round asked for (`wait`: until it comes, or the helper is
        given up after `HELPER_PATIENCE` seconds and this process renders on its own)."""
        if not self._asked:
            return
        try:
            if not self._connection.poll(HELPER_PATIENCE if wait else 0):
                if wait:
                    self._lost()
                return
            name = self._connection.recv()
        except (EOFError, OSError):
            self._lost()
            return
        self._asked = False
        if name is None:  # its round failed (errors in the records, a template): it sent nothing
            return
        path = Path(name)
        changes: dict[tuple[str, int], YearChange] = pickle.loads(path.read_bytes())
        path.unlink()
        for key, change in changes.items():
            year = with_change(self.mirror.get(key), change)
            if year is None:  # out of step, which the order of changes rules out: stop helping
                self._lost()
                return
            self.mirror[key] = year

    def offered(self, key: tuple[str, int], inputs: bytes) -> Rendered | None:
        """The year, once the helper's answer is in, if the helper made it from the same inputs."""
        self.take(wait=True)
        known = self.mirror.get(key)
        return known[1] if known is not None and known[0] == inputs else None

    def peak_rss(self) -> int | None:
        """The helper's peak resident memory in bytes, where the system tells (Linux)."""
        try:
            status = Path(f"/proc/{self._process.pid}/status").read_text(encoding="ascii")
        except OSError:
            return None
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        return int(found[1]) * 1024 if found else None

    def _lost(self) -> None:
        self._alive = False
        self._asked = False
        self.mirror.clear()
        self.stop()

    def stop(self) -> None:
        with suppress(OSError):
            self._connection.send("stop")
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        self._connection.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def _help(connection: Any, project: Path, scope: Scope, as_of: date | None, folder: Path) -> None:
    """The helper's loop: a round per request, till asked to stop or the server is gone (its end of the
    pipe closes even when it is killed); the helper then removes its folder itself."""
    try:
        _help_rounds(connection, project, scope, as_of, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _help_rounds(connection: Any, project: Path, scope: Scope, as_of: date | None, folder: Path) -> None:
    cache = LoadCache()
    sent: YearsKept = {}
    rounds = 0
    while True:
        try:
            if connection.recv() != "round":
                return
        except (EOFError, OSError):
            return
        rounds += 1
        try:
            changes = _help_round(project, scope, as_of, cache, sent)
            path = folder / f"round-{rounds}.pickle"
            with path.open("wb") as out:
                pickle.dump(changes, out, protocol=pickle.HIGHEST_PROTOCOL)
            answer: str | None = str(path)
        except Exception:  # noqa: BLE001 - the other process renders the years itself and reports the problem
            answer = None
        try:
            connection.send(answer)
        except OSError:
            return
        gc.collect()  # while the writer looks at the page


def _help_round(project: Path, scope: Scope, as_of: date | None, cache: LoadCache,
                sent: YearsKept) -> dict[tuple[str, int], YearChange]:
    """Check the project and render every earlier year whose inputs changed since last sent (some
    without their downloads: `helper_makes_downloads`); `sent` is only updated once all went well, so
    that it stays what the other process has."""
    with collector_paused():
        config = read_project_config(project)
        checked = check(project, as_of, cache)
        if checked.report.errors:
            return {}
        changes: dict[tuple[str, int], YearChange] = {}
        made: YearsKept = {}
        for language in project_languages(checked, config):
            years, renderers = year_renderers(checked, scope, language, project, earlier_only=True)
            for index, (renderer, year) in enumerate(zip(renderers, years[1:], strict=True), start=1):
                key = (language, year.year)
                inputs = renderer.fingerprint()
                last = sent.get(key)
                if last is None or last[0] != inputs:
                    made[key] = (inputs, renderer.render() if helper_makes_downloads(index)
                                 else renderer.pages_without_downloads())
                    changes[key] = year_change(last, *made[key])
        sent.update(made)
        return changes


def serve(project: Path, host: str, port: int, echo: Callable[[str], None], scope: Scope = Scope.PUBLIC,
          as_of: date | None = None) -> bool:
    """Build, then serve with live reload until interrupted. False when the first build fails."""
    from mkdocs.livereload import LiveReloadServer

    site = Path(tempfile.mkdtemp(prefix="ddgen-serve-"))
    session = Session(project, site, scope, as_of)
    try:
        if not _round(session, echo):
            return False
        collector = IdleCollector()

        def build_round() -> None:
            collector.cancel()
            _round(session, echo)
            collector.schedule()

        server = LiveReloadServer(builder=build_round, host=host, port=port, root=str(site))
        server.error_handler = lambda code: _error_page(site, code)
        for path in session.watched():
            server.watch(str(path))
        echo(f"Serving on {server.url} (watching {', '.join(p.name for p in session.watched())}); Ctrl+C stops.")
        try:
            server.serve()
        except KeyboardInterrupt:
            echo("Stopped.")
        finally:
            server.shutdown()
            collector.cancel()
        return True
    finally:
        session.close()
        shutil.rmtree(site, ignore_errors=True)


class IdleCollector:
    """Garbage collected a moment after a round of `ddgen serve`, while the reader looks at the page,
    instead of during the next round; a new round cancels a collection not yet started."""

    def __init__(self, delay: float = 1.0) -> None:
        self.delay = delay
        self._timer: threading.Timer | None = None

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def schedule(self) -> None:
        self.cancel()
        self._timer = threading.Timer(self.delay, gc.collect)
        self._timer.daemon = True
        self._timer.start()


def _round(session: Session, echo: Callable[[str], None]) -> bool:
    """One regeneration, told in the terminal; problems leave the last good site being served."""
    result = session.regenerate()
    if result.report.problems:
        echo(result.report.render_text().rstrip("\n"))
    if result.problem:
        echo(f"MkDocs could not build the site: {result.problem}")
    if not result.ok:
        echo("The site was not updated; it shows the last version without errors." if session.built
             else "Nothing to serve yet: fix the problems above and run ddgen serve again.")
        return False
    for message in result.messages:
        echo(f"MkDocs: {message}")
    how = "all pages" if result.full else "changed pages only"
    echo(f"Regenerated in {result.seconds:.2f} s; MkDocs {result.site_seconds:.2f} s ({how}).")
    return True


def _error_page(site: Path, code: int) -> bytes | None:
    page = site / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
