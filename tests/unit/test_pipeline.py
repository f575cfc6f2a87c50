"""`ddgen.pipeline.check` on whole projects: the bad-fixture cases, all-at-once reporting, message form.

Each folder in tests/fixtures/bad/ is one case: its data/ folder is laid over the minimal fixture
(unless case.json says `"overlay": false`), and expected.txt lists `file:line:column CODE` for every
problem, errors and warnings alike, in report order. case.json may also lower a limit of
`ddgen.load` (`"patch": {"MAX_FILE_BYTES": 1000}`) so that no test has to write 16 MB.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import ddgen.load
import ddgen.pipeline as pipeline_module
from ddgen.pipeline import check
from ddgen.problems import CATALOGUE, Problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "minimal"
MakeRepo = Callable[..., Path]  # the make_repo fixture of tests/conftest.py

BAD = FIXTURES / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())

UNTESTABLE_BY_FIXTURE: dict[str, str] = {
    "DDG010": "emitted by `ddgen build` (a page in content/ clashes with a generated page), never by check",
    "DDG011": "emitted by `ddgen build` when MkDocs fails, never by check",
    "DDG012": "emitted by `ddgen build` when a page template in overrides/ddgen/ fails; tests/site/test_memo.py",
    "DDG020": "emitted by `ddgen import suppliers` for a file that is no supplier list; tests/unit/importer",
    "DDG021": "emitted by `ddgen import suppliers` for a file that is too large; tests/unit/importer",
    "DDG220": "emitted by `ddgen import suppliers` when a row fits several suppliers; tests/unit/importer",
}
"""Catalogue codes `check` on a fixture cannot trigger, with the reason; the build tests cover them."""


def expected(case: str) -> list[str]:
    lines = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def run_case(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    folder = BAD / case
    config = json.loads((folder / "case.json").read_text()) if (folder / "case.json").exists() else {}
    repo = tmp_path / case
    if config.get("overlay", True):
        shutil.copytree(MINIMAL, repo, symlinks=True)
    shutil.copytree(folder / "data", repo / "data", symlinks=True, dirs_exist_ok=True)
    for name, value in config.get("patch", {}).items():
        assert hasattr(ddgen.load, name), f"case.json of {case} patches unknown ddgen.load.{name}"
        monkeypatch.setattr(ddgen.load, name, value)
    return check(repo).report.sorted()


def lines(problems: list[Problem]) -> list[str]:
    return [f"{p.where} {p.code}" for p in problems]


def test_minimal_fixture_is_clean() -> None:
    report = check(MINIMAL).report
    assert report.problems == []
    assert report.records == {"company": 1, "reporting_periods": 1, "suppliers": 1, "risks": 1}


@pytest.mark.parametrize("case", CASES)
def test_bad_case(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert lines(run_case(case, tmp_path, monkeypatch)) == expected(case)


@pytest.mark.parametrize("case", CASES)
def test_bad_case_messages_are_the_same_on_the_fast_and_the_exact_path(case: str, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """ddgen.load reads with libyaml first and ruamel only where needed; users must not see the difference."""
    fast = run_case(case, tmp_path / "fast", monkeypatch)
    monkeypatch.setattr(ddgen.load, "FAST", False)
    exact = run_case(case, tmp_path / "exact", monkeypatch)
    assert [(str(p), p.message, p.fix, p.related) for p in fast] == [(str(p), p.message, p.fix, p.related) for p in exact]


def test_every_case_has_data_and_expectations() -> None:
    for case in CASES:
        assert (BAD / case / "data").is_dir(), case
        assert expected(case), f"{case}/expected.txt lists no problem"
        for line in expected(case):
            assert re.fullmatch(r"data/\S+:\d+:\d+ DDG\d{3}", line), f"{case}: {line!r}"


def test_every_catalogue_code_appears_in_some_case() -> None:
    """A code that no fixture triggers is either untested or dead; both need a decision."""
    seen = {line.split()[-1] for case in CASES for line in expected(case)}
    assert set(UNTESTABLE_BY_FIXTURE) <= set(CATALOGUE)
    assert sorted(set(CATALOGUE) - seen - set(UNTESTABLE_BY_FIXTURE)) == []
    assert sorted(seen - set(CATALOGUE)) == []


@pytest.fixture(scope="module")
def all_bad_problems(tmp_path_factory: pytest.TempPathFactory) -> list[Problem]:
    found: list[Problem] = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        for case in CASES:
            found += run_case(case, tmp_path_factory.mktemp("bad"), monkeypatch)
            monkeypatch.undo()
    return found


PYTHON_WORDS = re.compile(
    r"\b(int|str|NoneType|None|dict|loc|validation error|Input should|Traceback|pydantic|ruamel|scalar|token)\b"
    r"|<stream|<block|<unicode|\[type="
)


def test_no_python_words_in_any_message(all_bad_problems: list[Problem]) -> None:
    leaks = [f"{p.where} {p.code}: {text}" for p in all_bad_problems for text in (p.message, p.fix)
             if PYTHON_WORDS.search(text)]
    assert leaks == []


def test_every_problem_has_a_message_and_a_hint(all_bad_problems: list[Problem]) -> None:
    for p in all_bad_problems:
        assert p.code in CATALOGUE
        assert p.message.strip() and p.fix.strip(), p
        assert p.message.endswith((".", "?")), p.message
        assert "\n" not in p.message and "\n" not in p.fix, p
        assert not re.search(r"\b(invalid|illegal|forbidden|please|sorry|oops)\b", p.message + p.fix, re.I), p


TEXT_BLOCK = re.compile(
    r"(?P<file>data/[^:\n]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): (?P<code>DDG\d{3}): .+\n"
    r"(  see: data/[^:\n]+:\d+:\d+\n)*"
    r"  hint: .+"
)


def test_rendered_text_has_file_line_column_severity_code_and_hint(make_repo: MakeRepo) -> None:
    repo = make_repo({"data/risks.yaml": (MINIMAL / "data/risks.yaml").read_text().replace("scale: 2", "scale: 7"),
                      "data/suppliers.yaml": (MINIMAL / "data/suppliers.yaml").read_text() * 2})
    report = check(repo).report
    *blocks, summary = report.render_text().rstrip("\n").split("\n\n")
    assert [bool(TEXT_BLOCK.fullmatch(b)) for b in blocks] == [True] * len(blocks), blocks
    assert blocks[0].splitlines() == [
        'data/risks.yaml:14:14: error: DDG105: "scale" of risk R-001 is "7"; it must be from 1 to 5.',
        "  hint: use a value from 1 to 5. Scores go from 1 (lowest) to 5 (highest).",
    ]
    assert blocks[1].splitlines()[1] == "  see: data/suppliers.yaml:1:1"
    assert summary == "Checked 3 files, 3 records (1 company, 1 reporting_periods, 1 suppliers): 2 errors, 0 warnings."


def test_all_errors_of_all_files_are_reported_at_once_sorted_by_file_and_line(make_repo: MakeRepo) -> None:
    repo = make_repo({
        "data/suppliers.yaml": "suppliers:\n  - id: S-001\n    name: Dhaka\n    address: Gazipur\n"
                               "    country: Holland\n    tier: 11\n    product_types: [workwear]\n",
        "data/company.yaml": (MINIMAL / "data/company.yaml").read_text().replace("employees: 25", "employees: many"),
        "data/actions.yaml": "actions:\n  - id: A-1\n    title: x\n    title: y\n",
        "data/kpis.yaml": "kpis: [\n",
        "data/risks.yaml": (MINIMAL / "data/risks.yaml").read_text().replace("likelihood: 3", "likelihood: 9"),
    })
    problems = check(repo).report.sorted()
    assert lines(problems) == [
        "data/actions.yaml:2:5 DDG101",  # description, kind, owner, risks, status
        "data/actions.yaml:2:5 DDG101",
        "data/actions.yaml:2:5 DDG101",
        "data/actions.yaml:2:5 DDG101",
        "data/actions.yaml:2:5 DDG101",
        "data/actions.yaml:4:5 DDG003",
        "data/company.yaml:6:14 DDG104",
        "data/kpis.yaml:2:1 DDG002",
        "data/risks.yaml:17:17 DDG105",
        "data/suppliers.yaml:5:14 DDG107",
        "data/suppliers.yaml:6:11 DDG105",
    ]
    keys = [(p.where.file, p.where.line, p.where.column) for p in problems]
    assert keys == sorted(keys)


def test_the_same_project_gives_the_same_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run_case("wrong_types", tmp_path / "a", monkeypatch)
    second = run_case("wrong_types", tmp_path / "b", monkeypatch)
    assert first == second


def test_check_pauses_the_collector_only_while_it_runs() -> None:
    example_project = FIXTURES.parents[1]  # the bundled example
    import gc

    seen = []
    original = pipeline_module.validate

    def spying(*args):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return original(*args)

    assert gc.isenabled()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline_module, "validate", spying)
        check(example_project)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        check(example_project)
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()



def test_a_kept_load_cache_validates_only_changed_files_and_finds_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ddgen serve` keeps a LoadCache between rounds: an unchanged file's records and problems come
    from the last round, and still show in every round; a changed file is validated anew."""
    import ddgen.validate as validate_module
    from ddgen.load import LoadCache

    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    suppliers = project / "data" / "suppliers.yaml"
    suppliers.write_text(suppliers.read_text(encoding="utf-8").replace("tier: 1", "tier: 11", 1), encoding="utf-8")
    validated: list[str] = []
    original = validate_module._validate_doc

    def counting(doc, out):  # type: ignore[no-untyped-def]
        validated.append(doc.file)
        return original(doc, out)

    monkeypatch.setattr(validate_module, "_validate_doc", counting)
    cache = LoadCache()
    first = check(project, cache=cache)
    assert sorted(validated) == ["data/company.yaml", "data/risks.yaml", "data/suppliers.yaml"]
    risks = project / "data" / "risks.yaml"
    risks.write_text(risks.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    validated.clear()
    again = check(project, cache=cache)
    assert validated == ["data/risks.yaml"]
    fresh = check(project)
    assert lines(again.report.problems) == lines(fresh.report.problems) == lines(first.report.problems)
    assert any(p.code == "DDG105" for p in again.report.problems), "the unchanged file's problem is still reported"
    assert again.dossier.suppliers == fresh.dossier.suppliers and again.dossier.risks == fresh.dossier.risks
