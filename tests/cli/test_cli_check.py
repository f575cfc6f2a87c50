"""`ddgen check` and `ddgen schema` through click's CliRunner: exit codes, formats, files written."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from ruamel.yaml import YAML

from ddgen.cli import cli, main
from ddgen.model.dossier import FILE_KINDS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "minimal"
MakeRepo = Callable[..., Path]  # the make_repo fixture of tests/conftest.py

RISK = (MINIMAL / "data/risks.yaml").read_text()
BAD_DATA = {
    "data/risks.yaml": RISK.replace("scale: 2", "scale: 7"),
    "data/suppliers.yaml": (MINIMAL / "data/suppliers.yaml").read_text().replace("country: BD", "country: Holland"),
}
# An open high-priority risk without an action: one warning (DDG303), no errors.
WARNING_ONLY = {"data/risks.yaml": RISK.replace("scale: 2", "scale: 5").replace("irremediability: 2", "irremediability: 5")}


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# --------------------------------------------------------------------------- exit codes


def test_check_exits_0_on_the_minimal_fixture() -> None:
    result = run("check", str(MINIMAL))
    assert result.exit_code == 0, result.output
    assert result.output == "Checked 3 files, 4 records (1 company, 1 reporting_periods, 1 risks, 1 suppliers): " \
                            "0 errors, 0 warnings.\n"


def test_check_exits_1_on_bad_data_and_prints_every_problem(make_repo: MakeRepo) -> None:
    result = run("check", str(make_repo(BAD_DATA)))
    assert result.exit_code == 1
    assert re.findall(r"^(data/\S+): (error|warning): (DDG\d+):", result.output, re.M) == [
        ("data/risks.yaml:14:14", "error", "DDG105"),
        ("data/suppliers.yaml:5:14", "error", "DDG107"),
    ]
    assert result.output.rstrip().endswith("2 errors, 0 warnings.")


def test_check_without_a_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert "has no data/ folder" in result.output


def test_an_unknown_option_is_a_usage_error() -> None:
    result = run("check", "--colour", str(MINIMAL))
    assert result.exit_code == 2
    assert "No such option '--colour'" in result.output


def test_an_unknown_format_is_a_usage_error() -> None:
    assert run("check", "--format", "xml", str(MINIMAL)).exit_code == 2


def test_warnings_pass_unless_strict(make_repo: MakeRepo) -> None:
    repo = str(make_repo(WARNING_ONLY))
    relaxed, strict = run("check", repo), run("check", "--strict", repo)
    assert relaxed.exit_code == 0 and "warning: DDG303" in relaxed.output
    assert strict.exit_code == 1 and strict.output == relaxed.output


def test_as_of_moves_the_report_date(make_repo: MakeRepo) -> None:
    repo = str(make_repo({"data/risks.yaml": RISK.replace("assessed_on: 2024-06-01",
                                                          "assessed_on: 2024-06-01\n    next_review_on: 2024-10-01")}))
    assert "DDG306" in run("check", repo).output
    assert "DDG306" not in run("check", "--as-of", "2024-09-30", repo).output
    assert run("check", "--as-of", "2024-02-30", repo).exit_code == 2


def test_a_failure_inside_ddgen_exits_2_with_one_sentence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("ddgen.pipeline.check", broken)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setattr("sys.argv", ["ddgen", "check", str(MINIMAL)])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("ddgen stopped because of an error inside ddgen itself (details in ")
    assert "Traceback" not in err
    (crash,) = tmp_path.glob("ddgen-crash-*.txt")
    assert "RuntimeError: boom" in crash.read_text()


# --------------------------------------------------------------------------- formats


def test_json_format_has_the_same_problems_as_text(make_repo: MakeRepo) -> None:
    repo = str(make_repo({**BAD_DATA, **WARNING_ONLY}))
    text, as_json = run("check", repo), run("check", "--format", "json", repo)
    assert as_json.exit_code == text.exit_code == 1
    report = json.loads(as_json.output)
    assert (report["valid"], report["errors"], report["warnings"]) == (False, 1, 1)
    assert [(p["file"], p["line"], p["column"], p["severity"], p["code"]) for p in report["problems"]] == [
        ("data/risks.yaml", 2, 9, "warning", "DDG303"),
        ("data/suppliers.yaml", 5, 14, "error", "DDG107"),
    ]
    for p in report["problems"]:
        assert f"{p['file']}:{p['line']}:{p['column']}: {p['severity']}: {p['code']}: {p['message']}" in text.output
        assert f"  hint: {p['hint']}" in text.output


def test_json_format_of_a_clean_project() -> None:
    report = json.loads(run("check", "--format", "json", str(MINIMAL)).output)
    assert report == {"valid": True, "files": 3, "errors": 0, "warnings": 0, "problems": [],
                      "records": {"company": 1, "reporting_periods": 1, "risks": 1, "suppliers": 1}}


def test_github_format_annotates_the_lines(make_repo: MakeRepo) -> None:
    result = run("check", "--format", "github", str(make_repo({**BAD_DATA, **WARNING_ONLY})))
    assert result.exit_code == 1
    *annotations, summary = result.output.rstrip("\n").split("\n")
    assert [re.match(r"::(\w+) file=([^,]+),line=(\d+),col=(\d+),title=(DDG\d+)::", a).groups() for a in annotations] == [
        ("warning", "data/risks.yaml", "2", "9", "DDG303"),
        ("error", "data/suppliers.yaml", "5", "14", "DDG107"),
    ]
    assert "Hint: " in annotations[1]
    assert summary.startswith("Checked 3 files")


def test_github_format_escapes_percent_signs_and_line_breaks(make_repo: MakeRepo) -> None:
    repo = make_repo({"data/risks.yaml": RISK.replace("theme: working_hours", 'theme: "100% wages\\nand more"')})
    lines = run("check", "--format", "github", str(repo)).output.splitlines()
    assert len(lines) == 2 and lines[0].startswith("::error file=data/risks.yaml,line=4,col=12,title=DDG103::")
    assert '"100%25 wages%0Aand more"' in lines[0]


def test_github_format_escapes_commas_in_file_names(make_repo: MakeRepo) -> None:
    repo = make_repo({"data/suppliers/asia, south.yaml": "suppliers: {}\n"})
    first = run("check", "--format", "github", str(repo)).output.splitlines()[0]
    assert first.startswith("::error file=data/suppliers/asia%2C south.yaml,line=1,col=12,title=DDG008::")


# --------------------------------------------------------------------------- schema


@pytest.fixture(scope="module")
def schema_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("schemas") / "schema"
    result = run("schema", "-o", str(out))
    assert result.exit_code == 0
    assert result.output.splitlines() == [(out / f"{kind}.schema.json").as_posix() for kind in sorted(FILE_KINDS)]
    return out


def test_schema_writes_one_file_per_kind(schema_dir: Path) -> None:
    assert sorted(p.name for p in schema_dir.iterdir()) == sorted(f"{kind}.schema.json" for kind in FILE_KINDS)


@pytest.mark.parametrize("kind", sorted(FILE_KINDS))
def test_each_schema_names_the_sections_of_its_kind(schema_dir: Path, kind: str) -> None:
    schema = json.loads((schema_dir / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert sorted(schema["properties"]) == sorted(FILE_KINDS[kind])
    assert schema["additionalProperties"] is False
    assert schema["title"] == f"ddgen data/{kind}.yaml"


def test_the_suppliers_schema_describes_the_minimal_fixture(schema_dir: Path) -> None:
    """A small structural check in lieu of a JSON Schema validator (none is a dependency)."""
    schema = json.loads((schema_dir / "suppliers.schema.json").read_text(encoding="utf-8"))
    data = YAML(typ="safe", pure=True).load((MINIMAL / "data/suppliers.yaml").read_text())
    record_schema = schema["$defs"]["Supplier"]
    assert set(data["suppliers"][0]) <= set(record_schema["properties"])
    assert set(record_schema["required"]) <= set(data["suppliers"][0])
    assert record_schema["additionalProperties"] is False


def test_schema_writes_nothing_when_unchanged(schema_dir: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in schema_dir.iterdir()}
    assert run("schema", "-o", str(schema_dir)).exit_code == 0
    assert {p.name: p.stat().st_mtime_ns for p in schema_dir.iterdir()} == before


# --------------------------------------------------------------------------- help


@pytest.mark.parametrize("command", ["check", "schema"])
def test_every_command_has_help_with_an_example_and_exit_codes(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example: ddgen " in result.output
    assert "Exit status: 0 ok, 1 problems in the data, 2 usage error" in result.output
