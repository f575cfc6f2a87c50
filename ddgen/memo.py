"""Rendered pages remembered by what they show, so a page is rendered once however often it appears.

A detail page (a supplier, a risk, a KPI) is rendered from a small, explicit *scope*: the record and
the few records it names, nothing else (see `render`). The same scope gives the same Markdown, so
its text is kept under a fingerprint of the scope, the template sources and the language:

- the report of every reporting year shows most suppliers and risks unchanged, and its links are
  relative, so the earlier years reuse the latest year's text (a third of the pages at 3 years);
- `ddgen serve` keeps the memo between rounds, so after one record is edited only the pages that
  show it are rendered again.

A fingerprint is a digest of the scope pickled with pydantic models reduced to a digest of their
class and field values as JSON (not pydantic's bookkeeping, which differs between equal records made
in different ways), and written the same in every process (`ddgen serve`'s helper relies on it).
Equal fingerprints mean equal inputs; a change the fingerprint misses cannot happen because the
template sees nothing but the scope. The memo is bounded (least recently used pages go first).
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError

T = TypeVar("T")

PAGES_KEPT = 60_000
"""Pages kept per process: every detail page of a 10,000-supplier report in its latest year, with room
for the earlier years' differences (about 100 MB at that size)."""


def _model_state(model: BaseModel) -> bytes:
    """A digest of the model's class and its field values as JSON, nested models included, written by
    pydantic's Rust serializer (the models have no excluded fields or custom serializers, so nothing
    is lost). A digest, not the JSON itself: a supplier's products are in a thousand scopes."""
    kind = type(model)
    digest = hashlib.blake2b(f"{kind.__module__}.{kind.__qualname__}".encode(), digest_size=16)
    try:
        digest.update(model.__pydantic_serializer__.to_json(model, warnings=False))
    except PydanticSerializationError:  # a value JSON cannot hold: pickle the fields themselves
        digest.update(b"\0" + pickle.dumps(tuple(model.__dict__.items()), protocol=pickle.HIGHEST_PROTOCOL))
    return digest.digest()


STATES_KEPT = 300_000
"""Model states kept: every record of a 10,000-supplier report in each of its years, with room."""
_STATES: OrderedDict[int, tuple[BaseModel, bytes]] = OrderedDict()
"""Model states by object, for the records many pages name (a product in a thousand supplier scopes)
and that `ddgen serve` keeps from round to round (records are frozen, and the same objects while their
file and redaction stay the same). Each entry keeps its model alive, so its id is not reused; the
least recently used go first."""


_MODEL, _DATACLASS, _ENUM = 1, 2, 3
_KINDS: dict[type, tuple[int, str, tuple[str, ...]] | None] = {}
"""Per type, how `_Pickler` writes its objects (None: as pickle does): pydantic models by their state,
dataclasses as their class name and field values, enum members as their class name and value. The
last two as pickle would, but without its generic reduction (a call to copyreg and the class itself
pickled by name each time), which made up most of a fingerprint's time."""


def _kind(kind: type) -> tuple[int, str, tuple[str, ...]] | None:
    name = f"{kind.__module__}.{kind.__qualname__}"
    if issubclass(kind, BaseModel):
        return _MODEL, name, ()
    if is_dataclass(kind):
        return _DATACLASS, name, tuple(f.name for f in fields(kind))
    if issubclass(kind, Enum):
        return _ENUM, name, ()
    return None


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        try:
            how = _KINDS[kind]
        except KeyError:
            how = _KINDS[kind] = _kind(kind)
        if how is None:
            return NotImplemented
        code, name, names = how
        if code == _MODEL:
            known = _STATES.get(id(obj))
            if known is None:
                known = _STATES[id(obj)] = (obj, _model_state(obj))
                if len(_STATES) > STATES_KEPT:
                    _STATES.popitem(last=False)
            else:
                _STATES.move_to_end(id(obj))
            return tuple, ((known[1],),)
        if code == _DATACLASS:
            return tuple, ((name, *[getattr(obj, field) for field in names]),)
        return tuple, ((name, obj.value),)


