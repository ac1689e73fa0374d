"""Run a study: obtain fits, then compute everything the reports show.

:mod:`algoattr.pipeline.fits` obtains a fit (load a saved one or fit anew). The analyses a
report shows are computed here too, so that :mod:`algoattr.report` only renders.
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

__all__ = [
    "SENSITIVITY_MODES",
    "default_out_dir",
    "fast_or_full",
    "load_or_fit",
    "load_or_fit_on_demand",
    "obtain_fit",
    "run_fit",
    "select_or_fail",
    "stem_of",
    "task_of",
]
