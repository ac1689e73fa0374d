"""A rebuilt fit report says what changed since the previous fit in its folder."""

from __future__ import annotations

import pytest

from algoattr import plots
from algoattr.previous_fit import compare_with_previous, read_previous
from algoattr.report import build_fit_report
from tests.report.synthetic import make_fit
from tests.report.test_report import TINY_PNG, parse


def _previous_and_new(tmp_path):
    old = make_fit("language_modelling", benchmark="ptb", draws=30, seed=1)
    added = old.data.iloc[5]
    old.data = old.data.drop(index=old.data.index[5]).reset_index(drop=True)
    changed = old.data.index[0]
    old.data.loc[changed, "value"] = float(old.data.loc[changed, "value"]) + 1.0
    old.save(tmp_path, "ptb")
    new = make_fit("language_modelling", benchmark="ptb", draws=30, seed=2)
    new.extras["created"] = "2025-02-01T00:00:00+00:00"
    return old, new, added, changed


def test_compare_lists_added_changed_and_the_headline_shift(tmp_path):
    old, new, added, changed = _previous_and_new(tmp_path)
    ch = compare_with_previous(new, read_previous(tmp_path, "ptb"))
    assert ch is not None
    assert ch.count("added") == 1 and ch.count("changed") == 1 and ch.count("removed") == 0
    (row,) = [r for r in ch.rows() if r.kind == "added"]
    assert row.key[0] == added["model"] and row.head_line == int(added["source_line"])
    (mod,) = [r for r in ch.rows() if r.kind == "changed"]
    assert [c[0] for c in mod.cells] == ["value"] and mod.key[0] == old.data.loc[changed, "model"]
    dt = next(h for h in ch.headline if h["quantity"] == "doubling_time_months")
    expect = new.headline()["doubling_time_months"]["median"]
    assert dt["shift"] == pytest.approx(expect - old.headline()["doubling_time_months"]["median"])
    assert ch.previous_rows == len(old.data) and ch.n_rows == len(new.data)


def test_the_same_fit_shows_no_change(tmp_path):
    fit = make_fit("language_modelling", benchmark="ptb", draws=20)
    fit.save(tmp_path, "ptb")
    assert compare_with_previous(fit, read_previous(tmp_path, "ptb")) is None
    assert read_previous(tmp_path, "nothing") is None


def test_report_shows_the_change_section(tmp_path, monkeypatch):
    _, new, added, _ = _previous_and_new(tmp_path)
    monkeypatch.setattr(plots, "to_data_uri", lambda fig, **kw: TINY_PNG)
    path = build_fit_report(new, tmp_path, "ptb", attribution_draws=20)
    page = parse(path)
    assert "changes" in page.ids
    text = " ".join(page.text)
    assert "Change since the previous fit" in text and "1 added" in text
    assert f"datasets/lm/ptb.csv:{int(added['source_line'])}" in text
    assert "Headline shift" in text
    # Rebuilding from the saved fit itself shows nothing.
    new.save(tmp_path, "ptb")
    again = build_fit_report(new, tmp_path, "ptb", attribution_draws=20)
    assert "changes" not in parse(again).ids


def test_changes_saved_with_the_fit_survive_a_rebuild(tmp_path, monkeypatch):
    """The fit command keeps the comparison in the fit's summary (SAVED_KEY): a report
    rebuilt later from the saved fit alone (report --all, report --fit) still shows it."""
    from algoattr.model.results import FitResult
    from algoattr.previous_fit import SAVED_KEY, FitChanges

    _, new, added, _ = _previous_and_new(tmp_path)
    ch = compare_with_previous(new, read_previous(tmp_path, "ptb"))
    assert FitChanges.from_dict(ch.to_dict()) == ch
    new.extras[SAVED_KEY] = ch.to_dict()
    paths = new.save(tmp_path, "ptb")
    loaded = FitResult.load(paths["summary_json"])
    again = compare_with_previous(loaded, read_previous(tmp_path, "ptb"))
    assert again is not None and again.count("added") == 1
    assert again.rows()[0].key == ch.rows()[0].key
    monkeypatch.setattr(plots, "to_data_uri", lambda fig, **kw: TINY_PNG)
    page = parse(build_fit_report(loaded, tmp_path, "ptb", attribution_draws=20))
    assert "changes" in page.ids
    assert f"datasets/lm/ptb.csv:{int(added['source_line'])}" in " ".join(page.text)
