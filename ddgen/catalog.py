"""The message catalog: every label ddgen shows on the site, collected so translations stay complete.

Sources: `_()`/`n_()` calls in the templates (found with Jinja's Babel extractor), the labels of
every vocabulary value (`directly_linked` -> "Directly linked"), the guidance texts of the expected
actions and the labels written in Python (navigation, banners). `python -m ddgen.catalog` adds
missing message ids to each language's .po file and reports the untranslated ones; a test fails
while any label lacks a translation.
"""

from __future__ import annotations

import enum
import sys
from datetime import UTC, datetime
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from jinja2 import Environment
from jinja2.ext import babel_extract

from . import model
from .derive.assessment import EXPECTED_ACTIONS, Priority
from .derive.progress import KpiStatus
from .frameworks.registry import location_labels
from .frameworks.views import LABELS as FRAMEWORK_LABELS
from .i18n import LANGUAGES

PYTHON_LABELS = (
    "At a glance", "1 Policy and embedding", "2 Value chain and risks", "Value chain", "Supplier list",
    "Risks and priorities", "3 Actions", "4 Monitoring", "5 Communication", "6 Grievances and remedy",
    "How we assess", "Downloads", "Supplier list (CSV, UTF-8)", "Supplier list (Excel)", "Supplier list (JSON)",
    "Risk register with scores and priority (CSV)", "Actions and corrective action plans (CSV)",
    "Indicators with their values per year (CSV)",
    "Supplier list for upload to Open Supply Hub (CSV, its upload template)",
    "Supplier list with the Transparency Pledge fields (CSV, English headers)",
    "Certificates of suppliers with number and expiry date (CSV)",
    "Products and services with their raw materials and origins (CSV)",
    "Raw materials and their countries of origin (CSV)",
    "All tables above in one Excel workbook, a sheet per record type",
    "Description of the CSV files as a Frictionless data package (field types, keys)",
    "Partner edition: contains information shared under agreement. Do not publish or pass on.",
    "Internal edition: for management only. Contains confidential information. Do not publish.",
    "Overdue",
    "Data downloads",
    "Report year",
    "What changed",
    "Earlier reports",
    "Made with",
    "Due diligence report %(year)s, reporting period %(start)s to %(end)s",
    "The printable report continues in %(link)s.",
    "part %(number)s of %(parts)s",
)

PYTHON_PLURALS = (("%(num)s supplier", "%(num)s suppliers"),)


FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
"""Header dates of the .po files stay fixed, so regenerating them changes only real content."""


def _template_messages() -> Iterator[str | tuple[str, str]]:
    root = resources.files("ddgen") / "templates"
    for path in sorted(Path(str(root)).rglob("*.j2")):
        with path.open("rb") as fh:
            for _line, function, message, _comments in babel_extract(fh, ("_", "n_", "plain"), [], {}):
                # With keyword arguments (`_("... %(x)s", x=...)`) the extractor returns a tuple whose
                # extra items are None: the message id is its first string (or first two, for n_).
                if function == "n_" and isinstance(message, tuple):
                    yield (message[0], message[1])
                elif isinstance(message, tuple) and isinstance(message[0], str):
                    yield message[0]
                elif isinstance(message, str):
                    yield message


def _enum_labels() -> Iterator[str]:
    modules = [model.common, model.company, model.policy, model.value_chain, model.risk, model.action,
               model.tracking, model.communication, model.remedy]
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ == module.__name__:
                for member in value:
                    yield str(member.value).replace("_", " ").capitalize()
    for extra in (Priority, KpiStatus):
        for member in extra:
            yield str(member.value).replace("_", " ").capitalize()
    yield "Overdue"


def message_ids() -> list[str | tuple[str, str]]:
    """All message ids, deduplicated, in a stable order."""
    found: dict[str | tuple[str, str], None] = {}
    for message in (*_template_messages(), *_enum_labels(), *PYTHON_LABELS, *PYTHON_PLURALS, *location_labels(),
                    *FRAMEWORK_LABELS):
        found[message] = None
    for ea in EXPECTED_ACTIONS.values():
        for text in (ea.cease, ea.prevent, ea.remedy):
            found[text] = None
    return sorted(found, key=lambda m: m if isinstance(m, str) else m[0])


def po_path(language: str) -> Path:
    return Path(str(resources.files("ddgen"))) / "locale" / language / "LC_MESSAGES" / "ddgen.po"


def untranslated(language: str) -> list[str]:
    path = po_path(language)
    if not path.is_file():
        return [m if isinstance(m, str) else m[0] for m in message_ids()]
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    missing = []
    for message in message_ids():
        entry = catalog.get(message if isinstance(message, str) else message[0])
        if entry is None or not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            missing.append(message if isinstance(message, str) else message[0])
    return missing


def update(language: str) -> int:
    """Add missing message ids to the language's .po file (keeping translations); return how many lack one."""
    path = po_path(language)
    old = Catalog(locale=language)
    if path.is_file():
        with path.open("rb") as fh:
            old = read_po(fh, locale=language)
    new = Catalog(locale=language, project="ddgen", version="1", domain="ddgen", fuzzy=False,
                  copyright_holder="the ddgen contributors", creation_date=FIXED_DATE, revision_date=FIXED_DATE,
                  last_translator="the ddgen contributors", language_team=language)
    for message in message_ids():
        key = message if isinstance(message, str) else message[0]
        entry = old.get(key)
        new.add(message, entry.string if entry is not None else ("", "") if isinstance(message, tuple) else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, new, width=0, omit_header=False, sort_output=True, no_location=True)
    return len(untranslated(language))


def main() -> None:
    for language in LANGUAGES:
        missing = update(language)
        print(f"{po_path(language)}: {missing} message(s) without translation")
    sys.exit(0)


_ = Environment

if __name__ == "__main__":
    main()
