"""Compute ladders: every family at every width, a learning-rate sweep per width, seeds.

``run_ladder(spec, out)`` writes

- ``OUT/ladder.json`` — the :class:`LadderSpec`;
- ``OUT/sweep/<run_id>/`` — short-budget runs of the learning-rate sweep (seed 0);
- ``OUT/runs/<run_id>/`` — the full runs (see :mod:`algoattr.training.train`);
- ``OUT/sweep.csv`` — every sweep run's final validation loss and the chosen rate;
- ``OUT/runs.csv`` — one row per full run (parameters, FLOPs per token and its counter check,
  tokens, final loss, wall time);
- ``OUT/metrics.csv`` — every full run's dense log, with ``family``, ``width``, ``seed``.

Every run is resumable, so re-running the same command skips finished runs and continues an
interrupted one from its checkpoint.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr.outputs import write_csv, write_text

from .config import MODERNISING_SWITCHES, RunConfig, make_config

#: Peak learning rate at the centre of each base family's sweep grid.
#: (The LSTM's centre is higher: in the CPU ladder at widths 16–64 its sweep chose 3e-2, the top
#: of a grid centred on 1e-2, at every width.)
BASE_LR: dict[str, float] = {"lstm": 3e-2, "transformer2017": 3e-3, "modern": 3e-3}


@dataclass
class LadderSpec:
    """A compute ladder.

    Parameters
    ----------
    families : list of str
        Family or ablation names (``"lstm"``, ``"transformer2017+rope"``, ...).
    widths : list of int
        Model widths; depth and heads follow :func:`~algoattr.training.config.make_config`.
    family_widths : dict
        Per-family widths replacing ``widths`` (e.g. a longer LSTM ladder, whose models have
        fewer parameters and FLOPs per token at a given width).
    seeds : list of int
        Initialisation seeds of the full runs (the sweep uses the first).
    corpus : str
        ``"synthetic"`` or a path to a local text file.
    corpus_options : dict
        Corpus settings (for text: ``tokenizer``, ``valid_path``).
    tokens_per_param : float
        Full-run budget in tokens per parameter (``N`` with embeddings), clipped to
        ``[min_tokens, max_tokens]``.
    min_tokens, max_tokens : int
        Bounds of the full-run budget.
    context, batch_size : int
        Sequence length and sequences per step.
    lr_multipliers : list of float
        Sweep grid as multiples of the family's base rate (:data:`BASE_LR`); ``[1.0]`` skips
        the sweep.
    sweep_fraction : float
        Sweep runs train on this fraction of the full budget.
    sweep_extend : int
        When the best rate of a width's sweep sits at an edge of the grid, train up to this
        many further rates beyond that edge (one grid step each, see :func:`next_sweep_rate`),
        so that the chosen rate is not an artefact of the grid; 0 keeps the grid as given.
    sweep_tolerance : float
        Final losses within this relative difference count as tied (see
        :func:`choose_sweep_rate`): ties go to the rate nearest the family's base rate and
        never trigger an extension.
    n_evals, eval_tokens : int
        Validation points per run and tokens per validation.
    device, dtype : str
        ``"cpu"``/``"cuda"`` and ``"float32"``/``"bfloat16"``.
    compile : bool
        Train through ``torch.compile`` (for GPU ladders).
    data_seed : int
        Seeds the synthetic corpus.
    overrides : dict
        Extra :class:`~algoattr.training.config.RunConfig` fields for every run.
    """

    families: list[str]
    widths: list[int]
    family_widths: dict[str, list[int]] = field(default_factory=dict)
    seeds: list[int] = field(default_factory=lambda: [0])
    corpus: str = "synthetic"
    corpus_options: dict[str, Any] = field(default_factory=dict)
    tokens_per_param: float = 20.0
    min_tokens: int = 200_000
    max_tokens: int = 50_000_000
    context: int = 64
    batch_size: int = 16
    lr_multipliers: list[float] = field(default_factory=lambda: [0.3, 1.0, 3.0])
    sweep_fraction: float = 0.15
    sweep_extend: int = 2
    sweep_tolerance: float = 0.005
    n_evals: int = 40
    eval_tokens: int = 16_384
    device: str = "cpu"
    dtype: str = "float32"
    compile: bool = False
    data_seed: int = 0
    overrides: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form."""
        return dataclasses.asdict(self)


def expand_families(names: list[str]) -> list[str]:
    """Expand ``"ablations"`` into ``transformer2017+switch`` for every modernising switch.

    Examples
    --------
    >>> expand_families(["lstm", "ablations"])[:3]
    ['lstm', 'transformer2017+pre_norm', 'transformer2017+rmsnorm']
    """
    out: list[str] = []
    for n in names:
        if n == "ablations":
            out.extend(f"transformer2017+{s}" for s in MODERNISING_SWITCHES)
        else:
            out.append(n)
    return list(dict.fromkeys(out))


