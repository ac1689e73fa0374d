"""Corpora and configurations (numpy only; no torch needed)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from algoattr.training.config import (
    MODERNISING_SWITCHES,
    SWITCHES,
    family_fields,
    make_config,
    parse_family,
)
from algoattr.training.corpus import SyntheticSource, SyntheticSpec, synthetic_corpus, text_corpus


@pytest.mark.parametrize("order", [1, 2])
def test_synthetic_entropy_matches_true_model_nll(order: int) -> None:
    src = SyntheticSource(SyntheticSpec(order=order), seed=3)
    x = src.sample(400_000, seed=11)
    assert src.nll_per_token(x) == pytest.approx(src.entropy_per_token(), rel=0.01)


def test_synthetic_is_seeded_and_copies_are_exact() -> None:
    spec = SyntheticSpec(segment_len=6, n_lags=3)
    a = synthetic_corpus(5000, 1000, seed=4, spec=spec)
    b = synthetic_corpus(5000, 1000, seed=4, spec=spec)
    c = synthetic_corpus(5000, 1000, seed=5, spec=spec)
    np.testing.assert_array_equal(a.train, b.train)
    assert not np.array_equal(a.train, c.train)
    assert not np.array_equal(a.train[:1000], a.valid)
    seg = a.train[: len(a.train) // 7 * 7].reshape(-1, 7)
    for i, row in enumerate(seg):
        if row[0] > spec.content_vocab:  # COPY_lag marker
            lag = row[0] - spec.content_vocab
            np.testing.assert_array_equal(row[1:], seg[i - lag, 1:])
    assert a.train.max() < a.vocab_size
    assert 0 < a.entropy_per_token < np.log(a.vocab_size)


def test_text_corpus_byte_and_word(tmp_path) -> None:
    p = tmp_path / "t.txt"
    p.write_text("the cat sat\non the mat\nthe end\n" * 20)
    byte = text_corpus(p, "byte")
    assert byte.vocab_size == 256 and len(byte.train) + len(byte.valid) == p.stat().st_size
    v = tmp_path / "v.txt"
    v.write_text("the dog sat\n")
    word = text_corpus(p, "word", valid_path=v)
    assert word.vocab_size == 8  # <unk>, <eos>, 6 words
    assert word.valid[1] == 0  # "dog" is unknown


def test_family_switches_change_one_choice() -> None:
    base = family_fields("transformer2017")
    for s in MODERNISING_SWITCHES:
        f = family_fields(f"transformer2017+{s}")
        changed = {k for k in f if f[k] != base[k]}
        assert changed and changed <= set(SWITCHES[s])
    assert parse_family("modern+post_norm") == ("modern", ["post_norm"])
    with pytest.raises(ValueError):
        parse_family("lstm+rope")
    cfg = make_config("transformer2017+rope", 64)
    assert cfg.position == "rope" and cfg.norm_position == "post"
    assert make_config("lstm", 64).n_layers == 1


def test_package_imports_without_torch() -> None:
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "import algoattr.training, algoattr.training.fit, algoattr.training.corpus\n"
        "import algoattr.training.flops, algoattr.training.ladder, algoattr.training.train\n"
        "assert not algoattr.training.torch_available()\n"
        "try:\n    algoattr.training.require_torch()\nexcept ImportError as e:\n"
        "    assert 'pip install' in str(e)\nelse:\n    raise SystemExit(1)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
