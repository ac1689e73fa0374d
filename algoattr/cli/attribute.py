"""Command line ``python -m algoattr.attribute``: Shapley attribution of model pairs.

    python -m algoattr.attribute --benchmark imagenet
    python -m algoattr.attribute --benchmark wikitext-103 --pair "Transformer-XL Large" "Mega"

Without ``--pair`` the reference pairs of ``datasets/reference_pairs.yaml`` are used. After the
pairs comes one answer for the benchmark (:mod:`algoattr.aggregate`): compute's, algorithms'
and data's share of the predicted change from the earliest to the latest of the models in the
pairs (those in the fit sample), per posterior draw, beside Ho et al. 2024's published 60-95%
compute share. ``--json`` prints all of it as one JSON document and nothing else on standard
output. The law's draws come from :func:`algoattr.pipeline.load_or_fit_on_demand` (``--fit
PATH`` to reuse a saved fit; on a fresh clone, where ``reports/`` holds summaries without
posteriors, the fit is made and saved first); ``--draws`` subsamples them with ``--seed``.
Model inputs (year, parameters, training tokens or images, compute) are taken from the fit's
rows, or, for models outside the fit sample (e.g. zero-shot rows), from the benchmark's CSV,
which the output then says.

Exit status: 0 on success, 2 on a usage error (unknown benchmark or model, missing inputs,
an option out of range, ``algoattr.fit`` not available), 1 on a data error (a pairs file that
does not parse, a saved fit without its posterior); each is one line on standard error
(:mod:`algoattr.cli`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from algoattr import attribution as at
from algoattr.aggregate import AggregateShares, whole_period_shares
from algoattr.cli import (
    add_ci_prob_argument,
    add_debug_argument,
    command,
    nonnegative_int,
    positive_int,
)
from algoattr.errors import AlgoattrError, UsageError
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
from algoattr.pipeline.fits import load_or_fit_on_demand
from algoattr.published import HO2024_COMPUTE_SHARE

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


#: :func:`algoattr.pipeline.load_or_fit_on_demand`: a saved fit, else a new one (saved).
load_or_fit = load_or_fit_on_demand


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
    add_ci_prob_argument(p, "posterior")
    p.add_argument("--pairs-file", default=None, help="reference pairs YAML")
    p.add_argument("--csv", default=None, help="write the tidy table to this CSV file")
    p.add_argument(
        "--json",
        action="store_true",
        help="print the shares and the whole-period answer as JSON (for scripts), not text",
    )
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
    if args.json:  # nothing but the JSON document on standard output
        from algoattr.jsonout import stdout_to_stderr

        with stdout_to_stderr():
            fit = load(path=args.fit, benchmark=bench, seed=args.seed)
    else:
        fit = load(path=args.fit, benchmark=bench, seed=args.seed)
    try:
        result, outside = attribute_pairs(fit, bench, pairs, dataset, args.draws, args.seed)
        whole = whole_period_shares(
            fit, bench, [m for p in pairs for m in p], dataset, args.draws, args.seed
        )
    except AlgoattrError:
        raise
    except (ValueError, KeyError) as exc:  # e.g. a benchmark the fit does not cover
        raise UsageError(str(exc.args[0] if exc.args else exc)) from exc
    large = (
        at.compute_share_of_large_gains(result, ci_prob=args.ci_prob)
        if "compute" in result.groups and result.law == "lm"
        else None
    )
    if args.csv:
        write_csv(result.table(ci_prob=args.ci_prob), args.csv)
    if args.json:
        print(json.dumps(_as_json(args, result, whole, large, outside), indent=2))
        return 0
    print(
        "values below are the fitted law's PREDICTIONS at each model's inputs, not the "
        "observed perplexities or errors"
    )
    print(result.summary(ci_prob=args.ci_prob))
    if large is not None:
        print(
            f"\ncompute's share of the predicted log-perplexity change, pairs whose predicted "
            f"perplexity falls by more than 1 ({len(large)} of {result.n_pairs}); "
            f"{HO2024_COMPUTE_SHARE.paper} report about "
            f"{100 * HO2024_COMPUTE_SHARE.lower:.0f}-{100 * HO2024_COMPUTE_SHARE.upper:.0f}%:"
        )
        for r in large.itertuples():
            print(
                f"  {r.pair}: {100 * r.median:.0f}% [{100 * r.lower:.0f}, {100 * r.upper:.0f}] "
                f"(perplexity {r.perplexity_change:+.1f})"
            )
    print()
    print(whole.summary(ci_prob=args.ci_prob))
    if outside:
        print(
            "\nnot in the fit sample (inputs from the dataset, law extrapolated): "
            + ", ".join(outside)
        )
    if args.csv:
        print(f"\ntable written to {args.csv}")
    return 0


def _as_json(
    args: argparse.Namespace,
    result: at.AttributionResult,
    whole: AggregateShares,
    large: pd.DataFrame | None,
    outside: list[str],
) -> dict[str, Any]:
    """The ``--json`` document: settings, the whole-period answer, per-pair group shares."""

    def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        return json.loads(frame.to_json(orient="records"))  # NaN and infinities -> null

    table = result.table(ci_prob=args.ci_prob)
    groups = table[(table["grouping"].isin(["group", "total"]))]
    return {
        "benchmark": args.benchmark,
        "law": result.law,
        "n_pairs": result.n_pairs,
        "n_draws": result.n_draws,
        "seed": int(args.seed),
        "ci_prob": float(args.ci_prob),
        "whole_period": whole.to_dict(ci_prob=args.ci_prob),
        "published_compute_share": None
        if result.law != "lm"
        else {
            "paper": HO2024_COMPUTE_SHARE.paper,
            "lower": HO2024_COMPUTE_SHARE.lower,
            "upper": HO2024_COMPUTE_SHARE.upper,
            "note": HO2024_COMPUTE_SHARE.note,
        },
        "compute_share_of_large_gains": None if large is None else records(large),
        "pairs": records(groups),
        "outside_fit_sample": list(outside),
        "null_means": "not a finite number (e.g. a share of a change of zero)",
    }


if __name__ == "__main__":
    sys.exit(main())
