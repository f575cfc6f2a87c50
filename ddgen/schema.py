"""JSON Schemas for editors: one per data file kind, generated from the record models.

VS Code (with the YAML extension) reads the `# yaml-language-server: $schema=...` line at the top of
each data file and then autocompletes keys and flags wrong values while the writer types.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, create_model

from .model.dossier import FILE_KINDS, SECTIONS


def file_schema(kind: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in FILE_KINDS[kind]:
        section = SECTIONS[name]
        tp: Any = tuple[section.model, ...] if section.many else section.model  # type: ignore[name-defined]
        fields[name] = (tp | None, None)
    model = create_model(f"{kind}_file", __config__=ConfigDict(extra="forbid"), **fields)
    schema = model.model_json_schema(mode="validation")
    schema["title"] = f"ddgen data/{kind}.yaml"
    schema["description"] = "; ".join(f"{n}: {SECTIONS[n].description}" for n in FILE_KINDS[kind])
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def write_schemas(out: Path) -> list[Path]:
    """Write `<kind>.schema.json` for every file kind; returns the paths, sorted."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in sorted(FILE_KINDS):
        path = out / f"{kind}.schema.json"
        text = json.dumps(file_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
