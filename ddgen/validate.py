"""Validate: `SourceDoc`s -> `Dossier` (frozen records, unique ids, references resolved).

Each record is validated on its own, so one bad record never hides the others, and every pydantic
error is turned into a `Problem` at the line and column of the offending key or value, in the
writer's words. Ids of records that failed validation still count as existing, so a typo in one
supplier does not also produce a dangling-reference error in every risk that names it.

Problem codes: DDG007, DDG008, DDG101-DDG109 (fields and values), DDG201-DDG204 (ids, references,
sections), DDG401 (personal data marked public).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from .countries import suggest_country
from .load import SourceDoc
from .model.common import ID_PATTERN, LocalText, Personal, Ref, Scope, Scoped, Sensitive
from .model.dossier import FILE_KINDS, SECTIONS, Dossier, Origin, Section, file_kind
from .problems import Problem, Severity, Span, problem

Loc = tuple[str | int, ...]


# --------------------------------------------------------------------------- model introspection

def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Optional/Union/Annotated/tuple[...] of an annotation."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, tuple, list, dict):
        args = typing.get_args(annotation)
        if origin is dict:
            args = args[1:]
        return [t for a in args if a is not Ellipsis and a is not type(None) for t in _unwrap(a)]
    return [annotation]


def _metadata(annotation: Any) -> list[Any]:
    """All Annotated metadata found anywhere inside an annotation."""
    found: list[Any] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        args = typing.get_args(annotation)
        for marker in args[1:]:
            # `Annotated[int, Field(ge=1900)]` (Year) keeps its bounds inside the FieldInfo.
            found.extend(marker.metadata if isinstance(marker, FieldInfo) else [marker])
        found.extend(_metadata(args[0]))
    elif origin is not None:
        for arg in typing.get_args(annotation):
            found.extend(_metadata(arg))
    return found


def _field_markers(info: FieldInfo) -> list[Any]:
    return [*info.metadata, *_metadata(info.annotation)]


def _submodel(info: FieldInfo) -> type[BaseModel] | None:
    """The nested record type of a field, if any (a text given per language is a value, not a record)."""
    for tp in _unwrap(info.annotation):
        if isinstance(tp, type) and issubclass(tp, BaseModel) and tp is not LocalText:
            return tp
    return None


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model that holds the last element of `loc` (walking fields and list indices)."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        current = _submodel(info) if info is not None else None
    return current


def _bounds(model: type[BaseModel], loc: Loc) -> tuple[float | None, float | None]:
    holder = _model_at(model, loc)
    name = next((part for part in reversed(loc) if isinstance(part, str)), None)
    info = holder.model_fields.get(name) if holder is not None and name is not None else None
    low = high = None
    for m in _field_markers(info) if info is not None else []:
        if isinstance(m, annotated_types.Ge):
            low = m.ge
        if isinstance(m, annotated_types.Le):
            high = m.le
    return low, high


_LIMIT_WORDS = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}


def _range_words(model: type[BaseModel], loc: Loc, ctx: dict[str, Any]) -> str:
    """'from 1 to 5' when both bounds are known, else 'at least 0', 'more than 0' ... from the error."""
    low, high = _bounds(model, loc)
    if low is not None and high is not None:
        return f"from {low:g} to {high:g}"
    return " and ".join(f"{_LIMIT_WORDS[k]} {v:g}" for k, v in ctx.items() if k in _LIMIT_WORDS) or "in range"


# --------------------------------------------------------------------------- error translation

_LOC_NOISE = re.compile(
    r"^(int|str|float|bool|none|LocalText|function-.*|constrained-.*|lax-.*|json-or-python.*|tagged-union.*)$")


def _clean_loc(loc: Loc, data: Any) -> Loc:
    """Drop pydantic's union-member labels from a location, keeping only real keys and indices."""
    clean: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            clean.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            clean.append(part)
            node = node[part]
        elif isinstance(part, str) and _LOC_NOISE.match(part):
            continue
        else:
            clean.append(part)
            node = None
    return tuple(clean)


