"""Tests for algoattr.ceg.

Published reference figures: Gundlach, H. et al. (2025), "On the origin(s) of algorithmic progress
in AI" — constants and 2012–2023 arithmetic as read from the authors' public code
(github.com/hansgundlach/Experimental_Progress, commit 0a3e626): LSTM 36.3·C^−0.065, 2017
Transformer 81.7·C^−0.091, modern Transformer 88.0·C^−0.094 (E = 1.9); frontier compute
1e16·4.1^(year−2013); 2012–2023 total 6,926× (published as ~6,930×) = Transformer 726× ·
Chinchilla 3.71× · scale-invariant 2.57×; 2013–2025 ≈ 21,400×. Chinchilla law: Hoffmann et al.
(2022), arXiv:2203.15556 (E 1.69, A 406.4, B 410.7, α 0.34, β 0.28).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algoattr import law
from algoattr.ceg import (
    ceg_by_loss,
    chinchilla_optimal_allocation,
    chinchilla_optimal_compute,
    chinchilla_optimal_loss,
    chinchilla_rebalancing_ceg,
    chinchilla_rebalancing_closed_form,
    gundlach_extrapolation,
    law_vs_law,
)

LSTM = {"A": 36.3, "alpha": 0.065}
TR2017 = {"A": 81.7, "alpha": 0.091}


# ----------------------------------------------------------------------------- law vs law


def test_law_vs_law_matches_published_lstm_to_transformer_points():
    # Gundlach et al. 2025: ≈3.8× at 1e15, 60× at 1e18, 2,700× at 1.34e22 FLOP.
    r = law_vs_law(
        [1e15, 1e18, 1.34e22],
        A_ref=LSTM["A"],
        alpha_ref=LSTM["alpha"],
        A_new=TR2017["A"],
        alpha_new=TR2017["alpha"],
    )
    np.testing.assert_allclose(r.ceg, [3.8, 60.0, 2700.0], rtol=0.02)
    assert r.scale_dependent
    assert r.exponent_of_compute == pytest.approx(0.4, abs=1e-12)


def test_law_vs_law_scale_invariant_when_exponents_match():
    r = law_vs_law([1e15, 1e20], A_ref=10.0, alpha_ref=0.1, A_new=5.0, alpha_new=0.1)
    assert not r.scale_dependent
    np.testing.assert_allclose(r.ceg, 2.0**10, rtol=1e-12)
    assert "scale-invariant" in r.summary()


def test_law_vs_law_with_draws_gives_interval_around_point():
    rng = np.random.default_rng(0)
    n = 2000
    r = law_vs_law(
        [1e15, 1e18],
        A_ref=rng.normal(36.3, 1.0, n),
        alpha_ref=rng.normal(0.065, 0.002, n),
        A_new=rng.normal(81.7, 1.0, n),
        alpha_new=rng.normal(0.091, 0.002, n),
        ci_prob=0.9,
    )
    assert r.draws.shape == (n, 2)
    assert np.all(r.lower < r.median) and np.all(r.median < r.upper)
    assert r.p_scale_dependent == pytest.approx(1.0, abs=0.01)
    assert {"ceg_median", "ceg_lower_90", "ceg_upper_90"} <= set(r.table().columns)


# ------------------------------------------------------------------------------- by loss


def test_ceg_by_loss_recovers_law_ceg_on_sampled_curves():
    c = np.geomspace(1e14, 1e20, 200)
    loss_ref = law.power_law_loss(c, E=1.9, **LSTM)
    loss_new = law.power_law_loss(c, E=1.9, **TR2017)
    at = law.power_law_loss(np.array([1e16, 1e17]), E=1.9, **TR2017)
    got = ceg_by_loss(c, loss_ref, c, loss_new, at)
    want = law.law_ceg(
        np.array([1e16, 1e17]),
        A_ref=LSTM["A"],
        alpha_ref=LSTM["alpha"],
        A_new=TR2017["A"],
        alpha_new=TR2017["alpha"],
    )
    np.testing.assert_allclose(got, want, rtol=0.01)


def test_ceg_by_loss_shape_nan_outside_and_order_free():
    c = np.array([1e15, 1e16, 1e17, 1e18])
    loss = np.array([4.0, 3.5, 3.2, 3.0])
    perm = np.array([2, 0, 3, 1])
    got = ceg_by_loss(c[perm], loss[perm], c / 10, loss, np.array([[3.5, 2.0], [5.0, 3.2]]))
    assert got.shape == (2, 2)
    np.testing.assert_allclose(got[0, 0], 10.0, rtol=1e-12)
    np.testing.assert_allclose(got[1, 1], 10.0, rtol=1e-12)
    assert np.isnan(got[0, 1]) and np.isnan(got[1, 0])
    assert np.ndim(ceg_by_loss(c, loss, c, loss, 3.3)) == 0


def test_ceg_by_loss_uses_monotone_envelope():
    # A noisy point (loss going up with compute) must not bend the curve.
    c = np.array([1e15, 1e16, 2e16, 1e17])
    loss = np.array([4.0, 3.5, 3.7, 3.0])
    clean = ceg_by_loss(c[[0, 1, 3]], loss[[0, 1, 3]], c / 3, loss, 3.25)
    np.testing.assert_allclose(ceg_by_loss(c, loss, c / 3, loss, 3.25), clean, rtol=1e-12)


@settings(max_examples=50, deadline=None)
@given(
    factor=st.floats(min_value=0.01, max_value=1e4),
    alpha=st.floats(min_value=0.02, max_value=0.5),
    q=st.floats(min_value=0.05, max_value=0.95),
)
def test_ceg_by_loss_constant_shift_property(factor, alpha, q):
    c = np.geomspace(1e12, 1e20, 30)
    loss = 1.5 + 20.0 * c**-alpha
    at = loss[-1] + q * (loss[0] - loss[-1])
    np.testing.assert_allclose(ceg_by_loss(c * factor, loss, c, loss, at), factor, rtol=1e-9)


# ---------------------------------------------------------------------------- Chinchilla


def test_chinchilla_optimal_frontier_is_the_minimum_over_allocations():
    c = 1e21
    n_opt, d_opt = chinchilla_optimal_allocation(c)
    assert 6 * n_opt * d_opt == pytest.approx(c, rel=1e-12)
    n_grid = n_opt * np.geomspace(0.3, 3.0, 401)
    losses = law.chinchilla_loss(n_grid, c / (6 * n_grid))
    assert float(chinchilla_optimal_loss(c)) <= losses.min() + 1e-12
    assert float(chinchilla_optimal_compute(chinchilla_optimal_loss(c))) == pytest.approx(
        c, rel=1e-9
    )


def test_rebalancing_numeric_matches_closed_form_and_published_points():
    c = np.array([1e15, 1e18, 1.34e22, 2.26e23])
    numeric = chinchilla_rebalancing_ceg(c)
    np.testing.assert_allclose(numeric, chinchilla_rebalancing_closed_form(c), rtol=1e-8)
    # Gundlach et al.'s closed form with rounded constants.
    published_form = 1.85e-20 * c * (28737.9 * c**-0.2482 + 20.337 * c**-0.0756) ** 6.512
    np.testing.assert_allclose(numeric, published_form, rtol=3e-3)
    # Published values: ~5.5× at 1e15, ~1.07× at 1e18, 3.71× at 1.34e22, 9.84× at 2.26e23.
    np.testing.assert_allclose(numeric, [5.5, 1.07, 3.71, 9.84], rtol=0.01)
    assert np.all(numeric >= 1.0)


# ------------------------------------------------------------------ Gundlach extrapolation


def test_gundlach_2012_2023_reproduces_6926x_and_split():
    g = gundlach_extrapolation(2012, 2023)
    assert g.final_compute == pytest.approx(1.34e22, rel=0.01)
    assert g.total == pytest.approx(6926.0, rel=0.01)
    assert g.transformer == pytest.approx(726.0, rel=0.01)
    assert g.chinchilla == pytest.approx(3.71, rel=0.01)
    assert g.scale_invariant == pytest.approx(2.57, rel=0.01)
    shares = g.log_shares()
    np.testing.assert_allclose(
        [shares["transformer"], shares["chinchilla"], shares["scale_invariant"]],
        [0.745, 0.148, 0.107],
        atol=0.002,
    )
    # The five shrunk timeline ablations multiply to ≈1.284.
    assert np.prod(list(g.ablation_terms.values())) == pytest.approx(1.284, rel=0.002)


def test_gundlach_2013_2025_reproduces_21400x():
    g = gundlach_extrapolation(2013, 2025)
    assert g.transformer == pytest.approx(848.0, rel=0.01)
    assert g.chinchilla == pytest.approx(9.84, rel=0.01)
    assert g.total == pytest.approx(21400.0, rel=0.01)
    assert "total" in g.summary()


def test_reproduce_gundlach2025_script_within_one_percent():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "analyses" / "reproduce_gundlach2025.py"
    spec = importlib.util.spec_from_file_location("reproduce_gundlach2025", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.reproduce()
    assert len(table) == len(module.PUBLISHED)
    np.testing.assert_allclose(table["reproduced"], table["published"], rtol=0.01)
