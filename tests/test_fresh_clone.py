"""The documented commands on a fresh copy of the repository: tracked files only, so no saved
posterior. Each must succeed, and none may change a committed report."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_documented_commands import _fresh_copy

REPO = Path(__file__).resolve().parents[1]

#: Commands of README.md and CONTRIBUTING.md that run in seconds (the full fits are exercised
#: with small settings by the slow fit tests; here ``--fast`` stands in for them).
COMMANDS = [
    ["-m", "algoattr", "--help"],
    ["-m", "algoattr.data", "validate"],
    ["-m", "algoattr.data", "validate", "datasets/lm/ptb.csv"],
    ["-m", "algoattr.threshold", "--benchmark", "imagenet", "--sweep"],
    ["-m", "algoattr.montecarlo", "datasets/scenarios/gpt3_level_today.yaml", "--seed", "0"],
    ["-m", "algoattr.fit", "--benchmark", "ptb", "--fast", "--quiet", "--no-report"],
]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.glob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_documented_commands_on_a_fresh_copy(tmp_path: Path) -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    root = tmp_path / "clone"
    _fresh_copy(root)
    before = _digest(root / "reports")
    env = {**os.environ, "PYTHONPATH": str(root), "ALGOATTR_DATASETS": str(root / "datasets")}
    for cmd in COMMANDS:
        run = subprocess.run(
            [sys.executable, *cmd], cwd=root, env=env, capture_output=True, text=True, timeout=600
        )
        assert run.returncode == 0, (
            f"{' '.join(cmd)} failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
        )
    assert _digest(root / "reports") == before, "a documented command changed a committed report"
    assert (root / "reports" / "fast" / "ptb_summary.json").is_file()
