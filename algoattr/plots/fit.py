"""Figures of a fit's rows and posterior: data against date and compute, the doubling time,
the posterior predictive check and the residuals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator

from algoattr import law
from algoattr.intervals import CI_PROB, ci_label, eti
from algoattr.plots.base import (
    _PALETTE,
    PUBLISHED_DOUBLING_TIMES,
    _arch_legend,
    _arch_palette,
    _compute_of,
    _figure,
    _hover_labels,
    _is_lm,
    _log_months_axis,
    _metric_label,
    _observed_space,
    _posterior_mu,
    _predictive,
    _scatter_rows,
    _styled,
    _with_hover,
)


@_styled
def performance_vs_date(result: Any) -> Figure:
    """Performance of each row used against its publication date, coloured by architecture.

    Parameters
    ----------
    result : FitResult
        A fit; its ``data`` are plotted, one panel per benchmark.

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = result.data.copy()
    benches = list(dict.fromkeys(data["benchmark"]))
    palette = _arch_palette(data["architecture_class"].fillna("other"))
    fig = _figure(3.6 * len(benches) + 1.6, 3.4)
    axes = fig.subplots(1, len(benches), squeeze=False, sharey=False)[0]
    for i, (ax, bench) in enumerate(zip(axes, benches, strict=True)):
        sub = data[data["benchmark"] == bench].fillna({"architecture_class": "other"})
        _scatter_rows(
            ax, sub["year"], sub["value"], sub, palette, s=28, edgecolor="white", linewidth=0.4
        )
        if _is_lm(result):
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_title(bench)
        ax.set_xlabel("Publication date (year)")
        ax.set_ylabel(_metric_label(result) if i == 0 else "")
    _arch_legend(fig, palette)
    return fig


@_styled
def performance_vs_compute(result: Any) -> Figure:
    """Performance of each row used against its training compute, coloured by architecture.

    Language models use the law's compute ``6·N·D`` (parameters × training tokens); ImageNet
    rows their recorded training compute.

    Parameters
    ----------
    result : FitResult
        A fit.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lm = _is_lm(result)
    data = result.data.fillna({"architecture_class": "other"}).copy()
    data["compute"] = _compute_of(data, lm)
    benches = list(dict.fromkeys(data["benchmark"]))
    palette = _arch_palette(data["architecture_class"])
    fig = _figure(3.6 * len(benches) + 1.6, 3.4)
    axes = fig.subplots(1, len(benches), squeeze=False)[0]
    for i, (ax, bench) in enumerate(zip(axes, benches, strict=True)):
        sub = data[data["benchmark"] == bench]
        sub = sub[np.isfinite(sub["compute"]) & (sub["compute"] > 0)]
        _scatter_rows(
            ax, sub["compute"], sub["value"], sub, palette, s=28, edgecolor="white", linewidth=0.4
        )
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(base=10, numticks=6))
        if lm:
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_title(bench)
        ax.set_xlabel(
            "Training compute 6·N·D (FLOP, log scale)" if lm else "Training compute (FLOP, log)"
        )
        ax.set_ylabel(_metric_label(result) if i == 0 else "")
    _arch_legend(fig, palette)
    return fig


# ------------------------------------------------------------------------------- fit


@_styled
def doubling_time_posterior(
    result: Any, published: Sequence[Mapping[str, Any]] = PUBLISHED_DOUBLING_TIMES
) -> Figure:
    """Posterior of the doubling time of effective compute, with published estimates marked.

    Parameters
    ----------
    result : FitResult
        A fit with a ``rate`` (e-folds per year) in its posterior.
    published : sequence of mapping
        Estimates to mark (``label``, ``median``, ``lower``, ``upper``); default
        :data:`PUBLISHED_DOUBLING_TIMES`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    rate = result.draws("rate")
    months = law.doubling_months(rate)
    shown = months[np.isfinite(months)]
    lo_x, hi_x = 0.8, 150.0
    fig = _figure(7.2, 3.6)
    ax_d, ax_p = fig.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": [2.2, 1.0 + 0.25 * len(published)]}
    )
    clipped = np.clip(shown, lo_x, hi_x)
    bins = np.geomspace(lo_x, hi_x, 60)
    ax_d.hist(clipped, bins=bins, density=False, color=sns.color_palette(_PALETTE)[0], alpha=0.75)
    h = result.headline().get("doubling_time_months", {})
    if h:
        ax_d.axvline(h["median"], color="black", lw=1.2)
        ax_d.axvspan(max(h["lower"], lo_x), min(h["upper"], hi_x), color="grey", alpha=0.12)
    ax_d.set_ylabel("Posterior draws")
    share_neg = float(np.mean(rate <= 0))
    note = f"; {100 * share_neg:.1f}% of draws have no progress (rate ≤ 0)" if share_neg else ""
    ax_d.set_title(
        f"Posterior: median {h.get('median', np.nan):.1f} months, {ci_label()} "
        f"{h.get('lower', np.nan):.1f}–{h.get('upper', np.nan):.1f}"
        + (f"\n{note[2:]}" if note else ""),
        fontweight="normal",
        fontsize="small",
    )
    colors = sns.color_palette("dark", len(published) + 1)
    labels = [f"This fit (median, {ci_label()})", *[p["label"] for p in published]]
    ys = np.arange(len(labels))[::-1]
    if h:
        ax_p.errorbar(
            h["median"],
            ys[0],
            xerr=[[h["median"] - max(h["lower"], lo_x)], [min(h["upper"], hi_x) - h["median"]]],
            fmt="o",
            color="black",
            capsize=3,
        )
    for y, p, c in zip(ys[1:], published, colors[1:], strict=True):
        if p.get("lower") is not None:
            err = [[p["median"] - p["lower"]], [p["upper"] - p["median"]]]
            ax_p.errorbar(p["median"], y, xerr=err, fmt="D", color=c, capsize=3)
        else:
            ax_p.plot(p["median"], y, "D", color=c)
        ax_d.axvline(p["median"], color=c, ls="--", lw=1)
    ax_p.set_yticks(ys)
    ax_p.set_yticklabels(labels)
    ax_p.set_ylim(ys.min() - 0.6, ys.max() + 0.6)
    ax_p.set_xlim(lo_x, hi_x)
    _log_months_axis(ax_p)
    ax_p.set_xlabel("Doubling time of effective compute (months, log scale)")
    return fig


