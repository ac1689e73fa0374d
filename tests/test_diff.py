"""``python -m algoattr.diff`` on a throw-away git repository holding a copy of the datasets."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from algoattr import diff
from algoattr.data import DATASETS_DIR, load_evaluations
from algoattr.diff import formatting

WT103 = "lm/wikitext-103.csv"
N_BOOT = "5"


def _git(repo: Path, *args: str) -> str:
    cmd = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    cmd += ["-c", "commit.gpgsign=false", *args]
    return subprocess.run(cmd, cwd=repo, check=True, capture_output=True, text=True).stdout


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with the shipped LM and ImageNet tables committed on ``main``."""
    root = tmp_path_factory.mktemp("repo")
    data = root / "datasets"
    data.mkdir()
    shutil.copy(DATASETS_DIR / "benchmarks.yaml", data / "benchmarks.yaml")
    for sub in ("lm", "imagenet"):
        shutil.copytree(DATASETS_DIR / sub, data / sub)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "datasets")
    _git(root, "commit", "-q", "-m", "datasets")
    return root


def _branch(repo: Path, name: str, edit) -> None:
    """Commit ``edit(path_of_wt103)`` on a new branch ``name`` (left checked out)."""
    _git(repo, "checkout", "-q", "main")
    _git(repo, "checkout", "-q", "-b", name)
    edit(repo / "datasets" / WT103)
    _git(repo, "commit", "-q", "-am", name)


def _add_row(path: Path) -> None:
    header, rows = _rows(path)
    new = dict(next(r for r in rows if r["model"] == "Transformer-XL Large"))
    new.update(
        model="Diff-test Transformer",
        paper_id="difftest2019",
        value="17.5",
        source="Diff test paper, Table 1",
        checked_against="",
        compilations="",
        ho2024_system="",
        notes="A row added by the test of algoattr.diff.",
    )
    _write(path, header, [*rows, new])


def _change_cell(path: Path) -> None:
    header, rows = _rows(path)
    row = next(r for r in rows if r["model"] == "Transformer-XL Large")
    row["value"] = "18.1"
    _write(path, header, rows)


