"""Draws from a fit's priors, taken from the fit's own PyMC model, for the prior-against-
posterior figure and the prior-sensitivity table."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["prior_draws", "prior_model", "prior_specs"]


def prior_specs(result: Any) -> dict[str, dict[str, Any]]:
    """The priors a fit was built with: ``extras["priors"]`` when the fit recorded them,
    otherwise the defaults of :mod:`algoattr.model.priors` (fits made before priors were
    recorded used the defaults)."""
    from algoattr.model.priors import IMAGENET_PRIORS, LM_PRIORS

    recorded = result.extras.get("priors") if getattr(result, "extras", None) else None
    if recorded:
        return recorded
    return IMAGENET_PRIORS if result.task == "image_classification" else LM_PRIORS


def prior_model(result: Any) -> Any:
    """The fit's PyMC model rebuilt from its rows, variant, likelihood, paper effect, law
    reference point and prior overrides (the model the sampler ran)."""
    extras = getattr(result, "extras", None) or {}
    overrides = extras.get("prior_overrides") or None
    likelihood = extras.get("likelihood", "normal")
    if result.task == "image_classification":
        from algoattr.model.design import ImageNetDesign
        from algoattr.model.imagenet import create_imagenet_model

        design = ImageNetDesign.from_frame(result.data)
        return create_imagenet_model(design, likelihood=likelihood, priors=overrides)
    from algoattr.model.design import LMDesign
    from algoattr.model.lm import create_lm_model

    design = LMDesign.from_frame(result.data, ref=result.reference)
    return create_lm_model(
        design,
        variant=result.variant,
        likelihood=likelihood,
        paper_effect=bool(extras.get("paper_effect", False)),
        priors=overrides,
    )


def prior_draws(result: Any, n: int = 4000, seed: int = 0) -> dict[str, np.ndarray]:
    """Prior draws of a fit's scalar parameters and its doubling time, from its own model.

    The model is rebuilt (:func:`prior_model`) and sampled with
    ``pymc.sample_prior_predictive``, so the draws are those of the priors the fit used,
    overrides included, and the rate and doubling time follow through the model's own
    deterministics.

    Parameters
    ----------
    result : FitResult
        The fit (its task, rows, variant and the variables present in its posterior).
    n : int
        Number of draws.
    seed : int
        Random seed.

    Returns
    -------
    dict of str to numpy.ndarray
        Prior draws keyed by variable name: the scalar variables with a prior of their own
        (:func:`prior_specs`) that are in the posterior, and ``rate`` and
        ``doubling_time_months`` when the model has them.
    """
    import pymc as pm

    model = prior_model(result)
    post = result.idata.posterior
    named = model.named_vars
    wanted = [k for k in prior_specs(result) if k in post and k in named]
    wanted += [k for k in ("rate", "doubling_time_months") if k in post and k in named]
    wanted = [k for k in wanted if not model.named_vars_to_dims.get(k)]
    with model:
        prior = pm.sample_prior_predictive(draws=n, random_seed=seed, var_names=wanted).prior
    return {k: np.asarray(prior[k].values, float).reshape(-1) for k in wanted}
