"""Frameworks: the disclosure frameworks ddgen maps its records to, as data, and their loader.

Input: the YAML files in this package (`gri.yaml`, `ungprf.yaml`, `csddd.yaml`, `esrs.yaml`,
`lksg.yaml`) and any `frameworks/<name>.yaml` in the project. Output: `FrameworkMap`s by id (the file
name), plus problems. A project file with the name of a packaged one replaces it, so a writer can
adapt a map; any other name adds a framework (a sector covenant's questions, say), which gets the
same pages and coverage report as the packaged ones.

Each file says, per requirement: its identifier, title and a short paraphrase (in Dutch and English),
which records answer it (`answered_by`: a record type, optionally a field and a condition), where on
the site the answer is shown (`shown_at`), and the source. Files are read and checked like data files:
YAML problems (DDG0xx) and field problems (DDG1xx) at their line and column, a duplicate requirement
id as DDG202, and a name ddgen does not know (a record type, field, value, page, section, group,
answer or figure) as DDG205 with the closest known name. The records' own references to frameworks
(omissions, answers given elsewhere, material topics) are checked by `check_data`, also as DDG205.
"""

from __future__ import annotations

import difflib
import enum
import re
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from ..load import SourceDoc, load_file
from ..model.common import ID_PATTERN, Record, Url
from ..model.communication import Framework
from ..model.dossier import FILE_KINDS, SECTIONS, Dossier
from ..problems import Problem, Span, problem
from ..validate import (
    _clean_loc,
    _collapse,
    _Ctx,
    _submodel,
    _translate,
    _unwrap,
    _without_echoes,
)
from . import registry

Loc = tuple[str | int, ...]

_Plain = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _words(value: object) -> object:
    """A text, or a mapping of language code to text: {nl: ..., en: ...}."""
    if isinstance(value, dict):
        bad = [str(k) for k in value if not (isinstance(k, str) and k.isalpha() and k.islower() and 2 <= len(k) <= 3)]
        if bad:
            raise PydanticCustomError("framework_language", "'{key}' is not a language code such as nl or en",
                                      {"key": bad[0]})
        empty = [k for k, v in value.items() if v is None or not str(v).strip()]
        if empty or not value:
            raise PydanticCustomError("string_too_short", "the text is empty", {})
        return {k: str(v).strip() for k, v in value.items()}
    return value


Words = Annotated[_Plain | dict[str, _Plain], BeforeValidator(_words)]
"""Text of a framework file: one text for every language, or one per language."""


