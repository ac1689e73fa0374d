"""Ctrl-C during a fit's save leaves the previous outputs byte-identical (a real subprocess)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from algoattr import fit

#: python -m algoattr.fit with mocked sampling whose netCDF write stalls once it has written.
_SCRIPT = textwrap.dedent(
    """
    import signal, sys, time
    # Ctrl-C as in a terminal, even when the test runner was started with SIGINT ignored
    # (a background job of a non-interactive shell), which children would inherit.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from functools import partial

    import arviz as az
    import numpy as np
    import pymc as pm
    from pymc.testing import mock_sample

    pm.sample = partial(
        mock_sample, sample_stats={"diverging": lambda size: np.zeros(size, dtype=bool)}
    )
    write = az.InferenceData.to_netcdf

    def stalled(self, *args, **kwargs):
        out = write(self, *args, **kwargs)
        print("ready", flush=True)
        time.sleep(120)
        return out

    az.InferenceData.to_netcdf = stalled
    from algoattr.fit import main

    sys.exit(main(sys.argv[1:]))
    """
)


def _argv(out, seed):
    return [
        "--benchmark",
        "ptb",
        "--fast",
        "--sampler",
        "pymc",
        "--draws",
        "20",
        "--seed",
        str(seed),
        "--quiet",
        "--no-report",
        "--out",
        str(out),
    ]


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_during_save_leaves_previous_outputs_byte_identical(
    mock_pymc_sample, tmp_path, monkeypatch
):
    monkeypatch.delenv("ALGOATTR_DEBUG", raising=False)
    out = tmp_path / "reports"
    assert fit.main(_argv(out, seed=1)) == 0
    before = _snapshot(out)
    proc = subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, *_argv(out, seed=2)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in proc.stdout:
            if line.strip() == "ready":
                break
        else:
            pytest.fail("the fit ended before it wrote: " + proc.stderr.read())
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err.strip().splitlines()[-1] == "python -m algoattr.fit: interrupted"
    assert "Traceback" not in err
    assert _snapshot(out) == before  # no new, partial or temporary file either


def test_ctrl_c_during_nutpie_sampling_is_an_interruption(monkeypatch) -> None:
    """nutpie answers Ctrl-C by returning the draws made so far: that must not become a fit."""
    import arviz as az
    import numpy as np
    import nutpie
    import pymc as pm
    import pytest

    from algoattr.model import sampling

    with pm.Model() as model:
        pm.Normal("x", 0.0, 1.0)
    partial_trace = az.from_dict(posterior={"x": np.zeros((2, 7))})
    monkeypatch.setattr(sampling, "compile_nutpie", lambda m, key=None: object())
    monkeypatch.setattr(nutpie, "sample", lambda compiled, **kw: partial_trace)
    settings = sampling.SamplerSettings(sampler="nutpie", draws=50, tune=10, chains=2, seed=0)
    with pytest.raises(KeyboardInterrupt, match="7 of 50 draws"):
        sampling.sample(model, settings, progressbar=False)
