"""The benchmark keeps working: CI runs it at size S (the bundled example), without timing assertions.

Timings are compared only by people reading bench/RESULTS.md; here we check that the command runs,
generates valid data and reports every figure the issue asks for.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.generate import SIZES, Generator, Size, generate
from ddgen.pipeline import check

ROOT = Path(__file__).resolve().parents[2]


def test_python_m_bench_at_size_s_prints_every_figure(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bench", "--sizes", "S", "--repeat", "1", "--workdir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for row in ("parsing floor (CSafeLoader)", "ddgen load", "ddgen validate", "ddgen derive", "ddgen render",
                "site generator (MkDocs)", "load / floor", "own stages / floor", "own share of the build",
                "peak RSS", "serve: regeneration after one edit (median, range)",
                "serve: after an edit to this year's records", "pages written", "site bytes", "site bytes per supplier", "largest page", "search index"):
        assert f"| {row} |" in out, row
    assert "| suppliers | 36 |" in out
    assert "load at S is" in out and "(target <= 1.35x)" in out


def test_the_generator_is_deterministic_and_scales_the_sections_it_names(tmp_path: Path) -> None:
    small = {"suppliers": 80, "risks": 40, "actions": 30, "kpis": 15, "grievance_cases": 40, "audits": 12}
    SIZES["T"] = Size("T", small)
    try:
        first = generate("T", tmp_path / "a")
        second = generate("T", tmp_path / "b")
    finally:
        del SIZES["T"]
    files = sorted(p.relative_to(first).as_posix() for p in (first / "data").rglob("*.yaml"))
    assert files == sorted(p.relative_to(second).as_posix() for p in (second / "data").rglob("*.yaml"))
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    result = check(first)
    assert result.report.errors == []
    assert {k: result.report.records[k] for k in small} == small
    kpi = result.dossier.kpis[0]
    assert len(kpi.values) == 5


def test_copies_refer_to_records_that_exist_and_keep_the_example_ids() -> None:
    gen = Generator(SIZES["M"])
    assert gen.ident("suppliers", 0) == "S-001"
    assert gen.ident("suppliers", 999) == "S-01000"
    generated = {gen.ident("suppliers", i) for i in range(gen.count("suppliers"))}
    assert {gen.ref("suppliers", "S-001", clone) for clone in range(500)} <= generated
