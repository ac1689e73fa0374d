"""One answer per benchmark: compute's, algorithms' and data's share of the whole period's gain.

Definition
----------
The *whole period* of a benchmark runs from its earliest to its latest reference model
(``datasets/reference_pairs.yaml``, or the models of the pairs asked for), ordered by
publication date. Only reference models in the fit sample are candidates, so that neither end
extrapolates the law (PTB's KN5 is an n-gram baseline and GPT-3 a zero-shot row, both outside
the default sample); when fewer than two are in it, every reference model is. The shares are
the exact Shapley values of that one pair A → B (:func:`algoattr.attribution.lm_attribution` or
:func:`~algoattr.attribution.imagenet_attribution`), computed per posterior draw and divided by
the draw's total change ``v(B) − v(A)``, so that in every draw they sum to 1 (efficiency); the
median and central interval are taken over draws.

The change is the *predicted* one: the fitted law evaluated at A's and B's inputs (year,
parameters and training tokens; or year, compute and images), in the law's own space
(log-perplexity, or the logit of top-1 accuracy), not the difference of the observed
perplexities, which :class:`AggregateShares` shows beside it.

Components: language models, ``algorithms`` (the two year terms) and ``compute`` (Ho et al.'s
compute scaling, parameters N + training data D), with ``parameters`` and ``data`` as its two
parts; ImageNet, Erdil & Besiroglu's groups ``algorithms``, ``compute`` and ``data``.
Published comparisons (:mod:`algoattr.published`): Ho et al. 2024's 60–95% compute share;
Erdil & Besiroglu 2022's AlexNet → ViT-e shares (in accuracy, the paper's space).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from algoattr import attribution as at
from algoattr.intervals import CI_PROB, ci_label, eti
from algoattr.pairs import attribute_pairs, model_rows

__all__ = [
    "DEFINITION",
    "AggregateShares",
    "percent_interval",
    "whole_period_pair",
    "whole_period_shares",
]

#: One sentence a report or a command prints with the figures.
DEFINITION = (
    "the exact Shapley split, per posterior draw, of the predicted change from the earliest "
    "to the latest reference model in the fit sample (the fitted law at their inputs, not "
    "their observed values); shares sum to 100% in every draw"
)


def whole_period_pair(
    fit: Any, benchmark: str, models: Sequence[str], dataset: pd.DataFrame
) -> tuple[str, str, list[str]]:
    """The earliest and latest of ``models`` by date, preferring those in the fit sample.

    Parameters
    ----------
    fit : FitResult
        The fit (its ``data`` are the rows used).
    benchmark : str
        Benchmark id.
    models : sequence of str
        Reference models (exact names).
    dataset : pandas.DataFrame
        The benchmark's rows (for models outside the fit sample).

    Returns
    -------
    tuple
        ``(A, B, outside)``: the two models and which of them come from the dataset rather
        than the fit's rows (the law is extrapolated there).

    Raises
    ------
    ValueError
        If fewer than two distinct models have the law's inputs.
    """
    names = list(dict.fromkeys(str(m) for m in models))
    rows, outside = model_rows(names, benchmark, getattr(fit, "data", None), dataset)
    rows = rows.assign(_order=range(len(rows)))
    inside = rows[~rows["model"].isin(outside)]
    pool = inside if len(inside) >= 2 else rows
    if len(pool) < 2:
        raise ValueError(f"{benchmark}: a whole-period share needs two reference models")
    pool = pool.sort_values(["year", "_order"], kind="stable")
    a, b = str(pool["model"].iloc[0]), str(pool["model"].iloc[-1])
    if a == b:
        raise ValueError(f"{benchmark}: the reference models have one date")
    return a, b, [m for m in (a, b) if m in outside]


def _components(attr: at.AttributionResult) -> list[tuple[str, str, str]]:
    """``(name, grouping, description)`` of the reported components."""
    if attr.law == "lm":
        return [
            ("compute", "group", "compute scaling: parameters N + training data D"),
            ("parameters", "player", "of which parameters N"),
            ("data", "player", "of which training data D"),
            ("algorithms", "group", "algorithms: the year terms of both"),
        ]
    return [
        ("compute", "group", "compute C"),
        ("data", "group", "training images D"),
        ("algorithms", "group", "algorithms: compute- and data-augmenting year terms"),
    ]


@dataclass
class AggregateShares:
    """Whole-period shares of one benchmark, per posterior draw (see the module docstring).

    Attributes
    ----------
    benchmark : str
        Benchmark id.
    attribution : AttributionResult
        The one pair's attribution, ``(draws, 1, players)``.
    observed : tuple of float
        Observed values of A and B (perplexity, or top-1 error in %).
    years : tuple of float
        Decimal years of A and B.
    outside : list of str
        Which of A and B are outside the fit sample (law extrapolated).
    """

    benchmark: str
    attribution: at.AttributionResult
    observed: tuple[float, float]
    years: tuple[float, float]
    outside: list[str] = field(default_factory=list)

    @property
    def law(self) -> str:
        """``"lm"`` or ``"imagenet"``."""
        return self.attribution.law

    @property
    def model_a(self) -> str:
        """The earliest model."""
        return self.attribution.model_a[0]

    @property
    def model_b(self) -> str:
        """The latest model."""
        return self.attribution.model_b[0]

    @property
    def n_draws(self) -> int:
        """Posterior draws used."""
        return self.attribution.n_draws

    @property
    def space(self) -> str:
        """The space of the shares: ``log-perplexity`` or ``logit of top-1 accuracy``."""
        return "log-perplexity" if self.law == "lm" else "logit of top-1 accuracy"

    def draws(self, space: str = "law") -> dict[str, np.ndarray]:
        """Per-draw fraction of the change for each component, ``name -> (draws,)``."""
        attr = self.attribution
        groups = attr.shares(space, "fraction", "group")[:, 0, :]
        players = attr.shares(space, "fraction", "player")[:, 0, :]
        out = {}
        for name, grouping, _ in _components(attr):
            if grouping == "group":
                out[name] = groups[:, list(attr.groups).index(name)]
            else:
                out[name] = players[:, attr.players.index(name)]
        return out

    def efficiency_gap(self, space: str = "law") -> float:
        """Largest deviation over draws of the groups' fractions from summing to 1."""
        total = self.attribution.shares(space, "fraction", "group")[:, 0, :].sum(axis=-1)
        return float(np.max(np.abs(total - 1.0)))

    def predicted(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-draw predicted values of A and B in the linear space (perplexity or top-1
        error in %)."""
        attr = self.attribution
        a, b = attr.v_none["linear"][:, 0], attr.v_all["linear"][:, 0]
        if self.law == "lm":
            return a, b
        return 100.0 * (1.0 - a), 100.0 * (1.0 - b)

    def table(self, ci_prob: float = CI_PROB) -> pd.DataFrame:
        """One row per component: ``component, grouping, description, median, lower, upper``
        (fractions of the predicted change in the law's space), for ImageNet also
        ``accuracy_median, accuracy_lower, accuracy_upper`` (in accuracy, the space of Erdil &
        Besiroglu's published shares), and ``published``: the paper's figure where there is
        one."""
        from algoattr.published import ERDIL2022_ALEXNET_VITE_SHARES, HO2024_COMPUTE_SHARE

        spaces = {"": self.draws("law")}
        if self.law == "imagenet":
            spaces["accuracy_"] = self.draws("linear")
        rows = []
        for name, grouping, text in _components(self.attribution):
            row: dict[str, Any] = {"component": name, "grouping": grouping, "description": text}
            for prefix, draws in spaces.items():
                x = draws[name][np.isfinite(draws[name])]
                lo, med, hi = eti(x, ci_prob) if x.size else (np.nan,) * 3
                row.update(
                    {f"{prefix}median": float(med), f"{prefix}lower": float(lo),
                     f"{prefix}upper": float(hi)}
                )  # fmt: skip
            published = ""
            if self.law == "lm" and name == "compute":
                published = f"{HO2024_COMPUTE_SHARE.label()} ({HO2024_COMPUTE_SHARE.space})"
            elif self.law == "imagenet" and name in ERDIL2022_ALEXNET_VITE_SHARES:
                pub = ERDIL2022_ALEXNET_VITE_SHARES[name]
                published = f"{pub.label()} ({pub.note}, {pub.space})"
            row["published"] = published
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self, ci_prob: float = CI_PROB) -> dict[str, Any]:
        """JSON-ready values (fractions; a non-finite number is ``None``)."""

        def num(x: Any) -> float | None:
            x = float(x)
            return x if math.isfinite(x) else None

        pa, pb = self.predicted()
        return {
            "benchmark": self.benchmark,
            "definition": DEFINITION,
            "model_a": self.model_a,
            "model_b": self.model_b,
            "year_a": num(self.years[0]),
            "year_b": num(self.years[1]),
            "observed_a": num(self.observed[0]),
            "observed_b": num(self.observed[1]),
            "predicted_a_median": num(np.median(pa)),
            "predicted_b_median": num(np.median(pb)),
            "outside_fit_sample": list(self.outside),
            "space": self.space,
            "ci_prob": ci_prob,
            "n_draws": self.n_draws,
            "shares": [
                {k: (num(v) if isinstance(v, float) else v) for k, v in r.items()}
                for r in self.table(ci_prob).to_dict("records")
            ],
            "max_efficiency_gap": num(self.efficiency_gap()),
        }

    def summary(self, ci_prob: float = CI_PROB) -> str:
        """Plain text for the command line."""
        what = "perplexity" if self.law == "lm" else "top-1 error %"
        pa, pb = self.predicted()
        lines = [
            f"whole period on {self.benchmark}: {self.model_a} ({self.years[0]:.1f}) → "
            f"{self.model_b} ({self.years[1]:.1f}), the earliest and latest reference models "
            "in the fit sample",
            f"  {what}: observed {self.observed[0]:.4g} → {self.observed[1]:.4g}; predicted by "
            f"the fitted law {np.median(pa):.4g} → {np.median(pb):.4g} (medians)",
            f"  shares of the PREDICTED change in {self.space} (the law at the two models' "
            f"inputs, not the observed values): median [{ci_label(ci_prob)}] over {self.n_draws} "
            "draws; in every draw they sum to 100%",
        ]
        for r in self.table(ci_prob).to_dict("records"):
            acc = ""
            if "accuracy_median" in r:
                acc = f"; in accuracy {percent_interval(r, 'accuracy_')}"
            pub = f"   published: {r['published']}" if r["published"] else ""
            lines.append(f"  {r['description']:<52} {percent_interval(r):>20}{acc}{pub}")
        if self.outside:
            lines.append("  outside the fit sample (law extrapolated): " + ", ".join(self.outside))
        return "\n".join(lines)


def percent_interval(row: dict[str, Any], prefix: str = "") -> str:
    """``'72.1% [60.3, 85.0]'`` from a :meth:`AggregateShares.table` row (no ``-0.0``)."""

    def pct(x: float) -> str:
        return f"{round(100 * x, 1) + 0.0:.1f}"

    med, lo, hi = (row[f"{prefix}{k}"] for k in ("median", "lower", "upper"))
    return f"{pct(med)}% [{pct(lo)}, {pct(hi)}]"


def _observed(name: str, benchmark: str, fit: Any, dataset: pd.DataFrame) -> float:
    for pool in (getattr(fit, "data", None), dataset):
        if pool is None or "value" not in pool:
            continue
        hit = pool[(pool["model"].astype(str) == name)]
        if "benchmark" in hit:
            hit = hit[hit["benchmark"] == benchmark]
        if len(hit):
            return float(hit["value"].iloc[0])
    return float("nan")


def whole_period_shares(
    fit: Any,
    benchmark: str,
    models: Sequence[str],
    dataset: pd.DataFrame,
    n_draws: int | None = None,
    seed: int | None = 0,
) -> AggregateShares:
    """Compute's, algorithms' and data's share of the whole period's predicted gain.

    Parameters
    ----------
    fit : FitResult
        A fit with ``draws_for``, ``reference`` and ``data``.
    benchmark : str
        Benchmark id.
    models : sequence of str
        The reference models (e.g. every model of the benchmark's reference pairs).
    dataset : pandas.DataFrame
        The benchmark's rows.
    n_draws : int, optional
        Subsample the posterior to at most this many draws.
    seed : int, optional
        Seed of the subsample.

    Returns
    -------
    AggregateShares
    """
    a, b, outside = whole_period_pair(fit, benchmark, models, dataset)
    attr, _ = attribute_pairs(fit, benchmark, [(a, b)], dataset, n_draws, seed)
    rows, _ = model_rows([a, b], benchmark, getattr(fit, "data", None), dataset)
    years = (float(rows["year"].iloc[0]), float(rows["year"].iloc[1]))
    observed = (_observed(a, benchmark, fit, dataset), _observed(b, benchmark, fit, dataset))
    return AggregateShares(benchmark, attr, observed, years, outside)
