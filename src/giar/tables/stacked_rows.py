"""Grid + words → the grid with the row lines it lost put back where numbers stand stacked.

A row line that faded out of a scan over the whole width of a table (or that a word
processor never drew) leaves two rows in one: every count column of the merged row holds two
numbers, one over the other ("50" over "9"), and cell assembly would join them into one
("509"). A narrow cell prints a long number wrapped the same way ("139" over "0" for 1390),
so one stacked cell proves nothing; a row is cut only where several count columns hold two
stacked numbers with a gap that they all share, and where the upper number is too short to
be the first line of a wrapped one.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from giar.geometry import BBox, group_into_lines
from giar.layout import Word
from giar.tables.grid import Grid, GridCell
from giar.tables.values import ValueKind, parse_value

# At least this many columns of a row, and this share of the columns holding numbers in it,
# hold two stacked numbers before the row is cut.
MIN_STACKED_COLUMNS = 3
MIN_STACKED_SHARE = 0.6
# The upper number of a wrapped one fills its cell's line; a number narrower than this share
# of its column did not wrap.
WRAPPED_WIDTH_SHARE = 0.6
# Numbers of one row are printed in one font: the two of a stack are at least this share of
# one another's height (a speck read as "1" is shorter).
STACK_HEIGHT_SHARE = 0.6
# A row is cut at most this many times (three rows in one).
MAX_CUTS = 4


@dataclass(frozen=True, slots=True)
class _Stack:
    """Two numbers one over the other in one elementary cell: the gap between them."""

    upper_bottom: float
    lower_top: float


def split_stacked_rows(grid: Grid, words: list[Word]) -> Grid:
    """``grid`` with each row that holds two rows' numbers cut in two between them."""
    for _ in range(MAX_CUTS):
        cut = _first_cut(grid, words)
        if cut is None:
            return grid
        grid = _cut_row(grid, words, *cut)
    return grid


def _first_cut(grid: Grid, words: list[Word]) -> tuple[int, float] | None:
    """The first row of ``grid`` holding stacked numbers, and the height to cut it at."""
    by_cell: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        spot = _elementary_at(grid, word.bbox.center_x, word.bbox.center_y)
        if spot is not None and word.text.strip():
            by_cell.setdefault(spot, []).append(word)
    for row in range(grid.n_rows):
        stacks, numbered = [], 0
        for col in range(grid.n_cols):
            lines = group_into_lines(by_cell.get((row, col), []), lambda word: word.bbox)
            if lines and all(_is_number(line) for line in lines):
                numbered += 1
                stack = _stack(lines, grid.xs[col + 1] - grid.xs[col])
                if stack is not None:
                    stacks.append(stack)
        if len(stacks) < MIN_STACKED_COLUMNS or len(stacks) < MIN_STACKED_SHARE * numbered:
            continue
        low = max(stack.upper_bottom for stack in stacks)
        high = min(stack.lower_top for stack in stacks)
        if low < high:
            return row, (low + high) / 2
    return None


def _stack(lines: list[list[Word]], column_width: float) -> _Stack | None:
    """The gap between two stacked numbers in a cell's ``lines``, or None when the cell holds
    one, or a number wrapped over two lines."""
    if len(lines) != 2:
        return None
    upper, lower = (_extent(line) for line in lines)
    shorter, taller = sorted((upper.height, lower.height))
    if (upper.bottom >= lower.top or shorter < STACK_HEIGHT_SHARE * taller
            or upper.width >= WRAPPED_WIDTH_SHARE * column_width):
        return None
    return _Stack(upper.bottom, lower.top)


def _cut_row(grid: Grid, words: list[Word], row: int, y: float) -> Grid:
    """``grid`` with elementary row ``row`` cut at ``y``: a cell of that row alone is cut in
    two unless a word of it runs across ``y``; a cell over several rows spans one more."""
    cells = []
    for cell in grid.cells:
        if cell.row > row:
            cells.append(_moved(cell, cell.row + 1, cell.rowspan, cell.bbox))
        elif cell.row + cell.rowspan <= row:
            cells.append(cell)
        elif cell.rowspan == 1 and not _crossed(cell.bbox, words, y):
            box = cell.bbox
            cells.append(_moved(cell, row, 1, BBox(box.x0, box.top, box.x1, y)))
            cells.append(_moved(cell, row + 1, 1, BBox(box.x0, y, box.x1, box.bottom)))
        else:
            cells.append(_moved(cell, cell.row, cell.rowspan + 1, cell.bbox))
    ys = sorted([*grid.ys, y])
    return Grid(page=grid.page, xs=list(grid.xs), ys=ys,
                cells=sorted(cells, key=lambda cell: (cell.row, cell.col)))


def _moved(cell: GridCell, row: int, rowspan: int, bbox: BBox) -> GridCell:
    return GridCell(row=row, col=cell.col, rowspan=rowspan, colspan=cell.colspan, bbox=bbox)


def _crossed(box: BBox, words: list[Word], y: float) -> bool:
    """Whether a word of the cell at ``box`` runs across the height ``y``."""
    return any(box.contains_point(word.bbox.center_x, word.bbox.center_y)
               and word.bbox.top < y < word.bbox.bottom for word in words)


def _is_number(line: list[Word]) -> bool:
    text = "".join(word.text.strip() for word in line)
    return parse_value(text, ocr=True).kind is ValueKind.NUMBER


def _extent(line: list[Word]) -> BBox:
    return BBox(min(w.bbox.x0 for w in line), min(w.bbox.top for w in line),
                max(w.bbox.x1 for w in line), max(w.bbox.bottom for w in line))


def _elementary_at(grid: Grid, x: float, y: float) -> tuple[int, int] | None:
    """The elementary (row, col) of ``grid`` holding the point, or None outside it."""
    if not (grid.xs[0] <= x < grid.xs[-1] and grid.ys[0] <= y < grid.ys[-1]):
        return None
    return bisect.bisect_right(grid.ys, y) - 1, bisect.bisect_right(grid.xs, x) - 1
