"""Column schema of the evaluation tables and the per-value checks (pandera).

The column definitions mirror ``datasets/README.md``, which is the single source of truth for
their meaning. This module turns them into machine-checkable form:

* :data:`COMMON_COLUMNS`, :data:`LM_COLUMNS`, :data:`IMG_COLUMNS` -- which columns each table has,
  whether a value is required, and its kind (text, number, date, bool, id);
* the allowed identifier sets (:data:`ARCHITECTURE_CLASSES`, :data:`CONFIDENCE_LEVELS`,
  :data:`COMPUTE_SOURCES`, :data:`COMPILATIONS`, :data:`IMAGENET_PROTOCOLS`);
* :func:`build_schema`, a :class:`pandera.pandas.DataFrameSchema` that checks every cell of a
  table read as text. Each check's ``name`` is a stable rule id; :data:`RULES` maps every rule id
  (including the header and cross-row rules implemented in :mod:`algoattr.data.validate`) to a
  one-line description.

Checks are written so that each bad cell produces one issue: an empty optional cell passes every
check, and a range check passes a value that does not parse (the ``number`` check reports it).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import pandera.pandas as pa

__all__ = [
    "ARCHITECTURE_CLASSES",
    "BOOL_COLUMNS",
    "COMMON_COLUMNS",
    "COMPILATIONS",
    "COMPUTE_RATIO_TOLERANCE",
    "COMPUTE_SOURCES",
    "CONFIDENCE_LEVELS",
    "DATE_COLUMNS",
    "IMAGENET_PROTOCOLS",
    "IMG_COLUMNS",
    "IMG_TASK",
    "LISTING_COMPILATIONS",
    "LM_COLUMNS",
    "LM_TASK",
    "MIN_DATE",
    "MIN_PARAMETERS",
    "MIN_TRAINING_SIZE",
    "NUMERIC_COLUMNS",
    "PAPER_ID_PATTERN",
    "PERPLEXITY_LEVELS",
    "RULES",
    "TASK_METRICS",
    "WARNING_RULES",
    "ColumnSpec",
    "DataValidationError",
    "ValidationIssue",
    "all_columns",
    "build_schema",
    "columns_for_task",
    "parse_bool",
    "parse_date",
    "parse_number",
]

LM_TASK = "language_modelling"
IMG_TASK = "image_classification"

#: Metric id of each task.
TASK_METRICS: dict[str, str] = {LM_TASK: "perplexity", IMG_TASK: "top1_error"}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an evaluation table.

    Attributes
    ----------
    name : str
        Column name in the CSV header.
    kind : {"text", "id", "number", "date", "bool"}
        How the cell is parsed.
    required : bool
        Whether every row must have a value.
    description : str
        Short meaning (the full definition is in ``datasets/README.md``).
    """

    name: str
    kind: str
    required: bool
    description: str


