"""The one interval convention of algoattr's results.

Every function, method and command that summarises draws (posterior draws, bootstrap refits,
simulated coefficients, Monte Carlo samples) reports the median and an **equal-tailed** central
interval, ``lower`` and ``upper`` at the ``(1 − ci_prob)/2`` and ``(1 + ci_prob)/2`` quantiles,
and takes the interval's probability as the keyword ``ci_prob`` (the name of ArviZ's
``rcParams["stats.ci_prob"]`` and of arviz-stats' keyword). The default is :data:`CI_PROB`
everywhere, 95%, the level at which Ho et al. 2024 and Erdil & Besiroglu 2022 report their
doubling times, so an interval is comparable with the published one without a second argument.
Summaries in dictionaries carry the probability under the key ``ci_prob``.

Equal-tailed rather than highest-density: the doubling time is a ratio whose posterior can
put mass beyond ±∞ (a rate near zero), and an equal-tailed interval maps exactly through the
monotone rate-to-months conversion (the quantiles of the rate, mapped, are the quantiles of
the doubling time), which a highest-density interval does not.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

__all__ = [
    "CI_PROB",
    "central_interval",
    "check_ci_prob",
    "ci_label",
    "eti",
    "eti_probs",
    "summarise",
]

#: Default probability of every central interval algoattr reports.
CI_PROB: float = 0.95


def check_ci_prob(ci_prob: float) -> float:
    """``ci_prob`` as a float, or ``ValueError`` unless ``0 < ci_prob < 1``."""
    value = float(ci_prob)
    if not 0.0 < value < 1.0:
        raise ValueError(f"ci_prob must be strictly between 0 and 1, got {ci_prob!r}")
    return value


def eti_probs(ci_prob: float = CI_PROB) -> tuple[float, float]:
    """Quantile probabilities ``((1 − ci_prob)/2, (1 + ci_prob)/2)`` of the interval ends."""
    p = check_ci_prob(ci_prob)
    return (1.0 - p) / 2.0, (1.0 + p) / 2.0


def eti(draws: Any, ci_prob: float = CI_PROB, axis: int | None = 0) -> tuple[Any, Any, Any]:
    """Lower end, median and upper end of the equal-tailed interval of ``draws``.

    Parameters
    ----------
    draws : array_like
        Draws; NaN draws are ignored (an all-NaN slice gives NaN).
    ci_prob : float
        Probability of the interval.
    axis : int or None
        Axis of the draws (``None``: all values).

    Returns
    -------
    tuple
        ``(lower, median, upper)``, floats for 1-D input or ``axis=None``, arrays otherwise.
    """
    lo_p, hi_p = eti_probs(ci_prob)
    arr = np.asarray(draws, dtype=float)
    probs = [lo_p, 0.5, hi_p]
    # nanquantile is several times slower; use it only where a value is undefined.
    if not np.isnan(arr).any():
        q = np.quantile(arr, probs, axis=axis)
    else:
        with warnings.catch_warnings():  # all-NaN slices stay NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            q = np.nanquantile(arr, probs, axis=axis)
    if np.ndim(q[0]) == 0:
        return float(q[0]), float(q[1]), float(q[2])
    return q[0], q[1], q[2]


def central_interval(draws: Any, ci_prob: float = CI_PROB, axis: int | None = 0) -> tuple[Any, Any]:
    """``(lower, upper)`` of the equal-tailed interval (see :func:`eti`)."""
    lo, _, hi = eti(draws, ci_prob, axis)
    return lo, hi


def summarise(draws: Any, ci_prob: float = CI_PROB) -> dict[str, float]:
    """``{"median", "lower", "upper", "ci_prob"}`` of 1-D draws (NaN draws ignored)."""
    lo, med, hi = eti(np.ravel(np.asarray(draws, dtype=float)), ci_prob, axis=0)
    return {"median": med, "lower": lo, "upper": hi, "ci_prob": float(ci_prob)}


def ci_label(ci_prob: float = CI_PROB) -> str:
    """``"95% interval"`` for ``ci_prob = 0.95`` (the wording of every table header)."""
    pct = round(100.0 * check_ci_prob(ci_prob), 6)
    return f"{pct:g}% interval"
