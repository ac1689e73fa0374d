"""Tests of algoattr.attribution: Shapley axioms, hand-computed games, shap, published splits."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from algoattr import attribution as at
from algoattr import law

# Erdil & Besiroglu (2022), "Algorithmic progress in computer vision", arXiv:2212.05153:
# MAP point estimates of the two-sigmoid law and the reference-model inputs of their Shapley
# decomposition (decimal year, training FLOP, training images).
ERDIL_POINT = {
    "c_compute": 0.889,
    "beta_year": 0.1589,
    "beta_compute": 0.1545,
    "c_data": 1.783,
    "beta_year_data": 0.0198,
    "beta_data": 0.0632,
}
ALEXNET = {"model": "AlexNet", "year": 2012.94, "compute": 4.7e17, "images": 1.28e6}
VIT_E = {"model": "ViT-e", "year": 2022.34, "compute": 1.07e23, "images": 3.3e9}

# Ho et al. (2024), arXiv:2403.05140, full-sample estimates of model 7 (WikiText-103 level).
HO_POINT = {
    "a": 0.9127,  # α_const (WikiText-103 is the base level)
    "alpha_year": 0.00394,
    "alpha_param": 0.0680,
    "b": 0.7714,  # β_const
    "beta_year": 0.0356,
    "beta_data": 0.0396,
}
REF = law.LMReference(year0=2012.0, n0=1e6, d0=1e6)

finite = st.floats(min_value=-100, max_value=100, allow_nan=False, allow_infinity=False)


def game(values: np.ndarray):
    """A value function that reads coalition values from a table indexed by bitmask."""

    def v(masks: np.ndarray) -> np.ndarray:
        idx = (masks.astype(int) << np.arange(masks.shape[1])).sum(axis=1)
        return values[..., idx]

    return v


def permutation_shapley(values: np.ndarray, k: int) -> np.ndarray:
    """Shapley values by the definition over orderings (slow reference)."""
    phi = np.zeros(k)
    for order in itertools.permutations(range(k)):
        c = 0
        for i in order:
            phi[i] += values[c | (1 << i)] - values[c]
            c |= 1 << i
    return phi / math.factorial(k)


@st.composite
def games(draw, min_k: int = 1, max_k: int = 6):
    k = draw(st.integers(min_k, max_k))
    values = draw(arrays(np.float64, 2**k, elements=finite))
    return k, values


# --------------------------------------------------------------------------------------
# Weights, masks, hand-computed games
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("k", range(1, 7))
def test_weights_structure(k):
    w = at.shapley_weights(k)
    masks = at.coalition_masks(k)
    assert w.shape == (k, 2**k)
    assert masks.shape == (2**k, k)
    assert not masks[0].any() and masks[-1].all()
    np.testing.assert_allclose(w.sum(axis=1), 0.0, atol=1e-15)
    expected = np.zeros(2**k)
    expected[0], expected[-1] = -1.0, 1.0
    np.testing.assert_allclose(w.sum(axis=0), expected, atol=1e-14)


@pytest.mark.parametrize("k", [0, 7])
def test_too_many_or_no_players(k):
    with pytest.raises(ValueError, match="k <= 6"):
        at.shapley_weights(k)


def test_two_players_by_hand():
    # v(∅)=0, v(1)=1, v(2)=2, v(12)=5: φ1 = ½(1−0) + ½(5−2) = 2, φ2 = ½(2−0) + ½(5−1) = 3.
    phi = at.exact_shapley(game(np.array([0.0, 1.0, 2.0, 5.0])), 2)
    np.testing.assert_allclose(phi, [2.0, 3.0], rtol=0, atol=1e-15)


def test_three_players_by_hand():
    # Bitmask order: ∅, 1, 2, 12, 3, 13, 23, 123.
    v = np.array([0.0, 1.0, 2.0, 4.0, 3.0, 5.0, 6.0, 10.0])
    # φ1 = ⅓(1) + ⅙(4−2) + ⅙(5−3) + ⅓(10−6) = 7/3; φ2 = 10/3; φ3 = 13/3.
    phi = at.exact_shapley(game(v), 3)
    np.testing.assert_allclose(phi, [7 / 3, 10 / 3, 13 / 3], rtol=0, atol=1e-14)
    # Unanimity game on {1, 2}: they split the unit, player 3 is a dummy.
    u = np.array([0, 0, 0, 1, 0, 0, 0, 1], dtype=float)
    np.testing.assert_allclose(at.exact_shapley(game(u), 3), [0.5, 0.5, 0.0], atol=1e-15)


def test_value_fn_shape_checked():
    with pytest.raises(ValueError, match="shape"):
        at.exact_shapley(lambda m: np.zeros(3), 2)


# --------------------------------------------------------------------------------------
# Axioms (hypothesis)
# --------------------------------------------------------------------------------------


@given(games())
def test_efficiency(kv):
    k, values = kv
    phi, vals = at.exact_shapley(game(values), k, return_values=True)
    assert abs(phi.sum() - (vals[-1] - vals[0])) < 1e-10


@given(games(max_k=5))
def test_matches_permutation_definition(kv):
    k, values = kv
    np.testing.assert_allclose(
        at.exact_shapley(game(values), k), permutation_shapley(values, k), rtol=0, atol=1e-10
    )


@given(games(min_k=2), st.data())
def test_symmetry(kv, data):
    k, values = kv
    i, j = data.draw(st.lists(st.integers(0, k - 1), min_size=2, max_size=2, unique=True))
    c = np.arange(2**k)
    bi, bj = (c >> i) & 1, (c >> j) & 1
    swapped = c & ~((1 << i) | (1 << j)) | (bi << j) | (bj << i)
    sym = values + values[swapped]  # v(S) = v(swap(S)): i and j interchangeable
    phi = at.exact_shapley(game(sym), k)
    assert abs(phi[i] - phi[j]) < 1e-10


@given(games(min_k=2), st.data())
def test_dummy_player(kv, data):
    k, values = kv
    i = data.draw(st.integers(0, k - 1))
    c = np.arange(2**k)
    dummy = values[c & ~(1 << i)]  # v(S ∪ {i}) = v(S)
    phi = at.exact_shapley(game(dummy), k)
    assert abs(phi[i]) < 1e-10


@given(
    st.integers(1, 6).flatmap(
        lambda k: st.tuples(st.just(k), *[arrays(np.float64, 2**k, elements=finite)] * 2)
    ),
    finite,
)
def test_linearity(kvw, scale):
    k, v, w = kvw
    lhs = at.exact_shapley(game(v + scale * w), k)
    rhs = at.exact_shapley(game(v), k) + scale * at.exact_shapley(game(w), k)
    np.testing.assert_allclose(lhs, rhs, rtol=0, atol=1e-9)


@given(games())
def test_vectorised_over_leading_axes(kv):
    k, values = kv
    stacked = np.stack([values, 2 * values, values - 1])[:, None, :] * np.ones((1, 2, 1))
    phi = at.exact_shapley(game(stacked), k)
    assert phi.shape == (3, 2, k)
    base = at.exact_shapley(game(values), k)
    np.testing.assert_allclose(phi[1, 1], 2 * base, rtol=0, atol=1e-10)
    np.testing.assert_allclose(phi[2, 0], base, rtol=0, atol=1e-10)  # constants are dummies


# --------------------------------------------------------------------------------------
# The papers' games
# --------------------------------------------------------------------------------------

positive = st.floats(min_value=0.005, max_value=0.3)


@st.composite
def lm_case(draw):
    n_draws = draw(st.integers(1, 5))
    n_pairs = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    draws = {
        "a": rng.uniform(0.5, 1.5, n_draws),
        "alpha_year": rng.uniform(-0.05, 0.05, n_draws),
        "alpha_param": rng.uniform(0.02, 0.2, n_draws),
        "b": rng.uniform(0.5, 1.5, n_draws),
        "beta_year": rng.uniform(-0.05, 0.1, n_draws),
        "beta_data": rng.uniform(0.02, 0.1, n_draws),
    }

    def rows():
        return pd.DataFrame(
            {
                "year": rng.uniform(2012, 2023, n_pairs),
                "parameters": 10 ** rng.uniform(6, 11, n_pairs),
                "training_tokens": 10 ** rng.uniform(6, 12, n_pairs),
            }
        )

    return draws, rows(), rows()


@st.composite
def imagenet_case(draw):
    n_draws = draw(st.integers(1, 5))
    n_pairs = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    draws = {k: v * rng.uniform(0.5, 1.5, n_draws) for k, v in ERDIL_POINT.items()}

    def rows():
        return {
            "year": rng.uniform(2012, 2023, n_pairs),
            "training_compute_flop": 10 ** rng.uniform(17, 23, n_pairs),
            "training_images": 10 ** rng.uniform(6, 9.5, n_pairs),
        }

    return draws, rows(), rows()


@settings(max_examples=50)
@given(lm_case())
def test_lm_efficiency_and_endpoints(case):
    draws, a_rows, b_rows = case
    res = at.lm_attribution(draws, REF, a_rows, b_rows)
    n_draws = len(draws["a"])
    assert res.values.shape == (n_draws, len(a_rows), 4)
    for space in ("law", "linear"):
        np.testing.assert_allclose(
            res.raw[space].sum(axis=-1), res.change(space), rtol=1e-10, atol=1e-10
        )
        frac = res.shares(space, "fraction", "group")
        np.testing.assert_allclose(frac.sum(axis=-1), 1.0, rtol=0, atol=1e-8)
    # v(none) and v(all) are the law at A and at B.
    p = {k: np.asarray(v)[:, None] for k, v in draws.items()}
    for rows, v in ((a_rows, res.v_none["law"]), (b_rows, res.v_all["law"])):
        expected = law.lm_log_perplexity(
            rows["year"].to_numpy(),
            rows["parameters"].to_numpy(),
            rows["training_tokens"].to_numpy(),
            ref=REF,
            **p,
        )
        np.testing.assert_allclose(v, expected, rtol=1e-12)
    np.testing.assert_allclose(res.v_all["linear"], np.exp(res.v_all["law"]), rtol=1e-12)


@settings(max_examples=50)
@given(imagenet_case())
def test_imagenet_efficiency_and_endpoints(case):
    draws, a_rows, b_rows = case
    res = at.imagenet_attribution(draws, a_rows, b_rows)
    for space in ("law", "linear"):
        np.testing.assert_allclose(
            res.raw[space].sum(axis=-1), res.change(space), rtol=1e-10, atol=1e-10
        )
    p = {k: np.asarray(v)[:, None] for k, v in draws.items()}
    expected = law.imagenet_accuracy(
        b_rows["year"], b_rows["training_compute_flop"], b_rows["training_images"], **p
    )
    np.testing.assert_allclose(res.v_all["linear"], expected, rtol=1e-12)
    np.testing.assert_allclose(res.v_none["law"], law.logit(res.v_none["linear"]), rtol=1e-12)


def test_lm_year_players_enter_their_own_term():
    """Moving only the parameter-term year changes only the parameter term (via law.lm_terms)."""
    a = {"year": [2014.0], "parameters": [2e7], "training_tokens": [1e8]}
    b = {"year": [2020.0], "parameters": [1.5e9], "training_tokens": [4e10]}
    draws = {k: [v] for k, v in HO_POINT.items()}
    f = at.lm_value_fn(draws, REF, 1)
    # Players: N, D, year of N term, year of D term. Move only the year of the parameter term.
    x = np.array([[[2e7, 1e8, 2020.0, 2014.0]]])
    n_b, _ = law.lm_terms(2020.0, 2e7, 1e8, ref=REF, **HO_POINT)
    _, d_a = law.lm_terms(2014.0, 2e7, 1e8, ref=REF, **HO_POINT)
    np.testing.assert_allclose(f(x)[0, 0, 0], n_b + d_a, rtol=1e-13)
    res = at.lm_attribution(draws, REF, a, b)
    assert res.players == at.LM_PLAYERS
    # Both papers' sign convention: loss falls, every player contributes a negative change.
    assert (res.values < 0).all()


def test_same_year_makes_algorithms_dummies():
    a = {"year": [2017.5, 2017.5], "parameters": [2e7, 1e8], "training_tokens": [1e8, 1e9]}
    b = {"year": [2017.5, 2017.5], "parameters": [1.5e9, 1e8], "training_tokens": [4e10, 1e9]}
    res = at.lm_attribution({k: [v] for k, v in HO_POINT.items()}, REF, a, b)
    alg = res.shares("law", "absolute", "group")[..., list(res.groups).index("algorithms")]
    np.testing.assert_allclose(alg, 0.0, atol=1e-15)
    # Second pair: A == B, nothing changes.
    np.testing.assert_allclose(res.values[:, 1], 0.0, atol=1e-15)


def test_draws_and_pairs_vectorise_like_loops():
    rng = np.random.default_rng(1)
    n_draws, n_pairs = 7, 3
    draws = {k: v * rng.uniform(0.8, 1.2, n_draws) for k, v in HO_POINT.items()}
    a = pd.DataFrame({"year": [2013.0, 2015.0, 2016.5], "parameters": [1e7, 2e7, 5e7]}).assign(
        training_tokens=[1e8, 1e8, 1e9]
    )
    b = pd.DataFrame({"year": [2019.0, 2020.0, 2018.0], "parameters": [1e9, 1e8, 1.5e9]}).assign(
        training_tokens=[1e10, 1e9, 4e10]
    )
    full = at.lm_attribution(draws, REF, a, b)
    for d in range(n_draws):
        for j in range(n_pairs):
            one = at.lm_attribution(
                {k: v[d : d + 1] for k, v in draws.items()}, REF, a.iloc[[j]], b.iloc[[j]]
            )
            for space in ("law", "linear"):
                np.testing.assert_allclose(full.raw[space][d, j], one.raw[space][0, 0], rtol=1e-12)


def test_per_pair_benchmark_constants():
    """a and b given as (draws, pairs) arrays: each pair uses its own benchmark's constants."""
    a = {"year": [2014.0, 2014.0], "parameters": [2e7, 2e7], "training_tokens": [1e8, 1e8]}
    b = {"year": [2020.0, 2020.0], "parameters": [1.5e9, 1.5e9], "training_tokens": [4e10, 4e10]}
    draws = {k: np.array([v]) for k, v in HO_POINT.items()}
    # Pair 0 on WikiText-103 (base level), pair 1 on WikiText-2 (+ α_wt2, + β_wt2).
    two = dict(draws, a=np.array([[0.9127, 0.9127 + 0.0554]]), b=np.array([[0.7714, 0.8668]]))
    res = at.lm_attribution(two, REF, a, b)
    wt2 = at.lm_attribution(dict(draws, a=[0.9127 + 0.0554], b=[0.7714 + 0.0954]), REF, a, b)
    np.testing.assert_allclose(res.values[0, 0], at.lm_attribution(draws, REF, a, b).values[0, 0])
    np.testing.assert_allclose(res.values[0, 1], wt2.values[0, 1], rtol=1e-13)
    assert not np.allclose(res.values[0, 0], res.values[0, 1])
    with pytest.raises(ValueError, match="pairs"):
        at.lm_attribution(dict(draws, a=np.ones((1, 3))), REF, a, b)


