"""The coverage report for writers (`ddgen coverage`): per requirement covered / partial / missing,
and for gaps the record type or field that would fill them. Text for people, JSON for tools.

Input: coverage results (ddgen.derive.coverage) and whether each framework has a public page.
Output: text. No problem codes: a gap is information for the writer, not an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..derive.coverage import (
    FrameworkCoverage,
    ItemCoverage,
    RequirementCoverage,
    Status,
    coverage,
)
from ..derive.disclosures import answered
from ..model.common import Scope
from ..model.dossier import SECTIONS, Dossier
from ..publish import publish
from . import FrameworkMap, home_of, words
from .views import summarised

WIDTH = 13  # "not material" plus a space


def measure(dossier: Dossier, as_of: Any, maps: Mapping[str, FrameworkMap],
            scope: Scope = Scope.PUBLIC) -> tuple[FrameworkCoverage, ...]:
    """Coverage of the edition for `scope`: what its pages can answer, telling hidden records apart."""
    edition = publish(dossier, scope, as_of)
    return coverage(maps, edition.dossier, everything=dossier, summarised=summarised(edition),
                    figures=answered(edition.figures))


def hint(item: ItemCoverage) -> str:
    """What would fill a missing item, in the writer's words: which section, field and values."""
    answer = item.answer
    section = SECTIONS[answer.records]
    file = home_of(answer.records)
    if answer.field and section.many:
        text = f"fill in `{answer.field}:` in a record of `{answer.records}:` in {file}"
    elif answer.field:
        text = f"fill in `{answer.field}:` under `{answer.records}:` in {file}"
    elif section.many:
        text = f"add a record to `{answer.records}:` in {file}"
    else:
        text = f"add `{answer.records}:` to {file}"
    for name, value in answer.where.items():
        values = value if isinstance(value, tuple) else (value,)
        text += f" whose {name} is {values[0]}" if len(values) == 1 else f" whose {name} is one of {', '.join(values)}"
    if item.hidden:
        text += " (such records exist, but none is public: the public site cannot point to them)"
    return text


def gap_hints(rc: RequirementCoverage) -> list[str]:
    if rc.status is Status.NOT_MATERIAL:
        return [("reported only for a material topic: name it in `gri_disclosures:` of a material topic "
                 "(data/communication.yaml) if the topic is material")]
    if rc.status not in (Status.PARTIAL, Status.MISSING):
        return []
    if not rc.requirement.answered_by:
        return [("no record type answers this: give where it is answered in `external_locations:`, or explain the "
                 "gap in `omissions:` (data/communication.yaml)")]
    return [hint(item) for item in rc.missing]


def text(coverages: Iterable[FrameworkCoverage], published: Mapping[str, bool], scope: str) -> str:
    lines = [f"Coverage of the {scope} edition: what its pages can answer from the records.", ""]
    for cov in coverages:
        fw = cov.framework
        page = "yes" if published.get(fw.id) else "no (list it under `frameworks:` in data/communication.yaml)"
        lines.append(f"{words(fw.header.name, 'en')} ({fw.id}), version {fw.header.version}; page on the site: {page}")
        counts = ", ".join(f"{cov.count(s)} {s.value.replace('_', ' ')}" for s in Status if cov.count(s))
        omitted = sum(1 for r in cov.requirements if r.omission is not None)
        lines.append(f"  {len(cov.requirements)} requirements: {counts}"
                     + (f"; {omitted} gap{'s' * (omitted != 1)} explained in omissions" if omitted else ""))
        width = max(len(r.requirement.id) for r in cov.requirements) + 1
        for rc in cov.requirements:
            status = rc.status.value.replace("_", " ")
            lines.append(f"  {status:<{WIDTH}}{rc.requirement.id:<{width}}{words(rc.requirement.title, 'en')}")
            indent = " " * (2 + WIDTH + width)
            for item_hint in gap_hints(rc):
                lines.append(f"{indent}to fill: {item_hint}")
            if rc.external is not None:
                lines.append(f"{indent}answered elsewhere: {rc.external.location}")
            if rc.omission is not None:
                lines.append(f"{indent}omission: {rc.omission.reason.value.replace('_', ' ')}: {rc.omission.explanation}")
        lines.append("")
    return "\n".join(lines)


def _item(item: ItemCoverage) -> dict[str, Any]:
    answer = item.answer
    return {
        "records": answer.records, "field": answer.field,
        "where": {k: list(v) if isinstance(v, tuple) else [v] for k, v in answer.where.items()},
        "file": home_of(answer.records), "present": item.present, "hidden": item.hidden,
        "shown_at": answer.shown_at, "hint": None if item.present else hint(item),
    }


def as_json(coverages: Iterable[FrameworkCoverage], published: Mapping[str, bool], scope: str, as_of: str) -> str:
    payload = {"scope": scope, "as_of": as_of, "frameworks": [
        {
            "id": cov.framework.id, "name": words(cov.framework.header.name, "en"),
            "version": cov.framework.header.version, "published": bool(published.get(cov.framework.id)),
            "counts": {s.value: cov.count(s) for s in Status},
            "requirements": [
                {
                    "id": rc.requirement.id, "title": words(rc.requirement.title, "en"),
                    "group": rc.requirement.group, "status": rc.status.value, "to_fill": gap_hints(rc),
                    "answered_by": [_item(i) for i in rc.items],
                    "external_location": None if rc.external is None else {
                        "location": str(rc.external.location), "url": rc.external.url},
                    "omission": None if rc.omission is None else {
                        "reason": rc.omission.reason.value, "parts": rc.omission.parts,
                        "explanation": str(rc.omission.explanation)},
                    "unverified": words(rc.requirement.unverified, "en") or None,
                }
                for rc in cov.requirements
            ],
        }
        for cov in coverages
    ]}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
