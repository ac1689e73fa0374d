"""Tests of the attribution command line and of datasets/reference_pairs.yaml."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
import yaml

from algoattr import law
from algoattr.cli import attribute as cli
from algoattr.data import load_evaluations

ERDIL_POINT = {
    "c_compute": 0.889,
    "beta_year": 0.1589,
    "beta_compute": 0.1545,
    "c_data": 1.783,
    "beta_year_data": 0.0198,
    "beta_data": 0.0632,
}
HO_POINT = {
    "a": 0.9127,  # α_const (WikiText-103 is the base level)
    "alpha_year": 0.00394,
    "alpha_param": 0.0680,
    "b": 0.7714,  # β_const
    "beta_year": 0.0356,
    "beta_data": 0.0396,
}


@dataclass
class FakeFit:
    """Stands in for algoattr.fit's result: draws around published point estimates."""

    point: dict
    reference: law.LMReference | None
    data: pd.DataFrame
    n: int = 500
    seed: int = 0

    def draws_for(self, benchmark: str) -> dict[str, np.ndarray]:
        rng = np.random.default_rng(self.seed)
        return {k: v * rng.normal(1.0, 0.03, self.n) for k, v in self.point.items()}


def fake_loader(point, reference, data, calls):
    def load(path=None, benchmark=None, seed=None):
        calls.append({"path": path, "benchmark": benchmark, "seed": seed})
        return FakeFit(point, reference, data)

    return load


@pytest.fixture(scope="module")
def imagenet_rows():
    return load_evaluations("imagenet", validate=False)


@pytest.fixture(scope="module")
def wt103_rows():
    return load_evaluations("wikitext-103", validate=False)


# --------------------------------------------------------------------------------------
# Reference pairs
# --------------------------------------------------------------------------------------


def test_reference_pairs_cover_the_issue_ladder():
    pairs = cli.load_reference_pairs()
    imagenet_models = {m for p in pairs["imagenet"] for m in p}
    for name in ("AlexNet", "ResNet-50", "ResNeXt-101 32x48d", "BiT-L", "ViT-H/14", "ViT-e"):
        assert name in imagenet_models
    assert len(pairs["imagenet"]) == 36  # every pair among 9 models
    assert ("AlexNet", "ViT-e") in pairs["imagenet"]
    assert {"wikitext-103", "ptb"} <= set(pairs)