COMMON_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("model", "text", True, "display name of the evaluated system"),
    ColumnSpec("paper_id", "id", True, "id of the introducing paper (arXiv id without version)"),
    ColumnSpec("benchmark", "id", True, "benchmark id from benchmarks.yaml"),
    ColumnSpec("metric", "id", True, "perplexity or top1_error"),
    ColumnSpec("value", "number", True, "metric value"),
    ColumnSpec("publication_date", "date", True, "first public version of the paper"),
    ColumnSpec("parameters", "number", False, "total trainable parameters"),
    ColumnSpec("parameters_estimated", "bool", True, "parameters computed, not reported"),
)
LM_COLUMNS: tuple[ColumnSpec, ...] = (
    *COMMON_COLUMNS,
    ColumnSpec("training_tokens", "number", False, "training set size in tokens (words)"),
    ColumnSpec("epochs", "number", False, "passes over the training set"),
    ColumnSpec("training_compute_flop", "number", False, "total training compute (FLOP)"),
    ColumnSpec("compute_source", "id", False, "how training_compute_flop was obtained"),
    ColumnSpec("architecture", "text", True, "architecture as the paper describes it"),
    ColumnSpec("architecture_class", "id", True, "normalised architecture class"),
    ColumnSpec("extra_data", "bool", True, "trained on data beyond the benchmark's train split"),
    ColumnSpec("zero_shot", "bool", True, "evaluated without training on the benchmark"),
    ColumnSpec("dynamic_eval", "bool", True, "dynamic evaluation"),
    ColumnSpec("cache", "bool", True, "cache / pointer / kNN / retrieval at test time"),
    ColumnSpec("perplexity_level", "id", False, "word (empty) or token: perplexity per what"),
    ColumnSpec("source", "text", True, "primary citation of the figure, with table"),
    ColumnSpec("eval_source", "text", False, "later paper the evaluation comes from"),
    ColumnSpec("checked_against", "text", False, "';'-separated compilations cross-checked"),
    ColumnSpec("compilations", "text", False, "';'-separated compilations the row appears in"),
    ColumnSpec("evaluation_date", "date", False, "first publication of this figure, if later"),
    ColumnSpec("ho2024_system", "text", False, "the row's system name in Ho et al.'s sample"),
    ColumnSpec("ho2024_differs", "text", False, "which of Ho et al.'s inputs differ, and why"),
    ColumnSpec("confidence", "id", True, "high, medium or low"),
    ColumnSpec("notes", "text", False, "anything a reviewer should know"),
)
IMG_COLUMNS: tuple[ColumnSpec, ...] = (
    *COMMON_COLUMNS,
    ColumnSpec("training_images", "number", False, "training set size in images"),
    ColumnSpec("epochs", "number", False, "passes over the training set"),
    ColumnSpec("training_compute_flop", "number", False, "total training compute (FLOP)"),
    ColumnSpec("compute_source", "id", False, "how training_compute_flop was obtained"),
    ColumnSpec("architecture", "text", True, "architecture as the paper describes it"),
    ColumnSpec("architecture_class", "id", True, "normalised architecture class"),
    ColumnSpec("extra_data", "bool", True, "pretrained beyond ImageNet-1k"),
    ColumnSpec("protocol", "id", True, "end_to_end, linear_probe (frozen features) or zero_shot"),
    ColumnSpec("top5_error", "number", False, "top-5 error, percent"),
    ColumnSpec("source", "text", True, "primary citation of the figure, with table"),
    ColumnSpec("eval_source", "text", False, "later paper the evaluation comes from"),
    ColumnSpec("checked_against", "text", False, "';'-separated compilations cross-checked"),
    ColumnSpec("compilations", "text", False, "';'-separated compilations the row appears in"),
    ColumnSpec("evaluation_date", "date", False, "first publication of this figure, if later"),
    ColumnSpec("confidence", "id", True, "high, medium or low"),
    ColumnSpec("notes", "text", False, "anything a reviewer should know"),
)

ARCHITECTURE_CLASSES: dict[str, frozenset[str]] = {
    LM_TASK: frozenset(
        {"ngram", "feedforward", "rnn", "lstm", "cnn", "transformer", "ssm", "other"}
    ),
    IMG_TASK: frozenset({"cnn", "vit", "hybrid", "mlp", "other"}),
}
CONFIDENCE_LEVELS: frozenset[str] = frozenset({"high", "medium", "low"})
#: How an ImageNet classifier was obtained: every weight trained with ImageNet-1k labels (from
#: scratch or fine-tuned after pretraining), a linear classifier on frozen features, or no
#: ImageNet training at all (e.g. CLIP's zero-shot prompts).
IMAGENET_PROTOCOLS: frozenset[str] = frozenset({"end_to_end", "linear_probe", "zero_shot"})
#: What a language model's perplexity is per: a word of the benchmark's own tokenisation
#: (``word``, the benchmarks' definition; an empty cell means ``word``), or a token of the
#: model's own (sub-word) tokenizer (``token``), as quantisation and pruning papers report for
#: pretrained LLMs. The two are not on one scale: a sub-word perplexity is lower.
PERPLEXITY_LEVELS: frozenset[str] = frozenset({"word", "token"})
COMPUTE_SOURCES: frozenset[str] = frozenset(
    {"reported", "6ND", "flops_per_example", "hardware_time", "compilation"}
)
COMPILATIONS: frozenset[str] = frozenset(
    {"ho2024", "epoch_db", "pwc", "nlp_progress", "eff_ai_metrics", "erdil2022", "paper"}
)
#: Compilations a row can be listed in (``compilations`` column): every id of
#: :data:`COMPILATIONS` except ``paper``, which is not a compilation.
LISTING_COMPILATIONS: frozenset[str] = COMPILATIONS - {"paper"}
PAPER_ID_PATTERN = re.compile(r"^[a-z0-9._-]+$")
MIN_DATE = _dt.date(1990, 1, 1)
#: Below this many parameters a value was probably given in millions (or thousands).
MIN_PARAMETERS = 1e4
#: Below this many tokens / images a training-set size was probably given in millions.
MIN_TRAINING_SIZE = 1e3
#: Reported compute further than this factor from 6·N·D·epochs is flagged (warning).
COMPUTE_RATIO_TOLERANCE = 100.0
#: Plausible range of total training compute (FLOP); outside it is flagged (warning).
COMPUTE_RANGE = (1e12, 1e28)

