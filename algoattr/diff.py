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

import argparse
import math
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd
import yaml

from algoattr import cli
from algoattr.data.load import BENCHMARKS_FILE, RawTable, read_raw
from algoattr.data.schema import NUMERIC_COLUMNS, parse_number
from algoattr.errors import AlgoattrError, DataError, UsageError
from algoattr.model.sampling import SAMPLERS

PROG = "python -m algoattr.diff"
#: Folder of the curated data, relative to the repository root.
DATASETS_PREFIX = "datasets"
#: Columns that identify a row (with its file).
KEY_COLUMNS = ("model", "benchmark", "source")
#: Bootstrap refits of the papers' estimators (small: the diff must stay fast).
DEFAULT_N_BOOT = 50
#: Longest cell text shown before it is cut with an ellipsis.
MAX_CELL = 70
#: Files with more changed rows than this fold their Markdown table into ``<details>``.
MAX_OPEN_ROWS = 15

LM_TASK = "language_modelling"
IMAGENET_TASK = "image_classification"
ESTIMATOR_NAMES = {
    LM_TASK: "Ho et al. 2024 estimator (penalised least squares, bootstrap)",
    IMAGENET_TASK: "Erdil & Besiroglu 2022 estimator (MAP, bootstrap)",
}


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


# --------------------------------------------------------------------------------------
# Row changes
# --------------------------------------------------------------------------------------


@dataclass
class Datasets:
    """The curated tables of one side of the comparison, read as text.

    Attributes
    ----------
    root : pathlib.Path
        Folder holding ``benchmarks.yaml``.
    tables : dict
        Data file (relative to ``root``) → :class:`~algoattr.data.load.RawTable`.
    tasks : dict
        Data file → task (``language_modelling`` or ``image_classification``).
    benchmarks_yaml : bytes
        ``benchmarks.yaml`` as stored.
    """

    root: Path
    tables: dict[str, RawTable]
    tasks: dict[str, str]
    benchmarks_yaml: bytes = b""

    @classmethod
    def read(cls, root: Path | str) -> Datasets:
        """Read ``benchmarks.yaml`` and each data file it lists that exists."""
        root = Path(root)
        text = (root / BENCHMARKS_FILE).read_bytes()
        data = yaml.safe_load(text.decode("utf-8")) or {}
        tables: dict[str, RawTable] = {}
        tasks: dict[str, str] = {}
        for entry in (data.get("benchmarks") or {}).values():
            rel = str(entry.get("file", ""))
            if rel and rel not in tables and (root / rel).is_file():
                tables[rel] = read_raw(root / rel, root)
                tasks[rel] = str(entry.get("task", ""))
        return cls(root=root, tables=tables, tasks=tasks, benchmarks_yaml=text)


@dataclass
class RowChange:
    """One added, removed or changed row.

    Attributes
    ----------
    kind : {"added", "removed", "changed"}
        What happened to the row.
    file : str
        Data file, relative to the datasets root.
    key : tuple of str
        ``(model, benchmark, source)``.
    base_line, head_line : int or None
        1-based line of the row in the base and head file (header = 1).
    cells : list of tuple
        ``(column, old, new)`` for every changed column (``changed`` rows only).
    base_status, head_status : str
        Whether the fit uses the row on each side (filled in by :func:`annotate_selection`).
    """

    kind: str
    file: str
    key: tuple[str, ...]
    base_line: int | None = None
    head_line: int | None = None
    cells: list[tuple[str, str, str]] = field(default_factory=list)
    base_status: str = ""
    head_status: str = ""


@dataclass
class FileChanges:
    """Changes of one data file.

    Attributes
    ----------
    file : str
        Data file, relative to the datasets root.
    task : str
        Task of the file's benchmark.
    status : {"added", "removed", "modified", "unchanged"}
        Whether the file exists on both sides.
    rows : list of RowChange
        Added, changed and removed rows, in head (then base) line order.
    columns_added, columns_removed : list of str
        Header columns only in head, only in base (their cells are not compared).
    """

    file: str
    task: str
    status: str
    rows: list[RowChange] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    def count(self, kind: str) -> int:
        """Number of rows of ``kind`` (``added``, ``changed``, ``removed``)."""
        return sum(r.kind == kind for r in self.rows)

    @property
    def changed(self) -> bool:
        """Whether anything in the file differs."""
        return bool(self.rows or self.columns_added or self.columns_removed) or self.status in (
            "added",
            "removed",
        )