def test_missing_parameter_and_inputs():
    a = {"year": [2014.0], "parameters": [2e7], "training_tokens": [1e8]}
    b = {"year": [2020.0], "parameters": [np.nan], "training_tokens": [4e10]}
    draws = {k: [v] for k, v in HO_POINT.items()}
    with pytest.raises(KeyError, match="beta_data"):
        at.lm_attribution({k: v for k, v in draws.items() if k != "beta_data"}, REF, a, a)
    with pytest.raises(ValueError, match="non-finite"):
        at.lm_attribution(draws, REF, a, b)


# --------------------------------------------------------------------------------------
# Published split: Erdil & Besiroglu (2022)
# --------------------------------------------------------------------------------------


def test_erdil_besiroglu_alexnet_to_vit_e():
    """Erdil & Besiroglu (2022), arXiv:2212.05153: AlexNet → ViT-e, value = predicted accuracy.

    Published: compute 43.6%, algorithms 41.6% (compute-augmenting 36.0, data-augmenting 5.6),
    data 14.8%. Reproduced here from their point estimates and reference-model inputs, in
    linear (accuracy) space, with groups summed over individual players' Shapley values.
    """
    draws = {k: [v] for k, v in ERDIL_POINT.items()}
    a = {k: [v] for k, v in ALEXNET.items()}
    b = {k: [v] for k, v in VIT_E.items()}
    res = at.imagenet_attribution(draws, a, b)
    players = dict(zip(res.players, 100 * res.shares("linear", "fraction")[0, 0], strict=True))
    groups = dict(
        zip(res.groups, 100 * res.shares("linear", "fraction", "group")[0, 0], strict=True)
    )
    assert groups["compute"] == pytest.approx(43.6, abs=1.0)
    assert groups["algorithms"] == pytest.approx(41.6, abs=1.0)
    assert groups["data"] == pytest.approx(14.8, abs=1.0)
    assert players["compute_augmenting"] == pytest.approx(36.0, abs=1.0)
    assert players["data_augmenting"] == pytest.approx(5.6, abs=1.0)
    # In fact it reproduces to the published rounding.
    assert groups["compute"] == pytest.approx(43.6, abs=0.06)
    assert players["compute_augmenting"] == pytest.approx(36.0, abs=0.06)
    # The logit (law) space gives a different split: the space matters.
    logit_groups = 100 * res.shares("law", "fraction", "group")[0, 0]
    assert abs(logit_groups[0] - groups["algorithms"]) > 1.0


