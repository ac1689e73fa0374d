"""The threshold method on one threshold: exclusions, the frontier, the halving time, and
the AlexNet-level criterion (see :mod:`algoattr.threshold`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from algoattr.dates import decimal_year
from algoattr.intervals import CI_PROB, eti_probs
from algoattr.law import LN2
from algoattr.model.design import (
    LM_FLAG_REASONS,
    NGRAM_REASON,
    RULE_SETS,
    TOKEN_LEVEL_REASON,
    imagenet_protocol,
    is_ensemble,
    is_late_evaluation,
    is_ngram,
    is_token_level,
    late_reason,
)

PROG = "python -m algoattr.threshold"

PROG = "python -m algoattr.threshold"

#: Hernandez & Brown 2020's AlexNet-level threshold: 79.1% top-5 accuracy, i.e. 20.9% top-5 error.
ALEXNET_TOP5_ERROR = 20.9

#: Metrics known to be higher-is-better (rejected: the method expects lower-is-better values).
HIGHER_IS_BETTER = frozenset({"accuracy", "top1_accuracy", "top5_accuracy", "bleu", "f1", "score"})

#: Reasons a row is excluded, in the order they are checked.
REASONS = {
    "value": "missing value",
    "date": "missing publication_date/year",
    "compute": "missing training_compute_flop",
    "compute_nonpositive": "non-positive training_compute_flop",
    "extra_data": "extra_data (trained beyond the benchmark's training split)",
    "ensemble": "ensemble of several models",
    "protocol": "not trained end to end (ImageNet linear probe or zero-shot)",
    **LM_FLAG_REASONS,
    "ngram": NGRAM_REASON,
    "token_level": TOKEN_LEVEL_REASON,
    "evaluation_lag": late_reason(RULE_SETS["default"].max_evaluation_lag_years),
}


def _years(df: pd.DataFrame) -> pd.Series:
    if "year" in df.columns:
        return pd.to_numeric(df["year"], errors="coerce").astype(float)
    if "publication_date" in df.columns:
        return pd.Series(decimal_year(df["publication_date"]), index=df.index)
    raise KeyError("need a 'year' (decimal) or a 'publication_date' column")


def _check_metric(df: pd.DataFrame) -> str:
    if "metric" not in df.columns:
        return ""
    metrics = sorted(set(df["metric"].dropna().astype(str)))
    if len(metrics) > 1:
        raise ValueError(f"one metric at a time, got {metrics}")
    metric = metrics[0] if metrics else ""
    if metric.lower() in HIGHER_IS_BETTER:
        raise ValueError(
            f"metric {metric!r} is higher-is-better; the method expects lower-is-better"
        )
    return metric


def _split_usable(df: pd.DataFrame, exclude_extra_data: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Usable rows (with ``_year``) and excluded rows (with ``reason``)."""
    work = df.copy()
    work["_year"] = _years(work)
    compute = pd.to_numeric(work["training_compute_flop"], errors="coerce")
    reason = pd.Series(pd.NA, index=work.index, dtype="object")
    checks = [
        ("value", pd.to_numeric(work["value"], errors="coerce").isna()),
        ("date", work["_year"].isna()),
        ("compute", compute.isna()),
        ("compute_nonpositive", compute <= 0),
    ]
    if exclude_extra_data and "extra_data" in work.columns:
        checks.append(("extra_data", work["extra_data"].fillna(False).astype(bool)))
    if "model" in work.columns:
        checks.append(("ensemble", is_ensemble(work)))
    checks.append(("protocol", imagenet_protocol(work) != "end_to_end"))
    # The fit's default exclusions of language-model rows apply here too (see
    # algoattr.model.design.select_rows): a test-time-adapted or zero-shot row would set
    # the frontier with a figure the method's compute does not buy.
    for flag in LM_FLAG_REASONS:
        if flag in work.columns:
            checks.append((flag, work[flag].fillna(False).astype(bool)))
    checks.append(("ngram", is_ngram(work)))
    checks.append(("token_level", is_token_level(work)))
    lag = RULE_SETS["default"].max_evaluation_lag_years
    checks.append(("evaluation_lag", is_late_evaluation(work, lag)))
    for key, mask in checks:
        reason = reason.mask(reason.isna() & mask.to_numpy(), REASONS[key])
    bad = reason.notna()
    excluded = df.loc[bad].copy()
    excluded.insert(0, "reason", reason[bad].astype(str))
    return work.loc[~bad], excluded


