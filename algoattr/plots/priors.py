"""Prior against posterior: draws from the default priors and the figure comparing them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import seaborn as sns
from matplotlib.figure import Figure

from algoattr import law
from algoattr.plots.base import (
    _PALETTE,
    KEY_PARAMS,
    _figure,
    _styled,
)


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


_UNITS = {
    "alpha_year": "per year",
    "beta_year": "per year",
    "beta_year_data": "logit per year",
    "alpha_param": "exponent",
    "beta_data": "exponent",
    "beta_compute": "logit per e-fold",
    "sigma": "residual sd",
    "doubling_time_months": "months",
}


@_styled
def prior_posterior(
    result: Any,
    prior: Mapping[str, np.ndarray] | None = None,
    names: Sequence[str] | None = None,
    seed: int = 0,
) -> Figure:
    """Prior against posterior densities of a fit's key parameters.

    Parameters
    ----------
    result : FitResult
        A fit.
    prior : mapping, optional
        Prior draws per variable (default :func:`prior_draws` with ``seed``).
    names : sequence of str, optional
        Variables to show (default :data:`KEY_PARAMS` of the task, those present).
    seed : int
        Seed of the prior draws when ``prior`` is not given.

    Returns
    -------
    matplotlib.figure.Figure
    """
    prior = dict(prior) if prior is not None else prior_draws(result, seed=seed)
    post = result.idata.posterior
    names = [k for k in (names or KEY_PARAMS[result.task]) if k in post]
    ncol = 3
    nrow = max(1, int(np.ceil(len(names) / ncol)))
    fig = _figure(7.4, 2.2 * nrow + 0.3)
    axes = np.atleast_1d(fig.subplots(nrow, ncol, squeeze=False)).ravel()
    c_prior, c_post = "0.55", sns.color_palette(_PALETTE)[0]
    for ax, k in zip(axes, names, strict=False):
        x_post = result.draws(k).ravel()
        x_prior = np.asarray(prior.get(k, []), dtype=float)
        if k == "doubling_time_months":
            x_post = x_post[(x_post > 0) & np.isfinite(x_post)]
            x_prior = x_prior[(x_prior > 0) & np.isfinite(x_prior)]
            rng = (0.5, 300.0)
            bins = np.geomspace(*rng, 50)
            ax.set_xscale("log")
        else:
            lo, hi = np.quantile(x_post, [0.001, 0.999])
            if x_prior.size:
                plo, phi = np.quantile(x_prior, [0.01, 0.99])
                lo, hi = min(lo, plo), max(hi, phi)
            bins = np.linspace(lo, hi, 50)
            rng = (lo, hi)
        if x_prior.size:
            ax.hist(
                np.clip(x_prior, *rng),
                bins=bins,
                density=True,
                color=c_prior,
                alpha=0.5,
                label="prior",
            )
        ax.hist(
            np.clip(x_post, *rng),
            bins=bins,
            density=True,
            color=c_post,
            alpha=0.7,
            label="posterior",
        )
        ax.set_title(k, fontweight="normal")
        ax.set_xlabel(_UNITS.get(k, ""))
        ax.set_yticks([])
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    if names:
        axes[0].legend(fontsize="x-small")
    return fig


# ------------------------------------------------------------------------------- attribution
