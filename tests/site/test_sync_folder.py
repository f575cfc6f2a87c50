"""The staging folder `ddgen serve` hands MkDocs: only changed files are written, so MkDocs' own change
detection rebuilds only their pages; what the last round staged is trusted, not read back."""

from __future__ import annotations

import os
from pathlib import Path

from ddgen.build import sync_folder


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file()}


def _age(folder: Path) -> None:
    for path in folder.rglob("*"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))


def test_a_full_sync_writes_changes_only_and_removes_what_is_not_wanted(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    first = {"index.md": "# Home\n", "risks/R-1.md": "one", "risks/R-2.md": "two", "old/gone.md": "x"}
    assert sorted(sync_folder(folder, first)) == sorted(first)
    (folder / "empty").mkdir()
    _age(folder)
    second = {"index.md": "# Home\n", "risks/R-1.md": "one, edited", "new.md": b"bytes"}
    assert sorted(sync_folder(folder, second)) == ["new.md", "old/gone.md", "risks/R-1.md", "risks/R-2.md"]
    assert _tree(folder) == {"index.md": "# Home\n", "risks/R-1.md": "one, edited", "new.md": "bytes"}
    assert (folder / "index.md").stat().st_mtime_ns == 1_000_000_000  # untouched
    assert not (folder / "old").exists() and not (folder / "empty").exists()


def test_with_the_last_round_known_only_what_differs_from_it_is_touched(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    first = {"index.md": "# Home\n", "risks/R-1.md": "one", "risks/R-2.md": "two", "deep/er/page.md": "p"}
    sync_folder(folder, first)
    _age(folder)
    second = {"index.md": "# Home\n", "risks/R-1.md": "one, edited", "risks/R-3.md": "three"}
    changed = sync_folder(folder, second, last=first)
    assert sorted(changed) == ["deep/er/page.md", "risks/R-1.md", "risks/R-2.md", "risks/R-3.md"]
    assert _tree(folder) == second
    assert not (folder / "deep").exists()
    assert (folder / "index.md").stat().st_mtime_ns == 1_000_000_000
    # A file the last round wrote differently from what is wanted now is compared with the disk as before.
    assert sync_folder(folder, second, last={**second, "risks/R-1.md": "stale"}) == []
