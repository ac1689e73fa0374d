"""Figures of the threshold method (curve, sensitivity) and of compute-equivalent gains."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import seaborn as sns
from matplotlib.figure import Figure

from algoattr.plots.base import (
    _PALETTE,
    _figure,
    _styled,
)


@_styled
def threshold_curve(result: Any) -> Figure:
    """Training compute of the models that reached a threshold, by date, and the frontier.

    Parameters
    ----------
    result : ThresholdResult
        From :func:`algoattr.threshold.threshold_frontier`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from algoattr.threshold import decimal_year

    fig = _figure(7.2, 3.4)
    ax = fig.subplots()
    reached = result.reached
    c = sns.color_palette(_PALETTE)
    if len(reached):
        year = (
            reached["year"].to_numpy(float)
            if "year" in reached
            else decimal_year(reached["publication_date"])
        )
        ax.scatter(
            year, reached["training_compute_flop"], s=16, color="0.6", label="reached the threshold"
        )
    f = result.frontier
    if len(f):
        ax.step(f["year"], f["training_compute_flop"], where="post", color=c[0], lw=1.5)
        ax.scatter(
            f["year"], f["training_compute_flop"], s=36, color=c[0], zorder=3, label="frontier"
        )
        for _, r in f.iterrows():
            ax.annotate(
                str(r["model"]),
                (r["year"], r["training_compute_flop"]),
                fontsize="xx-small",
                xytext=(3, 3),
                textcoords="offset points",
            )
    ax.set_yscale("log")
    ax.set_xlabel("Publication date (year)")
    ax.set_ylabel("Training compute (FLOP, log scale)")
    title = result.criterion if len(result.criterion) < 90 else result.criterion[:87] + "…"
    ax.set_title(title, fontweight="normal", fontsize="small")
    ax.legend(fontsize="x-small")
    return fig


@_styled
def threshold_sensitivity(sweep: Any) -> Figure:
    """Halving time of the compute needed against the threshold (Erdil & Besiroglu's point).

    Parameters
    ----------
    sweep : ThresholdSweep
        From :func:`algoattr.threshold.threshold_sweep`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    t = sweep.table()
    ok = t["n_frontier"] >= 2
    fig = _figure(7.2, 3.0)
    ax, ax_r = fig.subplots(1, 2)
    c = sns.color_palette(_PALETTE)
    for col, lab, color in (
        ("halving_months_endpoint", "endpoint", c[0]),
        ("halving_months_regression", "regression", c[1]),
    ):
        v = t.loc[ok, col].to_numpy(float)
        v = np.where(np.isfinite(v) & (v > 0), v, np.nan)
        ax.plot(t.loc[ok, "threshold"], v, "o-", color=color, label=lab, ms=4)
    ax.set_yscale("log")
    ax.set_xlabel("Threshold (metric value, lower is better)")
    ax.set_ylabel("Halving time (months, log)")
    ax.legend(fontsize="x-small")
    ax_r.plot(t.loc[ok, "threshold"], t.loc[ok, "reduction_factor"], "s-", color=c[2], ms=4)
    ax_r.set_yscale("log")
    ax_r.set_xlabel("Threshold (metric value, lower is better)")
    ax_r.set_ylabel("Reduction factor (×, log)")
    return fig


@_styled
def ceg_vs_compute(
    ceg: Any,
    rebalancing: Any | None = None,
    points: Mapping[str, Mapping[str, Any]] | None = None,
) -> Figure:
    """Compute-equivalent gain against compute (log-log), with its interval if drawn.

    Parameters
    ----------
    ceg : CEGResult
        Law-against-law gain over a compute grid (:func:`algoattr.ceg.law_vs_law`).
    rebalancing : CEGResult, optional
        A second curve on the same grid, e.g. Kaplan → Chinchilla rebalancing.
    points : mapping, optional
        Point estimates to mark, ``label -> {"compute_flop", "median", "lower", "upper"}``
        (e.g. the fit's Transformer CEG).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = _figure(7.2, 3.4)
    ax = fig.subplots()
    c = sns.color_palette(_PALETTE)
    ref, new = ceg.labels
    ax.plot(ceg.compute, ceg.ceg, color=c[0], lw=1.8, label=f"{ref} → {new}")
    if ceg.lower is not None:
        ax.fill_between(ceg.compute, ceg.lower, ceg.upper, color=c[0], alpha=0.2)
    if rebalancing is not None:
        r_ref, r_new = rebalancing.labels
        ax.plot(
            rebalancing.compute,
            rebalancing.ceg,
            color=c[1],
            lw=1.8,
            ls="--",
            label=f"{r_ref} → {r_new}",
        )
    for i, (lab, p) in enumerate((points or {}).items()):
        err = [[p["median"] - p["lower"]], [p["upper"] - p["median"]]]
        ax.errorbar(
            p["compute_flop"],
            p["median"],
            yerr=err,
            fmt="D",
            color=c[2 + i % 6],
            capsize=3,
            label=lab,
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.axhline(1, color="black", lw=0.6)
    ax.set_xlabel("Training compute (FLOP, log scale)")
    ax.set_ylabel("Compute-equivalent gain (×, log)")
    ax.legend(fontsize="x-small")
    return fig
