"""Estimates from the methods that give a level: a total gain between two dates or at a compute.

Gundlach et al.'s 2012–2023 extrapolation, the Monte Carlo multiplier stacks and the retraining
suite's compute-equivalent gain each become a :class:`~algoattr.reconcile.MethodEstimate`
whose rate is ``ln G / years`` over the window the level was accrued in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from algoattr.dates import DateLike
from algoattr.intervals import CI_PROB, ci_label
from algoattr.reconcile.estimate import NAN, MethodEstimate, _date_str

__all__ = [
    "GUNDLACH_WINDOW",
    "MONTECARLO_WINDOW",
    "find_retraining_ceg",
    "find_retraining_cegs",
    "gundlach_estimate",
    "montecarlo_estimates",
    "retraining_estimate",
]

#: Period of Gundlach et al. 2025's extrapolation (their 2012–2023 figure).
GUNDLACH_WINDOW = ("2012-01-01", "2023-01-01")

#: Period of the "GPT-3-level today" stack: GPT-3's publication (arXiv 2005.14165, 28 May 2020)
#: to early 2024, when the estimate was made (taken as 1 January 2024).
MONTECARLO_WINDOW = ("2020-05-28", "2024-01-01")


def gundlach_estimate(start_year: int = 2012, end_year: int = 2023) -> MethodEstimate:
    """Gundlach et al. 2025's extrapolation (6,926x over 2012–2023) as a rate.

    Parameters
    ----------
    start_year, end_year : int
        Period of the extrapolation (1 January to 1 January).

    Returns
    -------
    MethodEstimate
        Rate ``total^(1/years)``; a point estimate (no interval).
    """
    from algoattr.ceg import gundlach_extrapolation

    ext = gundlach_extrapolation(start_year, end_year)
    shares = ext.log_shares()
    return MethodEstimate.from_level(
        ext.total,
        f"{start_year}-01-01",
        f"{end_year}-01-01",
        method=f"Gundlach et al. 2025 extrapolation ({start_year}-{end_year})",
        approach="extrapolation",
        data=(
            "published constants (retraining laws, ablations, Chinchilla law; frontier compute "
            f"{ext.final_compute:.3g} FLOP in {end_year})"
        ),
        notes=[
            f"Transformer {ext.transformer:.4g}x ({shares['transformer']:.1%} of log) x "
            f"Chinchilla {ext.chinchilla:.3g}x ({shares['chinchilla']:.1%}) x scale-invariant "
            f"{ext.scale_invariant:.3g}x ({shares['scale_invariant']:.1%})",
            "point estimate, no interval",
        ],
    )


def montecarlo_estimates(
    scenario: str | Path | None = None,
    *,
    groups: Sequence[str] = ("compute", "algorithms"),
    draws: int = 100_000,
    seed: int = 0,
    ci_prob: float = CI_PROB,
    window: tuple[DateLike, DateLike] = MONTECARLO_WINDOW,
) -> list[MethodEstimate]:
    """Rows for group products of a Monte Carlo stack, as rates over the stack's period.

    Parameters
    ----------
    scenario : str or pathlib.Path, optional
        Scenario file (default ``datasets/scenarios/gpt3_level_today.yaml``).
    groups : sequence of str
        Group products to report (default: ``compute`` = algorithms x data quality, the FLOP
        needed for a GPT-3-level model; and ``algorithms`` alone). Hardware is not algorithmic
        and is left out.
    draws, seed : int
        Monte Carlo draws and seed.
    ci_prob : float
        Probability of the equal-tailed interval.
    window : tuple
        Period over which the stack's gain accrued (default :data:`MONTECARLO_WINDOW`).

    Returns
    -------
    list of MethodEstimate
    """
    from algoattr.montecarlo import run_scenario

    path = Path(scenario) if scenario else _repo_root() / "datasets/scenarios/gpt3_level_today.yaml"
    res = run_scenario(path, draws=draws, seed=seed, ci_prob=ci_prob)
    published = res.scenario.published.get("medians", {})
    out = []
    for g in groups:
        d = res.draws(g)
        members = res.scenario.members(g) if g in res.scenario.groups else [g]
        notes = [
            f"group {g} = {' x '.join(members)}",
            f"{ci_prob:.0%} interval from {draws} draws (seed {seed}), propagated per draw",
            f"period {_date_str(window[0])} (GPT-3) to {_date_str(window[1])} (early 2024)",
        ]
        if g in published:
            notes.append(f"published median {published[g]}x")
        out.append(
            MethodEstimate.from_level(
                None,
                window[0],
                window[1],
                draws=d,
                ci_prob=ci_prob,
                method=f"Monte Carlo stack, GPT-3-level today: {g}",
                approach="monte carlo",
                data=f"{path.name}: {len(members)} factors, {draws} draws",
                native_estimate=(
                    f"level: {np.median(d):,.4g}x [{res.quantiles(g)[0]:,.3g}, "
                    f"{res.quantiles(g)[1]:,.3g}] over {_date_str(window[0])}.."
                    f"{_date_str(window[1])}"
                ),
                notes=notes,
            )
        )
    return out


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def _display_path(path: Path) -> str:
    """``path`` relative to the working directory when inside it (no machine paths in outputs)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return Path(path).name


