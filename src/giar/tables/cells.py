"""Grid + words → cells with text: the one place where cell text is assembled.

Characters are assigned to the cell that contains their centre, grouped into visual lines, and
the lines are joined without a separator: a narrow cell prints "结/果/维/持" one character per
line and "139" over "0" for 1390, and both must read as one string. Words without per-character
boxes (OCR output) are assigned whole. A spanning cell that holds separate numbers in separate
elementary cells is a border lost in a scan, and is cut back into those cells (a number centred
over two of them keeps both, as the 2019 layout prints its spanning cells); one that runs a
data row on into the rows below it is cut under the data row, and one that runs header rows on
into a data row is cut above it. Every cell keeps its words with their boxes.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from giar.chinese import has_han
from giar.geometry import BBox, group_into_lines
from giar.layout import Source, Word
from giar.tables.grid import Grid, GridCell
from giar.tables.values import UNREAD_MARK, ValueKind, parse_value

# A glyph reaching this far (points) above its cell's top border crosses the border.
OVERFLOW_TOLERANCE = 1.0
# Glyphs further apart than this share of their height belong to separate words.
WORD_GAP_SHARE = 0.6
# A word may overhang the edges of its elementary cell by this much (points; OCR boxes).
EDGE_SLACK = 1.0
# ... and a row edge by this share of its height, its middle in the row: a recognizer's box
# round a lone digit reaches a point or two past the ink, and a "1" over a "0" in a block that
# lost its row line stays two numbers.
ROW_OVERHANG_SHARE = 0.2
# A number reaching across a column edge inside a merged cell stands for a cell spanning the
# columns it reaches into when its middle lies within this share of their width from theirs:
# the 2019 layout prints the numbers of its spanning cells centred.
SPAN_CENTRING = 0.15

# A column narrower than this (points) that holds no number is no column of the table: a
# column line bent a few points off in some rows (or an outer border bent in one row) left an
# edge beside the line's other pieces. Its blank cells stay with the cell on their right (or,
# last, on their left).
NUMBERLESS_COLUMN_PT = 6.0

# Letters read beside a number in a merged cell stand for a misread digit when at least this
# share of the number's height (a speck is shorter).
MISREAD_DIGIT_HEIGHT_SHARE = 0.5

# Where a number stands in a merged cell: its row and the first and last columns it fills.
Slot = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class CellWord:
    """One word of a cell's text (a run of glyphs along a line) and where it is printed."""

    text: str
    bbox: BBox
    confidence: float


@dataclass(frozen=True, slots=True)
class TableCell:
    """A grid cell with the text printed in it and where that text came from."""

    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: BBox
    page: int
    lines: tuple[str, ...]
    source: Source
    confidence: float
    # The words of ``lines`` with their boxes: where a number sits in a cell whose column
    # line was lost. Empty where the source has no word boxes (web tables).
    words: tuple[CellWord, ...] = ()

    @property
    def text(self) -> str:
        return "".join(self.lines)

    @property
    def bottom_row(self) -> int:
        return self.row + self.rowspan


@dataclass(frozen=True, slots=True)
class CellTable:
    """One ruled table on one page with the text of each of its cells, in row-major order."""

    page: int
    bbox: BBox
    cells: tuple[TableCell, ...]
    n_rows: int

    def cells_starting_in(self, row: int) -> list[TableCell]:
        return [c for c in self.cells if c.row == row]

    def cells_covering(self, row: int) -> list[TableCell]:
        return [c for c in self.cells if c.row <= row < c.bottom_row]


@dataclass(frozen=True, slots=True)
class _Glyph:
    text: str
    bbox: BBox
    source: Source
    confidence: float


