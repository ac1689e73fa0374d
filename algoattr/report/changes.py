"""The "Change since the previous fit" section: rows added, removed and changed, and the
shift of the headline (computed by :mod:`algoattr.previous_fit`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from algoattr import diff
from algoattr.diff.formatting import _cells_text, _cut, _status_text
from algoattr.previous_fit import FitChanges

__all__ = ["changes_block"]

_QUANTITY = {
    "doubling_time_months": "Doubling time of effective compute (months)",
    "rate_per_year": "Effective-compute growth rate (e-folds per year)",
    "multiplier_per_year": "Effective-compute multiplier per year (×)",
}


def _where(prefix: str, r: diff.RowChange) -> str:
    line = r.base_line if r.kind == "removed" else r.head_line
    path = f"{prefix}/{r.file}" if prefix else r.file
    return f"{path}:{line}" + (" (previous)" if r.kind == "removed" else "")


def changes_block(changes: FitChanges | None, prefix: str = "datasets") -> dict[str, Any] | None:
    """Template context of the changes since the previous fit (``None`` when there are none
    to show: no previous fit, or this very fit).

    Parameters
    ----------
    changes : FitChanges or None
        From :func:`algoattr.previous_fit.compare_with_previous`.
    prefix : str
        The datasets folder relative to the repository, for ``file:line``.

    Returns
    -------
    dict or None
        ``{"summary", "rows", "headline", "flags"}``.
    """
    if changes is None:
        return None
    from algoattr.report.tables import fmt_interval, fmt_num, make_table

    records = []
    for r in changes.rows():
        what = _cells_text(r) if r.kind == "changed" else _status_text(r)
        if r.kind == "added" and r.base_status:
            what = f"now used; before: {r.base_status}"
        elif r.kind == "removed":
            what = f"no longer used: {r.head_status}"
        records.append(
            {
                "kind": r.kind,
                "where": _where(prefix, r),
                "model": r.key[0],
                "benchmark": r.key[1],
                "what": _cut(what, 160),
            }
        )
    rows = make_table(
        pd.DataFrame(records, columns=["kind", "where", "model", "benchmark", "what"]),
        columns={
            "kind": "Change",
            "where": "file:line",
            "model": "Model",
            "benchmark": "Benchmark",
            "what": "What changed",
        },
        caption=f"Rows used: {changes.count('added')} added, {changes.count('removed')} "
        f"removed, {changes.count('changed')} changed (matched by file, model, benchmark and "
        "source, as python -m algoattr.diff does)",
    )
    head = []
    for h in changes.headline:
        old, new = h["previous"], h["now"]
        head.append(
            {
                "quantity": _QUANTITY.get(h["quantity"], h["quantity"]),
                "previous": fmt_interval(old.get("median"), old.get("lower"), old.get("upper")),
                "now": fmt_interval(new.get("median"), new.get("lower"), new.get("upper")),
                "shift": fmt_num(h["shift"]) if h["shift"] == h["shift"] else "–",
            }
        )
    headline = make_table(
        pd.DataFrame(head, columns=["quantity", "previous", "now", "shift"]),
        columns={
            "quantity": "Quantity",
            "previous": "Previous fit: median [interval]",
            "now": "This fit: median [interval]",
            "shift": "Shift of the median",
        },
        caption="Headline shift",
    )
    flags = []
    if changes.checksum_changed:
        flags.append("the dataset checksum differs")
    if changes.rules_changed:
        flags.append("the selection rules differ")
    if changes.settings_changed:
        s = changes.previous_settings
        flags.append(
            "the sampler settings differ (previous: "
            + ", ".join(f"{k} {v}" for k, v in s.items())
            + ")"
        )
    summary = (
        f"The previous fit in this folder ({changes.previous_created[:19].replace('T', ' ')} "
        f"UTC) used {changes.previous_rows} rows; this one uses {changes.n_rows}."
    )
    return {"summary": summary, "rows": rows, "headline": headline, "flags": flags}
