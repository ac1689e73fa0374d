"""PyMC builder for the ImageNet law (Erdil & Besiroglu 2022)."""

from __future__ import annotations

from typing import Any

import numpy as np

from algoattr import law
from algoattr.law import IMAGENET_PARAMS
from algoattr.model.design import ImageNetDesign
from algoattr.model.lm import LIKELIHOODS
from algoattr.model.priors import (
    IMAGENET_PRIORS,
    make_prior,
    make_standardised_normal,
    resolve_priors,
)


def create_imagenet_model(
    design: ImageNetDesign,
    *,
    likelihood: str = "normal",
    priors: dict[str, dict[str, Any]] | None = None,
) -> Any:
    """Build Erdil & Besiroglu's two-sigmoid law as a PyMC model.

    ``logit(accuracy) ~ Likelihood(logit(σ(z_C)·σ(z_D)), σ)`` with
    ``z_C = c_C + β_year·(Y−2012) + β_C·ln(C/4.7e17)`` and
    ``z_D = c_D + β_year_data·(Y−2012) + β_D·ln(D/1e6)``.

    Parameters
    ----------
    design : ImageNetDesign
        Rows to fit.
    likelihood : {"normal", "student_t"}
        Residual distribution on the logit scale.
    priors : dict, optional
        Overrides of :data:`algoattr.model.priors.IMAGENET_PRIORS`.

    Returns
    -------
    pymc.Model
        With observed ``logit_accuracy`` (data container ``y_obs``) and deterministics
        ``doubling_time_years``, ``doubling_time_months`` and ``multiplier_per_year`` of
        compute-augmenting progress.
    """
    import pymc as pm
    import pytensor.tensor as pt

    if likelihood not in LIKELIHOODS:
        raise ValueError(f"unknown likelihood {likelihood!r}; choose from {LIKELIHOODS}")
    p = resolve_priors(IMAGENET_PRIORS, priors)
    coords = {"obs": np.arange(len(design.accuracy))}
    with pm.Model(coords=coords) as model:
        year = pm.Data("year", design.year, dims="obs")
        compute = pm.Data("compute", design.compute, dims="obs")
        images = pm.Data("images", design.images, dims="obs")
        y_obs = pm.Data("y_obs", law.logit(design.accuracy), dims="obs")
        # Standardised: a start jittered by ±1 on a slope of prior sd 0.09 would put the
        # sigmoids deep in saturation (see make_standardised_normal).
        params = {name: make_standardised_normal(name, p[name]) for name in IMAGENET_PARAMS}
        acc = law.imagenet_accuracy(year, compute, images, xp=pt, **params)
        mu = pm.Deterministic("mu", law.logit(acc, xp=pt), dims="obs")
        sigma = make_prior("sigma", p["sigma"])
        if likelihood == "student_t":
            nu = make_prior("nu", p["nu"])
            pm.StudentT("logit_accuracy", nu=nu, mu=mu, sigma=sigma, observed=y_obs, dims="obs")
        else:
            pm.Normal("logit_accuracy", mu=mu, sigma=sigma, observed=y_obs, dims="obs")
        years = law.imagenet_doubling_time_years(params["beta_year"], params["beta_compute"])
        pm.Deterministic("rate", law.LN2 / years)
        pm.Deterministic("doubling_time_years", years)
        pm.Deterministic("doubling_time_months", 12.0 * years)
        pm.Deterministic("multiplier_per_year", pt.exp(law.LN2 / years))
    return model
