"""Prior sensitivity of the year terms: sd ratio, contraction, shift and overlap."""

from __future__ import annotations

import numpy as np
import pytest

from algoattr.prior_sensitivity import PRIOR_MATTERS, prior_sensitivity
from tests.report.synthetic import make_fit


def _with_posterior(fit, name, draws):
    post = fit.idata.posterior
    post[name] = (post[name].dims, draws.reshape(post[name].shape))
    return fit


def test_a_posterior_equal_to_its_prior_is_flagged():
    fit = make_fit("language_modelling", benchmark="ptb", draws=1000, seed=3)
    rng = np.random.default_rng(7)
    fit = _with_posterior(fit, "alpha_year", rng.normal(0.0, 0.1, 2000))  # the prior itself
    t = prior_sensitivity(fit).set_index("parameter")
    row = t.loc["alpha_year"]
    assert row["kind"] == "year term" and row["prior"] == "Normal(mu=0, sigma=0.1)"
    assert row["sd_ratio"] == pytest.approx(1.0, abs=0.05)
    assert row["overlap"] > 0.85 and abs(row["shift"]) < 0.1 and row["prior_matters"]
    # The synthetic beta_year posterior (sd 0.005 around 0.01) is far narrower than its prior.
    narrow = t.loc["beta_year"]
    assert narrow["sd_ratio"] < 0.1 and narrow["contraction"] > 0.99
    assert narrow["overlap"] < 0.2 and not narrow["prior_matters"]
    assert PRIOR_MATTERS > narrow["sd_ratio"]


def test_imagenet_year_terms():
    t = prior_sensitivity(make_fit("image_classification", draws=200))
    assert list(t.loc[t["kind"] == "year term", "parameter"]) == ["beta_year", "beta_year_data"]
    assert ((t["overlap"] >= 0) & (t["overlap"] <= 1)).all()