def words(value: str | dict[str, str] | None, language: str) -> str:
    """The text in `language`, else English, else the first one given."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(language) or value.get("en") or next(iter(value.values()), "")


class Layout(enum.StrEnum):
    """Which page a framework gets: its own kind of index page, or the generic question index."""

    GRI = "gri"
    UNGPRF = "ungprf"
    STATEMENT = "statement"
    LKSG = "lksg"
    INDEX = "index"


class Answer(Record):
    """Records that answer (part of) a requirement, and where the site shows them."""

    records: _Plain = Field(description="A kind of record, as named in the data files: policies, risks, ...")
    field: _Plain | None = Field(default=None, description="A field that must be filled in, e.g. approval.")
    where: dict[str, _Plain | tuple[_Plain, ...]] = Field(
        default_factory=dict, description="Only records whose field has one of these values, e.g. {theme: child_labour}.")
    shown_at: _Plain | None = Field(default=None, description="page#section, a page, or 'record' (each record's page).")
    aggregate: bool = Field(
        default=False, description="Shown only as figures worked out from all records (the requirement's `figures`), "
                                   "so records that are not public count as well.")
    note: Words | None = None


class Requirement(Record):
    """One disclosure, question or article of a framework."""

    id: _Plain
    group: _Plain | None = None
    title: Words
    asks: Words = Field(description="What the requirement asks for, paraphrased in the project's own words.")
    answered_by: tuple[Answer, ...] = ()
    answer: _Plain | None = Field(default=None, description="A short answer drawn from the records (see the docs).")
    figures: _Plain | None = Field(default=None, description="Figures computed from the records (GRI topic disclosures).")
    topic: bool = Field(default=False, description="A GRI topic disclosure: reported only for a material topic.")
    omission_allowed: bool = True
    source: Url | None = None
    unverified: Words | None = Field(default=None, description="What of this entry is not confirmed against the source.")
    steps: tuple[Annotated[int, Field(ge=1, le=6)], ...] = ()


class Group(Record):
    """A part of a framework: a GRI Standard, Part A of the UNGP Reporting Framework, an article group."""

    id: _Plain
    title: Words
    description: Words | None = None
    source: Url | None = None


class Header(Record):
    """The framework as a whole."""

    name: Words
    short_name: Words | None = None
    description: Words
    version: _Plain
    source: Url
    layout: Layout = Layout.INDEX
    declared_as: Framework | None = Field(
        default=None, description="The framework's key in communication.frameworks; its page is published when "
                                  "the company lists it there. Empty: published whenever the file is present.")
    note: Words | None = None
    groups: Any = None
    requirements: Any = None


@dataclass(frozen=True)
class FrameworkMap:
    """A framework file, read and checked."""

    id: str
    file: str
    header: Header
    groups: tuple[Group, ...]
    requirements: tuple[Requirement, ...]
    packaged: bool

    def requirement(self, ident: str) -> Requirement | None:
        return next((r for r in self.requirements if r.id == ident), None)

    def group(self, ident: str | None) -> Group | None:
        return next((g for g in self.groups if g.id == ident), None)

    def in_group(self, group: Group | None) -> list[Requirement]:
        gid = group.id if group is not None else None
        return [r for r in self.requirements if r.group == gid]


# --------------------------------------------------------------------------- names the files may use

def field_info(model: type[BaseModel], path: str) -> tuple[Any, bool] | None:
    """(annotation, found) of a dotted field path through nested records; None when a part is unknown."""
    current: type[BaseModel] | None = model
    annotation: Any = None
    for part in path.split("."):
        if current is None or part not in current.model_fields:
            return None
        info = current.model_fields[part]
        annotation = info.annotation
        current = _submodel(info)
    return annotation, True


def _fields_of(model: type[BaseModel], prefix: str = "", depth: int = 0) -> list[str]:
    names: list[str] = []
    for name, info in model.model_fields.items():
        if name in ("scope", "field_scope"):
            continue
        names.append(prefix + name)
        sub = _submodel(info)
        if sub is not None and depth < 2:
            names.extend(_fields_of(sub, f"{prefix}{name}.", depth + 1))
    return names


def enum_values(annotation: Any) -> list[str] | None:
    """The allowed values when the field holds a vocabulary value (or a list of them)."""
    for tp in _unwrap(annotation):
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return [str(m.value) for m in tp]
        if typing.get_origin(tp) is typing.Literal:
            return [str(a) for a in typing.get_args(tp)]
    return None


def _close(value: str, options: list[str]) -> str:
    found = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f'did you mean "{found[0]}"? ' if found else ""


def locations() -> list[str]:
    """Every value `shown_at` accepts."""
    found = [registry.RECORD]
    for page, anchors in registry.ANCHORS.items():
        found.append(page)
        found.extend(f"{page}#{anchor}" for anchor in anchors)
    return found


def home_of(section: str) -> str:
    """The data file a record section is written in: data/<kind>.yaml."""
    kind = next((k for k, names in FILE_KINDS.items() if section in names), section)
    return f"data/{kind}.yaml"


# --------------------------------------------------------------------------- checking a file

class _Checker:
    """Validates one framework file piece by piece, so one bad requirement never hides the others."""

    def __init__(self, doc: SourceDoc, ident: str) -> None:
        self.doc = doc
        self.ident = ident
        self.problems: list[Problem] = []

    def model(self, model: type[BaseModel], raw: Any, path: Loc, label: str) -> Any:
        if not isinstance(raw, dict):
            self.problems.append(problem(
                "DDG008", self.doc.locate(path), f"{label} is not a mapping of fields.",
                "write it as indented `field: value` lines."))
            return None
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            ctx = _Ctx(self.doc, path, label, model)
            errors: list[dict[str, Any]] = [dict(e) for e in exc.errors(include_url=False)]
            for err in _without_echoes(_collapse(errors, raw), model, raw):
                if err["type"] == "framework_language":
                    where = self.doc.locate((*path, *_clean_loc(err["loc"], raw)))
                    self.problems.append(problem(
                        "DDG103", where, f"{label}: {err['msg']}.",
                        "give the text per language as `nl:` and `en:` lines, or as one plain text."))
                else:
                    self.problems.append(_translate(err, ctx))
            return None

    def unknown(self, path: Loc, message: str, fix: str, *, key: bool = False) -> None:
        self.problems.append(problem("DDG205", self.doc.locate(path, key=key), message, fix))

    def answer(self, answer: Answer, path: Loc, label: str) -> None:
        if answer.records not in SECTIONS:
            options = sorted(SECTIONS)
            self.unknown((*path, "records"), f'{label} is answered by "{answer.records}", which is not a kind of record.',
                         f"{_close(answer.records, options)}use a section name of the data files, such as "
                         "policies, risks or consultations.")
            return
        model = SECTIONS[answer.records].model
        for name, where_path in ([(answer.field, (*path, "field"))] if answer.field else []) + [
                (k, (*path, "where", k)) for k in answer.where]:
            if name is None:
                continue
            if field_info(model, name) is None:
                options = _fields_of(model)
                self.unknown(where_path, f'"{name}" is not a field of {SECTIONS[answer.records].noun} records.',
                             f"{_close(name, options)}name a field as written in {home_of(answer.records)}.",
                             key=where_path[-2] == "where")
        for name, value in answer.where.items():
            info = field_info(model, name)
            allowed = enum_values(info[0]) if info else None
            values = value if isinstance(value, tuple) else (value,)
            for i, v in enumerate(values):
                if allowed is not None and v not in allowed:
                    at = (*path, "where", name, i) if isinstance(value, tuple) else (*path, "where", name)
                    self.unknown(at, f'"{v}" is not a value of "{name}"; it must be one of: {", ".join(allowed)}.',
                                 f"{_close(v, allowed)}use one of the listed values.")
        if answer.shown_at is not None:
            self.location(answer, (*path, "shown_at"), label)

    def location(self, answer: Answer, path: Loc, label: str) -> None:
        where = str(answer.shown_at)
        if where == registry.RECORD:
            if answer.records not in registry.RECORD_LOCATIONS:
                self.unknown(path, f"{label}: {SECTIONS[answer.records].noun} records have no page or section of "
                                   "their own, so `shown_at: record` cannot link to them.",
                             "name the page and section that shows them, e.g. communication#stakeholder-engagement.")
            return
        if where not in locations():
            self.unknown(path, f'{label} is shown at "{where}", which is not a page or section of the site.',
                         f"{_close(where, locations())}use page#section as listed in the framework file docs.")

    def requirement(self, req: Requirement, path: Loc, groups: set[str]) -> None:
        label = f"requirement {req.id}"
        if req.group is not None and req.group not in groups:
            self.unknown((*path, "group"), f'{label} belongs to group "{req.group}", which the file does not define.',
                         f"{_close(req.group, sorted(groups))}add the group under `groups:`, or correct the name.")
        for name, options in (("answer", registry.ANSWERS), ("figures", registry.FIGURES)):
            value = getattr(req, name)
            if value is not None and value not in options:
                self.unknown((*path, name), f'{label} asks for the {name} "{value}", which ddgen does not know.',
                             f"{_close(value, sorted(options))}use one of: {', '.join(sorted(options))}.")
        for j, answer in enumerate(req.answered_by):
            self.answer(answer, (*path, "answered_by", j), label)


def _read(doc: SourceDoc, ident: str, packaged: bool) -> tuple[FrameworkMap | None, list[Problem]]:
    check = _Checker(doc, ident)
    header = check.model(Header, doc.data, (), f"framework {ident}")
    raw_groups = doc.data.get("groups") or []
    raw_reqs = doc.data.get("requirements")
    groups: list[Group] = []
    seen_groups: dict[str, Span] = {}
    for i, raw in enumerate(raw_groups if isinstance(raw_groups, list) else []):
        group = check.model(Group, raw, ("groups", i), f"group {raw.get('id', i + 1) if isinstance(raw, dict) else i + 1}")
        if group is not None:
            _unique(check, seen_groups, group.id, ("groups", i, "id"), "group")
            groups.append(group)
    if not isinstance(raw_reqs, list) or not raw_reqs:
        check.problems.append(problem(
            "DDG101", doc.locate(("requirements",) if isinstance(raw_reqs, list) else ()),
            f"framework {ident} has no requirements; a framework file lists at least one.",
            "add `requirements:` with one '- id: ...' entry per disclosure or question."))
        return None, check.problems
    known_groups = {g.id for g in groups} | {str(r.get("id")) for r in raw_groups if isinstance(r, dict)}
    requirements: list[Requirement] = []
    seen: dict[str, Span] = {}
    for i, raw in enumerate(raw_reqs):
        label = f"requirement {raw.get('id')}" if isinstance(raw, dict) and raw.get("id") is not None else "this requirement"
        req = check.model(Requirement, raw, ("requirements", i), label)
        if req is None:
            continue
        if _unique(check, seen, req.id, ("requirements", i, "id"), "requirement"):
            check.requirement(req, ("requirements", i), known_groups)
            requirements.append(req)
    if header is None:
        return None, check.problems
    return FrameworkMap(ident, doc.file, header, tuple(groups), tuple(requirements), packaged), check.problems


def _unique(check: _Checker, seen: dict[str, Span], ident: str, path: Loc, noun: str) -> bool:
    where = check.doc.locate(path)
    if ident in seen:
        check.problems.append(problem(
            "DDG202", where, f"{noun} id {ident} is used twice in this framework file.",
            f"give each {noun} its own id; merge the two entries if they are the same.", related=(seen[ident],)))
        return False
    seen[ident] = where
    return True


def _load_one(path: Path, file: str, packaged: bool) -> tuple[FrameworkMap | None, list[Problem]]:
    ident = path.stem
    doc, problems = load_file(path, file)
    if doc is None:
        return None, problems
    if not re.fullmatch(ID_PATTERN, ident):
        return None, [*problems, problem(
            "DDG108", Span(file), f'"{path.name}" cannot name a framework: its name becomes the framework id.',
            "rename the file with letters, digits, '.', '_' and '-' only, e.g. frameworks/sector-covenant.yaml.")]
    found, more = _read(doc, ident, packaged)
    return found, [*problems, *more]


PACKAGED = ("gri", "ungprf", "csddd", "esrs", "lksg")
"""The frameworks that come with ddgen, in the order of the site's navigation."""


