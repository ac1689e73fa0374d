"""The committed reports under reports/ contradict no headline: no raw JSON in a table cell,
no bare ``nan``, and no mean of the doubling time (a ratio whose denominator crosses zero)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

REPORTS = Path(__file__).resolve().parents[2] / "reports"
PAGES = sorted(REPORTS.glob("*.html"))


class Tables(HTMLParser):
    """Every table's header cells and body cells, as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict[str, list]] = []
        self._cell: list[str] | None = None
        self._row: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"headers": [], "rows": []})
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            text = " ".join("".join(self._cell).split())
            (self.tables[-1]["headers"] if tag == "th" else self._row).append(text)
            self._cell = None
        elif tag == "tr" and self.tables and self._row:
            self.tables[-1]["rows"].append(self._row)
            self._row = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _tables(path: Path) -> list[dict[str, list]]:
    p = Tables()
    p.feed(path.read_text(encoding="utf-8"))
    return p.tables


@pytest.mark.skipif(not PAGES, reason="no committed reports")
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_report_tables_are_readable(page: Path) -> None:
    for t in _tables(page):
        for row in t["rows"]:
            for cell in row:
                assert not cell.startswith(("{", "[{")), (
                    f"{page.name}: raw JSON in a cell: {cell[:80]}"
                )
                assert cell.lower() not in ("nan", "none"), f"{page.name}: bare {cell!r} in {row}"
        if any(h.lower().startswith("mean") for h in t["headers"]):
            names = {row[0] for row in t["rows"] if row}
            assert not names & {"doubling_time_months", "doubling_time_years"}, (
                f"{page.name}: the doubling time has no mean"
            )