# --------------------------------------------------------------------------------------
# Cross-check against shap's exact explainer
# --------------------------------------------------------------------------------------


def _shap_exact(f, x_a: np.ndarray, x_b: np.ndarray) -> np.ndarray:
    shap = pytest.importorskip("shap")
    masker = shap.maskers.Independent(x_a[None, :], max_samples=1)
    explainer = shap.explainers.Exact(f, masker)
    return explainer(x_b[None, :]).values[0]


IMAGENET_PAIRS = [
    # (year, compute, images) of A and B; compute and images as in Erdil & Besiroglu's table.
    ((2012.94, 4.7e17, 1.28e6), (2022.34, 1.07e23, 3.3e9)),
    ((2015.94, 1.0e19, 1.28e6), (2019.92, 4.0e21, 3.0e8)),
    ((2018.35, 9.7e21, 3.5e9), (2020.81, 4.0e22, 3.0e8)),
    ((2020.81, 4.0e22, 3.0e8), (2014.5, 2.0e19, 1.28e6)),  # backwards in time
]
LM_PAIRS = [
    ((2016.9, 2.0e8, 1.03e8), (2019.1, 1.5e9, 4.0e10)),
    ((2012.0, 6.0e6, 9.3e5), (2020.4, 1.75e11, 3.0e11)),
    ((2018.5, 2.5e8, 1.03e8), (2019.8, 8.3e9, 4.6e10)),
]


