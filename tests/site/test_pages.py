"""The built example site shows the right figures. Expected values are worked out here from the raw
YAML (not through ddgen's derive functions), so a wrong rule or a wrong template shows up."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ddgen.model.common import Scope


def _load(project: Path, name: str) -> dict[str, Any]:
    return YAML(typ="safe", pure=True).load((project / "data" / name).read_text(encoding="utf-8"))


def _public(records: list[dict[str, Any]], default: str = "public") -> list[dict[str, Any]]:
    return [r for r in records if (r.get("scope") or default) == Scope.PUBLIC.value]


def _text(page_html: str) -> str:
    """Visible text of a page, tags removed and entities decoded, whitespace folded."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page_html, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_home_page_headline_figures(example_project: Path, example_site: Path) -> None:
    suppliers = _public(_load(example_project, "suppliers.yaml")["suppliers"])
    active = [s for s in suppliers if s.get("status", "active") != "exited"]
    figures = re.findall(r'<span class="ddgen-figure">([^<]+)</span>',
                         (example_site / "index.html").read_text(encoding="utf-8"))
    assert figures[0] == str(len(active))
    assert figures[1] == str(len({s["country"] for s in active}))
    kpis = _load(example_project, "kpis.yaml")["kpis"]
    assert figures[4].endswith(f"/ {len(_public(kpis))}")


def test_supplier_list_has_every_public_supplier_and_no_hidden_one(example_project: Path, example_site: Path) -> None:
    suppliers = _load(example_project, "suppliers.yaml")["suppliers"]
    page = (example_site / "suppliers" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr data-country=\"([A-Z]{2})\"", page)
    public = _public(suppliers)
    assert len(rows) == len(public)
    assert Counter(rows) == Counter(s["country"] for s in public)
    text = _text(page)
    hidden = [s for s in suppliers if s not in public]
    assert hidden, "the example should keep some suppliers off the public list"
    assert [s["name"] for s in hidden if s["name"] in text] == []
    for s in hidden:
        assert not (example_site / "suppliers" / s["id"]).exists()


def _band(risk: dict[str, Any]) -> int:
    s = risk["severity"]
    value = Decimal(s["scale"] + s["scope"] + 2 * s["irremediability"]) / 4
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def test_risk_matrix_table_puts_each_open_risk_in_its_cell(example_project: Path, example_site: Path) -> None:
    risks = [r for r in _public(_load(example_project, "risks.yaml")["risks"]) if r.get("status", "open") != "closed"]
    page = (example_site / "risks" / "index.html").read_text(encoding="utf-8")
    table = page[page.index("ddgen-matrix-table"):]
    table = table[: table.index("</table>")]
    body = table[table.index("<tbody>"):]
    cells: dict[tuple[int, int], set[str]] = {}
    for band, row in re.findall(r'<tr><th scope="row">(\d)</th>(.*?)</tr>', body, flags=re.S):
        for likelihood, cell in enumerate(re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S), start=1):
            cells[(int(band), likelihood)] = set(re.findall(r">([^<>]+)</a>", cell))
    assert len(cells) == 25
    for r in risks:
        assert r["id"] in cells[(_band(r), r["likelihood"])], r["id"]
    assert sum(len(ids) for ids in cells.values()) == len(risks)


