"""Reading order for running text: words outside the statistical tables → text lines."""

from __future__ import annotations

from giar.geometry import BBox, group_into_lines, union_all
from giar.layout import PageLayout, TextLine, Word

# A horizontal gap wider than this share of the text height is printed as a space.
SPACE_GAP_RATIO = 0.8


def running_lines(layout: PageLayout, tables: list[BBox]) -> list[TextLine]:
    """Text lines of a page top to bottom, leaving out words inside ``tables``."""
    words = [
        w for w in layout.words
        if not any(t.contains_point(w.bbox.center_x, w.bbox.center_y) for t in tables)
    ]
    return [_as_line(group, layout.number) for group in _line_groups(words)]


def _line_groups(words: list[Word]) -> list[list[Word]]:
    return group_into_lines(words, lambda w: w.bbox)


def _as_line(words: list[Word], page: int) -> TextLine:
    text = words[0].text
    for previous, word in zip(words, words[1:], strict=False):
        gap = word.bbox.x0 - previous.bbox.x1
        text += (" " if gap > SPACE_GAP_RATIO * word.bbox.height else "") + word.text
    return TextLine(text=text.strip(), page=page, bbox=union_all([w.bbox for w in words]),
                    confidence=min(w.confidence if w.weakest is None else w.weakest
                                   for w in words))
