"""Charts: accessible, deterministic inline SVG that survives Markdown and shows the right values."""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal

import markdown
import pytest

from ddgen import charts
from ddgen.charts import MatrixPoint, bar_chart, format_number, nice_ticks, risk_matrix, supplier_map, trend_chart

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & \"quoted\" 'single'"
NAMES = {"BD": "Bangladesh", "CN": "China", "IN": "India", "TR": "Türkiye", "PT": "Portugal", "SG": "Singapore"}
COUNTS = {"BD": 7, "CN": 23, "IN": 12, "TR": 5, "PT": 3, "SG": 1}


def priority_rule(band: int, likelihood: int) -> str:
    """The guide's rule as derive encodes it; the matrix takes it as a parameter."""
    if band >= 4 or (band == 3 and likelihood >= 4):
        return "high"
    if band == 3 or (band == 2 and likelihood >= 4):
        return "medium"
    return "low"


def point(rid: str, band: int, likelihood: int, href: str | None = None, label: str = "a risk") -> MatrixPoint:
    return MatrixPoint(rid, label, band, likelihood, priority_rule(band, likelihood), href)


RISKS = [
    point("R-1", 5, 2, "../risks/r-1/"),
    point("R-2", 5, 2),
    point("R-3", 5, 2, "../risks/r-3/"),
    point("R-10", 5, 2),
    point("R-4", 5, 2),
    point("R-5", 5, 2),
    point("R-6", 3, 3),
    point("R-7", 1, 1),
    point("R-8", 2, 5),
    point("R-9", 4, 4, "../risks/r-9/"),
]


def make_map(**overrides: object) -> str:
    arguments: dict[str, object] = {
        "title": "Suppliers per country",
        "description": "Six countries; China has the most suppliers (23).",
        "name_of": lambda code: NAMES.get(code, code),
    }
    arguments.update(overrides)
    counts = arguments.pop("counts", COUNTS)
    return supplier_map(counts, **arguments)  # type: ignore[arg-type]


def make_matrix(**overrides: object) -> str:
    arguments: dict[str, object] = {
        "cell_priority": priority_rule,
        "title": "Risks by severity and likelihood",
        "description": "Ten risks; seven are high priority.",
        "level_names": {1: "Very low", 2: "Low", 3: "Moderate", 4: "High", 5: "Very high"},
    }
    arguments.update(overrides)
    risks = arguments.pop("risks", RISKS)
    return risk_matrix(risks, **arguments)  # type: ignore[arg-type]


def make_trend(**overrides: object) -> str:
    arguments: dict[str, object] = {
        "baseline": (2020, 35.0),
        "target": (2027, 100.0),
        "unit": "%",
        "title": "Share of audited suppliers",
        "description": "From 35% in 2020 to 61% in 2023; the target is 100% by 2027.",
    }
    arguments.update(overrides)
    points = arguments.pop("points", [(2021, 42.0), (2022, 55.5), (2023, 61.0)])
    return trend_chart(points, **arguments)  # type: ignore[arg-type]


def make_bars(**overrides: object) -> str:
    arguments: dict[str, object] = {"title": "Suppliers per tier", "description": "Tier 1: 42, tier 2: 17, tier 3: 5."}
    arguments.update(overrides)
    items = arguments.pop("items", [("Tier 1", 42), ("Tier 2", 17), ("Tier 3", 5)])
    return bar_chart(items, **arguments)  # type: ignore[arg-type]


