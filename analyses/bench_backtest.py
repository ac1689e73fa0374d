"""Wall time of the full out-of-time backtest, serial against ``--jobs 2``, in one run.

    python analyses/bench_backtest.py [--benchmark lm] [--fast | --draws N --tune N --chains N]
                                      [--bootstrap 100] [--jobs 2] [--seed 0] [--cutoffs 2016,...]

Runs :func:`algoattr.backtest.run_backtest` on the shipped rows twice in this process, every
default cut-off (or ``--cutoffs``) each time: first serially (``jobs=1``), then with ``--jobs``
worker processes (joblib), and prints both wall times, their ratio (serial / parallel, the
speed-up) and whether the two runs gave the same scores (every step is seeded per cut-off, so
they should). Nothing is written.

The serial run goes first; it may fill PyTensor's on-disk compilation cache that the workers
then read, which favours the parallel run a little. Each Bayesian fit samples its chains on up
to two threads (nutpie), so on a machine with few cores the workers compete for them; the
number of cores is printed beside the times. The machine is shared, so timings vary.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
import warnings
from collections.abc import Sequence

import pandas as pd

from algoattr import backtest
from algoattr.cli import nonnegative_int, positive_int
from algoattr.fit import BENCHMARK_CHOICES, fast_or_full
from algoattr.model.sampling import SamplerSettings


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    p = argparse.ArgumentParser(
        prog="python analyses/bench_backtest.py",
        description="Wall time of the full backtest, serial against parallel over cut-offs.",
    )
    p.add_argument("--benchmark", default="lm", choices=BENCHMARK_CHOICES)
    p.add_argument("--cutoffs", type=backtest.cutoff_list, default=None, metavar="YEARS")
    p.add_argument("--fast", action="store_true", help="2 chains x 500 draws per cut-off")
    p.add_argument("--draws", type=positive_int)
    p.add_argument("--tune", type=positive_int)
    p.add_argument("--chains", type=positive_int)
    p.add_argument("--bootstrap", type=positive_int, default=100)
    p.add_argument("--jobs", type=positive_int, default=2, help="workers of the parallel run")
    p.add_argument("--seed", type=nonnegative_int, default=0)
    return p


def timed(
    df: pd.DataFrame, task: str, ids: list[str], args: argparse.Namespace, jobs: int
) -> tuple[float, pd.DataFrame]:
    """Wall time (s) and scores of one backtest run with ``jobs`` workers."""
    base = fast_or_full(args.fast, seed=args.seed)
    settings = SamplerSettings(
        draws=args.draws or base.draws,
        tune=args.tune or base.tune,
        chains=args.chains or base.chains,
        seed=args.seed,
    )
    t0 = time.perf_counter()
    result = backtest.run_backtest(
        df,
        task,
        ids,
        args.cutoffs,
        benchmark=args.benchmark,
        settings=settings,
        n_boot=args.bootstrap,
        seed=args.seed,
        jobs=jobs,
    )
    return time.perf_counter() - t0, result.scores


def main(argv: Sequence[str] | None = None) -> int:
    """Run both backtests and print the times and their ratio."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore", message=".*BLAS.*")
    warnings.filterwarnings("ignore", category=FutureWarning)
    df, task, ids = backtest.load_backtest_rows(args.benchmark)
    print(f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    serial, a = timed(df, task, ids, args, 1)
    print(f"serial   (jobs 1): {serial:8.1f} s  ({a['cutoff'].nunique()} cut-offs)")
    parallel, b = timed(df, task, ids, args, args.jobs)
    print(f"parallel (jobs {args.jobs}): {parallel:8.1f} s")
    print(f"ratio serial / parallel: {serial / parallel:.2f}x")
    drop = ["wall_time_s"]
    same = a.drop(columns=drop).equals(b.drop(columns=drop))
    print(f"same scores in both runs: {'yes' if same else 'NO'}")
    if not same:
        a, b = a.drop(columns=drop), b.drop(columns=drop)
        cols = [c for c in a.columns if not a[c].equals(b[c])]
        rows = ~(a[cols] == b[cols]).all(axis=1) & ~(a[cols].isna() & b[cols].isna()).all(axis=1)
        print(f"differing columns: {', '.join(cols)}")
        show = ["cutoff", "method", *cols]
        print(pd.concat({"serial": a.loc[rows, show], "parallel": b.loc[rows, cols]}, axis=1))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