@pytest.mark.parametrize(("pa", "pb"), IMAGENET_PAIRS)
def test_shap_exact_agrees_imagenet(pa, pb):
    a = {"year": [pa[0]], "compute": [pa[1]], "images": [pa[2]]}
    b = {"year": [pb[0]], "compute": [pb[1]], "images": [pb[2]]}
    draws = {k: [v] for k, v in ERDIL_POINT.items()}
    res = at.imagenet_attribution(draws, a, b)
    f = at.imagenet_value_fn(draws, 1)
    x_a = np.array([pa[0], pa[0], pa[1], pa[2]])
    x_b = np.array([pb[0], pb[0], pb[1], pb[2]])
    accuracy = lambda x: f(x[None])[0, 0]  # noqa: E731  (n, 4) -> (n,)
    logit = lambda x: law.logit(accuracy(x))  # noqa: E731
    np.testing.assert_allclose(
        res.raw["linear"][0, 0], _shap_exact(accuracy, x_a, x_b), rtol=0, atol=1e-8
    )
    np.testing.assert_allclose(
        res.raw["law"][0, 0], _shap_exact(logit, x_a, x_b), rtol=0, atol=1e-8
    )


@pytest.mark.parametrize(("pa", "pb"), LM_PAIRS)
def test_shap_exact_agrees_lm(pa, pb):
    a = {"year": [pa[0]], "parameters": [pa[1]], "training_tokens": [pa[2]]}
    b = {"year": [pb[0]], "parameters": [pb[1]], "training_tokens": [pb[2]]}
    draws = {k: [v] for k, v in HO_POINT.items()}
    res = at.lm_attribution(draws, REF, a, b)
    f = at.lm_value_fn(draws, REF, 1)
    x_a = np.array([pa[1], pa[2], pa[0], pa[0]])
    x_b = np.array([pb[1], pb[2], pb[0], pb[0]])
    logppl = lambda x: f(x[None])[0, 0]  # noqa: E731
    ppl = lambda x: np.exp(logppl(x))  # noqa: E731
    np.testing.assert_allclose(
        res.raw["law"][0, 0], _shap_exact(logppl, x_a, x_b), rtol=0, atol=1e-8
    )
    np.testing.assert_allclose(
        res.raw["linear"][0, 0], _shap_exact(ppl, x_a, x_b), rtol=0, atol=1e-8
    )


