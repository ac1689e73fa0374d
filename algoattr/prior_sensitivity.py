"""How far the data moved each year term away from its prior.

For every year term of the law (language models: ``alpha_year`` and ``beta_year``, and
``year_scale`` / ``year_transformer`` in the variants that have them; ImageNet: ``beta_year``
and ``beta_year_data``) and, for context, the exponents, :func:`prior_sensitivity` compares
draws of the default prior (:func:`algoattr.plots.prior_draws`, the priors of
:mod:`algoattr.model.priors`) with the posterior:

- ``sd_ratio``: posterior sd / prior sd. Near 0 the data determine the term; near 1 the
  posterior is as wide as the prior, and the headline leans on the prior's width.
- ``contraction``: ``1 − posterior variance / prior variance`` (Schad, Betancourt & Vasishth
  2021, "Toward a principled Bayesian workflow in cognitive science").
- ``shift``: (posterior mean − prior mean) / prior sd, how far the data moved the centre.
- ``overlap``: the overlapping area of the two densities (1: identical; 0: disjoint), from
  histograms on a common grid of :data:`BINS` bins spanning both.

A term with ``sd_ratio`` at or above :data:`PRIOR_MATTERS` is flagged: its posterior width
is still set largely by the prior, so a refit with a wider or narrower prior would move it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["BINS", "PRIOR_MATTERS", "YEAR_TERMS", "prior_sensitivity"]

#: Year terms per task (those present in the posterior are shown).
YEAR_TERMS = {
    "language_modelling": ("alpha_year", "beta_year", "year_scale", "year_transformer"),
    "image_classification": ("beta_year", "beta_year_data"),
}
#: Exponents shown after the year terms, for comparison.
EXPONENTS = {
    "language_modelling": ("alpha_param", "beta_data"),
    "image_classification": ("beta_compute", "beta_data"),
}
#: Histogram bins of the overlap.
BINS = 200
#: ``sd_ratio`` from which a term is flagged as still shaped by its prior.
PRIOR_MATTERS = 0.5


def _overlap(a: np.ndarray, b: np.ndarray, bins: int = BINS) -> float:
    lo = min(np.quantile(a, 0.0005), np.quantile(b, 0.0005))
    hi = max(np.quantile(a, 0.9995), np.quantile(b, 0.9995))
    if not hi > lo:
        return 1.0
    edges = np.linspace(lo, hi, bins + 1)
    pa = np.histogram(np.clip(a, lo, hi), edges)[0] / a.size
    pb = np.histogram(np.clip(b, lo, hi), edges)[0] / b.size
    return float(np.minimum(pa, pb).sum())


def _describe(spec: dict[str, Any]) -> str:
    args = ", ".join(f"{k}={v:g}" for k, v in spec.items() if k not in ("dist", "reason"))
    return f"{spec['dist']}({args})"


def prior_sensitivity(result: Any, n_prior: int = 8000, seed: int = 0) -> pd.DataFrame:
    """Prior against posterior of each year term (and the exponents) of a fit.

    Parameters
    ----------
    result : FitResult
        The fit.
    n_prior : int
        Prior draws.
    seed : int
        Seed of the prior draws.

    Returns
    -------
    pandas.DataFrame
        One row per parameter: ``parameter``, ``kind`` (``year term`` or ``exponent``),
        ``prior`` (its distribution), ``prior_sd``, ``posterior_sd``, ``sd_ratio``,
        ``contraction``, ``shift``, ``overlap``, ``prior_matters`` (``sd_ratio`` ≥
        :data:`PRIOR_MATTERS`); empty when no such parameter is in the posterior.
    """
    from algoattr.model.prior_draws import prior_draws, prior_specs

    prior = prior_draws(result, n=n_prior, seed=seed)
    specs = prior_specs(result)
    post = result.idata.posterior
    names = [(n, "year term") for n in YEAR_TERMS.get(result.task, ())]
    names += [(n, "exponent") for n in EXPONENTS.get(result.task, ())]
    rows = []
    for name, kind in names:
        if name not in post or name not in prior or name not in specs:
            continue
        x_post = np.asarray(result.draws(name), float).ravel()
        x_prior = np.asarray(prior[name], float)
        x_post, x_prior = x_post[np.isfinite(x_post)], x_prior[np.isfinite(x_prior)]
        s_prior, s_post = float(np.std(x_prior)), float(np.std(x_post))
        ratio = s_post / s_prior if s_prior > 0 else float("nan")
        rows.append(
            {
                "parameter": name,
                "kind": kind,
                "prior": _describe(specs[name]),
                "prior_sd": s_prior,
                "posterior_sd": s_post,
                "sd_ratio": ratio,
                "contraction": 1.0 - ratio**2,
                "shift": (float(np.mean(x_post)) - float(np.mean(x_prior))) / s_prior,
                "overlap": _overlap(x_prior, x_post),
                "prior_matters": bool(ratio >= PRIOR_MATTERS),
            }
        )
    cols = ["parameter", "kind", "prior", "prior_sd", "posterior_sd", "sd_ratio",
            "contraction", "shift", "overlap", "prior_matters"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)
