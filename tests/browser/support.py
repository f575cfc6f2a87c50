"""Helpers for the browser tests: tool discovery, skip-or-fail, the page log and screenshots."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"

# Flags from site-generator-notes.md: without the networking ones Chromium keeps trying to reach the
# internet, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

VNU_JAR_DEFAULT = Path(__file__).parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(ok: object, reason: str) -> None:
    """Skip the test when a tool is missing locally; fail when CI is set, so CI never skips silently."""
    if ok:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    path = os.environ.get("DDGEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).is_file() else None


def vnu_jar_path() -> Path | None:
    path = Path(os.environ.get("DDGEN_VNU_JAR") or VNU_JAR_DEFAULT)
    return path if path.is_file() else None


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions, failed and off-site requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"uncaught exception: {m}" for m in self.page_errors]
            + [f"failed request: {m}" for m in self.failed_requests]
            + [f"request off 127.0.0.1: {m}" for m in self.external_requests]
        )


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True  # no network involved
    return parts.hostname == HOST


def screenshot(page: object, name: str, full_page: bool = True) -> None:
    """Save a screenshot into $DDGEN_SCREENSHOTS, when set: for people to look at, not asserted."""
    folder = os.environ.get("DDGEN_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)  # type: ignore[attr-defined]
