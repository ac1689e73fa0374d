"""Simulation-based calibration and parameter recovery of the language-model law.

The unmarked tests check the rank and coverage arithmetic of :mod:`algoattr.model.calibration`
on cases whose answer is known (a conjugate normal model with an exact posterior). The
``slow`` tests fit the real LM design: a small SBC run (20 datasets, loose bound) and the
recovery of known parameters.
"""

from __future__ import annotations

import numpy as np
import pytest

from algoattr import law
from algoattr.model import calibration as cal

# ----------------------------------------------------------------------------- arithmetic


def test_rank_counts_draws_below_and_breaks_ties() -> None:
    draws = np.array([3.0, 1.0, 4.0, 1.5, 9.0])
    assert cal.rank_of(0.0, draws) == 0
    assert cal.rank_of(2.0, draws) == 2
    assert cal.rank_of(10.0, draws) == 5
    # ties: deterministic half without a generator, uniform in below..below+ties with one
    assert cal.rank_of(1.0, np.array([1.0, 1.0, 0.0, 2.0])) == 2
    rng = np.random.default_rng(0)
    tied = [cal.rank_of(1.0, np.array([1.0, 1.0, 0.0, 2.0]), rng) for _ in range(300)]
    assert set(tied) == {1, 2, 3}


def test_thin_keeps_evenly_spaced_draws() -> None:
    x = np.arange(1000.0).reshape(2, 500)
    t = cal.thin(x, 100)
    assert t.size == 100
    assert t[0] == 0 and t[50] == 500 and np.all(np.diff(t) == 10)
    assert cal.thin(np.arange(5.0), 99).size == 5


def test_covers_uses_central_quantiles() -> None:
    d = np.arange(101.0)  # quantiles are the values themselves
    assert cal.central_interval(d, 0.5) == pytest.approx((25.0, 75.0))
    assert cal.central_interval(d, 0.9) == pytest.approx((5.0, 95.0))
    assert cal.covers(25.5, d, 0.5) and cal.covers(74.5, d, 0.5)
    assert not cal.covers(24.9, d, 0.5) and not cal.covers(75.1, d, 0.5)
    assert cal.covers(5.5, d, 0.9) and not cal.covers(96.0, d, 0.9)


def test_coverage_summary_binomial_se() -> None:
    s = cal.coverage_summary([True] * 81 + [False] * 19, 0.9)
    assert s.n == 100
    assert s.coverage == pytest.approx(0.81)
    assert s.se == pytest.approx(0.03)
    assert s.z == pytest.approx(-3.0)
    assert not s.within_2se
    assert cal.coverage_summary([True] * 88 + [False] * 12, 0.9).within_2se
    with pytest.raises(ValueError):
        cal.coverage_summary([], 0.5)


def test_rank_histogram_bins() -> None:
    counts = cal.rank_histogram(np.arange(100), n_draws=99, bins=10)
    assert counts.tolist() == [10] * 10
    assert cal.uniformity_pvalue(counts) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="do not divide"):
        cal.rank_histogram([0], n_draws=100, bins=10)
    with pytest.raises(ValueError, match="ranks must lie"):
        cal.rank_histogram([100], n_draws=99, bins=10)
    text = cal.format_rank_histogram(np.array([2, 8, 10, 0]), width=10, label="x")
    assert text.splitlines()[0] == "x" and "chi-square p" in text


def test_accept_dataset_rule() -> None:
    assert cal.accept_dataset(np.array([3.0, 4.0]), (0.0, 20.0)) == (True, True)
    assert cal.accept_dataset(np.array([3.0, 25.0]), (0.0, 20.0)) == (False, True)
    assert cal.accept_dataset(np.array([3.0, -0.1]), (0.0, 20.0)) == (False, True)
    assert cal.accept_dataset(np.array([3.0, np.inf]), None) == (False, False)
    assert cal.accept_dataset(np.array([-5.0, 1e6]), None) == (True, True)


