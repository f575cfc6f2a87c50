"""Every generated HTML file passes the Nu Html Checker (vnu.jar), run once over the whole built site."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest

from .support import require, vnu_jar_path

pytestmark = pytest.mark.browser


def where(message: dict, site_dir: Path) -> str:
    """FILE:LINE:COLUMN of a vnu message, FILE relative to the site folder."""
    path = Path(url2pathname(urlsplit(message.get("url", "")).path))
    try:
        shown = path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    return f"{shown}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"


def test_every_html_file_passes_the_nu_html_checker(site_dir: Path) -> None:
    java = shutil.which("java")
    require(java, "Java not found: the Nu Html Checker needs a Java runtime (Debian: default-jre-headless)")
    jar = vnu_jar_path()
    require(jar, "vnu.jar not found: run `npm ci --prefix tests/browser --ignore-scripts` or set DDGEN_VNU_JAR")
    pages = sorted(site_dir.rglob("*.html"))
    assert pages, f"no HTML files in {site_dir}"

    # One JVM for the whole folder: vnu is slow to start. JSON goes to stderr.
    proc = subprocess.run(
        [str(java), "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json", str(site_dir)],
        check=False, capture_output=True, text=True, timeout=600,
    )
    try:
        messages = json.loads(proc.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu exited {proc.returncode} without a JSON report:\n{proc.stdout}\n{proc.stderr}", pytrace=False)

    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    report = "\n".join(f"{where(m, site_dir)}: {m.get('message')}" for m in errors)
    if errors:
        pytest.fail(f"the Nu Html Checker found {len(errors)} error(s) in {len(pages)} HTML files:\n{report}", pytrace=False)
    assert proc.returncode == 0, f"vnu exited {proc.returncode}:\n{proc.stderr}"
