"""What every figure shares: style, the architecture colours, hover labels, the published
doubling times, and the ``data:`` URI of a figure (:func:`to_data_uri`)."""

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
from matplotlib.ticker import FuncFormatter

from algoattr import law

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
