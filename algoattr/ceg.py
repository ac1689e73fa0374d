"""Compute-equivalent gains (CEG).

A compute-equivalent gain is the factor by which a reference method would need more training
compute to match a newer method. This module computes it three ways:

- **law against law** (:func:`law_vs_law`): both methods follow ``L = E + A·C^−α`` with a shared
  irreducible loss ``E``; the gain is :func:`algoattr.law.law_ceg`, scale-invariant exactly when
  the exponents match. Draws of the constants give intervals.
- **by loss** (:func:`ceg_by_loss`): two measured (compute, loss) curves, interpolated in log-log
  space; the gain at a loss is the ratio of the compute each curve needs to reach it.
- **Kaplan → Chinchilla rebalancing** (:func:`chinchilla_rebalancing_ceg`): how much compute a
  Kaplan-style allocation ``N = 3.633e-6·C^0.73`` wastes under the published Chinchilla law,
  solved numerically from the law and checkable against the closed form
  (:func:`chinchilla_rebalancing_closed_form`).

:func:`gundlach_extrapolation` reproduces Gundlach et al. 2025's 2012–2023 arithmetic from their
published constants (see ``analyses/reproduce_gundlach2025.py``).

New law-level functions defined here (not in :mod:`algoattr.law`):
:func:`chinchilla_optimal_allocation`, :func:`chinchilla_optimal_loss` and
:func:`chinchilla_optimal_compute` (compute-optimal frontier of the Chinchilla law).

References
----------
Gundlach, H. et al. (2025). On the origin(s) of algorithmic progress in AI. Constants read from
github.com/hansgundlach/Experimental_Progress (commit 0a3e626).
Hoffmann, J. et al. (2022). Training compute-optimal large language models. arXiv:2203.15556.
Kaplan, J. et al. (2020). Scaling laws for neural language models. arXiv:2001.08361.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from algoattr.law import CHINCHILLA, chinchilla_loss, law_ceg, power_law_loss

__all__ = [
    "GUNDLACH_2025",
    "KAPLAN_ALLOCATION",
    "CEGResult",
    "GundlachExtrapolation",
    "ceg_by_loss",
    "chinchilla_optimal_allocation",
    "chinchilla_optimal_compute",
    "chinchilla_optimal_loss",
    "chinchilla_rebalancing_ceg",
    "chinchilla_rebalancing_closed_form",
    "gundlach_extrapolation",
    "kaplan_allocation",
    "law_vs_law",
]

#: Kaplan et al. 2020 compute-optimal allocation as used by Gundlach et al. 2025:
#: ``N = coef · C^exponent``.
KAPLAN_ALLOCATION = {"coef": 3.633e-6, "exponent": 0.73}

#: Published constants of Gundlach et al. 2025 (frontier laws ``L − E = A·C^−α``, E = 1.9 fixed;
#: single-change ablation multipliers; frontier compute ``1e16 · 4.1^(year − 2013)``).
GUNDLACH_2025: dict[str, Any] = {
    "E": 1.9,
    "laws": {
        "lstm": {"A": 36.3, "alpha": 0.065},
        "transformer_2017": {"A": 81.7, "alpha": 0.091},
        "transformer_modern": {"A": 88.0, "alpha": 0.094},
    },
    "frontier_compute": {"c0": 1e16, "growth": 4.1, "year0": 2013.0},
    # Single-change ablations (by-loss CEG at ~1e15 FLOP); sinusoidal → learned = 1.44 / 1.26.
    "ablations": {
        "learned_positions": 1.14,
        "cosine_schedule": 1.04,
        "pre_norm": 1.87,
        "rmsnorm": 1.09,
        "rope": 1.26,
        "swiglu": 1.17,
    },
    "measured_combined": 1.33,
    # Ablations that enter the timeline (not SwiGLU), with the year each arrives.
    "timeline": {
        "learned_positions": 2018,
        "cosine_schedule": 2018,
        "pre_norm": 2019,
        "rmsnorm": 2020,
        "rope": 2021,
    },
    "mixture_of_experts": 2.0,
}


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
    interval : float
        Central probability of ``low``/``high``.
    low, median, high : numpy.ndarray or None
        Percentiles of the draws at each compute.
    p_scale_dependent : float or None
        Share of draws with ``α_new > α_ref`` (the gain grows with compute).
    """

    compute: np.ndarray
    ceg: np.ndarray
    scale_dependent: bool
    exponent_of_compute: float
    draws: np.ndarray | None = None
    interval: float = 0.9
    low: np.ndarray | None = None
    median: np.ndarray | None = None
    high: np.ndarray | None = None
    p_scale_dependent: float | None = None
    labels: tuple[str, str] = ("reference", "new")

    def table(self) -> pd.DataFrame:
        """One row per compute value: point CEG and, with draws, median and interval."""
        out = pd.DataFrame({"compute_flop": self.compute, "ceg": self.ceg})
        if self.draws is not None:
            pct = round(100 * self.interval)
            out["ceg_median"] = self.median
            out[f"ceg_low_{pct}"] = self.low
            out[f"ceg_high_{pct}"] = self.high
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
    interval: float = 0.9,
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
    interval : float
        Central probability of the reported interval (0.9 gives the 5th–95th percentiles).
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
        interval=interval,
        labels=labels,
    )
    if has_draws:
        a_r, al_r, a_n, al_n = (np.atleast_1d(c)[:, None] for c in consts)
        draws = np.asarray(
            law_ceg(compute[None, :], A_ref=a_r, alpha_ref=al_r, A_new=a_n, alpha_new=al_n)
        )
        q = (1.0 - interval) / 2.0
        result.draws = draws
        result.low, result.median, result.high = np.quantile(draws, [q, 0.5, 1.0 - q], axis=0)
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


