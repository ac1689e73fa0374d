"""Tests of the forecast (:mod:`algoattr.forecast`) against the law at fixed parameters.

The fits are constant posteriors (every draw at the same parameters), so every interval is a
point and the expected numbers are computed by hand from the law
``L = exp(a − α_year·ΔY − α_param·ln(N/N0)) + exp(b − β_year·ΔY − β_data·ln(D/D0))``.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from algoattr import forecast, law
from algoattr.cli import forecast as forecast_cli
from tests.test_backtest import TRUTH, constant_fit, simulate_lm

#: D0 = 20·N0, so a 20-tokens-per-parameter model of compute C0 = 6·N0·D0 sits at the
#: reference point.
REF = law.LMReference(year0=2020.0, n0=1e9, d0=2e10)
C0 = 6 * 1e9 * 2e10  # 1.2e20 FLOP


def fit_at(params=TRUTH, sigma=0.05, benchmarks=("wikitext-103",), n_draws=400):
    rows = pd.concat(
        [simulate_lm(n=20, seed=i, benchmark=b) for i, b in enumerate(benchmarks)],
        ignore_index=True,
    )
    return constant_fit(rows, params, sigma, n_draws=n_draws, ref=REF)


# ----------------------------------------------------------------------------- the algebra


def test_split_compute_keeps_six_nd_and_the_ratio():
    n, d = forecast.split_compute(1e25, 20.0)
    assert 6 * n * d == pytest.approx(1e25)
    assert d / n == pytest.approx(20.0)
    assert n == pytest.approx(math.sqrt(1e25 / 120))


def test_optimal_split_by_hand_for_equal_exponents():
    """α_param = β_data, a = b, N0 = D0 and ΔY = 0: the optimum is N = D = √(C/6)."""
    ref = law.LMReference(year0=2020.0, n0=1e9, d0=1e9)
    p = {"a": 0.5, "alpha_year": 0.01, "alpha_param": 0.05, "b": 0.5, "beta_year": 0.02,
         "beta_data": 0.05}  # fmt: skip
    n, d = forecast.optimal_split(6e20, 2020.0, ref=ref, **p)
    assert n == pytest.approx(1e10) and d == pytest.approx(1e10)


def test_optimal_split_minimises_the_law_along_six_nd():
    year, c = 2023.0, 1e23
    n, d = forecast.optimal_split(c, year, ref=REF, **TRUTH)
    assert 6 * n * d == pytest.approx(c)
    best = law.lm_log_perplexity(year, n, d, ref=REF, **TRUTH)
    grid = np.exp(np.linspace(np.log(n) - 5, np.log(n) + 5, 2001))
    on_grid = law.lm_log_perplexity(year, grid, c / (6 * grid), ref=REF, **TRUTH)
    assert best <= on_grid.min() + 1e-12
    assert grid[np.argmin(on_grid)] == pytest.approx(n, rel=0.01)


def test_compute_for_inverts_the_law():
    for tpp in (20.0, 5.0, None):
        for year in (2018.0, 2024.5):
            c = 3.3e22
            target = float(forecast.log_perplexity_at(c, year, TRUTH, REF, tpp))
            assert float(forecast.compute_for(target, year, TRUTH, REF, tpp)) == pytest.approx(
                c, rel=1e-6
            )


def test_compute_for_edges():
    # A log-perplexity the law does not reach below 1e60 FLOP, and one reached below 1 FLOP.
    assert np.isinf(forecast.compute_for(1e-9, 2020.0, TRUTH, REF))
    assert forecast.compute_for(50.0, 2020.0, TRUTH, REF) == 0.0


# ----------------------------------------------------------------------------- the forecast


def test_perplexity_at_the_reference_point_by_hand():
    f = forecast.forecast(fit_at(), benchmark="wikitext-103", year=2020.0, compute=C0)
    expected = math.exp(math.exp(0.9) + math.exp(0.8))  # ≈ 108.3
    assert f.perplexity["median"] == pytest.approx(expected)
    assert f.perplexity["lower"] == pytest.approx(expected)
    assert f.perplexity["upper"] == pytest.approx(expected)
    assert f.parameters["median"] == pytest.approx(1e9)
    assert f.tokens["median"] == pytest.approx(2e10)
    assert "20 tokens per parameter (Chinchilla)" in f.split
    # The predictive interval adds the residual (sigma 0.05 on log-perplexity).
    q = f.perplexity_predictive
    assert q["lower"] < expected < q["upper"]
    assert math.log(q["upper"] / expected) == pytest.approx(1.96 * 0.05, rel=0.15)


def test_perplexity_two_years_later_and_100x_the_compute_by_hand():
    t = TRUTH
    f = forecast.forecast(fit_at(), benchmark="wikitext-103", year=2022.0, compute=100 * C0)
    # 100x compute at 20 tokens per parameter: N = 10·N0 and D = 10·D0.
    log_ppl = math.exp(t["a"] - 2 * t["alpha_year"] - t["alpha_param"] * math.log(10)) + math.exp(
        t["b"] - 2 * t["beta_year"] - t["beta_data"] * math.log(10)
    )
    assert f.perplexity["median"] == pytest.approx(math.exp(log_ppl))


def test_compute_needed_for_the_reference_perplexity_by_hand():
    target = math.exp(math.exp(0.9) + math.exp(0.8))
    f = forecast.forecast(fit_at(), benchmark="wikitext-103", year=2020.0, target_ppl=target)
    assert f.compute_needed["median"] == pytest.approx(C0, rel=1e-6)
    later = forecast.forecast(fit_at(), benchmark="wikitext-103", year=2024.0, target_ppl=target)
    assert later.compute_needed["median"] < C0  # algorithmic progress: less compute later
    optimal = forecast.forecast(
        fit_at(), benchmark="wikitext-103", year=2020.0, target_ppl=target, tokens_per_param=None
    )
    assert optimal.compute_needed["median"] <= C0 * (1 + 1e-6)


def test_intervals_come_from_the_posterior_draws():
    """Two parameter values, half the draws each: the 95% interval spans both."""
    fit = fit_at(n_draws=400)
    a = fit.idata.posterior["a"].values.copy()
    a[:, 200:] += 0.1
    fit.idata.posterior["a"].values[:] = a
    f = forecast.forecast(fit, benchmark="wikitext-103", year=2020.0, compute=C0)
    low = math.exp(math.exp(0.9) + math.exp(0.8))
    high = math.exp(math.exp(1.0) + math.exp(0.8))
    assert f.perplexity["lower"] == pytest.approx(low)
    assert f.perplexity["upper"] == pytest.approx(high)


def test_forecast_refuses_what_it_cannot_answer():
    fit = fit_at()
    with pytest.raises(forecast.UsageError, match="not in the fit"):
        forecast.forecast(fit, benchmark="ptb", year=2020.0, compute=C0)
    with pytest.raises(forecast.UsageError, match="must exceed 1"):
        forecast.forecast(fit, benchmark="wikitext-103", year=2020.0, target_ppl=0.9)
    fit.variant = "transformer"
    with pytest.raises(forecast.UsageError, match="variant 'transformer'"):
        forecast.forecast(fit, benchmark="wikitext-103", year=2020.0, compute=C0)


# ----------------------------------------------------------------------------- command line


@pytest.fixture
def saved_fit(tmp_path):
    fit = fit_at(benchmarks=("wikitext-103", "ptb"))
    paths = fit.save(tmp_path, "lm")
    return paths["summary_json"]


def test_cli_from_a_saved_fit(saved_fit, tmp_path, capsys):
    out = tmp_path / "f.json"
    code = forecast_cli.main(
        ["--benchmark", "lm", "--fit", str(saved_fit), "--year", "2020", "--compute", "1.2e20",
         "--target-ppl", "108.3", "--json", str(out)]
    )  # fmt: skip
    text = capsys.readouterr().out
    assert code == 0
    assert "forecast on wikitext-103, year 2020" in text
    assert "perplexity at 1.2e+20 FLOP: 108.3" in text
    assert "compute to reach perplexity 108.3 (given): 1.2e+20 FLOP" in text
    saved = json.loads(out.read_text())
    assert saved["perplexity"]["median"] == pytest.approx(math.exp(math.exp(0.9) + math.exp(0.8)))


def test_cli_target_model_uses_its_row_and_benchmark(saved_fit, capsys):
    code = forecast_cli.main(
        ["--benchmark", "lm", "--fit", str(saved_fit), "--year", "2024",
         "--target-model", "gpt-3 (175b, zero-shot)", "--tokens-per-param", "optimal"]
    )  # fmt: skip
    text = capsys.readouterr().out
    assert code == 0
    assert "forecast on ptb" in text
    assert "perplexity 20.5 (GPT-3 (175B, zero-shot) on ptb, lm/ptb.csv:" in text
    assert "compute-optimal" in text
    assert "zero-shot" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--compute", "-1"], "argument --compute: must be a positive number, got -1"),
        (["--compute", "nan"], "argument --compute: must be a finite number"),
        (["--tokens-per-param", "x"], "must be a positive number or 'optimal', got 'x'"),
        (["--target-ppl", "9", "--target-model", "x"], "not allowed with argument"),
        (["--benchmark", "imagenet"], "argument --benchmark: invalid choice"),
    ],
)
def test_cli_refuses_bad_arguments_while_parsing(args, message, capsys):
    base = ["--benchmark", "lm", "--year", "2027"]
    with pytest.raises(SystemExit) as exc:
        forecast_cli.main([*base, *args])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --compute, or a target (--target-ppl or --target-model), or both"),
        (["--compute", "1e25", "--fit", "{missing}"], "no saved fit at"),
        (["--target-model", "GPT-9"], "no model named 'GPT-9' in the curated rows; close: GPT-"),
        (["--target-model", "GPT-2 (1542M)"], "has 3 rows (wikitext-103, wikitext-2, ptb)"),
        (["--compute", "1e25", "--target-ppl", "0.5", "--fit", "{fit}"], "must exceed 1"),
        (["--compute", "1e25", "--on", "wikitext-2", "--fit", "{fit}"], "not in the fit"),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(args, message, saved_fit, tmp_path, capsys):
    args = [a.format(fit=saved_fit, missing=tmp_path / "none.json") for a in args]
    code = forecast_cli.main(["--benchmark", "lm", "--year", "2027", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("python -m algoattr.forecast: error: ") and err.count("\n") == 1
    assert message in err
