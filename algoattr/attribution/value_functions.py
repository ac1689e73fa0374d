"""The papers' players and value functions: the fitted scaling laws evaluated on coalitions.

Language models (Ho et al. 2024): parameters, data, parameter and data efficiency;
ImageNet (Erdil & Besiroglu 2022): compute- and data-augmenting progress, compute and data.
:func:`lm_value_fn` and :func:`imagenet_value_fn` evaluate the law with each player at model
A's or model B's value, over posterior draws.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from algoattr import law
from algoattr.law import IMAGENET_PARAMS, LM_PARAMS

__all__ = [
    "IMAGENET_GROUPS",
    "IMAGENET_PARAMS",
    "IMAGENET_PLAYERS",
    "LM_GROUPS",
    "LM_PARAMS",
    "LM_PLAYERS",
    "imagenet_value_fn",
    "lm_value_fn",
]

#: Players of the language-model law, in the column order of the value functions.
LM_PLAYERS: tuple[str, ...] = ("parameters", "data", "parameter_efficiency", "data_efficiency")
#: Groups of the language-model players (Ho et al. 2024).
LM_GROUPS: dict[str, tuple[str, ...]] = {
    "compute": ("parameters", "data"),
    "algorithms": ("parameter_efficiency", "data_efficiency"),
}

#: Players of the ImageNet law, in the column order of the value functions.
IMAGENET_PLAYERS: tuple[str, ...] = ("compute_augmenting", "data_augmenting", "compute", "data")
#: Groups of the ImageNet players (Erdil & Besiroglu 2022).
IMAGENET_GROUPS: dict[str, tuple[str, ...]] = {
    "algorithms": ("compute_augmenting", "data_augmenting"),
    "compute": ("compute",),
    "data": ("data",),
}


# --------------------------------------------------------------------------------------
# The papers' value functions
# --------------------------------------------------------------------------------------


def _param_array(value: Any, n_pairs: int, name: str) -> np.ndarray:
    """A law parameter as ``(draws, pairs or 1, 1)`` for broadcasting over coalitions."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim == 1:
        return arr[:, None, None]
    if arr.ndim == 2:
        if arr.shape[1] not in (1, n_pairs):
            raise ValueError(
                f"draws[{name!r}] has shape {arr.shape}; a 2-d parameter must be "
                f"(draws, pairs) with {n_pairs} pairs"
            )
        return arr[:, :, None]
    raise ValueError(f"draws[{name!r}] must be 1-d (draws) or 2-d (draws, pairs); got {arr.shape}")


def _params(draws: Mapping[str, Any], names: Sequence[str], n_pairs: int) -> dict[str, np.ndarray]:
    missing = [n for n in names if n not in draws]
    if missing:
        raise KeyError(f"draws lacks {missing}; expected keys {list(names)}")
    out = {n: _param_array(draws[n], n_pairs, n) for n in names}
    sizes = {v.shape[0] for v in out.values()} - {1}
    if len(sizes) > 1:
        raise ValueError(f"parameters have different numbers of draws: {sorted(sizes)}")
    return out


def lm_value_fn(
    draws: Mapping[str, Any], ref: law.LMReference, n_pairs: int
) -> Callable[[np.ndarray], np.ndarray]:
    """Predicted log-perplexity as a function of the four LM players.

    Parameters
    ----------
    draws : mapping
        Law parameters by keyword name (:data:`LM_PARAMS`), each of shape ``(draws,)`` or
        ``(draws, pairs)``.
    ref : law.LMReference
        Reference year, parameters and tokens of the fit.
    n_pairs : int
        Number of pairs (for checking 2-d parameters).

    Returns
    -------
    callable
        ``f(x)`` with ``x[..., j]`` the players of :data:`LM_PLAYERS` (parameters, tokens,
        year of the parameter term, year of the data term), shape ``(pairs, coalitions, 4)``;
        returns ``(draws, pairs, coalitions)``.

    Notes
    -----
    The year of the data term enters :func:`algoattr.law.lm_log_perplexity` through its
    constant: ``b − β_year·(Y_d − Y0) = (b − β_year·(Y_d − Y_n)) − β_year·(Y_n − Y0)``, so the law
    is evaluated once, at ``Y_n``, with ``b`` shifted; the law itself is not re-implemented.
    """
    p = _params(draws, LM_PARAMS, n_pairs)

    def f(x: np.ndarray) -> np.ndarray:
        n, d, y_n, y_d = (x[..., j] for j in range(4))
        return law.lm_log_perplexity(
            y_n,
            n,
            d,
            a=p["a"],
            alpha_year=p["alpha_year"],
            alpha_param=p["alpha_param"],
            b=p["b"] - p["beta_year"] * (y_d - y_n),
            beta_year=p["beta_year"],
            beta_data=p["beta_data"],
            ref=ref,
        )

    return f


def imagenet_value_fn(draws: Mapping[str, Any], n_pairs: int) -> Callable[[np.ndarray], np.ndarray]:
    """Predicted ImageNet accuracy as a function of the four ImageNet players.

    Parameters
    ----------
    draws : mapping
        Law parameters by keyword name (:data:`IMAGENET_PARAMS`), each ``(draws,)`` or
        ``(draws, pairs)``.
    n_pairs : int
        Number of pairs (for checking 2-d parameters).

    Returns
    -------
    callable
        ``f(x)`` with ``x[..., j]`` the players of :data:`IMAGENET_PLAYERS` (year of the compute
        sigmoid, year of the data sigmoid, compute in FLOP, training images), shape
        ``(pairs, coalitions, 4)``; returns accuracy ``(draws, pairs, coalitions)``.

    Notes
    -----
    The year of the data sigmoid enters :func:`algoattr.law.imagenet_accuracy` through its
    intercept, ``c_D + β_year2·(Y_d − Y_c)``, so the law is evaluated once, at ``Y_c``.
    """
    p = _params(draws, IMAGENET_PARAMS, n_pairs)

    def f(x: np.ndarray) -> np.ndarray:
        y_c, y_d, c, d = (x[..., j] for j in range(4))
        return law.imagenet_accuracy(
            y_c,
            c,
            d,
            c_compute=p["c_compute"],
            beta_year=p["beta_year"],
            beta_compute=p["beta_compute"],
            c_data=p["c_data"] + p["beta_year_data"] * (y_d - y_c),
            beta_year_data=p["beta_year_data"],
            beta_data=p["beta_data"],
        )

    return f
