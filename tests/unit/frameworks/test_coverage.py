"""Coverage on the example company, and what happens when records go missing (in temporary copies)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from ddgen.cli import cli
from ddgen.derive.coverage import FrameworkCoverage, RequirementCoverage, Status
from ddgen.frameworks import load_frameworks
from ddgen.frameworks.report import measure
from ddgen.model.common import Scope
from ddgen.pipeline import check

ROOT = Path(__file__).resolve().parents[3]


def copy_data(target: Path) -> Path:
    shutil.copytree(ROOT / "data", target / "data")
    return target


def edit_yaml(project: Path, name: str, change: Callable[[dict], None]) -> None:
    """Change a data file through ruamel's round trip, so the rest of the file stays as it was."""
    yaml = YAML(typ="rt")
    path = project / "data" / name
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)


def coverage_of(project: Path, scope: Scope = Scope.PUBLIC) -> dict[str, FrameworkCoverage]:
    checked = check(project)
    assert not checked.report.errors, checked.report.render_text()
    maps, _ = load_frameworks(project)
    return {c.framework.id: c for c in measure(checked.dossier, checked.as_of, maps, scope)}


def req(found: dict[str, FrameworkCoverage], framework: str, ident: str) -> RequirementCoverage:
    rc = found[framework].of(ident)
    assert rc is not None, (framework, ident)
    return rc


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FrameworkCoverage]:
    return coverage_of(copy_data(tmp_path_factory.mktemp("example")))


@pytest.mark.parametrize(("framework", "ident", "status"), [
    ("gri", "2-6", Status.COVERED),
    ("gri", "2-23", Status.COVERED),
    ("gri", "2-24", Status.COVERED),
    ("gri", "2-29", Status.COVERED),
    ("gri", "2-30", Status.COVERED),  # answered in the annual report (external_locations)
    ("gri", "2-27", Status.MISSING),  # explained in omissions
    ("gri", "2-4", Status.MISSING),
    ("gri", "3-2", Status.COVERED),
    ("gri", "414-1", Status.COVERED),  # the screened new supplier is internal: counted in the figures only
    ("gri", "308-1", Status.MISSING),  # it was screened on social criteria only
    ("gri", "408-1", Status.COVERED),
    ("gri", "411-1", Status.NOT_MATERIAL),
    ("ungprf", "A1", Status.COVERED),
    ("ungprf", "B1", Status.COVERED),
    ("ungprf", "C2", Status.COVERED),
    ("ungprf", "C6.4", Status.COVERED),  # grievance cases are public as statistics
    ("ungprf", "C6.5", Status.MISSING),  # remediation cases are internal
    ("csddd", "Art. 5(1)(e)", Status.COVERED),
    ("esrs", "GOV-4 (b)", Status.COVERED),
    ("lksg", "§ 8", Status.COVERED),
])
def test_named_requirements_of_the_example_have_the_expected_status(
        example: dict[str, FrameworkCoverage], framework: str, ident: str, status: Status) -> None:
    assert req(example, framework, ident).status is status


def test_omissions_and_external_locations_come_from_the_data(example: dict[str, FrameworkCoverage]) -> None:
    assert req(example, "gri", "2-27").omission.reason.value == "information_unavailable"  # type: ignore[union-attr]
    assert req(example, "ungprf", "C6.5").omission.reason.value == "confidentiality_constraints"  # type: ignore[union-attr]
    assert "Jaarverslag 2025" in str(req(example, "gri", "2-30").external.location)  # type: ignore[union-attr]
    assert req(example, "gri", "2-4").omission is None


def test_records_that_are_not_public_answer_only_in_the_internal_edition(
        example: dict[str, FrameworkCoverage], tmp_path: Path) -> None:
    c65 = req(example, "ungprf", "C6.5")
    assert [i.hidden for i in c65.items] == [True]
    internal = coverage_of(copy_data(tmp_path), Scope.INTERNAL)
    assert req(internal, "ungprf", "C6.5").status is Status.COVERED


def test_removing_the_stakeholder_consultations_flips_their_requirements_to_missing(tmp_path: Path) -> None:
    project = copy_data(tmp_path)
    edit_yaml(project, "stakeholders.yaml", lambda d: d["consultations"].clear())
    edit_yaml(project, "policy.yaml", lambda d: [p.pop("developed_with", None) for p in d["policies"]])
    found = coverage_of(project)
    for framework, ident in [("gri", "2-29"), ("ungprf", "C2"), ("ungprf", "C2.2"), ("csddd", "Art. 5(1)(e)"),
                             ("csddd", "Art. 13"), ("esrs", "GOV-4 (b)")]:
        assert req(found, framework, ident).status is Status.MISSING, (framework, ident)
    assert req(found, "gri", "3-1").status is Status.PARTIAL  # risks still answer part of it


