"""Build the HTML reports from results objects, with a ``manifest.json`` beside each.

Every report is one HTML file that opens offline: the stylesheet is inlined, figures are
inline ``data:`` URIs or inline ``<svg>`` (SVG with text as paths, so no font is needed; the
scatter plots are inline so that each point shows its row on hover), and the one script is
inline too (:func:`sort_script`: click a column header of a row table to sort it).
The only external addresses are citation links. Beside ``<stem>.html`` a
``<stem>.manifest.json`` lists the inputs (paths relative to the manifest's folder, sha256),
the outputs, the software versions and the sampler's diagnostics.

Sections of a fit report (element ids): ``header``, ``changes`` (when the fit replaced
another in its folder), ``data``, ``fit``, ``attribution``, ``other``, ``caveats``,
``reproduce``. Of the seed-analyses report: ``header``, ``threshold``, ``ceg``,
``montecarlo``, ``reconciliation``, ``retraining``, ``reproduce``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.metadata
import json
import logging
import math
import os
import platform
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr import __version__
from algoattr.report.tables import fmt_interval, fmt_num, make_table

__all__ = [
    "CITATIONS",
    "PROJECT_ROOT",
    "build_fit_report",
    "build_index",
    "build_seed_report",
    "figure",
    "fit_report_context",
    "fmt_interval",
    "fmt_num",
    "make_table",
    "render",
    "seed_report_context",
    "sort_script",
    "write_manifest",
]

log = logging.getLogger("algoattr.report")

#: Project root of a source checkout (datasets/, analyses/ and reports/ live here).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Packages whose versions every manifest and report records.
VERSIONED = (
    "numpy",
    "pandas",
    "scipy",
    "pymc",
    "pytensor",
    "arviz",
    "nutpie",
    "matplotlib",
    "seaborn",
    "jinja2",
)

#: Citation links allowed in a report (the only external addresses it holds).
CITATIONS = {
    "ho2024": ("Ho et al. 2024", "https://arxiv.org/abs/2403.05140"),
    "erdil2022": ("Erdil & Besiroglu 2022", "https://arxiv.org/abs/2212.05153"),
    "hernandez2020": ("Hernandez & Brown 2020", "https://arxiv.org/abs/2005.04305"),
    "gundlach2025": (
        "Gundlach et al. 2025",
        "https://github.com/hansgundlach/Experimental_Progress",
    ),
    "hoffmann2022": ("Hoffmann et al. 2022", "https://arxiv.org/abs/2203.15556"),
    "vehtari2021": ("Vehtari et al. 2021", "https://arxiv.org/abs/1903.08008"),
}

#: Units and readable names of the headline quantities.
QUANTITY_LABELS = {
    "doubling_time_months": ("Doubling time of effective compute", "months"),
    "multiplier_per_year": ("Effective-compute multiplier per year", "× per year"),
    "rate_per_year": ("Effective-compute growth rate", "e-folds per year"),
    "alpha_year": ("α_year: parameter-efficiency progress", "per year"),
    "alpha_param": ("α_param: parameter exponent", "dimensionless"),
    "beta_year": ("β_year: data-efficiency progress", "per year"),
    "beta_data": ("β_data: data exponent", "dimensionless"),
    "transformer_factor": ("Transformer factor on log-perplexity", "fraction"),
    "c_compute": ("c_C: compute-sigmoid intercept", "logit"),
    "beta_compute": ("β_C: compute slope", "logit per e-fold of FLOP"),
    "c_data": ("c_D: data-sigmoid intercept", "logit"),
    "beta_year_data": ("β_year,D: data-augmenting progress", "logit per year"),
}


# ------------------------------------------------------------------------------ formatting


def figure(
    fig: Any, alt: str, caption: str = "", fmt: str = "svg", *, inline: bool = False
) -> dict[str, Any]:
    """Render a matplotlib figure for the templates: alt text, caption and either an inline
    ``data:`` URI (``uri``) or, with ``inline``, the SVG markup itself (``svg``), whose
    labelled points show their row on hover (:func:`algoattr.report.svg.inline_svg`)."""
    import matplotlib.figure
    from markupsafe import Markup

    from algoattr.plots import to_data_uri
    from algoattr.report.svg import inline_svg

    try:
        if inline:
            return {
                "uri": None,
                "svg": Markup(inline_svg(fig, alt)),
                "alt": alt,
                "caption": caption,
            }
        uri = to_data_uri(fig, fmt=fmt)
    finally:
        if isinstance(fig, matplotlib.figure.Figure):
            fig.clear()
    return {"uri": uri, "svg": None, "alt": alt, "caption": caption}


def _safe_figure(
    make: Callable[[], Any], alt: str, caption: str, notes: list[str], *, inline: bool = False
) -> Any:
    """A figure, or ``None`` with a note when drawing it fails (the report still builds)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return figure(make(), alt, caption, inline=inline)
    except Exception as exc:  # a figure must never stop a report
        log.warning("figure failed (%s): %s", alt[:40], exc)
        notes.append(f"Figure not drawn ({alt.split(':')[0]}): {type(exc).__name__}: {exc}")
        return None


