"""A report in two languages: one edition per language, each wholly in its language."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ddgen.build import build
from ddgen.catalog import po_path

BILINGUAL_COMPANY = """\
company:
  name: {nl: Minimaal Textiel, en: Minimal Textiles}
  description:
    nl: Een kleine importeur van katoenen werkkleding.
    en: A small importer of cotton workwear.
  sector: {nl: Textiel, en: Textiles}
  size_class: small
  employees: 25
  headquarters: {city: Utrecht, country: NL}
  chain_positions: [brand]
reporting_periods:
  - year: 2024
    start: 2024-01-01
    end: 2024-12-31
    report_scope:
      nl: Alle producten die Minimaal Textiel inkoopt.
      en: All products bought by Minimal Textiles.
report:
  languages: [nl, en]
"""


@pytest.fixture(scope="module")
def bilingual_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    project = tmp_path_factory.mktemp("bilingual")
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "minimal", project, dirs_exist_ok=True)
    (project / "data" / "company.yaml").write_text(BILINGUAL_COMPANY, encoding="utf-8")
    result = build(project, project / "site")
    assert result.ok, result.report.render_text()
    return project / "site"


def _visible(page: str) -> str:
    body = re.sub(r"<script.*?</script>|<style.*?</style>|<svg.*?</svg>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_each_language_has_its_own_edition_search_and_lang(bilingual_site: Path) -> None:
    root = (bilingual_site / "index.html").read_text(encoding="utf-8")
    assert 'url=nl/' in root and 'href="en/"' in root
    for code, title in (("nl", "Minimaal Textiel"), ("en", "Minimal Textiles")):
        page = (bilingual_site / code / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{code}"' in page
        assert title in page
        other = "en" if code == "nl" else "nl"
        assert f'hreflang="{other}"' in page, "the language switcher links to the other edition"
        index = json.loads((bilingual_site / code / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [code]


def test_texts_follow_the_edition_language(bilingual_site: Path) -> None:
    nl = _visible((bilingual_site / "nl" / "index.html").read_text(encoding="utf-8"))
    en = _visible((bilingual_site / "en" / "index.html").read_text(encoding="utf-8"))
    assert "Een kleine importeur" in nl and "A small importer" not in nl
    assert "A small importer" in en and "Een kleine importeur" not in en
    assert "1 januari 2024" in nl and "January 1, 2024" in en


def _catalog_pairs() -> list[tuple[str, str]]:
    with po_path("nl").open("rb") as fh:
        catalog = read_po(fh, locale="nl")
    pairs = []
    for m in catalog:
        if isinstance(m.id, str) and isinstance(m.string, str) and m.string and m.string != m.id and "%(" not in m.id:
            pairs.append((m.id, m.string))
    return pairs


def test_no_label_of_one_language_shows_in_the_other(bilingual_site: Path) -> None:
    pairs = [(en, nl) for en, nl in _catalog_pairs() if len(en) >= 18 and len(nl) >= 18]
    assert len(pairs) > 50
    for code, foreign in (("en", [nl for _, nl in pairs]), ("nl", [en for en, _ in pairs])):
        found = []
        for page in sorted((bilingual_site / code).rglob("*.html")):
            text = _visible(page.read_text(encoding="utf-8"))
            found += [f"{page.relative_to(bilingual_site)}: {label}" for label in foreign if label in text]
        assert found == [], f"{code} edition shows labels of the other language"
