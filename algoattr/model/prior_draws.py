"""Draws from a fit's default priors (:mod:`algoattr.model.priors`), for the prior-against-
posterior figure and the prior-sensitivity table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from algoattr import law

__all__ = ["prior_draws"]


def _prior_specs(result: Any) -> dict[str, dict[str, Any]]:
    from algoattr.model.priors import IMAGENET_PRIORS, LM_PRIORS

    return IMAGENET_PRIORS if result.task == "image_classification" else LM_PRIORS


def _draw_prior(spec: Mapping[str, Any], n: int, rng: np.random.Generator) -> np.ndarray:
    """Draws of one prior specification (numpy for the families used; else ``pm.draw``)."""
    args = {a: v for a, v in spec.items() if a not in ("dist", "reason")}
    dist = spec["dist"]
    if dist == "Normal":
        return rng.normal(args.get("mu", 0.0), args.get("sigma", 1.0), n)
    if dist == "HalfNormal":
        return np.abs(rng.normal(0.0, args.get("sigma", 1.0), n))
    if dist == "LogNormal":
        return rng.lognormal(args.get("mu", 0.0), args.get("sigma", 1.0), n)
    if dist == "Gamma" and "alpha" in args and "beta" in args:
        return rng.gamma(args["alpha"], 1.0 / args["beta"], n)
    import pymc as pm

    seed = int(rng.integers(2**31))
    return np.asarray(pm.draw(getattr(pm, dist).dist(**args), draws=n, random_seed=seed), float)


def prior_draws(result: Any, n: int = 4000, seed: int = 0) -> dict[str, np.ndarray]:
    """Draws from the default priors of a fit's free parameters and its doubling time.

    Each prior of :mod:`algoattr.model.priors` is drawn analytically with numpy (Normal,
    HalfNormal, LogNormal, Gamma; any other family through ``pm.draw``); the prior of the rate
    and the doubling time follow through the law's algebra
    (:func:`algoattr.law.lm_effective_compute_rate` or
    :func:`algoattr.law.imagenet_doubling_time_years`), as the model's deterministics do.

    Parameters
    ----------
    result : FitResult
        The fit (its task and the variables present in its posterior).
    n : int
        Number of draws.
    seed : int
        Random seed.

    Returns
    -------
    dict of str to numpy.ndarray
        Prior draws keyed by variable name (only variables in the posterior).
    """
    specs = _prior_specs(result)
    post = result.idata.posterior
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for k in (k for k in specs if k in post):
        out[k] = _draw_prior(specs[k], n, rng)
    if result.task == "image_classification":
        if {"beta_year", "beta_compute"} <= set(out):
            with np.errstate(divide="ignore"):
                years = np.asarray(
                    law.imagenet_doubling_time_years(out["beta_year"], out["beta_compute"])
                )
            out["doubling_time_months"] = 12.0 * years
    elif "rate" in post:
        z = np.zeros(n)
        rate = np.asarray(
            law.lm_effective_compute_rate(
                out.get("alpha_year", z),
                out.get("alpha_param", z),
                out.get("beta_year", z),
                out.get("beta_data", z),
            )
        )
        out["rate"] = rate
        with np.errstate(divide="ignore"):
            out["doubling_time_months"] = 12.0 * law.LN2 / rate
    return out
