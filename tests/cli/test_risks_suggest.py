"""`ddgen risks suggest`: the listed goods of the example company, as text, JSON and YAML records."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from ddgen.cli import cli
from ddgen.pipeline import check

EXAMPLE = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["risks", "suggest", *args])
    return result.exit_code, result.output


def test_text_lists_each_listed_good_with_its_suppliers_and_coverage() -> None:
    code, out = run(str(EXAMPLE))
    assert code == 0
    assert "Garments from Bangladesh (BD): child labour, forced labour" in out
    assert "child labour: covered by R-018" in out
    assert "Cotton from Pakistan (PK): forced labour" in out
    assert "forced labour: NOT COVERED: no forced_labour risk names PK and this good" in out
    assert "suppliers there: S-017 (tier 2), S-030 (tier 3), S-033 (tier 3)" in out
    assert "M-PES Polyester" in out.split("Not matched")[1]
    assert out.rstrip().endswith("7 products or raw materials not matched.")


def test_json_gives_the_same_pairs_with_positions() -> None:
    code, out = run(str(EXAMPLE), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["source"]["edition"] == "2022"
    gaps = [(p["good"], p["country"]) for p in data["pairs"] if any(not k["covered_by"] for k in p["kinds"])]
    assert gaps == [("Cotton", "PK"), ("Leather", "PK")]
    assert data["summary"] == {"pairs": 9, "gaps": 2, "unmatched": 7}
    cotton_pk = next(p for p in data["pairs"] if p["country"] == "PK" and p["good"] == "Cotton")
    assert cotton_pk["at"] == "data/value_chain.yaml:137:28"


def test_the_example_register_covers_most_listed_goods_and_check_warns_for_the_rest() -> None:
    warnings = [p for p in check(EXAMPLE).report.warnings if p.code == "DDG307"]
    assert [(str(p.where), p.message.split(" is on")[0]) for p in warnings] == [
        ("data/value_chain.yaml:137:28", "Cotton from Pakistan (M-COT)"),
        ("data/value_chain.yaml:189:28", "Leather from Pakistan (M-LEA)"),
    ]


def test_yaml_records_load_back_as_valid_risks_that_close_the_gaps(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE / "data", project / "data")
    shutil.copy(EXAMPLE / "mkdocs.yml", project / "mkdocs.yml")
    code, out = run(str(project), "--format", "yaml")
    assert code == 0
    assert "title: Dwangarbeid in katoen uit Pakistan" in out  # the report's language (Dutch)
    assert "likelihood: 3 # assess" in out
    (project / "data" / "risks").mkdir()
    (project / "data" / "risks" / "suggested.yaml").write_text(out, encoding="utf-8")
    result = check(project)
    assert result.report.errors == []
    added = {r.id: r for r in result.dossier.risks if r.id in ("R-019", "R-020")}
    assert [(r.theme.value, r.countries, r.raw_materials) for r in added.values()] == [
        ("forced_labour", ("PK",), ("M-COT",)), ("child_labour", ("PK",), ("M-LEA",))]
    assert all(r.sources[0].kind.value == "public_list" and "2022" in str(r.sources[0].title) for r in added.values())
    assert [p for p in result.report.warnings if p.code == "DDG307"] == []


def test_data_errors_stop_the_suggestions_with_exit_1(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "risks.yaml").write_text("risks:\n  - id: R-1\n", encoding="utf-8")
    code, out = run(str(tmp_path))
    assert code == 1
    assert "No suggestions" in out
