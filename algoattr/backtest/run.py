"""Run the backtest: fit and score every method at every cut-off, :func:`run_backtest`."""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr.backtest.cutoffs import MIN_TEST_ROWS, MIN_TRAIN_ROWS, check_cutoff, default_cutoffs
from algoattr.backtest.predictions import (
    PREDICTABLE_VARIANTS,
    paper_fit,
    posterior_predictive,
)
from algoattr.backtest.scoring import central_interval, observed, score
from algoattr.errors import UsageError
from algoattr.fitting import fit_imagenet, fit_lm
from algoattr.intervals import CI_PROB
from algoattr.model.design import IMAGENET_TASK, LM_TASK, RULE_SETS, SelectionRules, resolve_rules
from algoattr.model.results import FitResult
from algoattr.model.sampling import SamplerSettings
from algoattr.pipeline.fits import fast_or_full, task_of

log = logging.getLogger("algoattr.backtest")
#: The scale on which errors are scored, per task.
SCALE = {LM_TASK: "log perplexity", IMAGENET_TASK: "logit top-1 accuracy"}


# ----------------------------------------------------------------------------- one cut-off


def bayes_method(variant: str) -> str:
    """Name of the Bayesian method fitting ``variant``: ``bayes`` for the default law,
    ``bayes[<variant>]`` for the others."""
    return "bayes" if variant == "both" else f"bayes[{variant}]"


def is_bayes(methods: pd.Series) -> pd.Series:
    """Which entries of a ``method`` column are Bayesian fits (any variant)."""
    return methods.astype(str).str.match(r"^bayes(\[|$)")


def cutoff_seed(seed: int, cutoff: int) -> int:
    """Seed of every random step at ``cutoff``: a function of the run's seed and the year
    only, so adding a cut-off leaves the others' numbers unchanged."""
    return int(np.random.SeedSequence([seed, cutoff]).generate_state(1)[0])


def bayes_fit(
    train: pd.DataFrame,
    excluded: pd.DataFrame,
    task: str,
    benchmarks: list[str],
    settings: SamplerSettings,
    likelihood: str = "normal",
    variant: str = "both",
) -> FitResult:
    """The Bayesian fit of one cut-off: one LM ``variant`` (default ``both``), no
    comparison, no CEG. ImageNet has one law (``variant`` must be ``both``)."""
    if task == LM_TASK:
        return fit_lm(
            train,
            excluded,
            benchmarks,
            settings=settings,
            variant=variant,
            likelihood=likelihood,
            compare=False,
            transformer_ceg=False,
            progressbar=False,
        )
    if variant != "both":
        raise UsageError(f"ImageNet has one law; variant {variant!r} is for language models")
    return fit_imagenet(
        train, excluded, settings=settings, likelihood=likelihood, progressbar=False
    )


Fitter = Callable[..., FitResult]


