"""A linear regression with paper-clustered standard errors, a reference for both tasks."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from algoattr import law
from algoattr.baselines.ho2024 import HO_BASE_BENCHMARK
from algoattr.baselines.result import IMAGENET_TASK, LM_TASK, BaselineResult, doubling_summary
from algoattr.intervals import CI_PROB

__all__ = ["ols_clustered"]


# --------------------------------------------------------------------------------------
# OLS with paper-clustered standard errors
# --------------------------------------------------------------------------------------


def ols_clustered(
    rows: pd.DataFrame,
    task: str,
    *,
    seed: int = 0,
    n_sim: int = 20000,
    ci_prob: float = CI_PROB,
) -> BaselineResult:
    """Linear regression with standard errors clustered by paper.

    Language models: ``log-perplexity ~ year + ln(6·N·D) + benchmark dummies``; ImageNet:
    ``logit(accuracy) ~ year + ln C + ln D``. In both, the doubling time of compute-equivalent
    progress is ``12·ln 2·b_compute/b_year`` months. The interval comes from ``n_sim`` seeded
    draws of the coefficients from their normal approximation with the clustered covariance
    (percentiles of ``b_year/b_compute`` mapped to months); the delta-method interval is
    reported in ``extras``.

    Parameters
    ----------
    rows : pandas.DataFrame
        Rows with ``paper_id``, ``year``, ``value`` and the task's size columns.
    task : {"language_modelling", "image_classification"}
        Which regression.
    seed : int
        Seed of the coefficient simulation.
    n_sim : int
        Coefficient draws.
    ci_prob : float
        Probability of the interval (:mod:`algoattr.intervals`).

    Returns
    -------
    BaselineResult
    """
    import statsmodels.api as sm

    t0 = time.perf_counter()
    X = pd.DataFrame({"const": 1.0, "year": rows["year"].to_numpy(float)})
    if task == LM_TASK:
        y = np.log(rows["value"].to_numpy(float))
        X["log_compute"] = np.log(
            6.0 * rows["parameters"].to_numpy(float) * rows["training_tokens"].to_numpy(float)
        )
        bench = rows["benchmark"].astype(str).to_numpy()
        for b in sorted(set(bench)):
            if b != HO_BASE_BENCHMARK and len(set(bench)) > 1:
                X[f"bench_{b}"] = (bench == b).astype(float)
        if HO_BASE_BENCHMARK not in set(bench) and len(set(bench)) > 1:
            X = X.drop(columns=[c for c in X if c.startswith("bench_")][:1])
    elif task == IMAGENET_TASK:
        y = law.logit(1.0 - rows["value"].to_numpy(float) / 100.0)
        X["log_compute"] = np.log(rows["training_compute_flop"].to_numpy(float))
        X["log_data"] = np.log(rows["training_images"].to_numpy(float))
    else:
        raise ValueError(f"unknown task {task!r}")
    groups = pd.factorize(rows["paper_id"].astype(str))[0]
    fit = sm.OLS(y, X.to_numpy()).fit(cov_type="cluster", cov_kwds={"groups": groups})
    names = list(X.columns)
    b = np.asarray(fit.params)
    cov = np.asarray(fit.cov_params())
    iy, ic = names.index("year"), names.index("log_compute")
    # Compute-equivalent progress: a year is worth b_year/b_compute e-folds of compute.
    point_rate = float(b[iy] / b[ic])
    rng = np.random.default_rng(seed)
    sims = rng.multivariate_normal(b, cov, size=n_sim, method="cholesky")
    rates = sims[:, iy] / sims[:, ic]
    # Delta method on the doubling time T = 12·ln2·b_c/b_y.
    t_point = 12.0 * law.LN2 * b[ic] / b[iy]
    grad = np.zeros_like(b)
    grad[ic] = 12.0 * law.LN2 / b[iy]
    grad[iy] = -12.0 * law.LN2 * b[ic] / b[iy] ** 2
    se_t = float(np.sqrt(grad @ cov @ grad))
    z = float(_normal_quantile(0.5 + ci_prob / 2))
    se = np.sqrt(np.diag(cov))
    params = {
        k: {
            "point": float(b[j]),
            "se": float(se[j]),
            "lower": float(b[j] - z * se[j]),
            "upper": float(b[j] + z * se[j]),
        }
        for j, k in enumerate(names)
    }
    return BaselineResult(
        name="ols_clustered",
        task=task,
        n_rows=len(y),
        doubling_time_months=doubling_summary(point_rate, rates, ci_prob),
        params=params,
        n_boot=0,
        seed=seed,
        wall_time_s=time.perf_counter() - t0,
        notes=[
            "interval: simulated coefficients (normal, paper-clustered covariance)",
            f"{len(set(groups))} paper clusters",
        ],
        extras={
            "delta_method": {
                "point": float(t_point),
                "se": se_t,
                "lower": float(t_point - z * se_t),
                "upper": float(t_point + z * se_t),
            },
            "r_squared": float(fit.rsquared),
            "n_clusters": len(set(groups)),
        },
    )


def _normal_quantile(q: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(q))
