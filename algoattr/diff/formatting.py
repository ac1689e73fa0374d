"""The comparison as a :class:`Report`, printed as plain text or Markdown."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from algoattr.data.load import BENCHMARKS_FILE
from algoattr.diff.git import DATASETS_PREFIX
from algoattr.diff.headline import Headline, Selection
from algoattr.diff.rows import FileChanges, RowChange

#: Longest cell text shown before it is cut with an ellipsis.
MAX_CELL = 70
#: Files with more changed rows than this fold their Markdown table into ``<details>``.
MAX_OPEN_ROWS = 15


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


def _cut(text: str, n: int = MAX_CELL) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _num(x: float | None, signed: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if math.isinf(x):
        return ("+" if x > 0 and signed else "") + ("inf" if x > 0 else "-inf")
    return f"{x:+.1f}" if signed else f"{x:.1f}"


def _delta(a: float | None, b: float | None) -> float:
    if a is None or b is None:
        return float("nan")
    if math.isinf(a) and math.isinf(b) and a == b:
        return 0.0
    return b - a


def _interval(m: Mapping[str, float]) -> str:
    if "lower" not in m:
        return "n/a"
    return f"[{_num(m['lower'])}, {_num(m['upper'])}]"


def _status_text(r: RowChange) -> str:
    if r.kind == "added":
        return r.head_status
    if r.kind == "removed":
        return f"was {r.base_status}" if r.base_status else ""
    if r.base_status and r.head_status and r.base_status != r.head_status:
        return f"{r.base_status} → {r.head_status}"
    return r.head_status


def _excerpts(old: str, new: str, n: int = 40, context: int = 12) -> tuple[str, str]:
    """Short excerpts of two texts around where they differ (common ends cut to ``…``)."""
    old, new = " ".join(old.split()), " ".join(new.split())
    if len(old) <= n and len(new) <= n:
        return old, new
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    q = 0
    while q < min(len(old), len(new)) - p and old[-1 - q] == new[-1 - q]:
        q += 1
    start = max(p - context, 0)

    def cut(t: str) -> str:
        mid = t[start : len(t) - max(q - context, 0)]
        tail = "…" if q > context else ""
        if len(mid) > n:
            mid, tail = mid[: n - 1], "…"
        return ("…" if start else "") + mid + tail

    return cut(old), cut(new)


def _cells_text(r: RowChange, md: bool = False) -> str:
    q = "`" if md else '"'
    parts = []
    for c, o, n in r.cells:
        o, n = _excerpts(o, n)
        parts.append(f"{c}: {q}{o}{q} → {q}{n}{q}")
    return "; ".join(parts)


@dataclass
class Report:
    """Everything :func:`main` prints."""

    base_label: str
    head_label: str
    base_note: str
    changes: list[FileChanges]
    yaml_changed: bool
    rules_name: str
    n_boot: int
    seed: int
    headlines: list[tuple[Selection, Headline, Headline]] = field(default_factory=list)
    bayes: list[tuple[Selection, Headline, Headline]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    prefix: str = DATASETS_PREFIX


def _row_where(prefix: str, r: RowChange) -> str:
    """``datasets/<file>:<line>`` of the head row (of the base row, marked, when removed)."""
    if r.kind == "removed":
        return f"{prefix}/{r.file}:{r.base_line} (base)"
    return f"{prefix}/{r.file}:{r.head_line}"


def format_text(rep: Report) -> str:
    """The report as plain text."""
    out = [
        f"algoattr.diff: base {rep.base_label} ({rep.base_note}) -> head {rep.head_label}",
        "both sides are selected and fitted with the working tree's code "
        f"(rules: {rep.rules_name})",
        "",
        "Rows (keyed by file, model, benchmark, source)",
    ]
    any_change = False
    for fc in rep.changes:
        if not fc.changed:
            continue
        any_change = True
        out.append(
            f"{rep.prefix}/{fc.file} ({fc.status}): {fc.count('added')} added, "
            f"{fc.count('changed')} changed, {fc.count('removed')} removed"
        )
        if fc.columns_added:
            out.append(f"  columns added: {', '.join(fc.columns_added)}")
        if fc.columns_removed:
            out.append(f"  columns removed: {', '.join(fc.columns_removed)}")
        for r in fc.rows:
            model, bench, source = r.key
            sign = {"added": "+", "removed": "-", "changed": "~"}[r.kind]
            out.append(
                f"  {sign} {_row_where(rep.prefix, r)}  {model} [{bench}] ({_cut(source, 50)})"
            )
            if r.cells:
                out.append(f"      {_cells_text(r)}")
            st = _status_text(r)
            if st:
                out.append(f"      fit: {st}")
    if rep.yaml_changed:
        any_change = True
        out.append(f"{rep.prefix}/{BENCHMARKS_FILE}: changed")
    if not any_change:
        out.append("no row changes")
    for title, block in (
        ("papers' estimators", rep.headlines),
        ("Bayesian model (--bayes)", rep.bayes),
    ):
        if not block:
            continue
        out += ["", f"Doubling time of effective compute, months: {title}"]
        for sel, b, h in block:
            out.append(f"{sel.label}: {h.estimator or b.estimator}")
            if title.startswith("papers"):
                out.append(f"  ({rep.n_boot} bootstrap refits, seed {rep.seed}; 95% interval)")
            out.append(f"  {'':<7} {'rows used':>9} {'point':>7} {'median':>7}  95% interval")
            for name, x in (("base", b), ("head", h)):
                out.append(
                    f"  {name:<7} {x.n_used:>9} {_num(x.months.get('point')):>7} "
                    f"{_num(x.months.get('median')):>7}  {_interval(x.months)}"
                )
            dp = _delta(b.months.get("point"), h.months.get("point"))
            dm = _delta(b.months.get("median"), h.months.get("median"))
            out.append(
                f"  {'change':<7} {h.n_used - b.n_used:>+9} {_num(dp, True):>7} {_num(dm, True):>7}"
            )
            for name, x in (("base", b), ("head", h)):
                out.extend(f"  note ({name}): {n}" for n in x.notes)
    if rep.notes or rep.errors:
        out.append("")
    out.extend(f"note: {n}" for n in rep.notes)
    out.extend(f"error: {e}" for e in rep.errors)
    return "\n".join(out)


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def format_markdown(rep: Report) -> str:
    """The report as GitHub-flavoured Markdown (for a CI job summary or comment)."""
    out = [
        "## What does this pull request change?",
        "",
        f"Base `{rep.base_label}` ({_md(rep.base_note)}) → head {rep.head_label}; both sides are "
        f"selected and fitted with the head's code (rules: `{rep.rules_name}`).",
        "",
        "### Rows",
        "",
    ]
    any_change = False
    for fc in rep.changes:
        if not fc.changed:
            continue
        any_change = True
        out.append(
            f"**`{rep.prefix}/{fc.file}`** ({fc.status}): {fc.count('added')} added, "
            f"{fc.count('changed')} changed, {fc.count('removed')} removed"
        )
        out.append("")
        if fc.columns_added:
            out.append(f"- columns added: {', '.join(f'`{c}`' for c in fc.columns_added)}")
        if fc.columns_removed:
            out.append(f"- columns removed: {', '.join(f'`{c}`' for c in fc.columns_removed)}")
        if fc.columns_added or fc.columns_removed:
            out.append("")
        if fc.rows:
            fold = len(fc.rows) > MAX_OPEN_ROWS
            if fold:
                out += [f"<details><summary>{len(fc.rows)} rows</summary>", ""]
            out += [
                "| | row | model | benchmark | source | changes | fit |",
                "|---|---|---|---|---|---|---|",
            ]
            for r in fc.rows:
                model, bench, source = r.key
                out.append(
                    f"| {r.kind} | `{_row_where(rep.prefix, r)}` | {_md(model)} | {bench} "
                    f"| {_md(_cut(source, 50))} | {_md(_cells_text(r, md=True))} "
                    f"| {_md(_status_text(r))} |"
                )
            out.append("")
            if fold:
                out += ["</details>", ""]
    if rep.yaml_changed:
        any_change = True
        out += [f"**`{rep.prefix}/{BENCHMARKS_FILE}`** changed", ""]
    if not any_change:
        out += ["No row changes.", ""]
    for title, block in (
        ("papers' estimators", rep.headlines),
        ("Bayesian model", rep.bayes),
    ):
        if not block:
            continue
        out += [
            f"### Doubling time of effective compute (months): {title}",
            "",
            "| benchmarks | estimator | side | rows used | point | median | 95% interval |",
            "|---|---|---|---|---|---|---|",
        ]
        for sel, b, h in block:
            est = _md(h.estimator or b.estimator)
            for name, x in (("base", b), ("head", h)):
                out.append(
                    f"| `{sel.label}` | {est} | {name} | {x.n_used} | "
                    f"{_num(x.months.get('point'))} | {_num(x.months.get('median'))} | "
                    f"{_interval(x.months)} |"
                )
            dp = _delta(b.months.get("point"), h.months.get("point"))
            dm = _delta(b.months.get("median"), h.months.get("median"))
            out.append(
                f"| `{sel.label}` | {est} | **change** | {h.n_used - b.n_used:+d} | "
                f"**{_num(dp, True)}** | **{_num(dm, True)}** | |"
            )
        out.append("")
        notes = [
            f"{sel.label} ({name}): {n}"
            for sel, b, h in block
            for name, x in (("base", b), ("head", h))
            for n in x.notes
        ]
        if title.startswith("papers"):
            notes.insert(0, f"{rep.n_boot} bootstrap refits, seed {rep.seed}")
        out += [f"- {_md(n)}" for n in notes] + [""]
    if rep.notes or rep.errors:
        out += [f"- note: {_md(n)}" for n in rep.notes]
        out += [f"- **error**: {_md(e)}" for e in rep.errors]
        out.append("")
    return "\n".join(out)
