"""Load: YAML files in data/ -> `SourceDoc`s (plain values plus the position of every key and value).

A YAML parser composes a node tree that knows where each node starts; ddgen then builds plain
Python values from it itself. Doing that step here, not in the YAML library, is what makes the loader safe
and exact: scalars are read by YAML 1.2 core rules (`NO` stays Norway, `yes` stays text), object-
creating tags are refused, every duplicate key is reported, and alias expansion and nesting depth
are bounded, so a hostile file costs little time or memory.

Two parsers, one result. libyaml (PyYAML's C `CSafeLoader`, composing nodes only) reads a file
several times faster than ruamel.yaml's pure-Python round-trip parser, and its nodes carry the same
line and column. So every file is first composed by libyaml; only a file that libyaml refuses, or
in which the builder finds a problem, is read again by ruamel.yaml, whose errors ddgen has words
for. Users therefore see exactly the messages of the ruamel path (tests/unit/load/test_fast_path.py
runs every bad fixture and random YAML-like text through both and compares).

Problem codes: DDG001 (encoding), DDG002 (syntax), DDG003 (duplicate key), DDG004 (tag),
DDG005 (size), DDG006 (expansion, depth), DDG008 (top level not a mapping), DDG009 (unreadable).
"""

from __future__ import annotations

import gc
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.reader import ReaderError

from .problems import Problem, Span, problem

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Files above 16 MiB are refused: ten thousand suppliers take about 3 MB."""

MAX_DEPTH = 40
"""Records nest a few levels deep; anything deeper than this is not a ddgen record."""

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """Where a value sits: its key (for mapping entries) and the value itself."""

    key: Span | None
    value: Span


class Positions(Mapping[Path_, Located]):
    """Path -> `Located`, kept as plain numbers and turned into spans only when asked for.

    A large supplier list has hundreds of thousands of nodes, and validate asks for the position
    of a handful: storing four numbers per node is much cheaper than two span objects.
    """

    __slots__ = ("file", "pending", "raw", "text")

    def __init__(self, file: str) -> None:
        self.file = file
        self.raw: dict[Path_, tuple[int, int, int, int]] = {}  # key line, key column (0: none), line, column
        self.pending: set[Path_] = set()  # see settle()
        self.text: str | None = None

    def settle(self) -> None:
        """Exact positions for empty values, from the ruamel path, the first time one is asked for.

        The two parsers put an empty value (`notes:` and nothing after it) in different places:
        libyaml right after the colon, ruamel at the next token. Messages must not depend on the
        parser, and an empty value is rare, so the fast path notes where they are and the file is
        parsed again only when a position of one of them is really used.
        """
        if not self.pending or self.text is None:
            return
        exact, _ = _load_slow(self.text, self.file)
        if exact is not None:
            for path in self.pending:
                if path in exact.positions.raw:
                    self.raw[path] = exact.positions.raw[path]
        self.pending.clear()
        self.text = None

    def get_raw(self, path: Path_) -> tuple[int, int, int, int] | None:
        if path in self.pending:
            self.settle()
        return self.raw.get(path)

    def __getitem__(self, path: Path_) -> Located:
        if path in self.pending:
            self.settle()
        key_line, key_column, line, column = self.raw[path]
        key = Span(self.file, key_line, key_column) if key_line else None
        return Located(key, Span(self.file, line, column))

    def __iter__(self) -> Iterator[Path_]:
        self.settle()
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __contains__(self, path: object) -> bool:
        return path in self.raw


@dataclass
class SourceDoc:
    """One data file: its plain content and the position of every node, keyed by path.

    A file that could not be read at all is kept as an empty, not `readable` doc, so that validate
    knows its sections exist and does not add "no such supplier" errors to the real problem.
    `reported` holds paths where load already reported a problem (a refused tag): validate stays
    silent about them.
    """

    file: str
    data: Any
    positions: Positions = field(init=False, repr=False)
    readable: bool = True
    reported: set[Path_] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.positions = Positions(self.file)

    def reported_at(self, path: Path_) -> bool:
        """True when load already reported a problem at `path` or at a node that contains it."""
        if not self.reported:  # the usual case, asked once for every record
            return False
        return any(path[:end] in self.reported for end in range(len(path) + 1))

    def data_at(self, path: Path_) -> Any:
        """The plain value at `path`, or None where the path leads nowhere."""
        node = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def locate(self, path: Path_, *, key: bool = False) -> Span:
        """The span of the deepest existing node on `path`; the key's span if asked and known."""
        for end in range(len(path), -1, -1):
            where = self.positions.get_raw(path[:end])
            if where is not None:
                if key and where[0] and end == len(path):
                    return Span(self.file, where[0], where[1])
                return Span(self.file, where[2], where[3])
        return Span(self.file, 1, 1)