def fingerprint(*parts: Any) -> bytes:
    """A 16-byte digest of `parts` (templates, language, page, scope): equal for equal inputs."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(parts)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest()


class Later:
    """A number a remembered page prints but that changes more often than the rest of the page (a
    risk's rank among all risks, and their count): the page is rendered and remembered with a marker
    in its place, and the number is put in after (`put_in`), as `str` would print it. Printing is
    all a template may do with it: comparing, counting or formatting it raises TypeError, and the
    page is then rendered with the number itself (`Renderer.detail`)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"ddgenlater{self.name}x"  # letters only: escaping leaves it as it is

    def __eq__(self, other: object) -> bool:
        raise TypeError(f"a page remembered without its {self.name} cannot compare it")

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        raise TypeError(f"a page remembered without its {self.name} cannot test it")

    def __reduce__(self) -> tuple[Any, ...]:
        return Later, (self.name,)


def put_in(text: str, values: tuple[tuple[Later, int], ...]) -> str:
    """The page with each `Later` marker replaced by its number."""
    for later, value in values:
        text = text.replace(str(later), str(value))
    return text


class PageMemo:
    """Markdown by fingerprint, least recently used first out."""

    def __init__(self, limit: int = PAGES_KEPT) -> None:
        self.limit = limit
        self.pages: OrderedDict[bytes, str] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def made(self, key: bytes, make: Callable[[], str]) -> str:
        """The text remembered under `key`, or `make()` remembered under it."""
        text = self.pages.get(key)
        if text is not None:
            self.hits += 1
            self.pages.move_to_end(key)
            return text
        self.misses += 1
        text = self.pages[key] = make()
        if len(self.pages) > self.limit:
            self.pages.popitem(last=False)
        return text


PAGE_MEMO = PageMemo()
"""The process's memo: shared by every edition of a build and kept by `ddgen serve` between rounds."""


SCALARS = frozenset({str, int, float, bool, type(None), date})
"""The types of the values a remembered line may be made from: two values of one of these types that are
equal are written alike, but for 0.0 and -0.0 (see `Lines.made`). Not so Decimal (1.0 and 1 are equal),
datetime (equal moments in two time zones) or subclasses such as an enum."""
LINES_KEPT = 50_000
"""Lines kept per kind of line (a table's CSV rows, its sheet rows): every row of a 10,000-supplier
list in each of its years, with room for the rows that differ between years."""


class Lines:
    """Lines of a download (a CSV row, a JSON record, a sheet row) remembered by the values they are
    made from, so a table written for every reporting year, or again after one record was edited, is
    written once per distinct row. The values' types are part of the key: 1, 1.0 and True are equal
    in Python but are written differently. Rows with a value of another type than those in `SCALARS`
    are made every time, as are rows with a float and a zero. Least recently used lines go first, per
    kind."""

    def __init__(self, limit: int = LINES_KEPT) -> None:
        self.limit = limit
        self.kinds: dict[Hashable, OrderedDict[tuple[tuple[Any, ...], tuple[type, ...]], Any]] = {}

    def made(self, kind: Hashable, rows: Iterable[tuple[Any, ...]], make: Callable[[tuple[Any, ...]], T]) -> list[T]:
        """`make(values)` for each row of values, as remembered under `kind`, which must name everything
        else `make` depends on (the table's columns; a row number that is written goes in the values)."""
        lines = self.kinds.get(kind)
        if lines is None:
            lines = self.kinds[kind] = OrderedDict()
        out: list[T] = []
        append = out.append
        for values in rows:
            types = tuple(map(type, values))
            if not SCALARS.issuperset(types) or (float in types and 0.0 in values):  # -0.0 == 0.0
                append(make(values))
                continue
            key = (values, types)
            line = lines.get(key)
            if line is None:
                line = lines[key] = make(values)
                if len(lines) > self.limit:
                    lines.popitem(last=False)
            else:
                lines.move_to_end(key)
            append(line)
        return out


LINES = Lines()
"""The process's lines: shared by every year of a build and kept by `ddgen serve` between rounds."""
