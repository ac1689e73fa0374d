"""Exact Shapley attribution of the change between two models, vectorised over posterior draws.

A *game* is a value function ``v`` on coalitions of ``k`` players (``k ≤ 6``). For a pair of
models A → B, ``v(S)`` evaluates the fitted scaling law with the players in ``S`` at model B's
values and the others at model A's (the "baseline Shapley" game of Sundararajan & Najmi 2020
with A as the baseline). The Shapley value of player ``i`` is

    φ_i = Σ_{S ⊆ P∖{i}} |S|!(k−|S|−1)!/k! · (v(S ∪ {i}) − v(S)),

computed exactly by enumerating all ``2^k`` coalitions: one broadcast evaluates the law over
(draws, pairs, coalitions) and a ``(k, 2^k)`` weight matrix turns the values into Shapley values,
``φ = v @ W.T``. The shares sum to ``v(all) − v(none)`` (efficiency).

Players, as the papers define them
----------------------------------
Language models (Ho et al. 2024, :func:`algoattr.law.lm_log_perplexity`): ``parameters`` (N),
``data`` (D), ``parameter_efficiency`` (the year in the parameter term) and ``data_efficiency``
(the year in the data term); groups ``compute`` = N + D and ``algorithms`` = both year players.
The law's own space is log-perplexity; the linear space is perplexity.

ImageNet (Erdil & Besiroglu 2022, :func:`algoattr.law.imagenet_accuracy`):
``compute_augmenting`` (the year in the compute sigmoid), ``data_augmenting`` (the year in the
data sigmoid), ``compute`` (C) and ``data`` (D); group ``algorithms`` = both year players. The
law's own space is the logit of accuracy; the linear space is accuracy (the paper's choice).

A group's share is the sum of its members' Shapley values, as in both papers.

References
----------
Shapley, L. S. (1953). A value for n-person games. Contributions to the Theory of Games II.
Sundararajan, M. & Najmi, A. (2020). The many Shapley values for model explanation. ICML.
Ho, A., Besiroglu, T., Erdil, E., et al. (2024). Algorithmic progress in language models.
arXiv:2403.05140.
Erdil, E. & Besiroglu, T. (2022). Algorithmic progress in computer vision. arXiv:2212.05153.
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from algoattr import law

__all__ = [
    "IMAGENET_GROUPS",
    "IMAGENET_PARAMS",
    "IMAGENET_PLAYERS",
    "LM_GROUPS",
    "LM_PARAMS",
    "LM_PLAYERS",
    "MAX_PLAYERS",
    "AttributionResult",
    "UnknownModelError",
    "baseline_shapley",
    "close_matches",
    "coalition_masks",
    "compute_share_of_large_gains",
    "exact_shapley",
    "imagenet_attribution",
    "imagenet_value_fn",
    "lm_attribution",
    "lm_value_fn",
    "select_rows",
    "shapley_weights",
]

#: Largest number of players for which coalitions are enumerated.
MAX_PLAYERS = 6

#: Players of the language-model law, in the column order of the value functions.
LM_PLAYERS: tuple[str, ...] = ("parameters", "data", "parameter_efficiency", "data_efficiency")
#: Groups of the language-model players (Ho et al. 2024).
LM_GROUPS: dict[str, tuple[str, ...]] = {
    "compute": ("parameters", "data"),
    "algorithms": ("parameter_efficiency", "data_efficiency"),
}
#: Keyword names of :func:`algoattr.law.lm_log_perplexity` expected in ``draws``.
LM_PARAMS: tuple[str, ...] = ("a", "alpha_year", "alpha_param", "b", "beta_year", "beta_data")

#: Players of the ImageNet law, in the column order of the value functions.
IMAGENET_PLAYERS: tuple[str, ...] = ("compute_augmenting", "data_augmenting", "compute", "data")
#: Groups of the ImageNet players (Erdil & Besiroglu 2022).
IMAGENET_GROUPS: dict[str, tuple[str, ...]] = {
    "algorithms": ("compute_augmenting", "data_augmenting"),
    "compute": ("compute",),
    "data": ("data",),
}
#: Keyword names of :func:`algoattr.law.imagenet_accuracy` expected in ``draws``.
IMAGENET_PARAMS: tuple[str, ...] = (
    "c_compute",
    "beta_year",
    "beta_compute",
    "c_data",
    "beta_year_data",
    "beta_data",
)

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


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass
class AttributionResult:
    """Shapley attribution of the change between model pairs, per posterior draw.

    Attributes
    ----------
    law : str
        ``"lm"`` or ``"imagenet"``.
    players : tuple of str
        Player names, the last axis of the raw arrays.
    groups : dict
        Group name → member players; a group's value is the sum of its members'.
    model_a, model_b : list of str
        Models of each pair (A → B).
    benchmark : list of str
        Benchmark of each pair (may be empty strings).
    raw : dict
        Space key (``"law"``, ``"linear"``) → Shapley values, shape ``(draws, pairs, players)``.
    v_none, v_all : dict
        Space key → value at A (no player moved) and at B (all moved), ``(draws, pairs)``.
    log_compute_ratio : numpy.ndarray
        ``ln(C_B / C_A)`` per pair (``C = 6ND`` for the LM law).
    space_names : dict
        Space key → what the value is (e.g. ``"log_perplexity"``, ``"accuracy"``).
    """

    law: str
    players: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]
    model_a: list[str]
    model_b: list[str]
    benchmark: list[str]
    raw: dict[str, np.ndarray]
    v_none: dict[str, np.ndarray]
    v_all: dict[str, np.ndarray]
    log_compute_ratio: np.ndarray
    space_names: dict[str, str] = field(default_factory=dict)

    # ---- shapes and labels ----------------------------------------------------------

    @property
    def values(self) -> np.ndarray:
        """Raw Shapley values in the law's own space, ``(draws, pairs, players)``."""
        return self.raw["law"]

    @property
    def n_draws(self) -> int:
        """Number of posterior draws."""
        return int(self.values.shape[0])

    @property
    def n_pairs(self) -> int:
        """Number of pairs."""
        return int(self.values.shape[1])

    @property
    def pairs(self) -> list[str]:
        """Pair labels, ``"A → B"``."""
        return [f"{a} → {b}" for a, b in zip(self.model_a, self.model_b, strict=True)]

    def _space(self, space: str) -> str:
        if space in self.raw:
            return space
        for key, name in self.space_names.items():
            if space == name:
                return key
        raise KeyError(f"unknown space {space!r}; use one of {self._space_labels()}")

    def _space_labels(self) -> list[str]:
        return [*self.raw, *self.space_names.values()]

    # ---- per-draw arrays ------------------------------------------------------------

    def change(self, space: str = "law") -> np.ndarray:
        """Total change ``v(B) − v(A)`` per draw and pair, ``(draws, pairs)``."""
        key = self._space(space)
        return self.v_all[key] - self.v_none[key]

    def shares(
        self, space: str = "law", kind: str = "fraction", level: str = "player"
    ) -> np.ndarray:
        """Per-draw shares of the change.

        Parameters
        ----------
        space : str
            ``"law"`` (log-perplexity / logit accuracy) or ``"linear"`` (perplexity /
            accuracy), or the space's name.
        kind : str
            ``"fraction"`` (share of ``v(B) − v(A)``) or ``"absolute"`` (change in the space's
            units).
        level : str
            ``"player"`` (columns :attr:`players`) or ``"group"`` (columns :attr:`groups`).

        Returns
        -------
        numpy.ndarray
            ``(draws, pairs, players or groups)``.
        """
        key = self._space(space)
        phi = self.raw[key]
        if level == "group":
            idx = {p: j for j, p in enumerate(self.players)}
            phi = np.stack(
                [
                    phi[..., [idx[m] for m in members]].sum(axis=-1)
                    for members in self.groups.values()
                ],
                axis=-1,
            )
        elif level != "player":
            raise ValueError(f"level must be 'player' or 'group', got {level!r}")
        if kind == "absolute":
            return phi
        if kind == "fraction":
            with np.errstate(divide="ignore", invalid="ignore"):
                return phi / self.change(key)[..., None]
        raise ValueError(f"kind must be 'fraction' or 'absolute', got {kind!r}")

    def _member(self, name: str, key: str) -> np.ndarray:
        if name in self.groups:
            return self.shares(key, "absolute", "group")[..., list(self.groups).index(name)]
        if name in self.players:
            return self.raw[key][..., self.players.index(name)]
        raise KeyError(
            f"{name!r} is neither a player {self.players} nor a group {list(self.groups)}"
        )

    def compute_equivalent_multiplier_draws(
        self, space: str = "law", algorithm: str = "algorithms", compute: str = "compute"
    ) -> np.ndarray:
        """Compute-equivalent multiplier of algorithmic progress per draw, ``(draws, pairs)``.

        ``(C_B / C_A)^(φ_algorithm / φ_compute)``: the factor by which compute would have had to
        grow to produce the algorithms' share of the change at the rate at which the actual
        compute growth produced the compute share.

        Parameters
        ----------
        space : str
            Space of the Shapley values (default: the law's own space).
        algorithm, compute : str
            Player or group names of the numerator and the denominator.

        Returns
        -------
        numpy.ndarray
            Multipliers; ``nan`` where ``φ_compute`` is zero (e.g. A and B have the same
            compute), and then also in :meth:`compute_equivalent_multiplier`.
        """
        key = self._space(space)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ratio = self._member(algorithm, key) / self._member(compute, key)
            return np.exp(self.log_compute_ratio[None, :] * ratio)

    def compute_equivalent_multiplier(
        self,
        space: str = "law",
        interval: float = 0.9,
        algorithm: str = "algorithms",
        compute: str = "compute",
    ) -> pd.DataFrame:
        """Median and interval of the compute-equivalent multiplier per pair.

        See :meth:`compute_equivalent_multiplier_draws`; columns ``pair, model_a, model_b,
        benchmark, compute_ratio, median, lower, upper``.
        """
        m = self.compute_equivalent_multiplier_draws(space, algorithm, compute)
        lo, med, hi = _quantiles(m, interval)
        return pd.DataFrame(
            {
                "pair": self.pairs,
                "model_a": self.model_a,
                "model_b": self.model_b,
                "benchmark": self.benchmark,
                "compute_ratio": np.exp(self.log_compute_ratio),
                "median": med,
                "lower": lo,
                "upper": hi,
            }
        )

    # ---- summaries ------------------------------------------------------------------

    def table(self, interval: float = 0.9) -> pd.DataFrame:
        """Tidy table of shares: one row per pair, space, kind and player or group.

        Parameters
        ----------
        interval : float
            Central posterior interval (default 90%: the 5th and 95th percentiles).

        Returns
        -------
        pandas.DataFrame
            Columns ``pair, model_a, model_b, benchmark, space, kind, level, player, median,
            lower, upper``. ``kind`` is ``fraction`` or ``absolute``; ``level`` is ``player``,
            ``group`` or ``total`` (the change ``v(B) − v(A)``, absolute only).
        """
        frames = []
        for key in self.raw:
            for kind in ("fraction", "absolute"):
                for level, names in (("player", self.players), ("group", tuple(self.groups))):
                    arr = self.shares(key, kind, level)
                    frames.append(self._long(arr, names, key, kind, level, interval))
            frames.append(
                self._long(
                    self.change(key)[..., None], ("total",), key, "absolute", "total", interval
                )
            )
        return pd.concat(frames, ignore_index=True)

    def _long(
        self,
        arr: np.ndarray,
        names: Sequence[str],
        key: str,
        kind: str,
        level: str,
        interval: float,
    ) -> pd.DataFrame:
        lo, med, hi = _quantiles(arr, interval)
        n_pairs, n_names = med.shape
        return pd.DataFrame(
            {
                "pair": np.repeat(self.pairs, n_names),
                "model_a": np.repeat(self.model_a, n_names),
                "model_b": np.repeat(self.model_b, n_names),
                "benchmark": np.repeat(self.benchmark, n_names),
                "space": self.space_names.get(key, key),
                "kind": kind,
                "level": level,
                "player": np.tile(list(names), n_pairs),
                "median": med.ravel(),
                "lower": lo.ravel(),
                "upper": hi.ravel(),
            }
        )

    def summary(self, interval: float = 0.9) -> str:
        """Plain-text summary: per pair, the change and the shares of each player and group.

        Parameters
        ----------
        interval : float
            Central posterior interval shown in brackets.

        Returns
        -------
        str
        """
        pct = round(100 * interval)
        lines = [
            f"Shapley attribution ({self.law} law): {self.n_pairs} pair(s), "
            f"{self.n_draws} draw(s); median share [{pct}% interval]",
            "groups: " + "; ".join(f"{g} = {' + '.join(m)}" for g, m in self.groups.items()),
        ]
        mult = self.compute_equivalent_multiplier(interval=interval)
        for j, label in enumerate(self.pairs):
            bench = f" ({self.benchmark[j]})" if self.benchmark[j] else ""
            lines.append("")
            lines.append(f"{label}{bench}")
            for key in self.raw:
                name = self.space_names.get(key, key)
                vlo, vmed, vhi = _quantiles(self.change(key)[:, j], interval)
                a_med = float(np.median(self.v_none[key][:, j]))
                b_med = float(np.median(self.v_all[key][:, j]))
                lines.append(
                    f"  {name}: {a_med:.4g} → {b_med:.4g}, change {_fmt(vmed, vlo, vhi, '.4g')}"
                )
                for level, names in (("group", tuple(self.groups)), ("player", self.players)):
                    lo, med, hi = _quantiles(self.shares(key, "fraction", level)[:, j], interval)
                    cells = [
                        f"{n} {_fmt(100 * med[i], 100 * lo[i], 100 * hi[i], '.1f')}%"
                        for i, n in enumerate(names)
                    ]
                    lines.append(f"    {level}s: " + ", ".join(cells))
            row = mult.iloc[j]
            lines.append(
                f"  compute-equivalent multiplier of algorithms (law space): "
                f"{_fmt(row['median'], row['lower'], row['upper'], '.3g')}× "
                f"(compute grew {row['compute_ratio']:.3g}×)"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"AttributionResult(law={self.law!r}, pairs={self.n_pairs}, draws={self.n_draws}, "
            f"players={self.players})"
        )


