"""Section 二 (主动公开政府信息情况): 第二十条第（N）项 blocks → canonical cells.

The section is one physical table (often split over pages) made of blocks: a full-width title
row, a header row (信息内容 | column labels), data rows. Header and data rows may span grid
columns differently (SH19), so values map to header labels by logical order within the row.
The generation comes from the column and row labels, not from the year.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field, replace

from giar import canonical as c
from giar.chinese import has_han, label_core, normalize
from giar.geometry import BBox
from giar.layout import Source
from giar.tables.cells import CellTable, CellWord, TableCell
from giar.tables.labels import MATCH_THRESHOLD, Candidate, Match, align, similarity, total_score
from giar.tables.reading import TableReading, place
from giar.tables.structure import LogicalRow, assign_by_position, split_wide_leaves, straddles
from giar.tables.values import UNREAD_MARK, looks_like_value

HEADER_LABEL = "信息内容"
HEADER_THRESHOLD = 0.6
# Score lost when a block's column count differs from the template's for that generation.
COLUMN_COUNT_PENALTY = 1.0
# How much better a row, on average, a block's row labels must fit another sub-table than
# the one its title names for the block to be read as that other one.
ROW_FIT_MARGIN = 0.3
# Cell edges this close (points) are the same line.
EDGE_TOLERANCE = 2.0
ROW_ALIASES = {"normative_documents": ("规范性文件", "行政规范性文件")}
_ROW_LABELS = tuple(
    {row.label for subs in c.ACTIVE_SUBTABLES.values() for sub in subs for row in sub.rows}
    | {alias for aliases in ROW_ALIASES.values() for alias in aliases}
)
_ITEM = re.compile(r"第\(?([一二三四五六七八九十]+)\)?项")


@dataclass
class _Block:
    item: str | None
    header: list[TableCell] = field(default_factory=list)  # value-column headings
    corner: TableCell | None = None  # the 信息内容 heading over the row labels
    rows: list[tuple[TableCell, list[TableCell]]] = field(default_factory=list)
    # Rows whose label cell also covers rows below that hold values of their own: a row line
    # lost in a scan merged labels, so which label goes with which values is unknown.
    merged_rows: set[int] = field(default_factory=set)


def read_active(tables: list[CellTable]) -> TableReading:
    reading = TableReading(c.ACTIVE, None, pages=sorted({t.page for t in tables}))
    blocks = _blocks(tables)
    if not any(b.rows for b in blocks):
        reading.notes.append("section 二 table has no data rows")
        return reading
    scored = {g: _plan(blocks, g) for g in c.ACTIVE_SUBTABLES}
    generation = max(scored, key=lambda g: scored[g][0])
    reading.generation = generation
    plan = [(block, sub, _column_matches(block, sub) if sub is not None else [])
            for block, sub in scored[generation][1]]
    for block, sub, matches in plan:
        if sub is None:
            item = block.item or "?"
            reading.notes.append(f"section 二: block {item} not in the {generation.value} template")
            continue
        _read_block(block, sub, matches, reading, _sibling_headings(block, sub, plan))
    return reading


def _sibling_headings(block: _Block, sub: c.SubTable,
                      plan: list[tuple[_Block, c.SubTable | None, list[Match]]]
                      ) -> list[tuple[str, BBox]]:
    """The value-column headings, each with its column key, that other blocks on the page with
    ``sub``'s columns read by label (2019's 五 and 六 both have 上一年项目数量 | 本年增/减 |
    处理决定数量, printed with the same column lines)."""
    pages = {cell.page for cell in block.header}
    return [(m.key, other.header[m.observed].bbox)
            for other, other_sub, matches in plan
            if other is not block and other_sub is not None
            and list(other_sub.column_labels) == list(sub.column_labels)
            for m in matches
            if m.by_label and other.header[m.observed].page in pages]


def _blocks(tables: list[CellTable]) -> list[_Block]:
    blocks: list[_Block] = []
    for part_index, table in enumerate(tables):
        labels_below: dict[int, TableCell] = {}  # rows whose label a merged label cell gave
        unlabelled: set[int] = set()  # ... one whose words tell no row: labels by order
        for r in range(table.n_rows):
            cells = sorted(table.cells_starting_in(r), key=lambda cell: cell.col)
            if not cells:
                continue
            if r in labels_below and blocks and all(
                    looks_like_value(cell.text, ocr=cell.source is Source.OCR) for cell in cells):
                if r in unlabelled:
                    blocks[-1].merged_rows.add(len(blocks[-1].rows))
                blocks[-1].rows.append((labels_below[r], cells))
                continue
            data = _data_line(cells[0]) if len(cells) == 1 else None
            if data is not None:
                heading, label, values = data
                item = _title_item([heading], table) if heading is not None else None
                if item is not None or not blocks:
                    blocks.append(_Block(item=item or None))
                blocks[-1].rows.append((label, values))
                blocks[-1].merged_rows.add(len(blocks[-1].rows) - 1)
                continue
            item = _title_item(cells, table)
            if item is not None:
                blocks.append(_Block(item=item or None))
            elif _is_header(cells):
                if not blocks or blocks[-1].rows:
                    blocks.append(_Block(item=None))
                corner = cells[0]
                if _covers_other_rows(corner, table):  # the line under 信息内容 faded
                    per_row = _label_per_row(corner, table)
                    if per_row is None:
                        per_row = _blank_label_per_row(corner, table)
                        unlabelled.update(per_row)
                    corner = per_row.pop(r)
                    labels_below.update(per_row)
                blocks[-1].header, blocks[-1].corner = cells[1:], corner
            elif part_index and r == 0 and blocks and _continues_row(blocks[-1], cells):
                label, values = blocks[-1].rows[-1]
                blocks[-1].rows[-1] = (_joined(label, cells[0]),
                                       [_joined(a, b) for a, b in zip(values, cells[1:], strict=True)])
            elif len(cells) >= 2 and (
                    (faded := _faded_label(cells[0], blocks))
                    or not looks_like_value(cells[0].text, ocr=cells[0].source is Source.OCR)):
                if not blocks:
                    blocks.append(_Block(item=None))
                label = _blank(cells[0]) if faded else cells[0]
                if _covers_other_rows(label, table):
                    per_row = _label_per_row(label, table)
                    if per_row is None:
                        per_row = _blank_label_per_row(label, table)
                        unlabelled.update(per_row)
                        blocks[-1].merged_rows.add(len(blocks[-1].rows))
                    label = per_row.pop(r)
                    labels_below.update(per_row)
                blocks[-1].rows.append((label, cells[1:]))
    for block in blocks:
        block.header = _value_headings(block)
    return blocks


def _value_headings(block: _Block) -> list[TableCell]:
    """The block's value-column headings, one per value column the data rows show.

    Where a scan lost the line between 信息内容 and the first column heading, the corner cell
    reaches over that column; and two headings that lost the line between them are one cell.
    When the rows show more values than there are headings, the part of the corner right of
    the row labels becomes a blank heading, and a heading standing over several value columns
    is cut into blank ones (:func:`split_wide_leaves`): their values are placed by template
    order and say so.
    """
    if not block.rows or block.corner is None:
        return block.header
    labels_right = statistics.median(label.bbox.x1 for label, _ in block.rows)
    corner = block.corner
    headings = list(block.header)
    values_per_row = statistics.mode(len(values) for _, values in block.rows)
    if corner.bbox.x1 > labels_right + EDGE_TOLERANCE and len(headings) < values_per_row:
        headings.insert(0, replace(corner, lines=(), bbox=BBox(
            labels_right, corner.bbox.top, corner.bbox.x1, corner.bbox.bottom)))
    rows = [LogicalRow((label,), tuple(values)) for label, values in block.rows]
    return split_wide_leaves(headings, rows)


def _faded_label(cell: TableCell, blocks: list[_Block]) -> bool:
    """Whether ``cell`` is a row label faded past reading (blank, ink read as nothing, or
    recognised as no Chinese at all: "TEY ESET+ X4" for 规范性文件, and every label of the
    template is Chinese): it fills the label column under the block's 信息内容 heading."""
    corner = blocks[-1].corner if blocks else None
    unreadable = cell.text in ("", UNREAD_MARK) or (
        cell.source is Source.OCR and not has_han(cell.text))
    return (corner is not None and unreadable
            and abs(cell.bbox.x0 - corner.bbox.x0) <= EDGE_TOLERANCE
            and abs(cell.bbox.x1 - corner.bbox.x1) <= EDGE_TOLERANCE)


