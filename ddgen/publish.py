"""Publish: `Dossier` -> `Edition`, the only way records reach render and export.

An edition is made for one audience scope (public, partner or internal). Records whose scope is
stricter than the audience are dropped; fields whose scope is stricter (purchase share, contract
references, audit details, personal data ...) are emptied; references to dropped records are
removed, so not even an internal id shows. Grievance cases never go out one by one: the edition
carries their suppressed aggregates instead. Keeping this in one place makes the privacy rule
reviewable, and the canary test checks it end to end.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel

from .derive.aggregates import AuditSummary, GrievanceStatistics, audit_summary, grievance_statistics
from .derive.disclosures import DisclosureFigures, disclosure_figures
from .model.common import LocalText, Scope, Scoped
from .model.dossier import SECTIONS, Dossier
from .validate import _plan, personal_fields, sensitive_fields


@dataclass(frozen=True)
class Edition:
    """What one audience may see: filtered records plus aggregates of what stays hidden."""

    scope: Scope
    as_of: date
    dossier: Dossier
    grievances: GrievanceStatistics | None
    audits: AuditSummary | None
    figures: DisclosureFigures | None = None
    """Counts for the GRI topic disclosures, from all records like the audit summary (no names, no ids)."""


def _empty(record: BaseModel, name: str) -> Any:
    current = getattr(record, name)
    return () if isinstance(current, tuple) else {} if isinstance(current, dict) else None


def _in_language(value: Any, language: str) -> Any:
    if isinstance(value, LocalText):
        return value.get(language)
    if isinstance(value, tuple) and any(isinstance(v, LocalText) for v in value):
        return tuple(_in_language(v, language) for v in value)
    return value


def _may_hold_text(annotation: Any) -> bool:
    """Whether a field of this type can hold a `LocalText` (validated models hold only their types)."""
    if annotation is LocalText or annotation is Any:
        return True
    return any(_may_hold_text(arg) for arg in get_args(annotation))


@cache
def _redaction(model: type[BaseModel], scope: Scope) -> tuple[frozenset[str], tuple[str, ...], tuple[Any, ...]]:
    """Per record type and audience, worked out once: the fields emptied by default, the fields that
    may hold a text per language, and the references and nested records to follow."""
    texts = tuple(name for name, info in model.model_fields.items() if _may_hold_text(info.annotation))
    follow = tuple((name, what, arg) for name, what, arg in _plan(model) if what != "personal")
    return _hidden(model, scope, {}), texts, follow


def _hidden(model: type[BaseModel], scope: Scope, overrides: dict[str, Scope]) -> frozenset[str]:
    """The fields emptied for this audience: personal data, and fields whose scope (the record's own
    `field_scope`, else the field's default) the audience may not see."""
    defaults = sensitive_fields(model)
    personal = personal_fields(model)
    return frozenset(name for name in model.model_fields
                     if (name in personal and scope is not Scope.INTERNAL)
                     or ((field_scope := overrides.get(name, defaults.get(name))) and not scope.allows(field_scope)))


def _redact(record: BaseModel, scope: Scope, visible: dict[str, set[str]], language: str,
            refs: list[tuple[str, Any]] | None = None) -> BaseModel:
    """A copy of `record` without the fields and references its audience may not see, and with every
    text in the edition's language (falling back to another language where it is missing). A record
    with nothing to change is returned as it is. `refs` collects the references followed, and
    `_DROPPED` where one was dropped (see `_remembered`)."""
    overrides = record.field_scope if isinstance(record, Scoped) else {}
    hidden, texts, follow = _redaction(type(record), scope)
    if overrides:
        hidden = _hidden(type(record), scope, overrides)
    updates: dict[str, Any] = {name: _empty(record, name) for name in hidden}
    for name, what, arg in follow:
        if name in updates:
            continue
        value = getattr(record, name)
        if what == "ref":
            if refs is not None:
                refs.append((arg, value))
            if isinstance(value, tuple):
                if not visible[arg].issuperset(value):  # in C: most references are all visible
                    updates[name] = tuple(v for v in value if v in visible[arg])
                    if refs is not None:
                        refs.append(_DROPPED)
            elif value is not None and value not in visible[arg]:
                updates[name] = None
                if refs is not None:
                    refs.append(_DROPPED)
        elif what == "model" and value is not None:
            redacted = (tuple(_redact(v, scope, visible, language, refs) for v in value) if isinstance(value, tuple)
                        else _redact(value, scope, visible, language, refs))
            if any(a is not b for a, b in _pairs(redacted, value)):
                updates[name] = redacted
    for name in texts:
        if name not in updates:
            value = getattr(record, name)
            resolved = _in_language(value, language)
            if resolved is not value:
                updates[name] = resolved
    if overrides and scope is not Scope.INTERNAL:
        updates["field_scope"] = {}
    return record.model_copy(update=updates) if updates else record


_DROPPED = ("", None)
"""In a list of followed references: one was dropped."""
REDACTIONS_KEPT = 100_000
"""Redacted records kept (`_remembered`): every record of a 10,000-supplier project, with room."""
_REDACTIONS: OrderedDict[tuple[int, Scope, str], tuple[BaseModel, BaseModel, tuple[tuple[str, Any], ...]]] = OrderedDict()


def _remembered(record: BaseModel, scope: Scope, visible: dict[str, set[str]], language: str) -> BaseModel:
    """`_redact`, once per record, audience and language: the same record is published for every
    reporting year, and by `ddgen serve` in every round (its records are kept while their file stays
    the same). A remembered copy is used only while every reference it followed is still visible, as
    then redacting again gives an equal copy; a record with a reference dropped is redacted each time.
    The entry keeps its record alive, so its id is not reused."""
    key = (id(record), scope, language)
    known = _REDACTIONS.get(key)
    if known is not None and known[0] is record and all(
            visible[arg].issuperset(value) if isinstance(value, tuple) else value is None or value in visible[arg]
            for arg, value in known[2]):
        _REDACTIONS.move_to_end(key)
        return known[1]
    refs: list[tuple[str, Any]] = []
    redacted = _redact(record, scope, visible, language, refs)
    if _DROPPED not in refs:
        _REDACTIONS[key] = (record, redacted, tuple(refs))
        if len(_REDACTIONS) > REDACTIONS_KEPT:
            _REDACTIONS.popitem(last=False)
    return redacted


def _pairs(new: Any, old: Any) -> list[tuple[Any, Any]]:
    return list(zip(new, old, strict=True)) if isinstance(new, tuple) else [(new, old)]


def _kept(dossier: Dossier, section: str, scope: Scope) -> tuple[Any, ...]:
    if section in ("grievance_cases",) and scope is not Scope.INTERNAL:
        return ()
    return tuple(r for r in dossier.records(section) if not isinstance(r, Scoped) or scope.allows(r.effective_scope))


def publish(dossier: Dossier, scope: Scope, as_of: date, language: str = "nl") -> Edition:
    kept = {name: _kept(dossier, name, scope) for name in SECTIONS}
    visible = {name: {r.id for r in records if isinstance(r, Scoped)} for name, records in kept.items()}
    changes: dict[str, Any] = {}
    for f in fields(dossier):
        if f.name not in SECTIONS:
            continue
        records = tuple(_remembered(r, scope, visible, language) for r in kept[f.name])
        changes[f.name] = records if SECTIONS[f.name].many else (records[0] if records else None)
    filtered = replace(dossier, **changes, origins={})
    period = dossier.period
    k = dossier.settings.suppression_threshold
    return Edition(
        scope=scope,
        as_of=as_of,
        dossier=filtered,
        grievances=grievance_statistics(dossier.grievance_cases, period.year, k) if period else None,
        audits=audit_summary(dossier.audits, period.year, as_of) if period else None,
        figures=disclosure_figures(dossier),
    )
