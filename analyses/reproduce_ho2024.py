"""Ho et al. (2024)'s language-model estimate next to the Bayesian fit, on the same rows.

Ho, A., Besiroglu, T., Erdil, E., et al. (2024), "Algorithmic progress in language models",
arXiv:2403.05140. Model 7, fitted by mean squared error of log-perplexity + 0.0025·Σ|θ|
(SLSQP from θ = 0), 100 bootstrap refits, 231 rows (≤ 3 per paper): effective compute doubles
every 8.7 months at the full-sample estimates; the headline 8.4 months, 95% [4.5, 14.3], is the
bootstrap median and percentiles. Transformer compute-equivalent gain 7.2× [3.3, 45.7] at
1e25 FLOP.

Printed side by side: the Bayesian posterior (median, 95% interval), Ho et al.'s estimator and
paper-clustered OLS on the same rows, and the published numbers; then Ho et al.'s estimator
under other row choices (≤ 3 per paper overall as Ho, all rows, zero-shot / dynamic-evaluation /
cache rows included, each benchmark left out, no L1 penalty) and the papers whose removal moves
its point estimate most.

Usage: python analyses/reproduce_ho2024.py [--fast] [--fit reports/lm_summary.json]
       [--reports DIR] [--n-boot 100] [--seed 0]
"""

from __future__ import annotations

import argparse
import logging
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

from algoattr import baselines, law
from algoattr.model.design import LM_TASK, SelectionRules, select_rows

PUBLISHED = {
    "point_months": 8.7,
    "median_months": 8.4,
    "lower_months": 4.5,
    "upper_months": 14.3,
    "rows": 231,
    "ceg_1e25": (7.2, 3.3, 45.7),
}


def get_fit(args: argparse.Namespace) -> Any:
    """The Bayesian LM fit: a saved one (``--fit`` or ``--reports``), or a new one."""
    from algoattr.fit import load_or_fit, run_fit

    if args.fit:
        return load_or_fit(args.fit, benchmark="lm")
    if args.fast:
        return run_fit("lm", fast=True, progressbar=False)
    return load_or_fit(benchmark="lm", out_dir=args.reports, seed=args.seed)


def ho_row(label: str, rows: pd.DataFrame, n_boot: int, seed: int, **kw: Any) -> dict[str, Any]:
    """Ho et al.'s estimator on ``rows``, as one table row."""
    r = baselines.ho2024_estimator(rows, n_boot=n_boot, seed=seed, **kw)
    dt = r.doubling_time_months
    return {
        "rows": label,
        "n": r.n_rows,
        "papers": rows["paper_id"].nunique(),
        "point": dt["point"],
        "median": dt["median"],
        "lower": dt["lower"],
        "upper": dt["upper"],
        "alpha_year": r.params["alpha_year"]["point"],
        "alpha_param": r.params["alpha_param"]["point"],
        "beta_year": r.params["beta_year"]["point"],
        "beta_data": r.params["beta_data"]["point"],
    }


