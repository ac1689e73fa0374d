"""Report sections that render analyses computed by :mod:`algoattr.pipeline`: reference-pair
attribution, the threshold method and the retraining suite's results.

Each takes the pipeline's results (where an analysis could not be computed, a note in its
place) and returns the template's tables and figures; nothing here computes an estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from algoattr.intervals import ci_label
from algoattr.pipeline.discovery import relative_posix as _rel
from algoattr.report.html import safe_figure
from algoattr.report.tables import fmt_interval, fmt_num, make_table

__all__ = ["attribution_section", "retraining_block", "threshold_block"]


def attribution_section(items: Sequence[Any], notes: list[str]) -> list[dict[str, Any]]:
    """Per benchmark with reference pairs: share bars, multipliers and tables.

    Parameters
    ----------
    items : sequence of PairAttribution or str
        :attr:`algoattr.pipeline.FitStudy.attribution`; a ``str`` is a note.
    notes : list of str
        The report's notes, appended to.

    Returns
    -------
    list of dict
    """
    from algoattr import plots
    from algoattr.report.aggregate import aggregate_block

    out = []
    for item in items:
        if isinstance(item, str):
            notes.append(item)
            continue
        bench, attr, outside = item.benchmark, item.attribution, item.outside
        notes.extend(item.notes)
        whole = None
        if item.whole is not None:
            try:
                whole = aggregate_block(item.whole)
            except Exception as exc:
                notes.append(f"Whole-period shares on {bench} not computed: {exc}")
        space = "log-perplexity" if attr.law == "lm" else "logit of accuracy"
        shares_fig = safe_figure(
            lambda attr=attr: plots.attribution_shares(attr),
            f"Stacked bars: shares of algorithms, compute and data in the change of {space} "
            f"for {attr.n_pairs} reference pairs on {bench}, with {ci_label()}s",
            f"Shapley shares of the predicted change in {space} per pair A → B (the fitted law "
            f"at A's and B's inputs, not observed values; {attr.n_draws} posterior draws; bars "
            f"are medians, whiskers {ci_label()}s).",
            notes,
        )
        mult_fig = safe_figure(
            lambda attr=attr: plots.compute_equivalent_multipliers(attr),
            f"Compute-equivalent multipliers of algorithmic progress for the reference pairs on "
            f"{bench}, on a log axis, next to the actual compute growth",
            "Compute-equivalent multiplier of the algorithms' share, (C_B/C_A)^(φ_alg/φ_compute), "
            f"median and {ci_label()}; bars mark the actual compute growth.",
            notes,
        )
        groups = attr.table()
        g = groups[
            (groups["space"] == attr.space_names.get("law", "law"))
            & (groups["kind"] == "fraction")
            & (groups["grouping"] == "group")
        ]
        wide = g.assign(
            cell=[
                fmt_interval(100 * m, 100 * lo, 100 * hi)
                for m, lo, hi in zip(g["median"], g["lower"], g["upper"], strict=True)
            ]
        ).pivot_table(index="pair", columns="player", values="cell", aggfunc="first", sort=False)
        mult = attr.compute_equivalent_multiplier()
        mult["multiplier"] = [
            fmt_interval(m, lo, hi)
            for m, lo, hi in zip(mult["median"], mult["lower"], mult["upper"], strict=True)
        ]
        wide = wide.join(mult.set_index("pair")[["compute_ratio", "multiplier"]])
        wide.index.name = "pair"
        cols = {"pair": "Pair A → B"}
        cols.update({grp: f"{grp} share (%)" for grp in attr.groups})
        cols["compute_ratio"] = "Compute growth C_B/C_A (×)"
        cols["multiplier"] = "Compute-equivalent multiplier of algorithms (×)"
        table = make_table(
            wide.reset_index(),
            columns=cols,
            caption=f"Group shares of the PREDICTED change in {space} (the fitted law at A's and "
            f"B's inputs, not observed values) and multipliers: median [{ci_label()}]",
        )
        out.append(
            {
                "benchmark": bench,
                "whole": whole,
                "n_pairs": attr.n_pairs,
                "n_draws": attr.n_draws,
                "outside": outside,
                "figures": [f for f in (shares_fig, mult_fig) if f],
                "table": table,
                "groups": {k: " + ".join(v) for k, v in attr.groups.items()},
            }
        )
    return out


def threshold_block(analysis: Any, notes: list[str]) -> dict[str, Any] | None:
    """The threshold method's tables and figures on one benchmark (a note when not computed).

    Parameters
    ----------
    analysis : ThresholdAnalysis or str
        :func:`algoattr.pipeline.analyses.threshold_analysis`; a ``str`` is a note.
    notes : list of str
        The report's notes, appended to.

    Returns
    -------
    dict or None
    """
    from algoattr import plots

    if isinstance(analysis, str):
        notes.append(analysis)
        return None
    bench, res, sweep = analysis.benchmark, analysis.result, analysis.sweep
    lo, hi = res.halving_months_regression_ci
    summary = pd.DataFrame(
        [
            ("Rows usable (with compute, date, value)", fmt_num(res.n_usable)),
            ("Rows reaching the threshold", fmt_num(res.n_reached)),
            ("Frontier points", fmt_num(len(res.frontier))),
            ("Reduction factor, first → last frontier point (×)", fmt_num(res.reduction_factor)),
            ("Period (months)", fmt_num(res.months)),
            ("Halving time, endpoint (months)", fmt_num(res.halving_months_endpoint)),
            (
                "Halving time, regression (months) [95% CI]",
                fmt_interval(res.halving_months_regression, lo, hi),
            ),
            (
                "Sensitivity: endpoint halving time, max/min over thresholds (×)",
                fmt_num(sweep.spread()),
            ),
        ],
        columns=["figure", "value"],
    )
    sweep_t = sweep.table()
    return {
        "benchmark": bench,
        "criterion": res.criterion,
        "summary": make_table(
            summary, columns={"figure": "Figure", "value": "Value"}, caption=res.criterion
        ),
        "frontier": make_table(
            res.table(),
            columns={
                "model": "Model",
                "year": "Year",
                "training_compute_flop": "Training compute (FLOP)",
                "value": f"Value ({res.metric or 'metric'})",
                "top5_error": "Top-5 error (%)",
                "reduction_factor": "Reduction vs first (×)",
            },
            formats={"year": lambda v: f"{v:.2f}"},
            caption="Frontier: each model a new lowest compute among those at the threshold",
        ),
        "sweep": make_table(
            sweep_t,
            columns={
                "threshold": f"Threshold ({res.metric or 'value'})",
                "n_reached": "Rows reaching",
                "n_frontier": "Frontier points",
                "first": "First",
                "last": "Last",
                "months": "Months",
                "reduction_factor": "Reduction (×)",
                "halving_months_endpoint": "Halving, endpoint (months)",
                "halving_months_regression": "Halving, regression (months)",
            },
            caption="Threshold sweep: the same method at other thresholds",
        ),
        "figures": [
            f
            for f in (
                safe_figure(
                    lambda: plots.threshold_curve(res),
                    f"Training compute of models reaching the threshold on {bench} against "
                    "publication date, log scale, with the frontier of least compute",
                    "Grey: every usable row at the threshold; blue: the frontier.",
                    notes,
                ),
                safe_figure(
                    lambda: plots.threshold_sensitivity(sweep),
                    f"Halving time and reduction factor against the threshold on {bench}",
                    "How the threshold method's answer moves with the threshold.",
                    notes,
                ),
            )
            if f
        ],
    }


def retraining_block(retraining: Any, notes: list[str]) -> dict[str, Any] | None:
    """One entry per ladder folder: its frontier figure (when its logs were read) and the fit,
    gap, CEG and interaction tables; ``files`` lists every file read, for the manifest.

    Parameters
    ----------
    retraining : Retraining or None
        :func:`algoattr.pipeline.analyses.read_retraining`.
    notes : list of str
        The report's notes, appended to.

    Returns
    -------
    dict or None
    """
    from algoattr import plots

    if retraining is None:
        return None
    base = retraining.base
    ladders = []
    captions = {
        "fits": f"Frontier fits L = E + A·C^−α (bootstrap {ci_label()}s)",
        "gaps": "Exponent gaps α_new − α_ref",
        "ceg": "Compute-equivalent gain over the reference family",
        "interaction": "Single switches against the combined change (by-loss CEG)",
    }
    for ladder in retraining.ladders:
        folder, read, settings = ladder.folder, ladder.frames, ladder.settings
        notes.extend(ladder.notes)
        tables = {
            stem: make_table(
                read[stem],
                caption=f"{captions[stem]} ({_rel(folder / f'{stem}.csv', base.parent.parent)})",
            )
            for stem in captions
            if stem in read
        }
        window = tuple(settings["window_flop"]) if "window_flop" in settings else None
        fig = None
        if "frontier" in read:
            fig = safe_figure(
                lambda r=read, w=window: plots.training_frontiers(
                    r["frontier"], r.get("fits"), r.get("metrics"), w
                ),
                f"Log-log plot of validation loss against training compute per family for "
                f"{folder.name}: every run faint, compute-optimal frontiers bold, fixed-E laws "
                "dashed",
                f"{ladder.title}: validation loss against training FLOPs. Faint: each "
                "run; bold: the compute-optimal frontier; dashed: the fixed-E law over the fit "
                "window (dotted lines).",
                notes,
            )
        calibration = None
        if settings.get("calibration"):
            calibration = make_table(
                pd.DataFrame(list(settings["calibration"].items()), columns=["quantity", "value"]),
                caption="Measured against the observational model's Transformer effect "
                f"({_rel(folder / 'fit.json', base.parent.parent)})",
            )
        ladders.append(
            {
                "name": folder.name,
                "title": ladder.title,
                "figure": fig,
                "calibration": calibration,
                "tables": [
                    tables[k] for k in ("fits", "gaps", "ceg", "interaction") if k in tables
                ],
            }
        )
    return {"ladders": ladders, "files": list(retraining.files)}
