"""Fits on a ladder's logs: compute-optimal frontiers, power laws, exponent gaps, CEG vs
compute, ablation interactions and the calibration against the observational estimate.

- :func:`frontier` — lower envelope over widths of validation loss against FLOPs, each width's
  curve (mean over seeds) interpolated in log-log space onto a common compute grid;
- :func:`fit_power_law` — ``L = E + A·C^−α`` (:func:`algoattr.law.power_law_loss`) by least
  squares on ``log L``, with ``E`` fitted (bounded to ``[0, min L)``) or fixed;
- :func:`bootstrap_fits` — intervals for ``α`` per family and for the exponent gap: by
  resampling seeds within each width when every width has ≥ 3 seeds, else by a circular
  moving-block bootstrap of the frontier's log-residuals (blocks keep the autocorrelation of
  neighbouring frontier points);
- :func:`analyse` — everything above plus law-against-law CEG (:func:`algoattr.law.law_ceg`,
  shared fixed ``E``) and measured by-loss CEG (:func:`algoattr.ceg.ceg_by_loss`) at three
  compute levels, and :func:`ablation_interaction`.
"""

from __future__ import annotations

from algoattr.training.fit.analysis import BASE, LadderFit, ablation_interaction, analyse
from algoattr.training.fit.frontier import (
    MIN_SEEDS_FOR_SEED_BOOTSTRAP,
    bootstrap_fits,
    default_window,
    fit_power_law,
    fit_window,
    frontier,
    load_metrics,
)
from algoattr.training.fit.observational import calibrate, observational_transformer_ceg

__all__ = [
    "BASE",
    "MIN_SEEDS_FOR_SEED_BOOTSTRAP",
    "LadderFit",
    "ablation_interaction",
    "analyse",
    "bootstrap_fits",
    "calibrate",
    "default_window",
    "fit_power_law",
    "fit_window",
    "frontier",
    "load_metrics",
    "observational_transformer_ceg",
]