@_styled
def posterior_predictive(result: Any, ci_prob: float = CI_PROB, seed: int = 0) -> Figure:
    """Posterior predictive check: observed values against predictive medians and intervals.

    Predictive draws are ``mu + sigma·ε`` per posterior draw, ``ε`` standard normal (or
    Student-t with the fit's ``nu``), from ``numpy.random.default_rng(seed)``.

    Parameters
    ----------
    result : FitResult
        A fit whose posterior holds ``mu`` (per row) and ``sigma``.
    ci_prob : float
        Probability of the equal-tailed predictive intervals.
    seed : int
        Seed of the predictive noise.

    Returns
    -------
    matplotlib.figure.Figure
    """
    y, label = _observed_space(result)
    pred = _predictive(result, seed)
    lo, med, hi = eti(pred, ci_prob, axis=0)
    covered = float(np.mean((y >= lo) & (y <= hi)))
    data = result.data.fillna({"architecture_class": "other"})
    palette = _arch_palette(data["architecture_class"])
    fig = _figure(7.2, 3.4)
    ax, ax_h = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1.0]})
    labels = _hover_labels(data)
    for arch, color in palette.items():
        m = (data["architecture_class"] == arch).to_numpy()
        if m.any():
            ax.errorbar(
                med[m],
                y[m],
                xerr=[med[m] - lo[m], hi[m] - med[m]],
                fmt="none",
                ecolor=color,
                elinewidth=0.6,
                alpha=0.85,
            )
            coll = ax.scatter(med[m], y[m], s=12, color=color, alpha=0.9, label=arch, zorder=3)
            _with_hover(
                coll,
                [
                    f"{lab}\npredicted {med[j]:.3g} [{lo[j]:.3g}, {hi[j]:.3g}], observed {y[j]:.3g}"
                    for lab, j in zip(
                        (labels[j] for j in np.flatnonzero(m)), np.flatnonzero(m), strict=True
                    )
                ],
            )
    lims = [min(y.min(), lo.min()), max(y.max(), hi.max())]
    ax.plot(lims, lims, color="black", lw=0.8, ls="--")
    ax.set_xlabel(f"Predicted {label}\n(median, {ci_label(ci_prob)})")
    ax.set_ylabel(f"Observed {label}")
    ax.set_title(f"{100 * covered:.0f}% of rows inside their {ci_label(ci_prob)}")
    ax.legend(fontsize="x-small", title="Architecture", title_fontsize="x-small")
    # Distribution of observed vs replicated data sets (a few replicates).
    rng = np.random.default_rng(seed)
    reps = pred[rng.choice(pred.shape[0], size=min(40, pred.shape[0]), replace=False)]
    edges = np.linspace(
        min(y.min(), np.quantile(reps, 0.005)), max(y.max(), np.quantile(reps, 0.995)), 30
    )
    mid = (edges[1:] + edges[:-1]) / 2
    for r in reps:
        ax_h.plot(
            mid, np.histogram(r, edges, density=True)[0], color="tab:blue", alpha=0.15, lw=0.7
        )
    ax_h.plot(mid, np.histogram(y, edges, density=True)[0], color="black", lw=1.6, label="observed")
    ax_h.plot([], [], color="tab:blue", alpha=0.6, label="replicated (40 draws)")
    ax_h.set_xlabel(label)
    ax_h.set_ylabel("Density")
    ax_h.legend(fontsize="x-small")
    return fig


