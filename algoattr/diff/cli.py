"""Command line of ``python -m algoattr.diff``: the parser, :func:`compare` and :func:`main`."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from typing import NoReturn

from algoattr import cli
from algoattr.data.load import BENCHMARKS_FILE
from algoattr.diff.formatting import Report, format_markdown, format_text
from algoattr.diff.git import (
    DATASETS_PREFIX,
    default_base,
    read_datasets_at,
    repo_root,
    resolve_commit,
)
from algoattr.diff.headline import (
    DEFAULT_N_BOOT,
    Headline,
    annotate_selection,
    bayes_headline,
    headline,
    load_rows,
    resolve_rules,
    selections,
)
from algoattr.diff.rows import Datasets, row_changes
from algoattr.errors import DataError
from algoattr.model.sampling import SAMPLERS

PROG = "python -m algoattr.diff"


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m algoattr.diff``."""
    p = _Parser(
        prog=PROG,
        description="Rows added, changed and removed since a git ref, and what they do to the "
        "doubling time of effective compute.",
    )
    p.add_argument(
        "--base",
        help="git ref of the base (default: git merge-base HEAD main; HEAD when that fails)",
    )
    p.add_argument("--repo", default=".", help="folder inside the repository (default: .)")
    p.add_argument(
        "--benchmark",
        help="benchmark id or alias to refit, e.g. lm, wikitext, ptb, imagenet "
        "(default: every task whose rows changed)",
    )
    p.add_argument("--rules", help="named selection rule set, when available (default: default)")
    p.add_argument("--bayes", action="store_true", help="also refit the Bayesian model (slow)")
    p.add_argument("--sampler", choices=SAMPLERS, default="nutpie", help="sampler of --bayes")
    p.add_argument("--draws", type=cli.positive_int, default=300, help="draws per chain (--bayes)")
    p.add_argument("--tune", type=cli.nonnegative_int, default=300, help="warm-up per chain")
    p.add_argument("--chains", type=cli.positive_int, default=2, help="chains of --bayes")
    p.add_argument(
        "--n-boot", type=cli.positive_int, default=DEFAULT_N_BOOT, help="bootstrap refits"
    )
    p.add_argument("--seed", type=cli.nonnegative_int, default=0, help="seed of every step")
    p.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="output format (default text)",
    )
    p.add_argument("--no-fit", action="store_true", help="only list the row changes")
    cli.add_debug_argument(p)
    return p


def compare(args: argparse.Namespace) -> Report:
    """Run the comparison of parsed arguments ``args``; see :func:`main`.

    Raises
    ------
    UsageError, DataError, GitError
    """
    from algoattr.data import DataValidationError

    top = repo_root(args.repo)
    head_root = top / DATASETS_PREFIX
    if not (head_root / BENCHMARKS_FILE).is_file():
        raise DataError(f"the working tree has no {DATASETS_PREFIX}/{BENCHMARKS_FILE}")
    if args.base is None:
        ref, note = default_base(top)
    else:
        ref, note = args.base, "given"
    sha = resolve_commit(ref, top)
    base_label = sha[:12] if ref == sha else f"{ref} ({sha[:12]})"
    with tempfile.TemporaryDirectory(prefix="algoattr-diff-") as tmp:
        base_root = read_datasets_at(sha, tmp, repo=top)
        base = Datasets.read(base_root)
        head = Datasets.read(head_root)
        changes = row_changes(base, head)
        yaml_changed = base.benchmarks_yaml != head.benchmarks_yaml
        rep = Report(
            base_label=base_label,
            head_label="working tree",
            base_note=note,
            changes=changes,
            yaml_changed=yaml_changed,
            rules_name=args.rules or "default",
            n_boot=args.n_boot,
            seed=args.seed,
        )
        for t in (*head.tables.values(), *base.tables.values()):
            if any(i.rule == "field_count" for i in t.issues):
                rep.notes.append(f"{t.label}: rows with a wrong field count are not compared")
        if args.no_fit:
            return rep
        sels = selections(head_root, changes, args.benchmark, yaml_changed)
        if not sels:
            rep.notes.append("no task's rows changed: nothing refitted (use --benchmark to force)")
        base_h: dict[str, Headline] = {}
        head_h: dict[str, Headline] = {}
        for sel in sels:
            rules, notes = resolve_rules(args.rules, sel.task)
            rep.notes.extend(n for n in notes if n not in rep.notes)
            base_rows = load_rows(base_root, sel.ids, validate=False)
            try:
                head_rows = load_rows(head_root, sel.ids, validate=True)
            except DataValidationError as exc:
                n = len(str(exc).splitlines())
                rep.errors.append(
                    f"the head data of {sel.label} do not validate ({n} lines of problems); "
                    "run python -m algoattr.data validate"
                )
                continue
            b = headline(base_rows, sel.task, rules=rules, n_boot=args.n_boot, seed=args.seed)
            h = headline(head_rows, sel.task, rules=rules, n_boot=args.n_boot, seed=args.seed)
            rep.headlines.append((sel, b, h))
            base_h[sel.label], head_h[sel.label] = b, h
            if args.bayes:
                kw = dict(
                    rules=rules,
                    seed=args.seed,
                    sampler=args.sampler,
                    draws=args.draws,
                    tune=args.tune,
                    chains=args.chains,
                )
                bb = bayes_headline(base_rows, sel.task, **kw)
                rep.bayes.append((sel, bb, bayes_headline(head_rows, sel.task, **kw)))
        annotate_selection(changes, base_h, head_h)
    return rep


@cli.command(PROG)
def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m algoattr.diff``.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success; 1 on an error (git fails, a ref without datasets, head data that do not
        validate); 2 on a usage error (unknown option, git ref, benchmark or rule set). An
        error prints one line, ``python -m algoattr.diff: error: ...``, on standard error.
    """
    args = build_parser().parse_args(argv)
    rep = compare(args)
    print(format_markdown(rep) if args.format == "markdown" else format_text(rep))
    if rep.errors:
        raise DataError(rep.errors[0])
    return 0
