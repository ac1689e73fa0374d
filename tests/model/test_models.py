"""Model graphs, row selection, results object (mocked sampling; no MCMC)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from algoattr import law
from algoattr.model import (
    LM_VARIANTS,
    FitResult,
    ImageNetDesign,
    LMDesign,
    SamplerSettings,
    SelectionRules,
    create_imagenet_model,
    create_lm_model,
    diagnose,
    sample,
    select_rows,
)


def lm_frame(n: int = 60, seed: int = 0) -> pd.DataFrame:
    """Rows shaped like the curated LM table, simulated from the law."""
    rng = np.random.default_rng(seed)
    bench = np.array(["wikitext-103", "wikitext-2", "ptb"])[np.arange(n) % 3]
    year = rng.uniform(2005, 2023, n)
    params = np.exp(rng.uniform(np.log(1e6), np.log(1e10), n))
    tokens = np.where(
        bench == "ptb", 929589.0, np.where(bench == "wikitext-2", 2088628.0, 103227021.0)
    )
    ref = law.LMReference(2014.0, 3e7, 2e6)
    log_ppl = law.lm_log_perplexity(
        year,
        params,
        tokens,
        a=0.9,
        alpha_year=0.004,
        alpha_param=0.068,
        b=0.77,
        beta_year=0.036,
        beta_data=0.04,
        ref=ref,
    ) + rng.normal(0, 0.05, n)
    return pd.DataFrame(
        {
            "model": [f"m{i}" for i in range(n)],
            "paper_id": [f"p{i // 4}" for i in range(n)],
            "benchmark": bench,
            "value": np.exp(log_ppl),
            "year": year,
            "parameters": params,
            "training_tokens": tokens,
            "architecture_class": np.where(year > 2018, "transformer", "lstm"),
            "zero_shot": False,
            "dynamic_eval": False,
            "cache": False,
            "source_file": "lm/x.csv",
            "source_line": np.arange(n) + 2,
        }
    )


def test_select_rows_counts_every_exclusion_with_reason():
    df = lm_frame(12)
    df.loc[0, "parameters"] = np.nan
    df.loc[1, "training_tokens"] = np.nan
    df.loc[2, "dynamic_eval"] = True
    df.loc[3, "cache"] = True
    df.loc[4, "zero_shot"] = True
    df.loc[5, "model"] = "10 large LSTMs (ensemble)"
    used, excluded = select_rows(df, "language_modelling", SelectionRules(max_per_paper=None))
    assert len(used) + len(excluded) == len(df)
    assert list(excluded["reason"]) == [
        "missing parameters (N)",
        "missing training data size (D)",
        "dynamic evaluation (adapts to the test set)",
        "cache, pointer or retrieval at test time",
        "zero-shot (not trained on the benchmark)",
        "ensemble of several models",
    ]
    assert {"model", "benchmark", "source_file", "source_line", "reason"} <= set(excluded)


def test_select_rows_keeps_best_three_per_paper_and_benchmark():
    df = lm_frame(12)
    df["paper_id"] = "same"
    df["benchmark"] = "ptb"
    used, excluded = select_rows(df, "language_modelling")
    assert len(used) == 3
    assert set(used["value"]) == set(np.sort(df["value"])[:3])
    assert excluded["reason"].str.contains("3 best rows").all()


def test_select_rows_imagenet_protocols():
    df = pd.DataFrame(
        {
            "model": ["ResNet-50", "DINOv2 (linear probe)", "CLIP (zero-shot)", "ViT-B/16"],
            "paper_id": ["a", "b", "c", "d"],
            "benchmark": "imagenet",
            "value": [23.9, 13.5, 23.6, 15.2],
            "training_compute_flop": 1e19,
            "training_images": 1.28e6,
            "protocol": ["end_to_end", "linear_probe", "zero_shot", "end_to_end"],
        }
    )
    used, excluded = select_rows(df, "image_classification", SelectionRules(max_per_paper=None))
    assert list(used["model"]) == ["ResNet-50", "ViT-B/16"]
    assert list(excluded["reason"]) == [
        "linear probe on frozen features (not end to end)",
        "zero-shot (no training on ImageNet-1k labels)",
    ]
    rules = SelectionRules(max_per_paper=None, include_linear_probe=True, include_zero_shot=True)
    used, excluded = select_rows(df, "image_classification", rules)
    assert len(used) == 4 and excluded.empty


def test_select_rows_rejects_unknown_task():
    with pytest.raises(ValueError, match="unknown task"):
        select_rows(lm_frame(3), "speech")


def test_lm_design_reference_is_median():
    design = LMDesign.from_frame(lm_frame(9))
    assert design.benchmarks == ["wikitext-103", "wikitext-2", "ptb"]
    assert design.ref.year0 == pytest.approx(np.round(np.median(design.year), 2))
    assert design.ref.n0 == pytest.approx(np.exp(np.median(np.log(design.parameters))))
    with pytest.raises(ValueError, match="no rows"):
        LMDesign.from_frame(lm_frame(3).iloc[:0])


@pytest.mark.parametrize("variant", list(LM_VARIANTS))
def test_lm_model_graph_has_expected_variables_and_dims(variant):
    design = LMDesign.from_frame(lm_frame(30))
    model = create_lm_model(design, variant=variant)
    names = set(model.named_vars)
    assert {"a", "b", "alpha_param", "beta_data", "sigma", "log_ppl", "mu"} <= names
    assert model.named_vars_to_dims["a"] == ("benchmark",)
    assert model.named_vars_to_dims["log_ppl"] == ("obs",)
    assert ("alpha_year" in names) == (variant not in ("no_progress", "data_only"))
    assert ("beta_year" in names) == (variant not in ("no_progress", "param_only"))
    assert ("doubling_time_months" in names) == (variant != "no_progress")
    assert ("gamma_transformer" in names) == (variant == "transformer")
    assert ("alpha_year_b" in names) == (variant == "benchmark_rates")
    # The model evaluates to a finite log-probability at its initial point.
    assert np.isfinite(model.compile_logp()(model.initial_point()))


def test_lm_model_options_and_errors():
    design = LMDesign.from_frame(lm_frame(30))
    model = create_lm_model(design, likelihood="student_t", paper_effect=True)
    assert {"nu", "z_paper", "sigma_paper"} <= set(model.named_vars)
    assert model.named_vars_to_dims["z_paper"] == ("paper",)
    with pytest.raises(ValueError, match="unknown variant"):
        create_lm_model(design, variant="nope")
    with pytest.raises(ValueError, match="unknown likelihood"):
        create_lm_model(design, likelihood="cauchy")
    with pytest.raises(KeyError, match="unknown prior"):
        create_lm_model(design, priors={"nope": {"dist": "Normal"}})


def test_lm_model_mean_is_the_law():
    """The model's deterministic ``mu`` equals law.lm_log_perplexity at a given point."""
    design = LMDesign.from_frame(lm_frame(30))
    model = create_lm_model(design)
    point = {
        "mu_a": 0.8,
        "sigma_a_log__": np.log(0.1),
        "a": np.array([0.9, 0.95, 0.85]),
        "mu_b": 0.7,
        "sigma_b_log__": np.log(0.1),
        "b": np.array([0.7, 0.8, 0.9]),
        "alpha_param_log__": np.log(0.07),
        "beta_data_log__": np.log(0.04),
        "alpha_year_z": 0.1,
        "beta_year_z": 0.3,
        "sigma_log__": np.log(0.1),
    }
    (mu_graph,) = model.replace_rvs_by_values([model["mu"]])
    fn = model.compile_fn(mu_graph, inputs=model.value_vars, on_unused_input="ignore")
    mu = fn(point)
    expected = law.lm_log_perplexity(
        design.year,
        design.parameters,
        design.tokens,
        a=point["a"][design.benchmark_idx],
        alpha_year=0.01,
        alpha_param=0.07,
        b=point["b"][design.benchmark_idx],
        beta_year=0.03,
        beta_data=0.04,
        ref=design.ref,
    )
    np.testing.assert_allclose(mu, expected, rtol=1e-10)


