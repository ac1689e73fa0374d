"""The model fits behind ``python -m algoattr.fit``: sample a law's posterior from selected rows.

:func:`fit_lm` (Ho et al. 2024's language-model law, its variants compared by PSIS-LOO, the
Transformer's compute-equivalent gain) and :func:`fit_imagenet` (Erdil & Besiroglu 2022's
ImageNet law) take rows already selected and return a :class:`~algoattr.model.results.FitResult`.
They live apart from the command line (:mod:`algoattr.fit`, which re-exports them) so that
modules that fit rows, such as :mod:`algoattr.diff`, do not depend on the command line and the
reports it writes.
"""

from __future__ import annotations

import logging
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

from algoattr import law
from algoattr.intervals import summarise
from algoattr.model.design import IMAGENET_TASK, LM_TASK, ImageNetDesign, LMDesign
from algoattr.model.results import (
    HEADLINE_VARS,
    FitResult,
    doubling_time_interval,
)
from algoattr.model.sampling import SamplerSettings, diagnose, sample

__all__ = [
    "CEG_COMPUTE",
    "CEG_YEAR",
    "architecture_rates_summary",
    "fit_imagenet",
    "fit_lm",
    "loo_compare",
    "scale_dependence_summary",
    "transformer_ceg_summary",
]

log = logging.getLogger("algoattr.fit")

#: Compute levels (FLOP) at which the Transformer's compute-equivalent gain is reported: Ho et
#: al.'s 1e22 and 1e25, and smaller levels down to the retraining suite's CPU scale (1e13), which
#: lie below the published rows' compute and extrapolate the law.
CEG_COMPUTE = (1e13, 1e16, 1e19, 1e22, 1e25)
#: Year at which the Transformer's gain is evaluated (Ho et al. 2024 use 2023).
CEG_YEAR = 2023.0


def priors_key(priors: dict[str, dict[str, Any]] | None) -> str:
    """The prior overrides as text, part of a compiled model's cache key: the priors'
    constants are constants of the graph, so a model built with other priors is another
    compilation."""
    import json

    return json.dumps(priors or {}, sort_keys=True, default=str)


