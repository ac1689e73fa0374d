"""Machine-readable output of the command lines (``--json``): one document on standard output.

:func:`fit_document` is what ``python -m algoattr.fit --json`` prints; :func:`stdout_to_stderr`
sends everything else a command writes (progress, the text summary, messages of the numerical
libraries) to standard error while it runs, so that standard output holds only the document.
JSON has no NaN or infinity: a number that is not finite is ``null`` (an unbounded interval
end, such as the upper end of a doubling time whose rate interval reaches zero, is ``null``
and named in ``unbounded``).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["finite", "fit_document", "stdout_to_stderr"]

#: Said in every document that may hold a ``null`` number.
NULL_MEANS = "null: not a finite number (an unbounded interval end, or undefined)"


def finite(x: Any) -> Any:
    """``x`` with every non-finite float replaced by ``None`` (recursively), numpy scalars and
    arrays as plain Python values, paths as POSIX strings."""
    if isinstance(x, Mapping):
        return {str(k): finite(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [finite(v) for v in x]
    if isinstance(x, np.ndarray):
        return finite(x.tolist())
    if isinstance(x, bool | np.bool_):
        return bool(x)
    if isinstance(x, int | np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        v = float(x)
        return v if math.isfinite(v) else None
    if isinstance(x, Path):
        return x.as_posix()
    if x is None or isinstance(x, str):
        return x
    return str(x)


def _unbounded(headline: Mapping[str, Any]) -> list[str]:
    out = []
    for name, v in headline.items():
        if isinstance(v, Mapping):
            for end in ("lower", "upper", "median"):
                x = v.get(end)
                if isinstance(x, float) and math.isinf(x):
                    out.append(f"{name}.{end}")
    return out


def fit_document(result: Any, files: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``--json`` summary of a fit: what it fitted, its diagnostics and its headline.

    Parameters
    ----------
    result : FitResult
        The fit.
    files : mapping, optional
        The files written (name → path).

    Returns
    -------
    dict
        JSON-ready: ``benchmark``, ``benchmarks``, ``task``, ``variant``, ``likelihood``,
        ``rules``, ``n_rows``, ``n_excluded``, ``excluded_by_reason``, ``settings``,
        ``diagnostics`` (``ok``, ``divergences``, ``warnings``), ``headline`` (each quantity's
        median and interval, ``prob_progress_positive``), ``unbounded``, ``baselines`` (the
        papers' estimators, when run), ``dataset_checksum``, ``files``, ``null_means``.
    """
    extras = result.extras
    headline = result.headline()
    excluded = result.excluded
    reasons = (
        {str(k): int(v) for k, v in excluded["reason"].value_counts().items()}
        if len(excluded) and "reason" in excluded
        else {}
    )
    diag = result.diagnostics
    baselines = {}
    for name, b in (extras.get("baselines") or {}).items():
        if isinstance(b, Mapping):
            baselines[name] = {
                "n_rows": b.get("n_rows"),
                "n_boot": b.get("n_boot"),
                "doubling_time_months": b.get("doubling_time_months"),
            }
    doc = {
        "benchmark": extras.get("benchmark", result.benchmarks[0]),
        "benchmarks": list(result.benchmarks),
        "task": result.task,
        "variant": result.variant,
        "likelihood": extras.get("likelihood", "normal"),
        "rules": extras.get("rules_text"),
        "n_rows": len(result.data),
        "n_excluded": len(excluded),
        "excluded_by_reason": reasons,
        "settings": result.settings.to_dict(),
        "diagnostics": {
            "ok": bool(diag.ok),
            "divergences": int(diag.divergences),
            "warnings": list(diag.warnings),
        },
        "headline": headline,
        "unbounded": _unbounded(headline),
        "baselines": baselines or None,
        "dataset_checksum": extras.get("dataset_checksum"),
        "files": {str(k): Path(v).as_posix() for k, v in (files or {}).items()},
        "null_means": NULL_MEANS,
    }
    return finite(doc)


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Send standard output to standard error while the block runs (Python's ``sys.stdout``
    and, where it is a real file, file descriptor 1, which compiled libraries write to)."""
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
        err = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # e.g. captured by a test harness
        fd = err = -1
    saved = os.dup(fd) if fd >= 0 else -1
    try:
        if saved >= 0:
            os.dup2(err, fd)
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        if saved >= 0:
            os.dup2(saved, fd)
            os.close(saved)
