"""Cell tables → logical rows (label cells + value cells) and header leaves, page-independent.

A data row is a grid row in which value cells (numbers, blanks, dashes) start to the right of
the row's label cells. Rows above the first data row are the header. A table continued on the
next page arrives as another :class:`CellTable`; :func:`stitch_rows` joins the parts and mends a
row that the page break cut in two.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from giar.geometry import BBox
from giar.layout import Source
from giar.tables.cells import CellTable, TableCell
from giar.tables.values import looks_like_value

# Cells (or tables) whose left and right edges agree within this (points) share their columns.
SAME_COLUMN_TOLERANCE = 3.0


@dataclass(frozen=True, slots=True)
class LogicalRow:
    labels: tuple[TableCell, ...]  # label cells covering the row, left to right
    values: tuple[TableCell, ...]  # value cells starting in the row, left to right

    @property
    def own_label(self) -> str:
        """Text of the innermost (rightmost) non-empty label cell: the row's own label.

        An empty cell right of the label is a split the drawing left in the label area. A
        label cell reaching down from a row above is never the own label of a row whose label
        starts further left in it: labels nest, a group's cell spanning its rows on the left,
        so that is a row line lost in a scan (the label of "5. …" run on over （六）其他处理).
        """
        filled = [c for c in self.labels if c.text]
        latest = max((c.row for c in filled), default=0)
        return next((c.text for c in reversed(filled) if c.row == latest), "")

    @property
    def group_labels(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.labels[:-1])

    @property
    def all_blank(self) -> bool:
        return all(not c.text for c in self.values)


@dataclass(frozen=True, slots=True)
class TablePart:
    """One page's piece of a logical table: its header cells (possibly none) and data rows."""

    table: CellTable
    header: tuple[TableCell, ...]
    rows: tuple[LogicalRow, ...]

    @property
    def page(self) -> int:
        return self.table.page


def split_part(table: CellTable, value_left: float | None = None,
               first_data_row: int | None = None) -> TablePart:
    """Header cells and data rows of one cell table.

    ``value_left``: x from which cells are values (known from a header); without it each row is
    split after its last label-like cell. ``first_data_row``: where the header ends, when the
    caller knows better than the first row that ends in values.
    """
    first = _first_data_row(table) if first_data_row is None else first_data_row
    header = tuple(c for c in table.cells if c.row < first) if first is not None else table.cells
    rows = tuple(
        row
        for r in range(first if first is not None else table.n_rows, table.n_rows)
        if (row := _logical_row(table, r, value_left)).values
    )
    return TablePart(table=table, header=header, rows=rows)


def header_leaves(header: tuple[TableCell, ...]) -> list[TableCell]:
    """Header cells with no header cell below them (the column headings), left to right."""
    leaves = [cell for cell in header
              if not any(other.bbox.top >= cell.bbox.bottom - 1.0
                         and other.bbox.x0 < cell.bbox.x1 - 1.0
                         and other.bbox.x1 > cell.bbox.x0 + 1.0 for other in header)]
    return sorted(leaves, key=lambda c: c.bbox.x0)


def split_wide_leaves(leaves: list[TableCell], rows: Sequence[LogicalRow]) -> list[TableCell]:
    """Header leaves, with a leaf that stands over several value columns cut into one blank
    leaf per column, when the header has fewer leaves than the rows have values.

    A scan whose border faded out between two column headings merges them (法律服务机构 and 其他
    read as one jumble); the data rows below still show both columns. The blank leaves are
    placed by template order, and their cells say so.
    """
    typical = _most_common_widest(Counter(len(row.values) for row in rows))
    if typical is None or len(leaves) >= typical[0]:
        return leaves
    out: list[TableCell] = []
    for leaf in leaves:
        under = [[cell for cell in row.values
                  if leaf.bbox.x0 - 1.0 <= cell.bbox.center_x <= leaf.bbox.x1 + 1.0]
                 for row in rows]
        counts = Counter(len(cells) for cells in under if cells)
        width, seen = _most_common_widest(counts) or (1, 0)
        if width < 2 or 2 * seen < sum(counts.values()):
            out.append(leaf)
            continue
        model = next(cells for cells in under if len(cells) == width)
        out += [replace(leaf, col=cell.col, colspan=1, lines=(),
                        bbox=BBox(cell.bbox.x0, leaf.bbox.top, cell.bbox.x1, leaf.bbox.bottom))
                for cell in model]
    return out


