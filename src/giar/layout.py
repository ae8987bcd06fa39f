"""What every page source produces: words with boxes and ruling segments, in PDF points.

The text-layer path (:mod:`giar.extract.textlayer`) and the OCR path (:mod:`giar.ocr`) differ
only in how they fill a :class:`PageLayout`; everything downstream reads this one type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from giar.geometry import BBox


class Source(str, Enum):
    TEXT = "text"
    OCR = "ocr"


@dataclass(frozen=True, slots=True)
class Word:
    """A run of glyphs on one baseline (text layer) or one recognized text box (OCR).

    ``chars`` keeps per-character boxes when the source has them, so a word that straddles
    two table cells can be split.
    """

    text: str
    bbox: BBox
    source: Source = Source.TEXT
    confidence: float = 1.0
    chars: tuple[tuple[str, BBox], ...] = ()
    # The least sure character's confidence, when the OCR engine tells: a line's mean
    # confidence hardly moves for one misread character among twenty.
    weakest: float | None = None


@dataclass(frozen=True, slots=True)
class Ruling:
    """A horizontal or vertical ruling-line segment (a table border or cell edge)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def is_horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass
class PageLayout:
    """One page: size in points, its words and rulings, and how they were obtained."""

    number: int  # 1-based
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    rulings: list[Ruling] = field(default_factory=list)
    method: Source = Source.TEXT
    dpi: float | None = None  # resolution of the page image the OCR path read, if any


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of running text (outside tables) in reading order."""

    text: str
    page: int  # 1-based
    bbox: BBox
    confidence: float = 1.0  # of its least sure character (or word); 1.0 from a text layer
