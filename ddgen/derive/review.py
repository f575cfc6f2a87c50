"""Warnings a reviewer would want (DDG301-DDG306): consistency of the records with the guidance.

Pure: the records, the report date and a `locate` function that turns (section, id, field path)
into a span. Each warning says what readers of the site will see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from pydantic import BaseModel

from ..model.common import LocalText
from ..model.dossier import SECTIONS, Dossier
from ..countries import country_name
from ..model.risk import Impact, RiskStatus, Theme
from ..problems import Problem, Span, problem
from ..reference import ILAB
from .assessment import Priority, expected_action, priority
from .progress import is_overdue, latest_measurement
from .suggest import suggest

Locate = Callable[[str, str, tuple[str | int, ...]], Span]


def expired_certificates(dossier: Dossier, as_of: date, locate: Locate) -> Iterator[Problem]:
    for s in dossier.suppliers:
        for i, cert in enumerate(s.certifications):
            if cert.valid_until is not None and cert.valid_until < as_of and s.status.value == "active":
                yield problem(
                    "DDG301", locate("suppliers", s.id, ("certifications", i, "valid_until")),
                    f"the {cert.scheme} certificate of supplier {s.id} expired on {cert.valid_until}, before the report date {as_of}.",
                    "add the renewed certificate's date, or remove the certificate; the site lists it as expired.")


def kpis_without_values(dossier: Dossier, as_of: date, locate: Locate) -> Iterator[Problem]:
    for k in dossier.kpis:
        if k.target.deadline < as_of and latest_measurement(k, k.target.deadline.year) is None:
            yield problem(
                "DDG302", locate("kpis", k.id, ("target", "deadline")),
                f"the deadline of KPI {k.id} ({k.target.deadline}) has passed, but no value was measured for {k.target.deadline.year}.",
                f"add `values:` with `year: {k.target.deadline.year}`; until then the site shows \"no data\" for this KPI.")


def risks_without_action(dossier: Dossier, as_of: date, locate: Locate) -> Iterator[Problem]:
    acted = {r for a in dossier.actions for r in a.risks}
    for r in dossier.risks:
        if r.status is RiskStatus.OPEN and priority(r) is Priority.HIGH and r.id not in acted:
            yield problem(
                "DDG303", locate("risks", r.id, ("id",)),
                f"risk {r.id} has high priority, but no action refers to it. The site will show \"no action recorded\".",
                f"add an action with `risks: [{r.id}]` to data/actions.yaml; "
                "if the risk has been dealt with, set its `status:` to mitigated or closed.")


def overdue_actions(dossier: Dossier, as_of: date, locate: Locate) -> Iterator[Problem]:
    for a in dossier.actions:
        if is_overdue(a, as_of):
            yield problem(
                "DDG304", locate("actions", a.id, ("due_on",)),
                f"action {a.id} is {a.status.value.replace('_', ' ')} but was due on {a.due_on}. The site flags it as overdue.",
                "update its status (completed_on if done) or set a new due date with a note on why it moved.")


def missing_remedy(dossier: Dossier, as_of: date, locate: Locate) -> Iterator[Problem]:
    kinds: dict[str, set[str]] = {}
    for a in dossier.actions:
        for r in a.risks:
            kinds.setdefault(r, set()).add(a.kind.value)
    remedied = {r for case in dossier.remediation_cases for r in case.risks}
    for r in dossier.risks:
        needs = expected_action(r)
        if (r.impact is Impact.ACTUAL and needs.remedy_required and "remedy" not in kinds.get(r.id, set())
                and r.id not in remedied and r.status is RiskStatus.OPEN and r.remedy_note is None):
            yield problem(
                "DDG305", locate("risks", r.id, ("involvement",)),
                f"risk {r.id} is an actual impact the company is said to {r.involvement.value.replace('_', ' ')}, "
                "but no remedy action or remediation case refers to it.",
                f"add an action of kind remedy or a remediation case with `risks: [{r.id}]` (guide step 6), "
                "or say in `remedy_note:` how remedy is approached.")


def reviews_overdue(dossier: Dossier, as_of: date, locate: Locate) -> Iterator[Problem]:
    for r in dossier.risks:
        if r.next_review_on is not None and r.next_review_on < as_of and r.status is not RiskStatus.CLOSED:
            yield problem(
                "DDG306", locate("risks", r.id, ("next_review_on",)),
                f"risk {r.id} was to be reviewed by {r.next_review_on}; the assessment may be out of date.",
                "re-assess it (update assessed_on, scores and rationale) and set the next review date.")


def _texts(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], LocalText]]:
    """Every text given per language inside a record, with its path."""
    if isinstance(value, LocalText):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*path, name))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))


def missing_translations(dossier: Dossier, as_of: date, locate: Locate) -> Iterator[Problem]:
    """A text given per language lacks one of the report's languages: readers of that edition see
    the other language instead."""
    languages = tuple(dossier.settings.languages)
    if len(languages) < 2:
        return
    for section in SECTIONS:
        for record in dossier.records(section):
            ident = str(getattr(record, "id", getattr(record, "year", ""))) if SECTIONS[section].many else ""
            yield from _untranslated(record, section, ident, languages, locate)


def _untranslated(record: BaseModel, section: str, ident: str, languages: tuple[str, ...],
                  locate: Locate) -> Iterator[Problem]:
    for path, text in _texts(record, ()):
        missing = text.missing(languages)
        shown = next((code for code in languages if code not in missing), "other")
        for language in missing:
            yield problem(
                "DDG308", locate(section, ident, path),
                f"this text has no {language} version; the {language} edition shows the {shown} text instead.",
                f"add a line `{language}: ...` with the translation next to the {shown} text.")


def _exploitation(themes: tuple[Theme, ...]) -> str:
    return " and ".join(t.value.replace("_", " ") for t in themes)


def listed_goods_without_risk(dossier: Dossier, as_of: date, locate: Locate) -> Iterator[Problem]:
    """A good from a country on the ILAB list with no risk of that theme (guide 2b: look up the known
    risks of every product, raw material and country of origin). One warning per good and country."""
    for pair in suggest(dossier).gaps:
        items = (*pair.products, *pair.raw_materials)
        field = "products" if pair.products else "raw_materials"
        first, *others = [locate(s.section, s.ident, s.path) for s in pair.sightings]
        themes = " or ".join(t.value for t in pair.uncovered)
        yield problem(
            "DDG307", first,
            f"{pair.good} from {country_name(pair.country, 'en')} ({', '.join(items)}) is on the US Department of "
            f"Labor's list of goods made with {_exploitation(pair.uncovered)} ({ILAB.edition} edition), but no "
            f"{themes} risk names {pair.country} and this good. Readers of the site see no assessment of it.",
            f"add a risk with `theme: {pair.uncovered[0].value}`, `countries: [{pair.country}]` and "
            f"`{field}: [{', '.join(getattr(pair, field))}]`, or add them to an existing risk of that theme; "
            "`ddgen risks suggest --format yaml` prints a record to paste and assess.",
            related=others)


CHECKS = (expired_certificates, kpis_without_values, risks_without_action, overdue_actions, missing_remedy,
          reviews_overdue, missing_translations, listed_goods_without_risk)


def review(dossier: Dossier, as_of: date, locate: Locate) -> list[Problem]:
    return [p for check in CHECKS for p in check(dossier, as_of, locate)]
