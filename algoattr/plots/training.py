"""The figure of a retraining ladder: loss against compute per family, frontiers and laws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from algoattr import law
from algoattr.plots.base import (
    _PALETTE,
    _figure,
    _styled,
)


@_styled
def training_frontiers(
    frontier: pd.DataFrame,
    fits: pd.DataFrame | None = None,
    metrics: pd.DataFrame | None = None,
    window: tuple[float, float] | None = None,
) -> Figure:
    """Validation loss against training compute for each family of a retraining ladder.

    Every run's curve is drawn faintly, each family's compute-optimal frontier boldly, and the
    fixed-E law ``L = E + A·C^−α`` fitted to it dashed over the fit window.

    Parameters
    ----------
    frontier : pandas.DataFrame
        ``family, compute, loss`` (``frontier.csv``).
    fits : pandas.DataFrame, optional
        ``family, fit, E, A, alpha`` (``fits.csv``); the ``E fixed`` rows are drawn.
    metrics : pandas.DataFrame, optional
        Dense logs ``family, width, seed, flops, val_loss`` (``metrics.csv``).
    window : tuple of float, optional
        Compute range of the law curves (default: each family's frontier range).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = _figure(7.2, 4.2)
    ax = fig.subplots()
    families = list(dict.fromkeys(frontier["family"]))
    colors = dict(zip(families, sns.color_palette(_PALETTE, len(families)), strict=True))
    if metrics is not None:
        for (fam, _, _), run in metrics.groupby(["family", "width", "seed"], sort=False):
            if fam in colors:
                ax.plot(run["flops"], run["val_loss"], color=colors[fam], lw=0.6, alpha=0.3)
    fixed = (
        fits[fits["fit"] == "E fixed"].set_index("family") if fits is not None else pd.DataFrame()
    )
    for fam in families:
        fr = frontier[frontier["family"] == fam].sort_values("compute")
        label = fam
        if fam in fixed.index:
            label = f"{fam} (α = {fixed.loc[fam, 'alpha']:.3f})"
        ax.plot(fr["compute"], fr["loss"], color=colors[fam], lw=2.0, label=label)
        if fam in fixed.index:
            lo, hi = window or (fr["compute"].min(), fr["compute"].max())
            grid = np.geomspace(lo, hi, 60)
            r = fixed.loc[fam]
            law_curve = law.power_law_loss(grid, E=r["E"], A=r["A"], alpha=r["alpha"])
            ax.plot(grid, law_curve, color=colors[fam], lw=1.2, ls="--")
    if window is not None:
        for c in window:
            ax.axvline(c, color="grey", lw=0.6, ls=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Training compute (FLOP, log scale)")
    ax.set_ylabel("Validation loss (nats/token, log)")
    ax.legend(fontsize="x-small", ncol=2 if len(families) > 4 else 1)
    return fig
