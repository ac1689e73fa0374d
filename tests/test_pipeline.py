"""Tests of algoattr.pipeline: the study bundles the reports render."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from algoattr import pipeline
from algoattr.pipeline.analyses import MonteCarloRun, ThresholdAnalysis
from algoattr.pipeline.attribution import PairAttribution
from tests.report.synthetic import make_fit


@pytest.fixture(scope="module")
def study():
    fit = make_fit("language_modelling", benchmark="ptb", draws=30)
    return pipeline.fit_study(fit, attribution_draws=30)


def test_fit_study_is_a_frozen_bundle_of_results(study):
    with pytest.raises(dataclasses.FrozenInstanceError):
        study.result = None
    (attr,) = study.attribution
    assert isinstance(attr, PairAttribution) and attr.benchmark == "ptb"
    assert attr.attribution.n_draws == 30 and attr.whole is not None
    (thr,) = study.thresholds
    assert isinstance(thr, ThresholdAnalysis) and thr.result.n_usable > 0
    assert isinstance(study.prior_sensitivity, pd.DataFrame)
    names = {p.name for p in study.inputs}
    assert {"ptb.csv", "benchmarks.yaml", "reference_pairs.yaml"} <= names


def test_what_cannot_be_computed_is_a_note_in_its_place(tmp_path):
    fit = make_fit("language_modelling", benchmark="ptb", draws=20)
    fit.benchmarks = ["ptb", "nonexistent"]
    s = pipeline.fit_study(fit, attribution_draws=20)
    assert s.attribution[-1] == (
        "No reference pairs for nonexistent in datasets/reference_pairs.yaml."
    )
    assert isinstance(s.thresholds[0], ThresholdAnalysis)
    assert s.thresholds[-1].startswith("Threshold method not computed: ValueError")


def test_seed_study_runs_every_scenario_and_notes_the_missing(tmp_path):
    scenarios = sorted(Path("datasets/scenarios").glob("*.yaml"))[:1]
    seed = pipeline.seed_study(
        out_dir=tmp_path, scenarios=[*scenarios, tmp_path / "missing.yaml"], mc_draws=200
    )
    ok, missing = seed.montecarlo
    assert isinstance(ok, MonteCarloRun) and ok.result.n_draws == 200
    assert missing.startswith("Scenario missing.yaml not run")
    assert scenarios[0] in seed.inputs and seed.ceg.points["compute"].iloc[0] == 1e15


def test_run_study_obtains_each_fit_through_the_loader(tmp_path):
    fit = make_fit("language_modelling", benchmark="ptb", draws=20)
    asked = []

    def loader(**kwargs):
        asked.append(kwargs["benchmark"])
        return fit

    s = pipeline.run_study(
        ["ptb"], tmp_path, loader=loader, attribution_draws=20, seed_analyses=False
    )
    assert asked == ["ptb"] and list(s.fits) == ["ptb"] and s.seed is None
    assert s.fits["ptb"].result is fit
