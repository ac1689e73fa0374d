"""Calibration of the retraining fits against the observational model's Transformer CEG."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from algoattr.intervals import CI_PROB
from algoattr.law import law_ceg
from algoattr.training.fit.analysis import BASE, LadderFit

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
            f"{e.get('year')}, {e.get('benchmark')}; "
            f"{100 * e.get('ci_prob', CI_PROB):.0f}% interval "
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
