"""Tests for :mod:`algoattr.data.validate` and the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from algoattr.data import DATASETS_DIR, RULES, ValidationIssue, load_benchmarks, validate_files
from algoattr.data.__main__ import main
from tests.data.conftest import read_rows, set_cell, write_rows

LM = "lm/wikitext-103.csv"
IMG = "imagenet/imagenet.csv"

# (file, data row, column, new value, expected rule, severity)
BAD_CELLS = [
    (LM, 0, "model", "", "required", "error"),
    (LM, 0, "source", "", "source_missing", "error"),
    (LM, 0, "value", "18,3", "number", "error"),
    (LM, 0, "value", "0.93", "ppl_gt_1", "error"),
    (LM, 0, "publication_date", "2019-02-30", "date_format", "error"),
    (LM, 0, "publication_date", "09/01/2019", "date_format", "error"),
    (LM, 0, "publication_date", "1985-06-01", "date_range", "error"),
    (LM, 0, "publication_date", "2999-01-01", "date_range", "error"),
    (LM, 0, "benchmark", "wikitext-5", "benchmark_unknown", "error"),
    (LM, 0, "benchmark", "ptb", "benchmark_file", "error"),
    (LM, 0, "metric", "top1_error", "metric_benchmark", "error"),
    (IMG, 0, "value", "140", "top1_range", "error"),
    (IMG, 0, "value", "0", "top1_range", "error"),
    (IMG, 0, "top5_error", "100", "top5_range", "error"),
    (IMG, 1, "top5_error", "30", "top5_gt_top1", "error"),
    (LM, 0, "parameters", "-257000000", "positive", "error"),
    (LM, 1, "epochs", "0", "positive", "error"),
    (LM, 1, "training_compute_flop", "0", "positive", "error"),
    (IMG, 0, "training_images", "-1", "positive", "error"),
    (LM, 0, "extra_data", "yes", "boolean", "error"),
    (LM, 0, "cache", "True", "boolean", "error"),
    (LM, 0, "architecture_class", "vit", "arch_class", "error"),
    (IMG, 0, "architecture_class", "lstm", "arch_class", "error"),
    (LM, 0, "confidence", "certain", "confidence", "error"),
    (LM, 0, "perplexity_level", "bpe", "perplexity_level", "error"),
    (LM, 1, "compute_source", "guess", "compute_source", "error"),
    (LM, 1, "compute_source", "", "compute_source_missing", "error"),
    (LM, 0, "compute_source", "reported", "compute_source_unexpected", "error"),
    (LM, 0, "paper_id", "Dai2019", "paper_id_format", "error"),
    (LM, 0, "paper_id", "1901.02860 v2", "paper_id_format", "error"),
    (LM, 0, "parameters", "257", "unit_slip_params", "error"),
    (LM, 0, "training_tokens", "103.2", "unit_slip_data", "error"),
    (IMG, 0, "training_images", "1.28", "unit_slip_data", "error"),
    (LM, 0, "parameters_estimated", "", "required", "error"),
    (LM, 1, "training_compute_flop", "9.35e21", "compute_6nd", "warning"),
    (LM, 1, "training_compute_flop", "3640", "compute_range", "warning"),
    (LM, 0, "checked_against", "pwc;wikipedia", "checked_against_unknown", "warning"),
    (LM, 0, "zero_shot", "true", "zero_shot_extra_data", "warning"),
    (LM, 0, "publication_date", "2018-01-09", "arxiv_date", "warning"),
    (IMG, 0, "protocol", "fine_tuned", "protocol", "error"),
    (IMG, 0, "protocol", "", "required", "error"),
    (IMG, 0, "protocol", "zero_shot", "zero_shot_extra_data", "warning"),
]


def _only(issues: list[ValidationIssue], rule: str) -> ValidationIssue:
    matching = [i for i in issues if i.rule == rule]
    assert len(matching) == 1, (rule, [str(i) for i in issues])
    return matching[0]


def test_fixture_root_is_valid(data_root: Path) -> None:
    issues = validate_files(root=data_root)
    assert [i.rule for i in issues] == ["file_missing"]  # lm/ptb.csv is absent on purpose
    assert issues[0].severity == "warning"
    assert issues[0].file == "lm/ptb.csv"


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "rule", "severity"),
    BAD_CELLS,
    ids=[f"{c[4]}-{c[2]}={c[3]!r}" for c in BAD_CELLS],
)
def test_bad_cell_is_reported(
    data_root: Path, file: str, row: int, column: str, value: str, rule: str, severity: str
) -> None:
    line = set_cell(data_root / file, row, column, value)
    issues = validate_files(root=data_root)
    issue = _only(issues, rule)
    assert rule in RULES
    assert issue.severity == severity
    assert (issue.file, issue.line, issue.column) == (file, line, column)
    assert issue.value == value
    text = str(issue)
    assert text.startswith(f"{file}:{line}: {column}=")
    assert text.endswith(f"[{rule}]")
    # a mutated cell yields exactly one error (and nothing else changes)
    others = [i for i in issues if i is not issue and i.rule != "file_missing"]
    assert others == [], [str(i) for i in others]


def test_every_error_rule_is_exercised() -> None:
    exercised = {c[4] for c in BAD_CELLS}
    per_value = {
        "required", "source_missing", "number", "ppl_gt_1", "date_format", "date_range",
        "benchmark_unknown", "benchmark_file", "metric_benchmark", "top1_range", "top5_range",
        "top5_gt_top1", "positive", "boolean", "arch_class", "confidence", "compute_source",
        "compute_source_missing", "perplexity_level", "paper_id_format", "unit_slip_params",
        "unit_slip_data",
    }  # fmt: skip
    assert per_value <= exercised
    assert len(exercised) >= 14


def test_duplicate_row_names_both_lines(data_root: Path) -> None:
    path = data_root / LM
    rows = read_rows(path)
    write_rows(path, [*rows, rows[1]])
    issue = _only(validate_files(root=data_root), "duplicate_row")
    assert issue.severity == "error"
    assert (issue.file, issue.line, issue.column) == (LM, 6, "model")  # row 3 spans lines 4-5
    assert f"{LM}:2" in issue.message and f"{LM}:6" in issue.message


def test_paper_date_conflict_across_files(data_root: Path) -> None:
    set_cell(data_root / "lm/wikitext-2.csv", 0, "publication_date", "2017-08-30")
    issue = _only(validate_files(root=data_root), "paper_date")
    assert issue.severity == "warning"
    assert issue.file == "lm/wikitext-2.csv" and issue.line == 2
    assert f"{LM}:3" in issue.message and "2017-08-07" in issue.message


def test_unknown_and_missing_columns(data_root: Path) -> None:
    path = data_root / IMG
    rows = read_rows(path)
    header = rows[0]
    header[header.index("confidence")] = "dynamic_eval"  # an LM-only column; drops confidence
    write_rows(path, rows)
    issues = validate_files([path], root=data_root)
    unknown = _only(issues, "unknown_column")
    missing = _only(issues, "missing_column")
    assert (unknown.file, unknown.line, unknown.column) == (IMG, 1, "dynamic_eval")
    assert (missing.file, missing.line, missing.column) == (IMG, 1, "confidence")
    assert str(missing).startswith(f"{IMG}:1: confidence=")


def test_missing_optional_column_is_a_warning(data_root: Path) -> None:
    path = data_root / "lm/wikitext-2.csv"
    rows = [r[:-1] for r in read_rows(path)]  # drop `notes`
    write_rows(path, rows)
    issue = _only(validate_files([path], root=data_root), "missing_optional_column")
    assert issue.severity == "warning" and issue.column == "notes"


def test_field_count(data_root: Path) -> None:
    path = data_root / "lm/wikitext-2.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"arXiv:1708.02182, Table 2"', "arXiv:1708.02182, Table 2"))
    issue = _only(validate_files([path], root=data_root), "field_count")
    assert (issue.file, issue.line) == ("lm/wikitext-2.csv", 2)
    assert "fields" in str(issue)


def test_named_missing_file_is_an_error(data_root: Path) -> None:
    issues = validate_files([data_root / "lm/ptb.csv"], root=data_root)
    assert [(i.rule, i.severity) for i in issues] == [("file_missing", "error")]


def test_file_not_in_yaml_checked_by_its_rows(data_root: Path, tmp_path: Path) -> None:
    other = tmp_path / "extra.csv"
    rows = read_rows(data_root / "lm/wikitext-2.csv")
    rows[1][rows[0].index("value")] = "0.5"
    write_rows(other, rows)
    issues = validate_files([other], root=data_root)
    rules = {i.rule for i in issues}
    assert rules == {"file_unknown", "ppl_gt_1"}
    assert _only(issues, "ppl_gt_1").file == str(other)


def test_validation_never_rewrites(data_root: Path) -> None:
    path = data_root / LM
    set_cell(path, 0, "value", "-3")
    before = path.read_bytes()
    assert validate_files(root=data_root)
    assert path.read_bytes() == before


def test_issue_str_format() -> None:
    issue = ValidationIssue("lm/ptb.csv", 7, "value", "0.5", "ppl_gt_1", "perplexity must be > 1")
    assert str(issue) == "lm/ptb.csv:7: value=0.5: perplexity must be > 1 [ppl_gt_1]"
    assert issue.severity == "error"
    empty = ValidationIssue("a.csv", 3, "model", "", "required", "model is required")
    assert str(empty) == "a.csv:3: model='': model is required [required]"
    whole = ValidationIssue("a.csv", None, None, None, "empty_file", "no header", "error")
    assert str(whole) == "a.csv: no header [empty_file]"


def test_shipped_data_validates() -> None:
    """Every data file that exists in the repository passes validation (warnings allowed)."""
    present = [b.file for b in load_benchmarks(DATASETS_DIR).values() if b.file.is_file()]
    if not present:
        pytest.skip("no data files yet")
    errors = [i for i in validate_files(present, root=DATASETS_DIR) if i.severity == "error"]
    assert errors == [], "\n".join(str(i) for i in errors)


# ---------------------------------------------------------------------------- command line


def test_cli_valid_exit_0(data_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--root", str(data_root)]) == 0
    out = capsys.readouterr().out
    assert "skipped lm/ptb.csv" in out
    assert "wikitext-103" in out and "imagenet" in out
    assert "distinct papers: 5" in out
    assert "OK: 6 rows valid" in out


def test_cli_invalid_exit_1(data_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data_root / LM, 0, "value", "0.5")
    set_cell(data_root / IMG, 1, "confidence", "sure")
    assert main(["validate", "--root", str(data_root)]) == 1
    out = capsys.readouterr().out
    assert "wikitext-103.csv:2: value=0.5:" in out and "[ppl_gt_1]" in out
    assert "imagenet.csv:3: confidence=sure:" in out
    assert "2 error(s)" in out


def test_cli_named_file(data_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(data_root / IMG), "--root", str(data_root)]) == 0
    assert "2 rows in 1 file(s)" in capsys.readouterr().out


def test_cli_summary_alias(data_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--root", str(data_root)]) == 0
    assert "rows per architecture_class" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [[], ["frobnicate"], ["validate", "--bogus"], ["validate", "no/such/file.csv"]],
)
def test_cli_usage_errors_exit_2(argv: list[str], data_root: Path) -> None:
    assert main([*argv, "--root", str(data_root)] if argv else argv) == 2


def test_cli_bad_root_exit_2(tmp_path: Path) -> None:
    assert main(["validate", "--root", str(tmp_path)]) == 2


def test_cli_subprocess(data_root: Path) -> None:
    set_cell(data_root / LM, 0, "parameters", "257")
    proc = subprocess.run(
        [sys.executable, "-m", "algoattr.data", "validate", "--root", str(data_root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "[unit_slip_params]" in proc.stdout


def test_cli_summary_with_errors_exit_1(
    data_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(data_root / LM, 0, "value", "0.5")
    assert main(["summary", "--root", str(data_root)]) == 1
    out = capsys.readouterr().out
    assert "[ppl_gt_1]" in out and "rows per benchmark" in out


def test_rules_documented_in_readme() -> None:
    readme = (Path(__file__).parents[2] / "datasets" / "README.md").read_text(encoding="utf-8")
    undocumented = [r for r in RULES if f"`{r}`" not in readme]
    assert undocumented == []


def test_summary_previews_what_the_default_fit_keeps(data_root, capsys):
    """A contributor sees whether a row will enter the fits, and why not."""
    from algoattr.data.__main__ import main

    assert main(["validate", "--root", str(data_root)]) == 0
    out = capsys.readouterr().out
    assert "default fit rules, language models:" in out
    # The fixture's zero-shot row is excluded by the default rules, with its reason.
    assert "zero-shot (not trained on the benchmark)" in out
