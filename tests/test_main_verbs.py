"""``python -m algoattr VERB``: one entry point for every command."""

from __future__ import annotations

import pytest

from algoattr.__main__ import main


def test_help_lists_the_verbs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for verb in ("fit", "attribute", "threshold", "montecarlo", "report", "data", "diff"):
        assert f"  {verb} " in out


def test_unknown_verb_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fitt"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown verb 'fitt'" in err[0]


def test_verb_dispatches_to_the_module(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "validate"]) == 0
    assert "rows valid" in capsys.readouterr().out
