"""Fixtures for built-site tests: the example company built once per session, read-only."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ddgen.build import build

ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = ("data", "content", "overrides", "mkdocs.yml")


def copy_example(target: Path) -> Path:
    """A copy of the bundled example project (data, content, theme overrides, mkdocs.yml)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(".ddgen", "node_modules"))
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="session")
def example_copy() -> Callable[[Path], Path]:
    """`example_copy(folder)` copies the bundled example project into `folder`."""
    return copy_example


@pytest.fixture(scope="session")
def example_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="session")
def example_site(example_project: Path) -> Path:
    result = build(example_project)
    assert result.ok, result.report.render_text()
    assert result.site is not None
    return result.site


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")
