"""The Data section's tables: rows per benchmark, every row used, every row excluded.

The two row tables are *sortable*: each cell carries a sort key (``data-sort``: the raw
number, the ISO date, the file and zero-padded line), and the report's one inline script
(``templates/sort.js``) sorts a table by the column whose header is clicked (again: reversed;
missing values last). Every row names its ``file:line`` — the path relative to the repository
for the shipped data (``datasets/lm/ptb.csv:91``), line 1 being the header — so that a reader
can open the CSV at the row behind any number.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr.provenance import row_locations

__all__ = ["exclusion_tables", "row_columns", "rows_summary", "rows_table", "sortable_table"]

#: Provenance columns joined onto excluded rows from the benchmark's CSV (the selection
#: keeps only model, benchmark, value, file, line and reason).
_JOIN = ("paper_id", "publication_date", "parameters", "training_tokens", "training_images",
         "training_compute_flop", "architecture_class", "metric")  # fmt: skip


def row_columns(task: str) -> dict[str, str]:
    """Column → header of the row tables for a task (``language_modelling`` or ImageNet)."""
    lm = task == "language_modelling"
    cols = {
        "where": "file:line",
        "model": "Model",
        "paper_id": "Paper",
        "date": "Date",
        "benchmark": "Benchmark",
        "architecture_class": "Architecture",
        "parameters": "N (parameters)",
        "data": "D (training tokens)" if lm else "D (training images)",
    }
    if not lm:
        cols["training_compute_flop"] = "C (training compute, FLOP)"
    cols["value"] = "Test perplexity" if lm else "Top-1 error (%)"
    return cols


def _num_text(col: str, v: Any) -> str:
    """Numbers as recorded: the value to 6 significant digits (``124.7``), N, D and C to 4."""
    from algoattr.report.tables import fmt_num

    if col == "value" and isinstance(v, int | float | np.integer | np.floating):
        return f"{float(v):.6g}"
    return fmt_num(v, 4)


def _is_missing(v: Any) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _sort_key(col: str, v: Any) -> str:
    if _is_missing(v) or v == "":
        return ""
    if col == "where":
        path, _, line = str(v).rpartition(":")
        return f"{path}:{int(line):08d}" if line.isdigit() else str(v)
    if isinstance(v, bool | np.bool_):
        return str(int(v))
    if isinstance(v, int | float | np.integer | np.floating):
        return repr(float(v))
    return str(v)


def sortable_table(
    df: pd.DataFrame, columns: dict[str, str], *, caption: str, numeric: set[str] | frozenset
) -> dict[str, Any]:
    """A table for the ``sortable`` macro: per cell its text and its sort key.

    Parameters
    ----------
    df : pandas.DataFrame
        The rows.
    columns : dict
        Column → header; selects and orders the columns (missing ones are skipped).
    caption : str
        Caption shown above the table.
    numeric : set of str
        Columns sorted (and aligned) as numbers.

    Returns
    -------
    dict
        ``{"caption", "headers", "numeric", "rows", "sortable": True}``; each row a list of
        ``{"text", "key"}``.
    """
    cols = [c for c in columns if c in df.columns]
    rows = []
    for rec in df[cols].to_dict("records"):
        cells = []
        for c in cols:
            v = rec[c]
            if _is_missing(v) or (isinstance(v, str) and not v):
                text = "–"
            elif c in numeric:
                text = _num_text(c, v)
            else:
                text = str(v)
            cells.append({"text": text, "key": _sort_key(c, v)})
        rows.append(cells)
    return {
        "caption": caption,
        "headers": [columns[c] for c in cols],
        "numeric": [c in numeric for c in cols],
        "rows": rows,
        "sortable": True,
    }


def _prepare(frame: pd.DataFrame, task: str, data_root: Path | None) -> pd.DataFrame:
    out = frame.copy()
    out["where"] = row_locations(out, data_root)
    if "publication_date" in out:
        dates = pd.to_datetime(out["publication_date"], errors="coerce")
        out["date"] = [d.strftime("%Y-%m-%d") if not pd.isna(d) else "" for d in dates]
    data_col = "training_tokens" if task == "language_modelling" else "training_images"
    if data_col in out:
        out["data"] = out[data_col]
    return out


_NUMERIC = frozenset({"parameters", "data", "training_compute_flop", "value"})


def rows_table(result: Any, data_root: Path | None = None) -> dict[str, Any]:
    """Every row the fit used, sortable, with its ``file:line``.

    Parameters
    ----------
    result : FitResult
        The fit.
    data_root : pathlib.Path, optional
        Datasets root the rows were read from (for the ``file:line`` paths).

    Returns
    -------
    dict
        A :func:`sortable_table`.
    """
    frame = _prepare(result.data, result.task, data_root)
    return sortable_table(
        frame,
        row_columns(result.task),
        caption=f"Every row used ({len(frame)}); click a column header to sort by it",
        numeric=_NUMERIC,
    )


def rows_summary(result: Any) -> dict[str, Any]:
    """Rows used, papers and date range per benchmark."""
    from algoattr.report.tables import make_table

    data = result.data
    counts = (
        data.groupby("benchmark")
        .agg(
            rows=("model", "size"),
            papers=("paper_id", "nunique"),
            first=("year", "min"),
            last=("year", "max"),
        )
        .reset_index()
    )
    return make_table(
        counts,
        columns={
            "benchmark": "Benchmark",
            "rows": "Rows used",
            "papers": "Papers",
            "first": "First (year)",
            "last": "Last (year)",
        },
        formats={"first": lambda v: f"{v:.1f}", "last": lambda v: f"{v:.1f}"},
        caption="Rows used per benchmark",
    )


def _with_provenance(
    excluded: pd.DataFrame, benchmarks: list[str], data_root: Path | None
) -> pd.DataFrame:
    """Excluded rows with paper, date, N, D from their CSV rows (joined on file and line)."""
    if excluded.empty or "source_file" not in excluded or "source_line" not in excluded:
        return excluded
    try:
        from algoattr.data import load_evaluations

        full = load_evaluations(benchmarks, root=data_root, validate=False)
    except Exception:  # the table still lists model, value and reason
        return excluded
    keep = [c for c in _JOIN if c in full.columns and c not in excluded.columns]
    extra = full[["source_file", "source_line", *keep]].drop_duplicates(
        ["source_file", "source_line"]
    )
    left = excluded.assign(source_line=excluded["source_line"].astype("int64"))
    return left.merge(extra, on=["source_file", "source_line"], how="left")


def exclusion_tables(
    result: Any, data_root: Path | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Exclusions by reason, and every excluded row (sortable) with its reason.

    Parameters
    ----------
    result : FitResult
        The fit.
    data_root : pathlib.Path, optional
        Datasets root the rows were read from.

    Returns
    -------
    tuple of dict
        The counts table (:func:`algoattr.report.builder.make_table`) and the rows table
        (:func:`sortable_table`).
    """
    from algoattr.report.tables import make_table

    ex = result.excluded
    if ex.empty:
        empty = make_table(pd.DataFrame({"reason": [], "count": []}))
        return empty, make_table(pd.DataFrame({"model": []}))
    counts = ex["reason"].value_counts().rename_axis("reason").reset_index(name="count")
    full = _prepare(
        _with_provenance(ex, list(result.benchmarks), data_root), result.task, data_root
    )
    columns = {**row_columns(result.task), "reason": "Reason excluded"}
    return (
        make_table(
            counts,
            columns={"reason": "Reason", "count": "Rows excluded"},
            caption="Exclusions by reason (the first applicable reason per row)",
        ),
        sortable_table(
            full,
            columns,
            caption=f"Every excluded row ({len(ex)}) with the first rule it failed; click a "
            "column header to sort by it",
            numeric=_NUMERIC,
        ),
    )
