"""Detail pages are rendered once for every year that shows them alike: the memo must never show a
page that differs from rendering it afresh, and a template override sees only what the memo keys on."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ddgen import render as render_module
from ddgen.build import build, render_years
from ddgen.memo import PageMemo
from ddgen.model.common import Scope
from ddgen.pipeline import check


@pytest.mark.parametrize("scope", [Scope.PUBLIC, Scope.INTERNAL])
def test_remembered_pages_equal_pages_rendered_afresh(example_project: Path, scope: Scope,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    checked = check(example_project)
    remembered = PageMemo()
    monkeypatch.setattr(render_module, "PAGE_MEMO", remembered)
    with_memo = render_years(checked, scope, "nl", example_project)
    monkeypatch.setattr(render_module, "PAGE_MEMO", PageMemo(limit=0))
    afresh = render_years(checked, scope, "nl", example_project)
    assert with_memo.pages == afresh.pages
    assert remembered.hits > 20, "earlier years reuse the latest year's supplier pages"
    # Some detail pages differ between years (a supplier phasing out, a risk re-assessed): a year must
    # still show its own version, which the equality above checks; make sure the example has such pages.
    differing = [path for path in with_memo.pages if path.startswith("2024/suppliers/S-")
                 and path.removeprefix("2024/") in with_memo.pages
                 and _body(with_memo.pages[path]) != _body(with_memo.pages[path.removeprefix("2024/")])]
    assert differing, "the example should have supplier pages that differ between years"


def test_remembered_table_rows_equal_rows_rendered_afresh(example_project: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Supplier-table rows are remembered per supplier and page: the list split by country (as at
    thousands of suppliers) shows each row with links right for its page, in every year."""
    monkeypatch.setattr(render_module, "SUPPLIERS_PER_PAGE", 5)  # the example has 36 suppliers
    checked = check(example_project)
    remembered = PageMemo()
    monkeypatch.setattr(render_module, "PAGE_MEMO", remembered)
    with_memo = render_years(checked, Scope.PUBLIC, "nl", example_project)
    monkeypatch.setattr(render_module, "PAGE_MEMO", PageMemo(limit=0))
    afresh = render_years(checked, Scope.PUBLIC, "nl", example_project)
    country_pages = [path for path in with_memo.pages if "/by-country/" in path]
    assert any(path.startswith("2023/") for path in country_pages)
    assert all(with_memo.pages[path] == afresh.pages[path] for path in country_pages)
    assert with_memo.pages == afresh.pages


def _body(page: str) -> str:
    """A page without its year switcher (the one part that names the year)."""
    return "\n".join(line for line in page.splitlines() if "ddgen-years" not in line)


def _ranks(pages: dict[str, str], prefix: str) -> list[tuple[int, int]]:
    """(rank, count) from the 'Prioriteit N van M' line of every risk page of one year."""
    found = [re.search(r"Prioriteit (\d+) van (\d+)", text) for path, text in pages.items()
             if re.fullmatch(rf"{prefix}risks/R-[^/]+\.md", path)]
    assert all(found)
    return sorted((int(m[1]), int(m[2])) for m in found if m)


def test_every_risk_page_shows_its_own_years_rank(example_project: Path) -> None:
    """Risk pages are remembered without their rank (it moves when other risks change) and get it after."""
    rendered = render_years(check(example_project), Scope.PUBLIC, "nl", example_project)
    shown = {prefix: _ranks(rendered.pages, prefix) for prefix in ("", "2024/", "2023/")}
    for ranks in shown.values():
        assert ranks == [(n, len(ranks)) for n in range(1, len(ranks) + 1)]
    assert len(shown[""]) != len(shown["2023/"]), "the example should have risks that earlier years lack"


