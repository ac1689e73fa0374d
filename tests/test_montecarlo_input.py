"""Bad scenario files and options of ``python -m algoattr.montecarlo``: one clear line each."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from algoattr.cli.montecarlo import main
from algoattr.errors import DataError
from algoattr.montecarlo import load_scenario

GOOD = """\
name: test
factors:
  - name: a
    median: 2.0
    low: 1.0
    high: 4.0
    ci_prob: 0.8
  - name: b
    median: 3.0
    low: 2.0
    high: 4.0
    distribution: normal
    truncate: [0, .inf]
groups:
  both: [a, b]
thresholds:
  both: [5]
"""


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _edit(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def test_the_good_scenario_loads(tmp_path):
    s = load_scenario(_write(tmp_path, GOOD))
    assert [f.name for f in s.factors] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "s.yaml: empty scenario file"),
        ("- 1\n- 2\n", "s.yaml: expected a mapping with name and factors, got list"),
        ("name: x\nfactors: [\n", "s.yaml: line 3, column 1: not valid YAML"),
        ("name: x\n", "s.yaml: missing key 'factors'"),
        ("name: x\nfactors: []\n", "s.yaml: line 2: factors: expected a non-empty list"),
        (
            _edit("    median: 2.0\n", "    meidan: 2.0\n"),
            "line 4: factor 'a': unknown key 'meidan' (did you mean 'median'?)",
        ),
        (_edit("    median: 2.0\n", ""), "line 3: factor 'a': missing median"),
        (
            _edit("median: 2.0", "median: abc"),
            "line 4: factor 'a': median: expected a number, got text 'abc'",
        ),
        (
            _edit("median: 2.0", "median: '2.0'"),
            "factor 'a': median: expected a number, got text '2.0'",
        ),
        (
            _edit("low: 1.0", "low: 5.0"),
            "line 5: factor 'a': interval [5.0, 4.0] is empty or reversed",
        ),
        (_edit("low: 1.0", "low: -1.0"), "factor 'a': a lognormal needs low > 0, got -1.0"),
        (_edit("median: 2.0", "median: 9.0"), "factor 'a': median 9.0 lies outside [1.0, 4.0]"),
        (
            _edit("ci_prob: 0.8", "ci_prob: 1.5"),
            "line 7: factor 'a': ci_prob must lie strictly between 0 and 1, got 1.5",
        ),
        (
            _edit("ci_prob: 0.8", "level: 0.8"),
            "line 7: factor 'a': 'level' is now called 'ci_prob' (the probability of [low, high])",
        ),
        (
            _edit("median: 2.0", "median: .nan"),
            "factor 'a': median: expected a finite number, got nan",
        ),
        (
            _edit("distribution: normal", "distribution: normla"),
            "distribution 'normla' is not one of lognormal, normal (did you mean 'normal'",
        ),
        (
            _edit("truncate: [0, .inf]", "truncate: [3, 1]"),
            "factor 'b': truncate must be [lower, upper] with lower < upper",
        ),
        (_edit("both: [a, b]", "both: [a, c]"), "line 15: group 'both': unknown member 'c'"),
        (
            _edit("both: [5]", "bothh: [5]"),
            "thresholds: unknown factor or group 'bothh' (did you mean 'both'?)",
        ),
        (_edit("both: [5]", "both: [-5]"), "thresholds of 'both': expected positive numbers"),
        (_edit("groups:", "groupz:"), "unknown key 'groupz' (did you mean 'groups'?)"),
        (_edit("  - name: b", "  - name: a"), "factor 'a' given twice"),
    ],
)
def test_bad_scenarios_name_file_line_and_key(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(DataError) as info:
        load_scenario(path)
    assert message in str(info.value)
    assert f"{path}: " in str(info.value)


def test_several_problems_are_listed_together(tmp_path):
    text = _edit("median: 2.0", "median: abc").replace("ci_prob: 0.8", "ci_prob: 2")
    with pytest.raises(DataError) as info:
        load_scenario(_write(tmp_path, text))
    lines = str(info.value).splitlines()
    assert lines[0] == "2 problems:"
    assert len(lines) == 3


def test_a_group_that_refers_to_itself(tmp_path):
    text = GOOD.replace("  both: [a, b]\n", "  g: [h]\n  h: [g]\n").replace("both: [5]", "g: [5]")
    with pytest.raises(DataError, match="refers to itself"):
        load_scenario(_write(tmp_path, text))


def test_not_utf8_and_missing_files(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"nam\xff: x\n")
    with pytest.raises(DataError, match=r"bad.yaml: not UTF-8 text \(byte 0xff at offset 3\)"):
        load_scenario(bad)
    with pytest.raises(DataError, match=r"absent\.yaml: no such file"):
        load_scenario(tmp_path / "absent.yaml")
    with pytest.raises(DataError, match="is a folder"):
        load_scenario(tmp_path)


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_scenario(path).name == "test"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--draws", "0"], "argument --draws: must be a positive integer, got 0"),
        (["--draws", "-5"], "argument --draws: must be a positive integer, got -5"),
        (["--seed", "-1"], "argument --seed: must be a non-negative integer, got -1"),
        (["--ci-prob", "2"], "argument --ci-prob: must lie strictly between 0 and 1, got 2"),
    ],
)
def test_bad_options_exit_2_with_one_line(tmp_path, capsys, argv, message):
    path = _write(tmp_path, GOOD)
    with pytest.raises(SystemExit) as info:
        main([str(path), *argv])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"python -m algoattr.montecarlo: error: {message}" in err
    assert "Traceback" not in err


def test_a_bad_file_exits_1_with_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("ALGOATTR_DEBUG", raising=False)
    path = _write(tmp_path, _edit("ci_prob: 0.8", "ci_prob: 1.5"))
    assert main([str(path), "--draws", "100"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"python -m algoattr.montecarlo: error: {path}: line 7: factor 'a'")
    assert err.count("\n") == 1
    assert main([str(tmp_path / "none.yaml")]) == 1
    assert "none.yaml: no such file" in capsys.readouterr().err


def test_run_refuses_zero_draws(tmp_path):
    s = load_scenario(_write(tmp_path, GOOD))
    with pytest.raises(ValueError, match="positive integer"):
        s.run(draws=0)


def test_same_seed_gives_bit_identical_draws_and_csv(tmp_path):
    path = _write(tmp_path, GOOD)
    first = load_scenario(path).run(draws=5000, seed=7)
    second = load_scenario(path).run(draws=5000, seed=7)
    for name in first.factor_draws:
        np.testing.assert_array_equal(first.draws(name), second.draws(name))
    assert (
        main([str(path), "--draws", "3000", "--seed", "7", "--csv", str(tmp_path / "a.csv")]) == 0
    )
    assert (
        main([str(path), "--draws", "3000", "--seed", "7", "--csv", str(tmp_path / "b.csv")]) == 0
    )
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
