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

from algoattr.attribution.pairwise import (
    UnknownModelError,
    close_matches,
    imagenet_attribution,
    lm_attribution,
    select_rows,
)
from algoattr.attribution.result import AttributionResult, compute_share_of_large_gains
from algoattr.attribution.shapley import (
    MAX_PLAYERS,
    baseline_shapley,
    coalition_masks,
    exact_shapley,
    shapley_weights,
)
from algoattr.attribution.shapley import ValueFn as ValueFn
from algoattr.attribution.value_functions import (
    IMAGENET_GROUPS,
    IMAGENET_PARAMS,
    IMAGENET_PLAYERS,
    LM_GROUPS,
    LM_PARAMS,
    LM_PLAYERS,
    imagenet_value_fn,
    lm_value_fn,
)

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
