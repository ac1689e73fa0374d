"""Speed of algoattr's exact Shapley attribution against shap's exact explainer.

    python analyses/bench_attribution.py [--draws 4000] [--shap-samples 40] [--seed 0]

For each law (ImageNet, reference pairs of datasets/reference_pairs.yaml; WikiText-103 likewise)
it times, in one run:

- algoattr: every reference pair × ``--draws`` posterior draws, both spaces (law's own and
  linear), best and median of ``--repeat`` runs;
- shap: ``shap.explainers.Exact`` with model A as the single background row, one pair-draw at a
  time (what it would take to get the same distribution of shares), on ``--shap-samples``
  random pair-draws after one warm-up call, extrapolated to pairs × draws, for the linear
  space only (algoattr's time covers both spaces, so the ratio is conservative);

and the largest difference between the two on the subsample. Draws are synthetic (published
point estimates × lognormal noise, seeded); the cost does not depend on their values.
"""

from __future__ import annotations

import argparse
import os
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import numpy as np  # noqa: E402

from algoattr import attribution as at  # noqa: E402
from algoattr import law  # noqa: E402
from algoattr.attribute import load_reference_pairs, model_rows  # noqa: E402
from algoattr.data import load_evaluations  # noqa: E402

# Erdil & Besiroglu 2022 (arXiv:2212.05153) and Ho et al. 2024 (arXiv:2403.05140) point estimates.
ERDIL_POINT = {
    "c_compute": 0.889,
    "beta_year": 0.1589,
    "beta_compute": 0.1545,
    "c_data": 1.783,
    "beta_year_data": 0.0198,
    "beta_data": 0.0632,
}
HO_POINT = {
    "a": 0.9127,  # α_const (WikiText-103 is the base level)
    "alpha_year": 0.00394,
    "alpha_param": 0.0680,
    "b": 0.7714,  # β_const
    "beta_year": 0.0356,
    "beta_data": 0.0396,
}


def synthetic_draws(point: dict[str, float], n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {k: v * rng.lognormal(0.0, 0.05, n) for k, v in point.items()}


def time_it(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times))


def bench(benchmark: str, n_draws: int, n_shap: int, repeat: int, seed: int) -> dict:
    import shap

    pairs = load_reference_pairs()[benchmark]
    rows = load_evaluations(benchmark, validate=False)
    a_rows, _ = model_rows([a for a, _ in pairs], benchmark, None, rows)
    b_rows, _ = model_rows([b for _, b in pairs], benchmark, None, rows)
    if benchmark == "imagenet":
        draws = synthetic_draws(ERDIL_POINT, n_draws, seed)

        def run():
            return at.imagenet_attribution(draws, a_rows, b_rows)

        def f_for(d):
            return at.imagenet_value_fn({k: v[d : d + 1] for k, v in draws.items()}, 1)

        cols = ("year", "year", "training_compute_flop", "training_images")
    else:
        used = rows.dropna(subset=["parameters", "training_tokens"])
        ref = law.LMReference.from_data(used["year"], used["parameters"], used["training_tokens"])
        draws = synthetic_draws(HO_POINT, n_draws, seed)

        def run():
            return at.lm_attribution(draws, ref, a_rows, b_rows)

        def f_for(d):
            return at.lm_value_fn({k: v[d : d + 1] for k, v in draws.items()}, ref, 1)

        cols = ("parameters", "training_tokens", "year", "year")

    run()  # warm-up
    best, median = time_it(run, repeat)
    result = run()
    t0 = time.perf_counter()
    result.table()
    t_table = time.perf_counter() - t0

    x_a = a_rows[list(cols)].to_numpy(float)
    x_b = b_rows[list(cols)].to_numpy(float)
    rng = np.random.default_rng(seed + 1)
    sample = [(int(rng.integers(n_draws)), int(rng.integers(len(pairs)))) for _ in range(n_shap)]
    linear = (lambda v: v) if benchmark == "imagenet" else np.exp

    def explain(d: int, j: int) -> np.ndarray:
        f = f_for(d)
        masker = shap.maskers.Independent(x_a[j][None, :], max_samples=1)
        explainer = shap.explainers.Exact(lambda x: linear(f(x[None])[0, 0]), masker)
        return explainer(x_b[j][None, :], silent=True).values[0]

    explain(*sample[0])  # warm-up (shap compiles on first use)
    diffs = []
    t0 = time.perf_counter()
    for d, j in sample:
        phi = explain(d, j)
        diffs.append(np.max(np.abs(phi - result.raw["linear"][d, j])))
    per_pd = (time.perf_counter() - t0) / n_shap
    n_pd = n_draws * len(pairs)
    return {
        "benchmark": benchmark,
        "pairs": len(pairs),
        "draws": n_draws,
        "algoattr_best": best,
        "algoattr_median": median,
        "table": t_table,
        "shap_per_pair_draw": per_pd,
        "shap_extrapolated": per_pd * n_pd,
        "max_abs_diff": float(np.max(diffs)),
        "n_shap": n_shap,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--draws", type=int, default=4000)
    p.add_argument("--shap-samples", type=int, default=200)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--benchmark", nargs="+", default=["imagenet", "wikitext-103"])
    args = p.parse_args()
    print(
        f"cores available: {len(os.sched_getaffinity(0))}; "
        f"OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}; numpy {np.__version__}"
    )
    for bench_id in args.benchmark:
        r = bench(bench_id, args.draws, args.shap_samples, args.repeat, args.seed)
        print(f"\n{r['benchmark']}: {r['pairs']} reference pairs × {r['draws']} draws")
        print(
            f"  algoattr (both spaces): best {r['algoattr_best']:.3f} s, "
            f"median {r['algoattr_median']:.3f} s of {args.repeat}; tidy table +{r['table']:.3f} s"
        )
        print(
            f"  shap Exact (linear space only): {1e3 * r['shap_per_pair_draw']:.2f} ms per "
            f"pair-draw over {r['n_shap']} pair-draws -> {r['shap_extrapolated']:.0f} s for "
            f"{r['pairs'] * r['draws']} pair-draws (extrapolated)"
        )
        print(
            f"  ratio shap / algoattr (median): "
            f"{r['shap_extrapolated'] / r['algoattr_median']:.0f}×; "
            f"max |algoattr − shap| on the subsample: {r['max_abs_diff']:.1e}"
        )


if __name__ == "__main__":
    main()
