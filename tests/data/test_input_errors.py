"""Unreadable data files and a broken benchmarks.yaml give one clear line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from algoattr.data import load_benchmarks, load_evaluations, resolve_benchmarks
from algoattr.data.__main__ import main
from algoattr.errors import DataError

LM = "lm/wikitext-103.csv"


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("ALGOATTR_DEBUG", raising=False)


def test_a_non_utf8_file_names_the_byte_and_offset(data_root: Path, capsys):
    bad = data_root / "bad.csv"
    bad.write_bytes(b"mod\xff,x\n")
    assert main(["validate", str(bad), "--root", str(data_root)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}: not UTF-8 text (byte 0xff at offset 3)" in out
    assert "Traceback" not in out


def test_a_binary_file_is_refused(data_root: Path, capsys):
    bad = data_root / "image.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert main(["validate", str(bad), "--root", str(data_root)]) == 1
    assert "not UTF-8 text (byte 0x89 at offset 0)" in capsys.readouterr().out


def test_the_subprocess_prints_no_traceback(data_root: Path):
    bad = data_root / "bad.csv"
    bad.write_bytes(b"mod\xff,x\n")
    proc = subprocess.run(
        [sys.executable, "-m", "algoattr.data", "validate", str(bad), "--root", str(data_root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "not UTF-8 text (byte 0xff at offset 3)" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_byte_order_mark_is_accepted(data_root: Path, capsys):
    path = data_root / LM
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert main(["validate", str(path), "--root", str(data_root)]) == 0
    assert "unknown column" not in capsys.readouterr().out
    rows = load_evaluations("wikitext-103", root=data_root)
    assert rows["model"].notna().all()


def test_a_folder_given_as_a_file(data_root: Path, capsys):
    assert main(["validate", str(data_root / "lm"), "--root", str(data_root)]) == 2
    err = capsys.readouterr().err
    assert (
        err == f"python -m algoattr.data: error: {data_root / 'lm'}: is a folder, expected a file\n"
    )


def test_malformed_benchmarks_yaml(data_root: Path, capsys):
    (data_root / "benchmarks.yaml").write_text("benchmarks:\n  ptb: [\n", encoding="utf-8")
    assert main(["validate", "--root", str(data_root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("python -m algoattr.data: error: ")
    assert "benchmarks.yaml: line 3, column 1: not valid YAML" in err
    assert err.count("\n") == 1


def test_a_misspelt_key_names_file_line_and_key(data_root: Path):
    path = data_root / "benchmarks.yaml"
    path.write_text(path.read_text().replace("aliases:", "aliasses:"), encoding="utf-8")
    with pytest.raises(DataError) as info:
        resolve_benchmarks("wikitext", root=data_root)
    message = str(info.value)
    assert message.startswith(f"{path}: line ")
    assert "unknown key 'aliasses' (did you mean 'aliases'?)" in message


def test_a_misspelt_benchmark_entry_key(data_root: Path):
    path = data_root / "benchmarks.yaml"
    path.write_text(path.read_text().replace("reference:", "refrence:", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"benchmark 'wikitext-103': unknown key 'refrence'"):
        load_benchmarks(data_root)


def test_an_alias_of_an_unknown_benchmark(data_root: Path):
    path = data_root / "benchmarks.yaml"
    text = path.read_text()
    assert "[wikitext-103, wikitext-2]" in text
    path.write_text(text.replace("[wikitext-103, wikitext-2]", "[wikitext-103, wikitext2]"))
    with pytest.raises(DataError, match="alias 'wikitext': unknown benchmark 'wikitext2'"):
        load_benchmarks(data_root)


def test_datasets_variable_pointing_nowhere(tmp_path: Path, monkeypatch, capsys):
    missing = tmp_path / "nowhere"
    monkeypatch.setenv("ALGOATTR_DATASETS", str(missing))
    with pytest.raises(DataError, match=f"ALGOATTR_DATASETS={missing}: no such folder"):
        load_benchmarks()
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"python -m algoattr.data: error: ALGOATTR_DATASETS={missing}")


def test_a_missing_root(tmp_path: Path, capsys):
    assert main(["validate", "--root", str(tmp_path / "absent")]) == 2
    assert "no such datasets folder" in capsys.readouterr().err
