"""Reconcile the estimates of algorithmic progress: one rate, one window, one table.

Every method in the package answers a slightly different question. The observational fits and
the papers' estimators give a *rate* (effective-compute multiplier per year, or a doubling
time); Gundlach et al.'s extrapolation, the retraining suite's compute-equivalent gain and the
Monte Carlo stacks give a *level* (a total gain between two dates, or at one compute). This
module puts them on a common footing:

- each method is reduced to an e-fold rate of effective compute per year, ``r`` (a
  :class:`MethodEstimate`); a level ``G`` accrued between two dates ``years`` apart becomes
  ``r = ln G / years``, i.e. a multiplier per year ``G^(1/years)``;
- from ``r`` follow the multiplier per year ``exp(r)``, the doubling time ``12·ln 2 / r``
  months and the cumulative gain over an explicitly stated window, ``exp(r·window_years)``;
- where draws exist (posterior draws, Monte Carlo draws) every derived quantity is formed per
  draw and then summarised, so intervals propagate; otherwise the stated quantiles are mapped
  through the (monotone) transformations;
- each row's cumulative gain is compared with the largest: its share in log terms,
  ``ln G_i / ln G_max`` (equal to ``r_i / r_max``), and as a ratio, ``G_i / G_max``.

Use :func:`build_estimates` to collect the package's methods, :func:`reconciliation_table` to
form the table and :func:`format_table` to print it; ``analyses/reconcile.py`` does all three
and writes ``reports/reconciliation.csv``.

Examples
--------
>>> g = gundlach_estimate()
>>> t = reconciliation_table([g], start="2012-01-01", end="2023-01-01")
>>> round(float(t["cumulative_gain_median"].iloc[0]))
6926
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr.dates import DateLike, decimal_year
from algoattr.law import LN2

__all__ = [
    "DEFAULT_END",
    "DEFAULT_START",
    "GUNDLACH_WINDOW",
    "MONTECARLO_WINDOW",
    "TABLE_COLUMNS",
    "MethodEstimate",
    "baseline_estimates",
    "build_estimates",
    "decimal_year",
    "find_retraining_ceg",
    "find_retraining_cegs",
    "fit_estimate",
    "format_table",
    "gundlach_estimate",
    "montecarlo_estimates",
    "published_estimates",
    "reconciliation_table",
    "retraining_estimate",
    "threshold_estimate",
    "threshold_sweep_estimate",
]

#: Default window of the cumulative gain.
DEFAULT_START = "2012-01-01"
DEFAULT_END = "2023-01-01"

#: Period of Gundlach et al. 2025's extrapolation (their 2012–2023 figure).
GUNDLACH_WINDOW = ("2012-01-01", "2023-01-01")

#: Period of the "GPT-3-level today" stack: GPT-3's publication (arXiv 2005.14165, 28 May 2020)
#: to early 2024, when the estimate was made (taken as 1 January 2024).
MONTECARLO_WINDOW = ("2020-05-28", "2024-01-01")

#: Columns of :func:`reconciliation_table`, in order.
TABLE_COLUMNS = (
    "method",
    "approach",
    "data",
    "n_rows",
    "benchmark",
    "native_estimate",
    "window_start",
    "window_end",
    "window_years",
    "multiplier_per_year_median",
    "multiplier_per_year_lower",
    "multiplier_per_year_upper",
    "doubling_time_months_median",
    "doubling_time_months_lower",
    "doubling_time_months_upper",
    "cumulative_gain_median",
    "cumulative_gain_lower",
    "cumulative_gain_upper",
    "interval_level",
    "share_of_largest_log",
    "ratio_to_largest",
    "is_largest",
    "notes",
)

NAN = float("nan")


def _date_str(when: DateLike) -> str:
    if isinstance(when, (int, float, np.integer, np.floating)):
        return f"{float(when):.3f}"
    return pd.Timestamp(when).date().isoformat()


def _months(rate: float) -> float:
    """Doubling time in months of an e-fold rate per year (``inf`` when the rate is ≤ 0)."""
    if not np.isfinite(rate):
        return NAN if np.isnan(rate) else 0.0
    return float(12.0 * LN2 / rate) if rate > 0 else float("inf")


def _rate_from_months(months: float) -> float:
    """E-fold rate per year of a doubling time in months (``inf`` months → rate 0)."""
    if months is None or (isinstance(months, float) and np.isnan(months)):
        return NAN
    months = float(months)
    if math.isinf(months):
        return 0.0
    return 12.0 * LN2 / months


@dataclass
class MethodEstimate:
    """One method's estimate of the rate of algorithmic progress.

    The rate is kept as e-folds of effective compute per year: either as draws
    (``rate_draws``) or as a median and an interval (``rate``).

    Attributes
    ----------
    method : str
        Name shown in the table.
    approach : str
        Kind of method (``observational``, ``estimator``, ``threshold``, ``extrapolation``,
        ``experiment``, ``monte carlo``, ``published``).
    data : str
        What it used (rows, benchmark, sampler settings, constants).
    rate : tuple of float
        ``(median, lower, upper)`` e-fold rate per year; NaN where unknown.
    rate_draws : numpy.ndarray or None
        Draws of the e-fold rate per year, when the method has draws.
    interval_level : float
        Central probability of the interval (NaN for point estimates).
    n_rows : int or None
        Rows of data used, where that applies.
    benchmark : str
        Benchmark(s), where that applies.
    native_estimate : str
        What the method reports in its own terms (a rate, or a level over its own period).
    notes : list of str
        Conversions and caveats.
    available : bool
        False for a method that has not been run (its numbers are NaN).
    """

    method: str
    approach: str
    data: str
    rate: tuple[float, float, float] = (NAN, NAN, NAN)
    rate_draws: np.ndarray | None = None
    interval_level: float = NAN
    n_rows: int | None = None
    benchmark: str = ""
    native_estimate: str = ""
    notes: list[str] = field(default_factory=list)
    available: bool = True

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_rate_draws(
        cls, draws: Any, *, interval_level: float = 0.95, **kwargs: Any
    ) -> MethodEstimate:
        """From draws of the e-fold rate per year (non-finite draws are dropped)."""
        d = np.asarray(draws, dtype=float).reshape(-1)
        d = d[np.isfinite(d)]
        if d.size == 0:
            raise ValueError("no finite rate draws")
        q = (1.0 - interval_level) / 2.0
        lo, med, hi = np.quantile(d, [q, 0.5, 1.0 - q])
        return cls(
            rate=(float(med), float(lo), float(hi)),
            rate_draws=d,
            interval_level=interval_level,
            **kwargs,
        )

    @classmethod
    def from_rate(
        cls,
        median: float,
        lower: float = NAN,
        upper: float = NAN,
        *,
        interval_level: float = NAN,
        **kwargs: Any,
    ) -> MethodEstimate:
        """From a median e-fold rate per year and, optionally, its interval."""
        return cls(
            rate=(float(median), float(lower), float(upper)),
            interval_level=interval_level,
            **kwargs,
        )

    @classmethod
    def from_doubling_months(
        cls,
        median: float,
        lower: float = NAN,
        upper: float = NAN,
        *,
        interval_level: float = NAN,
        **kwargs: Any,
    ) -> MethodEstimate:
        """From a doubling time in months and its interval.

        The shorter doubling time (``lower``) is the faster rate (the rate's upper end); an
        infinite doubling time is a rate of zero.
        """
        return cls.from_rate(
            _rate_from_months(median),
            _rate_from_months(upper),
            _rate_from_months(lower),
            interval_level=interval_level,
            **kwargs,
        )

    @classmethod
    def from_level(
        cls,
        gain: float | None,
        start: DateLike,
        end: DateLike,
        *,
        lower: float = NAN,
        upper: float = NAN,
        draws: Any = None,
        interval_level: float = NAN,
        **kwargs: Any,
    ) -> MethodEstimate:
        """From a level: a total gain accrued between ``start`` and ``end``.

        The rate is ``ln(gain) / years`` e-folds per year, i.e. a multiplier per year
        ``gain^(1/years)``; with ``draws`` of the gain it is formed per draw. The conversion is
        added to the notes.

        Parameters
        ----------
        gain : float or None
            Median (or point) gain; with ``draws`` and ``gain=None``, the draws' median.
        start, end : date-like or float
            Period over which the gain accrued.
        lower, upper : float
            Interval of the gain (ignored with ``draws``).
        draws : array_like, optional
            Draws of the gain (must be positive).
        interval_level : float
            Central probability of the interval.
        **kwargs
            Further :class:`MethodEstimate` fields.

        Returns
        -------
        MethodEstimate
        """
        years = decimal_year(end) - decimal_year(start)
        if not years > 0:
            raise ValueError(f"the period {start}..{end} must have positive length")
        notes = list(kwargs.pop("notes", []))
        window = f"{_date_str(start)}..{_date_str(end)}"
        if draws is not None:
            g = np.asarray(draws, dtype=float).reshape(-1)
            if np.any(g <= 0):
                raise ValueError("gain draws must be positive")
            est = cls.from_rate_draws(
                np.log(g) / years, interval_level=interval_level, notes=notes, **kwargs
            )
            med = float(np.median(g)) if gain is None else float(gain)
        else:
            if gain is None:
                raise ValueError("give a gain or draws of it")
            med = float(gain)

            def r(x: float) -> float:
                return math.log(x) / years if x > 0 and np.isfinite(x) else NAN

            est = cls.from_rate(
                r(med), r(lower), r(upper), interval_level=interval_level, notes=notes, **kwargs
            )
        if not est.native_estimate:
            est.native_estimate = f"level: {med:,.4g}x over {window}"
        est.notes.append(
            f"level converted to a rate: rate = gain^(1/years) = {med:,.4g}^(1/{years:.4g}) "
            f"= {med ** (1.0 / years):.4g}x per year ({window})"
        )
        return est

    @classmethod
    def missing(cls, method: str, reason: str, **kwargs: Any) -> MethodEstimate:
        """A row for a method that has not been run (all numbers NaN)."""
        notes = [reason, *kwargs.pop("notes", [])]
        return cls(method=method, notes=notes, available=False, **kwargs)

    # ------------------------------------------------------------------- summaries
    def summarise(self, years: float) -> dict[str, float]:
        """Multiplier per year, doubling time and cumulative gain over ``years`` years.

        With draws, each quantity is formed per draw and its median and central interval
        (at :attr:`interval_level`) taken; the doubling time maps the rate's quantiles through
        ``12·ln 2 / r`` (infinite where the rate is ≤ 0). Without draws, the rate's median and
        interval are mapped through the monotone transformations.

        Parameters
        ----------
        years : float
            Length of the window.

        Returns
        -------
        dict of str to float
            ``multiplier_per_year_*``, ``doubling_time_months_*`` and ``cumulative_gain_*``
            for ``median``, ``lower`` and ``upper``.
        """
        med, lo, hi = self.rate
        out: dict[str, float] = {}
        with np.errstate(over="ignore", invalid="ignore"):
            if self.rate_draws is not None and self.rate_draws.size:
                q = (1.0 - self.interval_level) / 2.0
                probs = [0.5, q, 1.0 - q]
                mult = np.quantile(np.exp(self.rate_draws), probs)
                gain = np.quantile(np.exp(self.rate_draws * years), probs)
            else:
                mult = np.exp([med, lo, hi])
                gain = np.exp(np.array([med, lo, hi]) * years)
        for name, v in (("multiplier_per_year", mult), ("cumulative_gain", gain)):
            out[f"{name}_median"], out[f"{name}_lower"], out[f"{name}_upper"] = map(float, v)
        out["doubling_time_months_median"] = _months(med)
        out["doubling_time_months_lower"] = _months(hi)
        out["doubling_time_months_upper"] = _months(lo)
        return out


# ----------------------------------------------------------------------------- the table


def reconciliation_table(
    estimates: Iterable[MethodEstimate],
    start: DateLike = DEFAULT_START,
    end: DateLike = DEFAULT_END,
) -> pd.DataFrame:
    """One row per method: rate, doubling time, cumulative gain over a window, shares.

    Parameters
    ----------
    estimates : iterable of MethodEstimate
        The methods (see :func:`build_estimates`).
    start, end : date-like or float
        Window of the cumulative gain (default 2012-01-01 to 2023-01-01); decimal years are
        accepted.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TABLE_COLUMNS`. ``share_of_largest_log`` is ``ln G / ln G_max`` and
        ``ratio_to_largest`` is ``G / G_max``, where ``G`` is a row's median cumulative gain
        and ``G_max`` the largest among the rows with numbers; ``is_largest`` marks that row.
        Notes are joined with ``"; "``.
    """
    years = decimal_year(end) - decimal_year(start)
    if not years > 0:
        raise ValueError(f"the window {start}..{end} must have positive length")
    rows = []
    for e in estimates:
        row: dict[str, Any] = {
            "method": e.method,
            "approach": e.approach,
            "data": e.data,
            "n_rows": e.n_rows if e.n_rows is not None else pd.NA,
            "benchmark": e.benchmark,
            "native_estimate": e.native_estimate,
            "window_start": _date_str(start),
            "window_end": _date_str(end),
            "window_years": years,
            "interval_level": e.interval_level,
            "notes": "; ".join(e.notes),
        }
        if e.available:
            row.update(e.summarise(years))
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    for c in TABLE_COLUMNS:
        if c.endswith(("_median", "_lower", "_upper")) or c in (
            "interval_level",
            "share_of_largest_log",
            "ratio_to_largest",
        ):
            table[c] = pd.to_numeric(table[c], errors="coerce").astype(float)
    table["n_rows"] = table["n_rows"].astype("Int64")
    gain = table["cumulative_gain_median"]
    ok = gain.notna() & np.isfinite(gain)
    table["is_largest"] = False
    if ok.any():
        i_max = gain[ok].idxmax()
        g_max = float(gain[i_max])
        table.loc[i_max, "is_largest"] = True
        table["ratio_to_largest"] = gain / g_max
        if g_max > 1.0:
            table["share_of_largest_log"] = np.log(gain.where(gain > 0)) / math.log(g_max)
    return table


def _level_label(r: pd.Series, level: float) -> str:
    if not pd.isna(level):
        return f"{round(100 * level)}%"
    if pd.isna(r["cumulative_gain_lower"]) and pd.isna(r["cumulative_gain_upper"]):
        return "point"
    return "range"


def format_table(table: pd.DataFrame, *, notes: bool = False) -> str:
    """The reconciliation table as fixed-width text.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`reconciliation_table` (or the CSV read back).
    notes : bool
        Append each row's notes below the table.

    Returns
    -------
    str
    """

    def num(x: float) -> str:
        if x is None or pd.isna(x):
            return "-"
        if np.isinf(x):
            return "inf"
        if abs(x) >= 1e5:
            return f"{x:.3g}"
        if abs(x) >= 100:
            return f"{x:,.0f}"
        if abs(x) >= 10:
            return f"{x:.1f}"
        if x != 0 and abs(x) < 0.1:
            return f"{x:.2g}"
        return f"{x:.2f}"

    def triple(r: pd.Series, name: str) -> str:
        med = r[f"{name}_median"]
        if pd.isna(med):
            return "-"
        lo, hi = r[f"{name}_lower"], r[f"{name}_upper"]
        if pd.isna(lo) and pd.isna(hi):
            return num(med)
        return f"{num(med)} [{num(lo)}, {num(hi)}]"

    first = table.iloc[0] if len(table) else None
    window = "" if first is None else f"{first['window_start']} to {first['window_end']}"
    years = NAN if first is None else float(first["window_years"])
    cols = ["method", "x per year", "doubling, months", "gain over window", "int.", "log share",
            "ratio", "data"]  # fmt: skip
    cells = []
    for _, r in table.iterrows():
        avail = not pd.isna(r["cumulative_gain_median"])
        level = r["interval_level"]
        share = r["share_of_largest_log"]
        ratio = r["ratio_to_largest"]
        cells.append(
            [
                str(r["method"]) + (" *" if bool(r.get("is_largest", False)) else ""),
                triple(r, "multiplier_per_year") if avail else "n/a",
                triple(r, "doubling_time_months") if avail else "",
                triple(r, "cumulative_gain") if avail else "",
                _level_label(r, level) if avail else "",
                "" if pd.isna(share) else f"{100 * share:.1f}%",
                "" if pd.isna(ratio) else f"{ratio:.3g}",
                str(r["data"]) if avail else str(r["notes"]).split("; ")[0],
            ]
        )
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
    right = {1, 2, 3, 4, 5, 6}

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    body = "\n".join([line(cols), line(["-" * w for w in widths]), *map(line, cells)])
    head = (
        f"Algorithmic progress, reconciled: rate (x per year, doubling time) and cumulative gain "
        f"over {window} ({years:.2f} years).\n"
        "Intervals [lower, upper] at the level shown (range: across thresholds; point: no "
        "interval); * = largest cumulative gain; log share = ln(gain)/ln(largest gain); "
        "ratio = gain/largest gain."
    )
    out = [head, body]
    if notes:
        out.append("")
        out.append("Notes:")
        for _, r in table.iterrows():
            if r["notes"]:
                out.append(f"- {r['method']}: {r['notes']}")
    return "\n".join(out)


# ------------------------------------------------------------------------------ methods


def _fit_label(result: Any) -> tuple[str, str]:
    task = getattr(result, "task", "")
    if task == "image_classification":
        return "Bayesian fit, ImageNet (Erdil & Besiroglu 2022 law)", "observational"
    return "Bayesian fit, language models (Ho et al. 2024 law)", "observational"


def _describe_rows(result: Any) -> tuple[int | None, str, str]:
    data = getattr(result, "data", None)
    n = None if data is None else len(data)
    benchmarks = ", ".join(getattr(result, "benchmarks", []) or [])
    settings = getattr(result, "settings", None)
    extras = getattr(result, "extras", {}) or {}
    parts = [f"{n} rows" if n is not None else "rows unknown", benchmarks]
    if settings is not None:
        parts.append(
            f"{getattr(settings, 'sampler', '?')} {getattr(settings, 'chains', '?')}x"
            f"{getattr(settings, 'draws', '?')} draws"
        )
    if extras.get("fast"):
        parts.append("FAST fit")
    return n, benchmarks, "; ".join(p for p in parts if p)


def fit_estimate(
    result: Any, *, method: str | None = None, interval_level: float = 0.95
) -> MethodEstimate:
    """The observational Bayesian fit's rate, from its posterior draws of ``rate``.

    Parameters
    ----------
    result : FitResult or compatible
        Needs ``headline()``; ``draws("rate")`` is used when available (posterior draws of
        the e-fold rate of effective compute per year), otherwise the headline's
        ``rate_per_year`` (or ``doubling_time_months``) median and interval.
    method : str, optional
        Row name (default from the fit's task).
    interval_level : float
        Central probability of the interval computed from draws.

    Returns
    -------
    MethodEstimate
    """
    label, approach = _fit_label(result)
    n, benchmarks, data = _describe_rows(result)
    kwargs: dict[str, Any] = {
        "method": method or label,
        "approach": approach,
        "data": data,
        "n_rows": n,
        "benchmark": benchmarks,
    }
    head = result.headline()
    notes = []
    draws = None
    try:
        draws = np.asarray(result.draws("rate"), dtype=float)
    except (AttributeError, KeyError, TypeError, ValueError):
        draws = None
    if draws is not None and draws.size:
        est = MethodEstimate.from_rate_draws(draws, interval_level=interval_level, **kwargs)
        notes.append(
            f"{interval_level:.0%} posterior interval from {draws.size} draws of the rate, "
            "propagated per draw"
        )
    elif "rate_per_year" in head:
        r = head["rate_per_year"]
        est = MethodEstimate.from_rate(
            r["median"], r["lower"], r["upper"], interval_level=r.get("level", 0.95), **kwargs
        )
        notes.append("posterior median and interval of the rate (no draws available)")
    else:
        d = head["doubling_time_months"]
        est = MethodEstimate.from_doubling_months(
            d["median"], d["lower"], d["upper"], interval_level=d.get("level", 0.95), **kwargs
        )
        notes.append("posterior median and interval of the doubling time (no draws available)")
    dt = head.get("doubling_time_months")
    if dt:
        est.native_estimate = f"rate: doubling time {dt['median']:.3g} months"
    for k in ("ceg_transformer_1e22", "ceg_transformer_1e25"):
        v = head.get(k)
        if isinstance(v, Mapping) and "median" in v:
            notes.append(
                f"Transformer CEG at {k.rsplit('_', 1)[-1]} FLOP (a level, not in the rate): "
                f"{v['median']:.3g} [{v['lower']:.3g}, {v['upper']:.3g}]"
            )
    p = head.get("prob_progress_positive")
    if p is not None:
        notes.append(f"P(rate > 0) = {p:.3f}")
    est.notes = notes + est.notes
    return est


_BASELINE_LABELS = {
    "ho2024": ("Ho et al. 2024 estimator (penalised LS, bootstrap)", "estimator"),
    "erdil2022": ("Erdil & Besiroglu 2022 estimator (bootstrap)", "estimator"),
    "ols_clustered": ("OLS, paper-clustered SEs", "estimator"),
}


def _baseline_rows(result: Any, fits: Mapping[str, Any]) -> list[MethodEstimate]:
    out = []
    task = getattr(result, "task", "")
    suffix = "ImageNet" if task == "image_classification" else "language models"
    for name, d in fits.items():
        d = d.to_dict() if hasattr(d, "to_dict") else d
        label, approach = _BASELINE_LABELS.get(name, (name, "estimator"))
        if name == "ols_clustered":
            label = f"{label} ({suffix})"
        dt = d["doubling_time_months"]
        benchmarks = ", ".join(
            (d.get("extras", {}) or {}).get("benchmarks") or getattr(result, "benchmarks", [])
        )
        n_boot = d.get("n_boot", 0)
        data = f"{d.get('n_rows')} rows (the Bayesian fit's); {benchmarks}"
        data += f"; {n_boot} bootstrap refits" if n_boot else ""
        notes = [
            f"full-sample point: {dt.get('point', NAN):.3g} months",
            f"seed {d.get('seed')}",
        ]
        if "prob_rate_positive" in dt:
            notes.append(f"P(rate > 0) = {dt['prob_rate_positive']:.3f}")
        if n_boot:
            notes.append("median and interval of the bootstrap refits (rate quantiles)")
        est = MethodEstimate.from_doubling_months(
            dt["median"],
            dt["lower"],
            dt["upper"],
            interval_level=dt.get("level", 0.95),
            method=label,
            approach=approach,
            data=data,
            n_rows=d.get("n_rows"),
            benchmark=benchmarks,
            native_estimate=f"rate: doubling time {dt['median']:.3g} months",
            notes=notes + list(d.get("notes", [])),
        )
        out.append(est)
    return out


def baseline_estimates(
    result: Any, *, n_boot: int = 100, seed: int = 0, run: bool = True
) -> tuple[list[MethodEstimate], list[str]]:
    """The papers' estimators on the rows of a Bayesian fit.

    Uses ``result.extras["baselines"]`` when the fit was run with ``--baseline``; otherwise
    runs :func:`algoattr.baselines.run_all` (when ``run`` and the module imports).

    Parameters
    ----------
    result : FitResult
        The fit whose rows the estimators use.
    n_boot : int
        Bootstrap refits when the estimators are run here.
    seed : int
        Seed of every random step of the estimators.
    run : bool
        Run the estimators when the fit has none saved.

    Returns
    -------
    tuple
        ``(estimates, messages)``; messages say why rows were left out or how they were had.
    """
    extras = getattr(result, "extras", {}) or {}
    saved = extras.get("baselines")
    if saved:
        return _baseline_rows(result, saved), ["papers' estimators: saved with the fit"]
    if not run:
        return [], ["papers' estimators: none saved with the fit and not run (left out)"]
    try:
        from algoattr import baselines
    except Exception as err:  # module absent or broken: leave the rows out, say why
        return [], [f"papers' estimators left out: algoattr.baselines not importable ({err})"]
    try:
        fits = baselines.run_all(result, n_boot=n_boot, seed=seed)
    except Exception as err:  # an estimator failing must not sink the whole table
        return [], [f"papers' estimators left out: run_all failed ({type(err).__name__}: {err})"]
    return _baseline_rows(result, fits), [
        f"papers' estimators: run here ({n_boot} bootstrap refits, seed {seed})"
    ]


def published_estimates() -> list[MethodEstimate]:
    """The papers' own published point estimates (Ho et al. 2024 model 7; Erdil & Besiroglu).

    Computed from the published constants in :mod:`algoattr.published` (no intervals).
    """
    from algoattr import law

    out = []
    from algoattr.published import ERDIL2022_PUBLISHED, HO2024_PUBLISHED

    h = HO2024_PUBLISHED
    rate = float(
        law.lm_effective_compute_rate(
            h["alpha_year"], h["alpha_param"], h["beta_year"], h["beta_data"]
        )
    )
    out.append(
        MethodEstimate.from_rate(
            rate,
            method="Ho et al. 2024, published model-7 constants",
            approach="published",
            data="published point estimates (their data, not ours)",
            benchmark="wikitext-103, wikitext-2, ptb",
            native_estimate=f"rate: doubling time {_months(rate):.3g} months",
            notes=["point estimate from the published constants; no interval"],
        )
    )
    e = ERDIL2022_PUBLISHED
    rate = float(LN2 / law.imagenet_doubling_time_years(e["beta_year"], e["beta_compute"]))
    out.append(
        MethodEstimate.from_rate(
            rate,
            method="Erdil & Besiroglu 2022, published constants",
            approach="published",
            data="published point estimates (their data, not ours)",
            benchmark="imagenet",
            native_estimate=f"rate: doubling time {_months(rate):.3g} months",
            notes=["compute-augmenting rate beta_year/beta_compute; point estimate, no interval"],
        )
    )
    return out


def threshold_estimate(
    df: pd.DataFrame | None = None, *, include_ensembles: bool = False
) -> MethodEstimate:
    """Hernandez & Brown's threshold method on ImageNet (AlexNet-level), as a rate.

    The rate is that of the OLS regression of log compute on year over the frontier points
    (halving time of the compute needed, with its 95% t-interval); the endpoint halving time
    and the reduction factor are in the notes.

    Parameters
    ----------
    df : pandas.DataFrame, optional
        ImageNet evaluations; default the shipped dataset.
    include_ensembles : bool
        Keep ensembles of several models (recognised, as in the fits' row selection, by
        "ensemble" in the model name or architecture); excluded by default, like the fits.

    Returns
    -------
    MethodEstimate
    """
    from algoattr.threshold import alexnet_level, threshold_frontier

    method = "Threshold method, ImageNet AlexNet-level (Hernandez & Brown 2020)"
    if df is None:
        from algoattr.data import load_evaluations

        df = load_evaluations(["imagenet"])
    n_ensembles = 0
    if not include_ensembles:
        arch = df["architecture"] if "architecture" in df else pd.Series("", index=df.index)
        text = df["model"].astype(str) + " " + arch.fillna("").astype(str)
        is_ens = text.str.contains("ensemble", case=False)
        n_ensembles = int(is_ens.sum())
        df = df.loc[~is_ens]
    res = threshold_frontier(df, exclude_extra_data=True, **alexnet_level(df))
    n_front = len(res.frontier)
    data = (
        f"{res.n_usable} usable rows, {res.n_reached} reach the threshold, "
        f"{n_front} frontier points; imagenet"
    )
    if n_front < 2:
        only = f" ({res.first['model']})" if n_front else ""
        return MethodEstimate.missing(
            method,
            f"{n_front} frontier point{only}: no later model reaching the threshold used less "
            "full-training compute (the data record full-training compute, not "
            "compute-to-threshold)",
            approach="threshold",
            data=data,
            n_rows=res.n_usable,
            benchmark="imagenet",
            notes=[f"criterion: {res.criterion}"]
            + ([f"{n_ensembles} ensemble rows excluded (as in the fits)"] if n_ensembles else []),
        )
    reg = res.halving_months_regression
    lo, hi = res.halving_months_regression_ci
    notes = [
        f"criterion: {res.criterion}",
        f"reduction factor {res.reduction_factor:.3g}x from {res.first['model']} "
        f"({res.first['year']:.2f}) to {res.last['model']} ({res.last['year']:.2f}), "
        f"endpoint halving time {res.halving_months_endpoint:.3g} months",
        "caveat: full-training compute, not compute-to-threshold (flatter than Hernandez & Brown)",
    ]
    if n_ensembles:
        notes.append(f"{n_ensembles} ensemble rows excluded (as in the fits)")
    if not math.isnan(reg):
        est = MethodEstimate.from_doubling_months(
            reg, lo, hi, interval_level=0.95 if np.isfinite(lo) else NAN,
            method=method, approach="threshold", data=data, n_rows=res.n_usable,
            benchmark="imagenet", notes=notes,
        )  # fmt: skip
        est.notes.insert(
            0, "rate from the regression halving time of compute needed (95% t-interval)"
        )
        est.native_estimate = f"rate: compute halving time {reg:.3g} months (regression)"
    else:
        est = MethodEstimate.from_doubling_months(
            res.halving_months_endpoint,
            method=method, approach="threshold", data=data, n_rows=res.n_usable,
            benchmark="imagenet", notes=notes,
        )  # fmt: skip
        est.native_estimate = (
            f"rate: compute halving time {res.halving_months_endpoint:.3g} months (endpoint)"
        )
    return est


def threshold_sweep_estimate(
    df: pd.DataFrame | None = None,
    *,
    n: int = 9,
    min_frontier: int = 3,
    min_months: float = 12.0,
    include_ensembles: bool = False,
) -> MethodEstimate:
    """The threshold method over a grid of top-1 error thresholds on ImageNet, as a rate.

    Repeats :func:`algoattr.threshold.threshold_frontier` for ``n`` thresholds (see
    :func:`algoattr.threshold.threshold_sweep`) and keeps those whose frontier has at least
    ``min_frontier`` points spanning at least ``min_months``. The row's rate is the median of
    their regression halving times; its bracket is the range across thresholds (a sensitivity
    range, not a probability interval).

    Parameters
    ----------
    df : pandas.DataFrame, optional
        ImageNet evaluations; default the shipped dataset.
    n : int
        Thresholds in the grid (between the 10th and 90th percentiles of top-1 error).
    min_frontier : int
        Frontier points a threshold needs to count.
    min_months : float
        Months the frontier must span to count.
    include_ensembles : bool
        Keep ensembles of several models (excluded by default, like the fits).

    Returns
    -------
    MethodEstimate
    """
    from algoattr.threshold import threshold_sweep

    method = "Threshold method, ImageNet top-1 sweep (median over thresholds)"
    if df is None:
        from algoattr.data import load_evaluations

        df = load_evaluations(["imagenet"])
    if not include_ensembles:
        arch = df["architecture"] if "architecture" in df else pd.Series("", index=df.index)
        text = df["model"].astype(str) + " " + arch.fillna("").astype(str)
        df = df.loc[~text.str.contains("ensemble", case=False)]
    t = threshold_sweep(df, n=n).table()
    keep = t[(t["n_frontier"] >= min_frontier) & (t["months"] >= min_months)]
    halving = keep["halving_months_regression"].to_numpy(dtype=float)
    halving = halving[~np.isnan(halving)]
    data = (
        f"{len(df)} rows (ensembles {'kept' if include_ensembles else 'excluded'}); imagenet; "
        f"{len(keep)} of {len(t)} thresholds used"
    )
    if halving.size == 0:
        return MethodEstimate.missing(
            method,
            f"no threshold with >= {min_frontier} frontier points over >= {min_months:g} months",
            approach="threshold",
            data=data,
        )
    rates = np.array([_rate_from_months(h) for h in halving])
    est = MethodEstimate.from_rate(
        float(np.median(rates)),
        float(rates.min()),
        float(rates.max()),
        method=method,
        approach="threshold",
        data=data,
        n_rows=len(df),
        benchmark="imagenet",
        native_estimate=f"rate: compute halving time {_months(float(np.median(rates))):.3g} "
        "months (median over thresholds)",
        notes=[
            "bracket = range across thresholds (sensitivity, not a probability interval)",
            "thresholds (top-1 error %) used: "
            + ", ".join(
                f"{th:.1f} -> {h:.3g} mo"
                for th, h in zip(keep["threshold"], keep["halving_months_regression"], strict=True)
            ),
            "caveat: full-training compute, not compute-to-threshold",
        ],
    )
    return est


def gundlach_estimate(start_year: int = 2012, end_year: int = 2023) -> MethodEstimate:
    """Gundlach et al. 2025's extrapolation (6,926x over 2012–2023) as a rate.

    Parameters
    ----------
    start_year, end_year : int
        Period of the extrapolation (1 January to 1 January).

    Returns
    -------
    MethodEstimate
        Rate ``total^(1/years)``; a point estimate (no interval).
    """
    from algoattr.ceg import gundlach_extrapolation

    ext = gundlach_extrapolation(start_year, end_year)
    shares = ext.log_shares()
    return MethodEstimate.from_level(
        ext.total,
        f"{start_year}-01-01",
        f"{end_year}-01-01",
        method=f"Gundlach et al. 2025 extrapolation ({start_year}-{end_year})",
        approach="extrapolation",
        data=(
            "published constants (retraining laws, ablations, Chinchilla law; frontier compute "
            f"{ext.final_compute:.3g} FLOP in {end_year})"
        ),
        notes=[
            f"Transformer {ext.transformer:.4g}x ({shares['transformer']:.1%} of log) x "
            f"Chinchilla {ext.chinchilla:.3g}x ({shares['chinchilla']:.1%}) x scale-invariant "
            f"{ext.scale_invariant:.3g}x ({shares['scale_invariant']:.1%})",
            "point estimate, no interval",
        ],
    )


def montecarlo_estimates(
    scenario: str | Path | None = None,
    *,
    groups: Sequence[str] = ("compute", "algorithms"),
    draws: int = 100_000,
    seed: int = 0,
    interval: float = 0.8,
    window: tuple[DateLike, DateLike] = MONTECARLO_WINDOW,
) -> list[MethodEstimate]:
    """Rows for group products of a Monte Carlo stack, as rates over the stack's period.

    Parameters
    ----------
    scenario : str or pathlib.Path, optional
        Scenario file (default ``datasets/scenarios/gpt3_level_today.yaml``).
    groups : sequence of str
        Group products to report (default: ``compute`` = algorithms x data quality, the FLOP
        needed for a GPT-3-level model; and ``algorithms`` alone). Hardware is not algorithmic
        and is left out.
    draws, seed : int
        Monte Carlo draws and seed.
    interval : float
        Central probability of the interval.
    window : tuple
        Period over which the stack's gain accrued (default :data:`MONTECARLO_WINDOW`).

    Returns
    -------
    list of MethodEstimate
    """
    from algoattr.montecarlo import run_scenario

    path = Path(scenario) if scenario else _repo_root() / "datasets/scenarios/gpt3_level_today.yaml"
    res = run_scenario(path, draws=draws, seed=seed, interval=interval)
    published = res.scenario.published.get("medians", {})
    out = []
    for g in groups:
        d = res.draws(g)
        members = res.scenario.members(g) if g in res.scenario.groups else [g]
        notes = [
            f"group {g} = {' x '.join(members)}",
            f"{interval:.0%} interval from {draws} draws (seed {seed}), propagated per draw",
            f"period {_date_str(window[0])} (GPT-3) to {_date_str(window[1])} (early 2024)",
        ]
        if g in published:
            notes.append(f"published median {published[g]}x")
        out.append(
            MethodEstimate.from_level(
                None,
                window[0],
                window[1],
                draws=d,
                interval_level=interval,
                method=f"Monte Carlo stack, GPT-3-level today: {g}",
                approach="monte carlo",
                data=f"{path.name}: {len(members)} factors, {draws} draws",
                native_estimate=(
                    f"level: {np.median(d):,.4g}x [{res.quantiles(g)[0]:,.3g}, "
                    f"{res.quantiles(g)[1]:,.3g}] over {_date_str(window[0])}.."
                    f"{_date_str(window[1])}"
                ),
                notes=notes,
            )
        )
    return out


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


def _display_path(path: Path) -> str:
    """``path`` relative to the working directory when inside it (no machine paths in outputs)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return Path(path).name


def find_retraining_cegs(roots: Sequence[str | Path] | None = None) -> list[Path]:
    """Every ``ceg.csv`` written by the retraining fits, in path order.

    Looks recursively under ``datasets/retraining/`` and ``reports/`` (of the repository and of
    the working directory) unless ``roots`` are given.
    """
    if roots is None:
        base = [_repo_root(), Path.cwd()]
        roots = [b / sub for b in base for sub in ("datasets/retraining", "reports")]
    found: set[Path] = set()
    for r in roots:
        r = Path(r)
        if r.is_file() and r.name == "ceg.csv":
            found.add(r.resolve())
        elif r.is_dir():
            found.update(p.resolve() for p in r.rglob("ceg.csv"))
    return sorted(found)


def find_retraining_ceg(roots: Sequence[str | Path] | None = None) -> Path | None:
    """The first ``ceg.csv`` of :func:`find_retraining_cegs` (in path order), if any."""
    found = find_retraining_cegs(roots)
    return found[0] if found else None


def retraining_estimate(
    csv: str | Path | None = None,
    *,
    ref: str = "lstm",
    new: str = "transformer2017",
    window: tuple[DateLike, DateLike] = GUNDLACH_WINDOW,
) -> MethodEstimate:
    """The retraining suite's measured LSTM → 2017 Transformer CEG, as a rate.

    The gain is a level at one compute, not a rate over time. Following Gundlach et al., who
    count the LSTM → Transformer change as progress over 2012–2023, it is converted as if it
    accrued over ``window``: ``rate = CEG^(1/years)``.

    Parameters
    ----------
    csv : str or pathlib.Path, optional
        A ``ceg.csv`` written by ``python -m algoattr.training fit`` (columns ``new``, ``ref``,
        ``compute``, ``ceg_measured``, ``ceg_law``, ``ceg_law_lo``, ``ceg_law_hi``); default
        :func:`find_retraining_ceg`.
    ref, new : str
        Families compared.
    window : tuple
        Period the gain is spread over.

    Returns
    -------
    MethodEstimate
        The measured by-loss CEG at the largest compute where it is finite (point); otherwise
        the law-against-law CEG with its bootstrap interval. A "not yet run" row when no
        results exist.
    """
    path = Path(csv) if csv else find_retraining_ceg()
    where = f" ({path.parent.name})" if path is not None else ""
    method = f"Retraining suite{where}: {ref} -> {new} CEG"
    if path is None or not path.exists():
        return MethodEstimate.missing(
            method,
            "not yet run: no ceg.csv from `python -m algoattr.training fit` under "
            "datasets/retraining/ or reports/",
            approach="experiment",
            data="retraining suite (algoattr.training)",
        )
    t = pd.read_csv(path)
    sel = t[(t["ref"].astype(str) == ref) & (t["new"].astype(str) == new)].sort_values("compute")
    if sel.empty:
        return MethodEstimate.missing(
            method, f"not yet run: {_display_path(path)} has no {ref} -> {new} rows",
            approach="experiment", data=_display_path(path),
        )  # fmt: skip
    measured = sel[np.isfinite(pd.to_numeric(sel.get("ceg_measured"), errors="coerce"))]
    common = {
        "method": method,
        "approach": "experiment",
        "data": f"{_display_path(path)} ({len(sel)} compute levels)",
        "benchmark": "retraining corpus",
    }
    law_rows = sel[np.isfinite(pd.to_numeric(sel["ceg_law"], errors="coerce"))]
    notes = [
        "a level at one compute, spread over Gundlach et al.'s 2012-2023 attribution of the "
        "LSTM -> Transformer change"
    ]
    if len(law_rows):
        lr = law_rows.iloc[-1]
        notes.append(
            f"law-against-law CEG at {lr['compute']:.3g} FLOP: {lr['ceg_law']:.3g} "
            f"[{lr.get('ceg_law_lo', NAN):.3g}, {lr.get('ceg_law_hi', NAN):.3g}] (90%)"
        )
    if len(measured):
        r = measured.iloc[-1]
        return MethodEstimate.from_level(
            float(r["ceg_measured"]),
            window[0],
            window[1],
            native_estimate=f"level: measured CEG {r['ceg_measured']:.3g}x at "
            f"{r['compute']:.3g} FLOP",
            notes=[*notes, "measured by-loss CEG (point, no interval)"],
            **common,
        )
    if len(law_rows):
        r = law_rows.iloc[-1]
        return MethodEstimate.from_level(
            float(r["ceg_law"]),
            window[0],
            window[1],
            lower=float(r.get("ceg_law_lo", NAN)),
            upper=float(r.get("ceg_law_hi", NAN)),
            interval_level=0.9,
            native_estimate=f"level: law CEG {r['ceg_law']:.3g}x at {r['compute']:.3g} FLOP",
            notes=[*notes, "no finite measured CEG; law-against-law CEG used"],
            **common,
        )
    common.pop("method")
    return MethodEstimate.missing(method, f"no finite CEG in {path}", **common)


def build_estimates(
    lm: Any = None,
    imagenet: Any = None,
    *,
    baselines: bool = True,
    n_boot: int = 100,
    seed: int = 0,
    threshold: bool = True,
    gundlach: bool = True,
    montecarlo: bool = True,
    mc_draws: int = 100_000,
    retraining: bool = True,
    retraining_csv: str | Path | None = None,
    published: bool = True,
) -> tuple[list[MethodEstimate], list[str]]:
    """Collect every method's estimate.

    Parameters
    ----------
    lm, imagenet : FitResult, optional
        Observational Bayesian fits (language models, ImageNet); rows are left out without.
    baselines : bool
        Include the papers' estimators on each fit's rows (see :func:`baseline_estimates`).
    n_boot, seed : int
        Bootstrap refits and seed of the estimators (and seed of the Monte Carlo stack).
    threshold, gundlach, montecarlo, retraining, published : bool
        Include those rows.
    mc_draws : int
        Monte Carlo draws.
    retraining_csv : str or pathlib.Path, optional
        Retraining results to use (default: searched for).

    Returns
    -------
    tuple
        ``(estimates, messages)``: the rows, and what was left out or how it was had.
    """
    est: list[MethodEstimate] = []
    msgs: list[str] = []
    for name, fit in (("language-model", lm), ("ImageNet", imagenet)):
        if fit is None:
            msgs.append(f"{name} fit: none given (rows left out)")
            continue
        est.append(fit_estimate(fit))
        if baselines:
            rows, m = baseline_estimates(fit, n_boot=n_boot, seed=seed)
            est.extend(rows)
            msgs.extend(f"{name}: {x}" for x in m)
    if published:
        est.extend(published_estimates())
    if threshold:
        try:
            est.append(threshold_estimate())
        except Exception as err:  # data missing or malformed: say so, keep the rest
            msgs.append(f"threshold method left out ({type(err).__name__}: {err})")
        try:
            est.append(threshold_sweep_estimate())
        except Exception as err:  # as above
            msgs.append(f"threshold sweep left out ({type(err).__name__}: {err})")
    if gundlach:
        est.append(gundlach_estimate())
    if retraining:
        # One row per ladder that compares the LSTM with the 2017 Transformer.
        paths = [retraining_csv] if retraining_csv else find_retraining_cegs()
        rows = [retraining_estimate(p) for p in paths] or [retraining_estimate(None)]
        est.extend([r for r in rows if r.available] or rows[:1])
    if montecarlo:
        est.extend(montecarlo_estimates(draws=mc_draws, seed=seed))
    return est, msgs
