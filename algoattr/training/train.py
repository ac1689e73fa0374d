"""One training run: data batching, optimiser and schedule, dense logging, checkpoints.

A run directory holds

- ``config.json`` — the :class:`~algoattr.training.config.RunConfig`;
- ``metrics.csv`` — one row per evaluation (see ``datasets/retraining/README.md``);
- ``checkpoint.pt`` — model, optimiser, schedule, carried LSTM state and the rows so far,
  written at every evaluation; a rerun resumes from it and reaches the same result;
- ``summary.json`` — written last: parameter counts, FLOP accounting and its counter check,
  final losses, wall time and versions. A rerun of a finished run returns it and trains nothing.

Batches are contiguous: the training stream is cut into ``batch_size`` rows and step ``i``
reads the ``i``-th window of ``context + 1`` tokens of every row, so the LSTM can carry its
state across steps (truncated BPTT) and the data order is a function of the step alone.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import os
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np

from .config import RunConfig
from .corpus import Corpus, load_corpus

METRIC_COLUMNS: tuple[str, ...] = (
    "step",
    "tokens",
    "flops",
    "flops_6n",
    "train_loss",
    "val_loss",
    "lr",
    "elapsed_s",
    "tokens_per_s",
    "mfu",
)


def _torch() -> Any:
    try:
        import torch
    except ImportError as err:  # pragma: no cover - exercised only without torch
        raise ImportError(
            "algoattr.training needs PyTorch: install the train extra: pip install -e '.[train]'"
        ) from err
    return torch


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _cached_corpus(corpus: str, seed: int, options_json: str) -> Corpus:
    options = json.loads(options_json)
    train_tokens = int(options.pop("train_tokens", 1_000_000))
    valid_tokens = int(options.pop("valid_tokens", 65_536))
    return load_corpus(corpus, train_tokens, valid_tokens, seed=seed, **options)


def corpus_for(cfg: RunConfig) -> Corpus:
    """The corpus a configuration names (cached per process)."""
    return _cached_corpus(cfg.corpus, cfg.data_seed, json.dumps(cfg.corpus_options, sort_keys=True))


def batchify(stream: np.ndarray, rows: int) -> np.ndarray:
    """Cut a token stream into ``rows`` contiguous rows (the tail that does not fit is dropped)."""
    n = len(stream) // rows
    if n < 2:
        raise ValueError(f"stream of {len(stream)} tokens too short for {rows} rows")
    return np.ascontiguousarray(stream[: n * rows].reshape(rows, n))


def window(data: np.ndarray, step: int, context: int) -> tuple[np.ndarray, bool]:
    """Inputs+targets ``(rows, context + 1)`` of step ``step`` (0-based) and whether the
    stream wrapped around here (so a carried state must be reset)."""
    n_windows = (data.shape[1] - 1) // context
    if n_windows < 1:
        raise ValueError("rows shorter than the context")
    j = step % n_windows
    return data[:, j * context : j * context + context + 1], j == 0


def eval_steps(total_steps: int, n_evals: int) -> list[int]:
    """Log-spaced evaluation steps (1-based) in ``[1, total_steps]``, always with the last.

    Examples
    --------
    >>> eval_steps(100, 5)
    [1, 3, 10, 32, 100]
    """
    pts = np.unique(np.round(np.geomspace(1, total_steps, max(n_evals, 2))).astype(int))
    return sorted(set(pts.tolist()) | {total_steps})


# --------------------------------------------------------------------------------------------
# optimiser and schedule
# --------------------------------------------------------------------------------------------


def lr_factor(cfg: RunConfig, step: int) -> float:
    """Learning rate at optimiser step ``step`` (0-based) as a fraction of ``cfg.lr``.

    - ``inverse_sqrt``: linear warm-up, then ``√(warmup / t)`` (Vaswani et al. 2017);
    - ``cosine``: linear warm-up, then cosine decay to ``min_lr_frac`` at the last step;
    - ``constant``: linear warm-up, then flat.
    """
    total = cfg.steps
    warm = max(1, round(cfg.warmup_frac * total))
    t = step + 1
    if t <= warm:
        return t / warm
    if cfg.schedule == "inverse_sqrt":
        return math.sqrt(warm / t)
    if cfg.schedule == "cosine":
        progress = (t - warm) / max(1, total - warm)
        return cfg.min_lr_frac + (1 - cfg.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * progress))
    return 1.0


def make_optimizer(cfg: RunConfig, model: Any) -> Any:
    """Adam (no weight decay) or AdamW (decay on matrices only, not on norms and biases)."""
    torch = _torch()
    matrices = [p for p in model.parameters() if p.dim() >= 2]
    others = [p for p in model.parameters() if p.dim() < 2]
    if cfg.optimizer == "adamw":
        groups = [
            {"params": matrices, "weight_decay": cfg.weight_decay},
            {"params": others, "weight_decay": 0.0},
        ]
        return torch.optim.AdamW(groups, lr=cfg.lr, betas=cfg.betas, eps=1e-8)
    return torch.optim.Adam(model.parameters(), lr=cfg.lr, betas=cfg.betas, eps=1e-8)


# --------------------------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------------------------


def versions() -> dict[str, str]:
    """Python, torch and numpy versions, and the platform."""
    torch = _torch()
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "platform": platform.platform(),
    }


def _detach_state(state: Any) -> Any:
    if state is None:
        return None
    return tuple(s.detach() for s in state)


def _write_json(path: Path, obj: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=1, sort_keys=True))
    os.replace(tmp, path)


def write_metrics(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write metric rows to CSV atomically (columns :data:`METRIC_COLUMNS`)."""
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(METRIC_COLUMNS))
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r[k]) for k in METRIC_COLUMNS})
    os.replace(tmp, path)


