"""Where a row comes from, written the way a reader looks it up: ``datasets/lm/ptb.csv:91``.

:func:`algoattr.data.load_evaluations` records each row's ``source_file`` (relative to the
datasets root) and ``source_line`` (1-based, the header is line 1). Reports, hover labels and
tables show them as one ``file:line`` whose path is relative to the repository when the
datasets root lies inside it (the shipped data), else relative to the datasets root.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["REPO_ROOT", "point_label", "row_location", "row_locations"]

#: Root of a source checkout (``datasets/`` lives here).
REPO_ROOT = Path(__file__).resolve().parents[1]


def _datasets_root(data_root: Path | str | None) -> Path:
    if data_root is not None:
        return Path(data_root)
    from algoattr.data.load import DATASETS_DIR, _root

    try:
        return Path(_root(None))
    except Exception:  # a broken $ALGOATTR_DATASETS: loading reports it, a label must not
        return Path(DATASETS_DIR)


def _prefix(data_root: Path | str | None) -> str:
    """The datasets root relative to the repository (``datasets``), or ``""`` outside it."""
    root = _datasets_root(data_root).resolve()
    try:
        rel = root.relative_to(REPO_ROOT)
    except ValueError:
        return ""
    return rel.as_posix() if str(rel) != "." else ""


def _line(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    try:
        return str(int(value))
    except (TypeError, ValueError):
        return str(value)


def row_location(source_file: Any, source_line: Any, data_root: Path | str | None = None) -> str:
    """``file:line`` of one row, the path relative to the repository where possible.

    Parameters
    ----------
    source_file : str
        The row's file relative to the datasets root (``lm/ptb.csv``).
    source_line : int
        1-based line of the row (header = line 1).
    data_root : path-like, optional
        The datasets root the row was read from (default: the shipped datasets, or
        ``$ALGOATTR_DATASETS``).

    Returns
    -------
    str
        E.g. ``datasets/lm/ptb.csv:91``; ``""`` when the row has no file.
    """
    if source_file is None or (isinstance(source_file, float) and math.isnan(source_file)):
        return ""
    f = str(source_file)
    if not f:
        return ""
    prefix = _prefix(data_root)
    path = f"{prefix}/{f}" if prefix and not os.path.isabs(f) else f
    line = _line(source_line)
    return f"{path}:{line}" if line else path


def row_locations(frame: pd.DataFrame, data_root: Path | str | None = None) -> pd.Series:
    """:func:`row_location` of every row of ``frame`` (``""`` without ``source_file``)."""
    if "source_file" not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    prefix = _prefix(data_root)
    lines = frame["source_line"] if "source_line" in frame.columns else [None] * len(frame)
    out = []
    for f, ln in zip(frame["source_file"], lines, strict=True):
        if f is None or (isinstance(f, float) and math.isnan(f)) or not str(f):
            out.append("")
            continue
        path = f"{prefix}/{f}" if prefix else str(f)
        line = _line(ln)
        out.append(f"{path}:{line}" if line else path)
    return pd.Series(out, index=frame.index, dtype=object)


def point_label(row: pd.Series | dict, where: str = "") -> str:
    """The hover label of one plotted row: model, paper, date, benchmark, value, file:line.

    Parameters
    ----------
    row : pandas.Series or dict
        A row with ``model`` and, where present, ``paper_id``, ``publication_date``,
        ``benchmark``, ``metric`` and ``value``.
    where : str
        Its ``file:line`` (:func:`row_location`).

    Returns
    -------
    str
        Lines separated by newlines, e.g. ``"RNNLM\\nmikolov2010rnnlm, 2010-09-26\\nptb:
        perplexity 124.7\\ndatasets/lm/ptb.csv:3"``.
    """

    def get(key: str) -> str:
        v = row.get(key) if hasattr(row, "get") else None
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
            return ""
        if isinstance(v, pd.Timestamp):
            return v.strftime("%Y-%m-%d")
        return str(v)

    lines = [get("model") or "(unnamed row)"]
    paper = ", ".join(x for x in (get("paper_id"), get("publication_date")[:10]) if x)
    if paper:
        lines.append(paper)
    value = get("value")
    if value:
        try:
            value = f"{float(value):g}"
        except ValueError:
            pass
        metric = get("metric").replace("_", " ")
        bench = get("benchmark")
        lines.append(f"{bench + ': ' if bench else ''}{metric + ' ' if metric else ''}{value}")
    if where:
        lines.append(where)
    return "\n".join(lines)
