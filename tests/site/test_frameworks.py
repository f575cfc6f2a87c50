"""The framework pages in the built site: index layouts, links that resolve, gaps kept off the public
pages, figures that match the records, the coverage page in the internal edition only.

Links are checked in the built HTML (not the Markdown): every link on every framework page must lead
to a page that exists and, when it names one, to an element with that id.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from ruamel.yaml import YAML

from ddgen.build import build
from ddgen.derive.coverage import Status
from ddgen.frameworks import load_frameworks, words
from ddgen.frameworks.report import measure
from ddgen.i18n import Formatter
from ddgen.model.common import Scope
from ddgen.pipeline import check

FRAMEWORK_PAGES = {"gri": "frameworks/gri/", "ungprf": "frameworks/ungprf/", "csddd": "frameworks/due-diligence-statement/",
                   "esrs": "frameworks/due-diligence-statement/", "lksg": "frameworks/lksg/"}
NL = Formatter("nl")

COVENANT = """\
name: {nl: Convenant Duurzame Werkkleding, en: Sustainable Workwear Covenant}
description: {nl: De vragen van het convenant aan zijn deelnemers., en: The covenant's questions to its members.}
version: "2025"
source: https://www.example.org/convenant
groups:
  - id: beleid
    title: Beleid en risico's
requirements:
  - id: V1
    group: beleid
    title: Beleid
    asks: Heeft het bedrijf een beleid voor due diligence, en wie heeft het goedgekeurd?
    answered_by:
      - {records: policies, field: approval, shown_at: record}
    answer: commitment
  - id: V2
    group: beleid
    title: Risico's
    asks: Welke risico's heeft het bedrijf geprioriteerd?
    answered_by:
      - {records: risks, shown_at: "risks#risk-register"}
    answer: salient_issues
  - id: V3
    group: beleid
    title: Leefbaar loon
    asks: Betaalt het bedrijf een leefbaar loon in zijn eigen vestigingen?
"""


class _Page(HTMLParser):
    """The ids and the links of the article of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "article":
            self.depth += 1
        if tag == "a" and self.depth and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1


def parse(site: Path, url: str) -> _Page:
    page = _Page()
    page.feed((site / url / "index.html").read_text(encoding="utf-8") if url.endswith("/") or not url
              else (site / url).read_text(encoding="utf-8"))
    return page


def text_of(site: Path, url: str) -> str:
    body = (site / url / "index.html").read_text(encoding="utf-8")
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def raw(project: Path, name: str) -> dict[str, Any]:
    return YAML(typ="safe", pure=True).load((project / "data" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory, example_copy: Callable[[Path], Path]) -> tuple[Path, Path]:
    """The internal edition of the example, with the GRI statement 'in accordance' and a covenant of its own."""
    project = example_copy(tmp_path_factory.mktemp("review") / "project")
    com = project / "data" / "communication.yaml"
    text = com.read_text(encoding="utf-8")
    assert "framework: gri\n      use: with_reference" in text
    com.write_text(text.replace("framework: gri\n      use: with_reference", "framework: gri\n      use: in_accordance"),
                   encoding="utf-8")
    (project / "frameworks").mkdir()
    (project / "frameworks" / "covenant.yaml").write_text(COVENANT, encoding="utf-8")
    site = tmp_path_factory.mktemp("review-site") / "site"
    result = build(project, site, Scope.INTERNAL)
    assert result.ok, result.report.render_text()
    return project, site


def framework_urls(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("frameworks/*/index.html"))


def test_the_public_site_has_the_framework_pages_the_company_lists(example_site: Path) -> None:
    assert framework_urls(example_site) == ["frameworks/due-diligence-statement/", "frameworks/gri/", "frameworks/lksg/",
                                            "frameworks/ungprf/"]
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert NL._("Reporting frameworks") in home
    for url in framework_urls(example_site):
        assert f'href="{url}"' in home


def _check_links(site: Path) -> int:
    checked = 0
    for url in framework_urls(site):
        page = parse(site, url)
        assert page.links, url
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("mailto:"):
                continue
            target = posixpath.normpath(posixpath.join(url, unquote(parts.path))) if parts.path else url.rstrip("/")
            target = "" if target == "." else target
            file = site / target / "index.html" if not target.endswith(".html") else site / target
            assert file.is_file(), f"{url}: {href} leads to {target}, which does not exist"
            if parts.fragment:
                ids = parse(site, target + "/" if target and not target.endswith(".html") else target).ids
                assert parts.fragment in ids, f"{url}: {href} names #{parts.fragment}, which {target or 'home'} lacks"
            checked += 1
    return checked


def test_every_link_on_the_public_framework_pages_resolves(example_site: Path) -> None:
    assert _check_links(example_site) > 100


def test_every_link_on_the_internal_framework_pages_resolves(review: tuple[Path, Path]) -> None:
    assert _check_links(review[1]) > 100


def _gri_head(site: Path) -> list[str]:
    page = (site / "frameworks" / "gri" / "index.html").read_text(encoding="utf-8")
    table = page[page.index('<table class="ddgen-table ddgen-index"'):]
    head = table[table.index("<thead>"): table.index("</thead>")]
    return [html.unescape(h) for h in re.findall(r"<th[^>]*>([^<]+)</th>", head)]


def test_gri_index_with_reference_follows_the_three_column_template(example_site: Path) -> None:
    assert _gri_head(example_site) == [NL._("GRI Standard"), NL._("Disclosure"), NL._("Location")]
    text = text_of(example_site, "frameworks/gri/")
    assert "Tweestroom Werkkleding B.V. heeft de informatie die in deze GRI-index wordt genoemd over de periode " \
           "1 januari 2025 tot en met 31 december 2025 gerapporteerd met verwijzing naar de GRI-standaarden." in text
    assert "GRI 1: Foundation 2021" in text
    assert NL._("Applicable GRI Sector Standard(s)") not in text
    omitted = text[text.index(NL._("Disclosures not reported")):]
    assert "2-27 Compliance with laws and regulations Informatie niet beschikbaar" in omitted


def test_gri_index_in_accordance_has_the_omission_columns(review: tuple[Path, Path]) -> None:
    site = review[1]
    assert _gri_head(site) == [NL._("GRI Standard or other source"), NL._("Disclosure"), NL._("Location"),
                               NL._("Omission"), NL._("GRI Sector Standard ref. no."), NL._("Requirement(s) omitted"),
                               NL._("Reason"), NL._("Explanation")]
    text = text_of(site, "frameworks/gri/")
    assert "heeft over de periode 1 januari 2025 tot en met 31 december 2025 gerapporteerd in overeenstemming met " \
           "de GRI-standaarden." in text
    assert NL._("None: no GRI Sector Standard applies to our sector.") in text
    assert re.search(r"2-27 Compliance with laws and regulations 2-27 Informatie niet beschikbaar Wij houden nog geen "
                     r"centraal register", text)


def test_public_pages_list_answered_requirements_and_explained_gaps_only(example_project: Path,
                                                                         example_site: Path) -> None:
    checked = check(example_project)
    maps, _ = load_frameworks(example_project)
    coverage = {c.framework.id: c for c in measure(checked.dossier, checked.as_of, maps)}
    for framework, url in FRAMEWORK_PAGES.items():
        page = (example_site / url / "index.html").read_text(encoding="utf-8")
        for rc in coverage[framework].requirements:
            title = html.escape(words(rc.requirement.title, "nl"), quote=False)
            shown = f"<strong>{html.escape(rc.requirement.id)}</strong> {title}" in page or (
                framework in ("lksg", "esrs") and f"{html.escape(rc.requirement.id)} {title}" in page) or (
                rc.requirement.group == "gov-4" and f">{title}</th>" in page)
            expected = rc.answered or rc.omission is not None
            if rc.status is Status.NOT_MATERIAL:
                expected = False
            assert shown == expected, (framework, rc.requirement.id, rc.status, shown)


def test_ungp_index_tells_remedy_from_leverage_by_involvement(example_project: Path, example_site: Path) -> None:
    risks = [r for r in raw(example_project, "risks.yaml")["risks"]
             if r.get("status", "open") != "closed" and (r.get("scope") or "public") == "public"]
    page = (example_site / "frameworks" / "ungprf" / "index.html").read_text(encoding="utf-8")
    table = page[page.index('id="remedy-or-leverage"'):]
    table = table[table.index("<tbody>"): table.index("</tbody>")]
    rows = {html.unescape(re.sub(r"<[^>]+>", "", cells[0])): html.unescape(re.sub(r"<[^>]+>", "", cells[2]))
            for cells in (re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL))}
    expected = {NL.label(inv): [r["title"] for r in risks if r["involvement"] == inv]
                for inv in ("cause", "contribute", "directly_linked")}
    assert set(rows) == {label for label, titles in expected.items() if titles}
    for label, titles in expected.items():
        for title in titles:
            assert title in rows[label], (label, title)
    text = text_of(example_site, "frameworks/ungprf/")
    assert NL._("Not (fully) reported: %(reason)s.") % {"reason": "vertrouwelijkheid"} in text  # C6.5 omission


def test_ungp_part_b_lists_every_salient_issue_with_its_consultations(example_project: Path,
                                                                       example_site: Path) -> None:
    from decimal import ROUND_HALF_UP, Decimal

    def high(r: dict[str, Any]) -> bool:
        s = r["severity"]
        band = int((Decimal(s["scale"] + s["scope"] + 2 * s["irremediability"]) / 4).quantize(Decimal(1), ROUND_HALF_UP))
        return band >= 4 or (band == 3 and r["likelihood"] >= 4)

    salient = [r for r in raw(example_project, "risks.yaml")["risks"]
               if r.get("status", "open") != "closed" and high(r) and (r.get("scope") or "public") == "public"]
    page = (example_site / "frameworks" / "ungprf" / "index.html").read_text(encoding="utf-8")
    table = page[page.index('id="salient-issues-determined"'):]
    table = table[: table.index("</table>")]
    assert len(re.findall(r"<tr>", table)) - 1 == len(salient)
    consulted = {r for c in raw(example_project, "stakeholders.yaml")["consultations"] for r in c.get("risks", [])}
    assert consulted & {r["id"] for r in salient}


def test_gri_figures_on_the_page_equal_the_hand_computed_ones(example_project: Path, example_site: Path) -> None:
    year = max(p["year"] for p in raw(example_project, "company.yaml")["reporting_periods"])
    suppliers = raw(example_project, "suppliers.yaml")["suppliers"]
    new = [s for s in suppliers if s.get("relationship_since") == year]
    social = [s for s in new if "social" in (s.get("screening") or {}).get("criteria", [])]
    text = text_of(example_site, "frameworks/gri/")
    percent = NL.percent(100 * len(social) / len(new), 1)
    assert (f"{len(social)} van de {len(new)} nieuwe leveranciers in {year} zijn vooraf beoordeeld op sociale "
            f"criteria: {percent}.") in text
    active = {s["id"]: s for s in suppliers if s.get("status", "active") != "exited"}
    named = {i for r in raw(example_project, "risks.yaml")["risks"] if r["theme"] == "child_labour"
             and r.get("status", "open") != "closed" for i in r.get("suppliers", []) if i in active}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for ident in named:
        counts[active[ident]["country"]][0 if active[ident]["tier"] == 1 else 1] += 1
    page = (example_site / "frameworks" / "gri" / "index.html").read_text(encoding="utf-8")
    block = page[page.index('id="gri-408-1"'):]
    block = block[block.index("<tbody>"): block.index("</tbody>")]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="ddgen-num">(\d+)</td><td class="ddgen-num">(\d+)</td>',
                      block)
    assert {html.unescape(c): [int(a), int(b)] for c, a, b in rows} == {
        NL.country(c): n for c, n in counts.items()}