def test_one_added_row(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _branch(repo, "add-row", _add_row)
    n_lines = len((repo / "datasets" / WT103).read_text(encoding="utf-8").splitlines())
    args = diff.build_parser().parse_args(
        ["--repo", str(repo), "--base", "main", "--n-boot", N_BOOT]
    )
    rep = diff.compare(args)
    changed = [fc for fc in rep.changes if fc.changed]
    assert [fc.file for fc in changed] == [WT103]
    (fc,) = changed
    assert (fc.count("added"), fc.count("changed"), fc.count("removed")) == (1, 0, 0)
    (row,) = fc.rows
    assert row.key[0] == "Diff-test Transformer"
    assert row.head_line == n_lines
    assert row.head_status == "used"

    # Headlines: the papers' estimator on base and head rows, as computed directly.
    (sel, base_h, head_h) = rep.headlines[0]
    assert sel.label == "lm" and len(rep.headlines) == 1
    expect = {}
    for side in ("base", "head"):
        _git(repo, "checkout", "-q", "main" if side == "base" else "add-row")
        rows = load_evaluations("lm", root=repo / "datasets")
        expect[side] = diff.headline(rows, diff.LM_TASK, n_boot=int(N_BOOT))
    assert head_h.n_used == base_h.n_used + 1
    assert base_h.months == expect["base"].months
    assert head_h.months == expect["head"].months

    assert diff.main(["--repo", str(repo), "--base", "main", "--n-boot", N_BOOT]) == 0
    out = capsys.readouterr().out
    assert f"datasets/{WT103} (modified): 1 added, 0 changed, 0 removed" in out
    assert f"+ datasets/{WT103}:{n_lines}  Diff-test Transformer" in out
    for side, h in (("base", base_h), ("head", head_h)):
        line = next(x for x in out.splitlines() if x.strip().startswith(side + " "))
        assert line.split()[1:4] == [
            str(h.n_used),
            formatting._num(h.months["point"]),
            formatting._num(h.months["median"]),
        ]
    change = next(x for x in out.splitlines() if x.strip().startswith("change "))
    moved = formatting._delta(base_h.months["point"], head_h.months["point"])
    assert change.split()[1:3] == ["+1", formatting._num(moved, signed=True)]
    assert _git(repo, "status", "--porcelain") == ""  # the work tree is untouched


def test_changed_cell_and_markdown(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _branch(repo, "change-cell", _change_cell)
    code = diff.main(
        ["--repo", str(repo), "--base", "main", "--n-boot", N_BOOT, "--format", "markdown"]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert f"**`datasets/{WT103}`** (modified): 0 added, 1 changed, 0 removed" in out
    lines = (repo / "datasets" / WT103).read_text(encoding="utf-8").splitlines()
    line = 1 + next(i for i, x in enumerate(lines) if x.startswith("Transformer-XL Large,"))
    assert f"| changed | `datasets/{WT103}:{line}` | Transformer-XL Large |" in out
    assert "value: `18.3` → `18.1`" in out
    assert "| `lm` |" in out and "**change**" in out


def test_numbers_compare_by_value() -> None:
    from algoattr.data.load import read_raw

    path = DATASETS_DIR / WT103
    base = read_raw(path, DATASETS_DIR)
    head = read_raw(path, DATASETS_DIR)
    i = head.frame.index[head.frame["model"] == "Transformer-XL Large"][0]
    head.frame.loc[i, "parameters"] = "2.57e8"  # same number, other spelling
    assert not diff.compare_tables(WT103, diff.LM_TASK, base, head).changed
    head.frame.loc[i, "notes"] = "changed"
    fc = diff.compare_tables(WT103, diff.LM_TASK, base, head)
    assert [(r.kind, [c for c, _, _ in r.cells]) for r in fc.rows] == [("changed", ["notes"])]


def test_bad_ref_is_a_one_line_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert diff.main(["--repo", str(repo), "--base", "no-such-ref"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "python -m algoattr.diff: error: unknown git ref 'no-such-ref'\n"


def test_unknown_option_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        diff.main(["--no-such-option"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m algoattr.diff: error: ") and err.count("\n") == 1


def test_default_base_is_the_merge_base(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(repo, "checkout", "-q", "add-row")
    assert diff.main(["--repo", str(repo), "--no-fit"]) == 0
    out = capsys.readouterr().out
    assert "(merge base of HEAD and main)" in out
    assert "1 added, 0 changed, 0 removed" in out


def test_bayes_reports_both_sides(
    repo: Path, mock_pymc_sample: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # Mocked sampling (prior draws): checks the wiring, not the numbers.
    _git(repo, "checkout", "-q", "add-row")
    argv = ["--repo", str(repo), "--base", "main", "--n-boot", N_BOOT, "--benchmark", "ptb"]
    argv += ["--bayes", "--sampler", "pymc", "--draws", "20", "--tune", "0", "--chains", "1"]
    assert diff.main(argv) == 0
    out = capsys.readouterr().out
    assert "Bayesian model (pymc, 1 chains x 20 draws, seed 0)" in out
    bayes = out[out.index("Bayesian model (--bayes)") :]
    assert "  base " in bayes and "  head " in bayes and "  change " in bayes


def test_recited_source_is_one_changed_row() -> None:
    from algoattr.data.load import read_raw

    path = DATASETS_DIR / WT103
    base = read_raw(path, DATASETS_DIR)
    head = read_raw(path, DATASETS_DIR)
    i = head.frame.index[head.frame["model"] == "Transformer-XL Large"][0]
    head.frame.loc[i, "source"] = "arXiv:1901.02860, Table 2"
    fc = diff.compare_tables(WT103, diff.LM_TASK, base, head)
    assert [(r.kind, r.key[0], [c for c, _, _ in r.cells]) for r in fc.rows] == [
        ("changed", "Transformer-XL Large", ["source"])
    ]