MAKERS: dict[str, Callable[..., str]] = {
    "map": make_map,
    "matrix": make_matrix,
    "trend": make_trend,
    "bars": make_bars,
}
every_chart = pytest.mark.parametrize("make", list(MAKERS.values()), ids=list(MAKERS))


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def local(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def floats(element: ET.Element, *names: str) -> list[float]:
    return [float(element.attrib[name]) for name in names]


# --- every chart ------------------------------------------------------------------------------


@every_chart
def test_same_input_gives_the_same_bytes(make: Callable[..., str]) -> None:
    assert make() == make()


def test_output_does_not_depend_on_hash_seed() -> None:
    """Set and dict order must not leak into the output: build in two processes with other seeds."""
    code = (
        "import hashlib, sys; sys.path.insert(0, 'tests/unit/charts'); import test_charts as t; "
        "print(hashlib.sha256(''.join(m() for m in t.MAKERS.values()).encode()).hexdigest())"
    )
    here = hashlib.sha256("".join(m() for m in MAKERS.values()).encode()).hexdigest()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == here


@every_chart
def test_root_is_an_accessible_responsive_svg(make: Callable[..., str]) -> None:
    svg = make(id_prefix="chart-1")
    root = parse(svg)
    assert local(root) == "svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-1-title chart-1-desc"
    assert local(root[0]) == "title" and root[0].get("id") == "chart-1-title"
    assert local(root[1]) == "desc" and root[1].get("id") == "chart-1-desc"
    view_box = root.get("viewBox", "")
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", view_box)
    assert view_box == f"0 0 {root.get('width')} {root.get('height')}"  # natural size, like an image
    assert root.get("style") == "max-width:100%;height:auto"  # ...that shrinks on a phone
    assert root.get("font-family") == "inherit"
    assert not svg.startswith("<?xml") and "xlink" not in svg
    assert svg.count("<svg") == 1


@every_chart
def test_ids_come_from_the_prefix_and_are_unique_on_a_page(make: Callable[..., str]) -> None:
    page = make(id_prefix="first") + make(id_prefix="second")
    ids = re.findall(r'\sid="([^"]*)"', page)
    assert ids == ["first-title", "first-desc", "second-title", "second-desc"]


@every_chart
def test_a_prefix_that_is_not_an_id_is_refused(make: Callable[..., str]) -> None:
    with pytest.raises(ValueError, match="id_prefix"):
        make(id_prefix="two words")


@every_chart
def test_no_blank_lines_and_no_indented_lines(make: Callable[..., str]) -> None:
    svg = make(title="Title\n\n    indented", description="First paragraph.\n\n    Second, indented.\r\n\r\n")
    lines = svg.split("\n")
    assert all(line.strip() for line in lines)
    assert not [line for line in lines if line.startswith("    ") or line.startswith("\t")]
    assert "<title id" in svg and "Title indented" in svg


@every_chart
def test_caller_text_is_escaped(make: Callable[..., str]) -> None:
    svg = make(title=HOSTILE, description=HOSTILE)
    assert "<script" not in svg
    root = parse(svg)  # still well-formed XML
    assert root[0].text == " ".join(HOSTILE.split())
    assert root[1].text == " ".join(HOSTILE.split())


@every_chart
def test_survives_python_markdown_inside_a_figure(make: Callable[..., str]) -> None:
    """The render stage wraps charts in <figure>; Markdown must pass them through untouched."""
    svg = make(title="A *starred* _title_ with [a](link)", description="Line one.\n\nLine two.")
    page = markdown.markdown(f"Before.\n\n<figure>\n{svg}\n</figure>\n\nAfter.", extensions=["md_in_html"])
    assert svg in page


@every_chart
def test_numbers_have_no_float_noise(make: Callable[..., str]) -> None:
    svg = re.sub(r"#[0-9a-f]{6}", "", make())  # colours are hex, not numbers
    assert not re.search(r"\d\.\d{3,}", svg), "coordinates are rounded to one decimal and values to two"
    assert not re.search(r"\de[-+]?\d", svg), "no exponent notation"


def test_text_colours_meet_wcag_aa_on_white() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for text in (charts.TEXT, charts.LINK, charts.TARGET, charts.AXIS):
        assert contrast(text, charts.BACKGROUND) >= 4.5
    for fill in charts.PRIORITY_FILL.values():  # ids, letters and links sit on the cell tints
        assert contrast(charts.TEXT, fill) >= 4.5
        assert contrast(charts.LINK, fill) >= 4.5
    for mark in (charts.MARK, charts.TARGET, charts.AXIS, charts.MAP_OUTLINE):  # non-text: 3:1
        assert contrast(mark, charts.BACKGROUND) >= 3
    assert contrast(charts.MAP_OUTLINE, charts.MAP_NONE) >= 3


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.1 + 0.2, "0.3"), (2.0, "2"), (-3.25, "\u22123.25"), (1234567.0, "1234567"), (0.005, "0.01"), (-0.001, "0")],
)
def test_format_number(value: float, expected: str) -> None:
    assert format_number(value) == expected


