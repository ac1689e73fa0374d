#!/usr/bin/env bash
# Regenerate every committed fit, report and table under reports/ with the full settings
# (seed 0; nutpie, 4 chains x 2000 draws after 1500 warm-up; ImageNet 3000 draws). Each fit
# also writes its row-influence and rule-sensitivity tables; then the out-of-time backtests,
# the reconciliation and the index. About 30 minutes on 2 cores (31 min measured).
#
#   bash analyses/regenerate_reports.sh
set -euo pipefail
fit() { python -m algoattr.fit --quiet --baseline "$@"; }
fit --benchmark wikitext
fit --benchmark ptb
fit --benchmark lm
fit --benchmark lm --rules ho2024
fit --benchmark imagenet --draws 3000
fit --benchmark imagenet --draws 3000 --rules erdil2022
python -m algoattr.backtest --benchmark lm --quiet --variants both,scale_rates,architecture_rates
python -m algoattr.backtest --benchmark imagenet --quiet
python analyses/reconcile.py
python -m algoattr.report --all
