"""Fit the augmented scaling law to the curated data: ``python -m algoattr.fit``.

Examples
--------
::

    python -m algoattr.fit --benchmark wikitext
    python -m algoattr.fit --benchmark ptb --fast
    python -m algoattr.fit --benchmark imagenet --baseline --out reports/
    python -m algoattr.fit --benchmark ptb --fast --json > ptb.json   # for scripts

A shim that keeps this import path: the fit is :mod:`algoattr.pipeline.fits` (and the fits
themselves :mod:`algoattr.fitting`), the command line :mod:`algoattr.cli.fit`.
"""

from __future__ import annotations

import sys

from algoattr.cli.fit import (  # noqa: F401 (importable from here)
    BENCHMARK_CHOICES,
    build_parser,
    main,
    rules_from_args,
)
from algoattr.errors import DataError, MissingFitError, UsageError  # noqa: F401
from algoattr.fitting import (  # noqa: F401 (the fits live there; importable from here)
    CEG_COMPUTE,
    CEG_YEAR,
    architecture_rates_summary,
    fit_imagenet,
    fit_lm,
    loo_compare,
    scale_dependence_summary,
    transformer_ceg_summary,
)
from algoattr.model.design import (  # noqa: F401
    LM_TASK,
    RULE_SET_NOTES,
    RULE_SETS,
    SelectionRules,
    resolve_rules,
    select_rows,
)
from algoattr.model.results import FitResult  # noqa: F401
from algoattr.model.sampling import SAMPLERS, SamplerSettings  # noqa: F401
from algoattr.pipeline.fits import (  # noqa: F401 (importable from here)
    SENSITIVITY_MODES,
    default_out_dir,
    fast_or_full,
    load_or_fit,
    run_fit,
    select_or_fail,
    stem_of,
    task_of,
)

if __name__ == "__main__":
    sys.exit(main())
