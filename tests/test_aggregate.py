"""Whole-period shares (algoattr.aggregate): exact Shapley per draw, efficiency, the pair
chosen, the published comparison, and the attribution command's text and --json output."""

from __future__ import annotations

import json

import numpy as np
import pytest

from algoattr import attribute as cli
from algoattr.aggregate import whole_period_pair, whole_period_shares
from algoattr.pairs import dataset_rows, load_reference_pairs
from tests.report.synthetic import make_fit


@pytest.fixture(
    scope="module", params=[("language_modelling", "ptb"), ("image_classification", "imagenet")]
)
def case(request):
    task, bench = request.param
    fit = make_fit(task, benchmark=bench, draws=80)
    rows = dataset_rows(bench)
    models = [m for p in load_reference_pairs()[bench] for m in p]
    return fit, bench, rows, models, whole_period_shares(fit, bench, models, rows, 120, 1)


def test_shares_sum_to_the_total_in_every_draw(case):
    _, _, _, _, agg = case
    attr = agg.attribution
    for space in ("law", "linear"):
        groups = attr.shares(space, "absolute", "group")[:, 0, :]
        assert np.allclose(groups.sum(axis=-1), attr.change(space)[:, 0], atol=1e-10)
    fractions = agg.draws("law")
    parts = ["compute", "algorithms"] + (["data"] if agg.law == "imagenet" else [])
    assert np.allclose(sum(fractions[p] for p in parts), 1.0, atol=1e-9)
    if agg.law == "lm":  # compute is parameters plus data, draw by draw
        assert np.allclose(fractions["compute"], fractions["parameters"] + fractions["data"])
    assert agg.efficiency_gap() < 1e-9
    assert agg.n_draws == 120


def test_the_period_runs_between_in_sample_reference_models(case):
    fit, bench, rows, models, agg = case
    used = set(fit.data["model"])
    in_sample = [m for m in dict.fromkeys(models) if m in used]
    years = fit.data.drop_duplicates("model").set_index("model")["year"]
    assert agg.model_a in used and agg.model_b in used and not agg.outside
    assert years[agg.model_a] == min(years[m] for m in in_sample)
    assert years[agg.model_b] == max(years[m] for m in in_sample)
    if bench == "ptb":  # KN5 (an n-gram baseline) and GPT-3 (zero-shot) are not in the sample
        assert "KN5" not in (agg.model_a, agg.model_b)

    # With fewer than two in the sample, the ends may come from the dataset, and say so.
    class OneInSample:
        data = fit.data[~fit.data["model"].isin(in_sample[1:])]

    a, b, outside = whole_period_pair(OneInSample, bench, models, rows)
    assert outside and outside == [m for m in (a, b) if m not in set(OneInSample.data["model"])]


def test_table_sets_the_published_figure_beside(case):
    _, _, _, _, agg = case
    t = agg.table(0.9).set_index("component")
    assert (t["lower"] <= t["median"]).all() and (t["median"] <= t["upper"]).all()
    if agg.law == "lm":
        assert "60–95%" in t.loc["compute", "published"]
    else:
        assert "43.6%" in t.loc["compute", "published"]
        assert {"accuracy_median", "accuracy_lower"} <= set(t.columns)
    doc = agg.to_dict()
    json.dumps(doc, allow_nan=False)  # valid JSON: no NaN or infinity
    assert doc["model_a"] == agg.model_a and len(doc["shares"]) == len(t)


def _fit_loader(fit):
    def load(path=None, benchmark=None, seed=None):
        print("fitting (this line must not reach stdout with --json)")
        return fit

    return load


def test_attribute_prints_the_whole_period(capsys):
    fit = make_fit("language_modelling", benchmark="ptb", draws=50)
    assert cli.main(["--benchmark", "ptb", "--draws", "60"], loader=_fit_loader(fit)) == 0
    out = capsys.readouterr().out
    assert "whole period on ptb" in out and "PREDICTED change in log-perplexity" in out
    assert "Ho et al. 2024: 60–95%" in out


def test_attribute_json_is_the_only_stdout(capsys):
    fit = make_fit("image_classification", draws=50)
    argv = ["--benchmark", "imagenet", "--draws", "60", "--json"]
    assert cli.main(argv, loader=_fit_loader(fit)) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)  # the whole of stdout parses
    assert "must not reach stdout" in captured.err
    whole = doc["whole_period"]
    assert whole["model_a"] == "AlexNet" and whole["model_b"] == "ViT-e"
    shares = {r["component"]: r["median"] for r in whole["shares"]}
    assert abs(sum(shares.values()) - 1.0) < 0.2  # medians need not sum exactly to 1
    assert doc["n_pairs"] == 36 and doc["pairs"]
