"""Every label ddgen shows has a Dutch translation with the same placeholders."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from ddgen.catalog import message_ids, po_path, untranslated
from ddgen.i18n import Formatter


def test_every_label_has_a_dutch_translation() -> None:
    assert untranslated("nl") == [], "run `python -m ddgen.catalog` and translate the new labels"


def test_placeholders_survive_translation() -> None:
    with po_path("nl").open("rb") as fh:
        catalog = read_po(fh, locale="nl")
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(re.findall(r"%\((\w+)\)s", ids[0]))
        wrong += [message.id for s in strings if s and set(re.findall(r"%\((\w+)\)s", s)) != expected]
    assert wrong == []


def test_template_labels_with_placeholders_are_collected() -> None:
    assert "Grievances in %(year)s" in message_ids()


def test_dutch_formatter_translates_labels_and_vocabulary() -> None:
    nl = Formatter("nl")
    assert nl._("At a glance") != "At a glance"
    assert nl.label("directly_linked") == nl._("Directly linked") != "Directly linked"
    assert nl.percent(12.5, 1) == "12,5%"
    assert nl.country("TR") == "Turkije"
