"""The scaling laws against hand-computed values and published figures."""

from __future__ import annotations

import numpy as np
import pytest

from algoattr import law

REF = law.LMReference(year0=2010.0, n0=1e6, d0=1e7)


def test_lm_law_at_reference_point_is_sum_of_exp_constants():
    got = law.lm_log_perplexity(
        2010.0,
        1e6,
        1e7,
        a=0.5,
        alpha_year=0.3,
        alpha_param=0.2,
        b=0.25,
        beta_year=0.1,
        beta_data=0.4,
        ref=REF,
    )
    assert got == pytest.approx(np.exp(0.5) + np.exp(0.25), rel=1e-12)


def test_lm_law_hand_computed_off_reference():
    # Y - Y0 = 3, ln(N/N0) = ln 100, ln(D/D0) = ln 10
    a, ay, ap, b, by, bd = 0.9, 0.01, 0.07, 0.8, 0.04, 0.05
    expected = np.exp(a - ay * 3 - ap * np.log(100.0)) + np.exp(b - by * 3 - bd * np.log(10.0))
    got = law.lm_log_perplexity(
        2013.0,
        1e8,
        1e8,
        a=a,
        alpha_year=ay,
        alpha_param=ap,
        b=b,
        beta_year=by,
        beta_data=bd,
        ref=REF,
    )
    assert got == pytest.approx(expected, rel=1e-12)
    # by hand: exp(0.9 - 0.03 - 0.07*4.60517) + exp(0.8 - 0.12 - 0.05*2.302585)
    #        = exp(0.547638) + exp(0.564871) = 1.729152 + 1.759232
    assert got == pytest.approx(3.488384, rel=1e-6)


def test_lm_law_effective_size_identity():
    # L(N, D, Y) equals the law at year Y0 with N_eff = N exp((ay/ap) dy), D_eff likewise.
    kw = dict(a=0.9, alpha_year=0.01, alpha_param=0.07, b=0.8, beta_year=0.04, beta_data=0.05)
    y, n, d = 2016.0, 3e7, 2e8
    dy = y - REF.year0
    n_eff = n * np.exp(kw["alpha_year"] / kw["alpha_param"] * dy)
    d_eff = d * np.exp(kw["beta_year"] / kw["beta_data"] * dy)
    assert law.lm_log_perplexity(y, n, d, ref=REF, **kw) == pytest.approx(
        law.lm_log_perplexity(REF.year0, n_eff, d_eff, ref=REF, **kw), rel=1e-12
    )


def test_lm_law_numpy_and_pytensor_agree():
    import pytensor.tensor as pt

    kw = dict(a=0.9, alpha_year=0.01, alpha_param=0.07, b=0.8, beta_year=0.04, beta_data=0.05)
    y = np.array([2005.0, 2015.0, 2021.0])
    n = np.array([1e6, 3e7, 1e9])
    d = np.array([1e6, 1e8, 3e11])
    ref_np = law.lm_log_perplexity(y, n, d, ref=REF, **kw)
    sym = law.lm_log_perplexity(
        pt.as_tensor(y), pt.as_tensor(n), pt.as_tensor(d), ref=REF, xp=pt, **kw
    )
    np.testing.assert_allclose(sym.eval(), ref_np, rtol=1e-12)


def test_ho2024_point_estimates_give_published_doubling_time():
    # Ho et al. 2024 (arXiv:2403.05140), full-sample estimates of model 7 -> 8.7 months.
    months = 12 * law.lm_doubling_time_years(0.00394, 0.0680, 0.0356, 0.0396)
    assert months == pytest.approx(8.7, abs=0.05)


def test_doubling_time_multiplier_and_cumulative_gain_are_consistent():
    t = law.lm_doubling_time_years(0.01, 0.1, 0.02, 0.1)  # rate 0.3 e-folds / year
    assert t == pytest.approx(np.log(2) / 0.3, rel=1e-12)
    assert law.multiplier_per_year(t) == pytest.approx(np.exp(0.3), rel=1e-12)
    assert law.cumulative_gain(t, 11.0) == pytest.approx(np.exp(3.3), rel=1e-12)


def test_imagenet_law_hand_computed():
    # Erdil & Besiroglu 2022 (arXiv:2212.05153) point estimates, AlexNet inputs.
    p = dict(
        c_compute=0.889,
        beta_year=0.1589,
        beta_compute=0.1545,
        c_data=1.783,
        beta_year_data=0.0198,
        beta_data=0.0632,
    )
    y, c, d = 2012.94, 4.7e17, 1.28e6
    zc = 0.889 + 0.1589 * 0.94 + 0.1545 * 0.0
    zd = 1.783 + 0.0198 * 0.94 + 0.0632 * np.log(1.28)
    expected = 1 / (1 + np.exp(-zc)) / (1 + np.exp(-zd))
    assert law.imagenet_accuracy(y, c, d, **p) == pytest.approx(expected, rel=1e-12)
    assert 0.6 < expected < 0.7  # AlexNet's ~63% top-1 accuracy


