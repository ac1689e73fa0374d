"""Obtain a fit: select rows, sample the law's posterior, or reuse a saved fit.

The library half of ``python -m algoattr.fit`` (whose command line is :mod:`algoattr.cli.fit`):
:func:`run_fit` fits a benchmark selection, :func:`load_or_fit` reuses a saved fit or makes one,
:func:`load_or_fit_on_demand` also fits when a saved summary lacks its posterior (a fresh clone),
and :func:`obtain_fit` is the report's fast variant. The fits themselves live in
:mod:`algoattr.fitting`.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from algoattr import __version__
from algoattr import sensitivity as sensitivity_mod
from algoattr.errors import DataError, MissingFitError, UsageError
from algoattr.fitting import fit_imagenet, fit_lm
from algoattr.model.design import (
    LM_TASK,
    RULE_SETS,
    SelectionRules,
    resolve_rules,
    select_rows,
)
from algoattr.model.results import FitResult
from algoattr.model.sampling import SamplerSettings

__all__ = [
    "SENSITIVITY_MODES",
    "default_out_dir",
    "fast_or_full",
    "load_or_fit",
    "load_or_fit_on_demand",
    "obtain_fit",
    "run_fit",
    "select_or_fail",
    "stem_of",
    "task_of",
]

log = logging.getLogger("algoattr.fit")
report_log = logging.getLogger("algoattr.report")


def task_of(benchmarks: Sequence[str], infos: dict[str, Any]) -> str:
    """The single task of ``benchmarks``; mixing language models and ImageNet is an error."""
    tasks = {infos[b].task for b in benchmarks}
    if len(tasks) != 1:
        raise UsageError(f"benchmarks {list(benchmarks)} mix tasks {sorted(tasks)}")
    return tasks.pop()


def stem_of(benchmark: str) -> str:
    """File stem of a benchmark selection's outputs (``reports/<stem>.html`` etc.)."""
    return benchmark.replace("/", "_")


def run_fit(
    benchmark: str,
    *,
    settings: SamplerSettings | None = None,
    fast: bool = False,
    variant: str = "both",
    likelihood: str = "normal",
    paper_effect: bool = False,
    compare: bool | None = None,
    rules: SelectionRules | None = None,
    data_root: Path | None = None,
    progressbar: bool = True,
    sensitivity: str = "estimator",
    priors: dict[str, dict[str, Any]] | None = None,
) -> FitResult:
    """Load the curated rows of ``benchmark``, select, fit, and return the result.

    Parameters
    ----------
    benchmark : str
        Benchmark id or alias (``wikitext``, ``lm``, ...).
    settings : SamplerSettings, optional
        Sampler settings; defaults to nutpie, 4 chains × 1000 draws, or the ``fast`` ones.
    fast : bool
        2 chains × 500 draws after 500 warm-up steps, no variant comparison, no CEG.
    variant, likelihood, paper_effect
        Model choices (language models only).
    compare : bool, optional
        Compare variants by PSIS-LOO; default: not ``fast``.
    rules : SelectionRules, optional
        Row selection; a negative ``max_per_paper`` (the default) means the task's default,
        :func:`default_max_per_paper`.
    data_root : pathlib.Path, optional
        Folder holding ``benchmarks.yaml`` (default: the shipped datasets).
    progressbar : bool
        Show sampler progress.
    sensitivity : {"bayes", "estimator", "none"}
        Rule-sensitivity table (:func:`algoattr.sensitivity.rule_sensitivity`): the papers'
        estimator under every alternative, plus a short Bayesian refit each with ``bayes``.
        The row-influence table is always computed.
    priors : dict, optional
        Prior overrides by variable name, ``{"alpha_year": {"dist": "Normal", "mu": 0,
        "sigma": 0.05}}`` (see :mod:`algoattr.model.priors`); the fit, every sensitivity
        refit and the prior figures use them, and the result records them resolved
        (``extras["priors"]``, ``extras["prior_overrides"]``, the posterior file's attributes).
        An unknown name is a usage error.

    Returns
    -------
    FitResult
    """
    from algoattr.data import (
        dataset_checksum,
        load_benchmarks,
        load_evaluations,
        resolve_benchmarks,
    )

    try:
        ids = resolve_benchmarks(benchmark, root=data_root)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    infos = load_benchmarks(root=data_root)
    task = task_of(ids, infos)
    settings = settings or fast_or_full(fast)
    if sensitivity not in SENSITIVITY_MODES:
        raise UsageError(f"sensitivity must be one of {', '.join(SENSITIVITY_MODES)}")
    rules = resolve_rules(rules or RULE_SETS["default"], task, paper_effect)
    from algoattr.model.priors import IMAGENET_PRIORS, LM_PRIORS, resolve_priors

    try:
        resolve_priors(LM_PRIORS if task == LM_TASK else IMAGENET_PRIORS, priors)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    df = load_evaluations(ids, root=data_root)
    if df.empty:
        raise UsageError(f"no rows for benchmark {benchmark!r} ({', '.join(ids)})")
    rows, excluded = select_or_fail(df, task, rules, benchmark)
    t0 = time.perf_counter()

    def fit_rows(
        rows: pd.DataFrame,
        excluded: pd.DataFrame,
        settings: SamplerSettings,
        likelihood: str,
        paper_effect: bool,
        full: bool,
        progressbar: bool,
    ) -> FitResult:
        if task == LM_TASK:
            return fit_lm(
                rows,
                excluded,
                ids,
                settings=settings,
                variant=variant,
                likelihood=likelihood,
                paper_effect=paper_effect,
                compare=full and ((not fast) if compare is None else compare),
                transformer_ceg=full and not fast,
                progressbar=progressbar,
                priors=priors,
            )
        return fit_imagenet(
            rows,
            excluded,
            settings=settings,
            likelihood=likelihood,
            progressbar=progressbar,
            priors=priors,
        )

    result = fit_rows(rows, excluded, settings, likelihood, paper_effect, True, progressbar)
    wall = time.perf_counter() - t0
    result.extras["influence"] = sensitivity_mod.row_influence(result).to_dict("records")
    if sensitivity != "none":
        short = fast_or_full(True, settings.sampler, settings.seed)

        def select(alt_rules: SelectionRules, alt_paper_effect: bool) -> pd.DataFrame:
            r = resolve_rules(alt_rules, task, alt_paper_effect)
            return select_or_fail(df, task, r, benchmark, error=ValueError)[0]

        # One fit per distinct (rows, likelihood, paper effect): an alternative that selects
        # this fit's rows with its model reuses it, and two alternatives that select the same
        # rows share one refit.
        fitted = {(tuple(rows.index), likelihood, paper_effect): result}

        def refit(alt: sensitivity_mod.Alternative) -> FitResult:
            r = resolve_rules(alt.rules, task, alt.paper_effect)
            used, dropped = select_or_fail(df, task, r, benchmark, error=ValueError)
            key = (tuple(used.index), alt.likelihood, alt.paper_effect)
            if key not in fitted:
                log.info("sensitivity: refitting %s (%d rows)", alt.name, len(used))
                fitted[key] = fit_rows(
                    used, dropped, short, alt.likelihood, alt.paper_effect, False, False
                )
            return fitted[key]

        table = sensitivity_mod.rule_sensitivity(
            task, select, refit if sensitivity == "bayes" else None, seed=settings.seed
        )
        result.extras["sensitivity"] = table.to_dict("records")
        result.extras["sensitivity_settings"] = {
            "mode": sensitivity,
            "bayes_refits": short.__dict__ if sensitivity == "bayes" else None,
            "estimator_bootstrap": 50,
        }
    result.extras.update(
        {
            "benchmark": benchmark,
            "package_version": __version__,
            "dataset_checksum": dataset_checksum(ids, root=data_root),
            "rules": rules.__dict__,
            "rules_text": rules.describe(),
            "likelihood": likelihood,
            "paper_effect": paper_effect,
            "fast": fast,
            "wall_time_s": wall,
            "wall_time_with_sensitivity_s": time.perf_counter() - t0,
            "created": pd.Timestamp.now(tz="UTC").isoformat(),
        }
    )
    return result


