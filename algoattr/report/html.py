"""Rendering: the package's Jinja2 templates, figures as ``data:`` URIs or inline SVG, and the
atomic write of a report."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from algoattr.report.tables import fmt_num

__all__ = ["CITATIONS", "TEMPLATES", "figure", "render", "safe_figure", "sort_script"]

log = logging.getLogger("algoattr.report")

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Citation links allowed in a report (the only external addresses it holds).
CITATIONS = {
    "ho2024": ("Ho et al. 2024", "https://arxiv.org/abs/2403.05140"),
    "erdil2022": ("Erdil & Besiroglu 2022", "https://arxiv.org/abs/2212.05153"),
    "hernandez2020": ("Hernandez & Brown 2020", "https://arxiv.org/abs/2005.04305"),
    "gundlach2025": (
        "Gundlach et al. 2025",
        "https://github.com/hansgundlach/Experimental_Progress",
    ),
    "hoffmann2022": ("Hoffmann et al. 2022", "https://arxiv.org/abs/2203.15556"),
    "vehtari2021": ("Vehtari et al. 2021", "https://arxiv.org/abs/1903.08008"),
}


def figure(
    fig: Any, alt: str, caption: str = "", fmt: str = "svg", *, inline: bool = False
) -> dict[str, Any]:
    """Render a matplotlib figure for the templates: alt text, caption and either an inline
    ``data:`` URI (``uri``) or, with ``inline``, the SVG markup itself (``svg``), whose
    labelled points show their row on hover (:func:`algoattr.report.svg.inline_svg`)."""
    import matplotlib.figure
    from markupsafe import Markup

    from algoattr.plots import to_data_uri
    from algoattr.report.svg import inline_svg

    try:
        if inline:
            return {
                "uri": None,
                "svg": Markup(inline_svg(fig, alt)),
                "alt": alt,
                "caption": caption,
            }
        uri = to_data_uri(fig, fmt=fmt)
    finally:
        if isinstance(fig, matplotlib.figure.Figure):
            fig.clear()
    return {"uri": uri, "svg": None, "alt": alt, "caption": caption}


def safe_figure(
    make: Callable[[], Any], alt: str, caption: str, notes: list[str], *, inline: bool = False
) -> Any:
    """A figure, or ``None`` with a note when drawing it fails (the report still builds)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return figure(make(), alt, caption, inline=inline)
    except Exception as exc:  # a figure must never stop a report
        log.warning("figure failed (%s): %s", alt[:40], exc)
        notes.append(f"Figure not drawn ({alt.split(':')[0]}): {type(exc).__name__}: {exc}")
        return None


#: The name the section modules used before the split.
_safe_figure = safe_figure


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["num"] = fmt_num
    return env


def sort_script() -> str:
    """The reports' one inline script: click a header of a ``sortable`` table to sort it."""
    return (TEMPLATES / "sort.js").read_text(encoding="utf-8")


def render(template: str, context: Mapping[str, Any]) -> str:
    """Render one of the package's templates with ``context``."""
    env = _environment()
    css = (TEMPLATES / "style.css").read_text(encoding="utf-8")
    return env.get_template(template).render(
        css=css, sort_js=sort_script(), citations=CITATIONS, **context
    )


def _write(path: Path, text: str) -> Path:
    """Write a report atomically (an interrupted write leaves the old report intact)."""
    from algoattr.outputs import write_text

    path.parent.mkdir(parents=True, exist_ok=True)
    return write_text(path, text)