def _show(value: Any) -> str:
    text = str(value) if not isinstance(value, (dict, list)) else ("a mapping" if isinstance(value, dict) else "a list")
    if value is None:
        return "empty"
    return f'"{text[:60]}{"..." if len(text) > 60 else ""}"' if not isinstance(value, (dict, list)) else text


def _choices(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def _closest(value: Any, options: list[str]) -> str | None:
    close = difflib.get_close_matches(str(value).strip().lower().replace(" ", "_"), options, n=1, cutoff=0.6)
    return close[0] if close else None


def _did_you_mean(value: Any, options: list[str]) -> str:
    close = _closest(value, options)
    return f'did you mean "{close}"? ' if close else ""


@dataclass(frozen=True)
class _Ctx:
    """What an error message needs to know about the record it is in."""

    doc: SourceDoc
    base: Loc  # path of the record in the file
    label: str  # "supplier S-003", "the company"
    model: type[BaseModel]


_TYPE_WORDS = {
    "int_parsing": "a whole number", "int_type": "a whole number", "int_from_float": "a whole number",
    "float_parsing": "a number", "float_type": "a number", "finite_number": "a number",
    "bool_parsing": "true or false", "bool_type": "true or false",
    "string_type": "text", "tuple_type": "a list", "list_type": "a list",
    "model_type": "a mapping of fields", "model_attributes_type": "a mapping of fields", "dict_type": "a mapping",
    "int_parsing_size": "a whole number",
}
_TYPE_HINTS = {
    "a list": "write a list: [a, b] on one line, or one '- ' line per item below the key.",
    "a mapping of fields": "write the fields as indented `field: value` lines below the key.",
    "a mapping": "write indented `key: value` lines below the key.",
}
_DATE_TYPES = {"date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact",
               "date_future", "date_past"}
_CONSISTENCY = {"date_order", "closed_without_date", "exit_missing", "duplicate_year"}


def _translate(err: dict[str, Any], ctx: _Ctx) -> Problem:
    kind: str = err["type"]
    loc = _clean_loc(err["loc"], ctx.doc.data_at(ctx.base))
    path = (*ctx.base, *loc)
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else (str(loc[-2]) if len(loc) > 1 else "")
    value = err.get("input")
    where = ctx.doc.locate(path)
    subject = f'"{name}" of {ctx.label}' if name else ctx.label
    if kind == "missing":
        holder = ctx.doc.locate(path[:-1])
        return problem("DDG101", holder, f'{ctx.label} has no "{name}", which every {ctx.label.split(" ")[0]} needs.',
                       f"add a line `{name}: ...` to this record.")
    if kind == "extra_forbidden":
        holder = _model_at(ctx.model, loc)
        options = sorted(holder.model_fields) if holder is not None else []
        hint = _did_you_mean(name, options)
        return problem("DDG102", ctx.doc.locate(path, key=True), f'"{name}" is not a field of {ctx.label}.',
                       f"{hint}correct the spelling, or remove the line." if hint else
                       f"check the spelling; the fields here are: {', '.join(options)}.")
    if kind in ("enum", "literal_error"):
        options = _choices(err.get("ctx", {}).get("expected", ""))
        return problem("DDG103", where, f"{subject} is {_show(value)}; it must be one of: {', '.join(options)}.",
                       f"{_did_you_mean(value, options)}use one of the listed values, spelled exactly as shown.")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        span = _range_words(ctx.model, loc, err.get("ctx", {}))
        return problem("DDG105", where, f"{subject} is {_show(value)}; it must be {span}.",
                       f"use a value {span}." + (" Scores go from 1 (lowest) to 5 (highest)." if span == "from 1 to 5" else ""))
    if kind in _DATE_TYPES:
        return problem("DDG106", where, f"{subject} is {_show(value)}, which is not a calendar date.",
                       "write the date as YYYY-MM-DD, for example 2025-03-31.")
    if kind == "country_code":
        guess = suggest_country(str(value))
        return problem("DDG107", where, f"{subject}: {_show(value)} is not a country code.",
                       (f"did you mean {guess}? " if guess else "") + "use the ISO 3166-1 two-letter code, e.g. NL, BD, TR.")
    if kind in ("string_pattern_mismatch",):
        return problem("DDG108", where, f"{subject} is {_show(value)}; ids use letters, digits, '.', '_' and '-' only.",
                       "use a short code such as S-001 or R-12 (at most 64 characters, no spaces).")
    if kind == "text_language":
        return problem("DDG103", where, f"{subject}: {err['msg']}.",
                       "give the text per language as `nl:` and `en:` lines, or as one plain text for all languages.")
    if kind == "listed_good":
        return problem("DDG103", where, f"{subject}: {err['msg']}.",
                       "write the good as the list spells it (e.g. Cotton, Garments, Thread/Yarn), or leave "
                       "`listed_goods` out so that ddgen matches the name.")
    if kind == "url_scheme":
        return problem("DDG108", where, f"{subject}: {err['msg']}.",
                       "write the full address as a browser shows it, e.g. https://www.example.com/.")
    if kind == "os_id":
        return problem("DDG108", where, f"{subject}: {err['msg']}.",
                       "copy the OS ID exactly as Open Supply Hub shows it, e.g. BD2019123ABC4DE.")
    if kind in ("too_short", "string_too_short"):
        what = "is empty" if kind == "string_too_short" or not value else "has too few items"
        return problem("DDG104", where, f"{subject} {what}.",
                       "fill it in: text, or a list with at least one item (lines starting with '- ').")
    if kind in _CONSISTENCY:
        return problem("DDG109", where, f"{err['msg']}.",
                       "correct the dates or status so that they agree.")
    if kind == "worker_band":
        return problem("DDG104", where, f"{subject} is {_show(value)}; it must be a number of workers or a range.",
                       "write a whole number such as 120, or a range such as 100-150, <1000 or >10000.")
    if kind in _TYPE_WORDS:
        words = _TYPE_WORDS[kind]
        quote = " Put text in quotes if it looks like a number or date." if kind == "string_type" else ""
        return problem("DDG104", where, f"{subject} is {_show(value)}; it must be {words}.",
                       _TYPE_HINTS.get(words, f"write {words} here.{quote}"))
    return problem("DDG104", where, f"{subject} is {_show(value)}, which this field does not accept.",
                   "correct the value; see the field's description in the schema (ddgen schema).")


def _collapse(errors: list[dict[str, Any]], data: Any) -> list[dict[str, Any]]:
    """One error per location: union members each complain; keep the most specific one."""
    best: dict[Loc, dict[str, Any]] = {}
    for err in errors:
        loc = _clean_loc(err["loc"], data)
        current = best.get(loc)
        if current is None or (current["type"] in _TYPE_WORDS and err["type"] not in _TYPE_WORDS):
            best[loc] = err  # e.g. "workers: lots": the range rule says more than "not a whole number"
    return list(best.values())


def _without_echoes(errors: list[dict[str, Any]], model: type[BaseModel], data: Any) -> list[dict[str, Any]]:
    """One mistake, one problem: drop the errors that only follow from another one.

    A misspelt required key ("adress") is reported as an unknown key that names the right one, not
    also as a missing "address" (which sends the writer to add a line). A list whose only item is
    wrong is reported at that item, not also as "has too few items".
    """
    meant: set[Loc] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _clean_loc(err["loc"], data)
            holder = _model_at(model, loc)
            close = _closest(loc[-1], sorted(holder.model_fields)) if holder is not None and loc else None
            if close is not None:
                meant.add((*loc[:-1], close))
    locs = [_clean_loc(e["loc"], data) for e in errors]
    return [e for e, loc in zip(errors, locs, strict=True)
            if not (e["type"] == "missing" and loc in meant)
            and not (e["type"] == "too_short" and any(len(o) > len(loc) and o[: len(loc)] == loc for o in locs))]


# --------------------------------------------------------------------------- references and scopes

@cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, str, Any], ...]:
    """Per field: ('ref', target) for id fields, ('model', submodel) for nested records."""
    plan: list[tuple[str, str, Any]] = []
    for name, info in model.model_fields.items():
        markers = _field_markers(info)
        ref = next((m for m in markers if isinstance(m, Ref)), None)
        if ref is not None:
            plan.append((name, "ref", ref.target))
        elif (sub := _submodel(info)) is not None:
            plan.append((name, "model", sub))
        if any(isinstance(m, Personal) for m in markers):
            plan.append((name, "personal", None))
    return tuple(plan)


