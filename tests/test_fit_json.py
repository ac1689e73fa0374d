"""``python -m algoattr.fit --json``: one JSON document on standard output, nothing else."""

from __future__ import annotations

import json
import math

import numpy as np

from algoattr import fit
from algoattr.jsonout import finite


def test_fit_json_is_the_only_stdout(mock_pymc_sample, tmp_path, capsys):
    argv = ["--benchmark", "ptb", "--fast", "--sampler", "pymc", "--draws", "30", "--quiet"]
    argv += ["--no-report", "--sensitivity", "none", "--out", str(tmp_path), "--json"]
    code = fit.main(argv)
    captured = capsys.readouterr()
    assert code == 0
    doc = json.loads(captured.out)  # the whole of stdout is the document
    assert "rows used:" in captured.err  # the text summary went to stderr
    summary = json.loads((tmp_path / "ptb_summary.json").read_text())
    assert doc["benchmark"] == "ptb" and doc["n_rows"] == summary["n_rows"]
    assert doc["n_excluded"] == sum(doc["excluded_by_reason"].values())
    dt = doc["headline"]["doubling_time_months"]
    saved = summary["headline"]["doubling_time_months"]
    for end in ("median", "lower", "upper"):
        if dt[end] is None:  # an unbounded end is null and listed
            assert f"doubling_time_months.{end}" in doc["unbounded"]
        else:
            assert math.isclose(dt[end], saved[end])
    assert doc["settings"]["sampler"] == "pymc" and "ok" in doc["diagnostics"]
    assert doc["files"]["summary_json"].endswith("ptb_summary.json")


def test_finite_makes_strict_json():
    doc = finite({"a": np.float64("inf"), "b": [np.nan, 1.5], "c": np.int64(3), "d": True})
    assert doc == {"a": None, "b": [None, 1.5], "c": 3, "d": True}
    json.dumps(doc, allow_nan=False)