def _blank(label: TableCell) -> TableCell:
    return replace(label, lines=(), words=())


def _blank_label_per_row(label: TableCell, table: CellTable) -> dict[int, TableCell]:
    """A blank label for each row a merged label cell covers that holds values: with the
    words telling no row, the rows take the template's labels by order (a merged label's text
    would draw its first row to the lower row's label: 行政处罚行政强制)."""
    return {r: replace(_blank(label), row=r, rowspan=1) for r in range(label.row, label.bottom_row)
            if r == label.row or table.cells_starting_in(r)}


def _label_per_row(label: TableCell, table: CellTable) -> dict[int, TableCell] | None:
    """A label cell over several rows of values cut into one label per row, when its words
    say which row each belongs to; None when they do not.

    A row line lost in the label column only merges the labels of two rows (规章 over
    行政规范性文件) while each row keeps its values. Each label is still printed within its
    own row: every word must lie within one row's height (:data:`EDGE_TOLERANCE`), and every
    row must get a word.
    """
    bands: dict[int, tuple[float, float]] = {}
    for r in range(label.row, label.bottom_row):
        starting = [cell for cell in table.cells_starting_in(r) if cell is not label]
        if not starting:
            return None
        bands[r] = (min(c.bbox.top for c in starting), max(c.bbox.bottom for c in starting))
    words: dict[int, list[CellWord]] = {r: [] for r in bands}
    for word in label.words:
        row = next((r for r, (top, bottom) in bands.items()
                    if top - EDGE_TOLERANCE <= word.bbox.top
                    and word.bbox.bottom <= bottom + EDGE_TOLERANCE), None)
        if row is None:
            return None
        words[row].append(word)
    if not all(words.values()):
        return None
    return {r: replace(label, row=r, rowspan=1, lines=tuple(w.text for w in words[r]),
                       words=tuple(words[r]),
                       bbox=replace(label.bbox, top=bands[r][0], bottom=bands[r][1]))
            for r in bands}


