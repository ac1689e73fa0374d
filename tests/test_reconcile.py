"""Reconciliation table: hand-checked rates, gains and shares from small fake inputs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from algoattr import reconcile
from algoattr.intervals import CI_PROB
from algoattr.reconcile import (
    MethodEstimate,
    baseline_estimates,
    decimal_year,
    fit_estimate,
    format_table,
    gundlach_estimate,
    reconciliation_table,
    retraining_estimate,
)

LN2 = math.log(2.0)


class StubFit:
    """Just enough of a FitResult: ``headline()``, ``draws("rate")``, rows, extras."""

    def __init__(
        self,
        rate_draws: np.ndarray | None,
        *,
        task: str = "language_modelling",
        n_rows: int = 7,
        extras: dict[str, Any] | None = None,
    ) -> None:
        self.task = task
        self.benchmarks = ["wikitext-103", "ptb"] if task == "language_modelling" else ["imagenet"]
        self.data = pd.DataFrame({"x": range(n_rows)})
        self.settings = None
        self.extras = extras or {}
        self._rate = rate_draws

    def draws(self, name: str) -> np.ndarray:
        if self._rate is None or name != "rate":
            raise KeyError(name)
        return self._rate

    def headline(self) -> dict[str, Any]:
        return {
            "rate_per_year": {"median": LN2, "lower": 0.5 * LN2, "upper": 2 * LN2, "ci_prob": 0.95},
            "doubling_time_months": {"median": 12.0, "lower": 6.0, "upper": 24.0, "ci_prob": 0.95},
            "ceg_transformer_1e22": {"median": 10.0, "lower": 5.0, "upper": 20.0},
        }


def test_decimal_year() -> None:
    assert decimal_year("2012-01-01") == 2012.0
    assert decimal_year("2023-01-01") == 2023.0
    assert decimal_year("2020-07-02") == pytest.approx(2020 + 183 / 366)
    assert decimal_year(2019.25) == 2019.25


def test_known_rates_give_hand_checked_gains_and_shares() -> None:
    slow = MethodEstimate.from_rate(LN2, method="slow", approach="t", data="d")  # 2x/yr
    fast = MethodEstimate.from_rate(2 * LN2, method="fast", approach="t", data="d")  # 4x/yr
    t = reconciliation_table([slow, fast], start="2012-01-01", end="2023-01-01")
    assert list(t.columns) == list(reconcile.TABLE_COLUMNS)
    assert t["window_years"].tolist() == [11.0, 11.0]
    assert t["multiplier_per_year_median"].tolist() == pytest.approx([2.0, 4.0])
    assert t["doubling_time_months_median"].tolist() == pytest.approx([12.0, 6.0])
    assert t["cumulative_gain_median"].tolist() == pytest.approx([2.0**11, 4.0**11])
    assert t["share_of_largest_log"].tolist() == pytest.approx([0.5, 1.0])
    assert t["ratio_to_largest"].tolist() == pytest.approx([2.0**-11, 1.0])
    assert t["is_largest"].tolist() == [False, True]
    # Another window: 2 years at 2x/yr is 4x.
    t2 = reconciliation_table([slow], start="2012-01-01", end="2014-01-01")
    assert float(t2["cumulative_gain_median"].iloc[0]) == pytest.approx(4.0)


def test_fit_draws_propagate_to_cumulative_gain() -> None:
    draws = LN2 * np.array([0.5, 1.0, 1.5, 1.0, 1.0])
    est = fit_estimate(StubFit(draws))
    assert est.rate_draws is not None and est.rate_draws.size == 5
    t = reconciliation_table([est], start="2012-01-01", end="2023-01-01")
    r = t.iloc[0]
    assert r["n_rows"] == 7
    assert r["benchmark"] == "wikitext-103, ptb"
    assert r["ci_prob"] == 0.95
    assert r["multiplier_per_year_median"] == pytest.approx(2.0)
    assert r["cumulative_gain_median"] == pytest.approx(2.0**11)
    # Quantiles of the per-draw gains exp(11·r): np.quantile's linear interpolation on them.
    gains = np.exp(11 * draws)
    lo, hi = np.quantile(gains, [0.025, 0.975])
    assert r["cumulative_gain_lower"] == pytest.approx(lo)
    assert r["cumulative_gain_upper"] == pytest.approx(hi)
    # Doubling time maps the rate's quantiles through 12·ln2/r (shorter = faster end).
    r_lo, r_hi = np.quantile(draws, [0.025, 0.975])
    assert r["doubling_time_months_median"] == pytest.approx(12.0)
    assert r["doubling_time_months_lower"] == pytest.approx(12 * LN2 / r_hi)
    assert r["doubling_time_months_upper"] == pytest.approx(12 * LN2 / r_lo)
    assert "Transformer CEG at 1e22" in r["notes"]


def test_fit_without_draws_uses_headline_interval() -> None:
    est = fit_estimate(StubFit(None, task="image_classification"))
    assert est.rate_draws is None
    assert "ImageNet" in est.method
    t = reconciliation_table([est])
    r = t.iloc[0]
    assert r["multiplier_per_year_median"] == pytest.approx(2.0)
    assert r["multiplier_per_year_lower"] == pytest.approx(math.sqrt(2.0))
    assert r["multiplier_per_year_upper"] == pytest.approx(4.0)
    assert r["cumulative_gain_lower"] == pytest.approx(2.0**5.5)
    assert r["cumulative_gain_upper"] == pytest.approx(4.0**11)
    assert r["doubling_time_months_lower"] == pytest.approx(6.0)
    assert r["doubling_time_months_upper"] == pytest.approx(24.0)


def test_gundlach_row_is_6926x_with_rate_6926_to_the_one_eleventh() -> None:
    g = gundlach_estimate()
    t = reconciliation_table([g], start="2012-01-01", end="2023-01-01")
    r = t.iloc[0]
    assert round(float(r["cumulative_gain_median"])) == 6926
    assert r["multiplier_per_year_median"] == pytest.approx(6926 ** (1 / 11), rel=1e-4)
    assert r["doubling_time_months_median"] == pytest.approx(
        12 * 11 * LN2 / math.log(6926), rel=1e-4
    )
    assert math.isnan(r["cumulative_gain_lower"]) and math.isnan(r["ci_prob"])
    assert "rate = gain^(1/years)" in r["notes"]
    assert "6,926" in r["native_estimate"]
    # Over 2012-2017 the same rate gives 6926^(5/11).
    t5 = reconciliation_table([g], start="2012-01-01", end="2017-01-01")
    assert float(t5["cumulative_gain_median"].iloc[0]) == pytest.approx(6926 ** (5 / 11), rel=1e-3)


def test_level_with_draws_propagates_per_draw() -> None:
    rng = np.random.default_rng(0)
    gains = np.exp(rng.normal(np.log(100.0), 0.5, size=4001))
    est = MethodEstimate.from_level(
        None, "2020-01-01", "2024-01-01", draws=gains, ci_prob=0.8,
        method="stack", approach="monte carlo", data="fake",
    )  # fmt: skip
    years = decimal_year("2024-01-01") - decimal_year("2020-01-01")
    assert years == 4.0
    # Over its own period the gain's quantiles come back.
    t = reconciliation_table([est], start="2020-01-01", end="2024-01-01")
    r = t.iloc[0]
    lo, med, hi = np.quantile(gains, [0.1, 0.5, 0.9])
    assert r["cumulative_gain_median"] == pytest.approx(med, rel=1e-9)
    assert r["cumulative_gain_lower"] == pytest.approx(lo, rel=1e-9)
    assert r["cumulative_gain_upper"] == pytest.approx(hi, rel=1e-9)
    # Over a window twice as long, each draw is squared.
    t8 = reconciliation_table([est], start="2016-01-01", end="2024-01-01")
    assert float(t8["cumulative_gain_median"].iloc[0]) == pytest.approx(med**2, rel=1e-9)
    assert float(t8["multiplier_per_year_median"].iloc[0]) == pytest.approx(med**0.25, rel=1e-9)


def test_level_without_draws_maps_interval() -> None:
    est = MethodEstimate.from_level(
        16.0, 2020.0, 2024.0, lower=4.0, upper=64.0, ci_prob=0.9,
        method="lvl", approach="x", data="d",
    )  # fmt: skip
    s = est.summarise(2.0)
    assert s["multiplier_per_year_median"] == pytest.approx(2.0)
    assert s["cumulative_gain_median"] == pytest.approx(4.0)
    assert s["cumulative_gain_lower"] == pytest.approx(2.0)
    assert s["cumulative_gain_upper"] == pytest.approx(8.0)
    with pytest.raises(ValueError):
        MethodEstimate.from_level(
            2.0, "2020-01-01", "2019-01-01", method="m", approach="a", data=""
        )


def test_infinite_doubling_time_is_zero_rate() -> None:
    est = MethodEstimate.from_doubling_months(
        12.0, 6.0, float("inf"), ci_prob=0.95, method="m", approach="a", data=""
    )
    s = est.summarise(11.0)
    assert s["cumulative_gain_lower"] == pytest.approx(1.0)
    assert s["doubling_time_months_upper"] == math.inf
    assert s["cumulative_gain_upper"] == pytest.approx(4.0**11)


def test_missing_rows_do_not_count_and_print_as_na() -> None:
    ok = MethodEstimate.from_rate(LN2, method="real", approach="t", data="d")
    gone = MethodEstimate.missing("retraining", "not yet run: nothing there", approach="e", data="")
    t = reconciliation_table([gone, ok])
    assert t["is_largest"].tolist() == [False, True]
    assert math.isnan(t["cumulative_gain_median"].iloc[0])
    assert math.isnan(t["share_of_largest_log"].iloc[0])
    text = format_table(t, notes=True)
    assert "n/a" in text and "not yet run: nothing there" in text
    assert "real *" in text
    assert "2012-01-01 to 2023-01-01" in text


def test_baselines_saved_with_the_fit() -> None:
    saved = {
        "ho2024": {
            "name": "ho2024",
            "task": "language_modelling",
            "n_rows": 7,
            "doubling_time_months": {
                "point": 8.0, "median": 12.0, "lower": 6.0, "upper": 24.0, "ci_prob": 0.95,
            },
            "params": {},
            "n_boot": 10,
            "seed": 0,
            "wall_time_s": 0.1,
            "notes": [],
            "extras": {"benchmarks": ["wikitext-103"]},
        }
    }  # fmt: skip
    rows, msgs = baseline_estimates(StubFit(None, extras={"baselines": saved}))
    assert len(rows) == 1 and "saved" in msgs[0]
    t = reconciliation_table(rows)
    r = t.iloc[0]
    assert "Ho et al. 2024" in r["method"]
    assert r["multiplier_per_year_median"] == pytest.approx(2.0)
    assert r["multiplier_per_year_lower"] == pytest.approx(math.sqrt(2.0))
    assert r["multiplier_per_year_upper"] == pytest.approx(4.0)
    assert r["doubling_time_months_lower"] == pytest.approx(6.0)
    assert r["doubling_time_months_upper"] == pytest.approx(24.0)


def test_baselines_not_run_when_asked() -> None:
    rows, msgs = baseline_estimates(StubFit(None), run=False)
    assert rows == [] and "left out" in msgs[0]


def test_retraining_row_from_csv_and_not_yet_run(tmp_path) -> None:
    missing = retraining_estimate(tmp_path / "absent.csv")
    assert not missing.available and "not yet run" in missing.notes[0]
    csv = tmp_path / "ceg.csv"
    pd.DataFrame(
        {
            "new": ["transformer2017", "transformer2017", "modern"],
            "ref": ["lstm", "lstm", "lstm"],
            "compute": [1e14, 1e15, 1e15],
            "ceg_law": [2.0, 3.0, 5.0],
            "ceg_law_lo": [1.5, 2.0, 4.0],
            "ceg_law_hi": [3.0, 4.5, 6.0],
            "ceg_measured": [2.2, 3.3, 5.5],
        }
    ).to_csv(csv, index=False)
    est = retraining_estimate(csv)
    t = reconciliation_table([est], start="2012-01-01", end="2023-01-01")
    r = t.iloc[0]
    assert r["cumulative_gain_median"] == pytest.approx(3.3)
    assert r["multiplier_per_year_median"] == pytest.approx(3.3 ** (1 / 11))
    assert "3.3x at 1e+15 FLOP" in r["native_estimate"]


def test_retraining_law_ceg_carries_the_ladders_recorded_interval(tmp_path) -> None:
    csv = tmp_path / "ceg.csv"
    pd.DataFrame(
        {"new": ["transformer2017"], "ref": ["lstm"], "compute": [1e15], "ceg_law": [3.0],
         "ceg_law_lo": [2.0], "ceg_law_hi": [4.5], "ceg_measured": [float("nan")]}
    ).to_csv(csv, index=False)  # fmt: skip
    unrecorded = retraining_estimate(csv)
    assert math.isnan(unrecorded.ci_prob)
    assert any("interval probability not recorded" in n for n in unrecorded.notes)
    (tmp_path / "fit.json").write_text('{"n_boot": 300, "ci_prob": 0.9}\n')
    recorded = retraining_estimate(csv)
    assert recorded.ci_prob == 0.9 and any("(90% interval)" in n for n in recorded.notes)


def test_every_retraining_ladder_found_in_path_order(tmp_path) -> None:
    for name in ("b_ladder", "a_ladder"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "ceg.csv").write_text("new,ref,compute,ceg_law\n")
    found = reconcile.find_retraining_cegs([tmp_path, tmp_path / "a_ladder" / "ceg.csv"])
    assert [p.parent.name for p in found] == ["a_ladder", "b_ladder"]
    assert reconcile.find_retraining_ceg([tmp_path]).parent.name == "a_ladder"
    est = retraining_estimate(found[1])
    assert not est.available and est.method.startswith("Retraining suite (b_ladder)")


def test_montecarlo_row_is_seeded() -> None:
    a = reconcile.montecarlo_estimates(draws=2000, seed=3, groups=("compute",))[0]
    b = reconcile.montecarlo_estimates(draws=2000, seed=3, groups=("compute",))[0]
    assert a.rate == b.rate
    years = decimal_year(reconcile.MONTECARLO_WINDOW[1]) - decimal_year(
        reconcile.MONTECARLO_WINDOW[0]
    )
    s = a.summarise(years)
    assert 50 < s["cumulative_gain_median"] < 500  # the published median is ~170x
    assert a.ci_prob == CI_PROB


def test_script_writes_csv(tmp_path, capsys) -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "analyses" / "reconcile.py"
    spec = importlib.util.spec_from_file_location("reconcile_script", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path / "rec.csv"
    absent = tmp_path / "no_ceg.csv"
    rc = mod.main(
        ["--no-fits", "--mc-draws", "1000", "--out", str(out), "--retraining-csv", str(absent),
         "--start", "2013-01-01", "--end", "2020-01-01"]
    )  # fmt: skip
    assert rc == 0 and out.exists()
    t = pd.read_csv(out)
    assert (t["window_start"] == "2013-01-01").all() and (t["window_years"] == 7.0).all()
    assert t["method"].str.contains("Gundlach").any()
    assert t["is_largest"].sum() == 1
    printed = capsys.readouterr().out
    assert "2013-01-01 to 2020-01-01" in printed
