"""Tests of the out-of-time backtest (:mod:`algoattr.backtest`): simulated rows, known truth,
stand-in or mocked samplers; no MCMC."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from algoattr import backtest, baselines, law
from algoattr.errors import UsageError
from algoattr.model.design import IMAGENET_TASK, LM_TASK, RULE_SETS
from algoattr.model.results import FitResult
from algoattr.model.sampling import Diagnostics, SamplerSettings

#: Truth of the simulated LM rows (law.lm_log_perplexity's names).
TRUTH = {
    "a": 0.9,
    "alpha_year": 0.004,
    "alpha_param": 0.07,
    "b": 0.8,
    "beta_year": 0.035,
    "beta_data": 0.04,
}
SIGMA = 0.05
REF = law.LMReference(year0=2017.0, n0=1e8, d0=1e8)
RULES = backtest.resolve_rules(RULE_SETS["default"], LM_TASK, False)


def simulate_lm(n: int = 120, seed: int = 0, benchmark: str = "wikitext-103") -> pd.DataFrame:
    """Rows drawn from the LM law at :data:`TRUTH` with Normal(0, SIGMA) residuals."""
    rng = np.random.default_rng(seed)
    days = rng.integers(0, int(365.25 * 10), n)
    pub = pd.Timestamp("2012-01-01") + pd.to_timedelta(days, unit="D")
    year = law_year(pub)
    params = np.exp(rng.uniform(15.0, 20.0, n) + 0.3 * (year - 2012))
    tokens = np.exp(rng.uniform(16.0, 21.0, n))
    mean = law.lm_log_perplexity(year, params, tokens, ref=REF, **TRUTH)
    ev = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    late = rng.random(n) < 0.15  # some figures first published a year after their method
    ev[late] = pub[late] + pd.Timedelta(days=400)
    return pd.DataFrame(
        {
            "model": [f"m{i}" for i in range(n)],
            "paper_id": [f"p{i}" for i in range(n)],
            "benchmark": benchmark,
            "value": np.exp(mean + rng.normal(0.0, SIGMA, n)),
            "publication_date": pub,
            "evaluation_date": ev,
            "year": year,
            "parameters": params,
            "training_tokens": tokens,
            "architecture_class": "transformer",
        }
    )


def law_year(dates: pd.DatetimeIndex) -> np.ndarray:
    from algoattr.dates import decimal_year

    return np.asarray(decimal_year(pd.Series(dates)), float)


def constant_fit(
    rows: pd.DataFrame,
    params: dict[str, float],
    sigma: float,
    n_draws: int = 4000,
    ref: law.LMReference = REF,
) -> FitResult:
    """A FitResult whose posterior is the point ``params`` (every draw equal) and ``sigma``."""
    import arviz as az

    post = {k: np.full((1, n_draws), v) for k, v in params.items() if k not in ("a", "b")}
    bench = sorted(rows["benchmark"].unique())
    for k in ("a", "b"):  # the same constants on every benchmark
        post[k] = np.full((1, n_draws, len(bench)), params[k])
    post["sigma"] = np.full((1, n_draws), sigma)
    post["rate"] = np.full(
        (1, n_draws),
        law.lm_effective_compute_rate(
            params["alpha_year"], params["alpha_param"], params["beta_year"], params["beta_data"]
        ),
    )
    idata = az.from_dict(
        posterior=post, coords={"benchmark": bench}, dims={"a": ["benchmark"], "b": ["benchmark"]}
    )
    return FitResult(
        task=LM_TASK,
        benchmarks=bench,
        variant="both",
        idata=idata,
        data=rows,
        excluded=rows.iloc[:0],
        reference=ref,
        settings=SamplerSettings(),
        diagnostics=Diagnostics(0, {}, {}, {}),
    )


# ----------------------------------------------------------------------------- splitting


@pytest.mark.parametrize("cutoff", [2013, 2015, 2017, 2019, 2021])
def test_split_at_partitions_rows_by_when_they_were_public(cutoff):
    rows = simulate_lm()
    before, after = backtest.split_at(rows, cutoff)
    assert len(before) + len(after) == len(rows)
    assert set(before.index).isdisjoint(after.index)
    assert (before["publication_date"].dt.year <= cutoff).all()
    ev = before["evaluation_date"].dropna()
    assert (ev.dt.year <= cutoff).all()  # a figure published later is not in the fit
    late = after["evaluation_date"].dt.year.fillna(0)
    assert ((after["publication_date"].dt.year > cutoff) | (late > cutoff)).all()


def test_fit_never_sees_a_row_after_the_cutoff():
    rows = simulate_lm()
    seen: dict[int, pd.DataFrame] = {}

    def spy(train, excluded, task, benchmarks, settings, likelihood, variant="both"):
        cutoff = next(t for t in (2016, 2018) if backtest.cutoff_seed(0, t) == settings.seed)
        seen[cutoff] = train
        return constant_fit(train, TRUTH, SIGMA, n_draws=200)

    result = backtest.run_backtest(
        rows, LM_TASK, ["wikitext-103"], [2016, 2018], n_boot=5, fitter=spy
    )
    for t, train in seen.items():
        assert (backtest.available_year(train) <= t).all()
        assert (train["year"] < t + 1).all()
        preds = result.predictions[result.predictions["cutoff"] == t]
        held = rows[rows["model"].isin(preds["model"])]
        assert (backtest.available_year(held) > t).all()
        assert set(held["model"]).isdisjoint(train["model"])
    assert sorted(seen) == [2016, 2018]


def test_selection_rules_see_only_rows_public_by_the_cutoff():
    """The best-3-per-paper rule ranks a paper's rows among those public at T alone."""
    rows = simulate_lm(n=40)
    rows["paper_id"] = "p0"  # one paper: only 3 rows are kept on all of the data
    train, _, test = backtest.cutoff_rows(rows, LM_TASK, RULES, 2016)
    early, _ = backtest.split_at(rows, 2016)
    assert len(train) == min(3, len(early))
    assert (backtest.available_year(test) > 2016).all()


