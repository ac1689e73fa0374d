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

from algoattr.dates import decimal_year
from algoattr.reconcile.collect import build_estimates
from algoattr.reconcile.estimate import NAN as NAN
from algoattr.reconcile.estimate import MethodEstimate
from algoattr.reconcile.levels import (
    GUNDLACH_WINDOW,
    MONTECARLO_WINDOW,
    find_retraining_ceg,
    find_retraining_cegs,
    gundlach_estimate,
    montecarlo_estimates,
    retraining_estimate,
)
from algoattr.reconcile.rates import (
    baseline_estimates,
    fit_estimate,
    published_estimates,
    threshold_estimate,
    threshold_sweep_estimate,
)
from algoattr.reconcile.table import (
    DEFAULT_END,
    DEFAULT_START,
    TABLE_COLUMNS,
    format_table,
    reconciliation_table,
)

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
