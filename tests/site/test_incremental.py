"""Large and changing reports: staging rewrites only what changed (unchanged Markdown keeps its
modification time, so MkDocs' change detection in `ddgen serve` skips it; removed pages disappear;
the folder ends exactly as a fresh one would), and a long supplier list is split by country."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

import ddgen.render
from ddgen.build import render_years, stage
from ddgen.model.common import Scope
from ddgen.pipeline import check
from ddgen.publish import publish
from ddgen.render import Rendered

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
LONG_AGO = 1_000_000_000  # 2001: any write after the first staging shows as a newer time


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_staging_again_touches_only_the_pages_whose_text_changed(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    first = Rendered(pages={"index.md": "# Home\n", "suppliers/S-001.md": "Dhaka\n", "suppliers/S-002.md": "Gone\n"},
                     files={"downloads/suppliers.csv": b"id\nS-001\nS-002\n"})
    assert stage(MINIMAL, {}, first, Scope.PUBLIC, "nl", staging) == []
    for path in staging.rglob("*"):
        os.utime(path, (LONG_AGO, LONG_AGO))

    second = Rendered(pages={"index.md": "# Home\n", "suppliers/S-001.md": "Dhaka Garments\n"},
                      files={"downloads/suppliers.csv": b"id\nS-001\n"})
    assert stage(MINIMAL, {}, second, Scope.PUBLIC, "nl", staging) == []

    docs = staging / "docs"
    touched = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")
                     if p.is_file() and p.stat().st_mtime != LONG_AGO)
    assert touched == ["downloads/suppliers.csv", "suppliers/S-001.md"]
    assert not (docs / "suppliers" / "S-002.md").exists()

    fresh = tmp_path / "fresh"
    stage(MINIMAL, {}, second, Scope.PUBLIC, "nl", fresh)
    assert tree(staging) == tree(fresh)


def test_a_folder_left_empty_by_removed_pages_is_removed(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    stage(MINIMAL, {}, Rendered(pages={"index.md": "a\n", "risks/R-1.md": "r\n"}), Scope.PUBLIC, "nl", staging)
    stage(MINIMAL, {}, Rendered(pages={"index.md": "a\n"}), Scope.PUBLIC, "nl", staging)
    assert not (staging / "docs" / "risks").exists()


def test_a_long_supplier_list_is_split_by_country_and_every_supplier_is_on_one_page(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A brand with thousands of sites: one page per country (in parts), the list page one row per country."""
    monkeypatch.setattr(ddgen.render, "SUPPLIERS_PER_PAGE", 5)  # the example has 36
    checked = check(ROOT)
    pages = render_years(checked, Scope.PUBLIC, "nl", ROOT).pages
    public = [s for s in publish(checked.dossier, Scope.PUBLIC, checked.as_of).dossier.suppliers]
    parts = {path: text for path, text in pages.items() if path.startswith("suppliers/by-country/")}
    shown = Counter(re.search(r"/S-[^/]+/", href).group(0)[1:-1]  # type: ignore[union-attr]
                    for text in parts.values() for href in re.findall(r'<td><a href="\.\./\.\./S-[^"]+/"', text))
    assert shown == Counter(s.id for s in public)  # each public supplier exactly once
    country, count = Counter(s.country for s in public).most_common(1)[0]
    code = country.lower()
    assert count > 5 and f"suppliers/by-country/{code}-2.md" in parts
    assert parts[f"suppliers/by-country/{code}.md"].startswith("# Leveranciers in ") and " (deel 1 van 2)" in parts[f"suppliers/by-country/{code}.md"].split("\n")[0]
    assert all(pages[f"suppliers/{s.id}.md"].startswith("---\nsearch:\n  exclude: true\n---\n") for s in public)
    index = pages["suppliers/index.md"]
    assert 'id="supplier-table"' not in index
    assert index.count(f'<a href="by-country/{code}/">') == 1 and f'<a href="by-country/{code}-2/">' in index


def test_a_long_printable_report_is_printed_in_linked_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ddgen.render, "PRINT_PART_CHARS", 40_000)
    pages = render_years(check(ROOT), Scope.PUBLIC, "nl", ROOT).pages
    parts = ["print.md", *sorted((p for p in pages if re.fullmatch(r"print-\d+\.md", p)), key=lambda p: int(p[6:-3]))]
    assert len(parts) > 1
    for number, (part, following) in enumerate(zip(parts, [*parts[1:], None], strict=True), start=1):
        text = pages[part]
        assert text.startswith("# Tweestroom Werkkleding&#58; due diligence-verslag 2025 (printversie)"), part
        if following is not None:
            assert text.rstrip().endswith(f"De printversie gaat verder in [deel {number + 1} van {len(parts)}]"
                                          f"({following}).")
    headings = [line for part in parts for line in pages[part].splitlines() if line.startswith("## ")]
    assert len(headings) == len(set(headings)) and any("Stap 3" in h for h in headings)
