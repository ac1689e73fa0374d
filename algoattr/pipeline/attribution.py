"""Reference-pair attribution of a fit, as the fit report shows it.

Per benchmark of the fit with reference pairs (``datasets/reference_pairs.yaml``): the Shapley
attribution of the pairs (:func:`algoattr.pairs.attribute_pairs`) and the whole-period shares
(:func:`algoattr.aggregate.whole_period_shares`). A benchmark that cannot be attributed
becomes a note (a ``str``) in its place.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["PairAttribution", "reference_attributions"]


@dataclass(frozen=True)
class PairAttribution:
    """One benchmark's reference pairs, attributed.

    Attributes
    ----------
    benchmark : str
    attribution : AttributionResult
        Shapley shares per pair and posterior draw.
    outside : list of str
        Models outside the fit sample (inputs from the dataset).
    whole : AggregateShares or None
        The whole-period shares (None when not computed; see ``notes``).
    notes : tuple of str
    """

    benchmark: str
    attribution: Any
    outside: list[str]
    whole: Any = None
    notes: tuple[str, ...] = ()


def reference_attributions(
    result: Any, n_draws: int, seed: int, data_root: Path | None = None
) -> tuple[PairAttribution | str, ...]:
    """Attribute the reference pairs of every benchmark of ``result``.

    Parameters
    ----------
    result : FitResult
        The fit.
    n_draws : int
        Posterior draws used (subsampled with ``seed``).
    seed : int
        Seed of the subsample.
    data_root : pathlib.Path, optional
        Datasets root (default: the shipped datasets).

    Returns
    -------
    tuple of PairAttribution or str
        In the order of ``result.benchmarks``; a note where a benchmark is not attributed.
    """
    from algoattr.pairs import attribute_pairs, load_reference_pairs

    try:
        reference = load_reference_pairs()
    except Exception as exc:
        return (f"Reference pairs not read: {exc}",)
    out: list[PairAttribution | str] = []
    for bench in result.benchmarks:
        pairs = reference.get(bench)
        if not pairs:
            out.append(f"No reference pairs for {bench} in datasets/reference_pairs.yaml.")
            continue
        try:
            from algoattr.data import load_evaluations

            dataset = load_evaluations(bench, root=data_root, validate=False)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                attr, outside = attribute_pairs(result, bench, pairs, dataset, n_draws, seed)
        except Exception as exc:
            out.append(f"Attribution on {bench} not computed: {type(exc).__name__}: {exc}")
            continue
        whole, notes = None, []
        try:
            from algoattr.aggregate import whole_period_shares

            models = [m for p in pairs for m in p]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                whole = whole_period_shares(result, bench, models, dataset, n_draws, seed)
        except Exception as exc:
            notes.append(f"Whole-period shares on {bench} not computed: {exc}")
        out.append(PairAttribution(bench, attr, outside, whole, tuple(notes)))
    return tuple(out)
