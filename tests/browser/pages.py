"""One page of every page type that `ddgen build` generates, found in the built site by a path pattern.

Paths follow ddgen/render.py's PAGES (with use_directory_urls). Some pages serve two roles: the step 2
page (value chain) holds the supplier-country map and table, and the step 6 page holds the grievance
statistics.
"""

from __future__ import annotations

from pathlib import Path

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
    "hand-written-page": "about/index.html",
    "not-found": "404.html",
}


def page_path(site_dir: Path, name: str) -> str:
    """The URL path (relative to the site root) of one page of type `name`; fails the test if none."""
    matches = sorted(site_dir.glob(PAGE_TYPES[name]))
    assert matches, f"the built site has no {name} page (looked for {PAGE_TYPES[name]} in {site_dir})"
    rel = matches[0].relative_to(site_dir).as_posix()
    return rel.removesuffix("index.html")
