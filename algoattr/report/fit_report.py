"""The fit report: ``<stem>.html`` and its manifest, rendered from a fit and its analyses.

The analyses (reference-pair attribution, threshold method, retraining results) come from
:func:`algoattr.pipeline.fit_study`; the tables of the Fit section from
:mod:`algoattr.report.fit_tables`.

Sections (element ids): ``header``, ``changes`` (when the fit replaced another in its folder),
``data``, ``fit``, ``attribution``, ``other``, ``caveats``, ``reproduce``.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from algoattr import __version__
from algoattr.intervals import ci_label
from algoattr.pipeline.study import FitStudy, fit_study
from algoattr.report.fit_tables import (
    _architecture_table,
    _baselines_table,
    _ceg_rows,
    _command_of,
    _comparison_table,
    _diag_table,
    _headline_table,
    _influence_table,
    _posterior_summary,
    _scale_table,
    _sensitivity_table,
    _settings_text,
)
from algoattr.report.html import _write, render, safe_figure
from algoattr.report.manifest import _platform, versions, write_manifest
from algoattr.report.sections import attribution_section, retraining_block, threshold_block
from algoattr.report.tables import fmt_interval, fmt_num

__all__ = ["build_fit_report", "fit_report_context"]


def fit_report_context(
    result: Any,
    *,
    stem: str,
    attribution_draws: int = 1000,
    seed: int = 0,
    data_root: Path | None = None,
    retraining_root: Path | None = None,
    previous: Any = None,
    study: FitStudy | None = None,
) -> dict[str, Any]:
    """Everything the fit template shows, computed from a :class:`FitResult`.

    Parameters
    ----------
    result : FitResult
        The fit.
    stem : str
        File stem of the report.
    attribution_draws : int
        Posterior draws used for the Shapley attribution (subsampled with ``seed``).
    seed : int
        Seed of the subsample and of the predictive draws.
    data_root : pathlib.Path, optional
        Datasets root (default: the shipped datasets).
    retraining_root : pathlib.Path, optional
        Folder of the retraining suite's results (default ``datasets/retraining``).
    previous : PreviousFit, optional
        The previous fit of the same stem (:func:`algoattr.previous_fit.read_previous`, read
        before this fit was saved); its changes are shown when it is another fit.
    study : FitStudy, optional
        The analyses of ``result`` (:func:`algoattr.pipeline.fit_study`), computed here with
        ``attribution_draws``, ``seed``, ``data_root``, ``retraining_root`` and ``previous``
        when not given.

    Returns
    -------
    dict
        Template context; ``inputs`` lists the files read (for the manifest).
    """
    from algoattr import plots
    from algoattr.report.rows import exclusion_tables, rows_summary, rows_table

    if study is None:
        study = fit_study(
            result,
            attribution_draws=attribution_draws,
            seed=seed,
            data_root=data_root,
            retraining_root=retraining_root,
            previous=previous,
        )
    notes: list[str] = []
    lm = result.task == "language_modelling"
    benches = ", ".join(result.benchmarks)
    diag = result.diagnostics
    h = result.headline()
    dt = h.get("doubling_time_months")
    extras = result.extras
    wall = extras.get("wall_time_s")
    created = str(extras.get("created", ""))[:19].replace("T", " ")
    header = {
        "title": f"algoattr report: {benches}",
        "benchmarks": result.benchmarks,
        "task": result.task.replace("_", " "),
        "variant": result.variant,
        "likelihood": extras.get("likelihood", "normal"),
        "fit_date": (created + " UTC") if created else "–",
        "report_date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "package_version": extras.get("package_version", __version__),
        "dataset_checksum": extras.get("dataset_checksum", "–"),
        "n_rows": len(result.data),
        "n_excluded": len(result.excluded),
        "settings": _settings_text(result.settings),
        "wall_time": f"{fmt_num(wall)} s" if wall is not None else "–",
        "fast": bool(extras.get("fast", False)),
        "diagnostics_ok": diag.ok,
        "warnings": list(diag.warnings),
        "divergences": diag.divergences,
        "headline": fmt_interval(dt["median"], dt["lower"], dt["upper"]) if dt else None,
        "prob_progress": h.get("prob_progress_positive"),
    }
    what = "perplexity" if lm else "top-1 error"
    data_sec = {
        "figures": [
            f
            for f in (
                safe_figure(
                    lambda: plots.performance_vs_date(result),
                    f"Scatter plot of test {what} against publication date for the "
                    f"{len(result.data)} rows used, coloured by architecture",
                    f"Rows used: test {what} against publication date, by architecture class.",
                    notes,
                    inline=True,
                ),
                safe_figure(
                    lambda: plots.performance_vs_compute(result),
                    f"Scatter plot of test {what} against training compute (log scale) for the "
                    "rows used, coloured by architecture",
                    "Rows used against training compute"
                    + (" (6·N·D, the law's compute)." if lm else " (as recorded)."),
                    notes,
                    inline=True,
                ),
            )
            if f
        ],
        "rows": rows_summary(result),
        "all_rows": rows_table(result, data_root),
    }
    data_sec["exclusion_counts"], data_sec["exclusions"] = exclusion_tables(result, data_root)

    has_rate = "rate" in result.idata.posterior
    fit_figs = []
    if has_rate:
        fit_figs.append(
            safe_figure(
                lambda: plots.doubling_time_posterior(result),
                "Histogram of the posterior doubling time of effective compute in months (log "
                "scale), with the published estimates of Ho et al. 2024, Erdil & Besiroglu 2022 "
                "and Hernandez & Brown 2020 marked",
                "Posterior of the doubling time of effective compute (months); diamonds mark "
                "the published estimates with their intervals.",
                notes,
            )
        )
    if "mu" in result.idata.posterior:
        fit_figs.append(
            safe_figure(
                lambda: plots.posterior_predictive(result, seed=seed),
                "Posterior predictive check: observed values against predicted medians with "
                f"{ci_label()}s, and densities of observed versus replicated data",
                "Posterior predictive check in the law's space (log perplexity or logit accuracy).",
                notes,
                inline=True,
            )
        )
        fit_figs.append(
            safe_figure(
                lambda: plots.residuals(result),
                "Residuals against publication year and box plots of residuals by architecture",
                "Residuals (observed − posterior mean) by year and by architecture class.",
                notes,
                inline=True,
            )
        )
    fit_figs.append(
        safe_figure(
            lambda: plots.prior_posterior(result, seed=seed),
            "Histograms of prior and posterior draws for the key parameters of the law",
            "Prior (grey, default priors of algoattr.model.priors) against posterior (blue).",
            notes,
        )
    )
    fit_sec = {
        "headline": _headline_table(result),
        "posterior": _posterior_summary(result),
        "diagnostics": _diag_table(diag),
        "figures": [f for f in fit_figs if f],
        "comparison": _comparison_table(result),
        "ceg": _ceg_rows(result),
        "baselines": _baselines_table(result),
        "influence": _influence_table(result),
        "scale": _scale_table(result),
        "architecture": _architecture_table(result),
        "sensitivity": _sensitivity_table(result),
        "priors": None,
    }
    if isinstance(study.prior_sensitivity, str):
        notes.append(study.prior_sensitivity)
    elif study.prior_sensitivity is not None:
        try:
            from algoattr.report.priors import prior_sensitivity_table

            fit_sec["priors"] = prior_sensitivity_table(
                result, seed=seed, frame=study.prior_sensitivity
            )
        except Exception as exc:  # the report still builds without it
            notes.append(f"Prior sensitivity not computed: {type(exc).__name__}: {exc}")
    attribution = attribution_section(study.attribution, notes)
    thresholds = [b for b in (threshold_block(t, notes) for t in study.thresholds) if b]
    retraining = retraining_block(study.retraining, notes) if lm else None

    changes = None
    if isinstance(study.changes, str):
        notes.append(study.changes)
    else:
        try:
            from algoattr.provenance import _prefix
            from algoattr.report.changes import changes_block

            changes = changes_block(study.changes, _prefix(data_root))
        except Exception as exc:  # the report still builds without the comparison
            notes.append(f"Change since the previous fit not computed: {type(exc).__name__}: {exc}")

    vers = versions()
    inputs = list(study.inputs)
    return {
        "kind": "fit",
        "stem": stem,
        "header": header,
        "changes": changes,
        "data": data_sec,
        "fit": fit_sec,
        "attribution": attribution,
        "other": {"thresholds": thresholds, "retraining": retraining, "language_models": lm},
        "reproduce": {
            "command": _command_of(result),
            "report_command": f"python -m algoattr.report --fit {stem}_summary.json",
            "seed": result.settings.seed,
            "settings": result.settings.to_dict(),
            "rules": extras.get("rules"),
            "versions": vers,
            "platform": _platform(),
        },
        "notes": notes,
        "inputs": inputs,
    }


def build_fit_report(
    result: Any,
    out_dir: Path | str,
    stem: str,
    *,
    attribution_draws: int = 1000,
    seed: int = 0,
    data_root: Path | None = None,
    retraining_root: Path | None = None,
    previous: Any = None,
    study: FitStudy | None = None,
) -> Path:
    """Write ``<out_dir>/<stem>.html`` and ``<stem>.manifest.json`` for a fit.

    Parameters
    ----------
    result : FitResult
        The fit (saved files ``<stem>_*.{nc,json,csv}`` in ``out_dir`` are listed as inputs).
    out_dir : pathlib.Path or str
        Output folder.
    stem : str
        File stem.
    attribution_draws : int
        Posterior draws for the Shapley attribution.
    seed : int
        Seed of the attribution subsample and the predictive draws.
    data_root, retraining_root : pathlib.Path, optional
        See :func:`fit_report_context`.
    previous : PreviousFit, optional
        The fit this one replaces (read before it was saved); default: the saved
        ``<stem>_summary.json`` in ``out_dir``, shown only when it is another fit.
    study : FitStudy, optional
        The fit's analyses, already computed (:func:`algoattr.pipeline.fit_study`).

    Returns
    -------
    pathlib.Path
        The HTML file.
    """
    out = Path(out_dir)
    if previous is None:
        from algoattr.previous_fit import read_previous

        previous = read_previous(out, stem)
    ctx = fit_report_context(
        result,
        stem=stem,
        attribution_draws=attribution_draws,
        seed=seed,
        data_root=data_root,
        retraining_root=retraining_root,
        previous=previous,
        study=study,
    )
    path = _write(out / f"{stem}.html", render("fit.html", ctx))
    saved = sorted(out.glob(f"{stem}_*"))
    write_manifest(
        path,
        kind="fit",
        title=ctx["header"]["title"],
        inputs=[*ctx["inputs"], *(p for p in saved if p.suffix in (".json", ".csv", ".nc"))],
        diagnostics=result.diagnostics.to_dict(),
        extra={
            "benchmarks": result.benchmarks,
            "command": ctx["reproduce"]["command"],
            "seed": result.settings.seed,
            "settings": result.settings.to_dict(),
            "dataset_checksum": result.extras.get("dataset_checksum"),
            "n_rows": len(result.data),
            "n_excluded": len(result.excluded),
            "notes": ctx["notes"],
        },
    )
    return path
