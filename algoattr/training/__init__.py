"""Retraining verification suite: LSTM, 2017 and modern Transformers on a compute ladder.

Optional: needs the ``train`` extra (``pip install -e '.[train]'``, PyTorch). This package
imports without PyTorch; the modules that train (:mod:`.models`, :mod:`.train`,
:mod:`.ladder`) import it when used. Corpora (:mod:`.corpus`), configurations
(:mod:`.config`), the analytic FLOP count (:mod:`.flops`) and the fits (:mod:`.fit`) need only
numpy, scipy and pandas.

Command line::

    python -m algoattr.training ladder --families lstm,transformer2017,modern \\
        --widths 16,32,64 --corpus synthetic --device cpu --out runs/ladder
    python -m algoattr.training fit runs/ladder

See ``datasets/retraining/README.md`` for the result schema.
"""

from __future__ import annotations

from .config import FAMILIES, SWITCHES, RunConfig, make_config

__all__ = ["FAMILIES", "SWITCHES", "RunConfig", "make_config", "require_torch", "torch_available"]


def torch_available() -> bool:
    """Whether PyTorch can be imported."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def require_torch() -> None:
    """Raise a clear ``ImportError`` when PyTorch is missing."""
    if not torch_available():
        raise ImportError(
            "algoattr.training needs PyTorch: install the train extra: pip install -e '.[train]'"
        )
