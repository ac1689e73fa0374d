"""Simulated language-model data: prior draws (:func:`draw_prior_datasets`) and known truths.

:func:`draw_prior_datasets` applies and counts the rejection rule of absurd datasets explained
in :mod:`algoattr.model.calibration`; :func:`simulate_lm` draws data from given parameters for
recovery tests.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from algoattr import law
from algoattr.model.design import LMDesign

#: Default acceptance range of simulated log-perplexities (see the module docstring).
DEFAULT_Y_RANGE = (0.0, 20.0)


# ----------------------------------------------------------------------------- simulation


@dataclass
class PriorDatasets:
    """Prior draws and the datasets simulated from them.

    Attributes
    ----------
    truth : pandas.DataFrame
        One row per kept dataset; a column per scalar prior quantity.
    y : numpy.ndarray
        Simulated log-perplexities, shape ``(datasets, rows)``.
    n_drawn : int
        Prior draws examined to get the kept ones (kept + rejected).
    n_rejected : int
        Prior draws rejected by the data range rule.
    n_nonfinite : int
        Of the rejected, those with non-finite simulated data.
    y_range : tuple of float or None
        Acceptance range of simulated values; ``None`` keeps every finite draw.
    """

    truth: pd.DataFrame
    y: np.ndarray
    n_drawn: int
    n_rejected: int
    n_nonfinite: int
    y_range: tuple[float, float] | None

    @property
    def rejection_rate(self) -> float:
        """Fraction of examined prior draws that were rejected."""
        return self.n_rejected / self.n_drawn if self.n_drawn else 0.0


def accept_dataset(y: np.ndarray, y_range: tuple[float, float] | None) -> tuple[bool, bool]:
    """Whether a simulated dataset is kept, and whether it is finite.

    A dataset is kept when every value is finite and (with ``y_range``) strictly inside
    ``y_range``. Non-finite data are always rejected: the likelihood cannot be evaluated.
    """
    finite = bool(np.all(np.isfinite(y)))
    if not finite:
        return False, False
    if y_range is None:
        return True, True
    return bool(np.all((y > y_range[0]) & (y < y_range[1]))), True


def draw_prior_datasets(
    model: Any,
    n: int,
    *,
    seed: int,
    y_range: tuple[float, float] | None = DEFAULT_Y_RANGE,
    observed: str = "log_ppl",
    max_draws: int = 100_000,
) -> PriorDatasets:
    """Draw parameters from the prior of ``model`` and simulate ``n`` kept datasets.

    Prior draws are examined in the order drawn, and the first ``n`` that pass
    :func:`accept_dataset` are kept; every rejected draw before the ``n``-th kept one is
    counted. See the module docstring for what the rejection does to the check.

    Parameters
    ----------
    model : pymc.Model
        Model on the real design (its data containers hold the real covariates).
    n : int
        Datasets wanted.
    seed : int
        Seed of the prior predictive draws (batches take seeds spawned from it).
    y_range : tuple of float or None
        Acceptance range of simulated values; ``None`` keeps every finite dataset.
    observed : str
        Name of the observed variable.
    max_draws : int
        Give up (``RuntimeError``) after examining this many prior draws.

    Returns
    -------
    PriorDatasets
    """
    import pymc as pm

    kept_truth: list[dict[str, float]] = []
    kept_y: list[np.ndarray] = []
    drawn = rejected = nonfinite = 0
    seeds = np.random.SeedSequence(seed)
    batch = max(2 * n + 20, 50)
    while len(kept_y) < n:
        if drawn >= max_draws:
            raise RuntimeError(
                f"only {len(kept_y)} of {n} datasets kept after {drawn} prior draws; "
                f"widen y_range={y_range}"
            )
        (child,) = seeds.spawn(1)
        batch_seed = int(child.generate_state(1)[0])
        idata = pm.sample_prior_predictive(draws=batch, model=model, random_seed=batch_seed)
        prior = idata.prior
        y_all = idata.prior_predictive[observed].values.reshape(batch, -1)
        scalars = [v for v in prior.data_vars if prior[v].ndim == 2]
        values = {v: prior[v].values.reshape(batch) for v in scalars}
        for i in range(batch):
            drawn += 1
            ok, finite = accept_dataset(y_all[i], y_range)
            if not ok:
                rejected += 1
                nonfinite += not finite
                continue
            kept_truth.append({v: float(values[v][i]) for v in scalars})
            kept_y.append(y_all[i].astype(float))
            if len(kept_y) == n:
                break
    return PriorDatasets(
        truth=pd.DataFrame(kept_truth),
        y=np.vstack(kept_y),
        n_drawn=drawn,
        n_rejected=rejected,
        n_nonfinite=nonfinite,
        y_range=y_range,
    )


def simulate_lm(
    design: LMDesign,
    params: Mapping[str, Any],
    *,
    sigma: float,
    seed: int,
) -> np.ndarray:
    """Log-perplexities simulated from known law parameters on ``design``'s rows.

    Parameters
    ----------
    design : LMDesign
        Rows (years, sizes, benchmarks) to simulate on.
    params : mapping
        ``a`` and ``b`` (one value per benchmark of ``design``, in its order, or a scalar),
        ``alpha_year``, ``alpha_param``, ``beta_year``, ``beta_data``.
    sigma : float
        Standard deviation of the Normal residual.
    seed : int
        Seed of the residuals.

    Returns
    -------
    numpy.ndarray
        One simulated log-perplexity per row.
    """
    a = np.broadcast_to(np.asarray(params["a"], dtype=float), (len(design.benchmarks),))
    b = np.broadcast_to(np.asarray(params["b"], dtype=float), (len(design.benchmarks),))
    mu = law.lm_log_perplexity(
        design.year,
        design.parameters,
        design.tokens,
        a=a[design.benchmark_idx],
        alpha_year=params["alpha_year"],
        alpha_param=params["alpha_param"],
        b=b[design.benchmark_idx],
        beta_year=params["beta_year"],
        beta_data=params["beta_data"],
        ref=design.ref,
    )
    rng = np.random.default_rng(seed)
    return mu + sigma * rng.standard_normal(mu.shape)


def with_log_ppl(design: LMDesign, y: np.ndarray) -> LMDesign:
    """A copy of ``design`` whose observed log-perplexities are ``y``."""
    y = np.asarray(y, dtype=float)
    if y.shape != design.log_ppl.shape:
        raise ValueError(f"y has shape {y.shape}, the design {design.log_ppl.shape}")
    return dataclasses.replace(design, log_ppl=y)
