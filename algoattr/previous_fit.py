"""What changed since the previous fit of the same benchmark in an output folder.

Before a fit's files are written over, :func:`read_previous` keeps the previous
``<stem>_summary.json``, ``<stem>_rows.csv`` and ``<stem>_excluded.csv`` in memory;
:func:`compare_with_previous` then sets them against the new fit: the rows the fit uses that
were added, removed or changed (matched by file, model, benchmark and source with
:func:`algoattr.diff.row_changes`, the machinery of ``python -m algoattr.diff``; a changed row
lists each changed column, old → new), where an added or removed row went (excluded, and
why, or not in the data), and the shift of each headline quantity. The report shows it as
"Change since the previous fit".
"""

from __future__ import annotations

import io
import json
import logging
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from algoattr import diff
from algoattr.data.load import RawTable

__all__ = ["SAVED_KEY", "FitChanges", "PreviousFit", "compare_with_previous", "read_previous"]

log = logging.getLogger("algoattr.previous_fit")

#: Columns derived at load time (not part of the CSV row, so not compared).
DERIVED = ("year", "source_file", "source_line")
#: Key of a fit's ``extras`` (and so of its summary file) under which the changes since the
#: fit it replaced are kept, so that a report rebuilt later from the saved fit shows them too.
SAVED_KEY = "changes_since_previous"
#: Headline quantities whose shift is shown.
HEADLINE_SHIFT = ("doubling_time_months", "rate_per_year", "multiplier_per_year")


@dataclass
class PreviousFit:
    """The saved files of a fit, read before they are replaced.

    Attributes
    ----------
    path : pathlib.Path
        The ``*_summary.json``.
    summary : dict
        Its contents.
    rows, excluded : pandas.DataFrame
        ``<stem>_rows.csv`` and ``<stem>_excluded.csv`` as text (empty cell = ``""``).
    """

    path: Path
    summary: dict[str, Any]
    rows: pd.DataFrame
    excluded: pd.DataFrame


def _read_text_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame(dtype=str)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def read_previous(out_dir: Path | str, stem: str) -> PreviousFit | None:
    """The saved fit ``<stem>`` in ``out_dir``, or ``None`` (none, or unreadable: logged).

    Parameters
    ----------
    out_dir : path-like
        Output folder.
    stem : str
        File stem (``ptb``, ``lm_ho2024``).

    Returns
    -------
    PreviousFit or None
    """
    path = Path(out_dir) / f"{stem}_summary.json"
    if not path.is_file():
        return None
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
        files = summary.get("files") or {}
        rows = _read_text_csv(path.parent / files.get("rows", f"{stem}_rows.csv"))
        excluded = _read_text_csv(path.parent / files.get("excluded", f"{stem}_excluded.csv"))
    except (OSError, ValueError) as exc:
        log.warning("previous fit %s not read: %s", path, exc)
        return None
    return PreviousFit(path=path, summary=summary, rows=rows, excluded=excluded)


