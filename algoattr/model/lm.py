"""PyMC builder for the language-model law (Ho et al. 2024, model 7 and its variants)."""

from __future__ import annotations

from typing import Any

import numpy as np

from algoattr import law
from algoattr.model.design import LMDesign
from algoattr.model.priors import (
    LM_PRIORS,
    make_prior,
    make_standardised_normal,
    resolve_priors,
)

#: Variants compared by PSIS-LOO. Each names which algorithmic-progress terms it has.
LM_VARIANTS: dict[str, str] = {
    "no_progress": "no algorithmic progress (both year terms fixed at 0)",
    "param_only": "progress only in the parameter term (beta_year = 0)",
    "data_only": "progress only in the data term (alpha_year = 0)",
    "both": "progress in both terms (Ho et al. 2024 model 7)",
    "benchmark_rates": "both terms, with benchmark-specific year rates partially pooled",
    "transformer": "both terms plus a Transformer factor sigma(gamma) on log-perplexity",
    "scale_rates": "both terms, year rates changing linearly with log10 training compute (6ND)",
    "architecture_rates": "both terms, with separate year rates for Transformer rows",
}

#: Training compute (FLOP) at which the scale_rates variant reports the doubling time.
SCALE_COMPUTE = (1e15, 1e19, 1e23)


def log10_compute(design: LMDesign) -> np.ndarray:
    """``log10(6·N·D)`` per row: the scale axis of the ``scale_rates`` variant."""
    return np.log10(6.0 * design.parameters * design.tokens)


LIKELIHOODS = ("normal", "student_t")


