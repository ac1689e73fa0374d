"""Cells and tables of the reports: number formatting and :func:`make_table`.

Kept apart from :mod:`algoattr.report.builder` so that every section module
(:mod:`~algoattr.report.rows`, :mod:`~algoattr.report.aggregate`, ...) can format its tables
without importing the builder that imports them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["fmt_interval", "fmt_num", "make_table"]


def fmt_num(x: Any, sig: int = 3) -> str:
    """Round a number for display: thousands separators, ``sig`` significant digits.

    Integers print in full (``1,234``); floats with ``sig`` significant digits, in scientific
    notation (``1.2e+22``) beyond 10⁶ or below 10⁻³; missing values as an en dash; infinities
    as ``∞``.
    """
    if x is None:
        return "–"
    if isinstance(x, bool | np.bool_):
        return "yes" if x else "no"
    if isinstance(x, int | np.integer):
        return f"{int(x):,}"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1e6 or a < 1e-3:
        return f"{v:.{sig - 1}e}"
    if a >= 10 ** (sig - 1):
        return f"{v:,.0f}"
    digits = sig - 1 - math.floor(math.log10(a))
    return f"{v:.{max(digits, 0)}f}"


def fmt_interval(med: Any, lo: Any, hi: Any, sig: int = 3) -> str:
    """``median [lower, upper]`` with :func:`fmt_num`."""
    return f"{fmt_num(med, sig)} [{fmt_num(lo, sig)}, {fmt_num(hi, sig)}]"


def make_table(
    df: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    caption: str = "",
    index: bool = False,
) -> dict[str, Any]:
    """A table for the templates: headers, formatted cells and which columns are numeric.

    Parameters
    ----------
    df : pandas.DataFrame
        The data.
    columns : mapping, optional
        Column → header (with its unit); also selects and orders the columns shown.
    formats : mapping, optional
        Column → formatter; numbers default to :func:`fmt_num`.
    caption : str
        Caption shown above the table.
    index : bool
        Show the index as the first column.

    Returns
    -------
    dict
        ``{"caption", "headers", "rows", "numeric"}``.
    """
    if index:
        df = df.reset_index()
    cols = list(columns) if columns else list(df.columns)
    cols = [c for c in cols if c in df.columns]
    headers = [(columns or {}).get(c, str(c)) for c in cols]
    formats = dict(formats or {})
    numeric = [
        pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in cols
    ]
    rows = []
    for _, r in df[cols].iterrows():
        cells = []
        for c in cols:
            v = r[c]
            if c in formats:
                cells.append(formats[c](v))
            elif isinstance(v, float | int | np.floating | np.integer) and not isinstance(
                v, bool | np.bool_
            ):
                cells.append(fmt_num(v))
            elif v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                cells.append("–")
            else:
                cells.append(str(v))
        rows.append(cells)
    return {"caption": caption, "headers": headers, "rows": rows, "numeric": numeric}
