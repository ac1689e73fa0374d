"""The command line ``python -m algoattr.fit`` (also ``python -m algoattr fit``).

Parsing, printing and saving; the fit itself is :func:`algoattr.pipeline.run_fit`.

Examples
--------
::

    python -m algoattr.fit --benchmark wikitext
    python -m algoattr.fit --benchmark ptb --fast
    python -m algoattr.fit --benchmark imagenet --baseline --out reports/
    python -m algoattr.fit --benchmark ptb --fast --json > ptb.json   # for scripts
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from algoattr import __version__
from algoattr.cli import (
    add_debug_argument,
    command,
    finite_float,
    nonnegative_int,
    positive_int,
    probability,
)
from algoattr.errors import UsageError
from algoattr.model.design import RULE_SET_NOTES, RULE_SETS, SelectionRules
from algoattr.model.results import FitResult
from algoattr.model.sampling import MASS_MATRICES, SAMPLERS, SamplerSettings
from algoattr.pipeline.fits import (
    SENSITIVITY_MODES,
    default_out_dir,
    fast_or_full,
    run_fit,
    stem_of,
)

__all__ = ["BENCHMARK_CHOICES", "build_parser", "main", "rules_from_args"]

BENCHMARK_CHOICES = ("wikitext", "wikitext-103", "wikitext-2", "ptb", "lm", "imagenet")


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m algoattr.fit``."""
    from algoattr.model.lm import LIKELIHOODS, LM_VARIANTS

    p = argparse.ArgumentParser(
        prog="python -m algoattr.fit",
        description="Fit the augmented scaling law (algorithmic progress) to the curated data.",
    )
    p.add_argument(
        "--benchmark",
        required=True,
        choices=BENCHMARK_CHOICES,
        help="benchmark to fit, or lm for the three language-model benchmarks pooled",
    )
    p.add_argument("--fast", action="store_true", help="2 chains x 500 draws, no comparison")
    p.add_argument(
        "--sampler", choices=SAMPLERS, default="nutpie", help="NUTS implementation (default nutpie)"
    )
    p.add_argument("--draws", type=positive_int, help="posterior draws per chain")
    p.add_argument("--tune", type=positive_int, help="warm-up steps per chain")
    p.add_argument("--chains", type=positive_int, help="number of chains")
    p.add_argument(
        "--seed", type=nonnegative_int, default=0, help="random seed of every step (default 0)"
    )
    p.add_argument(
        "--target-accept", type=probability, help="NUTS target acceptance (default 0.98)"
    )
    p.add_argument(
        "--mass-matrix",
        choices=MASS_MATRICES,
        default=None,
        help="mass-matrix adaptation: diag (default) or nutpie's low_rank (fewer leapfrog "
        "steps on the pooled LM rows; divergences on PTB and ImageNet in our runs)",
    )
    p.add_argument(
        "--priors",
        type=Path,
        default=None,
        metavar="FILE",
        help="YAML or JSON mapping of prior overrides by variable name, e.g. "
        "'alpha_year: {dist: Normal, mu: 0, sigma: 0.05}' (see algoattr/model/priors.py); "
        "recorded in the outputs, which go to reports/custom/",
    )
    p.add_argument(
        "--variant",
        choices=list(LM_VARIANTS),
        default="both",
        help="LM model variant: " + "; ".join(f"{k}: {v}" for k, v in LM_VARIANTS.items()),
    )
    p.add_argument(
        "--likelihood",
        choices=LIKELIHOODS,
        default="normal",
        help="residual distribution of log-perplexity or logit accuracy (default normal)",
    )
    p.add_argument("--paper-effect", action="store_true", help="paper random effect, all rows")
    p.add_argument("--no-compare", action="store_true", help="skip the PSIS-LOO comparison")
    p.add_argument(
        "--include-zero-shot",
        action="store_true",
        help="keep rows evaluated without training on the benchmark",
    )
    p.add_argument(
        "--include-linear-probe",
        action="store_true",
        help="keep ImageNet linear probes on frozen features",
    )
    p.add_argument(
        "--include-dynamic-eval",
        action="store_true",
        help="keep dynamic-evaluation rows (weights adapted on the test set)",
    )
    p.add_argument(
        "--include-cache",
        action="store_true",
        help="keep rows with a cache, pointer or retrieval at test time",
    )
    p.add_argument(
        "--include-ensembles",
        action="store_true",
        help="keep ensembles of separately trained models",
    )
    p.add_argument(
        "--include-ngram",
        action="store_true",
        help="keep n-gram baselines (their parameters count n-gram entries)",
    )
    p.add_argument(
        "--include-token-level",
        action="store_true",
        help="keep perplexities per sub-word token (perplexity_level = token) as if per word",
    )
    p.add_argument(
        "--max-evaluation-lag",
        type=finite_float,
        default=None,
        metavar="YEARS",
        help="exclude figures first published more than YEARS after the method "
        "(evaluation_date; default 2; a negative value keeps them all)",
    )
    p.add_argument(
        "--rules",
        choices=list(RULE_SETS),
        default="default",
        help="named selection rules: "
        + "; ".join(f"{k}: {v}" for k, v in RULE_SET_NOTES.items())
        + ". The --include-* and --max-* options adjust the chosen set",
    )
    p.add_argument(
        "--sensitivity",
        choices=SENSITIVITY_MODES,
        default=None,
        help="rule-sensitivity table: papers' estimator and a short Bayesian refit per "
        "alternative (bayes; default), estimator only (estimator; default with --fast), none",
    )
    p.add_argument(
        "--max-per-paper",
        type=nonnegative_int,
        default=None,
        help="rows kept per paper and benchmark; 0 keeps all (default: the rule set's, 3 for "
        "language models as Ho et al., all for ImageNet as Erdil & Besiroglu, all with "
        "--paper-effect)",
    )
    p.add_argument("--baseline", action="store_true", help="also run the papers' estimators")
    p.add_argument(
        "--bootstrap", type=positive_int, default=100, help="bootstrap refits of baselines"
    )
    p.add_argument(
        "--out",
        default=None,
        help="output folder (default: reports/ for a full fit; reports/fast/ for --fast or "
        "fewer draws, tune or chains than the full settings, so that a quick fit never "
        "replaces a committed full report)",
    )
    p.add_argument("--no-report", action="store_true", help="do not write the HTML report")
    p.add_argument("--strict", action="store_true", help="exit 1 when diagnostics fail")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument(
        "--json",
        action="store_true",
        help="print a machine-readable summary (headline, diagnostics, rows, files) as JSON on "
        "standard output and nothing else there (progress and text go to standard error)",
    )
    add_debug_argument(p)
    return p


