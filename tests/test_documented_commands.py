"""Every command shown in README.md and CONTRIBUTING.md runs on a fresh copy of the repository.

The copy holds the tracked files only (no saved posterior, as on a fresh clone) and is a git
repository with two commits (for ``algoattr.diff``). The commands are read from the documents'
``bash`` blocks, so a command added there without working fails here. Each runs in-process
through its module's ``main`` with the sampler replaced by prior draws
(:func:`pymc.testing.mock_sample`), which exercises every step of the command but the MCMC; the
real sampler is covered by the slow fit tests. The retraining suite's commands train networks
and have their own CPU smoke tests (``tests/training``).
"""

from __future__ import annotations

import importlib
import os
import re
import runpy
import shlex
import shutil
import subprocess
import sys
import warnings
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ALGOATTR_SHARED", REPO.parent / "shared"))
DOCUMENTS = ("README.md", "CONTRIBUTING.md")
#: Commands documented but run elsewhere, with the reason.
ELSEWHERE = {
    "algoattr.training": "trains networks; CPU smoke tests in tests/training",
}


def documented_commands() -> list[tuple[str, list[str]]]:
    """``(document, argv)`` for each ``python ...`` command in the documents' bash blocks."""
    out = []
    for doc in DOCUMENTS:
        text = (REPO / doc).read_text(encoding="utf-8")
        for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
            for line in block.replace("\\\n", " ").splitlines():
                for part in line.split("&&"):
                    words = shlex.split(part, comments=True)
                    if words[:1] == ["python"]:
                        out.append((doc, words[1:]))
    return out


def _fresh_copy(dest: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    for f in filter(None, files):
        src = REPO / f.decode()
        if src.is_file():
            target = dest / f.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    git = partial(subprocess.run, cwd=dest, check=True, capture_output=True)
    git(["git", "init", "-q", "-b", "main"])
    git(["git", "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A"])
    for message in ("base", "head"):
        git(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q",
             "--allow-empty", "-m", message])  # fmt: skip


def regenerates_reports(argv: list[str]) -> bool:
    """Whether a documented command rewrites the committed reports by design: a fit with the
    full settings (the settings the committed reports record) or ``report --all``. Every other
    command must leave them byte-identical (a quick fit goes to ``reports/fast/``)."""
    if argv[:2] == ["-m", "algoattr.fit"]:
        return "--fast" not in argv and "--out" not in argv
    return argv[:3] == ["-m", "algoattr.report", "--all"]


def _snapshot(root: Path) -> dict[str, bytes]:
    """The committed files under ``reports/`` of ``root``, by path."""
    listed = subprocess.run(
        ["git", "ls-files", "reports"], cwd=root, check=True, capture_output=True, text=True
    ).stdout.split()
    return {p: (root / p).read_bytes() for p in listed if (root / p).is_file()}


def _run(argv: list[str]) -> int:
    if argv[0] == "-m":
        module = argv[1]
        mod = importlib.import_module(module)
        if hasattr(mod, "main"):
            return int(mod.main(argv[2:]) or 0)
        # A package's __main__, or a library module whose command line runs under its
        # __main__ guard (algoattr.forecast, algoattr.montecarlo): run it as python -m does.
        sys.argv = [module, *argv[2:]]
        try:
            with warnings.catch_warnings():  # "found in sys.modules ... prior to execution"
                warnings.simplefilter("ignore", RuntimeWarning)
                runpy.run_module(module, run_name="__main__", alter_sys=True)
        except SystemExit as exc:
            return int(exc.code or 0)
        return 0
    sys.argv = argv
    try:
        runpy.run_path(argv[0], run_name="__main__")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_commands_are_found() -> None:
    cmds = [" ".join(a) for _, a in documented_commands()]
    assert "-m algoattr.fit --benchmark wikitext" in cmds  # the main job
    assert "-m pytest" in cmds
    assert any(c.startswith("-m algoattr.diff") for c in cmds)


@pytest.mark.slow
def test_documented_commands_run_on_a_fresh_clone(tmp_path, monkeypatch, capsys) -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    import pymc as pm
    from pymc.testing import mock_sample

    from algoattr import fitting
    from algoattr.model import sampling

    root = tmp_path / "clone"
    _fresh_copy(root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("ALGOATTR_DATASETS", str(root / "datasets"))
    monkeypatch.setattr(
        pm,
        "sample",
        partial(mock_sample, sample_stats={"diverging": lambda size: np.zeros(size, dtype=bool)}),
    )
    real = sampling.sample
    mocked = partial(
        lambda s, model, settings, **kw: s(model, replace(settings, sampler="pymc"), **kw), real
    )
    monkeypatch.setattr(fitting, "sample", mocked)  # the fits look it up there
    monkeypatch.setattr(sampling, "sample", mocked)
    ran, skipped = [], []
    for doc, argv in documented_commands():
        if argv[:2] == ["-m", "pytest"]:
            continue  # this suite
        if argv[:1] == ["-m"] and argv[1] in ELSEWHERE:
            skipped.append(argv[1])
            continue
        argv = [
            str(SHARED / a[len("../shared/") :]) if a.startswith("../shared/") else a for a in argv
        ]
        if any(a.startswith(str(SHARED)) for a in argv) and not SHARED.is_dir():
            skipped.append(" ".join(argv))
            continue
        before = _snapshot(root)
        status = _run(argv)
        out = capsys.readouterr()
        assert status == 0, f"{doc}: python {' '.join(argv)} exited {status}:\n{out.err[-3000:]}"
        if not regenerates_reports(argv):
            after = _snapshot(root)
            changed = sorted(p for p in before if after.get(p) != before[p])
            assert changed == [], f"{doc}: python {' '.join(argv)} changed committed {changed}"
        ran.append(" ".join(argv))
    assert len(ran) >= 15, ran


def test_only_full_fits_and_report_all_may_rewrite_committed_reports() -> None:
    assert regenerates_reports(["-m", "algoattr.fit", "--benchmark", "lm", "--baseline"])
    assert regenerates_reports(["-m", "algoattr.report", "--all"])
    assert not regenerates_reports(["-m", "algoattr.fit", "--benchmark", "ptb", "--fast"])
    assert not regenerates_reports(["-m", "algoattr.attribute", "--benchmark", "ptb"])
    assert not regenerates_reports(["-m", "algoattr.backtest", "--benchmark", "lm", "--fast"])