def walk_refs(record: BaseModel, path: Loc = ()) -> Iterator[tuple[Loc, str, str]]:
    """Every (path, target collection, id) a record refers to, nested records included."""
    for name, what, arg in _plan(type(record)):
        value = getattr(record, name)
        if value is None or what == "personal":
            continue
        items = list(enumerate(value)) if isinstance(value, tuple) else [(None, value)]
        for index, item in items:
            sub = (*path, name) if index is None else (*path, name, index)
            if what == "ref":
                yield sub, arg, item
            elif isinstance(item, BaseModel):
                yield from walk_refs(item, sub)


@cache  # asked once per record by publish; the answer depends only on the model
def sensitive_fields(model: type[BaseModel]) -> dict[str, Scope]:
    """Fields with a default scope stricter than the record's: Sensitive and Personal markers."""
    found: dict[str, Scope] = {}
    for name, info in model.model_fields.items():
        for m in _field_markers(info):
            if isinstance(m, Sensitive):
                found[name] = m.default
            elif isinstance(m, Personal):
                found[name] = Scope.INTERNAL
    return found


@cache  # asked once per record by publish, like sensitive_fields
def personal_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, what, _ in _plan(model) if what == "personal")


# --------------------------------------------------------------------------- the stage

def _label(section: Section, raw: Any) -> str:
    if section.many and isinstance(raw, dict) and isinstance(raw.get("id"), (str, int)) and str(raw["id"]).strip():
        return f"{section.noun} {raw['id']}"
    return f"the {section.noun}" if not section.many else f"this {section.noun}"


