"""Build: check -> publish -> render -> MkDocs, writing the site atomically.

The generated Markdown and the hand-written pages of `content/` are laid out in a staging folder
(`.ddgen/<scope>/docs`, git-ignored), next to a generated `mkdocs.yml` that INHERITs the project's
own, so the project keeps its theme settings while ddgen sets the navigation, paths and data-driven
values (company name, report language). MkDocs builds into a temporary folder beside the output,
which replaces the previous site only when everything succeeded: bad data or a failed build leaves
the old site untouched and no partial site behind. `SOURCE_DATE_EPOCH` is set from the report date,
so the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from .model.common import Scope
from .pipeline import Checked, check
from .problems import Problem, Report, Span, problem
from .publish import publish
from .render import Rendered, render

ASSETS = ("ddgen.css", "ddgen.js")
PUBLIC_MARKER = '<meta name="ddgen-scope" content="public">'


class BuildRefused(Exception):
    """The command line asked for something ddgen will not do (exit 2)."""


@dataclass
class BuildResult:
    report: Report
    site: Path | None = None
    pages: int = 0
    messages: list[str] = field(default_factory=list)
    release: tuple[Path, Path] | None = None

    @property
    def ok(self) -> bool:
        return self.site is not None and not self.report.errors


def read_project_config(project: Path) -> dict[str, Any]:
    """The project's mkdocs.yml as MkDocs reads it (tags such as !ENV included)."""
    from mkdocs.utils.yaml import yaml_load

    path = project / "mkdocs.yml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        loaded = yaml_load(fh)
    return loaded if isinstance(loaded, dict) else {}


def public_site_dir(project: Path, config: dict[str, Any]) -> Path:
    return (project / str(config.get("site_dir", "site"))).resolve()


def _is_public_site(folder: Path) -> bool:
    index = folder / "index.html"
    try:
        return index.is_file() and PUBLIC_MARKER in index.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def resolve_output(project: Path, config: dict[str, Any], output: Path | None, scope: Scope) -> Path:
    """Where to build; a review edition may never land in (or over) the public site."""
    public = public_site_dir(project, config)
    target = (output or public).resolve() if output is None or output.is_absolute() else (Path.cwd() / output).resolve()
    if scope is not Scope.PUBLIC:
        if output is None:
            raise BuildRefused(f"a {scope.value} edition needs its own folder: add -o FOLDER (not {public}).")
        if target == public or public in target.parents or target in public.parents or _is_public_site(target):
            raise BuildRefused(
                f"{target} is (or holds) the public site; write the {scope.value} edition to another folder.")
    return target


def _content_pages(project: Path, config: dict[str, Any]) -> list[Path]:
    content = project / str(config.get("docs_dir", "content"))
    if not content.is_dir():
        return []
    return sorted(p for p in content.rglob("*") if p.is_file() and not any(x.startswith(".") for x in p.parts))


def _banner(scope: Scope, language: str) -> str:
    from .render import escape_text
    from .i18n import Formatter

    _ = Formatter(language)._
    text = {
        Scope.PARTNER: _("Partner edition: contains information shared under agreement. Do not publish or pass on."),
        Scope.INTERNAL: _("Internal edition: for management only. Contains confidential information. Do not publish."),
    }[scope]
    return f'<div class="ddgen-scope-banner" role="note"><strong>{escape_text(text)}</strong></div>\n\n'


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def stage(project: Path, config: dict[str, Any], rendered: Rendered, scope: Scope, language: str,
          staging: Path) -> list[Problem]:
    """Lay out the docs folder: content/ pages, generated pages and files, ddgen's assets."""
    if staging.exists():
        shutil.rmtree(staging)
    docs = staging / "docs"
    problems: list[Problem] = []
    content_dir = project / str(config.get("docs_dir", "content"))
    for source in _content_pages(project, config):
        rel = source.relative_to(content_dir).as_posix()
        if rel in rendered.pages or rel in rendered.files:
            problems.append(problem(
                "DDG010", Span(source.relative_to(project).as_posix()),
                f"{rel} in content/ has the same name as a page ddgen generates.",
                "rename the hand-written page; to change a generated page, put a template in overrides/ddgen/."))
            continue
        data = source.read_bytes()
        if scope is not Scope.PUBLIC and source.suffix == ".md":
            data = _banner(scope, language).encode() + data
        _write(docs / rel, data)
    for rel, text in sorted(rendered.pages.items()):
        _write(docs / rel, (_banner(scope, language) if scope is not Scope.PUBLIC else "") + text)
    for rel, data in sorted(rendered.files.items()):
        _write(docs / rel, data)
    for name in ASSETS:
        _write(docs / "assets" / "ddgen" / name, (resources.files("ddgen") / "templates" / "assets" / name).read_bytes())
    return problems


def _footer(checked: Checked, language: str, scope: Scope) -> dict[str, Any]:
    """Values for the theme's footer: the reporting period and the downloads link, in the report language."""
    from .i18n import Formatter

    fmt = Formatter(language)
    period = checked.dossier.period
    values: dict[str, Any] = {"scope": scope.value, "downloads_label": fmt._("Data downloads"),
                              "made_with": fmt._("Made with")}
    if period is not None:
        values["period_text"] = fmt._("Due diligence report %(year)s, reporting period %(start)s to %(end)s") % {
            "year": period.year, "start": fmt.date(period.start), "end": fmt.date(period.end)}
    return values


