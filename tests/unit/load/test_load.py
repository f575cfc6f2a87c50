"""The loader: YAML 1.2 values, positions, and every way a file can be unreadable or hostile."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

import ddgen.load
from ddgen.load import MAX_DEPTH, data_files, load, load_file, load_text, resolve_plain
from ddgen.pipeline import check
from ddgen.problems import Span

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MINIMAL = FIXTURES / "minimal"
MakeRepo = Callable[..., Path]  # the make_repo fixture of tests/conftest.py


def one(text: str) -> tuple[object, list[str]]:
    doc, problems = load_text(text, "data/x.yaml")
    return (doc.data if doc else None), [f"{p.where} {p.code}" for p in problems]


# --------------------------------------------------------------------------- YAML 1.1 traps


@pytest.mark.parametrize(("text", "value"), [
    ("NO", "NO"), ("no", "no"), ("yes", "yes"), ("Yes", "Yes"), ("on", "on"), ("off", "off"), ("y", "y"),
    ("true", True), ("False", False), ("~", None), ("", None), ("null", None),
    ("12", 12), ("-3", -3), ("0", 0), ("007", "007"), ("0o17", 15), ("0x1F", 31), ("1.5", 1.5), ("1e3", 1000.0),
    ("2024-01-31", "2024-01-31"), ("1_000", "1_000"), ("12:30", "12:30"), (".inf", ".inf"), ("1" * 200, "1" * 200),
])
def test_plain_scalars_follow_yaml_1_2_core_rules(text: str, value: object) -> None:
    assert resolve_plain(text) == value
    assert type(resolve_plain(text)) is type(value)


def test_norway_stays_norway_and_yes_on_stay_text(make_repo: MakeRepo) -> None:
    supplier = (MINIMAL / "data/suppliers.yaml").read_text()
    repo = make_repo({"data/suppliers.yaml": supplier.replace("country: BD", "country: NO").replace(
        "product_types: [workwear]", "product_types: [yes, on, off]\n    local_name: yes\n    facility_type: No")})
    result = check(repo)
    assert result.report.problems == []
    (s,) = result.dossier.suppliers
    assert (s.country, s.product_types, s.local_name, s.facility_type) == ("NO", ("yes", "on", "off"), "yes", "No")


def test_quoted_values_are_never_converted() -> None:
    data, problems = one('a: "12"\nb: \'true\'\nc: "~"\nd: |\n  007\n')
    assert (data, problems) == ({"a": "12", "b": "true", "c": "~", "d": "007\n"}, [])


def test_allowed_core_tags_still_work_and_merge_keys_merge() -> None:
    data, problems = one("base: &b {city: Utrecht, country: NL}\nhq:\n  <<: *b\n  city: Delft\nn: !!str 12\n")
    assert problems == []
    assert data == {"base": {"city": "Utrecht", "country": "NL"}, "hq": {"city": "Delft", "country": "NL"}, "n": "12"}


# --------------------------------------------------------------------------- positions


def test_positions_of_keys_and_values_are_one_based() -> None:
    doc, _ = load_text("suppliers:\n  - id: S-1\n    tags: [a, b]\n", "data/suppliers.yaml")
    assert doc is not None
    assert doc.locate(("suppliers", 0, "id")) == Span("data/suppliers.yaml", 2, 9)
    assert doc.locate(("suppliers", 0, "id"), key=True) == Span("data/suppliers.yaml", 2, 5)
    assert doc.locate(("suppliers", 0, "tags", 1)) == Span("data/suppliers.yaml", 3, 15)
    # A path that leads nowhere points at the deepest node that exists.
    assert doc.locate(("suppliers", 0, "missing")) == Span("data/suppliers.yaml", 2, 5)


def test_positions_count_characters_not_bytes() -> None:
    doc, _ = load_text("a: Café Ünïcode\nb: 1\nc: [é, x]\n", "f")
    assert doc is not None and doc.locate(("c", 1)) == Span("f", 3, 8)


# --------------------------------------------------------------------------- syntax and duplicates


def test_every_duplicate_key_is_reported_with_the_first_one_related() -> None:
    doc, problems = load_text("a: 1\nb:\n  x: 1\n  x: 2\n  x: 3\na: 2\n", "f")
    assert [(str(p.where), p.code, p.related) for p in problems] == [
        ("f:4:3", "DDG003", (Span("f", 3, 3),)),
        ("f:5:3", "DDG003", (Span("f", 3, 3),)),
        ("f:6:1", "DDG003", (Span("f", 1, 1),)),
    ]
    assert doc is not None and doc.data == {"a": 1, "b": {"x": 1}}  # the first one counts
    assert problems[0].message == 'the key "x" appears twice in this mapping.'


@pytest.mark.parametrize(("text", "where", "words"), [
    ("a:\n  b: [x, y\n  c: 1\n", "f:2:6", "the list that starts with '[' here is not closed"),
    ("a: {x: 1\n", "f:1:4", "the mapping that starts with '{' here is not closed"),
    ("a: [\n", "f:2:1", "the file ends inside a list or mapping"),
    ("a:\n    b: 1\n  c: 2\n", "f:3:3", "line 3 is not indented like the lines above it"),
    ("a:\n  - x\n - y\n", "f:3:2", "line 3 is not indented like the lines above it"),
    ("a:\n\tb: 1\n", "f:2:1", "line 2 starts with a tab"),
    ("a:\n  b:\t1\n", "f:2:5", "line 2 has a tab at column 5"),
    ("a: b: c\n", "f:1:5", "line 1 has a second ': '"),
    ('a: "abc\nb: 1\n', "f:1:4", "the quote that starts here is never closed"),
    ("a: 1\nb\nc: 2\n", "f:2:1", "line 2 has no colon after its key"),
    ("a: *nothing\n", "f:1:4", "the alias *nothing has no anchor &nothing above it"),
    ("a: 1\n---\nb: 2\n", "f:2:1", "more than one YAML document"),
    ('a: "x" y\n', "f:1:8", "there is more text here than YAML expects"),
    ("a: [1]]\n", "f:1:7", "the ']' here has no matching opening bracket"),
    ("a: @home\n", "f:1:4", "a value cannot start with '@'"),
    ('a: "C:\\q"\n', "f:1:8", "a backslash in double quotes"),
    ("a: -\n- b\n", "f:1:4", "a '- ' list item is not expected here"),
    ("a: x\x0cy\n", "f:1:5", "invisible control character (U+000C)"),
])
def test_syntax_errors_are_explained_in_plain_words(text: str, where: str, words: str) -> None:
    doc, found = load_text(text, "f")
    assert doc is None
    assert [(str(p.where), p.code) for p in found] == [(where, "DDG002")]
    assert words in found[0].message
    assert found[0].fix


def test_a_reused_anchor_is_allowed_and_prints_no_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert one("a: &x 1\nb: &x 2\nc: *x\n") == ({"a": 1, "b": 2, "c": 2}, [])
    assert capsys.readouterr() == ("", "")


# --------------------------------------------------------------------------- hostile files


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object:os.Popen", "!!python/name:os.system",
                                 "!!binary", "!!set", "!custom", "!<tag:example.com,2000:app/x>"])
def test_tags_that_could_create_objects_are_refused(tag: str) -> None:
    doc, problems = load_text(f"a: {tag} [echo, hi]\nb: ok\n", "f")
    assert [(str(p.where), p.code) for p in problems] == [("f:1:4", "DDG004")]
    assert doc is not None and doc.data == {"a": None, "b": "ok"}
    assert doc.reported == {("a",)}


def test_a_tag_does_not_also_give_a_wrong_value_error(make_repo: MakeRepo) -> None:
    supplier = (MINIMAL / "data/suppliers.yaml").read_text()
    repo = make_repo({"data/suppliers.yaml": supplier.replace("name: Dhaka", "name: !!python/object/apply:os.system Dhaka")})
    assert [(str(p.where), p.code) for p in check(repo).report.problems] == [("data/suppliers.yaml:3:11", "DDG004")]


def billion_laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly() -> None:
    started = time.perf_counter()
    doc, problems = load_text(billion_laughs(), "f")
    assert time.perf_counter() - started < 2
    assert doc is None
    assert [p.code for p in problems] == ["DDG006"]
    assert problems[0].where.line > 1  # at the list whose aliases expand, not at 1:1


def test_modest_alias_use_is_fine() -> None:
    data, problems = one(billion_laughs(3))
    assert problems == [] and isinstance(data, dict) and len(data["a2"]) == 9


@pytest.mark.parametrize("text", [
    "a: " + "[" * 5000 + "]" * 5000 + "\n",
    "a: " + "{b: " * 3000 + "1" + "}" * 3000 + "\n",
    "a: " + "[" * 100_000,
    "a:\n" + "".join("  " * i + "- b:\n" for i in range(1, 1200)),
    "a:\n" + "- " * 3000 + "x\n",
])
def test_deep_nesting_is_refused_quickly(text: str) -> None:
    started = time.perf_counter()
    doc, problems = load_text(text, "f")
    assert time.perf_counter() - started < 2
    assert doc is None and [p.code for p in problems] == ["DDG006"]
    assert f"more than {MAX_DEPTH} levels" in problems[0].message
    assert problems[0].where != Span("f")  # the place where it gets too deep


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1
    data, problems = one("a: " + "[" * depth + "]" * depth + "\n")
    assert problems == []


def test_brackets_in_text_do_not_count_as_nesting() -> None:
    text = "notes:\n" + "".join(f"  - see [{i} and (x [y\n" for i in range(100)) + 'q: "' + "[" * 100 + '"\n'
    data, problems = one(text)
    assert problems == [] and isinstance(data, dict) and len(data["notes"]) == 100


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ddgen.load, "MAX_FILE_BYTES", 100)
    path = tmp_path / "risks.yaml"
    path.write_text("risks:\n" + "  # padding\n" * 20)
    doc, problems = load_file(path, "data/risks.yaml")
    assert doc is None
    assert [(str(p.where), p.code, p.message) for p in problems] == [
        ("data/risks.yaml:1:1", "DDG005", "the file is 247 bytes; ddgen reads files up to 100 bytes.")]


# --------------------------------------------------------------------------- encodings


def test_latin1_byte_is_located_by_line_and_character_column(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes("a: ok\nname: Ünïcode Café\n".encode("utf-8").replace("Café".encode(), "Caf\xe9".encode("latin-1")))
    doc, problems = load_file(path, "data/s.yaml")
    assert doc is None
    # Column 18 counts characters as editors do; counting bytes (Ü and ï take two) would say 20.
    assert [(str(p.where), p.code) for p in problems] == [("data/s.yaml:2:18", "DDG001")]
    assert "byte 0xe9" in problems[0].message and "Latin-1" in problems[0].message
    assert "UTF-8" in problems[0].fix


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_recognised(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes("suppliers:\n  - id: S-1\n".encode(encoding))
    doc, problems = load_file(path, "data/s.yaml")
    assert doc is None
    assert [(str(p.where), p.code) for p in problems] == [("data/s.yaml:1:1", "DDG001")]
    assert "UTF-16" in problems[0].message


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    doc, problems = load_file(path, "data/s.yaml")
    assert problems == [] and doc is not None and doc.data == {"a": 1}


def test_a_nul_byte_is_reported_where_it_is(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"a: 1\nb: x\x00y\n")
    _, problems = load_file(path, "data/s.yaml")
    assert [(str(p.where), p.code) for p in problems] == [("data/s.yaml:2:5", "DDG001")]


# --------------------------------------------------------------------------- files and folders


def test_data_files_are_sorted_and_hidden_folders_skipped(make_repo: MakeRepo) -> None:
    repo = make_repo({"data/suppliers/b.yml": "suppliers: []\n", "data/suppliers/a.yaml": "suppliers: []\n",
                      "data/.drafts/risks.yaml": "x: [\n", "data/notes.txt": "not yaml"})
    assert [p.relative_to(repo).as_posix() for p in data_files(repo)] == [
        "data/company.yaml", "data/risks.yaml", "data/suppliers.yaml", "data/suppliers/a.yaml", "data/suppliers/b.yml"]


def test_an_unreadable_file_is_kept_as_an_unreadable_doc(make_repo: MakeRepo) -> None:
    repo = make_repo({"data/risks.yaml": b"risks: \xff\n"})
    docs, problems = load(repo)
    assert [p.code for p in problems] == ["DDG001"]
    assert [(d.file, d.readable, d.data) for d in docs if d.file == "data/risks.yaml"] == [("data/risks.yaml", False, {})]


def test_a_file_without_read_permission_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("a: 1\n")
    path.chmod(0)
    try:
        if _can_read(path):
            pytest.skip("running with permission to read everything (root)")
        _, problems = load_file(path, "data/s.yaml")
        assert [(p.code, p.message) for p in problems] == [("DDG009", "the file cannot be read (permission denied).")]
    finally:
        path.chmod(0o644)


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except OSError:
        return False
    return True
