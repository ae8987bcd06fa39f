"""Section 四 (行政复议、行政诉讼): 15 counts under a three-level header → canonical cells.

Each header leaf (结果维持…总计) gets its block from the header cells above it (行政复议, or
行政诉讼 → 未经复议直接起诉 | 复议后起诉); vertical one-character-per-line leaves arrive already
joined by the cell assembly.
"""

from __future__ import annotations

import re
from dataclasses import replace

from giar import canonical as c
from giar.layout import Source
from giar.tables.cells import CellTable, TableCell
from giar.tables.labels import Candidate, align, similarity
from giar.tables.reading import TableReading, place
from giar.tables.structure import (
    LogicalRow,
    ancestors,
    assign_by_position,
    header_leaves,
    joined_header,
    split_part,
    split_wide_leaves,
    straddles,
)

# Similarity from which a header text names a block.
BLOCK_THRESHOLD = 0.7
COLUMN_CANDIDATES = [Candidate(k, (v,)) for k, v in c.REVIEW_COLUMN_LABELS.items()]
# What is left of a faded column line when it is read as a character.
BORDER_MARKS = "|丨!"
_BETWEEN_NUMBERS = re.compile(f"[\\s{re.escape(BORDER_MARKS)}]+")
SLOT_COUNT = len(c.REVIEW_BLOCKS) * len(c.REVIEW_COLUMNS)
ORDERED_KEYS = [(b, col) for b in c.REVIEW_BLOCKS for col in c.REVIEW_COLUMNS]


def read_review(tables: list[CellTable]) -> TableReading:
    reading = TableReading(c.REVIEW, None, pages=sorted({t.page for t in tables}))
    parts = [split_part(table) for table in tables]
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
    leaves, keys = _slot_keys(header, values)
    if len(leaves) != SLOT_COUNT and len(numbers := _one_per_number(values)) == SLOT_COUNT:
        for cell, (block, col) in zip(numbers, ORDERED_KEYS, strict=True):
            reading.values.append(place(f"{c.REVIEW}.{block}.{col}", cell, False))
    elif any(keys):
        uneven = len(values) != len(leaves)
        for cell, slot in zip(values, assign_by_position(values, leaves), strict=True):
            if slot is not None and keys[slot] is not None:
                block, col, by_label = keys[slot]
                by_label = by_label and not (uneven and straddles(cell, leaves))
                reading.values.append(place(f"{c.REVIEW}.{block}.{col}", cell, by_label))
    if len(leaves) != SLOT_COUNT and not reading.values:
        reading.notes.append(f"section 四: {len(values)} values where {SLOT_COUNT} were expected")
    return reading


def _one_per_number(values: tuple[TableCell, ...]) -> tuple[TableCell, ...]:
    """The data row with each recognised cell that holds several numbers apart on one line
    ("1 0 3": column lines faded out of a scan) cut into one cell per number, left to right.

    Each piece gets an equal share of the cell's box; a stroke between the numbers ("|", a
    remnant of a lost line, read with or without spaces around it: "0|2") is not a number.
    Only the template's fixed order can place the pieces, so the caller does that only when
    the count comes out exactly right.
    """
    pieces: list[TableCell] = []
    for cell in values:
        tokens = [t for t in _BETWEEN_NUMBERS.split(cell.text) if t]
        if cell.source is not Source.OCR or len(tokens) < 2:
            pieces.append(cell)
            continue
        width = cell.bbox.width / len(tokens)
        pieces.extend(
            replace(cell, lines=(token,), bbox=replace(cell.bbox, x0=cell.bbox.x0 + i * width,
                                                         x1=cell.bbox.x0 + (i + 1) * width))
            for i, token in enumerate(tokens))
    return tuple(pieces)


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
    for cell in reversed(ancestors(leaf, header)):
        scores = {b: similarity(cell.text, label) for b, label in c.REVIEW_BLOCK_LABELS.items()}
        best = max(scores, key=lambda b: scores[b])
        if scores[best] >= BLOCK_THRESHOLD:
            return best
    return None
