"""The JSON Schemas in schema/ (which the example's modelines point at) match the models."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ddgen.model.dossier import FILE_KINDS
from ddgen.schema import file_schema

ROOT = Path(__file__).resolve().parents[3]


def test_committed_schemas_are_up_to_date() -> None:
    stale = [kind for kind in FILE_KINDS
             if json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")) != file_schema(kind)]
    assert stale == [], "run `ddgen schema -o schema` and commit the result"


def test_every_example_file_names_its_schema() -> None:
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=\.\./schema/(\w+)\.schema\.json", first)
        assert match, f"{path.name} does not start with a schema modeline"
        assert match.group(1) == path.stem
        assert (ROOT / "schema" / f"{match.group(1)}.schema.json").is_file()