def test_removing_the_grievance_mechanism_flips_its_requirements(tmp_path: Path) -> None:
    project = copy_data(tmp_path)
    edit_yaml(project, "grievances.yaml", lambda d: d.pop("grievance_mechanism"))
    found = coverage_of(project)
    assert req(found, "ungprf", "C6.1").status is Status.MISSING
    assert req(found, "csddd", "Art. 5(1)(f)").status is Status.MISSING
    assert req(found, "gri", "2-26").status is Status.PARTIAL  # the staff code of conduct still answers part
    assert req(found, "lksg", "§ 8").status is Status.PARTIAL  # grievance statistics remain


def test_a_disclosure_answered_by_risks_on_one_theme_goes_missing_without_them(tmp_path: Path) -> None:
    project = copy_data(tmp_path)

    def no_child_labour(data: dict) -> None:
        for risk in data["risks"]:
            if risk["theme"] == "child_labour":
                risk["theme"] = "working_conditions"

    edit_yaml(project, "risks.yaml", no_child_labour)
    found = coverage_of(project)
    assert req(found, "gri", "408-1").status is Status.MISSING
    assert req(found, "gri", "409-1").status is Status.COVERED


def test_a_missing_field_makes_a_requirement_partial(tmp_path: Path) -> None:
    project = copy_data(tmp_path)
    edit_yaml(project, "policy.yaml", lambda d: [p.pop("approval") for p in d["policies"]])
    found = coverage_of(project)
    a1 = req(found, "ungprf", "A1")
    assert a1.status is Status.PARTIAL
    assert [(i.answer.records, i.answer.field) for i in a1.missing] == [("policies", "approval")]


def test_policies_that_are_all_internal_are_hidden_not_absent(tmp_path: Path) -> None:
    project = copy_data(tmp_path)
    edit_yaml(project, "policy.yaml", lambda d: [p.__setitem__("scope", "internal") for p in d["policies"]])
    found = coverage_of(project)
    rc = req(found, "gri", "2-23")
    assert rc.status is Status.PARTIAL  # the supplier code is still public
    assert all(i.hidden for i in rc.missing)


# --------------------------------------------------------------------------- ddgen coverage


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_ddgen_coverage_lists_statuses_and_what_would_fill_the_gaps() -> None:
    result = run("coverage", str(ROOT), "--framework", "gri")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Coverage of the public edition: what its pages can answer from the records."
    row = next(i for i, line in enumerate(lines) if line.split()[:2] == ["missing", "308-1"])
    assert lines[row + 1].strip() == (
        "to fill: add a record to `suppliers:` in data/suppliers.yaml whose screening.criteria is environmental")
    assert any(line.split()[:2] == ["covered", "2-23"] for line in lines)
    assert any(line.strip().startswith("omission: information unavailable: ") for line in lines)
    assert "ungprf" not in result.output


def test_ddgen_coverage_json_has_every_framework_and_requirement() -> None:
    import json

    result = run("coverage", str(ROOT), "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert [f["id"] for f in payload["frameworks"]] == ["gri", "ungprf", "csddd", "esrs", "lksg"]
    ungprf = next(f for f in payload["frameworks"] if f["id"] == "ungprf")
    assert len(ungprf["requirements"]) == 35
    c65 = next(r for r in ungprf["requirements"] if r["id"] == "C6.5")
    assert c65["status"] == "missing"
    assert c65["answered_by"][0]["hidden"] is True
    assert c65["omission"]["reason"] == "confidentiality_constraints"
    internal = json.loads(run("coverage", str(ROOT), "--format", "json", "--scope", "internal").output)
    assert internal["scope"] == "internal"


def test_ddgen_coverage_refuses_an_unknown_framework_with_exit_2() -> None:
    result = run("coverage", str(ROOT), "--framework", "grii")
    assert result.exit_code == 2
    assert 'there is no framework "grii"; choose one of: all, gri, ungprf, csddd, esrs, lksg.' in result.output


def test_ddgen_coverage_exits_1_when_the_data_has_errors(tmp_path: Path) -> None:
    project = copy_data(tmp_path)
    edit_yaml(project, "risks.yaml", lambda d: d["risks"][0]["severity"].__setitem__("scale", 9))
    result = CliRunner().invoke(cli, ["coverage", str(project)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "No coverage report: ddgen needs the data without errors first." in result.output
