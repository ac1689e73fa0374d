"""Command line of ``python -m algoattr.backtest``: the parser and :func:`main`."""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Sequence

from algoattr.backtest.cutoffs import MIN_TEST_ROWS, MIN_TRAIN_ROWS
from algoattr.backtest.predictions import PREDICTABLE_VARIANTS
from algoattr.backtest.report import write_outputs
from algoattr.backtest.run import load_backtest_rows, run_backtest
from algoattr.cli import add_debug_argument, command, nonnegative_int, positive_int
from algoattr.cli.fit import BENCHMARK_CHOICES
from algoattr.model.sampling import SAMPLERS, SamplerSettings
from algoattr.pipeline.fits import default_out_dir, fast_or_full

# ----------------------------------------------------------------------------- CLI


def cutoff_list(text: str) -> list[int]:
    """``2016,2017,2018`` as a list of distinct years (argparse type)."""
    years = []
    for part in text.split(","):
        try:
            year = int(part.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be comma-separated years such as 2016,2018, got {text!r}"
            ) from None
        if not 1990 <= year <= 2100:
            raise argparse.ArgumentTypeError(f"a cut-off year must lie in 1990-2100, got {year}")
        years.append(year)
    return sorted(set(years))


def variant_list(text: str) -> list[str]:
    """``both,scale_rates`` as a list of distinct backtest variants (argparse type)."""
    names = list(dict.fromkeys(v.strip() for v in text.split(",") if v.strip()))
    bad = [v for v in names if v not in PREDICTABLE_VARIANTS]
    if bad or not names:
        raise argparse.ArgumentTypeError(
            f"variants must be among {', '.join(PREDICTABLE_VARIANTS)}, got {text!r}"
        )
    return names


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m algoattr.backtest``."""
    p = argparse.ArgumentParser(
        prog="python -m algoattr.backtest",
        description="Out-of-time backtest: fit on rows public by each cut-off year, predict "
        "the later rows, score errors, interval coverage and the doubling time, for the "
        "Bayesian fit and the papers' estimator.",
    )
    p.add_argument(
        "--benchmark",
        required=True,
        choices=BENCHMARK_CHOICES,
        help="benchmark or task to backtest",
    )
    p.add_argument(
        "--cutoffs",
        type=cutoff_list,
        default=None,
        metavar="YEARS",
        help="comma-separated cut-off years (default: every year leaving "
        f"{MIN_TRAIN_ROWS} rows to fit and {MIN_TEST_ROWS} to predict)",
    )
    p.add_argument("--jobs", type=positive_int, default=1, help="cut-offs fitted in parallel")
    p.add_argument(
        "--variants",
        type=variant_list,
        default=["both"],
        metavar="NAMES",
        help="comma-separated LM variants, each fitted and scored as its own method: "
        f"{', '.join(PREDICTABLE_VARIANTS)} (default: both; ImageNet has one law)",
    )
    p.add_argument(
        "--seed",
        type=nonnegative_int,
        default=0,
        help="seed of the run; each cut-off derives its own",
    )
    p.add_argument("--fast", action="store_true", help="2 chains x 500 draws per cut-off")
    p.add_argument(
        "--sampler",
        choices=SAMPLERS,
        default="nutpie",
        help="sampler of the Bayesian fits (default nutpie)",
    )
    p.add_argument("--draws", type=positive_int, help="posterior draws per chain")
    p.add_argument("--tune", type=positive_int, help="warm-up steps per chain")
    p.add_argument("--chains", type=positive_int, help="number of chains")
    p.add_argument(
        "--bootstrap", type=positive_int, default=100, help="bootstrap refits of the estimator"
    )
    p.add_argument(
        "--out",
        default=None,
        help="output folder (default: reports/, or reports/fast/ for --fast or shorter "
        "sampler settings, as python -m algoattr.fit)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    add_debug_argument(p)
    return p


@command("python -m algoattr.backtest")
def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 data error, 2 usage error, 130
    interrupted; errors are one line on standard error)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(message)s")
    for name in ("pymc", "pytensor", "arviz", "numba"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*BLAS.*")
    base = fast_or_full(args.fast, args.sampler, args.seed)
    settings = SamplerSettings(
        sampler=args.sampler,
        draws=args.draws or base.draws,
        tune=args.tune or base.tune,
        chains=args.chains or base.chains,
        seed=args.seed,
        target_accept=base.target_accept,
    )
    df, task, ids = load_backtest_rows(args.benchmark)
    out_dir = args.out or default_out_dir(settings, args.fast)
    result = run_backtest(
        df,
        task,
        ids,
        args.cutoffs,
        benchmark=args.benchmark,
        settings=settings,
        n_boot=args.bootstrap,
        seed=args.seed,
        jobs=args.jobs,
        variants=args.variants,
    )
    result.extras["benchmarks"] = ids
    result.extras["command"] = "python -m algoattr.backtest " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    print(result.summary())
    paths = write_outputs(result, out_dir)
    print("\nwrote:")
    for p in paths.values():
        print(f"  {p}")
    return 0
