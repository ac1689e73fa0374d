"""Bad options of ``python -m algoattr.training`` and checkpoints that hold more than tensors."""

from __future__ import annotations

import pickle

import pytest

from algoattr.errors import UsageError
from algoattr.training.__main__ import _family_widths, main

PROG = "python -m algoattr.training: error: "


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("ALGOATTR_DEBUG", raising=False)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ladder", "--out", "x", "--widths", "16,0"], "argument --widths: must be a positive"),
        (["ladder", "--out", "x", "--seeds", "-1"], "argument --seeds: must be a non-negative"),
        (["ladder", "--out", "x", "--context", "0"], "argument --context: must be a positive"),
        (["ladder", "--out", "x", "--lr-multipliers", "1,0"], "must be a positive number"),
        (["fit", "runs", "--n-boot", "0"], "argument --n-boot: must be a positive integer"),
        (["fit", "runs", "--e-fixed", "nan"], "argument --e-fixed: must be a finite number"),
    ],
)
def test_out_of_range_options_exit_2(capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_family_widths():
    assert _family_widths("lstm=16,32; modern=8") == {"lstm": [16, 32], "modern": [8]}
    with pytest.raises(UsageError, match="expected FAMILY=W1,W2"):
        _family_widths("lstm:16")
    with pytest.raises(UsageError, match="must be a positive integer"):
        _family_widths("lstm=0")


def test_a_missing_run_folder_or_observational_fit(tmp_path, capsys):
    assert main(["fit", str(tmp_path / "none")]) == 2
    assert capsys.readouterr().err.startswith(f"{PROG}{tmp_path / 'none'}: no such run folder")
    argv = ["fit", str(tmp_path), "--observational-fit", str(tmp_path / "lm_summary.json")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "no saved fit (run `python -m algoattr.fit --benchmark lm` first" in err


class _Payload:
    """Unpickling this runs code: what a tampered checkpoint could do."""

    def __reduce__(self):
        return (open, ("PWNED", "w"))


@pytest.mark.train
def test_a_checkpoint_with_code_in_it_is_refused(tmp_path, monkeypatch):
    torch = pytest.importorskip("torch")
    from algoattr.training.config import make_config
    from algoattr.training.train import train_run

    small = {
        "context": 16,
        "batch_size": 4,
        "eval_tokens": 512,
        "n_evals": 4,
        "corpus_options": {"train_tokens": 20_000, "valid_tokens": 2_000},
    }
    cfg = make_config("lstm", 8, tokens=4_000, lr=1e-2, **small)
    run = tmp_path / "run"
    part = train_run(cfg, run, progress=False, stop_after_step=2)
    assert part["interrupted"]
    torch.save({"model": _Payload()}, run / "checkpoint.pt")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(pickle.UnpicklingError):
        train_run(cfg, run, progress=False)
    assert not (tmp_path / "PWNED").exists()
