"""Shared fixtures for the ``algoattr.data`` tests: a miniature datasets root in tmp_path."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "datasets"


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    """A writable copy of the fixture datasets root (benchmarks.yaml + small CSVs)."""
    root = tmp_path / "datasets"
    shutil.copytree(FIXTURES, root)
    return root


def read_rows(path: Path) -> list[list[str]]:
    """Rows of a CSV file (header first)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write rows (header first) with the csv module's minimal quoting."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> int:
    """Set one cell of data row ``row`` (0-based); return the line the row is on.

    The fixture rows used with this helper sit on single lines, so data row ``i`` is on line
    ``i + 2`` after the rewrite.
    """
    rows = read_rows(path)
    rows[row + 1][rows[0].index(column)] = value
    write_rows(path, rows)
    return row + 2
