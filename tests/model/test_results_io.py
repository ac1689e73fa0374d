"""Saving and loading a fit: atomic, spreadsheet-safe, and clear when files are missing."""

from __future__ import annotations

import pytest

from algoattr.errors import DataError, MissingFitError
from algoattr.model import LMDesign, create_lm_model, diagnose
from algoattr.model.results import FitResult
from algoattr.model.sampling import SamplerSettings, sample
from tests.model.test_models import lm_frame


@pytest.fixture
def result(mock_pymc_sample) -> FitResult:
    rows = lm_frame(30)
    rows.loc[0, "model"] = '=HYPERLINK("http://x")'
    design = LMDesign.from_frame(rows)
    settings = SamplerSettings(sampler="pymc", draws=20, tune=10, chains=2, seed=3)
    idata = sample(create_lm_model(design), settings, progressbar=False)
    return FitResult(
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


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_formula_model_names_are_neutralised_and_read_back(result, tmp_path):
    paths = result.save(tmp_path, "t")
    text = paths["rows"].read_text()
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text
    assert FitResult.load(paths["summary_json"]).data["model"].iloc[0] == result.data["model"][0]


def test_an_interrupted_save_leaves_the_previous_files_byte_identical(
    result, tmp_path, monkeypatch
):
    result.save(tmp_path, "t")
    before = _snapshot(tmp_path)
    calls = {"n": 0}
    original = type(result.data).to_csv

    def interrupted(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the posterior and one table are written, then Ctrl-C
            raise KeyboardInterrupt
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(result.data), "to_csv", interrupted)
    result.extras["changed"] = True
    with pytest.raises(KeyboardInterrupt):
        result.save(tmp_path, "t")
    assert _snapshot(tmp_path) == before


def test_loading_a_summary_without_its_posterior_says_what_to_run(result, tmp_path):
    result.extras["command"] = "python -m algoattr.fit --benchmark ptb --fast"
    paths = result.save(tmp_path, "t")
    paths["posterior"].unlink()
    with pytest.raises(MissingFitError) as info:
        FitResult.load(paths["summary_json"])
    message = str(info.value)
    assert "t_posterior.nc" in message
    assert "run `python -m algoattr.fit --benchmark ptb --fast` first" in message
    with pytest.raises(MissingFitError, match="no saved fit"):
        FitResult.load(tmp_path / "absent_summary.json")


def test_a_summary_that_is_not_json_is_a_data_error(tmp_path):
    bad = tmp_path / "x_summary.json"
    bad.write_bytes(b"\xff\xfe not json")
    with pytest.raises(DataError, match="not a saved fit summary"):
        FitResult.load(bad)


def test_the_posterior_file_carries_the_fits_provenance(result, tmp_path):
    import json

    import arviz as az

    from algoattr import __version__

    result.extras.update(
        {
            "dataset_checksum": "abc123",
            "priors": {"sigma": {"dist": "HalfNormal", "sigma": 0.5}},
            "command": "python -m algoattr.fit --benchmark lm",
        }
    )
    paths = result.save(tmp_path, "t")
    attrs = dict(az.from_netcdf(str(paths["posterior"])).attrs)
    assert attrs["algoattr_version"] == __version__
    assert attrs["task"] == "language_modelling" and attrs["variant"] == "both"
    assert json.loads(attrs["sampler_settings"]) == result.settings.to_dict()
    assert json.loads(attrs["diagnostics"])["divergences"] == result.diagnostics.divergences
    assert json.loads(attrs["reference"]) == result.reference.to_dict()
    assert attrs["dataset_checksum"] == "abc123"
    assert json.loads(attrs["priors"]) == {"sigma": {"dist": "HalfNormal", "sigma": 0.5}}
    assert attrs["command"] == "python -m algoattr.fit --benchmark lm"
    assert attrs["n_rows"] == str(len(result.data))
