"""Erdil & Besiroglu 2022's estimator: the two-sigmoid ImageNet law by MAP, with bootstrap.

:func:`erdil2022_fit` maximises the posterior under their Normal priors (slopes
sd :data:`ERDIL_SLOPE_PRIOR_SD`); :func:`erdil2022_estimator` adds bootstrap refits and returns
a :class:`~algoattr.baselines.BaselineResult`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from algoattr import law
from algoattr.baselines.result import (
    IMAGENET_TASK,
    BaselineResult,
    _param_summary,
    doubling_summary,
)
from algoattr.intervals import CI_PROB

__all__ = [
    "ERDIL_PARAMS",
    "ErdilDesign",
    "erdil2022_estimator",
    "erdil2022_fit",
    "erdil2022_objective",
]

#: Parameters of the Erdil & Besiroglu law in :func:`algoattr.law.imagenet_accuracy`'s names,
#: followed by the log residual scale.
ERDIL_PARAMS = (*law.IMAGENET_PARAMS, "log_sigma")

#: Prior standard deviation of the four slopes in Erdil & Besiroglu's MAP fit. The paper writes
#: ``Normal(0, 0.09)``; their notebook is not in our code index, so we settled the reading
#: empirically: on their own 97 rows, a *standard deviation* of 0.09 reproduces every published
#: point estimate to the printed digits (β_year 0.1589, β_compute 0.1545, c_D 1.783, ...; 8.1
#: months), while a variance of 0.09 (sd 0.3) gives β_compute 0.225 and 12.0 months.
#: ``analyses/reproduce_erdil2022.py`` prints both readings.
ERDIL_SLOPE_PRIOR_SD = 0.09
#: Prior standard deviation of the intercepts and of ``log σ``.
ERDIL_OTHER_PRIOR_SD = 1.0


# --------------------------------------------------------------------------------------
# Erdil & Besiroglu 2022
# --------------------------------------------------------------------------------------


@dataclass
class ErdilDesign:
    """Arrays of the ImageNet law: year, compute (FLOP), images and observed accuracy."""

    year: np.ndarray
    compute: np.ndarray
    images: np.ndarray
    accuracy: np.ndarray

    @classmethod
    def from_frame(cls, rows: pd.DataFrame) -> ErdilDesign:
        """From rows with ``year``, ``training_compute_flop``, ``training_images`` and
        ``value`` (top-1 error in percent)."""
        if rows.empty:
            raise ValueError("no rows to fit")
        return cls(
            year=rows["year"].to_numpy(float),
            compute=rows["training_compute_flop"].to_numpy(float),
            images=rows["training_images"].to_numpy(float),
            accuracy=1.0 - rows["value"].to_numpy(float) / 100.0,
        )

    def subset(self, idx: np.ndarray) -> ErdilDesign:
        """The design of rows ``idx``."""
        return ErdilDesign(self.year[idx], self.compute[idx], self.images[idx], self.accuracy[idx])


def _erdil_law_kwargs(theta: np.ndarray) -> dict[str, float]:
    return dict(zip(ERDIL_PARAMS[:6], theta[:6], strict=True))


def erdil2022_objective(
    theta: np.ndarray, design: ErdilDesign, slope_prior_sd: float = ERDIL_SLOPE_PRIOR_SD
) -> tuple[float, np.ndarray]:
    """Negative log posterior of Erdil & Besiroglu's model and its gradient.

    ``logit(observed accuracy) ~ Normal(logit(σ(z_C)·σ(z_D)), σ)`` with Normal(0, 1) priors on
    ``c_C``, ``c_D`` and ``log σ`` and Normal(0, ``slope_prior_sd``) on the four slopes
    (additive constants dropped).

    Parameters
    ----------
    theta : numpy.ndarray
        Parameters in the order of :data:`ERDIL_PARAMS`.
    design : ErdilDesign
        Rows.
    slope_prior_sd : float
        Prior standard deviation of the slopes.

    Returns
    -------
    tuple
        ``(value, gradient)``.
    """
    kw = _erdil_law_kwargs(theta)
    z_c, z_d = law.imagenet_logits(design.year, design.compute, design.images, **kw)
    s_c, s_d = law.sigmoid(z_c), law.sigmoid(z_d)
    p = law.imagenet_accuracy(design.year, design.compute, design.images, **kw)
    mu = law.logit(p)
    log_sigma = theta[6]
    inv_var = np.exp(-2.0 * log_sigma)
    r = law.logit(design.accuracy) - mu
    n = len(r)
    s1, s0 = slope_prior_sd, ERDIL_OTHER_PRIOR_SD
    sd = np.array([s0, s1, s1, s0, s1, s1, s0])
    value = n * log_sigma + 0.5 * inv_var * np.sum(r * r) + 0.5 * np.sum((theta / sd) ** 2)
    # ∂μ/∂z_C = (1 − σ(z_C))/(1 − p), and likewise for z_D.
    dmu_c = (1.0 - s_c) / (1.0 - p)
    dmu_d = (1.0 - s_d) / (1.0 - p)
    g_mu = -inv_var * r  # ∂value/∂μ
    dy = design.year - law.IMAGENET_YEAR0
    lc = np.log(design.compute / law.IMAGENET_COMPUTE0)
    ld = np.log(design.images / law.IMAGENET_DATA0)
    gc, gd = g_mu * dmu_c, g_mu * dmu_d
    grad = np.array(
        [
            gc.sum(),
            (gc * dy).sum(),
            (gc * lc).sum(),
            gd.sum(),
            (gd * dy).sum(),
            (gd * ld).sum(),
            n - inv_var * np.sum(r * r),
        ]
    )
    return float(value), grad + theta / sd**2


def erdil2022_fit(
    design: ErdilDesign,
    *,
    theta0: np.ndarray | None = None,
    slope_prior_sd: float = ERDIL_SLOPE_PRIOR_SD,
) -> np.ndarray:
    """MAP of Erdil & Besiroglu's model (BFGS, analytic gradient).

    Parameters
    ----------
    design : ErdilDesign
        Rows.
    theta0 : numpy.ndarray, optional
        Starting point (default: zeros).
    slope_prior_sd : float
        Prior standard deviation of the slopes.

    Returns
    -------
    numpy.ndarray
        θ in the order of :data:`ERDIL_PARAMS`.
    """
    theta0 = np.zeros(len(ERDIL_PARAMS)) if theta0 is None else np.asarray(theta0, float)
    res = optimize.minimize(
        erdil2022_objective,
        theta0,
        args=(design, slope_prior_sd),
        jac=True,
        method="BFGS",
        options={"maxiter": 5000, "gtol": 1e-7},
    )
    return res.x


def erdil2022_estimator(
    rows: pd.DataFrame,
    *,
    n_boot: int = 100,
    seed: int = 0,
    slope_prior_sd: float = ERDIL_SLOPE_PRIOR_SD,
    ci_prob: float = CI_PROB,
) -> BaselineResult:
    """Erdil & Besiroglu 2022's estimator: MAP of the two-sigmoid law, bootstrap intervals.

    As in their notebook, the bootstrap distribution is the full-sample fit plus
    ``n_boot − 1`` refits on rows resampled with replacement (100 fits in all by default),
    each warm-started from the full-sample fit.

    Parameters
    ----------
    rows : pandas.DataFrame
        Rows with ``year``, ``training_compute_flop``, ``training_images`` and ``value``
        (top-1 error, percent).
    n_boot : int
        Fits in the bootstrap distribution, the full-sample fit included.
    seed : int
        Seed of the resampling.
    slope_prior_sd : float
        Prior standard deviation of the slopes (see :data:`ERDIL_SLOPE_PRIOR_SD`).
    ci_prob : float
        Probability of the interval (:mod:`algoattr.intervals`).

    Returns
    -------
    BaselineResult
        Compute-augmenting doubling time in months
        (``12·``:func:`algoattr.law.imagenet_doubling_time_years`).
    """
    t0 = time.perf_counter()
    design = ErdilDesign.from_frame(rows)
    theta = erdil2022_fit(design, slope_prior_sd=slope_prior_sd)
    rng = np.random.default_rng(seed)
    n = len(design.year)
    fits = [theta]
    for _ in range(max(n_boot - 1, 0)):
        sub = design.subset(rng.integers(0, n, n))
        fits.append(erdil2022_fit(sub, theta0=theta, slope_prior_sd=slope_prior_sd))
    boots = np.array(fits)
    rates = law.LN2 / law.imagenet_doubling_time_years(boots[:, 1], boots[:, 2])
    point = dict(zip(ERDIL_PARAMS, theta, strict=True))
    point_rate = float(law.LN2 / law.imagenet_doubling_time_years(theta[1], theta[2]))
    return BaselineResult(
        name="erdil2022",
        task=IMAGENET_TASK,
        n_rows=n,
        doubling_time_months=doubling_summary(point_rate, rates, ci_prob),
        params=_param_summary(point, boots if n_boot > 1 else None, ERDIL_PARAMS, ci_prob),
        n_boot=n_boot,
        seed=seed,
        wall_time_s=time.perf_counter() - t0,
        notes=[
            f"slope priors Normal(0, sd={slope_prior_sd:g}); intercepts and log σ Normal(0, 1)",
            "bootstrap distribution: full-sample fit + refits on resampled rows",
        ],
        extras={"slope_prior_sd": slope_prior_sd},
    )
