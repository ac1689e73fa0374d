"""Every option of every verb's command line says what it does (``help=``)."""

from __future__ import annotations

import argparse

import pytest

from algoattr.__main__ import VERBS, verb_module


def undocumented(parser: argparse.ArgumentParser, prog: str) -> list[str]:
    """The options, positionals and subcommands of ``parser`` (and its subparsers) without help."""
    missing: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if isinstance(action, argparse._SubParsersAction):
            helped = {c.dest for c in action._choices_actions if c.help}
            missing += [f"{prog} {name}" for name in action.choices if name not in helped]
            for name, sub in action.choices.items():
                missing += undocumented(sub, f"{prog} {name}")
            continue
        if not action.help:
            missing.append(f"{prog} {'/'.join(action.option_strings) or action.dest}")
    return missing


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_option_has_help(verb: str) -> None:
    module = VERBS[verb][0]
    target = verb_module(verb)
    assert hasattr(target, "build_parser"), f"{target.__name__} has no build_parser()"
    missing = undocumented(target.build_parser(), f"python -m {module}")
    assert missing == [], "options without help=: " + ", ".join(missing)


def test_the_checker_finds_an_option_without_help() -> None:
    p = argparse.ArgumentParser(prog="p")
    p.add_argument("--documented", help="says what it does")
    p.add_argument("--bare")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="run it").add_argument("path")
    sub.add_parser("quiet")
    assert undocumented(p, "p") == ["p --bare", "p quiet", "p run path"]
