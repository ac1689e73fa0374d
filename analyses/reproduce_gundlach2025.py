"""Reproduce Gundlach et al. (2025)'s 2012–2023 extrapolation of algorithmic progress.

Gundlach, H. et al. (2025), "On the origin(s) of algorithmic progress in AI". Published constants
and arithmetic as read from the authors' public code (github.com/hansgundlach/Experimental_Progress,
commit 0a3e626): frontier laws L − 1.9 = A·C^−α (LSTM 36.3, 0.065; 2017 Transformer 81.7, 0.091;
modern Transformer 88.0, 0.094), frontier compute 1e16·4.1^(year − 2013), Kaplan → Chinchilla
rebalancing from the Chinchilla law (Hoffmann et al. 2022), six ablations shrunk to the measured
1.33× and mixture-of-experts 2.0×.

Usage: python analyses/reproduce_gundlach2025.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from algoattr.ceg import (
    GUNDLACH_2025,
    chinchilla_rebalancing_ceg,
    chinchilla_rebalancing_closed_form,
    gundlach_extrapolation,
    law_vs_law,
)

#: Published figures (Gundlach et al. 2025; see the module docstring).
PUBLISHED = {
    "2012-2023 total": 6926.0,
    "2012-2023 Transformer": 726.0,
    "2012-2023 Chinchilla": 3.71,
    "2012-2023 scale-invariant": 2.57,
    "2013-2025 total": 21400.0,
    "2013-2025 Transformer": 848.0,
    "2013-2025 Chinchilla": 9.84,
    "LSTM->Transformer CEG at 1e15": 3.8,
    "LSTM->Transformer CEG at 1e18": 60.0,
    "LSTM->Transformer CEG at 1.34e22": 2700.0,
    "Chinchilla rebalancing at 1e15": 5.5,
    "Chinchilla rebalancing at 1e18": 1.07,
}


def reproduce() -> pd.DataFrame:
    """Published vs reproduced figures, one row each."""
    a = gundlach_extrapolation(2012, 2023)
    b = gundlach_extrapolation(2013, 2025)
    lstm, tr = GUNDLACH_2025["laws"]["lstm"], GUNDLACH_2025["laws"]["transformer_2017"]
    ceg = law_vs_law(
        [1e15, 1e18, 1.34e22],
        A_ref=lstm["A"],
        alpha_ref=lstm["alpha"],
        A_new=tr["A"],
        alpha_new=tr["alpha"],
    ).ceg
    chin = chinchilla_rebalancing_ceg(np.array([1e15, 1e18]))
    ours = {
        "2012-2023 total": a.total,
        "2012-2023 Transformer": a.transformer,
        "2012-2023 Chinchilla": a.chinchilla,
        "2012-2023 scale-invariant": a.scale_invariant,
        "2013-2025 total": b.total,
        "2013-2025 Transformer": b.transformer,
        "2013-2025 Chinchilla": b.chinchilla,
        "LSTM->Transformer CEG at 1e15": ceg[0],
        "LSTM->Transformer CEG at 1e18": ceg[1],
        "LSTM->Transformer CEG at 1.34e22": ceg[2],
        "Chinchilla rebalancing at 1e15": chin[0],
        "Chinchilla rebalancing at 1e18": chin[1],
    }
    rows = [
        {
            "figure": k,
            "published": PUBLISHED[k],
            "reproduced": float(v),
            "rel_diff": float(v) / PUBLISHED[k] - 1.0,
        }
        for k, v in ours.items()
    ]
    return pd.DataFrame(rows)


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


def main() -> None:
    """Print the comparison table and the decomposition."""
    table = reproduce()
    print("Gundlach et al. 2025: published vs reproduced")
    print(
        table.to_string(
            index=False,
            formatters={
                "published": _fmt,
                "reproduced": _fmt,
                "rel_diff": "{:+.2%}".format,
            },
        )
    )
    print()
    for start, end in ((2012, 2023), (2013, 2025)):
        print(gundlach_extrapolation(start, end).summary())
        print()
    c = np.array([1.34e22, 2.26e23])
    num, closed = chinchilla_rebalancing_ceg(c), chinchilla_rebalancing_closed_form(c)
    print(
        "Chinchilla rebalancing, numeric vs closed form: "
        + ", ".join(f"{x:.4g} vs {y:.4g}" for x, y in zip(num, closed, strict=True))
    )


if __name__ == "__main__":
    main()