def mkdocs_config(project: Path, config: dict[str, Any], rendered: Rendered, checked: Checked, scope: Scope,
                  staging: Path, site: Path, content: list[str], language: str) -> dict[str, Any]:
    """The generated config: INHERITs the project's mkdocs.yml and sets what comes from data."""
    dossier = checked.dossier
    company = dossier.company
    period = dossier.period
    theme = dict(config.get("theme") or {})
    generated: dict[str, Any] = {
        "INHERIT": str((project / "mkdocs.yml").resolve()),
        "docs_dir": str(staging / "docs"),
        "site_dir": str(site),
        "use_directory_urls": True,
        "not_in_nav": "\n".join(rendered.not_in_nav),
        "extra_css": [*config.get("extra_css", []), "assets/ddgen/ddgen.css"],
        "extra_javascript": [*config.get("extra_javascript", []), "assets/ddgen/ddgen.js"],
        "extra": {"ddgen": _footer(checked, language, scope)},
    }
    if theme.get("custom_dir"):
        generated["theme"] = {"custom_dir": str((project / str(theme["custom_dir"])).resolve())}
    if "nav" not in config:
        generated["nav"] = [*rendered.nav, *content]
    if company is not None:
        generated["site_name"] = company.name
        if company.logo:
            generated.setdefault("theme", {})["logo"] = company.logo
        if period is not None and "copyright" not in config:
            generated["copyright"] = company.legal_name or company.name
    return generated


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _build_environment(as_of: date) -> Iterator[_Collector]:
    """Reproducible time for MkDocs (sitemap dates) and quiet logs, restored afterwards."""
    saved = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp()))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    collector = _Collector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _mark_public(site: Path) -> None:
    """Tag the public home page so a review edition can never be written over it."""
    index = site / "index.html"
    if index.is_file():
        text = index.read_text(encoding="utf-8")
        if PUBLIC_MARKER not in text:
            index.write_text(text.replace("<head>", "<head>\n    " + PUBLIC_MARKER, 1), encoding="utf-8")


def _swap(built: Path, target: Path) -> None:
    """Replace `target` with `built` in two renames, so readers never see a half-written site."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    built.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_release(site: Path, release_dir: Path, name: str, when: date) -> tuple[Path, Path]:
    """Zip the built site (its downloads hold the public data) with one fixed timestamp and sorted
    entries, plus a sha256sum-style checksum file: the same input gives the same bytes."""
    release_dir.mkdir(parents=True, exist_ok=True)
    archive = release_dir / f"{name}.zip"
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{name}/{path.relative_to(site).as_posix()}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    archive.write_bytes(buffer.getvalue())
    checksum = release_dir / f"{name}.zip.sha256"
    checksum.write_text(f"{hashlib.sha256(buffer.getvalue()).hexdigest()}  {archive.name}\n", encoding="utf-8")
    return archive, checksum


def release_name(checked: Checked, scope: Scope) -> str:
    """A file name from the data: company slug, year and (for review editions) the scope."""
    company = checked.dossier.company
    slug = re.sub(r"[^a-z0-9]+", "-", (company.name if company else "report").lower()).strip("-") or "report"
    period = checked.dossier.period
    suffix = "" if scope is Scope.PUBLIC else f"-{scope.value}"
    return f"{slug}-due-diligence-{period.year if period else 'report'}{suffix}"


def build(project: Path, output: Path | None = None, scope: Scope = Scope.PUBLIC, as_of: date | None = None,
          strict: bool = False, release_dir: Path | None = None) -> BuildResult:
    """Check the records, then build the site for `scope` into `output` (default: the public site folder)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    project = project.resolve()
    config = read_project_config(project)
    target = resolve_output(project, config, output, scope)
    checked = check(project, as_of)
    result = BuildResult(checked.report)
    if checked.report.errors or (strict and checked.report.warnings):
        return result
    language = str((config.get("theme") or {}).get("language", "nl"))
    edition = publish(checked.dossier, scope, checked.as_of)
    rendered = render(edition, language, project)
    staging = project / ".ddgen" / scope.value
    clashes = stage(project, config, rendered, scope, language, staging)
    if clashes:
        checked.report.extend(clashes)
        return result
    content_pages = [p.relative_to(staging / "docs").as_posix() for p in sorted((staging / "docs").rglob("*.md"))
                     if p.relative_to(staging / "docs").as_posix() not in rendered.pages]
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    site = work / "site"
    generated = mkdocs_config(project, config, rendered, checked, scope, staging, site, content_pages, language)
    config_path = staging / "mkdocs.yml"
    _write(config_path, json.dumps(generated, indent=2, ensure_ascii=False) + "\n")
    try:
        with _build_environment(checked.as_of) as log:
            cfg = load_config(config_file=str(config_path), strict=True)
            mkdocs_build(cfg)
        result.messages = log.messages
    except (Abort, ConfigurationError, OSError) as exc:
        shutil.rmtree(work, ignore_errors=True)
        detail = "; ".join(result.messages or log.messages[-5:]) or str(exc)
        checked.report.extend([problem(
            "DDG011", Span("mkdocs.yml"), f"MkDocs could not build the site: {detail}",
            "fix the page or setting MkDocs names; the previous site was left as it was.")])
        return result
    if scope is Scope.PUBLIC:
        _mark_public(site)
    _swap(site, target)
    shutil.rmtree(work, ignore_errors=True)
    result.site = target
    result.pages = sum(1 for _ in target.rglob("*.html"))
    if release_dir is not None:
        result.release = write_release(target, release_dir, release_name(checked, scope), checked.as_of)
    return result
