"""The theme files copied into overrides/ stay the installed Material's, plus only our documented fixes.

Material renders a few things that strict checkers reject (see the fixes below). Some sit outside any
template block, so the whole template has to be overridden; each copy here is Material's file with the
listed replacements and nothing else. When Material changes one of these templates this test fails;
`DDGEN_UPDATE_OVERRIDES=1 pytest tests/browser/test_overrides.py` then rewrites the copies from the
installed theme (review the diff, then commit it).

No browser needed: these run in every plain `pytest`.
"""

from __future__ import annotations

import os
from pathlib import Path

import material
import pytest

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "ddgen" / "theme"  # ddgen's fixes to Material, laid under every project's overrides/
MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"

GENERATED_HEADER = "{#-\n  This file was automatically generated - do not edit\n-#}\n"


def header(why: str) -> str:
    return (
        "{#-\n"
        f"  ddgen: Material for MkDocs' own template with one fix: {why}\n"
        "  Everything else is Material's file unchanged; tests/browser/test_overrides.py keeps it so.\n"
        "-#}\n"
    )


# file -> [(Material's text, our text, how often Material's text occurs)].
FIXES: dict[str, list[tuple[str, str, int]]] = {
    "base.html": [
        (GENERATED_HEADER, header(
            "the Nu Html Checker rejects autocomplete=\"off\" on the hidden\n"
            "  drawer and search checkboxes (only text-like inputs may carry it). Material set it so that Firefox\n"
            "  does not restore a checked toggle on reload; the one-line script resets them instead.",
        ), 1),
        (
            '    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">\n'
            '    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">\n',
            '    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">\n'
            '    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">\n'
            '    <script>for(var t of document.querySelectorAll(".md-toggle[data-md-toggle]"))t.checked=!1</script>\n',
            1,
        ),
    ],
    "partials/search.html": [
        (GENERATED_HEADER, header(
            "axe-core's aria-dialog-name rule: the search dialog had no\n"
            "  accessible name; it gets the translated word for search as its aria-label.",
        ), 1),
        (
            '<div class="md-search" data-md-component="search" role="dialog">',
            '<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">',
            1,
        ),
    ],
    "partials/nav-item.html": [
        (GENERATED_HEADER, header(
            "with navigation.sections (or tabs) the section labels got\n"
            "  tabindex=\"\", which the Nu Html Checker rejects (not an integer) and browsers ignore; it is now\n"
            "  left out when empty.",
        ), 1),
        (' tabindex="{{ tabindex }}">', '{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>', 2),
    ],
    "partials/copyright.html": [
        (GENERATED_HEADER, header(
            "the footer also names the reporting period and links to the\n"
            "  data downloads on every page (values from the records, via extra.ddgen in the generated config),\n"
            "  and says 'Made with' in the report's language.",
        ), 1),
        (
            '  {% if not config.extra.generator == false %}\n    Made with\n',
            '  {% set ddgen = config.extra.ddgen or {} %}\n'
            '  {% if ddgen.period_text %}\n'
            '    <div class="md-copyright__highlight">\n'
            '      {{ ddgen.period_text }}\n'
            '      {% if ddgen.downloads_label %}\n'
            '        · <a href="{{ base_url }}/downloads/">{{ ddgen.downloads_label }}</a>\n'
            '      {% endif %}\n'
            '    </div>\n'
            '  {% endif %}\n'
            '  {% if not config.extra.generator == false %}\n'
            '    {{ ddgen.made_with or "Made with" }}\n',
            1,
        ),
    ],
    "partials/toc.html": [
        (GENERATED_HEADER, header(
            "on pages that are not in the navigation (detail pages kept\n"
            "  out of it, as ddgen does), the table of contents' title pointed at the __toc checkbox that only\n"
            "  the navigation renders; the Nu Html Checker rejects a label for a missing control. The title now\n"
            "  points at it only when the page is in the navigation.",
        ), 1),
        (
            '    <label class="md-nav__title" for="__toc">',
            '    <label class="md-nav__title"{% if page in nav.pages %} for="__toc"{% endif %}>',
            1,
        ),
    ],
}


def patched(name: str) -> str:
    text = (MATERIAL_TEMPLATES / name).read_text(encoding="utf-8")
    for old, new, expected in FIXES[name]:
        count = text.count(old)
        assert count == expected, (
            f"Material's {name} (in {MATERIAL_TEMPLATES}) has {count} copies, not {expected}, of the text ddgen's fix "
            f"replaces:\n{old}\nCheck whether Material fixed it itself; then update FIXES in {Path(__file__).name}."
        )
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("name", sorted(FIXES))
def test_override_is_materials_template_plus_our_fixes(name: str) -> None:
    expected = patched(name)
    ours = OVERRIDES / name
    if os.environ.get("DDGEN_UPDATE_OVERRIDES"):
        ours.parent.mkdir(parents=True, exist_ok=True)
        ours.write_text(expected, encoding="utf-8")
    assert ours.is_file(), f"{ours} is missing; run DDGEN_UPDATE_OVERRIDES=1 pytest {Path(__file__).relative_to(ROOT)}"
    assert ours.read_text(encoding="utf-8") == expected, (
        f"overrides/{name} differs from the installed Material's {name} plus ddgen's fixes; if Material changed, "
        f"run DDGEN_UPDATE_OVERRIDES=1 pytest {Path(__file__).relative_to(ROOT)} and review the diff"
    )


EXTENDING: dict[str, str] = {}


def test_no_other_templates_are_overridden() -> None:
    """A template copied without a registered fix would silently freeze a piece of Material."""
    copied = sorted(
        p.relative_to(OVERRIDES).as_posix() for p in OVERRIDES.rglob("*.html")
        if (MATERIAL_TEMPLATES / p.relative_to(OVERRIDES)).is_file() and p.relative_to(OVERRIDES).as_posix() not in EXTENDING
    )
    assert copied == sorted(FIXES), f"overrides/ replaces Material templates without an entry in FIXES: {copied}"


def test_no_main_html_that_a_projects_own_would_replace() -> None:
    """The fixes' CSS and JS are loaded through the generated config (extra_css/extra_javascript), not a
    main.html, because a project's own overrides/main.html would silently replace ours."""
    assert not (OVERRIDES / "main.html").exists()
