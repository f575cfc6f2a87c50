"""Data protection, end to end: nothing internal, partner-only or personal reaches a public build.

A unique canary string is planted in every free-text field that a public reader may not see (records
marked internal or partner, fields that are internal by default such as contract references and
audit details, and all personal data of grievance cases), a distinctive number in every sensitive
number field. The example is then built, and every file of the site (HTML, search index, sitemap,
downloads, also inside .gz and .xlsx) and the generated Markdown is searched. The planting logic is
written here on purpose, apart from ddgen's publish stage, so the test checks it rather than repeats it.
"""

from __future__ import annotations

import enum
import gzip
import io
import itertools
import typing
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, StringConstraints
from ruamel.yaml import YAML

from ddgen.build import build
from ddgen.model.common import Personal, Scope, Scoped, Sensitive
from ddgen.model.dossier import SECTIONS


RANK = {"public": 0, "partner": 1, "internal": 2}
SECRET_NUMBER = 87.6543
SECRET_SHAPES = ("87.6543", "87,6543", "87.65", "87,65", "87.7%", "87,7%")
NEVER_SHOWN_ONE_BY_ONE = {"grievance_cases"}


def _markers(annotation: Any) -> list[Any]:
    found: list[Any] = []
    if typing.get_origin(annotation) is typing.Annotated:
        found.extend(typing.get_args(annotation)[1:])
    for arg in typing.get_args(annotation):
        found.extend(_markers(arg))
    return found