def fit_lm(
    rows: pd.DataFrame,
    excluded: pd.DataFrame,
    benchmarks: list[str],
    *,
    settings: SamplerSettings,
    variant: str = "both",
    likelihood: str = "normal",
    paper_effect: bool = False,
    compare: bool = True,
    transformer_ceg: bool = True,
    progressbar: bool = True,
    priors: dict[str, dict[str, Any]] | None = None,
) -> FitResult:
    """Fit the language-model law, compare variants by PSIS-LOO, and derive the CEG.

    Parameters
    ----------
    rows, excluded : pandas.DataFrame
        Rows to fit and rows excluded (from :func:`algoattr.model.design.select_rows`).
    benchmarks : list of str
        Benchmark ids requested.
    settings : SamplerSettings
        Sampler settings (shared by every variant).
    variant : str
        Main variant, see :data:`algoattr.model.lm.LM_VARIANTS`.
    likelihood : {"normal", "student_t"}
        Residual distribution.
    paper_effect : bool
        Add a paper-level random effect.
    compare : bool
        Fit every variant and compare them by PSIS-LOO.
    transformer_ceg : bool
        Fit the Transformer variant (if not fitted already) and report its
        compute-equivalent gain at :data:`CEG_COMPUTE`.
    progressbar : bool
        Show sampler progress.
    priors : dict, optional
        Overrides of :data:`algoattr.model.priors.LM_PRIORS` (``{name: {"dist": ..., ...}}``);
        every variant is built with them, and the resolved priors are recorded in
        ``extras["priors"]``.

    Returns
    -------
    FitResult
    """
    from algoattr.model.lm import LM_VARIANTS, create_lm_model
    from algoattr.model.priors import LM_PRIORS, resolve_priors

    resolved = resolve_priors(LM_PRIORS, priors)

    design = LMDesign.from_frame(rows)
    timings: dict[str, float] = {}
    fits: dict[str, Any] = {}

    def run(name: str) -> Any:
        if name not in fits:
            log.info("sampling variant %s: %s", name, LM_VARIANTS[name])
            t0 = time.perf_counter()
            model = create_lm_model(
                design,
                variant=name,
                likelihood=likelihood,
                paper_effect=paper_effect,
                priors=priors,
            )
            # Same structure, data shapes and reference point: reuse the compilation (the
            # reference point is a constant of the graph, so it is part of the key).
            key = ("lm", name, likelihood, paper_effect, tuple(design.benchmarks),
                   len(design.log_ppl), tuple(design.papers) if paper_effect else (),
                   tuple(design.ref.to_dict().values()),
                   priors_key(priors))  # fmt: skip
            fits[name] = sample(model, settings, progressbar=progressbar, cache_key=key)
            timings[name] = time.perf_counter() - t0
        return fits[name]

    idata = run(variant)
    comparison = None
    if compare:
        for name in LM_VARIANTS:
            run(name)
        comparison = loo_compare(fits)
    extras: dict[str, Any] = {
        "timings_s": timings,
        "n_transformer_rows": int(design.transformer.sum()),
        "priors": resolved,
        "prior_overrides": priors or {},
    }
    if "scale_rates" in fits:
        extras["scale_dependence"] = scale_dependence_summary(fits["scale_rates"], design)
    if "architecture_rates" in fits:
        extras["architecture_rates"] = architecture_rates_summary(fits["architecture_rates"])
    if transformer_ceg:
        tf = run("transformer")
        bench = "wikitext-103" if "wikitext-103" in design.benchmarks else design.benchmarks[0]
        extras.update(transformer_ceg_summary(tf, design, bench))
    result = FitResult(
        task=LM_TASK,
        benchmarks=design.benchmarks,
        variant=variant,
        idata=idata,
        data=rows.reset_index(drop=True),
        excluded=excluded,
        reference=design.ref,
        settings=settings,
        diagnostics=diagnose(idata, list(HEADLINE_VARS)),
        comparison=comparison,
        extras=extras,
    )
    if "transformer" in fits and variant != "transformer":
        tf_diag = diagnose(fits["transformer"], list(HEADLINE_VARS))
        result.diagnostics.warnings.extend(f"[transformer variant] {w}" for w in tf_diag.warnings)
    result.extras["requested_benchmarks"] = benchmarks
    return result


def scale_dependence_summary(idata: Any, design: LMDesign) -> dict[str, Any]:
    """Is progress scale-dependent? The ``scale_rates`` variant's interaction and the doubling
    time it implies at :data:`algoattr.model.lm.SCALE_COMPUTE`.

    Returns
    -------
    dict
        ``year_scale`` (change of both year rates per decade of compute: median, interval at
        :data:`algoattr.intervals.CI_PROB`, ``prob_positive``), ``doubling_months`` per compute
        level (median and interval) and
        ``rows_log10_compute`` (the rows' range, beyond which the levels extrapolate).
    """
    from algoattr.model.lm import SCALE_COMPUTE, log10_compute

    post = idata.posterior
    k = post["year_scale"].values.reshape(-1)
    return {
        "year_scale": {**summarise(k), "prob_positive": float(np.mean(k > 0))},
        "doubling_months": {
            f"{c:.0e}": doubling_time_interval(
                post[f"rate_at_{c:.0e}".replace("+", "")].values.reshape(-1)
            )
            for c in SCALE_COMPUTE
        },
        "rows_log10_compute": [float(v) for v in np.percentile(log10_compute(design), [0, 100])],
    }