def top_per_paper(rows: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    """At most ``k`` rows per paper across benchmarks (lowest log-perplexity first)."""
    rank = np.log(rows["value"]).groupby(rows["paper_id"]).rank(method="first")
    return rows[rank <= k]


def months(x: float) -> str:
    return "inf" if not np.isfinite(x) else f"{x:5.1f}"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fast", action="store_true", help="fast Bayesian fit (no CEG), not saved")
    p.add_argument("--fit", help="a saved *_summary.json of the LM fit")
    p.add_argument("--reports", default="reports", help="folder of saved fits (default reports)")
    p.add_argument("--n-boot", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore")

    t0 = time.perf_counter()
    fit = get_fit(args)
    print(
        f"Bayesian fit: {len(fit.data)} rows, variant {fit.variant}, "
        f"{'fast' if fit.extras.get('fast') else 'full'} settings "
        f"({time.perf_counter() - t0:.0f} s incl. loading)"
    )
    rows = fit.data
    h = fit.headline()
    dt = h["doubling_time_months"]
    ho = baselines.ho2024_estimator(rows, n_boot=args.n_boot, seed=args.seed)
    ols = baselines.ols_clustered(rows, LM_TASK, seed=args.seed)

    print("\n== Doubling time of effective compute (months) ==")
    print(f"{'':44} {'point':>6} {'median':>7} {'95% interval':>16} {'rows':>5}")
    print(
        f"{'Bayesian posterior (algoattr)':44} {'':>6} {months(dt['median']):>7} "
        f"[{months(dt['lower'])}, {months(dt['upper'])}] {len(rows):>5}"
    )
    for name, r in (
        ("Ho et al. estimator, same rows", ho),
        ("OLS, paper-clustered, same rows", ols),
    ):
        d = r.doubling_time_months
        print(
            f"{name:44} {months(d['point']):>6} {months(d['median']):>7} "
            f"[{months(d['lower'])}, {months(d['upper'])}] {r.n_rows:>5}"
        )
    print(
        f"{'published (Ho et al. 2024, their 231 rows)':44} {PUBLISHED['point_months']:>6} "
        f"{PUBLISHED['median_months']:>7} [{PUBLISHED['lower_months']:5.1f}, "
        f"{PUBLISHED['upper_months']:4.1f}] {PUBLISHED['rows']:>5}"
    )
    print(
        f"Ho et al. estimator: {ho.wall_time_s:.2f} s for point fit + {ho.n_boot} refits; "
        f"{ho.extras['n_refits_exponent_below_1e-4']} refits with alpha_param or beta_data < 1e-4; "
        f"RMSE {ho.extras['rmse']:.3f}"
    )

    print("\n== Exponents and year terms ==")
    names = ("alpha_year", "alpha_param", "beta_year", "beta_data")
    published = baselines.HO2024_PUBLISHED
    print(
        f"{'':12} {'Bayesian median [95%]':>28} {'Ho est. point; boot. [95%]':>36} {'published':>9}"
    )
    for k in names:
        b = h.get(k, {})
        e = ho.params[k]
        bay = f"{b['median']:.4f} [{b['lower']:.4f}, {b['upper']:.4f}]" if b else "-"
        est = f"{e['point']:.4f}; [{e['lower']:.4f}, {e['upper']:.4f}]"
        print(f"{k:12} {bay:>28} {est:>36} {published[k]:>9.4f}")
    print(
        "Ho et al.'s full-sample constants (WT103 base): "
        + ", ".join(
            f"{k} {ho.params[k]['point']:.3f}"
            for k in ho.params
            if "const" in k or k.endswith(("_ptb", "_wt2"))
        )
    )

    print("\n== Transformer compute-equivalent gain at 1e25 FLOP ==")
    ceg = fit.extras.get("ceg_transformer_1e25")
    pub = PUBLISHED["ceg_1e25"]
    if ceg:
        print(
            f"Bayesian: {ceg['median']:.1f}x [{ceg['lower']:.1f}, {ceg['upper']:.1f}] "
            f"(year {ceg['year']:.0f}, {ceg['benchmark']})"
        )
    else:
        print("Bayesian: not available (fast fit; run without --fast)")
    print(f"published: {pub[0]}x [{pub[1]}, {pub[2]}]")

    # ------------------------------------------------------------------ sensitivity
    from algoattr.data import load_evaluations, resolve_benchmarks

    df = load_evaluations(resolve_benchmarks("lm"))
    table = [ho_row("same rows as the Bayesian fit", rows, args.n_boot, args.seed)]
    table.append(
        ho_row("... without L1 penalty (delta = 0)", rows, args.n_boot, args.seed, delta=0.0)
    )
    table.append(
        ho_row("<= 3 per paper overall (as Ho et al.)", top_per_paper(rows), args.n_boot, args.seed)
    )
    variants = {
        "all rows per paper": SelectionRules(max_per_paper=None),
        "+ zero-shot rows": SelectionRules(include_zero_shot=True),
        "+ dynamic-eval rows": SelectionRules(include_dynamic_eval=True),
        "+ cache/pointer rows": SelectionRules(include_cache=True),
        "+ ensembles": SelectionRules(include_ensembles=True),
        "+ all of the above, all rows": SelectionRules(
            include_zero_shot=True,
            include_dynamic_eval=True,
            include_cache=True,
            include_ensembles=True,
            max_per_paper=None,
        ),
    }
    for label, rules in variants.items():
        used, _ = select_rows(df, LM_TASK, rules)
        table.append(ho_row(label, used, args.n_boot, args.seed))
    for b in sorted(rows["benchmark"].unique()):
        table.append(ho_row(f"without {b}", rows[rows["benchmark"] != b], args.n_boot, args.seed))
    for b in sorted(rows["benchmark"].unique()):
        table.append(ho_row(f"only {b}", rows[rows["benchmark"] == b], args.n_boot, args.seed))
    for cut in (2015.0, 2017.0):
        table.append(
            ho_row(f"published >= {cut:.0f}", rows[rows["year"] >= cut], args.n_boot, args.seed)
        )
    print(f"\n== Ho et al.'s estimator under other row choices ({args.n_boot} refits each) ==")
    out = pd.DataFrame(table)
    for c in ("point", "median", "lower", "upper"):
        out[c] = out[c].map(months)
    print(out.to_string(index=False, float_format=lambda x: f"{x:.4f}"))

    # ------------------------------------------------------------- influential papers
    design = baselines.HoDesign.from_frame(rows)
    theta = baselines.ho2024_fit(design)
    base_pt = ho.doubling_time_months["point"]
    infl = []
    papers = rows["paper_id"].astype(str).to_numpy()
    for pid in np.unique(papers):
        keep = np.flatnonzero(papers != pid)
        th = baselines.ho2024_fit(design.subset(keep), theta0=theta)
        p_ = dict(zip(design.param_names, th, strict=True))
        with np.errstate(divide="ignore"):
            m = 12 * float(
                law.lm_doubling_time_years(
                    p_["alpha_year"], p_["alpha_param"], p_["beta_year"], p_["beta_data"]
                )
            )
        infl.append((pid, int((papers == pid).sum()), m, m - base_pt))
    inf = pd.DataFrame(infl, columns=["paper_id", "rows", "point_without", "change"])
    inf = inf.reindex(inf["change"].abs().sort_values(ascending=False).index).head(8)
    print(
        f"\n== Papers whose removal moves Ho et al.'s point estimate most "
        f"(all rows: {base_pt:.1f} months) =="
    )
    print(inf.to_string(index=False, float_format=lambda x: f"{x:.1f}"))
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
