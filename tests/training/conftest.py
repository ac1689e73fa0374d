"""Training tests run single-threaded: tiny models gain nothing from more threads, and on a
shared machine oversubscribed OpenMP threads slow them by an order of magnitude."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _single_thread():
    try:
        import torch
    except ImportError:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