def fill_cells(grid: Grid, words: list[Word], page_source: Source = Source.TEXT) -> CellTable:
    """Assign the glyphs of ``words`` to the cells of ``grid`` and assemble each cell's text.
    A blank cell's provenance is ``page_source``, how the page was read."""
    owner = _elementary_owner(grid)
    per_cell: dict[int, list[_Glyph]] = {}
    for glyph in _glyphs(words):
        index = _locate(grid, owner, glyph.bbox.center_x, glyph.bbox.center_y)
        if (index is not None and glyph.source is Source.TEXT
                and _hangs_over_top(glyph.bbox, grid.cells[index].bbox)):
            above = _locate(grid, owner, glyph.bbox.center_x, grid.cells[index].bbox.top - 1.0)
            index = above if above is not None else index
        if index is not None:
            per_cell.setdefault(index, []).append(glyph)
    # Only the cells starting in rows that a cell over several rows covers can make a header
    # row for it (:func:`_row_strips`); the others need no reading as headings.
    covered = {row for i, cell in enumerate(grid.cells) if cell.rowspan > 1 and i in per_cell
               for row in range(cell.row, cell.row + cell.rowspan)}
    headings = _heading_cells({i: glyphs for i, glyphs in per_cell.items()
                                 if grid.cells[i].row in covered})
    starting: dict[int, list[int]] = {}
    for i, cell in enumerate(grid.cells):
        starting.setdefault(cell.row, []).append(i)
    pieces = sorted(
        ((piece, piece_glyphs)
         for i, cell in enumerate(grid.cells)
         for strip, strip_glyphs in _row_strips(grid, cell, per_cell.get(i, []),
                                                _heading_rows(cell, i, starting, headings))
         for piece, piece_glyphs in _split_numbers(grid, strip, strip_glyphs)),
        key=lambda piece: (piece[0].row, piece[0].col))
    inked = {piece.col for piece, piece_glyphs in pieces if piece.colspan == 1 and piece_glyphs}
    slivers = {col for col in range(grid.n_cols)
               if col not in inked and grid.xs[col + 1] - grid.xs[col] < NUMBERLESS_COLUMN_PT}
    cells = sorted((_text_cell(piece, grid.page, piece_glyphs, page_source)
                    for piece, piece_glyphs in _without_slivers(pieces, slivers)),
                   key=lambda cell: (cell.row, cell.col))
    return CellTable(page=grid.page, bbox=grid.bbox, cells=tuple(cells), n_rows=grid.n_rows)


def _heading_cells(per_cell: dict[int, list[_Glyph]]) -> set[int]:
    """The cells (indices into a grid's cells) holding Chinese text and no number: headings."""
    headings = set()
    for index, glyphs in per_cell.items():
        texts = [_word_text(word) for word in _words(glyphs)]
        if any(has_han(text) for text in texts) and not any(map(_is_number_like, texts)):
            headings.add(index)
    return headings


def _heading_rows(cell: GridCell, index: int, starting: dict[int, list[int]],
                  headings: set[int]) -> set[int]:
    """The rows of ``cell`` (``index``) in which other cells start (``starting``: the cells
    starting in each row) and all are ``headings``."""
    if cell.rowspan == 1:
        return set()
    rows = set()
    for row in range(cell.row, cell.row + cell.rowspan):
        others = [other for other in starting.get(row, []) if other != index]
        if others and all(other in headings for other in others):
            rows.add(row)
    return rows


def _row_strips(grid: Grid, cell: GridCell, glyphs: list[_Glyph],
                heading_rows: set[int]) -> list[tuple[GridCell, list[_Glyph]]]:
    """A cell over several rows holding a data row (a label and a number to its right, in
    one row) and words in rows below it, cut under the data row; and above it when every
    row above it in the cell is a header row (``heading_rows``: the other cells starting in
    it are headings). No word may reach across a cut.

    A row line lost over a block's whole width runs a data row on into the row below
    (行政强制 | 84 and the 第二十条第（八）项 title under them, in one cell), or a header into the
    first data row (section 三's corner, 自然人 and 一、本年新收… | 95). Nothing else is cut
    above a data row: the lines above may be the start of its label, wrapped. Text alone
    never cuts a cell (a vertical label over many rows), nor does a number standing across a
    row edge; a heading over a number below it is left to :func:`_split_numbers`.
    """
    if cell.rowspan == 1 or not glyphs:
        return [(cell, glyphs)]
    words = _words(glyphs)
    boxes = [_extent(word) for word in words]
    spans = [_rows_reached(grid, cell, box) for box in boxes]
    data_rows = _data_rows(words, boxes, spans)
    # Above a data row only where its number is printed digits: a letter read for a faded
    # heading's stroke ("I") makes no data row of a header row.
    edges = sorted({row + 1 for row in data_rows if row + 1 < cell.row + cell.rowspan}
                   | {row for row in _data_rows(words, boxes, spans, digits=True)
                      if row > cell.row
                      and all(above in heading_rows for above in range(cell.row, row))})
    cuts = [edge for edge in edges
            if not any(first < edge <= last for first, last in spans)
            and any(last < edge for _, last in spans) and any(first >= edge for first, _ in spans)]
    if not cuts:
        return [(cell, glyphs)]
    bounds = [cell.row, *cuts, cell.row + cell.rowspan]
    return [(GridCell(top, cell.col, bottom - top, cell.colspan,
                      BBox(cell.bbox.x0, grid.ys[top], cell.bbox.x1, grid.ys[bottom])),
             [g for word, (first, _) in zip(words, spans, strict=True)
              if top <= first < bottom for g in word])
            for top, bottom in zip(bounds, bounds[1:], strict=False)]


