"""CPU benchmark of the retraining suite: the largest ladder that fits ~25 minutes on 2 cores.

Runs LSTM, 2017 Transformer and modern Transformer on the seeded synthetic corpus at widths
16–64 (the LSTM to 128; 30 tokens per parameter, a three-point learning-rate sweep per width
on 15% of the budget), fits the frontiers, and writes the result tables into
``datasets/retraining/cpu_synthetic/`` with a ``provenance.json`` (command, seeds, versions,
wall time). Run checkpoints go to ``--work`` (default ``runs/bench_training_cpu``, outside the
dataset folder); re-running resumes and skips finished runs.

Usage::

    nohup python analyses/bench_training_cpu.py > bench_training_cpu.log 2>&1 &
    python analyses/bench_training_cpu.py --widths 16,32 --tokens-per-param 10   # quicker

Absolute exponents on a synthetic corpus are not comparable with Gundlach et al.'s; compare
the ordering of the exponents and whether the LSTM → Transformer gain grows with compute.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Gundlach et al. 2025 exponents for L − 1.9 = A·C^−α (see the experimental anchors README).
GUNDLACH_ALPHA = {"lstm": 0.065, "transformer2017": 0.091, "modern": 0.094}


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
    p.add_argument("--tokens-per-param", type=float, default=30.0)
    p.add_argument("--min-tokens", type=int, default=300_000)
    p.add_argument("--seed", type=int, default=0, help="initialisation seed of the full runs")
    p.add_argument("--data-seed", type=int, default=0)
    p.add_argument("--n-boot", type=int, default=300)
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
    spec = LadderSpec(
        families=args.families.split(","),
        widths=[int(w) for w in args.widths.split(",")],
        family_widths={"lstm": [int(w) for w in args.lstm_widths.split(",")]},
        seeds=[args.seed],
        corpus="synthetic",
        corpus_options={"train_tokens": args.train_tokens, "valid_tokens": 16_384 + 1024},
        tokens_per_param=args.tokens_per_param,
        min_tokens=args.min_tokens,
        context=64,
        batch_size=16,
        lr_multipliers=[0.3, 1.0, 3.0],
        sweep_fraction=0.15,
        n_evals=40,
        eval_tokens=16_384,
        device="cpu",
        data_seed=args.data_seed,
    )
    t0 = time.perf_counter()
    run_ladder(spec, args.work, progress=True)
    wall_ladder = time.perf_counter() - t0
    metrics, runs = load_metrics(args.work)
    result = analyse(metrics, runs, n_boot=args.n_boot, seed=args.seed)
    calibrate(result, new="transformer2017", observational_fit=args.observational_fit)
    wall = time.perf_counter() - t0

    dest = Path(args.dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("runs.csv", "metrics.csv", "sweep.csv", "ladder.json"):
        shutil.copy(Path(args.work) / name, dest / name)
    result.save(dest)
    # Record the command with the scratch and destination paths as placeholders, so no
    # machine-specific path enters the repository.
    argv_out, skip = [], False
    for a in sys.argv[1:] if argv is None else argv:
        if skip:
            argv_out.append("DIR")
            skip = False
            continue
        argv_out.append(a)
        skip = a in ("--work", "--dest")
    command = "python analyses/bench_training_cpu.py " + " ".join(argv_out)
    provenance = {
        "command": command.strip(),
        "init_seed": args.seed,
        "data_seed": args.data_seed,
        "bootstrap_seed": args.seed,
        "n_boot": args.n_boot,
        "torch_threads": 1,
        "wall_s_this_invocation": round(wall, 1),
        "wall_s_ladder_this_invocation": round(wall_ladder, 1),
        "train_wall_s_sum_of_runs": round(float(runs["wall_s"].sum()), 1),
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
