"""The simulation-based calibration loop, :func:`run_sbc`, and its result, :class:`SBCResult`.

Every simulated dataset is refitted with one compiled model (new ``y_obs`` through
:func:`pymc.set_data`, and nutpie's ``with_data`` via the compiled-model cache); every fit that
starts is kept.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from algoattr.model.calibration.simulation import (
    DEFAULT_Y_RANGE,
    PriorDatasets,
    draw_prior_datasets,
)
from algoattr.model.calibration.statistics import (
    CoverageSummary,
    coverage_summary,
    covers,
    rank_histogram,
    rank_of,
    thin,
)
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

#: Central interval ci_probs whose coverage is reported.
SBC_CI_PROBS = (0.5, 0.9)

#: Posterior draws kept for the rank statistic: 99 draws give ranks 0..99, 100 equally likely
#: values that split evenly into 10 or 20 histogram bins.
DEFAULT_RANK_DRAWS = 99


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
    ci_probs: tuple[float, ...] = SBC_CI_PROBS
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
                for lev in self.ci_probs
            }
        return out

    def pooled_coverage(self, method: str = "posterior") -> dict[float, CoverageSummary]:
        """Coverage over all quantities and datasets (not independent: a rough overall view)."""
        rec = self.records[self.records["method"] == method]
        return {lev: coverage_summary(rec[f"covered_{lev:g}"], lev) for lev in self.ci_probs}

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
    ci_probs: Sequence[float],
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
        for lev in ci_probs:
            row[f"covered_{lev:g}"] = covers(true[q], d, lev) if d.size else False
        rows.append(row)
    return rows


def _check_estimator(
    true: Mapping[str, float], est: Mapping[str, Any], ci_probs: Sequence[float]
) -> list[dict[str, Any]]:
    rows = []
    for q, value in est.items():
        if not isinstance(value, Mapping):
            rows.extend(_check(true, {q: value}, [q], ci_probs, None, np.random.default_rng(0)))
            continue
        row: dict[str, Any] = {"quantity": q, "true": float(true[q])}
        row["median"] = float(value.get("median", np.nan))
        for lev in ci_probs:
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
    ci_probs: Sequence[float] = SBC_CI_PROBS,
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
    ci_probs : sequence of float
        Central interval ci_probs.
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
        for row in _check(true, post, quantities, ci_probs, n_rank_draws, rng):
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
            for row in _check_estimator(true, est, ci_probs):
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
        ci_probs=tuple(ci_probs),
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
