"""Where a study's inputs are found: benchmark files, scenarios, retraining results, the
reconciliation table and the ``analyses/`` scripts of a source checkout."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "PROJECT_ROOT",
    "RECONCILIATION_GLOBS",
    "benchmark_files",
    "find_reconciliation",
    "find_retraining",
    "ladder_title",
    "load_analysis",
    "relative_posix",
    "retraining_root",
    "scenario_files",
]

#: Project root of a source checkout (datasets/, analyses/ and reports/ live here).
PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: Where the output of ``analyses/reconcile.py`` is looked for (first match wins).
RECONCILIATION_GLOBS = (
    "reconciliation.csv",
    "reconcile.csv",
    "reconcile*.csv",
    "reconciliation*.csv",
)


def relative_posix(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` in POSIX form (never an absolute path)."""
    return Path(os.path.relpath(Path(path).resolve(), Path(base).resolve())).as_posix()


def benchmark_files(benchmarks: Sequence[str], data_root: Path | None) -> list[Path]:
    """The CSV files of ``benchmarks`` and ``benchmarks.yaml`` (empty when unreadable).

    Parameters
    ----------
    benchmarks : sequence of str
        Benchmark ids.
    data_root : pathlib.Path, optional
        Datasets root (default: the shipped datasets).

    Returns
    -------
    list of pathlib.Path
    """
    try:
        from algoattr.data import load_benchmarks

        infos = load_benchmarks(root=data_root)
    except Exception:  # the report can still be built, without the inputs' hashes
        return []
    root = Path(data_root) if data_root else None
    files = [infos[b].file for b in benchmarks if b in infos]
    if root is None and files:
        root = Path(files[0]).parent.parent
    extra = [root / "benchmarks.yaml"] if root else []
    return [*files, *extra]


def scenario_files(data_root: Path | None = None) -> list[Path]:
    """The Monte Carlo scenarios, ``datasets/scenarios/*.yaml``, sorted."""
    root = Path(data_root) if data_root else PROJECT_ROOT / "datasets"
    return sorted((root / "scenarios").glob("*.yaml"))


def retraining_root(root: Path | None = None) -> Path:
    """The retraining suite's results folder (default ``datasets/retraining``)."""
    return Path(root) if root else PROJECT_ROOT / "datasets" / "retraining"


def find_retraining(root: Path | None = None) -> list[Path]:
    """Result CSVs of the retraining suite under ``datasets/retraining/`` (may be empty)."""
    root = retraining_root(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*.csv") if p.is_file())


def ladder_title(folder: Path) -> str:
    """The first ``# `` heading of a ladder folder's README.md, else the folder's name."""
    readme = folder / "README.md"
    if readme.is_file():
        for line in readme.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return folder.name


def find_reconciliation(out_dir: Path | None = None) -> Path | None:
    """The reconciliation table written by ``analyses/reconcile.py``, if any.

    Looked for as :data:`RECONCILIATION_GLOBS` in ``out_dir``, ``reports/``, ``analyses/`` and
    ``analyses/output/``.
    """
    folders = [
        *([Path(out_dir)] if out_dir else []),
        PROJECT_ROOT / "reports",
        PROJECT_ROOT / "analyses",
        PROJECT_ROOT / "analyses" / "output",
    ]
    for folder in folders:
        for pattern in RECONCILIATION_GLOBS:
            hits = sorted(folder.glob(pattern)) if folder.is_dir() else []
            if hits:
                return hits[0]
    return None


def load_analysis(name: str) -> Any:
    """Import ``analyses/<name>.py`` of a source checkout (None when absent)."""
    import importlib.util

    path = PROJECT_ROOT / "analyses" / f"{name}.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"_algoattr_analyses_{name}", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
