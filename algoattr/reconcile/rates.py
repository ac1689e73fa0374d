"""Estimates from the methods that give a rate: fits, papers' estimators, threshold method.

Each function reduces one method's result (a Bayesian fit, the papers' own estimators, the
papers' published figures, the fixed-performance threshold method and its sweep) to
:class:`~algoattr.reconcile.MethodEstimate` rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from algoattr.intervals import CI_PROB
from algoattr.law import LN2
from algoattr.reconcile.estimate import NAN, MethodEstimate, _months, _rate_from_months

__all__ = [
    "baseline_estimates",
    "fit_estimate",
    "published_estimates",
    "threshold_estimate",
    "threshold_sweep_estimate",
]


# ------------------------------------------------------------------------------ methods


def _fit_label(result: Any) -> tuple[str, str]:
    task = getattr(result, "task", "")
    if task == "image_classification":
        return "Bayesian fit, ImageNet (Erdil & Besiroglu 2022 law)", "observational"
    return "Bayesian fit, language models (Ho et al. 2024 law)", "observational"


def _describe_rows(result: Any) -> tuple[int | None, str, str]:
    data = getattr(result, "data", None)
    n = None if data is None else len(data)
    benchmarks = ", ".join(getattr(result, "benchmarks", []) or [])
    settings = getattr(result, "settings", None)
    extras = getattr(result, "extras", {}) or {}
    parts = [f"{n} rows" if n is not None else "rows unknown", benchmarks]
    if settings is not None:
        parts.append(
            f"{getattr(settings, 'sampler', '?')} {getattr(settings, 'chains', '?')}x"
            f"{getattr(settings, 'draws', '?')} draws"
        )
    if extras.get("fast"):
        parts.append("FAST fit")
    return n, benchmarks, "; ".join(p for p in parts if p)


def fit_estimate(
    result: Any, *, method: str | None = None, ci_prob: float = CI_PROB
) -> MethodEstimate:
    """The observational Bayesian fit's rate, from its posterior draws of ``rate``.

    Parameters
    ----------
    result : FitResult or compatible
        Needs ``headline()``; ``draws("rate")`` is used when available (posterior draws of
        the e-fold rate of effective compute per year), otherwise the headline's
        ``rate_per_year`` (or ``doubling_time_months``) median and interval.
    method : str, optional
        Row name (default from the fit's task).
    ci_prob : float
        Central probability of the interval computed from draws.

    Returns
    -------
    MethodEstimate
    """
    label, approach = _fit_label(result)
    n, benchmarks, data = _describe_rows(result)
    kwargs: dict[str, Any] = {
        "method": method or label,
        "approach": approach,
        "data": data,
        "n_rows": n,
        "benchmark": benchmarks,
    }
    head = result.headline()
    notes = []
    draws = None
    try:
        draws = np.asarray(result.draws("rate"), dtype=float)
    except (AttributeError, KeyError, TypeError, ValueError):
        draws = None
    if draws is not None and draws.size:
        est = MethodEstimate.from_rate_draws(draws, ci_prob=ci_prob, **kwargs)
        notes.append(
            f"{ci_prob:.0%} posterior interval from {draws.size} draws of the rate, "
            "propagated per draw"
        )
    elif "rate_per_year" in head:
        r = head["rate_per_year"]
        est = MethodEstimate.from_rate(
            r["median"], r["lower"], r["upper"], ci_prob=r.get("ci_prob", CI_PROB), **kwargs
        )
        notes.append("posterior median and interval of the rate (no draws available)")
    else:
        d = head["doubling_time_months"]
        est = MethodEstimate.from_doubling_months(
            d["median"], d["lower"], d["upper"], ci_prob=d.get("ci_prob", CI_PROB), **kwargs
        )
        notes.append("posterior median and interval of the doubling time (no draws available)")
    dt = head.get("doubling_time_months")
    if dt:
        est.native_estimate = f"rate: doubling time {dt['median']:.3g} months"
    for k in ("ceg_transformer_1e22", "ceg_transformer_1e25"):
        v = head.get(k)
        if isinstance(v, Mapping) and "median" in v:
            notes.append(
                f"Transformer CEG at {k.rsplit('_', 1)[-1]} FLOP (a level, not in the rate): "
                f"{v['median']:.3g} [{v['lower']:.3g}, {v['upper']:.3g}]"
            )
    p = head.get("prob_progress_positive")
    if p is not None:
        notes.append(f"P(rate > 0) = {p:.3f}")
    est.notes = notes + est.notes
    return est


_BASELINE_LABELS = {
    "ho2024": ("Ho et al. 2024 estimator (penalised LS, bootstrap)", "estimator"),
    "erdil2022": ("Erdil & Besiroglu 2022 estimator (bootstrap)", "estimator"),
    "ols_clustered": ("OLS, paper-clustered SEs", "estimator"),
}


def _baseline_rows(result: Any, fits: Mapping[str, Any]) -> list[MethodEstimate]:
    out = []
    task = getattr(result, "task", "")
    suffix = "ImageNet" if task == "image_classification" else "language models"
    for name, d in fits.items():
        d = d.to_dict() if hasattr(d, "to_dict") else d
        label, approach = _BASELINE_LABELS.get(name, (name, "estimator"))
        if name == "ols_clustered":
            label = f"{label} ({suffix})"
        dt = d["doubling_time_months"]
        benchmarks = ", ".join(
            (d.get("extras", {}) or {}).get("benchmarks") or getattr(result, "benchmarks", [])
        )
        n_boot = d.get("n_boot", 0)
        data = f"{d.get('n_rows')} rows (the Bayesian fit's); {benchmarks}"
        data += f"; {n_boot} bootstrap refits" if n_boot else ""
        notes = [
            f"full-sample point: {dt.get('point', NAN):.3g} months",
            f"seed {d.get('seed')}",
        ]
        if "prob_rate_positive" in dt:
            notes.append(f"P(rate > 0) = {dt['prob_rate_positive']:.3f}")
        if n_boot:
            notes.append("median and interval of the bootstrap refits (rate quantiles)")
        est = MethodEstimate.from_doubling_months(
            dt["median"],
            dt["lower"],
            dt["upper"],
            ci_prob=dt.get("ci_prob", CI_PROB),
            method=label,
            approach=approach,
            data=data,
            n_rows=d.get("n_rows"),
            benchmark=benchmarks,
            native_estimate=f"rate: doubling time {dt['median']:.3g} months",
            notes=notes + list(d.get("notes", [])),
        )
        out.append(est)
    return out


def baseline_estimates(
    result: Any, *, n_boot: int = 100, seed: int = 0, run: bool = True
) -> tuple[list[MethodEstimate], list[str]]:
    """The papers' estimators on the rows of a Bayesian fit.

    Uses ``result.extras["baselines"]`` when the fit was run with ``--baseline``; otherwise
    runs :func:`algoattr.baselines.run_all` (when ``run`` and the module imports).

    Parameters
    ----------
    result : FitResult
        The fit whose rows the estimators use.
    n_boot : int
        Bootstrap refits when the estimators are run here.
    seed : int
        Seed of every random step of the estimators.
    run : bool
        Run the estimators when the fit has none saved.

    Returns
    -------
    tuple
        ``(estimates, messages)``; messages say why rows were left out or how they were had.
    """
    extras = getattr(result, "extras", {}) or {}
    saved = extras.get("baselines")
    if saved:
        return _baseline_rows(result, saved), ["papers' estimators: saved with the fit"]
    if not run:
        return [], ["papers' estimators: none saved with the fit and not run (left out)"]
    try:
        from algoattr import baselines
    except Exception as err:  # module absent or broken: leave the rows out, say why
        return [], [f"papers' estimators left out: algoattr.baselines not importable ({err})"]
    try:
        fits = baselines.run_all(result, n_boot=n_boot, seed=seed)
    except Exception as err:  # an estimator failing must not sink the whole table
        return [], [f"papers' estimators left out: run_all failed ({type(err).__name__}: {err})"]
    return _baseline_rows(result, fits), [
        f"papers' estimators: run here ({n_boot} bootstrap refits, seed {seed})"
    ]


def published_estimates() -> list[MethodEstimate]:
    """The papers' own published point estimates (Ho et al. 2024 model 7; Erdil & Besiroglu).

    Computed from the published constants in :mod:`algoattr.published` (no intervals).
    """
    from algoattr import law

    out = []
    from algoattr.published import ERDIL2022_PUBLISHED, HO2024_PUBLISHED

    h = HO2024_PUBLISHED
    rate = float(
        law.lm_effective_compute_rate(
            h["alpha_year"], h["alpha_param"], h["beta_year"], h["beta_data"]
        )
    )
    out.append(
        MethodEstimate.from_rate(
            rate,
            method="Ho et al. 2024, published model-7 constants",
            approach="published",
            data="published point estimates (their data, not ours)",
            benchmark="wikitext-103, wikitext-2, ptb",
            native_estimate=f"rate: doubling time {_months(rate):.3g} months",
            notes=["point estimate from the published constants; no interval"],
        )
    )
    e = ERDIL2022_PUBLISHED
    rate = float(LN2 / law.imagenet_doubling_time_years(e["beta_year"], e["beta_compute"]))
    out.append(
        MethodEstimate.from_rate(
            rate,
            method="Erdil & Besiroglu 2022, published constants",
            approach="published",
            data="published point estimates (their data, not ours)",
            benchmark="imagenet",
            native_estimate=f"rate: doubling time {_months(rate):.3g} months",
            notes=["compute-augmenting rate beta_year/beta_compute; point estimate, no interval"],
        )
    )
    return out


def threshold_estimate(
    df: pd.DataFrame | None = None, *, include_ensembles: bool = False
) -> MethodEstimate:
    """Hernandez & Brown's threshold method on ImageNet (AlexNet-level), as a rate.

    The rate is that of the OLS regression of log compute on year over the frontier points
    (halving time of the compute needed, with its 95% t-interval); the endpoint halving time
    and the reduction factor are in the notes.

    Parameters
    ----------
    df : pandas.DataFrame, optional
        ImageNet evaluations; default the shipped dataset.
    include_ensembles : bool
        Keep ensembles of several models (recognised, as in the fits' row selection, by
        "ensemble" in the model name or architecture); excluded by default, like the fits.

    Returns
    -------
    MethodEstimate
    """
    from algoattr.threshold import alexnet_level, threshold_frontier

    method = "Threshold method, ImageNet AlexNet-level (Hernandez & Brown 2020)"
    if df is None:
        from algoattr.data import load_evaluations

        df = load_evaluations(["imagenet"])
    n_ensembles = 0
    if not include_ensembles:
        arch = df["architecture"] if "architecture" in df else pd.Series("", index=df.index)
        text = df["model"].astype(str) + " " + arch.fillna("").astype(str)
        is_ens = text.str.contains("ensemble", case=False)
        n_ensembles = int(is_ens.sum())
        df = df.loc[~is_ens]
    res = threshold_frontier(df, exclude_extra_data=True, **alexnet_level(df))
    n_front = len(res.frontier)
    data = (
        f"{res.n_usable} usable rows, {res.n_reached} reach the threshold, "
        f"{n_front} frontier points; imagenet"
    )
    if n_front < 2:
        only = f" ({res.first['model']})" if n_front else ""
        return MethodEstimate.missing(
            method,
            f"{n_front} frontier point{only}: no later model reaching the threshold used less "
            "full-training compute (the data record full-training compute, not "
            "compute-to-threshold)",
            approach="threshold",
            data=data,
            n_rows=res.n_usable,
            benchmark="imagenet",
            notes=[f"criterion: {res.criterion}"]
            + ([f"{n_ensembles} ensemble rows excluded (as in the fits)"] if n_ensembles else []),
        )
    reg = res.halving_months_regression
    lo, hi = res.halving_months_regression_ci
    notes = [
        f"criterion: {res.criterion}",
        f"reduction factor {res.reduction_factor:.3g}x from {res.first['model']} "
        f"({res.first['year']:.2f}) to {res.last['model']} ({res.last['year']:.2f}), "
        f"endpoint halving time {res.halving_months_endpoint:.3g} months",
        "caveat: full-training compute, not compute-to-threshold (flatter than Hernandez & Brown)",
    ]
    if n_ensembles:
        notes.append(f"{n_ensembles} ensemble rows excluded (as in the fits)")
    if not math.isnan(reg):
        est = MethodEstimate.from_doubling_months(
            reg, lo, hi, ci_prob=CI_PROB if np.isfinite(lo) else NAN,
            method=method, approach="threshold", data=data, n_rows=res.n_usable,
            benchmark="imagenet", notes=notes,
        )  # fmt: skip
        est.notes.insert(0, "rate from the regression halving time of compute needed (t-interval)")
        est.native_estimate = f"rate: compute halving time {reg:.3g} months (regression)"
    else:
        est = MethodEstimate.from_doubling_months(
            res.halving_months_endpoint,
            method=method, approach="threshold", data=data, n_rows=res.n_usable,
            benchmark="imagenet", notes=notes,
        )  # fmt: skip
        est.native_estimate = (
            f"rate: compute halving time {res.halving_months_endpoint:.3g} months (endpoint)"
        )
    return est


def threshold_sweep_estimate(
    df: pd.DataFrame | None = None,
    *,
    n: int = 9,
    min_frontier: int = 3,
    min_months: float = 12.0,
    include_ensembles: bool = False,
) -> MethodEstimate:
    """The threshold method over a grid of top-1 error thresholds on ImageNet, as a rate.

    Repeats :func:`algoattr.threshold.threshold_frontier` for ``n`` thresholds (see
    :func:`algoattr.threshold.threshold_sweep`) and keeps those whose frontier has at least
    ``min_frontier`` points spanning at least ``min_months``. The row's rate is the median of
    their regression halving times; its bracket is the range across thresholds (a sensitivity
    range, not a probability interval).

    Parameters
    ----------
    df : pandas.DataFrame, optional
        ImageNet evaluations; default the shipped dataset.
    n : int
        Thresholds in the grid (between the 10th and 90th percentiles of top-1 error).
    min_frontier : int
        Frontier points a threshold needs to count.
    min_months : float
        Months the frontier must span to count.
    include_ensembles : bool
        Keep ensembles of several models (excluded by default, like the fits).

    Returns
    -------
    MethodEstimate
    """
    from algoattr.threshold import threshold_sweep

    method = "Threshold method, ImageNet top-1 sweep (median over thresholds)"
    if df is None:
        from algoattr.data import load_evaluations

        df = load_evaluations(["imagenet"])
    if not include_ensembles:
        arch = df["architecture"] if "architecture" in df else pd.Series("", index=df.index)
        text = df["model"].astype(str) + " " + arch.fillna("").astype(str)
        df = df.loc[~text.str.contains("ensemble", case=False)]
    t = threshold_sweep(df, n=n).table()
    keep = t[(t["n_frontier"] >= min_frontier) & (t["months"] >= min_months)]
    halving = keep["halving_months_regression"].to_numpy(dtype=float)
    halving = halving[~np.isnan(halving)]
    data = (
        f"{len(df)} rows (ensembles {'kept' if include_ensembles else 'excluded'}); imagenet; "
        f"{len(keep)} of {len(t)} thresholds used"
    )
    if halving.size == 0:
        return MethodEstimate.missing(
            method,
            f"no threshold with >= {min_frontier} frontier points over >= {min_months:g} months",
            approach="threshold",
            data=data,
        )
    rates = np.array([_rate_from_months(h) for h in halving])
    est = MethodEstimate.from_rate(
        float(np.median(rates)),
        float(rates.min()),
        float(rates.max()),
        method=method,
        approach="threshold",
        data=data,
        n_rows=len(df),
        benchmark="imagenet",
        native_estimate=f"rate: compute halving time {_months(float(np.median(rates))):.3g} "
        "months (median over thresholds)",
        notes=[
            "bracket = range across thresholds (sensitivity, not a probability interval)",
            "thresholds (top-1 error %) used: "
            + ", ".join(
                f"{th:.1f} -> {h:.3g} mo"
                for th, h in zip(keep["threshold"], keep["halving_months_regression"], strict=True)
            ),
            "caveat: full-training compute, not compute-to-threshold",
        ],
    )
    return est