def test_risk_register_is_ordered_by_severity_then_likelihood(example_project: Path, example_site: Path) -> None:
    risks = _public(_load(example_project, "risks.yaml")["risks"])
    expected = sorted(risks, key=lambda r: (-(r["severity"]["scale"] + r["severity"]["scope"]
                                              + 2 * r["severity"]["irremediability"]), -r["likelihood"], r["id"]))
    rows = list(csv.DictReader(io.StringIO((example_site / "downloads" / "risks.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == [r["id"] for r in expected]


def _latest(kpi: dict[str, Any], year: int) -> dict[str, Any] | None:
    values = [v for v in kpi.get("values", []) if v["year"] <= year]
    return max(values, key=lambda v: v["year"]) if values else None


def test_kpi_pages_show_latest_value_and_progress(example_project: Path, example_site: Path) -> None:
    company = _load(example_project, "company.yaml")
    period = max(company["reporting_periods"], key=lambda p: p["year"])
    for kpi in _public(_load(example_project, "kpis.yaml")["kpis"]):
        text = _text((example_site / "monitoring" / kpi["id"] / "index.html").read_text(encoding="utf-8"))
        latest = _latest(kpi, period["year"])
        if latest is None:
            continue
        base, target = kpi["baseline"]["value"], kpi["target"]["value"]
        progress = Decimal(100) * Decimal(str(latest["value"] - base)) / Decimal(str(target - base))
        progress = max(Decimal(0), min(Decimal(100), progress)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        assert f"{progress}%" in text, (kpi["id"], progress)
        assert f"({latest['year']})" in text
        assert "<svg" in (example_site / "monitoring" / kpi["id"] / "index.html").read_text(encoding="utf-8")


def test_grievance_statistics_hide_small_numbers(example_project: Path, example_site: Path) -> None:
    data = _load(example_project, "grievances.yaml")
    company = _load(example_project, "company.yaml")
    year = max(p["year"] for p in company["reporting_periods"])
    received = [c for c in data["grievance_cases"] if date.fromisoformat(str(c["received_on"])).year == year]
    by_country = Counter(c["country"] for c in received)
    page = (example_site / "grievances" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="ddgen-num">([^<]+)</td></tr>', page)
    values = [html.unescape(v) for _, v in shown]
    assert "<5" in values
    assert not any(v.isdigit() and 0 < int(v) < 5 for v in values), "a count below 5 is shown exactly"
    big = [n for n in by_country.values() if n >= 5]
    assert all(str(n) in values for n in big)
    assert f"{len(received)}" in _text(page)
    for case in data["grievance_cases"]:
        complainant = case.get("complainant") or {}
        for value in complainant.values():
            assert str(value) not in page


def test_downloads_are_public_and_machine_readable(example_project: Path, example_site: Path) -> None:
    suppliers = _public(_load(example_project, "suppliers.yaml")["suppliers"])
    rows = list(csv.DictReader(io.StringIO((example_site / "downloads" / "suppliers.csv").read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == sorted(s["id"] for s in suppliers)
    for column in ("name", "address", "country_code", "parent_company", "product_type", "number_of_workers"):
        assert column in rows[0]
    assert "purchase_share" not in rows[0] and "contract_reference" not in rows[0]
    payload = json.loads((example_site / "downloads" / "suppliers.json").read_text(encoding="utf-8"))
    assert len(payload["records"]) == len(suppliers)
    from openpyxl import load_workbook

    book = load_workbook(example_site / "downloads" / "suppliers.xlsx")
    sheet = book["Suppliers"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.max_row == len(suppliers) + 1


@pytest.mark.parametrize("page", ["index.html", "policy/index.html", "value-chain/index.html",
                                  "suppliers/index.html", "risks/index.html", "actions/index.html",
                                  "monitoring/index.html", "communication/index.html", "grievances/index.html",
                                  "how-we-assess/index.html", "downloads/index.html"])
def test_generated_pages_leave_no_markdown_or_escapes_visible(example_site: Path, page: str) -> None:
    text = _text((example_site / page).read_text(encoding="utf-8"))
    assert "](" not in text, "a Markdown link was printed as text"
    assert not re.search(r"&#\d+;|&amp;|\*\*", text), "an escape or Markdown marker shows as text"
    assert "None" not in text.split()


def test_detail_pages_are_kept_out_of_the_navigation(example_site: Path) -> None:
    home = (example_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):home.index('<div class="md-content"')]
    assert "suppliers/" in nav
    assert "suppliers/S-" not in nav and "risks/R-" not in nav


def test_printable_report_holds_all_six_steps_with_working_links(example_site: Path) -> None:
    page = (example_site / "print" / "index.html").read_text(encoding="utf-8")
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert 'href="print/"' in home
    steps = re.findall(r"<h2[^>]*>(Stap \d)", page)
    assert steps == [f"Stap {n}" for n in (1, 2, 2, 3, 4, 5, 6)]
    for target in re.findall(r'href="(\.\./[^"#]+)"', page):
        assert (example_site / "print" / target).resolve().exists(), target


def test_ddgen_theme_fixes_are_in_every_build(example_site: Path) -> None:
    from ddgen.build import THEME_FIXES

    page = (example_site / "risks" / "index.html").read_text(encoding="utf-8")
    for asset in THEME_FIXES:
        assert (example_site / asset).is_file()
        assert asset.rsplit("/", 1)[1] in page
    assert 'autocomplete="off"' not in page.split("<body", 1)[1].split('class="md-header', 1)[0]
    assert not (example_site / "README.md").exists()