def test_format_number_with_a_decimal_comma() -> None:
    assert format_number(37.5, decimal_mark=",") == "37,5"


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0.0, 0.3, ["0", "0.1", "0.2", "0.3"]),
        (0.0, 100.0, ["0", "25", "50", "75", "100"]),
        (-12.0, -3.5, ["-12.5", "-10", "-7.5", "-5", "-2.5"]),
        (42.0, 42.0, ["37.5", "40", "42.5", "45", "47.5"]),
        (1.0, 9.0, ["0", "2", "4", "6", "8", "10"]),
    ],
)
def test_nice_ticks_are_round_and_exact(low: float, high: float, expected: list[str]) -> None:
    ticks = nice_ticks(low, high)
    assert [f"{t.normalize():f}" for t in ticks] == expected
    assert ticks[0] <= Decimal(repr(low)) and ticks[-1] >= Decimal(repr(high))
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1


# --- supplier map -----------------------------------------------------------------------------


def countries(root: ET.Element) -> dict[str, ET.Element]:
    found = {}
    for element in root.iter():
        cls = element.get("class", "")
        if cls.startswith("country-"):
            found[cls.removeprefix("country-").upper()] = element
    return found


def test_map_colours_exactly_the_given_countries_with_a_title_each() -> None:
    root = parse(make_map())
    shown = countries(root)
    assert set(shown) == set(COUNTS)
    for code, element in shown.items():
        assert element.get("fill") in charts.MAP_CLASSES
        title = element.find(f"{SVG}title")
        noun = "supplier" if COUNTS[code] == 1 else "suppliers"
        assert title is not None and title.text == f"{NAMES[code]}: {COUNTS[code]} {noun}"
    no_suppliers = [g for g in root.iter(f"{SVG}g") if g.get("fill") == charts.MAP_NONE]
    assert len(no_suppliers) == 1
    assert len(list(no_suppliers[0])) == len(charts._world().shapes) - len(COUNTS)
    assert not [p for p in no_suppliers[0] if p.find(f"{SVG}title") is not None]


def test_map_colours_never_get_lighter_as_counts_grow() -> None:
    counts = dict(zip(["BD", "CN", "IN", "TR", "PT", "VN", "PK", "NL", "US", "BR"], range(1, 11), strict=True))
    shown = countries(parse(make_map(counts=counts)))
    order = [charts.MAP_CLASSES.index(shown[code].get("fill", "")) for code in sorted(counts, key=counts.__getitem__)]
    assert order == sorted(order)
    assert order[0] == 0 and order[-1] == len(charts.MAP_CLASSES) - 1


def test_map_legend_shows_the_class_bounds() -> None:
    texts = [t.text for t in parse(make_map()).iter(f"{SVG}text")]
    assert texts[0] == "Number of suppliers"
    # counts 1, 3, 5, 7, 12, 23: quantile classes, whole-number bounds from 1 up
    assert texts[1:] == ["1\u20133", "4\u20135", "6\u20137", "8\u201312", "13\u201323", "No suppliers"]


def test_map_with_one_count_per_country_uses_the_single_class() -> None:
    texts = [t.text for t in parse(make_map(counts={"BD": 2, "CN": 2})).iter(f"{SVG}text")]
    assert texts[1:] == ["1\u20132", "No suppliers"]


def test_map_links_countries_when_asked() -> None:
    root = parse(make_map(href_of=lambda code: f"../countries/{code.lower()}/" if code != "PT" else None))
    shown = countries(root)
    assert local(shown["BD"]) == "a" and shown["BD"].get("href") == "../countries/bd/"
    assert local(shown["PT"]) == "g" and shown["PT"].get("href") is None


def test_map_refuses_script_links() -> None:
    with pytest.raises(ValueError, match="javascript"):
        make_map(href_of=lambda code: "javascript:alert(1)")


