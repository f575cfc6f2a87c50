"""The framework maps: the packaged ones load clean and hold the facts of the reference; a project's own
framework file is checked like a data file, with every mistake at its line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2 import Environment, PackageLoader

from ddgen.frameworks import PACKAGED, locations, packaged_frameworks, registry
from ddgen.frameworks.views import PAGE_KEYS
from ddgen.pipeline import check
from ddgen.render import PAGES

MakeRepo = Callable[..., Path]


@pytest.fixture(scope="module")
def maps():  # type: ignore[no-untyped-def]
    found, problems = packaged_frameworks()
    assert [p.render() for p in problems] == []
    return found


def ids(maps, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.id for r in maps[name].requirements]


def test_every_packaged_framework_loads(maps) -> None:  # type: ignore[no-untyped-def]
    assert list(maps) == list(PACKAGED)


def test_ungp_reporting_framework_has_35_ids_with_8_overarching_questions(maps) -> None:  # type: ignore[no-untyped-def]
    found = ids(maps, "ungprf")
    assert len(found) == 35
    assert [i for i in found if re.fullmatch(r"[AC]\d", i)] == ["A1", "A2", "C1", "C2", "C3", "C4", "C5", "C6"]
    assert [i for i in found if i.startswith("B")] == ["B1", "B2", "B3", "B4"]
    supporting = [i for i in found if "." in i]
    assert len(supporting) == 23
    # The reference confirms the ids of the supporting questions, not their wording: the map says so.
    unverified = {r.id for r in maps["ungprf"].requirements if r.unverified}
    assert set(supporting) <= unverified


def test_gri_map_holds_the_disclosures_the_index_needs(maps) -> None:  # type: ignore[no-untyped-def]
    found = ids(maps, "gri")
    for ident in ["2-6", "2-22", "2-23", "2-24", "2-25", "2-26", "2-27", "2-29", "3-1", "3-2", "3-3",
                  "308-1", "308-2", "414-1", "414-2", "407-1", "408-1", "409-1", "411-1"]:
        assert ident in found
    topics = sorted(r.id for r in maps["gri"].requirements if r.topic)
    assert topics == ["308-1", "308-2", "407-1", "408-1", "409-1", "411-1", "414-1", "414-2"]
    assert all(r.figures == f"gri-{r.id}" for r in maps["gri"].requirements if r.topic)


def test_csddd_and_esrs_maps_hold_article_5_and_the_gov_4_table(maps) -> None:  # type: ignore[no-untyped-def]
    assert [i for i in ids(maps, "csddd") if i.startswith("Art. 5(1)")] == [f"Art. 5(1)({x})" for x in "abcdefgh"]
    assert [i for i in ids(maps, "esrs") if i.startswith("GOV-4")] == [f"GOV-4 ({x})" for x in "abcde"]
    assert ids(maps, "lksg")[:2] == ["§ 4", "§ 6(2)"]


def test_every_location_is_a_page_and_section_render_knows(maps) -> None:  # type: ignore[no-untyped-def]
    pages = set(PAGES) | set(PAGE_KEYS.values())
    assert set(registry.PAGE_LABELS) <= pages
    assert set(registry.ANCHORS) <= pages
    for fw in maps.values():
        for req in fw.requirements:
            for answer in req.answered_by:
                assert answer.shown_at in locations(), (fw.id, req.id, answer.shown_at)


def test_anchors_are_unique_across_the_step_pages() -> None:
    """The printable report puts every step page on one page: a repeated id would be invalid HTML."""
    step_pages = [p for p in registry.ANCHORS if p in PAGES]
    anchors = [a for p in step_pages for a in registry.ANCHORS[p]]
    assert len(anchors) == len(set(anchors))


def test_every_short_answer_named_in_a_map_has_a_macro(maps) -> None:  # type: ignore[no-untyped-def]
    source = Environment(loader=PackageLoader("ddgen", "templates")).loader.get_source(  # type: ignore[union-attr]
        Environment(), "partials/answers.md.j2")[0]
    macros = set(re.findall(r"{% macro (\w+)\(", source)) - {"a"}  # a: the link helper
    assert macros == set(registry.ANSWERS)
    used = {r.answer for fw in maps.values() for r in fw.requirements if r.answer}
    assert used <= macros


COVENANT = """\
name: {nl: Convenant Duurzame Kleding, en: Sustainable Garment Covenant}
description: Vragen van het convenant.
version: "2025"
source: https://www.example.org/convenant
requirements:
  - id: Q1
    title: Beleid
    asks: Heeft het bedrijf een beleid?
    answered_by:
      - {records: policies, shown_at: record}
    answer: commitment
"""


def test_a_project_framework_file_is_loaded_and_checked(make_repo: MakeRepo) -> None:
    repo = make_repo({"frameworks/covenant.yaml": COVENANT})
    assert check(repo).report.problems == []
    from ddgen.frameworks import load_frameworks

    maps, problems = load_frameworks(repo)
    assert problems == []
    assert list(maps)[-1] == "covenant"
    assert maps["covenant"].requirements[0].title == "Beleid"


BROKEN = """\
name: Convenant
description: {nl: Vragen, EN: Questions}
version: "1"
source: https://www.example.org
layot: index
requirements:
  - id: Q1
    title: Vraag 1
    asks: Wat?
    answered_by:
      - {records: polices, shown_at: record}
      - {records: risks, field: theem, where: {theme: chld_labour}, shown_at: "risks#risk-regster"}
      - {records: consultations, shown_at: record}
    answer: commitmnt
  - id: Q1
    title: Dubbel
    asks: x
  - id: Q2
    asks: Zonder titel.
"""


def test_every_mistake_in_a_framework_file_is_reported_at_its_line(make_repo: MakeRepo) -> None:
    repo = make_repo({"frameworks/covenant.yaml": BROKEN})
    found = [(str(p.where), p.code, p.message) for p in check(repo).report.sorted()]
    assert [(w, c) for w, c, _ in found] == [
        ("frameworks/covenant.yaml:2:14", "DDG103"),
        ("frameworks/covenant.yaml:5:1", "DDG102"),
        ("frameworks/covenant.yaml:11:19", "DDG205"),
        ("frameworks/covenant.yaml:12:33", "DDG205"),
        ("frameworks/covenant.yaml:12:55", "DDG205"),
        ("frameworks/covenant.yaml:12:79", "DDG205"),
        ("frameworks/covenant.yaml:13:44", "DDG205"),
        ("frameworks/covenant.yaml:14:13", "DDG205"),
        ("frameworks/covenant.yaml:15:9", "DDG202"),
        ("frameworks/covenant.yaml:18:5", "DDG101"),
    ]
    messages = {c + m for _, c, m in found}
    assert 'DDG205requirement Q1 is answered by "polices", which is not a kind of record.' in messages
    assert 'DDG205"chld_labour" is not a value of "theme"' in "".join(messages)
    hints = [p.fix for p in check(repo).report.sorted()]
    assert any(h.startswith('did you mean "policies"?') for h in hints)
    assert any(h.startswith('did you mean "risks#risk-register"?') for h in hints)


def test_a_framework_file_with_a_yaml_mistake_gets_the_usual_message(make_repo: MakeRepo) -> None:
    repo = make_repo({"frameworks/covenant.yaml": COVENANT.replace("    title: Beleid", "\ttitle: Beleid")})
    problems = check(repo).report.sorted()
    assert [(str(p.where), p.code) for p in problems] == [("frameworks/covenant.yaml:7:1", "DDG002")]
    assert "tab" in problems[0].message
