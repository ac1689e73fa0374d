"""Curated evaluation data: schema, loading and validation.

>>> from algoattr.data import load_evaluations
>>> df = load_evaluations("wikitext")  # doctest: +SKIP

Command line: ``python -m algoattr.data validate [FILES...]`` and
``python -m algoattr.data summary``.
"""

from algoattr.data.evaluations import load_evaluations
from algoattr.data.load import (
    DATASETS_DIR,
    BenchmarkInfo,
    dataset_checksum,
    load_benchmarks,
    resolve_benchmarks,
    write_evaluations,
)
from algoattr.data.schema import RULES, DataValidationError, ValidationIssue
from algoattr.data.validate import validate_files

__all__ = [
    "DATASETS_DIR",
    "RULES",
    "BenchmarkInfo",
    "DataValidationError",
    "ValidationIssue",
    "dataset_checksum",
    "load_benchmarks",
    "load_evaluations",
    "resolve_benchmarks",
    "validate_files",
    "write_evaluations",
]
