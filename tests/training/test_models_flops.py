"""Models and FLOP accounting (needs the train extra)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from algoattr.training.config import make_config  # noqa: E402
from algoattr.training.flops import analytic_flops_per_token, counted_flops_per_token  # noqa: E402
from algoattr.training.models import build_model, count_parameters  # noqa: E402

pytestmark = pytest.mark.train

FAMILIES = [
    "lstm",
    "transformer2017",
    "modern",
    "transformer2017+pre_norm",
    "transformer2017+rmsnorm",
    "transformer2017+rope",
    "transformer2017+learned_pos",
    "transformer2017+swiglu",
    "transformer2017+relu",
]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("width", [16, 64])
def test_counter_matches_analytic_flops(family: str, width: int) -> None:
    cfg = make_config(family, width, vocab_size=37, context=32)
    model = build_model(cfg)
    n = count_parameters(model)
    analytic = analytic_flops_per_token(cfg, n["flop"])
    counted = counted_flops_per_token(model, cfg)
    assert counted == pytest.approx(analytic["total"], rel=0.10)
    assert analytic["six_n"] == 6 * n["flop"]
    assert (analytic["attention"] > 0) == (cfg.arch == "transformer")


def test_lstm_reference_path_equals_fused() -> None:
    cfg = make_config("lstm", 16, vocab_size=20, context=8, n_layers=2)
    model = build_model(cfg)
    x = torch.randint(0, 20, (3, 8))
    a, (ha, ca) = model(x)
    torch.testing.assert_close(ha, ca * 0 + ha)
    model.reference = True
    b, (hb, cb) = model(x, None)
    torch.testing.assert_close(ha, hb, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(ca, cb, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("family", ["transformer2017", "modern"])
def test_fused_attention_equals_explicit(family: str) -> None:
    cfg = make_config(family, 32, vocab_size=20, context=16)
    model = build_model(cfg)
    x = torch.randint(0, 20, (2, 16))
    a, _ = model(x)
    model.set_fused_attention(True)
    b, _ = model(x)
    torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_models_are_causal_and_swiglu_matches_parameters() -> None:
    for fam in ("transformer2017", "modern"):
        model = build_model(make_config(fam, 32, vocab_size=20, context=16))
        x = torch.randint(0, 20, (1, 16))
        y = x.clone()
        y[0, 10] = (y[0, 10] + 1) % 20
        a, _ = model(x)
        b, _ = model(y)
        torch.testing.assert_close(a[:, :10], b[:, :10])
    gelu = count_parameters(build_model(make_config("transformer2017", 64, vocab_size=20)))
    swiglu = count_parameters(build_model(make_config("transformer2017+swiglu", 64, vocab_size=20)))
    assert swiglu["total"] == pytest.approx(gelu["total"], rel=0.02)
