"""Compute-equivalent gains between two laws (:func:`law_vs_law`) and two measured
(compute, loss) curves (:func:`ceg_by_loss`); see :mod:`algoattr.ceg`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from algoattr.intervals import CI_PROB, eti
from algoattr.law import law_ceg

# --------------------------------------------------------------------------------------
# Law against law
# --------------------------------------------------------------------------------------


@dataclass
class CEGResult:
    """Compute-equivalent gain of a new law over a reference law.

    Attributes
    ----------
    compute : numpy.ndarray
        Compute values (FLOP) at which the gain is evaluated.
    ceg : numpy.ndarray
        Point CEG at each compute (from the point constants).
    scale_dependent : bool
        ``True`` when the exponents differ (beyond ``rtol``), so the gain changes with compute.
    exponent_of_compute : float
        ``α_new/α_ref − 1``: the CEG grows as ``C`` to this power.
    draws : numpy.ndarray or None
        CEG per draw, shape ``(n_draws, n_compute)``, when the constants came with draws.
    ci_prob : float
        Probability of the interval ``lower`` to ``upper`` (:mod:`algoattr.intervals`).
    lower, median, upper : numpy.ndarray or None
        Equal-tailed interval and median of the draws at each compute.
    p_scale_dependent : float or None
        Share of draws with ``α_new > α_ref`` (the gain grows with compute).
    """

    compute: np.ndarray
    ceg: np.ndarray
    scale_dependent: bool
    exponent_of_compute: float
    draws: np.ndarray | None = None
    ci_prob: float = CI_PROB
    lower: np.ndarray | None = None
    median: np.ndarray | None = None
    upper: np.ndarray | None = None
    p_scale_dependent: float | None = None
    labels: tuple[str, str] = ("reference", "new")

    def table(self) -> pd.DataFrame:
        """One row per compute value: point CEG and, with draws, median and interval."""
        out = pd.DataFrame({"compute_flop": self.compute, "ceg": self.ceg})
        if self.draws is not None:
            pct = round(100 * self.ci_prob)
            out["ceg_median"] = self.median
            out[f"ceg_lower_{pct}"] = self.lower
            out[f"ceg_upper_{pct}"] = self.upper
        return out

    def summary(self) -> str:
        """Plain-text summary."""
        ref, new = self.labels
        lines = [f"Compute-equivalent gain: {ref} -> {new}"]
        if self.scale_dependent:
            lines.append(
                f"  scale-DEPENDENT: CEG grows as C^{self.exponent_of_compute:+.3f} "
                "(exponents differ)"
            )
        else:
            lines.append("  scale-invariant (exponents equal)")
        if self.p_scale_dependent is not None:
            lines.append(f"  P(alpha_new > alpha_ref) over draws = {self.p_scale_dependent:.3f}")
        lines.append(self.table().to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        return "\n".join(lines)


def law_vs_law(
    compute: Any,
    *,
    A_ref: Any,
    alpha_ref: Any,
    A_new: Any,
    alpha_new: Any,
    ci_prob: float = CI_PROB,
    rtol: float = 1e-9,
    labels: tuple[str, str] = ("reference", "new"),
) -> CEGResult:
    """Compute-equivalent gain of one ``L = E + A·C^−α`` law over another.

    ``CEG(C) = (A_ref/A_new)^(1/α_ref) · C^(α_new/α_ref − 1)`` (via :func:`algoattr.law.law_ceg`),
    the factor by which the reference law needs more compute to reach the new law's loss at ``C``.

    Parameters
    ----------
    compute : float or array_like
        Compute (FLOP) of the new method.
    A_ref, alpha_ref, A_new, alpha_new : float or array_like
        Law constants. Scalars give a point estimate; 1-D arrays of equal length are treated as
        joint draws (e.g. bootstrap refits or posterior draws) and give intervals, with the point
        estimate taken at the median of each constant's draws.
    ci_prob : float
        Probability of the reported equal-tailed interval (0.95: the 2.5th–97.5th percentiles).
    rtol : float
        Relative tolerance below which the exponents count as equal (scale-invariant).
    labels : tuple of str
        Names of the reference and the new method, for the summary.

    Returns
    -------
    CEGResult
        Point CEG, scale-dependence flag and, with draws, per-draw gains and percentiles.

    Examples
    --------
    Gundlach et al. 2025's LSTM → 2017 Transformer laws grow as ``C^0.4``:

    >>> r = law_vs_law([1e15, 1e18], A_ref=36.3, alpha_ref=0.065, A_new=81.7, alpha_new=0.091)
    >>> r.scale_dependent, [round(float(v), 1) for v in r.ceg]
    (True, [3.8, 60.2])
    """
    compute = np.atleast_1d(np.asarray(compute, dtype=float))
    consts = [np.asarray(v, dtype=float) for v in (A_ref, alpha_ref, A_new, alpha_new)]
    has_draws = any(c.ndim > 0 and c.size > 1 for c in consts)
    point = [float(np.median(c)) for c in consts]
    ceg = np.asarray(
        law_ceg(compute, A_ref=point[0], alpha_ref=point[1], A_new=point[2], alpha_new=point[3])
    )
    expo = point[3] / point[1] - 1.0
    scale_dependent = not math.isclose(point[1], point[3], rel_tol=rtol)
    result = CEGResult(
        compute=compute,
        ceg=ceg,
        scale_dependent=scale_dependent,
        exponent_of_compute=expo,
        ci_prob=ci_prob,
        labels=labels,
    )
    if has_draws:
        a_r, al_r, a_n, al_n = (np.atleast_1d(c)[:, None] for c in consts)
        draws = np.asarray(
            law_ceg(compute[None, :], A_ref=a_r, alpha_ref=al_r, A_new=a_n, alpha_new=al_n)
        )
        result.draws = draws
        result.lower, result.median, result.upper = eti(draws, ci_prob, axis=0)
        result.p_scale_dependent = float(np.mean(np.broadcast_to(al_n > al_r, (draws.shape[0], 1))))
    return result


# --------------------------------------------------------------------------------------
# By-loss CEG between measured curves
# --------------------------------------------------------------------------------------


def _monotone_frontier(compute: Any, loss: Any) -> tuple[np.ndarray, np.ndarray]:
    """Lower envelope of a (compute, loss) curve: points that set a new lowest loss.

    Returns the frontier sorted by increasing compute, with strictly decreasing loss.
    """
    c = np.asarray(compute, dtype=float).ravel()
    lo = np.asarray(loss, dtype=float).ravel()
    if c.shape != lo.shape:
        raise ValueError(f"compute and loss differ in length: {c.size} vs {lo.size}")
    ok = np.isfinite(c) & np.isfinite(lo) & (c > 0) & (lo > 0)
    c, lo = c[ok], lo[ok]
    order = np.lexsort((lo, c))
    c, lo = c[order], lo[order]
    keep = np.zeros(c.size, dtype=bool)
    best = np.inf
    for i, v in enumerate(lo):
        if v < best:
            keep[i] = True
            best = v
    return c[keep], lo[keep]


def _compute_to_reach(compute: np.ndarray, loss: np.ndarray, at_loss: np.ndarray) -> np.ndarray:
    """Log-log interpolated compute at which a monotone curve reaches ``at_loss`` (NaN outside)."""
    if compute.size == 0:
        return np.full(at_loss.shape, np.nan)
    # np.interp needs increasing x: log-loss is decreasing along the frontier, so reverse.
    x = np.log(loss[::-1])
    y = np.log(compute[::-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        xq = np.log(at_loss)
    out = np.exp(np.interp(xq, x, y))
    inside = (xq >= x[0]) & (xq <= x[-1])
    return np.where(inside, out, np.nan)


def ceg_by_loss(
    compute_ref: Any, loss_ref: Any, compute_new: Any, loss_new: Any, at_loss: Any
) -> np.ndarray:
    """Compute-equivalent gain between two measured curves at given losses.

    Each curve is reduced to its monotone lower envelope (the points that set a new lowest loss
    as compute grows) and interpolated linearly in ``(log loss, log compute)``. The gain at a loss
    is ``C_ref(loss) / C_new(loss)``: how many times more compute the reference needs to reach
    the loss that the new method reaches.

    Parameters
    ----------
    compute_ref, loss_ref : array_like
        Training compute (FLOP, > 0) and loss (> 0) of the reference method, in any order.
    compute_new, loss_new : array_like
        The same for the new method.
    at_loss : float or array_like
        Loss value(s) at which to compare.

    Returns
    -------
    numpy.ndarray
        CEG with the shape of ``at_loss`` (0-d for a scalar); NaN where either curve does not
        span the loss (no extrapolation).

    Examples
    --------
    A new method reaching every loss with a quarter of the compute:

    >>> c = np.array([1e15, 1e16, 1e17])
    >>> loss = 2.0 + 10.0 * c ** -0.05
    >>> round(float(ceg_by_loss(c, loss, c / 4, loss, at_loss=loss[1])), 6)
    4.0
    """
    at = np.asarray(at_loss, dtype=float)
    c_ref, l_ref = _monotone_frontier(compute_ref, loss_ref)
    c_new, l_new = _monotone_frontier(compute_new, loss_new)
    return _compute_to_reach(c_ref, l_ref, at) / _compute_to_reach(c_new, l_new, at)
