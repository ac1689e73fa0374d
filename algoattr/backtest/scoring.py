"""Scores of held-out predictions: median absolute error and interval coverage."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from algoattr import law
from algoattr.intervals import central_interval
from algoattr.model.design import LM_TASK

#: Probabilities of the central intervals whose coverage is scored.
CI_PROBS = (0.5, 0.9)


# ----------------------------------------------------------------------------- scoring


def coverage(y: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> float:
    """Share of ``y`` inside ``[lo, hi]`` (NaN when there is no value)."""
    y = np.asarray(y, float)
    if y.size == 0:
        return float("nan")
    return float(np.mean((y >= lo) & (y <= hi)))


def score(
    y: np.ndarray, point: np.ndarray, draws: np.ndarray, ci_probs: Sequence[float] = CI_PROBS
) -> dict[str, float]:
    """Median absolute error of ``point`` and coverage of the central intervals of ``draws``.

    Parameters
    ----------
    y : numpy.ndarray
        Observed values, one per held-out row.
    point : numpy.ndarray
        Point predictions, one per row.
    draws : numpy.ndarray
        ``(draws, rows)`` predictive (or bootstrap) draws.
    ci_probs : sequence of float
        Probabilities of the scored intervals.

    Returns
    -------
    dict
        ``n_test``, ``median_abs_error`` and ``coverage_<percent>`` per interval.
    """
    y = np.asarray(y, float)
    out: dict[str, float] = {
        "n_test": int(y.size),
        "median_abs_error": float(np.median(np.abs(point - y))) if y.size else float("nan"),
    }
    for p in ci_probs:
        lo, hi = central_interval(draws, p) if y.size else (y, y)
        out[f"coverage_{round(100 * p)}"] = coverage(y, lo, hi)
    return out


def observed(rows: pd.DataFrame, task: str) -> np.ndarray:
    """Observed values on the law's scale: log perplexity, or logit of top-1 accuracy."""
    value = rows["value"].to_numpy(float)
    if task == LM_TASK:
        return np.log(value)
    return np.asarray(law.logit(1.0 - value / 100.0))