def test_imagenet_model_graph():
    rng = np.random.default_rng(1)
    n = 20
    df = pd.DataFrame(
        {
            "model": [f"m{i}" for i in range(n)],
            "paper_id": [f"p{i}" for i in range(n)],
            "year": rng.uniform(2012, 2022, n),
            "training_compute_flop": np.exp(rng.uniform(np.log(1e17), np.log(1e23), n)),
            "training_images": np.full(n, 1281167.0),
            "value": rng.uniform(10, 40, n),
        }
    )
    design = ImageNetDesign.from_frame(df)
    np.testing.assert_allclose(design.accuracy, 1 - df["value"] / 100)
    model = create_imagenet_model(design)
    assert {
        "c_compute",
        "beta_year",
        "beta_compute",
        "c_data",
        "beta_year_data",
        "beta_data",
        "doubling_time_months",
        "logit_accuracy",
    } <= set(model.named_vars)
    assert np.isfinite(model.compile_logp()(model.initial_point()))


def test_fit_result_roundtrip_with_mocked_sampling(mock_pymc_sample, tmp_path):
    design = LMDesign.from_frame(lm_frame(30))
    model = create_lm_model(design)
    settings = SamplerSettings(sampler="pymc", draws=40, tune=10, chains=2, seed=3)
    idata = sample(model, settings, progressbar=False)
    assert {"posterior", "log_likelihood", "sample_stats"} <= set(idata.groups())
    rows = lm_frame(30)
    result = FitResult(
        task="language_modelling",
        benchmarks=design.benchmarks,
        variant="both",
        idata=idata,
        data=rows,
        excluded=rows.iloc[:0].assign(reason=[]),
        reference=design.ref,
        settings=settings,
        diagnostics=diagnose(idata, ["doubling_time_months"]),
    )
    draws = result.draws_for("ptb")
    assert set(draws) == {"a", "alpha_year", "alpha_param", "b", "beta_year", "beta_data"}
    assert all(v.shape == (80,) for v in draws.values())
    with pytest.raises(ValueError, match="name one of"):
        result.draws_for()
    text = result.summary()
    assert "doubling time of effective compute" in text
    paths = result.save(tmp_path, "t")
    loaded = FitResult.load(paths["summary_json"])
    np.testing.assert_allclose(loaded.draws_for("ptb")["a"], draws["a"])
    assert loaded.reference == design.ref
    assert loaded.headline()["doubling_time_months"] == pytest.approx(
        result.headline()["doubling_time_months"]
    )


