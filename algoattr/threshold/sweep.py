"""The threshold method over a grid of thresholds (:func:`threshold_sweep`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from algoattr.threshold.frontier import ThresholdResult, _split_usable, threshold_frontier


@dataclass
class ThresholdSweep:
    """Results of the threshold method over a grid of thresholds.

    Attributes
    ----------
    results : dict of float to ThresholdResult
        One result per threshold.
    """

    results: dict[float, ThresholdResult]

    def table(self) -> pd.DataFrame:
        """One row per threshold: first and last frontier model, reduction, halving times."""
        rows = []
        for t, r in self.results.items():
            ok = not r.frontier.empty
            rows.append(
                {
                    "threshold": t,
                    "n_reached": r.n_reached,
                    "n_frontier": len(r.frontier),
                    "first": r.first["model"] if ok else "",
                    "last": r.last["model"] if ok else "",
                    "months": r.months,
                    "reduction_factor": r.reduction_factor,
                    "halving_months_endpoint": r.halving_months_endpoint,
                    "halving_months_regression": r.halving_months_regression,
                }
            )
        return pd.DataFrame(rows)

    def spread(self, column: str = "halving_months_endpoint") -> float:
        """Largest over smallest finite positive value of a column.

        Only thresholds with at least two frontier points count.
        """
        t = self.table()
        v = t.loc[t["n_frontier"] >= 2, column].to_numpy(dtype=float)
        v = v[np.isfinite(v) & (v > 0)]
        return float(v.max() / v.min()) if v.size else float("nan")

    def summary(self) -> str:
        """Plain-text summary: the table and how much the answer moves."""
        lines = [
            "Threshold sweep (Erdil & Besiroglu 2022 report ~an order of magnitude of movement)",
            self.table().to_string(index=False, float_format=lambda v: f"{v:.4g}"),
            f"  endpoint halving time varies {self.spread():.3g}x across thresholds; "
            f"regression {self.spread('halving_months_regression'):.3g}x; "
            f"reduction factor {self.spread('reduction_factor'):.3g}x",
        ]
        return "\n".join(lines)


def threshold_sweep(
    df: pd.DataFrame,
    thresholds: Sequence[float] | None = None,
    *,
    n: int = 9,
    exclude_extra_data: bool = True,
) -> ThresholdSweep:
    """Repeat :func:`threshold_frontier` over a grid of ``value`` thresholds.

    Parameters
    ----------
    df : pandas.DataFrame
        As for :func:`threshold_frontier`.
    thresholds : sequence of float, optional
        Thresholds on ``value`` (lower is better). Default: ``n`` evenly spaced between the
        10th and 90th percentiles of the usable rows' values.
    n : int
        Grid size for the default thresholds.
    exclude_extra_data : bool
        As for :func:`threshold_frontier`.

    Returns
    -------
    ThresholdSweep
    """
    if thresholds is None:
        usable, _ = _split_usable(df, exclude_extra_data)
        lo, hi = np.percentile(usable["value"].astype(float), [10, 90])
        thresholds = np.linspace(lo, hi, n)
    results = {
        float(t): threshold_frontier(df, float(t), exclude_extra_data=exclude_extra_data)
        for t in thresholds
    }
    return ThresholdSweep(results)
