"""A small SVG picture of one resource's neighbourhood: the resource in the centre, what it
links to on a ring around it, each link a labelled arrow.

A pure function from nodes and edges to SVG text (https://www.w3.org/TR/SVG2/), meant to be
inlined in an HTML page: no script, no external files, and every piece of text escaped, since
labels come from source documents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 900
_CHAR = 6.6  # rough width of one character at the node font size, in px
_MAX_CHARS = 28
_NODE_HEIGHT = 38
_ROW = 50  # the least vertical room a node needs
_MARGIN = 30

# Fill and border per kind of node; unknown kinds get the last one.
_COLOURS = {
    "occupation": ("#1d3557", "#1d3557"),
    "noc": ("#e8f3e4", "#7aa86b"),
    "framework": ("#fdf1d8", "#d4a53c"),
    "skill": ("#e4eefb", "#6d95c9"),
    "knowledge": ("#e4eefb", "#6d95c9"),
    "ability": ("#e4eefb", "#6d95c9"),
    "work activity": ("#e4eefb", "#6d95c9"),
    "source": ("#f2e9f7", "#9d78b5"),
    "": ("#f3f4f6", "#9aa1ad"),
}


@dataclass(frozen=True)
class Node:
    """One thing in the picture: ``key`` names it for edges, ``kind`` is the caption above
    its label, ``group`` picks its colours (default: the kind), ``href`` makes it a link."""

    key: str
    label: str
    kind: str = ""
    href: str | None = None
    group: str = ""


@dataclass(frozen=True)
class Edge:
    """An arrow from the node keyed ``source`` to the node keyed ``target``."""

    source: str
    target: str
    label: str


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    width: float
    height: float


def shorten(text: str, limit: int = _MAX_CHARS) -> str:
    """
    >>> shorten("Heavy and tractor-trailer truck drivers", 20)
    'Heavy and tractor-t…'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap(text: str, width: int, lines: int) -> list[str]:
    """Words filled into at most ``lines`` lines of ``width`` characters, the last shortened.

    >>> wrap("Farmworkers and Laborers, Crop, Nursery, and Greenhouse", 26, 2)
    ['Farmworkers and Laborers,', 'Crop, Nursery, and…']
    """
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        out[-1] = shorten(out[-1] + " " + " ".join(words), min(width, len(out[-1]) + 1))
    return [shorten(line, width) for line in out]