def _data_rows(words: list[list[_Glyph]], boxes: list[BBox],
               spans: list[tuple[int, int]], digits: bool = False) -> set[int]:
    """Rows in which a word with Chinese characters stands left of a number (with
    ``digits``, one holding a digit), both within the row (``boxes`` and ``spans``: each
    word's extent and the rows it reaches)."""
    labels: dict[int, float] = {}
    numbers: dict[int, float] = {}
    for word, box, (first, last) in zip(words, boxes, spans, strict=True):
        text = _word_text(word)
        if first != last:
            continue
        if has_han(text):
            labels[first] = min(labels.get(first, box.x1), box.x1)
        elif _is_number_like(text) and (not digits or _has_digit(text)):
            numbers[first] = max(numbers.get(first, box.x0), box.x0)
    return {row for row, right in labels.items() if row in numbers and right <= numbers[row]}


def _rows_reached(grid: Grid, cell: GridCell, box: BBox) -> tuple[int, int]:
    """The first and last elementary rows of ``cell`` that ``box`` reaches into (by more than
    :data:`EDGE_SLACK`)."""
    def row_at(y: float) -> int:
        return min(max(bisect.bisect_right(grid.ys, y) - 1, cell.row), cell.row + cell.rowspan - 1)
    return row_at(box.top + EDGE_SLACK), row_at(box.bottom - EDGE_SLACK)


def _split_numbers(grid: Grid, cell: GridCell,
                   glyphs: list[_Glyph]) -> list[tuple[GridCell, list[_Glyph]]]:
    """A spanning cell holding numbers in elementary cells of their own, cut into those
    elementary cells (and what is left for its label).

    No number spans two cells of a statistics table's body, but a border that faded out of a
    scan merges its two cells; the numbers printed in them still sit apart, each within its
    own cell, and a label (text with Chinese characters) merged with them sits wholly above
    them (a lost line under a header) or wholly to their left (a lost line after a row
    label); what else was read there (a misread digit) goes to its own cell too. A number
    centred across an edge of a cell that really spans (上一年项目数量 in the 2019 layout)
    stays one number, and text alone never splits a cell. Where that spanning cell and the
    cell beside it merged, the centred number keeps the columns it spans.
    """
    if (cell.rowspan == 1 and cell.colspan == 1) or not glyphs:
        return [(cell, glyphs)]
    words = _words(glyphs)
    labels = [word for word in words if has_han(_word_text(word))]
    numbers = [word for word in words if word not in labels]
    slots = [_slot(grid, cell, word) for word in numbers]
    if (not numbers or None in slots
            or not any(_is_number_like(_word_text(word)) for word in numbers)):
        return [(cell, glyphs)]
    by_slot: dict[Slot, list[_Glyph]] = {}
    for word, slot in zip(numbers, slots, strict=True):
        by_slot.setdefault(slot, []).extend(word)  # type: ignore[arg-type]
    if _overlapping(by_slot):
        return [(cell, glyphs)]
    if not labels:
        # Cells holding a number or a digit misread with a scrap of border ("0)", "1:") or
        # as letters ("n" for a 0 that kept its top): a speck read as "i" or ":" beside one
        # number is no sign of a lost line.
        # A lone letter read for a 0 ("D", "n") is a number only as tall as a misread digit.
        like = [word for word in numbers if _is_number_like(_word_text(word))]
        digits = [word for word in like if not _is_letters(_word_text(word))] or like
        tallest = max(_extent(word).height for word in digits)
        numbered = {slot for word, slot in zip(numbers, slots, strict=True)
                    if _reads_as_digits(word, tallest)}
        if len(numbered) >= 2 or _off_centre_in_one_column(cell, numbers, slots):
            return _elementary(grid, cell, by_slot)
        return [(cell, glyphs)]
    label_glyphs = [glyph for word in labels for glyph in word]
    label_box = _extent(label_glyphs)
    first_row = min(row for row, _, _ in by_slot)
    first_col = min(col for _, col, _ in by_slot)
    if first_row > cell.row and label_box.bottom <= grid.ys[first_row] + EDGE_SLACK:
        label = GridCell(cell.row, cell.col, first_row - cell.row, cell.colspan,
                         BBox(cell.bbox.x0, cell.bbox.top, cell.bbox.x1, grid.ys[first_row]))
        rest = GridCell(first_row, cell.col, cell.row + cell.rowspan - first_row, cell.colspan,
                        BBox(cell.bbox.x0, grid.ys[first_row], cell.bbox.x1, cell.bbox.bottom))
    elif first_col > cell.col and label_box.x1 <= grid.xs[first_col] + EDGE_SLACK:
        label = GridCell(cell.row, cell.col, cell.rowspan, first_col - cell.col,
                         BBox(cell.bbox.x0, cell.bbox.top, grid.xs[first_col], cell.bbox.bottom))
        rest = GridCell(cell.row, first_col, cell.rowspan, cell.col + cell.colspan - first_col,
                        BBox(grid.xs[first_col], cell.bbox.top, cell.bbox.x1, cell.bbox.bottom))
    else:
        return [(cell, glyphs)]
    return [(label, label_glyphs), *_elementary(grid, rest, by_slot)]


