"""Ruling segments → table grids: cells with row/column spans.

Works on :class:`giar.layout.Ruling` in PDF points, whether they came from vector drawings
(text-layer path) or from OpenCV line detection (OCR path).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from giar.geometry import BBox
from giar.layout import Ruling


@dataclass(frozen=True, slots=True)
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: BBox


@dataclass
class Grid:
    """One ruled table on one page: edge coordinates and the merged cells between them."""

    page: int
    xs: list[float]  # column edges, left to right
    ys: list[float]  # row edges, top to bottom
    cells: list[GridCell] = field(default_factory=list)

    @property
    def bbox(self) -> BBox:
        return BBox(self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def detect_grids(rulings: list[Ruling], page: int) -> list[Grid]:
    """Find every ruled table among ``rulings``; not implemented yet."""
    raise NotImplementedError