def test_baseline_shapley_matches_shap_on_a_generic_function():
    x_a = np.array([0.3, -1.0, 2.0, 0.5, 1.5])
    x_b = np.array([1.7, 0.4, -0.5, 2.5, 0.1])

    def f(x):
        return np.sin(x[..., 0] * x[..., 1]) + x[..., 2] ** 2 * x[..., 3] - np.exp(x[..., 4])

    phi = at.baseline_shapley(f, x_a, x_b)
    np.testing.assert_allclose(phi, _shap_exact(f, x_a, x_b), rtol=0, atol=1e-8)


# --------------------------------------------------------------------------------------
# Results object
# --------------------------------------------------------------------------------------


@pytest.fixture
def result():
    rng = np.random.default_rng(0)
    draws = {k: v * rng.normal(1.0, 0.05, 200) for k, v in ERDIL_POINT.items()}
    a = {"model": ["AlexNet", "AlexNet"], "year": [2012.94] * 2}
    a |= {"compute": [4.7e17] * 2, "images": [1.28e6] * 2, "benchmark": ["imagenet"] * 2}
    b = {"model": ["ViT-e", "ResNet-50"], "year": [2022.34, 2015.94]}
    b |= {"compute": [1.07e23, 1.0e19], "images": [3.3e9, 1.28e6], "benchmark": ["imagenet"] * 2}
    return at.imagenet_attribution(draws, a, b)


