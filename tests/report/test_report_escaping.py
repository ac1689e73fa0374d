"""Every user string in a report is escaped: model names, notes and sources cannot run code."""

from __future__ import annotations

import pytest

from algoattr.report import build_fit_report
from tests.report.synthetic import make_fit
from tests.report.test_report import TINY_PNG, parse

SCRIPT = '<script>alert("x")</script>'
ATTRIBUTE = '" onmouseover="alert(1)" x="'
HOSTILE = f"Evil{SCRIPT}{ATTRIBUTE}'"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    import algoattr.plots

    fit = make_fit("language_modelling", benchmark="ptb", draws=40)
    fit.data = fit.data.copy()
    fit.data.loc[fit.data.index[0], "model"] = HOSTILE
    for col in ("notes", "source"):
        if col in fit.data:
            fit.data[col] = fit.data[col].astype(object)
            fit.data.loc[fit.data.index[0], col] = HOSTILE
    if len(fit.excluded):
        fit.excluded = fit.excluded.copy()
        fit.excluded["model"] = fit.excluded["model"].astype(object)
        fit.excluded["reason"] = fit.excluded["reason"].astype(object)
        fit.excluded.loc[fit.excluded.index[0], "model"] = HOSTILE
        fit.excluded.loc[fit.excluded.index[0], "reason"] = HOSTILE
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(algoattr.plots, "to_data_uri", lambda fig, **kw: TINY_PNG)
        path = build_fit_report(fit, tmp_path_factory.mktemp("evil"), "ptb", attribution_draws=40)
    return path


def test_no_user_string_reaches_the_page_unescaped(report):
    html = report.read_text(encoding="utf-8")
    assert SCRIPT not in html
    assert 'onmouseover="alert' not in html
    assert "&lt;script&gt;" in html  # the name is shown, escaped
    page = parse(report)
    from algoattr.report.builder import sort_script

    # The only script is the package's own table sorter.
    assert [s["text"].strip() for s in page.scripts] == [sort_script().strip()]
    for link in page.links:
        assert "onmouseover" not in link