@cache
def packaged_frameworks() -> tuple[dict[str, FrameworkMap], tuple[Problem, ...]]:
    """ddgen's own maps, read once per process: they only change with ddgen."""
    root = Path(str(resources.files("ddgen") / "frameworks"))
    maps: dict[str, FrameworkMap] = {}
    problems: list[Problem] = []
    for name in PACKAGED:
        found, more = _load_one(root / f"{name}.yaml", f"ddgen/frameworks/{name}.yaml", True)
        problems.extend(more)
        if found is not None:
            maps[name] = found
    return maps, tuple(problems)


def project_files(project: Path) -> list[Path]:
    folder = project / "frameworks"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def load_frameworks(project: Path | None) -> tuple[dict[str, FrameworkMap], list[Problem]]:
    """The packaged maps plus the project's `frameworks/*.yaml` (same name: the project's replaces ddgen's)."""
    packaged, problems = packaged_frameworks()
    maps = dict(packaged)
    found_problems = list(problems)
    for path in project_files(project) if project is not None else []:
        found, more = _load_one(path, path.relative_to(project).as_posix(), False)  # type: ignore[arg-type]
        found_problems.extend(more)
        if found is not None:
            maps[found.id] = found
    return maps, found_problems


# --------------------------------------------------------------------------- the records' references

