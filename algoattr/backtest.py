"""Out-of-time backtest of the scaling-law fits: ``python -m algoattr.backtest``.

For each cut-off year ``T`` the law is fitted on the rows that were public by the end of ``T``
and predicts every later usable row from its size (parameters and tokens; ImageNet: compute
and images) and date. Two methods are scored side by side on the same rows:

- ``bayes``: the PyMC fit (:func:`algoattr.fit.fit_lm` / :func:`algoattr.fit.fit_imagenet`,
  variant ``both``, no variant comparison), its posterior predictive distribution per held-out
  row (the law at every posterior draw plus the residual ``sigma``);
- the papers' estimator (``ho2024`` for language models, ``erdil2022`` for ImageNet, as in
  :mod:`algoattr.baselines`): the full-sample point prediction, and percentile intervals of the
  bootstrap refits' predictions (intervals for the law's mean, which is what the papers'
  bootstrap gives); ``<paper>+resid`` adds a Normal residual to each bootstrap prediction
  (Ho et al.: the point fit's training RMSE; Erdil & Besiroglu: each refit's own ``σ``), a
  predictive interval of the same kind as the Bayesian one.

Scores per (cut-off, method), on the law's scale (log perplexity for language models, logit of
top-1 accuracy for ImageNet): the median absolute error of the point prediction (the posterior
predictive median for ``bayes``), the share of held-out rows inside the central 50% and 90%
intervals, and the doubling time of effective compute estimated at ``T`` (median and 95%
interval).

Cut-offs
--------
A row belongs to the fit at cut-off ``T`` when its figure was public by the end of year ``T``:
its publication date and, when the figure was first published later (``evaluation_date``),
that date too, fall in year ``T`` or earlier. The selection rules (the project's default, as
``python -m algoattr.fit``) are applied to those rows alone, so no later row can change which
earlier rows are kept (the best-3-per-paper rule). The held-out rows are the rows that the same
rules keep on the full data and that are not public by the end of ``T``. Held-out rows of a
benchmark that has no row in the fit cannot be predicted (their constants are unknown); they
are counted in ``n_unpredictable``.

Examples
--------
::

    python -m algoattr.backtest --benchmark lm --fast --jobs 2
    python -m algoattr.backtest --benchmark imagenet --cutoffs 2018,2020 --out /tmp/bt
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr import __version__, baselines, law
from algoattr.cli import add_debug_argument, command, nonnegative_int, positive_int
from algoattr.errors import UsageError
from algoattr.fit import (
    BENCHMARK_CHOICES,
    default_out_dir,
    fast_or_full,
    fit_imagenet,
    fit_lm,
    resolve_rules,
    stem_of,
    task_of,
)
from algoattr.model.design import IMAGENET_TASK, LM_TASK, RULE_SETS, SelectionRules, select_rows
from algoattr.model.results import FitResult
from algoattr.model.sampling import SAMPLERS, SamplerSettings

log = logging.getLogger("algoattr.backtest")

#: Central interval levels whose coverage is scored.
LEVELS = (0.5, 0.9)
#: Default cut-offs are the years with at least this many rows in the fit ...
MIN_TRAIN_ROWS = 20
#: ... and at least this many held-out rows.
MIN_TEST_ROWS = 5
#: A cut-off given with ``--cutoffs`` needs at least this many rows in the fit (the LM law has
#: up to 10 parameters with benchmark constants).
MIN_FIT_ROWS = 10
#: Range of the doubling-time axis (months); interval ends beyond it are drawn as arrows.
DOUBLING_AXIS_MONTHS = (0.5, 240.0)
#: Method id of the papers' estimator per task.
PAPER_METHOD = {LM_TASK: "ho2024", IMAGENET_TASK: "erdil2022"}
#: The scale on which errors are scored, per task.
SCALE = {LM_TASK: "log perplexity", IMAGENET_TASK: "logit top-1 accuracy"}


# ----------------------------------------------------------------------------- splitting


def available_year(rows: pd.DataFrame) -> pd.Series:
    """Calendar year by whose end each row's figure was public.

    The year of ``publication_date`` or, when later, of ``evaluation_date`` (a figure first
    published after its method). Rows without ``publication_date`` fall back to ``year``.
    """
    if "publication_date" in rows:
        pub = pd.to_datetime(rows["publication_date"]).dt.year.astype(float)
    else:
        pub = np.floor(rows["year"].astype(float))
    if "evaluation_date" in rows:
        ev = pd.to_datetime(rows["evaluation_date"]).dt.year.astype(float)
        pub = np.fmax(pub, ev.fillna(-np.inf))
    return pd.Series(np.asarray(pub, float), index=rows.index)


def split_at(rows: pd.DataFrame, cutoff: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows public by the end of year ``cutoff``, and the rest (see :func:`available_year`).

    Parameters
    ----------
    rows : pandas.DataFrame
        Evaluation rows.
    cutoff : int
        Cut-off calendar year ``T``.

    Returns
    -------
    before, after : pandas.DataFrame
        Rows public in year ``T`` or earlier, and rows public later; input order kept.
    """
    early = available_year(rows) <= cutoff
    return rows[early], rows[~early]


