"""Risk pages show the country context from the shipped open data, with source and edition; the method
page says how these sources are used and what they cannot tell."""

from __future__ import annotations

import html
import re
from pathlib import Path

from ddgen import reference


def text(site: Path, page: str) -> str:
    raw = (site / page).read_text(encoding="utf-8")
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw)))


def test_risk_page_lists_the_goods_the_list_names_in_each_country_of_the_risk(example_site: Path) -> None:
    page = text(example_site, "risks/R-004/index.html")
    assert "Landencontext" in page
    table = page.split("Producten op de lijst voor dwangarbeid", 1)[1]
    row = re.search(r"Turkmenistan (.*?) Turkije", table)
    assert row and row.group(1).split() == ["katoen", "katoen"]  # child labour and forced labour, both listed
    assert "Turkije katoen , kleding , schoeisel , citrusvruchten" in table  # the risk's own goods first
    assert "geen vermeld" in page  # Türkiye has no good listed for forced labour


def test_risk_page_names_the_sources_with_their_editions(example_site: Path) -> None:
    raw = (example_site / "risks" / "R-004" / "index.html").read_text(encoding="utf-8")
    page = text(example_site, "risks/R-004/index.html")
    assert f'href="{reference.ILAB.url}"' in raw and f'href="{reference.WGI.url}"' in raw
    assert f"{reference.ILAB.title} (U.S. Department of Labor" in page
    assert f"editie {reference.ILAB.edition}" in page and f"update {reference.WGI.edition}" in page
    assert "CC BY 4.0" in page


def test_risk_page_shows_the_governance_indicators_of_each_country(example_site: Path) -> None:
    page = text(example_site, "risks/R-004/index.html")
    china = reference.governance("CN")
    assert china is not None
    rule_of_law = dict(china.estimates)["rule_of_law"]
    assert f"Rechtsstaat {rule_of_law:.2f}".replace(".", ",") in page
    assert f"Bestuursindicatoren, {china.year}" in page


def test_method_page_explains_the_open_sources_and_their_limits(example_site: Path) -> None:
    page = text(example_site, "how-we-assess/index.html")
    _pairs, goods, countries = reference.list_counts()
    assert "Openbare bronnen bij het vinden van risico’s" in page
    assert f"editie {reference.ILAB.edition}: {goods} producten uit {countries} landen" in page
    assert "Een vermelding is een signaal over een land, geen bevinding bij een leverancier" in page
    assert "in het publieke domein" in page and "CC BY 4.0" in page
