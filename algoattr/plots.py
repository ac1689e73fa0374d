"""Figures of the reports: one function per figure, each taking a results object.

Every function returns a :class:`matplotlib.figure.Figure` built without ``pyplot`` (so no global
figure state and no GUI backend: figures render with Agg) and draws with seaborn where it helps.
:func:`to_data_uri` turns a figure into an inline ``data:`` URI for a self-contained HTML page.

Results objects
---------------
- :class:`algoattr.model.results.FitResult`: :func:`performance_vs_date`,
  :func:`performance_vs_compute`, :func:`doubling_time_posterior`, :func:`posterior_predictive`,
  :func:`residuals`, :func:`prior_posterior`.
- :class:`algoattr.attribution.AttributionResult`: :func:`attribution_shares`,
  :func:`compute_equivalent_multipliers`.
- :class:`algoattr.threshold.ThresholdResult` / :class:`~algoattr.threshold.ThresholdSweep`:
  :func:`threshold_curve`, :func:`threshold_sensitivity`.
- :class:`algoattr.ceg.CEGResult`: :func:`ceg_vs_compute`.
- :class:`algoattr.montecarlo.MonteCarloResult`: :func:`montecarlo_stack`.
- A retraining ladder's tables (``metrics.csv``, ``frontier.csv``, ``fits.csv`` of
  :mod:`algoattr.training`): :func:`training_frontiers`.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator

from algoattr import law

__all__ = [
    "PUBLISHED_DOUBLING_TIMES",
    "attribution_shares",
    "ceg_vs_compute",
    "compute_equivalent_multipliers",
    "doubling_time_posterior",
    "montecarlo_stack",
    "performance_vs_compute",
    "performance_vs_date",
    "posterior_predictive",
    "prior_draws",
    "prior_posterior",
    "residuals",
    "threshold_curve",
    "threshold_sensitivity",
    "to_data_uri",
]

#: Published doubling times of effective compute (months): median and interval where given.
PUBLISHED_DOUBLING_TIMES: tuple[dict[str, Any], ...] = (
    {
        "label": "Ho et al. 2024 (language models)",
        "median": 8.4,
        "lower": 4.5,
        "upper": 14.3,
        "url": "https://arxiv.org/abs/2403.05140",
    },
    {
        "label": "Erdil & Besiroglu 2022 (ImageNet)",
        "median": 9.0,
        "lower": 4.0,
        "upper": 25.0,
        "url": "https://arxiv.org/abs/2212.05153",
    },
    {
        "label": "Hernandez & Brown 2020 (ImageNet, threshold)",
        "median": 16.0,
        "lower": None,
        "upper": None,
        "url": "https://arxiv.org/abs/2005.04305",
    },
)

#: Key parameters shown prior against posterior, per task.
KEY_PARAMS = {
    "language_modelling": (
        "alpha_year",
        "beta_year",
        "alpha_param",
        "beta_data",
        "sigma",
        "doubling_time_months",
    ),
    "image_classification": (
        "beta_year",
        "beta_compute",
        "beta_year_data",
        "beta_data",
        "sigma",
        "doubling_time_months",
    ),
}

_PALETTE = "colorblind"

#: One colour per architecture class, the same in every figure and report (colour-blind
#: safe hues first; a class not listed gets a fixed colour derived from its name).
ARCH_COLOURS: dict[str, str] = {
    "transformer": "#0173b2",
    "lstm": "#de8f05",
    "rnn": "#029e73",
    "cnn": "#d55e00",
    "vit": "#cc78bc",
    "hybrid": "#ca9161",
    "ssm": "#56b4e9",
    "mlp": "#fbafe4",
    "feedforward": "#591e71",
    "ngram": "#592f0d",
    "other": "#949494",
}
_FALLBACK_COLOURS = ("#001c7f", "#b1400d", "#12711c", "#8c0800", "#a23582", "#b8850a", "#006374")

#: Prefix of the per-point URLs that carry hover labels through matplotlib's SVG writer; the
#: report turns each such link into an SVG ``<title>`` (:mod:`algoattr.report.svg`).
HOVER_PREFIX = "algoattr-hover:"
_RC = {
    "svg.fonttype": "path",
    "svg.hashsalt": "algoattr",
    "axes.titlesize": "medium",
    "axes.titleweight": "bold",
}


def _figure(width: float, height: float) -> Figure:
    """A new Agg-backed figure with the house style (whitegrid, paper-sized text)."""
    with sns.axes_style("whitegrid"), matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def _styled(fn: Any) -> Any:
    """Run a plotting function inside the house style (seaborn's whitegrid, notebook scale)."""

    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with (
            sns.axes_style("whitegrid"),
            sns.plotting_context("notebook", font_scale=0.8),
            matplotlib.rc_context(_RC),
        ):
            return fn(*args, **kwargs)

    wrapper.__name__ = fn.__name__
    wrapper.__qualname__ = fn.__qualname__
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
    return wrapper


def to_data_uri(fig: Figure, fmt: str = "svg", dpi: int = 110) -> str:
    """Render a figure as an inline ``data:`` URI (SVG text as paths, or PNG).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    fmt : {"svg", "png"}
        Image format; SVG keeps text as paths, so no font is needed to display it.
    dpi : int
        Resolution of a PNG.

    Returns
    -------
    str
        ``data:image/svg+xml;base64,...`` or ``data:image/png;base64,...``.
    """
    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        meta = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta)
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return f"data:{mime};base64," + base64.b64encode(buf.getvalue()).decode("ascii")


