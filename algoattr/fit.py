"""Fit the augmented scaling law to the curated data: ``python -m algoattr.fit``.

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
import time
import warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from algoattr import __version__
from algoattr import sensitivity as sensitivity_mod
from algoattr.cli import (
    add_debug_argument,
    command,
    finite_float,
    nonnegative_int,
    positive_int,
    probability,
)
from algoattr.errors import DataError, MissingFitError, UsageError
from algoattr.fitting import (  # noqa: F401 (the fits live there; importable from here)
    CEG_COMPUTE,
    CEG_YEAR,
    architecture_rates_summary,
    fit_imagenet,
    fit_lm,
    loo_compare,
    scale_dependence_summary,
    transformer_ceg_summary,
)
from algoattr.model.design import (
    LM_TASK,
    RULE_SET_NOTES,
    RULE_SETS,
    SelectionRules,
    resolve_rules,
    select_rows,
)
from algoattr.model.results import FitResult
from algoattr.model.sampling import SAMPLERS, SamplerSettings

BENCHMARK_CHOICES = ("wikitext", "wikitext-103", "wikitext-2", "ptb", "lm", "imagenet")


log = logging.getLogger("algoattr.fit")


def task_of(benchmarks: Sequence[str], infos: dict[str, Any]) -> str:
    """The single task of ``benchmarks``; mixing language models and ImageNet is an error."""
    tasks = {infos[b].task for b in benchmarks}
    if len(tasks) != 1:
        raise UsageError(f"benchmarks {list(benchmarks)} mix tasks {sorted(tasks)}")
    return tasks.pop()


def stem_of(benchmark: str) -> str:
    """File stem of a benchmark selection's outputs (``reports/<stem>.html`` etc.)."""
    return benchmark.replace("/", "_")


def run_fit(
    benchmark: str,
    *,
    settings: SamplerSettings | None = None,
    fast: bool = False,
    variant: str = "both",
    likelihood: str = "normal",
    paper_effect: bool = False,
    compare: bool | None = None,
    rules: SelectionRules | None = None,
    data_root: Path | None = None,
    progressbar: bool = True,
    sensitivity: str = "estimator",
) -> FitResult:
    """Load the curated rows of ``benchmark``, select, fit, and return the result.

    Parameters
    ----------
    benchmark : str
        Benchmark id or alias (``wikitext``, ``lm``, ...).
    settings : SamplerSettings, optional
        Sampler settings; defaults to nutpie, 4 chains × 1000 draws, or the ``fast`` ones.
    fast : bool
        2 chains × 500 draws after 500 warm-up steps, no variant comparison, no CEG.
    variant, likelihood, paper_effect
        Model choices (language models only).
    compare : bool, optional
        Compare variants by PSIS-LOO; default: not ``fast``.
    rules : SelectionRules, optional
        Row selection; a negative ``max_per_paper`` (the default) means the task's default,
        :func:`default_max_per_paper`.
    data_root : pathlib.Path, optional
        Folder holding ``benchmarks.yaml`` (default: the shipped datasets).
    progressbar : bool
        Show sampler progress.
    sensitivity : {"bayes", "estimator", "none"}
        Rule-sensitivity table (:func:`algoattr.sensitivity.rule_sensitivity`): the papers'
        estimator under every alternative, plus a short Bayesian refit each with ``bayes``.
        The row-influence table is always computed.

    Returns
    -------
    FitResult
    """
    from algoattr.data import (
        dataset_checksum,
        load_benchmarks,
        load_evaluations,
        resolve_benchmarks,
    )

    try:
        ids = resolve_benchmarks(benchmark, root=data_root)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    infos = load_benchmarks(root=data_root)
    task = task_of(ids, infos)
    settings = settings or fast_or_full(fast)
    if sensitivity not in SENSITIVITY_MODES:
        raise UsageError(f"sensitivity must be one of {', '.join(SENSITIVITY_MODES)}")
    rules = resolve_rules(rules or RULE_SETS["default"], task, paper_effect)
    df = load_evaluations(ids, root=data_root)
    if df.empty:
        raise UsageError(f"no rows for benchmark {benchmark!r} ({', '.join(ids)})")
    rows, excluded = select_or_fail(df, task, rules, benchmark)
    t0 = time.perf_counter()

    def fit_rows(
        rows: pd.DataFrame,
        excluded: pd.DataFrame,
        settings: SamplerSettings,
        likelihood: str,
        paper_effect: bool,
        full: bool,
        progressbar: bool,
    ) -> FitResult:
        if task == LM_TASK:
            return fit_lm(
                rows,
                excluded,
                ids,
                settings=settings,
                variant=variant,
                likelihood=likelihood,
                paper_effect=paper_effect,
                compare=full and ((not fast) if compare is None else compare),
                transformer_ceg=full and not fast,
                progressbar=progressbar,
            )
        return fit_imagenet(
            rows, excluded, settings=settings, likelihood=likelihood, progressbar=progressbar
        )

    result = fit_rows(rows, excluded, settings, likelihood, paper_effect, True, progressbar)
    wall = time.perf_counter() - t0
    result.extras["influence"] = sensitivity_mod.row_influence(result).to_dict("records")
    if sensitivity != "none":
        short = fast_or_full(True, settings.sampler, settings.seed)

        def select(alt_rules: SelectionRules, alt_paper_effect: bool) -> pd.DataFrame:
            r = resolve_rules(alt_rules, task, alt_paper_effect)
            return select_or_fail(df, task, r, benchmark, error=ValueError)[0]

        # One fit per distinct (rows, likelihood, paper effect): an alternative that selects
        # this fit's rows with its model reuses it, and two alternatives that select the same
        # rows share one refit.
        fitted = {(tuple(rows.index), likelihood, paper_effect): result}

        def refit(alt: sensitivity_mod.Alternative) -> FitResult:
            r = resolve_rules(alt.rules, task, alt.paper_effect)
            used, dropped = select_or_fail(df, task, r, benchmark, error=ValueError)
            key = (tuple(used.index), alt.likelihood, alt.paper_effect)
            if key not in fitted:
                log.info("sensitivity: refitting %s (%d rows)", alt.name, len(used))
                fitted[key] = fit_rows(
                    used, dropped, short, alt.likelihood, alt.paper_effect, False, False
                )
            return fitted[key]

        table = sensitivity_mod.rule_sensitivity(
            task, select, refit if sensitivity == "bayes" else None, seed=settings.seed
        )
        result.extras["sensitivity"] = table.to_dict("records")
        result.extras["sensitivity_settings"] = {
            "mode": sensitivity,
            "bayes_refits": short.__dict__ if sensitivity == "bayes" else None,
            "estimator_bootstrap": 50,
        }
    result.extras.update(
        {
            "benchmark": benchmark,
            "package_version": __version__,
            "dataset_checksum": dataset_checksum(ids, root=data_root),
            "rules": rules.__dict__,
            "rules_text": rules.describe(),
            "likelihood": likelihood,
            "paper_effect": paper_effect,
            "fast": fast,
            "wall_time_s": wall,
            "wall_time_with_sensitivity_s": time.perf_counter() - t0,
            "created": pd.Timestamp.now(tz="UTC").isoformat(),
        }
    )
    return result


