"""Load: YAML files in data/ -> `SourceDoc`s (plain values plus the position of every key and value).

ruamel.yaml composes a node tree that knows where each node starts; ddgen then builds plain Python
values from it itself. Doing that step here, not in the YAML library, is what makes the loader safe
and exact: scalars are read by YAML 1.2 core rules (`NO` stays Norway, `yes` stays text), object-
creating tags are refused, every duplicate key is reported, and alias expansion and nesting depth
are bounded, so a hostile file costs little time or memory.

Problem codes: DDG001 (encoding), DDG002 (syntax), DDG003 (duplicate key), DDG004 (tag),
DDG005 (size), DDG006 (expansion, depth), DDG008 (top level not a mapping), DDG009 (unreadable).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
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
    positions: dict[Path_, Located] = field(default_factory=dict)
    readable: bool = True
    reported: set[Path_] = field(default_factory=set)

    def reported_at(self, path: Path_) -> bool:
        """True when load already reported a problem at `path` or at a node that contains it."""
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
            where = self.positions.get(path[:end])
            if where is not None:
                return where.key if key and where.key is not None and end == len(path) else where.value
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
    """Turns a composed node tree into plain values, recording positions and problems."""

    def __init__(self, doc: SourceDoc, budget: int) -> None:
        self.doc = doc
        self.budget = budget
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.alias_at: Span | None = None  # where the outermost alias now being expanded is used

    def span(self, node: Node) -> Span:
        return Span(self.doc.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node, path: Path_, key_span: Span | None, depth: int) -> Any:
        if id(node) in self.seen and self.alias_at is None:
            # ruamel gives every alias the anchored node itself: a node met twice is an alias.
            self.alias_at = key_span or self.doc.locate(path[:-1])
            try:
                return self.build(node, path, key_span, depth)
            finally:
                self.alias_at = None
        self.seen.add(id(node))
        self.budget -= 1
        if self.budget < 0:
            raise _Refused(self.alias_at or self.span(node), "expansion")
        if depth > MAX_DEPTH:
            raise _Refused(self.span(node), "depth")
        self.doc.positions[path] = Located(key_span, self.span(node))
        tag = str(node.tag)
        if tag not in _ALLOWED_TAGS and tag != _MERGE_TAG:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.doc.reported.add(path)
            self.problems.append(problem(
                "DDG004", self.span(node), f"the tag {shown} is not accepted in ddgen files.",
                "remove the tag; write the value as plain text, a number, a list or a mapping.",
            ))
            return None
        if isinstance(node, ScalarNode):
            # `!!str 12` stays text; ruamel tags a plain scalar as text only when resolve_plain keeps it text.
            if node.style is None and tag != _STR_TAG:
                return resolve_plain(node.value)
            # ruamel's round-trip scanner marks the folds of a `>` block with "\a"; they are not text.
            return node.value.replace("\a", "") if node.style == ">" else node.value
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), None, depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self.mapping(node, path, depth)
        return None  # pragma: no cover - ruamel has no other node kinds

    def mapping(self, node: MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first: dict[str, Span] = {}
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if str(key_node.tag) == _MERGE_TAG:
                merged.extend(self.merge_sources(value_node))
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.append(problem(
                    "DDG008", self.span(key_node), "a key here is a list or mapping; keys must be plain words.",
                    "write the key as a single word followed by a colon, such as `name:`.",
                ))
                continue
            key = key_node.value
            key_span = self.span(key_node)
            if key in first:
                self.problems.append(problem(
                    "DDG003", key_span, f'the key "{key}" appears twice in this mapping.',
                    f"keep one \"{key}\": delete or rename the other (first at line {first[key].line}).",
                    related=(first[key],),
                ))
                continue
            first[key] = key_span
            result[key] = self.build(value_node, (*path, key), key_span, depth + 1)
        for key_node, value_node in merged:
            key = str(key_node.value)
            if isinstance(key_node, ScalarNode) and key not in result:
                result[key] = self.build(value_node, (*path, key), self.span(key_node), depth + 1)
        return result

    def merge_sources(self, node: Node) -> Iterator[tuple[Node, Node]]:
        """Entries a `<<:` merge key brings in (YAML 1.1 merge, widely used with anchors)."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        for source in sources:
            if isinstance(source, MappingNode):
                yield from source.value
            else:
                self.problems.append(problem(
                    "DDG008", self.span(source), "`<<:` must be followed by an alias of a mapping, such as *defaults.",
                    "point `<<:` at a mapping defined with an anchor (&name), or remove it.",
                ))


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


def load_text(text: str, file: str) -> tuple[SourceDoc | None, list[Problem]]:
    """Parse one file's text; `None` when nothing usable could be read."""
    doc = SourceDoc(file, None)
    deep = _flow_too_deep(text)
    if deep is not None:
        line = text.count("\n", 0, deep) + 1
        return None, [_depth_problem(Span(file, line, deep - (text.rfind("\n", 0, deep) + 1) + 1))]
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
    except YAMLError:
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


def load_file(path: Path, file: str) -> tuple[SourceDoc | None, list[Problem]]:
    """Read, size-check and decode one file, then parse it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [problem("DDG005", Span(file),
                                  f"the file is {_size(size)}; ddgen reads files up to {_size(MAX_FILE_BYTES)}.",
                                  "split the records over several files in a folder, e.g. data/suppliers/asia.yaml.")]
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [problem("DDG009", Span(file), "the file cannot be read: it is a link to a file that does not exist.",
                              "point the link at the right file, or put the file itself in its place.")]
    except OSError as exc:
        reason = (exc.strerror or "the system refused").lower()
        return None, [problem("DDG009", Span(file), f"the file cannot be read ({reason}).",
                              "check that the file exists and that you may read it.")]
    text, problems = _decode(raw, file)
    if text is None:
        return None, problems
    return load_text(text, file)


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MiB" if n >= 1048576 else f"{n / 1024:.1f} KiB" if n >= 1024 else f"{n} bytes"


def data_files(project: Path) -> list[Path]:
    """The YAML files under data/, sorted, hidden folders skipped; broken links too, to report them."""
    data = project / "data"
    found = [p for p in data.rglob("*") if p.suffix in (".yaml", ".yml") and (p.is_file() or p.is_symlink())]
    visible = [p for p in found if not any(part.startswith(".") for part in p.relative_to(data).parts)]
    return sorted(visible, key=lambda p: p.relative_to(data).as_posix())  # the order of the report's file names


def load(project: Path) -> tuple[list[SourceDoc], list[Problem]]:
    """Load every data file of a project; problems of all files together.

    A file that cannot be read still yields a doc (empty, not `readable`), so later stages know it is there.
    """
    docs: list[SourceDoc] = []
    problems: list[Problem] = []
    for path in data_files(project):
        file = path.relative_to(project).as_posix()
        doc, found = load_file(path, file)
        problems.extend(found)
        docs.append(doc if doc is not None else SourceDoc(file, {}, readable=False))
    return docs, problems
