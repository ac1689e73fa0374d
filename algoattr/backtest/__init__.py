"""Out-of-time backtest of the scaling-law fits: ``python -m algoattr.backtest``.

For each cut-off year ``T`` the law is fitted on the rows that were public by the end of ``T``
and predicts every later usable row from its size (parameters and tokens; ImageNet: compute
and images) and date. Two methods are scored side by side on the same rows:

- ``bayes``: the PyMC fit (:func:`algoattr.fit.fit_lm` / :func:`algoattr.fit.fit_imagenet`,
  variant ``both``, no variant comparison), its posterior predictive distribution per held-out
  row (the law at every posterior draw plus the residual ``sigma``);
- the papers' estimator (``ho2024`` for language models, ``erdil2022`` for ImageNet, as in
  :mod:`algoattr.baselines`): the full-sample point prediction, and percentile intervals of the
  bootstrap refits' predictions (intervals for the law's mean, which is what the papers'
  bootstrap gives); ``<paper>+resid`` adds a Normal residual to each bootstrap prediction
  (Ho et al.: the point fit's training RMSE; Erdil & Besiroglu: each refit's own ``σ``), a
  predictive interval of the same kind as the Bayesian one.

Scores per (cut-off, method), on the law's scale (log perplexity for language models, logit of
top-1 accuracy for ImageNet): the median absolute error of the point prediction (the posterior
predictive median for ``bayes``), the share of held-out rows inside the central 50% and 90%
intervals, and the doubling time of effective compute estimated at ``T`` (median and 95%
interval).

Cut-offs
--------
A row belongs to the fit at cut-off ``T`` when its figure was public by the end of year ``T``:
its publication date and, when the figure was first published later (``evaluation_date``),
that date too, fall in year ``T`` or earlier. The selection rules (the project's default, as
``python -m algoattr.fit``) are applied to those rows alone, so no later row can change which
earlier rows are kept (the best-3-per-paper rule). The held-out rows are the rows that the same
rules keep on the full data and that are not public by the end of ``T``. Held-out rows of a
benchmark that has no row in the fit cannot be predicted (their constants are unknown); they
are counted in ``n_unpredictable``.

Examples
--------
::

    python -m algoattr.backtest --benchmark lm --fast --jobs 2
    python -m algoattr.backtest --benchmark imagenet --cutoffs 2018,2020 --out /tmp/bt
"""

from __future__ import annotations

from algoattr.backtest.cli import build_parser, cutoff_list, main
from algoattr.backtest.cutoffs import (
    MIN_FIT_ROWS,
    MIN_TEST_ROWS,
    MIN_TRAIN_ROWS,
    available_year,
    check_cutoff,
    cutoff_rows,
    default_cutoffs,
    split_at,
)
from algoattr.backtest.predictions import (
    PREDICTABLE_VARIANTS,
    PaperFit,
    law_mean,
    paper_fit,
    posterior_predictive,
)
from algoattr.backtest.report import (
    DOUBLING_AXIS_MONTHS,
    PAPER_METHOD,
    REPORT_TEMPLATE,
    build_backtest_report,
    doubling_figure,
    predicted_figure,
    write_outputs,
)
from algoattr.backtest.run import (
    SCALE,
    BacktestResult,
    Fitter,
    backtest_cutoff,
    bayes_fit,
    bayes_method,
    cutoff_seed,
    is_bayes,
    load_backtest_rows,
    log,
    run_backtest,
)
from algoattr.backtest.scoring import CI_PROBS, central_interval, coverage, observed, score
from algoattr.model.design import resolve_rules  # the selection rules the backtest applies

__all__ = [
    "CI_PROBS",
    "DOUBLING_AXIS_MONTHS",
    "MIN_FIT_ROWS",
    "MIN_TEST_ROWS",
    "MIN_TRAIN_ROWS",
    "PAPER_METHOD",
    "PREDICTABLE_VARIANTS",
    "REPORT_TEMPLATE",
    "SCALE",
    "BacktestResult",
    "Fitter",
    "PaperFit",
    "available_year",
    "backtest_cutoff",
    "bayes_fit",
    "bayes_method",
    "build_backtest_report",
    "build_parser",
    "central_interval",
    "check_cutoff",
    "coverage",
    "cutoff_list",
    "cutoff_rows",
    "cutoff_seed",
    "default_cutoffs",
    "doubling_figure",
    "is_bayes",
    "law_mean",
    "load_backtest_rows",
    "log",
    "main",
    "observed",
    "paper_fit",
    "posterior_predictive",
    "predicted_figure",
    "resolve_rules",
    "run_backtest",
    "score",
    "split_at",
    "write_outputs",
]
