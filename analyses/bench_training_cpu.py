"""CPU benchmark of the retraining suite: the largest ladders that fit ~25 minutes on 2 cores.

By default runs LSTM, 2017 Transformer and modern Transformer on the seeded synthetic corpus at
widths 16–64 (the LSTM to 128; 30 tokens per parameter, a three-point learning-rate sweep per
width on 15% of the budget), fits the frontiers, and writes the result tables into
``datasets/retraining/cpu_synthetic/`` with a ``provenance.json`` (command, seeds, versions,
corpus checksums, wall time). Run checkpoints go to ``--work`` (default
``runs/bench_training_cpu``, outside the dataset folder); re-running resumes and skips finished
runs. ``--corpus PATH`` trains on a local text file instead (byte-level by default; nothing is
downloaded), and ``--families ablations,...`` adds the single-switch ablations.

Usage::

    nohup python analyses/bench_training_cpu.py > bench_training_cpu.log 2>&1 &
    python analyses/bench_training_cpu.py --widths 16,32 --tokens-per-param 10   # quicker
    python analyses/bench_training_cpu.py --corpus TRAIN.txt --valid-corpus VALID.txt \
        --context 128 --tokens-per-param 20 --work DIR --dest datasets/retraining/NAME
    python analyses/bench_training_cpu.py --families transformer2017,modern,ablations \
        --widths 32,48,64 --lstm-widths '' --work DIR --dest datasets/retraining/NAME

Absolute exponents on a synthetic corpus are not comparable with Gundlach et al.'s; compare
the ordering of the exponents and whether the LSTM → Transformer gain grows with compute.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from algoattr.intervals import CI_PROB  # noqa: E402

#: Gundlach et al. 2025 exponents for L − 1.9 = A·C^−α (see the experimental anchors README).
GUNDLACH_ALPHA = {"lstm": 0.065, "transformer2017": 0.091, "modern": 0.094}


def _corpus_files(spec: object) -> list[dict[str, object]]:
    """Name, size and sha256 of each text file the ladder read (empty for synthetic)."""
    import hashlib

    if spec.corpus == "synthetic":
        return []
    paths = [spec.corpus] + [
        spec.corpus_options[k] for k in ("valid_path",) if k in spec.corpus_options
    ]
    out = []
    for path in map(Path, paths):
        data = path.read_bytes()
        out.append(
            {"name": path.name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        )
    return out


def _epochs(runs: object, spec: object) -> float | None:
    """Passes over the training text made by the longest full run (None for synthetic)."""
    if spec.corpus == "synthetic":
        return None
    from algoattr.training.corpus import load_corpus

    corpus = load_corpus(spec.corpus, 0, 0, **spec.corpus_options)
    return round(float(runs["tokens"].max()) / len(corpus.train), 2)


def _sweep_wall(work: Path) -> float | None:
    """Summed training wall time of the sweep runs (None when there was no sweep)."""
    import pandas as pd

    path = work / "sweep.csv"
    return round(float(pd.read_csv(path)["wall_s"].sum()), 1) if path.is_file() else None


def main(argv: list[str] | None = None) -> int:
    """Run the ladder, fit it, write the dataset folder and print the comparison."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--families", default="lstm,transformer2017,modern")
    p.add_argument("--widths", default="16,24,32,48,64")
    p.add_argument(
        "--lstm-widths",
        default="16,24,32,48,64,96,128",
        help="the LSTM ladder goes further: at a given width it has ~1/3 of a Transformer's "
        "parameters, and the fit window ends at the smallest family's top compute",
    )
    p.add_argument(
        "--train-tokens",
        type=int,
        default=4_200_000,
        help="length of the synthetic training stream (fixed so that the corpus does not "
        "depend on which runs the ladder holds)",
    )
    p.add_argument(
        "--corpus", default="synthetic", help="'synthetic' or a local training text file"
    )
    p.add_argument("--valid-corpus", default=None, help="validation text (text corpora)")
    p.add_argument("--tokenizer", choices=("byte", "word"), default="byte")
    p.add_argument("--context", type=int, default=64)
    p.add_argument("--eval-tokens", type=int, default=16_384)
    p.add_argument("--lr-multipliers", default="0.3,1,3")
    p.add_argument(
        "--sweep-extend",
        type=int,
        default=2,
        help="rates tried beyond the grid when its best lies at an edge",
    )
    p.add_argument("--tokens-per-param", type=float, default=30.0)
    p.add_argument("--min-tokens", type=int, default=300_000)
    p.add_argument(
        "--max-tokens",
        type=int,
        default=50_000_000,
        help="budget cap per run (on a small text, a cap on the epochs)",
    )
    p.add_argument(
        "--seed", type=int, default=0, help="initialisation seed of the sweep and bootstrap seed"
    )
    p.add_argument(
        "--extra-seeds",
        default="",
        help="further initialisation seeds of the full runs, e.g. '1,2' (with two or more "
        "seeds per width the bootstrap resamples seeds)",
    )
    p.add_argument("--data-seed", type=int, default=0)
    p.add_argument("--n-boot", type=int, default=300)
    p.add_argument(
        "--ci-prob",
        type=float,
        default=CI_PROB,
        help="probability of the bootstrap intervals (the committed ladders: 0.9)",
    )
    p.add_argument(
        "--observational-fit",
        default=None,
        help="a *_summary.json saved by algoattr.fit, for the calibration line",
    )
    p.add_argument("--work", default=str(ROOT / "runs" / "bench_training_cpu"))
    p.add_argument("--dest", default=str(ROOT / "datasets" / "retraining" / "cpu_synthetic"))
    args = p.parse_args(argv)

    import numpy as np
    import torch

    from algoattr.training.fit import analyse, calibrate, load_metrics
    from algoattr.training.ladder import LadderSpec, run_ladder
    from algoattr.training.train import versions

    torch.set_num_threads(1)
    if args.corpus == "synthetic":
        corpus_options = {
            "train_tokens": args.train_tokens,
            "valid_tokens": args.eval_tokens + 1024,
        }
    else:
        corpus_options = {"tokenizer": args.tokenizer}
        if args.valid_corpus:
            corpus_options["valid_path"] = str(Path(args.valid_corpus).resolve())
    lstm_widths = [int(w) for w in args.lstm_widths.split(",") if w]
    spec = LadderSpec(
        families=args.families.split(","),
        widths=[int(w) for w in args.widths.split(",")],
        family_widths={"lstm": lstm_widths} if lstm_widths else {},
        seeds=[args.seed, *(int(x) for x in args.extra_seeds.split(",") if x)],
        corpus=args.corpus if args.corpus == "synthetic" else str(Path(args.corpus).resolve()),
        corpus_options=corpus_options,
        tokens_per_param=args.tokens_per_param,
        min_tokens=args.min_tokens,
        max_tokens=args.max_tokens,
        context=args.context,
        batch_size=16,
        lr_multipliers=[float(m) for m in args.lr_multipliers.split(",")],
        sweep_fraction=0.15,
        sweep_extend=args.sweep_extend,
        n_evals=40,
        eval_tokens=args.eval_tokens,
        device="cpu",
        data_seed=args.data_seed,
    )
    t0 = time.perf_counter()
    run_ladder(spec, args.work, progress=True)
    wall_ladder = time.perf_counter() - t0
    metrics, runs = load_metrics(args.work)
    result = analyse(metrics, runs, n_boot=args.n_boot, seed=args.seed, ci_prob=args.ci_prob)
    calibrate(result, new="transformer2017", observational_fit=args.observational_fit)
    wall = time.perf_counter() - t0

    dest = Path(args.dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("runs.csv", "metrics.csv", "sweep.csv"):
        shutil.copy(Path(args.work) / name, dest / name)
    ladder = json.loads((Path(args.work) / "ladder.json").read_text())
    corpora = _corpus_files(spec)
    # Text corpora are recorded by file name and checksum, never by a machine path.
    if spec.corpus != "synthetic":
        ladder["corpus"] = Path(spec.corpus).name
        if "valid_path" in ladder["corpus_options"]:
            ladder["corpus_options"]["valid_path"] = Path(args.valid_corpus).name
    (dest / "ladder.json").write_text(json.dumps(ladder, indent=1, sort_keys=True) + "\n")
    result.save(dest)
    # Record the command with the scratch and destination paths as placeholders, so no
    # machine-specific path enters the repository.
    argv_out, skip = [], False
    for a in sys.argv[1:] if argv is None else argv:
        if skip:
            argv_out.append("FILE" if argv_out[-1] in ("--corpus", "--valid-corpus") else "DIR")
            skip = False
            continue
        argv_out.append(a)
        skip = a in ("--work", "--dest", "--corpus", "--valid-corpus") and not (
            a == "--corpus" and spec.corpus == "synthetic"
        )
    command = "python analyses/bench_training_cpu.py " + shlex.join(argv_out)
    provenance = {
        "command": command.strip(),
        "init_seed": args.seed,
        "extra_init_seeds": spec.seeds[1:],
        "data_seed": args.data_seed,
        "bootstrap_seed": args.seed,
        "n_boot": args.n_boot,
        "ci_prob": args.ci_prob,
        "torch_threads": 1,
        "corpus_files": corpora,
        "epochs_of_largest_run": _epochs(runs, spec),
        # A resumed invocation skips finished runs: its wall time is not the ladder's cost,
        # the summed run times below are.
        "wall_s_this_invocation": round(wall, 1),
        "wall_s_ladder_this_invocation": round(wall_ladder, 1),
        "train_wall_s_sum_of_runs": round(float(runs["wall_s"].sum()), 1),
        "sweep_wall_s_sum_of_runs": _sweep_wall(Path(args.work)),
        "versions": versions(),
        "cpu_count": __import__("os").cpu_count(),
    }
    (dest / "provenance.json").write_text(json.dumps(provenance, indent=1) + "\n")

    print(result.summary())
    print("\nNext to Gundlach et al. 2025 (L − 1.9 = A·C^−α, C4, 1e15–5e17 FLOP):")
    fixed = result.fits[result.fits["fit"] == "E fixed"].set_index("family")
    for fam, ref in GUNDLACH_ALPHA.items():
        if fam in fixed.index:
            r = fixed.loc[fam]
            print(
                f"  {fam:16s} α = {r.alpha:.3f} [{r.alpha_lo:.3f}, {r.alpha_hi:.3f}]"
                f"   Gundlach α = {ref:.3f}"
            )
    order = list(fixed.sort_values("alpha").index)
    print(f"  ordering here (smallest α first): {order}; Gundlach: lstm < transformer2017 < modern")
    ceg = result.ceg[result.ceg["new"] == "transformer2017"]
    if len(ceg):
        grows = bool(np.all(np.diff(ceg["ceg_law"].to_numpy()) > 0))
        print(f"  LSTM → 2017 Transformer CEG grows with compute here: {grows} (Gundlach: yes)")
    print(f"\nwall time {wall:.0f} s; tables in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
