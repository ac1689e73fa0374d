"""Reference model pairs and their Shapley attribution from a fitted law's draws.

The pairs of ``datasets/reference_pairs.yaml``, the model rows they name (from a fit's rows or,
for models outside the fit sample, from the benchmark's CSV) and :func:`attribute_pairs`, which
runs :mod:`algoattr.attribution` over them. No fitting happens here: the command line
(:mod:`algoattr.attribute`) obtains the fit, and the report reuses these functions.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr import attribution as at
from algoattr.errors import UsageError
from algoattr.inputs import raise_all, read_yaml, unknown_keys

#: Default location of the reference pairs.
REFERENCE_PAIRS = Path(__file__).resolve().parent.parent / "datasets" / "reference_pairs.yaml"

IMAGENET = "imagenet"
LM_INPUTS = ("year", "parameters", "training_tokens")
IMAGENET_INPUTS = ("year", "training_compute_flop", "training_images")


#: Keys of one benchmark's entry in the reference pairs file.
PAIRS_KEYS = ("models", "pairs", "extra_pairs", "not_found", "no_inputs")

__all__ = [
    "IMAGENET",
    "IMAGENET_INPUTS",
    "LM_INPUTS",
    "REFERENCE_PAIRS",
    "attribute_pairs",
    "dataset_rows",
    "inputs_for",
    "load_reference_pairs",
    "model_rows",
    "subsample_draws",
]


def inputs_for(benchmark: str) -> tuple[str, ...]:
    """Columns the law needs for a model on ``benchmark``."""
    return IMAGENET_INPUTS if benchmark == IMAGENET else LM_INPUTS


def load_reference_pairs(path: Path | str | None = None) -> dict[str, list[tuple[str, str]]]:
    """Reference pairs per benchmark from ``reference_pairs.yaml``.

    Parameters
    ----------
    path : path-like, optional
        The YAML file; default :data:`REFERENCE_PAIRS`.

    Returns
    -------
    dict
        Benchmark id → list of ``(A, B)`` pairs: with ``pairs: all`` every pair among
        ``models`` (A earlier in the list), then any ``extra_pairs``.
    """
    doc = read_yaml(path or REFERENCE_PAIRS)
    spec = {} if doc.data is None else doc.data
    if not isinstance(spec, dict):
        raise doc.error((), "expected a mapping of benchmark id to models and pairs")
    problems = []
    for bench, entry in spec.items():
        if not isinstance(entry, dict):
            problems.append(doc.error((bench,), f"{bench}: expected a mapping with models"))
            continue
        problems += unknown_keys(doc, entry, PAIRS_KEYS, (bench,), label=str(bench))
        if not isinstance(entry.get("models") or [], list):
            problems.append(doc.error((bench, "models"), f"{bench}: models must be a list"))
        for key in ("pairs", "extra_pairs"):
            value = entry.get(key)
            if value is None or (key == "pairs" and value == "all"):
                continue
            if not isinstance(value, list) or not all(
                isinstance(p, list) and len(p) == 2 for p in value
            ):
                what = "`all` or " if key == "pairs" else ""
                problems.append(
                    doc.error((bench, key), f"{bench}: {key} must be {what}a list of [A, B] pairs")
                )
    raise_all(problems)
    out: dict[str, list[tuple[str, str]]] = {}
    for bench, entry in spec.items():
        models = [str(m) for m in entry.get("models") or []]
        pairs_spec = entry.get("pairs", "all")
        if pairs_spec == "all":
            pairs = list(itertools.combinations(models, 2))
        else:
            pairs = [(str(a), str(b)) for a, b in pairs_spec or []]
        pairs += [(str(a), str(b)) for a, b in entry.get("extra_pairs") or []]
        out[str(bench)] = pairs
    return out


def subsample_draws(
    draws: Mapping[str, Any], n: int | None, seed: int | None
) -> dict[str, np.ndarray]:
    """At most ``n`` draws, chosen without replacement with ``seed`` (all when ``n`` is None).

    Every array's first axis is the draw axis; the same draws are kept in every array.
    """
    arrays = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in draws.items()}
    sizes = {v.shape[0] for v in arrays.values()}
    if len(sizes) != 1:
        raise ValueError(f"draw arrays differ in length: {sorted(sizes)}")
    total = sizes.pop()
    if n is None or n >= total:
        return arrays
    keep = np.sort(np.random.default_rng(seed).choice(total, size=n, replace=False))
    return {k: v[keep] for k, v in arrays.items()}


def dataset_rows(benchmark: str) -> pd.DataFrame:
    from algoattr.data import load_evaluations

    return load_evaluations(benchmark, validate=False)


def model_rows(
    names: Sequence[str],
    benchmark: str,
    fit_data: pd.DataFrame | None,
    dataset: pd.DataFrame,
) -> tuple[pd.DataFrame, list[str]]:
    """Inputs of each named model: from the fit's rows, else from the dataset.

    Parameters
    ----------
    names : sequence of str
        Model names (exact).
    benchmark : str
        Benchmark id.
    fit_data : pandas.DataFrame or None
        Rows the fit used (columns ``model``, ``benchmark`` and the law's inputs).
    dataset : pandas.DataFrame
        All rows of the benchmark (from :func:`algoattr.data.load_evaluations`).

    Returns
    -------
    tuple
        The rows in the order of ``names`` (columns ``model``, ``benchmark`` and the inputs),
        and the names taken from the dataset because the fit did not use them.

    Raises
    ------
    UsageError
        For names found nowhere (with close matches) or without the law's inputs.
    """
    cols = inputs_for(benchmark)
    pools = []
    if fit_data is not None and len(fit_data):
        fd = fit_data
        if "benchmark" in fd.columns:
            fd = fd[fd["benchmark"] == benchmark]
        pools.append(("fit", fd))
    pools.append(("dataset", dataset))
    rows, outside, problems = [], [], []
    for name in names:
        for label, pool in pools:
            hit = pool[pool["model"].astype(str) == name]
            if len(hit) and all(c in hit.columns for c in cols):
                usable = hit.dropna(subset=list(cols))
                if len(usable):
                    rows.append(usable.iloc[0])
                    if label == "dataset" and len(pools) > 1:
                        outside.append(name)
                    break
        else:
            everywhere = pd.concat([p["model"].astype(str) for _, p in pools])
            if (everywhere == name).any():
                problems.append(f"{name!r} on {benchmark} lacks {' / '.join(cols)}")
            else:
                hits = at.close_matches(name, sorted(set(everywhere)))
                hint = f"; did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
                problems.append(f"unknown model {name!r} on {benchmark}{hint}")
    if problems:
        raise UsageError("\n".join(problems))
    frame = pd.DataFrame(rows).reset_index(drop=True)
    frame["benchmark"] = benchmark
    return frame[["model", "benchmark", *cols]], outside


def attribute_pairs(
    fit: Any,
    benchmark: str,
    pairs: Sequence[tuple[str, str]],
    dataset: pd.DataFrame,
    n_draws: int | None = None,
    seed: int | None = 0,
) -> tuple[at.AttributionResult, list[str]]:
    """Attribution of ``pairs`` on ``benchmark`` with a fit's draws.

    Parameters
    ----------
    fit : object
        Has ``draws_for(benchmark) -> dict``, ``reference`` (``law.LMReference`` or None) and
        ``data`` (the rows used).
    benchmark : str
        Benchmark id.
    pairs : sequence of (str, str)
        Model pairs A → B.
    dataset : pandas.DataFrame
        The benchmark's rows, for models outside the fit sample and for close matches.
    n_draws : int, optional
        Subsample the draws to at most this many.
    seed : int, optional
        Seed of the subsample.

    Returns
    -------
    tuple
        The :class:`~algoattr.attribution.AttributionResult` and the models whose inputs came
        from the dataset rather than the fit's rows.
    """
    fit_data = getattr(fit, "data", None)
    a_rows, out_a = model_rows([a for a, _ in pairs], benchmark, fit_data, dataset)
    b_rows, out_b = model_rows([b for _, b in pairs], benchmark, fit_data, dataset)
    draws = subsample_draws(fit.draws_for(benchmark), n_draws, seed)
    if benchmark == IMAGENET:
        result = at.imagenet_attribution(draws, a_rows, b_rows)
    else:
        if fit.reference is None:
            raise UsageError(f"the fit has no LM reference point for {benchmark}")
        result = at.lm_attribution(draws, fit.reference, a_rows, b_rows)
    return result, sorted(set(out_a) | set(out_b))
