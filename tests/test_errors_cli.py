"""The shared error hierarchy and the one error path of every command line."""

from __future__ import annotations

import argparse

import pytest

from algoattr import cli
from algoattr.errors import AlgoattrError, DataError, MissingFitError, UsageError


def test_exit_codes_of_the_hierarchy():
    assert UsageError("x").exit_code == 2
    assert DataError("x").exit_code == 1
    assert MissingFitError("x").exit_code == 1
    assert issubclass(UsageError, AlgoattrError)
    assert issubclass(DataError, AlgoattrError)
    assert issubclass(DataError, ValueError)  # callers that catch ValueError still do


def _main_raising(exc: BaseException):
    @cli.command("python -m algoattr.demo")
    def main(argv=None) -> int:
        raise exc

    return main


@pytest.mark.parametrize(
    ("exc", "code", "text"),
    [
        (UsageError("unknown benchmark 'mnist'"), 2, "unknown benchmark 'mnist'"),
        (DataError("x.yaml: line 3: not YAML"), 1, "x.yaml: line 3: not YAML"),
        (FileNotFoundError(2, "No such file or directory", "a/b.csv"), 1, "a/b.csv: no such file"),
        (IsADirectoryError(21, "Is a directory", "reports"), 1, "reports: is a directory"),
        (PermissionError(13, "Permission denied", "out.csv"), 1, "out.csv: permission denied"),
        (ValueError("threshold must be finite"), 1, "threshold must be finite"),
    ],
)
def test_errors_print_one_line_without_traceback(capsys, monkeypatch, exc, code, text):
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    assert _main_raising(exc)([]) == code
    err = capsys.readouterr().err
    assert err.startswith("python -m algoattr.demo: error: ")
    assert text in err
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_keyboard_interrupt_is_one_line_and_130(capsys, monkeypatch):
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    assert _main_raising(KeyboardInterrupt())([]) == 130
    err = capsys.readouterr().err
    assert err == "python -m algoattr.demo: interrupted\n"


def test_debug_flag_and_environment_show_the_traceback(monkeypatch):
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    with pytest.raises(UsageError):
        _main_raising(UsageError("boom"))(["--debug"])
    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    with pytest.raises(DataError):
        _main_raising(DataError("boom"))([])


def test_bugs_are_not_hidden(monkeypatch):
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    with pytest.raises(TypeError):
        _main_raising(TypeError("a bug"))([])


def test_multi_line_messages_indent_the_rest(capsys, monkeypatch):
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    _main_raising(DataError("2 errors:\na.csv:3: bad\na.csv:4: bad"))([])
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "python -m algoattr.demo: error: 2 errors:"
    assert lines[1:] == ["  a.csv:3: bad", "  a.csv:4: bad"]


def test_return_value_and_system_exit_pass_through():
    @cli.command("python -m algoattr.demo")
    def ok(argv=None) -> int:
        return 0

    @cli.command("python -m algoattr.demo")
    def exits(argv=None) -> int:
        raise SystemExit(2)

    assert ok([]) == 0
    with pytest.raises(SystemExit):
        exits([])


@pytest.mark.parametrize(
    ("kind", "text", "ok"),
    [
        (cli.positive_int, "3", 3),
        (cli.nonnegative_int, "0", 0),
        (cli.probability, "0.8", 0.8),
        (cli.finite_float, "-2.5", -2.5),
        (cli.positive_float, "1e-3", 1e-3),
    ],
)
def test_argument_types_accept(kind, text, ok):
    assert kind(text) == ok


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (cli.positive_int, "0", "must be a positive integer, got 0"),
        (cli.positive_int, "-5", "must be a positive integer, got -5"),
        (cli.positive_int, "2.5", "must be a positive integer, got '2.5'"),
        (cli.nonnegative_int, "-1", "must be a non-negative integer, got -1"),
        (cli.probability, "2", "must lie strictly between 0 and 1, got 2"),
        (cli.probability, "0", "must lie strictly between 0 and 1, got 0"),
        (cli.probability, "nan", "must lie strictly between 0 and 1, got nan"),
        (cli.finite_float, "nan", "must be a finite number, got nan"),
        (cli.finite_float, "inf", "must be a finite number, got inf"),
        (cli.finite_float, "abc", "must be a number, got 'abc'"),
        (cli.positive_float, "0", "must be a positive number, got 0"),
    ],
)
def test_argument_types_refuse(kind, text, message):
    with pytest.raises(argparse.ArgumentTypeError, match=message):
        kind(text)


def test_argparse_reports_the_option(capsys):
    p = argparse.ArgumentParser(prog="python -m algoattr.demo")
    p.add_argument("--draws", type=cli.positive_int)
    with pytest.raises(SystemExit) as info:
        p.parse_args(["--draws", "0"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    expected = "error: argument --draws: must be a positive integer, got 0"
    assert f"python -m algoattr.demo: {expected}" in err


def test_add_debug_argument():
    p = argparse.ArgumentParser()
    cli.add_debug_argument(p)
    assert p.parse_args(["--debug"]).debug is True
    assert p.parse_args([]).debug is False
