"""Run a study: obtain fits, then compute everything the reports show.

- :mod:`~algoattr.pipeline.fits`: obtain a fit (:func:`run_fit`; :func:`load_or_fit` reuses
  a saved one; :func:`load_or_fit_on_demand` and :func:`obtain_fit` also fit when a saved
  summary lacks its posterior).
- :mod:`~algoattr.pipeline.attribution`: the reference pairs' Shapley attribution.
- :mod:`~algoattr.pipeline.analyses`: the seed analyses (threshold method, compute-equivalent
  gains, Monte Carlo stacks, reconciliation table, retraining results).
- :mod:`~algoattr.pipeline.discovery`: where the inputs are found.
- :mod:`~algoattr.pipeline.study`: :func:`run_study` and its frozen bundles,
  :class:`FitStudy`, :class:`SeedStudy` and :class:`Study`, which :mod:`algoattr.report`
  renders without computing.

>>> from algoattr.pipeline import run_study  # doctest: +SKIP
>>> study = run_study(["ptb"], "reports")  # doctest: +SKIP
>>> study.fits["ptb"].attribution  # doctest: +SKIP
"""

from algoattr.pipeline.fits import (
    SENSITIVITY_MODES,
    default_out_dir,
    fast_or_full,
    load_or_fit,
    load_or_fit_on_demand,
    obtain_fit,
    run_fit,
    select_or_fail,
    stem_of,
    task_of,
)
from algoattr.pipeline.study import FitStudy, SeedStudy, Study, fit_study, run_study, seed_study

__all__ = [
    "SENSITIVITY_MODES",
    "FitStudy",
    "SeedStudy",
    "Study",
    "default_out_dir",
    "fast_or_full",
    "fit_study",
    "load_or_fit",
    "load_or_fit_on_demand",
    "obtain_fit",
    "run_fit",
    "run_study",
    "seed_study",
    "select_or_fail",
    "stem_of",
    "task_of",
]
