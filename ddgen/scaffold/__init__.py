"""Scaffold: `ddgen init NEW_DIR` writes a new company repository that passes `ddgen check` and builds.

The files are in `scaffold/project/` inside the package: minimal valid records with comments that
explain each field, mkdocs.yml, a hand-written page, a README for the writer and CI workflows for
GitHub Actions and GitLab CI. The JSON Schemas are generated from the models at init time, so they
always match the installed ddgen.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .. import __version__
from ..schema import write_schemas

RENAMED = {"gitignore": ".gitignore"}
"""Files stored under another name in the package (a real .gitignore would be ignored by packaging)."""


class ScaffoldRefused(Exception):
    """The target folder is not empty and --force was not given."""


def _template_files() -> list[tuple[str, bytes]]:
    root = Path(str(resources.files("ddgen") / "scaffold" / "project"))
    files = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        files.append((RENAMED.get(rel, rel), path.read_bytes()))
    return files


def init(target: Path, force: bool = False) -> list[Path]:
    """Write the scaffold into `target`; returns the files written, sorted. Existing files are kept
    unless `force` is set, and a non-empty folder is refused without it."""
    if target.exists() and any(target.iterdir()) and not force:
        raise ScaffoldRefused(f"{target} is not empty; choose a new folder, or add --force to write into it.")
    written: list[Path] = []
    for rel, data in _template_files():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.replace(b"@DDGEN_VERSION@", __version__.encode()))
        written.append(path)
    (target / "overrides").mkdir(exist_ok=True)
    written.extend(write_schemas(target / "schema"))
    return sorted(written)