@dataclass
class _Collected:
    records: dict[str, list[tuple[Any, Origin]]] = field(default_factory=lambda: defaultdict(list))
    raw_ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    problems: list[Problem] = field(default_factory=list)
    unread: set[str] = field(default_factory=set)  # sections of files that could not be read
    present: set[str] = field(default_factory=set)  # sections with at least one record, valid or not

    def add(self, other: _Collected) -> None:
        """Another document's findings after these (records in the order of the documents)."""
        for name, records in other.records.items():
            self.records[name].extend(records)
        for name, ids in other.raw_ids.items():
            self.raw_ids[name].update(ids)
        self.problems.extend(other.problems)
        self.unread.update(other.unread)
        self.present.update(other.present)


def _validate_record(section: Section, raw: Any, doc: SourceDoc, path: Loc, out: _Collected) -> None:
    if doc.reported_at(path):
        return
    if not isinstance(raw, dict):
        out.problems.append(problem(
            "DDG008", doc.locate(path), f"this {section.noun} is {_show(raw)}, not a record with fields.",
            "write the record as indented `field: value` lines" + (" after '- '." if section.many else "."),
        ))
        return
    out.present.add(section.name)
    if section.many and isinstance(raw.get("id"), (str, int)) and re.match(ID_PATTERN, str(raw["id"])):
        out.raw_ids[section.name].add(str(raw["id"]))
    try:
        record = section.model.model_validate(raw)
    except ValidationError as exc:
        ctx = _Ctx(doc, path, _label(section, raw), section.model)
        errors = [e for e in _without_echoes(_collapse(exc.errors(include_url=False), raw), section.model, raw)
                  if not doc.reported_at((*path, *_clean_loc(e["loc"], raw)))]
        out.problems.extend(_translate(e, ctx) for e in errors)
        return
    out.records[section.name].append((record, Origin(doc.file, path)))


