"""Bad options, pairs files and missing fits of ``python -m algoattr.attribute``: one line each."""

from __future__ import annotations

import pytest

from algoattr.cli import attribute as cli
from algoattr.errors import DataError, MissingFitError

PROG = "python -m algoattr.attribute: error: "


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("ALGOATTR_DEBUG", raising=False)


def _never(**kwargs):
    raise AssertionError("no fit may be loaded")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--draws", "0"], "argument --draws: must be a positive integer, got 0"),
        (["--draws", "-5"], "argument --draws: must be a positive integer, got -5"),
        (["--seed", "-1"], "argument --seed: must be a non-negative integer, got -1"),
        (["--ci-prob", "1.5"], "argument --ci-prob: must lie strictly between 0 and 1"),
        (["--ci-prob", "nan"], "argument --ci-prob: must lie strictly between 0 and 1"),
    ],
)
def test_bad_options_exit_2(capsys, argv, message):
    assert cli.main(["--benchmark", "imagenet", *argv], loader=_never) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("imagenet:\n  models: [A, B\n", "line 3, column 1: not valid YAML"),
        ("- a\n- b\n", "expected a mapping of benchmark id to models and pairs"),
        ("imagenet:\n  modles: [A, B]\n", "unknown key 'modles' (did you mean 'models'?)"),
        ("imagenet:\n  models: [A, B]\n  pairs: [[A]]\n", "pairs must be `all` or a list"),
    ],
)
def test_bad_pairs_files(tmp_path, capsys, text, message):
    path = tmp_path / "pairs.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"pairs\.yaml"):
        cli.load_reference_pairs(path)
    assert cli.main(["--benchmark", "imagenet", "--pairs-file", str(path)], loader=_never) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{PROG}{path}")
    assert message in err
    assert "Traceback" not in err


def test_a_pairs_file_that_does_not_exist(tmp_path, capsys):
    argv = ["--benchmark", "imagenet", "--pairs-file", str(tmp_path / "none.yaml")]
    assert cli.main(argv, loader=_never) == 1
    assert f"{tmp_path / 'none.yaml'}: no such file" in capsys.readouterr().err


def test_a_saved_fit_without_posterior_says_what_to_run(capsys):
    def loader(**kwargs):
        raise MissingFitError(
            "reports/imagenet_summary.json: the saved fit lacks imagenet_posterior.nc "
            "(run `python -m algoattr.fit --benchmark imagenet` first)"
        )

    argv = ["--benchmark", "imagenet", "--pair", "AlexNet", "ViT-e"]
    assert cli.main(argv, loader=loader) == 1
    err = capsys.readouterr().err
    assert err.startswith(PROG + "reports/imagenet_summary.json: the saved fit lacks")
    assert "run `python -m algoattr.fit --benchmark imagenet` first" in err
    assert err.count("\n") == 1


def test_csv_output_is_spreadsheet_safe(tmp_path, monkeypatch):
    import pandas as pd

    table = pd.DataFrame({"pair": ["=cmd → B"], "median": [0.5]})

    class Result:
        groups = ("algorithms",)
        law = "imagenet"
        n_pairs = 1

        def summary(self, ci_prob):
            return "summary"

        def table(self, ci_prob):
            return table

    monkeypatch.setattr(cli, "attribute_pairs", lambda *a, **k: (Result(), []))
    monkeypatch.setattr(cli, "model_rows", lambda *a, **k: (None, []))
    monkeypatch.setattr(cli, "whole_period_shares", lambda *a, **k: Result())
    out = tmp_path / "t.csv"
    argv = ["--benchmark", "imagenet", "--pair", "=cmd", "B", "--csv", str(out)]
    assert cli.main(argv, loader=lambda **k: object(), dataset=pd.DataFrame()) == 0
    assert "'=cmd" in out.read_text()


def test_a_fresh_clone_fits_on_demand_and_says_so(tmp_path, monkeypatch, capsys):
    """reports/ holds a summary without its posterior: fit, save, and say so on stderr."""
    import algoattr.pipeline.fits

    def missing(path=None, **kwargs):
        raise MissingFitError("reports/imagenet_summary.json: the saved fit lacks ...")

    saved = []

    class Fit:
        def save(self, out, stem):
            saved.append((out, stem))

    monkeypatch.setattr(algoattr.pipeline.fits, "load_or_fit", missing)
    monkeypatch.setattr(algoattr.pipeline.fits, "run_fit", lambda benchmark, settings: Fit())
    fit = cli.load_or_fit(benchmark="imagenet", seed=0, out_dir=tmp_path)
    assert isinstance(fit, Fit)
    assert saved == [(tmp_path, "imagenet")]
    err = capsys.readouterr().err
    assert "no saved posterior of imagenet" in err and "fitting it now" in err
    with pytest.raises(MissingFitError):  # a fit named with --fit must be complete
        cli.load_or_fit(tmp_path / "x_summary.json", benchmark="imagenet")