#: Modes of the rule-sensitivity table (see :func:`run_fit`).
SENSITIVITY_MODES = ("bayes", "estimator", "none")


def select_or_fail(
    df: pd.DataFrame,
    task: str,
    rules: SelectionRules,
    benchmark: str,
    error: type[Exception] = DataError,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`select_rows`, raising ``error`` (a data error, exit 1, by default) with every
    reason when no row is left."""
    rows, excluded = select_rows(df, task, rules)
    if rows.empty:
        raise error(
            f"every row of {benchmark!r} was excluded; reasons: "
            + "; ".join(f"{r} ({n})" for r, n in excluded["reason"].value_counts().items())
        )
    return rows, excluded


def fast_or_full(fast: bool, sampler: str = "nutpie", seed: int = 0) -> SamplerSettings:
    """Default sampler settings: full (4 chains × 2000 draws after 1500 warm-up) or fast.

    The exponents and year terms of both laws trade off along ridges, so 4 × 1000 draws left
    the bulk ESS of the doubling time just under 400 on the shipped rows; 4 × 2000 clears it.
    """
    if fast:
        return SamplerSettings(sampler=sampler, draws=500, tune=500, chains=2, seed=seed)
    return SamplerSettings(sampler=sampler, draws=2000, tune=1500, chains=4, seed=seed)


def load_or_fit(
    path: str | Path | None = None,
    *,
    benchmark: str,
    seed: int = 0,
    out_dir: str | Path = "reports",
    fast: bool = False,
) -> FitResult:
    """A saved fit of ``benchmark`` if one exists, else a new one (saved to ``out_dir``).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A ``*_summary.json`` written by :meth:`FitResult.save`; when given it must exist.
    benchmark : str
        Benchmark id or alias.
    seed : int
        Seed of a new fit.
    out_dir : str or pathlib.Path
        Where saved fits are looked for and new ones written.
    fast : bool
        Use the fast settings for a new fit.

    Returns
    -------
    FitResult
    """
    if path is not None:
        p = Path(path)
        if not p.exists():
            raise UsageError(f"no saved fit at {p}")
        return FitResult.load(p)
    candidates = [Path(out_dir) / f"{stem_of(benchmark)}_summary.json"]
    from algoattr.data import resolve_benchmarks

    for alias in ("lm", "wikitext"):
        try:
            if benchmark in resolve_benchmarks(alias):
                candidates.append(Path(out_dir) / f"{alias}_summary.json")
        except ValueError:
            pass
    try:
        wanted = set(resolve_benchmarks(benchmark))
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    for c in candidates:
        if c.exists():
            try:
                fit = FitResult.load(c)
            except MissingFitError as exc:  # a fresh clone: summaries without posteriors
                log.info("%s; fitting anew", exc)
                continue
            if wanted <= set(fit.benchmarks) or fit.extras.get("benchmark") == benchmark:
                s = fit.settings
                log.info(
                    "reusing saved fit %s (%s, %d chains x %d draws, seed %d)",
                    c, s.sampler, s.chains, s.draws, s.seed,
                )  # fmt: skip
                return fit
    fit = run_fit(benchmark, settings=fast_or_full(fast, seed=seed), fast=fast)
    fit.save(out_dir, stem_of(benchmark))
    return fit


# ----------------------------------------------------------------------------- CLI


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


def default_out_dir(settings: SamplerSettings, fast: bool) -> str:
    """``reports`` for a fit at least as long as the full settings, else ``reports/fast``."""
    full = fast_or_full(False)
    short = fast or any(
        getattr(settings, k) < getattr(full, k) for k in ("draws", "tune", "chains")
    )
    return "reports/fast" if short else "reports"


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
    settings = SamplerSettings(
        sampler=args.sampler,
        draws=base.draws if args.draws is None else args.draws,
        tune=base.tune if args.tune is None else args.tune,
        chains=base.chains if args.chains is None else args.chains,
        seed=args.seed,
        target_accept=base.target_accept if args.target_accept is None else args.target_accept,
    )
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
    out_dir = args.out or default_out_dir(settings, args.fast)
    from algoattr.previous_fit import read_previous

    previous = None if args.no_report else read_previous(out_dir, stem)  # before it is replaced
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
