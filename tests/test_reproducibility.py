"""The same command with the same seed gives bit-identical draws, summaries and tables."""

from __future__ import annotations

import json

import numpy as np
import pytest

from algoattr import attribute, fit
from tests.test_attribute_cli import ERDIL_POINT, fake_loader


def _fast_fit(out, seed: int) -> None:
    argv = ["--benchmark", "ptb", "--fast", "--sampler", "pymc", "--draws", "30"]
    argv += ["--seed", str(seed), "--quiet", "--no-report", "--out", str(out)]
    assert fit.main(argv) == 0


def _posterior(folder):
    import arviz as az

    idata = az.from_netcdf(str(folder / "ptb_posterior.nc"))
    return {k: v.values for k, v in idata.posterior.data_vars.items()}


def _numbers(folder) -> dict:
    summary = json.loads((folder / "ptb_summary.json").read_text())
    return {k: summary[k] for k in ("headline", "diagnostics", "n_rows", "settings")}


def test_fast_fit_is_bit_identical_for_a_seed(mock_pymc_sample, tmp_path, capsys):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    _fast_fit(a, seed=5)
    _fast_fit(b, seed=5)
    _fast_fit(c, seed=6)
    pa, pb, pc = _posterior(a), _posterior(b), _posterior(c)
    assert pa.keys() == pb.keys()
    for name in pa:
        np.testing.assert_array_equal(pa[name], pb[name])
    assert any(not np.array_equal(pa[k], pc[k]) for k in pa)  # the seed is used
    assert _numbers(a) == _numbers(b)
    for name in ("ptb_summary.csv", "ptb_rows.csv", "ptb_excluded.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_attribution_is_bit_identical_for_a_seed(tmp_path):
    from algoattr.data import load_evaluations

    rows = load_evaluations("imagenet", validate=False)
    tables = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        out = tmp_path / f"{name}.csv"
        argv = ["--benchmark", "imagenet", "--pair", "AlexNet", "ViT-e", "--pair", "AlexNet"]
        argv += ["ResNet-50", "--draws", "200", "--seed", str(seed), "--csv", str(out)]
        loader = fake_loader(ERDIL_POINT, None, rows, [])
        assert attribute.main(argv, loader=loader, dataset=rows) == 0
        tables.append(out.read_bytes())
    assert tables[0] == tables[1]
    assert tables[0] != tables[2]


@pytest.mark.slow
@pytest.mark.parametrize("sampler", ["pymc", "nutpie"])
def test_real_samplers_are_bit_identical_for_a_seed(sampler):
    """50 real draws per chain, twice with one seed: the same posterior, to the last bit."""
    from algoattr.data import load_evaluations
    from algoattr.model import LMDesign, create_lm_model
    from algoattr.model.design import LM_TASK, SelectionRules, select_rows
    from algoattr.model.sampling import SamplerSettings, sample

    rows, _ = select_rows(load_evaluations("ptb"), LM_TASK, SelectionRules())
    design = LMDesign.from_frame(rows)
    settings = SamplerSettings(sampler=sampler, draws=50, tune=50, chains=2, seed=11)
    first = sample(create_lm_model(design), settings, progressbar=False, log_likelihood=False)
    second = sample(create_lm_model(design), settings, progressbar=False, log_likelihood=False)
    for name, values in first.posterior.data_vars.items():
        np.testing.assert_array_equal(values.values, second.posterior[name].values)