def _off_centre_in_one_column(cell: GridCell, numbers: list[list[_Glyph]],
                              slots: list[Slot | None]) -> bool:
    """Whether a scanned cell over several columns holds one number, in digits, within one
    of its columns and not centred across them: a number in a cell of its own whose column
    line faded (a spanning cell's number is printed centred, SPAN_CENTRING)."""
    if (cell.colspan == 1 or len(numbers) != 1 or slots[0] is None
            or slots[0][1] != slots[0][2]):
        return False
    word = numbers[0]
    text = _word_text(word)
    if word[0].source is not Source.OCR or not (_is_number_like(text) and _has_digit(text)):
        return False
    offset = abs(_extent(word).center_x - cell.bbox.center_x)
    return offset > SPAN_CENTRING * cell.bbox.width


def _overlapping(by_slot: dict[Slot, list[_Glyph]]) -> bool:
    """Whether two slots of one row share a column."""
    taken: set[tuple[int, int]] = set()
    for row, first, last in by_slot:
        columns = {(row, col) for col in range(first, last + 1)}
        if columns & taken:
            return True
        taken |= columns
    return False


def _elementary(grid: Grid, cell: GridCell,
                by_slot: dict[Slot, list[_Glyph]]) -> list[tuple[GridCell, list[_Glyph]]]:
    """``cell`` as its elementary cells, each with the glyphs ``by_slot`` puts in it; a slot
    over several columns stays one cell over them, and so do those columns in the other rows
    where no slot takes any of them (the columns of a block run down all its rows)."""
    spans = {(row, first): last for row, first, last in by_slot}
    taken = {(row, col) for row, first, last in by_slot for col in range(first, last + 1)}
    for first, last in {(first, last) for _, first, last in by_slot if last > first}:
        for row in range(cell.row, cell.row + cell.rowspan):
            if not any((row, col) in taken for col in range(first, last + 1)):
                spans[(row, first)] = last
    pieces = []
    for row in range(cell.row, cell.row + cell.rowspan):
        col = cell.col
        while col < cell.col + cell.colspan:
            last = spans.get((row, col), col)
            pieces.append((GridCell(row, col, 1, last - col + 1,
                                    BBox(grid.xs[col], grid.ys[row], grid.xs[last + 1],
                                         grid.ys[row + 1])),
                           by_slot.get((row, col, last), [])))
            col = last + 1
    numbered = {col for _, col in taken}
    slivers = {col for col in range(cell.col, cell.col + cell.colspan)
               if col not in numbered and grid.xs[col + 1] - grid.xs[col] < NUMBERLESS_COLUMN_PT}
    return _without_slivers(pieces, slivers)


