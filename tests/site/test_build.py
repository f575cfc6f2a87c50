"""`ddgen build`: determinism, atomic replacement, review editions, escaping of data."""

from __future__ import annotations

import filecmp
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ddgen.build import build
from ddgen.cli import cli
from ddgen.model.common import Scope



def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    project = example_copy(tmp_path / "project")
    first, second = tmp_path / "one", tmp_path / "two"
    assert build(project, first).ok
    assert build(project, second).ok
    one, two = _tree(first), _tree(second)
    assert sorted(one) == sorted(two)
    different = [name for name in one if one[name] != two[name]]
    assert different == []
    assert filecmp.dircmp(first, second).diff_files == []


def test_bad_data_leaves_the_previous_site_untouched(tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    project = example_copy(tmp_path / "project")
    site = tmp_path / "site"
    assert build(project, site).ok
    before = _tree(site)
    risks = project / "data" / "risks.yaml"
    risks.write_text(risks.read_text(encoding="utf-8").replace("likelihood: ", "likelihood: 9", 1), encoding="utf-8")
    result = build(project, site)
    assert not result.ok
    assert any(p.code == "DDG105" for p in result.report.errors)
    assert _tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]  # no half-built folder left


def test_failed_mkdocs_build_leaves_no_partial_site(tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    project = example_copy(tmp_path / "project")
    (project / "content" / "broken.md").write_text("# Broken\n\n[missing](nowhere.md)\n", encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert not result.ok
    assert [p.code for p in result.report.errors] == ["DDG011"]
    assert "nowhere.md" in result.report.errors[0].message
    assert not (tmp_path / "site").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_review_edition_is_refused_over_the_public_site(tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    project = example_copy(tmp_path / "project")
    runner = CliRunner()
    no_folder = runner.invoke(cli, ["build", str(project), "--scope", "internal"])
    assert no_folder.exit_code == 2
    assert "-o" in no_folder.output
    public = runner.invoke(cli, ["build", str(project), "--scope", "partner", "-o", str(project / "site")])
    assert public.exit_code == 2
    assert build(project, tmp_path / "published").ok
    over_public = runner.invoke(cli, ["build", str(project), "--scope", "internal", "-o", str(tmp_path / "published")])
    assert over_public.exit_code == 2
    assert "public site" in over_public.output


def test_internal_edition_has_a_banner_on_every_page(tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    project = example_copy(tmp_path / "project")
    result = build(project, tmp_path / "internal", scope=Scope.INTERNAL)
    assert result.ok
    pages = [p for p in (tmp_path / "internal").rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 20
    assert [p.name for p in pages if "ddgen-scope-banner" not in p.read_text(encoding="utf-8")] == []


def test_content_page_with_a_generated_name_is_refused(tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    project = example_copy(tmp_path / "project")
    (project / "content" / "policy.md").write_text("# My own policy page\n", encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert [(p.code, p.where.file) for p in result.report.errors] == [("DDG010", "content/policy.md")]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "**bold** [link](http://x) | pipe _x_ `code`"])
def test_data_is_shown_as_text_never_as_markup(tmp_path: Path, example_copy: Callable[[Path], Path], hostile: str) -> None:
    project = example_copy(tmp_path / "project")
    suppliers = project / "data" / "suppliers.yaml"
    text = suppliers.read_text(encoding="utf-8")
    first_name = next(line for line in text.splitlines() if line.strip().startswith("name:"))
    quoted = hostile.replace('"', '\\"')
    suppliers.write_text(text.replace(first_name, f'{first_name.split("name:")[0]}name: "{quoted}"', 1),
                         encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.ok, result.report.render_text()
    listing = (tmp_path / "site" / "suppliers" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in listing
    assert "<strong>bold</strong>" not in listing and 'href="http://x"' not in listing
    if hostile.startswith("<script>"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing


def test_release_zip_is_reproducible_and_checksummed(tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    import hashlib
    import zipfile

    project = example_copy(tmp_path / "project")
    runner = CliRunner()
    first = runner.invoke(cli, ["build", str(project), "-o", str(tmp_path / "site"), "--release",
                                "--release-dir", str(tmp_path / "one")])
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, ["build", str(project), "-o", str(tmp_path / "site2"), "--release",
                                 "--release-dir", str(tmp_path / "two")])
    assert second.exit_code == 0, second.output
    zips = sorted((tmp_path / "one").glob("*.zip"))
    assert [z.name for z in zips] == ["tweestroom-werkkleding-due-diligence-2025.zip"]
    data = zips[0].read_bytes()
    assert data == (tmp_path / "two" / zips[0].name).read_bytes()
    digest, name = (tmp_path / "one" / f"{zips[0].name}.sha256").read_text(encoding="utf-8").split()
    assert (digest, name) == (hashlib.sha256(data).hexdigest(), zips[0].name)
    with zipfile.ZipFile(zips[0]) as archive:
        names = archive.namelist()
    prefix = zips[0].stem
    assert f"{prefix}/index.html" in names and f"{prefix}/downloads/suppliers.csv" in names


def test_a_build_leaves_the_collector_as_it_found_it(example_project: Path, tmp_path: Path) -> None:
    """The build pauses the collector while it renders and keeps its records out of MkDocs' collections."""
    import gc

    assert build(example_project, tmp_path / "site").ok
    assert gc.isenabled() and gc.get_freeze_count() == 0