def test_default_cutoffs_leave_enough_rows():
    rows = simulate_lm(n=200)
    cutoffs = backtest.default_cutoffs(rows, LM_TASK, RULES)
    assert cutoffs == sorted(cutoffs)
    for t in cutoffs:
        train, _, test = backtest.cutoff_rows(rows, LM_TASK, RULES, t)
        assert len(train) >= backtest.MIN_TRAIN_ROWS and len(test) >= backtest.MIN_TEST_ROWS


# ----------------------------------------------------------------------------- scoring


def test_coverage_counts_the_closed_interval():
    y = np.array([0.0, 1.0, 2.0, 3.0])
    assert backtest.coverage(y, np.zeros(4), np.full(4, 2.0)) == 0.75
    assert np.isnan(backtest.coverage(np.array([]), np.array([]), np.array([])))


def test_coverage_is_nominal_for_exact_normal_predictive_draws():
    """Observations and predictive draws from the same known Normal: coverage ≈ level."""
    rng = np.random.default_rng(7)
    n_rows, n_draws = 4000, 2000
    mu = rng.uniform(2.0, 5.0, n_rows)
    sd = rng.uniform(0.05, 0.3, n_rows)
    y = rng.normal(mu, sd)
    draws = rng.normal(mu, sd, size=(n_draws, n_rows))
    s = backtest.score(y, mu, draws)
    # Binomial sd of a share over 4000 rows is <= 0.008; allow 4 sd.
    assert s["coverage_50"] == pytest.approx(0.5, abs=0.032)
    assert s["coverage_90"] == pytest.approx(0.9, abs=0.02)
    # With one sd for every row, |N(0, sd)| has median 0.674 sd.
    y = rng.normal(mu, 0.2)
    s = backtest.score(y, mu, rng.normal(mu, 0.2, size=(n_draws, n_rows)))
    assert s["median_abs_error"] == pytest.approx(0.674 * 0.2, rel=0.05)
    assert s["coverage_90"] == pytest.approx(0.9, abs=0.02)


def test_posterior_predictive_at_the_truth_is_calibrated():
    """The law at the true parameters plus the residual sigma covers held-out rows nominally."""
    rows = simulate_lm(n=3000, seed=3)
    fit = constant_fit(rows.iloc[:10], TRUTH, SIGMA)
    draws = backtest.posterior_predictive(fit, rows, np.random.default_rng(0))
    expected = law.lm_log_perplexity(
        rows["year"].to_numpy(), rows["parameters"].to_numpy(),
        rows["training_tokens"].to_numpy(), ref=REF, **TRUTH,
    )  # fmt: skip
    np.testing.assert_allclose(np.median(draws, axis=0), expected, atol=0.01)
    s = backtest.score(backtest.observed(rows, LM_TASK), expected, draws)
    assert s["coverage_50"] == pytest.approx(0.5, abs=0.04)
    assert s["coverage_90"] == pytest.approx(0.9, abs=0.025)


