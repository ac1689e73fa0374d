"""The published papers' estimators, run on the same rows as the Bayesian fit.

Every report can show the Bayesian posterior next to the method each paper used:

- :func:`ho2024_estimator`: Ho et al. 2024's "model 7" for language models, fitted by minimising
  the mean squared error of log-perplexity plus an L1 penalty, with bootstrap intervals.
- :func:`erdil2022_estimator`: Erdil & Besiroglu 2022's two-sigmoid ImageNet law, fitted by
  maximum a posteriori with their priors, with bootstrap intervals.
- :func:`ols_clustered`: a linear regression with paper-clustered standard errors, a
  transparent reference point for both tasks.
- :func:`run_all` picks the estimators for a :class:`~algoattr.model.results.FitResult`;
  :func:`format_table` prints them side by side.

The laws themselves are taken from :mod:`algoattr.law`; this module only supplies objectives,
gradients, optimisers and resampling.

References
----------
Ho, A., Besiroglu, T., Erdil, E., et al. (2024). Algorithmic progress in language models.
arXiv:2403.05140.
Erdil, E. & Besiroglu, T. (2022). Algorithmic progress in computer vision. arXiv:2212.05153.
"""

from __future__ import annotations

from algoattr.baselines.dispatch import format_published, format_table, run_all
from algoattr.baselines.erdil2022 import ERDIL_OTHER_PRIOR_SD as ERDIL_OTHER_PRIOR_SD
from algoattr.baselines.erdil2022 import (
    ERDIL_PARAMS,
    ErdilDesign,
    erdil2022_estimator,
    erdil2022_fit,
    erdil2022_objective,
)
from algoattr.baselines.erdil2022 import ERDIL_SLOPE_PRIOR_SD as ERDIL_SLOPE_PRIOR_SD
from algoattr.baselines.ho2024 import HO_BASE_BENCHMARK as HO_BASE_BENCHMARK
from algoattr.baselines.ho2024 import HO_DELTA as HO_DELTA
from algoattr.baselines.ho2024 import HO_DUMMIES as HO_DUMMIES
from algoattr.baselines.ho2024 import HoDesign, ho2024_estimator, ho2024_fit, ho2024_objective
from algoattr.baselines.ols import ols_clustered
from algoattr.baselines.result import IMAGENET_TASK as IMAGENET_TASK
from algoattr.baselines.result import LM_TASK as LM_TASK
from algoattr.baselines.result import BaselineResult, doubling_summary, months_from_rate
from algoattr.published import ERDIL2022_PUBLISHED, HO2024_PUBLISHED

__all__ = [
    "ERDIL2022_PUBLISHED",
    "ERDIL_PARAMS",
    "HO2024_PUBLISHED",
    "BaselineResult",
    "ErdilDesign",
    "HoDesign",
    "doubling_summary",
    "erdil2022_estimator",
    "erdil2022_fit",
    "erdil2022_objective",
    "format_published",
    "format_table",
    "ho2024_estimator",
    "ho2024_fit",
    "ho2024_objective",
    "months_from_rate",
    "ols_clustered",
    "run_all",
]