def test_map_names_a_country_without_a_shape_and_logs_it(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ddgen"):
        svg = make_map(counts={"BD": 2, "ZZ": 3})
    assert "Not on the map: ZZ (3)" in svg
    assert "ZZ" in caplog.text


def test_map_escapes_country_names_and_ignores_zero_counts() -> None:
    svg = make_map(counts={"BD": 2, "CN": 0}, name_of=lambda code: HOSTILE)
    assert "<script" not in svg
    assert set(countries(parse(svg))) == {"BD"}


def test_map_small_states_get_a_visible_dot() -> None:
    singapore = countries(parse(make_map()))["SG"]
    assert singapore.find(f"{SVG}circle") is not None


def test_map_is_well_under_300_kb() -> None:
    everything = {code.upper(): 1 for code in charts._world().shapes}
    assert len(make_map().encode()) < 150_000
    assert len(make_map(counts=everything).encode()) < 300_000


def test_map_coordinates_have_at_most_one_decimal() -> None:
    for d in re.findall(r' d="([^"]*)"', make_map()):
        assert not re.search(r"\.\d\d", d)


# --- risk matrix ------------------------------------------------------------------------------


def cell_bounds(root: ET.Element) -> dict[tuple[int, int], tuple[float, float, float, float]]:
    bounds = {}
    for rect in root.iter(f"{SVG}rect"):
        match = re.match(r"cell-(\d)-(\d) ", rect.get("class", ""))
        if match:
            x, y, w, h = floats(rect, "x", "y", "width", "height")
            bounds[(int(match[1]), int(match[2]))] = (x, y, x + w, y + h)
    return bounds


def id_positions(root: ET.Element) -> dict[str, tuple[float, float]]:
    found = {}
    for text in root.iter(f"{SVG}text"):
        if text.text and re.fullmatch(r"R-\d+", text.text):
            found[text.text] = (float(text.get("x", "nan")), float(text.get("y", "nan")))
    return found


def test_matrix_places_each_risk_in_its_cell() -> None:
    root = parse(make_matrix())
    cells = cell_bounds(root)
    assert len(cells) == 25
    positions = id_positions(root)
    assert set(positions) == {p.id for p in RISKS}
    for risk in RISKS:
        x, y = positions[risk.id]
        left, top, right, bottom = cells[(risk.severity_band, risk.likelihood)]
        width = len(risk.id) * 12 * charts._CHAR_WIDTH
        assert left < x and x + width < right, risk.id
        assert top + 12 < y < bottom, risk.id


def test_matrix_axes_run_the_guides_way() -> None:
    cells = cell_bounds(parse(make_matrix()))
    assert cells[(5, 1)][1] < cells[(1, 1)][1], "severity 5 is at the top"
    assert cells[(1, 1)][0] < cells[(1, 5)][0], "likelihood 5 is at the right"


def test_matrix_ids_sharing_a_cell_do_not_overlap() -> None:
    positions = id_positions(parse(make_matrix()))
    crowded = [positions[p.id] for p in RISKS if (p.severity_band, p.likelihood) == (5, 2)]
    assert len(crowded) == 6
    for i, (x1, y1) in enumerate(crowded):
        for x2, y2 in crowded[i + 1 :]:
            assert abs(y1 - y2) >= 14 or abs(x1 - x2) >= 5 * 12 * charts._CHAR_WIDTH


def test_matrix_orders_ids_in_a_cell_naturally() -> None:
    positions = id_positions(parse(make_matrix()))
    reading_order = sorted(["R-1", "R-2", "R-3", "R-4", "R-5", "R-10"], key=lambda rid: positions[rid][::-1])
    assert reading_order == ["R-1", "R-2", "R-3", "R-4", "R-5", "R-10"]


def test_matrix_grows_a_row_rather_than_overflowing_a_cell() -> None:
    many = [point(f"R-{i}", 3, 3) for i in range(1, 31)]
    root = parse(make_matrix(risks=many))
    left, top, right, bottom = cell_bounds(root)[(3, 3)]
    for x, y in id_positions(root).values():
        assert left < x < right and top < y < bottom


def test_matrix_shades_cells_by_the_rule_and_labels_them_with_a_letter() -> None:
    root = parse(make_matrix())
    for rect in root.iter(f"{SVG}rect"):
        match = re.match(r"cell-(\d)-(\d) priority-(\w+)", rect.get("class", ""))
        if match:
            priority = priority_rule(int(match[1]), int(match[2]))
            assert match[3] == priority and rect.get("fill") == charts.PRIORITY_FILL[priority]
    letters = [t.text for t in root.iter(f"{SVG}text") if t.text in ("H", "M", "L")]
    assert len(letters) == 25 + 3  # one per cell and one per legend entry
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"High priority", "Medium priority", "Low priority"} <= set(texts)


def test_matrix_links_ids_that_have_a_page() -> None:
    root = parse(make_matrix())
    links = {a.findtext(f"{SVG}text"): a.get("href") for a in root.iter(f"{SVG}a")}
    assert links == {"R-1": "../risks/r-1/", "R-3": "../risks/r-3/", "R-9": "../risks/r-9/"}
    titles = [a.findtext(f"{SVG}title") for a in root.iter(f"{SVG}a")]
    assert titles == ["R-1: a risk (High priority)", "R-3: a risk (High priority)", "R-9: a risk (High priority)"]


