"""Run the estimators that fit a result's task (:func:`run_all`) and print them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from algoattr.baselines.erdil2022 import erdil2022_estimator
from algoattr.baselines.ho2024 import ho2024_estimator
from algoattr.baselines.ols import ols_clustered
from algoattr.baselines.result import IMAGENET_TASK, LM_TASK, BaselineResult, _fmt

__all__ = ["format_published", "format_table", "run_all"]


# --------------------------------------------------------------------------------------
# Dispatch and printing
# --------------------------------------------------------------------------------------


def run_all(result: Any, n_boot: int = 100, seed: int = 0) -> dict[str, Any]:
    """Run the papers' estimators on the rows of a Bayesian fit.

    Parameters
    ----------
    result : algoattr.model.results.FitResult
        The fit; its ``task`` picks the estimators (language models: Ho et al. 2024 and OLS;
        ImageNet: Erdil & Besiroglu 2022 and OLS) and its ``data`` are the rows.
    n_boot : int
        Bootstrap refits.
    seed : int
        Seed of every random step.

    Returns
    -------
    dict
        Estimator name → :meth:`BaselineResult.to_dict` (JSON-serialisable).
    """
    rows = result.data
    if result.task == LM_TASK:
        out = [ho2024_estimator(rows, n_boot=n_boot, seed=seed)]
    elif result.task == IMAGENET_TASK:
        out = [erdil2022_estimator(rows, n_boot=n_boot, seed=seed)]
    else:
        raise ValueError(f"unknown task {result.task!r}")
    out.append(ols_clustered(rows, result.task, seed=seed))
    return {r.name: r.to_dict() for r in out}


def format_table(d: Mapping[str, Any]) -> str:
    """One line per estimator: doubling time (point, median, interval), wall time, rows.

    Parameters
    ----------
    d : mapping
        Output of :func:`run_all` (or any mapping of name → :meth:`BaselineResult.to_dict`).

    Returns
    -------
    str
    """
    head = (
        f"{'estimator':<16} {'point':>7} {'median':>7} {'95% interval':>17} "
        f"{'refits':>6} {'wall s':>7} {'rows':>5}"
    )
    lines = ["papers' estimators, doubling time (months):", head]
    for name, r in d.items():
        r = r.to_dict() if isinstance(r, BaselineResult) else r
        dt = r["doubling_time_months"]
        interval = f"[{_fmt(dt['lower'])}, {_fmt(dt['upper'])}]"
        lines.append(
            f"{name:<16} {_fmt(dt['point']):>7} {_fmt(dt['median']):>7} {interval:>17} "
            f"{r['n_boot']:>6} {r['wall_time_s']:>7.2f} {r['n_rows']:>5}"
        )
    return "\n".join(lines)


def format_published(result: Any, d: Mapping[str, Any] | None = None, top: int = 5) -> str:
    """The fit's and the estimator's doubling time beside the published interval.

    When the Bayesian median falls outside the published interval, the rows whose removal
    moves it furthest toward the published value (the fit's row-influence table) are named.

    Parameters
    ----------
    result : algoattr.model.results.FitResult
        The Bayesian fit (its ``extras["influence"]`` is read when present).
    d : mapping, optional
        Output of :func:`run_all`.
    top : int
        Rows named when the fit is outside the published interval.

    Returns
    -------
    str
    """
    from algoattr.published import ERDIL2022_DOUBLING, HO2024_DOUBLING

    pub = HO2024_DOUBLING if result.task == LM_TASK else ERDIL2022_DOUBLING
    dt = result.headline()["doubling_time_months"]
    rules = result.extras.get("rules_text", "")
    lines = [
        f"against the published estimate ({pub.label()}, {pub.rows} rows; {pub.note}):",
        f"  Bayesian, this fit ({len(result.data)} rows; {rules}): {_fmt(dt['median'])} "
        f"[{_fmt(dt['lower'])}, {_fmt(dt['upper'])}]",
    ]
    for name, r in (d or {}).items():
        r = r.to_dict() if isinstance(r, BaselineResult) else r
        if name in ("ho2024", "erdil2022"):
            e = r["doubling_time_months"]
            lines.append(
                f"  {name} estimator on the same rows: {_fmt(e['median'])} "
                f"[{_fmt(e['lower'])}, {_fmt(e['upper'])}] (point {_fmt(e['point'])})"
            )
    inside = pub.lower <= dt["median"] <= pub.upper
    lines.append(
        "  the Bayesian median is "
        + ("inside" if inside else "outside")
        + " the published 95% interval"
    )
    infl = result.extras.get("influence")
    if not inside and infl:
        table = pd.DataFrame(infl)
        toward = np.sign(pub.median - dt["median"])
        moving = table[np.sign(table["shift_months"]) == toward]
        moving = moving.reindex(moving["shift_months"].abs().sort_values(ascending=False).index)
        if len(moving):
            lines.append("  rows whose removal moves it furthest toward the published value:")
            for _, r in moving.head(top).iterrows():
                lines.append(
                    f"    {r['shift_months']:+.1f} months: {r['model']} [{r['benchmark']}] "
                    f"{r['where']}"
                )
    return "\n".join(lines)
