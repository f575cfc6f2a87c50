"""The `ddgen` command line: parse options, run the pipeline, map results to exit codes.

Exit status: 0 success (warnings allowed unless --strict), 1 problems in the data, 2 usage error or
a failure inside ddgen.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from datetime import date
from pathlib import Path

import click

from . import __version__

EPILOG = "Exit status: 0 ok, 1 problems in the data, 2 usage error or a failure inside ddgen."

CHECK_HELP = """Check the records in PROJECT_DIR/data and report every problem.

Prints each error and warning as FILE:LINE:COLUMN with a hint, then a summary. Run it before every
commit and in CI. Example: ddgen check .
"""

SCHEMA_HELP = """Write a JSON Schema per data file, for autocompletion in editors.

Each data file starts with a `# yaml-language-server: $schema=../schema/<kind>.schema.json` line;
VS Code's YAML extension then completes keys and flags mistakes while you type.
Example: ddgen schema -o schema
"""

project_argument = click.argument(
    "project_dir", required=False, default=".", type=click.Path(file_okay=False, path_type=Path),
)


def _as_of_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        help="Report date (YYYY-MM-DD) for overdue and on-track checks. Default: end of the latest reporting period.",
    )(f)


def _project(path: Path) -> Path:
    if not (path / "data").is_dir():
        raise click.UsageError(f"{path} has no data/ folder; give the folder of a ddgen project (ddgen init makes one).")
    return path


def _checked(project: Path, as_of: object, nothing: str):  # type: ignore[no-untyped-def]
    """The checked records, for commands that need them without errors; else the problems and exit 1."""
    from .pipeline import check as run_check

    result = run_check(project, as_of.date() if as_of else None)  # type: ignore[attr-defined]
    if result.report.errors:
        click.echo(result.report.render_text(), nl=False, err=True)
        click.echo(f"{nothing}: ddgen needs the data without errors first.", err=True)
        sys.exit(1)
    return result


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ddgen")
def cli() -> None:
    """ddgen turns due-diligence records into a public transparency website."""


@cli.command(help=CHECK_HELP, epilog=EPILOG)
@project_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text for people, json for tools, github for pull-request annotations.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@_as_of_option
def check(project_dir: Path, fmt: str, strict: bool, as_of: object) -> None:
    from .pipeline import check as run_check

    result = run_check(_project(project_dir), as_of.date() if as_of else None)  # type: ignore[attr-defined]
    render = {"text": result.report.render_text, "json": result.report.render_json,
              "github": result.report.render_github}[fmt]
    click.echo(render(), nl=False)
    failed = bool(result.report.errors) or (strict and bool(result.report.warnings))
    sys.exit(1 if failed else 0)


BUILD_HELP = """Check the data, then build the public website into site/ (or -o SITE_DIR).

Runs check, keeps only what the chosen scope may show, renders the report pages and builds the site
with MkDocs and Material. Nothing is written when the data has errors; the previous site stays as it
was until the new one is complete. Example: ddgen build . -o site
"""


@cli.command(help=BUILD_HELP, epilog=EPILOG)
@project_argument
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the site. Default: site_dir of mkdocs.yml (site/).")
@click.option("--scope", type=click.Choice(["public", "partner", "internal"]), default="public", show_default=True,
              help="Who the edition is for. partner and internal need -o with a folder other than the public site.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1, nothing built).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="How to print problems found in the data.")
@click.option("--release", "release", is_flag=True,
              help="Also write a zip of the site and its public data downloads, with a SHA-256 checksum file, "
                   "into --release-dir. The same input gives the same bytes.")
@click.option("--release-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("release"),
              show_default=True, help="Folder for --release (relative to the current folder).")
@_as_of_option
def build(project_dir: Path, output: Path | None, scope: str, strict: bool, fmt: str, release: bool,
          release_dir: Path, as_of: object) -> None:
    from .build import BuildRefused, build as run_build
    from .model.common import Scope

    try:
        result = run_build(_project(project_dir), output, Scope(scope), as_of.date() if as_of else None,  # type: ignore[attr-defined]
                           strict=strict, release_dir=release_dir.resolve() if release else None)
    except BuildRefused as exc:
        raise click.UsageError(str(exc)) from None
    report = result.report
    if report.problems or not result.ok:
        render = {"text": report.render_text, "json": report.render_json, "github": report.render_github}[fmt]
        click.echo(render(), nl=False, err=fmt == "text")
    if not result.ok:
        click.echo("Nothing was built; the previous site was left as it was.", err=True)
        sys.exit(1)
    click.echo(f"Built {result.pages} pages ({scope} edition) into {result.site}", err=True)
    if result.release is not None:
        for path in result.release:
            click.echo(path.as_posix())
    click.echo(f"Open {result.site / 'index.html'} in a browser, or run: python -m http.server -d {result.site}",
               err=True)


SERVE_HELP = """Build the site and serve it on your computer, rebuilding it whenever you save a file.

