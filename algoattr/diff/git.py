"""Read the curated datasets of a git ref without touching the working tree.

:func:`read_datasets_at` copies the files under ``datasets/`` of a commit into a folder with
``git cat-file``; :func:`default_base` picks the merge base with ``main``; every failure of git
is a :class:`GitError`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from algoattr.data.load import BENCHMARKS_FILE
from algoattr.errors import AlgoattrError, DataError, UsageError

#: Folder of the curated data, relative to the repository root.
DATASETS_PREFIX = "datasets"


class GitError(AlgoattrError):
    """git failed or the folder is not in a git work tree (exit status 1)."""

    exit_code = 1


# --------------------------------------------------------------------------------------
# git
# --------------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed") from exc
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args)}: {msg[-1] if msg else 'failed'}")
    return proc.stdout


def repo_root(path: Path | str = ".") -> Path:
    """Top folder of the git work tree holding ``path``.

    Raises
    ------
    GitError
        If ``path`` is not inside a git work tree.
    """
    if not Path(path).is_dir():
        raise UsageError(f"--repo {path}: no such folder")
    try:
        out = _git(Path(path), "rev-parse", "--show-toplevel")
    except GitError:
        raise GitError(f"{path} is not inside a git work tree") from None
    return Path(out.decode().strip())


def resolve_commit(ref: str, repo: Path) -> str:
    """The commit id of git ref ``ref``.

    Raises
    ------
    UsageError
        If ``ref`` names no commit.
    """
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except GitError:
        raise UsageError(f"unknown git ref {ref!r}") from None


def default_base(repo: Path) -> tuple[str, str]:
    """The default base: ``git merge-base HEAD main`` (then ``origin/main``), else ``HEAD``.

    Returns
    -------
    tuple of str
        ``(ref, note)``: the ref and how it was chosen.
    """
    for branch in ("main", "origin/main"):
        try:
            sha = _git(repo, "merge-base", "HEAD", branch).decode().strip()
        except GitError:
            continue
        return sha, f"merge base of HEAD and {branch}"
    return "HEAD", "no merge base with main; comparing with HEAD (uncommitted changes only)"


def read_datasets_at(
    ref: str, dest: Path | str, *, repo: Path | str = ".", prefix: str = DATASETS_PREFIX
) -> Path:
    """Write the datasets of git ref ``ref`` into ``dest`` without touching the work tree.

    Reads ``<prefix>/benchmarks.yaml`` at ``ref`` and every data file it lists (files the ref
    lacks are skipped) with ``git cat-file``.

    Parameters
    ----------
    ref : str
        A git ref (branch, tag, commit, ``HEAD~1``, ...).
    dest : path-like
        An existing (temporary) folder.
    repo : path-like
        Any folder inside the repository.
    prefix : str
        Folder of the data relative to the repository root.

    Returns
    -------
    pathlib.Path
        The datasets root under ``dest`` (holds ``benchmarks.yaml``).

    Raises
    ------
    UsageError
        If ``ref`` names no commit.
    DataError
        If the ref has no ``benchmarks.yaml``.
    GitError
        If git fails.
    """
    top = repo_root(repo)
    sha = resolve_commit(ref, top)
    root = Path(dest) / prefix
    root.mkdir(parents=True, exist_ok=True)
    try:
        text = _git(top, "cat-file", "blob", f"{sha}:{prefix}/{BENCHMARKS_FILE}")
    except GitError:
        raise DataError(f"{ref} has no {prefix}/{BENCHMARKS_FILE}") from None
    (root / BENCHMARKS_FILE).write_bytes(text)
    for rel in _listed_files(text):
        try:
            blob = _git(top, "cat-file", "blob", f"{sha}:{prefix}/{rel}")
        except GitError:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
    return root


def _listed_files(benchmarks_yaml: bytes) -> list[str]:
    """Data files named in a ``benchmarks.yaml`` (relative to the datasets root)."""
    data = yaml.safe_load(benchmarks_yaml.decode("utf-8")) or {}
    out: list[str] = []
    for entry in (data.get("benchmarks") or {}).values():
        f = entry.get("file") if isinstance(entry, dict) else None
        if f and str(f) not in out and ".." not in Path(str(f)).parts:
            out.append(str(f))
    return out
