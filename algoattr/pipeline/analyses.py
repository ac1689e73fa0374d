"""The seed analyses a report shows, computed: threshold method, compute-equivalent gains,
Monte Carlo stacks, the reconciliation table and the retraining suite's results.

Each function returns a frozen results object; an analysis that cannot be computed becomes a
note (a ``str``) in the place where its result would be, so that a report shows the notes in
the order the analyses ran. Nothing here draws or formats.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr.pipeline.discovery import (
    PROJECT_ROOT,
    find_retraining,
    ladder_title,
    load_analysis,
    relative_posix,
    retraining_root,
)

__all__ = [
    "CEG_AT",
    "CEG_GRID",
    "CEGAnalysis",
    "HernandezReproduction",
    "Ladder",
    "MonteCarloRun",
    "Reconciliation",
    "Retraining",
    "ThresholdAnalysis",
    "ceg_analysis",
    "hernandez_reproduction",
    "monte_carlo_runs",
    "read_reconciliation",
    "read_retraining",
    "threshold_analysis",
]

#: Compute grid of the CEG curves (FLOP).
CEG_GRID = np.geomspace(1e15, 1e25, 41)
#: Compute at which the CEG table gives values (FLOP).
CEG_AT = (1e15, 1e18, 1e21, 1.34e22, 1e24)


@dataclass(frozen=True)
class ThresholdAnalysis:
    """The threshold method on one benchmark's rows and its sweep over thresholds."""

    benchmark: str
    result: Any
    sweep: Any


def threshold_analysis(
    rows: pd.DataFrame, bench: str, *, imagenet: bool
) -> ThresholdAnalysis | str:
    """Threshold method and its sensitivity on one benchmark's rows (a note if it fails).

    Parameters
    ----------
    rows : pandas.DataFrame
        The benchmark's rows.
    bench : str
        Benchmark id.
    imagenet : bool
        Use AlexNet-level top-5 accuracy as the threshold.

    Returns
    -------
    ThresholdAnalysis or str
    """
    from algoattr import threshold

    try:
        kwargs = threshold.alexnet_level(rows) if imagenet else {}
        res = threshold.threshold_frontier(rows, **kwargs)
        sweep = threshold.threshold_sweep(rows)
    except Exception as exc:
        return f"Threshold method on {bench} not computed: {type(exc).__name__}: {exc}"
    return ThresholdAnalysis(bench, res, sweep)


@dataclass(frozen=True)
class HernandezReproduction:
    """Hernandez & Brown 2020's AlexNet-level points through the threshold method."""

    result: Any
    published: dict[str, Any]
    script: Path


def hernandez_reproduction() -> HernandezReproduction | None:
    """The reproduction of ``analyses/reproduce_hernandez2020.py`` (None outside a checkout)."""
    mod = load_analysis("reproduce_hernandez2020")
    if mod is None:
        return None
    from algoattr.threshold import ALEXNET_TOP5_ERROR, threshold_frontier

    r = threshold_frontier(mod.published_points(), ALEXNET_TOP5_ERROR)
    return HernandezReproduction(
        r,
        getattr(mod, "PUBLISHED", {}),
        PROJECT_ROOT / "analyses" / "reproduce_hernandez2020.py",
    )


@dataclass(frozen=True)
class CEGAnalysis:
    """Compute-equivalent gains from Gundlach et al. 2025's laws and the Chinchilla law.

    Attributes
    ----------
    lstm_transformer, transformer_modern, rebalancing : CEGResult
        The curves over :data:`CEG_GRID`.
    points : pandas.DataFrame
        The gains at :data:`CEG_AT`.
    extrapolations : tuple
        ``(start, end, GundlachExtrapolation)`` for 2012–2023 and 2013–2025.
    reproduction : pandas.DataFrame or None
        ``analyses/reproduce_gundlach2025.py``'s published-vs-reproduced table.
    inputs : tuple of pathlib.Path
        Scripts read.
    notes : tuple of str
        What could not be computed.
    """

    lstm_transformer: Any
    transformer_modern: Any
    rebalancing: Any
    points: pd.DataFrame
    extrapolations: tuple[tuple[int, int, Any], ...]
    reproduction: pd.DataFrame | None = None
    inputs: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()


