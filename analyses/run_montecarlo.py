"""Run every Monte Carlo scenario under datasets/scenarios/ and print its table.

Usage: python analyses/run_montecarlo.py [--draws 100000] [--seed 0]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from algoattr.montecarlo import run_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "datasets" / "scenarios"


def main(argv: list[str] | None = None) -> None:
    """Run each scenario file with the given draws and seed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for path in sorted(SCENARIOS.glob("*.yaml")):
        print(f"== {path.name} ==")
        print(run_scenario(path, draws=args.draws, seed=args.seed).summary())
        print()


if __name__ == "__main__":
    main()
