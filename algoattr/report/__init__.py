"""Self-contained HTML reports: one file per fit, one for the seed analyses, and an index.

>>> from algoattr.report import build_fit_report  # doctest: +SKIP
>>> build_fit_report(result, Path("reports"), "wikitext")  # doctest: +SKIP

Command line: ``python -m algoattr.report --all`` (see :mod:`algoattr.report.__main__`).
"""

from algoattr.report.builder import (
    build_fit_report,
    build_index,
    build_seed_report,
    fit_report_context,
    seed_report_context,
)

__all__ = [
    "build_fit_report",
    "build_index",
    "build_seed_report",
    "fit_report_context",
    "seed_report_context",
]
