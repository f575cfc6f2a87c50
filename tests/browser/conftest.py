"""Shared fixtures for the browser tests: build the example site once, serve it, drive Chromium.

The tests need Debian's Chromium (Playwright drives /usr/bin/chromium; no browser is downloaded), a Java
runtime and the Nu Html Checker's vnu.jar (`npm ci --prefix tests/browser --ignore-scripts`). When one of
them is missing they skip with the reason, except when the environment variable CI is set: there they fail,
so CI can never pass by silently skipping them.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import (
    CHROMIUM_ARGS,
    HOST,
    ROOT,
    PageLog,
    chromium_path,
    is_local,
    require,
)

# --- the built site ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example company in data/, built once per session with `ddgen build . -o <tmp>`.

    DDGEN_TEST_SITE=<folder> tests an already built site instead (to look into one build by hand).
    """
    prebuilt = os.environ.get("DDGEN_TEST_SITE")
    if prebuilt:
        return Path(prebuilt).resolve()
    out = tmp_path_factory.mktemp("site") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "ddgen", "build", str(ROOT), "-o", str(out)],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"`ddgen build . -o {out}` exited {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}",
            pytrace=False,
        )
    if not (out / "index.html").is_file():
        pytest.fail(f"`ddgen build` wrote no index.html into {out}", pytrace=False)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 at a free port, from a thread."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    require(path, "Chromium not found: install Debian's `chromium` (/usr/bin/chromium) or set DDGEN_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extras bring it
        require(False, "Playwright for Python not installed: pip install -e '.[test]'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def page_and_log(browser: object, site_url: str) -> Iterator[tuple[object, PageLog]]:
    """A fresh page in its own context; every request that would leave 127.0.0.1 is recorded and blocked."""
    log = PageLog()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")  # type: ignore[attr-defined]

    def route(route: object) -> None:  # the "request" listener below records the URL
        if is_local(route.request.url):  # type: ignore[attr-defined]
            route.continue_()  # type: ignore[attr-defined]
        else:
            route.abort()  # type: ignore[attr-defined]

    def request(req: object) -> None:
        log.requests.append(req.url)  # type: ignore[attr-defined]
        if not is_local(req.url):  # type: ignore[attr-defined]
            log.external_requests.append(req.url)  # type: ignore[attr-defined]

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda msg: log.console_errors.append(f"{msg.text} ({msg.location.get('url', '')})")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on("request", request)
    page.on("requestfailed", lambda req: log.failed_requests.append(
        f"{req.url} ({req.failure})") if is_local(req.url) else None)
    page.on("response", lambda resp: log.failed_requests.append(f"{resp.url} (HTTP {resp.status})")
            if resp.status >= 400 else None)
    try:
        yield page, log
    finally:
        context.close()


@pytest.fixture()
def page(page_and_log: tuple[object, PageLog]) -> object:
    return page_and_log[0]


@pytest.fixture()
def page_log(page_and_log: tuple[object, PageLog]) -> PageLog:
    return page_and_log[1]
