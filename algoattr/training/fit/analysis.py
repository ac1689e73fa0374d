"""The analysis of a ladder, :func:`analyse`: exponents, CEG vs compute, ablation interactions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from algoattr.ceg import ceg_by_loss
from algoattr.intervals import CI_PROB, ci_label, eti
from algoattr.law import law_ceg, power_law_compute, power_law_loss
from algoattr.training.fit.frontier import bootstrap_fits, default_window, frontier

BASE = "transformer2017"


# --------------------------------------------------------------------------------------------
# the analysis
# --------------------------------------------------------------------------------------------


def _interval(x: np.ndarray, ci_prob: float = CI_PROB) -> tuple[float, float]:
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return (float("nan"), float("nan"))
    lo, _, hi = eti(x, ci_prob)
    return lo, hi


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
    ci_prob: float = CI_PROB

    def summary(self) -> str:
        """Plain-text report."""
        fmt = {"float_format": lambda v: f"{v:.4g}"}
        lines = [
            f"fit window: {self.window[0]:.3g} – {self.window[1]:.3g} FLOP",
            f"fixed E = {self.e_fixed:.4f} ({self.e_fixed_source}); bootstrap: "
            f"{self.bootstrap_method}, {self.n_boot} replicates, {ci_label(self.ci_prob)}s",
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
            "ci_prob": self.ci_prob,
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
    ci_prob: float = CI_PROB,
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
    ci_prob : float
        Probability of the equal-tailed bootstrap intervals (:mod:`algoattr.intervals`).

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
            lo, hi = _interval(draws[:, 2], ci_prob)
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
            lo, hi = _interval(d, ci_prob)
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
            lo, hi = _interval(np.asarray(draws), ci_prob)
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
        ci_prob=ci_prob,
    )
