"""One study, run: the fits and every analysis the reports show, as frozen bundles.

:func:`fit_study` computes what a fit report shows beyond the fit itself (reference-pair
attribution, the threshold method on the fit's benchmarks, the retraining results);
:func:`seed_study` the seed analyses; :func:`run_study` obtains the fits of several
benchmarks (:func:`algoattr.pipeline.obtain_fit`) and does both. :mod:`algoattr.report`
renders these bundles and computes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from algoattr.pipeline.analyses import (
    CEGAnalysis,
    HernandezReproduction,
    MonteCarloRun,
    Reconciliation,
    Retraining,
    ThresholdAnalysis,
    ceg_analysis,
    hernandez_reproduction,
    monte_carlo_runs,
    read_reconciliation,
    read_retraining,
    threshold_analysis,
)
from algoattr.pipeline.attribution import PairAttribution, reference_attributions
from algoattr.pipeline.discovery import benchmark_files, find_reconciliation, scenario_files

__all__ = ["FitStudy", "SeedStudy", "Study", "fit_study", "run_study", "seed_study"]


@dataclass(frozen=True)
class FitStudy:
    """A fit and the analyses its report shows.

    Attributes
    ----------
    result : FitResult
    attribution : tuple of PairAttribution or str
        Per benchmark with reference pairs; a note where one is not attributed.
    thresholds : tuple of ThresholdAnalysis or str
        The threshold method on each benchmark's rows; notes where it failed.
    retraining : Retraining or None
        The retraining suite's results (language models only).
    prior_sensitivity : pandas.DataFrame or str or None
        :func:`algoattr.prior_sensitivity.prior_sensitivity` (a note when not computed).
    changes : FitChanges or str or None
        :func:`algoattr.previous_fit.compare_with_previous`: what changed since the fit this
        one replaced (None without one; a note when not computed).
    inputs : tuple of pathlib.Path
        Files read (benchmark CSVs, ``benchmarks.yaml``, the reference pairs, retraining).
    """

    result: Any
    attribution: tuple[PairAttribution | str, ...] = ()
    thresholds: tuple[ThresholdAnalysis | str, ...] = ()
    retraining: Retraining | None = None
    prior_sensitivity: pd.DataFrame | str | None = None
    changes: Any = None
    inputs: tuple[Path, ...] = ()


def fit_study(
    result: Any,
    *,
    attribution_draws: int = 1000,
    seed: int = 0,
    data_root: Path | None = None,
    retraining_root: Path | None = None,
    previous: Any = None,
) -> FitStudy:
    """Compute what the fit report of ``result`` shows besides the fit and its tables.

    Parameters
    ----------
    result : FitResult
        The fit.
    attribution_draws : int
        Posterior draws used for the Shapley attribution (subsampled with ``seed``).
    seed : int
        Seed of the subsample.
    data_root : pathlib.Path, optional
        Datasets root (default: the shipped datasets).
    retraining_root : pathlib.Path, optional
        Folder of the retraining suite's results (default ``datasets/retraining``).
    previous : PreviousFit, optional
        The fit ``result`` replaces (:func:`algoattr.previous_fit.read_previous`).

    Returns
    -------
    FitStudy
    """
    try:
        from algoattr.prior_sensitivity import prior_sensitivity

        priors: pd.DataFrame | str = prior_sensitivity(result, seed=seed)
    except Exception as exc:  # the report still builds without it
        priors = f"Prior sensitivity not computed: {type(exc).__name__}: {exc}"
    attribution = reference_attributions(result, attribution_draws, seed, data_root)
    thresholds: list[ThresholdAnalysis | str] = []
    try:
        from algoattr.data import load_evaluations

        for bench in result.benchmarks:
            rows = load_evaluations(bench, root=data_root, validate=False)
            thresholds.append(threshold_analysis(rows, bench, imagenet=bench == "imagenet"))
    except Exception as exc:
        thresholds.append(f"Threshold method not computed: {type(exc).__name__}: {exc}")
    lm = result.task == "language_modelling"
    retraining = read_retraining(retraining_root, figures=False) if lm else None
    try:
        from algoattr.previous_fit import compare_with_previous

        changes = compare_with_previous(result, previous)
    except Exception as exc:  # the report still builds without the comparison
        changes = f"Change since the previous fit not computed: {type(exc).__name__}: {exc}"
    from algoattr.pairs import REFERENCE_PAIRS

    inputs = [*benchmark_files(result.benchmarks, data_root), Path(REFERENCE_PAIRS)]
    if retraining:
        inputs.extend(retraining.files)
    return FitStudy(
        result, attribution, tuple(thresholds), retraining, priors, changes, tuple(inputs)
    )


@dataclass(frozen=True)
class SeedStudy:
    """The seed analyses: threshold method, CEG, Monte Carlo, reconciliation, retraining.

    Attributes
    ----------
    hernandez : HernandezReproduction or None
        Hernandez & Brown's points (a source checkout only).
    thresholds : tuple of ThresholdAnalysis or str
        The threshold method on the ImageNet rows (or a note).
    ceg : CEGAnalysis
    montecarlo : tuple of MonteCarloRun or str
        One per scenario; a note where one did not run.
    reconciliation : Reconciliation or None
    retraining : Retraining or None
    mc_draws, seed : int
        Monte Carlo draws per scenario, and the seed.
    inputs : tuple of pathlib.Path
        Files read, in the order read.
    """

    hernandez: HernandezReproduction | None
    thresholds: tuple[ThresholdAnalysis | str, ...]
    ceg: CEGAnalysis
    montecarlo: tuple[MonteCarloRun | str, ...]
    reconciliation: Reconciliation | None
    retraining: Retraining | None
    mc_draws: int
    seed: int
    inputs: tuple[Path, ...] = field(default=())


def seed_study(
    *,
    out_dir: Path | None = None,
    data_root: Path | None = None,
    scenarios: Sequence[Path] | None = None,
    mc_draws: int = 100_000,
    seed: int = 0,
    reconciliation: Path | None = None,
    retraining_root: Path | None = None,
) -> SeedStudy:
    """Run the seed analyses.

    Parameters
    ----------
    out_dir : pathlib.Path, optional
        Report folder (also searched for the reconciliation table).
    data_root : pathlib.Path, optional
        Datasets root (default: the shipped datasets).
    scenarios : sequence of pathlib.Path, optional
        Monte Carlo scenario files (default ``datasets/scenarios/*.yaml``).
    mc_draws : int
        Monte Carlo draws per scenario.
    seed : int
        Monte Carlo seed.
    reconciliation : pathlib.Path, optional
        Reconciliation CSV (default: :func:`algoattr.pipeline.discovery.find_reconciliation`).
    retraining_root : pathlib.Path, optional
        Retraining results folder.

    Returns
    -------
    SeedStudy
    """
    inputs: list[Path] = []
    hb = hernandez_reproduction()
    if hb is not None:
        inputs.append(hb.script)
    thresholds: list[ThresholdAnalysis | str] = []
    try:
        from algoattr.data import load_evaluations

        rows = load_evaluations("imagenet", root=data_root, validate=False)
        thresholds.append(threshold_analysis(rows, "imagenet", imagenet=True))
        inputs.extend(benchmark_files(["imagenet"], data_root))
    except Exception as exc:
        thresholds.append(f"ImageNet rows not read: {type(exc).__name__}: {exc}")
    ceg = ceg_analysis()
    inputs.extend(ceg.inputs)
    if scenarios is None:
        scenarios = scenario_files(data_root)
    runs = monte_carlo_runs(scenarios, mc_draws, seed)
    inputs.extend(r.path for r in runs if isinstance(r, MonteCarloRun))
    rec = read_reconciliation(reconciliation or find_reconciliation(out_dir))
    if rec is not None and rec.frame is not None:
        inputs.append(rec.path)
    retraining = read_retraining(retraining_root)
    if retraining:
        inputs.extend(retraining.files)
    return SeedStudy(
        hb, tuple(thresholds), ceg, runs, rec, retraining, mc_draws, seed, tuple(inputs)
    )


@dataclass(frozen=True)
class Study:
    """A whole study: fit studies by file stem, and the seed analyses (if run)."""

    fits: Mapping[str, FitStudy]
    seed: SeedStudy | None = None


def run_study(
    benchmarks: Sequence[str],
    out_dir: Path | str = "reports",
    *,
    seed: int = 0,
    refit: bool = False,
    loader: Callable[..., Any] | None = None,
    attribution_draws: int = 1000,
    seed_analyses: bool = True,
    mc_draws: int = 100_000,
    reconciliation: Path | None = None,
) -> Study:
    """Obtain a fit of each benchmark and compute every analysis the reports show.

    Parameters
    ----------
    benchmarks : sequence of str
        Benchmark ids or aliases, as ``python -m algoattr.fit --benchmark`` takes them.
    out_dir : pathlib.Path or str
        Where saved fits are looked for and new ones written.
    seed : int
        Seed of new fits, of the attribution subsample and of the Monte Carlo.
    refit : bool
        Fit anew even where a fit is saved.
    loader : callable, optional
        Replaces :func:`algoattr.pipeline.load_or_fit` (see :func:`obtain_fit`).
    attribution_draws : int
        Posterior draws of the Shapley attribution.
    seed_analyses : bool
        Also run :func:`seed_study`.
    mc_draws : int
        Monte Carlo draws per scenario.
    reconciliation : pathlib.Path, optional
        Reconciliation CSV (default: looked for).

    Returns
    -------
    Study
    """
    from algoattr.pipeline.fits import obtain_fit, stem_of

    out = Path(out_dir)
    fits = {}
    for bench in benchmarks:
        fit = obtain_fit(bench, out, seed=seed, refit=refit, loader=loader)
        fits[stem_of(bench)] = fit_study(fit, attribution_draws=attribution_draws, seed=seed)
    seed_part = (
        seed_study(out_dir=out, mc_draws=mc_draws, seed=seed, reconciliation=reconciliation)
        if seed_analyses
        else None
    )
    return Study(fits, seed_part)
