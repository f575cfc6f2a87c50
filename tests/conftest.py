"""Shared fixtures: temporary ddgen projects built from the minimal fixture plus a dict of files.

As in mkdocs' `tests/base.py` and dbt's project fixtures, a test states only the files it changes;
everything else comes from `tests/fixtures/minimal/`, the smallest valid project.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal"

MakeRepo = Callable[..., Path]


def copy_project(source: Path, target: Path) -> None:
    """Copy a fixture folder, keeping symbolic links as links (a bad case holds a broken one)."""
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """`make_repo({"data/risks.yaml": "..."})` -> a project folder: minimal fixture, files overlaid.

    Values may be text (written as UTF-8) or bytes (written as they are, for encoding tests);
    `remove=["data/risks.yaml"]` deletes files of the minimal fixture first.
    """
    counter = itertools.count(1)

    def make(files: Mapping[str, str | bytes] = {}, *, remove: Iterable[str] = ()) -> Path:
        repo = tmp_path / f"repo{next(counter)}"
        copy_project(MINIMAL, repo)
        for name in remove:
            (repo / name).unlink()
        for name, content in files.items():
            path = repo / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="\n")
        return repo

    return make