def backtest_cutoff(
    df: pd.DataFrame,
    task: str,
    benchmarks: list[str],
    cutoff: int,
    *,
    rules: SelectionRules,
    settings: SamplerSettings,
    n_boot: int = 100,
    seed: int = 0,
    likelihood: str = "normal",
    fitter: Fitter = bayes_fit,
    variants: Sequence[str] = ("both",),
) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Fit both methods at ``cutoff``, predict the held-out rows, score them.

    Parameters
    ----------
    df : pandas.DataFrame
        All evaluation rows of the benchmarks (before selection).
    task : str
        ``"language_modelling"`` or ``"image_classification"``.
    benchmarks : list of str
        Benchmark ids.
    cutoff : int
        Cut-off year ``T``.
    rules : SelectionRules
        Selection rules (resolved, see :func:`algoattr.fit.resolve_rules`).
    settings : SamplerSettings
        Sampler settings; the seed is replaced by :func:`cutoff_seed`.
    n_boot : int
        Bootstrap refits of the papers' estimator.
    seed : int
        Seed of the run.
    likelihood : str
        Residual distribution of the Bayesian fit.
    fitter : callable
        ``fitter(train, excluded, task, benchmarks, settings, likelihood, variant=...) ->
        FitResult`` (default :func:`bayes_fit`; tests pass a stand-in).
    variants : sequence of str
        LM variants fitted and scored at the cut-off (:data:`PREDICTABLE_VARIANTS`); each is
        a method of its own, ``bayes`` for ``both`` and ``bayes[<variant>]`` for the others,
        with the same seed and rows.

    Returns
    -------
    scores : list of dict
        One record per method (see :func:`score`, plus doubling time, counts, diagnostics).
    predictions : pandas.DataFrame
        One row per (method, held-out row): observed, point and 50% / 90% interval.
    """
    t0 = time.perf_counter()
    s = cutoff_seed(seed, cutoff)
    train, excluded, test = check_cutoff(df, task, rules, cutoff)
    if task == LM_TASK:
        seen = set(train["benchmark"].astype(str))
        ok = test["benchmark"].astype(str).isin(seen).to_numpy()
    else:
        ok = np.ones(len(test), dtype=bool)
    n_unpredictable = int((~ok).sum())
    test = test[ok]
    y = observed(test, task)
    rng = np.random.default_rng([s, 1])
    cutoff_settings = SamplerSettings(**{**settings.to_dict(), "seed": s})
    bayes: dict[str, tuple[Any, ...]] = {}
    for k, variant in enumerate(variants):
        # The default law draws from the cut-off's generator, as before variants existed;
        # each other variant has its own, so adding one changes no other method's numbers.
        vrng = rng if variant == "both" else np.random.default_rng([s, 2, k])
        t_fit = time.perf_counter()
        # also in a joblib worker, where main's filters are absent
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*BLAS.*")
            warnings.filterwarnings("ignore", category=FutureWarning)
            fit = fitter(
                train, excluded, task, benchmarks, cutoff_settings, likelihood, variant=variant
            )
        wall = time.perf_counter() - t_fit
        draws = posterior_predictive(fit, test, vrng) if len(test) else np.zeros((1, 0))
        dt = fit.headline().get("doubling_time_months", {})
        bayes[bayes_method(variant)] = (np.median(draws, axis=0), draws, dt, wall, fit)
    t_paper = time.perf_counter()
    # One BLAS thread: joblib's workers get fewer BLAS threads than the parent, and a different
    # summation order moves some SLSQP bootstrap refits, so the scores would depend on --jobs.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        paper = paper_fit(train, task, n_boot=n_boot, seed=s)
    boot_pred = paper.predict(test, paper.boots) if len(test) else np.zeros((1, 0))
    paper_point = paper.predict(test, paper.theta) if len(test) else np.zeros(0)
    resid = boot_pred + paper.resid_sd[:, None] * rng.standard_normal(boot_pred.shape)
    paper_s = time.perf_counter() - t_paper
    dt_paper = paper.doubling_time_months
    common = {
        "cutoff": cutoff,
        "n_train": len(train),
        "n_excluded": len(excluded),
        "n_unpredictable": n_unpredictable,
        "scale": SCALE[task],
        "first_test_year": float(test["year"].min()) if len(test) else float("nan"),
        "last_test_year": float(test["year"].max()) if len(test) else float("nan"),
    }
    methods = {
        **bayes,
        paper.name: (paper_point, boot_pred, dt_paper, paper_s, None),
        f"{paper.name}+resid": (paper_point, resid, dt_paper, paper_s, None),
    }
    records = []
    frames = []
    for method, (point, d, dt, wall, fit) in methods.items():
        rec = {**common, "method": method, **score(y, point, d)}
        rec.update(
            {
                "doubling_median": dt.get("median", float("nan")),
                "doubling_lower": dt.get("lower", float("nan")),
                "doubling_upper": dt.get("upper", float("nan")),
                "doubling_ci_prob": dt.get("ci_prob", CI_PROB),
                # Sampler diagnostics belong to the Bayesian fits only (empty for the others).
                "divergences": None if fit is None else fit.diagnostics.divergences,
                "diagnostics_ok": None if fit is None else fit.diagnostics.ok,
                "seed": s,
                "wall_time_s": wall,
            }
        )
        records.append(rec)
        lo50, hi50 = central_interval(d, 0.5) if len(test) else (y, y)
        lo90, hi90 = central_interval(d, 0.9) if len(test) else (y, y)
        frames.append(
            pd.DataFrame(
                {
                    "cutoff": cutoff,
                    "method": method,
                    "model": test["model"].astype(str).to_numpy(),
                    "benchmark": test["benchmark"].astype(str).to_numpy(),
                    "year": test["year"].to_numpy(float),
                    "observed": y,
                    "predicted": point,
                    "lower_50": lo50,
                    "upper_50": hi50,
                    "lower_90": lo90,
                    "upper_90": hi90,
                }
            )
        )
    log.info(
        "cut-off %d: %d rows fitted, %d held out, %.1f s",
        cutoff,
        len(train),
        len(test),
        time.perf_counter() - t0,
    )
    return records, pd.concat(frames, ignore_index=True)


# ----------------------------------------------------------------------------- the run


@dataclass
class BacktestResult:
    """Scores and predictions of a backtest.

    Attributes
    ----------
    benchmark : str
        Benchmark selection (``lm``, ``imagenet``, ...).
    task : str
        Task of the rows.
    scores : pandas.DataFrame
        One row per (cut-off, method): see :func:`backtest_cutoff`.
    predictions : pandas.DataFrame
        One row per (cut-off, method, held-out row).
    settings : SamplerSettings
        Sampler settings of the Bayesian fits (seeds per cut-off in ``scores``).
    n_boot : int
        Bootstrap refits of the papers' estimator.
    seed : int
        Seed of the run.
    wall_time_s : float
        Wall time of all cut-offs.
    extras : dict
        Provenance (rules, jobs, command).
    """

    benchmark: str
    task: str
    scores: pd.DataFrame
    predictions: pd.DataFrame
    settings: SamplerSettings
    n_boot: int
    seed: int
    wall_time_s: float
    extras: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        """The scores as a plain-text table."""
        cols = [
            "cutoff",
            "method",
            "n_train",
            "n_test",
            "median_abs_error",
            "coverage_50",
            "coverage_90",
            "doubling_median",
            "doubling_lower",
            "doubling_upper",
        ]
        head = (
            f"backtest of {self.benchmark} ({SCALE[self.task]}): {self.scores['cutoff'].nunique()} "
            f"cut-offs, {self.settings.chains} chains x {self.settings.draws} draws, "
            f"{self.n_boot} bootstrap refits, seed {self.seed}, {self.wall_time_s:.1f} s"
        )
        return head + "\n" + self.scores[cols].to_string(index=False, float_format="%.3g")


def run_backtest(
    df: pd.DataFrame,
    task: str,
    benchmarks: list[str],
    cutoffs: Sequence[int] | None = None,
    *,
    benchmark: str | None = None,
    rules: SelectionRules | None = None,
    settings: SamplerSettings | None = None,
    n_boot: int = 100,
    seed: int = 0,
    jobs: int = 1,
    likelihood: str = "normal",
    fitter: Fitter = bayes_fit,
    variants: Sequence[str] = ("both",),
) -> BacktestResult:
    """Backtest every cut-off, in parallel over cut-offs with joblib.

    Parameters
    ----------
    df : pandas.DataFrame
        All evaluation rows of ``benchmarks`` (before selection).
    task : str
        Task of the rows.
    benchmarks : list of str
        Benchmark ids.
    cutoffs : sequence of int, optional
        Cut-off years; default :func:`default_cutoffs`.
    benchmark : str, optional
        Name of the selection (for outputs); default the joined ids.
    rules : SelectionRules, optional
        Selection rules; default the project's (``RULE_SETS["default"]``).
    settings : SamplerSettings, optional
        Sampler settings; default the fast ones (:func:`algoattr.fit.fast_or_full`).
    n_boot : int
        Bootstrap refits of the papers' estimator.
    seed : int
        Seed; each cut-off's seed is :func:`cutoff_seed` of it.
    jobs : int
        Parallel worker processes (1: in this process).
    likelihood : str
        Residual distribution of the Bayesian fits.
    fitter : callable
        See :func:`backtest_cutoff`.
    variants : sequence of str
        LM variants to fit and score (see :func:`backtest_cutoff`); ImageNet: ``("both",)``.

    Returns
    -------
    BacktestResult
    """
    variants = list(dict.fromkeys(variants))
    bad = [v for v in variants if v not in PREDICTABLE_VARIANTS]
    if bad or not variants:
        raise UsageError(
            f"backtest variants must be among {', '.join(PREDICTABLE_VARIANTS)}, got "
            f"{', '.join(bad) or 'none'}"
        )
    if task != LM_TASK and variants != ["both"]:
        raise UsageError("ImageNet has one law; --variants is for language models")
    rules = resolve_rules(rules or RULE_SETS["default"], task, False)
    settings = settings or fast_or_full(True, seed=seed)
    cutoffs = list(cutoffs) if cutoffs else default_cutoffs(df, task, rules)
    if not cutoffs:
        raise UsageError(
            f"no cut-off year leaves {MIN_TRAIN_ROWS} rows to fit and {MIN_TEST_ROWS} to predict"
        )
    for t in cutoffs:  # refuse a bad cut-off before any fit runs
        check_cutoff(df, task, rules, t)
    kwargs = dict(
        rules=rules,
        settings=settings,
        n_boot=n_boot,
        seed=seed,
        likelihood=likelihood,
        fitter=fitter,
        variants=tuple(variants),
    )
    t0 = time.perf_counter()
    if jobs == 1:
        parts = [backtest_cutoff(df, task, benchmarks, t, **kwargs) for t in cutoffs]
    else:
        from joblib import Parallel, delayed

        parts = Parallel(n_jobs=min(jobs, len(cutoffs)))(
            delayed(backtest_cutoff)(df, task, benchmarks, t, **kwargs) for t in cutoffs
        )
    wall = time.perf_counter() - t0
    scores = pd.DataFrame([r for recs, _ in parts for r in recs])
    predictions = pd.concat([p for _, p in parts], ignore_index=True)
    return BacktestResult(
        benchmark=benchmark or "+".join(benchmarks),
        task=task,
        scores=scores,
        predictions=predictions,
        settings=settings,
        n_boot=n_boot,
        seed=seed,
        wall_time_s=wall,
        extras={
            "rules": rules.__dict__,
            "rules_text": rules.describe(),
            "jobs": jobs,
            "variants": list(variants),
        },
    )


def load_backtest_rows(
    benchmark: str, data_root: Path | None = None
) -> tuple[pd.DataFrame, str, list[str]]:
    """The curated rows of ``benchmark``, their task and benchmark ids."""
    from algoattr.data import load_benchmarks, load_evaluations, resolve_benchmarks

    try:
        ids = resolve_benchmarks(benchmark, root=data_root)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    task = task_of(ids, load_benchmarks(root=data_root))
    df = load_evaluations(ids, root=data_root)
    if df.empty:
        raise UsageError(f"no rows for benchmark {benchmark!r} ({', '.join(ids)})")
    return df, task, ids