def test_table_is_tidy(result):
    table = result.table()
    assert list(table.columns) == [
        "pair",
        "model_a",
        "model_b",
        "benchmark",
        "space",
        "kind",
        "grouping",
        "player",
        "median",
        "lower",
        "upper",
    ]
    assert set(table["space"]) == {"logit_accuracy", "accuracy"}
    assert set(table["kind"]) == {"fraction", "absolute"}
    assert not table.duplicated(["pair", "space", "kind", "grouping", "player"]).any()
    assert (table["lower"] <= table["median"]).all() and (table["median"] <= table["upper"]).all()
    row = table.query(
        "pair == 'AlexNet → ViT-e' and space == 'accuracy' and kind == 'fraction' "
        "and grouping == 'group' and player == 'compute'"
    )
    assert len(row) == 1 and 0.3 < row["median"].item() < 0.6
    assert result.n_draws == 200 and result.n_pairs == 2


def test_summary_and_multiplier(result):
    text = result.summary()
    for word in ("AlexNet → ViT-e", "AlexNet → ResNet-50", "algorithms", "accuracy", "95%"):
        assert word in text
    assert "[50% interval]" in result.summary(ci_prob=0.5)
    m = result.compute_equivalent_multiplier()
    assert list(m["pair"]) == result.pairs
    assert (m["lower"] <= m["median"]).all() and (m["median"] <= m["upper"]).all()
    # By definition: (C_B/C_A)^(φ_algorithms/φ_compute) in logit space, per draw.
    phi = result.shares("law", "absolute", "group")
    g = list(result.groups)
    expected = (1.07e23 / 4.7e17) ** (
        phi[:, 0, g.index("algorithms")] / phi[:, 0, g.index("compute")]
    )
    np.testing.assert_allclose(
        result.compute_equivalent_multiplier_draws()[:, 0], expected, rtol=1e-10
    )
    # A player can stand in for a group.
    assert result.compute_equivalent_multiplier_draws(algorithm="compute_augmenting").shape == (
        200,
        2,
    )
    with pytest.raises(KeyError):
        result.shares("nonsense")
    with pytest.raises(KeyError):
        result.compute_equivalent_multiplier_draws(algorithm="nonsense")


