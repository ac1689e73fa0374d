"""The headline doubling time on base and head rows, and which tasks to refit.

:func:`headline` runs the papers' estimator (Ho et al. 2024 for language models, Erdil &
Besiroglu 2022 for ImageNet) on selected rows, :func:`bayes_headline` a short run of the
Bayesian model; :func:`selections` lists the tasks whose rows changed.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from algoattr.data.load import BENCHMARKS_FILE
from algoattr.diff.rows import FileChanges
from algoattr.errors import UsageError

#: Bootstrap refits of the papers' estimators (small: the diff must stay fast).
DEFAULT_N_BOOT = 50

LM_TASK = "language_modelling"
IMAGENET_TASK = "image_classification"
ESTIMATOR_NAMES = {
    LM_TASK: "Ho et al. 2024 estimator (penalised least squares, bootstrap)",
    IMAGENET_TASK: "Erdil & Besiroglu 2022 estimator (MAP, bootstrap)",
}


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
