"""Loading benchmarks.yaml and the evaluation tables into typed pandas frames."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from algoattr.data.schema import (
    BOOL_COLUMNS,
    DATE_COLUMNS,
    IMG_COLUMNS,
    IMG_TASK,
    LM_COLUMNS,
    LM_TASK,
    NUMERIC_COLUMNS,
    TASK_METRICS,
    ValidationIssue,
    all_columns,
    parse_bool,
    parse_date,
    parse_number,
)
from algoattr.dates import decimal_year
from algoattr.errors import DataError
from algoattr.inputs import decode_utf8, raise_all, read_yaml, unknown_keys

__all__ = [
    "DATASETS_DIR",
    "DERIVED_COLUMNS",
    "BenchmarkInfo",
    "RawTable",
    "dataset_checksum",
    "load_benchmarks",
    "read_raw",
    "resolve_benchmarks",
    "write_evaluations",
]

#: The datasets directory: ``$ALGOATTR_DATASETS`` if set, else ``<repo root>/datasets``.
DATASETS_DIR: Path = (
    Path(os.environ["ALGOATTR_DATASETS"])
    if os.environ.get("ALGOATTR_DATASETS")
    else Path(__file__).resolve().parents[2] / "datasets"
)

BENCHMARKS_FILE = "benchmarks.yaml"
#: Columns added by :func:`load_evaluations` that are not in the CSV files.
DERIVED_COLUMNS: tuple[str, ...] = ("year", "source_file", "source_line")
#: Columns whose surrounding whitespace is harmless (not reported).
_FREE_TEXT = frozenset({"notes"})


#: Keys of ``benchmarks.yaml``, at the top and in each benchmark's entry.
BENCHMARKS_KEYS = ("benchmarks", "aliases")
BENCHMARK_ENTRY_KEYS = (
    "name",
    "task",
    "metric",
    "level",
    "split",
    "training_split_tokens",
    "training_split_images",
    "file",
    "reference",
    "vocabulary",
    "classes",
)


def _root(root: Path | str | None) -> Path:
    """Datasets root: ``root`` if given, else ``$ALGOATTR_DATASETS`` (read now), else default.

    Raises
    ------
    DataError
        If ``$ALGOATTR_DATASETS`` is used and names no folder.
    """
    if root is not None:
        return Path(root)
    env = os.environ.get("ALGOATTR_DATASETS")
    if env:
        if not Path(env).is_dir():
            raise DataError(
                f"ALGOATTR_DATASETS={env}: no such folder "
                "(point it at a datasets folder, or unset it to use the shipped data)"
            )
        return Path(env)
    return DATASETS_DIR


@dataclass(frozen=True)
class BenchmarkInfo:
    """One benchmark from ``benchmarks.yaml``.

    Attributes
    ----------
    id : str
        Benchmark id (``wikitext-103``, ``imagenet``, ...).
    name : str
        Display name.
    task : str
        ``language_modelling`` or ``image_classification``.
    metric : str
        ``perplexity`` or ``top1_error``.
    level : str
        ``word`` (LM) or ``image``.
    split : str
        Evaluation split (``test``, ``validation``).
    training_split_size : int or None
        Size of the benchmark's own training split, in tokens (LM) or images.
    file : pathlib.Path
        Absolute path of the benchmark's CSV file.
    reference : str
        Citation of the benchmark.
    vocabulary : int or None
        Vocabulary size (LM benchmarks).
    classes : int or None
        Number of classes (classification benchmarks).
    """

    id: str
    name: str
    task: str
    metric: str
    level: str
    split: str
    training_split_size: int | None
    file: Path
    reference: str
    vocabulary: int | None = None
    classes: int | None = None


def _read_yaml(root: Path) -> dict:
    """``benchmarks.yaml`` of ``root``, checked for its shape and for misspelt keys."""
    path = root / BENCHMARKS_FILE
    if not root.is_dir():
        raise DataError(f"{root}: datasets folder does not exist")
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found (datasets root {root})")
    doc = read_yaml(path)
    data = {} if doc.data is None else doc.data
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), dict):
        raise DataError(f"{path}: expected a mapping with a 'benchmarks' key")
    problems = unknown_keys(doc, data, BENCHMARKS_KEYS)
    for bid, entry in data["benchmarks"].items():
        if not isinstance(entry, dict):
            problems.append(
                doc.error(("benchmarks", bid), f"benchmark {bid!r}: expected a mapping")
            )
            continue
        label = f"benchmark {bid!r}"
        problems += unknown_keys(doc, entry, BENCHMARK_ENTRY_KEYS, ("benchmarks", bid), label=label)
    aliases = data.get("aliases")
    if aliases is not None and not (
        isinstance(aliases, dict) and all(isinstance(v, list) for v in aliases.values())
    ):
        problems.append(doc.error(("aliases",), "aliases: expected a mapping of name to ids"))
    elif aliases:
        for name, ids in aliases.items():
            for i, bid in enumerate(ids):
                if bid not in data["benchmarks"]:
                    problems.append(
                        doc.error(
                            ("aliases", name, i), f"alias {name!r}: unknown benchmark {bid!r}"
                        )
                    )
    raise_all(problems)
    return data


def load_benchmarks(root: Path | str | None = None) -> dict[str, BenchmarkInfo]:
    """Read ``benchmarks.yaml``.

    Parameters
    ----------
    root : path-like, optional
        Datasets directory; defaults to :data:`DATASETS_DIR` (or ``$ALGOATTR_DATASETS``).

    Returns
    -------
    dict of str to BenchmarkInfo
        Benchmarks by id, in file order.

    Raises
    ------
    FileNotFoundError
        If ``benchmarks.yaml`` is missing.
    ValueError
        If an entry lacks a required key or has an unknown task / metric.
    """
    base = _root(root)
    data = _read_yaml(base)
    out: dict[str, BenchmarkInfo] = {}
    for bid, entry in data["benchmarks"].items():
        try:
            task = entry["task"]
            metric = entry["metric"]
            size = entry.get("training_split_tokens", entry.get("training_split_images"))
            info = BenchmarkInfo(
                id=str(bid),
                name=str(entry["name"]),
                task=task,
                metric=metric,
                level=str(entry.get("level", "")),
                split=str(entry.get("split", "")),
                training_split_size=None if size is None else int(size),
                file=(base / entry["file"]).resolve(),
                reference=str(entry.get("reference", "")),
                vocabulary=entry.get("vocabulary"),
                classes=entry.get("classes"),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{base / BENCHMARKS_FILE}: benchmark {bid!r} lacks {exc}") from exc
        if task not in TASK_METRICS:
            raise ValueError(f"{base / BENCHMARKS_FILE}: benchmark {bid!r}: unknown task {task!r}")
        if metric != TASK_METRICS[task]:
            raise ValueError(
                f"{base / BENCHMARKS_FILE}: benchmark {bid!r}: metric {metric!r} is not "
                f"{TASK_METRICS[task]!r}"
            )
        out[info.id] = info
    return out


def _aliases(root: Path) -> dict[str, list[str]]:
    aliases = _read_yaml(root).get("aliases") or {}
    return {str(k): [str(x) for x in v] for k, v in aliases.items()}


def resolve_benchmarks(name: str, root: Path | str | None = None) -> list[str]:
    """Turn a benchmark id or alias into benchmark ids.

    Parameters
    ----------
    name : str
        A benchmark id (``ptb``), an alias from ``benchmarks.yaml`` (``wikitext``, ``lm``), or
        ``all`` (every benchmark, unless ``benchmarks.yaml`` defines an alias of that name).
    root : path-like, optional
        Datasets directory.

    Returns
    -------
    list of str
        Benchmark ids, in the order the alias lists them.

    Raises
    ------
    ValueError
        If ``name`` is neither an id nor an alias; the message lists the known ones.
    """
    base = _root(root)
    known = load_benchmarks(base)
    aliases = _aliases(base)
    if name in known:
        return [name]
    if name in aliases:
        return list(aliases[name])
    if name == "all":
        return list(known)
    alias_text = ", ".join(f"{k} ({'+'.join(v)})" for k, v in aliases.items()) or "none"
    raise ValueError(
        f"unknown benchmark {name!r}; known ids: {', '.join(known)}; aliases: {alias_text}"
    )


def _select(benchmarks: Sequence[str] | str | None, base: Path) -> tuple[list[BenchmarkInfo], bool]:
    """Benchmarks selected by ``benchmarks``; flag says whether the selection was explicit."""
    known = load_benchmarks(base)
    if benchmarks is None:
        return list(known.values()), False
    names = [benchmarks] if isinstance(benchmarks, str) else list(benchmarks)
    ids: list[str] = []
    for name in names:
        for bid in resolve_benchmarks(name, base):
            if bid not in ids:
                ids.append(bid)
    return [known[b] for b in ids], True


def _existing(infos: Iterable[BenchmarkInfo], explicit: bool) -> list[BenchmarkInfo]:
    out = []
    for info in infos:
        if info.file.is_file():
            out.append(info)
        elif explicit:
            raise FileNotFoundError(f"data file for benchmark {info.id!r} not found: {info.file}")
        else:
            warnings.warn(
                f"skipping benchmark {info.id!r}: {info.file.name} does not exist yet",
                stacklevel=3,
            )
    return out


def relative_label(path: Path, root: Path) -> str:
    """Return ``path`` relative to ``root`` (POSIX form) if it lies under it, else as given.

    Parameters
    ----------
    path : pathlib.Path
        A file path.
    root : pathlib.Path
        The datasets root.

    Returns
    -------
    str
    """
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


@dataclass
class RawTable:
    """A CSV file read as text, before any type conversion.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    label : str
        How issues name the file (relative to the datasets root where possible).
    header : list of str
        Column names as written (stripped).
    frame : pandas.DataFrame
        One ``str`` column per distinct header name; cells stripped, empty cell = ``""``.
        Rows whose field count differs from the header's are left out (and reported).
    lines : list of int
        1-based line on which each row of ``frame`` starts.
    issues : list of ValidationIssue
        Problems found while reading (field count, duplicate header, whitespace).
    """

    path: Path
    label: str
    header: list[str]
    frame: pd.DataFrame
    lines: list[int]
    issues: list[ValidationIssue] = field(default_factory=list)


def read_raw(path: Path | str, root: Path | str | None = None) -> RawTable:
    """Read a data CSV as text, tracking the line each row starts on.

    Parameters
    ----------
    path : path-like
        The CSV file.
    root : path-like, optional
        Datasets root, used only to label the file in issues.

    Returns
    -------
    RawTable
    """
    path = Path(path)
    label = relative_label(path, _root(root))
    issues: list[ValidationIssue] = []
    try:
        text = decode_utf8(path.read_bytes(), label)  # a byte-order mark is dropped
    except DataError as exc:
        message = str(exc).removeprefix(f"{label}: ")
        issues.append(ValidationIssue(label, None, None, None, "encoding", message))
        return RawTable(path, label, [], pd.DataFrame(dtype="str"), [], issues)
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    prev = 0
    for record in reader:
        start = prev + 1
        prev = reader.line_num
        if not record or all(not c.strip() for c in record):
            continue
        records.append((start, record))
    if not records:
        issues.append(ValidationIssue(label, None, None, None, "empty_file", "file has no header"))
        return RawTable(path, label, [], pd.DataFrame(dtype="str"), [], issues)
    header_line, header_raw = records[0]
    header = [h.strip() for h in header_raw]
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in positions:
            issues.append(
                ValidationIssue(
                    label,
                    header_line,
                    name,
                    name,
                    "duplicate_column",
                    f"column {name!r} appears twice in the header (first kept)",
                )
            )
        else:
            positions[name] = i
    rows: list[list[str]] = []
    lines: list[int] = []
    for line, record in records[1:]:
        if len(record) != len(header):
            issues.append(
                ValidationIssue(
                    label,
                    line,
                    None,
                    None,
                    "field_count",
                    f"row has {len(record)} fields, header has {len(header)} "
                    "(unquoted comma in a cell?); row skipped",
                )
            )
            continue
        cells = []
        for name, i in positions.items():
            cell = record[i]
            stripped = cell.strip()
            if stripped != cell and name not in _FREE_TEXT:
                issues.append(
                    ValidationIssue(
                        label,
                        line,
                        name,
                        cell,
                        "whitespace",
                        "leading or trailing whitespace (ignored)",
                        "warning",
                    )
                )
            cells.append(stripped)
        rows.append(cells)
        lines.append(line)
    frame = pd.DataFrame(rows, columns=list(positions), dtype="str")
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in positions})
    return RawTable(path, label, header, frame, lines, issues)


def _task_of(raw: RawTable, info: BenchmarkInfo | None, known: dict[str, BenchmarkInfo]) -> str:
    """Task of a table: from benchmarks.yaml, else from its header, else from its rows."""
    if info is not None:
        return info.task
    cols = set(raw.header)
    img_only = {c.name for c in IMG_COLUMNS} - {c.name for c in LM_COLUMNS}
    lm_only = {c.name for c in LM_COLUMNS} - {c.name for c in IMG_COLUMNS}
    if cols & img_only and not cols & lm_only:
        return IMG_TASK
    if cols & lm_only and not cols & img_only:
        return LM_TASK
    if "benchmark" in raw.frame:
        for bid in raw.frame["benchmark"]:
            if bid in known:
                return known[bid].task
    return LM_TASK


def _typed(raw: RawTable, base: Path) -> pd.DataFrame:
    """Convert a raw table to typed columns (unparseable cells become missing)."""
    frame = raw.frame
    n = len(frame)
    out: dict[str, pd.Series] = {}
    for col in all_columns():
        cells = frame[col].tolist() if col in frame else [""] * n
        if col in NUMERIC_COLUMNS:
            values = [parse_number(c) if c else None for c in cells]
            out[col] = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
        elif col in BOOL_COLUMNS:
            parsed = [parse_bool(c) if c else (False if col not in frame else None) for c in cells]
            if any(v is None for v in parsed):
                out[col] = pd.Series(parsed, dtype="boolean")
            else:
                out[col] = pd.Series(parsed, dtype=bool)
        elif col in DATE_COLUMNS:
            parsed_dates = [parse_date(c) if c else None for c in cells]
            out[col] = pd.Series(
                pd.to_datetime([d if d is not None else pd.NaT for d in parsed_dates]),
                dtype="datetime64[ns]",
            )
        else:
            out[col] = pd.Series([c if c else None for c in cells], dtype="str")
    typed = pd.DataFrame(out)
    typed["year"] = decimal_year(typed["publication_date"])
    typed["source_file"] = pd.Series([relative_label(raw.path, base)] * n, dtype="str")
    typed["source_line"] = pd.Series(raw.lines, dtype="int64")
    return typed


def _empty_frame() -> pd.DataFrame:
    raw = RawTable(Path("."), "", [], pd.DataFrame(), [])
    return _typed(raw, Path("."))


def write_evaluations(df: pd.DataFrame, path: Path | str, task: str = LM_TASK) -> None:
    """Write a frame from :func:`load_evaluations` back to CSV in the datasets' conventions.

    Derived columns are dropped; booleans are written ``true`` / ``false``, dates ISO, numbers
    with ``repr`` precision, missing values as empty cells.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows of one task.
    path : path-like
        Destination file (overwritten).
    task : str, default "language_modelling"
        Which column set to write.
    """
    columns = [c.name for c in (LM_COLUMNS if task == LM_TASK else IMG_COLUMNS)]
    rows = []
    for rec in df.to_dict("records"):
        row = []
        for col in columns:
            v = rec.get(col)
            if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
                row.append("")
            elif col in BOOL_COLUMNS:
                row.append("true" if bool(v) else "false")
            elif col in DATE_COLUMNS:
                row.append(pd.Timestamp(v).date().isoformat())
            elif col in NUMERIC_COLUMNS:
                x = float(v)
                row.append(str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x))
            else:
                row.append(str(v))
        rows.append(row)
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def dataset_checksum(
    benchmarks: Sequence[str] | str | None = None, root: Path | str | None = None
) -> str:
    """SHA-256 over the selected data files and ``benchmarks.yaml``.

    The digest covers, for each selected file sorted by its path relative to ``root``, the
    relative path, the byte length and the bytes; then ``benchmarks.yaml`` the same way. It
    changes whenever any row, the selection, or the benchmark definitions change.

    Parameters
    ----------
    benchmarks : str or list of str, optional
        As in :func:`load_evaluations` (``None``: every benchmark whose file exists).
    root : path-like, optional
        Datasets directory.

    Returns
    -------
    str
        Hex digest (64 characters).
    """
    base = _root(root)
    infos, explicit = _select(benchmarks, base)
    infos = _existing(infos, explicit)
    files = sorted({relative_label(i.file, base): i.file for i in infos}.items())
    files.append((BENCHMARKS_FILE, base / BENCHMARKS_FILE))
    digest = hashlib.sha256()
    for label, path in files:
        data = path.read_bytes()
        digest.update(label.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0")
        digest.update(data)
    return digest.hexdigest()
