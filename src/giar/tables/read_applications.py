"""Section 三 (收到和处理政府信息公开申请情况): table parts → canonical cells.

The header matrix gives the 7 applicant columns (申请人情况 → 自然人 | 法人或其他组织 → 商业企业…其他 |
总计); the row labels, aligned to the template in order, give the rows and the generation (a
single （六）其他处理 row in 2019, three （六） leaves in 2021).
"""

from __future__ import annotations

import statistics
from dataclasses import replace

from giar import canonical as c
from giar.geometry import BBox
from giar.layout import Source
from giar.tables.cells import CellTable, CellWord, TableCell
from giar.tables.labels import (
    MATCH_THRESHOLD,
    Candidate,
    Match,
    align,
    candidate_score,
    total_score,
)
from giar.tables.reading import TableReading, place
from giar.tables.structure import (
    SAME_COLUMN_TOLERANCE,
    LogicalRow,
    TablePart,
    assign_by_position,
    header_leaves,
    joined_header,
    split_part,
    split_wide_leaves,
    stitch_rows,
    straddles,
)
from giar.tables.values import looks_like_value

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {"commercial_enterprise": ("商业机构",)}
ROW_ALIASES: dict[str, tuple[str, ...]] = {
    "other_no_correction": ("逾期不补正",),
    "other_no_fee": ("逾期不缴费", "逾期未按收费通知要求缴纳费用"),
}

COLUMN_CANDIDATES = [
    Candidate(key, (label, *COLUMN_ALIASES.get(key, ())))
    for key, label in c.APPLICANT_COLUMN_LABELS.items()
]
ROW_CANDIDATES: dict[c.Generation, list[Candidate]] = {
    g: [Candidate(r.key, (r.label, *ROW_ALIASES.get(r.key, ()))) for r in rows]
    for g, rows in c.APPLICATION_ROWS.items()
}
# The rows only one generation has: 2019's single （六）其他处理, 2021's three （六） leaves.
OWN_ROWS: dict[c.Generation, set[str]] = {
    g: {r.key for r in rows} - {r.key for other in c.APPLICATION_ROWS.values() if other is not rows
                                 for r in other}
    for g, rows in c.APPLICATION_ROWS.items()
}
# Alignments whose total scores differ by less than this are a tie...
GENERATION_TIE = 0.5
# ...settled by the rows of one generation when they match this much better than the other's.
DECISIVE_MARGIN = 0.2
# A part on another page lies at most this far (points) off the header's columns, and at
# least this share of the headings' edges line up with its own column edges.
MAX_SHEET_SHIFT = 30.0
LINED_UP_SHARE = 0.6
_ALL_ROW_CANDIDATES = ROW_CANDIDATES[c.Generation.G2019] + ROW_CANDIDATES[c.Generation.G2021][-5:-2]
# The first row of both generations (一、本年新收政府信息公开申请数量).
FIRST_ROW = ROW_CANDIDATES[c.Generation.G2021][0]
# A heading's word is on the first row's line when it lies within the line's height, give or
# take this (points).
FIRST_ROW_SLACK = 2.0
# The corner heading stands over a value column only when it reaches past the row labels by
# at least this share of the typical heading's width: less is a column line of the labels
# drawn a few points off in some rows (a sliver of a column with no number of its own).
CORNER_OVERHANG_SHARE = 0.5


def read_applications(tables: list[CellTable]) -> TableReading:
    reading = TableReading(c.APPLICATIONS, None, pages=sorted({t.page for t in tables}))
    parts, leaves = _parts_and_leaves(tables)
    rows = stitch_rows(parts, _is_label_fragment)
    if not rows:
        reading.notes.append("section 三 table has no data rows")
        return reading
    generation, row_matches, told = _best_generation([r.own_label for r in rows])
    reading.generation = generation
    reading.generation_told = told
    column_keys, columns_by_label = _column_keys(leaves)
    for match in row_matches:
        row = rows[match.observed]
        # a row only one generation has is placed by label only when its label told that
        row_by_label = match.by_label and (told or match.key not in OWN_ROWS[generation])
        for value_cell, col_key, col_by_label in _row_columns(row, leaves, column_keys, columns_by_label):
            key = f"{c.APPLICATIONS}.{match.key}.{col_key}"
            reading.values.append(place(key, value_cell, row_by_label and col_by_label))
    unmatched = sorted(set(range(len(rows))) - {m.observed for m in row_matches})
    for index in unmatched:
        reading.notes.append(f"section 三: row not in the template ignored: {rows[index].own_label!r}")
    return reading


