"""Forecasts from a fitted language-model law: ``python -m algoattr.forecast``.

Two questions, answered from the posterior draws of a saved fit (or of a new one, see
:func:`algoattr.fit.load_or_fit`), each with a 95% credible interval:

1. What perplexity does a model of year ``Y`` trained with compute ``C`` reach?
2. How much compute does a model of year ``Y`` need to reach a target perplexity (a number,
   or the perplexity of a named model in the curated data, e.g. GPT-3's)?

How compute is split into parameters and data
---------------------------------------------
Training compute is ``C = 6·N·D`` (the law's convention, as Ho et al. 2024). A compute budget
is split into ``N`` and ``D`` in one of two ways:

- ``--tokens-per-param R`` (default 20, Hoffmann et al. 2022's compute-optimal ratio):
  ``D = R·N``, so ``N = √(C / 6R)``;
- ``--tokens-per-param optimal``: the split that minimises the fitted law's log-perplexity at
  that compute and year, per posterior draw. With ``D = C / 6N`` the law is
  ``L(x) = exp(a − α_year·ΔY − α_param·(x − ln N0)) + exp(b − β_year·ΔY − β_data·(ln(C/6) − x
  − ln D0))`` in ``x = ln N``; ``dL/dx = 0`` gives ``α_param·T_N = β_data·T_D`` and the closed
  form of :func:`optimal_split`. The observational fit identifies the exponents poorly (the
  training-set size barely varies within a benchmark), so this split can be far from 20.

The perplexity forecast is given for the law's mean (the credible interval of the expected
log-perplexity) and as a predictive interval for one published model (adding the residual
``sigma``, and the paper effect's scale when the fit has one). The compute needed is that of
the law's mean reaching the target.

The year is a decimal year: ``2027`` is the start of 2027, ``2027.5`` its middle.

Examples
--------
::

    python -m algoattr.forecast --benchmark lm --year 2027 --compute 1e25
    python -m algoattr.forecast --benchmark lm --year 2024 --target-model "GPT-3 (175B, zero-shot)"
    python -m algoattr.forecast --benchmark wikitext-103 --year 2025 --target-ppl 15 \\
        --tokens-per-param optimal --fit reports/lm_summary.json
"""

from __future__ import annotations

import difflib
import logging
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from algoattr import law
from algoattr.errors import UsageError
from algoattr.intervals import CI_PROB, summarise
from algoattr.model.design import LM_TASK
from algoattr.model.results import FitResult

log = logging.getLogger("algoattr.forecast")

#: Tokens per parameter of a compute-optimal model (Hoffmann et al. 2022).
DEFAULT_TOKENS_PER_PARAM = 20.0
#: Language-model benchmark selections accepted by ``--benchmark``.
BENCHMARK_CHOICES = ("lm", "wikitext", "wikitext-103", "wikitext-2", "ptb")
#: Fit variants whose shared year terms describe every model (others add per-benchmark
#: rates or a Transformer factor that the forecast does not apply).
SHARED_VARIANTS = ("both", "param_only", "data_only", "no_progress")
#: Search range of the compute needed (FLOP); beyond it the target counts as unreachable.
COMPUTE_RANGE = (1e0, 1e60)


# ----------------------------------------------------------------------------- the algebra


def split_compute(compute: Any, tokens_per_param: float) -> tuple[np.ndarray, np.ndarray]:
    """``(N, D)`` with ``6·N·D = compute`` and ``D = tokens_per_param·N``."""
    n = np.sqrt(np.asarray(compute, float) / (6.0 * tokens_per_param))
    return n, tokens_per_param * n


