"""The figure of a Monte Carlo multiplier stack."""

from __future__ import annotations

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
def montecarlo_stack(result: Any) -> Figure:
    """A Monte Carlo multiplier stack: each factor and group with its interval, and log-shares.

    Parameters
    ----------
    result : MonteCarloResult
        From :meth:`algoattr.montecarlo.Scenario.run`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = [*result.factor_draws, *result.group_draws]
    kinds = ["factor"] * len(result.factor_draws) + ["group"] * len(result.group_draws)
    fig = _figure(7.4, 0.3 * len(names) + 1.5)
    ax, ax_s = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2.0, 1.0]})
    c = sns.color_palette(_PALETTE)
    ys = np.arange(len(names))[::-1]
    pct = round(100 * result.ci_prob)
    for y, name, kind in zip(ys, names, kinds, strict=True):
        med = result.median(name)
        lo, hi = result.quantiles(name)
        ax.errorbar(
            med,
            y,
            xerr=[[med - lo], [hi - med]],
            fmt="o" if kind == "factor" else "s",
            color=c[0] if kind == "factor" else c[3],
            capsize=2.5,
            ms=4,
        )
    published = result.scenario.published.get("medians", {})
    for y, name in zip(ys, names, strict=True):
        if name in published:
            ax.plot(float(published[name]), y, "x", color="black", ms=6)
    ax.plot([], [], "x", color="black", label="published median")
    ax.set_xscale("log")
    ax.set_yticks(ys)
    ax.set_yticklabels(names, fontsize="x-small")
    ax.set_xlabel(f"Multiplier (×, log scale): median and {pct}% interval")
    ax.axvline(1, color="black", lw=0.6)
    if published:
        ax.legend(fontsize="x-small", loc="lower right")
    shares = result.log_shares()
    bottom = 0.0
    pal = sns.color_palette("muted", len(shares))
    for (name, s), color in zip(shares.items(), pal, strict=True):
        ax_s.bar(0, 100 * s, bottom=100 * bottom, color=color, width=0.6)
        if s > 0.04:
            ax_s.text(
                0, 100 * (bottom + s / 2), name, ha="center", va="center", fontsize="xx-small"
            )
        bottom += s
    ax_s.set_xticks([])
    ax_s.set_xlim(-0.6, 0.6)
    ax_s.set_ylabel("Share of the log-total (%)")
    ax_s.set_title("Log-shares", fontweight="normal")
    return fig
