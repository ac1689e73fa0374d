"""Small synthetic fits for the plot and report tests (no sampler: seconds, not minutes).

Real rows of a shipped benchmark, selected as a fit would select them, with posterior draws
generated around plausible values and the law's mean computed from them; the PSIS-LOO table,
diagnostics and provenance are filled in as :func:`algoattr.fit.run_fit` fills them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from algoattr import law
from algoattr.model.design import (
    IMAGENET_TASK,
    LM_TASK,
    ImageNetDesign,
    LMDesign,
    SelectionRules,
    select_rows,
)
from algoattr.model.results import FitResult
from algoattr.model.sampling import Diagnostics, SamplerSettings


def _idata(post: dict[str, np.ndarray], coords: dict, dims: dict, y: np.ndarray, seed: int):
    import arviz as az

    rng = np.random.default_rng(seed)
    chains, draws = next(iter(post.values())).shape[:2]
    return az.from_dict(
        posterior=post,
        sample_stats={"diverging": np.zeros((chains, draws), dtype=bool)},
        observed_data={"y": y},
        log_likelihood={"y": rng.normal(-1.0, 0.1, (chains, draws, len(y)))},
        coords=coords,
        dims={**dims, "y": ["obs"]},
    )


def make_fit(
    task: str = LM_TASK,
    *,
    benchmark: str = "ptb",
    chains: int = 2,
    draws: int = 100,
    seed: int = 0,
    ok: bool = True,
) -> FitResult:
    """A :class:`FitResult` on the shipped rows of ``benchmark`` with synthetic draws.

    Parameters
    ----------
    task : str
        ``language_modelling`` or ``image_classification`` (then ``benchmark`` is ImageNet).
    benchmark : str
        LM benchmark id.
    chains, draws : int
        Shape of the posterior.
    seed : int
        Seed of the draws.
    ok : bool
        Whether the diagnostics pass (else two warnings).
    """
    from algoattr.data import dataset_checksum, load_evaluations

    rng = np.random.default_rng(seed)
    shape = (chains, draws)
    bench = "imagenet" if task == IMAGENET_TASK else benchmark
    df = load_evaluations(bench, validate=False)
    rows, excluded = select_rows(df, task, SelectionRules(max_per_paper=3))
    rows = rows.reset_index(drop=True)
    n_obs = len(rows)
    if task == LM_TASK:
        design = LMDesign.from_frame(rows)
        post = {
            "a": rng.normal(0.7, 0.05, (*shape, 1)),
            "b": rng.normal(0.6, 0.05, (*shape, 1)),
            "alpha_year": rng.normal(0.01, 0.005, shape),
            "alpha_param": np.abs(rng.normal(0.05, 0.01, shape)),
            "beta_year": rng.normal(0.01, 0.005, shape),
            "beta_data": np.abs(rng.normal(0.04, 0.01, shape)),
            "sigma": np.abs(rng.normal(0.15, 0.01, shape)),
        }
        mu = law.lm_log_perplexity(
            design.year,
            design.parameters,
            design.tokens,
            a=post["a"][..., 0][..., None],
            alpha_year=post["alpha_year"][..., None],
            alpha_param=post["alpha_param"][..., None],
            b=post["b"][..., 0][..., None],
            beta_year=post["beta_year"][..., None],
            beta_data=post["beta_data"][..., None],
            ref=design.ref,
        )
        rate = law.lm_effective_compute_rate(
            post["alpha_year"], post["alpha_param"], post["beta_year"], post["beta_data"]
        )
        y = design.log_ppl
        ref = design.ref
        coords = {"benchmark": design.benchmarks, "obs": np.arange(n_obs)}
        dims = {"a": ["benchmark"], "b": ["benchmark"], "mu": ["obs"]}
        variants = ["both", "param_only", "data_only", "no_progress"]
        comparison = pd.DataFrame(
            {
                "rank": range(4),
                "elpd_loo": [20.0, 18.5, 17.0, 10.0],
                "p_loo": [6.1, 5.0, 5.2, 4.0],
                "elpd_diff": [0.0, 1.5, 3.0, 10.0],
                "dse": [0.0, 1.1, 1.9, 3.5],
                "weight": [0.8, 0.15, 0.05, 0.0],
                "warning": [False, False, True, False],
            },
            index=pd.Index(variants, name="variant"),
        )
        variant, benchmarks = "both", design.benchmarks
    else:
        design = ImageNetDesign.from_frame(rows)
        post = {
            "c_compute": rng.normal(0.5, 0.1, shape),
            "beta_year": rng.normal(0.4, 0.05, shape),
            "beta_compute": np.abs(rng.normal(0.3, 0.03, shape)),
            "c_data": rng.normal(2.0, 0.1, shape),
            "beta_year_data": rng.normal(0.1, 0.03, shape),
            "beta_data": np.abs(rng.normal(0.3, 0.03, shape)),
            "sigma": np.abs(rng.normal(0.3, 0.02, shape)),
        }
        acc = law.imagenet_accuracy(
            design.year,
            design.compute,
            design.images,
            **{k: v[..., None] for k, v in post.items() if k != "sigma"},
        )
        mu = law.logit(acc)
        years = law.imagenet_doubling_time_years(post["beta_year"], post["beta_compute"])
        rate = law.LN2 / years
        y = law.logit(design.accuracy)
        ref = None
        coords = {"obs": np.arange(n_obs)}
        dims = {"mu": ["obs"]}
        comparison = None
        variant, benchmarks = "erdil2022", ["imagenet"]
    post["mu"] = np.asarray(mu)
    post["rate"] = np.asarray(rate)
    post["doubling_time_months"] = 12 * law.LN2 / post["rate"]
    post["multiplier_per_year"] = np.exp(post["rate"])
    idata = _idata(post, coords, dims, np.asarray(y), seed)
    names = ["doubling_time_months", "rate"]
    warnings = [] if ok else ["3 divergent transitions after warm-up", "bulk ESS of rate is 120"]
    diagnostics = Diagnostics(
        divergences=0 if ok else 3,
        rhat_max=dict.fromkeys(names, 1.002),
        ess_bulk_min=dict.fromkeys(names, 900.0 if ok else 120.0),
        ess_tail_min=dict.fromkeys(names, 800.0),
        warnings=warnings,
    )
    settings = SamplerSettings(sampler="nutpie", draws=draws, tune=draws, chains=chains, seed=seed)
    return FitResult(
        task=task,
        benchmarks=list(benchmarks),
        variant=variant,
        idata=idata,
        data=rows,
        excluded=excluded,
        reference=ref,
        settings=settings,
        diagnostics=diagnostics,
        comparison=comparison,
        extras={
            "benchmark": bench,
            "package_version": "0.1.0",
            "dataset_checksum": dataset_checksum([bench]),
            "likelihood": "normal",
            "fast": True,
            "wall_time_s": 1.5,
            "created": "2025-01-01T00:00:00+00:00",
            "command": f"python -m algoattr.fit --benchmark {bench} --fast",
        },
    )