def neighbourhood(
    centre: Node,
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    *,
    title: str | None = None,
    width: int = WIDTH,
) -> str:
    """SVG text drawing ``centre`` in the middle and ``nodes`` around it, clockwise in their
    order: the first half down the right side, the rest up the left. The picture is as tall as
    its busier side needs. Edges whose ends are not both drawn are left out.

    >>> svg = neighbourhood(
    ...     Node("o", "Nurses <RN>", "occupation"),
    ...     [Node("s", 'Care "&" cure', "skill", href="/skills/Care")],
    ...     [Edge("o", "s", "requires")],
    ... )
    >>> "Nurses &lt;RN&gt;" in svg and "Care &quot;&amp;&quot; cure" in svg and "<script" not in svg
    True
    """
    ring = [n for n in nodes if n.key != centre.key]
    right = ring[: (len(ring) + 1) // 2]
    left = ring[len(right) :][::-1]  # clockwise: down the right side, then up the left
    title_lines = wrap(centre.label, 30, 3)
    height = max(_ROW * 1.3 * max(len(right), 1) + 2 * _MARGIN, 22 + 17 * len(title_lines) + 120)
    cx, cy = width / 2, height / 2
    boxes: dict[str, _Box] = {
        centre.key: _Box(
            cx,
            cy,
            max((len(line) for line in title_lines), default=12) * 7.4 + 28,
            22 + 17 * len(title_lines),
        )
    }
    widths = {n.key: max(len(shorten(n.label)), len(n.kind)) * _CHAR + 20 for n in ring}
    reach = width / 2 - max(widths.values(), default=0) / 2 - 8
    for side, column in ((1, right), (-1, left)):
        # Evenly spaced rows; each box on an ellipse, so the column bows out at the middle.
        gap = (height - 2 * _MARGIN) / max(len(column), 1)
        for row, node in enumerate(column):
            dy = (row - (len(column) - 1) / 2) * gap
            bow = math.sqrt(max(0.0, 1 - (dy / (height / 2)) ** 2))
            half = widths[node.key] / 2
            x = cx + side * max(reach * bow, boxes[centre.key].width / 2 + 40 + half)
            x = min(max(x, half + 4), width - half - 4)
            boxes[node.key] = _Box(x, cy + dy, widths[node.key], _NODE_HEIGHT)
    heading = escape(title or f"The neighbourhood of {centre.label}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="diagram-title" class="diagram" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="diagram-title">{heading}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#8a93a3"/></marker></defs>',
    ]
    for edge in edges:
        if edge.source in boxes and edge.target in boxes and edge.source != edge.target:
            parts.append(_edge(boxes[edge.source], boxes[edge.target], edge.label))
    for node in ring:
        parts.append(_node(node, boxes[node.key]))
    parts.append(_centre(centre, boxes[centre.key], title_lines))
    parts.append("</svg>")
    return "\n".join(parts)


def _clip(inside: _Box, outside: _Box) -> tuple[float, float]:
    """Where the segment between the two boxes' centres leaves ``inside``."""
    dx, dy = outside.x - inside.x, outside.y - inside.y
    if dx == 0 and dy == 0:
        return inside.x, inside.y
    scale = min(
        (inside.width / 2) / abs(dx) if dx else math.inf,
        (inside.height / 2) / abs(dy) if dy else math.inf,
    )
    return inside.x + dx * scale, inside.y + dy * scale


def _edge(source: _Box, target: _Box, label: str) -> str:
    x1, y1 = _clip(source, target)
    x2, y2 = _clip(target, source)
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    angle = math.degrees(math.atan2(y2 - y1, x2 - x1))
    if angle > 90 or angle < -90:
        angle += 180
    return (
        f'<g class="edge"><line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="#8a93a3" stroke-width="1.3" marker-end="url(#arrow)"/>'
        f'<text x="{mx:.1f}" y="{my:.1f}" dy="-4" text-anchor="middle" font-size="11" '
        f'fill="#4a5263" stroke="#fafafa" stroke-width="4" paint-order="stroke" '
        f'transform="rotate({angle:.1f} {mx:.1f} {my:.1f})">{escape(shorten(label, 24))}</text>'
        f"</g>"
    )


def _linked(href: str | None, body: str) -> str:
    """``body`` as a link to ``href`` if that is a web address or a local path."""
    if href and href.startswith(("/", "#", "http://", "https://")):
        return f'<a href="{escape(href)}">{body}</a>'
    return body


def _node(node: Node, box: _Box) -> str:
    fill, stroke = _COLOURS.get(node.group or node.kind, _COLOURS[""])
    left, top = box.x - box.width / 2, box.y - box.height / 2
    body = (
        f"<title>{escape(node.label)}</title>"
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" '
        f'rx="6" fill="{fill}" stroke="{stroke}"/>'
        f'<text x="{box.x:.1f}" y="{top + 14:.1f}" text-anchor="middle" font-size="10" '
        f'fill="#5b6475">{escape(node.kind)}</text>'
        f'<text x="{box.x:.1f}" y="{top + 30:.1f}" text-anchor="middle" font-size="12" '
        f'fill="#1d2330">{escape(shorten(node.label))}</text>'
    )
    return f'<g class="node">{_linked(node.href, body)}</g>'


def _centre(node: Node, box: _Box, lines: list[str]) -> str:
    left, top = box.x - box.width / 2, box.y - box.height / 2
    text = "".join(
        f'<text x="{box.x:.1f}" y="{top + 27 + 17 * i:.1f}" text-anchor="middle" '
        f'font-size="14" font-weight="600" fill="white">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    body = (
        f"<title>{escape(node.label)}</title>"
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" '
        f'rx="8" fill="#1d3557"/>{text}'
    )
    return f'<g class="node centre">{_linked(node.href, body)}</g>'