def evaluate(model: Any, cfg: RunConfig, valid: np.ndarray, rows: int = 16) -> float:
    """Mean validation loss (nats/token) on the first ``cfg.eval_tokens`` validation tokens,
    read as ``rows`` contiguous rows in windows of ``context`` (the LSTM carries its state)."""
    torch = _torch()
    import torch.nn.functional as F

    n = min(len(valid), cfg.eval_tokens + rows)
    rows = max(1, min(rows, (n - 1) // (cfg.context + 1)))
    data = batchify(valid[:n], rows)
    n_windows = (data.shape[1] - 1) // cfg.context
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    total, count, state = 0.0, 0, None
    with torch.no_grad(), _autocast(cfg):
        for j in range(n_windows):
            w = torch.from_numpy(data[:, j * cfg.context : j * cfg.context + cfg.context + 1])
            w = w.to(device)
            logits, state = model(w[:, :-1], state)
            loss = F.cross_entropy(
                logits.float().reshape(-1, logits.shape[-1]), w[:, 1:].reshape(-1), reduction="sum"
            )
            total += float(loss)
            count += w[:, 1:].numel()
    model.train(was_training)
    return total / count


def _autocast(cfg: RunConfig) -> Any:
    torch = _torch()
    if cfg.device.startswith("cuda") and cfg.dtype == "bfloat16":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    import contextlib

    return contextlib.nullcontext()


def train_run(
    cfg: RunConfig,
    out_dir: str | Path,
    *,
    progress: bool = True,
    stop_after_step: int | None = None,
    corpus: Corpus | None = None,
) -> dict[str, Any]:
    """Train one configuration, logging densely, resumable.

    Parameters
    ----------
    cfg : RunConfig
        The run (``vocab_size`` is filled from the corpus when 0).
    out_dir : str or Path
        Run directory (created). A finished run there is returned without training; an
        unfinished one resumes from its last checkpoint.
    progress : bool
        Show a tqdm progress bar.
    stop_after_step : int, optional
        Stop (as if interrupted) after the first checkpoint at or beyond this step; for tests
        of resumption.
    corpus : Corpus, optional
        Use this corpus instead of building the one ``cfg`` names.

    Returns
    -------
    dict
        The summary (also ``summary.json``); ``{"interrupted": True, ...}`` when stopped early.
    """
    torch = _torch()
    import torch.nn.functional as F

    from .flops import analytic_flops_per_token, counted_flops_per_token, peak_flops
    from .models import build_model, count_parameters

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    corpus = corpus if corpus is not None else corpus_for(cfg)
    if cfg.vocab_size == 0:
        cfg.vocab_size = corpus.vocab_size
    cfg.validate()
    cfg_path, summary_path, ckpt_path = (
        out / "config.json",
        out / "summary.json",
        out / "checkpoint.pt",
    )
    if cfg_path.exists():
        # Fields added to RunConfig later take their defaults when an older run is resumed.
        old = json.loads(RunConfig.from_dict(json.loads(cfg_path.read_text())).to_json())
        if old != json.loads(cfg.to_json()):
            raise ValueError(f"{out} holds a different configuration; use another directory")
        if summary_path.exists():
            return json.loads(summary_path.read_text())
    else:
        cfg_path.write_text(cfg.to_json())

    device = torch.device(cfg.device)
    torch.manual_seed(cfg.seed)
    model = build_model(cfg).to(device)
    params = count_parameters(model)
    fpt = analytic_flops_per_token(cfg, params["flop"])
    counted = counted_flops_per_token(model, cfg)
    model.train()
    step_model = torch.compile(model) if cfg.compile else model
    opt = make_optimizer(cfg, model)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: lr_factor(cfg, s))
    data = batchify(corpus.train, cfg.batch_size)
    evals = eval_steps(cfg.steps, cfg.n_evals)
    peak = None
    if device.type == "cuda":
        peak = peak_flops(torch.cuda.get_device_name(device), cfg.dtype)

    rows: list[dict[str, Any]] = []
    start, elapsed, state = 0, 0.0, None
    if ckpt_path.exists():
        # The checkpoint holds tensors, numbers and lists only: refuse anything else unpickled.
        ck = torch.load(ckpt_path, map_location=device, weights_only=True)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        sched.load_state_dict(ck["scheduler"])
        torch.set_rng_state(ck["rng"])
        start, elapsed, rows = ck["step"], ck["elapsed_s"], ck["rows"]
        state = None if ck["state"] is None else tuple(s.to(device) for s in ck["state"])

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=cfg.steps, initial=start, desc=f"{cfg.family} w{cfg.width}", leave=False)
    acc_loss, acc_n = 0.0, 0
    t0 = time.perf_counter()
    t_last, tok_last = t0, 0
    for step in range(start, cfg.steps):
        batch, wrapped = window(data, step, cfg.context)
        if wrapped:
            state = None
        batch = torch.from_numpy(batch).to(device)
        with _autocast(cfg):
            logits, state = step_model(batch[:, :-1], state)
            loss = F.cross_entropy(
                logits.float().reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1)
            )
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if cfg.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        opt.step()
        sched.step()
        state = _detach_state(state)
        acc_loss += loss.item()
        acc_n += 1
        tok_last += cfg.tokens_per_step
        done = step + 1
        if bar is not None:
            bar.update(1)
        if done in evals:
            val = evaluate(model, cfg, corpus.valid)
            now = time.perf_counter()
            rate = tok_last / max(now - t_last, 1e-9)
            tokens = done * cfg.tokens_per_step
            rows.append(
                {
                    "step": done,
                    "tokens": tokens,
                    "flops": fpt["total"] * tokens,
                    "flops_6n": 6.0 * params["total"] * tokens,
                    "train_loss": acc_loss / acc_n,
                    "val_loss": val,
                    "lr": cfg.lr * lr_factor(cfg, step),
                    "elapsed_s": elapsed + now - t0,
                    "tokens_per_s": rate,
                    "mfu": None if peak is None else rate * fpt["total"] / peak,
                }
            )
            acc_loss, acc_n = 0.0, 0
            t_last, tok_last = time.perf_counter(), 0
            if bar is not None:
                bar.set_postfix(val=f"{val:.3f}")
            write_metrics(out / "metrics.csv", rows)
            ck = {
                "model": model.state_dict(),
                "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(),
                "rng": torch.get_rng_state(),
                "step": done,
                "elapsed_s": elapsed + time.perf_counter() - t0,
                "rows": rows,
                "state": None if state is None else tuple(s.cpu() for s in state),
            }
            tmp = ckpt_path.with_suffix(".pt.tmp")
            torch.save(ck, tmp)
            os.replace(tmp, ckpt_path)
            if stop_after_step is not None and done >= stop_after_step and done < cfg.steps:
                if bar is not None:
                    bar.close()
                return {"interrupted": True, "step": done}
    if bar is not None:
        bar.close()

    wall = elapsed + time.perf_counter() - t0
    summary = {
        "run_id": cfg.run_id,
        "family": cfg.family,
        "width": cfg.width,
        "n_layers": cfg.n_layers,
        "seed": cfg.seed,
        "lr": cfg.lr,
        "params": params["total"],
        "params_non_embedding": params["non_embedding"],
        "params_flop": params["flop"],
        "flops_per_token": fpt["total"],
        "flops_per_token_6n": 6.0 * params["total"],
        "flops_per_token_attention": fpt["attention"],
        "flops_per_token_counted": counted,
        "counter_over_analytic": counted / fpt["total"],
        "tokens": cfg.steps * cfg.tokens_per_step,
        "flops": fpt["total"] * cfg.steps * cfg.tokens_per_step,
        "final_val_loss": rows[-1]["val_loss"],
        "best_val_loss": min(r["val_loss"] for r in rows),
        "final_train_loss": rows[-1]["train_loss"],
        "entropy_per_token": corpus.entropy_per_token,
        "wall_s": wall,
        "device": cfg.device if device.type != "cuda" else torch.cuda.get_device_name(device),
        "threads": torch.get_num_threads(),
        "versions": versions(),
    }
    _write_json(summary_path, summary)
    ckpt_path.unlink(missing_ok=True)
    return summary


def read_metrics(path: str | Path) -> list[dict[str, float]]:
    """Rows of a ``metrics.csv`` as floats (empty cells as NaN)."""
    with Path(path).open() as fh:
        return [
            {k: float(v) if v != "" else float("nan") for k, v in r.items()}
            for r in csv.DictReader(fh)
        ]
