"""Shared fixtures: mocked PyMC sampling (prior draws stand in for the posterior)."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest


@pytest.fixture
def mock_pymc_sample():
    """Replace ``pm.sample`` by prior predictive draws with a ``diverging`` sample stat.

    Follows :func:`pymc.testing.mock_sample_setup_and_teardown`; tests that use it build and
    exercise the whole fitting path without running MCMC.
    """
    import pymc as pm
    from pymc.testing import mock_sample

    original = pm.sample
    pm.sample = partial(
        mock_sample, sample_stats={"diverging": lambda size: np.zeros(size, dtype=bool)}
    )
    yield
    pm.sample = original
