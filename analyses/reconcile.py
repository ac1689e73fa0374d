"""One table reconciling every estimate of algorithmic progress in the package.

Each method's rate (multiplier per year, doubling time) and its cumulative gain over an
explicitly stated window, with its interval and the data it used: the observational Bayesian
fits (language models and ImageNet), the papers' estimators on the same rows, the published
point estimates, the threshold method, Gundlach et al.'s extrapolation, the retraining suite's
LSTM → Transformer gain, and the Monte Carlo stack; and what share of the largest estimate the
others account for (in log terms and as a ratio). See :mod:`algoattr.reconcile`.

Saved fits in ``--reports`` (``lm_summary.json``, ``imagenet_summary.json``) are reused; where
none exists the fit is run (fast settings with ``--fast``) and saved there.

Usage::

    python analyses/reconcile.py [--fast] [--start 2012-01-01] [--end 2023-01-01]
                                 [--out reports/reconciliation.csv]
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Run as a script, the repository root is not on sys.path; put it first so that ``algoattr`` is
# the source tree's regular package (a stale editable install can otherwise resolve it as a
# namespace package, without ``algoattr.__version__``).
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from algoattr.cli import add_debug_argument, command  # noqa: E402
from algoattr.outputs import write_csv  # noqa: E402
from algoattr.reconcile import (  # noqa: E402
    DEFAULT_END,
    DEFAULT_START,
    build_estimates,
    format_table,
    reconciliation_table,
)

#: Fits used, as (label, benchmark alias); their saved files are ``<alias>_summary.json``.
FITS = (("language models", "lm"), ("ImageNet", "imagenet"))


def get_fit(benchmark: str, *, reports: Path, fast: bool, seed: int) -> tuple[Any, str]:
    """A saved fit of ``benchmark`` from ``reports`` if there is one, else a new one.

    Parameters
    ----------
    benchmark : str
        Benchmark id or alias (``lm``, ``imagenet``).
    reports : pathlib.Path
        Folder of saved fits; a new fit is saved there.
    fast : bool
        Fast sampler settings for a new fit.
    seed : int
        Seed of a new fit.

    Returns
    -------
    tuple
        ``(FitResult, how it was had)``.
    """
    from algoattr.fit import load_or_fit, stem_of

    saved = reports / f"{stem_of(benchmark)}_summary.json"
    if saved.exists():
        fit = load_or_fit(saved, benchmark=benchmark)
        kind = "FAST" if fit.extras.get("fast") else "full"
        return fit, f"reused saved {kind} fit {saved}"
    fit = load_or_fit(benchmark=benchmark, seed=seed, out_dir=reports, fast=fast)
    kind = "FAST" if fast else "full"
    return fit, f"no saved fit in {reports}/: ran a new {kind} fit (seed {seed}), saved to {saved}"


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    p = argparse.ArgumentParser(
        prog="python analyses/reconcile.py",
        description="Reconcile the estimates of algorithmic progress in one table.",
    )
    p.add_argument("--fast", action="store_true", help="fast settings for fits that must be run")
    p.add_argument("--start", default=DEFAULT_START, help="window start (default %(default)s)")
    p.add_argument("--end", default=DEFAULT_END, help="window end (default %(default)s)")
    p.add_argument("--out", default="reports/reconciliation.csv", help="CSV to write")
    p.add_argument("--reports", default="reports", help="folder of saved fits")
    p.add_argument("--seed", type=int, default=0, help="seed of every random step")
    p.add_argument(
        "--bootstrap",
        type=int,
        default=None,
        help="bootstrap refits of the papers' estimators (default 100; 20 with --fast)",
    )
    p.add_argument("--mc-draws", type=int, default=100_000, help="Monte Carlo draws")
    p.add_argument("--no-fits", action="store_true", help="leave out the Bayesian fits")
    p.add_argument("--no-baselines", action="store_true", help="leave out the papers' estimators")
    p.add_argument("--retraining-csv", default=None, help="ceg.csv of the retraining suite")
    p.add_argument("--notes", action="store_true", help="print each row's notes")
    add_debug_argument(p)
    return p


@command("python analyses/reconcile.py")
def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (one-line errors, ``--debug`` for a traceback)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    for name in ("pymc", "pytensor", "arviz", "numba", "arviz.preview"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*BLAS.*")
    n_boot = args.bootstrap if args.bootstrap is not None else (20 if args.fast else 100)
    reports = Path(args.reports)
    fits: dict[str, Any] = {}
    if not args.no_fits:
        for label, bench in FITS:
            try:
                fit, how = get_fit(bench, reports=reports, fast=args.fast, seed=args.seed)
            except Exception as err:  # a failed fit leaves its rows out; the rest still runs
                print(f"{label}: fit unavailable ({type(err).__name__}: {err}); rows left out")
                continue
            fits[bench] = fit
            print(f"{label}: {how}")
    estimates, messages = build_estimates(
        fits.get("lm"),
        fits.get("imagenet"),
        baselines=not args.no_baselines,
        n_boot=n_boot,
        seed=args.seed,
        mc_draws=args.mc_draws,
        retraining_csv=args.retraining_csv,
    )
    for m in messages:
        print(m)
    table = reconciliation_table(estimates, start=args.start, end=args.end)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(table, out)
    print()
    print(format_table(table, notes=args.notes))
    print()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
