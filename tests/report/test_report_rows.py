"""The Data section lets a reader find every number's row: sortable tables with file:line that
point at the right CSV line, hover labels on each plotted point, fixed architecture colours."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from algoattr import plots
from algoattr.report import build_fit_report
from algoattr.report.svg import hover_titles, inline_svg
from tests.report.synthetic import make_fit
from tests.report.test_report import TINY_PNG

REPO = Path(__file__).resolve().parents[2]


class SortableTables(HTMLParser):
    """Caption, headers and cells (text and data-sort) of every ``table.sortable``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._in = False
        self._cell: dict | None = None
        self._where = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "sortable" in (a.get("class") or "").split():
            self.tables.append({"caption": "", "headers": [], "types": [], "rows": []})
            self._in = True
        elif not self._in:
            return
        elif tag == "caption":
            self._where = "caption"
        elif tag == "th":
            self._cell = {"text": ""}
            self.tables[-1]["types"].append(a.get("data-type"))
        elif tag == "tr" and self.tables[-1]["headers"]:
            self.tables[-1]["rows"].append([])
        elif tag == "td":
            self._cell = {"text": "", "key": a.get("data-sort")}

    def handle_endtag(self, tag):
        if not self._in:
            return
        if tag == "table":
            self._in = False
        elif tag == "caption":
            self._where = ""
        elif tag == "th" and self._cell is not None:
            self.tables[-1]["headers"].append(self._cell["text"].strip())
            self._cell = None
        elif tag == "td" and self._cell is not None:
            self.tables[-1]["rows"][-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._in and self._where == "caption":
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell["text"] += data


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    fit = make_fit("language_modelling", benchmark="ptb", draws=40)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plots, "to_data_uri", lambda fig, **kw: TINY_PNG)
        path = build_fit_report(fit, tmp_path_factory.mktemp("rows"), "ptb", attribution_draws=40)
    parser = SortableTables()
    parser.feed(path.read_text(encoding="utf-8"))
    return fit, path, parser.tables


def _table(tables, caption_start):
    hits = [t for t in tables if t["caption"].startswith(caption_start)]
    assert len(hits) == 1, [t["caption"] for t in tables]
    return hits[0]


def _csv_line(where: str) -> str:
    path, _, line = where.rpartition(":")
    assert path.startswith("datasets/"), where  # relative to the repository
    return (REPO / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]


def test_rows_table_is_sortable_and_points_at_the_csv_line(report):
    fit, _, tables = report
    t = _table(tables, "Every row used")
    heads = t["headers"]
    for h in ("file:line", "Model", "Paper", "Date", "N (parameters)", "D (training tokens)"):
        assert h in heads
    assert len(t["rows"]) == len(fit.data)
    col = {h: i for i, h in enumerate(heads)}
    assert t["types"][col["Test perplexity"]] == "num" and t["types"][col["Model"]] is None
    for row in t["rows"]:
        where, model = row[col["file:line"]]["text"], row[col["Model"]]["text"]
        line = _csv_line(where)
        assert line.startswith((model, f'"{model}')), (where, model, line[:60])
        value = float(row[col["Test perplexity"]]["key"])
        assert f"{value:g}" in line or repr(value) in line, (where, value)
    # Numeric sort keys are the raw values; the location sorts by file then line number.
    n_keys = [float(r[col["N (parameters)"]]["key"]) for r in t["rows"]]
    assert np.allclose(n_keys, fit.data["parameters"].to_numpy(float))
    first = t["rows"][0][col["file:line"]]
    assert first["key"].endswith(f":{int(fit.data['source_line'].iloc[0]):08d}")


def test_excluded_rows_table_gives_reason_and_line(report):
    fit, _, tables = report
    t = _table(tables, "Every excluded row")
    col = {h: i for i, h in enumerate(t["headers"])}
    assert {"file:line", "Model", "Paper", "Date", "Reason excluded"} <= set(col)
    assert len(t["rows"]) == len(fit.excluded)
    reasons = {r[col["Reason excluded"]]["text"] for r in t["rows"]}
    assert reasons == set(fit.excluded["reason"])
    for row in t["rows"]:
        model = row[col["Model"]]["text"]
        assert _csv_line(row[col["file:line"]]["text"]).startswith((model, f'"{model}'))
    # Provenance joined from the CSV: excluded rows have their paper and date too.
    assert sum(r[col["Paper"]]["text"] != "–" for r in t["rows"]) == len(t["rows"])


def test_every_plotted_point_has_a_hover_label():
    fit = make_fit("language_modelling", benchmark="ptb", draws=30)
    n = len(fit.data)
    for fn, per_row in (
        (plots.performance_vs_date, 1),
        (plots.performance_vs_compute, 1),
        (plots.posterior_predictive, 1),
        (plots.residuals, 2),  # by year and by architecture
    ):
        titles = hover_titles(inline_svg(fn(fit), "alt"))
        assert len(titles) == per_row * n, fn.__name__
        first = fit.data.iloc[0]
        label = next(t for t in titles if t.startswith(f"{first['model']}\n"))
        assert first["paper_id"] in label
        assert f"datasets/lm/ptb.csv:{int(first['source_line'])}" in label
    assert {t.split("\n")[0] for t in titles} == set(fit.data["model"])


def test_inline_svg_is_deterministic_and_its_ids_are_unique_per_figure():
    fit = make_fit("language_modelling", benchmark="ptb", draws=30)
    a = inline_svg(plots.performance_vs_date(fit), "alt")
    b = inline_svg(plots.performance_vs_date(fit), "alt")
    c = inline_svg(plots.residuals(fit), "alt")
    assert a == b
    import re

    ids_a = set(re.findall(r' id="([^"]+)"', a))
    ids_c = set(re.findall(r' id="([^"]+)"', c))
    assert ids_a and not ids_a & ids_c
    assert "<?xml" not in a and "DOCTYPE" not in a and "algoattr-hover:" not in a


def test_report_shows_the_hover_figures_inline(report):
    fit, path, _ = report
    html = path.read_text(encoding="utf-8")
    import re

    assert len(re.findall(r'<g class="pt">\s*<title>', html)) == 5 * len(fit.data)


def test_architecture_colours_do_not_depend_on_the_classes_present():
    assert plots._arch_palette(["transformer"]) == {
        "transformer": plots.ARCH_COLOURS["transformer"]
    }
    assert (
        plots._arch_palette(["cnn", "transformer"])["transformer"]
        == plots._arch_palette(["transformer", "lstm", "rnn"])["transformer"]
    )
    lm = make_fit("language_modelling", benchmark="ptb", draws=20)
    cv = make_fit("image_classification", draws=20)
    assert (
        plots._arch_palette(lm.data["architecture_class"])["cnn"]
        == plots._arch_palette(cv.data["architecture_class"])["cnn"]
    )
    # A class outside the table still gets one fixed colour.
    assert plots.arch_colour("new-class") == plots.arch_colour("new-class")


def test_residual_plot_has_a_legend():
    fit = make_fit("language_modelling", benchmark="ptb", draws=20)
    fig = plots.residuals(fit)
    legend = fig.axes[0].get_legend()
    assert legend is not None
    shown = {t.get_text() for t in legend.get_texts()}
    assert set(fit.data["architecture_class"].fillna("other")) <= shown
