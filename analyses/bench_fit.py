"""Wall time, divergences and ESS of the Bayesian LM fit per sampler, beside Ho et al.'s bootstrap.

    python analyses/bench_fit.py [--benchmark lm] [--draws 1000] [--chains 4] [--seed 0]

Measured in one process on the rows ``select_rows`` keeps for ``--benchmark``:

- the full Bayesian fit (variant ``both``, Normal likelihood, ``--chains`` x ``--draws`` after
  as many warm-up steps, log-likelihood attached for PSIS-LOO): model build plus sampling, per
  sampler (nutpie, pymc, numpyro), each the first of its kind in the process ("cold": nutpie's
  numba and PyTensor compilation, PyMC's PyTensor C compilation, JAX tracing; PyTensor's on-disk
  compile cache may already hold modules from earlier runs);
- nutpie warm: a second fit in the same process with a new model object and the same cache key,
  so the compiled model is reused through ``with_data`` (what a bootstrap of fits, a calibration
  run or a re-fit pays);
- both for nutpie's two mass-matrix adaptations (``diag``, the default, and ``low_rank``), so
  the effect of the adaptation on leapfrog steps, ESS and wall time is measured in one run
  (``low_rank cold`` runs after ``diag`` in the same process, so numba's in-process caches make
  part of its compilation warm: compare the two adaptations on the warm rows);
- ``python -m algoattr.fit --fast``'s fit (:func:`algoattr.fit.run_fit` with ``fast=True``:
  2 x 500, no variant comparison, no CEG), in-process after the fits above;
- divergences, bulk ESS of the doubling time, and ESS per second of fit wall time;
- Ho et al. 2024's estimator with 100 bootstrap refits (``algoattr.baselines.ho2024_estimator``)
  when that module exists, and the ratio of the Bayesian fit's time to it.

The targets are ratios to the bootstrap's wall time measured in the same run (cold <= 15x,
warm <= 5x, ``--fast`` <= 5x, zero divergences); they are printed beside the measurements,
not asserted. The machine may be shared, so timings vary between runs; the ratios much less.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
import warnings
from collections.abc import Sequence
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from algoattr.model.design import LM_TASK, LMDesign, SelectionRules, select_rows  # noqa: E402
from algoattr.model.sampling import SamplerSettings, sample  # noqa: E402

#: Targets printed beside the measurements: wall time as a multiple of the papers' bootstrap
#: (Ho et al.'s estimator with ``--n-boot`` refits) in the same run, and divergences.
TARGETS = {"cold": 15.0, "warm": 5.0, "fast": 5.0, "divergences": 0}
#: Modules each sampler needs beyond the core dependencies, and the extra that installs them.
SAMPLER_MODULES = {"nutpie": ("nutpie",), "numpyro": ("jax", "numpyro"), "pymc": ()}
SAMPLER_EXTRA = {"nutpie": "fast", "numpyro": "fast"}


def missing_modules(sampler: str) -> list[str]:
    """Modules ``sampler`` needs that are not installed (empty when it can run)."""
    import importlib.util

    return [m for m in SAMPLER_MODULES.get(sampler, ()) if importlib.util.find_spec(m) is None]


def timed_fit(
    design: LMDesign, settings: SamplerSettings, cache_key: Any = None
) -> tuple[float, Any]:
    """Build the LM model (variant ``both``) and sample it; returns (seconds, idata)."""
    from algoattr.model.lm import create_lm_model

    t0 = time.perf_counter()
    model = create_lm_model(design, variant="both")
    idata = sample(model, settings, progressbar=False, cache_key=cache_key)
    return time.perf_counter() - t0, idata


def fit_stats(idata: Any, seconds: float) -> dict[str, float]:
    """Divergences, bulk ESS of the doubling time, ESS per second and mean leapfrog steps."""
    import arviz as az

    ess = float(
        az.ess(idata, var_names=["doubling_time_years"], method="bulk")["doubling_time_years"]
    )
    return {
        "seconds": seconds,
        "divergences": int(np.asarray(idata.sample_stats["diverging"]).sum()),
        "ess_bulk": ess,
        "ess_per_s": ess / seconds,
        "steps": float(np.asarray(idata.sample_stats["n_steps"]).mean())
        if "n_steps" in idata.sample_stats
        else float("nan"),
    }


def mark(value: float, target: float) -> str:
    """``ok`` or ``MISSED`` for a measurement against an upper target."""
    return "ok" if value <= target else "MISSED"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table; returns 0."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--benchmark", default="lm")
    p.add_argument("--draws", type=int, default=1000)
    p.add_argument("--chains", type=int, default=4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--samplers", default="nutpie,pymc,numpyro")
    p.add_argument("--n-boot", type=int, default=100)
    args = p.parse_args(argv)
    warnings.filterwarnings("ignore")
    for name in ("pymc", "pytensor", "arviz", "numba", "jax", "algoattr"):
        logging.getLogger(name).setLevel(logging.ERROR)

    from algoattr.data import load_evaluations, resolve_benchmarks
    from algoattr.fit import run_fit

    df = load_evaluations(resolve_benchmarks(args.benchmark))
    rows, _ = select_rows(df, LM_TASK, SelectionRules())
    design = LMDesign.from_frame(rows)
    print(
        f"bench_fit: {len(rows)} rows of {args.benchmark} ({', '.join(design.benchmarks)}); "
        f"variant both, {args.chains} chains x {args.draws} draws (+{args.draws} warm-up); "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
        flush=True,
    )
    results: dict[str, dict[str, float]] = {}
    samplers = [s.strip() for s in args.samplers.split(",") if s.strip()]
    skipped: dict[str, str] = {}
    for sampler in samplers:
        missing = missing_modules(sampler)
        if missing:
            extra = SAMPLER_EXTRA.get(sampler, "fast")
            skipped[sampler] = f'{", ".join(missing)} not installed (pip install -e ".[{extra}]")'
            print(f"  {sampler}: skipped, {skipped[sampler]}", flush=True)
            continue
        for mass in ("diag", "low_rank") if sampler == "nutpie" else (None,):
            settings = SamplerSettings(
                sampler=sampler,
                draws=args.draws,
                tune=args.draws,
                chains=args.chains,
                seed=args.seed,
                mass_matrix=mass,
            )
            label = sampler if sampler != "nutpie" else f"nutpie {mass}"
            key = ("bench_fit", len(rows), mass) if sampler == "nutpie" else None
            seconds, idata = timed_fit(design, settings, cache_key=key)
            results[f"{label} cold"] = fit_stats(idata, seconds)
            print(f"  {label} cold: {seconds:.1f} s", flush=True)
            if sampler == "nutpie":
                warm = SamplerSettings(**{**settings.to_dict(), "seed": args.seed + 1})
                seconds, idata = timed_fit(design, warm, cache_key=key)
                results[f"{label} warm"] = fit_stats(idata, seconds)
                print(f"  {label} warm: {seconds:.1f} s", flush=True)

    t0 = time.perf_counter()
    fast = run_fit(args.benchmark, fast=True, progressbar=False)
    fast_s = time.perf_counter() - t0
    results["--fast (run_fit)"] = fit_stats(fast.idata, fast_s)
    print(f"  --fast: {fast_s:.1f} s", flush=True)

    from algoattr import baselines

    t0 = time.perf_counter()
    baselines.ho2024_estimator(rows, n_boot=args.n_boot, seed=args.seed)
    boot_s = time.perf_counter() - t0

    def target_of(name: str) -> float:
        kind = "fast" if name.startswith("--fast") else name.rsplit(" ", 1)[-1]
        return TARGETS.get(kind, TARGETS["cold"])

    print()
    print(f"Ho et al. bootstrap ({args.n_boot} refits): {boot_s:.2f} s")
    print(
        f"{'fit':22s} {'wall s':>7s} {'x boot':>7s} {'target':>12s} {'div':>5s} "
        f"{'steps':>6s} {'ESS bulk':>9s} {'ESS/s':>7s}"
    )
    for name, r in results.items():
        ratio = r["seconds"] / boot_s
        tgt = target_of(name)
        div_txt = f"{r['divergences']}" + ("" if r["divergences"] == 0 else "!")
        tgt_txt = f"<= {tgt:.0f}x {mark(ratio, tgt)}"
        print(
            f"{name:22s} {r['seconds']:7.1f} {ratio:6.0f}x {tgt_txt:>12s} "
            f"{div_txt:>5s} {r['steps']:6.0f} {r['ess_bulk']:9.0f} {r['ess_per_s']:7.1f}"
        )
    print("  (steps: mean leapfrog steps per draw; ESS of doubling_time_years; ! = divergences)")
    for sampler, why in skipped.items():
        print(f"  {sampler}: not measured, {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
