"""One method's estimate of the rate of algorithmic progress, :class:`MethodEstimate`.

An estimate is an e-fold rate of effective compute per year, given by draws, by quantiles or by
a level accrued over a stated window; :meth:`MethodEstimate.summary` turns it into the
multiplier per year, the doubling time and the cumulative gain over a window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from algoattr.dates import DateLike, decimal_year
from algoattr.intervals import CI_PROB, eti
from algoattr.law import doubling_months, rate_from_doubling_months

__all__ = ["MethodEstimate"]

NAN = float("nan")


def _date_str(when: DateLike) -> str:
    if isinstance(when, (int, float, np.integer, np.floating)):
        return f"{float(when):.3f}"
    return pd.Timestamp(when).date().isoformat()


def _months(rate: float) -> float:
    """Doubling time in months of an e-fold rate per year (``inf`` when the rate is ≤ 0)."""
    if not np.isfinite(rate):
        return NAN if np.isnan(rate) else 0.0
    return float(doubling_months(rate))


def _rate_from_months(months: float) -> float:
    """E-fold rate per year of a doubling time in months (``inf`` months → rate 0)."""
    if months is None or (isinstance(months, float) and np.isnan(months)):
        return NAN
    return float(rate_from_doubling_months(float(months)))


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
    ci_prob : float
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
    ci_prob: float = NAN
    n_rows: int | None = None
    benchmark: str = ""
    native_estimate: str = ""
    notes: list[str] = field(default_factory=list)
    available: bool = True

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_rate_draws(
        cls, draws: Any, *, ci_prob: float = CI_PROB, **kwargs: Any
    ) -> MethodEstimate:
        """From draws of the e-fold rate per year (non-finite draws are dropped)."""
        d = np.asarray(draws, dtype=float).reshape(-1)
        d = d[np.isfinite(d)]
        if d.size == 0:
            raise ValueError("no finite rate draws")
        lo, med, hi = eti(d, ci_prob)
        return cls(
            rate=(float(med), float(lo), float(hi)),
            rate_draws=d,
            ci_prob=ci_prob,
            **kwargs,
        )

    @classmethod
    def from_rate(
        cls,
        median: float,
        lower: float = NAN,
        upper: float = NAN,
        *,
        ci_prob: float = NAN,
        **kwargs: Any,
    ) -> MethodEstimate:
        """From a median e-fold rate per year and, optionally, its interval."""
        return cls(
            rate=(float(median), float(lower), float(upper)),
            ci_prob=ci_prob,
            **kwargs,
        )

    @classmethod
    def from_doubling_months(
        cls,
        median: float,
        lower: float = NAN,
        upper: float = NAN,
        *,
        ci_prob: float = NAN,
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
            ci_prob=ci_prob,
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
        ci_prob: float = NAN,
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
        ci_prob : float
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
            est = cls.from_rate_draws(np.log(g) / years, ci_prob=ci_prob, notes=notes, **kwargs)
            med = float(np.median(g)) if gain is None else float(gain)
        else:
            if gain is None:
                raise ValueError("give a gain or draws of it")
            med = float(gain)

            def r(x: float) -> float:
                return math.log(x) / years if x > 0 and np.isfinite(x) else NAN

            est = cls.from_rate(r(med), r(lower), r(upper), ci_prob=ci_prob, notes=notes, **kwargs)
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
        (at :attr:`ci_prob`) taken; the doubling time maps the rate's quantiles through
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
                lo_g, med_g, hi_g = eti(np.exp(self.rate_draws), self.ci_prob)
                mult = np.array([med_g, lo_g, hi_g])
                lo_g, med_g, hi_g = eti(np.exp(self.rate_draws * years), self.ci_prob)
                gain = np.array([med_g, lo_g, hi_g])
            else:
                mult = np.exp([med, lo, hi])
                gain = np.exp(np.array([med, lo, hi]) * years)
        for name, v in (("multiplier_per_year", mult), ("cumulative_gain", gain)):
            out[f"{name}_median"], out[f"{name}_lower"], out[f"{name}_upper"] = map(float, v)
        out["doubling_time_months_median"] = _months(med)
        out["doubling_time_months_lower"] = _months(hi)
        out["doubling_time_months_upper"] = _months(lo)
        return out