def _without_slivers(pieces: list[tuple[GridCell, list[_Glyph]]],
                     slivers: set[int]) -> list[tuple[GridCell, list[_Glyph]]]:
    """``pieces`` (row-major) with each blank one-column piece in a column of ``slivers``
    joined to the piece on its right in the same row, or on its left when it is the last,
    where that piece adjoins it over the same rows."""
    rows: dict[int, list[tuple[GridCell, list[_Glyph]]]] = {}
    for piece in pieces:
        rows.setdefault(piece[0].row, []).append(piece)
    kept = []
    for row in rows.values():
        index = 0
        while len(row) > 1 and index < len(row):
            piece, glyphs = row[index]
            other = index + 1 if index + 1 < len(row) else index - 1
            neighbour, its_glyphs = row[other]
            if (piece.colspan == 1 and piece.col in slivers and not glyphs
                    and _adjoin(piece, neighbour)):
                row[min(index, other)] = (_joined(piece, neighbour), its_glyphs)
                del row[max(index, other)]
                continue
            index += 1
        kept += row
    return kept


def _adjoin(a: GridCell, b: GridCell) -> bool:
    """Whether two cells of one row stand side by side over the same rows."""
    side_by_side = a.col + a.colspan == b.col or b.col + b.colspan == a.col
    return side_by_side and a.rowspan == b.rowspan


def _joined(a: GridCell, b: GridCell) -> GridCell:
    first, second = sorted((a, b), key=lambda cell: cell.col)
    return GridCell(first.row, first.col, first.rowspan, first.colspan + second.colspan,
                    BBox(first.bbox.x0, first.bbox.top, second.bbox.x1, first.bbox.bottom))


