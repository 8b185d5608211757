"""Every command's --help: each positional argument says what it is, each option says
what it does, and an option with a default (other than None or False) shows it."""

from __future__ import annotations

import argparse

import pytest

from align.cli import build_parser, main


def parsers(parser: argparse.ArgumentParser, name: str = "arabic-align"):
    """(name, parser) of the program and of every command and subcommand, depth first."""
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command, child in action.choices.items():
                yield from parsers(child, f"{name} {command}")


ALL = list(parsers(build_parser()))
NAMES = [name for name, _ in ALL]


def rendered(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    """The action's entry in its parser's --help, on one line."""
    formatter = parser._get_formatter()
    formatter.start_section("options")
    formatter.add_argument(action)
    formatter.end_section()
    return " ".join(formatter.format_help().split())


def test_every_command_is_walked():
    commands = {name.split(" ", 1)[1] for name in NAMES if " " in name}
    assert {"segment", "run", "links", "eval-links", "score", "compare", "report", "review",
            "check", "batch", "models", "models fixture"} <= commands  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_help_describes_every_argument_and_shows_defaults(name):
    parser = dict(ALL)[name]
    assert parser.description, f"{name} has no description"
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._VersionAction):
            continue
        if action.help == argparse.SUPPRESS:
            continue
        label = "/".join(action.option_strings) or action.metavar or action.dest
        assert action.help and action.help.strip(), f"{name}: {label} has no help text"
        entry = rendered(parser, action)
        default = action.default
        if action.option_strings and not (default is None or default is False):
            assert f"(default: {default})" in entry, f"{name}: {label} hides its default"
        assert "(default: None)" not in entry and "(default: False)" not in entry
    text = parser.format_help()  # the whole page renders (no stray % in a help string)
    assert "(default: None)" not in text and "(default: False)" not in text


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["run"], ["(default: 4)", "(default: Helsinki-NLP/opus-mt-ar-en)",
                   "(default: hybrid)", "(default: auto)", "(default: 1024)"]),
        (["batch"], ["(default: 4)", "(default: hybrid)", "(default: auto)", "(default: local)",
                     "NAME.en.txt", "INPUT"]),
        (["links"], ["(default: grow-diag-final-and)", "(default: hybrid)"]),
        (["report"], ["RUN_DIR"]),
        (["models", "fixture"], ["DIR", "(default: tiny)", "(default: 0)"]),
    ],
)  # fmt: skip
def test_help_output(command, shown, capsys):
    assert main([*command, "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for text in shown:
        assert text in out
    assert "(default: None)" not in out and "(default: False)" not in out


def test_version_is_the_installed_distributions(capsys):
    from importlib import metadata

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"arabic-align {metadata.version('arabic-align')}"
