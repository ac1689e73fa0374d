"""Scores of held-out predictions: median absolute error and interval coverage."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from algoattr import law
from algoattr.model.design import LM_TASK

#: Central interval levels whose coverage is scored.
LEVELS = (0.5, 0.9)


# ----------------------------------------------------------------------------- scoring


def central_interval(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Central ``level`` interval per column of ``draws`` (draws on the first axis)."""
    lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return lo, hi


def coverage(y: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> float:
    """Share of ``y`` inside ``[lo, hi]`` (NaN when there is no value)."""
    y = np.asarray(y, float)
    if y.size == 0:
        return float("nan")
    return float(np.mean((y >= lo) & (y <= hi)))


def score(
    y: np.ndarray, point: np.ndarray, draws: np.ndarray, levels: Sequence[float] = LEVELS
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
    levels : sequence of float
        Interval levels.

    Returns
    -------
    dict
        ``n_test``, ``median_abs_error`` and ``coverage_<percent>`` per level.
    """
    y = np.asarray(y, float)
    out: dict[str, float] = {
        "n_test": int(y.size),
        "median_abs_error": float(np.median(np.abs(point - y))) if y.size else float("nan"),
    }
    for level in levels:
        lo, hi = central_interval(draws, level) if y.size else (y, y)
        out[f"coverage_{round(100 * level)}"] = coverage(y, lo, hi)
    return out


def observed(rows: pd.DataFrame, task: str) -> np.ndarray:
    """Observed values on the law's scale: log perplexity, or logit of top-1 accuracy."""
    value = rows["value"].to_numpy(float)
    if task == LM_TASK:
        return np.log(value)
    return np.asarray(law.logit(1.0 - value / 100.0))
