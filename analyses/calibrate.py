"""Simulation-based calibration of the language-model law on the project's real design.

    python analyses/calibrate.py [--n-datasets 100] [--draws 500] [--chains 2] [--seed 0]
                                 [--with-bootstrap] [--out reports/calibration/]

Draws parameters from the prior of the LM model (variant ``both``, Normal likelihood) built on
the rows ``select_rows`` keeps for ``--benchmark`` (their years, N, D and benchmarks), simulates
log-perplexities, refits every simulated dataset with one compiled nutpie model (same cache key,
new ``y_obs``), and records for alpha_param, beta_data, alpha_year, beta_year, rate and
doubling_time_years the rank of the true value among ``--rank-draws`` thinned posterior draws
and whether the central 50% and 90% intervals (from all draws) cover it.

It prints the coverage per quantity with binomial standard errors under the nominal rate (a
correct posterior lands within 2 SE of nominal about 95% of the time per entry), a text rank
histogram per quantity with a chi-square uniformity p-value, the number of fits with divergent
transitions or R-hat > 1.01, and the wall time; and writes ``records.csv`` (one row per dataset
and quantity), ``fits.csv`` (per-fit diagnostics), ``coverage.csv``, ``rank_histograms.csv``
and ``rank_histograms.png`` under ``--out``.

Rejected prior draws. By default a prior draw whose simulated log-perplexities are non-finite
or leave ``(--y-min, --y-max) = (0, 20)`` is rejected and replaced by the next prior draw;
rejections are counted and printed. This conditions the prior on plausible data: the check is
of calibration for the prior restricted to draws that yield such data. Because the rule looks
only at the simulated data, the posterior of a kept dataset is unchanged, so SBC remains valid
for the conditioned prior, as long as the rule is applied consistently: to every prior draw,
before any fit, with the same range (never dropping a dataset after seeing its fit; fits with
divergences are kept and counted). ``--keep-all`` disables the range (non-finite data are still
rejected, as the likelihood cannot be evaluated on them).

``--with-bootstrap`` runs Ho et al.'s estimator (``algoattr.baselines.ho2024_estimator``: a
penalised least-squares fit and ``--n-boot`` bootstrap refits) on each simulated dataset and
prints the coverage of its percentile intervals of alpha_param, beta_data, alpha_year and
beta_year beside the posterior's (see :data:`BOOTSTRAP_QUANTITIES` for why not the rate).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from algoattr.model import calibration as cal  # noqa: E402
from algoattr.model.design import LM_TASK, LMDesign, SelectionRules, select_rows  # noqa: E402
from algoattr.model.sampling import SamplerSettings  # noqa: E402


def load_design(benchmark: str = "lm") -> tuple[LMDesign, pd.DataFrame]:
    """The LM design and rows of ``benchmark`` after the default row selection.

    Parameters
    ----------
    benchmark : str
        Benchmark id or alias (``lm``, ``wikitext``, ``ptb``, ...).

    Returns
    -------
    design : LMDesign
    rows : pandas.DataFrame
        The rows kept by :func:`algoattr.model.design.select_rows`, in design order.
    """
    from algoattr.data import load_evaluations, resolve_benchmarks

    df = load_evaluations(resolve_benchmarks(benchmark))
    rows, _ = select_rows(df, LM_TASK, SelectionRules())
    rows = rows.reset_index(drop=True)
    return LMDesign.from_frame(rows), rows


#: Quantities whose bootstrap intervals are compared: the four exponents and rates. The
#: estimator reports the doubling time's interval only as months mapped from rate percentiles
#: (infinite where a rate bound is <= 0), which loses the rate bound under prior draws with
#: negative rates, so rate and doubling time are compared for the posterior only.
BOOTSTRAP_QUANTITIES = ("alpha_param", "beta_data", "alpha_year", "beta_year")


def bootstrap_estimator(
    rows: pd.DataFrame, n_boot: int, seed: int, ci_probs: Sequence[float] = cal.SBC_CI_PROBS
) -> cal.Estimator | None:
    """Ho et al.'s bootstrap estimator as an SBC competitor, or ``None`` if not available.

    Each simulated dataset becomes a copy of ``rows`` whose ``value`` (perplexity) is
    ``exp(y)``. :func:`algoattr.baselines.ho2024_estimator` reports one interval per
    call, so it runs once per ci_prob with the same seed (hence the same bootstrap resamples);
    its percentile intervals of the exponents and year rates are compared. Its reference point
    (sample minima) differs from the Bayesian model's, which moves the constants but not these
    four quantities.
    """
    try:
        from algoattr import baselines
    except ImportError:
        return None
    if not hasattr(baselines, "ho2024_estimator"):
        return None

    def run(i: int, y: np.ndarray) -> dict[str, Any] | None:
        sim = rows.copy()
        sim["value"] = np.exp(y)
        out: dict[str, dict[Any, Any]] = {q: {} for q in BOOTSTRAP_QUANTITIES}
        try:
            for lev in ci_probs:
                res = baselines.ho2024_estimator(sim, n_boot=n_boot, seed=seed + i, ci_prob=lev)
                for q in BOOTSTRAP_QUANTITIES:
                    entry = res.params[q]
                    out[q]["median"] = entry["median"]
                    out[q][lev] = (entry["lower"], entry["upper"])
        except Exception as exc:  # a failed baseline fit is counted, not fatal
            logging.getLogger("calibrate").warning("bootstrap failed on dataset %d: %s", i, exc)
            return None
        return out

    return run


def coverage_frame(result: cal.SBCResult) -> pd.DataFrame:
    """Coverage, standard error and z per method, quantity and level (pooled rows last)."""
    rows = []
    for method in result.methods():
        per = result.coverage(method)
        per["(pooled)"] = result.pooled_coverage(method)
        for q, ci_probs in per.items():
            for lev, s in ci_probs.items():
                rows.append(
                    {
                        "method": method,
                        "quantity": q,
                        "level": lev,
                        "n": s.n,
                        "coverage": s.coverage,
                        "se": s.se,
                        "z": s.z,
                        "within_2se": s.within_2se,
                    }
                )
    return pd.DataFrame(rows)


def print_report(result: cal.SBCResult, bins: int, bootstrap_note: str) -> None:
    """Print coverage, rank histograms, divergences and wall time."""
    s = result.settings
    p = result.prior
    n = len(result.fits)
    print()
    print(
        f"SBC of the LM law (variant {s['variant']}, {s['likelihood']} likelihood) on "
        f"{s['n_rows']} real rows: {n} datasets, {s['sampler']} {s['chains']} chains x "
        f"{s['draws']} draws ({s['tune']} warm-up), ranks among {s['n_rank_draws']} thinned "
        f"draws, seed {s['seed']}"
    )
    rng_txt = "none (finite only)" if p.y_range is None else f"log-ppl in {p.y_range}"
    print(
        f"prior draws: {p.n_drawn} examined, {p.n_rejected} rejected "
        f"({100 * p.rejection_rate:.0f}%; {p.n_nonfinite} non-finite) by the rule {rng_txt}; "
        "the check is for the prior conditioned on that rule"
    )
    print()
    print("Coverage of central intervals (± binomial SE under the nominal rate):")
    methods = result.methods()
    header = f"  {'quantity':22s}" + "".join(
        f" {m + ' ' + f'{lev:.0%}':>26s}" for m in methods for lev in result.ci_probs
    )
    print(header)
    per = {m: {**result.coverage(m), "(pooled)": result.pooled_coverage(m)} for m in methods}
    for q in per["posterior"]:
        cells = []
        for m in methods:
            for lev in result.ci_probs:
                c = per[m].get(q, {}).get(lev)
                if c is None:
                    cells.append(f" {'-':>26s}")
                    continue
                flag = " " if c.within_2se else "!"
                cells.append(f" {f'{c.coverage:.3f} ± {c.se:.3f} (z {c.z:+.1f}){flag}':>26s}")
        print(f"  {q:22s}" + "".join(cells))
    print("  (! = more than 2 SE from nominal; pooled rows mix correlated quantities)")
    if bootstrap_note:
        print(f"  {bootstrap_note}")
    print()
    print(f"Rank histograms ({bins} bins):")
    for q, counts in result.histograms(bins).items():
        print(cal.format_rank_histogram(counts, label=f" {q}"))
    fits = result.fits
    print()
    print(
        f"divergences: {result.n_divergent_fits} of {n} fits had any "
        f"({int(fits['divergences'].sum())} divergent transitions in all; the fits are kept)"
    )
    print(
        f"R-hat > 1.01 in {int((fits['rhat_max'] > 1.01).sum())} fits, > 1.05 in "
        f"{int((fits['rhat_max'] > 1.05).sum())}; bulk ESS < 100 in "
        f"{int((fits['ess_bulk_min'] < 100).sum())} fits (of the checked quantities)"
    )
    print(
        f"wall time: {result.wall_s:.0f} s ({fits['seconds'].sum():.0f} s sampling, median "
        f"{fits['seconds'].median():.1f} s per fit, first fit incl. compilation "
        f"{fits['seconds'].iloc[0]:.1f} s)"
    )
    for m in methods:
        if m != "posterior" and f"{m}_seconds" in fits:
            failed = int(fits[f"{m}_failed"].sum())
            print(f"{m}: {fits[f'{m}_seconds'].sum():.0f} s in all, {failed} failed fits")


def save_outputs(result: cal.SBCResult, out: Path, bins: int) -> list[Path]:
    """Write the CSVs, a JSON summary and the rank-histogram PNG under ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy import stats

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in (
        ("records", result.records),
        ("fits", result.fits),
        ("coverage", coverage_frame(result)),
    ):
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False)
        paths.append(path)
    hists = result.histograms(bins)
    hist_df = pd.DataFrame(hists)
    hist_df.insert(0, "bin", np.arange(1, bins + 1))
    hist_df.to_csv(out / "rank_histograms.csv", index=False)
    paths.append(out / "rank_histograms.csv")

    n = len(result.fits)
    lo, hi = stats.binom.ppf([0.005, 0.995], n, 1 / bins)
    fig, axes = plt.subplots(2, (len(hists) + 1) // 2, figsize=(12, 6), sharey=True)
    for ax, (q, counts) in zip(np.ravel(axes), hists.items(), strict=False):
        ax.axhspan(lo, hi, color="0.85", label="99% band under uniformity")
        ax.axhline(n / bins, color="0.4", lw=1)
        ax.bar(np.arange(bins), counts, width=0.9, color="C0")
        ax.set_title(q)
        ax.set_xticks([])
    np.ravel(axes)[0].legend(loc="upper left", fontsize=8)
    fig.suptitle(
        f"SBC rank histograms: {n} datasets, ranks among {result.n_rank_draws} thinned draws"
    )
    fig.tight_layout()
    fig.savefig(out / "rank_histograms.png", dpi=120)
    plt.close(fig)
    paths.append(out / "rank_histograms.png")

    summary = {
        "settings": {k: v for k, v in result.settings.items()},
        "wall_s": result.wall_s,
        "prior": {
            "n_drawn": result.prior.n_drawn,
            "n_rejected": result.prior.n_rejected,
            "n_nonfinite": result.prior.n_nonfinite,
            "y_range": result.prior.y_range,
        },
        "divergent_fits": result.n_divergent_fits,
        "coverage": coverage_frame(result).to_dict(orient="records"),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    paths.append(out / "summary.json")
    return paths


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--benchmark", default="lm", help="LM benchmark id or alias (default: lm)")
    p.add_argument("--n-datasets", type=int, default=100)
    p.add_argument("--draws", type=int, default=500, help="posterior draws per chain")
    p.add_argument("--tune", type=int, help="warm-up steps per chain (default: --draws)")
    p.add_argument("--chains", type=int, default=2)
    p.add_argument("--sampler", default="nutpie", choices=("nutpie", "pymc", "numpyro"))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rank-draws", type=int, default=cal.DEFAULT_RANK_DRAWS)
    p.add_argument("--bins", type=int, default=10, help="histogram bins (divide rank-draws+1)")
    p.add_argument("--y-min", type=float, default=cal.DEFAULT_Y_RANGE[0])
    p.add_argument("--y-max", type=float, default=cal.DEFAULT_Y_RANGE[1])
    p.add_argument("--keep-all", action="store_true", help="no range rejection (finite only)")
    p.add_argument("--with-bootstrap", action="store_true", help="Ho et al.'s bootstrap too")
    p.add_argument("--n-boot", type=int, default=100, help="bootstrap refits per dataset")
    p.add_argument("--out", default="reports/calibration", help="output folder")
    p.add_argument("--quiet", action="store_true", help="no per-fit progress lines")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the calibration; returns the exit status."""
    args = build_parser().parse_args(argv)
    warnings.filterwarnings("ignore")
    for name in ("pymc", "pytensor", "arviz", "numba"):
        logging.getLogger(name).setLevel(logging.ERROR)
    design, rows = load_design(args.benchmark)
    settings = SamplerSettings(
        sampler=args.sampler,
        draws=args.draws,
        tune=args.tune or args.draws,
        chains=args.chains,
        seed=args.seed,
    )
    estimators: dict[str, cal.Estimator] = {}
    note = ""
    if args.with_bootstrap:
        boot = bootstrap_estimator(rows, args.n_boot, args.seed)
        if boot is None:
            note = "bootstrap: algoattr.baselines.ho2024_estimator is not available; skipped"
            print(note, file=sys.stderr)
        else:
            estimators["bootstrap"] = boot
    t0 = time.perf_counter()

    def progress(i: int, info: dict[str, Any]) -> None:
        if args.quiet:
            return
        print(
            f"[{time.perf_counter() - t0:6.0f} s] dataset {i + 1:3d}/{args.n_datasets}: "
            f"{info['seconds']:5.1f} s, {info['divergences']} divergences, "
            f"R-hat max {info['rhat_max']:.3f}, ESS min {info['ess_bulk_min']:.0f}",
            flush=True,
        )

    print(
        f"calibrating on {len(rows)} rows of {args.benchmark} "
        f"({', '.join(design.benchmarks)}); {args.n_datasets} datasets",
        flush=True,
    )
    result = cal.run_sbc(
        design,
        n_datasets=args.n_datasets,
        settings=settings,
        seed=args.seed,
        n_rank_draws=args.rank_draws,
        y_range=None if args.keep_all else (args.y_min, args.y_max),
        estimators=estimators,
        on_fit=progress,
    )
    print_report(result, args.bins, note)
    paths = save_outputs(result, Path(args.out), args.bins)
    print("\nwrote:")
    for path in paths:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
