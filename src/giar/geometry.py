"""The one geometry type: an axis-aligned box in PDF points, origin at the page's top-left.

Raster code works in pixels internally and converts with :func:`BBox.from_pixels` /
:meth:`BBox.to_pixels` at its boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# Two boxes sit on one line when their vertical centres differ by less than this share of the
# smaller height.
SAME_LINE_RATIO = 0.5


@dataclass(frozen=True, slots=True)
class BBox:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.x0, other.x0), min(self.top, other.top),
            max(self.x1, other.x1), max(self.bottom, other.bottom),
        )

    def intersection_area(self, other: BBox) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.bottom, other.bottom) - max(self.top, other.top)
        return w * h if w > 0 and h > 0 else 0.0

    def same_x_extent(self, other: BBox, tolerance: float) -> bool:
        """Whether both boxes span the same columns (left and right edges within ``tolerance``)."""
        return abs(self.x0 - other.x0) <= tolerance and abs(self.x1 - other.x1) <= tolerance

    def contains_point(self, x: float, y: float, tolerance: float = 0.0) -> bool:
        return (self.x0 - tolerance <= x <= self.x1 + tolerance
                and self.top - tolerance <= y <= self.bottom + tolerance)

    def as_list(self, ndigits: int = 2) -> list[float]:
        return [round(self.x0, ndigits), round(self.top, ndigits),
                round(self.x1, ndigits), round(self.bottom, ndigits)]

    @classmethod
    def from_pixels(cls, x0: float, top: float, x1: float, bottom: float, dpi: float) -> BBox:
        return cls(*(pixels_to_points(v, dpi) for v in (x0, top, x1, bottom)))

    def to_pixels(self, dpi: float) -> tuple[int, int, int, int]:
        scale = dpi / 72.0
        return (round(self.x0 * scale), round(self.top * scale),
                round(self.x1 * scale), round(self.bottom * scale))


def pixels_to_points(pixels: float, dpi: float) -> float:
    """A length in pixels of an image scanned at ``dpi`` → PDF points."""
    return pixels * 72.0 / dpi


def union_all(boxes: list[BBox]) -> BBox:
    """Smallest box covering every box in ``boxes`` (which must not be empty)."""
    out = boxes[0]
    for box in boxes[1:]:
        out = out.union(box)
    return out


def group_into_lines(items: list[T], box: Callable[[T], BBox]) -> list[list[T]]:
    """Items grouped into visual lines, top to bottom, each line left to right."""
    lines: list[list[T]] = []
    for item in sorted(items, key=lambda i: (box(i).center_y, box(i).x0)):
        if lines:
            ref, this = box(lines[-1][-1]), box(item)
            limit = SAME_LINE_RATIO * max(min(ref.height, this.height), 1.0)
            if abs(this.center_y - ref.center_y) < limit:
                lines[-1].append(item)
                continue
        lines.append([item])
    return [sorted(line, key=lambda i: box(i).x0) for line in lines]
