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

The package: :mod:`~algoattr.ceg.curves` (law against law, by loss),
:mod:`~algoattr.ceg.chinchilla` (the compute-optimal frontier, the rebalancing gain) and
:mod:`~algoattr.ceg.gundlach` (Gundlach et al. 2025's arithmetic).
"""

from __future__ import annotations

from algoattr.ceg.chinchilla import (
    KAPLAN_ALLOCATION,
    chinchilla_optimal_allocation,
    chinchilla_optimal_compute,
    chinchilla_optimal_loss,
    chinchilla_rebalancing_ceg,
    chinchilla_rebalancing_closed_form,
    kaplan_allocation,
)
from algoattr.ceg.curves import CEGResult, ceg_by_loss, law_vs_law
from algoattr.ceg.gundlach import (
    GUNDLACH_2025,
    GundlachExtrapolation,
    gundlach_extrapolation,
)
from algoattr.ceg.gundlach import frontier_compute as frontier_compute
from algoattr.ceg.gundlach import loss_at as loss_at

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
