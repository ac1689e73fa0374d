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


def test_priors_file_and_mass_matrix_reach_the_fit(monkeypatch, tmp_path, capsys):
    seen = {}

    def run_fit(benchmark, *, settings, priors=None, **kwargs):
        seen.update(settings=settings, priors=priors)
        raise fit.UsageError("stop here")

    monkeypatch.setattr("algoattr.cli.fit.run_fit", run_fit)
    path = tmp_path / "priors.yaml"
    path.write_text("alpha_year: {dist: Normal, mu: 0.0, sigma: 0.05}\n", encoding="utf-8")
    argv = ["--benchmark", "ptb", "--priors", str(path), "--mass-matrix", "low_rank"]
    assert fit.main(argv) == 2
    assert seen["priors"] == {"alpha_year": {"dist": "Normal", "mu": 0.0, "sigma": 0.05}}
    assert seen["settings"].mass_matrix == "low_rank"
    capsys.readouterr()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "--priors: cannot read"),
        ("[1, 2]\n", "must map variable names to prior specifications"),
        ("alpha_year: 0.1\n", "entry 'alpha_year' needs a mapping with a 'dist'"),
        ("alpha_year: {dist: [\n", "is not YAML or JSON"),
    ],
)
def test_bad_priors_file_is_one_line_and_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "priors.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert fit.main(["--benchmark", "ptb", "--priors", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(PROG) and message in err and err.count("\n") == 1


def test_low_rank_needs_nutpie(capsys):
    assert fit.main(["--benchmark", "ptb", "--sampler", "pymc", "--mass-matrix", "low_rank"]) == 2
    assert "--mass-matrix low_rank needs --sampler nutpie" in capsys.readouterr().err


def test_custom_fits_never_write_over_committed_reports():
    from algoattr.model.sampling import SamplerSettings
    from algoattr.pipeline.fits import default_out_dir, fast_or_full

    full = fast_or_full(False)
    assert default_out_dir(full, False) == "reports"
    assert default_out_dir(full, False, custom=True) == "reports/custom"
    low_rank = SamplerSettings(**{**full.to_dict(), "mass_matrix": "low_rank"})
    assert default_out_dir(low_rank, False) == "reports/custom"
    assert default_out_dir(low_rank, True) == "reports/fast"
