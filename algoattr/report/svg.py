"""Figures embedded as inline SVG, with a hover label (SVG ``<title>``) on each plotted row.

A figure shown through ``<img src="data:...">`` cannot show tooltips, so the scatter plots of
a fit report are embedded as ``<svg>`` elements instead. The plotting functions attach one
label per point as a per-point URL starting with :data:`algoattr.plots.HOVER_PREFIX`
(matplotlib's SVG writer wraps each point of a collection in ``<a xlink:href=...>``);
:func:`inline_svg` turns every such link into a ``<g class="pt">`` whose first child is a
``<title>`` holding the label, so a browser shows it when the pointer rests on the point.

Every ``id`` of the figure (and every reference to one) gets a prefix derived from the SVG's
content, so several figures in one page never share an id; the output depends only on the
figure (matplotlib's ``svg.hashsalt`` is fixed and the date is left out), so a report built
twice from the same fit is byte-identical.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree as ET

__all__ = ["SVG_NS", "XLINK_NS", "hover_titles", "inline_svg"]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_HREF = f"{{{XLINK_NS}}}href"
_URL_REF = re.compile(r"url\(#")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


def _svg_bytes(fig: Any) -> bytes:
    import matplotlib

    from algoattr.plots import _RC

    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def inline_svg(fig: Any, alt: str) -> str:
    """An ``<svg>`` element for a figure, with a ``<title>`` on every labelled point.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (its points labelled with :func:`algoattr.plots._with_hover`).
    alt : str
        Text alternative (``aria-label`` of the element, ``role="img"``).

    Returns
    -------
    str
        The SVG markup, without XML declaration or doctype, ready to place in HTML. Labels
        and ``alt`` are escaped by the XML serialiser.
    """
    raw = _svg_bytes(fig)
    root = ET.fromstring(raw)
    prefix = "f" + hashlib.sha1(raw).hexdigest()[:10] + "-"
    from algoattr.plots import HOVER_PREFIX

    for meta in root.findall(f"{{{SVG_NS}}}metadata"):
        root.remove(meta)
    labels: list[str] = []
    for el in root.iter():
        href = el.get(_HREF)
        if el.tag == f"{{{SVG_NS}}}a" and href and href.startswith(HOVER_PREFIX):
            el.tag = f"{{{SVG_NS}}}g"
            el.attrib.clear()
            el.set("class", "pt")
            title = ET.Element(f"{{{SVG_NS}}}title")
            title.text = f"\ue000{len(labels)}\ue001"  # filled in after serialising
            labels.append(unquote(href[len(HOVER_PREFIX) :]))
            el.insert(0, title)
            continue
        for key, value in list(el.attrib.items()):
            if key == "id":
                el.set(key, prefix + value)
            elif key == _HREF and value.startswith("#"):
                el.set(key, "#" + prefix + value[1:])
            elif "url(#" in value:
                el.set(key, _URL_REF.sub(f"url(#{prefix}", value))
    width = root.get("width")
    root.attrib.pop("height", None)
    if width:
        root.set("style", f"max-width: 100%; width: {width}; height: auto")
        root.attrib.pop("width", None)
    root.set("role", "img")
    root.set("aria-label", alt)
    text = ET.tostring(root, encoding="unicode")
    # Labels are escaped here, quotes included, so no user string survives as markup.
    return _PLACEHOLDER.sub(lambda m: html.escape(labels[int(m.group(1))], quote=True), text)


def hover_titles(svg: str) -> list[str]:
    """The hover labels of an inline SVG produced by :func:`inline_svg`, in drawing order."""
    root = ET.fromstring(svg)
    return [
        html.unescape(g.find(f"{{{SVG_NS}}}title").text or "")
        for g in root.iter(f"{{{SVG_NS}}}g")
        if g.get("class") == "pt" and g.find(f"{{{SVG_NS}}}title") is not None
    ]
