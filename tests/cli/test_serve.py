"""`ddgen serve`: regenerate after an edit, rewrite only what changed, keep the last good site on errors.

The session tests drive `ddgen.serve.Session` directly (what the server calls on every change); one
test starts the real command on a free loopback port and talks to it as a browser would.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from ddgen.serve import Session

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
LONG_AGO = 1_000_000_000


def markdown_times(project: Path) -> dict[str, int]:
    docs = project / ".ddgen" / "public" / "docs"
    return {p.relative_to(docs).as_posix(): p.stat().st_mtime_ns for p in docs.rglob("*.md")}


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Any:
    project = tmp_path_factory.mktemp("serve") / "project"
    import shutil

    shutil.copytree(MINIMAL, project)
    first = Session(project, tmp_path_factory.mktemp("site"))
    assert first.regenerate().ok
    yield first
    first.close()


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_one_edited_record_rewrites_only_the_pages_that_show_it(session: Session) -> None:
    project = session.project
    docs = project / ".ddgen" / "public" / "docs"
    for path in docs.rglob("*"):
        os.utime(path, (LONG_AGO / 1e0, LONG_AGO))
    before = markdown_times(project)
    edit(project, "data/suppliers.yaml", "Plot 4, Gazipur", "Plot 5, Gazipur")
    result = session.regenerate()
    assert result.ok and not result.full  # the navigation did not change: MkDocs rebuilds changed pages only
    after = markdown_times(project)
    rewritten = sorted(page for page in after if after[page] != before.get(page))
    assert rewritten and "suppliers/S-001.md" in rewritten
    assert "index.md" not in rewritten and len(rewritten) < len(after) / 2
    page = (session.site / "suppliers" / "S-001" / "index.html").read_text(encoding="utf-8")
    assert "Plot 5, Gazipur" in page


def test_a_bad_edit_reports_the_problem_and_keeps_the_last_good_site(session: Session) -> None:
    project = session.project
    good = (session.site / "suppliers" / "S-001" / "index.html").read_bytes()
    edit(project, "data/suppliers.yaml", "tier: 1", "tier: 11")
    result = session.regenerate()
    assert not result.ok
    assert [(str(p.where), p.code) for p in result.report.errors] == [("data/suppliers.yaml:6:11", "DDG105")]
    assert (session.site / "suppliers" / "S-001" / "index.html").read_bytes() == good
    edit(project, "data/suppliers.yaml", "tier: 11", "tier: 1")
    assert session.regenerate().ok


def test_a_changed_theme_file_rebuilds_every_page(session: Session) -> None:
    overrides = session.project / "overrides"
    overrides.mkdir(exist_ok=True)
    (overrides / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    assert session.regenerate().full
    assert not session.regenerate().full


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Any, seconds: float = 60) -> Any:
    """Poll `predicate` a bounded number of times (loopback only); its first true value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def test_ddgen_serve_serves_reloads_and_survives_a_bad_edit(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "ddgen", "serve", str(project), "-a", f"127.0.0.1:{port}"],
                                   stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/suppliers/S-001/"
    try:
        page = wait_for(lambda: fetch(url))
        assert "Plot 4, Gazipur" in page and "livereload" in page
        edit(project, "data/suppliers.yaml", "Plot 4, Gazipur", "Plot 9, Gazipur")
        wait_for(lambda: "Plot 9, Gazipur" in fetch(url))
        edit(project, "data/suppliers.yaml", "country: BD", "country: Holland")
        wait_for(lambda: "DDG107" in log.read_text())
        time.sleep(1)
        assert "Plot 9, Gazipur" in fetch(url)
        text = log.read_text()
        assert re.search(r"Regenerated in \d+\.\d\d s", text)
        assert "data/suppliers.yaml:5:14: error: DDG107" in text
        assert "The site was not updated; it shows the last version without errors." in text
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def example_project(project: Path) -> Path:
    """A copy of the bundled example (three reporting years)."""
    import shutil

    for name in ("data", "content", "overrides", "mkdocs.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    return project


def test_an_edit_to_this_years_records_renders_this_year_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Earlier years are rebuilt from the records as they stood then: a 2025 value leaves them as they were,
    so serve keeps their pages; what it shows must still equal a fresh build."""
    from ddgen.build import build

    project = example_project(tmp_path / "project")
    session = Session(project, tmp_path / "served", helper=False)
    request.addfinalizer(session.close)
    assert session.regenerate().ok
    rendered = rendered_here(monkeypatch)
    edit(project, "data/kpis.yaml", "- {year: 2025, value: 100}", "- {year: 2025, value: 97}")
    assert session.regenerate().ok
    assert rendered == [""], "only the latest year shows the 2025 value"
    assert build(project, tmp_path / "built").ok
    for page in ("monitoring/KPI-01/index.html", "2024/monitoring/KPI-01/index.html", "changes/index.html"):
        assert (tmp_path / "served" / page).read_bytes() == (tmp_path / "built" / page).read_bytes(), page
    assert "97" in (tmp_path / "served" / "monitoring" / "KPI-01" / "index.html").read_text(encoding="utf-8")


def test_garbage_is_collected_after_a_round_not_during_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import threading

    from ddgen.serve import IdleCollector

    collected = threading.Event()
    monkeypatch.setattr(gc, "collect", lambda *args: collected.set())
    collector = IdleCollector(delay=0.05)
    collector.schedule()
    collector.cancel()  # a new round began before the collection
    assert not collected.wait(0.2)
    collector.schedule()
    assert collected.wait(5)


def test_a_round_leaves_the_collector_on_and_nothing_frozen(session: Session) -> None:
    """ddgen pauses the collector and freezes its objects during a round; after any round, good or bad,
    the collector must be on and every object collectable again, or a long serve would keep garbage."""
    import gc

    project = session.project
    for old, new, good in (("tier: 1", "tier: 11", False), ("tier: 11", "tier: 1", True)):
        edit(project, "data/suppliers.yaml", old, new)
        assert session.regenerate().ok is good
        assert gc.isenabled() and gc.get_freeze_count() == 0


def staged_docs(project: Path) -> dict[str, bytes]:
    docs = project / ".ddgen" / "public" / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_sessions(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The example served twice: with the helper process, and without."""
    folder = tmp_path_factory.mktemp("two")
    helped = Session(example_project(folder / "helped"), folder / "helped-site", helper=True)
    alone = Session(example_project(folder / "alone"), folder / "alone-site", helper=False)
    for session in (helped, alone):
        assert session.regenerate().ok
    yield helped, alone
    for session in (helped, alone):
        session.close()


def move_first_supplier(project: Path) -> str:
    """Edit the address of S-001, a supplier every year shows; its new address."""
    path = project / "data" / "suppliers.yaml"
    text = path.read_text(encoding="utf-8")
    found = re.search(r"Plot (\d+), Konabari Road", text)
    assert found
    moved = f"Plot {int(found[1]) + 1}, Konabari Road"
    path.write_text(text.replace(found[0], moved), encoding="utf-8")
    return moved


def rendered_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The year folders whose pages this process renders from now on ("" for the latest year)."""
    from ddgen import render as render_module

    rendered: list[str] = []
    original = render_module.Renderer.render

    def counting(self: render_module.Renderer) -> render_module.Rendered:
        rendered.append(self.prefix)
        return original(self)

    monkeypatch.setattr(render_module.Renderer, "render", counting)
    return rendered


def test_the_helper_renders_the_earlier_years_as_this_process_would(
        two_sessions: tuple[Session, Session], monkeypatch: pytest.MonkeyPatch) -> None:
    helped, alone = two_sessions
    assert staged_docs(helped.project) == staged_docs(alone.project)
    rendered = rendered_here(monkeypatch)
    for session in two_sessions:
        moved = move_first_supplier(session.project)
        assert session.regenerate().ok
    assert rendered == ["", "", "2024/", "2023/"], "the helper rendered the earlier years of the helped session"
    docs = staged_docs(helped.project)
    assert docs == staged_docs(alone.project)
    assert all(moved in docs[page].decode() for page in
               ("suppliers/S-001.md", "2024/suppliers/S-001.md", "2023/suppliers/S-001.md"))
    for session in two_sessions:  # a bad edit, then a good one
        edit(session.project, "data/suppliers.yaml", "tier: 1", "tier: 11")
        assert not session.regenerate().ok
        edit(session.project, "data/suppliers.yaml", "tier: 11", "tier: 1")
        move_first_supplier(session.project)
        assert session.regenerate().ok
    assert staged_docs(helped.project) == staged_docs(alone.project)


def test_a_lost_helper_leaves_this_process_rendering_every_year(
        two_sessions: tuple[Session, Session], monkeypatch: pytest.MonkeyPatch) -> None:
    helped, alone = two_sessions
    assert helped.helper is not None
    helped.helper._process.kill()
    helped.helper._process.join()
    rendered = rendered_here(monkeypatch)
    for session in two_sessions:
        move_first_supplier(session.project)
        assert session.regenerate().ok
    assert rendered == ["", "2024/", "2023/"] * 2
    assert staged_docs(helped.project) == staged_docs(alone.project)


def test_a_change_to_a_year_applies_to_the_version_it_was_made_from() -> None:
    from ddgen.render import Rendered
    from ddgen.serve import with_change, year_change

    before = (b"one", Rendered({"a.md": "A", "b.md": "B"}, {"x.csv": b"X"}, ["nav"], ["/a.md"]))
    after = Rendered({"a.md": "A2", "c.md": "C"}, {"x.csv": b"X", "y.csv": b"Y"}, ["nav2"], [])
    change = year_change(before, b"two", after)
    assert (change.pages, change.files, change.pages_gone, change.files_gone) == (
        {"a.md": "A2", "c.md": "C"}, {"y.csv": b"Y"}, ("b.md",), ())
    assert with_change(before, change) == (b"two", after)
    assert with_change((b"other", before[1]), change) is None and with_change(None, change) is None
    whole = year_change(None, b"two", after)
    assert with_change(None, whole) == (b"two", after)


def test_a_helper_whose_server_is_gone_stops_and_leaves_no_files(tmp_path: Path) -> None:
    """`ddgen serve` killed without its cleanup: the helper sees its pipe closed, stops and removes its
    folder (with the round files in it)."""
    import multiprocessing

    from ddgen.model.common import Scope
    from ddgen.serve import _help

    folder = tmp_path / "helper"
    folder.mkdir()
    (folder / "round-1.pickle").write_bytes(b"")
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_help, args=(theirs, example_project(tmp_path / "project"), Scope.PUBLIC, None, folder))
    process.start()
    theirs.close()
    ours.close()  # as when the server's process ends
    process.join(timeout=60)
    assert process.exitcode == 0 and not folder.exists()
