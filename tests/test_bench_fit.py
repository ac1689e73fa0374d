"""analyses/bench_fit.py skips a sampler whose extra is not installed, and says so."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[1] / "analyses" / "bench_fit.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_fit", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_modules(bench, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "jax" else real(name)
    )
    assert "jax" in bench.missing_modules("numpyro")
    assert bench.missing_modules("pymc") == []


def test_a_sampler_without_its_extra_is_skipped(bench, monkeypatch, capsys):
    """Only the skip is exercised: every sampler is reported missing, the fits are stubbed."""
    import types

    import algoattr.fit

    monkeypatch.setattr(bench, "missing_modules", lambda sampler: ["jax", "numpyro"])
    fake = types.SimpleNamespace(idata=None)
    monkeypatch.setattr(algoattr.fit, "run_fit", lambda *a, **k: fake)
    monkeypatch.setattr(
        bench,
        "fit_stats",
        lambda idata, s: dict.fromkeys(
            ("seconds", "divergences", "ess_bulk", "ess_per_s", "steps"), 0.0
        ),
    )
    assert bench.main(["--benchmark", "ptb", "--samplers", "numpyro", "--n-boot", "2"]) == 0
    out = capsys.readouterr().out
    assert 'numpyro: skipped, jax, numpyro not installed (pip install -e ".[fast]")' in out
    assert "numpyro: not measured" in out
