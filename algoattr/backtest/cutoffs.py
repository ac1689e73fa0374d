"""Which rows were public by a cut-off year, and which cut-offs to backtest.

A row belongs to the fit at cut-off ``T`` when its figure was public by the end of year ``T``
(:func:`available_year`); :func:`cutoff_rows` applies the selection rules to those rows alone
and returns the fit and held-out rows; :func:`default_cutoffs` lists the years with enough of
both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from algoattr.errors import UsageError
from algoattr.model.design import SelectionRules, select_rows

#: Default cut-offs are the years with at least this many rows in the fit ...
MIN_TRAIN_ROWS = 20
#: ... and at least this many held-out rows.
MIN_TEST_ROWS = 5
#: A cut-off given with ``--cutoffs`` needs at least this many rows in the fit (the LM law has
#: up to 10 parameters with benchmark constants).
MIN_FIT_ROWS = 10


# ----------------------------------------------------------------------------- splitting


def available_year(rows: pd.DataFrame) -> pd.Series:
    """Calendar year by whose end each row's figure was public.

    The year of ``publication_date`` or, when later, of ``evaluation_date`` (a figure first
    published after its method). Rows without ``publication_date`` fall back to ``year``.
    """
    if "publication_date" in rows:
        pub = pd.to_datetime(rows["publication_date"]).dt.year.astype(float)
    else:
        pub = np.floor(rows["year"].astype(float))
    if "evaluation_date" in rows:
        ev = pd.to_datetime(rows["evaluation_date"]).dt.year.astype(float)
        pub = np.fmax(pub, ev.fillna(-np.inf))
    return pd.Series(np.asarray(pub, float), index=rows.index)


def split_at(rows: pd.DataFrame, cutoff: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows public by the end of year ``cutoff``, and the rest (see :func:`available_year`).

    Parameters
    ----------
    rows : pandas.DataFrame
        Evaluation rows.
    cutoff : int
        Cut-off calendar year ``T``.

    Returns
    -------
    before, after : pandas.DataFrame
        Rows public in year ``T`` or earlier, and rows public later; input order kept.
    """
    early = available_year(rows) <= cutoff
    return rows[early], rows[~early]


def cutoff_rows(
    df: pd.DataFrame, task: str, rules: SelectionRules, cutoff: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The rows a fit at ``cutoff`` uses, those it excludes, and the held-out rows.

    The rules are applied to the rows public by the end of ``cutoff`` alone; the held-out
    rows are those the rules keep on all of ``df`` that are public later.

    Returns
    -------
    train, excluded, test : pandas.DataFrame
    """
    early, _ = split_at(df, cutoff)
    train, excluded = select_rows(early, task, rules)
    kept, _ = select_rows(df, task, rules)
    _, test = split_at(kept, cutoff)
    return train, excluded, test


def default_cutoffs(df: pd.DataFrame, task: str, rules: SelectionRules) -> list[int]:
    """Years with at least :data:`MIN_TRAIN_ROWS` rows to fit and :data:`MIN_TEST_ROWS` to
    predict."""
    years = available_year(df)
    out = []
    for t in range(int(years.min()), int(years.max()) + 1):
        train, _, test = cutoff_rows(df, task, rules, t)
        if len(train) >= MIN_TRAIN_ROWS and len(test) >= MIN_TEST_ROWS:
            out.append(t)
    return out


def check_cutoff(
    df: pd.DataFrame, task: str, rules: SelectionRules, cutoff: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """:func:`cutoff_rows`, raising :class:`~algoattr.errors.UsageError` when the fit would
    have fewer than :data:`MIN_FIT_ROWS` rows or nothing is left to predict."""
    train, excluded, test = cutoff_rows(df, task, rules, cutoff)
    if len(train) < MIN_FIT_ROWS:
        raise UsageError(
            f"cut-off {cutoff}: {len(train)} rows public by the end of {cutoff} pass the "
            f"selection rules; a fit needs at least {MIN_FIT_ROWS}"
        )
    if test.empty:
        raise UsageError(f"cut-off {cutoff}: no usable row was published after {cutoff}")
    return train, excluded, test
