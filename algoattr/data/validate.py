"""Validation of the data files: header, per-value (pandera) and cross-row checks.

Every issue names the file, the 1-based line (header = line 1), the column and the offending
value, plus a stable rule id from :data:`algoattr.data.schema.RULES`. Nothing here rewrites a
file.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandera.pandas as pa

from algoattr.data.load import (
    BenchmarkInfo,
    RawTable,
    _root,
    _task_of,
    load_benchmarks,
    read_raw,
    relative_label,
)
from algoattr.data.schema import (
    ARCHITECTURE_CLASSES,
    COMPILATIONS,
    COMPUTE_RANGE,
    COMPUTE_RATIO_TOLERANCE,
    COMPUTE_SOURCES,
    IMAGENET_PROTOCOLS,
    LM_TASK,
    MIN_DATE,
    PERPLEXITY_LEVELS,
    RULES,
    WARNING_RULES,
    DataValidationError,
    ValidationIssue,
    all_columns,
    build_schema,
    columns_for_task,
    parse_bool,
    parse_date,
    parse_number,
)

__all__ = [
    "DataValidationError",
    "ValidationIssue",
    "errors",
    "raise_on_errors",
    "validate_files",
    "warnings_",
]

_ARXIV_ID = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")


@dataclass
class _Row:
    """Parsed fields of one row, for the cross-column and cross-row checks."""

    file: str
    line: int
    task: str
    cells: dict[str, str]

    def num(self, col: str) -> float | None:
        text = self.cells.get(col, "")
        return parse_number(text) if text else None

    def flag(self, col: str) -> bool | None:
        text = self.cells.get(col, "")
        return parse_bool(text) if text else None


def _issue(
    file: str,
    line: int | None,
    column: str | None,
    value: str | None,
    rule: str,
    message: str,
) -> ValidationIssue:
    severity = "warning" if rule in WARNING_RULES else "error"
    return ValidationIssue(file, line, column, value, rule, message, severity)


def _value_message(
    rule: str,
    column: str,
    value: str,
    task: str,
    file_benchmark: str | None,
    benchmarks: dict[str, BenchmarkInfo],
) -> str:
    """Message for a per-value (pandera) failure."""
    x = parse_number(value) if value else None
    if rule == "required":
        return f"{column} is required but empty"
    if rule == "source_missing":
        return "source is empty: every row needs a primary citation (arXiv id or DOI/URL + table)"
    if rule == "number":
        return "not a number (use '.' as decimal mark, e.g. 1.75e11; no units or separators)"
    if rule == "date_format":
        return "not a valid ISO date YYYY-MM-DD (day 01 plus a note when only the month is known)"
    if rule == "date_range":
        return f"date outside {MIN_DATE.isoformat()}..{_dt.date.today().isoformat()}"
    if rule == "benchmark_unknown":
        return f"unknown benchmark id; known ids: {', '.join(benchmarks)}"
    if rule == "benchmark_file":
        return f"this file holds benchmark {file_benchmark!r}; the row belongs in another file"
    if rule == "metric_benchmark":
        expected = (
            benchmarks[file_benchmark].metric
            if file_benchmark in benchmarks
            else ("perplexity" if task == LM_TASK else "top1_error")
        )
        return f"metric must be {expected!r} for this benchmark"
    if rule == "ppl_gt_1":
        return "perplexity must be > 1 (a loss or bits-per-word instead of perplexity?)"
    if rule == "top1_range":
        return "top-1 error must be a percentage in (0, 100)"
    if rule == "top5_range":
        return "top-5 error must be a percentage in (0, 100)"
    if rule == "positive":
        return f"{column} must be > 0"
    if rule == "boolean":
        return "must be true or false (lower case)"
    if rule == "arch_class":
        allowed = ", ".join(sorted(ARCHITECTURE_CLASSES[task]))
        return f"not an architecture_class for {task}; allowed: {allowed}"
    if rule == "confidence":
        return "confidence must be high, medium or low"
    if rule == "protocol":
        return f"protocol must be one of {', '.join(sorted(IMAGENET_PROTOCOLS))}"
    if rule == "perplexity_level":
        return (
            f"perplexity_level must be one of {', '.join(sorted(PERPLEXITY_LEVELS))} "
            "(empty means word)"
        )
    if rule == "compute_source":
        return f"compute_source must be one of {', '.join(sorted(COMPUTE_SOURCES))}"
    if rule == "paper_id_format":
        return (
            "paper_id must match [a-z0-9._-]+ (arXiv id without version, or e.g. mikolov2010rnnlm)"
        )
    if rule == "unit_slip_params":
        return f"{x:g} parameters is implausibly small: given in millions? write e.g. 2.4e7"
    if rule == "unit_slip_data":
        return f"{column} = {x:g} is implausibly small: given in millions? write e.g. 1.03e8"
    if rule == "compute_range":
        lo, hi = COMPUTE_RANGE
        return f"training compute outside {lo:.0e}..{hi:.0e} FLOP: given in PF-days or GFLOP?"
    if rule == "checked_against_unknown":
        bad = [t.strip() for t in value.split(";") if t.strip() and t.strip() not in COMPILATIONS]
        return (
            f"unknown compilation id(s) {', '.join(bad)}; known: {', '.join(sorted(COMPILATIONS))}"
        )
    return RULES.get(rule, rule)


def _header_issues(raw: RawTable, task: str) -> list[ValidationIssue]:
    specs = columns_for_task(task)
    names = {s.name for s in specs}
    header_line = 1
    issues = []
    for col in raw.header:
        if col not in names:
            other = "LM" if task != LM_TASK else "ImageNet"
            hint = f" (an {other}-only column?)" if col in all_columns() else ""
            issues.append(
                _issue(
                    raw.label,
                    header_line,
                    col,
                    col,
                    "unknown_column",
                    f"unknown column for a {task} table{hint}; see datasets/README.md",
                )
            )
    for spec in specs:
        if spec.name in raw.header:
            continue
        rule = "missing_column" if spec.required else "missing_optional_column"
        issues.append(
            _issue(
                raw.label,
                header_line,
                spec.name,
                None,
                rule,
                f"header lacks {'required' if spec.required else 'optional'} column {spec.name!r}",
            )
        )
    return issues


def _pandera_issues(
    raw: RawTable, task: str, info: BenchmarkInfo | None, benchmarks: dict[str, BenchmarkInfo]
) -> list[ValidationIssue]:
    present = [c for c in raw.frame.columns if c in {s.name for s in columns_for_task(task)}]
    if not present or raw.frame.empty:
        return []
    metric_for = {b.id: b.metric for b in benchmarks.values()}
    fb = info.id if info is not None else None
    schema = build_schema(task, benchmarks, metric_for, fb, columns=present)
    try:
        schema.validate(raw.frame[present], lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    issues = []
    for case in cases.to_dict("records"):
        index = case.get("index")
        column = case.get("column")
        rule = str(case.get("check"))
        if index is None or index != index or column is None:
            # A schema-level failure (should not happen with text columns); report it plainly.
            issues.append(_issue(raw.label, None, column, None, "schema", f"{rule}"))
            continue
        value = raw.frame.at[int(index), column]
        issues.append(
            _issue(
                raw.label,
                raw.lines[int(index)],
                column,
                value,
                rule,
                _value_message(rule, column, value, task, fb, benchmarks),
            )
        )
    return issues


def _row_issues(row: _Row) -> list[ValidationIssue]:
    """Checks that combine several columns of one row."""
    issues = []
    f, ln, c = row.file, row.line, row.cells
    top1, top5 = row.num("value"), row.num("top5_error")
    in_range = top1 is not None and top5 is not None and 0 < top1 < 100 and 0 < top5 < 100
    if row.task != LM_TASK and in_range and top5 > top1:  # type: ignore[operator]
        issues.append(
            _issue(
                f,
                ln,
                "top5_error",
                c["top5_error"],
                "top5_gt_top1",
                f"top-5 error {top5:g} is larger than top-1 error {top1:g} (columns swapped?)",
            )
        )
    compute, source = c.get("training_compute_flop", ""), c.get("compute_source", "")
    if compute and not source and "compute_source" in c:
        issues.append(
            _issue(
                f,
                ln,
                "compute_source",
                source,
                "compute_source_missing",
                "training_compute_flop is given, so compute_source must say how it was "
                f"obtained ({', '.join(sorted(COMPUTE_SOURCES))})",
            )
        )
    if source and not compute:
        issues.append(
            _issue(
                f,
                ln,
                "compute_source",
                source,
                "compute_source_unexpected",
                "compute_source is given but training_compute_flop is empty",
            )
        )
    if row.flag("zero_shot") is True and row.flag("extra_data") is False:
        issues.append(
            _issue(
                f,
                ln,
                "zero_shot",
                c.get("zero_shot"),
                "zero_shot_extra_data",
                "zero_shot is true but extra_data is false; a zero-shot model was trained "
                "on other data, so extra_data should be true",
            )
        )
    if c.get("protocol") == "zero_shot" and row.flag("extra_data") is False:
        issues.append(
            _issue(
                f,
                ln,
                "protocol",
                c.get("protocol"),
                "zero_shot_extra_data",
                "protocol is zero_shot but extra_data is false; a zero-shot classifier was "
                "trained on other data, so extra_data should be true",
            )
        )
    issues.extend(_provenance_issues(row))
    m = _ARXIV_ID.match(c.get("paper_id", ""))
    date = parse_date(c.get("publication_date", "")) if c.get("publication_date") else None
    if m and date is not None and MIN_DATE <= date <= _dt.date.today():
        idx = (2000 + int(m.group(1))) * 12 + int(m.group(2)) - 1
        got = date.year * 12 + date.month - 1
        if abs(got - idx) > 1:
            issues.append(
                _issue(
                    f,
                    ln,
                    "publication_date",
                    c["publication_date"],
                    "arxiv_date",
                    f"arXiv id {c['paper_id']} dates from 20{m.group(1)}-{m.group(2)}; "
                    "publication_date should be the arXiv v1 date",
                )
            )
    if row.task == LM_TASK:
        n, d, e, cf = (
            row.num("parameters"),
            row.num("training_tokens"),
            row.num("epochs"),
            row.num("training_compute_flop"),
        )
        lo, hi = COMPUTE_RANGE
        if all(v is not None and v > 0 for v in (n, d, e, cf)) and lo <= cf <= hi:  # type: ignore[operator]
            expected = 6.0 * n * d * e  # type: ignore[operator]
            ratio = cf / expected  # type: ignore[operator]
            if ratio > COMPUTE_RATIO_TOLERANCE or ratio < 1.0 / COMPUTE_RATIO_TOLERANCE:
                issues.append(
                    _issue(
                        f,
                        ln,
                        "training_compute_flop",
                        compute,
                        "compute_6nd",
                        f"compute is {ratio:.3g}x 6*N*D*epochs = {expected:.3g} FLOP "
                        "(unit slip in parameters, tokens, epochs or compute?)",
                    )
                )
    return issues


def _provenance_issues(row: _Row) -> list[ValidationIssue]:
    """Row rules of the provenance columns: evaluation date order, Ho et al. crosswalk."""
    c, f, ln = row.cells, row.file, row.line
    out: list[ValidationIssue] = []
    pub = parse_date(c.get("publication_date", "")) if c.get("publication_date") else None
    ev = parse_date(c.get("evaluation_date", "")) if c.get("evaluation_date") else None
    if pub is not None and ev is not None and ev < pub:
        out.append(
            _issue(
                f,
                ln,
                "evaluation_date",
                c["evaluation_date"],
                "evaluation_date_order",
                f"evaluation_date {ev} is before publication_date {pub}; a figure cannot be "
                "published before the model",
            )
        )
    system, differs = c.get("ho2024_system", ""), c.get("ho2024_differs", "")
    if differs and not system:
        out.append(
            _issue(
                f,
                ln,
                "ho2024_differs",
                differs,
                "ho2024_differs_orphan",
                "ho2024_differs explains a difference from Ho et al.'s inputs, so ho2024_system "
                "must name the row's system in their sample",
            )
        )
    listed = {t.strip() for t in c.get("compilations", "").split(";") if t.strip()}
    if "ho2024_system" in c and bool(system) != ("ho2024" in listed):
        out.append(
            _issue(
                f,
                ln,
                "compilations",
                c.get("compilations", ""),
                "ho2024_listing",
                "ho2024_system names a system of Ho et al.'s sample exactly when compilations "
                "lists ho2024",
            )
        )
    return out


def _cross_row_issues(rows: list[_Row]) -> list[ValidationIssue]:
    issues = []
    seen: dict[tuple[str, str, str], _Row] = {}
    dates: dict[str, _Row] = {}
    for row in rows:
        key = (
            row.cells.get("model", ""),
            row.cells.get("benchmark", ""),
            row.cells.get("source", ""),
        )
        if all(key):
            first = seen.setdefault(key, row)
            if first is not row:
                issues.append(
                    _issue(
                        row.file,
                        row.line,
                        "model",
                        key[0],
                        "duplicate_row",
                        f"duplicate of {first.file}:{first.line} (same model, benchmark and "
                        f"source); also at {row.file}:{row.line}",
                    )
                )
        pid, date = row.cells.get("paper_id", ""), row.cells.get("publication_date", "")
        if pid and parse_date(date) is not None:
            first = dates.setdefault(pid, row)
            if first.cells["publication_date"] != date:
                issues.append(
                    _issue(
                        row.file,
                        row.line,
                        "publication_date",
                        date,
                        "paper_date",
                        f"paper_id {pid} has publication_date "
                        f"{first.cells['publication_date']} at {first.file}:{first.line}",
                    )
                )
    return issues


def validate_files(
    paths: Sequence[Path | str] | None = None, root: Path | str | None = None
) -> list[ValidationIssue]:
    """Validate data files against the schema; never modifies them.

    Parameters
    ----------
    paths : list of path-like, optional
        Files to check. ``None``: every file listed in ``benchmarks.yaml``; one that does not
        exist yet is reported as a ``file_missing`` *warning*. A named file that does not
        exist is a ``file_missing`` *error*.
    root : path-like, optional
        Datasets directory holding ``benchmarks.yaml``; defaults to :data:`DATASETS_DIR`
        (or ``$ALGOATTR_DATASETS``).

    Returns
    -------
    list of ValidationIssue
        Errors and warnings, ordered by file (in the given order), then line. Cross-row checks
        (duplicates, one date per paper) run over all the given files together.
    """
    base = _root(root)
    benchmarks = load_benchmarks(base)
    by_file = {info.file: info for info in benchmarks.values()}
    explicit = paths is not None
    files = [Path(p) for p in paths] if paths is not None else [b.file for b in benchmarks.values()]
    issues: list[ValidationIssue] = []
    rows: list[_Row] = []
    order: dict[str, int] = {}
    for path in files:
        label = relative_label(path, base)
        order.setdefault(label, len(order))
        if not path.is_file():
            issues.append(
                ValidationIssue(
                    label,
                    None,
                    None,
                    None,
                    "file_missing",
                    "file does not exist" + ("" if explicit else " yet; skipped"),
                    "error" if explicit else "warning",
                )
            )
            continue
        raw = read_raw(path, base)
        issues.extend(raw.issues)
        if not raw.header:
            continue
        info = by_file.get(path.resolve())
        if info is None:
            issues.append(
                _issue(
                    label,
                    None,
                    None,
                    None,
                    "file_unknown",
                    "file is not listed in benchmarks.yaml; benchmark taken from its rows",
                )
            )
        task = _task_of(raw, info, benchmarks)
        issues.extend(_header_issues(raw, task))
        issues.extend(_pandera_issues(raw, task, info, benchmarks))
        for i, line in enumerate(raw.lines):
            row = _Row(
                label, line, task, {c: raw.frame.iat[i, j] for j, c in enumerate(raw.frame.columns)}
            )
            issues.extend(_row_issues(row))
            rows.append(row)
    issues.extend(_cross_row_issues(rows))
    issues.sort(key=lambda i: (order.get(i.file, len(order)), i.line or 0))
    return issues


def errors(issues: Iterable[ValidationIssue]) -> list[ValidationIssue]:
    """Return the issues of severity ``error``.

    Parameters
    ----------
    issues : iterable of ValidationIssue

    Returns
    -------
    list of ValidationIssue
    """
    return [i for i in issues if i.severity == "error"]


def warnings_(issues: Iterable[ValidationIssue]) -> list[ValidationIssue]:
    """Return the issues of severity ``warning``.

    Parameters
    ----------
    issues : iterable of ValidationIssue

    Returns
    -------
    list of ValidationIssue
    """
    return [i for i in issues if i.severity == "warning"]


def raise_on_errors(issues: Sequence[ValidationIssue]) -> None:
    """Raise :class:`DataValidationError` if any issue is an error.

    Parameters
    ----------
    issues : sequence of ValidationIssue

    Raises
    ------
    DataValidationError
        Listing every error.
    """
    if errors(issues):
        raise DataValidationError(list(issues))