def _validate_doc(doc: SourceDoc, out: _Collected) -> None:
    kind = file_kind(doc.file.removeprefix("data/"))
    if kind not in FILE_KINDS:
        options = sorted(FILE_KINDS)
        hint = _did_you_mean(kind, options)
        out.problems.append(problem(
            "DDG007", Span(doc.file), f'ddgen does not know what "{doc.file}" holds: its name is not a record file.',
            f"{hint}name the file (or its folder) after what it holds: {', '.join(f'{k}.yaml' for k in options)}.",
        ))
        return
    allowed = FILE_KINDS[kind]
    if not doc.readable:
        out.unread.update(allowed)
        return
    for name, raw in doc.data.items():
        path: Loc = (name,)
        if name not in allowed:
            home = next((k for k, names in FILE_KINDS.items() if name in names), None)
            fix = (f"move `{name}:` to data/{home}.yaml." if home else
                   f"{_did_you_mean(name, list(allowed))}sections of this file: {', '.join(allowed)}.")
            out.problems.append(problem("DDG102", doc.locate(path, key=True),
                                        f'"{name}" is not a section of {doc.file}.', fix))
            continue
        section = SECTIONS[name]
        if raw is None or doc.reported_at(path):
            continue
        if section.many:
            if not isinstance(raw, list):
                out.problems.append(problem(
                    "DDG008", doc.locate(path), f"`{name}:` must be a list of records, each starting with '- '.",
                    f"indent each {section.noun} under `{name}:` and start it with '- '.",
                ))
                out.unread.add(name)
                continue
            for index, item in enumerate(raw):
                _validate_record(section, item, doc, (name, index), out)
        else:
            _validate_record(section, raw, doc, path, out)


def _span_of(docs: dict[str, SourceDoc], origin: Origin, sub: Loc = (), key: bool = False) -> Span:
    return docs[origin.file].locate((*origin.path, *sub), key=key)


def _unique(out: _Collected, docs: dict[str, SourceDoc]) -> dict[str, Any]:
    """Sort records by id, report duplicate ids and singletons given twice."""
    result: dict[str, Any] = {}
    origins: dict[tuple[str, str], Origin] = {}
    for name, section in SECTIONS.items():
        entries = out.records.get(name, [])
        if not section.many:
            if len(entries) > 1:
                first, second = entries[0][1], entries[1][1]
                out.problems.append(problem(
                    "DDG203", _span_of(docs, second, key=True), f"`{name}:` is given a second time; a project has only one.",
                    f"merge the two into one `{name}:` section.", related=(_span_of(docs, first, key=True),)))
            if entries:
                result[name] = entries[0][0]
                origins[(name, "")] = entries[0][1]
            continue
        seen: dict[str, Origin] = {}
        kept = []
        key = (lambda r: r.year) if name == "reporting_periods" else (lambda r: r.id)
        field_name = "year" if name == "reporting_periods" else "id"
        for record, origin in entries:
            ident = str(key(record))
            if ident in seen:
                out.problems.append(problem(
                    "DDG202", _span_of(docs, origin, (field_name,)),
                    f"{section.noun} {field_name} {ident} is used twice.",
                    "keep one reporting period per year: merge the two, or correct the year." if field_name == "year"
                    else "give one of the two records a new id. Ids do not change once published.",
                    related=(_span_of(docs, seen[ident], (field_name,)),)))
                continue
            seen[ident] = origin
            kept.append(record)
            origins[(name, ident)] = origin
        result[name] = tuple(sorted(kept, key=key))
    result["origins"] = origins
    return result