def _most_common_widest(counts: Counter[int]) -> tuple[int, int] | None:
    """The most common count and how often it is seen; of counts seen equally often, the
    largest: of two rows, the one that shows a column line the other lost tells the columns."""
    if not counts:
        return None
    return max(counts.items(), key=lambda item: (item[1], item[0]))


def ancestors(leaf: TableCell, header: tuple[TableCell, ...]) -> list[TableCell]:
    """Header cells above ``leaf`` whose span covers it, top to bottom."""
    above = [
        c for c in header
        if c.bbox.bottom <= leaf.bbox.top + 1.0
        and c.bbox.x0 - 1.0 <= leaf.bbox.center_x <= c.bbox.x1 + 1.0
    ]
    return sorted(above, key=lambda c: c.bbox.top)


def assign_by_position(values: tuple[TableCell, ...], slots: list[TableCell],
                       full_rows: Sequence[Sequence[TableCell]] = ()) -> list[int | None]:
    """Index of the slot (header leaf) each value cell falls under.

    Equal counts map by logical order (spans may differ between header and data rows, SH19);
    otherwise a value cell drawn exactly as one of ``full_rows`` (rows of the same block with
    one value per slot) goes to the slot that cell maps to, and any other to the slot it overlaps
    most. A row line lost under an empty column leaves the row below short of a cell, while
    its other cells keep the spans the row above maps by order.
    """
    if len(values) == len(slots):
        return list(range(len(values)))
    out: list[int | None] = []
    for cell in values:
        twin = next((index for row in full_rows if len(row) == len(slots)
                     for index, other in enumerate(row) if _same_edges(cell, other)), None)
        if twin is not None:
            out.append(twin)
            continue
        overlaps = [
            min(cell.bbox.x1, s.bbox.x1) - max(cell.bbox.x0, s.bbox.x0) for s in slots
        ]
        best = max(range(len(slots)), key=lambda i: overlaps[i]) if slots else None
        out.append(best if best is not None and overlaps[best] > 0 else None)
    return out


def _same_edges(cell: TableCell, other: TableCell) -> bool:
    return (abs(cell.bbox.x0 - other.bbox.x0) <= SAME_COLUMN_TOLERANCE
            and abs(cell.bbox.x1 - other.bbox.x1) <= SAME_COLUMN_TOLERANCE)


def straddles(cell: TableCell, slots: list[TableCell]) -> bool:
    """Whether ``cell`` covers most of two or more slots: with fewer values than slots, a
    border lost from a scan may have merged two value cells ("3" and "0" read as "30"), and
    which column the value belongs to is a guess."""
    covered = [slot for slot in slots
               if min(cell.bbox.x1, slot.bbox.x1) - max(cell.bbox.x0, slot.bbox.x0)
               > 0.5 * (slot.bbox.x1 - slot.bbox.x0)]
    return len(covered) >= 2


def joined_header(parts: list[TablePart]) -> tuple[tuple[TableCell, ...], int]:
    """The header of a table whose header runs over a page break, laid out as on one page, and
    the index of the first part with data rows.

    Parts before it hold only header rows; their cells are moved above the next part's, and a
    cell cut by the break ("自然" / "人", "结/果" / "维/持") is joined with its lower half.
    """
    stacked: list[TableCell] = []
    for index, part in enumerate(parts):
        header = list(part.header)
        stacked = _stack(stacked, header) if stacked else header
        if part.rows:
            return tuple(stacked), index
    return tuple(stacked), len(parts)


def _stack(upper: list[TableCell], lower: list[TableCell]) -> list[TableCell]:
    if not lower:
        return upper
    break_y = max(c.bbox.bottom for c in upper)
    shift = min(c.bbox.top for c in lower) - break_y
    moved = [replace(c, bbox=_shifted(c.bbox, shift)) for c in upper]
    cut = {i for i, c in enumerate(upper) if abs(c.bbox.bottom - break_y) < 1.0}
    out = [c for i, c in enumerate(moved) if i not in cut]
    joined: set[int] = set()
    lower_top = min(c.bbox.top for c in lower)
    for cell in lower:
        half = next((i for i in cut if abs(cell.bbox.top - lower_top) < 1.0
                     and upper[i].bbox.same_x_extent(cell.bbox, SAME_COLUMN_TOLERANCE)
                     and i not in joined), None)
        if half is None:
            out.append(cell)
            continue
        joined.add(half)
        top_half = moved[half]
        out.append(replace(cell, lines=top_half.lines + cell.lines,
                           bbox=top_half.bbox.union(cell.bbox)))
    out.extend(moved[i] for i in cut - joined)
    return out


