"""Atomic output files and spreadsheet-safe CSV cells."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from algoattr import outputs
from algoattr.errors import UsageError


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def test_atomic_open_replaces_whole(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    with outputs.atomic_open(target) as fh:
        fh.write("new\n")
        assert target.read_text() == "old\n"  # untouched until the block ends
    assert target.read_text() == "new\n"
    assert _leftovers(tmp_path) == []


def test_an_error_while_writing_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(KeyboardInterrupt), outputs.atomic_open(target) as fh:
        fh.write("half")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"a,b\n1,2\n"
    assert _leftovers(tmp_path) == []


def test_atomic_path_keeps_the_suffix_for_writers_that_read_it(tmp_path):
    target = tmp_path / "figure.nc"
    with outputs.atomic_path(target) as tmp:
        assert tmp.parent == tmp_path
        assert tmp.suffix == ".nc"
        assert tmp != target
        tmp.write_bytes(b"x")
    assert target.read_bytes() == b"x"


def test_new_files_get_the_usual_permissions(tmp_path):
    target = tmp_path / "out.txt"
    outputs.write_text(target, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_write_helpers(tmp_path):
    outputs.write_text(tmp_path / "a.txt", "é\n")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "é\n"
    outputs.write_bytes(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    outputs.write_json(tmp_path / "c.json", {"x": 1.5})
    assert json.loads((tmp_path / "c.json").read_text()) == {"x": 1.5}


def test_group_renames_nothing_when_one_file_fails(tmp_path):
    (tmp_path / "a.txt").write_text("old a")
    (tmp_path / "b.txt").write_text("old b")
    with pytest.raises(RuntimeError), outputs.atomic_group() as group:
        group.path(tmp_path / "a.txt").write_text("new a")
        raise RuntimeError("killed between two files")
    assert (tmp_path / "a.txt").read_text() == "old a"
    assert (tmp_path / "b.txt").read_text() == "old b"
    assert _leftovers(tmp_path) == []
    with outputs.atomic_group() as group:
        group.path(tmp_path / "a.txt").write_text("new a")
        group.path(tmp_path / "b.txt").write_text("new b")
        assert (tmp_path / "a.txt").read_text() == "old a"
    assert (tmp_path / "a.txt").read_text() == "new a"
    assert (tmp_path / "b.txt").read_text() == "new b"


def test_a_directory_as_output_file_is_a_clear_error(tmp_path):
    with pytest.raises(UsageError, match="is a folder"):
        outputs.write_text(tmp_path, "x")


def test_output_folder(tmp_path):
    assert outputs.output_folder(tmp_path / "new" / "deeper").is_dir()
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError, match="not a folder"):
        outputs.output_folder(tmp_path / "file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_output_folder(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        with pytest.raises(UsageError, match="not writable"):
            outputs.output_folder(ro)
    finally:
        ro.chmod(0o755)


# ------------------------------------------------------------------------- SIGINT / kill -9

_WRITER = textwrap.dedent(
    """
    import signal, sys, time
    # Ctrl-C as in a terminal, even when the test runner was started with SIGINT ignored
    # (a background job of a non-interactive shell), which children would inherit.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from algoattr.outputs import atomic_open

    with atomic_open(sys.argv[1]) as fh:
        fh.write("partial,")
        fh.flush()
        print("ready", flush=True)
        time.sleep(60)
    """
)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_killed_writer_leaves_the_old_output_byte_identical(tmp_path, sig):
    target = tmp_path / "summary.csv"
    target.write_bytes(b"quantity,median\nrate,0.3\n")
    before = target.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(sig)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode != 0
    assert target.read_bytes() == before
    if sig == signal.SIGINT:  # an interrupted writer cleans up after itself
        assert _leftovers(tmp_path) == []


# --------------------------------------------------------------------- spreadsheet formulas


def test_formula_cells_are_neutralised_in_text_columns_only():
    df = pd.DataFrame(
        {
            "model": ['=HYPERLINK("x")', "+cmd", "-2+3", "@SUM(A1)", "GPT-2", "-1.5", "\tx"],
            "value": [-1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        }
    )
    out = outputs.neutralise_formulas(df)
    assert out["model"].tolist() == [
        '\'=HYPERLINK("x")',
        "'+cmd",
        "'-2+3",
        "'@SUM(A1)",
        "GPT-2",
        "-1.5",  # a number written as text is left alone
        "'\tx",
    ]
    assert out["value"].tolist() == df["value"].tolist()
    assert df["model"].iloc[0] == '=HYPERLINK("x")'  # the input is not modified


def test_restore_formulas_round_trips():
    df = pd.DataFrame({"model": ["=x", "GPT-2", None, "-1"], "n": [1, 2, 3, 4]})
    back = outputs.restore_formulas(outputs.neutralise_formulas(df))
    pd.testing.assert_frame_equal(back, df)


def test_write_csv_neutralises_and_reads_back(tmp_path):
    df = pd.DataFrame({"model": ["=1+1", "AlexNet"], "x": [np.nan, 1.0]})
    outputs.write_csv(df, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text()
    assert "'=1+1" in text
    assert "\n=1+1" not in text
    pd.testing.assert_frame_equal(outputs.read_csv(tmp_path / "t.csv"), df)
