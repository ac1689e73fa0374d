"""Exact Shapley values of a game over ``k ≤ 6`` players, vectorised over draws.

A game is a value function on coalitions; :func:`coalition_masks` enumerates the ``2^k``
coalitions, :func:`shapley_weights` gives the ``(k, 2^k)`` weight matrix with ``φ = v @ W.T``,
:func:`exact_shapley` applies it to any value function and :func:`baseline_shapley` to the
game "players in the coalition at B's values, the others at A's".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

__all__ = ["MAX_PLAYERS", "baseline_shapley", "coalition_masks", "exact_shapley", "shapley_weights"]

#: Largest number of players for which coalitions are enumerated.
MAX_PLAYERS = 6

ValueFn = Callable[[np.ndarray], np.ndarray]


# --------------------------------------------------------------------------------------
# Games
# --------------------------------------------------------------------------------------


def _check_k(k: int) -> int:
    k = int(k)
    if not 1 <= k <= MAX_PLAYERS:
        raise ValueError(f"exact Shapley values need 1 <= k <= {MAX_PLAYERS} players, got {k}")
    return k


@cache
def _masks(k: int) -> np.ndarray:
    masks = ((np.arange(2**k)[:, None] >> np.arange(k)[None, :]) & 1).astype(bool)
    masks.flags.writeable = False
    return masks


@cache
def _weights(k: int) -> np.ndarray:
    masks = _masks(k)
    size = masks.sum(axis=1)  # |coalition|
    fact = [math.factorial(j) for j in range(k + 1)]
    k_fact = fact[k]
    w = np.zeros((k, 2**k))
    for c in range(2**k):
        s = int(size[c])
        for i in range(k):
            if masks[c, i]:  # coalition c = S ∪ {i}, |S| = s − 1
                w[i, c] = fact[s - 1] * fact[k - s] / k_fact
            else:  # coalition c = S with i ∉ S
                w[i, c] = -fact[s] * fact[k - s - 1] / k_fact
    w.flags.writeable = False
    return w


def coalition_masks(k: int) -> np.ndarray:
    """All ``2^k`` coalitions of ``k`` players as a boolean array.

    Parameters
    ----------
    k : int
        Number of players, ``1 ≤ k ≤ 6``.

    Returns
    -------
    numpy.ndarray
        Shape ``(2**k, k)``; row ``c`` is the coalition whose bit ``i`` is set in ``c``, so row 0
        is the empty coalition and row ``2**k − 1`` the grand coalition. Read-only.

    Examples
    --------
    >>> coalition_masks(2).astype(int).tolist()
    [[0, 0], [1, 0], [0, 1], [1, 1]]
    """
    return _masks(_check_k(k))


def shapley_weights(k: int) -> np.ndarray:
    """Weight matrix ``W`` with ``φ = values @ W.T`` for values ordered as :func:`coalition_masks`.

    ``W[i, c] = |S|!(k−|S|−1)!/k!`` where coalition ``c = S ∪ {i}`` and ``−|S|!(k−|S|−1)!/k!``
    where ``c = S`` with ``i ∉ S``.

    Parameters
    ----------
    k : int
        Number of players, ``1 ≤ k ≤ 6``.

    Returns
    -------
    numpy.ndarray
        Shape ``(k, 2**k)``. Each row sums to zero, and the columns sum to ``−1`` at the empty
        coalition, ``+1`` at the grand coalition and ``0`` elsewhere (efficiency). Read-only.

    Examples
    --------
    >>> shapley_weights(2).tolist()
    [[-0.5, 0.5, -0.5, 0.5], [-0.5, -0.5, 0.5, 0.5]]
    """
    return _weights(_check_k(k))


def exact_shapley(
    value_fn: ValueFn, k: int, *, return_values: bool = False
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Exact Shapley values of a game given by its value function.

    Parameters
    ----------
    value_fn : callable
        ``value_fn(masks)`` with ``masks`` the boolean ``(2**k, k)`` array of
        :func:`coalition_masks` returns the coalition values, an array of shape ``(..., 2**k)``
        (leading axes, e.g. draws and pairs, are carried through).
    k : int
        Number of players, ``1 ≤ k ≤ 6``.
    return_values : bool
        Also return the coalition values.

    Returns
    -------
    numpy.ndarray or tuple
        Shapley values of shape ``(..., k)``; with ``return_values`` also the values
        ``(..., 2**k)``, whose ``[..., 0]`` is ``v(none)`` and ``[..., -1]`` is ``v(all)``.

    Examples
    --------
    >>> v = {(): 0.0, (0,): 1.0, (1,): 2.0, (0, 1): 5.0}
    >>> exact_shapley(lambda m: np.array([v[tuple(np.flatnonzero(r))] for r in m]), 2).tolist()
    [2.0, 3.0]
    """
    k = _check_k(k)
    values = np.asarray(value_fn(coalition_masks(k)), dtype=float)
    if values.shape[-1:] != (2**k,):
        raise ValueError(
            f"value_fn must return an array of shape (..., {2**k}); got {values.shape}"
        )
    phi = values @ shapley_weights(k).T
    return (phi, values) if return_values else phi


def baseline_shapley(
    f: Callable[[np.ndarray], np.ndarray],
    x_a: Any,
    x_b: Any,
    *,
    return_values: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Shapley values of moving the inputs of ``f`` from ``x_a`` to ``x_b``.

    The game is ``v(S) = f(x)`` with ``x_i = x_b[i]`` for ``i ∈ S`` and ``x_a[i]`` otherwise,
    i.e. what ``shap``'s exact explainer computes with ``x_a`` as the single background row.

    Parameters
    ----------
    f : callable
        Maps inputs of shape ``(..., 2**k, k)`` to values ``(..., 2**k)``; it may prepend axes
        (e.g. posterior draws).
    x_a, x_b : array_like
        Baseline and explained points, shape ``(..., k)`` (e.g. one row per pair).
    return_values : bool
        Also return the coalition values.

    Returns
    -------
    numpy.ndarray or tuple
        As :func:`exact_shapley`.
    """
    x_a = np.asarray(x_a, dtype=float)
    x_b = np.asarray(x_b, dtype=float)
    x_a, x_b = np.broadcast_arrays(x_a, x_b)
    k = x_a.shape[-1]

    def value_fn(masks: np.ndarray) -> np.ndarray:
        return f(np.where(masks, x_b[..., None, :], x_a[..., None, :]))

    return exact_shapley(value_fn, k, return_values=return_values)
