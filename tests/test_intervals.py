"""The one interval convention: equal-tailed intervals, keyword ``ci_prob``, one default."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpy as np
import pytest

import algoattr
from algoattr.intervals import CI_PROB, check_ci_prob, ci_label, eti, eti_probs, summarise


def test_eti_is_the_equal_tailed_quantiles():
    x = np.arange(1001.0)
    assert eti(x, 0.9) == pytest.approx((50.0, 500.0, 950.0))
    assert eti(x) == pytest.approx((25.0, 500.0, 975.0))  # CI_PROB = 0.95
    assert eti_probs(0.8) == pytest.approx((0.1, 0.9))


def test_eti_per_column_and_ignores_nan_draws():
    x = np.column_stack([np.arange(101.0), 2 * np.arange(101.0)])
    lo, med, hi = eti(x, 0.5, axis=0)
    assert lo.tolist() == [25.0, 50.0] and med.tolist() == [50.0, 100.0]
    assert hi.tolist() == [75.0, 150.0]
    with_nan = np.append(np.arange(101.0), np.nan)
    assert eti(with_nan, 0.5) == pytest.approx((25.0, 50.0, 75.0))
    all_nan = np.full((5, 2), np.nan)
    assert np.isnan(eti(all_nan, 0.5, axis=0)[1]).all()


def test_summarise_records_the_probability():
    s = summarise(np.arange(101.0), 0.5)
    assert s == {"median": 50.0, "lower": 25.0, "upper": 75.0, "ci_prob": 0.5}


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, float("nan")])
def test_probability_outside_zero_one_is_refused(bad):
    with pytest.raises(ValueError, match="ci_prob must be strictly between 0 and 1"):
        check_ci_prob(bad)
    with pytest.raises(ValueError, match="ci_prob"):
        eti(np.arange(10.0), bad)


def test_labels():
    assert ci_label() == "95% interval"
    assert ci_label(0.9) == "90% interval" and ci_label(0.975) == "97.5% interval"
    assert CI_PROB == 0.95


def _public_callables():
    """Every public function and method of every algoattr module (except the training
    suite's torch modules, which need the optional extra)."""
    seen = set()
    for info in pkgutil.walk_packages(algoattr.__path__, "algoattr."):
        try:
            mod = importlib.import_module(info.name)
        except ImportError:  # an optional extra (torch) is not installed
            continue
        for name, obj in vars(mod).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
                continue
            members = [obj]
            if inspect.isclass(obj):
                members = [m for k, m in vars(obj).items() if not k.startswith("_")]
                members = [getattr(m, "__func__", m) for m in members]
            for f in members:
                if callable(f) and id(f) not in seen:
                    seen.add(id(f))
                    yield f"{mod.__name__}.{name}", f


def _signatures():
    """``(qualified name, parameters)`` of every public callable that has a signature."""
    for qual, f in _public_callables():
        try:
            yield qual, inspect.signature(f).parameters
        except (TypeError, ValueError):  # builtins and C callables without one
            continue


def test_no_public_callable_spells_the_interval_another_way():
    """``level``, ``interval`` and ``interval_level`` were three names for one thing."""
    offenders = [
        f"{qual}({', '.join(sorted(bad))})"
        for qual, params in _signatures()
        if (bad := {"level", "interval", "interval_level"} & set(params))
    ]
    assert offenders == []


def test_every_ci_prob_default_is_the_one_default():
    """(NaN is the probability of a point estimate's absent interval.)"""
    wrong = []
    for qual, params in _signatures():
        p = params.get("ci_prob")
        if p is None or p.default is inspect.Parameter.empty or p.default is None:
            continue
        if p.default != CI_PROB and not np.isnan(p.default):
            wrong.append(f"{qual}: ci_prob={p.default}")
    assert wrong == []