# ------------------------------------------------------------------------------- helpers


def _is_lm(result: Any) -> bool:
    return result.task == "language_modelling"


def arch_colour(name: str) -> str:
    """The fixed colour of an architecture class (:data:`ARCH_COLOURS`; others by name)."""
    name = str(name)
    if name in ARCH_COLOURS:
        return ARCH_COLOURS[name]
    import hashlib

    digest = int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16)
    return _FALLBACK_COLOURS[digest % len(_FALLBACK_COLOURS)]


def _arch_palette(classes: Sequence[str]) -> dict[str, Any]:
    """Class → colour for the classes present, in name order; colours from :func:`arch_colour`."""
    names = sorted({str(c) for c in classes})
    return {n: arch_colour(n) for n in names}


def _hover_labels(data: pd.DataFrame) -> list[str]:
    """One hover label per row (model, paper, date, value, ``file:line``)."""
    from algoattr.provenance import point_label, row_locations

    where = row_locations(data)
    return [point_label(r, w) for (_, r), w in zip(data.iterrows(), where, strict=True)]


def _with_hover(collection: Any, labels: Sequence[str]) -> Any:
    """Attach one hover label per point of a scatter collection (as per-point URLs, the label
    percent-encoded so that line breaks survive the SVG attribute)."""
    from urllib.parse import quote

    collection.set_urls([HOVER_PREFIX + quote(str(label), safe=" ,:;/()[]+=") for label in labels])
    return collection


def _scatter_rows(ax: Any, x: Any, y: Any, data: pd.DataFrame, palette: Mapping[str, Any], **kw):
    """One scatter of ``data``'s rows coloured by class, each point with its hover label."""
    colours = [palette[str(c)] for c in data["architecture_class"]]
    coll = ax.scatter(np.asarray(x, float), np.asarray(y, float), c=colours, **kw)
    return _with_hover(coll, _hover_labels(data))


