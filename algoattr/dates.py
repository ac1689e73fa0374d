"""Decimal years, the time axis of every law and estimator (one definition for the package)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

DateLike = str | date | datetime | pd.Timestamp | float | int


def decimal_year(when: Any) -> Any:
    """Decimal year of dates: ``year + (day of year − 1) / days in year``.

    Parameters
    ----------
    when : date-like, number, or array-like / pandas.Series of dates
        A scalar date (or a number, returned unchanged as an already-decimal year), or many.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        A float for a scalar, a Series (same index) for a Series, else an array.

    Examples
    --------
    >>> decimal_year("2012-01-01"), decimal_year(2023.5)
    (2012.0, 2023.5)
    """
    if isinstance(when, (int, float, np.integer, np.floating)):
        return float(when)
    if isinstance(when, (str, date, datetime, pd.Timestamp)):
        ts = pd.Timestamp(when)
        return float(ts.year + (ts.day_of_year - 1) / (366 if ts.is_leap_year else 365))
    d = pd.to_datetime(pd.Series(when))
    out = (d.dt.year + (d.dt.day_of_year - 1) / np.where(d.dt.is_leap_year, 366, 365)).astype(float)
    return out if isinstance(when, pd.Series) else out.to_numpy(dtype=float)
