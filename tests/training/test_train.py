"""Training, resumption and the ladder/fit command line in CPU smoke mode (train extra)."""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")

import pandas as pd  # noqa: E402

from algoattr.training.__main__ import main  # noqa: E402
from algoattr.training.config import make_config  # noqa: E402
from algoattr.training.train import eval_steps, lr_factor, read_metrics, train_run  # noqa: E402

pytestmark = pytest.mark.train

SMALL = {
    "context": 32,
    "batch_size": 8,
    "eval_tokens": 2048,
    "n_evals": 8,
    "corpus_options": {"train_tokens": 80_000, "valid_tokens": 4_000},
}


@pytest.mark.parametrize("family", ["lstm", "transformer2017", "modern"])
def test_loss_falls(tmp_path, family: str) -> None:
    cfg = make_config(family, 16, tokens=60_000, lr=1e-2, **SMALL)
    s = train_run(cfg, tmp_path / family, progress=False)
    rows = read_metrics(tmp_path / family / "metrics.csv")
    assert rows[0]["step"] == 1 and rows[-1]["step"] == cfg.steps
    assert rows[-1]["val_loss"] < rows[0]["val_loss"] - 0.2
    assert s["final_val_loss"] > s["entropy_per_token"]
    assert rows[-1]["flops"] == pytest.approx(s["flops"])
    assert 0.9 < s["counter_over_analytic"] < 1.1


@pytest.mark.parametrize("family", ["lstm", "modern"])
def test_resume_gives_same_result(tmp_path, family: str) -> None:
    cfg = make_config(family, 16, tokens=20_000, lr=1e-2, **SMALL)
    full = train_run(cfg, tmp_path / "full", progress=False)
    part = train_run(cfg, tmp_path / "part", progress=False, stop_after_step=20)
    assert part["interrupted"] and part["step"] < cfg.steps
    assert (tmp_path / "part" / "checkpoint.pt").exists()
    resumed = train_run(cfg, tmp_path / "part", progress=False)
    assert resumed["final_val_loss"] == full["final_val_loss"]
    a = pd.read_csv(tmp_path / "full" / "metrics.csv")
    b = pd.read_csv(tmp_path / "part" / "metrics.csv")
    cols = ["step", "tokens", "flops", "train_loss", "val_loss", "lr"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    # a finished run is returned as it is, without training
    again = train_run(cfg, tmp_path / "part", progress=False)
    assert again == json.loads((tmp_path / "part" / "summary.json").read_text())
    with pytest.raises(ValueError):
        train_run(make_config(family, 16, tokens=30_000, **SMALL), tmp_path / "part")
    # a run written before a RunConfig field existed resumes (the field takes its default)
    cfg_file = tmp_path / "part" / "config.json"
    old = json.loads(cfg_file.read_text())
    del old["compile"]
    cfg_file.write_text(json.dumps(old))
    assert train_run(cfg, tmp_path / "part", progress=False) == again


def test_compiled_training_matches_eager(tmp_path) -> None:
    cfg = make_config("modern", 16, tokens=6_000, lr=1e-2, **SMALL)
    eager = train_run(cfg, tmp_path / "eager", progress=False)
    compiled = train_run(
        make_config("modern", 16, tokens=6_000, lr=1e-2, compile=True, **SMALL),
        tmp_path / "compiled",
        progress=False,
    )
    assert compiled["final_val_loss"] == pytest.approx(eager["final_val_loss"], rel=1e-3)


def test_schedules_and_eval_steps() -> None:
    cfg = make_config("transformer2017", 16, tokens=100 * 256, batch_size=8, context=32)
    f = [lr_factor(cfg, s) for s in range(cfg.steps)]
    assert max(f) == pytest.approx(1.0) and f[0] < 1 and f[-1] < 0.5
    cos = make_config("modern", 16, tokens=100 * 256, batch_size=8, context=32)
    assert lr_factor(cos, cos.steps - 1) == pytest.approx(cos.min_lr_frac)
    assert eval_steps(1000, 10)[-1] == 1000 and eval_steps(1000, 10)[0] == 1


def test_ladder_and_fit_cli(tmp_path, capsys) -> None:
    out = tmp_path / "ladder"
    args = [
        "ladder",
        "--families", "lstm,transformer2017,modern,transformer2017+rope",
        "--widths", "8,16",
        "--family-widths", "lstm=8,12",
        "--context", "32",
        "--batch-size", "8",
        "--tokens-per-param", "4",
        "--min-tokens", "8000",
        "--lr-multipliers", "0.5,1",
        "--sweep-fraction", "0.3",
        "--n-evals", "12",
        "--eval-tokens", "1024",
        "--quiet",
        "--out", str(out),
    ]  # fmt: skip
    assert main(args) == 0
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 8
    assert set(runs["family"]) == {"lstm", "transformer2017", "modern", "transformer2017+rope"}
    assert set(runs.loc[runs["family"] == "lstm", "width"]) == {8, 12}
    metrics = pd.read_csv(out / "metrics.csv")
    assert {"family", "width", "seed", "step", "tokens", "flops", "val_loss"} <= set(metrics)
    sweep = pd.read_csv(out / "sweep.csv")
    assert sweep.groupby(["family", "width"])["chosen"].sum().eq(1).all()
    # A two-point grid always has its best at an edge, so every width tries one more rate;
    # a width whose best is still at an edge of what it tried has used both extensions.
    for _, g in sweep.groupby(["family", "width"]):
        assert 3 <= len(g) <= 4
        best = g.loc[g["chosen"], "lr"].item()
        if best in (g["lr"].min(), g["lr"].max()):
            assert len(g) == 4
    mtime = (out / "runs" / runs["run_id"][0] / "summary.json").stat().st_mtime
    assert main(args) == 0  # re-running skips finished runs
    assert (out / "runs" / runs["run_id"][0] / "summary.json").stat().st_mtime == mtime
    capsys.readouterr()
    assert main(["fit", str(out), "--n-boot", "5", "--observational-ceg", "12.5"]) == 0
    text = capsys.readouterr().out
    assert "Frontier fits" in text and "12.5" in text
    assert (out / "fits.csv").exists() and (out / "ceg.csv").exists()
    inter = pd.read_csv(out / "interaction.csv")
    assert {"rope", "product of singles", "combined (modern)"} <= set(inter["change"])