# --------------------------------------------------------------------------------------
# Chinchilla compute-optimal frontier and Kaplan → Chinchilla rebalancing
# --------------------------------------------------------------------------------------


def _chinchilla_params(law: Mapping[str, float] | None) -> dict[str, float]:
    params = dict(CHINCHILLA)
    if law is not None:
        params.update(law)
    return params


def chinchilla_optimal_allocation(
    compute: Any, law: Mapping[str, float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Loss-minimising parameters and tokens at compute ``C = 6·N·D`` under a Chinchilla law.

    ``N* = G·(C/6)^(β/(α+β))`` with ``G = (αA/(βB))^(1/(α+β))`` and ``D* = C/(6N*)``
    (Hoffmann et al. 2022, eq. 4).

    Parameters
    ----------
    compute : float or array_like
        Training compute in FLOP.
    law : mapping, optional
        Overrides of the Chinchilla constants ``E, A, B, alpha, beta``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(N*, D*)``.
    """
    p = _chinchilla_params(law)
    a, b = p["alpha"], p["beta"]
    g = (a * p["A"] / (b * p["B"])) ** (1.0 / (a + b))
    c6 = np.asarray(compute, dtype=float) / 6.0
    n = g * c6 ** (b / (a + b))
    return n, c6 / n


def chinchilla_optimal_loss(compute: Any, law: Mapping[str, float] | None = None) -> np.ndarray:
    """Loss of the compute-optimal allocation at ``compute`` under a Chinchilla law."""
    p = _chinchilla_params(law)
    n, d = chinchilla_optimal_allocation(compute, p)
    return np.asarray(chinchilla_loss(n, d, **p))


def chinchilla_optimal_compute(loss: Any, law: Mapping[str, float] | None = None) -> np.ndarray:
    """Least compute at which the compute-optimal Chinchilla model reaches ``loss``.

    Solved numerically (Brent's method on ``ln C``) from :func:`chinchilla_optimal_loss`;
    ``inf`` at or below the irreducible loss ``E``.
    """
    p = _chinchilla_params(law)
    target = np.atleast_1d(np.asarray(loss, dtype=float))
    out = np.full(target.shape, np.inf)
    for i, t in enumerate(target):
        if not t > p["E"]:
            continue

        def gap(log_c: float, t: float = t) -> float:
            return float(chinchilla_optimal_loss(np.exp(log_c), p)) - t

        lo, hi = np.log(1e-10), np.log(1e60)
        if gap(lo) < 0:  # reached with (almost) no compute
            out[i] = 0.0
            continue
        out[i] = np.exp(optimize.brentq(gap, lo, hi, xtol=1e-12, rtol=1e-14, maxiter=500))
    return out.reshape(np.shape(loss)) if np.ndim(loss) else out[0]


def kaplan_allocation(
    compute: Any,
    coef: float = KAPLAN_ALLOCATION["coef"],
    exponent: float = KAPLAN_ALLOCATION["exponent"],
) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-style allocation ``N = coef·C^exponent``, ``D = C/(6N)``."""
    c = np.asarray(compute, dtype=float)
    n = coef * c**exponent
    return n, c / (6.0 * n)


def chinchilla_rebalancing_ceg(
    compute: Any,
    law: Mapping[str, float] | None = None,
    coef: float = KAPLAN_ALLOCATION["coef"],
    exponent: float = KAPLAN_ALLOCATION["exponent"],
) -> np.ndarray:
    """Gain from moving a Kaplan-allocated model to the Chinchilla-optimal allocation.

    A model trained with compute ``C`` and Kaplan's allocation reaches
    ``L_K = chinchilla_loss(N_K, C/(6N_K))``; the compute-optimal allocation reaches ``L_K`` with
    ``C* = chinchilla_optimal_compute(L_K)``. The gain is ``C / C*`` (≥ 1), computed numerically
    from the law; :func:`chinchilla_rebalancing_closed_form` gives the same in closed form.

    Parameters
    ----------
    compute : float or array_like
        Training compute of the Kaplan-allocated model (FLOP).
    law : mapping, optional
        Overrides of the Chinchilla constants (default: Hoffmann et al. 2022's published fit,
        E 1.69, A 406.4, B 410.7, α 0.34, β 0.28).
    coef, exponent : float
        Kaplan allocation ``N = coef·C^exponent`` (default ``3.633e-6·C^0.73``).

    Returns
    -------
    numpy.ndarray
        The gain at each compute.

    Examples
    --------
    Gundlach et al. 2025 report 3.71× at 1.34e22 FLOP:

    >>> round(float(chinchilla_rebalancing_ceg(1.34e22)), 2)
    3.71
    """
    p = _chinchilla_params(law)
    c = np.asarray(compute, dtype=float)
    n, d = kaplan_allocation(c, coef, exponent)
    loss_k = np.asarray(chinchilla_loss(n, d, **p))
    return c / chinchilla_optimal_compute(loss_k, p)


def chinchilla_rebalancing_closed_form(
    compute: Any,
    law: Mapping[str, float] | None = None,
    coef: float = KAPLAN_ALLOCATION["coef"],
    exponent: float = KAPLAN_ALLOCATION["exponent"],
) -> np.ndarray:
    """Closed form of :func:`chinchilla_rebalancing_ceg`.

    With ``L*(C) − E = K·C^−γ``, ``γ = αβ/(α+β)``, on the compute-optimal frontier,
    ``CEG(C) = C · K^(−1/γ) · (A·coef^−α·C^(−α·e) + B·(6·coef)^β·C^(−β(1−e)))^(1/γ)``,
    where ``e`` is the Kaplan exponent. With the published constants this is Gundlach et al.'s
    ``1.85e-20 · C · (28737.9·C^−0.2482 + 20.337·C^−0.0756)^6.512``.
    """
    p = _chinchilla_params(law)
    a, b, big_a, big_b = p["alpha"], p["beta"], p["A"], p["B"]
    gamma = a * b / (a + b)
    # Optimal-frontier constant K: L*(C) − E = K · C^−γ.
    k = float(chinchilla_optimal_loss(1.0, p)) - p["E"]
    c = np.asarray(compute, dtype=float)
    excess = big_a * coef**-a * c ** (-a * exponent) + big_b * (6.0 * coef) ** b * c ** (
        -b * (1.0 - exponent)
    )
    return c * k ** (-1.0 / gamma) * excess ** (1.0 / gamma)


# --------------------------------------------------------------------------------------
# Gundlach et al. 2025 extrapolation
# --------------------------------------------------------------------------------------


@dataclass
class GundlachExtrapolation:
    """Gundlach et al. 2025's decomposition of algorithmic progress between two years.

    Attributes
    ----------
    start_year, end_year : int
        Period of the extrapolation (compute is the frontier compute of ``end_year``).
    final_compute : float
        Frontier compute at ``end_year`` (FLOP).
    lstm_to_transformer : float
        Law-against-law CEG, LSTM → 2017 Transformer, at ``final_compute``.
    chinchilla : float
        Kaplan → Chinchilla rebalancing gain at ``final_compute``.
    transformer : float
        ``lstm_to_transformer / chinchilla`` (the Transformer term).
    scale_invariant : float
        Shrunk ablations in the timeline times mixture-of-experts.
    shrink_exponent : float
        ``ln(measured combined) / ln(product of single ablations)``.
    ablation_terms : dict
        Each timeline ablation after shrinking.
    """

    start_year: int
    end_year: int
    final_compute: float
    lstm_to_transformer: float
    chinchilla: float
    transformer: float
    scale_invariant: float
    shrink_exponent: float
    ablation_terms: dict[str, float] = field(default_factory=dict)
    mixture_of_experts: float = 2.0

    @property
    def total(self) -> float:
        """Total compute-equivalent gain: Transformer × Chinchilla × scale-invariant."""
        return self.transformer * self.chinchilla * self.scale_invariant

    def log_shares(self) -> dict[str, float]:
        """Each term's share of the log-total."""
        lt = math.log(self.total)
        return {
            "transformer": math.log(self.transformer) / lt,
            "chinchilla": math.log(self.chinchilla) / lt,
            "scale_invariant": math.log(self.scale_invariant) / lt,
        }

    def table(self) -> pd.DataFrame:
        """One row per term with its factor and log-share."""
        shares = self.log_shares()
        rows = [
            ("transformer", self.transformer, shares["transformer"]),
            ("chinchilla", self.chinchilla, shares["chinchilla"]),
            ("scale_invariant", self.scale_invariant, shares["scale_invariant"]),
            ("total", self.total, 1.0),
        ]
        return pd.DataFrame(rows, columns=["term", "factor", "log_share"])

    def summary(self) -> str:
        """Plain-text summary."""
        head = (
            f"Gundlach et al. 2025 extrapolation {self.start_year}-{self.end_year} "
            f"(frontier compute {self.final_compute:.3g} FLOP)"
        )
        return head + "\n" + self.table().to_string(index=False, float_format="{:.4g}".format)


def frontier_compute(year: Any, constants: Mapping[str, Any] | None = None) -> np.ndarray:
    """Gundlach et al.'s frontier compute ``1e16 · 4.1^(year − 2013)`` FLOP."""
    fc = (constants or GUNDLACH_2025)["frontier_compute"]
    return fc["c0"] * np.power(fc["growth"], np.asarray(year, dtype=float) - fc["year0"])


def gundlach_extrapolation(
    start_year: int = 2012,
    end_year: int = 2023,
    constants: Mapping[str, Any] | None = None,
    timeline: Sequence[str] | None = None,
) -> GundlachExtrapolation:
    """Reproduce Gundlach et al. 2025's extrapolation of algorithmic progress.

    Transformer term: LSTM → 2017 Transformer law CEG at the final year's frontier compute,
    divided by the Kaplan → Chinchilla rebalancing gain there (their Transformers were trained
    Chinchilla-style, a 2017 one was not). Scale-invariant term: the six single ablations raised
    to ``ln(1.33)/ln(product)`` so that together they give the measured 1.33×; the ablations of
    the timeline that arrive by ``end_year`` (five, not SwiGLU), times mixture-of-experts 2.0.

    Parameters
    ----------
    start_year, end_year : int
        Period; only ``end_year`` (its frontier compute and which timeline items have arrived)
        enters the arithmetic, as in the paper.
    constants : mapping, optional
        Replacement for :data:`GUNDLACH_2025`.
    timeline : sequence of str, optional
        Ablation names to include (default: those in the constants' timeline that arrive by
        ``end_year``).

    Returns
    -------
    GundlachExtrapolation

    Examples
    --------
    >>> round(gundlach_extrapolation(2012, 2023).total)
    6926
    """
    k = constants or GUNDLACH_2025
    c_final = float(frontier_compute(end_year, k))
    lstm, tr = k["laws"]["lstm"], k["laws"]["transformer_2017"]
    ceg_lt = float(
        law_ceg(
            c_final, A_ref=lstm["A"], alpha_ref=lstm["alpha"], A_new=tr["A"], alpha_new=tr["alpha"]
        )
    )
    chin = float(chinchilla_rebalancing_ceg(c_final))
    ablations = k["ablations"]
    shrink = math.log(k["measured_combined"]) / math.log(math.prod(ablations.values()))
    if timeline is None:
        timeline = [name for name, yr in k["timeline"].items() if yr <= end_year]
    terms = {name: ablations[name] ** shrink for name in timeline}
    moe = float(k["mixture_of_experts"])
    return GundlachExtrapolation(
        start_year=start_year,
        end_year=end_year,
        final_compute=c_final,
        lstm_to_transformer=ceg_lt,
        chinchilla=chin,
        transformer=ceg_lt / chin,
        scale_invariant=math.prod(terms.values()) * moe,
        shrink_exponent=shrink,
        ablation_terms=terms,
        mixture_of_experts=moe,
    )


def loss_at(compute: Any, family: str, constants: Mapping[str, Any] | None = None) -> np.ndarray:
    """Frontier loss of one of Gundlach et al.'s families (``lstm``, ``transformer_2017``, ...)."""
    k = constants or GUNDLACH_2025
    law = k["laws"][family]
    return np.asarray(
        power_law_loss(np.asarray(compute, float), E=k["E"], A=law["A"], alpha=law["alpha"])
    )
