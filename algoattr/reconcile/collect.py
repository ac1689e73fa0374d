"""Collect every method's estimate for the reconciliation table, :func:`build_estimates`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from algoattr.reconcile.estimate import MethodEstimate
from algoattr.reconcile.levels import (
    find_retraining_cegs,
    gundlach_estimate,
    montecarlo_estimates,
    retraining_estimate,
)
from algoattr.reconcile.rates import (
    baseline_estimates,
    fit_estimate,
    published_estimates,
    threshold_estimate,
    threshold_sweep_estimate,
)

__all__ = ["build_estimates"]


def build_estimates(
    lm: Any = None,
    imagenet: Any = None,
    *,
    baselines: bool = True,
    n_boot: int = 100,
    seed: int = 0,
    threshold: bool = True,
    gundlach: bool = True,
    montecarlo: bool = True,
    mc_draws: int = 100_000,
    retraining: bool = True,
    retraining_csv: str | Path | None = None,
    published: bool = True,
) -> tuple[list[MethodEstimate], list[str]]:
    """Collect every method's estimate.

    Parameters
    ----------
    lm, imagenet : FitResult, optional
        Observational Bayesian fits (language models, ImageNet); rows are left out without.
    baselines : bool
        Include the papers' estimators on each fit's rows (see :func:`baseline_estimates`).
    n_boot, seed : int
        Bootstrap refits and seed of the estimators (and seed of the Monte Carlo stack).
    threshold, gundlach, montecarlo, retraining, published : bool
        Include those rows.
    mc_draws : int
        Monte Carlo draws.
    retraining_csv : str or pathlib.Path, optional
        Retraining results to use (default: searched for).

    Returns
    -------
    tuple
        ``(estimates, messages)``: the rows, and what was left out or how it was had.
    """
    est: list[MethodEstimate] = []
    msgs: list[str] = []
    for name, fit in (("language-model", lm), ("ImageNet", imagenet)):
        if fit is None:
            msgs.append(f"{name} fit: none given (rows left out)")
            continue
        est.append(fit_estimate(fit))
        if baselines:
            rows, m = baseline_estimates(fit, n_boot=n_boot, seed=seed)
            est.extend(rows)
            msgs.extend(f"{name}: {x}" for x in m)
    if published:
        est.extend(published_estimates())
    if threshold:
        try:
            est.append(threshold_estimate())
        except Exception as err:  # data missing or malformed: say so, keep the rest
            msgs.append(f"threshold method left out ({type(err).__name__}: {err})")
        try:
            est.append(threshold_sweep_estimate())
        except Exception as err:  # as above
            msgs.append(f"threshold sweep left out ({type(err).__name__}: {err})")
    if gundlach:
        est.append(gundlach_estimate())
    if retraining:
        # One row per ladder that compares the LSTM with the 2017 Transformer.
        paths = [retraining_csv] if retraining_csv else find_retraining_cegs()
        rows = [retraining_estimate(p) for p in paths] or [retraining_estimate(None)]
        est.extend([r for r in rows if r.available] or rows[:1])
    if montecarlo:
        est.extend(montecarlo_estimates(draws=mc_draws, seed=seed))
    return est, msgs
