"""Command line: ``python -m algoattr.report`` (the obtaining of fits is
:func:`algoattr.pipeline.obtain_fit`; the rendering :mod:`algoattr.report`).

Examples
--------
::

    python -m algoattr.report --all                      # every benchmark, seed analyses, index
    python -m algoattr.report --fit reports/ptb_summary.json
    python -m algoattr.report --benchmark imagenet       # saved fit, else a --fast-like fit
    python -m algoattr.report --seed-analyses --index

With ``--all`` a report is written per benchmark of :data:`ALL_BENCHMARKS`, reusing a saved
fit ``<out>/<stem>_summary.json`` when present and otherwise fitting with the fast settings
(via :func:`algoattr.pipeline.load_or_fit`), then the seed-analyses report and ``index.html``.

A summary whose posterior is missing (posteriors are not committed, so a fresh clone has
summaries only) is fitted anew with the fast settings, with a line saying so.

Exit status: 0 on success, 2 on a usage error (an option out of range, ``--out`` that is a
file or not writable, a named fit that does not exist), 1 on a data error; each is one line
on standard error (:mod:`algoattr.cli`).
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from algoattr.cli import add_debug_argument, command, nonnegative_int, positive_int
from algoattr.errors import UsageError
from algoattr.outputs import output_folder
from algoattr.pipeline.fits import obtain_fit, stem_of
from algoattr.report.builder import build_fit_report, build_index, build_seed_report

PROG = "python -m algoattr.report"

#: Benchmarks of ``--all`` (CLI names, as ``python -m algoattr.fit --benchmark`` takes them).
ALL_BENCHMARKS = ("wikitext", "ptb", "imagenet")

log = logging.getLogger("algoattr.report")


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m algoattr.report``."""
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Write self-contained HTML reports (one per fit, the seed analyses, an index).",
    )
    p.add_argument("--all", action="store_true", help="every benchmark, seed analyses and index")
    p.add_argument("--fit", action="append", default=[], help="a saved *_summary.json (repeatable)")
    p.add_argument(
        "--benchmark", action="append", default=[], help="benchmark to report (repeatable)"
    )
    p.add_argument("--seed-analyses", action="store_true", help="write the seed-analyses report")
    p.add_argument("--index", action="store_true", help="write index.html")
    p.add_argument("--out", default="reports", help="output folder (default: reports/)")
    p.add_argument(
        "--seed", type=nonnegative_int, default=0, help="random seed of every step (default 0)"
    )
    p.add_argument("--refit", action="store_true", help="fit anew (fast) even if a fit is saved")
    p.add_argument(
        "--mc-draws", type=positive_int, default=100_000, help="Monte Carlo draws per scenario"
    )
    p.add_argument(
        "--attribution-draws",
        type=positive_int,
        default=1000,
        help="posterior draws used by the Shapley attribution (default 1000)",
    )
    p.add_argument("--reconciliation", help="reconciliation CSV (default: looked for)")
    add_debug_argument(p)
    return p


@command(PROG)
def main(argv: Sequence[str] | None = None, *, loader: Callable[..., Any] | None = None) -> int:
    """Entry point; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on a usage error, 0 on --help
        return int(exc.code or 0)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for name in ("pymc", "pytensor", "arviz", "numba", "matplotlib"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning)
    benchmarks = list(ALL_BENCHMARKS) if args.all else list(args.benchmark)
    if not (args.all or args.fit or benchmarks or args.seed_analyses or args.index):
        raise UsageError(
            "nothing to do; give --all, --fit, --benchmark, --seed-analyses or --index"
        )
    out = output_folder(args.out)
    written: list[Path] = []
    from algoattr.model.results import FitResult

    for path in args.fit:
        p = Path(path)
        if not p.is_file() and (out / p).is_file():
            p = out / p
        if not p.is_file():
            raise UsageError(f"no saved fit at {path}")
        fit = FitResult.load(p)
        stem = p.name.removesuffix("_summary.json")
        written.append(
            build_fit_report(
                fit, p.parent, stem, attribution_draws=args.attribution_draws, seed=args.seed
            )
        )
    from algoattr.previous_fit import read_previous

    for bench in benchmarks:
        # A refit replaces the saved fit: keep the old one to show what changed.
        previous = read_previous(out, stem_of(bench)) if args.refit else None
        fit = obtain_fit(bench, out, seed=args.seed, refit=args.refit, loader=loader)
        kwargs = {"previous": previous} if previous is not None else {}
        written.append(
            build_fit_report(
                fit,
                out,
                stem_of(bench),
                attribution_draws=args.attribution_draws,
                seed=args.seed,
                **kwargs,
            )
        )
    if args.all or args.seed_analyses:
        written.append(
            build_seed_report(
                out,
                mc_draws=args.mc_draws,
                seed=args.seed,
                reconciliation=Path(args.reconciliation) if args.reconciliation else None,
            )
        )
    if args.all or args.index:
        written.append(build_index(out))
    print("wrote:")
    for p in written:
        print(f"  {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
