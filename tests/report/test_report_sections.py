"""Sections of a fit report: the whole-period shares, prior sensitivity, and an ImageNet
report without the language-model footer."""

from __future__ import annotations

import pytest

from algoattr import plots
from algoattr.report import build_fit_report
from tests.report.synthetic import make_fit
from tests.report.test_report import TINY_PNG, parse


@pytest.fixture(scope="module")
def imagenet_report(tmp_path_factory):
    fit = make_fit("image_classification", draws=40)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plots, "to_data_uri", lambda fig, **kw: TINY_PNG)
        path = build_fit_report(
            fit, tmp_path_factory.mktemp("cv"), "imagenet", attribution_draws=40
        )
    return fit, path


def test_whole_period_shares_are_labelled_predicted(imagenet_report):
    _, path = imagenet_report
    text = " ".join(parse(path).text)
    assert "Whole period: one answer for imagenet" in text
    assert "imagenet, whole period: shares of the PREDICTED change" in text
    assert "AlexNet (2012.9) → ViT-e" in text
    assert "Erdil & Besiroglu 2022: 43.6%" in text  # the published figure beside it


def test_prior_sensitivity_table(imagenet_report):
    _, path = imagenet_report
    text = " ".join(parse(path).text)
    assert "Prior sensitivity: how far each year term" in text
    assert "beta_year_data" in text.split("Prior sensitivity: how far")[1][:3000]


def test_imagenet_report_has_no_language_model_footer(imagenet_report):
    _, path = imagenet_report
    text = " ".join(parse(path).text)
    other = text.split("Other estimates")[-1].split("What these estimates are not")[0]
    assert "Retraining calibration" not in other and "retraining suite" not in other
    assert "Gundlach" not in other