def _keyed(table: RawTable) -> dict[tuple[str, ...], tuple[int, dict[str, str]]]:
    """Rows by key; a repeated key gets a ``#2``, ``#3``, ... suffix on its source."""
    out: dict[tuple[str, ...], tuple[int, dict[str, str]]] = {}
    frame = table.frame
    for i, rec in enumerate(frame.to_dict("records")):
        key = tuple(str(rec.get(c, "")) for c in KEY_COLUMNS)
        n = 1
        while key in out:
            n += 1
            key = (*key[:-1], f"{key[-1]}#{n}")
        out[key] = (table.lines[i], {k: str(v) for k, v in rec.items()})
    return out


def _same_cell(column: str, old: str, new: str) -> bool:
    if old == new:
        return True
    if column in NUMERIC_COLUMNS and old and new:
        try:
            return parse_number(old) == parse_number(new)
        except (TypeError, ValueError):
            return False
    return False


def compare_tables(
    file: str, task: str, base: RawTable | None, head: RawTable | None
) -> FileChanges:
    """Added, changed and removed rows of one file (either side may be missing).

    Rows are matched by ``(model, benchmark, source)``; a base row and a head row that share
    ``(model, benchmark)`` and match nothing else (a re-cited source) are one changed row.
    Cells are compared as text, except that numeric columns compare by value (``1.5e9`` equals
    ``1500000000``). Columns present on one side only are listed, not compared cell by cell.
    """
    status = "modified" if base and head else ("added" if head else "removed")
    b = _keyed(base) if base else {}
    h = _keyed(head) if head else {}
    bcols = list(base.frame.columns) if base else []
    hcols = list(head.frame.columns) if head else []
    common = [c for c in hcols if c in bcols]
    out = FileChanges(file=file, task=task, status=status)
    if base and head:
        out.columns_added = [c for c in hcols if c not in bcols]
        out.columns_removed = [c for c in bcols if c not in hcols]

    def cells(brec: dict[str, str], rec: dict[str, str]) -> list[tuple[str, str, str]]:
        return [
            (c, brec.get(c, ""), rec.get(c, ""))
            for c in common
            if not _same_cell(c, brec.get(c, ""), rec.get(c, ""))
        ]

    # A row whose source alone was re-cited keeps its (model, benchmark): when exactly one
    # unmatched base row and one unmatched head row share them, they are one changed row.
    only_b, only_h = [k for k in b if k not in h], [k for k in h if k not in b]
    pairs: dict[tuple[str, ...], tuple[str, ...]] = {}
    for hk in only_h:
        same_h = [k for k in only_h if k[:2] == hk[:2]]
        same_b = [k for k in only_b if k[:2] == hk[:2]]
        if len(same_h) == 1 and len(same_b) == 1:
            pairs[hk] = same_b[0]
    for key, (line, rec) in h.items():
        bkey = key if key in b else pairs.get(key)
        if bkey is None:
            out.rows.append(RowChange("added", file, key, head_line=line))
            continue
        bline, brec = b[bkey]
        diff = cells(brec, rec)
        if diff:
            out.rows.append(RowChange("changed", file, key, bline, line, diff))
    paired = set(pairs.values())
    for key, (bline, _) in b.items():
        if key not in h and key not in paired:
            out.rows.append(RowChange("removed", file, key, base_line=bline))
    if out.status == "modified" and not out.changed:
        out.status = "unchanged"
    return out