def _parts_and_leaves(tables: list[CellTable]) -> tuple[list[TablePart], list[TableCell]]:
    """Split every page part, using the header's column position for parts that share it."""
    probes = [split_part(table) for table in tables]
    header, first_data = joined_header(probes)
    if first_data == len(probes):
        return probes, []
    header_table = probes[first_data].table
    left_edge = header_table.bbox.x0 + 1.0
    all_leaves = header_leaves(header)
    leaves = [leaf for leaf in all_leaves if leaf.bbox.x0 > left_edge]
    if not leaves:
        return probes, []
    corner = next((leaf for leaf in all_leaves if leaf.bbox.x0 <= left_edge), None)
    first_row = None if corner is None else _first_row_in_header(corner, leaves, probes)
    if corner is not None:
        leaves = _corner_over_values(corner, probes[first_data].rows, leaves) + leaves
    value_left = min(leaf.bbox.x0 for leaf in leaves) - 1.0
    shifts = [_shift_to_headings(table, leaves) for table in tables]
    parts = [split_part(table) if shift is None else split_part(table, value_left + shift)
             for table, shift in zip(tables, shifts, strict=True)]
    if first_row is not None:
        part = parts[first_data]
        parts[first_data] = replace(part, rows=(first_row, *part.rows))
    # Every page's rows tell where the columns are: a column line lost on the page with the
    # header (商业企业 and 科研机构 one heading, over one cell in row 一) stands on the next.
    lined_up = [row for index, (part, shift) in enumerate(zip(parts, shifts, strict=True))
                if shift is not None or index == first_data
                for row in _moved_left(part.rows, shift or 0.0)]
    return parts, split_wide_leaves(leaves, lined_up)


def _moved_left(rows: tuple[LogicalRow, ...], shift: float) -> list[LogicalRow]:
    """``rows`` with their value cells moved ``shift`` points left (onto the headings' x)."""
    return [replace(row, values=tuple(
        replace(cell, bbox=BBox(cell.bbox.x0 - shift, cell.bbox.top, cell.bbox.x1 - shift,
                                cell.bbox.bottom)) for cell in row.values))
            for row in rows]


def _first_row_in_header(corner: TableCell, leaves: list[TableCell],
                         parts: list[TablePart]) -> LogicalRow | None:
    """Row 一 read out of the header, when a scan lost the row line under the header.

    The corner heading then runs on over row 一's label (its last line reads 一、本年新收…) and
    each column heading over the row's number, printed on that line's height. Only where no
    data row has that label, and for recognised text (word boxes tell the line).
    """
    if corner.source is not Source.OCR:
        return None
    line = next((word for word in corner.words if _names_first_row(word.text)), None)
    if line is None or any(_names_first_row(row.own_label) for part in parts for row in part.rows):
        return None
    values = tuple(_word_cell(leaf, word) for leaf in leaves for word in leaf.words
                   if line.bbox.top - FIRST_ROW_SLACK <= word.bbox.top
                   and word.bbox.bottom <= line.bbox.bottom + FIRST_ROW_SLACK
                   and looks_like_value(word.text, ocr=True))
    if not values:
        return None
    return LogicalRow(labels=(_word_cell(corner, line),), values=values)


def _names_first_row(text: str) -> bool:
    """Whether ``text`` reads as row 一's label rather than any other row's (二、上年结转…
    shares most of its characters)."""
    scores = {cand.key: candidate_score(text, cand) for cand in _ALL_ROW_CANDIDATES}
    best = max(scores, key=lambda key: scores[key])
    return best == FIRST_ROW.key and scores[best] >= MATCH_THRESHOLD


def _word_cell(cell: TableCell, word: CellWord) -> TableCell:
    """``cell`` holding only ``word``, drawn around it."""
    return replace(cell, lines=(word.text,), words=(word,), bbox=word.bbox,
                   confidence=word.confidence)


def _corner_over_values(corner: TableCell, rows: tuple[LogicalRow, ...],
                        leaves: list[TableCell]) -> list[TableCell]:
    """The part of the corner heading that reaches right of the row labels, as a blank
    heading, or nothing when it ends where they end (or less than a column, see
    CORNER_OVERHANG_SHARE, past them: ``leaves`` are the column headings).

    Where a scan lost the column line between the row labels and 自然人 in the header, the
    corner cell (the 勾稽关系 note) runs on over the first value column, and that column
    has no heading of its own; its values are then placed by template order and say so.
    """
    label_edges = [row.labels[-1].bbox.x1 for row in rows if row.labels and row.values]
    if not label_edges:
        return []
    labels_right = statistics.median(label_edges)
    column = statistics.median(leaf.bbox.x1 - leaf.bbox.x0 for leaf in leaves)
    if corner.bbox.x1 <= labels_right + max(SAME_COLUMN_TOLERANCE, CORNER_OVERHANG_SHARE * column):
        return []
    return [replace(corner, lines=(), bbox=BBox(labels_right, corner.bbox.top, corner.bbox.x1,
                                                corner.bbox.bottom))]


