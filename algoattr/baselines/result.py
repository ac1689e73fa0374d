"""The result of a papers' estimator, :class:`BaselineResult`, and doubling-time summaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from algoattr import law
from algoattr.intervals import CI_PROB, eti

__all__ = ["BaselineResult", "doubling_summary", "months_from_rate"]

LM_TASK = "language_modelling"
IMAGENET_TASK = "image_classification"


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass
class BaselineResult:
    """Estimates of one published estimator on one set of rows.

    Attributes
    ----------
    name : str
        Estimator id (``"ho2024"``, ``"erdil2022"``, ``"ols_clustered"``).
    task : str
        ``"language_modelling"`` or ``"image_classification"``.
    n_rows : int
        Rows fitted.
    doubling_time_months : dict
        ``point`` (full-sample fit), ``median``, ``lower``, ``upper`` (interval at ``ci_prob``)
        and ``ci_prob``; for bootstrap estimators the median and interval are those of the
        bootstrap refits, for OLS those of the sampling distribution of the coefficients.
    params : dict
        Per parameter: ``point`` and, where available, ``median``, ``lower``, ``upper``.
    n_boot : int
        Bootstrap refits (0 for OLS).
    seed : int or None
        Seed of every random step.
    wall_time_s : float
        Wall time of the point fit and all refits.
    notes : list of str
        Choices worth knowing when reading the numbers.
    extras : dict
        Further estimator-specific output (JSON-serialisable).
    """

    name: str
    task: str
    n_rows: int
    doubling_time_months: dict[str, float]
    params: dict[str, dict[str, float]]
    n_boot: int
    seed: int | None
    wall_time_s: float
    notes: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The result as plain floats, lists, strings and dictionaries (JSON-serialisable)."""
        return _plain(asdict(self))

    def summary(self) -> str:
        """A few lines of text: doubling time, parameters, rows, refits and wall time."""
        dt = self.doubling_time_months
        lines = [
            f"{self.name} ({self.task}): {self.n_rows} rows, {self.n_boot} refits, "
            f"{self.wall_time_s:.2f} s",
            f"  doubling time: point {_fmt(dt['point'])} months; median {_fmt(dt['median'])} "
            f"[{_fmt(dt['lower'])}, {_fmt(dt['upper'])}] ({100 * dt['ci_prob']:.0f}%)",
        ]
        for k, v in self.params.items():
            if "median" in v:
                lines.append(
                    f"  {k}: {v['point']:.4g}; median {v['median']:.4g} "
                    f"[{v['lower']:.4g}, {v['upper']:.4g}]"
                )
            else:
                lines.append(f"  {k}: {v['point']:.4g}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def _fmt(x: float) -> str:
    return "inf" if not np.isfinite(x) else f"{x:.1f}"


def _plain(x: Any) -> Any:
    if isinstance(x, Mapping):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return [_plain(v) for v in x.tolist()]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x)
    return x


def months_from_rate(rate: float) -> float:
    """Doubling time in months of an e-fold rate per year (``inf`` when the rate is ≤ 0,
    NaN when it is undefined)."""
    return float(law.doubling_months(rate))


def doubling_summary(
    point_rate: float, rates: np.ndarray, ci_prob: float = CI_PROB
) -> dict[str, float]:
    """Point, median and percentile interval of the doubling time from e-fold rates.

    Percentiles are taken on the rate, which is smooth through zero, and mapped through
    ``12·ln 2 / rate``; this equals the percentiles of the doubling times themselves whenever
    every rate is positive, and gives an infinite upper end when the lower rate bound is ≤ 0.

    Parameters
    ----------
    point_rate : float
        Rate of the full-sample fit (e-folds of effective compute per year).
    rates : numpy.ndarray
        Rates of the refits or simulation draws.
    ci_prob : float
        Probability of the interval.

    Returns
    -------
    dict
        ``point``, ``median``, ``lower``, ``upper``, ``ci_prob`` (months) and ``mean`` of the
        finite positive doubling times.
    """
    rates = np.asarray(rates, dtype=float)
    rates = rates[np.isfinite(rates)]
    if rates.size == 0:
        nan = float("nan")
        return {
            "point": months_from_rate(point_rate),
            **dict.fromkeys(("median", "lower", "upper", "mean", "prob_rate_positive"), nan),
            "ci_prob": ci_prob,
        }
    lo, med, hi = eti(rates, ci_prob)
    pos = rates[rates > 0]
    return {
        "point": months_from_rate(point_rate),
        "median": months_from_rate(med),
        "lower": months_from_rate(hi),
        "upper": months_from_rate(lo),
        "ci_prob": ci_prob,
        "mean": float(np.mean(law.doubling_months(pos))) if pos.size else float("nan"),
        "prob_rate_positive": float(np.mean(rates > 0)),
    }


def _param_summary(
    point: Mapping[str, float],
    boots: np.ndarray | None,
    names: Sequence[str],
    ci_prob: float = CI_PROB,
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for j, k in enumerate(names):
        entry = {"point": float(point[k])}
        if boots is not None and len(boots):
            lo, med, hi = eti(boots[:, j], ci_prob)
            entry.update({"median": float(med), "lower": float(lo), "upper": float(hi)})
        out[k] = entry
    return out