def _conjugate_sbc(n: int, shrink: float, seed: int) -> tuple[np.ndarray, dict]:
    """SBC of θ ~ N(0, 1), y ~ N(θ, 1) with posterior draws N(y/2, shrink²/2)."""
    rng = np.random.default_rng(seed)
    ranks, cov = [], {0.5: [], 0.9: []}
    for _ in range(n):
        theta = rng.normal()
        y = rng.normal(theta, 1.0)
        draws = rng.normal(y / 2, shrink * np.sqrt(0.5), size=400)
        ranks.append(cal.rank_of(theta, cal.thin(draws, 99), rng))
        for lev in cov:
            cov[lev].append(cal.covers(theta, draws, lev))
    return np.array(ranks), {lev: cal.coverage_summary(c, lev) for lev, c in cov.items()}


def test_exact_posterior_is_calibrated_and_narrow_one_is_not() -> None:
    ranks, cov = _conjugate_sbc(2000, shrink=1.0, seed=1)
    assert all(abs(c.z) < 3.5 for c in cov.values())
    assert cal.uniformity_pvalue(cal.rank_histogram(ranks, 99, 10)) > 0.001
    ranks, cov = _conjugate_sbc(2000, shrink=0.5, seed=1)  # overconfident posterior
    assert cov[0.9].coverage < 0.7
    counts = cal.rank_histogram(ranks, 99, 10)
    assert counts[0] + counts[-1] > 3 * counts[4:6].sum()  # ∪-shaped
    assert cal.uniformity_pvalue(counts) < 1e-6


def test_simulate_lm_matches_the_law() -> None:
    from algoattr.model.design import LMDesign

    design = LMDesign(
        year=np.array([2015.0, 2020.0]),
        parameters=np.array([1e7, 1e9]),
        tokens=np.array([1e8, 1e9]),
        log_ppl=np.zeros(2),
        benchmark_idx=np.array([0, 1]),
        benchmarks=["wikitext-103", "ptb"],
        paper_idx=np.array([0, 1]),
        papers=["p0", "p1"],
        transformer=np.zeros(2),
        ref=law.LMReference(2015.0, 1e7, 1e8),
    )
    params = dict(a=[1.0, 1.2], b=0.5, alpha_year=0.02, alpha_param=0.1, beta_year=0.03)
    params["beta_data"] = 0.2
    y = cal.simulate_lm(design, params, sigma=0.0, seed=0)
    assert y[0] == pytest.approx(np.exp(1.0) + np.exp(0.5))
    y2 = cal.simulate_lm(design, params, sigma=0.1, seed=0)
    assert np.all(y2 != y) and np.allclose(y2, cal.simulate_lm(design, params, sigma=0.1, seed=0))
    assert cal.with_log_ppl(design, y).log_ppl is not design.log_ppl
    with pytest.raises(ValueError):
        cal.with_log_ppl(design, np.zeros(3))


# ----------------------------------------------------------------------------- slow fits


@pytest.fixture(scope="module")
def lm_design():
    """The real LM design (rows kept by the default selection)."""
    from algoattr.data import load_evaluations, resolve_benchmarks
    from algoattr.model.design import LM_TASK, LMDesign, select_rows

    rows, _ = select_rows(load_evaluations(resolve_benchmarks("lm")), LM_TASK)
    return LMDesign.from_frame(rows)


