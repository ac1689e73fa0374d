"""The compiled-model cache: a model compiled once and reused through ``with_data`` samples
exactly what a fresh compilation samples for the same data and seed."""

from __future__ import annotations

import numpy as np
import pytest

from algoattr.model import sampling
from algoattr.model.sampling import SamplerSettings

pytest.importorskip("nutpie")


def _model(y: np.ndarray):
    import pymc as pm

    with pm.Model() as model:
        obs = pm.Data("y", y)
        mu = pm.Normal("mu", 0.0, 10.0)
        sigma = pm.HalfNormal("sigma", 2.0)
        pm.Normal("lik", mu, sigma, observed=obs)
    return model


def test_settings_resolve_and_reject_the_mass_matrix() -> None:
    assert SamplerSettings().mass_matrix == "diag"
    assert SamplerSettings(mass_matrix="low_rank").mass_matrix == "low_rank"
    assert SamplerSettings(sampler="pymc").mass_matrix == "diag"
    assert SamplerSettings(mass_matrix="diag").mass_matrix == "diag"
    with pytest.raises(ValueError, match="needs nutpie"):
        SamplerSettings(sampler="pymc", mass_matrix="low_rank")
    with pytest.raises(ValueError, match="unknown mass matrix"):
        SamplerSettings(mass_matrix="dense")
    with pytest.raises(ValueError, match="unknown sampler"):
        SamplerSettings(sampler="stan")


@pytest.mark.parametrize("mass_matrix", ["low_rank", "diag"])
def test_reused_compilation_gives_the_draws_of_a_fresh_one(mass_matrix: str) -> None:
    rng = np.random.default_rng(0)
    first, second = rng.normal(1.0, 2.0, 30), rng.normal(-3.0, 0.5, 30)
    settings = SamplerSettings(draws=60, tune=60, chains=2, seed=7, mass_matrix=mass_matrix)
    key = ("test_sampling_reuse", mass_matrix)
    sampling._COMPILED.pop(key, None)
    try:
        sampling.sample(_model(first), settings, progressbar=False, cache_key=key)
        assert key in sampling._COMPILED
        reused = sampling.sample(_model(second), settings, progressbar=False, cache_key=key)
    finally:
        sampling._COMPILED.pop(key, None)
    fresh = sampling.sample(_model(second), settings, progressbar=False)
    for var in ("mu", "sigma"):
        np.testing.assert_array_equal(reused.posterior[var].values, fresh.posterior[var].values)
    # the reused model sampled the new data, not the data it was compiled with
    assert float(reused.posterior["mu"].mean()) < -2.0
    np.testing.assert_array_equal(reused.observed_data["lik"].values, second)
