"""Frontier fits on synthetic curves with known exponents (no torch needed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from algoattr.law import law_ceg
from algoattr.training.fit import (
    ablation_interaction,
    analyse,
    bootstrap_fits,
    fit_power_law,
    frontier,
)


def _ladder(family: str, e: float, a: float, alpha: float, seed: int = 0) -> pd.DataFrame:
    """Dense logs whose lower envelope is ``e + a·C^−alpha``: width ``w`` follows the law up to
    its own compute ``c_w`` and flattens beyond it (each curve touches the frontier once)."""
    rng = np.random.default_rng(seed)
    rows = []
    widths = [8, 16, 32, 64, 128, 256]
    for i, w in enumerate(widths):
        c_w = 1e10 * 4.0**i
        c = np.geomspace(c_w / 300, c_w, 40)
        law = e + a * c**-alpha
        # slower than the frontier before c_w: loss rises above it by a smooth penalty
        pen = 1 + 0.3 * (np.log(c_w / c) / np.log(300)) ** 2
        loss = e + (law - e) * pen * np.exp(rng.normal(0, 0.002, c.size))
        for s, (ci, li) in enumerate(zip(c, loss, strict=True)):
            rows.append(
                {
                    "family": family,
                    "width": w,
                    "seed": 0,
                    "step": s + 1,
                    "flops": ci,
                    "val_loss": li,
                }
            )
    return pd.DataFrame(rows)


def test_fit_power_law_recovers_parameters() -> None:
    c = np.geomspace(1e12, 1e18, 40)
    loss = 1.9 + 80.0 * c**-0.09
    free = fit_power_law(c, loss)
    assert free["alpha"] == pytest.approx(0.09, rel=0.02)
    assert free["E"] == pytest.approx(1.9, abs=0.02)
    fixed = fit_power_law(c, loss, e_fixed=1.9)
    assert fixed["alpha"] == pytest.approx(0.09, rel=1e-6)
    assert fixed["A"] == pytest.approx(80.0, rel=1e-5)
    with pytest.raises(ValueError):
        fit_power_law(c, loss, e_fixed=5.0)


def test_frontier_recovers_known_exponent() -> None:
    df = _ladder("x", 1.0, 30.0, 0.12)
    fr = frontier(df)
    assert fr["compute"].is_monotonic_increasing
    assert fr["loss"].is_monotonic_decreasing  # Pareto points only
    assert set(fr["width"]) >= {16, 64, 256}  # larger widths take over as compute grows
    inner = fr[(fr.compute >= 1e10) & (fr.compute <= 1e10 * 4**5)]
    fixed = fit_power_law(inner.compute, inner.loss, e_fixed=1.0)
    assert fixed["alpha"] == pytest.approx(0.12, abs=0.01)
    point, draws, method = bootstrap_fits(df, (1e10, 1e10 * 4**5), None, n_boot=40, seed=1)
    assert method == "blocks"
    assert point["alpha"] == pytest.approx(0.12, abs=0.02)
    lo, hi = np.nanquantile(draws[:, 2], [0.02, 0.98])
    assert lo < point["alpha"] < hi


def test_bootstrap_over_seeds_needs_three_seeds_per_width() -> None:
    def seeded(n: int) -> pd.DataFrame:
        parts = []
        for s in range(n):
            d = _ladder("x", 1.0, 30.0, 0.12, seed=10 + s)
            d["seed"] = s
            d["val_loss"] *= np.exp(np.random.default_rng(s).normal(0, 0.01, len(d)))
            parts.append(d)
        return pd.concat(parts, ignore_index=True)

    window = (1e10, 1e10 * 4**5)
    _, _, two = bootstrap_fits(seeded(2), window, None, n_boot=10, seed=0)
    point, draws, three = bootstrap_fits(seeded(3), window, None, n_boot=40, seed=0)
    assert (two, three) == ("blocks", "seeds")
    assert point["alpha"] == pytest.approx(0.12, abs=0.02)
    assert np.nanstd(draws[:, 2]) > 0  # resampled seeds move the exponent


def test_analyse_gap_ceg_and_interaction() -> None:
    # lstm slower exponent, transformers faster; singles multiply cleanly by construction
    df = pd.concat(
        [
            _ladder("lstm", 1.0, 20.0, 0.08, seed=1),
            _ladder("transformer2017", 1.0, 40.0, 0.11, seed=2),
            _ladder("modern", 1.0, 40.0 * 2.0**-0.11, 0.11, seed=3),  # a 2x gain over 2017
        ]
    )
    runs = pd.DataFrame({"entropy_per_token": [1.0]})
    res = analyse(df, runs, n_boot=12, window=(1e10, 1e10 * 4**5))
    assert res.e_fixed == 1.0
    fits = res.fits.set_index(["family", "fit"])
    assert fits.loc[("lstm", "E fixed"), "alpha"] == pytest.approx(0.08, abs=0.01)
    gap = res.gaps.set_index(["new", "fit"]).loc[("transformer2017", "E fixed")]
    assert gap["gap"] == pytest.approx(0.03, abs=0.01) and gap["gap_lo"] > 0
    ceg = res.ceg[res.ceg["new"] == "transformer2017"]
    assert ceg["ceg_law"].is_monotonic_increasing  # grows with compute as the gap is positive
    expect = law_ceg(ceg["compute"], A_ref=20.0, alpha_ref=0.08, A_new=40.0, alpha_new=0.11)
    np.testing.assert_allclose(ceg["ceg_law"], expect, rtol=0.5)
    # measured gains exist only where the LSTM's frontier reaches the Transformer's loss
    ok = np.isfinite(ceg["ceg_measured"].to_numpy())
    assert ok[:2].all()
    np.testing.assert_allclose(ceg["ceg_measured"][ok], ceg["ceg_law"][ok], rtol=0.5)
    text = res.summary()
    assert "Frontier fits" in text and "transformer2017" in text


def test_ablation_interaction_product() -> None:
    c = np.geomspace(1e10, 1e14, 50)

    def fr(gain: float) -> pd.DataFrame:
        return pd.DataFrame({"compute": c, "loss": 1.0 + 30.0 * (gain * c) ** -0.1})

    frontiers = {
        "transformer2017": fr(1.0),
        "transformer2017+rope": fr(1.5),
        "transformer2017+pre_norm": fr(2.0),
        "modern": fr(2.0),  # less than the 3x product: negative interaction
    }
    out = ablation_interaction(frontiers).set_index("change")["ceg"]
    assert out["rope"] == pytest.approx(1.5, rel=1e-3)
    assert out["product of singles"] == pytest.approx(3.0, rel=1e-3)
    assert out["interaction (combined / product)"] == pytest.approx(2 / 3, rel=1e-3)


def test_observational_ceg_from_saved_fit(tmp_path) -> None:
    import json

    from algoattr.training.fit import observational_transformer_ceg

    entry = {"median": 40.0, "lower": 10.0, "upper": 90.0, "ci_prob": 0.95, "year": 2023.0}
    extras = {
        "ceg_transformer_1e22": {**entry, "compute_flop": 1e22, "benchmark": "wikitext-103"},
        "ceg_transformer_1e25": {**entry, "median": 80.0, "compute_flop": 1e25},
    }
    path = tmp_path / "lm_summary.json"
    path.write_text(json.dumps({"extras": extras}))
    value, how = observational_transformer_ceg(1e12, fit_summary=path)
    assert value == 40.0 and "1e+22" in how
    value, how = observational_transformer_ceg(1e12)
    assert value is None and "--observational-fit" in how
