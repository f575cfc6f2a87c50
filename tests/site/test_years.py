"""Several reporting years: the latest at the root, earlier years under /<year>/, what changed."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ddgen.build import build


def _load(project: Path, name: str) -> dict[str, Any]:
    return YAML(typ="safe", pure=True).load((project / "data" / name).read_text(encoding="utf-8"))


def _text(page: Path) -> str:
    body = re.sub(r"<script.*?</script>|<svg.*?</svg>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_every_year_has_its_report_and_the_archive_lists_them(example_project: Path, example_site: Path) -> None:
    years = sorted((p["year"] for p in _load(example_project, "company.yaml")["reporting_periods"]), reverse=True)
    assert len(years) >= 3
    for year in years[1:]:
        assert (example_site / str(year) / "index.html").is_file()
        assert (example_site / str(year) / "risks" / "index.html").is_file()
    archive = (example_site / "archive" / "index.html").read_text(encoding="utf-8")
    for year in years[1:]:
        assert f'href="../{year}/"' in archive
    switch = (example_site / "risks" / "index.html").read_text(encoding="utf-8")
    assert f'href="../{years[1]}/risks/"' in switch, "the year switcher leads to the same page in another year"
    older = (example_site / str(years[1]) / "risks" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../risks/"' in older


def test_kpi_movement_on_the_changes_page(example_project: Path, example_site: Path) -> None:
    periods = sorted(p["year"] for p in _load(example_project, "company.yaml")["reporting_periods"])
    now, before = periods[-1], periods[-2]
    text = _text(example_site / "changes" / "index.html")
    for kpi in _load(example_project, "kpis.yaml")["kpis"]:
        values = {v["year"]: v["value"] for v in kpi.get("values", [])}
        if before in values and now in values and (kpi.get("scope") or "public") == "public":
            shown = lambda x: f"{x:g}".replace(".", ",")  # noqa: E731 - Dutch decimal mark
            assert f"{kpi['name']} {shown(values[before])} {shown(values[now])}" in text, kpi["id"]


def test_a_correction_shows_in_every_year(tmp_path: Path, example_copy: Callable[[Path], Path]) -> None:
    project = example_copy(tmp_path / "project")
    kpis = project / "data" / "kpis.yaml"
    source = kpis.read_text(encoding="utf-8")
    line = next(l for l in source.splitlines() if "{year: 2024, value:" in l)
    corrected = re.sub(r"value: [0-9.]+", "value: 77.7", line)
    kpis.write_text(source.replace(line, corrected, 1), encoding="utf-8")
    assert build(project, tmp_path / "site").ok
    kpi_id = next(k["id"] for k in _load(project, "kpis.yaml")["kpis"]
                  if any(v["year"] == 2024 and v["value"] == 77.7 for v in k.get("values", [])))
    assert "77,7" in _text(tmp_path / "site" / "2024" / "monitoring" / kpi_id / "index.html")
    assert "77,7" in _text(tmp_path / "site" / "changes" / "index.html")
    assert "77,7" in _text(tmp_path / "site" / "monitoring" / kpi_id / "index.html")


def test_an_earlier_year_shows_only_what_was_known_then(tmp_path: Path, example_copy: Callable[[Path], Path],
                                                       example_site: Path) -> None:
    known_in_2024 = sorted(p.name for p in (example_site / "2024" / "risks").iterdir() if p.is_dir())
    assert known_in_2024, "the example should have risks already assessed in 2024"
    target = known_in_2024[0]
    project = example_copy(tmp_path / "project")
    risks = project / "data" / "risks.yaml"
    source = risks.read_text(encoding="utf-8")
    start = source.index(f"id: {target}")
    end = source.find("\n  - id:", start)
    block = source[start:end if end > 0 else len(source)]
    moved = re.sub(r"assessed_on: \d{4}-\d{2}-\d{2}", "assessed_on: 2025-06-01", block)
    moved = re.sub(r"\n\s+(identified_on|earlier_assessments):.*", "", moved)
    risks.write_text(source.replace(block, moved, 1), encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.ok, result.report.render_text()
    assert not (tmp_path / "site" / "2024" / "risks" / target).exists()
    assert (tmp_path / "site" / "risks" / target / "index.html").is_file()
    changes = (tmp_path / "site" / "changes" / "index.html").read_text(encoding="utf-8")
    section = changes[changes.index('id="risicos"'):changes.index('id="acties"')]
    assert f"risks/{target}/" in section.split("</ul>")[0]
