"""The README as a newcomer meets it: short, what the tool does first, links that lead
somewhere, a quick start whose commands run as written, and a picture the suite can make."""

from __future__ import annotations

import os
import re
import shlex
import struct
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(section: str, lang: str, starting: str = "") -> str:
    """The first ``lang`` block of ``section`` whose text starts with ``starting``."""
    text = README[README.index(section) :]
    opening = f"```{lang}\n{starting}"
    start = text.index(opening) + len(f"```{lang}\n")
    return text[start : text.index("\n```", start)]


def test_the_readme_is_short_and_says_first_what_the_tool_does():
    lines = README.splitlines()
    assert len(lines) <= 200
    first = next(x for x in lines[1:] if x.strip())
    assert first.startswith("Translate an Arabic news article")
    # The sections a newcomer needs, in this order.
    order = ["## Install", "## Quick start", "## The run directory", "## Report and review",
             "## Many articles", "## Python API", "## More"]  # fmt: skip
    assert [README.index(h) for h in order] == sorted(README.index(h) for h in order)


def test_every_link_of_the_readme_and_docs_leads_to_a_file():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#]+?)(?:#[^)]*)?\)", text):
            if target.startswith(("http://", "https://")):
                continue
            assert (page.parent / target).exists(), f"{page.name} links to {target}"


def test_the_quick_start_runs_as_written(tmp_path):
    """Each command of the quick start, in a fresh folder that sees the checkout's corpus."""
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    commands = [x for x in _block("## Quick start", "sh", "arabic-align").splitlines() if x.strip()]
    assert len(commands) >= 5
    said = {}
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "arabic-align"
        done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}: {done.stderr[-500:]}"
        said[command] = done.stderr
    for made in ("runs/quick/report.html", "runs/quick/export/review.pharaoh",
                 "runs/quick/export/review.src.tok.txt", "runs/human/report.html"):  # fmt: skip
        assert (tmp_path / made).is_file(), made
    # A run with the fixture model says so; the run of a given translation loads no model.
    runs = [c for c in commands if c.startswith("arabic-align run")]
    assert "gibberish" in said[runs[0]] and "gibberish" not in said[runs[1]]


def test_the_readme_picture_is_made_from_a_run(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from screenshot_report import WINDOW, screenshot
    finally:
        sys.path.pop(0)
    png = screenshot(tmp_path / "report.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == WINDOW[0] and 500 < height <= WINDOW[1]  # the viewport of that window
    assert (ROOT / "docs" / "report.png").is_file()


def _parsers(parser, name="arabic-align"):
    import argparse

    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, subparser in action.choices.items():
                yield from _parsers(subparser, f"{name} {sub}")


def test_every_option_is_in_the_commands_page():
    import argparse

    from align.cli import build_parser

    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = []
    for name, parser in _parsers(build_parser()):
        for action in parser._actions:
            if action.help == argparse.SUPPRESS or isinstance(action, argparse._HelpAction):
                continue
            for option in action.option_strings:
                if option.startswith("--") and not re.search(re.escape(option) + r"\b", page):
                    missing.append(f"{name} {option}")
    assert not missing, f"options not in docs/cli.md: {missing}"