#: Known parameters for the recovery test: near the posterior medians of the real LM fit
#: (exponents ~0.05, Ho et al. 2024's size), with faster year rates so that the doubling time
#: (0.87 years) is identified; they give log-perplexities of 2.8-7.0 on the real design.
RECOVERY_TRUTH = {
    "a": [0.8, 1.0, 1.0],
    "b": [0.2, 0.4, 0.3],
    "alpha_param": 0.05,
    "beta_data": 0.05,
    "alpha_year": 0.01,
    "beta_year": 0.03,
}
#: Data seeds of the recovery test, and the bound on their mean standardised error of the
#: posterior median, (median - truth) / sd with sd half the 16-84% range (the doubling time
#: has a long upper tail). One dataset is too noisy for a bias test: on the 163-row design of
#: 2026-12 (parameter counts filled for 29 more rows) the median errors at seeds 0-4 were
#: +49%, +18%, +20%, +8%, +21% (z = +1.12, +0.57, +0.63, +0.25, +0.67), so a fixed 30% on
#: seed 0 alone failed while every 95% interval covered the truth. The mean z over seeds 0-2
#: is +0.77: the median sits above the truth by under one sd, the small upward pull of the
#: priors on a doubling time measured before (+10% to +19% on the 134-row design).
#: Before the year rates were standardised (``make_standardised_normal``) seeds 2 and 3 had
#: one chain stuck in a far region from its jittered start (R-hat 2.2); now all mix
#: (R-hat <= 1.05), see the assertion below.
RECOVERY_SEEDS = (0, 1, 2)
RECOVERY_MEAN_Z = 1.0


@pytest.mark.slow
def test_sbc_small_run_covers(lm_design) -> None:
    """20 SBC datasets with fast settings: the 90% intervals cover at least 70% of the time.

    A loose bound (a correct posterior gives 0.9 ± 0.067): it catches a broken model, prior or
    data plumbing (coverage near 0) without flaking on 20 datasets. Four chains, as the real
    fit: on prior datasets a chain often sticks far from the posterior after a bad jittered
    start (R-hat ~2), and with two chains that half of the draws pulled pooled 90% coverage to
    0.66-0.72 in two runs; with four chains the 100-dataset run covered 0.87-0.91. The bound
    is on the pooled coverage (6 quantities x 20 datasets): one quantity's coverage over 20
    datasets is too noisy while chains stick (doubling time: 0.65 at this seed).
    """
    from algoattr.model.sampling import SamplerSettings

    settings = SamplerSettings(draws=250, tune=300, chains=4, seed=0)
    res = cal.run_sbc(lm_design, n_datasets=20, settings=settings, seed=1)
    assert len(res.fits) == 20
    assert res.records["rank"].between(0, cal.DEFAULT_RANK_DRAWS).all()
    pooled = res.pooled_coverage()
    assert pooled[0.9].coverage >= 0.7, res.coverage()
    assert pooled[0.5].coverage >= 0.3, res.coverage()


@pytest.mark.slow
def test_recovers_known_doubling_time(lm_design) -> None:
    """Data simulated from known parameters on the real design: the doubling time is recovered."""
    import pymc as pm

    from algoattr.model.lm import create_lm_model
    from algoattr.model.sampling import SamplerSettings, sample

    t = RECOVERY_TRUTH
    truth = float(
        law.lm_doubling_time_years(
            t["alpha_year"], t["alpha_param"], t["beta_year"], t["beta_data"]
        )
    )
    import arviz as az

    z = []
    for seed in RECOVERY_SEEDS:
        y = cal.simulate_lm(lm_design, t, sigma=0.05, seed=seed)
        assert 2.0 < y.min() and y.max() < 7.5
        model = create_lm_model(cal.with_log_ppl(lm_design, y))
        pm.set_data({"y_obs": y}, model=model)
        idata = sample(
            model,
            SamplerSettings(draws=1000, tune=1000, chains=2, seed=0),
            progressbar=False,
            cache_key=("calibration", "both", "normal", len(y), len(lm_design.benchmarks)),
            log_likelihood=False,
        )
        # Both chains must have mixed; a chain stuck far from the posterior makes R-hat ~2.
        assert float(az.rhat(idata, var_names=["rate"])["rate"]) < 1.05
        dt = idata.posterior["doubling_time_years"].values.reshape(-1)
        lo, q16, med, q84, hi = np.quantile(dt, [0.025, 0.16, 0.5, 0.84, 0.975])
        assert lo <= truth <= hi, (seed, truth, lo, med, hi)
        z.append((med - truth) / ((q84 - q16) / 2.0))
    assert abs(float(np.mean(z))) <= RECOVERY_MEAN_Z, z
