"""Provenance of a report: the ``<stem>.manifest.json`` beside it (inputs and outputs with
sha256, software versions, diagnostics) and the versions and platform a report shows."""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.metadata
import json
import platform
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from algoattr import __version__
from algoattr.pipeline.discovery import relative_posix as _rel

__all__ = ["VERSIONED", "sha256_of", "versions", "write_manifest"]

#: Packages whose versions every manifest and report records.
VERSIONED = (
    "numpy",
    "pandas",
    "scipy",
    "pymc",
    "pytensor",
    "arviz",
    "nutpie",
    "matplotlib",
    "seaborn",
    "jinja2",
)


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _platform() -> str:
    return f"{platform.system()} {platform.machine()}, Python {sys.version.split()[0]}"


def versions() -> dict[str, str]:
    """Versions of Python, algoattr and the packages in :data:`VERSIONED`."""
    out = {"python": platform.python_version(), "algoattr": __version__}
    for name in VERSIONED:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _file_entries(paths: Iterable[Path], base: Path) -> list[dict[str, Any]]:
    seen: set[Path] = set()
    out = []
    for p in paths:
        p = Path(p)
        if not p.is_file() or p.resolve() in seen:
            continue
        seen.add(p.resolve())
        out.append({"path": _rel(p, base), "sha256": sha256_of(p), "bytes": p.stat().st_size})
    return out


def write_manifest(
    html_path: Path,
    *,
    kind: str,
    title: str,
    inputs: Iterable[Path],
    outputs: Iterable[Path] = (),
    diagnostics: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``<stem>.manifest.json`` beside a report.

    Parameters
    ----------
    html_path : pathlib.Path
        The report written.
    kind : str
        ``"fit"``, ``"seed"`` or ``"index"``.
    title : str
        Title of the report (the index shows it).
    inputs, outputs : iterable of pathlib.Path
        Files read and written (missing files are skipped); the report itself is added.
    diagnostics : mapping, optional
        Sampler diagnostics (with ``ok``).
    extra : mapping, optional
        Further fields (settings, command, seed, ...).

    Returns
    -------
    pathlib.Path
        The manifest's path.
    """
    base = html_path.parent
    manifest = {
        "kind": kind,
        "title": title,
        "report": html_path.name,
        "created": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "paths_relative_to": "the folder of this manifest",
        "inputs": _file_entries(inputs, base),
        "outputs": _file_entries([html_path, *outputs], base),
        "versions": versions(),
        "diagnostics": dict(diagnostics) if diagnostics is not None else None,
        **dict(extra or {}),
    }
    path = base / f"{html_path.stem}.manifest.json"
    from algoattr.outputs import write_text

    return write_text(path, json.dumps(manifest, indent=2, default=_jsonable) + "\n")


def _jsonable(x: Any) -> Any:
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, Path):
        return x.as_posix()
    return str(x)