def test_diagnose_flags_divergences_and_low_ess(mock_pymc_sample):
    design = LMDesign.from_frame(lm_frame(30))
    settings = SamplerSettings(sampler="pymc", draws=30, tune=10, chains=2, seed=0)
    idata = sample(create_lm_model(design), settings, progressbar=False, log_likelihood=False)
    idata.sample_stats["diverging"][0, :3] = True
    diag = diagnose(idata, ["rate", "alpha_param"])
    assert not diag.ok
    assert diag.divergences == 3
    assert any("divergent" in w for w in diag.warnings)
    assert any("ESS" in w for w in diag.warnings)


def test_doubling_time_interval_maps_rate_quantiles():
    from algoattr.model.results import doubling_time_interval

    rate = np.linspace(0.5, 1.5, 1001)
    q = doubling_time_interval(rate, 0.9)
    assert q["median"] == pytest.approx(12 * np.log(2) / 1.0, rel=1e-9)
    assert q["lower"] < q["median"] < q["upper"]
    assert doubling_time_interval(np.linspace(-1, 1, 101))["upper"] == np.inf


def test_scale_rates_variant_rates_by_compute():
    """rate_at_C = rate + k·(log10 C − c_mid)·(1/α_param + 1/β_data), on prior draws."""
    import pymc as pm

    from algoattr.model.lm import SCALE_COMPUTE, create_lm_model, log10_compute

    used, _ = select_rows(lm_frame(), "language_modelling", SelectionRules(max_per_paper=None))
    design = LMDesign.from_frame(used)
    model = create_lm_model(design, variant="scale_rates")
    with model:
        prior = pm.sample_prior_predictive(20, random_seed=1).prior
    draw = {k: prior[k].values.ravel() for k in ("rate", "year_scale", "alpha_param", "beta_data")}
    c_mid = float(np.median(log10_compute(design)))
    inv = 1 / draw["alpha_param"] + 1 / draw["beta_data"]
    for c in SCALE_COMPUTE:
        got = prior[f"rate_at_{c:.0e}".replace("+", "")].values.ravel()
        expected = draw["rate"] + draw["year_scale"] * (np.log10(c) - c_mid) * inv
        np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_architecture_rates_variant_has_a_transformer_rate():
    """rate_transformer = (α_year + δ_α)/α_param + (β_year + δ_β)/β_data, on prior draws."""
    import pymc as pm

    from algoattr.model.lm import create_lm_model

    used, _ = select_rows(lm_frame(), "language_modelling", SelectionRules(max_per_paper=None))
    design = LMDesign.from_frame(used)
    assert 0 < design.transformer.sum() < len(design.transformer)
    model = create_lm_model(design, variant="architecture_rates")
    with model:
        prior = pm.sample_prior_predictive(20, random_seed=2).prior
    v = {k: prior[k].values.ravel() for k in prior.data_vars if prior[k].ndim == 2}
    expected = (v["alpha_year"] + v["alpha_year_transformer_diff"]) / v["alpha_param"] + (
        v["beta_year"] + v["beta_year_transformer_diff"]
    ) / v["beta_data"]
    np.testing.assert_allclose(v["rate_transformer"], expected, rtol=1e-10)
