"""CI runs exactly the test command the README gives; no browser needed (runs in every plain `pytest`)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BEGIN, END = "<!-- tests:begin -->", "<!-- tests:end -->"


def readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(BEGIN) == 1 and readme.count(END) == 1, f"README.md needs one {BEGIN} … {END} block"
    block = readme.split(BEGIN, 1)[1].split(END, 1)[0]
    assert block.lstrip().startswith("## Run the tests"), "the tests block starts with the heading '## Run the tests'"
    commands = re.findall(r"```bash\n(.*?)\n```", block, flags=re.DOTALL)
    assert commands, "the tests block has no ```bash block"
    command = commands[0].strip()
    assert "\n" not in command, f"the test command is one line: {command!r}"
    return command


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = readme_test_command()
    script_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert command in script_lines, f".ci/run does not run the README's test command as a line of its own:\n{command}"


def test_the_test_command_runs_the_whole_suite_with_the_test_extras() -> None:
    command = readme_test_command()
    assert "'.[test]'" in command, "the command installs the package with its test extras"
    assert "npm ci --prefix tests/browser" in command, "the command installs vnu.jar from tests/browser's lockfile"
    assert command.endswith("-m pytest"), "the command ends with a plain pytest over the whole suite"


def test_ci_script_is_strict_bash() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    for package in ("chromium", "default-jre-headless"):
        assert package in script, f".ci/run installs {package}"