@_styled
def residuals(result: Any) -> Figure:
    """Residuals (observed − posterior mean) against year and by architecture.

    Parameters
    ----------
    result : FitResult
        A fit whose posterior holds ``mu`` per row.

    Returns
    -------
    matplotlib.figure.Figure
    """
    y, label = _observed_space(result)
    resid = y - _posterior_mu(result).mean(axis=0)
    data = result.data.fillna({"architecture_class": "other"}).assign(residual=resid)
    palette = _arch_palette(data["architecture_class"])
    order = data.groupby("architecture_class")["residual"].median().sort_values().index.tolist()
    labels = np.asarray(
        [f"{lab}\nresidual {r:+.3f}" for lab, r in zip(_hover_labels(data), resid, strict=True)],
        dtype=object,
    )
    fig = _figure(7.6, 3.6)
    ax_y, ax_a = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1.0]})
    benches = list(dict.fromkeys(data["benchmark"]))
    markers = dict(zip(benches, ("o", "s", "^", "D", "v", "P"), strict=False))
    for bench in benches:
        m = (data["benchmark"] == bench).to_numpy()
        sub = data[m]
        coll = ax_y.scatter(
            sub["year"].to_numpy(float),
            sub["residual"].to_numpy(float),
            c=[palette[str(c)] for c in sub["architecture_class"]],
            marker=markers.get(bench, "o"),
            s=22,
            edgecolor="white",
            linewidth=0.3,
        )
        _with_hover(coll, labels[m])
    ax_y.axhline(0, color="black", lw=0.8)
    ax_y.set_xlabel("Publication date (year)")
    ax_y.set_ylabel(f"Residual, {label}")
    ax_y.set_title("By year")
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", ls="", color=c, markeredgecolor="white", label=k)
        for k, c in palette.items()
    ]
    if len(benches) > 1:
        handles += [
            Line2D([], [], marker=markers.get(b, "o"), ls="", color="0.35", label=b)
            for b in benches
        ]
    ax_y.legend(
        handles=handles, fontsize="x-small", title="Architecture", title_fontsize="x-small",
        ncol=2 if len(handles) > 6 else 1, loc="best", framealpha=0.8,
    )  # fmt: skip
    sns.boxplot(
        data=data,
        y="architecture_class",
        x="residual",
        order=order,
        hue="architecture_class",
        palette=palette,
        ax=ax_a,
        fliersize=0,
        width=0.6,
        legend=False,
        boxprops={"alpha": 0.5},
    )
    # Each row as a jittered point (fixed seed), with its hover label.
    jitter = np.random.default_rng(0).uniform(-0.2, 0.2, len(data))
    pos = {c: i for i, c in enumerate(order)}
    coll = ax_a.scatter(
        data["residual"].to_numpy(float),
        np.array([pos[c] for c in data["architecture_class"]], float) + jitter,
        s=5,
        color="black",
        zorder=3,
    )
    _with_hover(coll, labels)
    ax_a.axvline(0, color="black", lw=0.8)
    ax_a.set_ylabel("")
    ax_a.set_xlabel(f"Residual, {label}")
    ax_a.set_title("By architecture")
    return fig