def test_the_coverage_page_is_in_the_internal_edition_only(example_site: Path, review: tuple[Path, Path]) -> None:
    assert not (example_site / "frameworks" / "coverage").exists()
    assert "frameworks/coverage" not in (example_site / "index.html").read_text(encoding="utf-8")
    site = review[1]
    text = text_of(site, "frameworks/coverage/")
    for name in ("GRI-standaarden", "UN Guiding Principles Reporting Framework", "Convenant Duurzame Werkkleding"):
        assert name in text
    assert NL._("Missing") in text and NL._("Covered") in text
    # 308-1 is missing: the only new supplier was screened on social criteria only
    assert re.search(r"308-1 New suppliers that were screened using environmental criteria Ontbreekt gegevens onder "
                     r"suppliers: \(data/suppliers.yaml\), waarbij screening.criteria gelijk is aan environmental", text)


def test_a_project_framework_gets_a_page_like_the_packaged_ones(review: tuple[Path, Path]) -> None:
    site = review[1]
    page = parse(site, "frameworks/covenant/")
    assert any(link.startswith("../../policy/#policy-POL-01") for link in page.links)
    text = text_of(site, "frameworks/covenant/")
    assert "V1 Beleid" in text and "V2 Risico's" in text
    assert "V3 Leefbaar loon" not in text  # no record answers it and the writer gave no omission
