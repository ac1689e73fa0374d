"""Tests for :mod:`algoattr.data.load`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algoattr.data import (
    DATASETS_DIR,
    BenchmarkInfo,
    DataValidationError,
    dataset_checksum,
    load_benchmarks,
    load_evaluations,
    resolve_benchmarks,
    write_evaluations,
)
from algoattr.data.schema import BOOL_COLUMNS, NUMERIC_COLUMNS, all_columns, parse_number
from algoattr.dates import decimal_year
from tests.data.conftest import set_cell

EXPLICIT = ["wikitext-103", "wikitext-2", "imagenet"]  # the fixture root lacks ptb


def test_load_benchmarks(data_root: Path) -> None:
    known = load_benchmarks(data_root)
    assert list(known) == ["wikitext-103", "wikitext-2", "ptb", "imagenet"]
    wt = known["wikitext-103"]
    assert isinstance(wt, BenchmarkInfo)
    assert (wt.task, wt.metric, wt.level, wt.split) == (
        "language_modelling", "perplexity", "word", "test",
    )  # fmt: skip
    assert wt.training_split_size == 103227021
    assert wt.file == (data_root / "lm/wikitext-103.csv").resolve()
    assert known["imagenet"].training_split_size == 1281167
    assert known["imagenet"].metric == "top1_error"
    with pytest.raises(AttributeError):
        wt.id = "x"  # type: ignore[misc]


def test_real_benchmarks_and_aliases() -> None:
    assert resolve_benchmarks("wikitext", DATASETS_DIR) == ["wikitext-103", "wikitext-2"]
    assert resolve_benchmarks("lm") == ["wikitext-103", "wikitext-2", "ptb"]
    assert resolve_benchmarks("ptb") == ["ptb"]
    assert resolve_benchmarks("all") == list(load_benchmarks())


def test_unknown_benchmark_names_known_ids(data_root: Path) -> None:
    with pytest.raises(ValueError, match="unknown benchmark 'wikitext-3'") as info:
        resolve_benchmarks("wikitext-3", data_root)
    for name in ("wikitext-103", "wikitext-2", "ptb", "imagenet", "wikitext", "lm"):
        assert name in str(info.value)
    with pytest.raises(ValueError, match="known ids"):
        load_evaluations("cifar10", root=data_root)


def test_load_types_and_derived_columns(data_root: Path) -> None:
    df = load_evaluations(EXPLICIT, root=data_root)
    assert len(df) == 6
    assert list(df.columns) == [*all_columns(), "year", "source_file", "source_line"]
    assert list(df["benchmark"]) == ["wikitext-103"] * 3 + ["wikitext-2"] + ["imagenet"] * 2
    for col in NUMERIC_COLUMNS:
        assert df[col].dtype == np.float64, col
    for col in BOOL_COLUMNS:
        assert df[col].dtype == bool, col
    assert pd.api.types.is_datetime64_any_dtype(df["publication_date"])
    assert df["source_line"].dtype == np.int64
    # LM-only flags are False on ImageNet rows; IMG-only numbers are missing on LM rows
    img = df[df["benchmark"] == "imagenet"]
    lm = df[df["benchmark"] != "imagenet"]
    assert not img["zero_shot"].any() and not img["cache"].any()
    assert img["training_tokens"].isna().all() and lm["training_images"].isna().all()
    assert lm["top5_error"].isna().all()
    assert img["top5_error"].tolist() == [18.2, 6.71]
    # text columns: empty cell -> missing
    assert df["eval_source"].isna().all()
    gpt3 = df.iloc[2]
    assert gpt3["parameters"] == 1.75e11 and bool(gpt3["zero_shot"])
    assert gpt3["notes"] == "Test fixture row\nspanning two lines."
    # provenance: relative file and 1-based line (header = 1); the multi-line row starts on 4
    assert df["source_file"].tolist()[:4] == ["lm/wikitext-103.csv"] * 3 + ["lm/wikitext-2.csv"]
    assert df["source_line"].tolist() == [2, 3, 4, 2, 2, 3]


def test_decimal_year(data_root: Path) -> None:
    df = load_evaluations("wikitext-103", root=data_root)
    # 2019-01-09: day 9 of 365 -> 2019 + 8/365; 2017-08-07: day 219 -> 2017 + 218/365
    assert df["year"].tolist()[:2] == pytest.approx([2019 + 8 / 365, 2017 + 218 / 365], abs=1e-12)
    # leap year: 2020-05-28 is day 149 of 366
    assert df["year"].iloc[2] == pytest.approx(2020 + 148 / 366, abs=1e-12)
    set_cell(data_root / "lm/wikitext-103.csv", 0, "publication_date", "2019-01-01")
    df = load_evaluations("wikitext-103", root=data_root)
    assert df["year"].iloc[0] == 2019.0


def test_round_trip(data_root: Path, tmp_path: Path) -> None:
    first = load_evaluations(EXPLICIT, root=data_root)
    copy = tmp_path / "copy"
    shutil.copytree(data_root, copy)
    for bid, task in [
        ("wikitext-103", "language_modelling"),
        ("wikitext-2", "language_modelling"),
        ("imagenet", "image_classification"),
    ]:
        rows = first[first["benchmark"] == bid]
        write_evaluations(rows, copy / load_benchmarks(copy)[bid].file.relative_to(copy), task)
    second = load_evaluations(EXPLICIT, root=copy)
    pd.testing.assert_frame_equal(first, second)


def test_validation_error_raised(data_root: Path) -> None:
    set_cell(data_root / "imagenet/imagenet.csv", 1, "value", "122.85")
    with pytest.raises(DataValidationError) as info:
        load_evaluations("imagenet", root=data_root)
    assert "imagenet/imagenet.csv:3: value=122.85" in str(info.value)
    assert "[top1_range]" in str(info.value)
    assert [i.rule for i in info.value.issues if i.severity == "error"] == ["top1_range"]
    # warnings don't raise; validate=False loads unparseable cells as missing
    df = load_evaluations("imagenet", root=data_root, validate=False)
    assert df["value"].tolist() == [40.7, 122.85]
    set_cell(data_root / "imagenet/imagenet.csv", 1, "value", "n/a")
    df = load_evaluations("imagenet", root=data_root, validate=False)
    assert np.isnan(df["value"].iloc[1])


def test_warnings_do_not_raise(data_root: Path) -> None:
    set_cell(data_root / "lm/wikitext-103.csv", 0, "checked_against", "wikipedia")
    assert len(load_evaluations("wikitext-103", root=data_root)) == 3


def test_missing_files(data_root: Path) -> None:
    with pytest.raises(FileNotFoundError, match="ptb"):
        load_evaluations("lm", root=data_root)
    with pytest.warns(UserWarning, match="ptb"):
        df = load_evaluations(root=data_root)
    assert len(df) == 6


def test_env_var_root(data_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALGOATTR_DATASETS", str(data_root))
    assert len(load_evaluations("imagenet")) == 2


def test_empty_selection_has_all_columns(data_root: Path) -> None:
    for path in (data_root / "lm").glob("*.csv"):
        path.unlink()
    (data_root / "imagenet/imagenet.csv").unlink()
    with pytest.warns(UserWarning):
        df = load_evaluations(root=data_root)
    assert df.empty
    assert {"model", "year", "source_file", "source_line"} <= set(df.columns)


def test_checksum(data_root: Path) -> None:
    full = dataset_checksum(EXPLICIT, root=data_root)
    assert len(full) == 64 and int(full, 16) >= 0
    assert dataset_checksum(EXPLICIT, root=data_root) == full
    assert dataset_checksum(list(reversed(EXPLICIT)), root=data_root) == full  # order-free
    assert dataset_checksum("imagenet", root=data_root) != full
    set_cell(data_root / "lm/wikitext-2.csv", 0, "value", "65.9")
    assert dataset_checksum(EXPLICIT, root=data_root) != full
    before = dataset_checksum("imagenet", root=data_root)
    yaml_path = data_root / "benchmarks.yaml"
    yaml_path.write_text(yaml_path.read_text() + "\n# comment\n")
    assert dataset_checksum("imagenet", root=data_root) != before


def test_shipped_data_loads() -> None:
    present = [b.id for b in load_benchmarks().values() if b.file.is_file()]
    if not present:
        pytest.skip("no data files yet")
    df = load_evaluations(present)
    assert len(df) > 0
    assert df["year"].between(1990, 2100).all()
    assert set(df["benchmark"]) <= set(present)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)))
@settings(max_examples=200, deadline=None)
def test_decimal_year_property(day: dt.date) -> None:
    dates = pd.Series(pd.to_datetime([day]))
    year = decimal_year(dates).iloc[0]
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    assert year == pytest.approx(day.year + (day - start).days / length, abs=1e-12)
    assert day.year <= year < day.year + 1


@given(st.floats(min_value=1e-300, max_value=1e300, allow_nan=False, allow_infinity=False))
def test_parse_number_reads_repr(x: float) -> None:
    assert parse_number(repr(x)) == x
    assert parse_number(f"{x:e}") == pytest.approx(x, rel=1e-6)