def find_retraining_cegs(roots: Sequence[str | Path] | None = None) -> list[Path]:
    """Every ``ceg.csv`` written by the retraining fits, in path order.

    Looks recursively under ``datasets/retraining/`` and ``reports/`` (of the repository and of
    the working directory) unless ``roots`` are given.
    """
    if roots is None:
        base = [_repo_root(), Path.cwd()]
        roots = [b / sub for b in base for sub in ("datasets/retraining", "reports")]
    found: set[Path] = set()
    for r in roots:
        r = Path(r)
        if r.is_file() and r.name == "ceg.csv":
            found.add(r.resolve())
        elif r.is_dir():
            found.update(p.resolve() for p in r.rglob("ceg.csv"))
    return sorted(found)


def find_retraining_ceg(roots: Sequence[str | Path] | None = None) -> Path | None:
    """The first ``ceg.csv`` of :func:`find_retraining_cegs` (in path order), if any."""
    found = find_retraining_cegs(roots)
    return found[0] if found else None


def _ladder_ci_prob(ceg_csv: Path) -> float:
    """The ``ci_prob`` of the bootstrap intervals, as the ladder's ``fit.json`` beside
    ``ceg_csv`` records it (NaN when it records none)."""
    try:
        return float(
            json.loads((ceg_csv.parent / "fit.json").read_text(encoding="utf-8"))["ci_prob"]
        )
    except (OSError, ValueError, TypeError, KeyError):
        return NAN


def retraining_estimate(
    csv: str | Path | None = None,
    *,
    ref: str = "lstm",
    new: str = "transformer2017",
    window: tuple[DateLike, DateLike] = GUNDLACH_WINDOW,
) -> MethodEstimate:
    """The retraining suite's measured LSTM → 2017 Transformer CEG, as a rate.

    The gain is a level at one compute, not a rate over time. Following Gundlach et al., who
    count the LSTM → Transformer change as progress over 2012–2023, it is converted as if it
    accrued over ``window``: ``rate = CEG^(1/years)``.

    Parameters
    ----------
    csv : str or pathlib.Path, optional
        A ``ceg.csv`` written by ``python -m algoattr.training fit`` (columns ``new``, ``ref``,
        ``compute``, ``ceg_measured``, ``ceg_law``, ``ceg_law_lo``, ``ceg_law_hi``); default
        :func:`find_retraining_ceg`.
    ref, new : str
        Families compared.
    window : tuple
        Period the gain is spread over.

    Returns
    -------
    MethodEstimate
        The measured by-loss CEG at the largest compute where it is finite (point); otherwise
        the law-against-law CEG with its bootstrap interval. A "not yet run" row when no
        results exist.
    """
    path = Path(csv) if csv else find_retraining_ceg()
    where = f" ({path.parent.name})" if path is not None else ""
    method = f"Retraining suite{where}: {ref} -> {new} CEG"
    if path is None or not path.exists():
        return MethodEstimate.missing(
            method,
            "not yet run: no ceg.csv from `python -m algoattr.training fit` under "
            "datasets/retraining/ or reports/",
            approach="experiment",
            data="retraining suite (algoattr.training)",
        )
    t = pd.read_csv(path)
    ci_prob = _ladder_ci_prob(path)
    ci_text = ci_label(ci_prob) if np.isfinite(ci_prob) else "interval probability not recorded"
    sel = t[(t["ref"].astype(str) == ref) & (t["new"].astype(str) == new)].sort_values("compute")
    if sel.empty:
        return MethodEstimate.missing(
            method, f"not yet run: {_display_path(path)} has no {ref} -> {new} rows",
            approach="experiment", data=_display_path(path),
        )  # fmt: skip
    measured = sel[np.isfinite(pd.to_numeric(sel.get("ceg_measured"), errors="coerce"))]
    common = {
        "method": method,
        "approach": "experiment",
        "data": f"{_display_path(path)} ({len(sel)} compute levels)",
        "benchmark": "retraining corpus",
    }
    law_rows = sel[np.isfinite(pd.to_numeric(sel["ceg_law"], errors="coerce"))]
    notes = [
        "a level at one compute, spread over Gundlach et al.'s 2012-2023 attribution of the "
        "LSTM -> Transformer change"
    ]
    if len(law_rows):
        lr = law_rows.iloc[-1]
        notes.append(
            f"law-against-law CEG at {lr['compute']:.3g} FLOP: {lr['ceg_law']:.3g} "
            f"[{lr.get('ceg_law_lo', NAN):.3g}, {lr.get('ceg_law_hi', NAN):.3g}] "
            f"({ci_text})"
        )
    if len(measured):
        r = measured.iloc[-1]
        return MethodEstimate.from_level(
            float(r["ceg_measured"]),
            window[0],
            window[1],
            native_estimate=f"level: measured CEG {r['ceg_measured']:.3g}x at "
            f"{r['compute']:.3g} FLOP",
            notes=[*notes, "measured by-loss CEG (point, no interval)"],
            **common,
        )
    if len(law_rows):
        r = law_rows.iloc[-1]
        return MethodEstimate.from_level(
            float(r["ceg_law"]),
            window[0],
            window[1],
            lower=float(r.get("ceg_law_lo", NAN)),
            upper=float(r.get("ceg_law_hi", NAN)),
            ci_prob=ci_prob,
            native_estimate=f"level: law CEG {r['ceg_law']:.3g}x at {r['compute']:.3g} FLOP",
            notes=[*notes, "no finite measured CEG; law-against-law CEG used"],
            **common,
        )
    common.pop("method")
    return MethodEstimate.missing(method, f"no finite CEG in {path}", **common)
