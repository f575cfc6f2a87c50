"""One benchmark size, in its own process so that its peak memory is its own.

`python -m bench.run SIZE WORKDIR` generates the project, then measures, in this order and in one
process: the parsing floor (PyYAML's CSafeLoader reading every data file, with Python's garbage
collector as usual and paused, as ddgen's check pauses it) and ddgen's check stages (load,
validate, derive), alternately, `--repeat` times, keeping the fastest of each; then one full
`ddgen build` for the render and site-generator stages. It prints one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from ddgen.build import build
from ddgen.load import data_files
from ddgen.pipeline import check, collector_paused

from .generate import generate


def parse_floor(project: Path) -> float:
    """Seconds for libyaml to read, decode and load every data file: the floor for YAML in Python."""
    started = time.perf_counter()
    for path in data_files(project):
        yaml.load(path.read_bytes().decode("utf-8-sig"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - started


def parse_floor_paused(project: Path) -> float:
    """The floor with the garbage collector paused, as ddgen's check runs: the like-for-like figure
    (the target is measured against `parse_floor`, PyYAML as it is usually called)."""
    with collector_paused():
        return parse_floor(project)


def site_stats(site: Path) -> dict[str, Any]:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    index = site / "search" / "search_index.json"
    return {
        "pages": len(pages),
        "site_bytes": sum(p.stat().st_size for p in files),
        "largest_page": largest.relative_to(site).as_posix(),
        "largest_page_bytes": largest.stat().st_size,
        "search_index_bytes": index.stat().st_size if index.exists() else 0,
    }


def measure(size: str, workdir: Path, repeat: int, profile: Path | None = None) -> dict[str, Any]:
    project = generate(size, workdir / size)
    files = data_files(project)
    floor: list[float] = []
    floor_paused: list[float] = []
    stages: dict[str, list[float]] = {"load": [], "validate": [], "derive": []}
    for _ in range(repeat):
        floor.append(parse_floor(project))
        floor_paused.append(parse_floor_paused(project))
        checked = check(project)
        assert not checked.report.errors, checked.report.render_text()
        for name, values in stages.items():
            values.append(checked.timings[name])
    counts = dict(checked.report.records)
    del checked  # the build checks again: as a user runs it, with one copy of the records in memory
    gc.collect()
    profiler = _profiler(profile)
    result = build(project, workdir / f"{size}-site")
    if profiler is not None:
        profiler.stop()
        profile.write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    assert result.ok, result.report.render_text()
    best = {name: min(values) for name, values in stages.items()}
    # The build's peaks, before serve (whose helper process is a child too, reported on its own).
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    serve = measure_serve(project, workdir / f"{size}-serve") if size in SERVE_SIZES else {}
    return {
        "size": size,
        "suppliers": counts.get("suppliers", 0),
        "records": sum(counts.values()),
        "data_files": len(files),
        "data_bytes": sum(p.stat().st_size for p in files),
        "floor": min(floor),
        "floor_paused": min(floor_paused),
        **best,
        "render": result.timings["render"],
        "site": result.timings["site"],
        "peak_rss_bytes": peak_rss,
        # The render worker (a fork, sharing this process's memory until either writes): its own peak.
        "worker_rss_bytes": worker_rss,
        **site_stats(result.site),
        **serve,
    }


SERVE_SIZES = ("S", "M")
"""Sizes at which `ddgen serve` is measured (at L its first full build alone takes minutes)."""


SERVE_ROUNDS = 5
"""Edits timed per kind: the figure is their median (a shared machine varies by a third from one
round to the next), with the fastest and slowest beside it."""


def measure_serve(project: Path, site: Path) -> dict[str, Any]:
    """What `ddgen serve` does after one record is edited: a `Session` builds once, then the workers of
    the first supplier change by one (a record every year shows) and it regenerates, SERVE_ROUNDS
    times; then the latest value of the first KPI changes (a record of this year only), as often.
    Timed as the server times it (`Regeneration`), with the Markdown files the first edit rewrote
    (the others keep their modification time). With two cores the session has its helper process, as
    `ddgen serve` has; its peak memory is reported too."""
    from ddgen.serve import Session

    session = Session(project, site)
    try:
        return _serve_rounds(session, project)
    finally:
        session.close()


def _serve_rounds(session: Any, project: Path) -> dict[str, Any]:
    from ddgen import build as build_module

    assert session.regenerate().ok
    gc.collect()  # as the server does after each round, while the reader looks (serve.IdleCollector)
    folder = project / "data" / "suppliers"
    first = min(folder.glob("*.yaml")) if folder.is_dir() else project / "data" / "suppliers.yaml"
    written: list[Path] = []
    original = build_module.write_if_changed

    def counting(path: Path, data: bytes | str) -> bool:
        changed = original(path, data)
        if changed and path.suffix == ".md":
            written.append(path)
        return changed

    every_year = []
    for round_number in range(SERVE_ROUNDS):
        text = first.read_text(encoding="utf-8")
        found = re.search(r"workers: (\d+)", text)
        assert found, f"no workers: figure in {first}"
        first.write_text(f"{text[:found.start()]}workers: {int(found[1]) + 1}{text[found.end():]}", encoding="utf-8")
        build_module.write_if_changed = counting if round_number == 0 else original
        try:
            again = session.regenerate()
        finally:
            build_module.write_if_changed = original
        assert again.ok and not again.full, "one edited record must not need a full MkDocs build"
        every_year.append(again)
        gc.collect()
    staged = sum(1 for _ in (project / ".ddgen").rglob("*.md"))
    # An edit to this year's records only (the latest value of the first KPI): earlier years are kept.
    kpis = project / "data" / "kpis.yaml"
    this_year = []
    for _ in range(SERVE_ROUNDS):
        text = kpis.read_text(encoding="utf-8")
        latest = max(int(y) for y in re.findall(r"year: (\d{4})", text))
        value = re.search(rf"year: {latest}(?:,|\n\s*)\s*value: ([\d.]+)", text)
        assert value, f"no {latest} value in {kpis}"
        kpis.write_text(f"{text[:value.start(1)]}{float(value[1]) + 0.5}{text[value.end(1):]}", encoding="utf-8")
        result = session.regenerate()
        assert result.ok
        this_year.append(result.seconds)
        gc.collect()
    seconds = sorted(r.seconds for r in every_year)
    return {"serve_seconds": statistics.median(seconds), "serve_seconds_range": (seconds[0], seconds[-1]),
            "serve_site_seconds": statistics.median(r.site_seconds for r in every_year),
            "serve_written": len(written), "serve_markdown": staged,
            "serve_this_year_seconds": statistics.median(this_year),
            "serve_this_year_range": (min(this_year), max(this_year)),
            "serve_helper_rss_bytes": session.helper.peak_rss() if session.helper is not None else None}


def _profiler(path: Path | None) -> Any:
    if path is None:
        return None
    from pyinstrument import Profiler  # a developer tool: pip install pyinstrument

    profiler = Profiler(interval=0.005)
    profiler.start()
    return profiler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", choices=["S", "M", "L"])
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=Path, default=None, help="write a pyinstrument profile of the build here")
    args = parser.parse_args(argv)
    json.dump(measure(args.size, args.workdir, args.repeat, args.profile), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