def architecture_rates_summary(idata: Any) -> dict[str, Any]:
    """Doubling time of effective compute for Transformer rows and for the others, from the
    ``architecture_rates`` variant, and the probability that Transformer rows progress faster.
    """
    post = idata.posterior
    other = post["rate"].values.reshape(-1)
    tf = post["rate_transformer"].values.reshape(-1)
    return {
        "other_rows_months": doubling_time_interval(other),
        "transformer_rows_months": doubling_time_interval(tf),
        "prob_transformer_faster": float(np.mean(tf > other)),
    }


def transformer_ceg_summary(idata: Any, design: LMDesign, benchmark: str) -> dict[str, Any]:
    """Compute-equivalent gain of the Transformer effect at :data:`CEG_COMPUTE`.

    Uses the Transformer variant's posterior, Ho et al.'s definition (see
    :func:`algoattr.law.lm_transformer_ceg`), year :data:`CEG_YEAR` and ``benchmark``'s
    constants.
    """
    post = idata.posterior
    flat = {
        k: post[k].values.reshape(-1)
        for k in ("alpha_year", "alpha_param", "beta_year", "beta_data")
    }
    out: dict[str, Any] = {}
    for c in CEG_COMPUTE:
        ceg = law.lm_transformer_ceg(
            c,
            gamma=post["gamma_transformer"].values.reshape(-1),
            year=CEG_YEAR,
            a=post["a"].sel(benchmark=benchmark).values.reshape(-1),
            b=post["b"].sel(benchmark=benchmark).values.reshape(-1),
            ref=design.ref,
            **flat,
        )
        out[f"ceg_transformer_{c:.0e}".replace("+", "")] = {
            **summarise(ceg),
            "compute_flop": c,
            "year": CEG_YEAR,
            "benchmark": benchmark,
        }
    return out


def loo_compare(fits: dict[str, Any]) -> pd.DataFrame:
    """PSIS-LOO comparison of fitted variants (``arviz.compare``), best first."""
    import arviz as az

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = az.compare(fits, ic="loo")
    keep = ["rank", "elpd_loo", "p_loo", "elpd_diff", "dse", "weight", "warning"]
    table = table[[c for c in keep if c in table]]
    table.index.name = "variant"
    return table


def fit_imagenet(
    rows: pd.DataFrame,
    excluded: pd.DataFrame,
    *,
    settings: SamplerSettings,
    likelihood: str = "normal",
    progressbar: bool = True,
    priors: dict[str, dict[str, Any]] | None = None,
) -> FitResult:
    """Fit Erdil & Besiroglu's ImageNet law.

    Parameters
    ----------
    rows, excluded : pandas.DataFrame
        Rows to fit and rows excluded.
    settings : SamplerSettings
        Sampler settings.
    likelihood : {"normal", "student_t"}
        Residual distribution on the logit scale.
    progressbar : bool
        Show sampler progress.
    priors : dict, optional
        Overrides of :data:`algoattr.model.priors.IMAGENET_PRIORS`, recorded resolved in
        ``extras["priors"]``.

    Returns
    -------
    FitResult
    """
    from algoattr.model.imagenet import IMAGENET_PARAMS, create_imagenet_model
    from algoattr.model.priors import IMAGENET_PRIORS, resolve_priors

    resolved = resolve_priors(IMAGENET_PRIORS, priors)
    design = ImageNetDesign.from_frame(rows)
    t0 = time.perf_counter()
    model = create_imagenet_model(design, likelihood=likelihood, priors=priors)
    key = ("imagenet", likelihood, len(design.accuracy), priors_key(priors))
    idata = sample(model, settings, progressbar=progressbar, cache_key=key)
    return FitResult(
        task=IMAGENET_TASK,
        benchmarks=["imagenet"],
        variant="erdil2022",
        idata=idata,
        data=rows.reset_index(drop=True),
        excluded=excluded,
        reference=None,
        settings=settings,
        diagnostics=diagnose(idata, [*HEADLINE_VARS, *IMAGENET_PARAMS]),
        extras={
            "timings_s": {"erdil2022": time.perf_counter() - t0},
            "priors": resolved,
            "prior_overrides": priors or {},
        },
    )
