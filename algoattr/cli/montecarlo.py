"""``python -m algoattr.montecarlo SCENARIO``: run a Monte Carlo multiplier stack.

The command line of :mod:`algoattr.montecarlo` (which holds the stacks themselves).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from algoattr.cli import (
    add_ci_prob_argument,
    add_debug_argument,
    command,
    nonnegative_int,
    positive_int,
)
from algoattr.montecarlo import run_scenario
from algoattr.outputs import write_csv

__all__ = ["PROG", "build_parser", "main"]

PROG = "python -m algoattr.montecarlo"


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m algoattr.montecarlo``."""
    parser = argparse.ArgumentParser(prog=PROG, description="Run a Monte Carlo multiplier stack.")
    parser.add_argument("scenario", type=Path, help="scenario YAML file")
    parser.add_argument(
        "--draws", type=positive_int, default=100_000, help="Monte Carlo draws (default 100000)"
    )
    parser.add_argument("--seed", type=nonnegative_int, default=0, help="random seed (default 0)")
    add_ci_prob_argument(parser, "reported")
    parser.add_argument("--csv", type=Path, help="also write the table as CSV")
    parser.add_argument(
        "--json", action="store_true", help="print the table as JSON (for scripts), not text"
    )
    add_debug_argument(parser)
    return parser


@command(PROG)
def main(argv: Sequence[str] | None = None) -> int:
    """Command line: run a scenario file and print its table.

    Returns 0; a bad scenario or option prints one line (see :mod:`algoattr.cli`) and
    returns 1 (the file) or 2 (the options).
    """
    args = build_parser().parse_args(argv)
    result = run_scenario(args.scenario, draws=args.draws, seed=args.seed, ci_prob=args.ci_prob)
    if args.json:
        import json

        doc = {
            "scenario": result.scenario.name,
            "draws": int(args.draws),
            "seed": int(args.seed),
            "ci_prob": float(args.ci_prob),
            "rows": json.loads(result.table().to_json(orient="records")),
        }
        print(json.dumps(doc, indent=2))
    else:
        print(result.summary())
    if args.csv:
        write_csv(result.table(), args.csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