def _quantiles(arr: np.ndarray, interval: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not 0 < interval < 1:
        raise ValueError(f"interval must be in (0, 1), got {interval}")
    probs = [(1 - interval) / 2, 0.5, (1 + interval) / 2]
    arr = np.asarray(arr, dtype=float)
    # nanquantile is several times slower; use it only where a fraction is undefined (0/0).
    if not np.isnan(arr).any():
        q = np.quantile(arr, probs, axis=0)
    else:
        with warnings.catch_warnings():  # all-NaN columns (e.g. φ_compute = 0) stay NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            q = np.nanquantile(arr, probs, axis=0)
    return q[0], q[1], q[2]


def _fmt(med: float, lo: float, hi: float, spec: str) -> str:
    if np.isclose(lo, hi) and np.isclose(lo, med):
        return format(float(med), spec)
    return f"{float(med):{spec}} [{float(lo):{spec}}, {float(hi):{spec}}]"


# --------------------------------------------------------------------------------------
# Row inputs
# --------------------------------------------------------------------------------------


def compute_share_of_large_gains(
    result: AttributionResult, min_drop: float = 1.0, interval: float = 0.9
) -> pd.DataFrame:
    """Compute's share of the pairs whose predicted perplexity falls by more than ``min_drop``.

    Ho et al. 2024 report that compute scaling (parameters + data) explains about 60-95% of the
    predicted log-perplexity change between reference models whose predicted perplexity falls
    by more than 1; this is the same quantity from a posterior: per pair, the median and
    central interval over draws of the ``compute`` group's fraction of the change in the law's
    space (log-perplexity).

    Parameters
    ----------
    result : AttributionResult
        A language-model attribution (has a ``compute`` group).
    min_drop : float
        Least fall of the median predicted perplexity (linear space) for a pair to count.
    interval : float
        Central interval over draws.

    Returns
    -------
    pandas.DataFrame
        One row per qualifying pair: ``pair``, ``perplexity_change`` (median), ``median``,
        ``lower``, ``upper`` of compute's share; empty when no pair qualifies.
    """
    if "compute" not in result.groups:
        raise ValueError("needs a language-model attribution with a 'compute' group")
    drop = np.median(result.change("linear"), axis=0)
    share = result.shares("law", "fraction", "group")[..., list(result.groups).index("compute")]
    lo, med, hi = _quantiles(share, interval)
    rows = [
        {
            "pair": result.pairs[j],
            "perplexity_change": float(drop[j]),
            "median": float(med[j]),
            "lower": float(lo[j]),
            "upper": float(hi[j]),
        }
        for j in range(result.n_pairs)
        if drop[j] < -min_drop
    ]
    return pd.DataFrame(rows, columns=["pair", "perplexity_change", "median", "lower", "upper"])


class UnknownModelError(KeyError):
    """A model name that is not among the rows, with the closest names in the message."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def close_matches(name: str, candidates: Sequence[str], n: int = 5) -> list[str]:
    """Closest candidate names (difflib, case-insensitive), best first."""
    lowered = {str(c).lower(): str(c) for c in candidates}
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.5)
    return [lowered[h] for h in hits]


def select_rows(
    data: pd.DataFrame, models: Sequence[str], benchmark: str | None = None
) -> pd.DataFrame:
    """The row of each named model, in order (the first where a model has several).

    Parameters
    ----------
    data : pandas.DataFrame
        Rows with a ``model`` column (and ``benchmark`` if ``benchmark`` is given).
    models : sequence of str
        Model names, matched exactly.
    benchmark : str, optional
        Restrict to rows of this benchmark.

    Returns
    -------
    pandas.DataFrame
        One row per name, in the order given.

    Raises
    ------
    UnknownModelError
        Naming every unknown model with its closest matches.
    """
    if benchmark is not None and "benchmark" in data.columns:
        data = data[data["benchmark"] == benchmark]
    known = data["model"].astype(str)
    problems = []
    for name in models:
        if not (known == name).any():
            hits = close_matches(name, sorted(set(known)))
            hint = f"; did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
            where = f" on {benchmark}" if benchmark else ""
            problems.append(f"unknown model {name!r}{where}{hint}")
    if problems:
        raise UnknownModelError("\n".join(problems))
    first = data.drop_duplicates("model", keep="first").set_index("model", drop=False)
    return first.loc[list(models)].reset_index(drop=True)


def _column(rows: Any, names: Sequence[str]) -> np.ndarray:
    for name in names:
        if isinstance(rows, pd.DataFrame):
            if name in rows.columns:
                return rows[name].to_numpy(dtype=float)
        elif name in rows:
            return np.atleast_1d(np.asarray(rows[name], dtype=float))
    raise KeyError(f"rows lack a column {' / '.join(repr(n) for n in names)}")


def _labels(rows: Any, n: int, column: str, default: str) -> list[str]:
    if isinstance(rows, pd.DataFrame):
        if column in rows.columns:
            return [str(x) for x in rows[column]]
    elif column in rows:
        return [str(x) for x in np.atleast_1d(rows[column])]
    return [f"{default}{j}" if default else "" for j in range(n)]


def _pair_inputs(
    a_rows: Any, b_rows: Any, columns: Sequence[Sequence[str]]
) -> tuple[np.ndarray, np.ndarray, list[str], list[str], list[str]]:
    x_a = np.stack([_column(a_rows, c) for c in columns], axis=-1)
    x_b = np.stack([_column(b_rows, c) for c in columns], axis=-1)
    if x_a.shape != x_b.shape:
        raise ValueError(f"a_rows and b_rows differ in length: {len(x_a)} vs {len(x_b)}")
    bad = ~np.isfinite(x_a).all(axis=1) | ~np.isfinite(x_b).all(axis=1)
    n = len(x_a)
    model_a = _labels(a_rows, n, "model", "A")
    model_b = _labels(b_rows, n, "model", "B")
    if bad.any():
        which = [f"{model_a[j]} → {model_b[j]}" for j in np.flatnonzero(bad)]
        needed = ", ".join(c[0] for c in columns)
        raise ValueError(f"missing or non-finite inputs ({needed}) for pairs: {which}")
    bench_a = _labels(a_rows, n, "benchmark", "")
    bench_b = _labels(b_rows, n, "benchmark", "")
    bench = [ba if ba == bb else f"{ba}/{bb}" for ba, bb in zip(bench_a, bench_b, strict=True)]
    return x_a, x_b, model_a, model_b, bench


def _attribute(
    f: Callable[[np.ndarray], np.ndarray],
    x_a: np.ndarray,
    x_b: np.ndarray,
    law_transform: Callable[[np.ndarray], np.ndarray] | None,
    linear_transform: Callable[[np.ndarray], np.ndarray] | None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
    _, base = baseline_shapley(f, x_a, x_b, return_values=True)
    w_t = shapley_weights(x_a.shape[-1]).T
    raw, v_none, v_all = {}, {}, {}
    for key, transform in (("law", law_transform), ("linear", linear_transform)):
        values = base if transform is None else transform(base)
        raw[key] = values @ w_t
        v_none[key] = values[..., 0]
        v_all[key] = values[..., -1]
    return raw, v_none, v_all


def lm_attribution(
    draws: Mapping[str, Any],
    ref: law.LMReference,
    a_rows: Any,
    b_rows: Any,
) -> AttributionResult:
    """Shapley attribution of the predicted change between language models A → B.

    Players (:data:`LM_PLAYERS`): parameters N, data D, parameter efficiency (the year in the
    parameter term) and data efficiency (the year in the data term) of Ho et al. 2024's law;
    groups compute (N + D) and algorithms (both years). Spaces: ``law`` = predicted
    log-perplexity, ``linear`` = predicted perplexity.

    Parameters
    ----------
    draws : mapping
        ``a, alpha_year, alpha_param, b, beta_year, beta_data`` (keywords of
        :func:`algoattr.law.lm_log_perplexity`), each ``(draws,)`` or ``(draws, pairs)``; a
        point estimate is an array of length 1. The benchmark constants ``a, b`` are those of
        each pair's benchmark (give ``(draws, pairs)`` arrays when pairs span benchmarks).
    ref : law.LMReference
        Reference year, parameters and tokens of the fit.
    a_rows, b_rows : pandas.DataFrame or mapping
        One row per pair for model A and model B with ``year`` (decimal), ``parameters`` and
        ``training_tokens``; ``model`` and ``benchmark`` are used as labels when present.

    Returns
    -------
    AttributionResult
        With ``log_compute_ratio = ln(N_B·D_B / (N_A·D_A))`` (``C = 6ND``).

    Examples
    --------
    >>> ref = law.LMReference(year0=2012.0, n0=1e6, d0=1e6)
    >>> draws = dict(a=[1.0], alpha_year=[0.01], alpha_param=[0.07],
    ...              b=[0.8], beta_year=[0.03], beta_data=[0.04])
    >>> a = {"year": [2012.0], "parameters": [2e7], "training_tokens": [1e8]}
    >>> b = {"year": [2019.0], "parameters": [1.5e9], "training_tokens": [4e10]}
    >>> res = lm_attribution(draws, ref, a, b)
    >>> bool(np.isclose(res.values.sum(axis=-1), res.change()).all())
    True
    """
    x_a, x_b, model_a, model_b, bench = _pair_inputs(
        a_rows, b_rows, (("parameters",), ("training_tokens",), ("year",), ("year",))
    )
    f = lm_value_fn(draws, ref, len(x_a))
    raw, v_none, v_all = _attribute(f, x_a, x_b, None, np.exp)
    log_c = np.log(x_b[:, 0] * x_b[:, 1]) - np.log(x_a[:, 0] * x_a[:, 1])
    return AttributionResult(
        law="lm",
        players=LM_PLAYERS,
        groups=dict(LM_GROUPS),
        model_a=model_a,
        model_b=model_b,
        benchmark=bench,
        raw=raw,
        v_none=v_none,
        v_all=v_all,
        log_compute_ratio=log_c,
        space_names={"law": "log_perplexity", "linear": "perplexity"},
    )


def imagenet_attribution(
    draws: Mapping[str, Any],
    a_rows: Any,
    b_rows: Any,
) -> AttributionResult:
    """Shapley attribution of the predicted change in ImageNet accuracy between models A → B.

    Players (:data:`IMAGENET_PLAYERS`): compute-augmenting algorithms (the year in the compute
    sigmoid), data-augmenting algorithms (the year in the data sigmoid), compute C and data D
    of Erdil & Besiroglu 2022's law; group algorithms (both years). Spaces: ``law`` = logit of
    predicted accuracy, ``linear`` = predicted accuracy (the paper's choice).

    Parameters
    ----------
    draws : mapping
        ``c_compute, beta_year, beta_compute, c_data, beta_year_data, beta_data`` (keywords of
        :func:`algoattr.law.imagenet_accuracy`), each ``(draws,)`` or ``(draws, pairs)``.
    a_rows, b_rows : pandas.DataFrame or mapping
        One row per pair for model A and model B with ``year`` (decimal),
        ``training_compute_flop`` (or ``compute``) and ``training_images`` (or ``images``);
        ``model`` and ``benchmark`` are used as labels when present.

    Returns
    -------
    AttributionResult
        With ``log_compute_ratio = ln(C_B / C_A)``.

    Examples
    --------
    Erdil & Besiroglu 2022's point estimates, AlexNet → ViT-e (accuracy shares):

    >>> draws = dict(c_compute=[0.889], beta_year=[0.1589], beta_compute=[0.1545],
    ...              c_data=[1.783], beta_year_data=[0.0198], beta_data=[0.0632])
    >>> a = {"model": ["AlexNet"], "year": [2012.94], "compute": [4.7e17], "images": [1.28e6]}
    >>> b = {"model": ["ViT-e"], "year": [2022.34], "compute": [1.07e23], "images": [3.3e9]}
    >>> res = imagenet_attribution(draws, a, b)
    >>> np.round(100 * res.shares("linear", level="group")[0, 0], 1).tolist()
    [41.6, 43.6, 14.8]
    """
    x_a, x_b, model_a, model_b, bench = _pair_inputs(
        a_rows,
        b_rows,
        (
            ("year",),
            ("year",),
            ("training_compute_flop", "compute"),
            ("training_images", "images"),
        ),
    )
    f = imagenet_value_fn(draws, len(x_a))
    raw, v_none, v_all = _attribute(f, x_a, x_b, law.logit, None)
    log_c = np.log(x_b[:, 2]) - np.log(x_a[:, 2])
    return AttributionResult(
        law="imagenet",
        players=IMAGENET_PLAYERS,
        groups=dict(IMAGENET_GROUPS),
        model_a=model_a,
        model_b=model_b,
        benchmark=bench,
        raw=raw,
        v_none=v_none,
        v_all=v_all,
        log_compute_ratio=log_c,
        space_names={"law": "logit_accuracy", "linear": "accuracy"},
    )
