"""Reading order for running text: words outside the statistical tables → text lines."""

from __future__ import annotations

from giar.geometry import BBox, union_all
from giar.layout import PageLayout, TextLine, Word

# Words whose vertical centres differ by less than this share of their height share a line.
SAME_LINE_RATIO = 0.5
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
    groups: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.bbox.center_y, w.bbox.x0)):
        if groups:
            ref = groups[-1][0].bbox
            limit = SAME_LINE_RATIO * max(min(ref.height, word.bbox.height), 1.0)
            if abs(word.bbox.center_y - ref.center_y) < limit:
                groups[-1].append(word)
                continue
        groups.append([word])
    return [sorted(group, key=lambda w: w.bbox.x0) for group in groups]


def _as_line(words: list[Word], page: int) -> TextLine:
    text = words[0].text
    for previous, word in zip(words, words[1:], strict=False):
        gap = word.bbox.x0 - previous.bbox.x1
        text += (" " if gap > SPACE_GAP_RATIO * word.bbox.height else "") + word.text
    return TextLine(text=text.strip(), page=page, bbox=union_all([w.bbox for w in words]))
