"""Fits on a ladder's logs: compute-optimal frontiers, power laws, exponent gaps, CEG vs
compute, ablation interactions and the calibration against the observational estimate.

- :func:`frontier` — lower envelope over widths of validation loss against FLOPs, each width's
  curve (mean over seeds) interpolated in log-log space onto a common compute grid;
- :func:`fit_power_law` — ``L = E + A·C^−α`` (:func:`algoattr.law.power_law_loss`) by least
  squares on ``log L``, with ``E`` fitted (bounded to ``[0, min L)``) or fixed;
- :func:`bootstrap_fits` — intervals for ``α`` per family and for the exponent gap: by
  resampling seeds within each width when every width has ≥ 3 seeds, else by a circular
  moving-block bootstrap of the frontier's log-residuals (blocks keep the autocorrelation of
  neighbouring frontier points);
- :func:`analyse` — everything above plus law-against-law CEG (:func:`algoattr.law.law_ceg`,
  shared fixed ``E``) and measured by-loss CEG (:func:`algoattr.ceg.ceg_by_loss`) at three
  compute levels, and :func:`ablation_interaction`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from algoattr.ceg import ceg_by_loss
from algoattr.law import law_ceg, power_law_compute, power_law_loss

BASE = "transformer2017"
#: Seeds every width needs before ``auto`` bootstraps over seeds instead of residual blocks.
MIN_SEEDS_FOR_SEED_BOOTSTRAP = 3

# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------


def load_metrics(run_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dense logs and run summaries of a ladder directory.

    Reads ``metrics.csv`` and ``runs.csv`` when present (as written by
    :func:`~algoattr.training.ladder.run_ladder`), else every finished run under ``runs/``.

    Returns
    -------
    tuple of pandas.DataFrame
        ``(metrics, runs)``.
    """
    run_dir = Path(run_dir)
    if (run_dir / "metrics.csv").exists() and (run_dir / "runs.csv").exists():
        return pd.read_csv(run_dir / "metrics.csv"), pd.read_csv(run_dir / "runs.csv")
    frames, summaries = [], []
    for summ in sorted(run_dir.glob("runs/*/summary.json")):
        s = json.loads(summ.read_text())
        m = pd.read_csv(summ.parent / "metrics.csv")
        m.insert(0, "seed", s["seed"])
        m.insert(0, "width", s["width"])
        m.insert(0, "family", s["family"])
        frames.append(m)
        summaries.append(s)
    if not frames:
        raise FileNotFoundError(f"no finished runs under {run_dir}")
    return pd.concat(frames, ignore_index=True), pd.DataFrame(summaries)


# --------------------------------------------------------------------------------------------
# frontier and power law
# --------------------------------------------------------------------------------------------


def _mean_curves(df: pd.DataFrame, seeds: dict[int, list[int]] | None = None) -> dict:
    """Per width: (flops, mean val loss over the chosen seeds), steps aligned."""
    curves = {}
    for w, g in df.groupby("width"):
        if seeds is not None:
            parts = [g[g["seed"] == s].set_index("step")["val_loss"] for s in seeds[w]]
            loss = pd.concat(parts, axis=1).mean(axis=1)
        else:
            loss = g.groupby("step")["val_loss"].mean()
        fl = g.groupby("step")["flops"].first().loc[loss.index]
        ok = np.isfinite(loss.to_numpy()) & (fl.to_numpy() > 0)
        curves[int(w)] = (fl.to_numpy()[ok], loss.to_numpy()[ok])
    return curves