def _words(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Glyphs grouped into words: runs along a visual line with no gap wider than
    WORD_GAP_SHARE of the glyphs' height."""
    words: list[list[_Glyph]] = []
    for line in _visual_lines(glyphs):
        line = sorted(line, key=lambda g: g.bbox.x0)
        words.append([line[0]])
        for previous, glyph in zip(line, line[1:], strict=False):
            height = max(previous.bbox.height, glyph.bbox.height)
            if glyph.bbox.x0 - previous.bbox.x1 > WORD_GAP_SHARE * height:
                words.append([glyph])
            else:
                words[-1].append(glyph)
    return words


def _slot(grid: Grid, cell: GridCell, word: list[_Glyph]) -> Slot | None:
    """The row of ``cell`` that holds all of ``word`` and the columns it fills: its elementary
    column, or the columns it reaches into when it is a number standing centred across them
    (SPAN_CENTRING); None when it reaches across a row edge or out of ``cell``, or across a
    column edge otherwise (ink read as no character, "?", may be a faded heading's)."""
    box = _extent(word)
    row = min(max(bisect.bisect_right(grid.ys, box.center_y) - 1, cell.row),
              cell.row + cell.rowspan - 1)
    overhang = max(EDGE_SLACK, ROW_OVERHANG_SHARE * box.height)
    if (box.top < grid.ys[row] - overhang or box.bottom > grid.ys[row + 1] + overhang
            or box.x0 < grid.xs[cell.col] - EDGE_SLACK
            or box.x1 > grid.xs[cell.col + cell.colspan] + EDGE_SLACK):
        return None

    def col_at(x: float) -> int:
        return min(max(bisect.bisect_right(grid.xs, x) - 1, cell.col), cell.col + cell.colspan - 1)

    if box.width < 2 * EDGE_SLACK:
        # A stroke as thin as a "1" standing on an inner column edge is what is left of the
        # column line, or a glyph of a cell that spans: it tells no column. Off the edges it
        # stands in the column of its middle.
        inner = grid.xs[cell.col + 1:cell.col + cell.colspan]
        if any(abs(box.center_x - x) <= EDGE_SLACK for x in inner):
            return None
        first = last = col_at(box.center_x)
    else:
        first, last = col_at(box.x0 + EDGE_SLACK), col_at(box.x1 - EDGE_SLACK)
    if first == last:
        return (row, first, last)
    if _word_text(word) == UNREAD_MARK:
        return None
    middle = (grid.xs[first] + grid.xs[last + 1]) / 2
    centred = abs(box.center_x - middle) <= SPAN_CENTRING * (grid.xs[last + 1] - grid.xs[first])
    return (row, first, last) if centred else None


def _misread_digit(word: list[_Glyph], number_height: float) -> bool:
    """Whether ``word`` is Latin letters standing at least MISREAD_DIGIT_HEIGHT_SHARE of
    ``number_height``: the recognizer's reading of what fading left of a digit. Not "i" or
    "j", which is what it reads in two specks one over the other."""
    text = _word_text(word)
    return (_is_letters(text) and not set(text) <= set("ij")
            and _extent(word).height >= MISREAD_DIGIT_HEIGHT_SHARE * number_height)


def _reads_as_digits(word: list[_Glyph], number_height: float) -> bool:
    """A number, digits read with a scrap of border ("0)", "1:"), or letters read for a digit."""
    text = _word_text(word)
    if _is_letters(text):
        return _misread_digit(word, number_height)
    return _is_number_like(text) or _has_digit(text)


def _is_letters(text: str) -> bool:
    return text.isascii() and text.isalpha()


def _word_text(word: list[_Glyph]) -> str:
    return "".join(g.text for g in word)


def _has_digit(text: str) -> bool:
    return any(char.isdigit() for char in text)


def _is_number_like(text: str) -> bool:
    return text == UNREAD_MARK or parse_value(text, ocr=True).kind in (
        ValueKind.NUMBER, ValueKind.DASH, ValueKind.SLASH)


def inside_any(grids: list[Grid], box: BBox) -> bool:
    """Whether the centre of ``box`` lies inside one of ``grids``."""
    return any(g.bbox.contains_point(box.center_x, box.center_y) for g in grids)


def _glyphs(words: list[Word]) -> list[_Glyph]:
    glyphs: list[_Glyph] = []
    for word in words:
        if word.chars:
            glyphs.extend(
                _Glyph(c, box, word.source, word.confidence) for c, box in word.chars if c.strip()
            )
        elif word.text.strip():
            glyphs.append(_Glyph(word.text.strip(), word.bbox, word.source, word.confidence))
    return glyphs


def _hangs_over_top(glyph: BBox, cell: BBox) -> bool:
    """A glyph that crosses its cell's top border overflows from the cell above (a label too
    long for a narrow cell, drawn through the border by the word processor). Only text-layer
    glyphs have boxes exact enough to tell; an OCR box may reach past the border by a point."""
    return glyph.top < cell.top - OVERFLOW_TOLERANCE < glyph.bottom


def _elementary_owner(grid: Grid) -> list[list[int]]:
    """For each elementary (row, col), the index of the spanning cell that covers it."""
    owner = [[-1] * grid.n_cols for _ in range(grid.n_rows)]
    for index, cell in enumerate(grid.cells):
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                owner[r][c] = index
    return owner


def _locate(grid: Grid, owner: list[list[int]], x: float, y: float) -> int | None:
    if not (grid.xs[0] <= x <= grid.xs[-1] and grid.ys[0] <= y <= grid.ys[-1]):
        return None
    col = min(bisect.bisect_right(grid.xs, x) - 1, grid.n_cols - 1)
    row = min(bisect.bisect_right(grid.ys, y) - 1, grid.n_rows - 1)
    index = owner[row][col]
    return index if index >= 0 else None


def _text_cell(cell: GridCell, page: int, glyphs: list[_Glyph], page_source: Source) -> TableCell:
    lines = tuple(_line_text(line) for line in _visual_lines(glyphs))
    source = glyphs[0].source if glyphs else page_source
    confidence = min((g.confidence for g in glyphs), default=1.0)
    return TableCell(
        row=cell.row, col=cell.col, rowspan=cell.rowspan, colspan=cell.colspan,
        bbox=cell.bbox, page=page, lines=lines, source=source, confidence=confidence,
        words=tuple(_cell_word(word) for word in _words(glyphs)),
    )


def _cell_word(glyphs: list[_Glyph]) -> CellWord:
    return CellWord(text=_line_text(glyphs), bbox=_extent(glyphs),
                    confidence=min(g.confidence for g in glyphs))


def _extent(glyphs: list[_Glyph]) -> BBox:
    return BBox(min(g.bbox.x0 for g in glyphs), min(g.bbox.top for g in glyphs),
                max(g.bbox.x1 for g in glyphs), max(g.bbox.bottom for g in glyphs))


def _line_text(line: list[_Glyph]) -> str:
    """A visual line's glyphs joined without a separator, except that recognised numbers
    standing apart (a word gap, :data:`WORD_GAP_SHARE`) keep a space between them: "46 248"
    is two numbers whose column line faded out, not 46248."""
    text = line[0].text
    for previous, glyph in zip(line, line[1:], strict=False):
        apart = (glyph.source is Source.OCR and not has_han(previous.text + glyph.text)
                 and glyph.bbox.x0 - previous.bbox.x1
                 > WORD_GAP_SHARE * max(previous.bbox.height, glyph.bbox.height))
        text += (" " if apart else "") + glyph.text
    return text


def _visual_lines(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    return group_into_lines(glyphs, lambda g: g.bbox)
