"""A PDF page's text layer → :class:`giar.layout.PageLayout` (characters and vector rulings).

PyMuPDF's raw characters and drawings are fast (a few ms per page) and exact; table finders
reorder punctuation inside cells (GIAR_TEMPLATE.md §2.5), so cell text is assembled later from
these character boxes, never taken from a table finder.
"""

from __future__ import annotations

import pymupdf

from giar.geometry import BBox
from giar.layout import PageLayout, Ruling, Source, Word

# A filled rectangle thinner than this (points) is a drawn line, not a cell background.
MAX_LINE_THICKNESS = 3.0
# A stroked line whose ends differ by less than this across its direction is axis-parallel.
AXIS_TOLERANCE = 1.0
# Fill colour components at or above this are white (invisible on paper).
WHITE_LEVEL = 0.95


def read_text_layer(page: pymupdf.Page, number: int) -> PageLayout:
    """Characters (grouped in PyMuPDF lines) and ruling segments of one page."""
    rect = page.rect
    return PageLayout(
        number=number,
        width=rect.width,
        height=rect.height,
        words=page_words(page),
        rulings=page_rulings(page),
        method=Source.TEXT,
    )


def page_words(page: pymupdf.Page) -> list[Word]:
    """One :class:`Word` per PyMuPDF text line, keeping every character's box."""
    words: list[Word] = []
    raw = page.get_text("rawdict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE)
    for block in raw["blocks"]:
        for line in block.get("lines", ()):
            chars = tuple(
                (ch["c"], BBox(*ch["bbox"]))
                for span in line["spans"]
                for ch in span["chars"]
            )
            text = "".join(c for c, _ in chars)
            if text.strip():
                words.append(Word(text=text, bbox=BBox(*line["bbox"]), chars=chars))
    return words


def page_rulings(page: pymupdf.Page) -> list[Ruling]:
    """Axis-parallel segments from stroked lines and from rectangle edges (cell borders)."""
    rulings: list[Ruling] = []
    for path in page.get_drawings():
        if _is_invisible(path):
            continue
        for item in path["items"]:
            kind = item[0]
            if kind == "l":
                rulings.extend(_line_ruling(item[1], item[2]))
            elif kind == "re":
                rulings.extend(_rect_rulings(item[1]))
            elif kind == "qu":
                quad = item[1]
                if quad.is_rectangular:
                    rulings.extend(_rect_rulings(quad.rect))
    return rulings


def _is_invisible(path: dict) -> bool:
    """White fill without a stroke: WPS paints such boxes behind every paragraph line and cell.

    Their edges are not drawn borders; taking them as rulings glues prose into the tables.
    """
    fill = path.get("fill")
    return path.get("type") == "f" and fill is not None and min(fill) >= WHITE_LEVEL


def _line_ruling(p1: pymupdf.Point, p2: pymupdf.Point) -> list[Ruling]:
    if abs(p1.y - p2.y) <= AXIS_TOLERANCE or abs(p1.x - p2.x) <= AXIS_TOLERANCE:
        return [Ruling(min(p1.x, p2.x), min(p1.y, p2.y), max(p1.x, p2.x), max(p1.y, p2.y))]
    return []


def _rect_rulings(r: pymupdf.Rect) -> list[Ruling]:
    if r.is_empty and r.width <= 0 and r.height <= 0:
        return []
    if r.height <= MAX_LINE_THICKNESS and r.width > r.height:
        mid = (r.y0 + r.y1) / 2
        return [Ruling(r.x0, mid, r.x1, mid)]
    if r.width <= MAX_LINE_THICKNESS:
        mid = (r.x0 + r.x1) / 2
        return [Ruling(mid, r.y0, mid, r.y1)]
    return [
        Ruling(r.x0, r.y0, r.x1, r.y0),
        Ruling(r.x0, r.y1, r.x1, r.y1),
        Ruling(r.x0, r.y0, r.x0, r.y1),
        Ruling(r.x1, r.y0, r.x1, r.y1),
    ]
