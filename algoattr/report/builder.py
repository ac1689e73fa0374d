"""Build the HTML reports from results objects, with a ``manifest.json`` beside each.

Every report is one HTML file that opens offline: the stylesheet is inlined, figures are
inline ``data:`` URIs or inline ``<svg>`` (SVG with text as paths, so no font is needed; the
scatter plots are inline so that each point shows its row on hover), and the one script is
inline too (:func:`sort_script`: click a column header of a row table to sort it).
The only external addresses are citation links. Beside ``<stem>.html`` a
``<stem>.manifest.json`` lists the inputs (paths relative to the manifest's folder, sha256),
the outputs, the software versions and the sampler's diagnostics.

This module gathers the report's names in one place; they live in :mod:`~algoattr.report.html`
(templates, figures), :mod:`~algoattr.report.manifest` (provenance),
:mod:`~algoattr.report.fit_report`, :mod:`~algoattr.report.fit_tables`,
:mod:`~algoattr.report.sections`, :mod:`~algoattr.report.seed_report` and
:mod:`~algoattr.report.index`. What the reports show is computed by :mod:`algoattr.pipeline`.

Sections of a fit report (element ids): ``header``, ``changes`` (when the fit replaced
another in its folder), ``data``, ``fit``, ``attribution``, ``other``, ``caveats``,
``reproduce``. Of the seed-analyses report: ``header``, ``threshold``, ``ceg``,
``montecarlo``, ``reconciliation``, ``retraining``, ``reproduce``.
"""

from __future__ import annotations

from algoattr.pipeline.discovery import (  # noqa: F401 (importable from here)
    PROJECT_ROOT,
    RECONCILIATION_GLOBS,
    find_reconciliation,
    find_retraining,
)
from algoattr.pipeline.discovery import benchmark_files as _benchmark_files  # noqa: F401
from algoattr.pipeline.discovery import ladder_title as _ladder_title  # noqa: F401
from algoattr.pipeline.discovery import load_analysis as _load_analysis  # noqa: F401
from algoattr.pipeline.discovery import relative_posix as _rel  # noqa: F401
from algoattr.report.fit_report import build_fit_report, fit_report_context
from algoattr.report.fit_tables import QUANTITY_LABELS  # noqa: F401
from algoattr.report.html import (  # noqa: F401
    CITATIONS,
    TEMPLATES,
    _environment,
    _safe_figure,
    _write,
    figure,
    render,
    safe_figure,
    sort_script,
)
from algoattr.report.index import build_index
from algoattr.report.manifest import (  # noqa: F401
    VERSIONED,
    _platform,
    sha256_of,
    versions,
    write_manifest,
)
from algoattr.report.seed_report import build_seed_report, seed_report_context
from algoattr.report.tables import fmt_interval, fmt_num, make_table

__all__ = [
    "CITATIONS",
    "PROJECT_ROOT",
    "build_fit_report",
    "build_index",
    "build_seed_report",
    "figure",
    "fit_report_context",
    "fmt_interval",
    "fmt_num",
    "make_table",
    "render",
    "seed_report_context",
    "sort_script",
    "write_manifest",
]