def ceg_analysis() -> CEGAnalysis:
    """Every compute-equivalent gain the seed report shows."""
    from algoattr import ceg

    grid = CEG_GRID
    k = ceg.GUNDLACH_2025
    lstm, tr, modern = (k["laws"][n] for n in ("lstm", "transformer_2017", "transformer_modern"))
    lt = ceg.law_vs_law(
        grid,
        A_ref=lstm["A"],
        alpha_ref=lstm["alpha"],
        A_new=tr["A"],
        alpha_new=tr["alpha"],
        labels=("LSTM", "2017 Transformer"),
    )
    reb = ceg.CEGResult(
        compute=grid,
        ceg=np.asarray(ceg.chinchilla_rebalancing_ceg(grid)),
        scale_dependent=True,
        exponent_of_compute=float("nan"),
        labels=("Kaplan allocation", "Chinchilla allocation"),
    )
    tm = ceg.law_vs_law(
        grid,
        A_ref=tr["A"],
        alpha_ref=tr["alpha"],
        A_new=modern["A"],
        alpha_new=modern["alpha"],
    )
    at = list(CEG_AT)
    points = pd.DataFrame(
        {
            "compute": at,
            "lstm_tr": np.asarray(
                ceg.law_vs_law(
                    at,
                    A_ref=lstm["A"],
                    alpha_ref=lstm["alpha"],
                    A_new=tr["A"],
                    alpha_new=tr["alpha"],
                ).ceg
            ),
            "tr_modern": np.asarray(
                ceg.law_vs_law(
                    at,
                    A_ref=tr["A"],
                    alpha_ref=tr["alpha"],
                    A_new=modern["A"],
                    alpha_new=modern["alpha"],
                ).ceg
            ),
            "rebalancing": np.asarray(ceg.chinchilla_rebalancing_ceg(np.asarray(at))),
        }
    )
    extrapolations = tuple(
        (start, end, ceg.gundlach_extrapolation(start, end))
        for start, end in ((2012, 2023), (2013, 2025))
    )
    reproduction, inputs, notes = None, [], []
    gmod = load_analysis("reproduce_gundlach2025")
    if gmod is not None:
        try:
            reproduction = gmod.reproduce()
            inputs.append(PROJECT_ROOT / "analyses" / "reproduce_gundlach2025.py")
        except Exception as exc:
            notes.append(f"Gundlach reproduction not run: {exc}")
    return CEGAnalysis(
        lt, tm, reb, points, extrapolations, reproduction, tuple(inputs), tuple(notes)
    )


@dataclass(frozen=True)
class MonteCarloRun:
    """One scenario's Monte Carlo stack."""

    path: Path
    result: Any


def monte_carlo_runs(
    scenarios: Sequence[Path], draws: int, seed: int
) -> tuple[MonteCarloRun | str, ...]:
    """Run every scenario; one that fails becomes a note.

    Parameters
    ----------
    scenarios : sequence of pathlib.Path
        Scenario files.
    draws : int
        Draws per scenario.
    seed : int
        Seed of every scenario.

    Returns
    -------
    tuple of MonteCarloRun or str
    """
    from algoattr import montecarlo

    runs: list[MonteCarloRun | str] = []
    for path in scenarios:
        try:
            mc = montecarlo.run_scenario(path, draws=draws, seed=seed)
        except Exception as exc:
            runs.append(f"Scenario {Path(path).name} not run: {type(exc).__name__}: {exc}")
            continue
        runs.append(MonteCarloRun(Path(path), mc))
    return tuple(runs)


@dataclass(frozen=True)
class Reconciliation:
    """The table written by ``analyses/reconcile.py`` (``frame`` None when unreadable)."""

    path: Path
    frame: pd.DataFrame | None
    note: str | None = None


def read_reconciliation(path: Path | None) -> Reconciliation | None:
    """Read the reconciliation table at ``path`` (None when there is none)."""
    if path is None or not Path(path).is_file():
        return None
    try:
        return Reconciliation(Path(path), pd.read_csv(path))
    except Exception as exc:
        return Reconciliation(Path(path), None, f"Reconciliation table not read: {exc}")


#: Result tables of a ladder folder; ``frontier`` and ``metrics`` feed only its figure.
LADDER_TABLES = ("fits", "gaps", "ceg", "interaction")


@dataclass(frozen=True)
class Ladder:
    """One ladder folder of the retraining suite (a folder holding ``fits.csv``).

    Attributes
    ----------
    folder : pathlib.Path
    title : str
        Its README's heading.
    frames : dict
        File stem -> table read (``fits``, ``gaps``, ``ceg``, ``interaction``, and with
        figures ``frontier``, ``metrics``).
    settings : dict
        Its ``fit.json``.
    notes : tuple of str
        Files that could not be read.
    """

    folder: Path
    title: str
    frames: dict[str, pd.DataFrame]
    settings: dict[str, Any]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Retraining:
    """The retraining suite's results: ladders, and every file read."""

    base: Path
    ladders: tuple[Ladder, ...]
    files: tuple[Path, ...] = field(default=())


def read_retraining(root: Path | None = None, figures: bool = True) -> Retraining | None:
    """The ladders under ``root`` (default ``datasets/retraining``); None when there is none.

    Parameters
    ----------
    root : pathlib.Path, optional
        Retraining results folder.
    figures : bool
        Also read the frontier and the dense logs (for the ladder's figure).

    Returns
    -------
    Retraining or None
    """
    base = retraining_root(root)
    files = find_retraining(root)
    if not files:
        return None
    folders = sorted({p.parent for p in files if p.name == "fits.csv"})
    ladders = []
    for folder in folders:
        frames, notes = {}, []
        stems = list(LADDER_TABLES) + (["frontier", "metrics"] if figures else [])
        for stem in stems:
            path = folder / f"{stem}.csv"
            if not path.is_file():
                continue
            try:
                frames[stem] = pd.read_csv(path)
            except Exception as exc:
                notes.append(f"{relative_posix(path, base.parent.parent)} not read: {exc}")
        settings = {}
        if (folder / "fit.json").is_file():
            settings = json.loads((folder / "fit.json").read_text(encoding="utf-8"))
        ladders.append(Ladder(folder, ladder_title(folder), frames, settings, tuple(notes)))
    extra = [
        p
        for folder in folders
        for p in (folder / "README.md", folder / "fit.json", folder / "provenance.json")
        if p.is_file()
    ]
    return Retraining(base, tuple(ladders), tuple(sorted(set(files) | set(extra))))