def frontier(
    df: pd.DataFrame, n_grid: int = 60, seeds: dict[int, list[int]] | None = None
) -> pd.DataFrame:
    """Compute-optimal frontier of one family: lower envelope over widths of loss vs FLOPs.

    The envelope is taken on a log-spaced compute grid and then reduced to its Pareto points,
    those where the loss is the lowest reached with at most that compute (as
    :func:`algoattr.ceg.ceg_by_loss` reads curves): a wider run part-way through its schedule
    can sit above a narrower finished one, and such points are not on the frontier.

    Parameters
    ----------
    df : pandas.DataFrame
        One family's dense logs (``width``, ``seed``, ``step``, ``flops``, ``val_loss``).
    n_grid : int
        Log-spaced compute points between the smallest and largest logged FLOPs.
    seeds : dict, optional
        Seeds to average per width (for the seed bootstrap); default all.

    Returns
    -------
    pandas.DataFrame
        ``compute``, ``loss`` and the ``width`` that attains it.
    """
    curves = _mean_curves(df, seeds)
    lo = min(c[0].min() for c in curves.values())
    hi = max(c[0].max() for c in curves.values())
    grid = np.geomspace(lo, hi, n_grid)
    best = np.full(n_grid, np.inf)
    arg = np.zeros(n_grid, dtype=int)
    for w, (c, loss) in curves.items():
        order = np.argsort(c)
        y = np.interp(
            np.log(grid), np.log(c[order]), np.log(loss[order]), left=np.nan, right=np.nan
        )
        val = np.exp(y)
        better = np.isfinite(val) & (val < best)
        best[better] = val[better]
        arg[better] = w
    running = np.minimum.accumulate(best)
    ok = np.isfinite(best) & (best <= running)
    return pd.DataFrame({"compute": grid[ok], "loss": best[ok], "width": arg[ok]})


def _residual(theta: np.ndarray, logc: np.ndarray, logl: np.ndarray, e_fixed: float | None):
    if e_fixed is None:
        e, log_a, alpha = theta
    else:
        (log_a, alpha), e = theta, e_fixed
    pred = power_law_loss(np.exp(logc), E=e, A=np.exp(log_a), alpha=alpha)
    return np.log(np.maximum(pred, 1e-300)) - logl


def fit_power_law(compute: Any, loss: Any, e_fixed: float | None = None) -> dict[str, float]:
    """Fit ``L = E + A·C^−α`` by least squares on ``log L``.

    Parameters
    ----------
    compute, loss : array_like
        Frontier points.
    e_fixed : float, optional
        Irreducible loss held fixed (must be below every loss); fitted in ``[0, min L)`` when
        omitted.

    Returns
    -------
    dict
        ``E``, ``A``, ``alpha``, ``rmse`` (of ``log L``) and ``e_fixed`` (bool).

    Examples
    --------
    >>> c = np.geomspace(1e9, 1e13, 30)
    >>> fit = fit_power_law(c, 1.5 + 40.0 * c ** -0.2)
    >>> round(fit["alpha"], 3), round(fit["E"], 3)
    (0.2, 1.5)
    """
    c, loss = np.asarray(compute, float), np.asarray(loss, float)
    logc, logl = np.log(c), np.log(loss)
    lmin = float(loss.min())
    if e_fixed is not None and e_fixed >= lmin:
        raise ValueError(f"fixed E={e_fixed} is not below the smallest loss {lmin}")

    def start(e: float) -> tuple[float, float]:
        slope, icpt = np.polyfit(logc, np.log(loss - e), 1)
        return float(icpt), float(max(-slope, 1e-4))

    if e_fixed is not None:
        x0 = np.array(start(e_fixed))
        res = optimize.least_squares(
            _residual, x0, args=(logc, logl, e_fixed), bounds=([-50, 1e-5], [200, 5.0])
        )
        log_a, alpha = res.x
        e = e_fixed
    else:
        best = None
        for frac in (0.0, 0.5, 0.8, 0.95):
            e0 = frac * lmin
            x0 = np.array([e0, *start(e0)])
            res = optimize.least_squares(
                _residual,
                x0,
                args=(logc, logl, None),
                bounds=([0.0, -50, 1e-5], [lmin * (1 - 1e-6), 200, 5.0]),
            )
            if best is None or res.cost < best.cost:
                best = res
        e, log_a, alpha = best.x
        res = best
    rmse = float(np.sqrt(np.mean(res.fun**2)))
    return {
        "E": float(e),
        "A": float(np.exp(log_a)),
        "alpha": float(alpha),
        "rmse": rmse,
        "e_fixed": e_fixed is not None,
    }