_ALLOWED_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"

_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


def resolve_plain(text: str) -> Any:
    """A plain (unquoted) scalar by the YAML 1.2 core schema; numbers with leading zeros stay text."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        digits = text.lstrip("+-")
        # Leading zeros (postcodes, ids) and absurdly long numbers stay text; Python refuses to
        # convert more than 4300 digits, and no ddgen field needs more than a few.
        return text if (len(digits) > 1 and digits[0] == "0") or len(digits) > 100 else int(text)
    if _INT_OCT.match(text):
        return int(text[2:], 8)
    if _INT_HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    return text


class _Refused(Exception):
    """Construction stops: the file is too large once expanded, or nested too deep."""

    def __init__(self, span: Span, what: str) -> None:
        super().__init__(what)
        self.span = span
        self.what = what


class _Builder:
    """Turns a composed node tree into plain values, recording positions and problems.

    Works on the nodes of both parsers: ruamel.yaml's and PyYAML's have the same shape (`id`,
    `tag`, `value`, `style`, `start_mark`); they differ only in how a plain scalar is recognised.
    """

    def __init__(self, doc: SourceDoc, budget: int, fast: bool = False) -> None:
        self.doc = doc
        self.raw = doc.positions.raw
        self.budget = budget
        self.fast = fast
        self.allowed = _FAST_ALLOWED if fast else _ALLOWED_TAGS
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.alias_at: Span | None = None  # where the outermost alias now being expanded is used

    def span(self, node: Any) -> Span:
        return Span(self.doc.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Any, path: Path_, key_at: tuple[int, int] | None, depth: int) -> Any:
        if id(node) in self.seen and self.alias_at is None:
            # Both parsers give every alias the anchored node itself: a node met twice is an alias.
            self.alias_at = Span(self.doc.file, *key_at) if key_at else self.doc.locate(path[:-1])
            try:
                return self.build(node, path, key_at, depth)
            finally:
                self.alias_at = None
        self.seen.add(id(node))
        self.budget -= 1
        if self.budget < 0:
            raise _Refused(self.alias_at or self.span(node), "expansion")
        if depth > MAX_DEPTH:
            raise _Refused(self.span(node), "depth")
        mark = node.start_mark
        self.raw[path] = (*(key_at or (0, 0)), mark.line + 1, mark.column + 1)
        tag = node.tag if self.fast else str(node.tag)
        if tag not in self.allowed:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.doc.reported.add(path)
            self.problems.append(problem(
                "DDG004", self.span(node), f"the tag {shown} is not accepted in ddgen files.",
                "remove the tag; write the value as plain text, a number, a list or a mapping.",
            ))
            return None
        kind = node.id
        if kind == "scalar":
            # `!!str 12` stays text. ruamel tags a plain scalar as text only when resolve_plain keeps
            # it text; the fast path's resolver marks every plain scalar (see _FastLoader).
            if tag == _PLAIN_TAG if self.fast else (node.style is None and tag != _STR_TAG):
                if self.fast and not node.value:
                    self.doc.positions.pending.add(path)
                return resolve_plain(node.value)
            # ruamel's round-trip scanner marks the folds of a `>` block with "\a"; they are not text.
            return node.value.replace("\a", "") if node.style == ">" else node.value
        if kind == "sequence":
            return [self.build(item, (*path, i), None, depth + 1) for i, item in enumerate(node.value)]
        if kind == "mapping":
            return self.mapping(node, path, depth)
        return None  # pragma: no cover - YAML has no other node kinds

    def mapping(self, node: Any, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first: dict[str, tuple[int, int]] = {}
        merged: list[tuple[Any, Any]] = []
        for key_node, value_node in node.value:
            if (key_node.tag if self.fast else str(key_node.tag)) == _MERGE_TAG:
                merged.extend(self.merge_sources(value_node))
                continue
            if key_node.id != "scalar":
                self.problems.append(problem(
                    "DDG008", self.span(key_node), "a key here is a list or mapping; keys must be plain words.",
                    "write the key as a single word followed by a colon, such as `name:`.",
                ))
                continue
            key = key_node.value
            mark = key_node.start_mark
            key_at = (mark.line + 1, mark.column + 1)
            if self.fast and not key:
                self.doc.positions.pending.add((*path, key))
            if key in first:
                self.problems.append(problem(
                    "DDG003", Span(self.doc.file, *key_at), f'the key "{key}" appears twice in this mapping.',
                    f"keep one \"{key}\": delete or rename the other (first at line {first[key][0]}).",
                    related=(Span(self.doc.file, *first[key]),),
                ))
                continue
            first[key] = key_at
            result[key] = self.build(value_node, (*path, key), key_at, depth + 1)
        for key_node, value_node in merged:
            key = str(key_node.value)
            if key_node.id == "scalar" and key not in result:
                mark = key_node.start_mark
                result[key] = self.build(value_node, (*path, key), (mark.line + 1, mark.column + 1), depth + 1)
        return result

    def merge_sources(self, node: Any) -> Iterator[tuple[Any, Any]]:
        """Entries a `<<:` merge key brings in (YAML 1.1 merge, widely used with anchors)."""
        sources = node.value if node.id == "sequence" else [node]
        for source in sources:
            if source.id == "mapping":
                yield from source.value
            else:
                self.problems.append(problem(
                    "DDG008", self.span(source), "`<<:` must be followed by an alias of a mapping, such as *defaults.",
                    "point `<<:` at a mapping defined with an anchor (&name), or remove it.",
                ))


_PLAIN_TAG = "\x00plain"
"""The fast path's tag for a plain scalar: NUL cannot occur in YAML text, so no file can write it."""
_FAST_ALLOWED = _ALLOWED_TAGS | {_MERGE_TAG, _PLAIN_TAG}


