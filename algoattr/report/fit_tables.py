"""The Fit section's tables: headline, posterior summary, diagnostics, variant comparison,
CEG, baselines, scale dependence, architectures, row influence and rule sensitivity.

Each takes a :class:`~algoattr.model.results.FitResult` and returns a
:func:`~algoattr.report.tables.make_table` table (or ``None`` when the fit lacks it).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from algoattr.intervals import CI_PROB, ci_label, eti_probs
from algoattr.report.tables import fmt_interval, fmt_num, make_table

#: Units and readable names of the headline quantities.
QUANTITY_LABELS = {
    "doubling_time_months": ("Doubling time of effective compute", "months"),
    "multiplier_per_year": ("Effective-compute multiplier per year", "× per year"),
    "rate_per_year": ("Effective-compute growth rate", "e-folds per year"),
    "alpha_year": ("α_year: parameter-efficiency progress", "per year"),
    "alpha_param": ("α_param: parameter exponent", "dimensionless"),
    "beta_year": ("β_year: data-efficiency progress", "per year"),
    "beta_data": ("β_data: data exponent", "dimensionless"),
    "transformer_factor": ("Transformer factor on log-perplexity", "fraction"),
    "c_compute": ("c_C: compute-sigmoid intercept", "logit"),
    "beta_compute": ("β_C: compute slope", "logit per e-fold of FLOP"),
    "c_data": ("c_D: data-sigmoid intercept", "logit"),
    "beta_year_data": ("β_year,D: data-augmenting progress", "logit per year"),
}


# ------------------------------------------------------------------------------ formatting


def _diag_table(diag: Any) -> dict[str, Any]:
    rows = [
        {
            "quantity": v,
            "rhat": diag.rhat_max.get(v),
            "ess_bulk": diag.ess_bulk_min.get(v),
            "ess_tail": diag.ess_tail_min.get(v),
        }
        for v in diag.rhat_max
    ]
    from algoattr.model.sampling import ESS_MIN, RHAT_MAX

    return make_table(
        pd.DataFrame(rows, columns=["quantity", "rhat", "ess_bulk", "ess_tail"]),
        columns={
            "quantity": "Quantity",
            "rhat": f"Largest R-hat (≤ {RHAT_MAX})",
            "ess_bulk": f"Smallest bulk ESS (≥ {ESS_MIN} draws)",
            "ess_tail": f"Smallest tail ESS (≥ {ESS_MIN} draws)",
        },
        formats={
            "rhat": lambda v: fmt_num(v, 4),
            "ess_bulk": lambda v: fmt_num(round(v)) if v == v else "–",
            "ess_tail": lambda v: fmt_num(round(v)) if v == v else "–",
        },
        caption="Convergence of the headline quantities (Vehtari et al. 2021 thresholds)",
    )


def _settings_text(settings: Any) -> str:
    return (
        f"{settings.sampler}, {settings.chains} chains × {settings.draws} draws "
        f"(warm-up {settings.tune}), target acceptance {settings.target_accept}, "
        f"{getattr(settings, 'mass_matrix', None) or 'diag'} mass matrix, seed {settings.seed}"
    )


def _command_of(result: Any) -> str:
    cmd = result.extras.get("command")
    if cmd:
        return str(cmd)
    s = result.settings
    bench = result.extras.get("benchmark", result.benchmarks[0])
    return (
        f"python -m algoattr.fit --benchmark {bench} --sampler {s.sampler} --chains {s.chains} "
        f"--draws {s.draws} --tune {s.tune} --seed {s.seed}"
    )


def _headline_table(result: Any) -> dict[str, Any]:
    t = result.summary_table()
    if t.empty:
        return make_table(pd.DataFrame({"quantity": []}))
    t = t[~t["quantity"].astype(str).str.startswith("ceg_")].copy()
    t["name"] = [QUANTITY_LABELS.get(q, (q, ""))[0] for q in t["quantity"]]
    t["unit"] = [QUANTITY_LABELS.get(q, (q, ""))[1] for q in t["quantity"]]
    t["ci_prob"] = [ci_label(v) for v in t["ci_prob"].astype(float)]
    return make_table(
        t,
        columns={
            "name": "Quantity",
            "quantity": "Variable",
            "median": "Median",
            "lower": "Lower",
            "upper": "Upper",
            "ci_prob": "Interval",
            "unit": "Unit",
        },
        caption="Headline estimates: posterior median and equal-tailed interval",
    )


def _posterior_summary(result: Any) -> dict[str, Any]:
    import arviz as az

    from algoattr.plots import KEY_PARAMS

    post = result.idata.posterior
    names = [*KEY_PARAMS[result.task], "rate", "multiplier_per_year", "transformer_factor"]
    names += ["a", "b", "mu_a", "mu_b", "sigma_a", "sigma_b", "c_compute", "c_data", "nu"]
    # The doubling time is a ratio whose denominator (the rate) can cross zero: it has no
    # mean or standard deviation, so the table shows the rate and the headline table gives
    # the doubling time by median and quantiles.
    derived = {"doubling_time_months", "doubling_time_years"}
    names = [n for n in dict.fromkeys(names) if n in post and n not in derived]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = az.summary(
            result.idata,
            var_names=names,
            stat_focus="median",
            hdi_prob=CI_PROB,
            round_to="none",
        )
        diag = az.summary(result.idata, var_names=names, kind="diagnostics", round_to="none")
    s = s.drop(columns=["ess_tail", "r_hat"]).join(diag[["ess_bulk", "ess_tail", "r_hat"]])
    s.index.name = "variable"
    s = s.reset_index()
    lo, hi = (f"eti_{100 * q:g}%" for q in eti_probs(CI_PROB))
    return make_table(
        s,
        columns={
            "variable": "Variable",
            "median": "Median",
            "mad": "MAD",
            lo: lo.replace("eti_", "Lower "),
            hi: hi.replace("eti_", "Upper "),
            "mcse_median": "MCSE (median)",
            "ess_bulk": "ESS bulk (draws)",
            "ess_tail": "ESS tail (draws)",
            "r_hat": "R-hat",
        },
        formats={
            "ess_bulk": lambda v: fmt_num(round(v)),
            "ess_tail": lambda v: fmt_num(round(v)),
            "r_hat": lambda v: fmt_num(v, 4),
        },
        caption="Posterior summary (ArviZ, median focus): median, median absolute deviation, "
        f"equal-tailed {ci_label()} (the convention of every table here), Monte Carlo error of "
        "the median and convergence; the unit of each variable is given in the headline table. "
        "The doubling time is not listed: its denominator, the rate (per year), can cross zero, "
        "so it has no mean; the headline gives its median and quantiles",
    )


def _comparison_table(result: Any) -> dict[str, Any] | None:
    comp = result.comparison
    if comp is None or len(comp) == 0:
        return None
    comp = comp.copy()
    if "variant" not in comp.columns:
        comp = comp.reset_index().rename(columns={"index": "variant"})
    from algoattr.model.lm import LM_VARIANTS

    comp["description"] = [LM_VARIANTS.get(str(v), "") for v in comp["variant"]]
    return make_table(
        comp,
        columns={
            "rank": "Rank",
            "variant": "Variant",
            "description": "Progress terms",
            "elpd_loo": "ELPD-LOO (nats)",
            "p_loo": "p_LOO (effective parameters)",
            "elpd_diff": "ELPD difference to best (nats)",
            "dse": "SE of difference (nats)",
            "weight": "Stacking weight",
            "warning": "Pareto-k warning",
        },
        formats={
            "rank": lambda v: str(int(v)),
            "weight": lambda v: f"{float(v):.3f}",
            "warning": lambda v: "yes" if v else "no",
        },
        caption="PSIS-LOO comparison of the model variants (higher ELPD is better)",
    )


def _ceg_rows(result: Any) -> dict[str, Any] | None:
    rows = []
    for k, v in result.extras.items():
        if k.startswith("ceg_") and isinstance(v, Mapping) and "median" in v:
            rows.append(
                {
                    "compute": v.get("compute_flop"),
                    "year": v.get("year"),
                    "benchmark": v.get("benchmark", ""),
                    "ceg": fmt_interval(v["median"], v["lower"], v["upper"]),
                    "ci_prob": ci_label(float(v.get("ci_prob", CI_PROB))),
                }
            )
    if not rows:
        return None
    return make_table(
        pd.DataFrame(rows),
        columns={
            "compute": "Compute (FLOP)",
            "year": "Year",
            "benchmark": "Benchmark",
            "ceg": "Transformer CEG (× compute): median [interval]",
            "ci_prob": "Interval",
        },
        formats={"year": lambda v: f"{float(v):g}"},
        caption="Compute-equivalent gain of the Transformer (transformer variant, Ho et al. "
        "2024's definition)",
    )


def _baselines_table(result: Any) -> dict[str, Any] | None:
    """The papers' estimators on the fit's rows, beside the Bayesian fit and the published
    estimate (doubling time in months; one cell per number, no raw JSON)."""
    from algoattr.published import ERDIL2022_DOUBLING, HO2024_DOUBLING

    b = result.extras.get("baselines")
    if not b:
        return None
    pub = HO2024_DOUBLING if result.task == "language_modelling" else ERDIL2022_DOUBLING
    dt = result.headline()["doubling_time_months"]
    rows = [
        {
            "estimate": "Bayesian (this fit)",
            "rows": len(result.data),
            "point": np.nan,
            "median": dt["median"],
            "lower": dt["lower"],
            "upper": dt["upper"],
            "refits": np.nan,
        }
    ]
    for name, r in b.items():
        d = r.get("doubling_time_months", {}) if isinstance(r, Mapping) else {}
        rows.append(
            {
                "estimate": f"{name} estimator",
                "rows": r.get("n_rows", np.nan) if isinstance(r, Mapping) else np.nan,
                "point": d.get("point", np.nan),
                "median": d.get("median", np.nan),
                "lower": d.get("lower", np.nan),
                "upper": d.get("upper", np.nan),
                "refits": r.get("n_boot", np.nan) if isinstance(r, Mapping) else np.nan,
            }
        )
    rows.append(
        {
            "estimate": f"published: {pub.paper}",
            "rows": pub.rows,
            "point": pub.point,
            "median": pub.median,
            "lower": pub.lower,
            "upper": pub.upper,
            "refits": np.nan,
        }
    )
    return make_table(
        pd.DataFrame(rows),
        columns={
            "estimate": "estimate",
            "rows": "rows",
            "point": "point (months)",
            "median": "median (months)",
            "lower": "2.5% (months)",
            "upper": "97.5% (months)",
            "refits": "bootstrap refits",
        },
        caption="Doubling time of effective compute: this fit, the papers' estimators on the "
        f"same rows, and the published estimate ({pub.note})",
    )


def _scale_table(result: Any) -> dict[str, Any] | None:
    """Doubling time by training compute from the ``scale_rates`` variant, if it was fitted."""
    sd = result.extras.get("scale_dependence")
    if not sd:
        return None
    k = sd["year_scale"]
    lo_c, hi_c = sd["rows_log10_compute"]
    rows = [
        {
            "compute": f"{c} FLOP",
            "median": v["median"],
            "lower": v["lower"],
            "upper": v["upper"],
            "inside": "yes" if lo_c <= np.log10(float(c)) <= hi_c else "no (extrapolated)",
        }
        for c, v in sd["doubling_months"].items()
    ]
    return make_table(
        pd.DataFrame(rows),
        columns={
            "compute": "training compute",
            "median": "doubling time, median (months)",
            "lower": "2.5%",
            "upper": "97.5%",
            "inside": "within the rows' compute",
        },
        caption="Is progress scale-dependent? The scale_rates variant lets both year rates "
        f"change by {fmt_num(k['median'])} [{fmt_num(k['lower'])}, {fmt_num(k['upper'])}] per "
        f"decade of compute (P > 0: {k['prob_positive']:.2f}); Gundlach et al. 2025 find "
        "experimentally that gains grow with scale. An interval that spans zero means these "
        "rows cannot tell",
    )


def _architecture_table(result: Any) -> dict[str, Any] | None:
    """Doubling time for Transformer rows and the others (``architecture_rates`` variant)."""
    ar = result.extras.get("architecture_rates")
    if not ar:
        return None
    rows = [
        {"rows": "Transformer", **ar["transformer_rows_months"]},
        {"rows": "other architectures", **ar["other_rows_months"]},
    ]
    return make_table(
        pd.DataFrame(rows),
        columns={
            "rows": "rows",
            "median": "doubling time, median (months)",
            "lower": "2.5%",
            "upper": "97.5%",
        },
        caption="Does progress differ by architecture? The architecture_rates variant gives "
        "Transformer rows their own year rates; P(Transformer rows faster) = "
        f"{ar['prob_transformer_faster']:.2f}",
    )


def _influence_table(result: Any, top: int = 10) -> dict[str, Any] | None:
    """The ``top`` most influential rows (PSIS leave-one-out and exact estimator refits)."""
    infl = result.extras.get("influence")
    if not infl:
        return None
    frame = pd.DataFrame(infl).head(top)
    if "where" in frame:  # file:line relative to the repository, as in the row tables
        from algoattr.provenance import _prefix

        prefix = _prefix(None)
        frame["where"] = [
            f"{prefix}/{w}" if prefix and w and not str(w).startswith(prefix + "/") else w
            for w in frame["where"]
        ]
    return make_table(
        frame,
        columns={
            "model": "model",
            "benchmark": "benchmark",
            "where": "file:line",
            "shift_months": "shift of the median (months, PSIS)",
            "pareto_k": "Pareto k",
            "estimator_shift_months": "shift, papers' estimator refit (months)",
        },
        caption=f"The {len(frame)} most influential of {len(infl)} rows: change of the "
        "posterior median doubling time when the row is left out (PSIS leave-one-out, no "
        "refit; Pareto k > 0.7 means the approximation is unreliable), and the exact change "
        "when the papers' estimator is refitted without it",
    )


def _sensitivity_table(result: Any) -> dict[str, Any] | None:
    """The headline under each documented alternative rule (``<stem>_sensitivity.csv``)."""
    sens = result.extras.get("sensitivity")
    if not sens:
        return None
    frame = pd.DataFrame(sens)
    settings = result.extras.get("sensitivity_settings") or {}
    short = settings.get("bayes_refits")
    how = (
        f"Bayesian refits: {short['chains']} chains x {short['draws']} draws (tune "
        f"{short['tune']}), seed {short['seed']}; the row matching this fit reuses it"
        if short
        else "Bayesian refits not run (papers' estimator only)"
    )
    frame["bayes_diagnostics_ok"] = frame["bayes_diagnostics_ok"].map(
        lambda v: "–" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
    )
    return make_table(
        frame,
        columns={
            "alternative": "alternative",
            "rules": "rules",
            "likelihood": "likelihood",
            "n_rows": "rows",
            "bayes_median": "Bayesian median (months)",
            "bayes_lower": "2.5%",
            "bayes_upper": "97.5%",
            "bayes_diagnostics_ok": "diagnostics ok",
            "estimator_median": "estimator median (months)",
            "estimator_lower": "2.5%",
            "estimator_upper": "97.5%",
            "note": "note",
        },
        caption=f"Rule sensitivity: the doubling time under each documented alternative. {how}.",
    )
