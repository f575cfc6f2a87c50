"""Properties: no input makes the loader or `check` raise, and every span lies inside its file.

Problems are values (style guide 2.1): whatever bytes a writer saves, ddgen answers with problems,
never with a traceback. Examples are kept moderate so the whole file runs in a few seconds; to search
harder, multiply them: `DDGEN_HYPOTHESIS_SCALE=50 pytest tests/unit/load/test_properties.py`.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ddgen.load import SourceDoc, load_file, load_text
from ddgen.model.dossier import FILE_KINDS, SECTIONS
from ddgen.pipeline import check
from ddgen.problems import Problem

SCALE = int(os.environ.get("DDGEN_HYPOTHESIS_SCALE", "1"))
FAST = settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIPELINE = settings(max_examples=40 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_inside(problems: list[Problem], doc: SourceDoc | None, text: str | None, raw: bytes, file: str) -> None:
    """Every span (and every recorded position) names the file and a line/column that exists."""
    lines = (text if text is not None else raw.decode("utf-8", "replace")).split("\n")
    spans = [p.where for p in problems] + [s for p in problems for s in p.related]
    if doc is not None:
        spans += [loc.value for loc in doc.positions.values()]
        spans += [loc.key for loc in doc.positions.values() if loc.key is not None]
    for span in spans:
        assert span.file == file
        assert 1 <= span.line <= len(lines) + 1, span
        assert span.column >= 1, span
        if span.line <= len(lines):
            assert span.column <= len(lines[span.line - 1]) + 2, (span, lines[span.line - 1])


# --------------------------------------------------------------------------- the loader

YAML_ALPHABET = st.sampled_from(
    list("abcXY019 :-[]{},#&*!|>'\"\n\n\n\t%@`?.~\\") + ["  ", "    ", "- ", ": ", "\n  ", "<<: ", "&a ", "*a", "!!str ",
                                                         "!!python/object ", "---\n", "é", "\x00", "\x0b", "\ufeff"]
)
yamlish_text = st.lists(YAML_ALPHABET, max_size=80).map("".join)


@FAST
@given(st.text(max_size=300))
def test_load_text_never_raises_on_any_text(text: str) -> None:
    doc, problems = load_text(text, "data/x.yaml")
    assert doc is not None or problems
    assert_inside(problems, doc, text, b"", "data/x.yaml")


@FAST
@given(yamlish_text)
def test_load_text_never_raises_on_yaml_like_text(text: str) -> None:
    doc, problems = load_text(text, "data/x.yaml")
    assert doc is not None or problems
    assert all(p.code.startswith("DDG0") for p in problems)
    assert_inside(problems, doc, text, b"", "data/x.yaml")


@FAST
@given(st.one_of(st.binary(max_size=300), yamlish_text.map(lambda t: t.encode("utf-8")),
                 yamlish_text.map(lambda t: t.encode("utf-16")), yamlish_text.map(lambda t: t.encode("latin-1", "replace"))))
def test_load_file_never_raises_on_any_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.yaml"
        path.write_bytes(raw)
        doc, problems = load_file(path, "data/x.yaml")
    assert doc is not None or problems
    try:
        text: str | None = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    assert_inside(problems, doc, text, raw, "data/x.yaml")


# --------------------------------------------------------------------------- the whole check

FIELD_NAMES = sorted({name for s in SECTIONS.values() for name in s.model.model_fields} | {"adress", "", "x y"})
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 3000), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(date(1899, 1, 1), date(2201, 1, 1)).map(str),
    st.sampled_from(["NO", "yes", "on", "S-001", "R-001", "cause", "high", "2025-02-30", "NL", "Holland",
                     "https://example.org", "100-150", "", " "]),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from(FIELD_NAMES), children, max_size=4)),
    max_leaves=8,
)
records = st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=8)


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    """A data folder: a few files of known (and one unknown) kinds, sections filled with record-like values."""
    kinds = draw(st.lists(st.sampled_from([*sorted(FILE_KINDS), "notes"]), min_size=1, max_size=3, unique=True))
    files: dict[str, Any] = {}
    for kind in kinds:
        names = FILE_KINDS.get(kind, ("notes",))
        sections = draw(st.lists(st.sampled_from([*names, "suppliers"]), min_size=1, max_size=2, unique=True))
        content: dict[str, Any] = {}
        for name in sections:
            many = name in SECTIONS and SECTIONS[name].many
            content[name] = draw(st.lists(records, max_size=2) if many else st.one_of(records, values))
        files[f"data/{kind}.yaml"] = content
    return files


def dump(value: Any) -> str:
    stream = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(value, stream)
    return stream.getvalue()


def run_check(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for name, content in files.items():
            path = project / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        result = check(project)
        report = result.report
        for p in report.problems:
            path = project / p.where.file
            if path.is_file():
                raw = path.read_bytes()
                text = raw.decode("utf-8", "replace")
                assert p.where.line <= text.count("\n") + 2, p
        assert report.render_text().endswith("\n")
        assert json.loads(report.render_json())["errors"] == len(report.errors)
        report.render_github()


@PIPELINE
@given(projects())
def test_check_never_raises_on_record_like_data(files: dict[str, Any]) -> None:
    run_check({name: dump(content) for name, content in files.items()})


@PIPELINE
@given(st.dictionaries(st.sampled_from(["data/company.yaml", "data/suppliers.yaml", "data/risks.yaml", "data/x.yaml"]),
                       yamlish_text, min_size=1, max_size=3))
def test_check_never_raises_on_yaml_like_files(files: dict[str, str]) -> None:
    run_check(files)
