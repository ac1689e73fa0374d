"""Scaling laws and their algebra, written once.

Every function takes plain arrays and an array namespace ``xp`` (``numpy`` by default, or
``pytensor.tensor`` inside a PyMC model), so the same expression serves the Bayesian model,
the papers' estimators, the Shapley value functions, the plots and the retraining fits.

Laws
----
- :func:`lm_log_perplexity`: the augmented Chinchilla-style law of Ho et al. 2024 ("model 7"),
  log-perplexity as the sum of a parameter term and a data term, each with its own rate of
  algorithmic progress.
- :func:`imagenet_accuracy`: the two-sigmoid law of Erdil & Besiroglu 2022, accuracy as the
  product of a compute sigmoid and a data sigmoid, each with a year term.
- :func:`power_law_loss`: ``L = E + A·C^-α``, the frontier law of the retraining experiments.
- :func:`chinchilla_loss`: ``L = E + A/N^α + B/D^β`` (Hoffmann et al. 2022).

Algebra
-------
Doubling times, effective-compute multipliers per year and compute-equivalent gains (CEG).

References
----------
Ho, A., Besiroglu, T., Erdil, E., et al. (2024). Algorithmic progress in language models.
arXiv:2403.05140.
Erdil, E. & Besiroglu, T. (2022). Algorithmic progress in computer vision. arXiv:2212.05153.
Hoffmann, J. et al. (2022). Training compute-optimal large language models. arXiv:2203.15556.
Gundlach, H. et al. (2025). On the origin(s) of algorithmic progress in AI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

LN2 = float(np.log(2.0))

#: Parameters of the language-model law, in :func:`lm_log_perplexity`'s keyword names (the
#: names of the posterior variables, of the papers' estimator and of the attribution inputs).
LM_PARAMS: tuple[str, ...] = ("a", "alpha_year", "alpha_param", "b", "beta_year", "beta_data")
#: Parameters of the ImageNet law, in :func:`imagenet_accuracy`'s keyword names.
IMAGENET_PARAMS: tuple[str, ...] = (
    "c_compute",
    "beta_year",
    "beta_compute",
    "c_data",
    "beta_year_data",
    "beta_data",
)

#: Erdil & Besiroglu (2022) reference point: year 2012, AlexNet's compute and 1e6 images.
IMAGENET_YEAR0 = 2012.0
IMAGENET_COMPUTE0 = 4.7e17
IMAGENET_DATA0 = 1e6

#: Published Chinchilla law (Hoffmann et al. 2022, Approach 3).
CHINCHILLA = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}


@dataclass(frozen=True)
class LMReference:
    """Reference point of the language-model law: ``Y0``, ``N0`` and ``D0``.

    Ho et al. 2024 take the sample's minimum year, parameter count and token count.

    Parameters
    ----------
    year0 : float
        Reference (decimal) year.
    n0 : float
        Reference parameter count.
    d0 : float
        Reference training-set size in tokens.
    """

    year0: float
    n0: float
    d0: float

    @classmethod
    def from_data(cls, year: Any, parameters: Any, tokens: Any) -> LMReference:
        """Reference point as the sample minima, as in Ho et al. 2024."""
        return cls(
            year0=float(np.min(year)), n0=float(np.min(parameters)), d0=float(np.min(tokens))
        )

    def to_dict(self) -> dict[str, float]:
        """The reference point as a plain dictionary."""
        return {"year0": self.year0, "n0": self.n0, "d0": self.d0}


# --------------------------------------------------------------------------------------
# Language models (Ho et al. 2024)
# --------------------------------------------------------------------------------------


def lm_terms(
    year: Any,
    parameters: Any,
    tokens: Any,
    *,
    a: Any,
    alpha_year: Any,
    alpha_param: Any,
    b: Any,
    beta_year: Any,
    beta_data: Any,
    ref: LMReference,
    xp: Any = np,
) -> tuple[Any, Any]:
    """The parameter term and the data term of the language-model law.

    ``exp(a − α_year·(Y−Y0) − α_param·ln(N/N0))`` and
    ``exp(b − β_year·(Y−Y0) − β_data·ln(D/D0))``.

    Parameters
    ----------
    year, parameters, tokens : array_like
        Decimal publication year, parameter count and training tokens.
    a, b : array_like
        Log-scale constants of the two terms (benchmark-specific; already indexed per row).
    alpha_year, beta_year : array_like
        Rates of algorithmic progress in the parameter and the data term (per year).
    alpha_param, beta_data : array_like
        Scaling exponents of parameters and data.
    ref : LMReference
        Reference year, parameters and tokens.
    xp : module
        Array namespace providing ``exp`` and ``log`` (numpy or pytensor.tensor).

    Returns
    -------
    tuple
        ``(parameter_term, data_term)``; their sum is the log-perplexity.
    """
    dy = year - ref.year0
    n_term = xp.exp(a - alpha_year * dy - alpha_param * xp.log(parameters / ref.n0))
    d_term = xp.exp(b - beta_year * dy - beta_data * xp.log(tokens / ref.d0))
    return n_term, d_term


def lm_log_perplexity(
    year: Any,
    parameters: Any,
    tokens: Any,
    *,
    a: Any,
    alpha_year: Any,
    alpha_param: Any,
    b: Any,
    beta_year: Any,
    beta_data: Any,
    ref: LMReference,
    xp: Any = np,
) -> Any:
    """Predicted log-perplexity under Ho et al.'s model 7.

    ``L = exp(a − α_year·(Y−Y0) − α_param·ln(N/N0)) + exp(b − β_year·(Y−Y0) − β_data·ln(D/D0))``

    Equivalent to ``L = A/N_eff^α + B/D_eff^β`` with effective parameters
    ``N_eff = N·exp((α_year/α_param)(Y−Y0))`` and effective data
    ``D_eff = D·exp((β_year/β_data)(Y−Y0))``. See :func:`lm_terms` for the arguments.

    Examples
    --------
    >>> ref = LMReference(year0=2010.0, n0=1e6, d0=1e6)
    >>> float(lm_log_perplexity(2010.0, 1e6, 1e6, a=0.0, alpha_year=0.1, alpha_param=0.1,
    ...                         b=0.0, beta_year=0.1, beta_data=0.1, ref=ref))
    2.0
    """
    n_term, d_term = lm_terms(
        year,
        parameters,
        tokens,
        a=a,
        alpha_year=alpha_year,
        alpha_param=alpha_param,
        b=b,
        beta_year=beta_year,
        beta_data=beta_data,
        ref=ref,
        xp=xp,
    )
    return n_term + d_term


def lm_effective_compute_rate(
    alpha_year: Any, alpha_param: Any, beta_year: Any, beta_data: Any
) -> Any:
    """Growth rate of effective compute from algorithms, in e-folds per year.

    With ``C = 6·N·D``, effective compute grows as ``N_eff·D_eff``, i.e. at
    ``α_year/α_param + β_year/β_data`` e-folds per year.
    """
    return alpha_year / alpha_param + beta_year / beta_data


def lm_doubling_time_years(
    alpha_year: Any, alpha_param: Any, beta_year: Any, beta_data: Any
) -> Any:
    """Doubling time of effective compute, ``ln 2 / (α_year/α_param + β_year/β_data)`` years.

    Examples
    --------
    Ho et al. 2024's full-sample point estimates give 8.7 months:

    >>> round(12 * lm_doubling_time_years(0.00394, 0.0680, 0.0356, 0.0396), 1)
    8.7
    """
    return LN2 / lm_effective_compute_rate(alpha_year, alpha_param, beta_year, beta_data)


def doubling_months(rate: Any) -> Any:
    """Doubling time in months of an e-fold growth rate per year: ``12·ln 2 / rate``.

    ``inf`` where the rate is <= 0 (no doubling), NaN where it is NaN; scalars give a float.
    """
    r = np.asarray(rate, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(r > 0, 12.0 * LN2 / np.where(r > 0, r, 1.0), np.inf)
    out = np.where(np.isnan(r), np.nan, out)
    return float(out) if out.ndim == 0 else out


def rate_from_doubling_months(months: Any) -> Any:
    """E-fold growth rate per year of a doubling time in months, the inverse of
    :func:`doubling_months` (``inf`` months gives rate 0, NaN stays NaN)."""
    m = np.asarray(months, dtype=float)
    with np.errstate(divide="ignore"):
        out = np.where(np.isinf(m), 0.0, 12.0 * LN2 / m)
    return float(out) if out.ndim == 0 else out


def multiplier_per_year(doubling_time_years: Any) -> Any:
    """Effective-compute multiplier per year implied by a doubling time in years."""
    return np.exp(LN2 / np.asarray(doubling_time_years, dtype=float))


def cumulative_gain(doubling_time_years: Any, years: float) -> Any:
    """Compute-equivalent gain accumulated over ``years`` at a constant doubling time."""
    return np.exp(LN2 * years / np.asarray(doubling_time_years, dtype=float))


def lm_transformer_ceg(
    compute: Any,
    *,
    gamma: Any,
    year: float,
    a: Any,
    alpha_year: Any,
    alpha_param: Any,
    b: Any,
    beta_year: Any,
    beta_data: Any,
    ref: LMReference,
    tol: float = 1e-10,
    max_iter: int = 200,
) -> np.ndarray:
    """Compute-equivalent gain of the Transformer effect (Ho et al. 2024).

    Transformer rows have log-perplexity ``σ(γ)·L(N, D)``. At compute ``C`` with
    ``N = D = √(C/6)``, the gain is ``k²`` where ``k`` solves
    ``σ(γ)·L(N, D) = L(k·N, k·D)``: the factor by which a non-Transformer would need to scale
    both parameters and data (so compute by ``k²``) to match. Solved by bisection on ``ln k``,
    vectorised over draws.

    Parameters
    ----------
    compute : float or array_like
        Training compute ``C`` in FLOP.
    gamma : array_like
        Transformer coefficient (draws); the factor on log-perplexity is ``σ(γ)``.
    year : float
        Decimal year at which both models are compared.
    a, alpha_year, alpha_param, b, beta_year, beta_data, ref
        Law parameters (draws broadcast together), as in :func:`lm_log_perplexity`.
    tol : float
        Tolerance on ``ln k``.
    max_iter : int
        Bisection steps at most.

    Returns
    -------
    numpy.ndarray
        CEG per draw (``k²``); ``inf`` where the non-Transformer law cannot reach the
        Transformer's loss (its irreducible part is too large).
    """
    params = dict(
        a=np.asarray(a, float),
        alpha_year=np.asarray(alpha_year, float),
        alpha_param=np.asarray(alpha_param, float),
        b=np.asarray(b, float),
        beta_year=np.asarray(beta_year, float),
        beta_data=np.asarray(beta_data, float),
    )
    gamma = np.asarray(gamma, float)
    shape = np.broadcast(gamma, np.asarray(compute, float), *params.values()).shape
    n = np.broadcast_to(np.sqrt(np.asarray(compute, float) / 6.0), shape)
    target = sigmoid(gamma) * lm_log_perplexity(year, n, n, ref=ref, **params)
    target = np.broadcast_to(target, shape)

    def gap(log_k: np.ndarray) -> np.ndarray:
        k = np.exp(log_k)
        return lm_log_perplexity(year, k * n, k * n, ref=ref, **params) - target

    lo = np.zeros(shape)
    hi = np.full(shape, 1.0)
    # Grow the upper bracket until the non-Transformer law reaches the target.
    for _ in range(60):
        need = gap(hi) > 0
        if not need.any():
            break
        hi = np.where(need, hi * 2.0, hi)
    reachable = gap(hi) <= 0
    root = bisect(gap, lo, hi, tol=tol, max_iter=max_iter)
    return np.where(reachable, np.exp(2.0 * root), np.inf)


def bisect(
    gap: Any, lo: np.ndarray, hi: np.ndarray, *, tol: float = 1e-10, max_iter: int = 200
) -> np.ndarray:
    """Vectorised bisection for the root of a decreasing ``gap`` in ``[lo, hi]``.

    ``gap(x) > 0`` means the root lies above ``x``. Every element is bisected together
    until the widest bracket is narrower than ``tol`` (or ``max_iter`` steps); the bracket
    midpoints are returned.
    """
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    for _ in range(max_iter):
        mid = 0.5 * (lo + hi)
        above = gap(mid) > 0
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
        if np.max(hi - lo) < tol:
            break
    return 0.5 * (lo + hi)


# --------------------------------------------------------------------------------------
# ImageNet (Erdil & Besiroglu 2022)
# --------------------------------------------------------------------------------------


def sigmoid(x: Any, xp: Any = np) -> Any:
    """Logistic function ``1 / (1 + exp(−x))``."""
    if xp is np:
        return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))
    return 1.0 / (1.0 + xp.exp(-x))


def logit(p: Any, xp: Any = np) -> Any:
    """Inverse of :func:`sigmoid`, ``ln(p / (1 − p))``."""
    return xp.log(p) - xp.log1p(-p)


def imagenet_logits(
    year: Any,
    compute: Any,
    images: Any,
    *,
    c_compute: Any,
    beta_year: Any,
    beta_compute: Any,
    c_data: Any,
    beta_year_data: Any,
    beta_data: Any,
    xp: Any = np,
) -> tuple[Any, Any]:
    """Arguments of the compute sigmoid and the data sigmoid of the ImageNet law.

    ``z_C = c_C + β_year·(Y−2012) + β_C·ln(C/4.7e17)`` and
    ``z_D = c_D + β_year2·(Y−2012) + β_D·ln(D/1e6)``.
    """
    dy = year - IMAGENET_YEAR0
    z_c = c_compute + beta_year * dy + beta_compute * xp.log(compute / IMAGENET_COMPUTE0)
    z_d = c_data + beta_year_data * dy + beta_data * xp.log(images / IMAGENET_DATA0)
    return z_c, z_d


def imagenet_accuracy(
    year: Any,
    compute: Any,
    images: Any,
    *,
    c_compute: Any,
    beta_year: Any,
    beta_compute: Any,
    c_data: Any,
    beta_year_data: Any,
    beta_data: Any,
    xp: Any = np,
) -> Any:
    """Predicted top-1 accuracy (a fraction) under Erdil & Besiroglu's law.

    ``accuracy = σ(z_C)·σ(z_D)``; see :func:`imagenet_logits`.

    Parameters
    ----------
    year, compute, images : array_like
        Decimal publication year, training compute (FLOP) and training images.
    c_compute, beta_year, beta_compute : array_like
        Intercept, year slope and log-compute slope of the compute sigmoid.
    c_data, beta_year_data, beta_data : array_like
        Intercept, year slope and log-data slope of the data sigmoid.
    xp : module
        Array namespace (numpy or pytensor.tensor).

    Returns
    -------
    array_like
        Accuracy in (0, 1).
    """
    z_c, z_d = imagenet_logits(
        year,
        compute,
        images,
        c_compute=c_compute,
        beta_year=beta_year,
        beta_compute=beta_compute,
        c_data=c_data,
        beta_year_data=beta_year_data,
        beta_data=beta_data,
        xp=xp,
    )
    return sigmoid(z_c, xp) * sigmoid(z_d, xp)


def imagenet_doubling_time_years(beta_year: Any, beta_compute: Any) -> Any:
    """Compute-augmenting doubling time, ``ln 2 · β_compute / β_year`` years.

    Examples
    --------
    Erdil & Besiroglu 2022's point estimates give 8.1 months:

    >>> round(12 * imagenet_doubling_time_years(0.1589, 0.1545), 1)
    8.1
    """
    return LN2 * beta_compute / beta_year


# --------------------------------------------------------------------------------------
# Frontier power laws and compute-equivalent gains
# --------------------------------------------------------------------------------------


def power_law_loss(compute: Any, *, E: Any, A: Any, alpha: Any, xp: Any = np) -> Any:
    """Frontier law ``L = E + A·C^−α`` (loss against training compute)."""
    return E + A * xp.exp(-alpha * xp.log(compute))


def power_law_compute(loss: Any, *, E: Any, A: Any, alpha: Any) -> Any:
    """Compute needed to reach ``loss`` under ``L = E + A·C^−α`` (``inf`` at or below E)."""
    excess = np.asarray(loss, dtype=float) - E
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.power(A / excess, 1.0 / alpha)
    return np.where(excess > 0, out, np.inf)


def law_ceg(compute: Any, *, A_ref: Any, alpha_ref: Any, A_new: Any, alpha_new: Any) -> Any:
    """Compute-equivalent gain of a new law over a reference law at the new law's compute.

    For ``L = E + A·C^−α`` with a shared ``E``, the reference needs
    ``C_ref = (A_ref/A_new)^(1/α_ref) · C^(α_new/α_ref)`` to match the new law at ``C``, so

    ``CEG(C) = (A_ref/A_new)^(1/α_ref) · C^(α_new/α_ref − 1)``.

    The gain is scale-invariant exactly when ``α_new == α_ref``.

    Examples
    --------
    Gundlach et al. 2025, LSTM → 2017 Transformer at 1e18 FLOP (about 60×):

    >>> round(float(law_ceg(1e18, A_ref=36.3, alpha_ref=0.065, A_new=81.7, alpha_new=0.091)))
    60
    """
    compute = np.asarray(compute, dtype=float)
    return np.power(A_ref / A_new, 1.0 / alpha_ref) * np.power(compute, alpha_new / alpha_ref - 1.0)


def chinchilla_loss(
    parameters: Any,
    tokens: Any,
    *,
    E: float = CHINCHILLA["E"],
    A: float = CHINCHILLA["A"],
    B: float = CHINCHILLA["B"],
    alpha: float = CHINCHILLA["alpha"],
    beta: float = CHINCHILLA["beta"],
    xp: Any = np,
) -> Any:
    """Chinchilla loss ``E + A/N^α + B/D^β`` (defaults: Hoffmann et al. 2022's fit)."""
    return E + A * xp.exp(-alpha * xp.log(parameters)) + B * xp.exp(-beta * xp.log(tokens))