def test_posterior_predictive_without_sigma_undercovers():
    rows = simulate_lm(n=2000, seed=4)
    fit = constant_fit(rows.iloc[:10], TRUTH, 1e-6)
    draws = backtest.posterior_predictive(fit, rows, np.random.default_rng(0))
    s = backtest.score(backtest.observed(rows, LM_TASK), draws[0], draws)
    assert s["coverage_90"] < 0.05


# ----------------------------------------------------------------------------- papers' estimator


def test_paper_fit_reproduces_ho2024_estimator():
    rows = simulate_lm(n=80, seed=5)
    ours = backtest.paper_fit(rows, LM_TASK, n_boot=8, seed=11)
    theirs = baselines.ho2024_estimator(rows, n_boot=8, seed=11)
    assert ours.doubling_time_months == pytest.approx(theirs.doubling_time_months, nan_ok=True)
    point = ours.predict(rows, ours.theta)
    np.testing.assert_allclose(point, baselines.HoDesign.from_frame(rows).predict(ours.theta))


def test_paper_fit_reproduces_erdil2022_estimator():
    from tests.test_baselines import simulate_imagenet

    rows = simulate_imagenet(n=120)
    ours = backtest.paper_fit(rows, IMAGENET_TASK, n_boot=6, seed=2)
    theirs = baselines.erdil2022_estimator(rows, n_boot=6, seed=2)
    assert ours.doubling_time_months == pytest.approx(theirs.doubling_time_months)
    assert ours.predict(rows, ours.boots).shape == (6, 120)


def test_ho_predictions_use_the_fit_s_benchmark_constants():
    rows = pd.concat(
        [simulate_lm(n=60, seed=1), simulate_lm(n=60, seed=2, benchmark="ptb")],
        ignore_index=True,
    )
    fit = backtest.paper_fit(rows, LM_TASK, n_boot=2, seed=0)
    ptb = rows[rows["benchmark"] == "ptb"]
    design = baselines.HoDesign.from_frame(rows)
    idx = np.flatnonzero(rows["benchmark"].to_numpy() == "ptb")
    np.testing.assert_allclose(fit.predict(ptb, fit.theta), design.subset(idx).predict(fit.theta))
    with pytest.raises(ValueError, match="has not seen"):
        fit.predict(simulate_lm(n=5, benchmark="wikitext-2"), fit.theta)


# ----------------------------------------------------------------------------- a whole run


def test_run_scores_every_method_and_writes_outputs(tmp_path):
    rows = pd.concat(
        [simulate_lm(n=150, seed=1), simulate_lm(n=20, seed=9, benchmark="ptb")],
        ignore_index=True,
    )
    rows.loc[rows["benchmark"] == "ptb", "publication_date"] += pd.Timedelta(days=3650)

    def truth(train, excluded, task, benchmarks, settings, likelihood, variant="both"):
        return constant_fit(train, TRUTH, SIGMA, n_draws=1000)

    result = backtest.run_backtest(
        rows, LM_TASK, ["wikitext-103", "ptb"], [2016, 2019], n_boot=10, fitter=truth
    )
    s = result.scores
    assert list(s["method"].unique()) == ["bayes", "ho2024", "ho2024+resid"]
    assert set(s["cutoff"]) == {2016, 2019}
    assert (s["n_unpredictable"] == 20).all()  # PTB rows, all after every cut-off
    bayes = s[s["method"] == "bayes"]
    assert (bayes["coverage_90"] > 0.75).all()
    assert (bayes["median_abs_error"] < 0.1).all()
    assert (s["doubling_median"] > 0).all()
    again = backtest.run_backtest(
        rows, LM_TASK, ["wikitext-103", "ptb"], [2016, 2019], n_boot=10, fitter=truth
    )
    pd.testing.assert_frame_equal(
        s.drop(columns="wall_time_s"), again.scores.drop(columns="wall_time_s")
    )
    paths = backtest.write_outputs(result, tmp_path)
    csv = pd.read_csv(paths["scores"])
    assert len(csv) == 6 and "coverage_50" in csv
    html = paths["report"].read_text()
    assert html.count("data:image/svg+xml;base64,") == 2
    assert "Out-of-time backtest" in html and "ho2024+resid" in html
    import re

    from algoattr.report.builder import CITATIONS

    allowed = {url for _, url in CITATIONS.values()}
    assert set(re.findall(r'(?:href|src)="(https?:[^"]+)"', html)) <= allowed  # self-contained
    assert (tmp_path / "backtest_wikitext-103+ptb.manifest.json").is_file()


