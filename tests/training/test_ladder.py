"""Learning-rate sweep extension of the ladder (pure logic; no torch needed)."""

from __future__ import annotations

import pytest

from algoattr.training.ladder import LadderSpec, choose_sweep_rate, next_sweep_rate


def test_extends_above_and_below_the_grid() -> None:
    grid = [(3.0, 1e-3), (2.5, 3e-3), (2.0, 9e-3)]
    assert next_sweep_rate(grid, 3, 2) == pytest.approx(2.7e-2)
    low = [(2.0, 1e-3), (2.5, 3e-3), (3.0, 9e-3)]
    assert next_sweep_rate(low, 3, 2) == pytest.approx(1e-3 / 3)


def test_stops_when_interior_spent_or_tied() -> None:
    assert next_sweep_rate([(3.0, 1e-3), (2.0, 3e-3), (2.5, 9e-3)], 3, 2) is None
    # best still at the top after two extensions: the budget is spent
    spent = [(3.0, 1e-3), (2.5, 3e-3), (2.0, 9e-3), (1.9, 2.7e-2), (1.8, 8.1e-2)]
    assert next_sweep_rate(spent, 3, 2) is None
    assert next_sweep_rate(spent[:4], 3, 2) == pytest.approx(8.1e-2)
    # an extension that loses makes the previous edge interior
    assert next_sweep_rate([*spent[:3], (2.2, 2.7e-2)], 3, 2) is None
    # a tie with an interior rate (e.g. every rate on the same plateau) does not extend
    assert next_sweep_rate([(2.96, 1e-3), (2.96, 3e-3), (2.96, 9e-3)], 3, 2) is None
    assert next_sweep_rate([(2.0, 1e-3)], 1, 2) is None
    assert next_sweep_rate([(3.0, 1e-3), (2.0, 3e-3)], 2, 0) is None


def test_spec_default_extends_twice() -> None:
    assert LadderSpec(families=["modern"], widths=[16]).sweep_extend == 2


def test_near_ties_go_to_the_base_rate_and_do_not_extend() -> None:
    plateau = [(3.174, 1e-3), (3.173, 3e-3), (3.171, 9e-3)]
    assert choose_sweep_rate(plateau, base=3e-3) == 3e-3
    assert next_sweep_rate(plateau, 3, 2) is None
    # a clear winner is taken even far from the base rate, and a lone edge winner extends
    clear = [(3.17, 1e-3), (2.90, 3e-3), (2.50, 9e-3)]
    assert choose_sweep_rate(clear, base=1e-3) == 9e-3
    assert next_sweep_rate(clear, 3, 2) == pytest.approx(2.7e-2)
    # with tol=0 only exact ties count
    assert choose_sweep_rate(plateau, base=3e-3, tol=0.0) == 9e-3
