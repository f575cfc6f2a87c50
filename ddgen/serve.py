"""Serve: build the site into a temporary folder, serve it locally with live reload, rebuild on change.

`ddgen serve` watches `data/`, `content/`, `overrides/` and `mkdocs.yml` (MkDocs' LiveReloadServer,
which polls). After a change ddgen regenerates in three cheap steps:

1. `check` with a `LoadCache`: only data files whose bytes changed are parsed again;
2. publish, render and stage: only Markdown files whose text changed are written, the others keep
   their modification time (`build.stage`);
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
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .build import (
    YearsKept,
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

    def __init__(self, project: Path, site: Path, scope: Scope = Scope.PUBLIC, as_of: date | None = None) -> None:
        self.project = project.resolve()
        self.site = site
        self.scope = scope
        self.as_of = as_of
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
        with objects_frozen():  # till the end of the round, whatever happens in it
            with collector_paused():
                config = read_project_config(self.project)
                checked = check(self.project, self.as_of, self.cache)
                result = Regeneration(checked.report)
                if checked.report.errors:
                    return result
                jobs, clashes = stage_editions(self.project, config, checked, self.scope, self.site, parallel=False,
                                               kept=self.years, staged=self.staged)
                if clashes:
                    checked.report.extend(clashes)
                    return result
                languages = project_languages(checked, config)
                changed = [write_mkdocs_config(self.project, config, job, checked, self.scope, languages)
                           for job in jobs]
                theme = self._theme_state(config)
                result.full = not self.built or theme != self.theme_seen or any(c for _, c in changed)
                gc.freeze()  # this round's objects too: the collector's first pass after the pause need not walk them
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
        return result


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