def test_matrix_labels_can_be_dutch() -> None:
    svg = make_matrix(
        x_label="Waarschijnlijkheid",
        y_label="Ernst",
        level_names={1: "Zeer laag", 2: "Laag", 3: "Gemiddeld", 4: "Hoog", 5: "Zeer hoog"},
        priority_names={"high": "Hoge prioriteit", "medium": "Middelhoge prioriteit", "low": "Lage prioriteit"},
    )
    texts = {t.text for t in parse(svg).iter()} | {t.text for t in parse(svg).iter(f"{SVG}tspan")}
    assert {"Waarschijnlijkheid", "Ernst", "Zeer hoog", "Hoge prioriteit", "Gemiddeld"} <= texts


def test_matrix_escapes_labels_and_ids() -> None:
    svg = make_matrix(risks=[point("R-1", 3, 3, label=HOSTILE)], x_label=HOSTILE, level_names={1: HOSTILE})
    assert "<script" not in svg
    parse(svg)


@pytest.mark.parametrize(("band", "likelihood"), [(0, 3), (6, 3), (3, 0), (3, 6)])
def test_matrix_refuses_points_outside_the_grid(band: int, likelihood: int) -> None:
    with pytest.raises(ValueError, match="outside the matrix"):
        make_matrix(risks=[MatrixPoint("R-1", "x", band, likelihood, "low", None)])


def test_matrix_refuses_an_unknown_priority_of_a_risk() -> None:
    with pytest.raises(ValueError, match="priority of R-1"):
        make_matrix(risks=[MatrixPoint("R-1", "x", 3, 3, "urgent", None)])


def test_matrix_refuses_an_unknown_priority_from_the_rule() -> None:
    with pytest.raises(ValueError, match="cell_priority"):
        make_matrix(cell_priority=lambda band, likelihood: "urgent")


def test_matrix_without_risks_still_draws_the_grid() -> None:
    assert len(cell_bounds(parse(make_matrix(risks=[])))) == 25


# --- KPI trend --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "baseline", "target", "unit"),
    [
        ([], (2022, 10.0), (2030, 50.0), "%"),
        ([(2023, 40.0)], (2022, 10.0), (2030, 50.0), "%"),
        ([(2023, 50.0)], (2023, 50.0), (2023, 50.0), "%"),
        ([(2021, 7.0), (2022, 7.0)], (2020, 7.0), (2025, 7.0), "suppliers"),
        ([(2021, 0.0), (2022, 0.0)], (2020, 0.0), (2025, 0.0), ""),
        ([(2021, -3.5), (2022, 2.0)], (2020, -10.0), (2030, -12.0), "t CO2e"),
        ([(2024, 61.0), (2021, 42.0)], (2020, 35.0), (2027, 100.0), "%"),
        ([(y, 1000 + (y - 2000) * 137.25) for y in range(2000, 2026)], (1999, 900.0), (2040, 5000.0), "t"),
    ],
    ids=[
        "no points",
        "single point",
        "all at one spot",
        "all equal",
        "all zero",
        "negative",
        "unordered",
        "many years",
    ],
)
def test_trend_handles_edge_cases(
    points: list[tuple[int, float]], baseline: tuple[int, float], target: tuple[int, float], unit: str
) -> None:
    svg = make_trend(points=points, baseline=baseline, target=target, unit=unit)
    root = parse(svg)
    assert len(list(root.iter(f"{SVG}circle"))) == len(points) + 1 + 2  # points, baseline ring, 2 legend keys
    assert svg.count('stroke-dasharray="4 3"') == 2  # the deadline line and its legend key


def test_trend_labels_values_and_the_target() -> None:
    texts = [t.text for t in parse(make_trend(points=[(2021, 42.0), (2022, 0.1 + 0.2)])).iter(f"{SVG}text")]
    assert {"35%", "42%", "0.3%", "100%"} <= set(texts)
    assert {"2020", "2027", "Measured", "Baseline", "Target"} <= set(texts)


def y_ticks(root: ET.Element) -> list[str]:
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "ticks-y")
    return [t.text or "" for t in group]