# ------------------------------------------------------------------------------ provenance


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _rel(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` in POSIX form (never an absolute path)."""
    return Path(os.path.relpath(Path(path).resolve(), Path(base).resolve())).as_posix()


def _platform() -> str:
    return f"{platform.system()} {platform.machine()}, Python {sys.version.split()[0]}"


def versions() -> dict[str, str]:
    """Versions of Python, algoattr and the packages in :data:`VERSIONED`."""
    out = {"python": platform.python_version(), "algoattr": __version__}
    for name in VERSIONED:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _file_entries(paths: Iterable[Path], base: Path) -> list[dict[str, Any]]:
    seen: set[Path] = set()
    out = []
    for p in paths:
        p = Path(p)
        if not p.is_file() or p.resolve() in seen:
            continue
        seen.add(p.resolve())
        out.append({"path": _rel(p, base), "sha256": sha256_of(p), "bytes": p.stat().st_size})
    return out


def write_manifest(
    html_path: Path,
    *,
    kind: str,
    title: str,
    inputs: Iterable[Path],
    outputs: Iterable[Path] = (),
    diagnostics: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``<stem>.manifest.json`` beside a report.

    Parameters
    ----------
    html_path : pathlib.Path
        The report written.
    kind : str
        ``"fit"``, ``"seed"`` or ``"index"``.
    title : str
        Title of the report (the index shows it).
    inputs, outputs : iterable of pathlib.Path
        Files read and written (missing files are skipped); the report itself is added.
    diagnostics : mapping, optional
        Sampler diagnostics (with ``ok``).
    extra : mapping, optional
        Further fields (settings, command, seed, ...).

    Returns
    -------
    pathlib.Path
        The manifest's path.
    """
    base = html_path.parent
    manifest = {
        "kind": kind,
        "title": title,
        "report": html_path.name,
        "created": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "paths_relative_to": "the folder of this manifest",
        "inputs": _file_entries(inputs, base),
        "outputs": _file_entries([html_path, *outputs], base),
        "versions": versions(),
        "diagnostics": dict(diagnostics) if diagnostics is not None else None,
        **dict(extra or {}),
    }
    path = base / f"{html_path.stem}.manifest.json"
    from algoattr.outputs import write_text

    return write_text(path, json.dumps(manifest, indent=2, default=_jsonable) + "\n")


def _jsonable(x: Any) -> Any:
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, Path):
        return x.as_posix()
    return str(x)


# ------------------------------------------------------------------------------ rendering


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["num"] = fmt_num
    return env


def sort_script() -> str:
    """The reports' one inline script: click a header of a ``sortable`` table to sort it."""
    return (TEMPLATES / "sort.js").read_text(encoding="utf-8")


def render(template: str, context: Mapping[str, Any]) -> str:
    """Render one of the package's templates with ``context``."""
    env = _environment()
    css = (TEMPLATES / "style.css").read_text(encoding="utf-8")
    return env.get_template(template).render(
        css=css, sort_js=sort_script(), citations=CITATIONS, **context
    )


def _write(path: Path, text: str) -> Path:
    """Write a report atomically (an interrupted write leaves the old report intact)."""
    from algoattr.outputs import write_text

    path.parent.mkdir(parents=True, exist_ok=True)
    return write_text(path, text)


# ------------------------------------------------------------------------------ fit report


def _benchmark_files(benchmarks: Sequence[str], data_root: Path | None) -> list[Path]:
    try:
        from algoattr.data import load_benchmarks

        infos = load_benchmarks(root=data_root)
    except Exception:  # the report can still be built, without the inputs' hashes
        return []
    root = Path(data_root) if data_root else None
    files = [infos[b].file for b in benchmarks if b in infos]
    if root is None and files:
        root = Path(files[0]).parent.parent
    extra = [root / "benchmarks.yaml"] if root else []
    return [*files, *extra]


def _diag_table(diag: Any) -> dict[str, Any]:
    rows = [
        {
            "quantity": v,
            "rhat": diag.rhat_max.get(v),
            "ess_bulk": diag.ess_bulk_min.get(v),
            "ess_tail": diag.ess_tail_min.get(v),
        }
        for v in diag.rhat_max
    ]
    from algoattr.model.sampling import ESS_MIN, RHAT_MAX

    return make_table(
        pd.DataFrame(rows, columns=["quantity", "rhat", "ess_bulk", "ess_tail"]),
        columns={
            "quantity": "Quantity",
            "rhat": f"Largest R-hat (≤ {RHAT_MAX})",
            "ess_bulk": f"Smallest bulk ESS (≥ {ESS_MIN} draws)",
            "ess_tail": f"Smallest tail ESS (≥ {ESS_MIN} draws)",
        },
        formats={
            "rhat": lambda v: fmt_num(v, 4),
            "ess_bulk": lambda v: fmt_num(round(v)) if v == v else "–",
            "ess_tail": lambda v: fmt_num(round(v)) if v == v else "–",
        },
        caption="Convergence of the headline quantities (Vehtari et al. 2021 thresholds)",
    )


def _settings_text(settings: Any) -> str:
    return (
        f"{settings.sampler}, {settings.chains} chains × {settings.draws} draws "
        f"(warm-up {settings.tune}), target acceptance {settings.target_accept}, "
        f"{getattr(settings, 'mass_matrix', None) or 'diag'} mass matrix, seed {settings.seed}"
    )


def _command_of(result: Any) -> str:
    cmd = result.extras.get("command")
    if cmd:
        return str(cmd)
    s = result.settings
    bench = result.extras.get("benchmark", result.benchmarks[0])
    return (
        f"python -m algoattr.fit --benchmark {bench} --sampler {s.sampler} --chains {s.chains} "
        f"--draws {s.draws} --tune {s.tune} --seed {s.seed}"
    )


def _headline_table(result: Any) -> dict[str, Any]:
    t = result.summary_table()
    if t.empty:
        return make_table(pd.DataFrame({"quantity": []}))
    t = t[~t["quantity"].astype(str).str.startswith("ceg_")].copy()
    t["name"] = [QUANTITY_LABELS.get(q, (q, ""))[0] for q in t["quantity"]]
    t["unit"] = [QUANTITY_LABELS.get(q, (q, ""))[1] for q in t["quantity"]]
    t["level"] = (100 * t["level"].astype(float)).round().astype(int).astype(str) + "%"
    return make_table(
        t,
        columns={
            "name": "Quantity",
            "quantity": "Variable",
            "median": "Median",
            "lower": "Lower",
            "upper": "Upper",
            "level": "Interval",
            "unit": "Unit",
        },
        caption="Headline estimates: posterior median and central interval",
    )


def _posterior_summary(result: Any) -> dict[str, Any]:
    import arviz as az

    from algoattr.plots import KEY_PARAMS

    post = result.idata.posterior
    names = [*KEY_PARAMS[result.task], "rate", "multiplier_per_year", "transformer_factor"]
    names += ["a", "b", "mu_a", "mu_b", "sigma_a", "sigma_b", "c_compute", "c_data", "nu"]
    # The doubling time is a ratio whose denominator (the rate) can cross zero: it has no
    # mean or standard deviation, so the table shows the rate and the headline table gives
    # the doubling time by median and quantiles.
    derived = {"doubling_time_months", "doubling_time_years"}
    names = [n for n in dict.fromkeys(names) if n in post and n not in derived]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = az.summary(result.idata, var_names=names, hdi_prob=0.95, round_to="none")
    s.index.name = "variable"
    s = s.reset_index()
    return make_table(
        s,
        columns={
            "variable": "Variable",
            "mean": "Mean",
            "sd": "SD",
            "hdi_2.5%": "HDI 2.5%",
            "hdi_97.5%": "HDI 97.5%",
            "mcse_mean": "MCSE (mean)",
            "ess_bulk": "ESS bulk (draws)",
            "ess_tail": "ESS tail (draws)",
            "r_hat": "R-hat",
        },
        formats={
            "ess_bulk": lambda v: fmt_num(round(v)),
            "ess_tail": lambda v: fmt_num(round(v)),
            "r_hat": lambda v: fmt_num(v, 4),
        },
        caption="Posterior summary (ArviZ): mean, standard deviation, 95% highest-density "
        "interval, Monte Carlo error and convergence; the unit of each variable is given in the "
        "headline table. The doubling time is not listed: its denominator, the rate (per year), "
        "can cross zero, so it has no mean; the headline gives its median and quantiles",
    )


def _comparison_table(result: Any) -> dict[str, Any] | None:
    comp = result.comparison
    if comp is None or len(comp) == 0:
        return None
    comp = comp.copy()
    if "variant" not in comp.columns:
        comp = comp.reset_index().rename(columns={"index": "variant"})
    from algoattr.model.lm import LM_VARIANTS

    comp["description"] = [LM_VARIANTS.get(str(v), "") for v in comp["variant"]]
    return make_table(
        comp,
        columns={
            "rank": "Rank",
            "variant": "Variant",
            "description": "Progress terms",
            "elpd_loo": "ELPD-LOO (nats)",
            "p_loo": "p_LOO (effective parameters)",
            "elpd_diff": "ELPD difference to best (nats)",
            "dse": "SE of difference (nats)",
            "weight": "Stacking weight",
            "warning": "Pareto-k warning",
        },
        formats={
            "rank": lambda v: str(int(v)),
            "weight": lambda v: f"{float(v):.3f}",
            "warning": lambda v: "yes" if v else "no",
        },
        caption="PSIS-LOO comparison of the model variants (higher ELPD is better)",
    )


def _ceg_rows(result: Any) -> dict[str, Any] | None:
    rows = []
    for k, v in result.extras.items():
        if k.startswith("ceg_") and isinstance(v, Mapping) and "median" in v:
            rows.append(
                {
                    "compute": v.get("compute_flop"),
                    "year": v.get("year"),
                    "benchmark": v.get("benchmark", ""),
                    "ceg": fmt_interval(v["median"], v["lower"], v["upper"]),
                    "level": f"{round(100 * float(v.get('level', 0.95)))}%",
                }
            )
    if not rows:
        return None
    return make_table(
        pd.DataFrame(rows),
        columns={
            "compute": "Compute (FLOP)",
            "year": "Year",
            "benchmark": "Benchmark",
            "ceg": "Transformer CEG (× compute): median [interval]",
            "level": "Interval",
        },
        formats={"year": lambda v: f"{float(v):g}"},
        caption="Compute-equivalent gain of the Transformer (transformer variant, Ho et al. "
        "2024's definition)",
    )


def _baselines_table(result: Any) -> dict[str, Any] | None:
    """The papers' estimators on the fit's rows, beside the Bayesian fit and the published
    estimate (doubling time in months; one cell per number, no raw JSON)."""
    from algoattr.published import ERDIL2022_DOUBLING, HO2024_DOUBLING

    b = result.extras.get("baselines")
    if not b:
        return None
    pub = HO2024_DOUBLING if result.task == "language_modelling" else ERDIL2022_DOUBLING
    dt = result.headline()["doubling_time_months"]
    rows = [
        {
            "estimate": "Bayesian (this fit)",
            "rows": len(result.data),
            "point": np.nan,
            "median": dt["median"],
            "lower": dt["lower"],
            "upper": dt["upper"],
            "refits": np.nan,
        }
    ]
    for name, r in b.items():
        d = r.get("doubling_time_months", {}) if isinstance(r, Mapping) else {}
        rows.append(
            {
                "estimate": f"{name} estimator",
                "rows": r.get("n_rows", np.nan) if isinstance(r, Mapping) else np.nan,
                "point": d.get("point", np.nan),
                "median": d.get("median", np.nan),
                "lower": d.get("lower", np.nan),
                "upper": d.get("upper", np.nan),
                "refits": r.get("n_boot", np.nan) if isinstance(r, Mapping) else np.nan,
            }
        )
    rows.append(
        {
            "estimate": f"published: {pub.paper}",
            "rows": pub.rows,
            "point": pub.point,
            "median": pub.median,
            "lower": pub.lower,
            "upper": pub.upper,
            "refits": np.nan,
        }
    )
    return make_table(
        pd.DataFrame(rows),
        columns={
            "estimate": "estimate",
            "rows": "rows",
            "point": "point (months)",
            "median": "median (months)",
            "lower": "2.5% (months)",
            "upper": "97.5% (months)",
            "refits": "bootstrap refits",
        },
        caption="Doubling time of effective compute: this fit, the papers' estimators on the "
        f"same rows, and the published estimate ({pub.note})",
    )


def _scale_table(result: Any) -> dict[str, Any] | None:
    """Doubling time by training compute from the ``scale_rates`` variant, if it was fitted."""
    sd = result.extras.get("scale_dependence")
    if not sd:
        return None
    k = sd["year_scale"]
    lo_c, hi_c = sd["rows_log10_compute"]
    rows = [
        {
            "compute": f"{c} FLOP",
            "median": v["median"],
            "lower": v["lower"],
            "upper": v["upper"],
            "inside": "yes" if lo_c <= np.log10(float(c)) <= hi_c else "no (extrapolated)",
        }
        for c, v in sd["doubling_months"].items()
    ]
    return make_table(
        pd.DataFrame(rows),
        columns={
            "compute": "training compute",
            "median": "doubling time, median (months)",
            "lower": "2.5%",
            "upper": "97.5%",
            "inside": "within the rows' compute",
        },
        caption="Is progress scale-dependent? The scale_rates variant lets both year rates "
        f"change by {fmt_num(k['median'])} [{fmt_num(k['lower'])}, {fmt_num(k['upper'])}] per "
        f"decade of compute (P > 0: {k['prob_positive']:.2f}); Gundlach et al. 2025 find "
        "experimentally that gains grow with scale. An interval that spans zero means these "
        "rows cannot tell",
    )


def _architecture_table(result: Any) -> dict[str, Any] | None:
    """Doubling time for Transformer rows and the others (``architecture_rates`` variant)."""
    ar = result.extras.get("architecture_rates")
    if not ar:
        return None
    rows = [
        {"rows": "Transformer", **ar["transformer_rows_months"]},
        {"rows": "other architectures", **ar["other_rows_months"]},
    ]
    return make_table(
        pd.DataFrame(rows),
        columns={
            "rows": "rows",
            "median": "doubling time, median (months)",
            "lower": "2.5%",
            "upper": "97.5%",
        },
        caption="Does progress differ by architecture? The architecture_rates variant gives "
        "Transformer rows their own year rates; P(Transformer rows faster) = "
        f"{ar['prob_transformer_faster']:.2f}",
    )


def _influence_table(result: Any, top: int = 10) -> dict[str, Any] | None:
    """The ``top`` most influential rows (PSIS leave-one-out and exact estimator refits)."""
    infl = result.extras.get("influence")
    if not infl:
        return None
    frame = pd.DataFrame(infl).head(top)
    if "where" in frame:  # file:line relative to the repository, as in the row tables
        from algoattr.provenance import _prefix

        prefix = _prefix(None)
        frame["where"] = [
            f"{prefix}/{w}" if prefix and w and not str(w).startswith(prefix + "/") else w
            for w in frame["where"]
        ]
    return make_table(
        frame,
        columns={
            "model": "model",
            "benchmark": "benchmark",
            "where": "file:line",
            "shift_months": "shift of the median (months, PSIS)",
            "pareto_k": "Pareto k",
            "estimator_shift_months": "shift, papers' estimator refit (months)",
        },
        caption=f"The {len(frame)} most influential of {len(infl)} rows: change of the "
        "posterior median doubling time when the row is left out (PSIS leave-one-out, no "
        "refit; Pareto k > 0.7 means the approximation is unreliable), and the exact change "
        "when the papers' estimator is refitted without it",
    )


def _sensitivity_table(result: Any) -> dict[str, Any] | None:
    """The headline under each documented alternative rule (``<stem>_sensitivity.csv``)."""
    sens = result.extras.get("sensitivity")
    if not sens:
        return None
    frame = pd.DataFrame(sens)
    settings = result.extras.get("sensitivity_settings") or {}
    short = settings.get("bayes_refits")
    how = (
        f"Bayesian refits: {short['chains']} chains x {short['draws']} draws (tune "
        f"{short['tune']}), seed {short['seed']}; the row matching this fit reuses it"
        if short
        else "Bayesian refits not run (papers' estimator only)"
    )
    frame["bayes_diagnostics_ok"] = frame["bayes_diagnostics_ok"].map(
        lambda v: "–" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
    )
    return make_table(
        frame,
        columns={
            "alternative": "alternative",
            "rules": "rules",
            "likelihood": "likelihood",
            "n_rows": "rows",
            "bayes_median": "Bayesian median (months)",
            "bayes_lower": "2.5%",
            "bayes_upper": "97.5%",
            "bayes_diagnostics_ok": "diagnostics ok",
            "estimator_median": "estimator median (months)",
            "estimator_lower": "2.5%",
            "estimator_upper": "97.5%",
            "note": "note",
        },
        caption=f"Rule sensitivity: the doubling time under each documented alternative. {how}.",
    )


def _attribution_section(
    result: Any, n_draws: int, seed: int, notes: list[str], data_root: Path | None
) -> list[dict[str, Any]]:
    """Per benchmark with reference pairs: share bars, multipliers and tables."""
    from algoattr import plots
    from algoattr.pairs import attribute_pairs, load_reference_pairs

    try:
        reference = load_reference_pairs()
    except Exception as exc:
        notes.append(f"Reference pairs not read: {exc}")
        return []
    out = []
    for bench in result.benchmarks:
        pairs = reference.get(bench)
        if not pairs:
            notes.append(f"No reference pairs for {bench} in datasets/reference_pairs.yaml.")
            continue
        try:
            from algoattr.data import load_evaluations

            dataset = load_evaluations(bench, root=data_root, validate=False)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                attr, outside = attribute_pairs(result, bench, pairs, dataset, n_draws, seed)
        except Exception as exc:
            notes.append(f"Attribution on {bench} not computed: {type(exc).__name__}: {exc}")
            continue
        whole = None
        try:
            from algoattr.aggregate import whole_period_shares
            from algoattr.report.aggregate import aggregate_block

            models = [m for p in pairs for m in p]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                agg = whole_period_shares(result, bench, models, dataset, n_draws, seed)
            whole = aggregate_block(agg)
        except Exception as exc:
            notes.append(f"Whole-period shares on {bench} not computed: {exc}")
        space = "log-perplexity" if attr.law == "lm" else "logit of accuracy"
        shares_fig = _safe_figure(
            lambda attr=attr: plots.attribution_shares(attr),
            f"Stacked bars: shares of algorithms, compute and data in the change of {space} "
            f"for {attr.n_pairs} reference pairs on {bench}, with 90% intervals",
            f"Shapley shares of the predicted change in {space} per pair A → B (the fitted law "
            f"at A's and B's inputs, not observed values; {attr.n_draws} posterior draws; bars "
            "are medians, whiskers 90% intervals).",
            notes,
        )
        mult_fig = _safe_figure(
            lambda attr=attr: plots.compute_equivalent_multipliers(attr),
            f"Compute-equivalent multipliers of algorithmic progress for the reference pairs on "
            f"{bench}, on a log axis, next to the actual compute growth",
            "Compute-equivalent multiplier of the algorithms' share, (C_B/C_A)^(φ_alg/φ_compute), "
            "median and 90% interval; bars mark the actual compute growth.",
            notes,
        )
        groups = attr.table(interval=0.9)
        g = groups[
            (groups["space"] == attr.space_names.get("law", "law"))
            & (groups["kind"] == "fraction")
            & (groups["level"] == "group")
        ]
        wide = g.assign(
            cell=[
                fmt_interval(100 * m, 100 * lo, 100 * hi)
                for m, lo, hi in zip(g["median"], g["lower"], g["upper"], strict=True)
            ]
        ).pivot_table(index="pair", columns="player", values="cell", aggfunc="first", sort=False)
        mult = attr.compute_equivalent_multiplier(interval=0.9)
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
            "B's inputs, not observed values) and multipliers: median [90% interval]",
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


def _threshold_block(
    rows: pd.DataFrame, bench: str, notes: list[str], *, imagenet: bool
) -> dict[str, Any] | None:
    """Threshold method and its sensitivity on one benchmark's rows."""
    from algoattr import plots, threshold

    try:
        kwargs = threshold.alexnet_level(rows) if imagenet else {}
        res = threshold.threshold_frontier(rows, **kwargs)
        sweep = threshold.threshold_sweep(rows)
    except Exception as exc:
        notes.append(f"Threshold method on {bench} not computed: {type(exc).__name__}: {exc}")
        return None
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
                _safe_figure(
                    lambda: plots.threshold_curve(res),
                    f"Training compute of models reaching the threshold on {bench} against "
                    "publication date, log scale, with the frontier of least compute",
                    "Grey: every usable row at the threshold; blue: the frontier.",
                    notes,
                ),
                _safe_figure(
                    lambda: plots.threshold_sensitivity(sweep),
                    f"Halving time and reduction factor against the threshold on {bench}",
                    "How the threshold method's answer moves with the threshold.",
                    notes,
                ),
            )
            if f
        ],
    }


def find_retraining(root: Path | None = None) -> list[Path]:
    """Result CSVs of the retraining suite under ``datasets/retraining/`` (may be empty)."""
    root = Path(root) if root else PROJECT_ROOT / "datasets" / "retraining"
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*.csv") if p.is_file())


def _ladder_title(folder: Path) -> str:
    readme = folder / "README.md"
    if readme.is_file():
        for line in readme.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return folder.name


def _retraining_block(
    root: Path | None, notes: list[str], figures: bool = True
) -> dict[str, Any] | None:
    """One entry per ladder folder (a folder holding ``fits.csv``): its frontier figure and
    the fit, gap, CEG and interaction tables; every file read is listed for the manifest."""
    from algoattr import plots

    base = Path(root) if root else PROJECT_ROOT / "datasets" / "retraining"
    files = find_retraining(root)
    if not files:
        return None
    folders = sorted({p.parent for p in files if p.name == "fits.csv"})
    ladders = []
    captions = {
        "fits": "Frontier fits L = E + A·C^−α (90% bootstrap intervals)",
        "gaps": "Exponent gaps α_new − α_ref",
        "ceg": "Compute-equivalent gain over the reference family",
        "interaction": "Single switches against the combined change (by-loss CEG)",
    }
    for folder in folders:
        tables, read = {}, {}
        # The frontier and the dense logs feed only the figure.
        stems = ["fits", "gaps", "ceg", "interaction"] + (
            ["frontier", "metrics"] if figures else []
        )
        for stem in stems:
            path = folder / f"{stem}.csv"
            if not path.is_file():
                continue
            try:
                read[stem] = pd.read_csv(path)
            except Exception as exc:
                notes.append(f"{_rel(path, base.parent.parent)} not read: {exc}")
                continue
            if stem in captions:
                tables[stem] = make_table(
                    read[stem], caption=f"{captions[stem]} ({_rel(path, base.parent.parent)})"
                )
        settings = {}
        if (folder / "fit.json").is_file():
            settings = json.loads((folder / "fit.json").read_text(encoding="utf-8"))
        window = tuple(settings["window_flop"]) if "window_flop" in settings else None
        fig = None
        if "frontier" in read:
            fig = _safe_figure(
                lambda r=read, w=window: plots.training_frontiers(
                    r["frontier"], r.get("fits"), r.get("metrics"), w
                ),
                f"Log-log plot of validation loss against training compute per family for "
                f"{folder.name}: every run faint, compute-optimal frontiers bold, fixed-E laws "
                "dashed",
                f"{_ladder_title(folder)}: validation loss against training FLOPs. Faint: each "
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
                "title": _ladder_title(folder),
                "figure": fig,
                "calibration": calibration,
                "tables": [
                    tables[k] for k in ("fits", "gaps", "ceg", "interaction") if k in tables
                ],
            }
        )
    extra = [
        p
        for folder in folders
        for p in (folder / "README.md", folder / "fit.json", folder / "provenance.json")
        if p.is_file()
    ]
    return {"ladders": ladders, "files": sorted(set(files) | set(extra))}


def fit_report_context(
    result: Any,
    *,
    stem: str,
    attribution_draws: int = 1000,
    seed: int = 0,
    data_root: Path | None = None,
    retraining_root: Path | None = None,
    previous: Any = None,
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

    Returns
    -------
    dict
        Template context; ``inputs`` lists the files read (for the manifest).
    """
    from algoattr import plots
    from algoattr.report.rows import exclusion_tables, rows_summary, rows_table

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
                _safe_figure(
                    lambda: plots.performance_vs_date(result),
                    f"Scatter plot of test {what} against publication date for the "
                    f"{len(result.data)} rows used, coloured by architecture",
                    f"Rows used: test {what} against publication date, by architecture class.",
                    notes,
                    inline=True,
                ),
                _safe_figure(
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
            _safe_figure(
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
            _safe_figure(
                lambda: plots.posterior_predictive(result, seed=seed),
                "Posterior predictive check: observed values against predicted medians with 90% "
                "intervals, and densities of observed versus replicated data",
                "Posterior predictive check in the law's space (log perplexity or logit accuracy).",
                notes,
                inline=True,
            )
        )
        fit_figs.append(
            _safe_figure(
                lambda: plots.residuals(result),
                "Residuals against publication year and box plots of residuals by architecture",
                "Residuals (observed − posterior mean) by year and by architecture class.",
                notes,
                inline=True,
            )
        )
    fit_figs.append(
        _safe_figure(
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
    try:
        from algoattr.report.priors import prior_sensitivity_table

        fit_sec["priors"] = prior_sensitivity_table(result, seed=seed)
    except Exception as exc:  # the report still builds without it
        notes.append(f"Prior sensitivity not computed: {type(exc).__name__}: {exc}")
    attribution = _attribution_section(result, attribution_draws, seed, notes, data_root)

    thresholds = []
    try:
        from algoattr.data import load_evaluations

        for bench in result.benchmarks:
            rows = load_evaluations(bench, root=data_root, validate=False)
            block = _threshold_block(rows, bench, notes, imagenet=bench == "imagenet")
            if block:
                thresholds.append(block)
    except Exception as exc:
        notes.append(f"Threshold method not computed: {type(exc).__name__}: {exc}")
    retraining = _retraining_block(retraining_root, notes, figures=False) if lm else None

    changes = None
    try:
        from algoattr.previous_fit import compare_with_previous
        from algoattr.provenance import _prefix
        from algoattr.report.changes import changes_block

        changes = changes_block(compare_with_previous(result, previous), _prefix(data_root))
    except Exception as exc:  # the report still builds without the comparison
        notes.append(f"Change since the previous fit not computed: {type(exc).__name__}: {exc}")

    vers = versions()
    inputs = _benchmark_files(result.benchmarks, data_root)
    from algoattr.pairs import REFERENCE_PAIRS

    inputs.append(Path(REFERENCE_PAIRS))
    if retraining:
        inputs.extend(retraining["files"])
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


# ------------------------------------------------------------------------------ seed report


def _load_analysis(name: str) -> Any:
    """Import ``analyses/<name>.py`` of a source checkout (None when absent)."""
    import importlib.util

    path = PROJECT_ROOT / "analyses" / f"{name}.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"_algoattr_analyses_{name}", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Where the output of ``analyses/reconcile.py`` is looked for (first match wins).
RECONCILIATION_GLOBS = (
    "reconciliation.csv",
    "reconcile.csv",
    "reconcile*.csv",
    "reconciliation*.csv",
)


def find_reconciliation(out_dir: Path | None = None) -> Path | None:
    """The reconciliation table written by ``analyses/reconcile.py``, if any.

    Looked for as :data:`RECONCILIATION_GLOBS` in ``out_dir``, ``reports/``, ``analyses/`` and
    ``analyses/output/``.
    """
    folders = [
        *([Path(out_dir)] if out_dir else []),
        PROJECT_ROOT / "reports",
        PROJECT_ROOT / "analyses",
        PROJECT_ROOT / "analyses" / "output",
    ]
    for folder in folders:
        for pattern in RECONCILIATION_GLOBS:
            hits = sorted(folder.glob(pattern)) if folder.is_dir() else []
            if hits:
                return hits[0]
    return None


def seed_report_context(
    *,
    out_dir: Path | None = None,
    data_root: Path | None = None,
    scenarios: Sequence[Path] | None = None,
    mc_draws: int = 100_000,
    seed: int = 0,
    reconciliation: Path | None = None,
    retraining_root: Path | None = None,
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
        Reconciliation CSV (default: :func:`find_reconciliation`).
    retraining_root : pathlib.Path, optional
        Retraining results folder.

    Returns
    -------
    dict
        Template context; ``inputs`` lists the files read.
    """
    from algoattr import ceg, montecarlo, plots

    notes: list[str] = []
    inputs: list[Path] = []

    # --- threshold method: Hernandez & Brown's points, then ImageNet rows
    thresholds = []
    hb = None
    mod = _load_analysis("reproduce_hernandez2020")
    if mod is not None:
        from algoattr.threshold import ALEXNET_TOP5_ERROR, threshold_frontier

        r = threshold_frontier(mod.published_points(), ALEXNET_TOP5_ERROR)
        pub = getattr(mod, "PUBLISHED", {})
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
        inputs.append(PROJECT_ROOT / "analyses" / "reproduce_hernandez2020.py")
    try:
        from algoattr.data import load_evaluations

        rows = load_evaluations("imagenet", root=data_root, validate=False)
        block = _threshold_block(rows, "imagenet", notes, imagenet=True)
        if block:
            thresholds.append(block)
        inputs.extend(_benchmark_files(["imagenet"], data_root))
    except Exception as exc:
        notes.append(f"ImageNet rows not read: {type(exc).__name__}: {exc}")

    # --- CEG: Gundlach et al. 2025 laws, Chinchilla rebalancing, extrapolation
    grid = np.geomspace(1e15, 1e25, 41)
    k = ceg.GUNDLACH_2025
    lstm, tr, modern = (k["laws"][n] for n in ("lstm", "transformer_2017", "transformer_modern"))
    lt = ceg.law_vs_law(
        grid,
        A_ref=lstm["A"],
        alpha_ref=lstm["alpha"],
        A_new=tr["A"],
        alpha_new=tr["alpha"],
        labels=("LSTM", "2017 Transformer"),
    )
    reb = ceg.CEGResult(
        compute=grid,
        ceg=np.asarray(ceg.chinchilla_rebalancing_ceg(grid)),
        scale_dependent=True,
        exponent_of_compute=float("nan"),
        labels=("Kaplan allocation", "Chinchilla allocation"),
    )
    tm = ceg.law_vs_law(
        grid,
        A_ref=tr["A"],
        alpha_ref=tr["alpha"],
        A_new=modern["A"],
        alpha_new=modern["alpha"],
    )
    ceg_fig = _safe_figure(
        lambda: plots.ceg_vs_compute(lt, reb),
        "Log-log plot of compute-equivalent gain against training compute: LSTM to 2017 "
        "Transformer (grows with compute) and Kaplan to Chinchilla rebalancing",
        "Compute-equivalent gains against compute from Gundlach et al. 2025's published frontier "
        "laws (L − 1.9 = A·C^−α) and the Chinchilla law (Hoffmann et al. 2022).",
        notes,
    )
    at = [1e15, 1e18, 1e21, 1.34e22, 1e24]
    ceg_points = pd.DataFrame(
        {
            "compute": at,
            "lstm_tr": np.asarray(
                ceg.law_vs_law(
                    at,
                    A_ref=lstm["A"],
                    alpha_ref=lstm["alpha"],
                    A_new=tr["A"],
                    alpha_new=tr["alpha"],
                ).ceg
            ),
            "tr_modern": np.asarray(
                ceg.law_vs_law(
                    at,
                    A_ref=tr["A"],
                    alpha_ref=tr["alpha"],
                    A_new=modern["A"],
                    alpha_new=modern["alpha"],
                ).ceg
            ),
            "rebalancing": np.asarray(ceg.chinchilla_rebalancing_ceg(np.asarray(at))),
        }
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
    for start, end in ((2012, 2023), (2013, 2025)):
        g = ceg.gundlach_extrapolation(start, end)
        ceg_tables.append(
            make_table(
                g.table(),
                columns={"term": "Term", "factor": "Factor (×)", "log_share": "Share of log-total"},
                formats={"log_share": lambda v: f"{100 * v:.1f}%"},
                caption=f"Gundlach et al. 2025 extrapolation {start}–{end} (frontier compute "
                f"{fmt_num(g.final_compute)} FLOP)",
            )
        )
    gmod = _load_analysis("reproduce_gundlach2025")
    if gmod is not None:
        try:
            rep = gmod.reproduce()
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
            inputs.append(PROJECT_ROOT / "analyses" / "reproduce_gundlach2025.py")
        except Exception as exc:
            notes.append(f"Gundlach reproduction not run: {exc}")

    # --- Monte Carlo stacks
    if scenarios is None:
        root = Path(data_root) if data_root else PROJECT_ROOT / "datasets"
        scenarios = sorted((root / "scenarios").glob("*.yaml"))
    stacks = []
    for path in scenarios:
        try:
            mc = montecarlo.run_scenario(path, draws=mc_draws, seed=seed)
        except Exception as exc:
            notes.append(f"Scenario {Path(path).name} not run: {type(exc).__name__}: {exc}")
            continue
        inputs.append(Path(path))
        t = mc.table()
        pct = round(100 * mc.interval)
        fig = _safe_figure(
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
                        f"low_{pct}": f"{pct}% low (×)",
                        f"high_{pct}": f"{pct}% high (×)",
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
    rec_path = reconciliation or find_reconciliation(out_dir)
    rec = None
    if rec_path is not None and Path(rec_path).is_file():
        try:
            rec = make_table(pd.read_csv(rec_path), caption=f"From {Path(rec_path).name}")
            inputs.append(Path(rec_path))
        except Exception as exc:
            notes.append(f"Reconciliation table not read: {exc}")
    retraining = _retraining_block(retraining_root, notes)
    if retraining:
        inputs.extend(retraining["files"])

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
) -> Path:
    """Write the seed-analyses report (threshold, CEG/Gundlach, Monte Carlo, reconciliation).

    Parameters
    ----------
    out_dir : pathlib.Path or str
        Output folder.
    stem : str
        File stem (default ``seed_analyses``).
    data_root, scenarios, mc_draws, seed, reconciliation, retraining_root
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
            "seed": seed,
            "mc_draws": mc_draws,
            "notes": ctx["notes"],
        },
    )
    return path


# ------------------------------------------------------------------------------ index


def build_index(out_dir: Path | str, reports: Sequence[Path] | None = None) -> Path:
    """Write ``index.html`` linking the reports in ``out_dir`` (relative links).

    Parameters
    ----------
    out_dir : pathlib.Path or str
        Folder holding the reports.
    reports : sequence of pathlib.Path, optional
        Reports to list (default: every ``*.html`` with a manifest, except the index).

    Returns
    -------
    pathlib.Path
        The index file.
    """
    out = Path(out_dir)
    if reports is None:
        reports = sorted(
            p
            for p in out.glob("*.html")
            if p.name != "index.html" and (out / f"{p.stem}.manifest.json").is_file()
        )
    entries = []
    for p in reports:
        p = Path(p)
        man_path = p.parent / f"{p.stem}.manifest.json"
        man = json.loads(man_path.read_text()) if man_path.is_file() else {}
        diag = man.get("diagnostics")
        entries.append(
            {
                "href": _rel(p, out),
                "manifest": _rel(man_path, out) if man_path.is_file() else None,
                "title": man.get("title", p.stem),
                "kind": man.get("kind", ""),
                "created": str(man.get("created", ""))[:16].replace("T", " "),
                "diagnostics": None if diag is None else bool(diag.get("ok")),
                "n_rows": man.get("n_rows"),
            }
        )
    ctx = {
        "header": {
            "title": "algoattr reports",
            "report_date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "package_version": __version__,
        },
        "entries": entries,
    }
    path = _write(out / "index.html", render("index.html", ctx))
    write_manifest(path, kind="index", title="algoattr reports", inputs=[], outputs=list(reports))
    return path
