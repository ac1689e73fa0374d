"""Bad options of ``python -m algoattr.threshold``: one line each, exit 2, no traceback."""

from __future__ import annotations

import pytest

from algoattr.threshold import main

PROG = "python -m algoattr.threshold: error: "


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("ALGOATTR_DEBUG", raising=False)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "abc"])
def test_a_threshold_that_is_not_a_finite_number(capsys, value):
    with pytest.raises(SystemExit) as info:
        main(["--benchmark", "imagenet", f"--threshold={value}"])
    assert info.value.code == 2
    assert f"{PROG}argument --threshold: must be a" in capsys.readouterr().err


def test_an_unknown_benchmark(capsys):
    assert main(["--benchmark", "mnist"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{PROG}unknown benchmark 'mnist'; known ids: ")
    assert err.count("\n") == 1


def test_an_unknown_reference_model_with_close_matches(capsys):
    assert main(["--benchmark", "imagenet", "--reference-model", "AlexNett"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{PROG}--reference-model: no row for reference model 'AlexNett'")
    assert "did you mean 'AlexNet" in err
    assert "Traceback" not in err