def test_trend_percentage_axis_stops_at_100() -> None:
    for points, baseline, target in [
        ([(2023, 60.0)], (2020, 60.0), (2025, 60.0)),
        ([(2023, 97.0)], (2020, 95.0), (2025, 100.0)),
    ]:
        root = parse(make_trend(points=points, baseline=baseline, target=target))
        assert max(float(text.removesuffix("%")) for text in y_ticks(root)) == 100


def test_trend_negative_values_use_a_minus_sign_and_a_zero_line() -> None:
    svg = make_trend(points=[(2021, -3.5)], baseline=(2020, 2.0), target=(2025, -8.0), unit="t CO2e")
    texts = {t.text for t in parse(svg).iter(f"{SVG}text")}
    assert {"\u22123.5", "\u22128", "t CO2e"} <= texts


def test_trend_points_sit_where_their_values_are() -> None:
    root = parse(make_trend(points=[(2021, 50.0), (2022, 75.0)], baseline=(2020, 0.0), target=(2023, 100.0)))
    ys = {float(c.get("cy", "nan")) for c in root.iter(f"{SVG}circle")} - {18.0}  # less the legend keys
    zero, fifty, seventy_five = sorted(ys, reverse=True)
    assert abs((zero - fifty) - 2 * (fifty - seventy_five)) < 0.2


def test_trend_labels_never_overlap() -> None:
    many = [(y, 1000 + (y - 2000) * 137.25) for y in range(2000, 2026)]
    root = parse(make_trend(points=many, baseline=(1999, 900.0), target=(2040, 5000.0), unit="t"))
    boxes = []
    for text in root.iter(f"{SVG}text"):
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        if text.get("text-anchor") == "middle" and text.text and y < charts.TREND_HEIGHT - 30:  # not a year
            half = len(text.text) * 12 * charts._CHAR_WIDTH / 2
            boxes.append((x - half, y - 11, x + half, y + 3))
    assert len(boxes) >= 2
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_trend_escapes_its_labels() -> None:
    svg = make_trend(unit=HOSTILE, measured_label=HOSTILE, baseline_label=HOSTILE, target_label=HOSTILE)
    assert "<script" not in svg
    parse(svg)


# --- bars -------------------------------------------------------------------------------------


def bars(root: ET.Element) -> list[tuple[float, float]]:
    return [(float(r.get("x", "0")), float(r.get("width", "0"))) for r in root.iter(f"{SVG}rect")][1:]


def test_bar_lengths_are_proportional_to_values() -> None:
    root = parse(make_bars(items=[("A", 40), ("B", 20), ("C", 10)]))
    widths = [w for _, w in bars(root)]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.2)
    assert widths[1] == pytest.approx(2 * widths[2], abs=0.2)


def test_bars_keep_the_given_order_and_show_values_with_unit() -> None:
    texts = [
        t.text for t in parse(make_bars(items=[("Zeta", 1.5), ("Alpha", 3)], unit="%")).iter(f"{SVG}text") if t.text
    ]
    assert texts == ["1.5%", "3%"]
    spans = [t.text for t in parse(make_bars(items=[("Zeta", 1.5), ("Alpha", 3)])).iter(f"{SVG}tspan")]
    assert spans == ["Zeta", "Alpha"]


def test_negative_bars_grow_left_of_zero() -> None:
    root = parse(make_bars(items=[("Up", 10), ("Down", -5)]))
    (up_x, _), (down_x, down_w) = bars(root)
    assert down_x + down_w == pytest.approx(up_x, abs=0.2)


def test_long_labels_wrap_inside_the_chart() -> None:
    label = "Tier 3 and raw-material producers further up the chain " + "x" * 80
    root = parse(make_bars(items=[(label, 5)]))
    spans = list(root.iter(f"{SVG}tspan"))
    assert len(spans) > 1
    assert "".join(s.text or "" for s in spans).replace(" ", "") == label.replace(" ", "")
    for span in spans:  # right-aligned: each line must start inside the drawing
        assert float(span.get("x", "0")) - len(span.text or "") * 13 * charts._CHAR_WIDTH >= 0


def test_bars_without_items_say_so() -> None:
    svg = make_bars(items=[], empty_text="Geen gegevens")
    assert "Geen gegevens" in svg
    parse(svg)


def test_bars_escape_labels() -> None:
    svg = make_bars(items=[(HOSTILE, 1)], unit=HOSTILE)
    assert "<script" not in svg
    assert svg.count("&lt;script&gt;") == 2  # in the label and in the value's unit
