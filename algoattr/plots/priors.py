"""Prior against posterior: draws from the fit's own priors and the figure comparing them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import seaborn as sns
from matplotlib.figure import Figure

from algoattr.model.prior_draws import (  # noqa: F401 (importable from here)
    prior_draws,
    prior_specs,
)
from algoattr.plots.base import (
    _PALETTE,
    KEY_PARAMS,
    _figure,
    _styled,
)

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
