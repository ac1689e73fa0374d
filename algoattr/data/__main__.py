"""Command line: ``python -m algoattr.data validate|summary|crosscheck-ho2024``.

``validate [FILES...] [--root DIR]`` checks the files against the schema; ``summary`` prints
the summary even when there are errors; ``crosscheck-ho2024 SAMPLE`` compares every system of
Ho et al. 2024's sample with the project's rows (:mod:`algoattr.data.crosscheck`).

Exit status: 0 when every checked file is valid (warnings allowed) and, for the cross-check,
every Ho system agrees or differs for a documented reason; 1 otherwise; 2 on a usage error.
The data files are never rewritten.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from algoattr.cli import add_debug_argument, command
from algoattr.data.load import (
    _empty_frame,
    _root,
    _typed,
    dataset_checksum,
    load_benchmarks,
    read_raw,
    relative_label,
)
from algoattr.data.schema import ValidationIssue
from algoattr.data.validate import errors, validate_files, warnings_
from algoattr.errors import DataError, UsageError
from algoattr.outputs import write_csv

PROG = "python -m algoattr.data"
MAX_WARNINGS_SHOWN = 15


def _display(issue: ValidationIssue, root: Path) -> str:
    """Issue line with the file shown relative to the working directory when possible."""
    path = Path(issue.file)
    if not path.is_absolute():
        path = root / path
    try:
        shown = os.path.relpath(path)
    except ValueError:  # different drive on Windows
        shown = str(path)
    if shown.startswith(".."):
        shown = str(path)
    return str(
        ValidationIssue(
            shown, issue.line, issue.column, issue.value, issue.rule, issue.message, issue.severity
        )
    )


def _bar(n: int, total: int, width: int = 24) -> str:
    return "#" * max(1 if n else 0, round(width * n / total)) if total else ""


def summarize(frame: pd.DataFrame, n_warnings: int, files: list[str]) -> str:
    """Format the one-screen summary of loaded rows.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows as returned by :func:`algoattr.data.load_evaluations`.
    n_warnings : int
        Number of validation warnings.
    files : list of str
        Files that were read.

    Returns
    -------
    str
    """
    out: list[str] = []
    total = len(frame)
    out.append(f"{total} rows in {len(files)} file(s): {', '.join(files) or '-'}")
    if total:
        out.append("rows per benchmark:")
        for bid, n in frame["benchmark"].value_counts(sort=False).items():
            out.append(f"  {bid:<16}{n:>5}  {_bar(n, total)}")
        years = frame["publication_date"].dt.year.dropna().astype(int)
        if len(years):
            out.append("rows per publication period:")
            bins = (years // 5) * 5
            for start, n in bins.value_counts().sort_index().items():
                out.append(f"  {start}-{start + 4:<11}{n:>5}  {_bar(n, total)}")
        out.append("rows per architecture_class:")
        for cls, n in frame["architecture_class"].value_counts().items():
            out.append(f"  {cls:<16}{n:>5}  {_bar(n, total)}")
        papers = frame["paper_id"].nunique()
        size = frame["training_tokens"].notna() | frame["training_images"].notna()
        out.append(f"distinct papers: {papers}")
        out.append(
            "rows with parameters {:.0%}, training size {:.0%}, compute {:.0%}".format(
                frame["parameters"].notna().mean(),
                size.mean(),
                frame["training_compute_flop"].notna().mean(),
            )
        )
        flags = [
            f"{c} {int(frame[c].fillna(False).astype(bool).sum())}"
            for c in ("extra_data", "zero_shot", "dynamic_eval", "cache")
        ]
        if "protocol" in frame and frame["protocol"].notna().any():
            counts = frame["protocol"].dropna().value_counts()
            flags.append("ImageNet " + ", ".join(f"{k} {int(v)}" for k, v in counts.items()))
        out.append("flagged rows: " + ", ".join(flags))
        out.extend(fit_preview(frame))
    out.append(f"warnings: {n_warnings}")
    return "\n".join(out)


def fit_preview(frame: pd.DataFrame) -> list[str]:
    """What the default fit rules would do with these rows: kept, and excluded by reason.

    A contributor sees here whether a new row will enter the fits, and why not if it will
    not (``datasets/README.md``, "Exclusions at fit time").
    """
    from algoattr.model.design import (
        IMAGENET_TASK,
        LM_TASK,
        RULE_SETS,
        resolve_rules,
        select_rows,
    )

    out = []
    for task, label in ((LM_TASK, "language models"), (IMAGENET_TASK, "ImageNet")):
        is_img = frame["benchmark"].astype(str) == "imagenet"
        rows = frame[is_img if task == IMAGENET_TASK else ~is_img]
        if rows.empty:
            continue
        rules = resolve_rules(RULE_SETS["default"], task, False)
        used, excluded = select_rows(rows, task, rules)
        out.append(f"default fit rules, {label}: {len(used)} rows kept, {len(excluded)} excluded")
        for reason, n in excluded["reason"].value_counts().items():
            out.append(f"  {n:>5}  {reason}")
    return out


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m algoattr.data`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Validate and summarise the algoattr datasets (files are never rewritten).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("validate", "check files against the schema; exit 1 on errors"),
        ("summary", "print the summary even when there are errors; exit 1 on errors"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument(
            "files", nargs="*", type=Path, help="CSV files (default: every file in benchmarks.yaml)"
        )
        p.add_argument(
            "--root",
            type=Path,
            default=None,
            help="datasets directory (default: $ALGOATTR_DATASETS or <repo>/datasets)",
        )
        p.add_argument(
            "--all-warnings",
            action="store_true",
            help=f"list every warning (default: the first {MAX_WARNINGS_SHOWN})",
        )
        add_debug_argument(p)
    text = "compare each system of Ho et al. 2024's sample with the project's rows"
    p = sub.add_parser("crosscheck-ho2024", help=text, description=text)
    p.add_argument(
        "sample",
        type=Path,
        help="Ho et al.'s 231-row file (row, system, log_ppl_actual, log_ppl_pred_model7)",
    )
    p.add_argument("--root", type=Path, default=None, help="datasets directory")
    p.add_argument("--table", type=Path, default=None, help="write the per-row table (CSV)")
    add_debug_argument(p)
    return parser


def _crosscheck(args: argparse.Namespace, root: Path) -> int:
    """Run ``crosscheck-ho2024``: print the summary, write the table, return the exit code."""
    from algoattr.data.crosscheck import (
        NOT_INCLUDED_FILE,
        crosscheck_ho2024,
        read_ho2024_sample,
        read_not_included,
    )
    from algoattr.data.evaluations import load_evaluations

    _check_named_file(args.sample)
    try:
        sample = read_ho2024_sample(args.sample)
        left_out = read_not_included(root / NOT_INCLUDED_FILE)
    except UnicodeDecodeError as exc:
        raise DataError(f"{args.sample}: not UTF-8 text ({exc.reason})") from exc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = load_evaluations("lm", root=root)
    result = crosscheck_ho2024(rows, sample, left_out)
    print(result.summary())
    if args.table is not None:
        write_csv(result.table, args.table, lineterminator="\n")
        print(f"table: {args.table}")
    return 0 if result.ok else 1


def _check_named_file(path: Path) -> None:
    """Refuse a named input that is missing or a folder (exit 2)."""
    if path.is_dir():
        raise UsageError(f"{path}: is a folder, expected a file")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")


@command(PROG)
def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line interface.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        0 valid, 1 invalid (or an unreadable ``benchmarks.yaml``), 2 usage error.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    root = _root(args.root)
    if not root.is_dir():
        raise UsageError(f"{root}: no such datasets folder (use --root)")
    if not (root / "benchmarks.yaml").is_file():
        raise UsageError(f"no benchmarks.yaml in {root} (use --root)")
    benchmarks = load_benchmarks(root)
    if args.command == "crosscheck-ho2024":
        return _crosscheck(args, root)
    for f in args.files:
        _check_named_file(f)
    paths = list(args.files) if args.files else [b.file for b in benchmarks.values()]
    issues = validate_files(list(args.files) if args.files else None, root=root)
    skipped = [relative_label(p, root) for p in paths if not p.is_file()]
    present = [p for p in paths if p.is_file()]
    errs, warns = errors(issues), warnings_(issues)
    warns = [w for w in warns if w.rule != "file_missing"]

    print(f"datasets root: {root}")
    for name in skipped:
        print(f"skipped {name}: file does not exist yet")
    if errs:
        for issue in errs:
            print(_display(issue, root))
        for issue in warns:
            print(_display(issue, root) + " (warning)")
        print(f"{len(errs)} error(s), {len(warns)} warning(s) in {len(present)} file(s)")
        if args.command != "summary":
            return 1

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames = [_typed(read_raw(p, root), root) for p in present]
    frame = pd.concat(frames, ignore_index=True) if frames else _empty_frame()
    print(summarize(frame, len(warns), [relative_label(p, root) for p in present]))
    if errs:  # summary of invalid data
        return 1
    shown = warns if args.all_warnings else warns[:MAX_WARNINGS_SHOWN]
    for issue in shown:
        print(_display(issue, root) + " (warning)")
    if len(shown) < len(warns):
        print(f"... {len(warns) - len(shown)} more warning(s); --all-warnings lists them")
    if not args.files:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            print(f"dataset checksum: {dataset_checksum(root=root)[:16]}")
    print(f"OK: {len(frame)} rows valid" + (f", {len(warns)} warning(s)" if warns else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