def test_multiplier_undefined_without_compute_change():
    a = {"year": [2014.0], "parameters": [2e7], "training_tokens": [1e8]}
    b = {"year": [2020.0], "parameters": [2e7], "training_tokens": [1e8]}
    res = at.lm_attribution({k: [v] * 3 for k, v in HO_POINT.items()}, REF, a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = res.compute_equivalent_multiplier()
        assert "nan" in res.summary()
    assert np.isnan(m["median"]).all()


def test_select_rows_names_close_matches():
    data = pd.DataFrame(
        {
            "model": ["AlexNet", "ResNet-50", "ResNet-101", "ViT-H/14"],
            "benchmark": ["imagenet"] * 4,
            "year": [2012.9, 2015.9, 2015.9, 2020.8],
        }
    )
    rows = at.select_rows(data, ["ViT-H/14", "AlexNet"], "imagenet")
    assert list(rows["model"]) == ["ViT-H/14", "AlexNet"]
    with pytest.raises(at.UnknownModelError, match=r"'Resnet50'.*ResNet-50"):
        at.select_rows(data, ["Resnet50"], "imagenet")
    with pytest.raises(at.UnknownModelError, match="on wikitext-103"):
        at.select_rows(data, ["AlexNet"], "wikitext-103")


def test_compute_share_of_large_gains_selects_pairs_by_predicted_drop():
    """Pairs qualify by the fall of their median predicted perplexity; shares are compute's."""
    ref = law.LMReference(year0=2015.0, n0=1e7, d0=1e6)
    draws = {
        "a": np.full(50, 1.0), "alpha_year": np.full(50, 0.01), "alpha_param": np.full(50, 0.07),
        "b": np.full(50, 0.8), "beta_year": np.full(50, 0.02), "beta_data": np.full(50, 0.05),
    }  # fmt: skip
    a_rows = {"year": [2012.0, 2015.0], "parameters": [1e7, 1e7], "training_tokens": [1e6, 1e6]}
    b_rows = {"year": [2019.0, 2015.0], "parameters": [1e9, 1e7], "training_tokens": [1e8, 1e6]}
    res = at.lm_attribution(draws, ref, a_rows, b_rows)
    table = at.compute_share_of_large_gains(res)
    assert len(table) == 1  # the second pair does not change at all
    phi = res.shares("law", "absolute", "player")[0, 0]
    expected = (phi[0] + phi[1]) / res.change("law")[0, 0]
    assert table["median"].iloc[0] == pytest.approx(expected, rel=1e-12)
    assert 0 < expected < 1
