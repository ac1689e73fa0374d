"""Simulation-based calibration (SBC) and parameter recovery for the language-model law.

SBC (Talts et al. 2018; Modrák et al. 2023) checks the whole inference pipeline, model code and
sampler together: draw parameters ``θ̃`` from the prior, simulate a dataset ``ỹ`` from them on
the real design, fit ``ỹ``, and record where ``θ̃`` falls among the posterior draws. If the
posterior is computed correctly the rank of ``θ̃`` is uniform and every central ``q`` interval
covers ``θ̃`` with probability ``q``, whatever the prior and the design.

The core here is sampler-agnostic and small:

- :func:`rank_of`, :func:`covers`, :func:`thin`: the per-dataset arithmetic;
- :func:`coverage_summary`, :func:`rank_histogram`, :func:`format_rank_histogram`,
  :func:`uniformity_pvalue`: the summaries over datasets;
- :func:`draw_prior_datasets`: prior draws and simulated log-perplexities, with the rejection
  rule below applied and counted;
- :func:`run_sbc`: the loop, refitting every dataset with one compiled model (new ``y_obs``
  through :func:`pymc.set_data`, and nutpie's ``with_data`` via the compiled-model cache);
- :func:`simulate_lm`: data from known parameters, for recovery tests.

Rejection of absurd datasets
----------------------------
The LM priors are weakly informative; over the design's 28 years and 7 decades of size about
half of the prior draws simulate log-perplexities outside any plausible range (thousands, or
negative). :func:`draw_prior_datasets` can reject a prior draw whose simulated data are
non-finite or fall outside ``y_range`` (default ``(0, 20)``) and draws again. Rejected draws are
counted and reported, never dropped silently. This conditions the prior: the true parameters
tested are draws from ``p(θ | ỹ ∈ A)``, not from ``p(θ)``. Because the rule depends on the
simulated data only, the posterior of a kept dataset under the conditioned joint distribution
is still the ordinary posterior ``p(θ | ỹ)``, so the fitted (unconditioned) model stays the
right reference and SBC remains valid for the conditioned prior, provided the rule is applied
consistently: to every prior draw, before fitting, with the same ``A``. Rejecting on a
parameter value, or dropping a dataset after seeing its fit (divergences, slow sampling),
would break this, so :func:`run_sbc` keeps every fit it starts.

References
----------
Talts, S., Betancourt, M., Simpson, D., Vehtari, A., Gelman, A. (2018). Validating Bayesian
inference algorithms with simulation-based calibration. arXiv:1804.06788.
Modrák, M., Moon, A. H., Kim, S., Bürkner, P., Huurre, N., Faltejsková, K., Gelman, A.,
Vehtari, A. (2023). Simulation-based calibration checking for Bayesian computation: the choice
of test quantities shapes sensitivity. Bayesian Analysis.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from algoattr import law
from algoattr.model.design import LMDesign

#: Quantities checked by default: the law's exponents and rates, and the derived headline.
SBC_QUANTITIES = (
    "alpha_param",
    "beta_data",
    "alpha_year",
    "beta_year",
    "rate",
    "doubling_time_years",
)

#: Central interval levels whose coverage is reported.
SBC_LEVELS = (0.5, 0.9)

#: Default acceptance range of simulated log-perplexities (see the module docstring).
DEFAULT_Y_RANGE = (0.0, 20.0)

#: Posterior draws kept for the rank statistic: 99 draws give ranks 0..99, 100 equally likely
#: values that split evenly into 10 or 20 histogram bins.
DEFAULT_RANK_DRAWS = 99


# ----------------------------------------------------------------------------- arithmetic


def thin(draws: np.ndarray, n: int) -> np.ndarray:
    """``n`` evenly spaced draws of a flattened sample (all of them when fewer).

    Thinning reduces the autocorrelation of MCMC draws, which otherwise makes rank histograms
    ∪-shaped even for a correct posterior (Talts et al. 2018, §4.1).

    Parameters
    ----------
    draws : numpy.ndarray
        Posterior draws, any shape; flattened in C order (chain by chain).
    n : int
        Number of draws to keep.

    Returns
    -------
    numpy.ndarray
        One-dimensional array of ``min(n, draws.size)`` draws.
    """
    flat = np.asarray(draws, dtype=float).reshape(-1)
    if n >= flat.size:
        return flat
    idx = np.floor(np.arange(n) * flat.size / n).astype(int)
    return flat[idx]


def rank_of(true: float, draws: np.ndarray, rng: np.random.Generator | None = None) -> int:
    """Rank of ``true`` among ``draws``: the number of draws below it, in ``0..len(draws)``.

    Ties (possible for discrete or clipped quantities) are broken uniformly at random with
    ``rng``, so that the rank stays uniform under a correct posterior.

    Parameters
    ----------
    true : float
        The value the data were simulated from.
    draws : numpy.ndarray
        Posterior draws (flattened).
    rng : numpy.random.Generator, optional
        Generator for tie-breaking; ties count half-below deterministically without one.

    Returns
    -------
    int

    Examples
    --------
    >>> rank_of(2.5, np.array([1.0, 2.0, 3.0, 4.0]))
    2
    """
    draws = np.asarray(draws, dtype=float).reshape(-1)
    below = int(np.sum(draws < true))
    ties = int(np.sum(draws == true))
    if ties == 0:
        return below
    if rng is None:
        return below + ties // 2
    return below + int(rng.integers(0, ties + 1))


def central_interval(draws: np.ndarray, level: float) -> tuple[float, float]:
    """Equal-tailed ``level`` interval of ``draws`` (quantiles ``(1∓level)/2``)."""
    lo, hi = np.quantile(np.asarray(draws, dtype=float), [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def covers(true: float, draws: np.ndarray, level: float) -> bool:
    """Whether the central ``level`` interval of ``draws`` contains ``true`` (closed interval).

    Examples
    --------
    >>> d = np.arange(101.0)
    >>> covers(30.0, d, 0.5), covers(20.0, d, 0.5)
    (True, False)
    """
    lo, hi = central_interval(draws, level)
    return bool(lo <= true <= hi)


@dataclass(frozen=True)
class CoverageSummary:
    """Empirical coverage of central intervals over SBC datasets.

    Attributes
    ----------
    nominal : float
        Interval level.
    n : int
        Number of datasets.
    coverage : float
        Fraction of datasets whose interval covered the true value.
    se : float
        Binomial standard error of the coverage under the nominal rate,
        ``sqrt(nominal·(1−nominal)/n)``.
    """

    nominal: float
    n: int
    coverage: float
    se: float

    @property
    def z(self) -> float:
        """Standardised deviation from nominal, ``(coverage − nominal) / se``."""
        return (self.coverage - self.nominal) / self.se if self.se > 0 else 0.0

    @property
    def within_2se(self) -> bool:
        """Whether the coverage lies within two standard errors of nominal."""
        return abs(self.z) <= 2.0

    def __str__(self) -> str:
        flag = "ok" if self.within_2se else "OUTSIDE 2 SE"
        return (
            f"{self.coverage:.3f} ± {self.se:.3f} (nominal {self.nominal:.2f}, "
            f"z = {self.z:+.2f}, {flag})"
        )


def coverage_summary(covered: Sequence[bool] | np.ndarray, nominal: float) -> CoverageSummary:
    """Coverage, and its binomial standard error under the nominal rate.

    Parameters
    ----------
    covered : sequence of bool
        One entry per dataset.
    nominal : float
        Interval level.

    Returns
    -------
    CoverageSummary

    Examples
    --------
    >>> s = coverage_summary([True] * 45 + [False] * 55, 0.5)
    >>> round(s.coverage, 2), round(s.se, 3), s.within_2se
    (0.45, 0.05, True)
    """
    c = np.asarray(covered, dtype=bool)
    n = int(c.size)
    if n == 0:
        raise ValueError("no datasets")
    return CoverageSummary(
        nominal=float(nominal),
        n=n,
        coverage=float(c.mean()),
        se=float(np.sqrt(nominal * (1 - nominal) / n)),
    )


def rank_histogram(ranks: Sequence[int] | np.ndarray, n_draws: int, bins: int = 10) -> np.ndarray:
    """Counts of ranks (in ``0..n_draws``) in ``bins`` equal bins.

    Parameters
    ----------
    ranks : sequence of int
        One rank per dataset.
    n_draws : int
        Posterior draws each rank was computed against; ranks take ``n_draws + 1`` values.
    bins : int
        Number of bins; must divide ``n_draws + 1`` so that every bin holds equally many
        rank values (else the expected counts differ between bins).

    Returns
    -------
    numpy.ndarray
        ``bins`` counts.

    Examples
    --------
    >>> rank_histogram([0, 9, 10, 99], n_draws=99, bins=10).tolist()
    [2, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    """
    values = n_draws + 1
    if values % bins:
        raise ValueError(f"{bins} bins do not divide the {values} possible ranks")
    r = np.asarray(ranks, dtype=int)
    if r.size and (r.min() < 0 or r.max() > n_draws):
        raise ValueError(f"ranks must lie in 0..{n_draws}")
    return np.bincount(r // (values // bins), minlength=bins)


def uniformity_pvalue(counts: np.ndarray) -> float:
    """Chi-square test p-value of equal expected counts per bin."""
    from scipy import stats

    counts = np.asarray(counts, dtype=float)
    if counts.sum() == 0:
        return float("nan")
    return float(stats.chisquare(counts).pvalue)


def format_rank_histogram(counts: np.ndarray, width: int = 30, label: str = "") -> str:
    """A text rank histogram: one line per bin, with the expected count marked ``|``.

    Parameters
    ----------
    counts : numpy.ndarray
        Counts per bin (from :func:`rank_histogram`).
    width : int
        Characters of the longest bar.
    label : str
        Heading.

    Returns
    -------
    str
    """
    counts = np.asarray(counts, dtype=int)
    expected = counts.sum() / counts.size
    top = max(int(counts.max()), int(np.ceil(expected)), 1)
    scale = width / top
    mark = round(float(expected) * scale)
    lines = [label] if label else []
    for i, c in enumerate(counts):
        bar = list("#" * round(float(c) * scale) + " " * (width + 1))
        bar[mark] = "|" if bar[mark] == " " else "+"
        lines.append(f"  bin {i + 1:2d} {c:4d} {''.join(bar).rstrip()}")
    lines.append(
        f"  (| expected {expected:.1f} per bin; chi-square p = {uniformity_pvalue(counts):.2f})"
    )
    return "\n".join(lines)


# ----------------------------------------------------------------------------- simulation


@dataclass
class PriorDatasets:
    """Prior draws and the datasets simulated from them.

    Attributes
    ----------
    truth : pandas.DataFrame
        One row per kept dataset; a column per scalar prior quantity.
    y : numpy.ndarray
        Simulated log-perplexities, shape ``(datasets, rows)``.
    n_drawn : int
        Prior draws examined to get the kept ones (kept + rejected).
    n_rejected : int
        Prior draws rejected by the data range rule.
    n_nonfinite : int
        Of the rejected, those with non-finite simulated data.
    y_range : tuple of float or None
        Acceptance range of simulated values; ``None`` keeps every finite draw.
    """

    truth: pd.DataFrame
    y: np.ndarray
    n_drawn: int
    n_rejected: int
    n_nonfinite: int
    y_range: tuple[float, float] | None

    @property
    def rejection_rate(self) -> float:
        """Fraction of examined prior draws that were rejected."""
        return self.n_rejected / self.n_drawn if self.n_drawn else 0.0


def accept_dataset(y: np.ndarray, y_range: tuple[float, float] | None) -> tuple[bool, bool]:
    """Whether a simulated dataset is kept, and whether it is finite.

    A dataset is kept when every value is finite and (with ``y_range``) strictly inside
    ``y_range``. Non-finite data are always rejected: the likelihood cannot be evaluated.
    """
    finite = bool(np.all(np.isfinite(y)))
    if not finite:
        return False, False
    if y_range is None:
        return True, True
    return bool(np.all((y > y_range[0]) & (y < y_range[1]))), True


def draw_prior_datasets(
    model: Any,
    n: int,
    *,
    seed: int,
    y_range: tuple[float, float] | None = DEFAULT_Y_RANGE,
    observed: str = "log_ppl",
    max_draws: int = 100_000,
) -> PriorDatasets:
    """Draw parameters from the prior of ``model`` and simulate ``n`` kept datasets.

    Prior draws are examined in the order drawn, and the first ``n`` that pass
    :func:`accept_dataset` are kept; every rejected draw before the ``n``-th kept one is
    counted. See the module docstring for what the rejection does to the check.

    Parameters
    ----------
    model : pymc.Model
        Model on the real design (its data containers hold the real covariates).
    n : int
        Datasets wanted.
    seed : int
        Seed of the prior predictive draws (batches take seeds spawned from it).
    y_range : tuple of float or None
        Acceptance range of simulated values; ``None`` keeps every finite dataset.
    observed : str
        Name of the observed variable.
    max_draws : int
        Give up (``RuntimeError``) after examining this many prior draws.

    Returns
    -------
    PriorDatasets
    """
    import pymc as pm

    kept_truth: list[dict[str, float]] = []
    kept_y: list[np.ndarray] = []
    drawn = rejected = nonfinite = 0
    seeds = np.random.SeedSequence(seed)
    batch = max(2 * n + 20, 50)
    while len(kept_y) < n:
        if drawn >= max_draws:
            raise RuntimeError(
                f"only {len(kept_y)} of {n} datasets kept after {drawn} prior draws; "
                f"widen y_range={y_range}"
            )
        (child,) = seeds.spawn(1)
        batch_seed = int(child.generate_state(1)[0])
        idata = pm.sample_prior_predictive(draws=batch, model=model, random_seed=batch_seed)
        prior = idata.prior
        y_all = idata.prior_predictive[observed].values.reshape(batch, -1)
        scalars = [v for v in prior.data_vars if prior[v].ndim == 2]
        values = {v: prior[v].values.reshape(batch) for v in scalars}
        for i in range(batch):
            drawn += 1
            ok, finite = accept_dataset(y_all[i], y_range)
            if not ok:
                rejected += 1
                nonfinite += not finite
                continue
            kept_truth.append({v: float(values[v][i]) for v in scalars})
            kept_y.append(y_all[i].astype(float))
            if len(kept_y) == n:
                break
    return PriorDatasets(
        truth=pd.DataFrame(kept_truth),
        y=np.vstack(kept_y),
        n_drawn=drawn,
        n_rejected=rejected,
        n_nonfinite=nonfinite,
        y_range=y_range,
    )


def simulate_lm(
    design: LMDesign,
    params: Mapping[str, Any],
    *,
    sigma: float,
    seed: int,
) -> np.ndarray:
    """Log-perplexities simulated from known law parameters on ``design``'s rows.

    Parameters
    ----------
    design : LMDesign
        Rows (years, sizes, benchmarks) to simulate on.
    params : mapping
        ``a`` and ``b`` (one value per benchmark of ``design``, in its order, or a scalar),
        ``alpha_year``, ``alpha_param``, ``beta_year``, ``beta_data``.
    sigma : float
        Standard deviation of the Normal residual.
    seed : int
        Seed of the residuals.

    Returns
    -------
    numpy.ndarray
        One simulated log-perplexity per row.
    """
    a = np.broadcast_to(np.asarray(params["a"], dtype=float), (len(design.benchmarks),))
    b = np.broadcast_to(np.asarray(params["b"], dtype=float), (len(design.benchmarks),))
    mu = law.lm_log_perplexity(
        design.year,
        design.parameters,
        design.tokens,
        a=a[design.benchmark_idx],
        alpha_year=params["alpha_year"],
        alpha_param=params["alpha_param"],
        b=b[design.benchmark_idx],
        beta_year=params["beta_year"],
        beta_data=params["beta_data"],
        ref=design.ref,
    )
    rng = np.random.default_rng(seed)
    return mu + sigma * rng.standard_normal(mu.shape)


def with_log_ppl(design: LMDesign, y: np.ndarray) -> LMDesign:
    """A copy of ``design`` whose observed log-perplexities are ``y``."""
    y = np.asarray(y, dtype=float)
    if y.shape != design.log_ppl.shape:
        raise ValueError(f"y has shape {y.shape}, the design {design.log_ppl.shape}")
    return dataclasses.replace(design, log_ppl=y)


# ----------------------------------------------------------------------------- the SBC loop

#: A competing estimator run on each simulated dataset: ``fn(index, y)`` returns, per quantity
#: it estimates, either draws (e.g. bootstrap replicates; intervals are taken from them) or its
#: own intervals ``{"median": m, level: (lower, upper), ...}``; ``None`` where it failed.
Estimator = Callable[[int, np.ndarray], Mapping[str, Any] | None]


@dataclass
class SBCResult:
    """Outcome of an SBC run.

    Attributes
    ----------
    records : pandas.DataFrame
        One row per (method, dataset, quantity): ``true``, ``rank`` (posterior only),
        ``n_rank_draws``, ``median`` and ``covered_<level>`` per level.
    fits : pandas.DataFrame
        One row per dataset: ``divergences``, ``seconds``, ``rhat_max`` (over the quantities)
        and ``ess_bulk_min``.
    prior : PriorDatasets
        The simulated datasets and the rejection counts.
    settings : dict
        Sampler settings and SBC options.
    wall_s : float
        Wall time of the whole run (prior draws, fits, competing estimator).
    """

    records: pd.DataFrame
    fits: pd.DataFrame
    prior: PriorDatasets
    settings: dict[str, Any]
    wall_s: float
    levels: tuple[float, ...] = SBC_LEVELS
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def n_rank_draws(self) -> int:
        """Posterior draws each rank is computed against."""
        return int(self.settings["n_rank_draws"])

    def methods(self) -> list[str]:
        """Methods with records (``posterior`` first)."""
        found = list(dict.fromkeys(self.records["method"]))
        return sorted(found, key=lambda m: (m != "posterior", m))

    def coverage(self, method: str = "posterior") -> dict[str, dict[float, CoverageSummary]]:
        """Coverage summaries per quantity and level for ``method``."""
        rec = self.records[self.records["method"] == method]
        out: dict[str, dict[float, CoverageSummary]] = {}
        for q, grp in rec.groupby("quantity", sort=False):
            out[str(q)] = {
                lev: coverage_summary(grp[f"covered_{lev:g}"].to_numpy(bool), lev)
                for lev in self.levels
            }
        return out

    def pooled_coverage(self, method: str = "posterior") -> dict[float, CoverageSummary]:
        """Coverage over all quantities and datasets (not independent: a rough overall view)."""
        rec = self.records[self.records["method"] == method]
        return {lev: coverage_summary(rec[f"covered_{lev:g}"], lev) for lev in self.levels}

    def histograms(self, bins: int = 10) -> dict[str, np.ndarray]:
        """Posterior rank histograms per quantity."""
        rec = self.records[self.records["method"] == "posterior"]
        return {
            str(q): rank_histogram(grp["rank"].astype(int), self.n_rank_draws, bins)
            for q, grp in rec.groupby("quantity", sort=False)
        }

    @property
    def n_divergent_fits(self) -> int:
        """Fits with at least one divergent transition after warm-up."""
        return int((self.fits["divergences"] > 0).sum())


def _check(
    true: Mapping[str, float],
    draws: Mapping[str, np.ndarray],
    quantities: Sequence[str],
    levels: Sequence[float],
    n_rank_draws: int | None,
    rng: np.random.Generator,
) -> list[dict[str, Any]]:
    rows = []
    for q in quantities:
        d = np.asarray(draws[q], dtype=float).reshape(-1)
        d = d[np.isfinite(d)]
        row: dict[str, Any] = {"quantity": q, "true": float(true[q])}
        if n_rank_draws is not None:
            t = thin(d, n_rank_draws)
            row["rank"] = rank_of(true[q], t, rng)
            row["n_rank_draws"] = int(t.size)
        row["median"] = float(np.median(d)) if d.size else float("nan")
        for lev in levels:
            row[f"covered_{lev:g}"] = covers(true[q], d, lev) if d.size else False
        rows.append(row)
    return rows


def _check_estimator(
    true: Mapping[str, float], est: Mapping[str, Any], levels: Sequence[float]
) -> list[dict[str, Any]]:
    rows = []
    for q, value in est.items():
        if not isinstance(value, Mapping):
            rows.extend(_check(true, {q: value}, [q], levels, None, np.random.default_rng(0)))
            continue
        row: dict[str, Any] = {"quantity": q, "true": float(true[q])}
        row["median"] = float(value.get("median", np.nan))
        for lev in levels:
            lo, hi = value[lev]
            row[f"covered_{lev:g}"] = bool(lo <= true[q] <= hi)
        rows.append(row)
    return rows


def run_sbc(
    design: LMDesign,
    *,
    n_datasets: int,
    settings: Any,
    seed: int,
    variant: str = "both",
    likelihood: str = "normal",
    quantities: Sequence[str] = SBC_QUANTITIES,
    levels: Sequence[float] = SBC_LEVELS,
    n_rank_draws: int = DEFAULT_RANK_DRAWS,
    y_range: tuple[float, float] | None = DEFAULT_Y_RANGE,
    estimators: Mapping[str, Estimator] | None = None,
    on_fit: Callable[[int, dict[str, Any]], None] | None = None,
) -> SBCResult:
    """Simulation-based calibration of the language-model law on ``design``'s rows.

    Builds the model once on the real design, draws ``n_datasets`` prior datasets (see
    :func:`draw_prior_datasets` for the rejection rule), and for each one sets ``y_obs`` to the
    simulated values and samples with a shared cache key, so nutpie compiles once.

    Parameters
    ----------
    design : LMDesign
        The real rows (years, sizes, benchmarks); their observed values are not used.
    n_datasets : int
        Simulated datasets to fit.
    settings : SamplerSettings
        Sampler settings; dataset ``i`` is fitted with a seed spawned from ``seed``.
    seed : int
        Master seed of the prior draws, the fits' seeds and tie-breaking.
    variant, likelihood : str
        Model choices, as in :func:`algoattr.model.lm.create_lm_model`.
    quantities : sequence of str
        Scalar model quantities to check.
    levels : sequence of float
        Central interval levels.
    n_rank_draws : int
        Posterior draws (after thinning) for the rank statistic.
    y_range : tuple of float or None
        Acceptance range of simulated log-perplexities; ``None`` keeps every finite dataset.
    estimators : mapping, optional
        Competing estimators ``{name: fn(i, y)}`` run on each dataset (see :data:`Estimator`);
        their intervals' coverage is recorded beside the posterior's (no ranks).
    on_fit : callable, optional
        Called as ``on_fit(i, info)`` after each dataset (for progress lines).

    Returns
    -------
    SBCResult
    """
    import pymc as pm

    from algoattr.model.lm import create_lm_model
    from algoattr.model.sampling import sample

    t_start = time.perf_counter()
    model = create_lm_model(design, variant=variant, likelihood=likelihood)
    missing = [q for q in quantities if q not in model.named_vars]
    if missing:
        raise ValueError(f"quantities not in the {variant!r} model: {missing}")
    ss = np.random.SeedSequence(seed)
    prior_ss, fit_ss, tie_ss = ss.spawn(3)
    prior = draw_prior_datasets(
        model, n_datasets, seed=int(prior_ss.generate_state(1)[0]), y_range=y_range
    )
    fit_seeds = fit_ss.generate_state(n_datasets) % (2**31 - 1)
    rng = np.random.default_rng(tie_ss)
    key = ("calibration", variant, likelihood, len(design.log_ppl), len(design.benchmarks))
    records: list[dict[str, Any]] = []
    fits: list[dict[str, Any]] = []
    for i in range(n_datasets):
        y = prior.y[i]
        true = prior.truth.iloc[i].to_dict()
        pm.set_data({"y_obs": y}, model=model)
        run = dataclasses.replace(settings, seed=int(fit_seeds[i]))
        t0 = time.perf_counter()
        idata = sample(model, run, progressbar=False, cache_key=key, log_likelihood=False)
        seconds = time.perf_counter() - t0
        post = {q: idata.posterior[q].values for q in quantities}
        for row in _check(true, post, quantities, levels, n_rank_draws, rng):
            records.append({"method": "posterior", "dataset": i, **row})
        info = _fit_info(idata, quantities)
        info.update({"dataset": i, "seconds": seconds})
        for name, fn in (estimators or {}).items():
            t1 = time.perf_counter()
            est = fn(i, y)
            info[f"{name}_seconds"] = time.perf_counter() - t1
            if est is None:
                info[f"{name}_failed"] = True
                continue
            info[f"{name}_failed"] = False
            for row in _check_estimator(true, est, levels):
                records.append({"method": name, "dataset": i, **row})
        fits.append(info)
        if on_fit is not None:
            on_fit(i, info)
    return SBCResult(
        records=pd.DataFrame(records),
        fits=pd.DataFrame(fits),
        prior=prior,
        settings={
            **settings.to_dict(),
            "n_datasets": n_datasets,
            "seed": seed,
            "variant": variant,
            "likelihood": likelihood,
            "n_rank_draws": n_rank_draws,
            "y_range": y_range,
            "n_rows": len(design.log_ppl),
        },
        wall_s=time.perf_counter() - t_start,
        levels=tuple(levels),
    )


def _fit_info(idata: Any, quantities: Sequence[str]) -> dict[str, Any]:
    import arviz as az

    divergences = int(np.asarray(idata.sample_stats["diverging"]).sum())
    names = list(quantities)
    rhat = az.rhat(idata, var_names=names)
    ess = az.ess(idata, var_names=names, method="bulk")
    return {
        "divergences": divergences,
        "rhat_max": float(max(np.nanmax(rhat[v].values) for v in names)),
        "ess_bulk_min": float(min(np.nanmin(ess[v].values) for v in names)),
    }