def test_a_risk_template_that_compares_the_rank_still_gets_the_right_one(
        tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    project = example_copy(tmp_path / "project")
    template = project / "overrides" / "ddgen" / "pages" / "risk.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    packaged = (Path(render_module.__file__).parent / "templates" / "pages" / "risk.md.j2").read_text(encoding="utf-8")
    template.write_text(packaged.replace("# {{ risk.title }}", "# {{ risk.title }}{% if r.rank <= 2 %} (top two){% endif %}"),
                        encoding="utf-8")
    rendered = render_years(check(project), Scope.PUBLIC, "nl", project)
    for prefix in ("", "2023/"):
        top = [rank for rank, _ in _ranks({p: t for p, t in rendered.pages.items() if "(top two)" in t}, prefix)]
        assert top == [1, 2]


def test_an_edited_override_template_is_rendered_anew(tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    project = example_copy(tmp_path / "project")
    template = project / "overrides" / "ddgen" / "pages" / "supplier.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    packaged = (Path(render_module.__file__).parent / "templates" / "pages" / "supplier.md.j2").read_text(encoding="utf-8")
    template.write_text(packaged.replace("# {{ s.name }}", "# {{ s.name }} (first)"), encoding="utf-8")
    assert build(project, tmp_path / "site").ok
    page = tmp_path / "site" / "suppliers" / "S-001" / "index.html"
    assert "(first)" in page.read_text(encoding="utf-8")
    template.write_text(packaged.replace("# {{ s.name }}", "# {{ s.name }} (second)"), encoding="utf-8")
    assert build(project, tmp_path / "site").ok
    text = page.read_text(encoding="utf-8")
    assert "(second)" in text and "(first)" not in text


def test_a_detail_template_using_the_whole_edition_gets_a_clear_error(
        tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    project = example_copy(tmp_path / "project")
    template = project / "overrides" / "ddgen" / "pages" / "supplier.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("# {{ s.name }}\n\n{{ d.company.name }}\n", encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert not result.ok
    [error] = result.report.errors
    assert error.code == "DDG012"
    assert (error.where.file, error.where.line) == ("overrides/ddgen/pages/supplier.md.j2", 3)
    assert "'d' is only available on the step pages" in error.message
    assert not (tmp_path / "site").exists()


def test_a_template_syntax_error_names_its_line(tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    project = example_copy(tmp_path / "project")
    template = project / "overrides" / "ddgen" / "pages" / "policy.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("# Policy\n\n{% if x %}\nno end\n", encoding="utf-8")
    result = build(project, tmp_path / "site")
    [error] = result.report.errors
    assert error.code == "DDG012"
    assert error.where.file == "overrides/ddgen/pages/policy.md.j2"
    assert error.where.line >= 3
    assert not error.message.endswith(".."), "one full stop, as in every other message"


def test_a_render_worker_gives_the_same_report(example_project: Path) -> None:
    """A large report renders its supplier pages and downloads in a forked worker (two cores)."""
    checked = check(example_project)
    alone = render_years(checked, Scope.PUBLIC, "nl", example_project, parallel=False)
    shared = render_years(checked, Scope.PUBLIC, "nl", example_project, parallel=True)
    assert (shared.pages, shared.files, shared.nav, shared.not_in_nav) == (
        alone.pages, alone.files, alone.nav, alone.not_in_nav)


def test_a_failing_render_worker_fails_the_render(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: render_module.Renderer) -> render_module.Rendered:
        raise ValueError("worker broke")

    monkeypatch.setattr(render_module.Renderer, "supplier_pages", broken)
    with pytest.raises(ValueError, match="worker broke"):
        render_years(check(example_project), Scope.PUBLIC, "nl", example_project, parallel=True)


def test_a_render_worker_leaves_no_files(example_project: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker hands its results over in temporary files: gone once taken in, or when it fails."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    checked = check(example_project)
    render_years(checked, Scope.PUBLIC, "nl", example_project, parallel=True)
    assert list(tmp_path.iterdir()) == []

    def dies(self: render_module.Renderer) -> render_module.Rendered:
        import os

        os._exit(3)

    monkeypatch.setattr(render_module.Renderer, "supplier_pages", dies)
    with pytest.raises(RuntimeError, match="exit code 3"):
        render_years(checked, Scope.PUBLIC, "nl", example_project, parallel=True)
    assert list(tmp_path.iterdir()) == []


def test_this_process_takes_the_shared_jobs_the_worker_has_not_begun() -> None:
    """Downloads go to whichever process is free first; results still come in job order."""
    import os
    import time

    from ddgen.build import Background

    def slow() -> int:
        time.sleep(0.5)
        return os.getpid()

    worker = Background([slow, os.getpid, os.getpid, os.getpid], shared_from=1)
    try:
        results = worker.results()
    finally:
        worker.stop()
    assert len(results) == 4
    assert results[0] != os.getpid()  # the worker's own job
    assert results[1:] == [os.getpid()] * 3  # taken here while the worker was busy


def test_workers_follow_ddgen_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from ddgen.build import render_workers

    monkeypatch.setenv("DDGEN_WORKERS", "1")
    assert render_workers() == 1
    monkeypatch.setenv("DDGEN_WORKERS", "8")
    assert render_workers() == (2 if sys.platform.startswith("linux") else 1)


def test_no_worker_to_be_had_renders_in_one_process(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ddgen.build as build_module

    def refused(self: object, jobs: object, shared_from: object = None) -> None:
        raise OSError("Resource temporarily unavailable")

    checked = check(example_project)
    alone = render_years(checked, Scope.PUBLIC, "nl", example_project, parallel=False)
    monkeypatch.setattr(build_module.Background, "__init__", refused)
    assert render_years(checked, Scope.PUBLIC, "nl", example_project, parallel=True).pages == alone.pages


FINGERPRINTS = """
import sys
from pathlib import Path
from ddgen.build import year_renderers
from ddgen.model.common import Scope
from ddgen.pipeline import check
project = Path(sys.argv[1])
checked = check(project)
for scope in (Scope.PUBLIC, Scope.INTERNAL):
    for renderer in year_renderers(checked, scope, "nl", project)[1]:
        print(scope.value, renderer.prefix or "latest", renderer.fingerprint().hex())
"""


def test_fingerprints_are_the_same_in_every_process(example_project: Path) -> None:
    """`ddgen serve`'s helper process takes a year only when its fingerprint equals the one the server
    computed: a fingerprint must not depend on the process (string hashes differ between processes,
    so anything written in the order of a set would)."""
    import os
    import subprocess
    import sys

    runs = [subprocess.run([sys.executable, "-c", FINGERPRINTS, str(example_project)], capture_output=True,
                           text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1] and len(runs[0].splitlines()) == 6
