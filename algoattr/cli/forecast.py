"""``python -m algoattr.forecast``: predicted perplexity and compute needs from a fit.

The command line of :mod:`algoattr.forecast` (which holds the forecasts themselves; its
docstring explains the compute split and the intervals).
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from algoattr.cli import (
    add_debug_argument,
    command,
    finite_float,
    nonnegative_int,
    positive_float,
)
from algoattr.errors import UsageError
from algoattr.forecast import (
    BENCHMARK_CHOICES,
    DEFAULT_TOKENS_PER_PARAM,
    forecast,
    target_from_model,
)

__all__ = ["build_parser", "main", "tokens_per_param_arg"]


def tokens_per_param_arg(text: str) -> float | None:
    """A positive number, or ``optimal`` (argparse type; ``None`` means optimal)."""
    if text.strip().lower() == "optimal":
        return None
    try:
        return positive_float(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"must be a positive number or 'optimal', got {text!r}"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m algoattr.forecast``."""
    p = argparse.ArgumentParser(
        prog="python -m algoattr.forecast",
        description="Forecast the perplexity a model of a given year and compute reaches, and "
        "the compute it needs for a target perplexity, with 95% credible intervals from a "
        "fit's posterior.",
    )
    p.add_argument("--benchmark", required=True, choices=BENCHMARK_CHOICES, help="fit to use")
    p.add_argument(
        "--on",
        default=None,
        metavar="BENCHMARK",
        help="benchmark whose constants are used (default: the target model's, else "
        "wikitext-103 when the fit has it, else the fit's first)",
    )
    p.add_argument("--year", required=True, type=finite_float, help="decimal year, e.g. 2027")
    p.add_argument("--compute", type=positive_float, help="training compute in FLOP")
    target = p.add_mutually_exclusive_group()
    target.add_argument(
        "--target-ppl",
        type=positive_float,
        metavar="X",
        help="target perplexity: the compute it needs",
    )
    target.add_argument("--target-model", metavar="NAME", help="a model of the curated rows")
    p.add_argument(
        "--tokens-per-param",
        type=tokens_per_param_arg,
        default=DEFAULT_TOKENS_PER_PARAM,
        metavar="R|optimal",
        help="split of C = 6ND: D = R*N (default 20, Chinchilla), or 'optimal': the fitted "
        "law's compute-optimal split per posterior draw",
    )
    p.add_argument("--fit", default=None, help="a saved fit's *_summary.json")
    p.add_argument(
        "--fits",
        default=None,
        metavar="DIR",
        help="where saved fits are looked for and a new one written (default reports/, "
        "reports/fast/ with --fast)",
    )
    p.add_argument("--fast", action="store_true", help="a new fit uses the fast settings")
    p.add_argument(
        "--seed",
        type=nonnegative_int,
        default=0,
        help="seed of a new fit and of the forecast draws",
    )
    p.add_argument("--json", default=None, metavar="PATH", help="also write the forecast as JSON")
    add_debug_argument(p)
    return p


@command("python -m algoattr.forecast")
def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 data error, 2 usage error; errors are
    one line on standard error)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for name in ("pymc", "pytensor", "arviz", "numba"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*BLAS.*")
    if args.compute is None and args.target_ppl is None and args.target_model is None:
        raise UsageError("give --compute, or a target (--target-ppl or --target-model), or both")
    target_ppl, source, notes, on = args.target_ppl, "given", [], args.on
    if args.target_model is not None:
        from algoattr.data import load_evaluations, resolve_benchmarks

        rows = load_evaluations(resolve_benchmarks(args.benchmark))
        target_ppl, bench, source, notes = target_from_model(args.target_model, rows, on)
        on = on or bench
    from algoattr.pipeline.fits import load_or_fit

    fits = args.fits or ("reports/fast" if args.fast else "reports")
    fit = load_or_fit(
        args.fit, benchmark=args.benchmark, seed=args.seed, out_dir=fits, fast=args.fast
    )
    if on is None:
        on = "wikitext-103" if "wikitext-103" in fit.benchmarks else fit.benchmarks[0]
    result = forecast(
        fit,
        benchmark=on,
        year=args.year,
        compute=args.compute,
        target_ppl=target_ppl,
        target_source=source,
        tokens_per_param=args.tokens_per_param,
        seed=args.seed,
    )
    result.notes.extend(notes)
    print(result.summary())
    if args.json:
        from algoattr.outputs import write_json

        print(f"wrote {write_json(Path(args.json), result.to_dict())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
