"""The fit command line: errors, outputs and summary (mocked sampling; real shipped data)."""

from __future__ import annotations

import json

import pytest

from algoattr import fit


def test_unknown_benchmark_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        fit.main(["--benchmark", "mnist"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_run_fit_unknown_alias_raises_usage_error():
    with pytest.raises(fit.UsageError, match="wikitext-103"):
        fit.run_fit("mnist", fast=True)


def test_empty_selection_exits_2(tmp_path, capsys):
    """A benchmark whose rows all lack N is refused with every reason counted."""
    import shutil

    from algoattr.data import DATASETS_DIR

    root = tmp_path / "datasets"
    shutil.copytree(DATASETS_DIR, root)
    path = root / "lm" / "ptb.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    i = header.index("parameters")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text())))
    for r in rows[1:]:
        r[i] = ""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue())
    from algoattr.errors import DataError

    with pytest.raises(DataError, match="every row of 'ptb' was excluded"):
        fit.run_fit("ptb", fast=True, data_root=root)


def test_mixed_tasks_rejected():
    from algoattr.data import load_benchmarks

    with pytest.raises(fit.UsageError, match="mix tasks"):
        fit.task_of(["ptb", "imagenet"], load_benchmarks())


def test_cli_writes_outputs_and_prints_exclusions(mock_pymc_sample, tmp_path, capsys):
    code = fit.main(
        [
            "--benchmark",
            "ptb",
            "--fast",
            "--sampler",
            "pymc",
            "--draws",
            "30",
            "--quiet",
            "--no-report",
            "--out",
            str(tmp_path),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "rows used:" in out and "rows excluded:" in out
    assert "missing parameters (N)" in out  # every exclusion is listed with its reason
    assert "doubling time of effective compute" in out
    summary = json.loads((tmp_path / "ptb_summary.json").read_text())
    assert summary["settings"]["sampler"] == "pymc"
    assert summary["n_rows"] > 20
    assert summary["extras"]["dataset_checksum"]
    assert (tmp_path / "ptb_posterior.nc").stat().st_size > 0
    excluded = (tmp_path / "ptb_excluded.csv").read_text().splitlines()
    assert len(excluded) - 1 == summary["n_excluded"]


def test_strict_exits_1_when_diagnostics_fail(mock_pymc_sample, tmp_path, capsys):
    # Mocked "posterior" draws are identical across chains: R-hat and ESS checks fail.
    code = fit.main(
        [
            "--benchmark",
            "ptb",
            "--fast",
            "--sampler",
            "pymc",
            "--draws",
            "20",
            "--quiet",
            "--no-report",
            "--strict",
            "--out",
            str(tmp_path),
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "WARNING" in captured.out + captured.err
    summary = json.loads((tmp_path / "ptb_summary.json").read_text())
    assert summary["diagnostics"]["ok"] is False
    assert summary["diagnostics"]["warnings"]


def test_load_or_fit_reuses_saved_fit(mock_pymc_sample, tmp_path):
    fit.main(
        [
            "--benchmark",
            "ptb",
            "--fast",
            "--sampler",
            "pymc",
            "--draws",
            "20",
            "--quiet",
            "--no-report",
            "--out",
            str(tmp_path),
        ]
    )
    loaded = fit.load_or_fit(benchmark="ptb", out_dir=tmp_path)
    assert loaded.benchmarks == ["ptb"]
    assert set(loaded.draws_for("ptb")) >= {"a", "alpha_param"}
    with pytest.raises(fit.UsageError, match="no saved fit"):
        fit.load_or_fit(tmp_path / "missing.json", benchmark="ptb")


def test_quick_fits_never_write_over_committed_reports() -> None:
    from algoattr.fit import default_out_dir, fast_or_full
    from algoattr.model.sampling import SamplerSettings

    full = fast_or_full(False)
    assert default_out_dir(full, fast=False) == "reports"
    assert default_out_dir(fast_or_full(True), fast=True) == "reports/fast"
    fewer = SamplerSettings(sampler="nutpie", draws=100, tune=full.tune, chains=full.chains)
    assert default_out_dir(fewer, fast=False) == "reports/fast"


def test_load_or_fit_refits_when_the_posterior_is_missing(tmp_path, monkeypatch) -> None:
    """A fresh clone has summaries but not posteriors: load_or_fit fits anew, saying so."""
    from algoattr import fit
    from algoattr.errors import MissingFitError

    (tmp_path / "ptb_summary.json").write_text("{}")
    calls = []

    def fake_load(path):
        raise MissingFitError(f"{path}: posterior missing")

    class Saved:
        def save(self, out_dir, stem):
            calls.append(("save", stem))

    monkeypatch.setattr(fit.FitResult, "load", staticmethod(fake_load))
    import algoattr.pipeline.fits

    monkeypatch.setattr(
        algoattr.pipeline.fits, "run_fit", lambda *a, **k: calls.append(("fit", a[0])) or Saved()
    )
    fit.load_or_fit(benchmark="ptb", out_dir=tmp_path, fast=True)
    assert calls == [("fit", "ptb"), ("save", "ptb")]


def test_run_fit_takes_priors_records_them_and_the_prior_draws_follow(mock_pymc_sample, tmp_path):
    import arviz as az

    from algoattr.model.priors import LM_PRIORS
    from algoattr.model.sampling import SamplerSettings
    from algoattr.plots import prior_draws

    override = {"alpha_year": {"dist": "Normal", "mu": 0.0, "sigma": 0.01}}
    settings = SamplerSettings(sampler="pymc", draws=20, tune=10, chains=1)
    result = fit.run_fit(
        "ptb", settings=settings, fast=True, progressbar=False, sensitivity="none", priors=override
    )
    assert result.extras["prior_overrides"] == override
    assert result.extras["priors"]["alpha_year"]["sigma"] == 0.01
    assert result.extras["priors"]["alpha_year"]["reason"] == "user override"
    assert result.extras["priors"]["beta_year"] == LM_PRIORS["beta_year"]
    # the prior draws come from the fit's own model: the override, not the default
    draws = prior_draws(result, n=4000, seed=0)
    assert abs(float(draws["alpha_year"].std()) - 0.01) < 0.001
    paths = result.save(tmp_path, "ptb")
    attrs = az.from_netcdf(str(paths["posterior"])).attrs
    assert json.loads(attrs["priors"])["alpha_year"]["sigma"] == 0.01
    loaded = fit.FitResult.load(paths["summary_json"])
    assert abs(float(prior_draws(loaded, n=4000, seed=0)["alpha_year"].std()) - 0.01) < 0.001
    with pytest.raises(fit.UsageError, match="unknown prior 'alpha_yaer'"):
        fit.run_fit("ptb", settings=settings, fast=True, priors={"alpha_yaer": {"dist": "Normal"}})