def base_lr(family: str) -> float:
    """Centre of the family's sweep grid (the base family's entry of :data:`BASE_LR`)."""
    return BASE_LR[family.split("+")[0]]


def _param_count(cfg: RunConfig, vocab_size: int) -> int:
    from .models import build_model, count_parameters

    probe = dataclasses.replace(cfg, vocab_size=vocab_size, corpus_options=dict(cfg.corpus_options))
    return count_parameters(build_model(probe))["total"]


def plan(spec: LadderSpec) -> tuple[list[tuple[str, int, list[RunConfig]]], list[RunConfig]]:
    """Sweep groups ``(family, width, configs)`` and full-run templates (one per family and
    width, seed and learning rate still to be set), with the corpus sized for the largest run.
    """
    from .corpus import load_corpus

    families = expand_families(spec.families)
    options = {
        k: v for k, v in spec.corpus_options.items() if k not in ("train_tokens", "valid_tokens")
    }
    if spec.corpus == "synthetic":
        vocab = load_corpus("synthetic", 10, 10, seed=spec.data_seed, **options)
    else:
        vocab = load_corpus(spec.corpus, 0, 0, **options)
    vocab_size = vocab.vocab_size
    common = {
        "context": spec.context,
        "batch_size": spec.batch_size,
        "n_evals": spec.n_evals,
        "eval_tokens": spec.eval_tokens,
        "device": spec.device,
        "dtype": spec.dtype,
        "corpus": spec.corpus,
        "data_seed": spec.data_seed,
        "fused_attention": spec.device.startswith("cuda"),
        "compile": spec.compile,
        **spec.overrides,
    }
    templates = []
    for fam in families:
        for w in spec.family_widths.get(fam, spec.widths):
            cfg = make_config(fam, w, **common)
            n = _param_count(cfg, vocab_size)
            budget = int(np.clip(spec.tokens_per_param * n, spec.min_tokens, spec.max_tokens))
            templates.append(dataclasses.replace(cfg, tokens=budget))
    corpus_options = dict(spec.corpus_options)
    if spec.corpus == "synthetic":
        longest = max(t.tokens for t in templates)
        corpus_options.setdefault("train_tokens", longest + spec.batch_size * (spec.context + 1))
        corpus_options.setdefault("valid_tokens", spec.eval_tokens + 1024)
    templates = [dataclasses.replace(t, corpus_options=corpus_options) for t in templates]
    sweeps = []
    for t in templates:
        short = max(spec.batch_size * spec.context * 10, int(t.tokens * spec.sweep_fraction))
        lrs = [base_lr(t.family) * m for m in spec.lr_multipliers]
        group = [
            dataclasses.replace(t, lr=lr, tokens=short, seed=spec.seeds[0], n_evals=5) for lr in lrs
        ]
        sweeps.append((t.family, t.width, group))
    return sweeps, templates


def _near_best(results: list[tuple[float, float]], tol: float) -> list[float]:
    """Rates whose loss is within a relative ``tol`` of the best loss."""
    best_loss = min(loss for loss, _ in results)
    return [lr for loss, lr in results if loss <= best_loss * (1 + tol)]


def choose_sweep_rate(results: list[tuple[float, float]], base: float, tol: float = 0.005) -> float:
    """The rate a width's full runs use: the best of its sweep, with near-ties resolved
    towards the family's base rate.

    Rates whose final loss lies within a relative ``tol`` of the best are indistinguishable
    on the short sweep budget (typically every rate still on the same plateau); of those, the
    one nearest ``base`` in log scale is taken, so noise does not pick an extreme rate.

    Examples
    --------
    >>> choose_sweep_rate([(2.0, 1e-3), (2.5, 3e-3), (3.0, 9e-3)], base=3e-3)
    0.001
    >>> choose_sweep_rate([(3.174, 1e-3), (3.173, 3e-3), (3.171, 9e-3)], base=3e-3)
    0.003
    """
    near = _near_best(results, tol)
    return min(near, key=lambda lr: (abs(np.log(lr / base)), lr))


