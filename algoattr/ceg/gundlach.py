"""Gundlach et al. 2025's published constants and their 2012-2023 extrapolation
(see :mod:`algoattr.ceg`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from algoattr.ceg.chinchilla import chinchilla_rebalancing_ceg
from algoattr.law import law_ceg, power_law_loss

#: Published constants of Gundlach et al. 2025 (frontier laws ``L − E = A·C^−α``, E = 1.9 fixed;
#: single-change ablation multipliers; frontier compute ``1e16 · 4.1^(year − 2013)``).
GUNDLACH_2025: dict[str, Any] = {
    "E": 1.9,
    "laws": {
        "lstm": {"A": 36.3, "alpha": 0.065},
        "transformer_2017": {"A": 81.7, "alpha": 0.091},
        "transformer_modern": {"A": 88.0, "alpha": 0.094},
    },
    "frontier_compute": {"c0": 1e16, "growth": 4.1, "year0": 2013.0},
    # Single-change ablations (by-loss CEG at ~1e15 FLOP); sinusoidal → learned = 1.44 / 1.26.
    "ablations": {
        "learned_positions": 1.14,
        "cosine_schedule": 1.04,
        "pre_norm": 1.87,
        "rmsnorm": 1.09,
        "rope": 1.26,
        "swiglu": 1.17,
    },
    "measured_combined": 1.33,
    # Ablations that enter the timeline (not SwiGLU), with the year each arrives.
    "timeline": {
        "learned_positions": 2018,
        "cosine_schedule": 2018,
        "pre_norm": 2019,
        "rmsnorm": 2020,
        "rope": 2021,
    },
    "mixture_of_experts": 2.0,
}


# --------------------------------------------------------------------------------------
# Gundlach et al. 2025 extrapolation
# --------------------------------------------------------------------------------------


@dataclass
class GundlachExtrapolation:
    """Gundlach et al. 2025's decomposition of algorithmic progress between two years.

    Attributes
    ----------
    start_year, end_year : int
        Period of the extrapolation (compute is the frontier compute of ``end_year``).
    final_compute : float
        Frontier compute at ``end_year`` (FLOP).
    lstm_to_transformer : float
        Law-against-law CEG, LSTM → 2017 Transformer, at ``final_compute``.
    chinchilla : float
        Kaplan → Chinchilla rebalancing gain at ``final_compute``.
    transformer : float
        ``lstm_to_transformer / chinchilla`` (the Transformer term).
    scale_invariant : float
        Shrunk ablations in the timeline times mixture-of-experts.
    shrink_exponent : float
        ``ln(measured combined) / ln(product of single ablations)``.
    ablation_terms : dict
        Each timeline ablation after shrinking.
    """

    start_year: int
    end_year: int
    final_compute: float
    lstm_to_transformer: float
    chinchilla: float
    transformer: float
    scale_invariant: float
    shrink_exponent: float
    ablation_terms: dict[str, float] = field(default_factory=dict)
    mixture_of_experts: float = 2.0

    @property
    def total(self) -> float:
        """Total compute-equivalent gain: Transformer × Chinchilla × scale-invariant."""
        return self.transformer * self.chinchilla * self.scale_invariant

    def log_shares(self) -> dict[str, float]:
        """Each term's share of the log-total."""
        lt = math.log(self.total)
        return {
            "transformer": math.log(self.transformer) / lt,
            "chinchilla": math.log(self.chinchilla) / lt,
            "scale_invariant": math.log(self.scale_invariant) / lt,
        }

    def table(self) -> pd.DataFrame:
        """One row per term with its factor and log-share."""
        shares = self.log_shares()
        rows = [
            ("transformer", self.transformer, shares["transformer"]),
            ("chinchilla", self.chinchilla, shares["chinchilla"]),
            ("scale_invariant", self.scale_invariant, shares["scale_invariant"]),
            ("total", self.total, 1.0),
        ]
        return pd.DataFrame(rows, columns=["term", "factor", "log_share"])

    def summary(self) -> str:
        """Plain-text summary."""
        head = (
            f"Gundlach et al. 2025 extrapolation {self.start_year}-{self.end_year} "
            f"(frontier compute {self.final_compute:.3g} FLOP)"
        )
        return head + "\n" + self.table().to_string(index=False, float_format="{:.4g}".format)


def frontier_compute(year: Any, constants: Mapping[str, Any] | None = None) -> np.ndarray:
    """Gundlach et al.'s frontier compute ``1e16 · 4.1^(year − 2013)`` FLOP."""
    fc = (constants or GUNDLACH_2025)["frontier_compute"]
    return fc["c0"] * np.power(fc["growth"], np.asarray(year, dtype=float) - fc["year0"])


def gundlach_extrapolation(
    start_year: int = 2012,
    end_year: int = 2023,
    constants: Mapping[str, Any] | None = None,
    timeline: Sequence[str] | None = None,
) -> GundlachExtrapolation:
    """Reproduce Gundlach et al. 2025's extrapolation of algorithmic progress.

    Transformer term: LSTM → 2017 Transformer law CEG at the final year's frontier compute,
    divided by the Kaplan → Chinchilla rebalancing gain there (their Transformers were trained
    Chinchilla-style, a 2017 one was not). Scale-invariant term: the six single ablations raised
    to ``ln(1.33)/ln(product)`` so that together they give the measured 1.33×; the ablations of
    the timeline that arrive by ``end_year`` (five, not SwiGLU), times mixture-of-experts 2.0.

    Parameters
    ----------
    start_year, end_year : int
        Period; only ``end_year`` (its frontier compute and which timeline items have arrived)
        enters the arithmetic, as in the paper.
    constants : mapping, optional
        Replacement for :data:`GUNDLACH_2025`.
    timeline : sequence of str, optional
        Ablation names to include (default: those in the constants' timeline that arrive by
        ``end_year``).

    Returns
    -------
    GundlachExtrapolation

    Examples
    --------
    >>> round(gundlach_extrapolation(2012, 2023).total)
    6926
    """
    k = constants or GUNDLACH_2025
    c_final = float(frontier_compute(end_year, k))
    lstm, tr = k["laws"]["lstm"], k["laws"]["transformer_2017"]
    ceg_lt = float(
        law_ceg(
            c_final, A_ref=lstm["A"], alpha_ref=lstm["alpha"], A_new=tr["A"], alpha_new=tr["alpha"]
        )
    )
    chin = float(chinchilla_rebalancing_ceg(c_final))
    ablations = k["ablations"]
    shrink = math.log(k["measured_combined"]) / math.log(math.prod(ablations.values()))
    if timeline is None:
        timeline = [name for name, yr in k["timeline"].items() if yr <= end_year]
    terms = {name: ablations[name] ** shrink for name in timeline}
    moe = float(k["mixture_of_experts"])
    return GundlachExtrapolation(
        start_year=start_year,
        end_year=end_year,
        final_compute=c_final,
        lstm_to_transformer=ceg_lt,
        chinchilla=chin,
        transformer=ceg_lt / chin,
        scale_invariant=math.prod(terms.values()) * moe,
        shrink_exponent=shrink,
        ablation_terms=terms,
        mixture_of_experts=moe,
    )


def loss_at(compute: Any, family: str, constants: Mapping[str, Any] | None = None) -> np.ndarray:
    """Frontier loss of one of Gundlach et al.'s families (``lstm``, ``transformer_2017``, ...)."""
    k = constants or GUNDLACH_2025
    law = k["laws"][family]
    return np.asarray(
        power_law_loss(np.asarray(compute, float), E=k["E"], A=law["A"], alpha=law["alpha"])
    )
