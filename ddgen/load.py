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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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
    """One data file: its plain content and the position of every node, keyed by path."""

    file: str
    data: Any
    positions: dict[Path_, Located] = field(default_factory=dict)

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
        return text if len(digits) > 1 and digits[0] == "0" else int(text)
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

    def span(self, node: Node) -> Span:
        return Span(self.doc.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node, path: Path_, key_span: Span | None, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _Refused(self.span(node), "expansion")
        if depth > MAX_DEPTH:
            raise _Refused(self.span(node), "depth")
        self.doc.positions[path] = Located(key_span, self.span(node))
        tag = str(node.tag)
        if tag not in _ALLOWED_TAGS and tag != _MERGE_TAG:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(problem(
                "DDG004", self.span(node), f"the tag {shown} is not accepted in ddgen files.",
                "remove the tag; write the value as plain text, a number, a list or a mapping.",
            ))
            return None
        if isinstance(node, ScalarNode):
            return resolve_plain(node.value) if node.style is None else node.value
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
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        guess = "UTF-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "Windows-1252 or Latin-1"
        return None, [problem(
            "DDG001", Span(file, line, column),
            f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be read (it looks like {guess}).",
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


def _syntax_problem(exc: MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    span = Span(file, mark.line + 1, mark.column + 1) if mark is not None else Span(file)
    what = (exc.problem or exc.context or "the YAML cannot be read").strip()
    if "'\\t'" in what or "\\t" in what or "tab" in what:
        return problem("DDG002", span, f"line {span.line} contains a tab; YAML only accepts spaces for indentation.",
                       "replace the tab with spaces so that the key lines up with the one above it.")
    if "expected a single document" in what or "but found another document" in what:
        return problem("DDG002", span, "the file holds more than one YAML document (a second '---').",
                       "keep one document per file: remove the second '---' or move its content to another file.")
    context = f" ({exc.context.strip()})" if exc.context and exc.problem else ""
    return problem("DDG002", span, f"the YAML cannot be read here: {what}{context}.",
                   "check the indentation, colons and quotes on this line and the line above it.")


def load_text(text: str, file: str) -> tuple[SourceDoc | None, list[Problem]]:
    """Parse one file's text; `None` when nothing usable could be read."""
    doc = SourceDoc(file, None)
    try:
        root = YAML(typ="rt", pure=True).compose(text)
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, file)]
    except RecursionError:
        return None, [problem("DDG006", Span(file), f"the file nests lists or mappings more than {MAX_DEPTH} levels deep.",
                              "flatten the structure; ddgen records nest only a few levels.")]
    except YAMLError as exc:
        return None, [problem("DDG002", Span(file), f"the YAML cannot be read: {exc}.",
                              "check the file for unusual characters and re-save it as plain UTF-8 text.")]
    if root is None:
        return SourceDoc(file, {}), []
    builder = _Builder(doc, budget=10_000 + 2 * len(text))
    try:
        doc.data = builder.build(root, (), None, 0)
    except _Refused as exc:
        if exc.what == "depth":
            return None, [problem("DDG006", exc.span, f"lists or mappings nest more than {MAX_DEPTH} levels deep here.",
                                  "flatten the structure; ddgen records nest only a few levels.")]
        return None, [problem("DDG006", exc.span,
                              "anchors and aliases (& and *) here expand to far more data than the file holds.",
                              "write the values out instead of repeating aliases of aliases; ddgen refuses such expansion.")]
    if not isinstance(doc.data, dict):
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
                                  f"the file is {size / 1048576:.1f} MiB; ddgen reads files up to {MAX_FILE_BYTES // 1048576} MiB.",
                                  "split the records over several files in a folder, e.g. data/suppliers/asia.yaml.")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [problem("DDG009", Span(file), f"the file cannot be read: {exc.strerror or exc}.",
                              "check that the file exists and that you may read it.")]
    text, problems = _decode(raw, file)
    if text is None:
        return None, problems
    return load_text(text, file)


def data_files(project: Path) -> list[Path]:
    """The YAML files under data/, sorted, hidden folders skipped."""
    data = project / "data"
    found = [p for p in data.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
    return sorted(p for p in found if not any(part.startswith(".") for part in p.relative_to(data).parts))


def load(project: Path) -> tuple[list[SourceDoc], list[Problem]]:
    """Load every data file of a project; problems of all files together."""
    docs: list[SourceDoc] = []
    problems: list[Problem] = []
    for path in data_files(project):
        doc, found = load_file(path, path.relative_to(project).as_posix())
        problems.extend(found)
        if doc is not None:
            docs.append(doc)
    return docs, problems