class _FastLoader(pyyaml.CSafeLoader):  # type: ignore[misc, name-defined]
    """libyaml's composer with a resolver that only says 'plain' or 'quoted'.

    PyYAML resolves plain scalars by YAML 1.1 (`NO` would be false); ddgen resolves them itself by
    YAML 1.2 (resolve_plain), so the composer only has to keep the difference, which also spares a
    regular expression per scalar.
    """

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is pyyaml.ScalarNode:
            if implicit[0]:
                return _MERGE_TAG if value == "<<" else _PLAIN_TAG
            return _STR_TAG
        return "tag:yaml.org,2002:seq" if kind is pyyaml.SequenceNode else "tag:yaml.org,2002:map"


def _fast(text: str, file: str) -> SourceDoc | None:
    """The file read by libyaml, or None when it has any problem: then the ruamel path explains it."""
    loader = _FastLoader(text)
    try:
        root = loader.get_single_node()
    except (pyyaml.YAMLError, RecursionError, ValueError):
        return None
    finally:
        loader.dispose()
    if root is None:
        return SourceDoc(file, {})
    doc = SourceDoc(file, None)
    builder = _Builder(doc, budget=10_000 + 2 * len(text), fast=True)
    try:
        doc.data = builder.build(root, (), None, 0)
    except _Refused:
        return None
    if doc.positions.pending:
        doc.positions.text = text
    return doc if isinstance(doc.data, dict) and not builder.problems else None


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a byte-order mark is allowed), or a problem at the first bad byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        # Editors count characters, not bytes: decode the (valid) start of the line to count them.
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8-sig")) + 1
        guess = "UTF-16" if _looks_utf16(raw) else "Windows-1252 or Latin-1"
        return None, [problem(
            "DDG001", Span(file, line, column),
            f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be read (it looks like {guess}).",
            "save the file as UTF-8 (in VS Code: click the encoding in the status bar, 'Save with Encoding', UTF-8).",
        )]
    if "\x00" in text and _looks_utf16(raw):
        return None, [problem(
            "DDG001", Span(file),
            "the file is not UTF-8 text: every other byte is zero, so it looks like UTF-16.",
            "save the file as UTF-8 (in VS Code: click the encoding in the status bar, 'Save with Encoding', UTF-8).",
        )]
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        return None, [problem(
            "DDG001", Span(file, line, offset - (text.rfind("\n", 0, offset) + 1) + 1),
            "the file contains a NUL character, so it is not a text file.",
            "make sure this is the YAML file you meant; re-save it as plain UTF-8 text.",
        )]
    return text, []