def truth_fitter(train, excluded, task, benchmarks, settings, likelihood, variant="both"):
    """A stand-in Bayesian fit: the posterior is the truth (module level, so workers load it)."""
    return constant_fit(train, TRUTH, SIGMA, n_draws=500)


def test_parallel_run_gives_the_serial_scores():
    """Seeded per cut-off, and one BLAS thread for the estimator's refits: --jobs changes
    nothing but the wall time."""
    rows = simulate_lm(n=150, seed=1)
    runs = [
        backtest.run_backtest(
            rows,
            LM_TASK,
            ["wikitext-103"],
            [2015, 2017, 2019],
            n_boot=20,
            jobs=jobs,
            fitter=truth_fitter,
        )
        for jobs in (1, 2)
    ]
    a, b = (r.scores.drop(columns="wall_time_s") for r in runs)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(runs[0].predictions, runs[1].predictions)


def test_run_with_mocked_sampler(mock_pymc_sample, tmp_path):
    """The real fitting path (PyMC model, prior draws in place of MCMC) through one cut-off."""
    rows = simulate_lm(n=60, seed=2)
    settings = SamplerSettings(sampler="pymc", draws=50, tune=10, chains=1)
    result = backtest.run_backtest(
        rows, LM_TASK, ["wikitext-103"], [2016], settings=settings, n_boot=3
    )
    assert set(result.scores["method"]) == {"bayes", "ho2024", "ho2024+resid"}
    assert result.scores["n_test"].gt(0).all()


# ----------------------------------------------------------------------------- variants


def variant_fit(rows: pd.DataFrame, variant: str, extra: dict[str, float]) -> FitResult:
    """:func:`constant_fit` relabelled as ``variant``, with its extra parameters and the
    ``scale_rates`` centre (the fit rows' median log10 compute) as constant data."""
    import arviz as az

    fit = constant_fit(rows, TRUTH, SIGMA, n_draws=300)
    n = fit.idata.posterior.sizes["draw"]
    post = {k: fit.idata.posterior[k].values for k in fit.idata.posterior.data_vars}
    post.update({k: np.full((1, n), v) for k, v in extra.items()})
    mid = float(np.median(np.log10(6.0 * rows["parameters"] * rows["training_tokens"])))
    bench = list(fit.benchmarks)
    fit.idata = az.from_dict(
        posterior=post,
        constant_data={"log10_compute_mid": np.array(mid)},
        coords={"benchmark": bench},
        dims={"a": ["benchmark"], "b": ["benchmark"]},
    )
    fit.variant = variant
    return fit


def test_law_mean_uses_each_rows_year_rates_for_the_interaction_variants():
    rows = simulate_lm(n=12, seed=4)
    rows.loc[rows.index[:5], "architecture_class"] = "lstm"
    year, n, d = (rows[c].to_numpy(float) for c in ("year", "parameters", "training_tokens"))
    fit = variant_fit(rows, "scale_rates", {"year_scale": 0.01})
    mid = float(np.asarray(fit.idata.constant_data["log10_compute_mid"]).reshape(-1)[0])
    shift = 0.01 * (np.log10(6.0 * n * d) - mid)
    rates = {k: v for k, v in TRUTH.items() if k not in ("alpha_year", "beta_year")}
    expect = law.lm_log_perplexity(
        year,
        n,
        d,
        ref=REF,
        alpha_year=TRUTH["alpha_year"] + shift,
        beta_year=TRUTH["beta_year"] + shift,
        **rates,
    )
    np.testing.assert_allclose(backtest.law_mean(fit, rows)[0], expect, rtol=1e-12)
    diffs = {"alpha_year_transformer_diff": 0.02, "beta_year_transformer_diff": -0.01}
    fit = variant_fit(rows, "architecture_rates", diffs)
    tf = (rows["architecture_class"] == "transformer").to_numpy(float)
    expect = law.lm_log_perplexity(
        year,
        n,
        d,
        ref=REF,
        alpha_year=TRUTH["alpha_year"] + 0.02 * tf,
        beta_year=TRUTH["beta_year"] - 0.01 * tf,
        **rates,
    )
    np.testing.assert_allclose(backtest.law_mean(fit, rows)[0], expect, rtol=1e-12)
    shared = backtest.law_mean(constant_fit(rows, TRUTH, SIGMA), rows)[0]
    np.testing.assert_allclose(expect[:5], shared[:5], rtol=1e-12)  # LSTM rows: shared rates
    assert not np.allclose(expect[5:], shared[5:])
    fit.variant = "transformer"
    with pytest.raises(ValueError, match="cannot predict held-out rows from variant"):
        backtest.law_mean(fit, rows)


