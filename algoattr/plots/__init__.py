"""Figures of the reports: one function per figure, each taking a results object.

Every function returns a :class:`matplotlib.figure.Figure` built without ``pyplot`` (so no global
figure state and no GUI backend: figures render with Agg) and draws with seaborn where it helps.
:func:`to_data_uri` turns a figure into an inline ``data:`` URI for a self-contained HTML page.

Results objects
---------------
- :class:`algoattr.model.results.FitResult`: :func:`performance_vs_date`,
  :func:`performance_vs_compute`, :func:`doubling_time_posterior`, :func:`posterior_predictive`,
  :func:`residuals`, :func:`prior_posterior`.
- :class:`algoattr.attribution.AttributionResult`: :func:`attribution_shares`,
  :func:`compute_equivalent_multipliers`.
- :class:`algoattr.threshold.ThresholdResult` / :class:`~algoattr.threshold.ThresholdSweep`:
  :func:`threshold_curve`, :func:`threshold_sensitivity`.
- :class:`algoattr.ceg.CEGResult`: :func:`ceg_vs_compute`.
- :class:`algoattr.montecarlo.MonteCarloResult`: :func:`montecarlo_stack`.
- A retraining ladder's tables (``metrics.csv``, ``frontier.csv``, ``fits.csv`` of
  :mod:`algoattr.training`): :func:`training_frontiers`.

The figures live by family in :mod:`~algoattr.plots.fit`, :mod:`~algoattr.plots.priors`,
:mod:`~algoattr.plots.attribution`, :mod:`~algoattr.plots.threshold` (with CEG),
:mod:`~algoattr.plots.montecarlo` and :mod:`~algoattr.plots.training`; what they share is in
:mod:`~algoattr.plots.base`. Every name is importable from here.
"""

from algoattr.plots.attribution import (  # noqa: F401
    _segments,
    attribution_shares,
    compute_equivalent_multipliers,
)
from algoattr.plots.base import (  # noqa: F401 (importable from here)
    _FALLBACK_COLOURS,
    _PALETTE,
    _RC,
    ARCH_COLOURS,
    HOVER_PREFIX,
    KEY_PARAMS,
    PUBLISHED_DOUBLING_TIMES,
    _arch_legend,
    _arch_palette,
    _compute_of,
    _figure,
    _hover_labels,
    _is_lm,
    _log_months_axis,
    _metric_label,
    _observed_space,
    _posterior_mu,
    _predictive,
    _scatter_rows,
    _styled,
    _with_hover,
    arch_colour,
    to_data_uri,
)
from algoattr.plots.fit import (
    doubling_time_posterior,
    performance_vs_compute,
    performance_vs_date,
    posterior_predictive,
    residuals,
)
from algoattr.plots.montecarlo import (
    montecarlo_stack,
)
from algoattr.plots.priors import (  # noqa: F401
    _UNITS,
    prior_draws,
    prior_posterior,
)
from algoattr.plots.threshold import (
    ceg_vs_compute,
    threshold_curve,
    threshold_sensitivity,
)
from algoattr.plots.training import (  # noqa: F401
    training_frontiers,
)

__all__ = [
    "PUBLISHED_DOUBLING_TIMES",
    "attribution_shares",
    "ceg_vs_compute",
    "compute_equivalent_multipliers",
    "doubling_time_posterior",
    "montecarlo_stack",
    "performance_vs_compute",
    "performance_vs_date",
    "posterior_predictive",
    "prior_draws",
    "prior_posterior",
    "residuals",
    "threshold_curve",
    "threshold_sensitivity",
    "to_data_uri",
]
