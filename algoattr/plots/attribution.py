"""Figures of a Shapley attribution: group shares per pair and compute-equivalent multipliers."""

from __future__ import annotations

from typing import Any

import numpy as np
import seaborn as sns
from matplotlib.figure import Figure

from algoattr.intervals import CI_PROB, ci_label, eti
from algoattr.plots.base import (
    _PALETTE,
    _figure,
    _styled,
)


def _segments(attr: Any) -> tuple[list[str], np.ndarray]:
    """Labels and per-draw fractions ``(draws, pairs, segments)``: algorithms, compute, data."""
    if attr.law == "lm":
        frac = attr.shares("law", "fraction", "player")
        idx = {p: i for i, p in enumerate(attr.players)}
        alg = frac[..., idx["parameter_efficiency"]] + frac[..., idx["data_efficiency"]]
        segs = np.stack([alg, frac[..., idx["parameters"]], frac[..., idx["data"]]], axis=-1)
        return ["algorithms", "compute: parameters (N)", "compute: data (D)"], segs
    frac = attr.shares("law", "fraction", "group")
    return list(attr.groups), frac


@_styled
def attribution_shares(attr: Any, ci_prob: float = CI_PROB, max_pairs: int = 40) -> Figure:
    """Stacked bars of each pair's change split into algorithms, compute and data shares.

    For language models the compute group is split into its two players, parameters (N) and
    training data (D); for ImageNet the groups are algorithms, compute and data. Bars are the
    posterior medians of the shares of the change in the law's space (log-perplexity or logit
    accuracy), stacked right of zero for positive shares and left for negative ones; whiskers
    show each share's central interval at the end of its segment.

    Parameters
    ----------
    attr : AttributionResult
        From :func:`algoattr.attribute.attribute_pairs`.
    ci_prob : float
        Probability of the whiskers' equal-tailed intervals.
    max_pairs : int
        Show at most this many pairs (the first ones).

    Returns
    -------
    matplotlib.figure.Figure
    """
    labels, segs = _segments(attr)
    n = min(attr.n_pairs, max_pairs)
    lo, med, hi = eti(segs[:, :n], ci_prob, axis=0)
    colors = sns.color_palette(_PALETTE, len(labels))
    fig = _figure(8.4, 0.24 * n + 1.4)
    ax = fig.subplots()
    ys = np.arange(n)[::-1]
    pos_left = np.zeros(n)
    neg_left = np.zeros(n)
    for j, (lab, col) in enumerate(zip(labels, colors, strict=True)):
        m = np.nan_to_num(med[:, j])
        left = np.where(m >= 0, pos_left, neg_left)
        ax.barh(ys, m * 100, left=left * 100, color=col, label=lab, height=0.72, alpha=0.9)
        end = left + m
        ax.errorbar(
            end * 100,
            ys,
            xerr=[np.clip(m - lo[:, j], 0, None) * 100, np.clip(hi[:, j] - m, 0, None) * 100],
            fmt="none",
            ecolor="black",
            elinewidth=0.6,
            capsize=1.5,
        )
        pos_left = np.where(m >= 0, pos_left + m, pos_left)
        neg_left = np.where(m < 0, neg_left + m, neg_left)
    ax.axvline(0, color="black", lw=0.8)
    ax.axvline(100, color="black", lw=0.6, ls=":")
    # Shares of a pair whose total change is near zero explode; keep the axis readable.
    lo_lim = max(-150.0, min(-10.0, 100 * float(np.nanmin(neg_left)) - 10))
    hi_lim = min(250.0, max(110.0, 100 * float(np.nanmax(pos_left)) + 10))
    ax.set_xlim(lo_lim, hi_lim)
    ax.set_yticks(ys)
    ax.set_yticklabels(attr.pairs[:n], fontsize="x-small")
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlabel(
        f"Share of the change in the law's space (%)\nmedians; whiskers {ci_label(ci_prob)}s; "
        "axis clipped"
    )
    fig.legend(
        *ax.get_legend_handles_labels(),
        loc="outside upper center",
        ncol=len(labels),
        fontsize="small",
        frameon=False,
    )
    return fig


@_styled
def compute_equivalent_multipliers(
    attr: Any, ci_prob: float = CI_PROB, max_pairs: int = 40
) -> Figure:
    """Compute-equivalent multiplier of algorithmic progress per pair, with intervals.

    ``(C_B/C_A)^(φ_algorithms/φ_compute)`` per posterior draw
    (:meth:`AttributionResult.compute_equivalent_multiplier`), on a log axis, next to the
    pair's actual compute growth.

    Parameters
    ----------
    attr : AttributionResult
        From :func:`algoattr.attribute.attribute_pairs`.
    ci_prob : float
        Probability of the equal-tailed intervals.
    max_pairs : int
        Show at most this many pairs.

    Returns
    -------
    matplotlib.figure.Figure
    """
    table = attr.compute_equivalent_multiplier(ci_prob=ci_prob).iloc[:max_pairs]
    n = len(table)
    fig = _figure(8.4, 0.24 * n + 1.1)
    ax = fig.subplots()
    ys = np.arange(n)[::-1]
    med = table["median"].to_numpy(float)
    lo = table["lower"].to_numpy(float)
    hi = table["upper"].to_numpy(float)
    ok = np.isfinite(med) & (med > 0)
    c = sns.color_palette(_PALETTE)
    ax.errorbar(
        med[ok],
        ys[ok],
        xerr=[np.clip(med[ok] - lo[ok], 0, None), np.clip(hi[ok] - med[ok], 0, None)],
        fmt="o",
        ms=4,
        color=c[0],
        capsize=2,
        label=f"algorithms, compute-equivalent (median, {ci_label(ci_prob)})",
    )
    ax.plot(table["compute_ratio"], ys, "|", color=c[1], ms=9, mew=2, label="actual compute growth")
    ax.set_xscale("log")
    ax.axvline(1, color="black", lw=0.8)
    ax.set_yticks(ys)
    ax.set_yticklabels(table["pair"], fontsize="x-small")
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlabel("Multiplier (× compute, log scale)")
    # Above the axes: inside them the legend covered the last pairs' points.
    fig.legend(
        *ax.get_legend_handles_labels(),
        loc="outside upper center",
        ncol=2,
        fontsize="x-small",
        frameon=False,
    )
    return fig


# ------------------------------------------------------------------------------- other estimates