def row_changes(base: Datasets, head: Datasets) -> list[FileChanges]:
    """Row changes of every data file present on either side.

    Parameters
    ----------
    base, head : Datasets
        The two sides.

    Returns
    -------
    list of FileChanges
        One per file, in head order then base-only files.
    """
    files = list(head.tables) + [f for f in base.tables if f not in head.tables]
    return [
        compare_tables(
            f,
            head.tasks.get(f) or base.tasks.get(f, ""),
            base.tables.get(f),
            head.tables.get(f),
        )
        for f in files
    ]


# --------------------------------------------------------------------------------------
# Headlines
# --------------------------------------------------------------------------------------


def resolve_rules(name: str | None, task: str) -> tuple[Any, list[str]]:
    """Selection rules of ``task`` for rule set ``name``.

    Uses :func:`algoattr.model.design.rule_set` when the installed version has it; otherwise the
    default :class:`~algoattr.model.design.SelectionRules`. A negative ``max_per_paper`` is
    replaced by the task's default, as :func:`algoattr.fit.run_fit` does.

    Returns
    -------
    tuple
        ``(rules, notes)``.

    Raises
    ------
    UsageError
        If ``name`` is not a known rule set.
    """
    from dataclasses import replace

    from algoattr.model import design
    from algoattr.model.design import default_max_per_paper

    notes: list[str] = []
    if hasattr(design, "rule_set"):
        try:
            rules = design.rule_set(name or "default")
        except (KeyError, ValueError) as exc:
            raise UsageError(str(exc.args[0] if exc.args else exc)) from None
    else:
        rules = design.SelectionRules(max_per_paper=-1)
        if name and name != "default":
            notes.append(f"rule set {name!r} is not available in this version; default rules used")
    if rules.max_per_paper is not None and rules.max_per_paper < 0:
        rules = replace(rules, max_per_paper=default_max_per_paper(task))
    return rules, notes


