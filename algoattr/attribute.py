"""Command line: Shapley attribution of model pairs from a fitted law.

    python -m algoattr.attribute --benchmark imagenet
    python -m algoattr.attribute --benchmark wikitext-103 --pair "Transformer-XL Large" "Mega"

Without ``--pair`` the reference pairs of ``datasets/reference_pairs.yaml`` are used. The law's
draws come from :func:`load_or_fit` (``--fit PATH`` to reuse a saved fit; on a fresh clone,
where ``reports/`` holds summaries without posteriors, the fit is made and saved first);
``--draws`` subsamples them with ``--seed``. Model inputs (year, parameters, training tokens or
images, compute) are taken from the fit's rows, or, for models outside the fit sample (e.g.
zero-shot rows), from the benchmark's CSV, which the output then says.

Exit status: 0 on success, 2 on a usage error (unknown benchmark or model, missing inputs,
an option out of range, ``algoattr.fit`` not available), 1 on a data error (a pairs file that
does not parse, a saved fit without its posterior); each is one line on standard error
(:mod:`algoattr.cli`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from algoattr import attribution as at
from algoattr.cli import add_debug_argument, command, nonnegative_int, positive_int, probability
from algoattr.errors import AlgoattrError, MissingFitError, UsageError
from algoattr.outputs import write_csv
from algoattr.pairs import (
    IMAGENET,
    IMAGENET_INPUTS,
    LM_INPUTS,
    REFERENCE_PAIRS,
    attribute_pairs,
    dataset_rows,
    inputs_for,
    load_reference_pairs,
    model_rows,
    subsample_draws,
)

PROG = "python -m algoattr.attribute"

__all__ = [
    "IMAGENET",
    "IMAGENET_INPUTS",
    "LM_INPUTS",
    "REFERENCE_PAIRS",
    "attribute_pairs",
    "inputs_for",
    "load_or_fit",
    "load_reference_pairs",
    "main",
    "model_rows",
    "subsample_draws",
]


def load_or_fit(
    path: str | Path | None = None,
    *,
    benchmark: str,
    seed: int = 0,
    out_dir: str | Path = "reports",
) -> Any:
    """A saved fit of ``benchmark``, else a new one with the default settings (saved).

    As :func:`algoattr.fit.load_or_fit`, and also when ``out_dir`` holds a summary whose
    posterior is missing: posteriors are not committed, so a fresh clone has the summaries of
    ``reports/`` without them. A line on standard error says that a fit is being made.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A saved ``*_summary.json``; when given it must be complete.
    benchmark : str
        Benchmark id or alias.
    seed : int
        Seed of a new fit.
    out_dir : str or pathlib.Path
        Where saved fits are looked for and a new one is written.

    Returns
    -------
    FitResult
    """
    try:
        from algoattr import fit as fitting
    except ImportError as exc:  # pragma: no cover - the fit module ships with the package
        raise UsageError(f"algoattr.fit is not available ({exc}); cannot obtain draws") from exc
    try:
        return fitting.load_or_fit(path, benchmark=benchmark, seed=seed, out_dir=out_dir)
    except MissingFitError:
        if path is not None:
            raise
    print(
        f"{PROG}: no saved posterior of {benchmark} in {out_dir}/ (posteriors are not "
        f"committed); fitting it now (`python -m algoattr.fit --benchmark {benchmark}`)",
        file=sys.stderr,
        flush=True,
    )
    result = fitting.run_fit(benchmark, settings=fitting.fast_or_full(False, seed=seed))
    result.save(out_dir, fitting.stem_of(benchmark))
    return result


def _default_loader() -> Callable[..., Any]:
    return load_or_fit


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Exact Shapley attribution (algorithms, compute, data) between model pairs.",
    )
    p.add_argument("--benchmark", required=True, help="benchmark id, e.g. imagenet, wikitext-103")
    p.add_argument(
        "--pair",
        nargs=2,
        action="append",
        metavar=("A", "B"),
        help="model pair A -> B (repeatable); default: the benchmark's reference pairs",
    )
    p.add_argument("--fit", default=None, help="saved fit to load (default: load or fit)")
    p.add_argument("--draws", type=positive_int, default=None, help="use at most this many draws")
    p.add_argument(
        "--seed", type=nonnegative_int, default=0, help="seed for the fit and the subsample"
    )
    p.add_argument("--interval", type=probability, default=0.9, help="central interval (0.9)")
    p.add_argument("--pairs-file", default=None, help="reference pairs YAML")
    p.add_argument("--csv", default=None, help="write the tidy table to this CSV file")
    add_debug_argument(p)
    return p


@command(PROG)
def main(
    argv: Sequence[str] | None = None,
    *,
    loader: Callable[..., Any] | None = None,
    dataset: pd.DataFrame | None = None,
) -> int:
    """Run the command line; returns the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default ``sys.argv[1:]``).
    loader : callable, optional
        Replaces :func:`algoattr.fit.load_or_fit`; called as
        ``loader(path=..., benchmark=..., seed=...)``.
    dataset : pandas.DataFrame, optional
        Replaces the benchmark's rows from :func:`algoattr.data.load_evaluations`.
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on a usage error, 0 on --help
        return int(exc.code or 0)
    bench = args.benchmark
    if args.pair:
        pairs = [tuple(p) for p in args.pair]
    else:
        reference = load_reference_pairs(args.pairs_file)
        if bench not in reference:
            raise UsageError(
                f"no reference pairs for {bench!r} (have: {', '.join(reference)}); use --pair"
            )
        pairs = reference[bench]
    if dataset is None:
        try:
            dataset = dataset_rows(bench)
        except AlgoattrError:
            raise
        except ValueError as exc:  # unknown benchmark, with the known ids
            raise UsageError(str(exc)) from exc
    # Check the names against the data before any (slow) fit.
    model_rows(sorted({m for p in pairs for m in p}), bench, None, dataset)
    load = loader or _default_loader()
    fit = load(path=args.fit, benchmark=bench, seed=args.seed)
    try:
        result, outside = attribute_pairs(fit, bench, pairs, dataset, args.draws, args.seed)
    except AlgoattrError:
        raise
    except (ValueError, KeyError) as exc:  # e.g. a benchmark the fit does not cover
        raise UsageError(str(exc.args[0] if exc.args else exc)) from exc
    print(result.summary(interval=args.interval))
    if "compute" in result.groups:
        large = at.compute_share_of_large_gains(result, interval=args.interval)
        print(
            f"\ncompute's share of the predicted log-perplexity change, pairs whose predicted "
            f"perplexity falls by more than 1 ({len(large)} of {result.n_pairs}); "
            "Ho et al. 2024 report about 60-95%:"
        )
        for r in large.itertuples():
            print(
                f"  {r.pair}: {100 * r.median:.0f}% [{100 * r.lower:.0f}, {100 * r.upper:.0f}] "
                f"(perplexity {r.perplexity_change:+.1f})"
            )
    if outside:
        print(
            "\nnot in the fit sample (inputs from the dataset, law extrapolated): "
            + ", ".join(outside)
        )
    if args.csv:
        write_csv(result.table(interval=args.interval), args.csv)
        print(f"\ntable written to {args.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