def _arch_legend(fig: Figure, palette: Mapping[str, Any]) -> None:
    """One legend of every architecture class, right of the panels."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", ls="", color=c, markeredgecolor="white", label=k)
        for k, c in palette.items()
    ]
    fig.legend(handles=handles, title="Architecture", loc="outside right upper", fontsize="small")


def _compute_of(data: pd.DataFrame, lm: bool) -> pd.Series:
    """Training compute per row: ``6·N·D`` for language models (the law's), else recorded."""
    if lm:
        return 6.0 * data["parameters"].astype(float) * data["training_tokens"].astype(float)
    return data["training_compute_flop"].astype(float)


def _metric_label(result: Any) -> str:
    return "Test perplexity (log scale)" if _is_lm(result) else "Top-1 error (%)"


def _observed_space(result: Any) -> tuple[np.ndarray, str]:
    """Observed values in the law's space and its label."""
    y = np.log(result.data["value"].to_numpy(float))
    if _is_lm(result):
        return y, "log perplexity (nats per word)"
    acc = 1.0 - result.data["value"].to_numpy(float) / 100.0
    return np.asarray(law.logit(acc)), "logit of top-1 accuracy"


def _posterior_mu(result: Any) -> np.ndarray:
    """Posterior draws of the mean per row, ``(draws, rows)``."""
    return result.draws("mu")


def _predictive(result: Any, seed: int = 0) -> np.ndarray:
    """Posterior predictive draws per row, ``(draws, rows)``, from ``mu``, ``sigma``, ``nu``."""
    mu = _posterior_mu(result)
    sigma = result.draws("sigma")[:, None]
    rng = np.random.default_rng(seed)
    if "nu" in result.idata.posterior:
        nu = result.draws("nu")[:, None]
        eps = rng.standard_t(np.broadcast_to(nu, mu.shape))
    else:
        eps = rng.standard_normal(mu.shape)
    return mu + sigma * eps


def _log_months_axis(ax: Any) -> None:
    ax.set_xscale("log")
    ticks = [1, 2, 3, 6, 12, 24, 48, 96]
    ax.set_xticks(ticks)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))


# ------------------------------------------------------------------------------- data


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
        f"Posterior: median {h.get('median', np.nan):.1f} months, 95% interval "
        f"{h.get('lower', np.nan):.1f}–{h.get('upper', np.nan):.1f}"
        + (f"\n{note[2:]}" if note else ""),
        fontweight="normal",
        fontsize="small",
    )
    colors = sns.color_palette("dark", len(published) + 1)
    labels = ["This fit (median, 95% interval)", *[p["label"] for p in published]]
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
def posterior_predictive(result: Any, interval: float = 0.9, seed: int = 0) -> Figure:
    """Posterior predictive check: observed values against predictive medians and intervals.

    Predictive draws are ``mu + sigma·ε`` per posterior draw, ``ε`` standard normal (or
    Student-t with the fit's ``nu``), from ``numpy.random.default_rng(seed)``.

    Parameters
    ----------
    result : FitResult
        A fit whose posterior holds ``mu`` (per row) and ``sigma``.
    interval : float
        Central probability of the predictive intervals.
    seed : int
        Seed of the predictive noise.

    Returns
    -------
    matplotlib.figure.Figure
    """
    y, label = _observed_space(result)
    pred = _predictive(result, seed)
    q = (1 - interval) / 2
    lo, med, hi = np.quantile(pred, [q, 0.5, 1 - q], axis=0)
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
    ax.set_xlabel(f"Predicted {label}\n(median, {round(100 * interval)}% interval)")
    ax.set_ylabel(f"Observed {label}")
    ax.set_title(f"{100 * covered:.0f}% of rows inside their {round(100 * interval)}% interval")
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


def _prior_specs(result: Any) -> dict[str, dict[str, Any]]:
    from algoattr.model.priors import IMAGENET_PRIORS, LM_PRIORS

    return IMAGENET_PRIORS if result.task == "image_classification" else LM_PRIORS


