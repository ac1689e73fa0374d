"""Outputs of a backtest: the score table, its figures and a self-contained HTML report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr import __version__
from algoattr.backtest.run import SCALE, BacktestResult, is_bayes
from algoattr.model.design import IMAGENET_TASK, LM_TASK
from algoattr.pipeline.fits import stem_of

#: Range of the doubling-time axis (months); interval ends beyond it are drawn as arrows.
DOUBLING_AXIS_MONTHS = (0.5, 240.0)
#: Method id of the papers' estimator per task.
PAPER_METHOD = {LM_TASK: "ho2024", IMAGENET_TASK: "erdil2022"}


# ----------------------------------------------------------------------------- outputs


def write_outputs(result: BacktestResult, out_dir: str | Path) -> dict[str, Path]:
    """Write ``backtest_<stem>.csv`` (scores), ``backtest_<stem>_predictions.csv`` and the
    HTML report with its manifest; returns the paths."""
    from algoattr.outputs import output_folder, write_csv

    out = output_folder(out_dir)
    stem = f"backtest_{stem_of(result.benchmark)}"
    paths = {
        "scores": write_csv(result.scores, out / f"{stem}.csv"),
        "predictions": write_csv(result.predictions, out / f"{stem}_predictions.csv"),
    }
    paths["report"] = build_backtest_report(
        result, out, stem, [paths["scores"], paths["predictions"]]
    )
    return paths


def doubling_figure(scores: pd.DataFrame) -> Any:
    """Doubling time estimated at each cut-off, median and 95% interval, per method.

    Interval ends beyond :data:`DOUBLING_AXIS_MONTHS` (an infinite upper end when the rate's
    lower bound is ≤ 0) are drawn at the edge of the axes with a triangle.
    """
    from algoattr.plots import _figure

    fig = _figure(6.5, 3.6)
    ax = fig.add_subplot()
    keep = scores[~scores["method"].str.endswith("+resid")]
    methods = list(dict.fromkeys(keep["method"]))
    finite = keep[["doubling_median", "doubling_lower", "doubling_upper"]].to_numpy(float)
    finite = finite[np.isfinite(finite) & (finite > 0)]
    # Bootstrap refits whose exponent collapses give rates near infinity (doubling times of
    # 1e-9 months); the axes show DOUBLING_AXIS_MONTHS and mark the ends beyond it.
    floor, ceiling = DOUBLING_AXIS_MONTHS
    top = float(np.clip(finite.max() * 1.5, 12.0, ceiling)) if finite.size else ceiling
    bottom = float(np.clip(finite.min() / 1.5, floor, 3.0)) if finite.size else floor
    for j, m in enumerate(methods):
        d = keep[keep["method"] == m]
        x = d["cutoff"].to_numpy(float) + (j - (len(methods) - 1) / 2) * 0.15
        med = d["doubling_median"].to_numpy(float)
        lo = d["doubling_lower"].to_numpy(float)
        hi = d["doubling_upper"].to_numpy(float)
        open_top = ~np.isfinite(hi) | (hi > top)
        open_bottom = lo < bottom
        hi = np.where(open_top, top, hi)
        lo = np.where(open_bottom, bottom, lo)
        med_shown = np.clip(np.where(np.isfinite(med), med, top), bottom, top)
        line = ax.errorbar(
            x,
            med_shown,
            yerr=[med_shown - lo, hi - med_shown],
            fmt="o",
            capsize=3,
            label=f"{m} (median, 95% interval)",
        )
        colour = line[0].get_color()
        if open_top.any():
            ax.plot(x[open_top], hi[open_top], "^", color=colour, ms=6)
        if open_bottom.any():
            ax.plot(x[open_bottom], lo[open_bottom], "v", color=colour, ms=6)
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ax.set_yscale("log")
    ax.set_ylim(bottom, top * 1.1)
    ax.yaxis.set_major_locator(FixedLocator([1, 2, 3, 6, 12, 24, 48, 96, 192]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("cut-off year T (rows public by the end of T)")
    ax.set_ylabel("doubling time (months)")
    years = sorted(int(t) for t in keep["cutoff"].unique())
    ax.set_xticks(years, [str(t) for t in years])
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    return fig


def predicted_figure(predictions: pd.DataFrame, scale: str) -> Any:
    """Predicted against observed for the held-out rows, with 90% intervals, per method."""
    from algoattr.plots import _figure

    keep = predictions[~predictions["method"].str.endswith("+resid")]
    methods = list(dict.fromkeys(keep["method"]))
    fig = _figure(3.4 * len(methods), 3.6)
    axes = fig.subplots(1, len(methods), sharex=True, sharey=True, squeeze=False)[0]
    cutoffs = sorted(keep["cutoff"].unique())
    import seaborn as sns

    colours = dict(zip(cutoffs, sns.color_palette("viridis", len(cutoffs)), strict=True))
    lo = float(np.nanmin(keep[["observed", "lower_90"]].to_numpy(float)))
    hi = float(np.nanmax(keep[["observed", "upper_90"]].to_numpy(float)))
    for ax, m in zip(axes, methods, strict=True):
        d = keep[keep["method"] == m]
        for t in cutoffs:
            e = d[d["cutoff"] == t]
            ax.errorbar(
                e["observed"],
                e["predicted"],
                yerr=[e["predicted"] - e["lower_90"], e["upper_90"] - e["predicted"]],
                fmt="o",
                ms=3,
                elinewidth=0.6,
                alpha=0.7,
                color=colours[t],
                label=f"T = {t}",
            )
        ax.plot([lo, hi], [lo, hi], color="0.3", lw=0.8, ls="--")
        ax.set_title(m)
        ax.set_xlabel(f"observed ({scale})")
    axes[0].set_ylabel(f"predicted ({scale}), 90% interval")
    axes[-1].legend(fontsize="x-small", title="cut-off")
    return fig


#: The backtest report; extends the package's base template and macros.
REPORT_TEMPLATE = """{% extends "base.html" %}
{% import "macros.html" as m with context %}
{% block header %}
<h1 id="header">{{ header.title }}</h1>
<p>algoattr {{ header.package_version }}; built {{ header.report_date }}. {{ header.subtitle }}</p>
{% endblock %}
{% block content %}
<section id="method">
<h2>What is scored</h2>
<p>For each cut-off year T the law is fitted on the rows whose figures were public by the end
of T (selection: {{ rules_text }}) and predicts every later usable row from its size and date,
on the scale of the law ({{ scale }}). <b>bayes</b>: the posterior predictive distribution
(the law at each posterior draw plus the residual). <b>{{ paper }}</b>: the papers' estimator
({{ m.cite(paper) }}), its full-sample point prediction and the percentile interval of
{{ n_boot }} bootstrap refits' predictions, an interval for the law's mean as the papers report
it; <b>{{ paper }}+resid</b> adds a Normal residual to each bootstrap prediction.
A calibrated 50% (90%) interval covers about 50% (90%) of the held-out rows. The doubling time
is the one each method estimates from the rows public at T. Held-out rows of a benchmark with
no row in the fit have no fitted constants and are counted as not predictable.</p>
</section>
<section id="scores">
<h2>Scores by cut-off</h2>
{{ m.table(scores) }}
</section>
<section id="figures">
<h2>Figures</h2>
{{ m.figure(doubling) }}
{{ m.figure(predicted) }}
</section>
<section id="reproduce">
<h2>Reproduce</h2>
<pre>{{ command }}</pre>
<p>Sampler: {{ settings_text }}. Wall time {{ wall|num }} s with {{ jobs }} job(s).</p>
{{ m.notes(notes) }}
{{ m.versions(versions) }}
</section>
{% endblock %}
"""


def build_backtest_report(
    result: BacktestResult, out_dir: Path, stem: str, outputs: Sequence[Path] = ()
) -> Path:
    """Write ``<out_dir>/<stem>.html`` (self-contained, inline SVG figures) and its manifest.

    The index (:func:`algoattr.report.builder.build_index`) lists it like every report with
    a manifest.
    """
    import datetime as dt

    from algoattr.outputs import write_text
    from algoattr.report import builder

    notes: list[str] = []
    columns = {
        "cutoff": "Cut-off T",
        "method": "Method",
        "n_train": "Rows fitted",
        "n_test": "Rows predicted",
        "n_unpredictable": "Not predictable",
        "median_abs_error": "Median |error|",
        "coverage_50": "50% coverage",
        "coverage_90": "90% coverage",
        "doubling": "Doubling time at T, months [95%]",
        "divergences": "Divergences",
    }
    table = result.scores.copy()
    table["doubling"] = [
        builder.fmt_interval(r.doubling_median, r.doubling_lower, r.doubling_upper)
        for r in table.itertuples()
    ]
    scale = SCALE[result.task]
    doubling = builder._safe_figure(
        lambda: doubling_figure(result.scores),
        "Doubling time against cut-off year: median and 95% interval per method",
        "Doubling time of effective compute estimated from the rows public at each cut-off "
        "(a triangle: the interval runs beyond the axes, upward to infinity when the rate's "
        "lower bound is <= 0; a median drawn at the top edge is infinite).",
        notes,
    )
    predicted = builder._safe_figure(
        lambda: predicted_figure(result.predictions, scale),
        "Predicted against observed for the held-out rows, with 90% intervals",
        f"Held-out rows at every cut-off ({scale}); the dashed line is a perfect prediction.",
        notes,
    )
    if not result.scores.loc[is_bayes(result.scores["method"]), "diagnostics_ok"].all():
        notes.append("The sampler's diagnostics failed at some cut-off (see the CSV).")
    s = result.settings
    ctx = {
        "header": {
            "title": f"Out-of-time backtest: {result.benchmark}",
            "subtitle": f"{result.scores['cutoff'].nunique()} cut-offs.",
            "report_date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "package_version": __version__,
        },
        "rules_text": result.extras.get("rules_text", ""),
        "scale": scale,
        "paper": PAPER_METHOD[result.task],
        "n_boot": result.n_boot,
        "scores": builder.make_table(
            table,
            columns=columns,
            formats={"cutoff": str},
            caption=f"Errors and coverage on the {scale} scale; doubling time of effective "
            "compute in months.",
        ),
        "doubling": doubling,
        "predicted": predicted,
        "command": result.extras.get(
            "command", f"python -m algoattr.backtest --benchmark {result.benchmark}"
        ),
        "settings_text": f"{s.sampler}, {s.chains} chains x {s.draws} draws after {s.tune} "
        f"warm-up steps, target acceptance {s.target_accept}; run seed {result.seed}",
        "wall": result.wall_time_s,
        "jobs": result.extras.get("jobs", 1),
        "notes": notes,
        "versions": builder.versions(),
    }
    env = builder._environment()
    css = (builder.TEMPLATES / "style.css").read_text(encoding="utf-8")
    html = env.from_string(REPORT_TEMPLATE).render(css=css, citations=builder.CITATIONS, **ctx)
    path = write_text(out_dir / f"{stem}.html", html)
    bayes = result.scores[is_bayes(result.scores["method"])]
    builder.write_manifest(
        path,
        kind="backtest",
        title=ctx["header"]["title"],
        inputs=builder._benchmark_files(result.extras.get("benchmarks", []), None),
        outputs=list(outputs),
        diagnostics={
            "ok": bool(bayes["diagnostics_ok"].all()),
            "divergences": int(bayes["divergences"].sum()),
        },
        extra={
            "command": ctx["command"],
            "seed": result.seed,
            "settings": s.to_dict(),
            "n_boot": result.n_boot,
            "cutoffs": sorted(int(t) for t in result.scores["cutoff"].unique()),
            "notes": notes,
        },
    )
    return path