def _as_saved(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as :meth:`FitResult.save` writes it and :func:`read_previous` reads it."""
    from algoattr.outputs import neutralise_formulas

    buf = io.StringIO()
    neutralise_formulas(frame).to_csv(buf, index=False)
    buf.seek(0)
    return pd.read_csv(buf, dtype=str, keep_default_na=False)


def _tables(rows: pd.DataFrame) -> dict[str, RawTable]:
    """One :class:`RawTable` per data file of the rows used (lines from ``source_line``)."""
    if rows.empty or "source_file" not in rows:
        return {}
    out = {}
    for f, sub in rows.groupby("source_file", sort=False):
        frame = sub.drop(columns=[c for c in DERIVED if c in sub]).reset_index(drop=True)
        lines = [int(float(x)) if x else 0 for x in sub.get("source_line", [""] * len(sub))]
        out[str(f)] = RawTable(Path(str(f)), str(f), list(frame.columns), frame, lines)
    return out


def _where_excluded(excluded: pd.DataFrame) -> dict[tuple[str, str], str]:
    if excluded is None or excluded.empty or "model" not in excluded:
        return {}
    return {
        (str(r["model"]), str(r["benchmark"])): f"excluded: {r['reason']}"
        for _, r in excluded.astype(str).iterrows()
    }


@dataclass
class FitChanges:
    """What changed between the previous fit and this one.

    Attributes
    ----------
    previous_created, created : str
        When each fit was made.
    previous_rows, n_rows : int
        Rows used before and now.
    files : list of FileChanges
        Per data file: rows added, removed and changed among the rows used
        (:class:`algoattr.diff.FileChanges`; each row's ``base_status``/``head_status`` says
        whether the previous/this fit used it, or why not).
    headline : list of dict
        ``quantity, previous, now`` (``median``, ``lower``, ``upper``), ``shift`` (of the
        median).
    settings_changed, checksum_changed, rules_changed : bool
        Whether the sampler settings, the dataset checksum and the selection rules differ.
    previous_settings : dict
        The previous fit's sampler settings.
    """

    previous_created: str
    created: str
    previous_rows: int
    n_rows: int
    files: list[diff.FileChanges] = field(default_factory=list)
    headline: list[dict[str, Any]] = field(default_factory=list)
    settings_changed: bool = False
    checksum_changed: bool = False
    rules_changed: bool = False
    previous_settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain values for the fit's summary (:data:`SAVED_KEY`), read by :meth:`from_dict`."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FitChanges:
        """The changes as :meth:`to_dict` wrote them (JSON lists back to tuples)."""
        d = dict(d)
        files = []
        for f in d.pop("files", []):
            f = dict(f)
            rows = [
                diff.RowChange(
                    **{
                        **r,
                        "key": tuple(r["key"]),
                        "cells": [tuple(c) for c in r.get("cells", [])],
                    }
                )
                for r in f.pop("rows", [])
            ]
            files.append(diff.FileChanges(**f, rows=rows))
        return cls(**d, files=files)

    def rows(self) -> list[diff.RowChange]:
        """Every added, removed and changed row, file by file."""
        return [r for fc in self.files for r in fc.rows]

    def count(self, kind: str) -> int:
        """Rows of ``kind`` (``added``, ``removed``, ``changed``)."""
        return sum(r.kind == kind for r in self.rows())


def _shift(previous: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for q in HEADLINE_SHIFT:
        old, new = previous.get(q), current.get(q)
        if not (isinstance(old, dict) and isinstance(new, dict)):
            continue
        a, b = old.get("median"), new.get("median")
        shift = float("nan")
        if a is not None and b is not None and math.isfinite(a) and math.isfinite(b):
            shift = float(b) - float(a)
        out.append({"quantity": q, "previous": old, "now": new, "shift": shift})
    return out


def compare_with_previous(result: Any, previous: PreviousFit | None) -> FitChanges | None:
    """The changes from ``previous`` to ``result``.

    The changes saved with the fit under :data:`SAVED_KEY` (by the fit command, before the
    previous fit's files were replaced) when it has them, so they are computed once and a
    report rebuilt later shows them too; else computed from ``previous``. ``None`` when there
    is no previous fit, or ``previous`` is this very fit (same creation time and dataset
    checksum) and nothing was saved.

    Parameters
    ----------
    result : FitResult
        The new fit.
    previous : PreviousFit or None
        From :func:`read_previous`, read before the new fit was saved.

    Returns
    -------
    FitChanges or None
    """
    saved = result.extras.get(SAVED_KEY)
    if isinstance(saved, dict):
        return FitChanges.from_dict(saved)
    if previous is None:
        return None
    extras = previous.summary.get("extras") or {}
    created = str(result.extras.get("created", ""))
    checksum = result.extras.get("dataset_checksum")
    if str(extras.get("created", "")) == created and extras.get("dataset_checksum") == checksum:
        return None
    task = result.task
    base = diff.Datasets(root=Path("."), tables=_tables(previous.rows), tasks={})
    head = diff.Datasets(root=Path("."), tables=_tables(_as_saved(result.data)), tasks={})
    base.tasks = dict.fromkeys(base.tables, task)
    head.tasks = dict.fromkeys(head.tables, task)
    files = [fc for fc in diff.row_changes(base, head) if fc.rows]
    was = _where_excluded(previous.excluded)
    now = _where_excluded(_as_saved(result.excluded) if len(result.excluded) else None)
    for fc in files:
        for r in fc.rows:
            key = (r.key[0], r.key[1])
            if r.kind == "added":
                r.head_status = "used"
                r.base_status = was.get(key, "not in the previous data")
            elif r.kind == "removed":
                r.base_status = "used"
                r.head_status = now.get(key, "no longer in the data")
            else:
                r.base_status = r.head_status = "used"
    prev_settings = previous.summary.get("settings") or {}
    return FitChanges(
        previous_created=str(extras.get("created", "")),
        created=created,
        previous_rows=int(previous.summary.get("n_rows", len(previous.rows))),
        n_rows=len(result.data),
        files=files,
        headline=_shift(previous.summary.get("headline") or {}, result.headline()),
        settings_changed=prev_settings != result.settings.to_dict(),
        checksum_changed=extras.get("dataset_checksum") != checksum,
        rules_changed=extras.get("rules") != result.extras.get("rules"),
        previous_settings=prev_settings,
    )