def read_priors(path: Path) -> dict[str, dict[str, Any]]:
    """Prior overrides from a YAML or JSON file: ``{variable: {"dist": name, **arguments}}``.

    Raises
    ------
    UsageError
        When the file cannot be read or is not such a mapping (the message names the file
        and the entry).
    """
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"--priors: cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        what = getattr(exc, "problem", None) or "cannot be parsed"
        raise UsageError(f"--priors: {path} is not YAML or JSON{where}: {what}") from None
    if not isinstance(data, dict) or not data:
        raise UsageError(f"--priors: {path} must map variable names to prior specifications")
    for name, spec in data.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("dist"), str):
            raise UsageError(
                f"--priors: {path}: entry {name!r} needs a mapping with a 'dist' "
                "(a PyMC distribution name) and its arguments"
            )
    return data


def rules_from_args(args: argparse.Namespace) -> SelectionRules:
    """The rule set named by ``--rules``, adjusted by the ``--include-*`` and ``--max-*``
    options (an ``--include-*`` option only ever adds rows)."""
    rules = RULE_SETS[args.rules]
    flags = ("zero_shot", "linear_probe", "dynamic_eval", "cache", "ensembles", "ngram")
    for flag in (*flags, "token_level"):
        if getattr(args, f"include_{flag}"):
            rules = replace(rules, **{f"include_{flag}": True})
    if args.max_per_paper is not None:
        rules = replace(rules, max_per_paper=args.max_per_paper or None)
    if args.max_evaluation_lag is not None:
        lag = args.max_evaluation_lag
        rules = replace(rules, max_evaluation_lag_years=None if lag < 0 else lag)
    return rules


def _print_rows(result: FitResult) -> None:
    data = result.data
    print(f"rows used: {len(data)}")
    counts = data.groupby("benchmark").agg(
        rows=("model", "size"),
        papers=("paper_id", "nunique"),
        first=("year", "min"),
        last=("year", "max"),
    )
    print(counts.to_string(float_format=lambda x: f"{x:.1f}"))
    print(f"rows excluded: {len(result.excluded)}")
    if len(result.excluded):
        print(result.excluded["reason"].value_counts().to_string())
        for _, r in result.excluded.iterrows():
            where = f"{r.get('source_file', '')}:{r.get('source_line', '')}"
            print(f"  - {r['model']} [{r['benchmark']}] ({where}): {r['reason']}")