def _covers_other_rows(label: TableCell, table: CellTable) -> bool:
    return any(table.cells_starting_in(r) for r in range(label.row + 1, label.bottom_row))


def _continues_row(block: _Block, cells: list[TableCell]) -> bool:
    """A first row of a page part that is the rest of a row cut by the page break: same value
    columns as the last row and a label that is empty or names no row of the template."""
    if not block.rows or len(block.rows[-1][1]) != len(cells) - 1:
        return False
    label = cells[0].text
    return not label or max(similarity(label, row) for row in _ROW_LABELS) < MATCH_THRESHOLD


def _joined(upper: TableCell, lower: TableCell) -> TableCell:
    return replace(upper, lines=upper.lines + lower.lines)


def _title_item(cells: list[TableCell], table: CellTable) -> str | None:
    """The item numeral of a 第二十条第（N）项 title row; "" for an unreadable title; None if not a title.

    A scan can cut a title in two: a column line running on through the title row across the
    "(" of "(五)", which bridges the break. The pieces of such a row, none a value, still read
    as one title.
    """
    if len(cells) != 1:
        if any(looks_like_value(cell.text, ocr=cell.source is Source.OCR) for cell in cells):
            return None
        match = _ITEM.search(normalize("".join(cell.text for cell in cells)))
        return match.group(1) if match else None
    text = normalize(cells[0].text)
    match = _ITEM.search(text)
    if match:
        return match.group(1)
    spans_table = cells[0].bbox.width >= table.bbox.width - 2.0
    return "" if spans_table and "条" in text else None