def next_sweep_rate(
    results: list[tuple[float, float]], n_grid: int, max_extend: int, tol: float = 0.005
) -> float | None:
    """The next learning rate to try when the best of a sweep lies at the edge of its grid.

    Parameters
    ----------
    results : list of (loss, lr)
        Sweep results so far: the ``n_grid`` grid rates, then each extension in order.
    n_grid : int
        Rates in the initial grid.
    max_extend : int
        At most this many rates beyond the grid in total.
    tol : float
        Relative loss difference below which two rates count as tied (see
        :func:`choose_sweep_rate`).

    Returns
    -------
    float or None
        ``None`` when the best rate is interior, another rate ties it, the extensions are
        spent, or fewer than two rates were tried; otherwise the best rate times the outermost
        step on its side (``lr_max²/lr_second`` above, ``lr_min²/lr_second`` below).

    Examples
    --------
    >>> next_sweep_rate([(3.0, 1e-3), (2.5, 3e-3), (2.0, 9e-3)], 3, max_extend=2)
    0.027
    >>> next_sweep_rate([(3.0, 1e-3), (2.0, 3e-3), (2.5, 9e-3)], 3, max_extend=2) is None
    True
    """
    if len(results) < 2 or len(results) - n_grid >= max_extend:
        return None
    near = _near_best(results, tol)
    if len(near) > 1:
        return None
    best = near[0]
    rates = sorted(lr for _, lr in results)
    if best == rates[-1]:
        nxt = best * best / rates[-2]
    elif best == rates[0]:
        nxt = best * best / rates[1]
    else:
        return None
    return float(f"{nxt:.6g}")


def run_ladder(spec: LadderSpec, out: str | Path, progress: bool = True) -> pd.DataFrame:
    """Run (or resume) a ladder and write its tables.

    Parameters
    ----------
    spec : LadderSpec
        What to run.
    out : str or Path
        Output directory (see the module docstring).
    progress : bool
        Show tqdm progress bars.

    Returns
    -------
    pandas.DataFrame
        ``runs.csv``: one row per full run.
    """
    from tqdm.auto import tqdm

    from .train import read_metrics, train_run

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "ladder.json", json.dumps(spec.to_dict(), indent=1, sort_keys=True))
    t_start = time.perf_counter()
    sweeps, templates = plan(spec)
    n_sweep = sum(len(g) for _, _, g in sweeps) if len(spec.lr_multipliers) > 1 else 0
    total = n_sweep + len(templates) * len(spec.seeds)
    bar = tqdm(total=total, desc="ladder", disable=not progress)

    sweep_rows, chosen = [], {}
    for fam, width, group in sweeps:
        if len(group) == 1:
            chosen[(fam, width)] = group[0].lr
            continue
        results: list[tuple[float, float]] = []
        queue = list(group)
        while queue:
            cfg = queue.pop(0)
            bar.set_postfix_str(f"sweep {fam} w{width} lr {cfg.lr:.2g}")
            s = train_run(cfg, out / "sweep" / cfg.run_id, progress=progress)
            loss = s["final_val_loss"] if np.isfinite(s["final_val_loss"]) else np.inf
            results.append((loss, cfg.lr))
            sweep_rows.append(
                {
                    "family": fam,
                    "width": width,
                    "lr": cfg.lr,
                    "tokens": s["tokens"],
                    "final_val_loss": s["final_val_loss"],
                    "wall_s": s["wall_s"],
                }
            )
            bar.update(1)
            if not queue:
                nxt = next_sweep_rate(results, len(group), spec.sweep_extend, spec.sweep_tolerance)
                if nxt is not None:
                    queue.append(dataclasses.replace(cfg, lr=nxt))
                    bar.total += 1
        best = choose_sweep_rate(results, base_lr(fam), spec.sweep_tolerance)
        chosen[(fam, width)] = best
        for r in sweep_rows:
            if r["family"] == fam and r["width"] == width:
                r["chosen"] = r["lr"] == best
    if sweep_rows:
        write_csv(pd.DataFrame(sweep_rows), out / "sweep.csv")

    run_rows, metric_frames = [], []
    for t in templates:
        for seed in spec.seeds:
            cfg = dataclasses.replace(t, lr=chosen[(t.family, t.width)], seed=seed)
            bar.set_postfix_str(f"{t.family} w{t.width} s{seed}")
            run_dir = out / "runs" / cfg.run_id
            s = train_run(cfg, run_dir, progress=progress)
            bar.update(1)
            keys = (
                "family",
                "width",
                "n_layers",
                "seed",
                "lr",
                "params",
                "params_non_embedding",
                "flops_per_token",
                "flops_per_token_6n",
                "flops_per_token_counted",
                "counter_over_analytic",
                "tokens",
                "flops",
                "final_val_loss",
                "best_val_loss",
                "entropy_per_token",
                "wall_s",
            )
            run_rows.append({k: s[k] for k in keys} | {"run_id": cfg.run_id})
            m = pd.DataFrame(read_metrics(run_dir / "metrics.csv"))
            m.insert(0, "seed", seed)
            m.insert(0, "width", t.width)
            m.insert(0, "family", t.family)
            metric_frames.append(m)
    bar.close()
    runs = pd.DataFrame(run_rows)
    write_csv(runs, out / "runs.csv")
    metrics = pd.concat(metric_frames, ignore_index=True)
    for col in ("step", "tokens", "seed", "width"):
        metrics[col] = metrics[col].astype(int)
    write_csv(metrics, out / "metrics.csv")
    write_text(out / "ladder_wall_s.txt", f"{time.perf_counter() - t_start:.1f}\n")
    return runs
