"""`ddgen init`: a new company repository that checks, builds and has working CI definitions."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from ruamel.yaml import YAML

from ddgen.build import build
from ddgen.cli import cli
from ddgen.model.dossier import FILE_KINDS
from ddgen.pipeline import check


def _yaml(path: Path) -> dict:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def test_init_writes_a_project_that_checks_clean_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "report"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    report = check(target).report
    assert [p.render() for p in report.problems] == []
    assert report.records["suppliers"] == 1 and report.records["risks"] == 1
    built = build(target, tmp_path / "site")
    assert built.ok, built.report.render_text()
    assert (tmp_path / "site" / "index.html").is_file()
    for kind in FILE_KINDS:
        assert (target / "schema" / f"{kind}.schema.json").is_file()
    assert (target / ".gitignore").read_text(encoding="utf-8").splitlines()[0] == "site/"


def test_every_scaffold_field_is_explained_by_a_comment(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["init", str(tmp_path / "r")])
    for path in sorted((tmp_path / "r" / "data").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == f"# yaml-language-server: $schema=../schema/{path.stem}.schema.json"
        assert lines[1].startswith("# "), f"{path.name} should say what it holds"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert refused.exit_code == 2
    assert "--force" in refused.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    forced = CliRunner().invoke(cli, ["init", str(tmp_path), "--force"])
    assert forced.exit_code == 0
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_github_workflow_checks_with_annotations_and_deploys_pages(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["init", str(tmp_path / "r")])
    workflow = _yaml(tmp_path / "r" / ".github" / "workflows" / "ddgen.yml")
    triggers = workflow["on"]
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"] and triggers["push"]["tags"]
    jobs = workflow["jobs"]
    assert set(jobs) == {"check", "build", "deploy"}
    check_steps = " ".join(str(s.get("run", "")) for s in jobs["check"]["steps"])
    assert "ddgen check . --format github" in check_steps
    assert "@DDGEN_VERSION@" not in (tmp_path / "r" / ".github" / "workflows" / "ddgen.yml").read_text()
    assert jobs["build"]["needs"] == "check" and jobs["deploy"]["needs"] == "build"
    assert any("deploy-pages" in str(s.get("uses", "")) for s in jobs["deploy"]["steps"])
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_gitlab_ci_checks_and_publishes_pages(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["init", str(tmp_path / "r")])
    pipeline = _yaml(tmp_path / "r" / ".gitlab-ci.yml")
    assert pipeline["stages"] == ["check", "build"]
    assert "ddgen check ." in pipeline["check"]["script"]
    assert any("ddgen build . -o public" in line for line in pipeline["pages"]["script"])
    assert "public" in pipeline["pages"]["artifacts"]["paths"]