def _looks_utf16(raw: bytes) -> bool:
    """A UTF-16 byte-order mark, or ASCII text saved as UTF-16 (every other byte zero)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = raw[:200]
    return len(sample) >= 4 and max(sample[0::2].count(0), sample[1::2].count(0)) * 4 >= len(sample) * 3 // 2


_TOKEN_WORDS = {
    "'<stream end>'": "the end of the file", "<stream end>": "the end of the file",
    "<block end>": "the end of an indented block", "'<block mapping start>'": "a key indented differently",
    "'<block sequence start>'": "a '- ' item indented differently", "'<scalar>'": "more text",
    "'<block end>'": "the end of an indented block",
}


def _syntax_problem(exc: MarkedYAMLError, file: str, text: str) -> Problem:
    """A plain-words message for the YAML errors writers actually make; ruamel's terms stay out."""
    mark = exc.problem_mark or exc.context_mark
    span = Span(file, mark.line + 1, mark.column + 1) if mark is not None else Span(file)
    opened = exc.context_mark
    at_open = Span(file, opened.line + 1, opened.column + 1) if opened is not None else span
    what = (exc.problem or exc.context or "").strip()
    context = (exc.context or "").strip()
    lines = text.splitlines()
    before = lines[span.line - 1][: span.column - 1] if span.line <= len(lines) else ""
    if "'\\t'" in what:
        where = "starts with a tab" if not before.strip(" ") else f"has a tab at column {span.column}"
        return problem("DDG002", span, f"line {span.line} {where}; YAML only accepts spaces, never tabs.",
                       "replace the tab with spaces so that the key lines up with the keys above it.")
    if "expected a single document" in context or "but found another document" in what:
        return problem("DDG002", span, "the file holds more than one YAML document (a second '---').",
                       "keep one document per file: remove the second '---' or move its content to another file.")
    if what.startswith(("expected ',' or ']'", "expected ',' or '}'")):
        kind, close = ("list", "]") if "']'" in what else ("mapping", "}")
        return problem("DDG002", at_open,
                       f"the {kind} that starts with '{'[' if close == ']' else '{'}' here is not closed: "
                       f"ddgen reached line {span.line} without finding its '{close}'.",
                       f"add the closing '{close}' after the last item, and separate the items with commas.")
    if what.startswith("expected the node content, but found '<stream end>'"):
        return problem("DDG002", span, "the file ends inside a list or mapping: a '[' or '{' above is never closed.",
                       "add the closing ']' or '}', or write the value after the colon.")
    if "sequence entries are not allowed here" in what:
        return problem("DDG002", span, "a '- ' list item is not expected here.",
                       "start each list item on its own line, indented below its key.")
    if "quoted scalar" in context and "end of stream" in what:
        return problem("DDG002", at_open, "the quote that starts here is never closed.",
                       "add the closing quote at the end of the text, or remove the opening one.")
    if "could not find expected ':'" in what:
        return problem("DDG002", at_open, f"line {at_open.line} has no colon after its key.",
                       "write the line as `key: value`; if it continues the text above, indent it further.")
    if "mapping values are not allowed here" in what:
        if ": " in before or before.rstrip().endswith(":"):
            return problem("DDG002", span, f"line {span.line} has a second ': ' after the first key.",
                           "put a value that contains ': ' in quotes, e.g. title: \"Audit: follow-up\".")
        return problem("DDG002", span, f"a colon on line {span.line} is not expected here.",
                       "check that this line is indented like the other keys of its record, "
                       "and that the line above has its colon.")
    if what.startswith("expected <block end>, but found"):
        found = what.rsplit("but found ", 1)[-1]
        if found in ("']'", "'}'"):
            return problem("DDG002", span, f"the {found} here has no matching opening bracket.",
                           "remove it, or add the opening bracket where the list or mapping starts.")
        if found == "'<scalar>'":
            return problem("DDG002", span, "there is more text here than YAML expects after the value before it.",
                           "if the text belongs to that value, put the whole value in quotes.")
        return problem("DDG002", span, f"line {span.line} is not indented like the lines above it.",
                       "indent it with the same number of spaces as the other keys (or '- ' items) at its level.")
    if "found undefined alias" in what:
        name = what.rsplit(" ", 1)[-1]
        return problem("DDG002", span, f"the alias *{name.strip(chr(39))} has no anchor &{name.strip(chr(39))} above it.",
                       "define the anchor (&name) before its first use, or write the value out.")
    if "that cannot start any token" in what:
        char = what.split("'")[1] if "'" in what else "this character"
        return problem("DDG002", span, f"a value cannot start with {char!r} in YAML.",
                       "put the whole value in quotes.")
    if "unknown escape character" in what:
        return problem("DDG002", span, "a backslash in double quotes starts an escape that YAML does not know.",
                       "write \\\\ for a backslash, or use single quotes around the text.")
    for token, words in _TOKEN_WORDS.items():
        what = what.replace(token, words)
    return problem("DDG002", span, f"the YAML cannot be read here: {what or 'the text does not follow YAML rules'}.",
                   "check the indentation, colons and quotes on this line and the line above it.")