def test_erdil2022_doubling_time():
    # Erdil & Besiroglu 2022: 12 ln2 beta_compute / beta_year = 8.1 months (point).
    assert 12 * law.imagenet_doubling_time_years(0.1589, 0.1545) == pytest.approx(8.1, abs=0.05)


def test_sigmoid_logit_inverse():
    x = np.linspace(-30, 30, 13)
    np.testing.assert_allclose(
        law.logit(law.sigmoid(x)[np.abs(x) < 20]), x[np.abs(x) < 20], rtol=1e-9, atol=1e-9
    )


@pytest.mark.parametrize(("compute", "published"), [(1e15, 3.8), (1e18, 60.0), (1.34e22, 2700.0)])
def test_law_ceg_gundlach2025_lstm_to_transformer(compute, published):
    # Gundlach et al. 2025: CEG(C) = 3.8e-6 C^0.4; ~3.8x at 1e15, 60x at 1e18, 2,700x at 1.34e22.
    got = law.law_ceg(compute, A_ref=36.3, alpha_ref=0.065, A_new=81.7, alpha_new=0.091)
    assert got == pytest.approx(published, rel=0.02)


def test_law_ceg_is_scale_invariant_when_exponents_match():
    c = np.array([1e15, 1e20, 1e25])
    got = law.law_ceg(c, A_ref=40.0, alpha_ref=0.1, A_new=20.0, alpha_new=0.1)
    np.testing.assert_allclose(got, 2.0**10, rtol=1e-12)


def test_law_ceg_matches_definition_via_power_law_compute():
    kw_ref = dict(E=1.9, A=36.3, alpha=0.065)
    kw_new = dict(E=1.9, A=81.7, alpha=0.091)
    c = 1e19
    loss_new = law.power_law_loss(c, **kw_new)
    c_ref = law.power_law_compute(loss_new, **kw_ref)
    assert c_ref / c == pytest.approx(
        law.law_ceg(c, A_ref=36.3, alpha_ref=0.065, A_new=81.7, alpha_new=0.091), rel=1e-9
    )
    assert np.isinf(law.power_law_compute(1.8, **kw_ref))


def test_transformer_ceg_closed_form_case():
    # With no year terms, equal exponents alpha and a = b: L(kN, kN) = k^-alpha L(N, N), so
    # sigma(gamma) L = k^-alpha L gives k = sigma(gamma)^(-1/alpha) and CEG = k^2.
    gamma, alpha = np.array([1.0, 2.0, 3.0]), 0.1
    got = law.lm_transformer_ceg(
        1e22,
        gamma=gamma,
        year=2023.0,
        a=0.5,
        alpha_year=0.0,
        alpha_param=alpha,
        b=0.5,
        beta_year=0.0,
        beta_data=alpha,
        ref=REF,
    )
    np.testing.assert_allclose(got, law.sigmoid(gamma) ** (-2 / alpha), rtol=1e-6)


def test_transformer_ceg_no_effect_is_one():
    got = law.lm_transformer_ceg(
        1e25,
        gamma=50.0,
        year=2023.0,
        a=0.9,
        alpha_year=0.004,
        alpha_param=0.068,
        b=0.77,
        beta_year=0.036,
        beta_data=0.04,
        ref=REF,
    )
    assert got == pytest.approx(1.0, abs=1e-6)


def test_chinchilla_loss_published_constants():
    # Hoffmann et al. 2022: E + A/N^0.34 + B/D^0.28 at Chinchilla's 70B params / 1.4T tokens.
    expected = 1.69 + 406.4 / 70e9**0.34 + 410.7 / 1.4e12**0.28
    assert law.chinchilla_loss(70e9, 1.4e12) == pytest.approx(expected, rel=1e-12)
    assert 1.9 < expected < 2.0


def test_doubling_months_edges() -> None:
    import numpy as np

    from algoattr import law

    assert law.doubling_months(law.LN2) == 12.0
    out = law.doubling_months(np.array([law.LN2 / 2, 0.0, -1.0, np.nan]))
    assert out[0] == 24.0 and np.isinf(out[1]) and np.isinf(out[2]) and np.isnan(out[3])