def _draw_prior(spec: Mapping[str, Any], n: int, rng: np.random.Generator) -> np.ndarray:
    """Draws of one prior specification (numpy for the families used; else ``pm.draw``)."""
    args = {a: v for a, v in spec.items() if a not in ("dist", "reason")}
    dist = spec["dist"]
    if dist == "Normal":
        return rng.normal(args.get("mu", 0.0), args.get("sigma", 1.0), n)
    if dist == "HalfNormal":
        return np.abs(rng.normal(0.0, args.get("sigma", 1.0), n))
    if dist == "LogNormal":
        return rng.lognormal(args.get("mu", 0.0), args.get("sigma", 1.0), n)
    if dist == "Gamma" and "alpha" in args and "beta" in args:
        return rng.gamma(args["alpha"], 1.0 / args["beta"], n)
    import pymc as pm

    seed = int(rng.integers(2**31))
    return np.asarray(pm.draw(getattr(pm, dist).dist(**args), draws=n, random_seed=seed), float)


def prior_draws(result: Any, n: int = 4000, seed: int = 0) -> dict[str, np.ndarray]:
    """Draws from the default priors of a fit's free parameters and its doubling time.

    Each prior of :mod:`algoattr.model.priors` is drawn analytically with numpy (Normal,
    HalfNormal, LogNormal, Gamma; any other family through ``pm.draw``); the prior of the rate
    and the doubling time follow through the law's algebra
    (:func:`algoattr.law.lm_effective_compute_rate` or
    :func:`algoattr.law.imagenet_doubling_time_years`), as the model's deterministics do.

    Parameters
    ----------
    result : FitResult
        The fit (its task and the variables present in its posterior).
    n : int
        Number of draws.
    seed : int
        Random seed.

    Returns
    -------
    dict of str to numpy.ndarray
        Prior draws keyed by variable name (only variables in the posterior).
    """
    specs = _prior_specs(result)
    post = result.idata.posterior
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for k in (k for k in specs if k in post):
        out[k] = _draw_prior(specs[k], n, rng)
    if result.task == "image_classification":
        if {"beta_year", "beta_compute"} <= set(out):
            with np.errstate(divide="ignore"):
                years = np.asarray(
                    law.imagenet_doubling_time_years(out["beta_year"], out["beta_compute"])
                )
            out["doubling_time_months"] = 12.0 * years
    elif "rate" in post:
        z = np.zeros(n)
        rate = np.asarray(
            law.lm_effective_compute_rate(
                out.get("alpha_year", z),
                out.get("alpha_param", z),
                out.get("beta_year", z),
                out.get("beta_data", z),
            )
        )
        out["rate"] = rate
        with np.errstate(divide="ignore"):
            out["doubling_time_months"] = 12.0 * law.LN2 / rate
    return out


_UNITS = {
    "alpha_year": "per year",
    "beta_year": "per year",
    "beta_year_data": "logit per year",
    "alpha_param": "exponent",
    "beta_data": "exponent",
    "beta_compute": "logit per e-fold",
    "sigma": "residual sd",
    "doubling_time_months": "months",
}


