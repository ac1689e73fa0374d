"""What a change to the curated data does to the headline: ``python -m algoattr.diff``.

Compares the datasets of a git ref (the *base*; default: the merge base of ``HEAD`` and
``main``) with those of the working tree (the *head*) and prints

- the rows added, changed (which columns, old → new) and removed in each file, keyed by
  (file, model, benchmark, source), with the ``file:line`` of head rows and whether the fit
  uses each row;
- for each task whose rows changed, the papers' estimator's doubling time of effective compute
  (Ho et al. 2024 for language models, Erdil & Besiroglu 2022 for ImageNet: point, bootstrap
  median and 95% interval) on base and head rows after the same selection, and the change;
- with ``--bayes``, the same for the project's Bayesian model (a short fixed-seed run).

Base files are read with ``git cat-file`` into a temporary directory; the working tree is never
touched. Both sides are selected and fitted with the working tree's code.

Examples
--------
::

    python -m algoattr.diff                         # against the merge base with main
    python -m algoattr.diff --base HEAD~1 --bayes
    python -m algoattr.diff --base origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"
"""

from __future__ import annotations

from algoattr.diff.cli import PROG, build_parser, compare, main
from algoattr.diff.formatting import MAX_CELL, MAX_OPEN_ROWS, Report, format_markdown, format_text
from algoattr.diff.git import (
    DATASETS_PREFIX,
    GitError,
    default_base,
    read_datasets_at,
    repo_root,
    resolve_commit,
)
from algoattr.diff.headline import (
    DEFAULT_N_BOOT,
    ESTIMATOR_NAMES,
    IMAGENET_TASK,
    LM_TASK,
    Headline,
    Selection,
    annotate_selection,
    bayes_headline,
    headline,
    load_rows,
    resolve_rules,
    selections,
)
from algoattr.diff.rows import (
    KEY_COLUMNS,
    Datasets,
    FileChanges,
    RowChange,
    compare_tables,
    row_changes,
)

__all__ = [
    "DATASETS_PREFIX",
    "DEFAULT_N_BOOT",
    "ESTIMATOR_NAMES",
    "IMAGENET_TASK",
    "KEY_COLUMNS",
    "LM_TASK",
    "MAX_CELL",
    "MAX_OPEN_ROWS",
    "PROG",
    "Datasets",
    "FileChanges",
    "GitError",
    "Headline",
    "Report",
    "RowChange",
    "Selection",
    "annotate_selection",
    "bayes_headline",
    "build_parser",
    "compare",
    "compare_tables",
    "default_base",
    "format_markdown",
    "format_text",
    "headline",
    "load_rows",
    "main",
    "read_datasets_at",
    "repo_root",
    "resolve_commit",
    "resolve_rules",
    "row_changes",
    "selections",
]