def _types(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    return [annotation] if not args else [t for a in args for t in _types(a)]


def _is_free_text(info: Any) -> bool:
    markers = [*info.metadata, *_markers(info.annotation)]
    return any(isinstance(m, StringConstraints) and m.strip_whitespace for m in markers)


def _submodel(info: Any) -> type[BaseModel] | None:
    return next((t for t in _types(info.annotation) if isinstance(t, type) and issubclass(t, BaseModel)), None)


def _is_number(info: Any) -> bool:
    kinds = [t for t in _types(info.annotation) if t is not type(None)]
    return bool(kinds) and all(t in (int, float) for t in kinds) and not any(
        isinstance(t, type) and issubclass(t, enum.Enum) for t in kinds)


class Planter:
    def __init__(self) -> None:
        self.counter = itertools.count(1)
        self.canaries: dict[str, set[str]] = {"public": set(), "partner": set(), "internal": set()}
        self.numbers = 0

    def canary(self, scope: str) -> str:
        value = f"CANARY{next(self.counter):05d}{scope.upper()}"
        self.canaries[scope].add(value)
        return value

    def record(self, section: str, raw: dict[str, Any]) -> None:
        model = SECTIONS[section].model
        default = model.default_scope.value if issubclass(model, Scoped) else "public"
        scope = raw.get("scope") or default
        if section in NEVER_SHOWN_ONE_BY_ONE:
            scope = "internal"
        self.fields(model, raw, scope, raw.get("field_scope") or {})

    def fields(self, model: type[BaseModel], raw: dict[str, Any], scope: str, overrides: dict[str, str]) -> None:
        for name, value in list(raw.items()):
            info = model.model_fields.get(name)
            if info is None or name in ("id", "scope", "field_scope"):
                continue
            markers = [*info.metadata, *_markers(info.annotation)]
            field_scope = "public"
            for m in markers:
                if isinstance(m, Sensitive):
                    field_scope = overrides.get(name, m.default.value)
                if isinstance(m, Personal):
                    field_scope = "internal"
            effective = max(scope, field_scope, key=RANK.__getitem__)
            sub = _submodel(info)
            if sub is not None and isinstance(value, dict):
                self.fields(sub, value, effective, {})
            elif sub is not None and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        self.fields(sub, item, effective, {})
            elif effective == "public":
                continue
            elif _is_free_text(info) and isinstance(value, str):
                raw[name] = self.canary(effective)
            elif _is_free_text(info) and isinstance(value, list):
                raw[name] = [self.canary(effective) for _ in value]
            elif (_is_number(info) and isinstance(value, (int, float)) and not isinstance(value, bool)
                  and any(isinstance(m, Sensitive) for m in markers)):
                raw[name] = SECRET_NUMBER
                self.numbers += 1


def plant(project: Path) -> Planter:
    planter = Planter()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    for path in sorted((project / "data").rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        for section, content in data.items():
            if section not in SECTIONS:
                continue
            for raw in content if isinstance(content, list) else [content]:
                if isinstance(raw, dict):
                    planter.record(section, raw)
        buffer = io.StringIO()
        yaml.dump(data, buffer)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return planter


def site_texts(folder: Path) -> dict[str, str]:
    """Every file's text, with .gz and zip (xlsx) members opened."""
    texts: dict[str, str] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        rel = path.relative_to(folder).as_posix()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for member in z.namelist():
                    texts[f"{rel}!{member}"] = z.read(member).decode("utf-8", "replace")
            continue
        texts[rel] = data.decode("utf-8", "replace")
    return texts


def leaks(texts: dict[str, str], secrets: set[str]) -> list[str]:
    return sorted(f"{secret} in {name}" for name, text in texts.items() for secret in secrets if secret in text)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory, example_copy: Any) -> tuple[Path, Planter]:
    project = example_copy(tmp_path_factory.mktemp("canary"))
    return project, plant(project)


def test_canaries_were_planted_everywhere_they_should(planted: tuple[Path, Planter]) -> None:
    _, planter = planted
    assert len(planter.canaries["internal"]) >= 50  # personal data, internal records and fields
    assert planter.canaries["partner"], "the example should have partner-scope records"
    assert planter.numbers >= 5


def test_public_build_contains_no_internal_partner_or_personal_data(planted: tuple[Path, Planter]) -> None:
    project, planter = planted
    result = build(project, project / "site")
    assert result.ok, result.report.render_text()
    texts = {**site_texts(project / "site"), **{f"md:{k}": v for k, v in site_texts(project / ".ddgen/public").items()}}
    assert any(name.endswith("search/search_index.json") for name in texts)
    assert any(name.startswith("sitemap.xml") for name in texts)
    assert leaks(texts, planter.canaries["internal"] | planter.canaries["partner"]) == []
    assert [f"{shape} in {name}" for name, text in texts.items() for shape in SECRET_SHAPES if shape in text] == []


def test_partner_edition_shows_partner_data_but_not_internal(planted: tuple[Path, Planter]) -> None:
    project, planter = planted
    result = build(project, project / "partner-edition", scope=Scope.PARTNER)
    assert result.ok, result.report.render_text()
    texts = site_texts(project / "partner-edition")
    assert leaks(texts, planter.canaries["internal"]) == []
    shown = {c for c in planter.canaries["partner"] if any(c in t for t in texts.values())}
    assert shown, "partner-scope text should appear in the partner edition (else this test proves nothing)"
    assert "Partner" in texts["index.html"] and "ddgen-scope-banner" in texts["index.html"]


def test_a_remembered_redaction_still_drops_a_reference_that_is_no_longer_visible() -> None:
    """publish remembers each record's redacted copy (every year and every serve round publish the same
    records); a copy made while all its references were visible must not be used once one is not."""
    from dataclasses import replace

    from ddgen.pipeline import check
    from ddgen.publish import publish

    checked = check(Path(__file__).resolve().parents[2])
    dossier, day = checked.dossier, checked.as_of

    def suppliers_of(risk_id: str, edition: Any) -> tuple[str, ...]:
        return next(r for r in edition.dossier.risks if r.id == risk_id).suppliers

    before = publish(dossier, Scope.PUBLIC, day)
    risk = next(r for r in before.dossier.risks if len(r.suppliers) > 1)
    gone = risk.suppliers[0]
    after = publish(replace(dossier, suppliers=tuple(s for s in dossier.suppliers if s.id != gone)), Scope.PUBLIC, day)
    assert suppliers_of(risk.id, after) == risk.suppliers[1:]
    assert suppliers_of(risk.id, publish(dossier, Scope.PUBLIC, day)) == risk.suppliers  # visible again
