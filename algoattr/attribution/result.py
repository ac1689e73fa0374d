"""Shapley values per draw and pair, and their summaries: :class:`AttributionResult`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from algoattr.intervals import CI_PROB, ci_label, eti

__all__ = ["AttributionResult", "compute_share_of_large_gains"]


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
        self, space: str = "law", kind: str = "fraction", grouping: str = "player"
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
        grouping : str
            ``"player"`` (columns :attr:`players`) or ``"group"`` (columns :attr:`groups`).

        Returns
        -------
        numpy.ndarray
            ``(draws, pairs, players or groups)``.
        """
        key = self._space(space)
        phi = self.raw[key]
        if grouping == "group":
            idx = {p: j for j, p in enumerate(self.players)}
            phi = np.stack(
                [
                    phi[..., [idx[m] for m in members]].sum(axis=-1)
                    for members in self.groups.values()
                ],
                axis=-1,
            )
        elif grouping != "player":
            raise ValueError(f"grouping must be 'player' or 'group', got {grouping!r}")
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
        ci_prob: float = CI_PROB,
        algorithm: str = "algorithms",
        compute: str = "compute",
    ) -> pd.DataFrame:
        """Median and interval of the compute-equivalent multiplier per pair.

        See :meth:`compute_equivalent_multiplier_draws`; columns ``pair, model_a, model_b,
        benchmark, compute_ratio, median, lower, upper``.
        """
        m = self.compute_equivalent_multiplier_draws(space, algorithm, compute)
        lo, med, hi = _quantiles(m, ci_prob)
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

    def table(self, ci_prob: float = CI_PROB) -> pd.DataFrame:
        """Tidy table of shares: one row per pair, space, kind and player or group.

        Parameters
        ----------
        ci_prob : float
            Probability of the equal-tailed posterior interval (:mod:`algoattr.intervals`).

        Returns
        -------
        pandas.DataFrame
            Columns ``pair, model_a, model_b, benchmark, space, kind, grouping, player, median,
            lower, upper``. ``kind`` is ``fraction`` or ``absolute``; ``grouping`` is ``player``,
            ``group`` or ``total`` (the change ``v(B) − v(A)``, absolute only).
        """
        frames = []
        for key in self.raw:
            for kind in ("fraction", "absolute"):
                for grouping, names in (("player", self.players), ("group", tuple(self.groups))):
                    arr = self.shares(key, kind, grouping)
                    frames.append(self._long(arr, names, key, kind, grouping, ci_prob))
            frames.append(
                self._long(
                    self.change(key)[..., None], ("total",), key, "absolute", "total", ci_prob
                )
            )
        return pd.concat(frames, ignore_index=True)

    def _long(
        self,
        arr: np.ndarray,
        names: Sequence[str],
        key: str,
        kind: str,
        grouping: str,
        ci_prob: float,
    ) -> pd.DataFrame:
        lo, med, hi = _quantiles(arr, ci_prob)
        n_pairs, n_names = med.shape
        return pd.DataFrame(
            {
                "pair": np.repeat(self.pairs, n_names),
                "model_a": np.repeat(self.model_a, n_names),
                "model_b": np.repeat(self.model_b, n_names),
                "benchmark": np.repeat(self.benchmark, n_names),
                "space": self.space_names.get(key, key),
                "kind": kind,
                "grouping": grouping,
                "player": np.tile(list(names), n_pairs),
                "median": med.ravel(),
                "lower": lo.ravel(),
                "upper": hi.ravel(),
            }
        )

    def summary(self, ci_prob: float = CI_PROB) -> str:
        """Plain-text summary: per pair, the change and the shares of each player and group.

        Parameters
        ----------
        ci_prob : float
            Probability of the equal-tailed posterior interval shown in brackets.

        Returns
        -------
        str
        """
        lines = [
            f"Shapley attribution ({self.law} law): {self.n_pairs} pair(s), "
            f"{self.n_draws} draw(s); median share [{ci_label(ci_prob)}]",
            "groups: " + "; ".join(f"{g} = {' + '.join(m)}" for g, m in self.groups.items()),
        ]
        mult = self.compute_equivalent_multiplier(ci_prob=ci_prob)
        for j, label in enumerate(self.pairs):
            bench = f" ({self.benchmark[j]})" if self.benchmark[j] else ""
            lines.append("")
            lines.append(f"{label}{bench}")
            for key in self.raw:
                name = self.space_names.get(key, key)
                vlo, vmed, vhi = _quantiles(self.change(key)[:, j], ci_prob)
                a_med = float(np.median(self.v_none[key][:, j]))
                b_med = float(np.median(self.v_all[key][:, j]))
                lines.append(
                    f"  {name}: {a_med:.4g} → {b_med:.4g}, change {_fmt(vmed, vlo, vhi, '.4g')}"
                )
                for grouping, names in (("group", tuple(self.groups)), ("player", self.players)):
                    lo, med, hi = _quantiles(self.shares(key, "fraction", grouping)[:, j], ci_prob)
                    cells = [
                        f"{n} {_fmt(100 * med[i], 100 * lo[i], 100 * hi[i], '.1f')}%"
                        for i, n in enumerate(names)
                    ]
                    lines.append(f"    {grouping}s: " + ", ".join(cells))
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


def _quantiles(arr: np.ndarray, ci_prob: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # All-NaN columns (e.g. a fraction whose φ_compute = 0) stay NaN.
    return eti(arr, ci_prob, axis=0)


def _fmt(med: float, lo: float, hi: float, spec: str) -> str:
    if np.isclose(lo, hi) and np.isclose(lo, med):
        return format(float(med), spec)
    return f"{float(med):{spec}} [{float(lo):{spec}}, {float(hi):{spec}}]"


def compute_share_of_large_gains(
    result: AttributionResult, min_drop: float = 1.0, ci_prob: float = CI_PROB
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
    ci_prob : float
        Probability of the equal-tailed interval over draws.

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
    lo, med, hi = _quantiles(share, ci_prob)
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
