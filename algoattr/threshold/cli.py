"""Command line of ``python -m algoattr.threshold``: the parser and :func:`main`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from algoattr.cli import add_debug_argument, command, finite_float
from algoattr.errors import AlgoattrError, UsageError
from algoattr.threshold.frontier import ALEXNET_TOP5_ERROR, PROG, alexnet_level, threshold_frontier
from algoattr.threshold.sweep import threshold_sweep


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m algoattr.threshold``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Hernandez & Brown (2020) threshold method on the curated data.",
    )
    parser.add_argument("--benchmark", required=True, help="benchmark id or alias")
    parser.add_argument("--threshold", type=finite_float, help="value threshold (lower is better)")
    parser.add_argument(
        "--top5-threshold",
        type=finite_float,
        help=f"top-5 error threshold (ImageNet default {ALEXNET_TOP5_ERROR})",
    )
    parser.add_argument("--reference-model", default="AlexNet", help="ImageNet reference model")
    parser.add_argument(
        "--include-extra-data",
        action="store_true",
        help="keep rows trained with extra data (left out by default)",
    )
    parser.add_argument("--sweep", action="store_true", help="also sweep thresholds")
    parser.add_argument("--excluded", action="store_true", help="list every excluded row")
    parser.add_argument(
        "--json", action="store_true", help="print the results as JSON (for scripts), not text"
    )
    add_debug_argument(parser)
    return parser


@command(PROG)
def main(argv: Sequence[str] | None = None) -> int:
    """Command line: the threshold method on the project's data.

    Returns 0; an unknown benchmark or reference model, or a threshold that is not a finite
    number, prints one line and returns 2 (:mod:`algoattr.cli`).
    """
    args = build_parser().parse_args(argv)

    from algoattr.data import load_evaluations, resolve_benchmarks

    try:
        resolve_benchmarks(args.benchmark)
    except AlgoattrError:
        raise
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    data = load_evaluations([args.benchmark])
    exclude = not args.include_extra_data
    as_json: dict[str, Any] = {}
    for bench, df in data.groupby("benchmark", sort=False):
        if not args.json:
            print(f"== {bench} ==")
        kwargs: dict[str, Any] = {}
        if args.threshold is None and args.top5_threshold is None and bench == "imagenet":
            try:
                kwargs = alexnet_level(df, args.reference_model)
            except ValueError as exc:
                raise UsageError(f"--reference-model: {exc}") from exc
        else:
            kwargs = {"threshold": args.threshold, "top5_threshold": args.top5_threshold}
        result = threshold_frontier(df, exclude_extra_data=exclude, **kwargs)
        if args.json:
            as_json[str(bench)] = result.to_dict()
            continue
        print(result.summary())
        if args.excluded and not result.excluded.empty:
            print(result.excluded[["reason", "model"]].to_string(index=False))
        if args.sweep:
            print(threshold_sweep(df, exclude_extra_data=exclude).summary())
    if args.json:
        import json

        print(json.dumps(as_json, indent=2))
    return 0