@command("python -m algoattr.fit")
def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status.

    0 ok; 1 diagnostics failed with ``--strict``, or a data error; 2 a usage error; 130
    interrupted. Errors are one line on standard error (:mod:`algoattr.cli`).
    """
    args = build_parser().parse_args(argv)
    if not args.json:
        return _run(args, argv)[0]
    import json

    from algoattr.jsonout import fit_document, stdout_to_stderr

    with stdout_to_stderr():
        status, result, paths = _run(args, argv)
    print(json.dumps(fit_document(result, paths), indent=2, allow_nan=False))
    return status


def _run(
    args: argparse.Namespace, argv: Sequence[str] | None
) -> tuple[int, FitResult, dict[str, Any]]:
    """The fit command after parsing: fit, print, save, report; ``(status, result, files)``."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for name in ("pymc", "pytensor", "arviz", "numba"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*BLAS.*")
    base = fast_or_full(args.fast, args.sampler, args.seed)
    if args.mass_matrix == "low_rank" and args.sampler != "nutpie":
        raise UsageError(f"--mass-matrix low_rank needs --sampler nutpie, not {args.sampler}")
    settings = SamplerSettings(
        sampler=args.sampler,
        draws=base.draws if args.draws is None else args.draws,
        tune=base.tune if args.tune is None else args.tune,
        chains=base.chains if args.chains is None else args.chains,
        seed=args.seed,
        target_accept=base.target_accept if args.target_accept is None else args.target_accept,
        mass_matrix=args.mass_matrix,
    )
    priors = read_priors(args.priors) if args.priors is not None else None
    rules = rules_from_args(args)
    print(
        f"algoattr {__version__}: fitting {args.benchmark} with {settings.sampler} "
        f"({settings.chains} chains x {settings.draws} draws, seed {settings.seed})"
    )
    result = run_fit(
        args.benchmark,
        settings=settings,
        fast=args.fast,
        variant=args.variant,
        likelihood=args.likelihood,
        paper_effect=args.paper_effect,
        compare=False if args.no_compare else None,
        rules=rules,
        progressbar=not args.quiet,
        sensitivity=args.sensitivity or ("estimator" if args.fast else "bayes"),
        priors=priors,
    )
    result.extras["command"] = "python -m algoattr.fit " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    if args.baseline:
        from algoattr import baselines

        result.extras["baselines"] = baselines.run_all(
            result, n_boot=args.bootstrap, seed=args.seed
        )
    _print_rows(result)
    print()
    print(result.summary())
    if "baselines" in result.extras:
        print()
        print(baselines.format_table(result.extras["baselines"]))
        print()
        print(baselines.format_published(result, result.extras["baselines"]))
    stem = stem_of(args.benchmark) + ("" if args.rules == "default" else f"_{args.rules}")
    out_dir = args.out or default_out_dir(settings, args.fast, custom=priors is not None)
    from algoattr.previous_fit import SAVED_KEY, compare_with_previous, read_previous

    previous = read_previous(out_dir, stem)  # before it is replaced
    try:
        changes = compare_with_previous(result, previous)
    except Exception as exc:  # the fit is still saved; the report says it was not computed
        logging.getLogger("algoattr.fit").warning(
            "change since the previous fit not computed: %s", exc
        )
        changes = None
    if changes is not None:  # saved with the fit, so a report rebuilt later shows them too
        result.extras[SAVED_KEY] = changes.to_dict()
    paths = result.save(out_dir, stem)
    if not args.no_report:
        try:
            from algoattr.report import build_fit_report
        except ImportError:
            build_fit_report = None
        if build_fit_report is not None:
            paths["report"] = build_fit_report(result, Path(out_dir), stem, previous=previous)
    print()
    print("wrote:")
    for p in paths.values():
        print(f"  {p}")
    if not result.diagnostics.ok:
        print(
            "\nWARNING: the sampler's diagnostics failed; treat the estimates with care.",
            file=sys.stderr,
        )
        if args.strict:
            return 1, result, paths
    return 0, result, paths


if __name__ == "__main__":
    sys.exit(main())