#: Modes of the rule-sensitivity table (see :func:`run_fit`).
SENSITIVITY_MODES = ("bayes", "estimator", "none")


def select_or_fail(
    df: pd.DataFrame,
    task: str,
    rules: SelectionRules,
    benchmark: str,
    error: type[Exception] = DataError,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`select_rows`, raising ``error`` (a data error, exit 1, by default) with every
    reason when no row is left."""
    rows, excluded = select_rows(df, task, rules)
    if rows.empty:
        raise error(
            f"every row of {benchmark!r} was excluded; reasons: "
            + "; ".join(f"{r} ({n})" for r, n in excluded["reason"].value_counts().items())
        )
    return rows, excluded


def fast_or_full(fast: bool, sampler: str = "nutpie", seed: int = 0) -> SamplerSettings:
    """Default sampler settings: full (4 chains × 2000 draws after 1500 warm-up) or fast.

    The exponents and year terms of both laws trade off along ridges, so 4 × 1000 draws left
    the bulk ESS of the doubling time just under 400 on the shipped rows; 4 × 2000 clears it.
    """
    if fast:
        return SamplerSettings(sampler=sampler, draws=500, tune=500, chains=2, seed=seed)
    return SamplerSettings(sampler=sampler, draws=2000, tune=1500, chains=4, seed=seed)


def load_or_fit(
    path: str | Path | None = None,
    *,
    benchmark: str,
    seed: int = 0,
    out_dir: str | Path = "reports",
    fast: bool = False,
) -> FitResult:
    """A saved fit of ``benchmark`` if one exists, else a new one (saved to ``out_dir``).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A ``*_summary.json`` written by :meth:`FitResult.save`; when given it must exist.
    benchmark : str
        Benchmark id or alias.
    seed : int
        Seed of a new fit.
    out_dir : str or pathlib.Path
        Where saved fits are looked for and new ones written.
    fast : bool
        Use the fast settings for a new fit.

    Returns
    -------
    FitResult
    """
    if path is not None:
        p = Path(path)
        if not p.exists():
            raise UsageError(f"no saved fit at {p}")
        return FitResult.load(p)
    candidates = [Path(out_dir) / f"{stem_of(benchmark)}_summary.json"]
    from algoattr.data import resolve_benchmarks

    for alias in ("lm", "wikitext"):
        try:
            if benchmark in resolve_benchmarks(alias):
                candidates.append(Path(out_dir) / f"{alias}_summary.json")
        except ValueError:
            pass
    try:
        wanted = set(resolve_benchmarks(benchmark))
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    for c in candidates:
        if c.exists():
            try:
                fit = FitResult.load(c)
            except MissingFitError as exc:  # a fresh clone: summaries without posteriors
                log.info("%s; fitting anew", exc)
                continue
            if wanted <= set(fit.benchmarks) or fit.extras.get("benchmark") == benchmark:
                s = fit.settings
                log.info(
                    "reusing saved fit %s (%s, %d chains x %d draws, seed %d)",
                    c, s.sampler, s.chains, s.draws, s.seed,
                )  # fmt: skip
                return fit
    fit = run_fit(benchmark, settings=fast_or_full(fast, seed=seed), fast=fast)
    fit.save(out_dir, stem_of(benchmark))
    return fit


def default_out_dir(settings: SamplerSettings, fast: bool, custom: bool = False) -> str:
    """``reports`` for a fit at least as long as the full settings, else ``reports/fast``;
    ``reports/custom`` for a fit of full length with other priors or another mass matrix
    (``custom``, or a non-default ``settings.mass_matrix``), so that neither replaces a
    committed report."""
    full = fast_or_full(False)
    short = fast or any(
        getattr(settings, k) < getattr(full, k) for k in ("draws", "tune", "chains")
    )
    if short:
        return "reports/fast"
    if custom or settings.mass_matrix != full.mass_matrix:
        return "reports/custom"
    return "reports"


def load_or_fit_on_demand(
    path: str | Path | None = None,
    *,
    benchmark: str,
    seed: int = 0,
    out_dir: str | Path = "reports",
    prog: str = "python -m algoattr.attribute",
) -> Any:
    """A saved fit of ``benchmark``, else a new one with the default settings (saved).

    As :func:`load_or_fit`, and also when ``out_dir`` holds a summary whose posterior is
    missing: posteriors are not committed, so a fresh clone has the summaries of ``reports/``
    without them. A line on standard error, starting with ``prog``, says that a fit is being
    made.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A saved ``*_summary.json``; when given it must be complete.
    benchmark : str
        Benchmark id or alias.
    seed : int
        Seed of a new fit.
    out_dir : str or pathlib.Path
        Where saved fits are looked for and a new one is written.
    prog : str
        The command that asks (starts the message).

    Returns
    -------
    FitResult
    """
    try:
        return load_or_fit(path, benchmark=benchmark, seed=seed, out_dir=out_dir)
    except MissingFitError:
        if path is not None:
            raise
    print(
        f"{prog}: no saved posterior of {benchmark} in {out_dir}/ (posteriors are not "
        f"committed); fitting it now (`python -m algoattr.fit --benchmark {benchmark}`)",
        file=sys.stderr,
        flush=True,
    )
    result = run_fit(benchmark, settings=fast_or_full(False, seed=seed))
    result.save(out_dir, stem_of(benchmark))
    return result


def obtain_fit(
    benchmark: str,
    out_dir: Path,
    *,
    seed: int = 0,
    refit: bool = False,
    loader: Callable[..., Any] | None = None,
) -> Any:
    """A saved fit of ``benchmark`` in ``out_dir``, else a new fast one (saved there).

    What ``python -m algoattr.report`` reports on.

    Parameters
    ----------
    benchmark : str
        Benchmark id or alias.
    out_dir : pathlib.Path
        Where saved fits are looked for and new ones written.
    seed : int
        Seed of a new fit.
    refit : bool
        Fit anew even if a saved fit exists.
    loader : callable, optional
        Replaces :func:`load_or_fit` (called with ``path``, ``benchmark``, ``seed``,
        ``out_dir``, ``fast``).

    Returns
    -------
    FitResult
    """
    if loader is None:
        loader = load_or_fit
    saved = out_dir / f"{stem_of(benchmark)}_summary.json"
    if saved.is_file() and not refit:
        report_log.info("reusing saved fit %s", saved)
        try:
            return loader(path=saved, benchmark=benchmark, seed=seed, out_dir=out_dir, fast=True)
        except MissingFitError:  # a summary without its posterior (a fresh clone)
            print(f"{saved}: the saved fit is incomplete; fitting {benchmark} now (fast settings)")
            refit = True
    if refit:
        fit = run_fit(benchmark, settings=fast_or_full(True, seed=seed), fast=True)
        fit.save(out_dir, stem_of(benchmark))
    else:
        fit = loader(path=None, benchmark=benchmark, seed=seed, out_dir=out_dir, fast=True)
    if not fit.extras.get("command"):
        fit.extras["command"] = (
            f"python -m algoattr.fit --benchmark {benchmark} --fast --seed {seed}"
        )
    return fit