NUMERIC_COLUMNS: tuple[str, ...] = (
    "value",
    "parameters",
    "training_tokens",
    "training_images",
    "epochs",
    "training_compute_flop",
    "top5_error",
)
BOOL_COLUMNS: tuple[str, ...] = (
    "parameters_estimated",
    "extra_data",
    "zero_shot",
    "dynamic_eval",
    "cache",
)
DATE_COLUMNS: tuple[str, ...] = ("publication_date", "evaluation_date")

#: Every rule id the validator can emit, with a one-line description. Ids are stable: tests,
#: pull-request reviews and ``notes`` may refer to them.
RULES: dict[str, str] = {
    # file / header
    "file_missing": "file listed in benchmarks.yaml or on the command line does not exist",
    "file_unknown": "file is not listed in benchmarks.yaml (benchmark taken from its rows)",
    "empty_file": "file has no header line",
    "unknown_column": "header has a column that is not in the schema for this table",
    "missing_column": "header lacks a column whose value is required",
    "missing_optional_column": "header lacks an optional column (warning)",
    "duplicate_column": "header names a column twice",
    "field_count": "row has a different number of fields than the header",
    "whitespace": "cell has leading or trailing whitespace (warning; stripped)",
    "schema": "unexpected schema-level failure (please report it as a bug)",
    # per value
    "required": "required field is empty",
    "source_missing": "row has no primary citation",
    "number": "not a finite decimal number",
    "date_format": "not a valid ISO date YYYY-MM-DD",
    "date_range": "date outside 1990-01-01..today",
    "benchmark_unknown": "benchmark id not in benchmarks.yaml",
    "benchmark_file": "benchmark does not match the file's benchmark",
    "metric_benchmark": "metric is not the benchmark's metric",
    "ppl_gt_1": "perplexity must be > 1",
    "top1_range": "top-1 error must be in (0, 100) percent",
    "top5_range": "top-5 error must be in (0, 100) percent",
    "top5_gt_top1": "top-5 error larger than top-1 error",
    "positive": "count / size / compute / epochs must be > 0",
    "boolean": "boolean must be written true or false",
    "arch_class": "architecture_class not allowed for this task",
    "confidence": "confidence must be high, medium or low",
    "protocol": "ImageNet protocol must be end_to_end, linear_probe or zero_shot",
    "perplexity_level": "perplexity_level must be word, token or empty (= word)",
    "compute_source": "compute_source not one of the allowed ids",
    "compute_source_missing": "training_compute_flop given without compute_source",
    "compute_source_unexpected": "compute_source given without training_compute_flop",
    "paper_id_format": "paper_id must match [a-z0-9._-]+",
    "unit_slip_params": "parameters < 1e4: probably given in millions",
    "unit_slip_data": "training-set size < 1e3: probably given in millions",
    "checked_against_unknown": "unknown compilation id in checked_against (warning)",
    "compilations_unknown": "unknown compilation id in compilations",
    "evaluation_date_order": "evaluation_date is earlier than publication_date",
    "ho2024_differs_orphan": "ho2024_differs is given but ho2024_system is empty",
    "ho2024_listing": "ho2024_system is given but compilations does not list ho2024 (or back)",
    "zero_shot_extra_data": "zero_shot without extra_data (warning)",
    "arxiv_date": "publication_date not in the month of the arXiv id (warning)",
    "compute_range": "training compute outside 1e12..1e28 FLOP (warning)",
    # cross row
    "duplicate_row": "same (model, benchmark, source) on two rows",
    "compute_6nd": "compute more than 100x from 6*N*D*epochs (warning)",
    "paper_date": "same paper_id with different publication_date (warning)",
}

_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def columns_for_task(task: str) -> tuple[ColumnSpec, ...]:
    """Return the column specs of the table for ``task``.

    Parameters
    ----------
    task : str
        ``"language_modelling"`` or ``"image_classification"``.

    Returns
    -------
    tuple of ColumnSpec
        The columns in canonical order.
    """
    if task == LM_TASK:
        return LM_COLUMNS
    if task == IMG_TASK:
        return IMG_COLUMNS
    raise ValueError(f"unknown task {task!r}; expected {LM_TASK!r} or {IMG_TASK!r}")


def all_columns() -> list[str]:
    """Return the union of LM and ImageNet column names in canonical order.

    Returns
    -------
    list of str
        LM columns in order, then the ImageNet-only columns.
    """
    names = [c.name for c in LM_COLUMNS]
    for spec in IMG_COLUMNS:
        if spec.name not in names:
            names.append(spec.name)
    return names


