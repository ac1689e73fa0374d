"""Per-row cross-check of the LM rows against Ho et al. 2024's model-7 fitted values."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from algoattr.data import load_evaluations
from algoattr.data.__main__ import main as data_main
from algoattr.data.crosscheck import (
    NOT_INCLUDED_FILE,
    crosscheck_ho2024,
    ho2024_year,
    model7_log_ppl,
    read_not_included,
)

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ALGOATTR_SHARED", REPO.parent / "shared"))
HO_SAMPLE = SHARED / "anchors_data" / "observational" / "ho2024_model7_fit_231_from_notebook.csv"


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "model": ["A", "B", "C", "D"],
            "benchmark": ["ptb", "wikitext-103", "wikitext-2", "ptb"],
            "value": [80.0, 20.0, 60.0, 70.0],
            "publication_date": pd.to_datetime(
                ["2014-09-08", "2019-01-09", "2017-08-07", "2016-01-01"]
            ),
            "parameters": [2e7, 2.57e8, 3.3e7, 2.4e7],
            "training_tokens": [929589.0, 103227021.0, 2088628.0, 929589.0],
            "ho2024_system": ["A", "B", "C", np.nan],
            "ho2024_differs": [np.nan, np.nan, "N: documented here", np.nan],
            "source_file": "lm/x.csv",
            "source_line": [2, 3, 4, 5],
        }
    )


def _sample(rows: pd.DataFrame, bump: dict[str, float]) -> pd.DataFrame:
    ta, tb = model7_log_ppl(
        rows["benchmark"].to_numpy(),
        ho2024_year(rows["publication_date"]),
        rows["parameters"].to_numpy(float),
        rows["training_tokens"].to_numpy(float),
    )
    fitted = ta + tb
    systems = ["A", "B", "C", "Z"]
    return pd.DataFrame(
        {
            "row": range(4),
            "system": systems,
            "log_ppl_actual": np.log(rows["value"].to_numpy(float)),
            "log_ppl_pred_model7": [
                f + bump.get(s, 0.0) for f, s in zip(fitted, systems, strict=True)
            ],
        }
    )


def test_statuses() -> None:
    rows = _rows()
    sample = _sample(rows, {"B": 0.05, "C": 0.05})
    left_out = pd.DataFrame({"ho2024_system": ["Z"], "reason": ["token-level perplexity"]})
    res = crosscheck_ho2024(rows, sample, left_out)
    status = dict(zip(res.table["system"], res.table["status"], strict=True))
    assert status == {
        "A": "agree",
        "B": "differs_undocumented",  # an empty ho2024_differs is not a reason
        "C": "differs_documented",
        "Z": "not_included_documented",
    }
    assert not res.ok
    assert "FAIL 'B' (lm/x.csv:3)" in res.summary()
    # Without the list of systems left out, Z is missing.
    res = crosscheck_ho2024(rows, _sample(rows, {}))
    assert dict(zip(res.table["system"], res.table["status"], strict=True))["Z"] == "missing"


def test_not_included_needs_a_reason(tmp_path: Path) -> None:
    p = tmp_path / "ho.csv"
    p.write_text("ho2024_system,reason\nX,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"ho\.csv:2: reason: empty"):
        read_not_included(p)


@pytest.mark.skipif(
    not HO_SAMPLE.is_file(), reason="Ho et al.'s sample file is not beside the repo"
)
def test_every_ho_system_is_a_row_or_has_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    rc = data_main(["crosscheck-ho2024", str(HO_SAMPLE)])
    out = capsys.readouterr().out
    assert rc == 0, out
    from algoattr.data.crosscheck import read_ho2024_sample

    res = crosscheck_ho2024(
        load_evaluations("lm"),
        read_ho2024_sample(HO_SAMPLE),
        read_not_included(REPO / "datasets" / NOT_INCLUDED_FILE),
    )
    assert res.ok
    assert len(res.table) == 231
    # The common offset is one small number (x1.02 on D), not a per-row fudge.
    assert abs(res.log_d_offset) < 0.05
    assert res.n_as_rows() >= 175
