"""Command line: ``python -m algoattr.training {ladder,fit} ...``.

Examples
--------
::

    python -m algoattr.training ladder --families lstm,transformer2017,modern \\
        --widths 16,32,64 --corpus synthetic --device cpu --out runs/cpu
    python -m algoattr.training ladder --families transformer2017,modern,ablations \\
        --widths 64,128,256 --corpus PATH/train.txt --valid-corpus PATH/valid.txt \\
        --tokenizer word --device cuda --dtype bfloat16 --out runs/gpu
    python -m algoattr.training fit runs/cpu --observational-ceg 50
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _ints(s: str) -> list[int]:
    return [int(x) for x in s.split(",") if x]


def _floats(s: str) -> list[float]:
    return [float(x) for x in s.split(",") if x]


def build_parser() -> argparse.ArgumentParser:
    """Argument parser of the two sub-commands."""
    p = argparse.ArgumentParser(
        prog="python -m algoattr.training", description=__doc__.split("\n")[0]
    )
    sub = p.add_subparsers(dest="command", required=True)

    lad = sub.add_parser("ladder", help="train (or resume) a compute ladder")
    lad.add_argument(
        "--families",
        default="lstm,transformer2017,modern",
        help="comma-separated families/ablations; 'ablations' adds every transformer2017+switch",
    )
    lad.add_argument("--widths", type=_ints, default=[16, 32, 64])
    lad.add_argument(
        "--family-widths",
        default="",
        help="per-family widths replacing --widths, e.g. 'lstm=16,32,64,128;modern=16,32'",
    )
    lad.add_argument("--seeds", type=_ints, default=[0])
    lad.add_argument("--corpus", default="synthetic", help="'synthetic' or a local text file")
    lad.add_argument("--valid-corpus", default=None, help="validation text (text corpora)")
    lad.add_argument("--tokenizer", choices=("byte", "word"), default="byte")
    lad.add_argument(
        "--synthetic", default=None, help="JSON of SyntheticSpec fields, e.g. '{\"n_lags\": 6}'"
    )
    lad.add_argument("--data-seed", type=int, default=0)
    lad.add_argument("--tokens-per-param", type=float, default=20.0)
    lad.add_argument("--min-tokens", type=int, default=200_000)
    lad.add_argument("--max-tokens", type=int, default=50_000_000)
    lad.add_argument("--context", type=int, default=64)
    lad.add_argument("--batch-size", type=int, default=16)
    lad.add_argument(
        "--lr-multipliers",
        type=_floats,
        default=[0.3, 1.0, 3.0],
        help="sweep grid as multiples of the family's base rate; '1' skips it",
    )
    lad.add_argument("--sweep-fraction", type=float, default=0.15)
    lad.add_argument(
        "--sweep-extend",
        type=int,
        default=2,
        help="rates tried beyond the grid when its best lies at an edge (0: none)",
    )
    lad.add_argument(
        "--sweep-tolerance",
        type=float,
        default=0.005,
        help="relative loss difference below which sweep rates count as tied",
    )
    lad.add_argument("--n-evals", type=int, default=40)
    lad.add_argument("--eval-tokens", type=int, default=16_384)
    lad.add_argument("--device", default="cpu")
    lad.add_argument("--dtype", choices=("float32", "bfloat16"), default="float32")
    lad.add_argument("--compile", action="store_true", help="train through torch.compile")
    lad.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch CPU threads (default 1: small models gain nothing from more, "
        "and oversubscribed cores slow them badly)",
    )
    lad.add_argument("--quiet", action="store_true", help="no progress bars")
    lad.add_argument("--out", required=True)

    fit = sub.add_parser("fit", help="frontier fits, exponent gaps, CEG, interactions")
    fit.add_argument("run_dir")
    fit.add_argument("--reference", default="lstm")
    fit.add_argument(
        "--calibrate-against",
        default="transformer2017",
        help="family whose CEG over the reference is set against the "
        "observational Transformer effect",
    )
    fit.add_argument("--e-fixed", type=float, default=None)
    fit.add_argument("--c-min", type=float, default=None)
    fit.add_argument("--c-max", type=float, default=None)
    fit.add_argument("--n-boot", type=int, default=200)
    fit.add_argument("--seed", type=int, default=0)
    fit.add_argument("--bootstrap", choices=("auto", "seeds", "blocks"), default="auto")
    fit.add_argument(
        "--observational-ceg",
        type=float,
        default=None,
        help="the observational model's Transformer CEG, when algoattr.fit cannot provide it",
    )
    fit.add_argument(
        "--observational-params",
        default=None,
        help="JSON of point estimates of Ho et al.'s law (see fit.observational_transformer_ceg)",
    )
    fit.add_argument(
        "--observational-fit",
        default=None,
        help="a *_summary.json saved by algoattr.fit (its ceg_transformer_* entries)",
    )
    fit.add_argument("--out", default=None, help="where to write the tables (default RUN_DIR)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = build_parser().parse_args(argv)
    if args.command == "ladder":
        from . import require_torch

        require_torch()
        import torch

        from .ladder import LadderSpec, run_ladder

        if args.threads:
            torch.set_num_threads(args.threads)
        options: dict = {}
        if args.corpus == "synthetic":
            options = json.loads(args.synthetic) if args.synthetic else {}
        else:
            options = {"tokenizer": args.tokenizer}
            if args.valid_corpus:
                options["valid_path"] = args.valid_corpus
        spec = LadderSpec(
            families=[f for f in args.families.split(",") if f],
            widths=args.widths,
            family_widths={
                k: _ints(v)
                for k, v in (item.split("=") for item in args.family_widths.split(";") if item)
            },
            seeds=args.seeds,
            corpus=args.corpus,
            corpus_options=options,
            tokens_per_param=args.tokens_per_param,
            min_tokens=args.min_tokens,
            max_tokens=args.max_tokens,
            context=args.context,
            batch_size=args.batch_size,
            lr_multipliers=args.lr_multipliers,
            sweep_fraction=args.sweep_fraction,
            sweep_extend=args.sweep_extend,
            sweep_tolerance=args.sweep_tolerance,
            n_evals=args.n_evals,
            eval_tokens=args.eval_tokens,
            device=args.device,
            dtype=args.dtype,
            compile=args.compile,
            data_seed=args.data_seed,
        )
        runs = run_ladder(spec, args.out, progress=not args.quiet)
        cols = ["family", "width", "lr", "params", "tokens", "flops", "final_val_loss", "wall_s"]
        print(runs[cols].to_string(index=False))
        return 0

    from .fit import analyse, calibrate, load_metrics

    metrics, runs = load_metrics(args.run_dir)
    window = None
    if args.c_min is not None or args.c_max is not None:
        from .fit import default_window

        lo, hi = default_window(metrics)
        window = (args.c_min or lo, args.c_max or hi)
    result = analyse(
        metrics,
        runs,
        reference=args.reference,
        window=window,
        e_fixed=args.e_fixed,
        n_boot=args.n_boot,
        seed=args.seed,
        method=args.bootstrap,
    )
    if args.calibrate_against in set(metrics["family"]):
        calibrate(
            result,
            new=args.calibrate_against,
            observational_ceg=args.observational_ceg,
            observational_fit=args.observational_fit,
            observational_params=args.observational_params,
        )
    print(result.summary())
    result.save(Path(args.out or args.run_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