def _check_references(dossier: Dossier, out: _Collected, docs: dict[str, SourceDoc]) -> None:
    known = {name: set(dossier.by_id(name)) | out.raw_ids[name]
             for name, s in SECTIONS.items() if s.many and name != "reporting_periods"}
    for (section, ident), origin in sorted(dossier.origins.items(), key=lambda kv: (kv[1].file, kv[1].path)):
        if not ident or section == "reporting_periods":
            continue
        record = dossier.by_id(section)[ident]
        for path, target, ref in walk_refs(record):
            if ref in known[target] or target in out.unread:
                continue
            noun = SECTIONS[target].noun
            hint = _did_you_mean(ref, sorted(known[target]))
            out.problems.append(problem(
                "DDG201", _span_of(docs, origin, path),
                f'{SECTIONS[section].noun} {ident} refers to {noun} "{ref}", but there is no {noun} with that id.',
                f"{hint}use the id of an existing {noun}, or add that {noun} to data/{_home(target)}.yaml.",
            ))
        _check_scopes(section, ident, record, origin, out, docs)


def _home(section: str) -> str:
    return next(k for k, names in FILE_KINDS.items() if section in names)


def _check_scopes(section: str, ident: str, record: Any, origin: Origin, out: _Collected,
                  docs: dict[str, SourceDoc]) -> None:
    if not isinstance(record, Scoped):
        return
    fields = sorted(type(record).model_fields)
    personal = personal_fields(type(record))
    for name, scope in sorted(record.field_scope.items()):
        where = _span_of(docs, origin, ("field_scope", name), key=True)
        if name not in fields:
            out.problems.append(problem(
                "DDG102", where, f'field_scope names "{name}", which is not a field of {SECTIONS[section].noun} {ident}.',
                f"{_did_you_mean(name, fields)}name one of the record's fields."))
        elif name in personal and scope is not Scope.INTERNAL:
            out.problems.append(problem(
                "DDG401", where, f'"{name}" of {SECTIONS[section].noun} {ident} is personal data marked {scope.value}.',
                "personal data is never published; remove this line (it has no effect on the public site).",
                severity=Severity.WARNING))
    if section == "grievance_cases" and record.complainant is not None and record.scope is Scope.PUBLIC:
        out.problems.append(problem(
            "DDG401", _span_of(docs, origin, ("scope",)),
            f"grievance case {ident} is marked public; cases are published only as counts, never one by one.",
            "remove `scope: public`; the case still counts in the public statistics.", severity=Severity.WARNING))


def _required(dossier: Dossier, out: _Collected) -> None:
    for name, section in SECTIONS.items():
        if section.required and not dossier.records(name) and name not in out.unread | out.present:
            out.problems.append(problem(
                "DDG204", Span(f"data/{_home(name)}.yaml"), f"the project has no `{name}:` section; every report needs one.",
                f"add `{name}:` to data/{_home(name)}.yaml (ddgen init writes a commented example)."))


def validate(docs: list[SourceDoc], cache: dict[int, tuple[SourceDoc, Any]] | None = None) -> tuple[Dossier, list[Problem]]:
    """The records of `docs` as a dossier, and every problem found. `cache` (kept by `ddgen serve` with
    its `LoadCache`, which hands out the same document while a file's bytes stay the same) holds each
    document's own findings: a document is validated once, the checks across documents every time.
    Records are frozen, so the same record objects may serve several rounds."""
    out = _Collected()
    kept: dict[int, tuple[SourceDoc, _Collected]] = {}
    for doc in docs:
        known = cache.get(id(doc)) if cache is not None else None
        if known is not None and known[0] is doc:
            found = known[1]
        else:
            found = _Collected()
            _validate_doc(doc, found)
        kept[id(doc)] = (doc, found)
        out.add(found)
    if cache is not None:
        cache.clear()
        cache.update(kept)
    by_file = {doc.file: doc for doc in docs}
    dossier = Dossier(**_unique(out, by_file))
    _check_references(dossier, out, by_file)
    _required(dossier, out)
    return dossier, out.problems
