"""Attribute pairs of published models: rows by name, law inputs, Shapley values per pair.

:func:`select_rows` finds the named models' rows (closest names in the error otherwise);
:func:`lm_attribution` and :func:`imagenet_attribution` attribute each pair A → B under a
fitted law and return an :class:`~algoattr.attribution.AttributionResult`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from algoattr import law
from algoattr.attribution.result import AttributionResult
from algoattr.attribution.shapley import baseline_shapley, shapley_weights
from algoattr.attribution.value_functions import (
    IMAGENET_GROUPS,
    IMAGENET_PLAYERS,
    LM_GROUPS,
    LM_PLAYERS,
    imagenet_value_fn,
    lm_value_fn,
)

__all__ = [
    "UnknownModelError",
    "close_matches",
    "imagenet_attribution",
    "lm_attribution",
    "select_rows",
]


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
    >>> np.round(100 * res.shares("linear", grouping="group")[0, 0], 1).tolist()
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
