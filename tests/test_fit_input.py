"""Options of ``python -m algoattr.fit``: 0 and negatives refused, given values honoured."""

from __future__ import annotations

import pytest

from algoattr import fit

PROG = "python -m algoattr.fit: error: "


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("ALGOATTR_DEBUG", raising=False)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--draws", "0"], "argument --draws: must be a positive integer, got 0"),
        (["--draws", "-5"], "argument --draws: must be a positive integer, got -5"),
        (["--chains", "0"], "argument --chains: must be a positive integer, got 0"),
        (["--tune", "0"], "argument --tune: must be a positive integer, got 0"),
        (["--seed", "-1"], "argument --seed: must be a non-negative integer, got -1"),
        (["--target-accept", "1.5"], "argument --target-accept: must lie strictly between 0"),
        (["--bootstrap", "0"], "argument --bootstrap: must be a positive integer, got 0"),
        (["--max-per-paper", "-2"], "argument --max-per-paper: must be a non-negative integer"),
        (["--max-evaluation-lag", "nan"], "argument --max-evaluation-lag: must be a finite"),
    ],
)
def test_out_of_range_options_exit_2(capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        fit.main(["--benchmark", "ptb", *argv])
    assert info.value.code == 2
    assert f"{PROG}{message}" in capsys.readouterr().err


def test_given_values_are_honoured_not_replaced_by_defaults(monkeypatch, capsys):
    seen = {}

    def run_fit(benchmark, *, settings, **kwargs):
        seen["settings"] = settings
        raise fit.UsageError("stop here")

    monkeypatch.setattr("algoattr.cli.fit.run_fit", run_fit)
    argv = ["--benchmark", "ptb", "--draws", "7", "--tune", "3", "--chains", "1"]
    assert fit.main([*argv, "--target-accept", "0.5", "--seed", "0"]) == 2
    s = seen["settings"]
    assert (s.draws, s.tune, s.chains, s.seed, s.target_accept) == (7, 3, 1, 0, 0.5)
    assert capsys.readouterr().err == f"{PROG}stop here\n"


def test_data_that_do_not_validate_exit_1_with_one_line_per_issue(monkeypatch, capsys):
    from algoattr.data.schema import DataValidationError, ValidationIssue

    issue = ValidationIssue("lm/ptb.csv", 4, "value", "0.5", "ppl_gt_1", "perplexity must be > 1")

    def run_fit(*args, **kwargs):
        raise DataValidationError([issue])

    monkeypatch.setattr("algoattr.cli.fit.run_fit", run_fit)
    assert fit.main(["--benchmark", "ptb"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{PROG}1 data validation error(s):"
    assert err[1] == f"  {issue}"


def test_ctrl_c_during_sampling_is_one_line_and_130(monkeypatch, capsys):
    def run_fit(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("algoattr.cli.fit.run_fit", run_fit)
    assert fit.main(["--benchmark", "ptb"]) == 130
    assert capsys.readouterr().err == "python -m algoattr.fit: interrupted\n"
