"""The reconciliation table: every estimate on one window, and its plain-text form.

:func:`reconciliation_table` summarises a list of :class:`~algoattr.reconcile.MethodEstimate`
over one window and compares each row's cumulative gain with the largest;
:func:`format_table` prints it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from algoattr.dates import DateLike, decimal_year
from algoattr.reconcile.estimate import NAN, MethodEstimate, _date_str

__all__ = ["DEFAULT_END", "DEFAULT_START", "TABLE_COLUMNS", "format_table", "reconciliation_table"]

#: Default window of the cumulative gain.
DEFAULT_START = "2012-01-01"
DEFAULT_END = "2023-01-01"

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
    "ci_prob",
    "share_of_largest_log",
    "ratio_to_largest",
    "is_largest",
    "notes",
)


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
            "ci_prob": e.ci_prob,
            "notes": "; ".join(e.notes),
        }
        if e.available:
            row.update(e.summarise(years))
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    for c in TABLE_COLUMNS:
        if c.endswith(("_median", "_lower", "_upper")) or c in (
            "ci_prob",
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
        level = r["ci_prob"]
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