Watches data/, content/, overrides/ and mkdocs.yml; the browser reloads by itself. Only the pages
whose text changed are rebuilt. When a change brings errors, they are printed here and the last
good site stays on screen. Stop with Ctrl+C. Example: ddgen serve . (then open http://127.0.0.1:8000/)
"""


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter(f"{value!r} is not HOST:PORT, such as 127.0.0.1:8000.")
    return host.strip("[]"), int(port)


@cli.command(help=SERVE_HELP, epilog=EPILOG)
@project_argument
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT",
              help="Address to serve on. Keep 127.0.0.1 so that only this computer can see the site.")
@click.option("--scope", type=click.Choice(["public", "partner", "internal"]), default="public", show_default=True,
              help="Which edition to preview.")
@_as_of_option
def serve(project_dir: Path, dev_addr: str, scope: str, as_of: object) -> None:
    from .model.common import Scope
    from .serve import serve as run_serve

    host, port = _address(dev_addr)
    ok = run_serve(_project(project_dir), host, port, lambda text: click.echo(text, err=True), Scope(scope),
                   as_of.date() if as_of else None)  # type: ignore[attr-defined]
    sys.exit(0 if ok else 1)


INIT_HELP = """Create a new company repository in NEW_DIR: records, site settings and CI workflows.

Writes minimal valid records with comments explaining each field, mkdocs.yml, a hand-written page,
a README for the writer, JSON Schemas for the editor, and CI workflows for GitHub Actions and GitLab
CI. The result passes ddgen check and ddgen build as it is. Example: ddgen init my-report
"""


@cli.command(help=INIT_HELP, epilog=EPILOG)
@click.argument("new_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (existing files are overwritten).")
def init(new_dir: Path, force: bool) -> None:
    from .scaffold import ScaffoldRefused, init as run_init

    try:
        written = run_init(new_dir, force=force)
    except ScaffoldRefused as exc:
        raise click.UsageError(str(exc)) from None
    for path in written:
        click.echo(path.as_posix())
    click.echo(f"Next: cd {new_dir} && ddgen check . && ddgen build .", err=True)


@cli.command(help=SCHEMA_HELP, epilog=EPILOG)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("schema"),
              show_default=True, help="Folder to write the schema files to.")
def schema(output: Path) -> None:
    from .schema import write_schemas

    for path in write_schemas(output):
        click.echo(path.as_posix())


RISKS_HELP = """Work on the risk register (guide steps 2b-2c). Example: ddgen risks suggest ."""

SUGGEST_HELP = """List the goods in the value chain that public lists name for child or forced labour.

Looks up every product and raw material, in its countries of origin and in the countries of the
suppliers that make it (any tier), in the US Department of Labor's List of Goods Produced by Child
Labor or Forced Labor, which ships with ddgen. Says per good and country which suppliers it
concerns and whether a risk in the register already covers it, and lists the products and
materials it could not match. --format yaml prints risk records for the gaps, to assess and paste
into data/risks.yaml. Example: ddgen risks suggest . --format yaml
"""


@cli.group(help=RISKS_HELP, epilog=EPILOG)
def risks() -> None:
    """Commands for the risk register."""


@risks.command(help=SUGGEST_HELP, epilog=EPILOG)
@project_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json", "yaml"]), default="text", show_default=True,
              help="text for people, json for tools, yaml for risk records to paste into data/risks.yaml.")
@_as_of_option
def suggest(project_dir: Path, fmt: str, as_of: object) -> None:
    from . import suggestions
    from .build import project_languages, read_project_config
    from .derive.suggest import suggest as find
    from .load import load
    from .pipeline import _locator

    project = _project(project_dir)
    result = _checked(project, as_of, "No suggestions")
    found = find(result.dossier)
    if fmt == "yaml":
        language = project_languages(result, read_project_config(project))[0]
        click.echo(suggestions.render_yaml(found, result.dossier, language, result.as_of), nl=False)
        return
    locate = _locator(load(project)[0], result.dossier)
    render = suggestions.render_json if fmt == "json" else suggestions.render_text
    click.echo(render(found, result.dossier, locate), nl=False)


IMPORT_HELP = """Bring records in from a spreadsheet. Example: ddgen import suppliers leveranciers.xlsx ."""

IMPORT_SUPPLIERS_HELP = """Merge a supplier list (Excel .xlsx or CSV) into the project's supplier records.

Reads the first sheet that looks like a supplier list (or --sheet NAME). Column names may be ddgen's
own, the Open Supply Hub template's, the Transparency Pledge's or Dutch (naam, adres, land, tier ...).
A row updates the supplier with the same id, else the same OS ID, else the same name in the same
country; other rows become new suppliers with the next free id. Filled-in cells replace the stored
value; an empty cell keeps it. Comments and layout of the YAML files stay as they were. Every problem
names the sheet, row and column; when there is any error nothing is written. Prints what was added and
changed. Example: ddgen import suppliers leveranciers.xlsx --sheet Leveranciers .
"""


@cli.group("import", help=IMPORT_HELP, epilog=EPILOG)
def import_() -> None:
    """Commands that bring records in from spreadsheets."""


@import_.command("suppliers", help=IMPORT_SUPPLIERS_HELP, epilog=EPILOG)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_argument
@click.option("--sheet", default=None, metavar="NAME",
              help="Sheet to read. Default: the first sheet with supplier columns (name, country ...).")
@click.option("--dry-run", is_flag=True, help="Show what would change, and write nothing.")
def import_suppliers(file: Path, project_dir: Path, sheet: str | None, dry_run: bool) -> None:
    from .importer import import_suppliers as run_import, summary, write

    result = run_import(_project(project_dir), file, sheet, click.format_filename(file))
    problems = sorted(result.problems, key=lambda p: p.sort_key())
    if problems:
        click.echo("\n\n".join(p.render() for p in problems) + "\n", err=True)
    errors = sum(p.is_error for p in problems)
    if errors:
        click.echo(f"{errors} error{'s' * (errors != 1)}, {len(problems) - errors} warning"
                   f"{'s' * (len(problems) - errors != 1)}. Nothing was written.", err=True)
        sys.exit(1)
    click.echo(summary(result))
    if dry_run:
        click.echo("Dry run: nothing was written.", err=True)
        return
    for name in write(result):
        click.echo(f"Wrote {name}")


EXPORT_HELP = """Write the report's data as files for Open Supply Hub, the Transparency Pledge and others.

Runs check, keeps what the chosen scope may show (public by default) and writes into -o DIR:
oshub: open-supply-hub.csv, the Open Supply Hub upload file; pledge: transparency-pledge.csv, the
Transparency Pledge fields; xlsx: due-diligence.xlsx, a sheet per record type, and suppliers.xlsx;
datapackage: datapackage.json with a CSV file per record type. all writes every file the website
offers as downloads. Unchanged files are left alone. Example: ddgen export . --format oshub -o export
"""


@cli.command(help=EXPORT_HELP, epilog=EPILOG)
@project_argument
@click.option("--format", "formats", type=click.Choice(["oshub", "pledge", "xlsx", "datapackage", "all"]),
              multiple=True, default=("all",), show_default=True, help="What to write; repeat for several.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("export"),
              show_default=True, help="Folder to write the files to.")
@click.option("--scope", type=click.Choice(["public", "partner", "internal"]), default="public", show_default=True,
              help="Who the files are for. partner and internal files hold information not meant for the public.")
@_as_of_option
def export(project_dir: Path, formats: tuple[str, ...], output: Path, scope: str, as_of: object) -> None:
    from .export import FORMATS, downloads, export_files
    from .model.common import Scope
    from .pipeline import check as run_check
    from .publish import publish

    result = run_check(_project(project_dir), as_of.date() if as_of else None)  # type: ignore[attr-defined]
    if result.report.errors:
        click.echo(result.report.render_text(), nl=False, err=True)
        click.echo("Nothing was exported.", err=True)
        sys.exit(1)
    edition = publish(result.dossier, Scope(scope), result.as_of)
    files = downloads(edition) if "all" in formats else export_files(edition, [f for f in FORMATS if f in formats])
    output.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        target = output / name
        if not (target.is_file() and target.read_bytes() == data):
            target.write_bytes(data)
        click.echo(target.as_posix())
    if scope != "public":
        click.echo(f"These files are the {scope} edition: do not publish them.", err=True)


COVERAGE_HELP = """List, per requirement of each reporting framework, whether the records answer it.

Status per requirement: covered, partial or missing (GRI topic disclosures: not material unless a
material topic names them); for partial and missing ones it names the record type or field that
would fill the gap, and shows the omissions and external locations recorded in
data/communication.yaml. It measures the edition the public site shows, unless --scope says
otherwise: a record that exists but is internal does not answer anything there. Gaps are not
errors: the exit status is 0 (1 only when the data itself has errors). Frameworks: gri, ungprf,
csddd, esrs, lksg and any frameworks/<name>.yaml of the project. Example: ddgen coverage . --framework gri
"""


@cli.command(help=COVERAGE_HELP, epilog=EPILOG)
@project_argument
@click.option("--framework", "framework", default="all", show_default=True, metavar="NAME",
              help="gri, ungprf, csddd, esrs, lksg, a project framework's name, or all.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for tools.")
@click.option("--scope", type=click.Choice(["public", "partner", "internal"]), default="public", show_default=True,
              help="Which edition to measure; internal counts every record.")
@_as_of_option
def coverage(project_dir: Path, framework: str, fmt: str, scope: str, as_of: object) -> None:
    from .frameworks import load_frameworks, report
    from .frameworks.views import is_published
    from .model.common import Scope

    project = _project(project_dir)
    result = _checked(project, as_of, "No coverage report")
    maps, _ = load_frameworks(project)
    if framework != "all" and framework not in maps:
        raise click.BadParameter(f'there is no framework "{framework}"; choose one of: all, {", ".join(maps)}.',
                                 param_hint="--framework")
    chosen = maps if framework == "all" else {framework: maps[framework]}
    found = report.measure(result.dossier, result.as_of, chosen, Scope(scope))
    published = {fw.id: is_published(fw, result.dossier) for fw in chosen.values()}
    if fmt == "json":
        click.echo(report.as_json(found, published, scope, result.as_of.isoformat()), nl=False)
    else:
        click.echo(report.text(found, published, scope), nl=False)


def main() -> None:
    """Entry point: a bug inside ddgen exits 2 with one sentence; the traceback goes to a file."""
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception:  # noqa: BLE001 - the last line of defence; the data never causes this
        with tempfile.NamedTemporaryFile("w", prefix="ddgen-crash-", suffix=".txt", delete=False) as fh:
            traceback.print_exc(file=fh)
        click.echo(f"ddgen stopped because of an error inside ddgen itself (details in {fh.name}). "
                   "Your data is not the cause; report the problem to the ddgen maintainers with that file.", err=True)
        sys.exit(2)


_ = date
