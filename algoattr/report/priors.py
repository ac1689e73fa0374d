"""The Fit section's prior-sensitivity table (computed by :mod:`algoattr.prior_sensitivity`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from algoattr.prior_sensitivity import PRIOR_MATTERS, prior_sensitivity

__all__ = ["prior_sensitivity_table"]


def prior_sensitivity_table(
    result: Any, seed: int = 0, frame: pd.DataFrame | None = None
) -> dict[str, Any] | None:
    """How far each year term's posterior moved from its prior, as a report table.

    Parameters
    ----------
    result : FitResult
        The fit.
    seed : int
        Seed of the prior draws.
    frame : pandas.DataFrame, optional
        :func:`algoattr.prior_sensitivity.prior_sensitivity` of ``result``, already computed
        (:attr:`algoattr.pipeline.FitStudy.prior_sensitivity`); computed here when not given.

    Returns
    -------
    dict or None
        A :func:`algoattr.report.builder.make_table` table; ``None`` without year terms.
    """
    from algoattr.report.tables import fmt_num, make_table

    t = prior_sensitivity(result, seed=seed) if frame is None else frame
    if t.empty:
        return None
    t = t.assign(flag=["yes" if m else "no" for m in t["prior_matters"]])
    return make_table(
        t,
        columns={
            "parameter": "Parameter",
            "kind": "Kind",
            "prior": "Prior",
            "prior_sd": "Prior sd",
            "posterior_sd": "Posterior sd",
            "sd_ratio": "sd ratio (post./prior)",
            "contraction": "Contraction",
            "shift": "Shift (prior sds)",
            "overlap": "Overlap",
            "flag": "Prior still matters",
        },
        formats={
            "sd_ratio": lambda v: fmt_num(v, 2),
            "contraction": lambda v: fmt_num(v, 2),
            "shift": lambda v: f"{v:+.2f}",
            "overlap": lambda v: f"{v:.2f}",
        },
        caption="Prior sensitivity: how far each year term's posterior moved from its prior "
        "(algoattr.model.priors). sd ratio = posterior sd / prior sd; contraction = 1 − "
        "variance ratio; shift = change of the mean in prior sds; overlap = area shared by the "
        "two densities. Near 1 (ratio, overlap) the rows say little beyond the prior; "
        f"'prior still matters' when the ratio is ≥ {PRIOR_MATTERS:g}",
    )
