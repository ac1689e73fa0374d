"""The one way algoattr writes output files: atomically, with spreadsheet-safe CSV cells.

Every output (report, netCDF posterior, CSV, JSON, figure) is written to a temporary file in
the destination's folder and renamed into place with :func:`os.replace`, which is atomic on
POSIX and Windows. A command killed mid-write (Ctrl-C, ``kill -9``) therefore leaves the
previous file byte-identical and never a partial one; of two concurrent writers of one file,
the last to finish wins, whole. An interrupted writer removes its temporary file; after
``kill -9`` a hidden ``.<name>.tmp-*`` file may remain beside the output.

:func:`atomic_group` extends this to a set of files that belong together (a fit's posterior,
summary and rows): nothing is renamed until every file has been written.

CSV cells that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return; OWASP's "CSV injection") are written with a leading ``'``
by :func:`write_csv`; :func:`read_csv` undoes it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pandas as pd

from algoattr.errors import UsageError

__all__ = [
    "FORMULA_PREFIXES",
    "atomic_group",
    "atomic_open",
    "atomic_path",
    "neutralise_formulas",
    "output_folder",
    "read_csv",
    "restore_formulas",
    "write_bytes",
    "write_csv",
    "write_json",
    "write_text",
]

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary(path: Path) -> Path:
    """A new empty temporary file beside ``path``, keeping its suffix."""
    if path.is_dir():
        raise UsageError(f"{path}: is a folder, expected a file name")
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.tmp-", suffix=path.suffix, dir=folder)
    os.close(fd)
    tmp = Path(name)
    # mkstemp creates the file 0600; an output gets the permissions a plain open() gives it.
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    os.chmod(tmp, mode)
    return tmp


def _discard(tmp: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path to write ``path`` through; renamed into place when the block ends.

    For writers that take a file name (``to_netcdf``, ``savefig``). The temporary file lies in
    the same folder and has the same suffix. If the block raises (including
    ``KeyboardInterrupt``), the temporary file is removed and ``path`` is left as it was.

    Parameters
    ----------
    path : str or pathlib.Path
        The output file.

    Yields
    ------
    pathlib.Path
        Where to write.
    """
    target = Path(path)
    tmp = _temporary(target)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        _discard(tmp)
        raise


@contextlib.contextmanager
def atomic_open(
    path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8", newline: str | None = None
) -> Iterator[IO[Any]]:
    """Open ``path`` for writing through a temporary file (see :func:`atomic_path`).

    Parameters
    ----------
    path : str or pathlib.Path
        The output file.
    mode : {"w", "wb"}
        Text or binary.
    encoding, newline : str, optional
        As for :func:`open` (text mode only).

    Yields
    ------
    file object
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes whole files; mode {mode!r} is not 'w' or 'wb'")
    with atomic_path(path) as tmp:
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with open(tmp, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())


def write_text(path: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically; returns the path."""
    with atomic_open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
    return Path(path)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return Path(path)


def write_json(path: str | Path, obj: Any, **dumps: Any) -> Path:
    """Write ``obj`` as JSON (``indent=2`` unless given) atomically; returns the path."""
    dumps.setdefault("indent", 2)
    return write_text(path, json.dumps(obj, **dumps) + "\n")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _neutral(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES) and not _is_number(cell):
        return "'" + cell
    return cell


def _restored(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def _text_columns(df: pd.DataFrame) -> list[Any]:
    return [
        c for c in df.columns if df[c].dtype == object or isinstance(df[c].dtype, pd.StringDtype)
    ]


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells that a spreadsheet would run as formulas start with ``'``.

    Numbers, and text that reads as a number (``"-1.5"``), are left alone.
    """
    out = df.copy()
    for col in _text_columns(out):
        out[col] = out[col].map(_neutral)
    return out


def restore_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise_formulas` (on a frame read back from a CSV)."""
    out = df.copy()
    for col in _text_columns(out):
        out[col] = out[col].map(_restored)
    return out


def write_csv(df: pd.DataFrame, path: str | Path, *, index: bool = False, **to_csv: Any) -> Path:
    """Write ``df`` as CSV atomically, with formula-like text cells neutralised.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    path : str or pathlib.Path
        The output file.
    index : bool
        Write the index (default False).
    **to_csv
        Passed to :meth:`pandas.DataFrame.to_csv`.

    Returns
    -------
    pathlib.Path
    """
    with atomic_open(path, "w", newline="") as fh:
        neutralise_formulas(df).to_csv(fh, index=index, **to_csv)
    return Path(path)


def read_csv(path: str | Path, **read: Any) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv` (neutralised cells restored)."""
    return restore_formulas(pd.read_csv(path, **read))


def output_folder(path: str | Path) -> Path:
    """``path`` as an output folder: created if missing; a clear error if it cannot be one.

    Raises
    ------
    UsageError
        If ``path`` is an existing file, or a folder this process cannot write to.
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: not a folder (give an output folder)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot create the output folder ({exc.strerror})") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{folder}: output folder not writable")
    return folder


class _Group:
    """Temporary paths handed out by :func:`atomic_group`, renamed together at its end."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []

    def path(self, target: str | Path) -> Path:
        """A temporary path to write ``target`` through (renamed when the group ends)."""
        final = Path(target)
        tmp = _temporary(final)
        self.pending.append((tmp, final))
        return tmp

    @contextlib.contextmanager
    def open(self, target: str | Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
        """Open a temporary file for ``target`` (renamed when the group ends)."""
        if "b" not in mode:
            kwargs.setdefault("encoding", "utf-8")
        with open(self.path(target), mode, **kwargs) as fh:
            yield fh


@contextlib.contextmanager
def atomic_group() -> Iterator[_Group]:
    """Write several files so that either all are replaced or none is.

    Each ``group.path(target)`` (or ``group.open(target)``) gives a temporary file beside
    ``target``. When the block ends normally, every one is renamed into place (the renames
    take microseconds); if it raises, every temporary file is removed and no target changes.

    Yields
    ------
    object
        With methods ``path(target) -> Path`` and ``open(target, mode="w")``.
    """
    group = _Group()
    try:
        yield group
        for tmp, final in group.pending:
            os.replace(tmp, final)
    except BaseException:
        for tmp, _ in group.pending:
            _discard(tmp)
        raise
