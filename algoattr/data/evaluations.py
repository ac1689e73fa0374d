"""Load the curated evaluation tables, validated first: :func:`load_evaluations`.

It sits above both :mod:`algoattr.data.load` (reading and typing files) and
:mod:`algoattr.data.validate` (which reads files through ``load``), so neither of those imports
the other in a circle.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from algoattr.data.load import _empty_frame, _existing, _root, _select, _typed, read_raw
from algoattr.data.schema import BOOL_COLUMNS
from algoattr.data.validate import raise_on_errors, validate_files

__all__ = ["load_evaluations"]


def load_evaluations(
    benchmarks: Sequence[str] | str | None = None,
    root: Path | str | None = None,
    validate: bool = True,
) -> pd.DataFrame:
    """Load the evaluation tables of the selected benchmarks into one typed frame.

    Parameters
    ----------
    benchmarks : str or list of str, optional
        Benchmark ids and/or aliases (see :func:`resolve_benchmarks`). ``None`` loads every
        benchmark whose file exists (a missing file is skipped with a :class:`UserWarning`).
    root : path-like, optional
        Datasets directory; defaults to :data:`DATASETS_DIR` (or ``$ALGOATTR_DATASETS``).
    validate : bool, default True
        Validate the files first and raise on errors. With ``validate=False`` cells that do not
        parse become missing (rows with the wrong number of fields are dropped).

    Returns
    -------
    pandas.DataFrame
        Every column of the LM and ImageNet schemas (absent ones missing; LM-only flags
        ``False`` on ImageNet rows), typed: ``float64`` numbers, ``bool`` flags, ``datetime64``
        ``publication_date``, ``str`` text (missing = NaN); plus ``year`` (decimal year),
        ``source_file`` (relative to ``root``) and ``source_line`` (1-based, header = 1).
        Rows are in selection order, then file order.

    Raises
    ------
    DataValidationError
        If ``validate`` and any selected file has errors (warnings do not raise).
    FileNotFoundError
        If an explicitly selected benchmark's file does not exist.
    ValueError
        If a benchmark name is unknown.
    """
    base = _root(root)
    infos, explicit = _select(benchmarks, base)
    infos = _existing(infos, explicit)
    if validate:
        raise_on_errors(validate_files([i.file for i in infos], root=base))
    frames = [_typed(read_raw(i.file, base), base) for i in infos]
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty_frame()
    df = pd.concat(frames, ignore_index=True)
    for col in BOOL_COLUMNS:
        if df[col].dtype != bool and not df[col].isna().any():
            df[col] = df[col].astype(bool)
    return df