def _data_line(cell: TableCell) -> tuple[TableCell | None, TableCell, list[TableCell]] | None:
    """A row's only cell (one spanning the block's width) whose last line is a data row (a
    label, then numbers right of it), cut into what stands above that line (None when
    nothing), the label and the numbers; None for any other cell.

    A scan that lost the lines of the smallest block (行政事业性收费 under its heading) leaves
    heading and data row in one cell. Which column each number is in is then by order, so
    the row counts as merged and is flagged. Marks that are neither words nor numbers (a "!"
    left of the lost column line) are left out.
    """
    words = [w for w in cell.words if any(char.isalnum() for char in w.text)]
    values = [w for w in words if looks_like_value(w.text, ocr=True)]
    if len(words) < 2 or not values:
        return None
    last = max(values, key=lambda word: word.bbox.bottom).bbox
    on_line = [w for w in words if min(w.bbox.bottom, last.bottom) - max(w.bbox.top, last.top)
               >= 0.5 * min(w.bbox.height, last.height)]
    if any(w.bbox.top >= last.bottom for w in words):
        return None
    numbers = sorted((w for w in on_line if looks_like_value(w.text, ocr=True)),
                     key=lambda word: word.bbox.x0)
    labels = [w for w in on_line if w not in numbers]
    if (not labels or not all(has_han(w.text) for w in labels)
            or max(w.bbox.x1 for w in labels) > numbers[0].bbox.x0):
        return None
    above = [w for w in words if w not in on_line]
    return (_piece(cell, above) if above else None, _piece(cell, labels),
            [_piece(cell, [number]) for number in numbers])


def _piece(cell: TableCell, words: list[CellWord]) -> TableCell:
    """The part of ``cell`` holding ``words``, boxed where they stand."""
    box = BBox(min(w.bbox.x0 for w in words), min(w.bbox.top for w in words),
               max(w.bbox.x1 for w in words), max(w.bbox.bottom for w in words))
    return replace(cell, lines=tuple(w.text for w in words), words=tuple(words), bbox=box,
                   confidence=min(w.confidence for w in words))


def _is_header(cells: list[TableCell]) -> bool:
    """A block's header row: 信息内容 first, alone or run on into the first column heading
    where the line between them faded (信息内容上一年项目数量); or, whatever the first cell
    reads ("Ye内容" on a faded scan), column headings of the template in every other cell."""
    first = cells[0].text
    return (similarity(first, HEADER_LABEL) >= HEADER_THRESHOLD
            or label_core(first).startswith(HEADER_LABEL)
            or (len(cells) >= 2 and all(_is_column_heading(cell.text) for cell in cells[1:])))


_COLUMN_HEADINGS = tuple({*c.ACTIVE_COLUMN_LABELS_2021.values(),
                          *c.ACTIVE_COLUMN_LABELS_2019.values()})


def _is_column_heading(text: str) -> bool:
    return has_han(text) and max(similarity(text, heading)
                                 for heading in _COLUMN_HEADINGS) >= HEADER_THRESHOLD


_Plan = list[tuple[_Block, c.SubTable | None]]


def _plan(blocks: list[_Block], generation: c.Generation) -> tuple[float, _Plan]:
    """Pair each block with the generation's sub-table and score how well the labels agree."""
    subs = c.ACTIVE_SUBTABLES[generation]
    by_item = {sub.item: sub for sub in subs}
    score = 0.0
    plan: _Plan = []
    for index, block in enumerate(blocks):
        if block.item is not None:
            sub = by_item.get(block.item)
        else:
            sub = subs[index] if index < len(subs) else None
        sub = _named_by_rows(block, sub, subs)
        if sub is None:
            score -= COLUMN_COUNT_PENALTY
        else:
            score += _block_score(block, sub)
        plan.append((block, sub))
    return score, plan


def _named_by_rows(block: _Block, sub: c.SubTable | None,
                   subs: list[c.SubTable]) -> c.SubTable | None:
    """The sub-table whose row labels ``block``'s rows read as, where they fit it better than
    ``sub`` (the one its title or its place names) by ROW_FIT_MARGIN a row: a misread title
    numeral (六 read as 八) names the wrong block, while the row labels of the blocks of one
    generation share no word (行政处罚 is only ever in 六)."""
    if not block.rows:
        return sub
    best = max(subs, key=lambda other: _row_fit(block, other))
    if sub is None or _row_fit(block, best) >= _row_fit(block, sub) + ROW_FIT_MARGIN:
        return best if _row_fit(block, best) >= MATCH_THRESHOLD else sub
    return sub


