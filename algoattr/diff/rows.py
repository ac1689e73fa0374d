"""The rows added, changed and removed between two copies of the curated tables.

Rows are keyed by (file, model, benchmark, source); :func:`row_changes` compares every table
of two :class:`Datasets` and returns one :class:`FileChanges` per file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from algoattr.data.load import BENCHMARKS_FILE, RawTable, read_raw
from algoattr.data.schema import NUMERIC_COLUMNS, parse_number

#: Columns that identify a row (with its file).
KEY_COLUMNS = ("model", "benchmark", "source")


# --------------------------------------------------------------------------------------
# Row changes
# --------------------------------------------------------------------------------------


@dataclass
class Datasets:
    """The curated tables of one side of the comparison, read as text.

    Attributes
    ----------
    root : pathlib.Path
        Folder holding ``benchmarks.yaml``.
    tables : dict
        Data file (relative to ``root``) → :class:`~algoattr.data.load.RawTable`.
    tasks : dict
        Data file → task (``language_modelling`` or ``image_classification``).
    benchmarks_yaml : bytes
        ``benchmarks.yaml`` as stored.
    """

    root: Path
    tables: dict[str, RawTable]
    tasks: dict[str, str]
    benchmarks_yaml: bytes = b""

    @classmethod
    def read(cls, root: Path | str) -> Datasets:
        """Read ``benchmarks.yaml`` and each data file it lists that exists."""
        root = Path(root)
        text = (root / BENCHMARKS_FILE).read_bytes()
        data = yaml.safe_load(text.decode("utf-8")) or {}
        tables: dict[str, RawTable] = {}
        tasks: dict[str, str] = {}
        for entry in (data.get("benchmarks") or {}).values():
            rel = str(entry.get("file", ""))
            if rel and rel not in tables and (root / rel).is_file():
                tables[rel] = read_raw(root / rel, root)
                tasks[rel] = str(entry.get("task", ""))
        return cls(root=root, tables=tables, tasks=tasks, benchmarks_yaml=text)


@dataclass
class RowChange:
    """One added, removed or changed row.

    Attributes
    ----------
    kind : {"added", "removed", "changed"}
        What happened to the row.
    file : str
        Data file, relative to the datasets root.
    key : tuple of str
        ``(model, benchmark, source)``.
    base_line, head_line : int or None
        1-based line of the row in the base and head file (header = 1).
    cells : list of tuple
        ``(column, old, new)`` for every changed column (``changed`` rows only).
    base_status, head_status : str
        Whether the fit uses the row on each side (filled in by :func:`annotate_selection`).
    """

    kind: str
    file: str
    key: tuple[str, ...]
    base_line: int | None = None
    head_line: int | None = None
    cells: list[tuple[str, str, str]] = field(default_factory=list)
    base_status: str = ""
    head_status: str = ""


@dataclass
class FileChanges:
    """Changes of one data file.

    Attributes
    ----------
    file : str
        Data file, relative to the datasets root.
    task : str
        Task of the file's benchmark.
    status : {"added", "removed", "modified", "unchanged"}
        Whether the file exists on both sides.
    rows : list of RowChange
        Added, changed and removed rows, in head (then base) line order.
    columns_added, columns_removed : list of str
        Header columns only in head, only in base (their cells are not compared).
    """

    file: str
    task: str
    status: str
    rows: list[RowChange] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    def count(self, kind: str) -> int:
        """Number of rows of ``kind`` (``added``, ``changed``, ``removed``)."""
        return sum(r.kind == kind for r in self.rows)

    @property
    def changed(self) -> bool:
        """Whether anything in the file differs."""
        return bool(self.rows or self.columns_added or self.columns_removed) or self.status in (
            "added",
            "removed",
        )


def _keyed(table: RawTable) -> dict[tuple[str, ...], tuple[int, dict[str, str]]]:
    """Rows by key; a repeated key gets a ``#2``, ``#3``, ... suffix on its source."""
    out: dict[tuple[str, ...], tuple[int, dict[str, str]]] = {}
    frame = table.frame
    for i, rec in enumerate(frame.to_dict("records")):
        key = tuple(str(rec.get(c, "")) for c in KEY_COLUMNS)
        n = 1
        while key in out:
            n += 1
            key = (*key[:-1], f"{key[-1]}#{n}")
        out[key] = (table.lines[i], {k: str(v) for k, v in rec.items()})
    return out


def _same_cell(column: str, old: str, new: str) -> bool:
    if old == new:
        return True
    if column in NUMERIC_COLUMNS and old and new:
        try:
            return parse_number(old) == parse_number(new)
        except (TypeError, ValueError):
            return False
    return False


def compare_tables(
    file: str, task: str, base: RawTable | None, head: RawTable | None
) -> FileChanges:
    """Added, changed and removed rows of one file (either side may be missing).

    Rows are matched by ``(model, benchmark, source)``; a base row and a head row that share
    ``(model, benchmark)`` and match nothing else (a re-cited source) are one changed row.
    Cells are compared as text, except that numeric columns compare by value (``1.5e9`` equals
    ``1500000000``). Columns present on one side only are listed, not compared cell by cell.
    """
    status = "modified" if base and head else ("added" if head else "removed")
    b = _keyed(base) if base else {}
    h = _keyed(head) if head else {}
    bcols = list(base.frame.columns) if base else []
    hcols = list(head.frame.columns) if head else []
    common = [c for c in hcols if c in bcols]
    out = FileChanges(file=file, task=task, status=status)
    if base and head:
        out.columns_added = [c for c in hcols if c not in bcols]
        out.columns_removed = [c for c in bcols if c not in hcols]

    def cells(brec: dict[str, str], rec: dict[str, str]) -> list[tuple[str, str, str]]:
        return [
            (c, brec.get(c, ""), rec.get(c, ""))
            for c in common
            if not _same_cell(c, brec.get(c, ""), rec.get(c, ""))
        ]

    # A row whose source alone was re-cited keeps its (model, benchmark): when exactly one
    # unmatched base row and one unmatched head row share them, they are one changed row.
    only_b, only_h = [k for k in b if k not in h], [k for k in h if k not in b]
    pairs: dict[tuple[str, ...], tuple[str, ...]] = {}
    for hk in only_h:
        same_h = [k for k in only_h if k[:2] == hk[:2]]
        same_b = [k for k in only_b if k[:2] == hk[:2]]
        if len(same_h) == 1 and len(same_b) == 1:
            pairs[hk] = same_b[0]
    for key, (line, rec) in h.items():
        bkey = key if key in b else pairs.get(key)
        if bkey is None:
            out.rows.append(RowChange("added", file, key, head_line=line))
            continue
        bline, brec = b[bkey]
        diff = cells(brec, rec)
        if diff:
            out.rows.append(RowChange("changed", file, key, bline, line, diff))
    paired = set(pairs.values())
    for key, (bline, _) in b.items():
        if key not in h and key not in paired:
            out.rows.append(RowChange("removed", file, key, base_line=bline))
    if out.status == "modified" and not out.changed:
        out.status = "unchanged"
    return out


def row_changes(base: Datasets, head: Datasets) -> list[FileChanges]:
    """Row changes of every data file present on either side.

    Parameters
    ----------
    base, head : Datasets
        The two sides.

    Returns
    -------
    list of FileChanges
        One per file, in head order then base-only files.
    """
    files = list(head.tables) + [f for f in base.tables if f not in head.tables]
    return [
        compare_tables(
            f,
            head.tasks.get(f) or base.tasks.get(f, ""),
            base.tables.get(f),
            head.tables.get(f),
        )
        for f in files
    ]
