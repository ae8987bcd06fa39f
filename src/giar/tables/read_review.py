"""Section 四 (行政复议、行政诉讼): 15 counts under a three-level header → canonical cells.

Each header leaf (结果维持…总计) gets its block from the header cells above it (行政复议, or
行政诉讼 → 未经复议直接起诉 | 复议后起诉); vertical one-character-per-line leaves arrive already
joined by the cell assembly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from itertools import combinations
from statistics import median

from giar import canonical as c
from giar.chinese import has_han, label_core, normalize
from giar.geometry import BBox
from giar.layout import Source
from giar.tables.cells import CellTable, TableCell
from giar.tables.labels import AMBIGUITY_MARGIN, MATCH_THRESHOLD, Candidate, align, similarity
from giar.tables.reading import PlacedValue, TableReading, place
from giar.tables.structure import (
    LogicalRow,
    TablePart,
    ancestors,
    assign_by_position,
    header_leaves,
    joined_header,
    split_part,
    split_wide_leaves,
    straddles,
)
from giar.tables.values import ValueKind, looks_like_value

# Similarity from which a header text names a block; a heading whose start faded away
# ("直接起诉" of 未经复议直接起诉) names it too when at least this many characters of its end
# are left.
BLOCK_THRESHOLD = 0.7
BLOCK_END_MIN_CHARS = 4
COLUMN_CANDIDATES = [Candidate(k, (v,)) for k, v in c.REVIEW_COLUMN_LABELS.items()]
# What is left of a faded column line when it is read as a character.
BORDER_MARKS = "|丨!"
_BETWEEN_NUMBERS = re.compile(f"[\\s{re.escape(BORDER_MARKS)}]+")
SLOT_COUNT = len(c.REVIEW_BLOCKS) * len(c.REVIEW_COLUMNS)
ORDERED_KEYS = [(b, col) for b in c.REVIEW_BLOCKS for col in c.REVIEW_COLUMNS]
# A layout of the fifteen columns over merged header leaves is taken only when its label fit
# beats every other layout's by this much.
LAYOUT_MARGIN = 0.25
# Label fit added where a heading above a leaf names the block the layout puts it in.
HEADING_BONUS = 0.5
# A leaf's width per column it is laid over, as multiples of the mean column width; and for
# a leaf laid over several columns, of the median width of the leaves that name one column.
COLUMN_WIDTH_RANGE = (0.5, 2.0)
MERGED_WIDTH_RANGE = (0.8, 1.25)
# A number in a merged cell is placed in a column when its centre lies at least this share of
# the column's width inside it (the columns of a merged leaf are an equal split, not ruled).
CENTRE_INSET = 0.2

# Cell edges of the data row that must lie on one equal grid for the fifteen columns to be
# laid out on it (of the sixteen a whole row has), and how far off the grid an edge may lie
# (a share of the column width) and still be on it.
MIN_GRID_EDGES = 8
GRID_EDGE_TOLERANCE = 0.15
# A word of a header cell run on over the data row is in that row when it lies within the
# row's height, give or take this (points).
RUN_ON_SLACK = 1.0


@dataclass(frozen=True, slots=True)
class _Column:
    """One of the fifteen template columns, laid over the page."""

    key: str
    x0: float
    x1: float
    by_label: bool  # its own header leaf names it


def read_review(tables: list[CellTable]) -> TableReading:
    reading = TableReading(c.REVIEW, None, pages=sorted({t.page for t in tables}))
    parts = [_header_rows_kept(split_part(table)) for table in tables]
    header, _ = joined_header(parts)
    data_rows = [row for part in parts for row in part.rows]
    if not data_rows:
        reading.notes.append("section 四 table has no data row")
        return reading
    if len(data_rows) > 1:
        reading.notes.append(f"section 四 table has {len(data_rows)} data rows; the first is read")
    first = data_rows[0]
    data_row = first.values[0].row
    # The data row has no label cell: a leading cell that reads as a label is a damaged value.
    values = tuple(cell for cell in first.labels + first.values if cell.row == data_row)
    table = next(part.table for part in parts if first in part.rows)
    values = _with_header_cells_run_on(values, table)
    leaves, keys = _slot_keys(header, values)
    if len(leaves) != SLOT_COUNT and (columns := _column_layout(leaves, header)):
        reading.values += _placed_in_columns(values, columns)
        reading.notes.append(f"section 四: {len(leaves)} column headings where {SLOT_COUNT} were "
                             "expected; columns laid out by their labels")
    elif len(leaves) != SLOT_COUNT and len(numbers := _one_per_number(values)) == SLOT_COUNT:
        for cell, (block, col) in zip(numbers, ORDERED_KEYS, strict=True):
            reading.values.append(place(f"{c.REVIEW}.{block}.{col}", cell, False))
    elif any(keys):
        uneven = len(values) != len(leaves)
        for cell, slot in zip(values, assign_by_position(values, leaves), strict=True):
            if slot is not None and keys[slot] is not None:
                block, col, by_label = keys[slot]
                by_label = by_label and not (uneven and straddles(cell, leaves))
                reading.values.append(place(f"{c.REVIEW}.{block}.{col}", cell, by_label))
    if len(leaves) != SLOT_COUNT and (columns := _equal_columns(values)):
        laid_out = _placed_in_columns(values, columns)
        if _agree(laid_out, reading.values) and (
                completed := _completed(reading.values, laid_out)) != reading.values:
            reading.values = completed
            reading.notes.append(f"section 四: {len(leaves)} column headings where {SLOT_COUNT} "
                                 "were expected; columns laid out as equal widths from the lines "
                                 "found")
    if len(leaves) != SLOT_COUNT and not reading.values:
        reading.notes.append(f"section 四: {len(values)} values where {SLOT_COUNT} were expected")
    return reading


def _header_rows_kept(part: TablePart) -> TablePart:
    """``part`` with header rows taken for data rows given back to the header.

    The table has one data row, under headings only; a heading row ending in a misread
    character that looks like a number ("复议后起" and "0 7" for 诉, where a faded column line
    cut 复议后起诉) is taken for a data row. When a later row holds more values and every row
    before it has labels, that row is the data row.
    """
    if len(part.rows) < 2:
        return part
    fullest = max(part.rows, key=lambda row: len(row.values))
    before = part.rows[:part.rows.index(fullest)]
    if not before or not all(row.labels for row in before) or any(
            len(row.values) >= len(fullest.values) for row in before):
        return part
    return split_part(part.table, first_data_row=fullest.values[0].row)


def _agree(laid_out: list[PlacedValue], placed: list[PlacedValue]) -> bool:
    """Whether the equal-width layout reads every column already placed (by its heading, or
    by the count of numbers) from the same printed cell: then it may place the others. (The
    layout may read a number out of a merged cell the heading placed whole.)"""
    by_key = {value.key: value.cell.bbox for value in laid_out}
    return all(value.key in by_key
               and value.cell.bbox.x0 <= by_key[value.key].center_x <= value.cell.bbox.x1
               for value in placed)


def _completed(placed: list[PlacedValue], laid_out: list[PlacedValue]) -> list[PlacedValue]:
    """``placed`` with the columns it lacks taken from ``laid_out``, and a cell it could not
    read as a number ("69 0": two columns' numbers in one merged cell) replaced by the
    number the layout reads from it."""
    by_key = {value.key: value for value in laid_out}
    known = {value.key for value in placed}
    kept = [by_key[value.key] if value.parsed.kind is ValueKind.UNPARSED
            and by_key[value.key].parsed.kind is ValueKind.NUMBER else value
            for value in placed]
    return kept + [value for value in laid_out if value.key not in known]


def _with_header_cells_run_on(values: tuple[TableCell, ...],
                              table: CellTable) -> tuple[TableCell, ...]:
    """The data row with a cell for each header cell of ``table`` that runs on down over it,
    holding that cell's words printed within the row's height when they read as a value.

    Where a scan lost the row line under a heading, the heading's cell reaches down over the
    data row and holds the number printed under it ("结果维持" over a 0). Ink across the
    row's top (specks of the lost line, read as "…") is in no row."""
    row = values[0].row
    top, bottom = min(v.bbox.top for v in values), max(v.bbox.bottom for v in values)
    run_on = []
    for cell in table.cells:
        if not cell.row < row < cell.bottom_row:
            continue
        words = tuple(w for w in cell.words
                      if top - RUN_ON_SLACK <= w.bbox.top and w.bbox.bottom <= bottom + RUN_ON_SLACK)
        text = " ".join(w.text for w in words)
        if words and looks_like_value(text, ocr=cell.source is Source.OCR):
            run_on.append(replace(cell, row=row, rowspan=1, lines=(text,), words=words,
                                  bbox=replace(cell.bbox, top=top, bottom=bottom),
                                  confidence=min(w.confidence for w in words)))
    return tuple(sorted(values + tuple(run_on), key=lambda cell: cell.bbox.x0))


def _equal_columns(values: tuple[TableCell, ...]) -> list[_Column] | None:
    """The fifteen columns as equal widths, fixed by the column lines still found in the
    data row, when neither the labels nor the count of numbers could place them.

    The template draws section 四's fifteen columns equally wide (649 or 650 twips each), and
    a bitonal scan of faded print keeps some column lines and loses others in the header and
    the data row alike. The cell edges that lie on one equal grid give its width and start;
    at least MIN_GRID_EDGES of them must, and none may lie off it except an outer edge (a
    border lost and drawn back at the text): the grid then runs on past that edge to fifteen
    columns. Only recognised cells with word boxes are laid out this way.
    """
    if not values or any(cell.source is not Source.OCR or not cell.words for cell in values):
        return None
    edges = sorted({cell.bbox.x0 for cell in values} | {values[-1].bbox.x1})
    grid = _equal_grid(edges)
    if grid is None:
        return None
    start, width, first, last = grid
    missing = SLOT_COUNT - (last - first)
    off_left, off_right = _off_grid(edges[0], grid), _off_grid(edges[-1], grid)
    if missing < 0 or (missing == 0 and (off_left or off_right)):
        return None
    if missing and off_left == off_right:
        return None  # short of fifteen with no lost border, or two: no side to run on past
    if off_left:
        first -= missing
    elif off_right:
        last += missing
    slack = GRID_EDGE_TOLERANCE * width
    if not start + first * width - slack <= edges[0] < edges[-1] <= start + last * width + slack:
        return None  # run on to fifteen columns, the grid falls short of the table's edge
    lefts = [start + k * width for k in range(first, last)]
    return [_Column(f"{c.REVIEW}.{block}.{col}", x0, x0 + width, False)
            for x0, (block, col) in zip(lefts, ORDERED_KEYS, strict=True)]


def _equal_grid(edges: list[float]) -> tuple[float, float, int, int] | None:
    """(start, width, first, last): the equal grid ``start + k * width`` that the most of
    ``edges`` lie on, with the indexes k of its first and last edge found; None when fewer
    than MIN_GRID_EDGES lie on it or an edge between the outer two lies off it."""
    if len(edges) < MIN_GRID_EDGES:
        return None
    gaps = [b - a for a, b in zip(edges, edges[1:], strict=False)]
    rough = median(gaps)
    singles = [gap / round(gap / rough) for gap in gaps
               if round(gap / rough) >= 1 and _on_grid(gap / rough)]
    if not singles:
        return None
    width = median(singles)
    anchor = max(edges, key=lambda e: sum(_on_grid((x - e) / width) for x in edges))
    on = [x for x in edges if _on_grid((x - anchor) / width)]
    if len(on) < MIN_GRID_EDGES or any(x not in on for x in edges[1:-1]):
        return None
    steps = [round((x - anchor) / width) for x in on]
    width = (on[-1] - on[0]) / (steps[-1] - steps[0])
    return on[0] - steps[0] * width, width, steps[0], steps[-1]


def _on_grid(steps: float) -> bool:
    return abs(steps - round(steps)) <= GRID_EDGE_TOLERANCE


def _off_grid(edge: float, grid: tuple[float, float, int, int]) -> bool:
    start, width, _, _ = grid
    return not _on_grid((edge - start) / width)


def _one_per_number(values: tuple[TableCell, ...]) -> tuple[TableCell, ...]:
    """The data row with each recognised cell that holds several numbers apart on one line
    ("1 0 3": column lines faded out of a scan) cut into one cell per number, left to right.

    Only the template's fixed order can place the pieces, so the caller does that only when
    the count comes out exactly right.
    """
    return tuple(piece for cell in values
                 for piece in (_number_pieces(cell, cell.bbox)
                               if cell.source is Source.OCR else [cell]))


def _number_pieces(cell: TableCell, box: BBox) -> list[TableCell]:
    """``cell``'s numbers apart on one line, one piece each with an equal share of ``box``.

    A stroke between the numbers ("|", a remnant of a lost line, read with or without spaces
    around it: "0|2") is not a number. One number keeps the cell's text as read.
    """
    tokens = [t for t in _BETWEEN_NUMBERS.split(cell.text) if t]
    if len(tokens) < 2:
        return [replace(cell, bbox=box)]
    width = box.width / len(tokens)
    return [replace(cell, lines=(token,), words=(),
                    bbox=replace(box, x0=box.x0 + i * width, x1=box.x0 + (i + 1) * width))
            for i, token in enumerate(tokens)]


def _slot_keys(
    header: tuple[TableCell, ...], values: tuple[TableCell, ...],
) -> tuple[list[TableCell], list[tuple[str, str, bool] | None]]:
    """Header leaves and the (block, column, by_label) each stands for.

    With all 15 leaves, a block whose header is damaged keeps template order for its leaves.
    With fewer or more (column lines lost in a scan's header), only the blocks that still
    show their five leaves under a heading naming them are placed, by their labels; the
    leaves of the others stand for nothing, and their cells are missing.
    """
    leaves = split_wide_leaves(header_leaves(header), [LogicalRow((), values)])
    whole = len(leaves) == SLOT_COUNT
    blocks = [_block_of(leaf, header) for leaf in leaves]
    keys: list[tuple[str, str, bool] | None] = (
        [(b, col, False) for b, col in ORDERED_KEYS] if whole else [None] * len(leaves))
    for block in c.REVIEW_BLOCKS:
        members = [i for i, b in enumerate(blocks) if b == block]
        if len(members) != len(c.REVIEW_COLUMNS):
            continue
        for m in align([leaves[i].text for i in members], COLUMN_CANDIDATES):
            keys[members[m.observed]] = (block, m.key, m.by_label)
    return leaves, keys


def _block_of(leaf: TableCell, header: tuple[TableCell, ...]) -> str | None:
    """Block of a leaf from the innermost header text above it that names a block."""
    named = _naming_heading(leaf, header)
    return None if named is None else named[0]


def _naming_heading(leaf: TableCell, header: tuple[TableCell, ...]) -> tuple[str, TableCell] | None:
    """The block a leaf is under and the innermost header cell above it that names it."""
    for cell in reversed(ancestors(leaf, header)):
        block = _block_named(cell.text)
        if block is not None:
            return block, cell
    return None


def _block_named(text: str) -> str | None:
    scores = {b: similarity(text, label) for b, label in c.REVIEW_BLOCK_LABELS.items()}
    best = max(scores, key=lambda b: scores[b])
    if scores[best] >= BLOCK_THRESHOLD:
        return best
    core = label_core(text)
    ends = [b for b, label in c.REVIEW_BLOCK_LABELS.items()
            if len(core) >= BLOCK_END_MIN_CHARS and label.endswith(core)]
    return ends[0] if len(ends) == 1 else None


def _sticks_out(leaf: TableCell, heading: TableCell, column_width: float) -> bool:
    """Whether the column line at the edge of the block ``heading`` names was lost under it,
    so that ``leaf`` may stand over columns of the next block too: the leaf reaches past the
    heading's sides by at least half a column, or the heading is half a column wider than its
    block's five columns."""
    reach = max(heading.bbox.x0 - leaf.bbox.x0, leaf.bbox.x1 - heading.bbox.x1)
    too_wide = heading.bbox.width >= (len(c.REVIEW_COLUMNS) + 0.5) * column_width
    return reach >= column_width / 2 or too_wide


def _column_layout(leaves: list[TableCell], header: tuple[TableCell, ...]) -> list[_Column] | None:
    """The fifteen template columns laid over header leaves some of which stand over several
    columns: a column line lost from the header and the data row alike merges both, and only
    the labels tell how many columns each leaf covers.

    Every way to cut the fifteen columns, in template order and within blocks (across a
    block's edge only for a leaf reaching past the heading that names its block, see
    :func:`_sticks_out`), into one run per leaf is scored by how well each leaf's characters
    match the labels of its run (taken as multisets: the characters of vertical labels merged
    side by side interleave), plus a bonus where a heading above the leaf names a block of
    the run; a leaf over several columns must be about as wide per column as the leaves that
    name one (a table that lost its first column outright must not have a merged leaf
    stretched over it). The best layout is taken only when it is clearly the best. The
    columns of a merged leaf share its width equally.
    """
    count = len(leaves)
    single_widths = [leaf.bbox.width for leaf in leaves
                     if any(_names_column(leaf.text, col) for col in c.REVIEW_COLUMNS)]
    if not 0 < count < SLOT_COUNT or not single_widths:
        return None
    widths = ((leaves[-1].bbox.x1 - leaves[0].bbox.x0) / SLOT_COUNT, median(single_widths))
    headings = [_naming_heading(leaf, header) for leaf in leaves]
    named = [None if heading is None else heading[0] for heading in headings]
    crossing = [heading is not None and _sticks_out(leaf, heading[1], widths[0])
                for leaf, heading in zip(leaves, headings, strict=True)]
    fits = {(i, a, b): _run_fit(leaf, named[i], a, b, widths, crossing[i])
            for i, leaf in enumerate(leaves)
            for a in range(SLOT_COUNT) for b in range(a + 1, SLOT_COUNT + 1)}
    runs = _clearly_best_runs(fits, count)
    return None if runs is None else [
        column for leaf, (a, b) in zip(leaves, runs, strict=True)
        for column in _split_leaf(leaf, a, b)]


def _clearly_best_runs(fits: dict[tuple[int, int, int], float | None],
                       count: int) -> list[tuple[int, int]] | None:
    """The cut of the fifteen columns into ``count`` runs, one per leaf, whose fits sum
    highest, when no other cut comes within :data:`LAYOUT_MARGIN`; ``fits[(leaf, first,
    end)]`` is None where the leaf cannot stand over that run."""
    scored: list[tuple[float, list[tuple[int, int]]]] = []
    for cuts in combinations(range(1, SLOT_COUNT), count - 1):
        runs = list(zip((0, *cuts), (*cuts, SLOT_COUNT), strict=True))
        run_fits = [fits[(i, a, b)] for i, (a, b) in enumerate(runs)]
        if None not in run_fits:
            scored.append((sum(run_fits), runs))  # type: ignore[arg-type]
    scored.sort(key=lambda item: item[0], reverse=True)
    if not scored or (len(scored) > 1 and scored[0][0] - scored[1][0] < LAYOUT_MARGIN):
        return None
    return scored[0][1]


def _run_fit(leaf: TableCell, named_block: str | None, first: int, end: int,
             widths: tuple[float, float], may_cross: bool = False) -> float | None:
    """How well ``leaf`` fits standing over template columns ``first``..``end - 1``; None when
    it cannot (the run crosses blocks where the leaf does not reach past its heading, or the
    leaf is too narrow or wide for it). ``widths``: the mean column width and the median
    width of the leaves that name one column."""
    blocks = {block for block, _ in ORDERED_KEYS[first:end]}
    if len(blocks) > 1 and not (may_cross and named_block in blocks):
        return None
    per_column = leaf.bbox.width / (end - first)
    (low, high), reference = ((COLUMN_WIDTH_RANGE, widths[0]) if end - first == 1
                              else (MERGED_WIDTH_RANGE, widths[1]))
    if not low * reference <= per_column <= high * reference:
        return None
    labels = "".join(c.REVIEW_COLUMN_LABELS[col] for _, col in ORDERED_KEYS[first:end])
    return _shared_characters(leaf.text, labels) + (HEADING_BONUS if named_block in blocks else 0.0)


def _shared_characters(printed: str, labels: str) -> float:
    """Dice overlap of the Chinese characters of ``printed`` and ``labels`` as multisets."""
    seen = Counter(char for char in normalize(printed) if has_han(char))
    wanted = Counter(labels)
    total = seen.total() + wanted.total()
    return 2 * (seen & wanted).total() / total if total else 0.0


def _split_leaf(leaf: TableCell, first: int, end: int) -> list[_Column]:
    width = leaf.bbox.width / (end - first)
    return [_Column(f"{c.REVIEW}.{block}.{col}", leaf.bbox.x0 + i * width,
                    leaf.bbox.x0 + (i + 1) * width,
                    end - first == 1 and _names_column(leaf.text, col))
            for i, (block, col) in enumerate(ORDERED_KEYS[first:end])]


def _names_column(text: str, column: str) -> bool:
    scores = {col: similarity(text, label) for col, label in c.REVIEW_COLUMN_LABELS.items()}
    rivals = [score for col, score in scores.items() if col != column]
    return scores[column] >= MATCH_THRESHOLD and max(rivals) < scores[column] - AMBIGUITY_MARGIN


def _placed_in_columns(values: tuple[TableCell, ...], columns: list[_Column]) -> list[PlacedValue]:
    """Data cells on the laid-out columns, placed by position where a column was not named by
    its own heading. A cell over one column goes there whole. A cell over several (merged
    with its header) gives its numbers one at a time, each to the column its centre lies well
    inside; without word boxes (a web table), only when it holds one number per column, in
    order. Its columns where no number lies are blank, as a cell read blank is, unless one
    of its numbers lay too near a column's edge to place. A column that gets two readings
    gets none."""
    found: dict[int, list[tuple[TableCell, bool]]] = {}
    for cell in values:
        covered = [i for i, column in enumerate(columns)
                   if _overlap(cell.bbox, column) > 0.5 * (column.x1 - column.x0)]
        if len(covered) <= 1:
            at = _column_at(columns, cell.bbox.center_x, inset=0.0)
            if at is not None:
                found.setdefault(at, []).append((cell, columns[at].by_label))
            continue
        pieces = _pieces_by_position(cell, len(covered))
        spots = [_column_at(columns, piece.bbox.center_x, inset=CENTRE_INSET) for piece in pieces]
        for piece, at in zip(pieces, spots, strict=True):
            if at is not None:
                found.setdefault(at, []).append((_on_column(piece, columns[at]), False))
        if pieces and None not in spots:
            blank = replace(cell, lines=(), words=())
            for at in set(covered) - set(spots):
                found.setdefault(at, []).append((_on_column(blank, columns[at]), False))
    return [place(columns[at].key, *readings[0]) for at, readings in sorted(found.items())
            if len(readings) == 1]


def _on_column(cell: TableCell, column: _Column) -> TableCell:
    return replace(cell, bbox=replace(cell.bbox, x0=column.x0, x1=column.x1))


def _pieces_by_position(cell: TableCell, columns: int) -> list[TableCell]:
    """The numbers of a cell merged over ``columns`` columns, each with a box that tells where
    it is printed: its word's (a share of it for numbers read as one word), or a share of the
    cell's when there are no word boxes and just one number per column."""
    if not cell.words:
        pieces = _number_pieces(cell, cell.bbox)
        return pieces if len(pieces) == columns else []
    return [piece for word in cell.words
            for piece in _number_pieces(replace(cell, lines=(word.text,), words=(word,),
                                                confidence=word.confidence), word.bbox)
            if piece.text.strip(BORDER_MARKS)]


def _overlap(box: BBox, column: _Column) -> float:
    return min(box.x1, column.x1) - max(box.x0, column.x0)


def _column_at(columns: list[_Column], x: float, inset: float) -> int | None:
    for i, column in enumerate(columns):
        margin = inset * (column.x1 - column.x0)
        if column.x0 + margin <= x < column.x1 - margin:
            return i
    return None
