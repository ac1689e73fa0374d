"""Fixed-performance (threshold) method of Hernandez & Brown (2020), and its sensitivity.

For a performance threshold, take every model that reached it, and ask how little training
compute sufficed by each date: the *frontier* is the sequence of models that set a new lowest
compute among all models (up to their date) that reached the threshold. Against the first model
on the frontier this gives a reduction factor, and from it a halving time of the compute needed:

- endpoint: ``months × ln 2 / ln(C_first / C_last)`` between the first and the last frontier
  points (Hernandez & Brown's headline: 44× from AlexNet, June 2012, to EfficientNet-b0,
  May 2019, about 16 months);
- regression: OLS of ``log2`` compute on decimal year over the frontier points, halving time
  ``−12 / slope`` months, with a t-interval when there are three points or more.

A threshold sweep (:func:`threshold_sweep`) repeats this for a grid of thresholds; Erdil &
Besiroglu (2022) report that the answer moves by about an order of magnitude with the choice.

Input is any table of evaluations with columns ``model``, ``year`` (decimal) or
``publication_date``, ``value``, ``metric`` and ``training_compute_flop``, for a
*lower-is-better* metric (error, perplexity, loss). Rows lacking what the method needs (compute,
value, date), or trained on extra data when that is excluded, are returned with the reason.

ImageNet: "AlexNet-level" (:func:`alexnet_level`) is 79.1% top-5 accuracy (top-5 error ≤ 20.9%)
for rows that record top-5 error, and otherwise AlexNet's own top-1 error as recorded in the
dataset; rows trained on extra data are excluded (Hernandez & Brown use ImageNet-only training).

Caveat: Hernandez & Brown measured the compute each model needed *to reach* the threshold
(training stopped once AlexNet-level was hit, e.g. 0.069 teraflop/s-days for EfficientNet-b0),
whereas a curated table usually records each model's *full* training compute. On full-training
compute a modern efficient model can cost more than AlexNet even though it reaches AlexNet-level
early in training, so the frontier (and the reduction factor) is much flatter than theirs.

Command line::

    python -m algoattr.threshold --benchmark imagenet [--sweep]

References
----------
Hernandez, D. & Brown, T. B. (2020). Measuring the algorithmic efficiency of neural networks.
arXiv:2005.04305.
Erdil, E. & Besiroglu, T. (2022). Algorithmic progress in computer vision. arXiv:2212.05153.

The package: :mod:`~algoattr.threshold.frontier` (one threshold),
:mod:`~algoattr.threshold.sweep` (a grid of thresholds) and :mod:`~algoattr.threshold.cli`.
"""

from __future__ import annotations

from algoattr.dates import decimal_year
from algoattr.threshold.cli import build_parser, main
from algoattr.threshold.frontier import (
    ALEXNET_TOP5_ERROR,
    HIGHER_IS_BETTER,
    PROG,
    REASONS,
    ThresholdResult,
    alexnet_level,
    threshold_frontier,
)
from algoattr.threshold.sweep import ThresholdSweep, threshold_sweep

__all__ = [
    "ALEXNET_TOP5_ERROR",
    "HIGHER_IS_BETTER",
    "PROG",
    "REASONS",
    "ThresholdResult",
    "ThresholdSweep",
    "alexnet_level",
    "build_parser",
    "decimal_year",
    "main",
    "threshold_frontier",
    "threshold_sweep",
]
