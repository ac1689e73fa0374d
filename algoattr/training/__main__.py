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

from algoattr.cli import (
    add_ci_prob_argument,
    add_debug_argument,
    command,
    finite_float,
    nonnegative_int,
    positive_float,
    positive_int,
)
from algoattr.errors import UsageError

PROG = "python -m algoattr.training"


def _ints(s: str) -> list[int]:
    """Comma-separated positive integers (widths)."""
    values = [positive_int(x) for x in s.split(",") if x]
    if not values:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {s!r}")
    return values


def _seeds(s: str) -> list[int]:
    values = [nonnegative_int(x) for x in s.split(",") if x]
    if not values:
        raise argparse.ArgumentTypeError(f"expected comma-separated seeds, got {s!r}")
    return values


def _floats(s: str) -> list[float]:
    values = [positive_float(x) for x in s.split(",") if x]
    if not values:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {s!r}")
    return values


def build_parser() -> argparse.ArgumentParser:
    """Argument parser of the two sub-commands."""
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    lad = sub.add_parser("ladder", help="train (or resume) a compute ladder")
    lad.add_argument(
        "--families",
        default="lstm,transformer2017,modern",
        help="comma-separated families/ablations; 'ablations' adds every transformer2017+switch",
    )
    lad.add_argument(
        "--widths",
        type=_ints,
        default=[16, 32, 64],
        help="comma-separated model widths (default 16,32,64)",
    )
    lad.add_argument(
        "--family-widths",
        default="",
        help="per-family widths replacing --widths, e.g. 'lstm=16,32,64,128;modern=16,32'",
    )
    lad.add_argument(
        "--seeds",
        type=_seeds,
        default=[0],
        help="comma-separated initialisation seeds of the full runs; the sweep uses the first",
    )
    lad.add_argument("--corpus", default="synthetic", help="'synthetic' or a local text file")
    lad.add_argument("--valid-corpus", default=None, help="validation text (text corpora)")
    lad.add_argument(
        "--tokenizer", choices=("byte", "word"), default="byte", help="tokenizer of text corpora"
    )
    lad.add_argument(
        "--synthetic", default=None, help="JSON of SyntheticSpec fields, e.g. '{\"n_lags\": 6}'"
    )
    lad.add_argument(
        "--data-seed", type=nonnegative_int, default=0, help="seed of the synthetic corpus"
    )
    lad.add_argument(
        "--tokens-per-param",
        type=positive_float,
        default=20.0,
        help="full-run budget in tokens per parameter, clipped to [--min-tokens, --max-tokens]",
    )
    lad.add_argument(
        "--min-tokens", type=positive_int, default=200_000, help="least full-run budget in tokens"
    )
    lad.add_argument(
        "--max-tokens",
        type=positive_int,
        default=50_000_000,
        help="largest full-run budget in tokens",
    )
    lad.add_argument(
        "--context", type=positive_int, default=64, help="sequence length (default 64)"
    )
    lad.add_argument(
        "--batch-size", type=positive_int, default=16, help="sequences per step (default 16)"
    )
    lad.add_argument(
        "--lr-multipliers",
        type=_floats,
        default=[0.3, 1.0, 3.0],
        help="sweep grid as multiples of the family's base rate; '1' skips it",
    )
    lad.add_argument(
        "--sweep-fraction",
        type=positive_float,
        default=0.15,
        help="share of the full budget each learning-rate sweep run trains on",
    )
    lad.add_argument(
        "--sweep-extend",
        type=nonnegative_int,
        default=2,
        help="rates tried beyond the grid when its best lies at an edge (0: none)",
    )
    lad.add_argument(
        "--sweep-tolerance",
        type=finite_float,
        default=0.005,
        help="relative loss difference below which sweep rates count as tied",
    )
    lad.add_argument(
        "--n-evals", type=positive_int, default=40, help="validation points per run (default 40)"
    )
    lad.add_argument(
        "--eval-tokens",
        type=positive_int,
        default=16_384,
        help="tokens per validation (default 16384)",
    )
    lad.add_argument("--device", default="cpu", help="torch device: cpu or cuda (default cpu)")
    lad.add_argument(
        "--dtype", choices=("float32", "bfloat16"), default="float32", help="training precision"
    )
    lad.add_argument("--compile", action="store_true", help="train through torch.compile")
    lad.add_argument(
        "--threads",
        type=nonnegative_int,
        default=1,
        help="torch CPU threads (default 1: small models gain nothing from more, "
        "and oversubscribed cores slow them badly)",
    )
    lad.add_argument("--quiet", action="store_true", help="no progress bars")
    lad.add_argument("--out", required=True, help="run folder; an existing one is resumed")
    add_debug_argument(lad)

    fit = sub.add_parser("fit", help="frontier fits, exponent gaps, CEG, interactions")
    fit.add_argument("run_dir", help="run folder written by the ladder subcommand")
    fit.add_argument(
        "--reference", default="lstm", help="reference family of the exponent gaps and CEG"
    )
    fit.add_argument(
        "--calibrate-against",
        default="transformer2017",
        help="family whose CEG over the reference is set against the "
        "observational Transformer effect",
    )
    fit.add_argument(
        "--e-fixed",
        type=finite_float,
        default=None,
        help="shared fixed E (default: the corpus entropy when known, else 0.9 x the least free E)",
    )
    fit.add_argument(
        "--c-min", type=positive_float, default=None, help="lower end of the fit window in FLOP"
    )
    fit.add_argument(
        "--c-max", type=positive_float, default=None, help="upper end of the fit window in FLOP"
    )
    fit.add_argument(
        "--n-boot",
        type=positive_int,
        default=200,
        help="bootstrap replicates per family (default 200)",
    )
    fit.add_argument("--seed", type=nonnegative_int, default=0, help="seed of the bootstrap")
    add_ci_prob_argument(fit, "bootstrap")
    fit.add_argument(
        "--bootstrap",
        choices=("auto", "seeds", "blocks"),
        default="auto",
        help="resample seeds within widths, or residual blocks of the frontier; auto: seeds "
        "when every width has 3 or more",
    )
    fit.add_argument(
        "--observational-ceg",
        type=positive_float,
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
    add_debug_argument(fit)
    return p


def _family_widths(text: str) -> dict[str, list[int]]:
    """``--family-widths 'lstm=16,32;modern=16'`` as a mapping of family to widths."""
    out: dict[str, list[int]] = {}
    for item in (i for i in text.split(";") if i.strip()):
        family, sep, widths = item.partition("=")
        try:
            if not sep or not family.strip():
                raise argparse.ArgumentTypeError("expected FAMILY=W1,W2,...")
            out[family.strip()] = _ints(widths)
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"--family-widths: {item!r}: {exc}") from exc
    return out


@command(PROG)
def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (errors are one line, :mod:`algoattr.cli`)."""
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
            try:
                options = json.loads(args.synthetic) if args.synthetic else {}
            except json.JSONDecodeError as exc:
                raise UsageError(f"--synthetic: not JSON ({exc})") from exc
        else:
            options = {"tokenizer": args.tokenizer}
            if args.valid_corpus:
                options["valid_path"] = args.valid_corpus
        spec = LadderSpec(
            families=[f for f in args.families.split(",") if f],
            widths=args.widths,
            family_widths=_family_widths(args.family_widths),
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

    if not Path(args.run_dir).is_dir():
        raise UsageError(f"{args.run_dir}: no such run folder (write one with `{PROG} ladder`)")
    if args.observational_fit is not None and not Path(args.observational_fit).is_file():
        raise UsageError(
            f"{args.observational_fit}: no saved fit (run `python -m algoattr.fit "
            "--benchmark lm` first, or give --observational-ceg)"
        )
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
        ci_prob=args.ci_prob,
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
