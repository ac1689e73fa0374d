"""The Chinchilla compute-optimal frontier and the Kaplan to Chinchilla rebalancing gain
(see :mod:`algoattr.ceg`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy import optimize

from algoattr.law import CHINCHILLA, chinchilla_loss

#: Kaplan et al. 2020 compute-optimal allocation as used by Gundlach et al. 2025:
#: ``N = coef · C^exponent``.
KAPLAN_ALLOCATION = {"coef": 3.633e-6, "exponent": 0.73}


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