@_styled
def prior_posterior(
    result: Any,
    prior: Mapping[str, np.ndarray] | None = None,
    names: Sequence[str] | None = None,
    seed: int = 0,
) -> Figure:
    """Prior against posterior densities of a fit's key parameters.

    Parameters
    ----------
    result : FitResult
        A fit.
    prior : mapping, optional
        Prior draws per variable (default :func:`prior_draws` with ``seed``).
    names : sequence of str, optional
        Variables to show (default :data:`KEY_PARAMS` of the task, those present).
    seed : int
        Seed of the prior draws when ``prior`` is not given.

    Returns
    -------
    matplotlib.figure.Figure
    """
    prior = dict(prior) if prior is not None else prior_draws(result, seed=seed)
    post = result.idata.posterior
    names = [k for k in (names or KEY_PARAMS[result.task]) if k in post]
    ncol = 3
    nrow = max(1, int(np.ceil(len(names) / ncol)))
    fig = _figure(7.4, 2.2 * nrow + 0.3)
    axes = np.atleast_1d(fig.subplots(nrow, ncol, squeeze=False)).ravel()
    c_prior, c_post = "0.55", sns.color_palette(_PALETTE)[0]
    for ax, k in zip(axes, names, strict=False):
        x_post = result.draws(k).ravel()
        x_prior = np.asarray(prior.get(k, []), dtype=float)
        if k == "doubling_time_months":
            x_post = x_post[(x_post > 0) & np.isfinite(x_post)]
            x_prior = x_prior[(x_prior > 0) & np.isfinite(x_prior)]
            rng = (0.5, 300.0)
            bins = np.geomspace(*rng, 50)
            ax.set_xscale("log")
        else:
            lo, hi = np.quantile(x_post, [0.001, 0.999])
            if x_prior.size:
                plo, phi = np.quantile(x_prior, [0.01, 0.99])
                lo, hi = min(lo, plo), max(hi, phi)
            bins = np.linspace(lo, hi, 50)
            rng = (lo, hi)
        if x_prior.size:
            ax.hist(
                np.clip(x_prior, *rng),
                bins=bins,
                density=True,
                color=c_prior,
                alpha=0.5,
                label="prior",
            )
        ax.hist(
            np.clip(x_post, *rng),
            bins=bins,
            density=True,
            color=c_post,
            alpha=0.7,
            label="posterior",
        )
        ax.set_title(k, fontweight="normal")
        ax.set_xlabel(_UNITS.get(k, ""))
        ax.set_yticks([])
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    if names:
        axes[0].legend(fontsize="x-small")
    return fig


# ------------------------------------------------------------------------------- attribution


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
def attribution_shares(attr: Any, interval: float = 0.9, max_pairs: int = 40) -> Figure:
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
    interval : float
        Central probability of the whiskers.
    max_pairs : int
        Show at most this many pairs (the first ones).

    Returns
    -------
    matplotlib.figure.Figure
    """
    labels, segs = _segments(attr)
    n = min(attr.n_pairs, max_pairs)
    q = (1 - interval) / 2
    with np.errstate(invalid="ignore"):
        lo, med, hi = np.nanquantile(segs[:, :n], [q, 0.5, 1 - q], axis=0)
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
        f"Share of the change in the law's space (%)\nmedians; whiskers {round(100 * interval)}% "
        "intervals; axis clipped"
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
def compute_equivalent_multipliers(attr: Any, interval: float = 0.9, max_pairs: int = 40) -> Figure:
    """Compute-equivalent multiplier of algorithmic progress per pair, with intervals.

    ``(C_B/C_A)^(φ_algorithms/φ_compute)`` per posterior draw
    (:meth:`AttributionResult.compute_equivalent_multiplier`), on a log axis, next to the
    pair's actual compute growth.

    Parameters
    ----------
    attr : AttributionResult
        From :func:`algoattr.attribute.attribute_pairs`.
    interval : float
        Central probability of the intervals.
    max_pairs : int
        Show at most this many pairs.

    Returns
    -------
    matplotlib.figure.Figure
    """
    table = attr.compute_equivalent_multiplier(interval=interval).iloc[:max_pairs]
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
        label="algorithms, compute-equivalent (median, interval)",
    )
    ax.plot(table["compute_ratio"], ys, "|", color=c[1], ms=9, mew=2, label="actual compute growth")
    ax.set_xscale("log")
    ax.axvline(1, color="black", lw=0.8)
    ax.set_yticks(ys)
    ax.set_yticklabels(table["pair"], fontsize="x-small")
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlabel("Multiplier (× compute, log scale)")
    ax.legend(fontsize="x-small", loc="lower right")
    return fig


# ------------------------------------------------------------------------------- other estimates


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
    if ceg.low is not None:
        ax.fill_between(ceg.compute, ceg.low, ceg.high, color=c[0], alpha=0.2)
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
    pct = round(100 * result.interval)
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
