"""The fast path (libyaml) and the exact path (ruamel.yaml) give users the same values, places and messages.

`ddgen.load` reads every file with libyaml first and falls back to ruamel only for files with a
problem or with constructs where the two parsers disagree. These tests run the same input through
both (`ddgen.load.FAST` on and off) and compare everything a later stage or a user could see; the
bad fixtures are compared in tests/unit/test_pipeline.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import SCALE, YAML_ALPHABET

import ddgen.load
from ddgen.load import load_text
from ddgen.pipeline import check

EXAMPLE = Path(__file__).resolve().parents[3]
MINIMAL = EXAMPLE / "tests" / "fixtures" / "minimal"


def both(text: str) -> tuple[Any, Any]:
    """(fast, exact) results of loading `text`: data, every position, refused paths and messages."""
    results = []
    for fast in (True, False):
        ddgen.load.FAST = fast
        try:
            doc, problems = load_text(text, "data/x.yaml")
        finally:
            ddgen.load.FAST = True
        seen = None if doc is None else (doc.data, dict(doc.positions.items()), doc.reported, doc.readable)
        results.append((seen, [(str(p), p.message, p.fix, p.related) for p in problems]))
    return results[0], results[1]


def test_the_example_and_its_windows_line_endings_read_the_same_on_both_paths(tmp_path: Path) -> None:
    for path in sorted((EXAMPLE / "data").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for variant in (text, text.replace("\n", "\r\n")):
            fast, exact = both(variant)
            assert fast == exact, path.name


def test_ordinary_files_never_need_the_exact_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str, file: str) -> Any:
        raise AssertionError(f"{file} went through ruamel")

    monkeypatch.setattr(ddgen.load, "_load_slow", refuse)
    result = check(EXAMPLE)
    assert result.report.records["suppliers"] > 30 and not result.report.errors


@pytest.mark.parametrize("text", [
    "a:\nb: 1\n", "x:\n  a:\n  b: 1\n", "x:\n  - a:\n    b: 1\n", "a:\n\n# note\nb: 1\n", "x: {a: , b: 1}\n",
    "a: ! \n", "&9: \n", "a: !!str 12\nb: ! 12\n", "a:\tb\n", "a: x\u2028b: y\n", "? a\n: b\n", "k: >#\n  x\n",
    "base: &b {city: Utrecht}\nhq:\n  <<: *b\n", "a: 'it''s'\nb: \"tab\\tand \\u00e9\"\nc: |\n  one\n  two\n",
    "a: [1, 2,\n  3]\nb: {x: NO, y: 0o17, z: 007}\n", "a: b\n---\nc: d\n", "- a\n- b\n", "a: 1\na: 2\n",
])
def test_constructs_where_the_parsers_differ_read_the_same(text: str) -> None:
    fast, exact = both(text)
    assert fast == exact


def test_an_empty_value_points_where_the_exact_parser_points(make_repo: Any) -> None:
    """libyaml puts an empty value right after its colon, ruamel at the next line: ddgen says the latter."""
    supplier = (MINIMAL / "data/suppliers.yaml").read_text()
    repo = make_repo({"data/suppliers.yaml": supplier.replace("name: Dhaka Garments Ltd", "name:")})
    fast = [(str(p.where), p.code, p.message) for p in check(repo).report.problems]
    ddgen.load.FAST = False
    try:
        exact = [(str(p.where), p.code, p.message) for p in check(repo).report.problems]
    finally:
        ddgen.load.FAST = True
    assert fast == exact == [("data/suppliers.yaml:4:5", "DDG104", '"name" of supplier S-001 is empty; it must be text.')]


@settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_ALPHABET | st.sampled_from(["\r\n", "? ", "! ", "&a: ", "|-\n  ", ">\n  ", "\u2028", "\x85"]),
                max_size=80).map("".join))
def test_yaml_like_text_reads_the_same_on_both_paths(text: str) -> None:
    fast, exact = both(text)
    assert fast == exact
