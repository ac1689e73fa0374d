"""Command line: Shapley attribution of model pairs from a fitted law.

    python -m algoattr.attribute --benchmark imagenet
    python -m algoattr.attribute --benchmark wikitext-103 --pair "Transformer-XL Large" "Mega"

Without ``--pair`` the reference pairs of ``datasets/reference_pairs.yaml`` are used. The law's
draws come from :func:`load_or_fit` (``--fit PATH`` to reuse a saved fit; on a fresh clone,
where ``reports/`` holds summaries without posteriors, the fit is made and saved first);
``--draws`` subsamples them with ``--seed``. Model inputs (year, parameters, training tokens or
images, compute) are taken from the fit's rows, or, for models outside the fit sample (e.g.
zero-shot rows), from the benchmark's CSV, which the output then says.

Exit status: 0 on success, 2 on a usage error (unknown benchmark or model, missing inputs,
an option out of range, ``algoattr.fit`` not available), 1 on a data error (a pairs file that
does not parse, a saved fit without its posterior); each is one line on standard error
(:mod:`algoattr.cli`).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr import attribution as at
from algoattr.cli import add_debug_argument, command, nonnegative_int, positive_int, probability
from algoattr.errors import AlgoattrError, MissingFitError, UsageError
from algoattr.inputs import raise_all, read_yaml, unknown_keys
from algoattr.outputs import write_csv

PROG = "python -m algoattr.attribute"

#: Default location of the reference pairs.
REFERENCE_PAIRS = Path(__file__).resolve().parent.parent / "datasets" / "reference_pairs.yaml"

IMAGENET = "imagenet"
LM_INPUTS = ("year", "parameters", "training_tokens")
IMAGENET_INPUTS = ("year", "training_compute_flop", "training_images")


#: Keys of one benchmark's entry in the reference pairs file.
PAIRS_KEYS = ("models", "pairs", "extra_pairs", "not_found", "no_inputs")

__all__ = [
    "UsageError",
    "attribute_pairs",
    "load_or_fit",
    "load_reference_pairs",
    "main",
    "model_rows",
]


def inputs_for(benchmark: str) -> tuple[str, ...]:
    """Columns the law needs for a model on ``benchmark``."""
    return IMAGENET_INPUTS if benchmark == IMAGENET else LM_INPUTS


def load_reference_pairs(path: Path | str | None = None) -> dict[str, list[tuple[str, str]]]:
    """Reference pairs per benchmark from ``reference_pairs.yaml``.

    Parameters
    ----------
    path : path-like, optional
        The YAML file; default :data:`REFERENCE_PAIRS`.

    Returns
    -------
    dict
        Benchmark id → list of ``(A, B)`` pairs: with ``pairs: all`` every pair among
        ``models`` (A earlier in the list), then any ``extra_pairs``.
    """
    doc = read_yaml(path or REFERENCE_PAIRS)
    spec = {} if doc.data is None else doc.data
    if not isinstance(spec, dict):
        raise doc.error((), "expected a mapping of benchmark id to models and pairs")
    problems = []
    for bench, entry in spec.items():
        if not isinstance(entry, dict):
            problems.append(doc.error((bench,), f"{bench}: expected a mapping with models"))
            continue
        problems += unknown_keys(doc, entry, PAIRS_KEYS, (bench,), label=str(bench))
        if not isinstance(entry.get("models") or [], list):
            problems.append(doc.error((bench, "models"), f"{bench}: models must be a list"))
        for key in ("pairs", "extra_pairs"):
            value = entry.get(key)
            if value is None or (key == "pairs" and value == "all"):
                continue
            if not isinstance(value, list) or not all(
                isinstance(p, list) and len(p) == 2 for p in value
            ):
                what = "`all` or " if key == "pairs" else ""
                problems.append(
                    doc.error((bench, key), f"{bench}: {key} must be {what}a list of [A, B] pairs")
                )
    raise_all(problems)
    out: dict[str, list[tuple[str, str]]] = {}
    for bench, entry in spec.items():
        models = [str(m) for m in entry.get("models") or []]
        pairs_spec = entry.get("pairs", "all")
        if pairs_spec == "all":
            pairs = list(itertools.combinations(models, 2))
        else:
            pairs = [(str(a), str(b)) for a, b in pairs_spec or []]
        pairs += [(str(a), str(b)) for a, b in entry.get("extra_pairs") or []]
        out[str(bench)] = pairs
    return out


def subsample_draws(
    draws: Mapping[str, Any], n: int | None, seed: int | None
) -> dict[str, np.ndarray]:
    """At most ``n`` draws, chosen without replacement with ``seed`` (all when ``n`` is None).

    Every array's first axis is the draw axis; the same draws are kept in every array.
    """
    arrays = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in draws.items()}
    sizes = {v.shape[0] for v in arrays.values()}
    if len(sizes) != 1:
        raise ValueError(f"draw arrays differ in length: {sorted(sizes)}")
    total = sizes.pop()
    if n is None or n >= total:
        return arrays
    keep = np.sort(np.random.default_rng(seed).choice(total, size=n, replace=False))
    return {k: v[keep] for k, v in arrays.items()}


def _dataset_rows(benchmark: str) -> pd.DataFrame:
    from algoattr.data import load_evaluations

    return load_evaluations(benchmark, validate=False)


def model_rows(
    names: Sequence[str],
    benchmark: str,
    fit_data: pd.DataFrame | None,
    dataset: pd.DataFrame,
) -> tuple[pd.DataFrame, list[str]]:
    """Inputs of each named model: from the fit's rows, else from the dataset.

    Parameters
    ----------
    names : sequence of str
        Model names (exact).
    benchmark : str
        Benchmark id.
    fit_data : pandas.DataFrame or None
        Rows the fit used (columns ``model``, ``benchmark`` and the law's inputs).
    dataset : pandas.DataFrame
        All rows of the benchmark (from :func:`algoattr.data.load_evaluations`).

    Returns
    -------
    tuple
        The rows in the order of ``names`` (columns ``model``, ``benchmark`` and the inputs),
        and the names taken from the dataset because the fit did not use them.

    Raises
    ------
    UsageError
        For names found nowhere (with close matches) or without the law's inputs.
    """
    cols = inputs_for(benchmark)
    pools = []
    if fit_data is not None and len(fit_data):
        fd = fit_data
        if "benchmark" in fd.columns:
            fd = fd[fd["benchmark"] == benchmark]
        pools.append(("fit", fd))
    pools.append(("dataset", dataset))
    rows, outside, problems = [], [], []
    for name in names:
        for label, pool in pools:
            hit = pool[pool["model"].astype(str) == name]
            if len(hit) and all(c in hit.columns for c in cols):
                usable = hit.dropna(subset=list(cols))
                if len(usable):
                    rows.append(usable.iloc[0])
                    if label == "dataset" and len(pools) > 1:
                        outside.append(name)
                    break
        else:
            everywhere = pd.concat([p["model"].astype(str) for _, p in pools])
            if (everywhere == name).any():
                problems.append(f"{name!r} on {benchmark} lacks {' / '.join(cols)}")
            else:
                hits = at.close_matches(name, sorted(set(everywhere)))
                hint = f"; did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
                problems.append(f"unknown model {name!r} on {benchmark}{hint}")
    if problems:
        raise UsageError("\n".join(problems))
    frame = pd.DataFrame(rows).reset_index(drop=True)
    frame["benchmark"] = benchmark
    return frame[["model", "benchmark", *cols]], outside


def attribute_pairs(
    fit: Any,
    benchmark: str,
    pairs: Sequence[tuple[str, str]],
    dataset: pd.DataFrame,
    n_draws: int | None = None,
    seed: int | None = 0,
) -> tuple[at.AttributionResult, list[str]]:
    """Attribution of ``pairs`` on ``benchmark`` with a fit's draws.

    Parameters
    ----------
    fit : object
        Has ``draws_for(benchmark) -> dict``, ``reference`` (``law.LMReference`` or None) and
        ``data`` (the rows used).
    benchmark : str
        Benchmark id.
    pairs : sequence of (str, str)
        Model pairs A → B.
    dataset : pandas.DataFrame
        The benchmark's rows, for models outside the fit sample and for close matches.
    n_draws : int, optional
        Subsample the draws to at most this many.
    seed : int, optional
        Seed of the subsample.

    Returns
    -------
    tuple
        The :class:`~algoattr.attribution.AttributionResult` and the models whose inputs came
        from the dataset rather than the fit's rows.
    """
    fit_data = getattr(fit, "data", None)
    a_rows, out_a = model_rows([a for a, _ in pairs], benchmark, fit_data, dataset)
    b_rows, out_b = model_rows([b for _, b in pairs], benchmark, fit_data, dataset)
    draws = subsample_draws(fit.draws_for(benchmark), n_draws, seed)
    if benchmark == IMAGENET:
        result = at.imagenet_attribution(draws, a_rows, b_rows)
    else:
        if fit.reference is None:
            raise UsageError(f"the fit has no LM reference point for {benchmark}")
        result = at.lm_attribution(draws, fit.reference, a_rows, b_rows)
    return result, sorted(set(out_a) | set(out_b))


def load_or_fit(
    path: str | Path | None = None,
    *,
    benchmark: str,
    seed: int = 0,
    out_dir: str | Path = "reports",
) -> Any:
    """A saved fit of ``benchmark``, else a new one with the default settings (saved).

    As :func:`algoattr.fit.load_or_fit`, and also when ``out_dir`` holds a summary whose
    posterior is missing: posteriors are not committed, so a fresh clone has the summaries of
    ``reports/`` without them. A line on standard error says that a fit is being made.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A saved ``*_summary.json``; when given it must be complete.
    benchmark : str
        Benchmark id or alias.
    seed : int
        Seed of a new fit.
    out_dir : str or pathlib.Path
        Where saved fits are looked for and a new one is written.

    Returns
    -------
    FitResult
    """
    try:
        from algoattr import fit as fitting
    except ImportError as exc:  # pragma: no cover - the fit module ships with the package
        raise UsageError(f"algoattr.fit is not available ({exc}); cannot obtain draws") from exc
    try:
        return fitting.load_or_fit(path, benchmark=benchmark, seed=seed, out_dir=out_dir)
    except MissingFitError:
        if path is not None:
            raise
    print(
        f"{PROG}: no saved posterior of {benchmark} in {out_dir}/ (posteriors are not "
        f"committed); fitting it now (`python -m algoattr.fit --benchmark {benchmark}`)",
        file=sys.stderr,
        flush=True,
    )
    result = fitting.run_fit(benchmark, settings=fitting.fast_or_full(False, seed=seed))
    result.save(out_dir, fitting.stem_of(benchmark))
    return result


def _default_loader() -> Callable[..., Any]:
    return load_or_fit


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Exact Shapley attribution (algorithms, compute, data) between model pairs.",
    )
    p.add_argument("--benchmark", required=True, help="benchmark id, e.g. imagenet, wikitext-103")
    p.add_argument(
        "--pair",
        nargs=2,
        action="append",
        metavar=("A", "B"),
        help="model pair A -> B (repeatable); default: the benchmark's reference pairs",
    )
    p.add_argument("--fit", default=None, help="saved fit to load (default: load or fit)")
    p.add_argument("--draws", type=positive_int, default=None, help="use at most this many draws")
    p.add_argument(
        "--seed", type=nonnegative_int, default=0, help="seed for the fit and the subsample"
    )
    p.add_argument("--interval", type=probability, default=0.9, help="central interval (0.9)")
    p.add_argument("--pairs-file", default=None, help="reference pairs YAML")
    p.add_argument("--csv", default=None, help="write the tidy table to this CSV file")
    add_debug_argument(p)
    return p


@command(PROG)
def main(
    argv: Sequence[str] | None = None,
    *,
    loader: Callable[..., Any] | None = None,
    dataset: pd.DataFrame | None = None,
) -> int:
    """Run the command line; returns the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default ``sys.argv[1:]``).
    loader : callable, optional
        Replaces :func:`algoattr.fit.load_or_fit`; called as
        ``loader(path=..., benchmark=..., seed=...)``.
    dataset : pandas.DataFrame, optional
        Replaces the benchmark's rows from :func:`algoattr.data.load_evaluations`.
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on a usage error, 0 on --help
        return int(exc.code or 0)
    bench = args.benchmark
    if args.pair:
        pairs = [tuple(p) for p in args.pair]
    else:
        reference = load_reference_pairs(args.pairs_file)
        if bench not in reference:
            raise UsageError(
                f"no reference pairs for {bench!r} (have: {', '.join(reference)}); use --pair"
            )
        pairs = reference[bench]
    if dataset is None:
        try:
            dataset = _dataset_rows(bench)
        except AlgoattrError:
            raise
        except ValueError as exc:  # unknown benchmark, with the known ids
            raise UsageError(str(exc)) from exc
    # Check the names against the data before any (slow) fit.
    model_rows(sorted({m for p in pairs for m in p}), bench, None, dataset)
    load = loader or _default_loader()
    fit = load(path=args.fit, benchmark=bench, seed=args.seed)
    try:
        result, outside = attribute_pairs(fit, bench, pairs, dataset, args.draws, args.seed)
    except AlgoattrError:
        raise
    except (ValueError, KeyError) as exc:  # e.g. a benchmark the fit does not cover
        raise UsageError(str(exc.args[0] if exc.args else exc)) from exc
    print(result.summary(interval=args.interval))
    if "compute" in result.groups:
        large = at.compute_share_of_large_gains(result, interval=args.interval)
        print(
            f"\ncompute's share of the predicted log-perplexity change, pairs whose predicted "
            f"perplexity falls by more than 1 ({len(large)} of {result.n_pairs}); "
            "Ho et al. 2024 report about 60-95%:"
        )
        for r in large.itertuples():
            print(
                f"  {r.pair}: {100 * r.median:.0f}% [{100 * r.lower:.0f}, {100 * r.upper:.0f}] "
                f"(perplexity {r.perplexity_change:+.1f})"
            )
    if outside:
        print(
            "\nnot in the fit sample (inputs from the dataset, law extrapolated): "
            + ", ".join(outside)
        )
    if args.csv:
        write_csv(result.table(interval=args.interval), args.csv)
        print(f"\ntable written to {args.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