def create_lm_model(
    design: LMDesign,
    *,
    variant: str = "both",
    likelihood: str = "normal",
    paper_effect: bool = False,
    priors: dict[str, dict[str, Any]] | None = None,
) -> Any:
    """Build the hierarchical language-model law as a PyMC model.

    ``log_ppl ~ Likelihood(exp(a_b − α_year·(Y−Y0) − α_param·ln(N/N0))
    + exp(b_b − β_year·(Y−Y0) − β_data·ln(D/D0)), σ)`` with benchmark constants
    ``a_b ~ Normal(mu_a, sigma_a)`` and ``b_b ~ Normal(mu_b, sigma_b)`` (a centred hierarchy,
    which samples without divergences on data of this shape where a non-centred one does not).

    Parameters
    ----------
    design : LMDesign
        Rows to fit.
    variant : str
        One of :data:`LM_VARIANTS`.
    likelihood : {"normal", "student_t"}
        Residual distribution of log-perplexity; Student-t is robust to outlying rows.
    paper_effect : bool
        Add a paper-level offset (non-centred), an alternative to keeping ≤ 3 rows per paper.
    priors : dict, optional
        Overrides of :data:`algoattr.model.priors.LM_PRIORS`.

    Returns
    -------
    pymc.Model
        With observed ``log_ppl`` (data container ``y_obs``) and deterministics
        ``rate``, ``doubling_time_years``, ``doubling_time_months`` and
        ``multiplier_per_year`` when the variant has progress.
    """
    import pymc as pm
    import pytensor.tensor as pt

    if variant not in LM_VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(LM_VARIANTS)}")
    if likelihood not in LIKELIHOODS:
        raise ValueError(f"unknown likelihood {likelihood!r}; choose from {LIKELIHOODS}")
    p = resolve_priors(LM_PRIORS, priors)
    coords = {"benchmark": design.benchmarks, "obs": np.arange(len(design.log_ppl))}
    if paper_effect:
        coords["paper"] = design.papers

    with pm.Model(coords=coords) as model:
        year = pm.Data("year", design.year, dims="obs")
        n = pm.Data("parameters", design.parameters, dims="obs")
        d = pm.Data("tokens", design.tokens, dims="obs")
        bidx = pm.Data("benchmark_idx", design.benchmark_idx, dims="obs")
        y_obs = pm.Data("y_obs", design.log_ppl, dims="obs")

        mu_a = make_prior("mu_a", p["mu_a"])
        sigma_a = make_prior("sigma_a", p["sigma_a"])
        a = pm.Normal("a", mu=mu_a, sigma=sigma_a, dims="benchmark")
        mu_b = make_prior("mu_b", p["mu_b"])
        sigma_b = make_prior("sigma_b", p["sigma_b"])
        b = pm.Normal("b", mu=mu_b, sigma=sigma_b, dims="benchmark")
        alpha_param = make_prior("alpha_param", p["alpha_param"])
        beta_data = make_prior("beta_data", p["beta_data"])

        has_alpha_year = variant not in ("no_progress", "data_only")
        has_beta_year = variant not in ("no_progress", "param_only")
        alpha_year = (
            make_standardised_normal("alpha_year", p["alpha_year"]) if has_alpha_year else 0.0
        )
        beta_year = make_standardised_normal("beta_year", p["beta_year"]) if has_beta_year else 0.0
        alpha_year_row: Any = alpha_year
        beta_year_row: Any = beta_year
        if variant == "benchmark_rates":
            sigma_year = make_prior("sigma_year", p["sigma_year"])
            # Standardised for the same reason as the shared rates (start-point jitter).
            z_a = pm.Normal("alpha_year_b_z", 0.0, 1.0, dims="benchmark")
            z_b = pm.Normal("beta_year_b_z", 0.0, 1.0, dims="benchmark")
            alpha_year_b = pm.Deterministic(
                "alpha_year_b", alpha_year + sigma_year * z_a, dims="benchmark"
            )
            beta_year_b = pm.Deterministic(
                "beta_year_b", beta_year + sigma_year * z_b, dims="benchmark"
            )
            alpha_year_row = alpha_year_b[bidx]
            beta_year_row = beta_year_b[bidx]
        if variant == "architecture_rates":
            is_tf_rate = pm.Data("transformer_rows", design.transformer, dims="obs")
            d_alpha = make_prior("alpha_year_transformer_diff", p["year_transformer"])
            d_beta = make_prior("beta_year_transformer_diff", p["year_transformer"])
            alpha_year_row = alpha_year + d_alpha * is_tf_rate
            beta_year_row = beta_year + d_beta * is_tf_rate
        if variant == "scale_rates":
            # Both year rates move by year_scale per decade of compute around the rows' median
            # compute (a data container, so a cached compilation refits other rows).
            lc = log10_compute(design)
            c_mid = pm.Data("log10_compute_mid", float(np.median(lc)))
            s = pm.Data("log10_compute", lc, dims="obs") - c_mid
            year_scale = make_prior("year_scale", p["year_scale"])
            alpha_year_row = alpha_year + year_scale * s
            beta_year_row = beta_year + year_scale * s

        mu = law.lm_log_perplexity(
            year,
            n,
            d,
            a=a[bidx],
            alpha_year=alpha_year_row,
            alpha_param=alpha_param,
            b=b[bidx],
            beta_year=beta_year_row,
            beta_data=beta_data,
            ref=design.ref,
            xp=pt,
        )
        if variant == "transformer":
            gamma = make_prior("gamma_transformer", p["gamma_transformer"])
            is_tf = pm.Data("transformer", design.transformer, dims="obs")
            mu = mu * (1.0 - is_tf * (1.0 - pm.math.sigmoid(gamma)))
            pm.Deterministic("transformer_factor", pm.math.sigmoid(gamma))
        if paper_effect:
            pidx = pm.Data("paper_idx", design.paper_idx, dims="obs")
            sigma_paper = make_prior("sigma_paper", p["sigma_paper"])
            z_paper = pm.Normal("z_paper", 0.0, 1.0, dims="paper")
            mu = mu + sigma_paper * z_paper[pidx]
        mu = pm.Deterministic("mu", mu, dims="obs")

        sigma = make_prior("sigma", p["sigma"])
        if likelihood == "student_t":
            nu = make_prior("nu", p["nu"])
            pm.StudentT("log_ppl", nu=nu, mu=mu, sigma=sigma, observed=y_obs, dims="obs")
        else:
            pm.Normal("log_ppl", mu=mu, sigma=sigma, observed=y_obs, dims="obs")

        if has_alpha_year or has_beta_year:
            rate = pm.Deterministic(
                "rate", law.lm_effective_compute_rate(alpha_year, alpha_param, beta_year, beta_data)
            )
            pm.Deterministic("doubling_time_years", law.LN2 / rate)
            pm.Deterministic("doubling_time_months", 12.0 * law.LN2 / rate)
            pm.Deterministic("multiplier_per_year", pt.exp(rate))
            if variant == "architecture_rates":
                pm.Deterministic(
                    "rate_transformer",
                    law.lm_effective_compute_rate(
                        alpha_year + d_alpha, alpha_param, beta_year + d_beta, beta_data
                    ),
                )
            if variant == "scale_rates":
                for c in SCALE_COMPUTE:
                    shift = year_scale * (np.log10(c) - c_mid)
                    r_c = law.lm_effective_compute_rate(
                        alpha_year + shift, alpha_param, beta_year + shift, beta_data
                    )
                    pm.Deterministic(f"rate_at_{c:.0e}".replace("+", ""), r_c)
    return model