def _shifted(box: BBox, dy: float) -> BBox:
    return BBox(box.x0, box.top + dy, box.x1, box.bottom + dy)


def stitch_rows(parts: list[TablePart], is_fragment: Callable[[str], bool]) -> list[LogicalRow]:
    """Rows of consecutive parts in order, mending rows cut by a page break.

    ``is_fragment(label) -> bool`` tells whether a continuation row's label is only the tail of
    the previous row's label; such a row is merged into the previous one, cell by cell.
    """
    rows: list[LogicalRow] = []
    for index, part in enumerate(parts):
        part_rows = list(part.rows)
        if index and rows and part_rows and _cut_by_break(rows[-1], part_rows[0], is_fragment):
            rows[-1] = _merge_rows(rows[-1], part_rows.pop(0))
        rows.extend(part_rows)
    return rows


def _first_data_row(table: CellTable) -> int | None:
    for r in range(table.n_rows):
        starting = sorted(table.cells_starting_in(r), key=lambda c: c.col)
        if any(_is_value(c) and c.text for c in starting) and _values_trail(starting):
            return r
    return None


def _is_value(cell: TableCell) -> bool:
    return looks_like_value(cell.text, ocr=cell.source is Source.OCR)


def _values_trail(cells: list[TableCell]) -> bool:
    """Cells after the last label-like cell are all value-like, and there is at least one."""
    last_label = max((i for i, c in enumerate(cells) if not _is_value(c)), default=-1)
    return last_label < len(cells) - 1


def _logical_row(table: CellTable, r: int, value_left: float | None) -> LogicalRow:
    covering = sorted(table.cells_covering(r), key=lambda c: c.col)
    if value_left is not None:
        labels = [c for c in covering if c.bbox.center_x < value_left]
        values = [c for c in covering if c.bbox.center_x >= value_left and c.row == r]
        return LogicalRow(tuple(labels), tuple(values))
    last_label = max((i for i, c in enumerate(covering) if not _is_value(c)), default=-1)
    labels = covering[: last_label + 1]
    values = [c for c in covering[last_label + 1 :] if c.row == r]
    return LogicalRow(tuple(labels), tuple(values))


def _cut_by_break(
    before: LogicalRow, after: LogicalRow, is_fragment: Callable[[str], bool]
) -> bool:
    """Whether ``after`` (first row of a part) is the rest of ``before`` (last row of the
    previous part): same value columns, and a label that is empty or only a tail of a label.

    Word lets a row break across pages: a wrapped label ("…只计这一情" / "形，不计其他情形）") and
    wrapped numbers ("217" / "5") then continue on the next page in a row of their own.
    """
    if len(before.values) != len(after.values) or not after.labels:
        return False
    # Not every number of a row wraps: a cut leaves a blank value cell in one of the halves.
    # Two complete rows (every value printed) are never joined, even when a label is unreadable;
    # nor are two rows where a number of one digit would have wrapped (1 over 46 is no 146).
    if not any(not cell.text for cell in before.values + after.values):
        return False
    if any(upper.text and lower.text and len(upper.text.strip()) < 2
           for upper, lower in zip(before.values, after.values, strict=True)):
        return False
    return not after.labels[-1].text or is_fragment(after.own_label)


def _merge_rows(before: LogicalRow, after: LogicalRow) -> LogicalRow:
    label = before.labels[-1] if before.labels else None
    merged_labels = before.labels
    if label is not None and after.labels:
        merged_labels = before.labels[:-1] + (
            replace(label, lines=label.lines + after.labels[-1].lines),
        )
    merged_values = tuple(
        b if not a.text else a if not b.text else replace(b, lines=b.lines + a.lines)
        for b, a in zip(before.values, after.values, strict=True)
    )
    return LogicalRow(merged_labels, merged_values)
