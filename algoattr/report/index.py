"""The index of a report folder: ``index.html`` linking every report that has a manifest."""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Sequence
from pathlib import Path

from algoattr import __version__
from algoattr.pipeline.discovery import relative_posix as _rel
from algoattr.report.html import _write, render
from algoattr.report.manifest import write_manifest

__all__ = ["build_index"]


def build_index(out_dir: Path | str, reports: Sequence[Path] | None = None) -> Path:
    """Write ``index.html`` linking the reports in ``out_dir`` (relative links).

    Parameters
    ----------
    out_dir : pathlib.Path or str
        Folder holding the reports.
    reports : sequence of pathlib.Path, optional
        Reports to list (default: every ``*.html`` with a manifest, except the index).

    Returns
    -------
    pathlib.Path
        The index file.
    """
    out = Path(out_dir)
    if reports is None:
        reports = sorted(
            p
            for p in out.glob("*.html")
            if p.name != "index.html" and (out / f"{p.stem}.manifest.json").is_file()
        )
    entries = []
    for p in reports:
        p = Path(p)
        man_path = p.parent / f"{p.stem}.manifest.json"
        man = json.loads(man_path.read_text()) if man_path.is_file() else {}
        diag = man.get("diagnostics")
        entries.append(
            {
                "href": _rel(p, out),
                "manifest": _rel(man_path, out) if man_path.is_file() else None,
                "title": man.get("title", p.stem),
                "kind": man.get("kind", ""),
                "created": str(man.get("created", ""))[:16].replace("T", " "),
                "diagnostics": None if diag is None else bool(diag.get("ok")),
                "n_rows": man.get("n_rows"),
            }
        )
    ctx = {
        "header": {
            "title": "algoattr reports",
            "report_date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "package_version": __version__,
        },
        "entries": entries,
    }
    path = _write(out / "index.html", render("index.html", ctx))
    write_manifest(path, kind="index", title="algoattr reports", inputs=[], outputs=list(reports))
    return path