def parse_number(text: str) -> float | None:
    """Parse a decimal number (scientific notation allowed); ``None`` if it does not parse.

    Parameters
    ----------
    text : str
        Cell text, already stripped.

    Returns
    -------
    float or None
    """
    if not _NUMBER_RE.match(text):
        return None
    value = float(text)
    return value if value == value and abs(value) != float("inf") else None


def parse_date(text: str) -> _dt.date | None:
    """Parse an ISO ``YYYY-MM-DD`` date; ``None`` if malformed or not a calendar date.

    Parameters
    ----------
    text : str
        Cell text, already stripped.

    Returns
    -------
    datetime.date or None
    """
    if not _DATE_RE.match(text):
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_bool(text: str) -> bool | None:
    """Parse ``true`` / ``false`` (lower case only); ``None`` otherwise.

    Parameters
    ----------
    text : str
        Cell text, already stripped.

    Returns
    -------
    bool or None
    """
    return {"true": True, "false": False}.get(text)


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found in a data file.

    Attributes
    ----------
    file : str
        The file, relative to the datasets root when it lies under it (e.g. ``lm/ptb.csv``).
    line : int or None
        1-based line in the file (the header is line 1); ``None`` for file-level issues.
    column : str or None
        The column concerned; ``None`` for row- or file-level issues.
    value : str or None
        The offending cell text as written.
    rule : str
        Stable rule id, a key of :data:`RULES`.
    message : str
        What is wrong and, where useful, how to fix it.
    severity : {"error", "warning"}
        Errors make validation fail; warnings are reported only.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.column is not None:
            value = "" if self.value is None else self.value
            if len(value) > 60:
                value = value[:57] + "..."
            parts.append(
                f"{self.column}={value!r}"
                if value == "" or " " in value
                else f"{self.column}={value}"
            )
        return ": ".join(parts) + f": {self.message} [{self.rule}]"