Locate = Callable[[str, str, Loc], Span]


def check_data(dossier: Dossier, frameworks: Mapping[str, FrameworkMap], locate: Locate) -> list[Problem]:
    """Omissions, answers given elsewhere and material topics must name requirements that exist."""
    found: list[Problem] = []
    com = dossier.communication
    if com is not None:
        for name in ("omissions", "external_locations"):
            for i, entry in enumerate(getattr(com, name)):
                def where(sub: str, i: int = i, name: str = name) -> Span:
                    return locate("communication", "", (name, i, sub))

                found.extend(_requirement_ref(frameworks, str(entry.framework), str(entry.requirement), where))
    gri = frameworks.get("gri")
    topics = sorted(r.id for r in gri.requirements if r.topic) if gri is not None else []
    for topic in dossier.material_topics:
        for i, ident in enumerate(topic.gri_disclosures):
            if str(ident) not in topics:
                found.append(problem(
                    "DDG205", locate("material_topics", topic.id, ("gri_disclosures", i)),
                    f'material topic {topic.id} names GRI disclosure "{ident}", which is not a GRI topic disclosure '
                    "ddgen maps.", f"{_close(str(ident), topics)}use one of: {', '.join(topics)}."))
    return found


def _requirement_ref(frameworks: Mapping[str, FrameworkMap], framework: str, requirement: str,
                     where: Callable[[str], Span]) -> Iterator[Problem]:
    if framework not in frameworks:
        options = sorted(frameworks)
        yield problem("DDG205", where("framework"), f'"{framework}" is not a framework ddgen knows.',
                      f"{_close(framework, options)}use one of: {', '.join(options)}, or add frameworks/{framework}.yaml.")
        return
    ids = [r.id for r in frameworks[framework].requirements]
    if requirement not in ids:
        yield problem("DDG205", where("requirement"),
                      f'framework {framework} has no requirement "{requirement}".',
                      f"{_close(requirement, ids)}use the requirement's id as the framework gives it, e.g. {ids[0]}.")