def _row_fit(block: _Block, sub: c.SubTable) -> float:
    return total_score(_row_matches(block, sub)) / len(block.rows)


def _block_score(block: _Block, sub: c.SubTable) -> float:
    score = total_score(_column_matches(block, sub)) + total_score(_row_matches(block, sub))
    if block.header and len(block.header) != len(sub.column_labels):
        score -= COLUMN_COUNT_PENALTY
    return score


def _column_matches(block: _Block, sub: c.SubTable) -> list[Match]:
    candidates = [Candidate(k, (v,)) for k, v in sub.column_labels.items()]
    return align([cell.text for cell in block.header], candidates)


def _row_matches(block: _Block, sub: c.SubTable) -> list[Match]:
    candidates = [Candidate(r.key, (r.label, *ROW_ALIASES.get(r.key, ()))) for r in sub.rows]
    return align([label.text for label, _ in block.rows], candidates)


def _read_block(block: _Block, sub: c.SubTable, column_matches: list[Match],
                reading: TableReading, siblings: list[tuple[str, BBox]]) -> None:
    """Place ``block``'s values; ``column_matches``: its headings' (:func:`_column_matches`),
    ``siblings``: as :func:`_sibling_headings` gives them."""
    columns = list(sub.column_labels)
    column_of: list[tuple[str, bool] | None]
    if block.header:
        column_of = [None] * len(block.header)
        for m in column_matches:
            column_of[m.observed] = (m.key, m.by_label)
        column_of = _blank_headings_named(block.header, column_of, siblings)
    else:
        reading.notes.append(f"section 二: block {sub.item} has no header row; columns by order")
    for m in _row_matches(block, sub):
        label, values = block.rows[m.observed]
        if block.header:
            slots = assign_by_position(tuple(values), block.header,
                                       [row_values for _, row_values in block.rows])
            placed = [
                (cell, _doubted(column_of[slot], cell, values, block.header))
                for cell, slot in zip(values, slots, strict=True)
                if slot is not None and column_of[slot] is not None
            ]
        else:
            placed = [(cell, (col, False)) for cell, col in zip(values, columns, strict=False)]
        row_by_label = m.by_label and m.observed not in block.merged_rows
        for cell, (col, col_by_label) in placed:
            key = f"{c.ACTIVE}.{m.key}.{col}"
            reading.values.append(place(key, cell, row_by_label and col_by_label))


def _blank_headings_named(header: list[TableCell], column_of: list[tuple[str, bool] | None],
                          siblings: list[tuple[str, BBox]]) -> list[tuple[str, bool] | None]:
    """``column_of`` with each heading that has no words (a faded one, or the part of the
    corner right of the row labels) given the column of the sibling block's heading it
    overlaps most across, when no heading of its own block was read as that column; still
    not placed by label. Template order alone would give it the first column left over: the
    2019 corner over 上一年项目数量 whose values faded stood over 本年增/减's."""
    if not siblings:
        return column_of
    named = list(column_of)
    taken = {column[0] for column in named if column is not None and column[1]}
    for index, heading in enumerate(header):
        if has_han(heading.text):
            continue
        key, box = max(siblings, key=lambda sibling: _overlap(sibling[1], heading.bbox))
        if _overlap(box, heading.bbox) > 0 and key not in taken:
            named = [None if column is not None and column[0] == key else column
                     for column in named]
            named[index] = (key, False)
            taken.add(key)
    return named


def _overlap(a: BBox, b: BBox) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _doubted(column: tuple[str, bool], cell: TableCell, values: list[TableCell],
             header: list[TableCell]) -> tuple[str, bool]:
    """``column``, no longer counted as placed by label when the value straddles columns."""
    key, by_label = column
    return key, by_label and not (len(values) != len(header) and straddles(cell, header))
