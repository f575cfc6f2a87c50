"""One page of every page type that `ddgen build` generates, found in the built site by a path pattern.

Paths follow ddgen/render.py's PAGES (with use_directory_urls). Some pages serve two roles: the step 2
page (value chain) holds the supplier-country map and table, and the step 6 page holds the grievance
statistics.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HAND_WRITTEN = "hand-written-page"

# name -> glob pattern relative to the site folder; the first match in sorted order is used.
PAGE_TYPES: dict[str, str] = {
    "home": "index.html",
    "step-1-policy": "policy/index.html",
    "step-2-value-chain-and-country-map": "value-chain/index.html",
    "step-3-actions": "actions/index.html",
    "step-4-monitoring": "monitoring/index.html",
    "step-5-communication": "communication/index.html",
    "step-6-grievance-statistics": "grievances/index.html",
    "supplier-list": "suppliers/index.html",
    "supplier": "suppliers/*/index.html",
    "risk-register": "risks/index.html",
    "risk": "risks/*/index.html",
    "kpi": "monitoring/*/index.html",
    "how-we-assess": "how-we-assess/index.html",
    "downloads": "downloads/index.html",
    "printable-report": "print/index.html",
    "what-changed": "changes/index.html",
    "earlier-reports": "archive/index.html",
    "earlier-year-risk-register": "20[0-9][0-9]/risks/index.html",
    "gri-content-index": "frameworks/gri/index.html",
    "ungp-reporting-framework-index": "frameworks/ungprf/index.html",
    "due-diligence-statement": "frameworks/due-diligence-statement/index.html",
    "lksg-report": "frameworks/lksg/index.html",
    HAND_WRITTEN: "",  # the first page in content/, whatever its name
    "not-found": "404.html",
}


def page_path(site_dir: Path, name: str) -> str:
    """The URL path (relative to the site root) of one page of type `name`; fails the test if none."""
    pattern = PAGE_TYPES[name] or hand_written_pattern()
    matches = sorted(site_dir.glob(pattern))
    assert matches, f"the built site has no {name} page (looked for {pattern} in {site_dir})"
    rel = matches[0].relative_to(site_dir).as_posix()
    return rel.removesuffix("index.html")


def hand_written_pattern() -> str:
    """Where the first hand-written page of content/ lands in the site (use_directory_urls)."""
    pages = sorted(p.relative_to(ROOT / "content").with_suffix("") for p in (ROOT / "content").rglob("*.md"))
    pages = [p for p in pages if p.name not in ("index", "README")]
    assert pages, "content/ has no hand-written page"
    return f"{pages[0].as_posix()}/index.html"