def _shift_to_headings(table: CellTable, leaves: list[TableCell]) -> float | None:
    """How far right of the headings' columns ``table`` has its own column edges, or None
    when its edges do not line up with most of the headings' edges (another table's part).

    A part of the table on another page is not necessarily at the same x: each sheet of a scan
    lies on the glass a few points off the one before, and where a border faded out of one
    sheet, its table is narrower or wider there. The value columns' edges still line up
    under one shift.
    """
    heading_edges = sorted({leaf.bbox.x0 for leaf in leaves} | {leaf.bbox.x1 for leaf in leaves})
    edges = sorted({cell.bbox.x0 for cell in table.cells} | {cell.bbox.x1 for cell in table.cells})

    def lined_up(shift: float) -> int:
        return sum(any(abs(edge - heading - shift) <= SAME_COLUMN_TOLERANCE for edge in edges)
                   for heading in heading_edges)

    shifts = {round(edge - heading, 1) for edge in edges for heading in heading_edges
              if abs(edge - heading) <= MAX_SHEET_SHIFT}
    best = max(sorted(shifts, key=abs), key=lined_up, default=None)
    if best is None or lined_up(best) < LINED_UP_SHARE * len(heading_edges):
        return None
    return best


def _is_label_fragment(label: str) -> bool:
    return max(candidate_score(label, cand) for cand in _ALL_ROW_CANDIDATES) < MATCH_THRESHOLD


def _best_generation(labels: list[str]) -> tuple[c.Generation, list[Match], bool]:
    """Align the row labels to both generations and keep the better alignment, and say
    whether the rows that differ (（六）) told it by their labels: a label of one generation's
    own rows that fits one of the other's about as well ("（六）其他处", faded, is 2019's
    其他处理 or 2021's 3.其他) tells nothing.

    Alignments that score about the same are told apart by those rows, then by how many rows
    the table has that either template knows (a header row read as a data row is no row of
    either), then by how many rows it has: where faded labels leave too few rows known, a
    table with as many rows as one template is that template's, not the other's missing
    two of its rows.
    """
    results = {g: align(labels, cands) for g, cands in ROW_CANDIDATES.items()}
    scores = {g: total_score(m) for g, m in results.items()}
    generation = max(scores, key=lambda g: scores[g])
    if abs(scores[c.Generation.G2019] - scores[c.Generation.G2021]) < GENERATION_TIE:
        decisive = {g: max((m.score for m in results[g] if m.key in OWN_ROWS[g]), default=0.0)
                    for g in results}
        known = len({m.observed for matches in results.values() for m in matches
                     if m.score >= MATCH_THRESHOLD})
        by_count = {len(rows): g for g, rows in c.APPLICATION_ROWS.items()}
        if abs(decisive[c.Generation.G2019] - decisive[c.Generation.G2021]) >= DECISIVE_MARGIN:
            generation = max(decisive, key=lambda g: decisive[g])
        elif known in by_count:
            generation = by_count[known]
        elif len(labels) in by_count:
            generation = by_count[len(labels)]
    matches = results[generation]
    rivals = [cand for g, cands in ROW_CANDIDATES.items() if g is not generation
              for cand in cands if cand.key in OWN_ROWS[g]]
    told = any(m.by_label and _beats(m.score, labels[m.observed], rivals)
               for m in matches if m.key in OWN_ROWS[generation])
    return generation, matches, told


def _beats(score: float, label: str, rivals: list[Candidate]) -> bool:
    """Whether ``label``'s ``score`` beats its best fit to any of ``rivals`` by DECISIVE_MARGIN."""
    best_rival = max((candidate_score(label, cand) for cand in rivals), default=0.0)
    return score >= best_rival + DECISIVE_MARGIN


def _column_keys(leaves: list[TableCell]) -> tuple[list[str | None], list[bool]]:
    """Canonical column key of each header leaf, and whether its label identified it."""
    if not leaves:
        return [], []
    matches = align([leaf.text for leaf in leaves], COLUMN_CANDIDATES)
    keys: list[str | None] = [None] * len(leaves)
    by_label = [False] * len(leaves)
    for m in matches:
        keys[m.observed] = m.key
        by_label[m.observed] = m.by_label
    return keys, by_label


def _row_columns(
    row: LogicalRow, leaves: list[TableCell], keys: list[str | None], by_label: list[bool]
) -> list[tuple[TableCell, str, bool]]:
    """(value cell, column key, placed by label) for each value cell of a row."""
    if leaves and any(keys):
        slots = assign_by_position(row.values, leaves)
        uneven = len(row.values) != len(leaves)
        return [
            (cell, keys[slot], by_label[slot] and not (uneven and straddles(cell, leaves)))
            for cell, slot in zip(row.values, slots, strict=True)
            if slot is not None and keys[slot] is not None
        ]
    values = row.values[-len(c.APPLICANT_COLUMNS):]
    if len(values) != len(c.APPLICANT_COLUMNS):
        return []
    return [(cell, col, False) for cell, col in zip(values, c.APPLICANT_COLUMNS, strict=True)]