def cutoff_rows(
    df: pd.DataFrame, task: str, rules: SelectionRules, cutoff: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The rows a fit at ``cutoff`` uses, those it excludes, and the held-out rows.

    The rules are applied to the rows public by the end of ``cutoff`` alone; the held-out
    rows are those the rules keep on all of ``df`` that are public later.

    Returns
    -------
    train, excluded, test : pandas.DataFrame
    """
    early, _ = split_at(df, cutoff)
    train, excluded = select_rows(early, task, rules)
    kept, _ = select_rows(df, task, rules)
    _, test = split_at(kept, cutoff)
    return train, excluded, test


def default_cutoffs(df: pd.DataFrame, task: str, rules: SelectionRules) -> list[int]:
    """Years with at least :data:`MIN_TRAIN_ROWS` rows to fit and :data:`MIN_TEST_ROWS` to
    predict."""
    years = available_year(df)
    out = []
    for t in range(int(years.min()), int(years.max()) + 1):
        train, _, test = cutoff_rows(df, task, rules, t)
        if len(train) >= MIN_TRAIN_ROWS and len(test) >= MIN_TEST_ROWS:
            out.append(t)
    return out


def check_cutoff(
    df: pd.DataFrame, task: str, rules: SelectionRules, cutoff: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """:func:`cutoff_rows`, raising :class:`~algoattr.errors.UsageError` when the fit would
    have fewer than :data:`MIN_FIT_ROWS` rows or nothing is left to predict."""
    train, excluded, test = cutoff_rows(df, task, rules, cutoff)
    if len(train) < MIN_FIT_ROWS:
        raise UsageError(
            f"cut-off {cutoff}: {len(train)} rows public by the end of {cutoff} pass the "
            f"selection rules; a fit needs at least {MIN_FIT_ROWS}"
        )
    if test.empty:
        raise UsageError(f"cut-off {cutoff}: no usable row was published after {cutoff}")
    return train, excluded, test


# ----------------------------------------------------------------------------- scoring


def central_interval(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Central ``level`` interval per column of ``draws`` (draws on the first axis)."""
    lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return lo, hi


def coverage(y: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> float:
    """Share of ``y`` inside ``[lo, hi]`` (NaN when there is no value)."""
    y = np.asarray(y, float)
    if y.size == 0:
        return float("nan")
    return float(np.mean((y >= lo) & (y <= hi)))


def score(
    y: np.ndarray, point: np.ndarray, draws: np.ndarray, levels: Sequence[float] = LEVELS
) -> dict[str, float]:
    """Median absolute error of ``point`` and coverage of the central intervals of ``draws``.

    Parameters
    ----------
    y : numpy.ndarray
        Observed values, one per held-out row.
    point : numpy.ndarray
        Point predictions, one per row.
    draws : numpy.ndarray
        ``(draws, rows)`` predictive (or bootstrap) draws.
    levels : sequence of float
        Interval levels.

    Returns
    -------
    dict
        ``n_test``, ``median_abs_error`` and ``coverage_<percent>`` per level.
    """
    y = np.asarray(y, float)
    out: dict[str, float] = {
        "n_test": int(y.size),
        "median_abs_error": float(np.median(np.abs(point - y))) if y.size else float("nan"),
    }
    for level in levels:
        lo, hi = central_interval(draws, level) if y.size else (y, y)
        out[f"coverage_{round(100 * level)}"] = coverage(y, lo, hi)
    return out


def observed(rows: pd.DataFrame, task: str) -> np.ndarray:
    """Observed values on the law's scale: log perplexity, or logit of top-1 accuracy."""
    value = rows["value"].to_numpy(float)
    if task == LM_TASK:
        return np.log(value)
    return np.asarray(law.logit(1.0 - value / 100.0))


# ----------------------------------------------------------------------------- predictions


def law_mean(fit: FitResult, rows: pd.DataFrame) -> np.ndarray:
    """``(draws, rows)`` of the law's mean for ``rows`` at every posterior draw of ``fit``.

    Every row's benchmark must be in the fit (language models).
    """
    if fit.task == IMAGENET_TASK:
        p = fit.draws_for()
        acc = law.imagenet_accuracy(
            rows["year"].to_numpy(float)[None, :],
            rows["training_compute_flop"].to_numpy(float)[None, :],
            rows["training_images"].to_numpy(float)[None, :],
            **{k: v[:, None] for k, v in p.items()},
        )
        return np.asarray(law.logit(acc))
    n_draws = fit.draws("sigma").shape[0]
    out = np.empty((n_draws, len(rows)))
    bench = rows["benchmark"].astype(str).to_numpy()
    for b in np.unique(bench):
        cols = np.flatnonzero(bench == b)
        sub = rows.iloc[cols]
        p = fit.draws_for(b)
        out[:, cols] = law.lm_log_perplexity(
            sub["year"].to_numpy(float)[None, :],
            sub["parameters"].to_numpy(float)[None, :],
            sub["training_tokens"].to_numpy(float)[None, :],
            ref=fit.reference,
            **{k: v[:, None] for k, v in p.items()},
        )
    return out


def posterior_predictive(
    fit: FitResult, rows: pd.DataFrame, rng: np.random.Generator
) -> np.ndarray:
    """``(draws, rows)`` posterior predictive draws: the law's mean plus the residual.

    The residual is Normal(0, ``sigma``) or, for a Student-t fit, ``sigma`` times a
    Student-t(``nu``) draw, one per posterior draw and row.
    """
    mu = law_mean(fit, rows)
    sigma = fit.draws("sigma")[:, None]
    if "nu" in fit.idata.posterior:
        eps = rng.standard_t(np.broadcast_to(fit.draws("nu")[:, None], mu.shape))
    else:
        eps = rng.standard_normal(mu.shape)
    return mu + sigma * eps


@dataclass
class PaperFit:
    """The papers' estimator on one set of rows: point fit and bootstrap refits.

    Attributes
    ----------
    name : str
        ``"ho2024"`` or ``"erdil2022"``.
    theta : numpy.ndarray
        Full-sample fit.
    boots : numpy.ndarray
        ``(n_boot, p)`` bootstrap refits (Erdil & Besiroglu: the full-sample fit is the first).
    doubling_time_months : dict
        As :attr:`algoattr.baselines.BaselineResult.doubling_time_months`.
    train : pandas.DataFrame
        Rows fitted.
    resid_sd : numpy.ndarray
        Residual scale per bootstrap fit, on the law's scale.
    """

    name: str
    theta: np.ndarray
    boots: np.ndarray
    doubling_time_months: dict[str, float]
    train: pd.DataFrame
    resid_sd: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def predict(self, rows: pd.DataFrame, theta: np.ndarray) -> np.ndarray:
        """Predictions for ``rows`` on the law's scale, ``(len(theta), rows)`` for a 2-d
        ``theta`` (one fit per row of it)."""
        thetas = np.atleast_2d(theta)
        if self.name == "erdil2022":
            d = baselines.ErdilDesign.from_frame(rows)
            kw = {k: thetas[:, j, None] for j, k in enumerate(baselines.ERDIL_PARAMS[:6])}
            out = np.asarray(law.logit(law.imagenet_accuracy(d.year, d.compute, d.images, **kw)))
        else:
            train = baselines.HoDesign.from_frame(self.train)
            both = baselines.HoDesign.from_frame(pd.concat([self.train, rows]), ref=train.ref)
            if both.dummy_names != train.dummy_names or both.base != train.base:
                raise ValueError("held-out rows of a benchmark the fit has not seen")
            test = both.subset(np.arange(len(self.train), len(self.train) + len(rows)))
            out = np.array([test.predict(t) for t in thetas])
        return out[0] if np.ndim(theta) == 1 else out


def paper_fit(train: pd.DataFrame, task: str, *, n_boot: int, seed: int) -> PaperFit:
    """Fit the papers' estimator with ``n_boot`` bootstrap refits.

    The same fits, in the same order and from the same seed, as
    :func:`algoattr.baselines.ho2024_estimator` and
    :func:`algoattr.baselines.erdil2022_estimator`, kept so that they can predict.
    """
    rng = np.random.default_rng(seed)
    if task == LM_TASK:
        design = baselines.HoDesign.from_frame(train)
        names = design.param_names
        theta = baselines.ho2024_fit(design)
        n = len(design.year)
        boots = np.empty((n_boot, len(names)))
        for i in range(n_boot):
            sub = design.subset(rng.integers(0, n, n))
            boots[i] = baselines.ho2024_fit(sub, theta0=theta)

        def rate(t: np.ndarray) -> float:
            return baselines._ho_rate(dict(zip(names, t, strict=True)))

        rates = np.array([rate(b) for b in boots])
        point_rate = rate(theta)
        rmse = float(np.sqrt(np.mean((design.predict(theta) - design.log_ppl) ** 2)))
        resid = np.full(n_boot, rmse)
        name = "ho2024"
    else:
        design = baselines.ErdilDesign.from_frame(train)
        theta = baselines.erdil2022_fit(design)
        n = len(design.year)
        fits = [theta]
        for _ in range(max(n_boot - 1, 0)):
            sub = design.subset(rng.integers(0, n, n))
            fits.append(baselines.erdil2022_fit(sub, theta0=theta))
        boots = np.array(fits)
        rates = law.LN2 / law.imagenet_doubling_time_years(boots[:, 1], boots[:, 2])
        resid = np.exp(boots[:, 6])
        point_rate = float(law.LN2 / law.imagenet_doubling_time_years(theta[1], theta[2]))
        name = "erdil2022"
    return PaperFit(
        name=name,
        theta=theta,
        boots=boots,
        doubling_time_months=baselines.doubling_summary(point_rate, rates),
        train=train.reset_index(drop=True),
        resid_sd=resid,
    )


# ----------------------------------------------------------------------------- one cut-off


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
) -> FitResult:
    """The Bayesian fit of one cut-off: variant ``both``, no comparison, no CEG."""
    if task == LM_TASK:
        return fit_lm(
            train,
            excluded,
            benchmarks,
            settings=settings,
            variant="both",
            likelihood=likelihood,
            compare=False,
            transformer_ceg=False,
            progressbar=False,
        )
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
        ``fitter(train, excluded, task, benchmarks, settings, likelihood) -> FitResult``
        (default :func:`bayes_fit`; tests pass a stand-in).

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
    t_fit = time.perf_counter()
    with warnings.catch_warnings():  # also in a joblib worker, where main's filters are absent
        warnings.filterwarnings("ignore", message=".*BLAS.*")
        warnings.filterwarnings("ignore", category=FutureWarning)
        fit = fitter(train, excluded, task, benchmarks, cutoff_settings, likelihood)
    bayes_s = time.perf_counter() - t_fit
    draws = posterior_predictive(fit, test, rng) if len(test) else np.zeros((1, 0))
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
    bayes_point = np.median(draws, axis=0)
    dt_bayes = fit.headline().get("doubling_time_months", {})
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
        "bayes": (bayes_point, draws, dt_bayes, bayes_s),
        paper.name: (paper_point, boot_pred, dt_paper, paper_s),
        f"{paper.name}+resid": (paper_point, resid, dt_paper, paper_s),
    }
    records = []
    frames = []
    for method, (point, d, dt, wall) in methods.items():
        rec = {**common, "method": method, **score(y, point, d)}
        rec.update(
            {
                "doubling_median": dt.get("median", float("nan")),
                "doubling_lower": dt.get("lower", float("nan")),
                "doubling_upper": dt.get("upper", float("nan")),
                "doubling_level": dt.get("level", 0.95),
                # Sampler diagnostics belong to the Bayesian fit only (empty for the others).
                "divergences": fit.diagnostics.divergences if method == "bayes" else None,
                "diagnostics_ok": fit.diagnostics.ok if method == "bayes" else None,
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

    Returns
    -------
    BacktestResult
    """
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
        extras={"rules": rules.__dict__, "rules_text": rules.describe(), "jobs": jobs},
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


# ----------------------------------------------------------------------------- outputs


def write_outputs(result: BacktestResult, out_dir: str | Path) -> dict[str, Path]:
    """Write ``backtest_<stem>.csv`` (scores), ``backtest_<stem>_predictions.csv`` and the
    HTML report with its manifest; returns the paths."""
    from algoattr.outputs import output_folder, write_csv

    out = output_folder(out_dir)
    stem = f"backtest_{stem_of(result.benchmark)}"
    paths = {
        "scores": write_csv(result.scores, out / f"{stem}.csv"),
        "predictions": write_csv(result.predictions, out / f"{stem}_predictions.csv"),
    }
    paths["report"] = build_backtest_report(
        result, out, stem, [paths["scores"], paths["predictions"]]
    )
    return paths


def doubling_figure(scores: pd.DataFrame) -> Any:
    """Doubling time estimated at each cut-off, median and 95% interval, per method.

    Interval ends beyond :data:`DOUBLING_AXIS_MONTHS` (an infinite upper end when the rate's
    lower bound is ≤ 0) are drawn at the edge of the axes with a triangle.
    """
    from algoattr.plots import _figure

    fig = _figure(6.5, 3.6)
    ax = fig.add_subplot()
    keep = scores[~scores["method"].str.endswith("+resid")]
    methods = list(dict.fromkeys(keep["method"]))
    finite = keep[["doubling_median", "doubling_lower", "doubling_upper"]].to_numpy(float)
    finite = finite[np.isfinite(finite) & (finite > 0)]
    # Bootstrap refits whose exponent collapses give rates near infinity (doubling times of
    # 1e-9 months); the axes show DOUBLING_AXIS_MONTHS and mark the ends beyond it.
    floor, ceiling = DOUBLING_AXIS_MONTHS
    top = float(np.clip(finite.max() * 1.5, 12.0, ceiling)) if finite.size else ceiling
    bottom = float(np.clip(finite.min() / 1.5, floor, 3.0)) if finite.size else floor
    for j, m in enumerate(methods):
        d = keep[keep["method"] == m]
        x = d["cutoff"].to_numpy(float) + (j - (len(methods) - 1) / 2) * 0.15
        med = d["doubling_median"].to_numpy(float)
        lo = d["doubling_lower"].to_numpy(float)
        hi = d["doubling_upper"].to_numpy(float)
        open_top = ~np.isfinite(hi) | (hi > top)
        open_bottom = lo < bottom
        hi = np.where(open_top, top, hi)
        lo = np.where(open_bottom, bottom, lo)
        med_shown = np.clip(np.where(np.isfinite(med), med, top), bottom, top)
        line = ax.errorbar(
            x,
            med_shown,
            yerr=[med_shown - lo, hi - med_shown],
            fmt="o",
            capsize=3,
            label=f"{m} (median, 95% interval)",
        )
        colour = line[0].get_color()
        if open_top.any():
            ax.plot(x[open_top], hi[open_top], "^", color=colour, ms=6)
        if open_bottom.any():
            ax.plot(x[open_bottom], lo[open_bottom], "v", color=colour, ms=6)
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ax.set_yscale("log")
    ax.set_ylim(bottom, top * 1.1)
    ax.yaxis.set_major_locator(FixedLocator([1, 2, 3, 6, 12, 24, 48, 96, 192]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("cut-off year T (rows public by the end of T)")
    ax.set_ylabel("doubling time (months)")
    years = sorted(int(t) for t in keep["cutoff"].unique())
    ax.set_xticks(years, [str(t) for t in years])
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    return fig


def predicted_figure(predictions: pd.DataFrame, scale: str) -> Any:
    """Predicted against observed for the held-out rows, with 90% intervals, per method."""
    from algoattr.plots import _figure

    keep = predictions[~predictions["method"].str.endswith("+resid")]
    methods = list(dict.fromkeys(keep["method"]))
    fig = _figure(3.4 * len(methods), 3.6)
    axes = fig.subplots(1, len(methods), sharex=True, sharey=True, squeeze=False)[0]
    cutoffs = sorted(keep["cutoff"].unique())
    import seaborn as sns

    colours = dict(zip(cutoffs, sns.color_palette("viridis", len(cutoffs)), strict=True))
    lo = float(np.nanmin(keep[["observed", "lower_90"]].to_numpy(float)))
    hi = float(np.nanmax(keep[["observed", "upper_90"]].to_numpy(float)))
    for ax, m in zip(axes, methods, strict=True):
        d = keep[keep["method"] == m]
        for t in cutoffs:
            e = d[d["cutoff"] == t]
            ax.errorbar(
                e["observed"],
                e["predicted"],
                yerr=[e["predicted"] - e["lower_90"], e["upper_90"] - e["predicted"]],
                fmt="o",
                ms=3,
                elinewidth=0.6,
                alpha=0.7,
                color=colours[t],
                label=f"T = {t}",
            )
        ax.plot([lo, hi], [lo, hi], color="0.3", lw=0.8, ls="--")
        ax.set_title(m)
        ax.set_xlabel(f"observed ({scale})")
    axes[0].set_ylabel(f"predicted ({scale}), 90% interval")
    axes[-1].legend(fontsize="x-small", title="cut-off")
    return fig


#: The backtest report; extends the package's base template and macros.
REPORT_TEMPLATE = """{% extends "base.html" %}
{% import "macros.html" as m with context %}
{% block header %}
<h1 id="header">{{ header.title }}</h1>
<p>algoattr {{ header.package_version }}; built {{ header.report_date }}. {{ header.subtitle }}</p>
{% endblock %}
{% block content %}
<section id="method">
<h2>What is scored</h2>
<p>For each cut-off year T the law is fitted on the rows whose figures were public by the end
of T (selection: {{ rules_text }}) and predicts every later usable row from its size and date,
on the scale of the law ({{ scale }}). <b>bayes</b>: the posterior predictive distribution
(the law at each posterior draw plus the residual). <b>{{ paper }}</b>: the papers' estimator
({{ m.cite(paper) }}), its full-sample point prediction and the percentile interval of
{{ n_boot }} bootstrap refits' predictions, an interval for the law's mean as the papers report
it; <b>{{ paper }}+resid</b> adds a Normal residual to each bootstrap prediction.
A calibrated 50% (90%) interval covers about 50% (90%) of the held-out rows. The doubling time
is the one each method estimates from the rows public at T. Held-out rows of a benchmark with
no row in the fit have no fitted constants and are counted as not predictable.</p>
</section>
<section id="scores">
<h2>Scores by cut-off</h2>
{{ m.table(scores) }}
</section>
<section id="figures">
<h2>Figures</h2>
{{ m.figure(doubling) }}
{{ m.figure(predicted) }}
</section>
<section id="reproduce">
<h2>Reproduce</h2>
<pre>{{ command }}</pre>
<p>Sampler: {{ settings_text }}. Wall time {{ wall|num }} s with {{ jobs }} job(s).</p>
{{ m.notes(notes) }}
{{ m.versions(versions) }}
</section>
{% endblock %}
"""


def build_backtest_report(
    result: BacktestResult, out_dir: Path, stem: str, outputs: Sequence[Path] = ()
) -> Path:
    """Write ``<out_dir>/<stem>.html`` (self-contained, inline SVG figures) and its manifest.

    The index (:func:`algoattr.report.builder.build_index`) lists it like every report with
    a manifest.
    """
    import datetime as dt

    from algoattr.outputs import write_text
    from algoattr.report import builder

    notes: list[str] = []
    columns = {
        "cutoff": "Cut-off T",
        "method": "Method",
        "n_train": "Rows fitted",
        "n_test": "Rows predicted",
        "n_unpredictable": "Not predictable",
        "median_abs_error": "Median |error|",
        "coverage_50": "50% coverage",
        "coverage_90": "90% coverage",
        "doubling": "Doubling time at T, months [95%]",
        "divergences": "Divergences",
    }
    table = result.scores.copy()
    table["doubling"] = [
        builder.fmt_interval(r.doubling_median, r.doubling_lower, r.doubling_upper)
        for r in table.itertuples()
    ]
    scale = SCALE[result.task]
    doubling = builder._safe_figure(
        lambda: doubling_figure(result.scores),
        "Doubling time against cut-off year: median and 95% interval per method",
        "Doubling time of effective compute estimated from the rows public at each cut-off "
        "(a triangle: the interval runs beyond the axes, upward to infinity when the rate's "
        "lower bound is <= 0; a median drawn at the top edge is infinite).",
        notes,
    )
    predicted = builder._safe_figure(
        lambda: predicted_figure(result.predictions, scale),
        "Predicted against observed for the held-out rows, with 90% intervals",
        f"Held-out rows at every cut-off ({scale}); the dashed line is a perfect prediction.",
        notes,
    )
    if not result.scores.loc[result.scores["method"] == "bayes", "diagnostics_ok"].all():
        notes.append("The sampler's diagnostics failed at some cut-off (see the CSV).")
    s = result.settings
    ctx = {
        "header": {
            "title": f"Out-of-time backtest: {result.benchmark}",
            "subtitle": f"{result.scores['cutoff'].nunique()} cut-offs.",
            "report_date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "package_version": __version__,
        },
        "rules_text": result.extras.get("rules_text", ""),
        "scale": scale,
        "paper": PAPER_METHOD[result.task],
        "n_boot": result.n_boot,
        "scores": builder.make_table(
            table,
            columns=columns,
            formats={"cutoff": str},
            caption=f"Errors and coverage on the {scale} scale; doubling time of effective "
            "compute in months.",
        ),
        "doubling": doubling,
        "predicted": predicted,
        "command": result.extras.get(
            "command", f"python -m algoattr.backtest --benchmark {result.benchmark}"
        ),
        "settings_text": f"{s.sampler}, {s.chains} chains x {s.draws} draws after {s.tune} "
        f"warm-up steps, target acceptance {s.target_accept}; run seed {result.seed}",
        "wall": result.wall_time_s,
        "jobs": result.extras.get("jobs", 1),
        "notes": notes,
        "versions": builder.versions(),
    }
    env = builder._environment()
    css = (builder.TEMPLATES / "style.css").read_text(encoding="utf-8")
    html = env.from_string(REPORT_TEMPLATE).render(css=css, citations=builder.CITATIONS, **ctx)
    path = write_text(out_dir / f"{stem}.html", html)
    bayes = result.scores[result.scores["method"] == "bayes"]
    builder.write_manifest(
        path,
        kind="backtest",
        title=ctx["header"]["title"],
        inputs=builder._benchmark_files(result.extras.get("benchmarks", []), None),
        outputs=list(outputs),
        diagnostics={
            "ok": bool(bayes["diagnostics_ok"].all()),
            "divergences": int(bayes["divergences"].sum()),
        },
        extra={
            "command": ctx["command"],
            "seed": result.seed,
            "settings": s.to_dict(),
            "n_boot": result.n_boot,
            "cutoffs": sorted(int(t) for t in result.scores["cutoff"].unique()),
            "notes": notes,
        },
    )
    return path


# ----------------------------------------------------------------------------- CLI


def cutoff_list(text: str) -> list[int]:
    """``2016,2017,2018`` as a list of distinct years (argparse type)."""
    years = []
    for part in text.split(","):
        try:
            year = int(part.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be comma-separated years such as 2016,2018, got {text!r}"
            ) from None
        if not 1990 <= year <= 2100:
            raise argparse.ArgumentTypeError(f"a cut-off year must lie in 1990-2100, got {year}")
        years.append(year)
    return sorted(set(years))


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m algoattr.backtest``."""
    p = argparse.ArgumentParser(
        prog="python -m algoattr.backtest",
        description="Out-of-time backtest: fit on rows public by each cut-off year, predict "
        "the later rows, score errors, interval coverage and the doubling time, for the "
        "Bayesian fit and the papers' estimator.",
    )
    p.add_argument("--benchmark", required=True, choices=BENCHMARK_CHOICES)
    p.add_argument(
        "--cutoffs",
        type=cutoff_list,
        default=None,
        metavar="YEARS",
        help="comma-separated cut-off years (default: every year leaving "
        f"{MIN_TRAIN_ROWS} rows to fit and {MIN_TEST_ROWS} to predict)",
    )
    p.add_argument("--jobs", type=positive_int, default=1, help="cut-offs fitted in parallel")
    p.add_argument("--seed", type=nonnegative_int, default=0)
    p.add_argument("--fast", action="store_true", help="2 chains x 500 draws per cut-off")
    p.add_argument("--sampler", choices=SAMPLERS, default="nutpie")
    p.add_argument("--draws", type=positive_int, help="posterior draws per chain")
    p.add_argument("--tune", type=positive_int, help="warm-up steps per chain")
    p.add_argument("--chains", type=positive_int, help="number of chains")
    p.add_argument(
        "--bootstrap", type=positive_int, default=100, help="bootstrap refits of the estimator"
    )
    p.add_argument(
        "--out",
        default=None,
        help="output folder (default: reports/, or reports/fast/ for --fast or shorter "
        "sampler settings, as python -m algoattr.fit)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    add_debug_argument(p)
    return p


@command("python -m algoattr.backtest")
def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 data error, 2 usage error, 130
    interrupted; errors are one line on standard error)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(message)s")
    for name in ("pymc", "pytensor", "arviz", "numba"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*BLAS.*")
    base = fast_or_full(args.fast, args.sampler, args.seed)
    settings = SamplerSettings(
        sampler=args.sampler,
        draws=args.draws or base.draws,
        tune=args.tune or base.tune,
        chains=args.chains or base.chains,
        seed=args.seed,
        target_accept=base.target_accept,
    )
    df, task, ids = load_backtest_rows(args.benchmark)
    out_dir = args.out or default_out_dir(settings, args.fast)
    result = run_backtest(
        df,
        task,
        ids,
        args.cutoffs,
        benchmark=args.benchmark,
        settings=settings,
        n_boot=args.bootstrap,
        seed=args.seed,
        jobs=args.jobs,
    )
    result.extras["benchmarks"] = ids
    result.extras["command"] = "python -m algoattr.backtest " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    print(result.summary())
    paths = write_outputs(result, out_dir)
    print("\nwrote:")
    for p in paths.values():
        print(f"  {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
