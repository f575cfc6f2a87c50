"""Staging rewrites only what changed: unchanged Markdown keeps its modification time (so MkDocs'
change detection in `ddgen serve` skips it), removed pages disappear, and the folder always ends
exactly as a fresh one would."""

from __future__ import annotations

import os
from pathlib import Path

from ddgen.build import stage
from ddgen.model.common import Scope
from ddgen.render import Rendered

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
LONG_AGO = 1_000_000_000  # 2001: any write after the first staging shows as a newer time


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_staging_again_touches_only_the_pages_whose_text_changed(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    first = Rendered(pages={"index.md": "# Home\n", "suppliers/S-001.md": "Dhaka\n", "suppliers/S-002.md": "Gone\n"},
                     files={"downloads/suppliers.csv": b"id\nS-001\nS-002\n"})
    assert stage(MINIMAL, {}, first, Scope.PUBLIC, "nl", staging) == []
    for path in staging.rglob("*"):
        os.utime(path, (LONG_AGO, LONG_AGO))

    second = Rendered(pages={"index.md": "# Home\n", "suppliers/S-001.md": "Dhaka Garments\n"},
                      files={"downloads/suppliers.csv": b"id\nS-001\n"})
    assert stage(MINIMAL, {}, second, Scope.PUBLIC, "nl", staging) == []

    docs = staging / "docs"
    touched = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")
                     if p.is_file() and p.stat().st_mtime != LONG_AGO)
    assert touched == ["downloads/suppliers.csv", "suppliers/S-001.md"]
    assert not (docs / "suppliers" / "S-002.md").exists()

    fresh = tmp_path / "fresh"
    stage(MINIMAL, {}, second, Scope.PUBLIC, "nl", fresh)
    assert tree(staging) == tree(fresh)


def test_a_folder_left_empty_by_removed_pages_is_removed(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    stage(MINIMAL, {}, Rendered(pages={"index.md": "a\n", "risks/R-1.md": "r\n"}), Scope.PUBLIC, "nl", staging)
    stage(MINIMAL, {}, Rendered(pages={"index.md": "a\n"}), Scope.PUBLIC, "nl", staging)
    assert not (staging / "docs" / "risks").exists()
