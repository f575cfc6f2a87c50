"""Compiled templates are kept on disk between builds; a damaged or stale cache never changes a page."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from ddgen.render import _CompiledTemplates


def _environment(cache: _CompiledTemplates, source: str) -> Environment:
    return Environment(loader=DictLoader({"page.md.j2": source}), bytecode_cache=cache)


def test_a_template_compiled_once_is_read_back_by_the_next_process(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first = _environment(_CompiledTemplates(), "Hello {{ name }}")
    assert first.get_template("page.md.j2").render(name="world") == "Hello world"
    files = list(tmp_path.rglob("ddgen-*.cache"))
    assert len(files) == 1
    later = _CompiledTemplates()  # a new process: nothing in memory
    assert _environment(later, "Hello {{ name }}").get_template("page.md.j2").render(name="you") == "Hello you"
    assert later.code, "the compiled code came from the folder"


def test_a_damaged_or_outdated_cache_file_means_compiling_again(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    _environment(_CompiledTemplates(), "Hello {{ name }}").get_template("page.md.j2")
    cached = next(tmp_path.rglob("ddgen-*.cache"))
    cached.write_bytes(cached.read_bytes()[:40] + b"\x00garbage")
    assert _environment(_CompiledTemplates(), "Hello {{ name }}").get_template("page.md.j2").render(name="a") == "Hello a"
    # An edited template has another checksum: the old code is not used.
    assert _environment(_CompiledTemplates(), "Bye {{ name }}").get_template("page.md.j2").render(name="b") == "Bye b"


def test_without_a_usable_temporary_folder_templates_are_compiled_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    import ddgen.render as render_module

    def refused(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Cannot determine safe temp directory.")

    monkeypatch.setattr(render_module, "FileSystemBytecodeCache", refused)
    cache = _CompiledTemplates()
    assert _environment(cache, "Hi {{ name }}").get_template("page.md.j2").render(name="c") == "Hi c"
    assert cache.code
