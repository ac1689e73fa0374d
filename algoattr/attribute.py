"""Shapley attribution of model pairs from a fitted law: ``python -m algoattr.attribute``.

A shim that keeps this import path: the command line is :mod:`algoattr.cli.attribute`, the
pairs and their attribution :mod:`algoattr.pairs`, the fit :mod:`algoattr.pipeline`.
"""

from __future__ import annotations

import sys

from algoattr.cli.attribute import (  # noqa: F401 (importable from here)
    IMAGENET,
    IMAGENET_INPUTS,
    LM_INPUTS,
    PROG,
    REFERENCE_PAIRS,
    attribute_pairs,
    build_parser,
    dataset_rows,
    inputs_for,
    load_or_fit,
    load_reference_pairs,
    main,
    model_rows,
    subsample_draws,
)
from algoattr.errors import UsageError  # noqa: F401

__all__ = [
    "IMAGENET",
    "IMAGENET_INPUTS",
    "LM_INPUTS",
    "REFERENCE_PAIRS",
    "attribute_pairs",
    "inputs_for",
    "load_or_fit",
    "load_reference_pairs",
    "main",
    "model_rows",
    "subsample_draws",
]

if __name__ == "__main__":
    sys.exit(main())