def optimal_split(
    compute: Any,
    year: Any,
    *,
    a: Any,
    alpha_year: Any,
    alpha_param: Any,
    b: Any,
    beta_year: Any,
    beta_data: Any,
    ref: law.LMReference,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``(N, D)`` with ``6·N·D = compute`` that minimise the LM law at ``year``.

    ``ln N* = [ln α_param − ln β_data + a − b − (α_year − β_year)·(Y − Y0)
    + α_param·ln N0 + β_data·(ln(C/6) − ln D0)] / (α_param + β_data)``, broadcast over draws.
    The law is convex in ``ln N`` along ``6·N·D = C`` when both exponents are positive, so
    this is its minimum.
    """
    dy = np.asarray(year, float) - ref.year0
    log_c6 = np.log(np.asarray(compute, float) / 6.0)
    ap, bd = np.asarray(alpha_param, float), np.asarray(beta_data, float)
    x = (
        np.log(ap)
        - np.log(bd)
        + np.asarray(a, float)
        - np.asarray(b, float)
        - (np.asarray(alpha_year, float) - np.asarray(beta_year, float)) * dy
        + ap * np.log(ref.n0)
        + bd * (log_c6 - np.log(ref.d0))
    ) / (ap + bd)
    return np.exp(x), np.exp(log_c6 - x)


def allocate(
    compute: Any,
    year: float,
    params: Mapping[str, Any],
    ref: law.LMReference,
    tokens_per_param: float | None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(N, D)`` per draw: :func:`split_compute` or, with ``tokens_per_param=None``,
    :func:`optimal_split`."""
    if tokens_per_param is None:
        return optimal_split(compute, year, ref=ref, **params)
    n, d = split_compute(compute, tokens_per_param)
    shape = np.broadcast(np.asarray(compute, float), *map(np.asarray, params.values())).shape
    return np.broadcast_to(n, shape), np.broadcast_to(d, shape)


def log_perplexity_at(
    compute: Any,
    year: float,
    params: Mapping[str, Any],
    ref: law.LMReference,
    tokens_per_param: float | None = DEFAULT_TOKENS_PER_PARAM,
) -> np.ndarray:
    """The law's log-perplexity at ``compute`` and ``year``, compute split by :func:`allocate`."""
    n, d = allocate(compute, year, params, ref, tokens_per_param)
    return law.lm_log_perplexity(year, n, d, ref=ref, **params)


def compute_for(
    target_log_ppl: float,
    year: float,
    params: Mapping[str, Any],
    ref: law.LMReference,
    tokens_per_param: float | None = DEFAULT_TOKENS_PER_PARAM,
    *,
    tol: float = 1e-9,
    max_iter: int = 200,
) -> np.ndarray:
    """Compute at which the law reaches ``target_log_ppl`` at ``year``, per draw.

    The law decreases in compute (both exponents positive), so the root is found by bisection
    on ``ln C`` within :data:`COMPUTE_RANGE`; a draw whose law does not reach the target there
    gives ``inf`` (and ``0`` when it is below the target already at the lower end).
    """
    p = {k: np.asarray(v, float) for k, v in params.items()}
    shape = np.broadcast(*p.values()).shape
    lo = np.full(shape, np.log(COMPUTE_RANGE[0]))
    hi = np.full(shape, np.log(COMPUTE_RANGE[1]))

    def gap(log_c: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return log_perplexity_at(np.exp(log_c), year, p, ref, tokens_per_param) - target_log_ppl

    unreachable = gap(hi) > 0
    already = gap(lo) <= 0
    out = np.exp(law.bisect(gap, lo, hi, tol=tol, max_iter=max_iter))
    return np.where(unreachable, np.inf, np.where(already, 0.0, out))


# ----------------------------------------------------------------------------- the forecast


@dataclass
class Forecast:
    """A forecast from one fit.

    Attributes
    ----------
    benchmark : str
        Benchmark whose constants are used.
    year : float
        Decimal year of the forecast model.
    split : str
        How compute is split into parameters and data, in words.
    n_draws : int
        Posterior draws used.
    compute : float or None
        Compute of the perplexity forecast (FLOP).
    perplexity : dict
        Law's mean perplexity: median and equal-tailed credible interval
        (:data:`algoattr.intervals.CI_PROB`, recorded as ``ci_prob``).
    perplexity_predictive : dict
        Predictive interval for one published model (with the residual).
    parameters, tokens : dict
        Parameters and tokens of the split (intervals over draws for the optimal split).
    target : dict or None
        The target perplexity and where it comes from.
    compute_needed : dict or None
        Compute at which the law's mean reaches the target: median and interval (FLOP).
    notes : list of str
        What to know when reading the numbers.
    """

    benchmark: str
    year: float
    split: str
    n_draws: int
    compute: float | None = None
    perplexity: dict[str, float] | None = None
    perplexity_predictive: dict[str, float] | None = None
    parameters: dict[str, float] | None = None
    tokens: dict[str, float] | None = None
    target: dict[str, Any] | None = None
    compute_needed: dict[str, float] | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The forecast as plain values (JSON-serialisable)."""
        return asdict(self)

    def summary(self) -> str:
        """A few lines of text."""
        shown = self.perplexity or self.compute_needed or {}
        pct = f"{100 * shown.get('ci_prob', CI_PROB):.0f}%"
        lines = [
            f"forecast on {self.benchmark}, year {self.year:g}, {self.n_draws} posterior draws",
            f"compute split: {self.split}",
        ]
        if self.perplexity is not None:
            p, q = self.perplexity, self.perplexity_predictive or {}
            lines.append(
                f"perplexity at {self.compute:.3g} FLOP: {p['median']:.4g} "
                f"({pct} credible interval {p['lower']:.4g} to {p['upper']:.4g}; one published "
                f"model, {pct} predictive: {q.get('lower', np.nan):.4g} to "
                f"{q.get('upper', np.nan):.4g})"
            )
            n, d = self.parameters or {}, self.tokens or {}
            lines.append(
                f"  parameters {n.get('median', np.nan):.3g} [{n.get('lower', np.nan):.3g}, "
                f"{n.get('upper', np.nan):.3g}], tokens {d.get('median', np.nan):.3g} "
                f"[{d.get('lower', np.nan):.3g}, {d.get('upper', np.nan):.3g}]"
            )
        if self.target is not None and self.compute_needed is not None:
            c = self.compute_needed
            lines.append(
                f"compute to reach perplexity {self.target['perplexity']:.4g} "
                f"({self.target['source']}): {c['median']:.3g} FLOP ({pct} credible interval "
                f"{c['lower']:.3g} to {c['upper']:.3g})"
            )
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)


def forecast(
    fit: FitResult,
    *,
    benchmark: str,
    year: float,
    compute: float | None = None,
    target_ppl: float | None = None,
    target_source: str = "given",
    tokens_per_param: float | None = DEFAULT_TOKENS_PER_PARAM,
    seed: int = 0,
    ci_prob: float = CI_PROB,
) -> Forecast:
    """Forecast perplexity at ``compute`` and the compute needed for ``target_ppl``.

    Parameters
    ----------
    fit : FitResult
        A language-model fit with shared year terms (:data:`SHARED_VARIANTS`).
    benchmark : str
        Benchmark of the fit whose constants are used.
    year : float
        Decimal year of the model forecast.
    compute : float, optional
        Training compute (FLOP) of the perplexity forecast.
    target_ppl : float, optional
        Target perplexity (> 1) of the compute forecast.
    target_source : str
        Where the target comes from (shown in the summary).
    tokens_per_param : float or None
        Tokens per parameter of the split; ``None``: the law's optimal split per draw.
    seed : int
        Seed of the residual draws of the predictive interval.
    ci_prob : float
        Probability of every equal-tailed interval (:mod:`algoattr.intervals`).

    Returns
    -------
    Forecast
    """
    if fit.task != LM_TASK:
        raise UsageError("forecast needs a language-model fit (perplexity)")
    if fit.variant not in SHARED_VARIANTS:
        raise UsageError(
            f"the fit's variant {fit.variant!r} is not one the forecast applies; use a fit of "
            f"variant {', '.join(SHARED_VARIANTS)}"
        )
    if benchmark not in fit.benchmarks:
        raise UsageError(f"benchmark {benchmark!r} is not in the fit ({', '.join(fit.benchmarks)})")
    if compute is None and target_ppl is None:
        raise UsageError("give --compute, or a target (--target-ppl or --target-model), or both")
    params = fit.draws_for(benchmark)
    ref = fit.reference
    n_draws = len(next(iter(params.values())))
    split = (
        "C = 6ND at the law's compute-optimal N and D per posterior draw"
        if tokens_per_param is None
        else f"C = 6ND with D = {tokens_per_param:g} tokens per parameter"
        + (" (Chinchilla)" if tokens_per_param == DEFAULT_TOKENS_PER_PARAM else "")
    )
    out = Forecast(benchmark=benchmark, year=float(year), split=split, n_draws=n_draws)
    if year > float(fit.data["year"].max()) + 0.5:
        out.notes.append(
            f"year {year:g} lies beyond the fitted rows (last {fit.data['year'].max():.1f}): "
            "an extrapolation of the year terms"
        )
    if compute is not None:
        n, d = allocate(compute, year, params, ref, tokens_per_param)
        mean = law.lm_log_perplexity(year, n, d, ref=ref, **params)
        scale = fit.draws("sigma") ** 2
        if "sigma_paper" in fit.idata.posterior:
            scale = scale + fit.draws("sigma_paper") ** 2
        rng = np.random.default_rng(seed)
        pred = mean + np.sqrt(scale) * rng.standard_normal(mean.shape)
        out.compute = float(compute)
        out.perplexity = summarise(np.exp(mean), ci_prob)
        out.perplexity_predictive = summarise(np.exp(pred), ci_prob)
        out.parameters, out.tokens = summarise(n, ci_prob), summarise(d, ci_prob)
        top = 6 * fit.data["parameters"] * fit.data["training_tokens"]
        if compute > 100 * float(top.max()):
            out.notes.append(
                f"{compute:.3g} FLOP is over 100x the largest fitted row's 6ND "
                f"({float(top.max()):.3g}): an extrapolation of the size terms"
            )
    if target_ppl is not None:
        if target_ppl <= 1:
            raise UsageError(f"a target perplexity must exceed 1, got {target_ppl:g}")
        needed = compute_for(float(np.log(target_ppl)), year, params, ref, tokens_per_param)
        out.target = {"perplexity": float(target_ppl), "source": target_source}
        out.compute_needed = summarise(needed, ci_prob)
        n_inf = int(np.sum(~np.isfinite(needed)))
        if n_inf:
            out.notes.append(
                f"{n_inf} of {len(needed)} draws do not reach the target below "
                f"{COMPUTE_RANGE[1]:.0e} FLOP"
            )
    return out


def target_from_model(
    name: str, rows: pd.DataFrame, benchmark: str | None
) -> tuple[float, str, str, list[str]]:
    """The perplexity of the model called ``name`` in ``rows`` (case-insensitive).

    Returns
    -------
    perplexity, benchmark, source, notes
        The row's perplexity, its benchmark, a description and notes on comparability.

    Raises
    ------
    UsageError
        When no row or several rows match (with close names, or the benchmarks to choose
        from with ``--on``).
    """
    names = rows["model"].astype(str)
    hit = rows[names.str.lower() == name.lower()]
    if hit.empty:
        known = sorted(set(names))
        # Compare with the full names and with their stems before " (" ("GPT-2 (1542M)").
        stems: dict[str, list[str]] = {}
        for m in known:
            stems.setdefault(m.split(" (")[0].lower(), []).append(m)
        close = difflib.get_close_matches(name, known, n=5, cutoff=0.6)
        for stem in difflib.get_close_matches(name.lower().split(" (")[0], list(stems), n=3):
            close.extend(m for m in stems[stem] if m not in close)
        contains = [m for m in known if name.lower() in m.lower()]
        hint = (close or contains)[:5]
        raise UsageError(
            f"no model named {name!r} in the curated rows"
            + (f"; close: {'; '.join(hint)}" if hint else "")
        )
    if benchmark is not None:
        on = hit[hit["benchmark"] == benchmark]
        if on.empty:
            has = ", ".join(sorted(set(hit["benchmark"].astype(str))))
            raise UsageError(f"{name!r} has no row on {benchmark} (rows on {has})")
        hit = on
    if len(hit) > 1:
        raise UsageError(
            f"{name!r} has {len(hit)} rows ({', '.join(hit['benchmark'].astype(str))}); "
            "choose one with --on BENCHMARK"
        )
    row = hit.iloc[0]
    notes = []
    if bool(row.get("zero_shot", False)) is True:
        notes.append(
            f"{row['model']}'s figure is zero-shot; the law describes models trained on the "
            "benchmark, so the compute is that of a trained model reaching that perplexity"
        )
    where = f"{row['source_file']}:{row['source_line']}" if "source_file" in row else ""
    source = f"{row['model']} on {row['benchmark']}" + (f", {where}" if where else "")
    return float(row["value"]), str(row["benchmark"]), source, notes


if __name__ == "__main__":  # python -m algoattr.forecast: the command line's module runs it
    from algoattr.cli.forecast import main

    sys.exit(main())
