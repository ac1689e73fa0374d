"""How much single rows and the selection rules move a fit's headline doubling time.

Two tables accompany every fit (``python -m algoattr.fit``, its summary and its report):

* **Row influence** (:func:`row_influence`): for each row, the shift of the posterior median
  doubling time when that row is left out, approximated without refitting by Pareto-smoothed
  importance sampling (PSIS) of the posterior draws with weights ``1 / p(y_i | θ_s)``, with
  the Pareto ``k`` that says whether the approximation can be trusted (``k > 0.7``: not). The
  most influential rows are then refitted exactly, leaving each out, with the paper's own
  estimator (Ho et al. 2024 for language models, Erdil & Besiroglu 2022 for ImageNet),
  which takes well under a second per refit.
* **Rule sensitivity** (:func:`rule_sensitivity`): the headline under each documented
  alternative selection rule or model choice (:func:`alternatives`), from the papers'
  estimator and, when asked, from a short Bayesian refit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from algoattr import law
from algoattr.model.design import (
    IMAGENET_TASK,
    LM_TASK,
    RULE_SETS,
    SelectionRules,
)

__all__ = [
    "PARETO_K_OK",
    "Alternative",
    "alternatives",
    "estimator_doubling",
    "format_influence",
    "format_sensitivity",
    "months_from_rate",
    "row_influence",
    "rule_sensitivity",
    "weighted_quantile",
]

#: Pareto k above which the PSIS leave-one-out approximation is unreliable (Vehtari et al.).
PARETO_K_OK = 0.7


#: Doubling time in months of a growth rate per year (see :func:`algoattr.law.doubling_months`).
months_from_rate = law.doubling_months


def weighted_quantile(x: np.ndarray, weights: np.ndarray, q: float | np.ndarray) -> np.ndarray:
    """Quantiles of ``x`` under normalised ``weights`` (inverse of the weighted CDF, midpoints).

    Parameters
    ----------
    x, weights : numpy.ndarray
        Draws and their (not necessarily normalised) non-negative weights, same shape.
    q : float or array-like
        Probabilities in [0, 1].

    Returns
    -------
    numpy.ndarray
    """
    x = np.asarray(x, float).ravel()
    w = np.asarray(weights, float).ravel()
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cdf, x)


def _rate_draws(idata: Any) -> np.ndarray:
    return idata.posterior["rate"].values.reshape(-1)


def _loglik(idata: Any) -> np.ndarray:
    """Pointwise log-likelihood as (draws, rows)."""
    ll = idata.log_likelihood
    name = next(iter(ll.data_vars))
    arr = ll[name].values
    return arr.reshape(-1, arr.shape[-1])


def _where(row: pd.Series) -> str:
    f, ln = row.get("source_file", ""), row.get("source_line", "")
    if isinstance(ln, float) and np.isfinite(ln):
        ln = int(ln)
    return f"{f}:{ln}" if f else ""


def estimator_doubling(rows: pd.DataFrame, task: str, *, n_boot: int = 0, seed: int = 0) -> dict:
    """The papers' estimator's doubling time (months) on ``rows``.

    Language models: Ho et al. 2024's model 7 (:func:`algoattr.baselines.ho2024_estimator`);
    ImageNet: Erdil & Besiroglu 2022 (:func:`algoattr.baselines.erdil2022_estimator`).

    Returns
    -------
    dict
        ``point``, ``median``, ``lower``, ``upper`` (months; median and interval from
        ``n_boot`` bootstrap refits, equal to the point when ``n_boot`` is 0) and ``estimator``.
    """
    from algoattr import baselines

    if task == LM_TASK:
        res = baselines.ho2024_estimator(rows, n_boot=n_boot, seed=seed)
    elif task == IMAGENET_TASK:
        res = baselines.erdil2022_estimator(rows, n_boot=n_boot, seed=seed)
    else:
        raise ValueError(f"unknown task {task!r}")
    dt = res.doubling_time_months
    return {
        "estimator": res.name,
        "point": float(dt["point"]),
        "median": float(dt["median"]),
        "lower": float(dt["lower"]),
        "upper": float(dt["upper"]),
    }


def row_influence(result: Any, *, refit_top: int | None = None) -> pd.DataFrame:
    """Influence of each fitted row on the headline doubling time.

    Parameters
    ----------
    result : algoattr.model.results.FitResult
        A fit with a ``log_likelihood`` group and a ``rate`` posterior.
    refit_top : int, optional
        Refit the papers' estimator without each of this many most influential rows; ``None``
        (default) refits without every row in turn (a few milliseconds each).

    Returns
    -------
    pandas.DataFrame
        One line per row, most influential first: ``model``, ``benchmark``, ``value``,
        ``where`` (file:line), ``median_months`` (full posterior), ``loo_median_months``
        (PSIS leave-one-out), ``shift_months`` (LOO minus full), ``pareto_k``, ``k_ok``, and for
        the refitted rows ``estimator_months`` (the estimator on all rows),
        ``estimator_loo_months`` and ``estimator_shift_months`` (exact leave-one-out refit).
    """
    import arviz as az

    rate = _rate_draws(result.idata)
    ll = _loglik(result.idata)
    if ll.shape[0] != rate.shape[0]:
        raise ValueError("log_likelihood and posterior draws differ in number")
    data = result.data.reset_index(drop=True)
    if ll.shape[1] != len(data):
        raise ValueError(
            f"log_likelihood has {ll.shape[1]} observations but the fit has {len(data)} rows"
        )
    lw, k = az.psislw(-ll.T)  # rows x draws, normalised log weights
    weights = np.exp(lw)
    full = float(months_from_rate(np.median(rate)))
    loo = np.array([float(months_from_rate(weighted_quantile(rate, w, 0.5))) for w in weights])
    table = pd.DataFrame(
        {
            "model": data["model"].astype(str),
            "benchmark": data["benchmark"].astype(str),
            "value": data["value"].astype(float),
            "where": [_where(r) for _, r in data.iterrows()],
            "median_months": full,
            "loo_median_months": loo,
            "shift_months": loo - full,
            "pareto_k": np.asarray(k, float),
        }
    )
    table["k_ok"] = table["pareto_k"] <= PARETO_K_OK
    mag = table["shift_months"].abs().replace(np.inf, np.finfo(float).max)
    table = table.assign(_mag=mag.fillna(np.inf)).sort_values("_mag", ascending=False)
    table = table.drop(columns="_mag")
    table["estimator_months"] = np.nan
    table["estimator_loo_months"] = np.nan
    table["estimator_shift_months"] = np.nan
    n_refit = len(table) if refit_top is None else refit_top
    if n_refit > 0 and len(data) > 3:
        base = estimator_doubling(data, result.task)["point"]
        for idx in table.index[:n_refit]:
            loo_rows = data.drop(index=idx)
            try:
                est = estimator_doubling(loo_rows, result.task)["point"]
            except (ValueError, np.linalg.LinAlgError):
                est = np.nan
            table.loc[idx, ["estimator_months", "estimator_loo_months"]] = [base, est]
            table.loc[idx, "estimator_shift_months"] = est - base
    return table.reset_index(drop=True)


def format_influence(table: pd.DataFrame, top: int = 10) -> str:
    """The ``top`` most influential rows as text (the CLI summary)."""
    if table.empty:
        return "row influence: no rows"
    full = table["median_months"].iloc[0]
    lines = [
        f"most influential rows (posterior median doubling time {full:.1f} months; shift when "
        "the row is left out: PSIS approximation, and an exact refit of the papers' estimator):",
        f"  {'shift':>7} {'k':>5} {'estimator':>17}  row",
    ]
    for _, r in table.head(top).iterrows():
        est = ""
        if not np.isnan(r["estimator_loo_months"]):
            est = f"{r['estimator_months']:.1f}->{r['estimator_loo_months']:.1f}"
        flag = "" if r["k_ok"] else " (k > 0.7: refit to trust)"
        lines.append(
            f"  {r['shift_months']:>+7.1f} {r['pareto_k']:>5.2f} {est:>17}  "
            f"{r['model']} [{r['benchmark']}] {r['where']}{flag}"
        )
    n_bad = int((~table["k_ok"]).sum())
    if n_bad:
        lines.append(
            f"  {n_bad} row(s) with Pareto k > {PARETO_K_OK}: their PSIS shift is unreliable"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class Alternative:
    """One alternative of the rule-sensitivity table.

    Attributes
    ----------
    name : str
        Short label.
    rules : SelectionRules
        Row selection (a negative ``max_per_paper`` means the task's default).
    likelihood : str
        ``normal`` or ``student_t``.
    paper_effect : bool
        Paper-level random effect (language models).
    note : str
        What differs from the default, in words.
    """

    name: str
    rules: SelectionRules
    likelihood: str = "normal"
    paper_effect: bool = False
    note: str = ""


def alternatives(task: str) -> list[Alternative]:
    """The documented alternatives of ``task`` (default first).

    Language models: default; ``ho2024``; rows from 2011 on; with dynamic evaluation, caches
    and zero-shot rows; with n-gram baselines and late evaluations; with ensembles; with
    token-level perplexities; a paper
    random effect on every row instead of the 3 best per paper; Student-t residuals.
    ImageNet: default; ``erdil2022``; rows from 2011 on; with zero-shot and linear-probe rows;
    with ensembles; Student-t residuals.
    """
    d = RULE_SETS["default"]
    out = [Alternative("default", d, note="the project's default rules")]
    if task == LM_TASK:
        out += [
            Alternative("ho2024", RULE_SETS["ho2024"], note="Ho et al.'s sample, their flags"),
            Alternative("from 2011", replace(d, min_year=2011.0), note="rows before 2011 out"),
            Alternative(
                "+dynamic eval, cache, zero-shot",
                replace(d, include_dynamic_eval=True, include_cache=True, include_zero_shot=True),
                note="test-time adaptation and zero-shot rows kept",
            ),
            Alternative(
                "+n-gram, late evaluations",
                replace(d, include_ngram=True, max_evaluation_lag_years=None),
                note="n-gram baselines and figures published long after the method kept",
            ),
            Alternative("+ensembles", replace(d, include_ensembles=True), note="ensembles kept"),
            Alternative(
                "+token-level",
                replace(d, include_token_level=True),
                note="perplexities per sub-word token (pretrained LLMs) kept as if per word",
            ),
            Alternative(
                "paper random effect",
                replace(d, max_per_paper=None),
                paper_effect=True,
                note="every row, a paper-level effect instead of the 3 best per paper",
            ),
            Alternative("Student-t", d, likelihood="student_t", note="Student-t residuals"),
        ]
    elif task == IMAGENET_TASK:
        out += [
            Alternative(
                "erdil2022", RULE_SETS["erdil2022"], note="Erdil & Besiroglu's table, all rows"
            ),
            Alternative("from 2011", replace(d, min_year=2011.0), note="rows before 2011 out"),
            Alternative(
                "+zero-shot, linear probe",
                replace(d, include_zero_shot=True, include_linear_probe=True),
                note="zero-shot and linear-probe rows kept",
            ),
            Alternative("+ensembles", replace(d, include_ensembles=True), note="ensembles kept"),
            Alternative("Student-t", d, likelihood="student_t", note="Student-t residuals"),
        ]
    else:
        raise ValueError(f"unknown task {task!r}")
    return out


#: A function that selects the rows of an alternative: ``(rules, paper_effect) -> rows``.
SelectFn = Callable[[SelectionRules, bool], pd.DataFrame]
#: A function that fits the Bayesian model for an alternative and returns its FitResult.
FitFn = Callable[[Alternative], Any]


def rule_sensitivity(
    task: str,
    select: SelectFn,
    fit: FitFn | None = None,
    *,
    n_boot: int = 50,
    seed: int = 0,
) -> pd.DataFrame:
    """The headline doubling time under each alternative of :func:`alternatives`.

    Parameters
    ----------
    task : str
        ``language_modelling`` or ``image_classification``.
    select : callable
        ``select(rules, paper_effect)`` returns the rows the alternative fits.
    fit : callable, optional
        ``fit(alternative)`` returns a Bayesian :class:`~algoattr.model.results.FitResult`;
        without it the Bayesian columns stay empty (estimator only).
    n_boot : int
        Bootstrap refits of the papers' estimator per alternative.
    seed : int
        Seed of every random step.

    Returns
    -------
    pandas.DataFrame
        One line per alternative: ``alternative``, ``rules`` (text), ``likelihood``,
        ``paper_effect``, ``n_rows``, ``bayes_median``, ``bayes_lower``, ``bayes_upper``,
        ``bayes_diagnostics_ok``, ``estimator``, ``estimator_point``, ``estimator_median``,
        ``estimator_lower``, ``estimator_upper``, ``note`` (why a cell is empty, if it is).
    """
    out = []
    for alt in alternatives(task):
        rec: dict[str, Any] = {
            "alternative": alt.name,
            "rules": alt.rules.describe(),
            "likelihood": alt.likelihood,
            "paper_effect": alt.paper_effect,
            "n_rows": 0,
            "bayes_median": np.nan,
            "bayes_lower": np.nan,
            "bayes_upper": np.nan,
            "bayes_diagnostics_ok": None,
            "estimator": "",
            "estimator_point": np.nan,
            "estimator_median": np.nan,
            "estimator_lower": np.nan,
            "estimator_upper": np.nan,
            "note": alt.note,
        }
        try:
            rows = select(alt.rules, alt.paper_effect)
        except ValueError as exc:
            rec["note"] = f"{alt.note}; not fitted: {exc}"
            out.append(rec)
            continue
        rec["n_rows"] = len(rows)
        if len(rows) < 8:
            rec["note"] = f"{alt.note}; not fitted: {len(rows)} rows"
            out.append(rec)
            continue
        if alt.likelihood == "normal" and not alt.paper_effect:
            est = estimator_doubling(rows, task, n_boot=n_boot, seed=seed)
            rec["estimator"] = est["estimator"]
            rec.update({f"estimator_{k}": est[k] for k in ("point", "median", "lower", "upper")})
        if fit is not None:
            res = fit(alt)
            dt = res.headline()["doubling_time_months"]
            rec.update(
                bayes_median=dt["median"],
                bayes_lower=dt["lower"],
                bayes_upper=dt["upper"],
                bayes_diagnostics_ok=bool(res.diagnostics.ok),
            )
        out.append(rec)
    return pd.DataFrame(out)


def _cell(m: float, lo: float, hi: float) -> str:
    """``median [lower, upper]``; ``-`` when not computed (NaN); ``inf`` is printed as such
    (a median of ``inf`` means most draws show no progress)."""
    if np.isnan(m):
        return "-"
    return f"{m:.1f} [{lo:.1f}, {hi:.1f}]"


def format_sensitivity(table: pd.DataFrame) -> str:
    """The rule-sensitivity table as text (the CLI summary)."""
    lines = [
        "rule sensitivity, doubling time in months (median [95% interval]):",
        f"  {'alternative':<32} {'rows':>4}  {'Bayesian':<24} {'papers estimator':<24}",
    ]
    for _, r in table.iterrows():
        bayes = _cell(r["bayes_median"], r["bayes_lower"], r["bayes_upper"])
        if r["bayes_diagnostics_ok"] is False:
            bayes += " !"
        est = _cell(r["estimator_median"], r["estimator_lower"], r["estimator_upper"])
        lines.append(f"  {r['alternative']:<32} {r['n_rows']:>4}  {bayes:<24} {est:<24}")
    if (table["bayes_diagnostics_ok"] == False).any():  # noqa: E712 (None means not fitted)
        lines.append("  ! the short refit's diagnostics failed; read it as indicative")
    return "\n".join(lines)