def fit_window(fr: pd.DataFrame, c_min: float | None, c_max: float | None) -> pd.DataFrame:
    """Frontier points within ``[c_min, c_max]`` (defaults: the whole frontier)."""
    m = np.ones(len(fr), bool)
    if c_min is not None:
        m &= fr["compute"].to_numpy() >= c_min
    if c_max is not None:
        m &= fr["compute"].to_numpy() <= c_max
    return fr[m]


def default_window(metrics: pd.DataFrame, skip_frac: float = 0.1) -> tuple[float, float]:
    """Default fit window, shared by all families: from the FLOPs at which the *smallest* run
    (by total FLOPs) has trained ``skip_frac`` of its budget (warm-up transients excluded) to
    the largest compute that every family's frontier reaches."""
    last = metrics.groupby(["family", "width", "seed"])["flops"].max()
    c_min = float(last.min()) * skip_frac
    c_max = float(metrics.groupby("family")["flops"].max().min())
    return c_min, c_max


def bootstrap_fits(
    df: pd.DataFrame,
    window: tuple[float, float],
    e_fixed: float | None,
    n_boot: int = 200,
    seed: int = 0,
    method: str = "auto",
    n_grid: int = 60,
) -> tuple[dict[str, float], np.ndarray, str]:
    """Point fit and bootstrap draws of ``(E, A, α)`` for one family.

    Parameters
    ----------
    df : pandas.DataFrame
        One family's dense logs.
    window : tuple of float
        Fit window ``(c_min, c_max)``.
    e_fixed : float or None
        Fixed irreducible loss, or None to fit it.
    n_boot : int
        Bootstrap replicates.
    seed : int
        Seeds the resampling.
    method : {"auto", "seeds", "blocks"}
        Resample seeds within widths, or moving blocks of frontier residuals; ``auto`` picks
        ``seeds`` when every width has at least :data:`MIN_SEEDS_FOR_SEED_BOOTSTRAP` seeds
        (two seeds give only three distinct resamples per width, too few to be an interval).
    n_grid : int
        Frontier grid size.

    Returns
    -------
    tuple
        ``(point_fit, draws, method)`` with ``draws`` of shape ``(n_boot, 3)`` = (E, A, α).
    """
    rng = np.random.default_rng(seed)
    fr = fit_window(frontier(df, n_grid), *window)
    if len(fr) < 4:
        raise ValueError("fewer than 4 frontier points in the fit window")
    point = fit_power_law(fr["compute"], fr["loss"], e_fixed)
    seeds_per_width = {int(w): sorted(g["seed"].unique()) for w, g in df.groupby("width")}
    if method == "auto":
        fewest = min(len(s) for s in seeds_per_width.values())
        method = "seeds" if fewest >= MIN_SEEDS_FOR_SEED_BOOTSTRAP else "blocks"
    draws = np.empty((n_boot, 3))
    c = fr["compute"].to_numpy()
    pred = power_law_loss(c, E=point["E"], A=point["A"], alpha=point["alpha"])
    resid = np.log(fr["loss"].to_numpy()) - np.log(pred)
    n = len(resid)
    block = max(2, n // 6)
    for b in range(n_boot):
        if method == "seeds":
            pick = {w: list(rng.choice(s, size=len(s))) for w, s in seeds_per_width.items()}
            frb = fit_window(frontier(df, n_grid, pick), *window)
            cb, lb = frb["compute"].to_numpy(), frb["loss"].to_numpy()
        else:
            starts = rng.integers(0, n, size=-(-n // block))
            idx = (starts[:, None] + np.arange(block)[None, :]).reshape(-1)[:n] % n
            cb, lb = c, pred * np.exp(resid[idx])
        try:
            if e_fixed is not None and lb.min() <= e_fixed:
                raise ValueError
            f = fit_power_law(cb, lb, e_fixed)
            draws[b] = (f["E"], f["A"], f["alpha"])
        except ValueError:
            draws[b] = np.nan
    return point, draws, method


# --------------------------------------------------------------------------------------------
# the analysis
# --------------------------------------------------------------------------------------------


def _interval(x: np.ndarray, level: float = 0.9) -> tuple[float, float]:
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return (float("nan"), float("nan"))
    q = (1 - level) / 2
    return float(np.quantile(x, q)), float(np.quantile(x, 1 - q))


def ablation_interaction(
    frontiers: dict[str, pd.DataFrame],
    base: str = BASE,
    combined: str = "modern",
    at_loss: float | None = None,
) -> pd.DataFrame | None:
    """By-loss CEG of each single switch over ``base``, their product, and the combined change.

    Parameters
    ----------
    frontiers : dict
        Family name -> frontier (``compute``, ``loss``).
    base, combined : str
        Reference family and the family with every switch.
    at_loss : float, optional
        Loss at which gains are read; default the lowest loss that every involved frontier
        reaches (so no curve is extrapolated).

    Returns
    -------
    pandas.DataFrame or None
        Rows ``change``, ``ceg``; the last rows are ``product of singles``, ``combined`` and
        ``interaction`` (combined / product; 1 = the changes compound multiplicatively).
        None when the base or no single-switch family is present.
    """
    singles = [f for f in frontiers if f.startswith(base + "+") and f.count("+") == 1]
    if base not in frontiers or not singles:
        return None
    involved = [base, *singles] + ([combined] if combined in frontiers else [])
    if at_loss is None:
        at_loss = max(frontiers[f]["loss"].min() for f in involved) * (1 + 1e-9)
    ref = frontiers[base]

    def gain(family: str) -> float:
        new = frontiers[family]
        return float(ceg_by_loss(ref["compute"], ref["loss"], new["compute"], new["loss"], at_loss))

    rows = [{"change": f.split("+", 1)[1], "ceg": gain(f)} for f in singles]
    product = float(np.prod([r["ceg"] for r in rows]))
    rows.append({"change": "product of singles", "ceg": product})
    if combined in frontiers:
        comb = gain(combined)
        rows.append({"change": f"combined ({combined})", "ceg": comb})
        rows.append({"change": "interaction (combined / product)", "ceg": comb / product})
    out = pd.DataFrame(rows)
    out.attrs["at_loss"] = at_loss
    return out


@dataclass
class LadderFit:
    """Results of :func:`analyse`; ``summary()`` prints them."""

    window: tuple[float, float]
    e_fixed: float
    e_fixed_source: str
    fits: pd.DataFrame
    gaps: pd.DataFrame
    ceg: pd.DataFrame
    interaction: pd.DataFrame | None
    frontiers: dict[str, pd.DataFrame]
    bootstrap_method: str
    n_boot: int
    calibration: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        """Plain-text report."""
        fmt = {"float_format": lambda v: f"{v:.4g}"}
        lines = [
            f"fit window: {self.window[0]:.3g} – {self.window[1]:.3g} FLOP",
            f"fixed E = {self.e_fixed:.4f} ({self.e_fixed_source}); bootstrap: "
            f"{self.bootstrap_method}, {self.n_boot} replicates, 90% intervals",
            "",
            "Frontier fits  L = E + A·C^−α",
            self.fits.to_string(index=False, **fmt),
            "",
            "Exponent gaps (α_new − α_ref)",
            self.gaps.to_string(index=False, **fmt),
            "",
            "Compute-equivalent gain vs compute (law: fixed-E fits; measured: by loss)",
            self.ceg.to_string(index=False, **fmt),
        ]
        if self.interaction is not None:
            lines += [
                "",
                f"Single ablations vs combined, by-loss CEG at loss "
                f"{self.interaction.attrs['at_loss']:.4f}",
                self.interaction.to_string(index=False, **fmt),
            ]
        if self.calibration:
            lines += ["", "Calibration against the observational estimate"]
            lines += [f"  {k}: {v}" for k, v in self.calibration.items()]
        return "\n".join(lines)

    def save(self, out: str | Path) -> None:
        """Write ``fits.csv``, ``gaps.csv``, ``ceg.csv``, ``frontier.csv``,
        ``interaction.csv``, ``fit.json`` (window, fixed E, bootstrap, calibration) and
        ``fit_summary.txt`` into ``out``.

        The files are replaced together (:func:`algoattr.outputs.atomic_group`): an
        interrupted save leaves the previous ones byte-identical.
        """
        from algoattr.outputs import atomic_group, output_folder

        out = output_folder(out)
        fr = pd.concat([f.assign(family=k) for k, f in self.frontiers.items()], ignore_index=True)[
            ["family", "compute", "loss", "width"]
        ]
        tables = {"fits.csv": self.fits, "gaps.csv": self.gaps, "ceg.csv": self.ceg}
        tables["frontier.csv"] = fr
        if self.interaction is not None:
            tables["interaction.csv"] = self.interaction
        settings = {
            "window_flop": list(self.window),
            "e_fixed": self.e_fixed,
            "e_fixed_source": self.e_fixed_source,
            "bootstrap_method": self.bootstrap_method,
            "n_boot": self.n_boot,
            "interaction_at_loss": (
                None if self.interaction is None else self.interaction.attrs.get("at_loss")
            ),
            "calibration": self.calibration,
        }
        texts = {
            "fit.json": json.dumps(settings, indent=1) + "\n",
            "fit_summary.txt": self.summary() + "\n",
        }
        with atomic_group() as group:
            for name, table in tables.items():
                table.to_csv(group.path(out / name), index=False)
            for name, text in texts.items():
                group.path(out / name).write_text(text, encoding="utf-8")


def analyse(
    metrics: pd.DataFrame,
    runs: pd.DataFrame | None = None,
    *,
    reference: str = "lstm",
    window: tuple[float, float] | None = None,
    e_fixed: float | None = None,
    n_boot: int = 200,
    seed: int = 0,
    method: str = "auto",
    ceg_computes: Any = None,
) -> LadderFit:
    """Fit every family of a ladder and compare them.

    Parameters
    ----------
    metrics : pandas.DataFrame
        Dense logs of all runs (``family``, ``width``, ``seed``, ``step``, ``flops``,
        ``val_loss``).
    runs : pandas.DataFrame, optional
        Run summaries; ``entropy_per_token`` there (synthetic corpus) is the default fixed E.
    reference : str
        Reference family for gaps and CEG (``lstm``; falls back to the first family).
    window : tuple of float, optional
        Fit window; default :func:`default_window`.
    e_fixed : float, optional
        Shared fixed E; default the corpus entropy when known, else 0.9 × the smallest E
        fitted freely.
    n_boot : int
        Bootstrap replicates per family and fit type.
    seed : int
        Seeds the bootstrap.
    method : str
        Bootstrap method (see :func:`bootstrap_fits`).
    ceg_computes : array_like, optional
        Compute levels for CEG; default three log-spaced levels across the fit window
        (its 10%, 50% and 90% points in log compute).

    Returns
    -------
    LadderFit
    """
    families = list(dict.fromkeys(metrics["family"]))
    if reference not in families:
        reference = families[0]
    window = window or default_window(metrics)
    frontiers = {f: frontier(metrics[metrics["family"] == f]) for f in families}

    free: dict[str, tuple[dict, np.ndarray, str]] = {}
    for i, f in enumerate(families):
        free[f] = bootstrap_fits(
            metrics[metrics["family"] == f], window, None, n_boot, seed + i, method
        )
    source = "argument"
    if e_fixed is None:
        ent = None
        if runs is not None and "entropy_per_token" in runs:
            ent = pd.to_numeric(runs["entropy_per_token"], errors="coerce").dropna()
        if ent is not None and len(ent):
            e_fixed, source = float(ent.iloc[0]), "entropy of the synthetic source"
        else:
            e_fixed = 0.9 * min(v[0]["E"] for v in free.values())
            source = "0.9 × smallest freely fitted E"
    fixed = {
        f: bootstrap_fits(
            metrics[metrics["family"] == f], window, e_fixed, n_boot, seed + i, method
        )
        for i, f in enumerate(families)
    }
    boot_method = next(iter(fixed.values()))[2]

    rows = []
    for kind, table in (("E fitted", free), ("E fixed", fixed)):
        for f in families:
            point, draws, _ = table[f]
            lo, hi = _interval(draws[:, 2])
            rows.append(
                {
                    "family": f,
                    "fit": kind,
                    "E": point["E"],
                    "A": point["A"],
                    "alpha": point["alpha"],
                    "alpha_lo": lo,
                    "alpha_hi": hi,
                    "rmse_log": point["rmse"],
                }
            )
    fits = pd.DataFrame(rows)

    gap_rows = []
    for kind, table in (("E fitted", free), ("E fixed", fixed)):
        for f in families:
            if f == reference:
                continue
            d = table[f][1][:, 2] - table[reference][1][:, 2]
            lo, hi = _interval(d)
            gap_rows.append(
                {
                    "new": f,
                    "ref": reference,
                    "fit": kind,
                    "gap": table[f][0]["alpha"] - table[reference][0]["alpha"],
                    "gap_lo": lo,
                    "gap_hi": hi,
                    "p_gap_le_0": float(np.mean(d[np.isfinite(d)] <= 0)),
                }
            )
    gaps = pd.DataFrame(gap_rows)

    if ceg_computes is None:
        lw = np.log(window)
        ceg_computes = np.exp(lw[0] + np.array([0.1, 0.5, 0.9]) * (lw[1] - lw[0]))
    ceg_computes = np.atleast_1d(np.asarray(ceg_computes, float))
    ceg_rows = []
    ref_pt, ref_draws, _ = fixed[reference]
    for f in families:
        if f == reference:
            continue
        pt, dr, _ = fixed[f]
        fr_ref, fr_new = frontiers[reference], frontiers[f]
        for c in ceg_computes:
            law = float(
                law_ceg(
                    c,
                    A_ref=ref_pt["A"],
                    alpha_ref=ref_pt["alpha"],
                    A_new=pt["A"],
                    alpha_new=pt["alpha"],
                )
            )
            draws = law_ceg(
                c,
                A_ref=ref_draws[:, 1],
                alpha_ref=ref_draws[:, 2],
                A_new=dr[:, 1],
                alpha_new=dr[:, 2],
            )
            lo, hi = _interval(np.asarray(draws))
            # measured: loss the new frontier reaches at c, compute the reference needs for it
            l_new = np.exp(
                np.interp(
                    np.log(c), np.log(fr_new["compute"]), np.log(fr_new["loss"]), np.nan, np.nan
                )
            )
            measured = (
                float(
                    ceg_by_loss(
                        fr_ref["compute"], fr_ref["loss"], fr_new["compute"], fr_new["loss"], l_new
                    )
                )
                if np.isfinite(l_new)
                else float("nan")
            )
            ceg_rows.append(
                {
                    "new": f,
                    "ref": reference,
                    "compute": c,
                    "ceg_law": law,
                    "ceg_law_lo": lo,
                    "ceg_law_hi": hi,
                    "ceg_measured": measured,
                    "ref_compute_law": float(
                        power_law_compute(
                            power_law_loss(c, E=e_fixed, A=pt["A"], alpha=pt["alpha"]),
                            E=e_fixed,
                            A=ref_pt["A"],
                            alpha=ref_pt["alpha"],
                        )
                    ),
                }
            )
    ceg = pd.DataFrame(ceg_rows)
    return LadderFit(
        window=(float(window[0]), float(window[1])),
        e_fixed=float(e_fixed),
        e_fixed_source=source,
        fits=fits,
        gaps=gaps,
        ceg=ceg,
        interaction=ablation_interaction(frontiers),
        frontiers=frontiers,
        bootstrap_method=boot_method,
        n_boot=n_boot,
    )


# --------------------------------------------------------------------------------------------
# calibration against the observational model
# --------------------------------------------------------------------------------------------


def observational_transformer_ceg(
    compute: float,
    fit_summary: str | Path | None = None,
    params_path: str | Path | None = None,
) -> tuple[float | None, str]:
    """The observational model's Transformer CEG, if it can be had.

    Sources, in order:

    - ``fit_summary``: a ``*_summary.json`` saved by :mod:`algoattr.fit` (``FitResult.save``);
      its ``extras["ceg_transformer_<C>"]`` entries (posterior median and interval of Ho et
      al.'s Transformer CEG at fixed compute levels) — the level nearest ``compute`` in log
      scale is returned, and the text says which compute it is for;
    - ``params_path``: a JSON of point estimates of Ho et al.'s law (keys ``gamma``, ``year``,
      ``a``, ``alpha_year``, ``alpha_param``, ``b``, ``beta_year``, ``beta_data`` and
      ``ref`` = ``{year0, n0, d0}``), evaluated at ``compute`` by
      :func:`algoattr.law.lm_transformer_ceg`.

    Returns
    -------
    tuple
        ``(value or None, how it was obtained or why not)``.
    """
    if fit_summary is not None:
        extras = json.loads(Path(fit_summary).read_text()).get("extras", {})
        entries = [v for k, v in extras.items() if k.startswith("ceg_transformer_")]
        if not entries:
            return None, f"{Path(fit_summary).name} has no ceg_transformer_* entries"
        e = min(entries, key=lambda v: abs(np.log(v["compute_flop"] / compute)))
        return float(e["median"]), (
            f"algoattr.fit posterior median at {e['compute_flop']:.3g} FLOP, year "
            f"{e.get('year')}, {e.get('benchmark')}; {100 * e.get('level', 0.95):.0f}% interval "
            f"{e['lower']:.3g}–{e['upper']:.3g}; from {Path(fit_summary).name}"
        )
    if params_path is not None:
        from algoattr.law import LMReference, lm_transformer_ceg

        p = json.loads(Path(params_path).read_text())
        ref = LMReference(**p.pop("ref"))
        year = p.pop("year")
        value = float(lm_transformer_ceg(compute, year=year, ref=ref, **p))
        return value, (
            f"algoattr.law.lm_transformer_ceg at {compute:.3g} FLOP with point estimates from "
            f"{Path(params_path).name}"
        )
    return None, "no observational fit given (--observational-fit SUMMARY_JSON)"


def calibrate(
    result: LadderFit,
    new: str = BASE,
    observational_ceg: float | None = None,
    observational_fit: str | Path | None = None,
    observational_params: str | Path | None = None,
) -> dict[str, Any]:
    """Measured LSTM → ``new`` CEG at the top of the fit window next to the observational one.

    The value goes into ``result.calibration`` and is returned.
    """
    c = result.window[1]
    out: dict[str, Any] = {"suite compute (top of the fit window), FLOP": f"{c:.3g}"}
    fixed = result.fits[result.fits["fit"] == "E fixed"].set_index("family")
    ref = result.ceg["ref"].iloc[0] if len(result.ceg) else None
    if ref == new:
        out["measured CEG"] = f"not measured: the ladder has no reference family besides {new}"
    elif ref is not None and new in fixed.index:
        law = float(
            law_ceg(
                c,
                A_ref=fixed.loc[ref, "A"],
                alpha_ref=fixed.loc[ref, "alpha"],
                A_new=fixed.loc[new, "A"],
                alpha_new=fixed.loc[new, "alpha"],
            )
        )
        out[f"measured CEG {ref} -> {new} (law, fixed E)"] = f"{law:.3g}"
    if observational_ceg is not None:
        out["observational Transformer CEG"] = (
            f"{observational_ceg:.3g} (given as --observational-ceg)"
        )
    else:
        value, how = observational_transformer_ceg(c, observational_fit, observational_params)
        out["observational Transformer CEG"] = (
            f"{value:.3g} ({how})"
            if value is not None
            else f"unavailable: {how}; pass --observational-ceg"
        )
    result.calibration = out
    return out