def _reader_problem(exc: ReaderError, file: str, text: str) -> Problem:
    """A control character: invisible in editors, so the message names it and its place."""
    offset = min(max(int(exc.position), 0), len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return problem("DDG002", Span(file, line, column),
                   f"the file contains an invisible control character (U+{char:04X}) here, which YAML does not allow.",
                   "delete it (it often comes from text copied out of a PDF or spreadsheet) and retype the text around it.")


_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_too_deep(text: str) -> int | None:
    """Offset of the first '[' or '{' nested deeper than MAX_DEPTH, found without parsing.

    ruamel's scanner slows down with the square of bracket nesting (a line of a thousand '['
    takes seconds), so such files are refused before parsing. Only brackets where a list or
    mapping may start count (after ':', '-', ',', '?', a counted bracket, or at the start of a
    line), so text such as "see [1" in a description never trips this.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth, last_open = 0, -2
    for match in _BRACKETS.finditer(text):
        at = match.start()
        if text[at] in "]}":
            depth = max(0, depth - 1)
            continue
        before = at - 1
        while before >= 0 and text[before] in " \t":
            before -= 1
        prev = text[before] if before >= 0 else "\n"
        if prev in "\r\n:-,?" or (prev in "[{" and before == last_open):
            depth += 1
            last_open = at
            if depth > MAX_DEPTH:
                return at
    return None


def _too_deep_at(text: str, file: str) -> Span:
    """Where nesting first exceeds MAX_DEPTH, by reading events (iterative, unlike composing)."""
    depth = 0
    try:
        for event in YAML(typ="rt", pure=True).parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return Span(file, event.start_mark.line + 1, event.start_mark.column + 1)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except (YAMLError, RecursionError):
        pass
    return Span(file)


def _depth_problem(span: Span) -> Problem:
    return problem("DDG006", span, f"lists or mappings nest more than {MAX_DEPTH} levels deep here.",
                   "flatten the structure; ddgen records nest only a few levels.")


_ODD_CHARACTERS = ("\t", "\ufeff", "\x85", "\u2028", "\u2029")
_ODD_PLACES = (
    ("!", re.compile(r"(?:^|[ \[{,])!", re.MULTILINE)),  # a tag
    ("&", re.compile(r"&[^\s\[\]{},]*:")),  # an anchor name with ':' (YAML 1.2 allows it, libyaml not)
    ("*", re.compile(r"\*[^\s\[\]{},]*:")),
    ("?", re.compile(r"^[ -]*\?", re.MULTILINE)),  # a `?` key, which may be a block of text
    ("#", re.compile(r"[|>][-+0-9]*#")),  # a comment glued to a block scalar's `|` or `>`
)


def _parsers_agree(text: str) -> bool:
    """False for text where libyaml and ruamel could read different things or place them differently.

    libyaml accepts a tab after a colon, where ruamel (and so ddgen's message) refuses it, and
    counts lines differently around Unicode line breaks and a byte-order mark inside the text;
    the other places are listed above. All are rare in data files, so such a file simply takes
    the exact path. Each pattern runs only when its character occurs at all.
    """
    if any(c in text for c in _ODD_CHARACTERS):
        return False
    return not any(c in text and pattern.search(text) for c, pattern in _ODD_PLACES)


FAST = True
"""Try libyaml first. Tests switch it off to compare both paths; users never need to."""


def load_text(text: str, file: str) -> tuple[SourceDoc | None, list[Problem]]:
    """Parse one file's text; `None` when nothing usable could be read."""
    deep = _flow_too_deep(text)
    if deep is not None:
        line = text.count("\n", 0, deep) + 1
        return None, [_depth_problem(Span(file, line, deep - (text.rfind("\n", 0, deep) + 1) + 1))]
    if FAST and _parsers_agree(text):
        fast = _fast(text, file)
        if fast is not None:
            return fast, []
    return _load_slow(text, file)


def _load_slow(text: str, file: str) -> tuple[SourceDoc | None, list[Problem]]:
    """ruamel.yaml's parser: slower, and the one whose errors ddgen explains in plain words."""
    doc = SourceDoc(file, None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ruamel warns on stderr about a reused anchor; YAML allows it
            root = YAML(typ="rt", pure=True).compose(text)
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, file, text)]
    except ReaderError as exc:
        return None, [_reader_problem(exc, file, text)]
    except RecursionError:
        return None, [_depth_problem(_too_deep_at(text, file))]
    except (YAMLError, NotImplementedError, AssertionError):  # ruamel's own limits on odd comments
        return None, [problem("DDG002", Span(file), "the file cannot be read as YAML.",
                              "check the file for unusual characters and re-save it as plain UTF-8 text.")]
    if root is None:
        return SourceDoc(file, {}), []
    builder = _Builder(doc, budget=10_000 + 2 * len(text))
    try:
        doc.data = builder.build(root, (), None, 0)
    except _Refused as exc:
        if exc.what == "depth":
            return None, [_depth_problem(exc.span)]
        return None, [problem("DDG006", exc.span,
                              "anchors and aliases (& and *) here expand to far more data than the file holds.",
                              "write the values out instead of repeating aliases of aliases; ddgen refuses such expansion.")]
    if not isinstance(doc.data, dict):
        if () in doc.reported:
            return None, builder.problems
        found = "a list" if isinstance(doc.data, list) else "a single value"
        return None, [*builder.problems, problem(
            "DDG008", doc.locate(()), f"the file holds {found}; ddgen expects sections such as `suppliers:` at the top.",
            "start the file with the section name followed by a colon, then the records indented below it.",
        )]
    return doc, builder.problems


Loaded = tuple[SourceDoc | None, list[Problem]]


class LoadCache(dict[str, tuple[bytes, Loaded]]):
    """File -> (its bytes, what loading them gave), kept between runs by `ddgen serve`.

    A file whose bytes did not change is not parsed again: after one record is edited, only that
    file is read anew. Problems are values and docs are not changed after loading, so both can be
    handed out again as they are; `validated` keeps what validating each document found.
    """

    def __init__(self) -> None:
        super().__init__()
        self.validated: dict[int, tuple[SourceDoc, Any]] = {}


def load_file(path: Path, file: str, cache: LoadCache | None = None) -> Loaded:
    """Read, size-check and decode one file, then parse it (or take it from `cache`)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [problem("DDG005", Span(file),
                                  f"the file is {_size(size)}; ddgen reads files up to {_size(MAX_FILE_BYTES)}.",
                                  "split the records over several files in a folder, e.g. data/suppliers/asia.yaml.")]
        raw = path.read_bytes()
        if cache is not None and file in cache and cache[file][0] == raw:
            return cache[file][1]
    except FileNotFoundError:
        return None, [problem("DDG009", Span(file), "the file cannot be read: it is a link to a file that does not exist.",
                              "point the link at the right file, or put the file itself in its place.")]
    except OSError as exc:
        reason = (exc.strerror or "the system refused").lower()
        return None, [problem("DDG009", Span(file), f"the file cannot be read ({reason}).",
                              "check that the file exists and that you may read it.")]
    text, problems = _decode(raw, file)
    loaded = (None, problems) if text is None else load_text(text, file)
    if cache is not None:
        cache[file] = (raw, loaded)
    return loaded


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MiB" if n >= 1048576 else f"{n / 1024:.1f} KiB" if n >= 1024 else f"{n} bytes"


def data_files(project: Path) -> list[Path]:
    """The YAML files under data/, sorted, hidden folders skipped; broken links too, to report them."""
    data = project / "data"
    found = [p for p in data.rglob("*") if p.suffix in (".yaml", ".yml") and (p.is_file() or p.is_symlink())]
    visible = [p for p in found if not any(part.startswith(".") for part in p.relative_to(data).parts)]
    return sorted(visible, key=lambda p: p.relative_to(data).as_posix())  # the order of the report's file names


def load(project: Path, cache: LoadCache | None = None) -> tuple[list[SourceDoc], list[Problem]]:
    """Load every data file of a project; problems of all files together.

    A file that cannot be read still yields a doc (empty, not `readable`), so later stages know it is there.
    """
    docs: list[SourceDoc] = []
    problems: list[Problem] = []
    # Loading makes millions of small objects and no reference cycles; Python's cyclic garbage
    # collector would walk all of them again and again (more than half the time of a large load).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for path in data_files(project):
            file = path.relative_to(project).as_posix()
            doc, found = load_file(path, file, cache)
            problems.extend(found)
            docs.append(doc if doc is not None else SourceDoc(file, {}, readable=False))
    finally:
        if collecting:
            gc.enable()
    return docs, problems