@dataclass
class Headline:
    """The doubling time of effective compute on one side.

    Attributes
    ----------
    estimator : str
        What produced it.
    n_used, n_excluded : int
        Rows the fit used and excluded.
    months : dict
        ``point`` (papers' estimators only), ``median``, ``lower``, ``upper`` (95%).
    status : dict
        ``(file, line)`` → ``"used"`` or ``"excluded: <reason>"`` for every loaded row.
    notes : list of str
        Diagnostics and problems (e.g. no rows to fit).
    wall_time_s : float
        Wall time of the fit.
    """

    estimator: str
    n_used: int = 0
    n_excluded: int = 0
    months: dict[str, float] = field(default_factory=dict)
    status: dict[tuple[str, int], str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    wall_time_s: float = 0.0


def _select(rows: pd.DataFrame, task: str, rules: Any) -> tuple[pd.DataFrame, Headline]:
    from algoattr.model.design import select_rows

    used, excluded = select_rows(rows, task, rules)
    h = Headline(estimator="", n_used=len(used), n_excluded=len(excluded))
    for _, r in used.iterrows():
        h.status[(str(r["source_file"]), int(r["source_line"]))] = "used"
    for _, r in excluded.iterrows():
        h.status[(str(r["source_file"]), int(r["source_line"]))] = f"excluded: {r['reason']}"
    return used, h


def headline(
    rows: pd.DataFrame,
    task: str,
    *,
    rules: Any = None,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
) -> Headline:
    """The papers' estimator's doubling time on ``rows`` after the fit's selection.

    Parameters
    ----------
    rows : pandas.DataFrame
        Rows from :func:`algoattr.data.load_evaluations`.
    task : {"language_modelling", "image_classification"}
        Which estimator: :func:`algoattr.baselines.ho2024_estimator` or
        :func:`algoattr.baselines.erdil2022_estimator`.
    rules : SelectionRules, optional
        Row selection (default: :func:`resolve_rules` of ``"default"``).
    n_boot : int
        Bootstrap refits.
    seed : int
        Seed of the resampling.

    Returns
    -------
    Headline
    """
    from algoattr import baselines

    if rules is None:
        rules, _ = resolve_rules("default", task)
    used, h = _select(rows, task, rules)
    h.estimator = ESTIMATOR_NAMES[task]
    if used.empty:
        h.notes.append("no rows to fit")
        return h
    t0 = time.perf_counter()
    fn = baselines.ho2024_estimator if task == LM_TASK else baselines.erdil2022_estimator
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = fn(used, n_boot=n_boot, seed=seed)
    h.wall_time_s = time.perf_counter() - t0
    dt = res.doubling_time_months
    h.months = {k: float(dt[k]) for k in ("point", "median", "lower", "upper")}
    return h


def bayes_headline(
    rows: pd.DataFrame,
    task: str,
    *,
    rules: Any = None,
    seed: int = 0,
    sampler: str = "nutpie",
    draws: int = 300,
    tune: int = 300,
    chains: int = 2,
) -> Headline:
    """The Bayesian model's doubling time on ``rows`` from a short fixed-seed run.

    Uses :func:`algoattr.fitting.fit_lm` (model 7, no variant comparison, no Transformer CEG) or
    :func:`algoattr.fitting.fit_imagenet` on the rows the fit's selection keeps.

    Parameters
    ----------
    rows : pandas.DataFrame
        Rows from :func:`algoattr.data.load_evaluations`.
    task : {"language_modelling", "image_classification"}
        Which model.
    rules : SelectionRules, optional
        Row selection.
    seed, sampler, draws, tune, chains
        Sampler settings (short by default: the diff is a preview, not a result).

    Returns
    -------
    Headline
        Posterior median and 95% interval (no ``point``); the notes give the diagnostics.
    """
    from algoattr import fitting as fit
    from algoattr.model.sampling import SamplerSettings

    if rules is None:
        rules, _ = resolve_rules("default", task)
    used, h = _select(rows, task, rules)
    h.estimator = f"Bayesian model ({sampler}, {chains} chains x {draws} draws, seed {seed})"
    if used.empty:
        h.notes.append("no rows to fit")
        return h
    settings = SamplerSettings(sampler=sampler, draws=draws, tune=tune, chains=chains, seed=seed)
    t0 = time.perf_counter()
    empty = pd.DataFrame()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if task == LM_TASK:
            benches = sorted(set(used["benchmark"].astype(str)))
            result = fit.fit_lm(
                used,
                empty,
                benches,
                settings=settings,
                compare=False,
                transformer_ceg=False,
                progressbar=False,
            )
        else:
            result = fit.fit_imagenet(used, empty, settings=settings, progressbar=False)
    h.wall_time_s = time.perf_counter() - t0
    dt = result.headline()["doubling_time_months"]
    h.months = {"median": dt["median"], "lower": dt["lower"], "upper": dt["upper"]}
    d = result.diagnostics
    rhat = max(d.rhat_max.values()) if d.rhat_max else float("nan")
    h.notes.append(f"{d.divergences} divergences, max R-hat {rhat:.3f}")
    return h


# --------------------------------------------------------------------------------------
# Selections and loading
# --------------------------------------------------------------------------------------


@dataclass
class Selection:
    """A set of benchmarks fitted together: ``label`` (``lm``, ``imagenet``, ...), ids, task."""

    label: str
    ids: list[str]
    task: str


def selections(
    head_root: Path, changes: Sequence[FileChanges], benchmark: str | None, yaml_changed: bool
) -> list[Selection]:
    """Benchmark selections to refit: ``benchmark`` if given, else each affected task.

    A task is affected when one of its files changed, or when ``benchmarks.yaml`` changed.

    Raises
    ------
    UsageError
        If ``benchmark`` is unknown or mixes tasks.
    """
    from algoattr.data import load_benchmarks, resolve_benchmarks

    infos = load_benchmarks(head_root)
    if benchmark is not None:
        try:
            ids = resolve_benchmarks(benchmark, head_root)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        tasks = {infos[i].task for i in ids}
        if len(tasks) != 1:
            raise UsageError(f"benchmark {benchmark!r} mixes tasks {sorted(tasks)}")
        return [Selection(benchmark, ids, tasks.pop())]
    affected = {c.task for c in changes if c.changed}
    if yaml_changed:
        affected |= {i.task for i in infos.values()}
    aliases = (yaml.safe_load((head_root / BENCHMARKS_FILE).read_text("utf-8")) or {}).get(
        "aliases"
    ) or {}
    out = []
    for task in (LM_TASK, IMAGENET_TASK):
        if task not in affected:
            continue
        ids = [i for i, info in infos.items() if info.task == task]
        label = next((str(a) for a, v in aliases.items() if set(v) == set(ids)), None)
        if label is None:
            label = ids[0] if len(ids) == 1 else "+".join(ids)
        out.append(Selection(label, ids, task))
    return out


def load_rows(root: Path, ids: Sequence[str], *, validate: bool) -> pd.DataFrame:
    """Typed rows of benchmarks ``ids`` under ``root`` (ids unknown there, or without a file,
    are skipped)."""
    from algoattr.data import load_benchmarks, load_evaluations

    known = load_benchmarks(root)
    present = [i for i in ids if i in known and known[i].file.is_file()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_evaluations(present, root=root, validate=validate)


def annotate_selection(
    changes: Sequence[FileChanges], base: Mapping[str, Headline], head: Mapping[str, Headline]
) -> None:
    """Fill each changed row's ``base_status`` / ``head_status`` from the headlines' selection.

    Parameters
    ----------
    changes : list of FileChanges
        From :func:`row_changes`.
    base, head : mapping
        Selection label → :class:`Headline` of each side.
    """
    for fc in changes:
        for r in fc.rows:
            sides = ((base, r.base_line, "base_status"), (head, r.head_line, "head_status"))
            for side, line, attr in sides:
                if line is None:
                    continue
                for h in side.values():
                    s = h.status.get((fc.file, line))
                    if s:
                        setattr(r, attr, s)
                        break


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


def _cut(text: str, n: int = MAX_CELL) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _num(x: float | None, signed: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if math.isinf(x):
        return ("+" if x > 0 and signed else "") + ("inf" if x > 0 else "-inf")
    return f"{x:+.1f}" if signed else f"{x:.1f}"


def _delta(a: float | None, b: float | None) -> float:
    if a is None or b is None:
        return float("nan")
    if math.isinf(a) and math.isinf(b) and a == b:
        return 0.0
    return b - a


def _interval(m: Mapping[str, float]) -> str:
    if "lower" not in m:
        return "n/a"
    return f"[{_num(m['lower'])}, {_num(m['upper'])}]"


def _status_text(r: RowChange) -> str:
    if r.kind == "added":
        return r.head_status
    if r.kind == "removed":
        return f"was {r.base_status}" if r.base_status else ""
    if r.base_status and r.head_status and r.base_status != r.head_status:
        return f"{r.base_status} → {r.head_status}"
    return r.head_status


def _excerpts(old: str, new: str, n: int = 40, context: int = 12) -> tuple[str, str]:
    """Short excerpts of two texts around where they differ (common ends cut to ``…``)."""
    old, new = " ".join(old.split()), " ".join(new.split())
    if len(old) <= n and len(new) <= n:
        return old, new
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    q = 0
    while q < min(len(old), len(new)) - p and old[-1 - q] == new[-1 - q]:
        q += 1
    start = max(p - context, 0)

    def cut(t: str) -> str:
        mid = t[start : len(t) - max(q - context, 0)]
        tail = "…" if q > context else ""
        if len(mid) > n:
            mid, tail = mid[: n - 1], "…"
        return ("…" if start else "") + mid + tail

    return cut(old), cut(new)


def _cells_text(r: RowChange, md: bool = False) -> str:
    q = "`" if md else '"'
    parts = []
    for c, o, n in r.cells:
        o, n = _excerpts(o, n)
        parts.append(f"{c}: {q}{o}{q} → {q}{n}{q}")
    return "; ".join(parts)


@dataclass
class Report:
    """Everything :func:`main` prints."""

    base_label: str
    head_label: str
    base_note: str
    changes: list[FileChanges]
    yaml_changed: bool
    rules_name: str
    n_boot: int
    seed: int
    headlines: list[tuple[Selection, Headline, Headline]] = field(default_factory=list)
    bayes: list[tuple[Selection, Headline, Headline]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    prefix: str = DATASETS_PREFIX


def _row_where(prefix: str, r: RowChange) -> str:
    """``datasets/<file>:<line>`` of the head row (of the base row, marked, when removed)."""
    if r.kind == "removed":
        return f"{prefix}/{r.file}:{r.base_line} (base)"
    return f"{prefix}/{r.file}:{r.head_line}"


def format_text(rep: Report) -> str:
    """The report as plain text."""
    out = [
        f"algoattr.diff: base {rep.base_label} ({rep.base_note}) -> head {rep.head_label}",
        "both sides are selected and fitted with the working tree's code "
        f"(rules: {rep.rules_name})",
        "",
        "Rows (keyed by file, model, benchmark, source)",
    ]
    any_change = False
    for fc in rep.changes:
        if not fc.changed:
            continue
        any_change = True
        out.append(
            f"{rep.prefix}/{fc.file} ({fc.status}): {fc.count('added')} added, "
            f"{fc.count('changed')} changed, {fc.count('removed')} removed"
        )
        if fc.columns_added:
            out.append(f"  columns added: {', '.join(fc.columns_added)}")
        if fc.columns_removed:
            out.append(f"  columns removed: {', '.join(fc.columns_removed)}")
        for r in fc.rows:
            model, bench, source = r.key
            sign = {"added": "+", "removed": "-", "changed": "~"}[r.kind]
            out.append(
                f"  {sign} {_row_where(rep.prefix, r)}  {model} [{bench}] ({_cut(source, 50)})"
            )
            if r.cells:
                out.append(f"      {_cells_text(r)}")
            st = _status_text(r)
            if st:
                out.append(f"      fit: {st}")
    if rep.yaml_changed:
        any_change = True
        out.append(f"{rep.prefix}/{BENCHMARKS_FILE}: changed")
    if not any_change:
        out.append("no row changes")
    for title, block in (
        ("papers' estimators", rep.headlines),
        ("Bayesian model (--bayes)", rep.bayes),
    ):
        if not block:
            continue
        out += ["", f"Doubling time of effective compute, months: {title}"]
        for sel, b, h in block:
            out.append(f"{sel.label}: {h.estimator or b.estimator}")
            if title.startswith("papers"):
                out.append(f"  ({rep.n_boot} bootstrap refits, seed {rep.seed}; 95% interval)")
            out.append(f"  {'':<7} {'rows used':>9} {'point':>7} {'median':>7}  95% interval")
            for name, x in (("base", b), ("head", h)):
                out.append(
                    f"  {name:<7} {x.n_used:>9} {_num(x.months.get('point')):>7} "
                    f"{_num(x.months.get('median')):>7}  {_interval(x.months)}"
                )
            dp = _delta(b.months.get("point"), h.months.get("point"))
            dm = _delta(b.months.get("median"), h.months.get("median"))
            out.append(
                f"  {'change':<7} {h.n_used - b.n_used:>+9} {_num(dp, True):>7} {_num(dm, True):>7}"
            )
            for name, x in (("base", b), ("head", h)):
                out.extend(f"  note ({name}): {n}" for n in x.notes)
    if rep.notes or rep.errors:
        out.append("")
    out.extend(f"note: {n}" for n in rep.notes)
    out.extend(f"error: {e}" for e in rep.errors)
    return "\n".join(out)


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def format_markdown(rep: Report) -> str:
    """The report as GitHub-flavoured Markdown (for a CI job summary or comment)."""
    out = [
        "## What does this pull request change?",
        "",
        f"Base `{rep.base_label}` ({_md(rep.base_note)}) → head {rep.head_label}; both sides are "
        f"selected and fitted with the head's code (rules: `{rep.rules_name}`).",
        "",
        "### Rows",
        "",
    ]
    any_change = False
    for fc in rep.changes:
        if not fc.changed:
            continue
        any_change = True
        out.append(
            f"**`{rep.prefix}/{fc.file}`** ({fc.status}): {fc.count('added')} added, "
            f"{fc.count('changed')} changed, {fc.count('removed')} removed"
        )
        out.append("")
        if fc.columns_added:
            out.append(f"- columns added: {', '.join(f'`{c}`' for c in fc.columns_added)}")
        if fc.columns_removed:
            out.append(f"- columns removed: {', '.join(f'`{c}`' for c in fc.columns_removed)}")
        if fc.columns_added or fc.columns_removed:
            out.append("")
        if fc.rows:
            fold = len(fc.rows) > MAX_OPEN_ROWS
            if fold:
                out += [f"<details><summary>{len(fc.rows)} rows</summary>", ""]
            out += [
                "| | row | model | benchmark | source | changes | fit |",
                "|---|---|---|---|---|---|---|",
            ]
            for r in fc.rows:
                model, bench, source = r.key
                out.append(
                    f"| {r.kind} | `{_row_where(rep.prefix, r)}` | {_md(model)} | {bench} "
                    f"| {_md(_cut(source, 50))} | {_md(_cells_text(r, md=True))} "
                    f"| {_md(_status_text(r))} |"
                )
            out.append("")
            if fold:
                out += ["</details>", ""]
    if rep.yaml_changed:
        any_change = True
        out += [f"**`{rep.prefix}/{BENCHMARKS_FILE}`** changed", ""]
    if not any_change:
        out += ["No row changes.", ""]
    for title, block in (
        ("papers' estimators", rep.headlines),
        ("Bayesian model", rep.bayes),
    ):
        if not block:
            continue
        out += [
            f"### Doubling time of effective compute (months): {title}",
            "",
            "| benchmarks | estimator | side | rows used | point | median | 95% interval |",
            "|---|---|---|---|---|---|---|",
        ]
        for sel, b, h in block:
            est = _md(h.estimator or b.estimator)
            for name, x in (("base", b), ("head", h)):
                out.append(
                    f"| `{sel.label}` | {est} | {name} | {x.n_used} | "
                    f"{_num(x.months.get('point'))} | {_num(x.months.get('median'))} | "
                    f"{_interval(x.months)} |"
                )
            dp = _delta(b.months.get("point"), h.months.get("point"))
            dm = _delta(b.months.get("median"), h.months.get("median"))
            out.append(
                f"| `{sel.label}` | {est} | **change** | {h.n_used - b.n_used:+d} | "
                f"**{_num(dp, True)}** | **{_num(dm, True)}** | |"
            )
        out.append("")
        notes = [
            f"{sel.label} ({name}): {n}"
            for sel, b, h in block
            for name, x in (("base", b), ("head", h))
            for n in x.notes
        ]
        if title.startswith("papers"):
            notes.insert(0, f"{rep.n_boot} bootstrap refits, seed {rep.seed}")
        out += [f"- {_md(n)}" for n in notes] + [""]
    if rep.notes or rep.errors:
        out += [f"- note: {_md(n)}" for n in rep.notes]
        out += [f"- **error**: {_md(e)}" for e in rep.errors]
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m algoattr.diff``."""
    p = _Parser(
        prog=PROG,
        description="Rows added, changed and removed since a git ref, and what they do to the "
        "doubling time of effective compute.",
    )
    p.add_argument(
        "--base",
        help="git ref of the base (default: git merge-base HEAD main; HEAD when that fails)",
    )
    p.add_argument("--repo", default=".", help="folder inside the repository (default: .)")
    p.add_argument(
        "--benchmark",
        help="benchmark id or alias to refit, e.g. lm, wikitext, ptb, imagenet "
        "(default: every task whose rows changed)",
    )
    p.add_argument("--rules", help="named selection rule set, when available (default: default)")
    p.add_argument("--bayes", action="store_true", help="also refit the Bayesian model (slow)")
    p.add_argument("--sampler", choices=SAMPLERS, default="nutpie", help="sampler of --bayes")
    p.add_argument("--draws", type=cli.positive_int, default=300, help="draws per chain (--bayes)")
    p.add_argument("--tune", type=cli.nonnegative_int, default=300, help="warm-up per chain")
    p.add_argument("--chains", type=cli.positive_int, default=2, help="chains of --bayes")
    p.add_argument(
        "--n-boot", type=cli.positive_int, default=DEFAULT_N_BOOT, help="bootstrap refits"
    )
    p.add_argument("--seed", type=cli.nonnegative_int, default=0, help="seed of every step")
    p.add_argument("--format", choices=("text", "markdown"), default="text")
    p.add_argument("--no-fit", action="store_true", help="only list the row changes")
    cli.add_debug_argument(p)
    return p


def compare(args: argparse.Namespace) -> Report:
    """Run the comparison of parsed arguments ``args``; see :func:`main`.

    Raises
    ------
    UsageError, DataError, GitError
    """
    from algoattr.data import DataValidationError

    top = repo_root(args.repo)
    head_root = top / DATASETS_PREFIX
    if not (head_root / BENCHMARKS_FILE).is_file():
        raise DataError(f"the working tree has no {DATASETS_PREFIX}/{BENCHMARKS_FILE}")
    if args.base is None:
        ref, note = default_base(top)
    else:
        ref, note = args.base, "given"
    sha = resolve_commit(ref, top)
    base_label = sha[:12] if ref == sha else f"{ref} ({sha[:12]})"
    with tempfile.TemporaryDirectory(prefix="algoattr-diff-") as tmp:
        base_root = read_datasets_at(sha, tmp, repo=top)
        base = Datasets.read(base_root)
        head = Datasets.read(head_root)
        changes = row_changes(base, head)
        yaml_changed = base.benchmarks_yaml != head.benchmarks_yaml
        rep = Report(
            base_label=base_label,
            head_label="working tree",
            base_note=note,
            changes=changes,
            yaml_changed=yaml_changed,
            rules_name=args.rules or "default",
            n_boot=args.n_boot,
            seed=args.seed,
        )
        for t in (*head.tables.values(), *base.tables.values()):
            if any(i.rule == "field_count" for i in t.issues):
                rep.notes.append(f"{t.label}: rows with a wrong field count are not compared")
        if args.no_fit:
            return rep
        sels = selections(head_root, changes, args.benchmark, yaml_changed)
        if not sels:
            rep.notes.append("no task's rows changed: nothing refitted (use --benchmark to force)")
        base_h: dict[str, Headline] = {}
        head_h: dict[str, Headline] = {}
        for sel in sels:
            rules, notes = resolve_rules(args.rules, sel.task)
            rep.notes.extend(n for n in notes if n not in rep.notes)
            base_rows = load_rows(base_root, sel.ids, validate=False)
            try:
                head_rows = load_rows(head_root, sel.ids, validate=True)
            except DataValidationError as exc:
                n = len(str(exc).splitlines())
                rep.errors.append(
                    f"the head data of {sel.label} do not validate ({n} lines of problems); "
                    "run python -m algoattr.data validate"
                )
                continue
            b = headline(base_rows, sel.task, rules=rules, n_boot=args.n_boot, seed=args.seed)
            h = headline(head_rows, sel.task, rules=rules, n_boot=args.n_boot, seed=args.seed)
            rep.headlines.append((sel, b, h))
            base_h[sel.label], head_h[sel.label] = b, h
            if args.bayes:
                kw = dict(
                    rules=rules,
                    seed=args.seed,
                    sampler=args.sampler,
                    draws=args.draws,
                    tune=args.tune,
                    chains=args.chains,
                )
                bb = bayes_headline(base_rows, sel.task, **kw)
                rep.bayes.append((sel, bb, bayes_headline(head_rows, sel.task, **kw)))
        annotate_selection(changes, base_h, head_h)
    return rep


@cli.command(PROG)
def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m algoattr.diff``.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success; 1 on an error (git fails, a ref without datasets, head data that do not
        validate); 2 on a usage error (unknown option, git ref, benchmark or rule set). An
        error prints one line, ``python -m algoattr.diff: error: ...``, on standard error.
    """
    args = build_parser().parse_args(argv)
    rep = compare(args)
    print(format_markdown(rep) if args.format == "markdown" else format_text(rep))
    if rep.errors:
        raise DataError(rep.errors[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
