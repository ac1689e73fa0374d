"""Command line: ``python -m algoattr.report``.

Examples
--------
::

    python -m algoattr.report --all                      # every benchmark, seed analyses, index
    python -m algoattr.report --fit reports/ptb_summary.json
    python -m algoattr.report --benchmark imagenet       # saved fit, else a --fast-like fit
    python -m algoattr.report --seed-analyses --index

With ``--all`` a report is written per benchmark of :data:`ALL_BENCHMARKS`, reusing a saved
fit ``<out>/<stem>_summary.json`` when present and otherwise fitting with the fast settings
(via :func:`algoattr.fit.load_or_fit`), then the seed-analyses report and ``index.html``.

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
from algoattr.errors import MissingFitError, UsageError
from algoattr.outputs import output_folder
from algoattr.report.builder import build_fit_report, build_index, build_seed_report

PROG = "python -m algoattr.report"

#: Benchmarks of ``--all`` (CLI names, as ``python -m algoattr.fit --benchmark`` takes them).
ALL_BENCHMARKS = ("wikitext", "ptb", "imagenet")

log = logging.getLogger("algoattr.report")


def stem_of(benchmark: str) -> str:
    """File stem of a benchmark's outputs (as :func:`algoattr.fit.stem_of`)."""
    return benchmark.replace("/", "_")


def obtain_fit(
    benchmark: str,
    out_dir: Path,
    *,
    seed: int = 0,
    refit: bool = False,
    loader: Callable[..., Any] | None = None,
) -> Any:
    """A saved fit of ``benchmark`` in ``out_dir``, else a new fast one (saved there).

    Parameters
    ----------
    benchmark : str
        Benchmark id or alias.
    out_dir : pathlib.Path
        Where saved fits are looked for and new ones written.
    seed : int
        Seed of a new fit.
    refit : bool
        Fit anew even if a saved fit exists.
    loader : callable, optional
        Replaces :func:`algoattr.fit.load_or_fit` (called with ``path``, ``benchmark``,
        ``seed``, ``out_dir``, ``fast``).

    Returns
    -------
    FitResult
    """
    if loader is None:
        from algoattr.fit import load_or_fit as loader
    saved = out_dir / f"{stem_of(benchmark)}_summary.json"
    if saved.is_file() and not refit:
        log.info("reusing saved fit %s", saved)
        try:
            return loader(path=saved, benchmark=benchmark, seed=seed, out_dir=out_dir, fast=True)
        except MissingFitError:  # a summary without its posterior (a fresh clone)
            print(f"{saved}: the saved fit is incomplete; fitting {benchmark} now (fast settings)")
            refit = True
    if refit:
        from algoattr.fit import fast_or_full, run_fit

        fit = run_fit(benchmark, settings=fast_or_full(True, seed=seed), fast=True)
        fit.save(out_dir, stem_of(benchmark))
    else:
        fit = loader(path=None, benchmark=benchmark, seed=seed, out_dir=out_dir, fast=True)
    if not fit.extras.get("command"):
        fit.extras["command"] = (
            f"python -m algoattr.fit --benchmark {benchmark} --fast --seed {seed}"
        )
    return fit


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
