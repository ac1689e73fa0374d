"""Sampling and convergence diagnostics, one code path for every sampler."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

SAMPLERS = ("nutpie", "pymc", "numpyro")
#: Mass-matrix adaptations: ``diag`` (every sampler's default) and ``low_rank`` (nutpie's
#: diagonal plus low-rank correction from the draws and gradients of the warm-up, Seyboldt
#: et al.), which follows the correlated directions of both laws (the exponents against the
#: constants, the two year terms against each other) with fewer leapfrog steps.
MASS_MATRICES = ("diag", "low_rank")

#: Thresholds of the convergence checks (Vehtari et al. 2021).
RHAT_MAX = 1.01
ESS_MIN = 400


@dataclass(frozen=True)
class SamplerSettings:
    """Settings of one sampler run; recorded in every output.

    Parameters
    ----------
    sampler : {"nutpie", "pymc", "numpyro"}
        NUTS implementation.
    draws, tune, chains : int
        Posterior draws per chain, warm-up steps per chain, chains.
    seed : int
        Random seed of the run.
    target_accept : float
        NUTS target acceptance rate. 0.98: both laws have curved ridges (the exponents against
        the constants, the two year terms against each other), and at 0.95 a few divergences
        appeared in some runs (the PTB Transformer variant, one 4 x 1000 benchmark run).
    mass_matrix : {"diag", "low_rank"}, optional
        Mass-matrix adaptation (:data:`MASS_MATRICES`). Default ``diag``, every sampler's
        adaptation. nutpie's ``low_rank`` needs about 45% fewer leapfrog steps per draw on the
        pooled LM rows (0 divergences, ``analyses/bench_fit.py`` measures both), but at
        4 x 1000 draws it gave 7 divergences on PTB (603 in its Transformer variant) and 3 on
        ImageNet where ``diag`` gave none, so it is an option, not the default.

    Raises
    ------
    ValueError
        For an unknown sampler or mass matrix, or ``low_rank`` with a sampler other than
        nutpie.
    """

    sampler: str = "nutpie"
    draws: int = 1000
    tune: int = 1000
    chains: int = 4
    seed: int = 0
    target_accept: float = 0.98
    mass_matrix: str | None = None

    def __post_init__(self) -> None:
        if self.sampler not in SAMPLERS:
            raise ValueError(f"unknown sampler {self.sampler!r}; choose from {SAMPLERS}")
        if self.mass_matrix is None:
            object.__setattr__(self, "mass_matrix", "diag")
        elif self.mass_matrix not in MASS_MATRICES:
            raise ValueError(
                f"unknown mass matrix {self.mass_matrix!r}; choose from {MASS_MATRICES}"
            )
        elif self.mass_matrix == "low_rank" and self.sampler != "nutpie":
            raise ValueError(f"mass_matrix 'low_rank' needs nutpie, not {self.sampler}")

    def to_dict(self) -> dict[str, Any]:
        """Settings as a plain dictionary."""
        return asdict(self)


@dataclass
class Diagnostics:
    """Convergence diagnostics of the headline quantities.

    Attributes
    ----------
    divergences : int
        Divergent transitions after warm-up, over all chains.
    rhat_max : dict
        Largest rank-normalised split R-hat per checked variable.
    ess_bulk_min, ess_tail_min : dict
        Smallest bulk and tail effective sample size per checked variable.
    warnings : list of str
        One line per failed check; empty when all pass.
    """

    divergences: int
    rhat_max: dict[str, float]
    ess_bulk_min: dict[str, float]
    ess_tail_min: dict[str, float]
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return not self.warnings

    def to_dict(self) -> dict[str, Any]:
        """Diagnostics as a plain dictionary (for JSON)."""
        return {**asdict(self), "ok": self.ok}


_COMPILED: dict[Any, Any] = {}


def compile_nutpie(model: Any, key: Any = None) -> Any:
    """Compile ``model`` for nutpie, reusing an earlier compilation with the same ``key``.

    Models built by the same builder with the same structure and data shapes differ only in
    their data containers, so a cached compilation is reused through ``with_data`` (this is
    what makes a warm fit, a bootstrap of fits, or a calibration run cheap).
    """
    import nutpie

    if key is not None and key in _COMPILED:
        compiled = _COMPILED[key]
        data = {v.name: v.get_value() for v in model.data_vars}
        return compiled.with_data(**data)
    compiled = nutpie.compile_pymc_model(model)
    if key is not None:
        _COMPILED[key] = compiled
    return compiled


def sample(
    model: Any,
    settings: SamplerSettings,
    *,
    progressbar: bool = True,
    cache_key: Any = None,
    log_likelihood: bool = True,
) -> Any:
    """Draw from the posterior of ``model`` and attach pointwise log-likelihoods.

    Parameters
    ----------
    model : pymc.Model
        Model to sample.
    settings : SamplerSettings
        Sampler, draws, warm-up, chains and seed.
    progressbar : bool
        Show sampling progress.
    cache_key : hashable, optional
        With nutpie, reuse the compiled model of an earlier call with the same key.
    log_likelihood : bool
        Attach the ``log_likelihood`` group (needed for PSIS-LOO).

    Returns
    -------
    arviz.InferenceData
        Groups ``posterior``, ``sample_stats``, ``observed_data``, ``constant_data`` and
        (optionally) ``log_likelihood``.
    """
    import pymc as pm

    if settings.sampler not in SAMPLERS:
        raise ValueError(f"unknown sampler {settings.sampler!r}; choose from {SAMPLERS}")
    if settings.sampler == "nutpie":
        import arviz as az
        import nutpie

        compiled = compile_nutpie(model, cache_key)
        idata = nutpie.sample(
            compiled,
            draws=settings.draws,
            tune=settings.tune,
            chains=settings.chains,
            seed=settings.seed,
            target_accept=settings.target_accept,
            low_rank_modified_mass_matrix=settings.mass_matrix == "low_rank",
            progress_bar=progressbar,
            cores=min(settings.chains, 2),
            save_warmup=False,
        )
        # nutpie answers Ctrl-C by returning the draws made so far; a truncated posterior must
        # never be summarised or saved as if it were the fit asked for.
        got = dict(idata.posterior.sizes)
        if got.get("draw", 0) < settings.draws or got.get("chain", 0) < settings.chains:
            raise KeyboardInterrupt(
                f"sampling stopped after {got.get('draw', 0)} of {settings.draws} draws"
            )
        from pymc.backends.arviz import find_constants, find_observations

        keep = {v.name for v in model.free_RVs} | {v.name for v in model.deterministics}
        idata.posterior = idata.posterior[[v for v in idata.posterior.data_vars if v in keep]]
        coords = {k: list(v) for k, v in model.coords.items() if v is not None}
        dims = {k: list(v) for k, v in model.named_vars_to_dims.items()}
        extra = az.from_dict(
            observed_data=find_observations(model),
            constant_data=find_constants(model),
            coords=coords,
            dims=dims,
        )
        idata.extend(extra)
    else:
        with model:
            idata = pm.sample(
                draws=settings.draws,
                tune=settings.tune,
                chains=settings.chains,
                random_seed=settings.seed,
                target_accept=settings.target_accept,
                progressbar=progressbar,
                nuts_sampler=settings.sampler,
                cores=min(settings.chains, 2),
                compute_convergence_checks=False,
            )
    if log_likelihood and "log_likelihood" not in idata.groups():
        with model:
            pm.compute_log_likelihood(idata, progressbar=False)
    return idata


def diagnose(idata: Any, var_names: list[str]) -> Diagnostics:
    """Divergences, R-hat and ESS of ``var_names``, with a warning per failed check.

    Parameters
    ----------
    idata : arviz.InferenceData
        Posterior with ``sample_stats``.
    var_names : list of str
        Variables whose convergence gates the result (the headline quantities).

    Returns
    -------
    Diagnostics
    """
    import arviz as az

    names = [v for v in var_names if v in idata.posterior]
    divergences = int(np.asarray(idata.sample_stats["diverging"]).sum())
    rhat = az.rhat(idata, var_names=names)
    ess_bulk = az.ess(idata, var_names=names, method="bulk")
    ess_tail = az.ess(idata, var_names=names, method="tail")
    rhat_max = {v: float(np.nanmax(rhat[v].values)) for v in names}
    bulk_min = {v: float(np.nanmin(ess_bulk[v].values)) for v in names}
    tail_min = {v: float(np.nanmin(ess_tail[v].values)) for v in names}
    warnings = []
    if divergences:
        warnings.append(f"{divergences} divergent transitions after warm-up")
    for v in names:
        if rhat_max[v] > RHAT_MAX:
            warnings.append(f"R-hat of {v} is {rhat_max[v]:.3f} (> {RHAT_MAX})")
        if bulk_min[v] < ESS_MIN:
            warnings.append(f"bulk ESS of {v} is {bulk_min[v]:.0f} (< {ESS_MIN})")
        if tail_min[v] < ESS_MIN:
            warnings.append(f"tail ESS of {v} is {tail_min[v]:.0f} (< {ESS_MIN})")
    return Diagnostics(divergences, rhat_max, bulk_min, tail_min, warnings)
