"""Coverage: for each framework requirement, whether the records answer it (covered, partial, missing).

A requirement lists the records that answer it (`answered_by`). Each item is present when at least
one record of its kind exists, matches its condition (`where`) and has its field filled in. All items
present: covered; some: partial; none: missing. A requirement the company answers outside this site
(an external location in the data) counts as covered. A GRI topic disclosure counts only for a
material topic that names it; otherwise it is `not_material`, not missing.

Coverage is worked out on the records an edition shows, so the public pages never claim an answer
the public cannot read. Records that exist but are not shown (internal or partner) are reported as
such (`hidden`), so the writer sees why the public site lacks them. Records published only as
aggregates (audits, grievance cases) count as shown when the edition carries their aggregates, and
an item marked `aggregate` (GRI figures, worked out from all records) when its figures can be filled.

Pure: no I/O, no clock. Gaps are never a problem: they go to the writer (`ddgen coverage`, the
internal coverage page), and the public pages show only what is answered or explained in an omission.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..frameworks import Answer, FrameworkMap, Requirement
from ..model.communication import ExternalLocation, Omission
from ..model.dossier import Dossier


class Status(enum.StrEnum):
    COVERED = "covered"
    PARTIAL = "partial"
    MISSING = "missing"
    NOT_MATERIAL = "not_material"


@dataclass(frozen=True)
class ItemCoverage:
    """One `answered_by` item: is it present, which records answer it, are others hidden."""

    answer: Answer
    records: tuple[Any, ...]
    hidden: bool = False

    @property
    def present(self) -> bool:
        return bool(self.records)


@dataclass(frozen=True)
class RequirementCoverage:
    requirement: Requirement
    status: Status
    items: tuple[ItemCoverage, ...]
    omission: Omission | None = None
    external: ExternalLocation | None = None

    @property
    def missing(self) -> tuple[ItemCoverage, ...]:
        return tuple(i for i in self.items if not i.present)

    @property
    def present(self) -> tuple[ItemCoverage, ...]:
        return tuple(i for i in self.items if i.present)

    @property
    def answered(self) -> bool:
        return self.status in (Status.COVERED, Status.PARTIAL)

    @property
    def publishable(self) -> bool:
        """Shown on a public index: answered, or the writer explains the gap in an omission."""
        return self.answered or self.omission is not None


@dataclass(frozen=True)
class FrameworkCoverage:
    framework: FrameworkMap
    requirements: tuple[RequirementCoverage, ...]

    def count(self, status: Status) -> int:
        return sum(1 for r in self.requirements if r.status is status)

    def of(self, ident: str) -> RequirementCoverage | None:
        return next((r for r in self.requirements if r.requirement.id == ident), None)


AGGREGATED = ("audits", "grievance_cases")
"""Record kinds an edition may publish only as aggregates (see publish and derive.aggregates)."""

AGGREGATE = "aggregate"
"""Stands in for records that the edition shows only in aggregate: present, but no record to link to."""


def _values(node: Any, path: list[str]) -> list[Any]:
    """Every value at a dotted path, looking through lists: affected_groups.group -> each group."""
    if not path:
        items = node if isinstance(node, tuple) else (node,)
        return [v for v in items if v is not None and v != "" and v != () and v != {}]
    if isinstance(node, tuple):
        return [v for item in node for v in _values(item, path)]
    if node is None or not hasattr(node, path[0]):
        return []
    return _values(getattr(node, path[0]), path[1:])


def _text(value: Any) -> str:
    return str(value.value) if isinstance(value, enum.Enum) else str(value)


def matches(record: Any, answer: Answer) -> bool:
    """The record fits the item's condition and has its field filled in."""
    for name, wanted in answer.where.items():
        options = {wanted} if isinstance(wanted, str) else set(wanted)
        if not {_text(v) for v in _values(record, name.split("."))} & options:
            return False
    return answer.field is None or bool(_values(record, answer.field.split(".")))


def answering(dossier: Dossier, answer: Answer, found: dict[Any, tuple[Any, ...]] | None = None) -> tuple[Any, ...]:
    """The records that answer the item; `found`: answers already worked out in this coverage, since
    frameworks ask many of the same things (suppliers with a country, risks of a theme)."""
    if found is None:
        return tuple(r for r in dossier.records(answer.records) if matches(r, answer))
    key = (id(dossier), answer.records, answer.field, tuple(sorted(answer.where.items())))
    if key not in found:
        found[key] = answering(dossier, answer)
    return found[key]


def material_disclosures(dossier: Dossier) -> set[str]:
    """GRI topic disclosures that some material topic of these records names."""
    return {str(d) for topic in dossier.material_topics for d in topic.gri_disclosures}


def _find(entries: Iterable[Any], framework: str, requirement: str) -> Any:
    return next((e for e in entries if str(e.framework) == framework and str(e.requirement) == requirement), None)


def requirement_coverage(framework: FrameworkMap, req: Requirement, shown: Dossier, *, everything: Dossier,
                         summarised: frozenset[str], material: set[str],
                         figures: frozenset[str] = frozenset(),
                         found: dict[Any, tuple[Any, ...]] | None = None) -> RequirementCoverage:
    com = shown.communication
    omission = _find(com.omissions, framework.id, req.id) if com is not None else None
    external = _find(com.external_locations, framework.id, req.id) if com is not None else None
    items = []
    for answer in req.answered_by:
        if answer.aggregate:  # shown as figures worked out from all records: present when they can be filled
            items.append(ItemCoverage(answer, (AGGREGATE,) if req.figures in figures else ()))
            continue
        records = answering(shown, answer, found)
        if not records and answer.records in summarised:
            records = (AGGREGATE,)
        hidden = not records and bool(answering(everything, answer, found))
        items.append(ItemCoverage(answer, records, hidden))
    present = sum(1 for i in items if i.present)
    if req.topic and req.id not in material:
        status = Status.NOT_MATERIAL
    elif external is not None or (items and present == len(items)):
        status = Status.COVERED
    elif present:
        status = Status.PARTIAL
    else:
        status = Status.MISSING
    return RequirementCoverage(req, status, tuple(items), omission, external)


def coverage(frameworks: Mapping[str, FrameworkMap], shown: Dossier, *, everything: Dossier | None = None,
             summarised: Iterable[str] = (), figures: Iterable[str] = ()) -> tuple[FrameworkCoverage, ...]:
    """Coverage of every framework by the records `shown` (an edition's); `everything` tells hidden ones apart.

    OECD guidance, step 5: report on the due diligence actually carried out; this says, requirement by
    requirement, which of the frameworks' questions the records can answer, and what would fill a gap.
    """
    full = everything if everything is not None else shown
    aggregated = frozenset(summarised) & frozenset(AGGREGATED)
    material = material_disclosures(shown)
    found: dict[Any, tuple[Any, ...]] = {}
    return tuple(
        FrameworkCoverage(fw, tuple(requirement_coverage(fw, req, shown, everything=full, summarised=aggregated,
                                                         material=material, figures=frozenset(figures), found=found)
                                    for req in fw.requirements))
        for fw in frameworks.values()
    )