class DataValidationError(ValueError):
    """Raised when data files fail validation; ``issues`` holds every problem found.

    Parameters
    ----------
    issues : list of ValidationIssue
        The issues (errors and warnings); ``str()`` lists the errors, one per line.
    """

    def __init__(self, issues: list[ValidationIssue]) -> None:
        self.issues = list(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        lines = [f"{len(errors)} data validation error(s):", *(str(i) for i in errors)]
        super().__init__("\n".join(lines))


# --------------------------------------------------------------------------------------------
# pandera checks. Every check receives a Series of stripped strings ("" = empty cell) and
# returns a boolean Series (True = passes).


def _elementwise(fn: Callable[[str], bool]) -> Callable[[pd.Series], pd.Series]:
    def check(series: pd.Series) -> pd.Series:
        return pd.Series([bool(fn(v)) for v in series], index=series.index, dtype=bool)

    return check


def _numeric_predicate(pred: Callable[[float], bool]) -> Callable[[pd.Series], pd.Series]:
    """Element-wise check applied to parseable numbers only; empty/unparseable cells pass."""

    def fn(text: str) -> bool:
        value = parse_number(text) if text else None
        return value is None or pred(value)

    return _elementwise(fn)


def _check(fn: Callable[[pd.Series], pd.Series], rule: str) -> pa.Check:
    return pa.Check(fn, name=rule)


def _column_checks(
    spec: ColumnSpec,
    task: str,
    benchmarks: Mapping[str, object],
    metric_for: Mapping[str, str],
    file_benchmark: str | None,
) -> list[pa.Check]:
    name = spec.name
    checks: list[pa.Check] = []
    if spec.required:
        rule = "source_missing" if name == "source" else "required"
        checks.append(_check(lambda s: s != "", rule))
    if spec.kind == "number":
        checks.append(
            _check(_elementwise(lambda v: v == "" or parse_number(v) is not None), "number")
        )
    elif spec.kind == "bool":
        checks.append(
            _check(_elementwise(lambda v: v == "" or parse_bool(v) is not None), "boolean")
        )
    elif spec.kind == "date":
        checks.append(
            _check(_elementwise(lambda v: v == "" or parse_date(v) is not None), "date_format")
        )

        def in_range(v: str) -> bool:
            d = parse_date(v) if v else None
            return d is None or MIN_DATE <= d <= _dt.date.today()

        checks.append(_check(_elementwise(in_range), "date_range"))

    if name == "value":
        if task == LM_TASK:
            checks.append(_check(_numeric_predicate(lambda x: x > 1), "ppl_gt_1"))
        else:
            checks.append(_check(_numeric_predicate(lambda x: 0 < x < 100), "top1_range"))
    elif name == "top5_error":
        checks.append(_check(_numeric_predicate(lambda x: 0 < x < 100), "top5_range"))
    elif name in ("parameters", "training_tokens", "training_images", "epochs"):
        checks.append(_check(_numeric_predicate(lambda x: x > 0), "positive"))
    elif name == "training_compute_flop":
        checks.append(_check(_numeric_predicate(lambda x: x > 0), "positive"))
        lo, hi = COMPUTE_RANGE
        checks.append(
            _check(_numeric_predicate(lambda x: x <= 0 or lo <= x <= hi), "compute_range")
        )
    if name == "parameters":
        checks.append(
            _check(_numeric_predicate(lambda x: x <= 0 or x >= MIN_PARAMETERS), "unit_slip_params")
        )
    elif name in ("training_tokens", "training_images"):
        checks.append(
            _check(_numeric_predicate(lambda x: x <= 0 or x >= MIN_TRAINING_SIZE), "unit_slip_data")
        )
    elif name == "benchmark":
        known = set(benchmarks)
        checks.append(_check(lambda s: (s == "") | s.isin(known), "benchmark_unknown"))
        if file_benchmark is not None:
            fb = file_benchmark
            checks.append(
                _check(lambda s: (s == "") | ~s.isin(known) | (s == fb), "benchmark_file")
            )
    elif name == "metric":
        allowed = {metric_for[file_benchmark]} if file_benchmark else {TASK_METRICS[task]}
        checks.append(_check(lambda s: (s == "") | s.isin(allowed), "metric_benchmark"))
    elif name == "architecture_class":
        classes = ARCHITECTURE_CLASSES[task]
        checks.append(_check(lambda s: (s == "") | s.isin(classes), "arch_class"))
    elif name == "confidence":
        checks.append(_check(lambda s: (s == "") | s.isin(CONFIDENCE_LEVELS), "confidence"))
    elif name == "protocol":
        checks.append(_check(lambda s: (s == "") | s.isin(IMAGENET_PROTOCOLS), "protocol"))
    elif name == "perplexity_level":
        checks.append(_check(lambda s: (s == "") | s.isin(PERPLEXITY_LEVELS), "perplexity_level"))
    elif name == "compute_source":
        checks.append(_check(lambda s: (s == "") | s.isin(COMPUTE_SOURCES), "compute_source"))
    elif name == "paper_id":
        checks.append(
            _check(
                _elementwise(lambda v: v == "" or bool(PAPER_ID_PATTERN.match(v))),
                "paper_id_format",
            )
        )
    elif name == "checked_against":

        def known_compilations(v: str) -> bool:
            return all(t.strip() in COMPILATIONS for t in v.split(";") if t.strip())

        checks.append(_check(_elementwise(known_compilations), "checked_against_unknown"))
    elif name == "compilations":

        def known_listed(v: str) -> bool:
            return all(t.strip() in LISTING_COMPILATIONS for t in v.split(";") if t.strip())

        checks.append(_check(_elementwise(known_listed), "compilations_unknown"))
    return checks


#: Rules emitted by the pandera schema that are warnings rather than errors.
WARNING_RULES: frozenset[str] = frozenset(
    {
        "missing_optional_column",
        "whitespace",
        "checked_against_unknown",
        "zero_shot_extra_data",
        "arxiv_date",
        "compute_range",
        "compute_6nd",
        "paper_date",
        "file_unknown",
    }
)


def build_schema(
    task: str,
    benchmarks: Mapping[str, object],
    metric_for: Mapping[str, str],
    file_benchmark: str | None = None,
    columns: Iterable[str] | None = None,
) -> pa.DataFrameSchema:
    """Build the per-value pandera schema for one table read as text.

    Parameters
    ----------
    task : str
        Task of the table (decides the column set and value ranges).
    benchmarks : mapping
        Known benchmark ids (keys are used).
    metric_for : mapping of str to str
        Metric id of each benchmark id.
    file_benchmark : str, optional
        The benchmark the file holds, when known from ``benchmarks.yaml``.
    columns : iterable of str, optional
        Restrict the schema to these columns (those present in the header).

    Returns
    -------
    pandera.pandas.DataFrameSchema
        Schema whose checks are named by rule id (see :data:`RULES`). Columns are not required by
        the schema: header problems are reported separately.
    """
    keep = set(columns) if columns is not None else None
    schema_columns = {}
    for spec in columns_for_task(task):
        if keep is not None and spec.name not in keep:
            continue
        schema_columns[spec.name] = pa.Column(
            str,
            checks=_column_checks(spec, task, benchmarks, metric_for, file_benchmark),
            nullable=False,
            required=False,
            coerce=False,
        )
    return pa.DataFrameSchema(schema_columns, strict=False, coerce=False)
