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
- ``python -m algoattr.fit --fast``'s fit (:func:`algoattr.fit.run_fit` with ``fast=True``:
  2 x 500, no variant comparison, no CEG), in-process after the fits above;
- divergences, bulk ESS of the doubling time, and ESS per second of fit wall time;
- Ho et al. 2024's estimator with 100 bootstrap refits (``algoattr.baselines.ho2024_estimator``)
  when that module exists, and the ratio of the Bayesian fit's time to it.

The targets (full fit < 30 s cold, < 10 s warm, ``--fast`` < 10 s, zero divergences) are printed
beside the measurements, not asserted. The machine is shared, so timings vary between runs.
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

#: Targets printed beside the measurements (seconds; divergences).
TARGETS = {"cold": 30.0, "warm": 10.0, "fast": 10.0, "divergences": 0}
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
    """Divergences, bulk ESS of the doubling time and ESS per second."""
    import arviz as az

    ess = float(
        az.ess(idata, var_names=["doubling_time_years"], method="bulk")["doubling_time_years"]
    )
    return {
        "seconds": seconds,
        "divergences": int(np.asarray(idata.sample_stats["diverging"]).sum()),
        "ess_bulk": ess,
        "ess_per_s": ess / seconds,
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
        settings = SamplerSettings(
            sampler=sampler, draws=args.draws, tune=args.draws, chains=args.chains, seed=args.seed
        )
        key = ("bench_fit", len(rows)) if sampler == "nutpie" else None
        seconds, idata = timed_fit(design, settings, cache_key=key)
        results[f"{sampler} cold"] = fit_stats(idata, seconds)
        print(f"  {sampler} cold: {seconds:.1f} s", flush=True)
        if sampler == "nutpie":
            warm = SamplerSettings(**{**settings.to_dict(), "seed": args.seed + 1})
            seconds, idata = timed_fit(design, warm, cache_key=key)
            results["nutpie warm"] = fit_stats(idata, seconds)
            print(f"  nutpie warm: {seconds:.1f} s", flush=True)

    t0 = time.perf_counter()
    fast = run_fit(args.benchmark, fast=True, progressbar=False)
    fast_s = time.perf_counter() - t0
    results["--fast (run_fit)"] = fit_stats(fast.idata, fast_s)
    print(f"  --fast: {fast_s:.1f} s", flush=True)

    boot_s: float | None = None
    boot_note = ""
    try:
        from algoattr import baselines

        estimator = baselines.ho2024_estimator
    except (ImportError, AttributeError):
        boot_note = "algoattr.baselines.ho2024_estimator does not exist yet: not measured"
    else:
        t0 = time.perf_counter()
        estimator(rows, n_boot=args.n_boot, seed=args.seed)
        boot_s = time.perf_counter() - t0

    print()
    print(f"{'fit':22s} {'wall s':>8s} {'target':>10s} {'div':>5s} {'ESS bulk':>9s} {'ESS/s':>7s}")
    targets = {
        "nutpie cold": TARGETS["cold"],
        "nutpie warm": TARGETS["warm"],
        "pymc cold": TARGETS["cold"],
        "numpyro cold": TARGETS["cold"],
        "--fast (run_fit)": TARGETS["fast"],
    }
    for name, r in results.items():
        tgt = targets.get(name)
        tgt_txt = f"< {tgt:.0f} {mark(r['seconds'], tgt)}" if tgt is not None else ""
        div_txt = f"{r['divergences']}" + ("" if r["divergences"] == 0 else "!")
        print(
            f"{name:22s} {r['seconds']:8.1f} {tgt_txt:>10s} {div_txt:>5s} "
            f"{r['ess_bulk']:9.0f} {r['ess_per_s']:7.1f}"
        )
    print("  (ESS of doubling_time_years; div target 0; ! = divergences)")
    for sampler, why in skipped.items():
        print(f"  {sampler}: not measured, {why}")
    print()
    if boot_s is None:
        print(f"Ho et al. bootstrap ({args.n_boot} refits): {boot_note}")
    else:
        print(f"Ho et al. bootstrap ({args.n_boot} refits): {boot_s:.2f} s")
        for name in ("nutpie cold", "nutpie warm", "--fast (run_fit)"):
            if name in results:
                ratio = results[name]["seconds"] / boot_s
                print(f"  ratio Bayesian/bootstrap, {name}: {ratio:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
