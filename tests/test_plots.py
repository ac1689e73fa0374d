"""Tests of algoattr.plots: each function returns a figure drawn from its results object."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from algoattr import plots
from tests.report.synthetic import make_fit

FIT_PLOTS = (
    plots.performance_vs_date,
    plots.performance_vs_compute,
    plots.doubling_time_posterior,
    plots.posterior_predictive,
    plots.residuals,
    plots.prior_posterior,
)


@pytest.fixture(scope="module")
def lm_fit():
    return make_fit("language_modelling", benchmark="ptb", draws=60)


@pytest.fixture(scope="module")
def imagenet_fit():
    return make_fit("image_classification", draws=60)


def _check(fig: Figure) -> None:
    assert isinstance(fig, Figure)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert visible
    assert any(ax.has_data() for ax in visible)


@pytest.mark.parametrize("fn", FIT_PLOTS, ids=lambda f: f.__name__)
def test_fit_plots_lm(fn, lm_fit):
    _check(fn(lm_fit))


@pytest.mark.slow
@pytest.mark.parametrize(
    "fn",
    [plots.performance_vs_compute, plots.residuals, plots.prior_posterior],
    ids=lambda f: f.__name__,
)
def test_fit_plots_imagenet(fn, imagenet_fit):
    _check(fn(imagenet_fit))


def test_doubling_time_marks_published_estimates(lm_fit):
    fig = plots.doubling_time_posterior(lm_fit)
    labels = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    for p in plots.PUBLISHED_DOUBLING_TIMES:
        assert p["label"] in labels
    assert {p["median"] for p in plots.PUBLISHED_DOUBLING_TIMES} == {8.4, 9.0, 16.0}


def test_prior_draws_follow_the_priors(lm_fit):
    from algoattr.model.priors import LM_PRIORS

    draws = plots.prior_draws(lm_fit, n=20_000, seed=1)
    assert {"alpha_year", "beta_data", "sigma", "doubling_time_months"} <= set(draws)
    np.testing.assert_allclose(
        np.std(draws["alpha_year"]), LM_PRIORS["alpha_year"]["sigma"], rtol=0.05
    )
    assert np.all(draws["beta_data"] >= 0)
    again = plots.prior_draws(lm_fit, n=20_000, seed=1)
    np.testing.assert_array_equal(draws["alpha_year"], again["alpha_year"])


def test_attribution_plots(lm_fit):
    from algoattr.attribute import attribute_pairs
    from algoattr.data import load_evaluations

    pairs = [("RNNLM", "AWD-LSTM"), ("LSTM (large, regularized)", "Transformer-XL")]
    attr, _ = attribute_pairs(
        lm_fit, "ptb", pairs, load_evaluations("ptb", validate=False), n_draws=50, seed=0
    )
    fig = plots.attribution_shares(attr)
    _check(fig)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == attr.pairs
    _check(plots.compute_equivalent_multipliers(attr))


def test_other_estimate_plots():
    import pandas as pd

    from algoattr import ceg, montecarlo, threshold

    df = pd.DataFrame(
        {
            "model": list("ABCDE"),
            "year": [2012.0, 2013.5, 2015.0, 2016.0, 2018.0],
            "value": [30.0, 28.0, 25.0, 29.0, 20.0],
            "training_compute_flop": [1e18, 5e17, 4e17, 1e17, 2e17],
        }
    )
    _check(plots.threshold_curve(threshold.threshold_frontier(df, 30.0)))
    _check(plots.threshold_sensitivity(threshold.threshold_sweep(df, [25.0, 29.0, 30.0])))
    grid = np.geomspace(1e15, 1e22, 8)
    r = ceg.law_vs_law(grid, A_ref=36.3, alpha_ref=0.065, A_new=81.7, alpha_new=0.091)
    _check(
        plots.ceg_vs_compute(
            r, points={"x": {"compute_flop": 1e20, "median": 3.0, "lower": 2.0, "upper": 5.0}}
        )
    )
    scenario = montecarlo.Scenario.from_dict(
        {
            "name": "toy",
            "factors": [
                {"name": "a", "median": 2.0, "low": 1.5, "high": 3.0},
                {"name": "b", "median": 3.0, "low": 2.0, "high": 5.0},
            ],
            "groups": {"both": ["a", "b"]},
            "published": {"medians": {"both": 6.0}},
        }
    )
    _check(plots.montecarlo_stack(scenario.run(draws=2000, seed=0)))


def test_training_frontiers_draws_runs_frontiers_and_laws():
    import pandas as pd

    from algoattr.law import power_law_loss

    c = np.geomspace(1e9, 1e12, 12)
    laws = {"lstm": (0.75, 30.0, 0.13), "modern": (0.75, 200.0, 0.2)}
    frontier = pd.concat(
        [
            pd.DataFrame({"family": f, "compute": c, "loss": power_law_loss(c, E=e, A=a, alpha=al)})
            for f, (e, a, al) in laws.items()
        ]
    )
    fits = pd.DataFrame(
        [
            {"family": f, "fit": "E fixed", "E": e, "A": a, "alpha": al}
            for f, (e, a, al) in laws.items()
        ]
    )
    metrics = frontier.rename(columns={"compute": "flops", "loss": "val_loss"}).assign(
        width=16, seed=0
    )
    fig = plots.training_frontiers(frontier, fits, metrics, window=(2e9, 5e11))
    _check(fig)
    ax = fig.axes[0]
    # one faint run curve, one frontier and one law curve per family
    assert len(ax.get_lines()) >= 3 * len(laws)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["lstm (α = 0.130)", "modern (α = 0.200)"]


def test_to_data_uri_is_inline_and_deterministic(lm_fit):
    a = plots.to_data_uri(plots.performance_vs_date(lm_fit))
    b = plots.to_data_uri(plots.performance_vs_date(lm_fit))
    assert a.startswith("data:image/svg+xml;base64,")
    assert a == b, "the same figure twice must give the same SVG"
    fig = plots.performance_vs_date(lm_fit)
    assert plots.to_data_uri(fig, fmt="png").startswith("data:image/png;base64,")