def test_reference_pair_names_have_usable_rows():
    """Every listed model has a row with the law's inputs; listed gaps are real gaps."""
    with open(cli.REFERENCE_PAIRS, encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    for bench, pairs in cli.load_reference_pairs().items():
        rows = load_evaluations(bench, validate=False)
        names = sorted({m for p in pairs for m in p})
        found, _ = cli.model_rows(names, bench, None, rows)
        assert list(found["model"]) == names
        known = set(rows["model"].astype(str))
        for name in spec[bench].get("not_found") or []:
            assert name not in known, f"{name} now has a row on {bench}; use it"
        for name in spec[bench].get("no_inputs") or []:
            assert name in known, f"{name} (no_inputs) has no row on {bench}"
            with pytest.raises(cli.UsageError, match="lacks"):
                cli.model_rows([name], bench, None, rows)


def test_load_reference_pairs_explicit_and_extra(tmp_path):
    path = tmp_path / "pairs.yaml"
    path.write_text(
        "imagenet:\n  models: [A, B, C]\n  pairs: [[A, C]]\n  extra_pairs: [[C, A]]\n"
        "ptb:\n  models: [X, Y, Z]\n"
    )
    pairs = cli.load_reference_pairs(path)
    assert pairs["imagenet"] == [("A", "C"), ("C", "A")]
    assert pairs["ptb"] == [("X", "Y"), ("X", "Z"), ("Y", "Z")]


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def test_cli_imagenet_pair(imagenet_rows, capsys, tmp_path):
    calls = []
    loader = fake_loader(ERDIL_POINT, None, imagenet_rows, calls)
    out_csv = tmp_path / "table.csv"
    argv = ["--benchmark", "imagenet", "--pair", "AlexNet", "ViT-e", "--draws", "100"]
    argv += ["--seed", "3", "--csv", str(out_csv)]
    assert cli.main(argv, loader=loader, dataset=imagenet_rows) == 0
    out = capsys.readouterr().out
    assert "AlexNet → ViT-e" in out and "algorithms" in out
    assert calls == [{"path": None, "benchmark": "imagenet", "seed": 3}]
    table = pd.read_csv(out_csv)
    assert set(table["space"]) == {"logit_accuracy", "accuracy"}


def test_cli_reference_pairs_and_outside_fit_sample(wt103_rows, capsys):
    fit_rows = wt103_rows[~wt103_rows["zero_shot"].astype(bool)]
    used = fit_rows.dropna(subset=["parameters", "training_tokens"])
    ref = law.LMReference.from_data(used["year"], used["parameters"], used["training_tokens"])
    loader = fake_loader(HO_POINT, ref, fit_rows, [])
    assert cli.main(["--benchmark", "wikitext-103", "--draws", "50"], loader=loader) == 0
    out = capsys.readouterr().out
    assert "Transformer-XL Large → Mega" in out
    assert "not in the fit sample" in out and "GPT-2 (1542M)" in out


def test_cli_unknown_model_exits_2_with_close_matches(imagenet_rows, capsys):
    calls = []
    loader = fake_loader(ERDIL_POINT, None, imagenet_rows, calls)
    argv = ["--benchmark", "imagenet", "--pair", "AlexNet", "Resnet50"]
    assert cli.main(argv, loader=loader, dataset=imagenet_rows) == 2
    err = capsys.readouterr().err
    assert "unknown model 'Resnet50'" in err and "'ResNet-50'" in err
    assert calls == []  # names are checked before any fit is loaded


def test_cli_missing_inputs_and_bad_options(imagenet_rows, capsys):
    loader = fake_loader(ERDIL_POINT, None, imagenet_rows, [])
    no_compute = imagenet_rows.loc[imagenet_rows["training_compute_flop"].isna(), "model"].iloc[0]
    argv = ["--benchmark", "imagenet", "--pair", "AlexNet", no_compute]
    assert cli.main(argv, loader=loader, dataset=imagenet_rows) == 2
    assert "lacks" in capsys.readouterr().err
    assert cli.main(["--benchmark", "imagenet", "--draws", "0"], loader=loader) == 2
    assert cli.main(["--benchmark", "nonsense"], loader=loader) == 2


def test_cli_without_fit_module(imagenet_rows, capsys, monkeypatch):
    def missing():
        raise cli.UsageError("algoattr.fit is not available")

    monkeypatch.setattr(cli, "_default_loader", missing)
    assert cli.main(["--benchmark", "imagenet"], dataset=imagenet_rows) == 2
    assert "algoattr.fit" in capsys.readouterr().err


def test_cli_loader_errors_exit_2(imagenet_rows, capsys):
    from algoattr.errors import UsageError

    def no_saved_fit(path=None, benchmark=None, seed=None):
        raise UsageError(f"no saved fit at {path}")

    argv = ["--benchmark", "imagenet", "--fit", "missing.json"]
    assert cli.main(argv, loader=no_saved_fit, dataset=imagenet_rows) == 2
    assert "no saved fit at missing.json" in capsys.readouterr().err


def test_subsample_draws_is_seeded():
    draws = {"x": np.arange(10.0), "y": np.arange(10.0) * 2}
    a = cli.subsample_draws(draws, 4, seed=1)
    b = cli.subsample_draws(draws, 4, seed=1)
    np.testing.assert_array_equal(a["x"], b["x"])
    np.testing.assert_array_equal(a["y"], 2 * a["x"])
    assert len(cli.subsample_draws(draws, None, seed=1)["x"]) == 10
    with pytest.raises(ValueError, match="length"):
        cli.subsample_draws({"x": np.ones(3), "y": np.ones(4)}, 2, seed=0)
