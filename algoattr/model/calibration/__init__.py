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

from algoattr.model.calibration.sbc import (
    DEFAULT_RANK_DRAWS,
    SBC_CI_PROBS,
    SBC_QUANTITIES,
    Estimator,
    SBCResult,
    run_sbc,
)
from algoattr.model.calibration.simulation import (
    DEFAULT_Y_RANGE,
    PriorDatasets,
    accept_dataset,
    draw_prior_datasets,
    simulate_lm,
    with_log_ppl,
)
from algoattr.model.calibration.statistics import (
    CoverageSummary,
    central_interval,
    coverage_summary,
    covers,
    format_rank_histogram,
    rank_histogram,
    rank_of,
    thin,
    uniformity_pvalue,
)

__all__ = [
    "DEFAULT_RANK_DRAWS",
    "DEFAULT_Y_RANGE",
    "SBC_CI_PROBS",
    "SBC_QUANTITIES",
    "CoverageSummary",
    "Estimator",
    "PriorDatasets",
    "SBCResult",
    "accept_dataset",
    "central_interval",
    "coverage_summary",
    "covers",
    "draw_prior_datasets",
    "format_rank_histogram",
    "rank_histogram",
    "rank_of",
    "run_sbc",
    "simulate_lm",
    "thin",
    "uniformity_pvalue",
    "with_log_ppl",
]
