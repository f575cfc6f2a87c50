"""`python -m bench`: build the synthetic company at sizes S, M and L and print where the time goes.

Each size runs in its own process (`bench.run`), so peak memory is per size. Targets are ratios
measured in one run, never absolute seconds: machines differ and are noisy.

    python -m bench                  # S, M and L (about 5 minutes on 2 cores)
    python -m bench --sizes S        # what CI runs: the bundled example only
    python -m bench --sizes L --profile bench/profiles   # pyinstrument profile of the L build
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .run import SERVE_ROUNDS

OWN = ("load", "validate", "derive", "render")
LOAD_TARGET = 1.35
OWN_TARGET = 2.5
LINEAR_TARGET = 1.25
PAGE_LIMIT = 2 * 1024 * 1024
SEARCH_LIMIT = 30 * 1024 * 1024
RSS_LIMIT = 2 * 1024**3
SERVE_TARGET = 1.0


def run_size(size: str, workdir: Path, repeat: int, profile: Path | None) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.run", size, str(workdir), "--repeat", str(repeat)]
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
        command += ["--profile", str(profile / f"{size}.txt")]
    done = subprocess.run(command, check=False, capture_output=True, text=True, cwd=Path(__file__).parents[1],
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if done.returncode:
        raise SystemExit(f"size {size} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def own(r: dict[str, Any]) -> float:
    return sum(r[s] for s in OWN)


def mib(n: float) -> str:
    return f"{n / 1048576:.1f} MiB"


def _median_range(r: dict[str, Any], median: str, spread: str) -> str:
    if median not in r:
        return "-"
    low, high = r[spread]
    return f"{r[median]:.3f} s ({low:.2f}-{high:.2f})"


def _stage_row(stage: str) -> tuple[str, Any]:
    return f"ddgen {stage}", lambda r: f"{r[stage]:.3f} s"


def table(results: list[dict[str, Any]]) -> list[str]:
    rows = [
        ("suppliers", lambda r: f"{r['suppliers']:,}"),
        ("records", lambda r: f"{r['records']:,}"),
        ("data files / bytes", lambda r: f"{r['data_files']} / {mib(r['data_bytes'])}"),
        ("parsing floor (CSafeLoader)", lambda r: f"{r['floor']:.3f} s"),
        ("parsing floor, collector paused", lambda r: f"{r['floor_paused']:.3f} s"),
        *(_stage_row(s) for s in OWN),
        ("ddgen own stages", lambda r: f"{own(r):.3f} s"),
        ("site generator (MkDocs)", lambda r: f"{r['site']:.3f} s"),
        ("load / floor", lambda r: f"{r['load'] / r['floor']:.2f}x"),
        ("own stages / floor", lambda r: f"{own(r) / r['floor']:.2f}x"),
        ("own stages / floor with the collector paused", lambda r: f"{own(r) / r['floor_paused']:.2f}x"),
        ("own share of the build", lambda r: f"{own(r) / (own(r) + r['site']):.0%}"),
        ("peak RSS", lambda r: mib(r["peak_rss_bytes"])),
        ("peak RSS of the render worker", lambda r: mib(r["worker_rss_bytes"]) if r.get("worker_rss_bytes") else "none"),
        ("serve: regeneration after one edit (median, range)", lambda r: _median_range(r, "serve_seconds", "serve_seconds_range")),
        ("serve: after an edit to this year's records", lambda r: _median_range(r, "serve_this_year_seconds", "serve_this_year_range")),
        ("serve: peak RSS of its helper process", lambda r: mib(r["serve_helper_rss_bytes"]) if r.get("serve_helper_rss_bytes") else "-"),
        ("serve: MkDocs, changed pages only", lambda r: f"{r['serve_site_seconds']:.3f} s" if "serve_seconds" in r else "-"),
        ("serve: Markdown files rewritten", lambda r: f"{r['serve_written']} of {r['serve_markdown']:,}" if "serve_seconds" in r else "-"),
        ("pages written", lambda r: f"{r['pages']:,}"),
        ("site bytes", lambda r: f"{r['site_bytes']:,}"),
        ("site bytes per supplier", lambda r: f"{r['site_bytes'] / r['suppliers']:,.0f}"),
        ("build ms per supplier", lambda r: f"{(own(r) + r['site']) * 1000 / r['suppliers']:.2f}"),
        ("largest page", lambda r: f"{mib(r['largest_page_bytes'])} ({r['largest_page']})"),
        ("search index", lambda r: mib(r["search_index_bytes"])),
    ]
    head = "| | " + " | ".join(r["size"] for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    lines += [f"| {name} | " + " | ".join(fmt(r) for r in results) + " |" for name, fmt in rows]
    return lines


def targets(results: list[dict[str, Any]]) -> list[str]:
    by = {r["size"]: r for r in results}
    out: list[str] = []

    def say(ok: bool, text: str) -> None:
        out.append(f"- [{'x' if ok else ' '}] {text}")

    big = by.get("L") or results[-1]
    say(big["load"] / big["floor"] <= LOAD_TARGET,
        f"load at {big['size']} is {big['load'] / big['floor']:.2f}x the parsing floor (target <= {LOAD_TARGET}x)")
    say(own(big) / big["floor"] <= OWN_TARGET,
        f"own stages at {big['size']} are {own(big) / big['floor']:.2f}x the floor (target <= {OWN_TARGET}x)")
    if "M" in by and "L" in by:
        m, l_ = by["M"], by["L"]
        per = [(own(r) + r["site"]) / r["suppliers"] for r in (m, l_)]
        say(per[1] / per[0] <= LINEAR_TARGET,
            f"build time per supplier L/M = {per[1] / per[0]:.2f} (target <= {LINEAR_TARGET})")
        per_own = [own(r) / r["suppliers"] for r in (m, l_)]
        say(per_own[1] / per_own[0] <= LINEAR_TARGET,
            f"ddgen's own time per supplier L/M = {per_own[1] / per_own[0]:.2f} (target <= {LINEAR_TARGET})")
        size = [r["site_bytes"] / r["suppliers"] for r in (m, l_)]
        say(size[1] / size[0] <= LINEAR_TARGET,
            f"site bytes per supplier L/M = {size[1] / size[0]:.2f} (target <= {LINEAR_TARGET})")
    say(all(r["largest_page_bytes"] <= PAGE_LIMIT for r in results),
        "largest page " + ", ".join(f"{r['size']} {mib(r['largest_page_bytes'])}" for r in results) + " (target <= 2 MiB)")
    say(all(r["search_index_bytes"] <= SEARCH_LIMIT for r in results),
        "search index " + ", ".join(f"{r['size']} {mib(r['search_index_bytes'])}" for r in results) + " (target < 30 MiB)")
    say(all(r["peak_rss_bytes"] + r.get("worker_rss_bytes", 0) < RSS_LIMIT for r in results),
        "peak RSS, ddgen and its render worker together " + ", ".join(
            f"{r['size']} {mib(r['peak_rss_bytes'] + r.get('worker_rss_bytes', 0))}" for r in results) + " (target < 2 GiB)")
    if "M" in by and "serve_seconds" in by["M"]:
        m = by["M"]
        say(m["serve_seconds"] < SERVE_TARGET,
            f"ddgen serve regenerates in {m['serve_seconds']:.2f} s at M after one edit (median of "
            f"{SERVE_ROUNDS} edits, {m['serve_seconds_range'][0]:.2f}-{m['serve_seconds_range'][1]:.2f} s), rewriting "
            f"{m['serve_written']} of {m['serve_markdown']:,} Markdown files (target < {SERVE_TARGET} s)")
    return out


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated sizes (default: S,M,L)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the floor and of check; the fastest counts")
    parser.add_argument("--workdir", type=Path, default=None, help="where projects and sites go (default: a temp dir)")
    parser.add_argument("--profile", type=Path, default=None, help="folder for pyinstrument profiles of each build")
    parser.add_argument("--json", action="store_true", help="print the raw measurements as JSON")
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="ddgen-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        results = []
        for size in sizes:
            print(f"size {size} ...", file=sys.stderr, flush=True)
            results.append(run_size(size, workdir.resolve(), args.repeat, args.profile))
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"machine: {machine()}")
    print(f"command: python -m bench --sizes {','.join(sizes)} --repeat {args.repeat}\n")
    print("\n".join(table(results)))
    print()
    print("\n".join(targets(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
