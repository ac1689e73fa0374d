"""The attribution section's headline per benchmark: the whole period's shares.

Rendering of :mod:`algoattr.aggregate` (the definition and the computation live there): one
table per benchmark with compute's, algorithms' and data's share of the *predicted* change
from the earliest to the latest reference model in the fit sample, median and 95% interval
(:data:`algoattr.intervals.CI_PROB`) over posterior draws, beside the published figures
(Ho et al. 2024's 60–95% compute share; Erdil & Besiroglu 2022's AlexNet → ViT-e shares).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from algoattr.aggregate import DEFINITION, AggregateShares, percent_interval
from algoattr.intervals import CI_PROB, ci_label

__all__ = ["aggregate_block"]


def aggregate_block(agg: AggregateShares, ci_prob: float = CI_PROB) -> dict[str, Any]:
    """Template context of one benchmark's whole-period shares.

    Parameters
    ----------
    agg : AggregateShares
        From :func:`algoattr.aggregate.whole_period_shares`.
    ci_prob : float
        Probability of the equal-tailed interval over draws.

    Returns
    -------
    dict
        ``{"table", "text", "definition", "outside"}``.
    """
    from algoattr.report.tables import make_table

    t = agg.table(ci_prob)
    rows = []
    for r in t.to_dict("records"):
        row = {"component": r["description"], "share": percent_interval(r)}
        if "accuracy_median" in r:
            row["accuracy"] = percent_interval(r, "accuracy_")
        row["published"] = r["published"] or "–"
        rows.append(row)
    lm = agg.law == "lm"
    what = "perplexity" if lm else "top-1 error (%)"
    columns = {
        "component": "Component",
        "share": f"Share of the predicted change in {agg.space}: median [{ci_label(ci_prob)}]",
    }
    if not lm:
        columns["accuracy"] = f"Share of the predicted change in accuracy [{ci_label(ci_prob)}]"
    columns["published"] = "Published"
    pa, pb = agg.predicted()
    text = (
        f"{agg.model_a} ({agg.years[0]:.1f}) → {agg.model_b} ({agg.years[1]:.1f}): observed "
        f"{what} {agg.observed[0]:.4g} → {agg.observed[1]:.4g}; the fitted law "
        f"predicts {float(np.median(pa)):.4g} → {float(np.median(pb)):.4g} "
        f"(posterior medians, {agg.n_draws:,} draws)."
    )
    from algoattr.published import ERDIL2022_ALEXNET_VITE_SHARES, HO2024_COMPUTE_SHARE

    ho = HO2024_COMPUTE_SHARE
    erdil = ERDIL2022_ALEXNET_VITE_SHARES
    first = next(iter(erdil.values()))
    published = (
        {
            "key": "ho2024",
            "text": f"compute scaling (parameters and data) {100 * ho.lower:.0f}–"
            f"{100 * ho.upper:.0f}% of the change in {ho.space} ({ho.note})",
        }
        if lm
        else {
            "key": "erdil2022",
            "text": f"{first.note}: "
            + ", ".join(f"{100 * p.lower:.1f}% {name}" for name, p in erdil.items())
            + f" (in {first.space})",
        }
    )
    return {
        "published": published,
        "table": make_table(
            pd.DataFrame(rows),
            columns=columns,
            caption=f"{agg.benchmark}, whole period: shares of the PREDICTED change (the fitted "
            f"law at the two models' inputs, not their observed {what})",
        ),
        "text": text,
        "definition": DEFINITION,
        "outside": list(agg.outside),
    }
