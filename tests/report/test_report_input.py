"""Bad options of ``python -m algoattr.report`` and fits missing on a fresh clone."""

from __future__ import annotations

import os

import pytest

import algoattr.cli.report as cli
from algoattr.errors import MissingFitError

PROG = "python -m algoattr.report: error: "


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("ALGOATTR_DEBUG", raising=False)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--mc-draws", "0"], "argument --mc-draws: must be a positive integer, got 0"),
        (["--attribution-draws", "-1"], "argument --attribution-draws: must be a positive"),
        (["--seed", "-3"], "argument --seed: must be a non-negative integer, got -3"),
    ],
)
def test_bad_numbers_exit_2(capsys, argv, message):
    assert cli.main(["--index", *argv]) == 2
    assert f"{PROG}{message}" in capsys.readouterr().err


def test_out_that_is_a_file(tmp_path, capsys):
    target = tmp_path / "reports"
    target.write_text("")
    assert cli.main(["--index", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"{PROG}{target}: not a folder (give an output folder)\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_out_that_is_read_only(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert cli.main(["--index", "--out", str(ro)]) == 2
    finally:
        ro.chmod(0o755)
    assert "not writable" in capsys.readouterr().err


def test_nothing_to_do(capsys):
    assert cli.main([]) == 2
    assert capsys.readouterr().err.startswith(f"{PROG}nothing to do")


def test_a_summary_without_posterior_is_fitted_anew(tmp_path, monkeypatch, capsys):
    """On a fresh clone reports/ holds summaries but no posteriors: fit, and say so."""
    (tmp_path / "ptb_summary.json").write_text("{}")

    def loader(**kwargs):
        raise MissingFitError("ptb_summary.json: the saved fit lacks ptb_posterior.nc")

    saved = []

    class Fit:
        def __init__(self):
            self.extras = {}

        def save(self, out, stem):
            saved.append((out, stem))

    import algoattr.pipeline.fits

    monkeypatch.setattr(algoattr.pipeline.fits, "run_fit", lambda *a, **k: Fit())
    fit = cli.obtain_fit("ptb", tmp_path, loader=loader)
    assert isinstance(fit, Fit)
    assert saved == [(tmp_path, "ptb")]
    assert "the saved fit is incomplete; fitting ptb now" in capsys.readouterr().out
