"""Row influence (PSIS leave-one-out) and the rule-sensitivity table."""

from __future__ import annotations

from types import SimpleNamespace

import arviz as az
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from algoattr import law
from algoattr.model.design import LM_TASK
from algoattr.sensitivity import (
    alternatives,
    format_influence,
    format_sensitivity,
    months_from_rate,
    row_influence,
    rule_sensitivity,
    weighted_quantile,
)


def test_months_from_rate() -> None:
    assert months_from_rate(law.LN2) == pytest.approx(12.0)
    assert np.isinf(months_from_rate(-0.1))


def test_weighted_quantile_equal_weights_is_the_median() -> None:
    x = np.arange(1.0, 8.0)
    assert weighted_quantile(x, np.ones_like(x), 0.5) == pytest.approx(4.0)
    # All the weight on the top half: the median moves up.
    w = np.r_[np.full(3, 1e-9), np.ones(4)]
    assert weighted_quantile(x, w, 0.5) > 5.0


def _conjugate_fit(y: np.ndarray, draws: int = 4000, seed: int = 0) -> SimpleNamespace:
    """A posterior whose 'rate' is the mean of ``y`` (normal model, known sd 1, flat prior).

    Leaving row i out has an exact answer (the mean of the others), which PSIS must find.
    """
    rng = np.random.default_rng(seed)
    n = len(y)
    rate = rng.normal(y.mean(), 1 / np.sqrt(n), size=(1, draws))
    ll = -0.5 * (y[None, None, :] - rate[..., None]) ** 2 - 0.5 * np.log(2 * np.pi)
    idata = az.InferenceData(
        posterior=xr.Dataset({"rate": (("chain", "draw"), rate)}),
        log_likelihood=xr.Dataset({"y": (("chain", "draw", "obs"), ll)}),
    )
    data = pd.DataFrame(
        {
            "model": [f"m{i}" for i in range(n)],
            "benchmark": "ptb",
            "value": np.exp(y),
            "source_file": "lm/ptb.csv",
            "source_line": np.arange(2, n + 2),
        }
    )
    return SimpleNamespace(idata=idata, data=data, task="other")


def test_psis_shift_matches_the_exact_leave_one_out() -> None:
    y = np.r_[np.linspace(0.2, 0.4, 19), 1.4]  # one outlying row pulls the mean up
    fit = _conjugate_fit(y)
    table = row_influence(fit, refit_top=0)
    assert table.iloc[0]["model"] == "m19"  # the outlier is the most influential row
    assert table.iloc[0]["where"] == "lm/ptb.csv:21"
    full = months_from_rate(y.mean())
    exact = months_from_rate(np.delete(y, 19).mean()) - full
    assert table.iloc[0]["shift_months"] == pytest.approx(float(exact), rel=0.1)
    assert (table["pareto_k"] < 0.7).all()
    text = format_influence(table, top=3)
    assert "m19 [ptb] lm/ptb.csv:21" in text and len(text.splitlines()) == 5


def test_row_influence_refuses_misaligned_likelihood() -> None:
    fit = _conjugate_fit(np.linspace(0.2, 0.4, 10))
    fit.data = fit.data.iloc[:-1]
    with pytest.raises(ValueError, match="9 rows"):
        row_influence(fit)


def test_rule_sensitivity_calls_select_and_fit_per_alternative() -> None:
    seen = []
    rng = np.random.default_rng(1)
    year = rng.uniform(2012, 2022, 30)
    n = 10 ** rng.uniform(6, 9, 30)
    d = 10 ** rng.uniform(6, 9, 30)
    # Progress in both terms, so the estimator's doubling time is finite.
    log_ppl = 1.0 + 2 * np.exp(-0.3 * (year - 2012)) * (n / 1e6) ** -0.2 * (d / 1e6) ** -0.1
    rows = pd.DataFrame(
        {
            "benchmark": "wikitext-103",
            "value": np.exp(log_ppl + rng.normal(0, 0.01, 30)),
            "year": year,
            "parameters": n,
            "training_tokens": d,
        }
    )

    def select(rules, paper_effect):
        seen.append((rules.describe(), paper_effect))
        if rules.compilation == "ho2024":
            raise ValueError("no rows listed")
        return rows

    class Fit:
        diagnostics = SimpleNamespace(ok=True)

        def headline(self):
            return {"doubling_time_months": {"median": 9.0, "lower": 5.0, "upper": 20.0}}

    table = rule_sensitivity(LM_TASK, select, lambda alt: Fit(), n_boot=0)
    names = [a.name for a in alternatives(LM_TASK)]
    assert list(table["alternative"]) == names
    assert len(seen) == len(names)
    ho = table.set_index("alternative").loc["ho2024"]
    assert "not fitted: no rows listed" in ho["note"] and np.isnan(ho["bayes_median"])
    default = table.set_index("alternative").loc["default"]
    assert default["bayes_median"] == 9.0 and np.isfinite(default["estimator_point"])
    # The papers' estimator has no Student-t or paper-effect version: left empty.
    assert np.isnan(table.set_index("alternative").loc["Student-t", "estimator_point"])
    assert "default" in format_sensitivity(table)
