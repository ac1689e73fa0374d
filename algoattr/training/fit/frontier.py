"""A ladder's logs, its compute-optimal frontier and power-law fits with bootstrap intervals.

- :func:`load_metrics` reads a ladder's run table and logged curves;
- :func:`frontier` is the lower envelope over widths of validation loss against FLOPs;
- :func:`fit_power_law` fits ``L = E + A·C^−α`` by least squares on ``log L``;
- :func:`bootstrap_fits` gives intervals for ``α`` per family and for the exponent gap.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from algoattr.law import power_law_loss

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
