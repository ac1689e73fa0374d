"""The seed-analyses report: threshold method, compute-equivalent gains, Monte Carlo stacks,
reconciliation and the retraining suite, rendered from :func:`algoattr.pipeline.seed_study`.

Sections (element ids): ``header``, ``threshold``, ``ceg``, ``montecarlo``,
``reconciliation``, ``retraining``, ``reproduce``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from algoattr import __version__
from algoattr.pipeline.study import SeedStudy, seed_study
from algoattr.report.html import _write, render, safe_figure
from algoattr.report.manifest import _platform, versions, write_manifest
from algoattr.report.sections import retraining_block, threshold_block
from algoattr.report.tables import fmt_num, make_table

__all__ = ["build_seed_report", "seed_report_context"]


def seed_report_context(
    *,
    out_dir: Path | None = None,
    data_root: Path | None = None,
    scenarios: Sequence[Path] | None = None,
    mc_draws: int = 100_000,
    seed: int = 0,
    reconciliation: Path | None = None,
    retraining_root: Path | None = None,
    study: SeedStudy | None = None,
) -> dict[str, Any]:
    """Everything the seed-analyses template shows.

    Parameters
    ----------
    out_dir : pathlib.Path, optional
        Report folder (also searched for the reconciliation table).
    data_root : pathlib.Path, optional
        Datasets root (default: the shipped datasets).
    scenarios : sequence of pathlib.Path, optional
        Monte Carlo scenario files (default ``datasets/scenarios/*.yaml``).
    mc_draws : int
        Monte Carlo draws per scenario.
    seed : int
        Monte Carlo seed.
    reconciliation : pathlib.Path, optional
        Reconciliation CSV (default: :func:`algoattr.pipeline.discovery.find_reconciliation`).
    retraining_root : pathlib.Path, optional
        Retraining results folder.
    study : SeedStudy, optional
        The analyses, already run (:func:`algoattr.pipeline.seed_study`); run here with the
        arguments above when not given (then ``mc_draws`` and ``seed`` are the study's).

    Returns
    -------
    dict
        Template context; ``inputs`` lists the files read.
    """
    from algoattr import plots

    if study is None:
        study = seed_study(
            out_dir=out_dir,
            data_root=data_root,
            scenarios=scenarios,
            mc_draws=mc_draws,
            seed=seed,
            reconciliation=reconciliation,
            retraining_root=retraining_root,
        )
    mc_draws, seed = study.mc_draws, study.seed
    notes: list[str] = []

    # --- threshold method: Hernandez & Brown's points, then ImageNet rows
    hb = None
    if study.hernandez is not None:
        r, pub = study.hernandez.result, study.hernandez.published
        hb = make_table(
            pd.DataFrame(
                [
                    ("Reduction factor (×)", pub.get("reduction_factor"), r.reduction_factor),
                    (
                        "Halving time, endpoint (months)",
                        pub.get("halving_months"),
                        r.halving_months_endpoint,
                    ),
                    (
                        "Halving time, regression (months)",
                        float("nan"),
                        r.halving_months_regression,
                    ),
                ],
                columns=["figure", "published", "reproduced"],
            ),
            columns={"figure": "Figure", "published": "Published", "reproduced": "Reproduced"},
            caption="Hernandez & Brown 2020 (their AlexNet-level points): published vs reproduced",
        )
    thresholds = [b for b in (threshold_block(t, notes) for t in study.thresholds) if b]

    # --- CEG: Gundlach et al. 2025 laws, Chinchilla rebalancing, extrapolation
    lt, reb, tm = study.ceg.lstm_transformer, study.ceg.rebalancing, study.ceg.transformer_modern
    ceg_points = study.ceg.points
    ceg_fig = safe_figure(
        lambda: plots.ceg_vs_compute(lt, reb),
        "Log-log plot of compute-equivalent gain against training compute: LSTM to 2017 "
        "Transformer (grows with compute) and Kaplan to Chinchilla rebalancing",
        "Compute-equivalent gains against compute from Gundlach et al. 2025's published frontier "
        "laws (L − 1.9 = A·C^−α) and the Chinchilla law (Hoffmann et al. 2022).",
        notes,
    )
    ceg_tables = [
        make_table(
            ceg_points,
            columns={
                "compute": "Compute (FLOP)",
                "lstm_tr": "LSTM → 2017 Transformer (×)",
                "tr_modern": "2017 → modern Transformer (×)",
                "rebalancing": "Kaplan → Chinchilla rebalancing (×)",
            },
            caption=f"Compute-equivalent gains at selected compute (LSTM → 2017 Transformer grows "
            f"as C^{lt.exponent_of_compute:.3f}; 2017 → modern as C^{tm.exponent_of_compute:.3f})",
        )
    ]
    for start, end, g in study.ceg.extrapolations:
        ceg_tables.append(
            make_table(
                g.table(),
                columns={"term": "Term", "factor": "Factor (×)", "log_share": "Share of log-total"},
                formats={"log_share": lambda v: f"{100 * v:.1f}%"},
                caption=f"Gundlach et al. 2025 extrapolation {start}–{end} (frontier compute "
                f"{fmt_num(g.final_compute)} FLOP)",
            )
        )
    rep = study.ceg.reproduction
    if rep is not None:
        ceg_tables.append(
            make_table(
                rep,
                columns={
                    "figure": "Figure",
                    "published": "Published",
                    "reproduced": "Reproduced",
                    "rel_diff": "Relative difference",
                },
                formats={"rel_diff": lambda v: f"{100 * v:+.2f}%"},
                caption="Gundlach et al. 2025: published vs reproduced",
            )
        )
    notes.extend(study.ceg.notes)

    # --- Monte Carlo stacks
    stacks = []
    for run in study.montecarlo:
        if isinstance(run, str):
            notes.append(run)
            continue
        path, mc = run.path, run.result
        t = mc.table()
        pct = round(100 * mc.ci_prob)
        fig = safe_figure(
            lambda mc=mc: plots.montecarlo_stack(mc),
            f"Monte Carlo stack '{mc.scenario.name}': each factor's and group's median "
            f"multiplier with {pct}% interval on a log axis, and each factor's share of the "
            "log-total",
            f"{mc.n_draws:,} draws, seed {seed}; crosses mark published medians.",
            notes,
        )
        prob_cols = {c: f"{c} (probability)" for c in t.columns if c.startswith("P(")}
        stacks.append(
            {
                "name": mc.scenario.name,
                "description": mc.scenario.description,
                "source": mc.scenario.source,
                "file": Path(path).name,
                "figure": fig,
                "table": make_table(
                    t,
                    columns={
                        "kind": "Kind",
                        "name": "Name",
                        "median": "Median (×)",
                        f"lower_{pct}": f"{pct}% lower (×)",
                        f"upper_{pct}": f"{pct}% upper (×)",
                        "log_share": "Share of log-total",
                        **prob_cols,
                        "published_median": "Published median (×)",
                    },
                    formats={"log_share": lambda v: "–" if v != v else f"{100 * v:.1f}%"},
                    caption=f"{mc.scenario.name}: {mc.n_draws:,} draws, seed {seed}",
                ),
            }
        )

    # --- reconciliation and retraining
    rec = None
    if study.reconciliation is not None:
        if study.reconciliation.frame is not None:
            rec = make_table(
                study.reconciliation.frame, caption=f"From {study.reconciliation.path.name}"
            )
        else:
            notes.append(study.reconciliation.note)
    retraining = retraining_block(study.retraining, notes)
    inputs = list(study.inputs)

    return {
        "kind": "seed",
        "header": {
            "title": "algoattr report: seed analyses",
            "report_date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "package_version": __version__,
            "mc_draws": mc_draws,
            "seed": seed,
        },
        "threshold": {"hb": hb, "blocks": thresholds},
        "ceg": {"figure": ceg_fig, "tables": ceg_tables},
        "montecarlo": stacks,
        "reconciliation": rec,
        "retraining": retraining,
        "reproduce": {
            "command": f"python -m algoattr.report --seed-analyses --mc-draws {mc_draws} "
            f"--seed {seed}",
            "seed": seed,
            "versions": versions(),
            "platform": _platform(),
        },
        "notes": notes,
        "inputs": inputs,
    }


def build_seed_report(
    out_dir: Path | str,
    stem: str = "seed_analyses",
    *,
    data_root: Path | None = None,
    scenarios: Sequence[Path] | None = None,
    mc_draws: int = 100_000,
    seed: int = 0,
    reconciliation: Path | None = None,
    retraining_root: Path | None = None,
    study: SeedStudy | None = None,
) -> Path:
    """Write the seed-analyses report (threshold, CEG/Gundlach, Monte Carlo, reconciliation).

    Parameters
    ----------
    out_dir : pathlib.Path or str
        Output folder.
    stem : str
        File stem (default ``seed_analyses``).
    data_root, scenarios, mc_draws, seed, reconciliation, retraining_root, study
        See :func:`seed_report_context`.

    Returns
    -------
    pathlib.Path
        The HTML file.
    """
    out = Path(out_dir)
    ctx = seed_report_context(
        out_dir=out,
        data_root=data_root,
        scenarios=scenarios,
        mc_draws=mc_draws,
        seed=seed,
        reconciliation=reconciliation,
        retraining_root=retraining_root,
        study=study,
    )
    path = _write(out / f"{stem}.html", render("seed.html", ctx))
    write_manifest(
        path,
        kind="seed",
        title=ctx["header"]["title"],
        inputs=ctx["inputs"],
        diagnostics=None,
        extra={
            "command": ctx["reproduce"]["command"],
            "seed": ctx["header"]["seed"],
            "mc_draws": ctx["header"]["mc_draws"],
            "notes": ctx["notes"],
        },
    )
    return path