def test_each_variant_is_a_method_and_adding_one_changes_no_other():
    rows = simulate_lm(n=150, seed=1)

    def fitter(train, excluded, task, benchmarks, settings, likelihood, variant="both"):
        extra = {"year_scale": 0.005} if variant == "scale_rates" else {}
        return variant_fit(train, variant, extra)

    one = backtest.run_backtest(rows, LM_TASK, ["wikitext-103"], [2016], n_boot=5, fitter=fitter)
    two = backtest.run_backtest(
        rows,
        LM_TASK,
        ["wikitext-103"],
        [2016],
        n_boot=5,
        fitter=fitter,
        variants=("both", "scale_rates"),
    )
    assert list(two.scores["method"]) == ["bayes", "bayes[scale_rates]", "ho2024", "ho2024+resid"]
    assert two.extras["variants"] == ["both", "scale_rates"]
    assert backtest.is_bayes(two.scores["method"]).tolist() == [True, True, False, False]
    keep = two.scores[two.scores["method"] != "bayes[scale_rates]"].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        one.scores.drop(columns="wall_time_s"), keep.drop(columns="wall_time_s")
    )
    scaled = two.predictions[two.predictions["method"] == "bayes[scale_rates]"]
    plain = two.predictions[two.predictions["method"] == "bayes"]
    assert not np.allclose(scaled["predicted"], plain["predicted"])  # the interaction acts
    with pytest.raises(UsageError, match="backtest variants must be among"):
        backtest.run_backtest(rows, LM_TASK, ["wikitext-103"], [2016], variants=("transformer",))


def test_run_with_mocked_sampler_fits_the_interaction_variants(mock_pymc_sample):
    rows = simulate_lm(n=60, seed=2)
    settings = SamplerSettings(sampler="pymc", draws=50, tune=10, chains=1)
    result = backtest.run_backtest(
        rows,
        LM_TASK,
        ["wikitext-103"],
        [2016],
        settings=settings,
        n_boot=3,
        variants=("both", "scale_rates", "architecture_rates"),
    )
    methods = set(result.scores["method"])
    assert {"bayes[scale_rates]", "bayes[architecture_rates]"} <= methods
    assert np.isfinite(result.predictions["predicted"]).all()


# ----------------------------------------------------------------------------- command line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cutoffs", "20x6"], "argument --cutoffs: must be comma-separated years"),
        (["--cutoffs", "1800"], "argument --cutoffs: a cut-off year must lie in 1990-2100"),
        (["--jobs", "0"], "argument --jobs: must be a positive integer, got 0"),
        (["--draws", "-3"], "argument --draws: must be a positive integer"),
        (["--variants", "both,transformer"], "argument --variants: variants must be among"),
    ],
)
def test_cli_refuses_bad_arguments_while_parsing(args, message, capsys):
    with pytest.raises(SystemExit) as exc:
        backtest.main(["--benchmark", "lm", *args])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("cutoffs", "message"),
    [
        (
            "1995",
            "cut-off 1995: 0 rows public by the end of 1995 pass the selection rules; "
            "a fit needs at least 10",
        ),
        ("2016,2099", "cut-off 2099: no usable row was published after 2099"),
    ],
)
def test_cli_bad_cutoff_is_one_line_and_exit_2(cutoffs, message, tmp_path, capsys):
    """Refused before any fit runs, with nothing written."""
    code = backtest.main(["--benchmark", "lm", "--cutoffs", cutoffs, "--out", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err == f"python -m algoattr.backtest: error: {message}\n"
    assert not list(tmp_path.iterdir())


def test_cli_unknown_benchmark_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        backtest.main(["--benchmark", "mnist"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_small_real_fit(tmp_path):
    """A real nutpie fit per cut-off on the shipped rows, tiny settings, two jobs."""
    code = backtest.main(
        ["--benchmark", "imagenet", "--cutoffs", "2019,2020", "--draws", "100", "--tune",
         "100", "--chains", "2", "--bootstrap", "20", "--jobs", "2", "--quiet",
         "--out", str(tmp_path)]
    )  # fmt: skip
    assert code == 0
    scores = pd.read_csv(tmp_path / "backtest_imagenet.csv")
    assert set(scores["method"]) == {"bayes", "erdil2022", "erdil2022+resid"}
    assert (tmp_path / "backtest_imagenet.html").is_file()