@dataclass
class ThresholdResult:
    """Frontier of least compute reaching a threshold, and the implied halving time.

    Attributes
    ----------
    criterion : str
        The threshold, in words.
    frontier : pandas.DataFrame
        Frontier points (each a new lowest compute among models that reached the threshold),
        sorted by date, with ``reduction_factor`` against the first.
    reached : pandas.DataFrame
        Every usable row that reached the threshold.
    excluded : pandas.DataFrame
        Rows that could not be used, with a ``reason`` column.
    n_usable, n_reached : int
        Usable rows, and those among them that reached the threshold.
    reduction_factor : float
        Compute of the first frontier point over that of the last.
    months : float
        Months between the first and the last frontier points.
    halving_months_endpoint : float
        ``months × ln 2 / ln(reduction_factor)`` (NaN with fewer than two frontier points).
    halving_months_regression : float
        ``−12 / slope`` of OLS of ``log2`` compute on year over the frontier points.
    halving_months_regression_ci : tuple of float
        95% t-interval of the regression halving time (NaN with fewer than three points, or
        where the slope's interval reaches zero: then the upper end is ``inf``).
    """

    criterion: str
    frontier: pd.DataFrame
    reached: pd.DataFrame
    excluded: pd.DataFrame
    n_usable: int
    n_reached: int
    reduction_factor: float
    months: float
    halving_months_endpoint: float
    halving_months_regression: float
    halving_months_regression_ci: tuple[float, float]
    metric: str = ""

    @property
    def first(self) -> pd.Series:
        """The first frontier point (the reference model)."""
        return self.frontier.iloc[0]

    @property
    def last(self) -> pd.Series:
        """The last frontier point."""
        return self.frontier.iloc[-1]

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready values (``--json``); an undefined halving time is
        ``null`` with ``halving_undefined_reason`` saying why."""

        def num(x: float) -> float | None:
            return float(x) if np.isfinite(x) else None

        lo, hi = self.halving_months_regression_ci
        out: dict[str, Any] = {
            "criterion": self.criterion,
            "metric": self.metric,
            "n_usable": int(self.n_usable),
            "n_reached": int(self.n_reached),
            "excluded": {str(k): int(v) for k, v in self.exclusion_counts().items()},
            "reduction_factor": num(self.reduction_factor),
            "months": num(self.months),
            "halving_months_endpoint": num(self.halving_months_endpoint),
            "halving_months_regression": num(self.halving_months_regression),
            "halving_months_regression_ci": [num(lo), num(hi)],
            "frontier": [
                {
                    "model": str(r["model"]),
                    "year": float(r["year"]),
                    "training_compute_flop": float(r["training_compute_flop"]),
                }
                for _, r in self.frontier.iterrows()
            ],
        }
        if len(self.frontier) < 2:
            out["halving_undefined_reason"] = (
                "no later usable row reaches the threshold with less training compute than "
                "the first one"
                if len(self.frontier)
                else "no row reached the threshold"
            )
        return out

    def exclusion_counts(self) -> pd.Series:
        """Number of excluded rows per reason."""
        if self.excluded.empty:
            return pd.Series(dtype=int, name="count")
        return self.excluded["reason"].value_counts().rename("count")

    def table(self) -> pd.DataFrame:
        """Frontier points: model, date, compute, value, reduction factor."""
        cols = [
            c
            for c in (
                "model",
                "publication_date",
                "year",
                "training_compute_flop",
                "value",
                "top5_error",
                "reduction_factor",
            )
            if c in self.frontier.columns
        ]
        return self.frontier[cols].reset_index(drop=True)

    def summary(self) -> str:
        """Plain-text summary: criterion, exclusions, reduction factor and halving times."""
        lines = [f"Threshold method (Hernandez & Brown 2020): {self.criterion}"]
        if self.metric:
            lines.append(f"  metric: {self.metric} (lower is better)")
        lines.append(
            f"  rows usable: {self.n_usable}, reaching the threshold: {self.n_reached}, "
            f"excluded: {len(self.excluded)}"
        )
        for reason, n in self.exclusion_counts().items():
            lines.append(f"    excluded {n:4d}: {reason}")
        if self.frontier.empty:
            lines.append("  no model reached the threshold")
            return "\n".join(lines)
        first, last = self.first, self.last
        if len(self.frontier) < 2:
            lines += [
                f"  first: {first['model']} ({first['year']:.2f}, "
                f"{first['training_compute_flop']:.3g} FLOP)",
                "  halving time: undefined. No later usable row reaches the threshold with "
                "less training compute than the first one, so the frontier has one point and "
                "there is no reduction to time. Published rows are trained to their best "
                "figure, not to the threshold; Hernandez & Brown retrained models to stop at it.",
            ]
            return "\n".join(lines)
        lines += [
            f"  first: {first['model']} ({first['year']:.2f}, {first['training_compute_flop']:.3g}"
            " FLOP)",
            f"  last frontier point: {last['model']} ({last['year']:.2f}, "
            f"{last['training_compute_flop']:.3g} FLOP)",
            f"  reduction factor: {self.reduction_factor:.3g}x over {self.months:.1f} months",
            f"  halving time (endpoint):   {self.halving_months_endpoint:.1f} months",
        ]
        lo, hi = self.halving_months_regression_ci
        ci = "" if math.isnan(lo) else f"  (95% CI {lo:.1f} to {hi:.1f})"
        lines.append(
            f"  halving time (regression): {self.halving_months_regression:.1f} months over "
            f"{len(self.frontier)} frontier points{ci}"
        )
        lines.append(
            self.table().to_string(
                index=False,
                float_format=lambda v: f"{v:.4g}",
                formatters={"year": "{:.2f}".format},
            )
        )
        return "\n".join(lines)


def _reaches(
    usable: pd.DataFrame, threshold: float | None, top5_threshold: float | None
) -> pd.Series:
    value = pd.to_numeric(usable["value"], errors="coerce")
    top1_ok = value <= threshold if threshold is not None else pd.Series(False, usable.index)
    if top5_threshold is None or "top5_error" not in usable.columns:
        return top1_ok
    top5 = pd.to_numeric(usable["top5_error"], errors="coerce")
    return top5.le(top5_threshold).where(top5.notna(), top1_ok).astype(bool)


def _describe(threshold: float | None, top5_threshold: float | None, metric: str) -> str:
    m = metric or "value"
    if top5_threshold is None:
        return f"{m} <= {threshold:g}"
    text = f"top5_error <= {top5_threshold:g} where recorded"
    if threshold is not None:
        text += f", otherwise {m} <= {threshold:g}"
    return text


def threshold_frontier(
    df: pd.DataFrame,
    threshold: float | None = None,
    *,
    top5_threshold: float | None = None,
    exclude_extra_data: bool = True,
    criterion: str | None = None,
) -> ThresholdResult:
    """Least training compute reaching a performance threshold, by date.

    Parameters
    ----------
    df : pandas.DataFrame
        Evaluations with columns ``model``, ``year`` (decimal) or ``publication_date``,
        ``value`` (lower is better), ``metric`` (optional, one metric) and
        ``training_compute_flop``; optionally ``top5_error`` and ``extra_data``.
    threshold : float, optional
        A row reaches the threshold when ``value <= threshold``. Default (with no
        ``top5_threshold``): the value of the earliest usable row, i.e. "the first model's level".
    top5_threshold : float, optional
        Where given, rows that record ``top5_error`` reach the threshold when
        ``top5_error <= top5_threshold``; the others fall back to ``value <= threshold``.
    exclude_extra_data : bool
        Exclude rows with ``extra_data`` true (Hernandez & Brown use ImageNet-only training).
    criterion : str, optional
        Description of the threshold for the summary.

    Returns
    -------
    ThresholdResult

    Notes
    -----
    The frontier is built over rows sorted by date (ties: lower compute first); a row joins it
    when its compute is strictly lower than every earlier row that reached the threshold. The
    first frontier point is the earliest row that reached the threshold.
    """
    metric = _check_metric(df)
    usable, excluded = _split_usable(df, exclude_extra_data)
    if threshold is None and top5_threshold is None:
        if usable.empty:
            raise ValueError("no usable rows to define a default threshold")
        earliest = usable.sort_values(["_year", "training_compute_flop"]).iloc[0]
        threshold = float(earliest["value"])
        criterion = criterion or (
            f"{metric or 'value'} <= {threshold:g} (level of {earliest['model']}, the earliest row)"
        )
    criterion = criterion or _describe(threshold, top5_threshold, metric)
    reached = usable.loc[_reaches(usable, threshold, top5_threshold)]
    reached = reached.sort_values(["_year", "training_compute_flop"], kind="mergesort")

    compute = reached["training_compute_flop"].to_numpy(dtype=float)
    prior_min = np.minimum.accumulate(np.concatenate([[np.inf], compute]))[:-1]
    frontier = reached.loc[compute < prior_min].copy()
    frontier["year"] = frontier["_year"]
    nan = float("nan")
    red = months = end = reg = nan
    ci = (nan, nan)
    if not frontier.empty:
        c = frontier["training_compute_flop"].to_numpy(dtype=float)
        y = frontier["_year"].to_numpy(dtype=float)
        frontier["reduction_factor"] = c[0] / c
        red = float(c[0] / c[-1])
        months = float(12.0 * (y[-1] - y[0]))
        if len(frontier) >= 2:
            end = months * LN2 / math.log(red)
            reg, ci = _regression_halving(y, c)
    reached = reached.drop(columns="_year")
    frontier = frontier.drop(columns="_year")
    return ThresholdResult(
        criterion=criterion,
        frontier=frontier.reset_index(drop=True),
        reached=reached.reset_index(drop=True),
        excluded=excluded.reset_index(drop=True),
        n_usable=len(usable),
        n_reached=len(reached),
        reduction_factor=red,
        months=months,
        halving_months_endpoint=end,
        halving_months_regression=reg,
        halving_months_regression_ci=ci,
        metric=metric,
    )


def _regression_halving(year: np.ndarray, compute: np.ndarray) -> tuple[float, tuple[float, float]]:
    """OLS of log2 compute on year: halving time in months and its t-interval at
    :data:`algoattr.intervals.CI_PROB`."""
    nan = float("nan")
    if np.ptp(year) == 0:
        return nan, (nan, nan)
    fit = stats.linregress(year, np.log2(compute))
    halving = -12.0 / fit.slope if fit.slope < 0 else float("inf")
    n = len(year)
    if n < 3:
        return float(halving), (nan, nan)
    t = stats.t.ppf(eti_probs(CI_PROB)[1], n - 2)
    s_lo, s_hi = fit.slope - t * fit.stderr, fit.slope + t * fit.stderr
    lo = -12.0 / s_lo if s_lo < 0 else float("inf")
    hi = -12.0 / s_hi if s_hi < 0 else float("inf")
    return float(halving), (float(min(lo, hi)), float(max(lo, hi)))


def alexnet_level(df: pd.DataFrame, reference_model: str = "AlexNet") -> dict[str, Any]:
    """Hernandez & Brown's AlexNet-level threshold for an ImageNet table.

    Returns keyword arguments for :func:`threshold_frontier`: ``top5_threshold`` 20.9 (79.1%
    top-5 accuracy) for rows that record top-5 error, and ``threshold`` AlexNet's own top-1
    error in ``df`` for those that do not. The AlexNet row is the one whose ``model`` equals
    ``reference_model`` (case-insensitive), else the earliest whose name starts with it.
    """
    names = df["model"].astype(str).str.strip().str.lower()
    ref = df.loc[names == reference_model.lower()]
    if ref.empty:
        ref = df.loc[names.str.startswith(reference_model.lower())]
    if ref.empty:
        from algoattr.inputs import did_you_mean

        hint = did_you_mean(reference_model, sorted(set(df["model"].astype(str))))
        raise ValueError(f"no row for reference model {reference_model!r}{hint}")
    row = ref.assign(_y=_years(ref)).sort_values("_y").iloc[0]
    top1 = float(row["value"])
    return {
        "threshold": top1,
        "top5_threshold": ALEXNET_TOP5_ERROR,
        "criterion": (
            f"AlexNet-level: top-5 error <= {ALEXNET_TOP5_ERROR:g}% (79.1% top-5 accuracy) where "
            f"recorded, otherwise top-1 error <= {top1:g}% ({row['model']}'s own top-1 error)"
        ),
    }
