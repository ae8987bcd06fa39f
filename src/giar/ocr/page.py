"""One page image → :class:`giar.layout.PageLayout` by OCR.

prepare (orientation, deskew, light) → raster rulings → shared grid detection → per-cell
reading → text outside the tables. Inside a cell the ink's row profile decides how to read:
one line of text goes to the recognizer alone (batched over the page, ~10× cheaper than
detection); several lines, vertical one-character-per-line headers and numbers wrapped in
narrow cells go through detection + recognition so each line comes out as its own word,
and the shared cell-text assembly rebuilds "结果维持" / "1390" from their boxes.

Coordinates: the upright, deskewed page in points (see :mod:`giar.ocr.preprocess`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

import cv2
import numpy as np

from giar.chinese import has_han
from giar.geometry import BBox
from giar.layout import PageLayout, Ruling, Source, Word
from giar.ocr.components import runs
from giar.ocr.engines import OcrEngine, RecognizedText
from giar.ocr.glyphs import FadedReading, GlyphBook, HeldCell
from giar.ocr.preprocess import (
    PreparedPage,
    bbox_to_pixel_box,
    ink_mask,
    is_upside_down,
    pixel_box_to_bbox,
    prepare_page,
    reads_upright,
    rotate_quarter_turns,
    turn_half,
)
from giar.ocr.raster_rulings import detect_rulings, line_ink, line_masks
from giar.tables.grid import Grid, detect_grids
from giar.tables.values import UNREAD_MARK, ValueKind, parse_value

# A cell's text is read inside its borders shrunk by this much (ruling ink stays out).
T = TypeVar("T")

CELL_INSET_PT = 1.5
# Fewer ink pixels than this in a cell: empty (scan dust).
MIN_CELL_INK_PIXELS = 12
# Ink rows of one text line; a single band taller than this holds several touching lines.
MAX_LINE_HEIGHT_PT = 16.0
# The same for running text outside the tables, set in larger type (仿宋 16 pt is common).
MAX_PROSE_LINE_HEIGHT_PT = 24.0
# White margin around a crop, as a share of its height (the recognizer wants some paper).
CROP_MARGIN_RATIO = 0.2
# The second framing of a number on a bitonal page (see check_numbers).
SECOND_MARGIN_RATIO = 0.6
# Outside the tables, ink strips closer than this are read together.
STRIP_GAP_PT = 12.0
# With no one-line cell to measure, text lines are taken to be this tall (body text).
DEFAULT_LINE_HEIGHT_PT = 10.0
# A band thinner than this share of the typical line height is a piece of a character.
MIN_LINE_SHARE = 0.6
# Ink in which detection finds nothing is read as one line when it is at most these shares of
# the typical line height tall and wide (the pieces of a number broken by fading; not a
# stray band of shadow across the page, which would also make its batch slow).
MENDED_LINE_SHARE = 1.3
MENDED_MAX_WIDTH_SHARE = 6.0
# A detected box this much taller than wide is a vertical one-character-per-line column.
UPRIGHT_BOX_RATIO = 1.5
# An upright box narrower than this is one narrow glyph ("1"), not a column of characters
# (a Han character in a vertical header is at least about 7 pt wide).
NARROW_GLYPH_PT = 4.0
# Recognitions below this confidence are dropped as noise (the engine's own default is 0.5).
MIN_WORD_CONFIDENCE = 0.3
# A row label and its value in one line (their column line lost, see _labels_kept_apart):
# the gap between them at least this many line heights; the characters of a label stand
# well under one apart.
LABEL_NUMBER_GAP_SHARE = 3.0
# ... a thin stroke between them (at most this share of a line height wide), this share of a
# line height or more before the number, is what is left of the lost line.
LINE_SCRAP_WIDTH_SHARE = 0.15
LINE_SCRAP_GAP_SHARE = 0.5
# Ink shorter than this (points) is not a line of text (a dash, a dot).
MIN_TEXT_HEIGHT_PT = 4.0
# Ruling lines are painted out this wide (points) before cells are read, and so is line-shaped
# ink within this distance of them.
RULING_ERASE_PT = 1.6
RULING_NEIGHBOURHOOD_PT = 5.0
# A lone stroke at most this share of a text line tall and this many times wider than tall
# is a dash; a stroke this tall, at least this wide for its height, whose ink runs from
# bottom-left to top-right with at least this correlation is a slash.
DASH_MAX_HEIGHT_SHARE = 0.3
DASH_MIN_ASPECT = 2.0
SLASH_MIN_HEIGHT_SHARE = 0.6
SLASH_MIN_ASPECT = 0.3
SLASH_MIN_CORRELATION = 0.85
# A slash whose middle faded lies in pieces one over the other, in no more than this share
# of a text line's height (two lines of text are twice as tall).
SLASH_MAX_HEIGHT_SHARE = 1.5
# A page's own dashes: a short hyphen blurred by a grey scan can come out of the ink threshold
# less than DASH_MIN_ASPECT times wider than tall (5 by 3 pixels at 200 DPI), and toner spread
# on a bitonal one thickens a hyphen to less than that. A lone flat stroke (at least
# DASH_PEER_MIN_ASPECT times wider than tall, at most DASH_MAX_HEIGHT_SHARE of a line tall)
# is a dash when it is at most DASH_PEER_HEIGHT_PX taller than the page's dashes and within
# DASH_PEER_WIDTH_SHARE of their median width either way. The page's dashes are those of the
# first kind when it has at least DASH_MIN_PEERS of them, else its flat strokes when it has at
# least DASH_MIN_POPULATION.
# On a bitonal page the scraps of a faded 0 are flat strokes too, so the dashes told this
# way are read there at DISAGREEING_CONFIDENCE (warned about).
DASH_MIN_PEERS = 2
DASH_MIN_POPULATION = 4
DASH_PEER_MIN_ASPECT = 1.25
DASH_PEER_HEIGHT_PX = 1
DASH_PEER_WIDTH_SHARE = 1.5
# A line read with less confidence than this is read again with its strokes mended; when the
# two readings differ, the surer one is kept at no more than DISAGREEING_CONFIDENCE.
REREAD_BELOW = 0.9
DISAGREEING_CONFIDENCE = 0.85
MEND_KERNEL_PX = 2
MEND_BLUR_PT = 0.2
# A number on a bitonal page whose ink falls into more pieces bigger than this (square points)
# than it has characters is a broken glyph: its reading is kept at no more than
# DISAGREEING_CONFIDENCE (see flag_broken_numbers).
BROKEN_PIECE_MIN_PT2 = 2.0
# A number whose digits stand apart, one piece of ink each, and one of them is shorter than
# this share of the tallest lost part of that digit: a 9 that lost its top arc is a sure "4".
SHORT_DIGIT_SHARE = 0.8
# Letters that are a 0's own shape: read alone in a cell, they are no misread glyph.
ROUND_ZERO = frozenset("Oo")
# Confidence given to a dash or slash recognised from its shape.
PLACEHOLDER_CONFIDENCE = 0.95
# A cell's ink is pale when its darkest pixel is at least this grey (the paper is 255 on the
# normalised page): grey or colour print whose toner faded, of which the page's ink threshold
# kept only pieces (a stroke of a "6", read "1"; the "+" and specks of a "+2", read "49").
# Its strokes are then what is darker than halfway from that pixel to the cell's paper.
PALE_INK_DARKEST = 110
# A cell whose ink is at least character-sized (this tall, this many square points of ink)
# but yields no text is marked UNREAD_MARK at confidence 0: printed but unreadable, never
# quietly blank.
UNREAD_MIN_HEIGHT_PT = 4.0
UNREAD_MIN_INK_PT2 = 3.0
# A cell the ink threshold leaves blank but that holds a mark darker than this grey level (the
# paper is 255 on the normalised page), at most this many times wider than tall and centred
# within this share of the cell's width (numbers are centred; show-through falls anywhere), is
# read again from a contrast-stretched crop. What it yields is capped at FAINT_CONFIDENCE, so
# it always carries a low-confidence warning; a mark that yields nothing becomes UNREAD_MARK.
FAINT_INK_LEVEL = 225
FAINT_MAX_ASPECT = 4.0
FAINT_MAX_OFFCENTRE = 0.2
FAINT_CONFIDENCE = 0.5
# Confidence given to a number read from a bitonal page's scraps against the document's own
# glyphs (see giar.ocr.glyphs): a reading from damaged ink, always flagged.
FADED_CONFIDENCE = 0.5
# A number read as "1" from pieces standing side by side, each over this share of the ink's
# height, is no 1 and is read against the glyphs like a number read as nothing.
SIDE_BY_SIDE_HEIGHT_SHARE = 0.5
# Pale pieces smaller than this (pixels) are grain.
FAINT_MIN_PIECE_PIXELS = 4
# A column line lost along a stretch of a table is put back when at least this many rows of
# the column, and this share of its inked rows over that stretch, hold two groups of ink at
# most this many times as wide as tall, with the gaps between them sharing a stretch within
# this share of the column's width from its middle, each number centred in its side of the
# line within this share of that side's width.
LOST_LINE_MIN_ROWS = 2
LOST_LINE_CENTRING = 0.25
LOST_LINE_SHARE = 0.6
NUMBER_MAX_WIDTH_SHARE = 4.0
LOST_LINE_OFFCENTRE = 0.25
# A table's lost outer columns (see lost_outer_columns): the outermost column shares its
# width, within this share of it, with the column next to it or with this many others (a
# column line lost inside the table merges the next two); a row line within this distance
# (points) of the table's height covers at least this share of the column put back, and ink
# stands in it in at least this many of the table's rows; at most this many columns are put
# back on a side.
OUTER_PITCH_TOLERANCE = 0.12
OUTER_PITCH_PEERS = 2
OUTER_ROW_LINE_SLACK_PT = 2.0
OUTER_RULED_SHARE = 0.5
OUTER_MIN_INKED_ROWS = 2
OUTER_MAX_COLUMNS = 6
# A table's lost first or last row (see lost_outer_rows): its far line lies this many points
# beyond the grid, a row line there covers this share of the table's width, and lines are the
# same line this close (points).
OUTER_ROW_MIN_PT = 9.0
OUTER_ROW_MAX_PT = 60.0
OUTER_ROW_RULED_SHARE = 0.5
OUTER_SNAP_PT = 3.0
# A table continued from the page before (see columns_of_earlier_table): its side borders
# lie within this many points of the earlier table's (a sheet lies a little differently on
# the glass each time), its width within this many points of the earlier table's, and its
# own column lines within that of lines of the earlier table.
CONTINUED_SHIFT_PT = 12.0
CONTINUED_WIDTH_PT = 3.0
# What a faded border leaves along a cell edge: dashes at most this long (points). A longer
# unbroken stroke on the edge is a glyph ("1"), and the cell is not cut there.
BORDER_DASH_PT = 3.0

# A thin upright stroke within this distance (points) of a cell's side, standing apart from
# the rest of the cell's ink by at least this much paper, at most this wide and at least
# this share of the rest's height, is a piece of a bent border the painting-out missed.
EDGE_STROKE_ZONE_PT = 2.5
EDGE_STROKE_MIN_GAP_PT = 3.0
EDGE_STROKE_MAX_WIDTH_PT = 2.5
# Characters of one line of text stand at most this far apart (points; a heading's bold
# characters about 2); text in two cells stands twice a cell's inner margin (5 pt) apart.
CHARACTER_GAP_PT = 3.0
EDGE_STROKE_MIN_HEIGHT_SHARE = 0.6
# A thin upright stroke inside a cell, inked over at least this share of the cell's height
# and at least this many points of it, or this many times as tall as the cell's other ink,
# is a column line the rulings missed (thin, or broken into dashes where it faded), not a
# glyph: no character of a cell's text is that tall, nor a "1" taller than the digits beside it.
# Where a row line was lost too, the cell runs on over the row above, and the stroke inks
# only part of its height: it is a column line still when it is this many times as tall as
# the tallest glyph of the cell wider than a stroke (a "0" beside it) and at least this tall
# (points; the "1" of "+1" is twice as tall as its "+").
STRAY_LINE_MIN_SHARE = 0.75
STRAY_LINE_MIN_PT = 14.0
STRAY_LINE_TEXT_RATIO = 1.15
STRAY_LINE_GLYPH_RATIO = 1.5
STRAY_LINE_PART_MIN_PT = 10.0


@dataclass(frozen=True, slots=True)
class InkRegion:
    """A rectangle of the working image in pixels (x0, top inclusive; x1, bottom exclusive)."""

    x0: int
    top: int
    x1: int
    bottom: int

    @property
    def height(self) -> int:
        return self.bottom - self.top


def ocr_page(image: np.ndarray, dpi: float, number: int, engine: OcrEngine,
             glyph_book: GlyphBook | None = None,
             earlier: list[float] | None = None) -> PageLayout:
    """Read a grayscale (or BGR) page image scanned at ``dpi`` as page ``number`` (1-based).
    ``earlier``: the column edges of the last table on the page before, which lends a table
    running on over the page break the column lines this scan lost.

    With ``glyph_book``, a bitonal page's numbers read sure teach it their glyphs, and its
    cells with ink not read as a sure number are held in it (see :func:`read_faded_cells`).
    Not other pages: their ink mask keeps the grey edges of strokes, and on the unseen
    bench's grey and colour scans the matching turned two cells right and one null into a
    wrong number.
    """
    gray = image if image.ndim == 2 else image.mean(axis=2).astype(np.uint8)
    read = read_upright(gray, dpi, number, engine, lambda view: _read_view(view, engine),
                        lambda read: _line_readings(read.cell_words + read.outside_words),
                        earlier)
    view = read.view
    if glyph_book is not None and view.prepared.bitonal:
        _fill_glyph_book(glyph_book, view, read.areas, read.trimmed, read.cell_words, number)
    return PageLayout(
        number=number, width=view.prepared.width_points, height=view.prepared.height_points,
        words=read.cell_words + read.outside_words, rulings=view.rulings, method=Source.OCR,
        dpi=view.prepared.dpi,
    )


@dataclass(frozen=True)
class _ViewReading:
    view: PageView  # as read: its stray lines cleared
    areas: list[InkRegion]  # the cells' areas
    trimmed: list[InkRegion]  # ... without the strokes along their edges
    cell_words: list[Word]
    outside_words: list[Word]


def _read_view(view: PageView, engine: OcrEngine) -> _ViewReading:
    areas = _cell_areas(view)
    view = _without_stray_lines(view, areas)
    view = replace(view, ink=with_pale_strokes(view.text_gray, view.ink, areas))
    trimmed = [without_edge_strokes(view.ink, area, view.prepared.dpi) for area in areas]
    return _ViewReading(view, areas, trimmed, _read_cells(view, engine, areas, trimmed),
                        _read_outside_tables(view, engine))


def _line_readings(words: list[Word]) -> list[tuple[float, float, str, float]]:
    return [(word.bbox.width, word.bbox.height, word.text, word.confidence) for word in words]


@dataclass(frozen=True)
class PageView:
    """A prepared page with its ink, rulings and tables, and the page with tables blanked."""

    prepared: PreparedPage
    text_gray: np.ndarray  # the prepared page with its ruling lines painted out
    ink: np.ndarray
    rulings: list[Ruling]
    grids: list[Grid]
    outside_gray: np.ndarray
    outside_ink: np.ndarray


def read_upright(gray: np.ndarray, dpi: float, number: int, engine: OcrEngine,
                 read: Callable[[PageView], T],
                 lines_read: Callable[[T], list[tuple[float, float, str, float]]],
                 earlier: list[float] | None = None) -> T:
    """Prepare the page and find its tables, put back the column lines the last table of the
    page before lends (``earlier``: its column edges, see :func:`columns_of_earlier_table`),
    and ``read`` it. When what was read (``lines_read``: each line's width, height, text and
    confidence) leaves the page in doubt (:func:`reads_upright`) and :func:`is_upside_down`
    finds it upside down, it is read again turned by 180°. The words read settle most pages,
    so the test's own crops (an eighth of a page's recognition) are read only on the rest."""
    analysed = _analyse(prepare_page(gray, dpi), number)
    reading = read(_with_lent_columns(analysed, earlier, number))
    if reads_upright(lines_read(reading)) or not is_upside_down(_sample_lines(analysed), engine):
        return reading
    return read(_with_lent_columns(_turned_half(analysed, number), earlier, number))


def upright_page(gray: np.ndarray, dpi: float, number: int, engine: OcrEngine,
                 earlier: list[float] | None = None) -> PageView:
    """The page prepared, upright, with its tables (:func:`read_upright`, reading nothing)."""
    return read_upright(gray, dpi, number, engine, lambda view: view, lambda view: [], earlier)


def _with_lent_columns(view: PageView, earlier: list[float] | None, number: int) -> PageView:
    first = min(view.grids, key=lambda grid: grid.ys[0], default=None)
    lent = [] if first is None else columns_of_earlier_table(first, earlier or [], view.ink,
                                                             view.prepared.dpi)
    if not lent:
        return view
    rulings = view.rulings + lent
    return replace(view, rulings=rulings, grids=detect_grids(rulings, number))


def _turned_half(view: PageView, number: int) -> PageView:
    """``view`` turned by 180°: the images flipped and the rulings moved, not found again
    (finding them is most of a page's analysis, and the lines are the same lines)."""
    prepared = turn_half(view.prepared)
    scale = 72 / prepared.dpi
    width = (prepared.gray.shape[1] - 1) * scale
    height = (prepared.gray.shape[0] - 1) * scale
    rulings = [Ruling(width - r.x1, height - r.bottom, width - r.x0, height - r.top)
               for r in view.rulings]

    def flipped(image: np.ndarray) -> np.ndarray:
        return rotate_quarter_turns(image, 2)

    return PageView(prepared, flipped(view.text_gray), flipped(view.ink), rulings,
                    detect_grids(rulings, number), flipped(view.outside_gray),
                    flipped(view.outside_ink))


def _analyse(prepared: PreparedPage, number: int) -> PageView:
    rulings = detect_rulings(prepared.gray, prepared.dpi)
    grids = detect_grids(rulings, number)
    text_gray = _erase_rulings(prepared.gray, rulings, grids, prepared.dpi)
    ink = ink_mask(text_gray)
    lost = [line for grid in grids for line in lost_column_lines(grid, ink, prepared.dpi)]
    if lost:
        rulings = rulings + lost
        grids = detect_grids(rulings, number)
    outer = [line for grid in grids
             for line in (*lost_outer_columns(grid, rulings, ink, prepared.dpi),
                          *lost_outer_rows(grid, grids, rulings, ink, prepared.dpi))]
    if outer:
        rulings = rulings + outer
        grids = detect_grids(rulings, number)
    outside_gray, outside_ink = text_gray.copy(), ink.copy()
    pad = round(2 * prepared.dpi / 72)
    for grid in grids:
        x0, top, x1, bottom = bbox_to_pixel_box(grid.bbox, prepared.dpi)
        area = (slice(max(0, top - pad), bottom + pad), slice(max(0, x0 - pad), x1 + pad))
        outside_gray[area] = 255
        outside_ink[area] = 0
    return PageView(prepared, text_gray, ink, rulings, grids, outside_gray, outside_ink)


def lost_column_lines(grid: Grid, ink: np.ndarray, dpi: float) -> list[Ruling]:
    """Column lines a scan lost along a whole stretch of ``grid``, put back from the numbers.

    Where a column line faded out in every row, the grid has one column where the page has
    two, and each of its rows holds two numbers standing apart ("0    0"). The column is
    looked at row by row, whichever cell each stretch belongs to: where the row lines faded
    too, the rows lie in one merged block, and a block spanning the next column as well
    still holds "0    0" within this one. A piece of bent border along a side is no number
    (:func:`without_edge_strokes`). When most inked rows between the first and the last that
    hold two number-sized groups of ink standing level do so (a block of section 二 has only
    two rows of values), and the gaps between the groups share a stretch near the middle of
    the column with each number centred on its side of it (as these tables print them; the
    scraps of a header's characters cut by a row line fall anywhere), a line is put there
    over those rows.
    """
    scale = dpi / 72
    inset = round(CELL_INSET_PT * scale)
    lines = []
    for col in range(grid.n_cols):
        left, right = grid.xs[col] * scale, grid.xs[col + 1] * scale
        gaps, inked_rows = [], []
        for row in range(grid.n_rows):
            x0, top, x1, bottom = bbox_to_pixel_box(
                BBox(grid.xs[col], grid.ys[row], grid.xs[col + 1], grid.ys[row + 1]), dpi)
            strip = InkRegion(x0 + inset, top + inset, x1 - inset, bottom - inset)
            extent = ink_extent(ink, without_edge_strokes(ink, strip, dpi))
            if extent is None:
                continue
            inked_rows.append(extent)
            thin = EDGE_STROKE_MAX_WIDTH_PT * scale
            groups = _without_line_remnants(_ink_groups(ink, extent, thin), thin)
            if len(groups) == 2 and _two_numbers(ink, extent, groups, MIN_TEXT_HEIGHT_PT * scale):
                gaps.append((groups[0], groups[1], row))
        if len(gaps) < LOST_LINE_MIN_ROWS:
            continue
        low, high = max(gap[0][1] for gap in gaps), min(gap[1][0] for gap in gaps)
        middle = (low + high) / 2
        gaps = [gap for gap in gaps if _centred(gap[0], left, middle) and _centred(gap[1], middle, right)]
        if len(gaps) < LOST_LINE_MIN_ROWS:
            continue
        first, last = gaps[0][2], gaps[-1][2]
        stretch = [extent for extent in inked_rows
                   if grid.ys[first] * scale <= extent.top < grid.ys[last + 1] * scale]
        if (len(gaps) < LOST_LINE_SHARE * len(stretch) or high <= low
                or abs(middle - (left + right) / 2) > LOST_LINE_OFFCENTRE * (right - left)
                or any(_ink_runs_across(ink, extent, round(middle), EDGE_STROKE_MAX_WIDTH_PT * scale)
                       for extent in stretch)):
            continue
        lines.append(Ruling(middle / scale, grid.ys[first], middle / scale, grid.ys[last + 1]))
    return lines


def lost_outer_columns(grid: Grid, rulings: list[Ruling], ink: np.ndarray,
                       dpi: float) -> list[Ruling]:
    """Column lines beyond ``grid``'s outermost ones that a scan lost with a faded border.

    Where the border and the column lines near it faded out, the grid ends at the last column
    line left and the columns beyond it, numbers and all, fall outside every table. A column
    is put back beyond a side, one at a time, as wide as the outermost column on that side
    when it shares its width with the column next to it or with OUTER_PITCH_PEERS others
    (the count columns of these tables are equal), while a
    row line of the table still reaches over most of it and ink stands in it, level with
    at least OUTER_MIN_INKED_ROWS of the table's rows, without running on across its far
    side (a table's cell, not a line of text). The table's top and bottom borders are closed
    over it: the row lines that reach into it may stop short of the line put back.
    """
    lines: list[Ruling] = []
    width = ink.shape[1] * 72 / dpi
    for side in (-1, 1):
        pitch = _outer_pitch(grid.xs, side)
        edge = grid.xs[-1] if side > 0 else grid.xs[0]
        for _ in range(OUTER_MAX_COLUMNS if pitch else 0):
            far = edge + side * pitch
            near_x, far_x = sorted((edge, far))
            if (not 0 <= far <= width or not _row_line_reaches(grid, rulings, near_x, far_x)
                    or _inked_rows(grid, ink, near_x, far_x, far, dpi) < OUTER_MIN_INKED_ROWS):
                break
            lines += [Ruling(far, grid.ys[0], far, grid.ys[-1]),
                      Ruling(near_x, grid.ys[0], far_x, grid.ys[0]),
                      Ruling(near_x, grid.ys[-1], far_x, grid.ys[-1])]
            edge = far
    return lines


def lost_outer_rows(grid: Grid, grids: list[Grid], rulings: list[Ruling], ink: np.ndarray,
                    dpi: float) -> list[Ruling]:
    """Lines that close a row above or below ``grid`` that a scan cut off with its faded
    column lines.

    Where the column lines of a table's first or last row faded out, no line across meets
    the border beyond that row, and the grid ends a row short: its values fall outside every
    table. A row is put back, at most OUTER_ROW_MAX_PT beyond the grid, where a row line
    there still covers OUTER_ROW_RULED_SHARE of the table's width, or where both side
    borders run on to end level with one another (not the border of another of ``grids``,
    the next table down the page). It takes the column lines of the row next to it (a
    block's data row is cut as its header is), and ink must stand between them, none of it
    running on across one (a heading over the next table runs across them all).
    """
    lines: list[Ruling] = []
    others = [other for other in grids if other is not grid]
    for side in (-1, 1):
        edge = grid.ys[-1] if side > 0 else grid.ys[0]
        far = _closing_line(grid, others, rulings, edge, side)
        if far is None:
            continue
        top, bottom = sorted((edge, far))
        row = grid.n_rows - 1 if side > 0 else 0
        columns = sorted({x for cell in grid.cells if cell.row <= row < cell.row + cell.rowspan
                          for x in (cell.bbox.x0, cell.bbox.x1)})
        if not _holds_a_row(ink, dpi, columns, top, bottom):
            continue
        lines.append(Ruling(grid.xs[0], far, grid.xs[-1], far))
        lines += [Ruling(x, top, x, bottom) for x in columns]
    return lines


def columns_of_earlier_table(grid: Grid, earlier: list[float], ink: np.ndarray,
                             dpi: float) -> list[Ruling]:
    """Column lines that faded out of ``grid`` but stand in the table it continues from the
    page before, whose column edges are ``earlier``.

    A table running on over a page break is printed with the same columns on both pages.
    When the earlier table's borders and width match ``grid``'s and its lines include all of
    ``grid``'s, it lends ``grid`` the lines it lacks, shifted as its borders are, over the
    rows that show them (:func:`_lent_in_row`).
    """
    if len(earlier) < 2:
        return []
    shift = (grid.xs[0] - earlier[0] + grid.xs[-1] - earlier[-1]) / 2
    if not _same_columns(grid.xs, [x + shift for x in earlier]):
        return []
    lacking = [x + shift for x in earlier[1:-1]
               if not any(abs(x + shift - own) <= CONTINUED_WIDTH_PT for own in grid.xs)]
    lent = [_lent_in_row(grid, row, lacking, ink, dpi) for row in range(grid.n_rows)]
    lines = []
    for x in lacking:
        rows = np.array([x in row for row in lent])
        lines += [Ruling(x, grid.ys[first], x, grid.ys[end]) for first, end in runs(rows)]
    return lines


def _same_columns(own: list[float], earlier: list[float]) -> bool:
    """Whether a table with column edges ``own`` continues one with ``earlier`` (shifted)."""
    return (abs(own[0] - earlier[0]) <= CONTINUED_SHIFT_PT
            and abs((own[-1] - own[0]) - (earlier[-1] - earlier[0])) <= CONTINUED_WIDTH_PT
            and all(any(abs(x - other) <= CONTINUED_WIDTH_PT for other in earlier) for x in own))


def _lent_in_row(grid: Grid, row: int, lacking: list[float], ink: np.ndarray,
                 dpi: float) -> list[float]:
    """The lines of ``lacking`` that ``row`` of ``grid`` shows: taken from the right, a line
    where ink as tall as text stands on both sides of it within the cell, none running on
    across it (the scraps of a faded row line are thin; a title spans the table; a heading's
    characters stand closer than two cells' text), and the
    ink right of it stands centred between it and the next line (these tables print their
    values centred; a label is set from the left)."""
    scale = dpi / 72
    inset = round(CELL_INSET_PT * scale)
    shortest = MIN_TEXT_HEIGHT_PT * scale
    lent: list[float] = []
    for cell in grid.cells:
        if not cell.row <= row < cell.row + cell.rowspan:
            continue
        x0, top, right, bottom = bbox_to_pixel_box(
            BBox(cell.bbox.x0, grid.ys[row], cell.bbox.x1, grid.ys[row + 1]), dpi)
        whole = ink_extent(ink, InkRegion(x0 + inset, top + inset, right - inset, bottom - inset))
        for x in sorted((x for x in lacking if cell.bbox.x0 < x < cell.bbox.x1), reverse=True):
            at = round(x * scale)
            left = ink_extent(ink, InkRegion(x0 + inset, top + inset, at - inset, bottom - inset))
            beyond = ink_extent(ink, InkRegion(at + inset, top + inset, right - inset,
                                               bottom - inset))
            if (whole is None or left is None or beyond is None
                    or min(left.height, beyond.height) < shortest
                    or _ink_runs_across(ink, whole, at, EDGE_STROKE_MAX_WIDTH_PT * scale,
                                        round(CHARACTER_GAP_PT * scale))
                    or not _centred((beyond.x0, beyond.x1), at, right)):
                continue
            lent.append(x)
            right = at
    return lent


def _closing_line(grid: Grid, others: list[Grid], rulings: list[Ruling], edge: float,
                  side: int) -> float | None:
    """Where a row beyond ``edge`` (the grid's bottom for ``side`` 1, its top for -1) ends:
    the nearest row line covering enough of the table's width, else the level the two side
    borders end at when both run on; None when neither is there."""
    x0, x1 = grid.xs[0], grid.xs[-1]

    def beyond(y: float) -> bool:
        return (OUTER_ROW_MIN_PT <= (y - edge) * side <= OUTER_ROW_MAX_PT
                and not any(other.ys[0] - OUTER_SNAP_PT <= y <= other.ys[-1] + OUTER_SNAP_PT
                            and other.xs[0] < x1 and x0 < other.xs[-1] for other in others))

    levels = sorted({round((r.top + r.bottom) / 2, 1) for r in rulings if r.is_horizontal
                     and beyond((r.top + r.bottom) / 2)}, key=lambda y: (y - edge) * side)
    for y in levels:
        covered = sum(max(0.0, min(r.x1, x1) - max(r.x0, x0)) for r in rulings
                      if r.is_horizontal and abs((r.top + r.bottom) / 2 - y) <= OUTER_SNAP_PT)
        if covered >= OUTER_ROW_RULED_SHARE * (x1 - x0):
            return y
    ends = []
    for x in (x0, x1):
        reach = [r.bottom if side > 0 else r.top for r in rulings if not r.is_horizontal
                 and abs((r.x0 + r.x1) / 2 - x) <= OUTER_SNAP_PT
                 and min(r.top, r.bottom) <= edge + OUTER_SNAP_PT
                 and max(r.top, r.bottom) >= edge - OUTER_SNAP_PT]
        ends.append(max(reach, key=lambda y: (y - edge) * side, default=edge))
    if all(beyond(y) for y in ends) and abs(ends[0] - ends[1]) <= 2 * OUTER_SNAP_PT:
        return min(ends, key=lambda y: (y - edge) * side)
    return None


def _holds_a_row(ink: np.ndarray, dpi: float, columns: list[float], top: float,
                 bottom: float) -> bool:
    """Whether ink stands between ``top`` and ``bottom`` within the outer ``columns`` and
    none of it runs on across one of them, the outer ones too: a heading over the next table
    runs across where its lines would be, or out of a table's piece whose other columns the
    rulings lost."""
    scale = dpi / 72
    px0, ptop, px1, pbottom = bbox_to_pixel_box(BBox(columns[0], top, columns[-1], bottom), dpi)
    inset = round(CELL_INSET_PT * scale)
    extent = ink_extent(ink, InkRegion(px0 + inset, ptop + inset, px1 - inset, pbottom - inset))
    if extent is None:
        return False
    gap = round(CHARACTER_GAP_PT * scale)
    around = InkRegion(max(0, px0 - 2 * gap), extent.top, min(ink.shape[1], px1 + 2 * gap),
                       extent.bottom)
    return not any(_ink_runs_across(ink, around, round(x * scale),
                                    EDGE_STROKE_MAX_WIDTH_PT * scale, gap)
                   for x in columns)


def _outer_pitch(xs: list[float], side: int) -> float | None:
    """The width of the outermost column of ``xs`` on ``side`` (-1 left, 1 right) when the
    column next to it or OUTER_PITCH_PEERS others share it, else None."""
    widths = [b - a for a, b in itertools.pairwise(xs)]
    if len(widths) < 2:
        return None
    if side > 0:
        widths.reverse()
    outer = widths[0]

    def shares(width: float) -> bool:
        return abs(width - outer) <= OUTER_PITCH_TOLERANCE * max(width, outer)

    if shares(widths[1]):
        return (outer + widths[1]) / 2
    peers = [width for width in widths[1:] if shares(width)]
    return outer if len(peers) >= OUTER_PITCH_PEERS else None


def _row_line_reaches(grid: Grid, rulings: list[Ruling], x0: float, x1: float) -> bool:
    """Whether a horizontal ruling within ``grid``'s height covers most of [x0, x1]."""
    top, bottom = grid.ys[0] - OUTER_ROW_LINE_SLACK_PT, grid.ys[-1] + OUTER_ROW_LINE_SLACK_PT
    return any(
        ruling.is_horizontal and top <= (ruling.top + ruling.bottom) / 2 <= bottom
        and min(ruling.x1, x1) - max(ruling.x0, x0) >= OUTER_RULED_SHARE * (x1 - x0)
        for ruling in rulings)


def _inked_rows(grid: Grid, ink: np.ndarray, x0: float, x1: float, far: float,
                dpi: float) -> int:
    """How many of ``grid``'s rows hold ink between ``x0`` and ``x1`` that does not run on
    across ``far``."""
    scale = dpi / 72
    inset = round(CELL_INSET_PT * scale)
    thin = EDGE_STROKE_MAX_WIDTH_PT * scale
    count = 0
    for top, bottom in itertools.pairwise(grid.ys):
        px0, ptop, px1, pbottom = bbox_to_pixel_box(BBox(x0, top, x1, bottom), dpi)
        strip = InkRegion(px0 + inset, ptop + inset, px1 - inset, pbottom - inset)
        extent = ink_extent(ink, without_edge_strokes(ink, strip, dpi))
        if extent is None:
            continue
        across = InkRegion(max(0, px0 - (px1 - px0) // 2), extent.top,
                           min(ink.shape[1], px1 + (px1 - px0) // 2), extent.bottom)
        if not _ink_runs_across(ink, across, round(far * scale), thin):
            count += 1
    return count


def _without_line_remnants(groups: list[tuple[int, int]], widest: float) -> list[tuple[int, int]]:
    """``groups`` less the thin strokes standing between others: what is left of the lost
    line itself ("0 ¦ 0")."""
    return [group for index, group in enumerate(groups)
            if index in (0, len(groups) - 1) or group[1] - group[0] > widest]


def _two_numbers(ink: np.ndarray, extent: InkRegion, groups: list[tuple[int, int]],
                 shortest: float) -> bool:
    """Whether two groups of ink stand level, as numbers printed on one line do (each over at
    least half of the shorter one's height), each at least ``shortest`` tall: specks of
    border below a number, or scraps of characters, are not numbers."""
    spans = []
    for start, end in groups:
        rows = np.flatnonzero(ink[extent.top:extent.bottom, start:end].any(axis=1))
        spans.append((int(rows[0]), int(rows[-1]) + 1))
    (top_a, bottom_a), (top_b, bottom_b) = spans
    overlap = min(bottom_a, bottom_b) - max(top_a, top_b)
    shorter = min(bottom_a - top_a, bottom_b - top_b)
    return shorter >= shortest and overlap >= 0.5 * shorter


def _centred(group: tuple[int, int], left: float, right: float) -> bool:
    """Whether ``group`` stands centred between ``left`` and ``right`` (LOST_LINE_CENTRING)."""
    return abs((group[0] + group[1]) / 2 - (left + right) / 2) <= LOST_LINE_CENTRING * (right - left)


def _ink_runs_across(ink: np.ndarray, extent: InkRegion, x: int, widest: float,
                     bridged: int = 0) -> bool:
    """Whether ink wider than a thin stroke covers column ``x`` in ``extent`` (a line of
    text across where a lost line would be: there was no line there); ``bridged``: gaps
    between inked columns up to this wide (pixels) do not break the ink."""
    if not extent.x0 <= x < extent.x1:
        return False
    inked = _bridged(ink[extent.top:extent.bottom, extent.x0:extent.x1].any(axis=0), bridged)
    return any(start <= x - extent.x0 < end and end - start > widest
               for start, end in runs(inked))


def _bridged(flags: np.ndarray, widest: int) -> np.ndarray:
    """``flags`` with each run of False between two Trues at most ``widest`` long set True."""
    bridged = flags.copy()
    for start, end in runs(~flags):
        if end - start <= widest and start > 0 and end < len(flags):
            bridged[start:end] = True
    return bridged


def _ink_groups(ink: np.ndarray, extent: InkRegion, thin: float = 0.0) -> list[tuple[int, int]]:
    """Groups of ink columns in ``extent`` (page x, end exclusive), a gap narrower than the text
    is tall joining them (the digits of one number), each at most a short number wide; an
    empty list when a group is wider (text). ``thin``: as in :func:`_number_groups`."""
    patch = ink[extent.top:extent.bottom, extent.x0:extent.x1] > 0
    return [(extent.x0 + start, extent.x0 + end)
            for start, end in _number_groups(patch, thin)]


def _number_groups(patch: np.ndarray, thin: float = 0.0) -> list[tuple[int, int]]:
    """Groups of ink columns in ``patch`` (start, end exclusive), a gap narrower than the text
    is tall joining them, each at most a short number wide; an empty list when the patch is
    blank or a group is wider (text). The text's height is the ink's, but for strokes at most
    ``thin`` wide standing taller than the rest: what is left of a lost column line beside
    the numbers ("1 ¦ 7") is no taller text."""
    column_runs = runs(patch.any(axis=0))
    heights = [_ink_height(patch[:, start:end]) for start, end in column_runs]
    wide = [height for (start, end), height in zip(column_runs, heights, strict=True)
            if end - start > thin]
    height = max(wide or heights, default=0)
    if height == 0:
        return []
    groups: list[list[int]] = []
    for run in ([start, end] for start, end in column_runs):
        if groups and run[0] - groups[-1][1] < height:
            groups[-1][1] = run[1]
        else:
            groups.append(run)
    if any(end - start > NUMBER_MAX_WIDTH_SHARE * height for start, end in groups):
        return []
    return [(start, end) for start, end in groups]


def _erase_rulings(gray: np.ndarray, rulings: list[Ruling], grids: list[Grid],
                   dpi: float) -> np.ndarray:
    """The page with its ruling lines painted white, so that no piece of a cell border is read
    as "1" or "|" next to a cell's text.

    Painted: each ruling and each cell border of the tables as a straight line (a faded
    stretch of border too broken to be found as a ruling still lies on its cell's edge), plus
    the line-shaped ink near them (a scanned border is rarely perfectly straight)."""
    near = _ruling_mask(gray.shape, rulings, grids, dpi, RULING_NEIGHBOURHOOD_PT)
    horizontal, vertical = line_masks(line_ink(gray, dpi), dpi)
    strokes = cv2.dilate((horizontal | vertical) & near, np.ones((3, 3), np.uint8))
    erase = _ruling_mask(gray.shape, rulings, grids, dpi, RULING_ERASE_PT) | strokes
    cleaned = gray.copy()
    cleaned[erase > 0] = 255
    return cleaned


def _ruling_mask(shape: tuple[int, ...], rulings: list[Ruling], grids: list[Grid], dpi: float,
                 width_pt: float) -> np.ndarray:
    mask = np.zeros(shape[:2], dtype=np.uint8)
    thickness = max(3, round(width_pt * dpi / 72))
    for r in rulings:
        x0, top, x1, bottom = bbox_to_pixel_box(BBox(r.x0, r.top, r.x1, r.bottom), dpi)
        cv2.line(mask, (x0, top), (x1, bottom), 255, thickness)
    for grid in grids:
        for cell in grid.cells:
            x0, top, x1, bottom = bbox_to_pixel_box(cell.bbox, dpi)
            cv2.rectangle(mask, (x0, top), (x1, bottom), 255, thickness)
    return mask


def _shaped_mark(ink: np.ndarray, region: InkRegion, bands: list[InkRegion],
                 line_height: float) -> str | None:
    """:func:`_placeholder` for a cell's ink in one band, or a slash in several (see
    SLASH_MAX_HEIGHT_SHARE)."""
    if not bands:
        return None
    mark = _placeholder(ink, region, line_height)
    if len(bands) == 1 or (mark == "/" and region.height <= SLASH_MAX_HEIGHT_SHARE * line_height):
        return mark
    return None


def _placeholder(ink: np.ndarray, region: InkRegion, line_height: float) -> str | None:
    """"-" or "/" when a cell's only ink is one dash or slash stroke (the recogniser reads a
    lone stroke as "1"); None otherwise."""
    height, width = region.height, region.x1 - region.x0
    patch = ink[region.top:region.bottom, region.x0:region.x1] > 0
    if height <= DASH_MAX_HEIGHT_SHARE * line_height and width >= DASH_MIN_ASPECT * height:
        return "—" if width >= line_height else "-"
    if height < SLASH_MIN_HEIGHT_SHARE * line_height or width < SLASH_MIN_ASPECT * height:
        return None
    ys, xs = np.nonzero(patch)
    if len(xs) < 3 or xs.std() == 0 or ys.std() == 0:
        return None
    slope_correlation = float(np.corrcoef(xs, ys)[0, 1])
    return "/" if slope_correlation <= -SLASH_MIN_CORRELATION else None


def with_page_dashes(regions: list[InkRegion], bands_per_region: list[list[InkRegion]],
                     marks: list[str | None], line_height: float) -> list[str | None]:
    """``marks`` (the placeholders :func:`_placeholder` found in ``regions``, whose ink lies
    in ``bands_per_region``) with the lone flat strokes shaped like the page's own dashes
    read as "-" too (see DASH_MIN_PEERS)."""
    flat = [mark is None and len(bands) == 1 and _is_flat(region, line_height)
            for region, bands, mark in zip(regions, bands_per_region, marks, strict=True)]
    dashes = [region for region, mark in zip(regions, marks, strict=True) if mark == "-"]
    if len(dashes) < DASH_MIN_PEERS:
        dashes = [region for region, is_flat in zip(regions, flat, strict=True) if is_flat]
        if len(dashes) < DASH_MIN_POPULATION:
            return marks
    width = float(np.median([region.x1 - region.x0 for region in dashes]))
    height = float(np.median([region.height for region in dashes])) + DASH_PEER_HEIGHT_PX
    return ["-" if is_flat and region.height <= height
            and width / DASH_PEER_WIDTH_SHARE <= region.x1 - region.x0
            <= width * DASH_PEER_WIDTH_SHARE else mark
            for region, mark, is_flat in zip(regions, marks, flat, strict=True)]


def _is_flat(region: InkRegion, line_height: float) -> bool:
    return (region.height <= DASH_MAX_HEIGHT_SHARE * line_height
            and region.x1 - region.x0 >= DASH_PEER_MIN_ASPECT * region.height)


def _sample_lines(view: PageView) -> list[np.ndarray]:
    """Crops of single text lines, from cells and from the text around the tables."""
    crops = []
    for region in _inked(_cell_areas(view), view.ink):
        line = _single_line(region, view.ink, view.prepared.dpi)
        if line is not None:
            crops.append(_crop(view.text_gray, line, view.ink))
    for strip in _outside_strips(view):
        crops += [_crop(view.outside_gray, band, view.outside_ink)
                  for band in ink_bands(view.outside_ink, strip)]
    return crops


def _cell_areas(view: PageView) -> list[InkRegion]:
    """Every table cell of the page inside its borders (inset so ruling ink stays out). A
    spanning cell is cut along its inner edges where no glyph crosses them: if a faded border
    merged two cells, the number printed in each is read on its own, with its own box."""
    dpi = view.prepared.dpi
    inset = round(CELL_INSET_PT * dpi / 72)
    dash = round(BORDER_DASH_PT * dpi / 72)
    areas = []
    for grid in view.grids:
        pixel_xs = [round(x * dpi / 72) for x in grid.xs]
        pixel_ys = [round(y * dpi / 72) for y in grid.ys]
        for cell in grid.cells:
            x0, top, x1, bottom = bbox_to_pixel_box(cell.bbox, dpi)
            area = InkRegion(x0 + inset, top + inset, x1 - inset, bottom - inset)
            areas += cut_at_blank_edges(view.ink, area,
                                        pixel_xs[cell.col + 1:cell.col + cell.colspan],
                                        pixel_ys[cell.row + 1:cell.row + cell.rowspan],
                                        inset, dash)
    return areas


def cut_at_blank_edges(ink: np.ndarray, area: InkRegion, xs: list[int], ys: list[int],
                       band: int, dash: int) -> list[InkRegion]:
    """``area`` cut at the columns ``xs`` and rows ``ys`` that no glyph crosses, row-major.

    Ink within ``band`` pixels of an edge is a glyph when it reaches on past the band in the
    same row (column), or runs along the edge for more than ``dash`` pixels without a break
    (a "1" centred on the edge of a cell that really spans). Short dashes held within the
    band are what is left of the faded border itself, and do not stop the cut; nor does a
    longer piece of border standing beside a number, with ink level with it on both sides
    of the column edge (another number, or the row label).

    Each piece is cut again along the edges inside it: a block merged by borders lost in both
    directions is cut row by row where a glyph stops a column cut in one row only (the text
    of a header reaching a column edge no longer keeps every row below it merged).
    """
    pieces = _cut_once(ink, area, xs, ys, band, dash)
    if len(pieces) == 1:
        return pieces
    return [part for piece in pieces
            for part in cut_at_blank_edges(ink, piece, [x for x in xs if piece.x0 < x < piece.x1],
                                           [y for y in ys if piece.top < y < piece.bottom],
                                           band, dash)]


def _cut_once(ink: np.ndarray, area: InkRegion, xs: list[int], ys: list[int], band: int,
              dash: int) -> list[InkRegion]:
    """``area`` cut at the edges that no glyph crosses along its whole height (width)."""
    if area.x1 <= area.x0 or area.bottom <= area.top:
        return [area]
    patch = ink[area.top:area.bottom, area.x0:area.x1] > 0
    cut_xs = [x for x in xs if area.x0 < x < area.x1
              and (not _crossed(patch, x - area.x0, band, dash)
                   or _stands_between_numbers(patch, x - area.x0, band, dash))]
    cut_ys = [y for y in ys if area.top < y < area.bottom
              and not _crossed(patch.T, y - area.top, band, dash)]
    # The band along a cut holds nothing but what is left of the border: it stays out.
    lefts = [area.x0, *(x + band + 1 for x in cut_xs)]
    rights = [*(x - band for x in cut_xs), area.x1]
    tops = [area.top, *(y + band + 1 for y in cut_ys)]
    bottoms = [*(y - band for y in cut_ys), area.bottom]
    return [InkRegion(left, top, right, bottom)
            for top, bottom in zip(tops, bottoms, strict=True)
            for left, right in zip(lefts, rights, strict=True)]


def _crossed(patch: np.ndarray, column: int, band: int, dash: int) -> bool:
    """Whether a glyph crosses ``column`` of ``patch`` (see :func:`cut_at_blank_edges`)."""
    inside = patch[:, max(0, column - band):column + band + 1].any(axis=1)
    left = patch[:, max(0, column - 2 * band):max(0, column - band)].any(axis=1)
    right = patch[:, column + band + 1:column + 2 * band + 1].any(axis=1)
    return bool((inside & (left | right)).any()) or _longest_run(inside) > dash


def _stands_between_numbers(patch: np.ndarray, column: int, band: int, dash: int) -> bool:
    """Whether the ink within ``band`` of ``column`` stays inside the band, each run of it
    longer than ``dash`` (pieces at most ``band`` apart are one run: a faded border breaks
    into pieces) stands level with ink on both sides, and the ink on one side at least is
    number-sized groups: stretches of border left beside a number (between two numbers, or
    between a row label and its number) where the rest of the line faded, not a glyph."""
    inside = patch[:, max(0, column - band):column + band + 1].any(axis=1)
    left, right = patch[:, :max(0, column - band)], patch[:, column + band + 1:]
    reaching = left[:, -band:].any(axis=1) | right[:, :band].any(axis=1)
    beside_both = left.any(axis=1) & right.any(axis=1)
    long_runs = [(start, end) for start, end in runs(_bridged(inside, band)) if end - start > dash]
    return (not (inside & reaching).any()
            and all(beside_both[start:end].any() for start, end in long_runs)
            and (bool(_number_groups(left)) or bool(_number_groups(right))))


def _longest_run(flags: np.ndarray) -> int:
    """The length of the longest run of True in ``flags``."""
    return max((end - start for start, end in runs(flags)), default=0)


def _inked(areas: list[InkRegion], ink: np.ndarray) -> list[InkRegion]:
    """The inked part of every area that is not blank."""
    extents = (ink_extent(ink, area) for area in areas)
    return [region for region in extents if region is not None]


def with_pale_strokes(gray: np.ndarray, ink: np.ndarray, areas: list[InkRegion]) -> np.ndarray:
    """``ink`` with the whole strokes of pale print in ``areas`` (see PALE_INK_DARKEST): the
    pieces of a stroke darker than halfway to the paper that touch its ink. Cells with less
    ink than a character are read as faint marks instead (:func:`faint_marks`)."""
    completed = ink
    for area in areas:
        if area.x1 <= area.x0 or area.bottom <= area.top:
            continue
        cell = (slice(area.top, area.bottom), slice(area.x0, area.x1))
        inked = ink[cell] > 0
        if np.count_nonzero(inked) < MIN_CELL_INK_PIXELS:
            continue
        patch = gray[cell]
        darkest = int(patch[inked].min())
        if darkest < PALE_INK_DARKEST:
            continue
        strokes = (patch < (darkest + float(np.median(patch))) / 2).astype(np.uint8)
        _, labels = cv2.connectedComponents(strokes, connectivity=8)
        touched = np.unique(labels[inked & (strokes > 0)])
        if completed is ink:
            completed = ink.copy()
        completed[cell][np.isin(labels, touched[touched > 0])] = 255
    return completed


def faint_marks(gray: np.ndarray, ink: np.ndarray, areas: list[InkRegion],
                dpi: float) -> tuple[list[InkRegion], np.ndarray]:
    """Pale, character-sized marks centred in cells the ink threshold left blank (a "1" or
    "0" whose toner faded), with the mask they were found in."""
    pale = np.where(gray < FAINT_INK_LEVEL, 255, 0).astype(np.uint8)
    scale = dpi / 72
    marks = []
    for area in areas:
        if ink_extent(ink, area) is not None:
            continue
        mark = _mark_extent(pale, area)
        if mark is None:
            continue
        width = mark.x1 - mark.x0
        centre_offset = abs((mark.x0 + mark.x1) - (area.x0 + area.x1)) / 2
        if (UNREAD_MIN_HEIGHT_PT * scale <= mark.height <= MAX_LINE_HEIGHT_PT * scale
                and width <= FAINT_MAX_ASPECT * mark.height
                and centre_offset <= FAINT_MAX_OFFCENTRE * (area.x1 - area.x0)):
            marks.append(mark)
    return marks, pale


def _mark_extent(mask: np.ndarray, area: InkRegion) -> InkRegion | None:
    """The box around the pieces of ``mask`` in ``area`` bigger than a speck of grain."""
    if area.x1 <= area.x0 or area.bottom <= area.top:
        return None
    patch = mask[area.top:area.bottom, area.x0:area.x1]
    count, _, stats, _ = cv2.connectedComponentsWithStats(patch, connectivity=8)
    pieces = [stats[label] for label in range(1, count)
              if stats[label][cv2.CC_STAT_AREA] >= FAINT_MIN_PIECE_PIXELS]
    if sum(piece[cv2.CC_STAT_AREA] for piece in pieces) < MIN_CELL_INK_PIXELS:
        return None
    x0 = min(int(piece[cv2.CC_STAT_LEFT]) for piece in pieces)
    top = min(int(piece[cv2.CC_STAT_TOP]) for piece in pieces)
    x1 = max(int(piece[cv2.CC_STAT_LEFT] + piece[cv2.CC_STAT_WIDTH]) for piece in pieces)
    bottom = max(int(piece[cv2.CC_STAT_TOP] + piece[cv2.CC_STAT_HEIGHT]) for piece in pieces)
    return InkRegion(area.x0 + x0, area.top + top, area.x0 + x1, area.top + bottom)


def _read_faint(gray: np.ndarray, marks: list[InkRegion], dpi: float,
                engine: OcrEngine) -> list[Word]:
    """Each faint mark read from a contrast-stretched crop, confidence capped at
    FAINT_CONFIDENCE: what is read this way is always flagged for a reviewer."""
    crops = []
    for mark in marks:
        crop = _crop(gray, mark).astype(np.float32)
        darkest = float(crop.min())
        crops.append(np.clip((crop - darkest) * 255 / max(255 - darkest, 1), 0, 255)
                     .astype(np.uint8))
    results = engine.recognize_lines(crops) if crops else []
    return [
        _word(result.text, min(result.confidence, FAINT_CONFIDENCE),
              (mark.x0, mark.top, mark.x1, mark.bottom), dpi)
        for mark, result in zip(marks, results, strict=True)
        if result.text.strip() and result.confidence >= MIN_WORD_CONFIDENCE
    ]


def ink_extent(ink: np.ndarray, area: InkRegion,
               min_pixels: int = MIN_CELL_INK_PIXELS) -> InkRegion | None:
    """The tight box around the ink inside ``area``, or None when it holds fewer than
    ``min_pixels`` ink pixels (blank but for scan dust, by default)."""
    if area.x1 <= area.x0 or area.bottom <= area.top:
        return None
    patch = ink[area.top:area.bottom, area.x0:area.x1]
    if np.count_nonzero(patch) < max(1, min_pixels):
        return None
    rows = np.flatnonzero(patch.any(axis=1))
    cols = np.flatnonzero(patch.any(axis=0))
    return InkRegion(area.x0 + int(cols[0]), area.top + int(rows[0]),
                     area.x0 + int(cols[-1]) + 1, area.top + int(rows[-1]) + 1)


def ink_bands(ink: np.ndarray, region: InkRegion) -> list[InkRegion]:
    """Horizontal bands of ``region`` separated by blank pixel rows."""
    inked = ink[region.top:region.bottom, region.x0:region.x1].any(axis=1)
    bands, start = [], None
    for offset, has_ink in enumerate(np.append(inked, False)):
        if has_ink and start is None:
            start = offset
        elif not has_ink and start is not None:
            band = ink_extent(ink, InkRegion(region.x0, region.top + start, region.x1,
                                             region.top + offset))
            if band is not None:
                bands.append(band)
            start = None
    return bands


def _single_line(region: InkRegion, ink: np.ndarray, dpi: float) -> InkRegion | None:
    """``region`` when it holds exactly one line of text short enough to be one line."""
    bands = ink_bands(ink, region)
    if len(bands) == 1 and bands[0].height <= MAX_LINE_HEIGHT_PT * dpi / 72:
        return bands[0]
    return None


def _crop(gray: np.ndarray, region: InkRegion, ink: np.ndarray | None = None,
          margin_ratio: float = CROP_MARGIN_RATIO) -> np.ndarray:
    """``region`` with a margin of ``margin_ratio`` of its height around it. With ``ink``, the
    margins are the page as scanned, less the ink of other strokes and its grey edges (the
    line above, the next number): a faint stroke the ink threshold left outside the region
    stays in the picture (the top of a pale "0", which read as "u" without it; the end of a
    pale "7", which read as a sure "1" without it). Without ``ink`` the margins are white."""
    margin = max(2, round(region.height * margin_ratio))
    if ink is None:
        patch = gray[region.top:region.bottom, region.x0:region.x1]
        return np.pad(patch, margin, mode="constant", constant_values=255)
    top, bottom = max(0, region.top - margin), min(gray.shape[0], region.bottom + margin)
    left, right = max(0, region.x0 - margin), min(gray.shape[1], region.x1 + margin)
    patch = gray[top:bottom, left:right].copy()
    inside = np.zeros(patch.shape, dtype=bool)
    inside[region.top - top:region.bottom - top, region.x0 - left:region.x1 - left] = True
    others = ((ink[top:bottom, left:right] > 0) & ~inside).astype(np.uint8)
    fringe = cv2.dilate(others, np.ones((5, 5), np.uint8)) > 0
    patch[fringe & ~inside] = 255
    return np.pad(patch, ((margin - (region.top - top), margin - (bottom - region.bottom)),
                          (margin - (region.x0 - left), margin - (right - region.x1))),
                  mode="constant", constant_values=255)


def _word(text: str, confidence: float, box: tuple[float, float, float, float],
          dpi: float, weakest: float | None = None) -> Word:
    """A recognised word in points. A lone Latin letter is kept at no more than
    :data:`DISAGREEING_CONFIDENCE`, however sure the recogniser was: these reports print none,
    so it is a misread glyph (a 0 read as "D"), and the value read from it must be flagged.
    Not so an "O": the engine scores it together with "0" (``engines.SAME_DIGIT``), and a round
    glyph is a 0 whichever of the two it is called. ``weakest`` (the least sure character) is
    never surer than the word."""
    if len(text) == 1 and text.isascii() and text.isalpha() and text not in ROUND_ZERO:
        confidence = min(confidence, DISAGREEING_CONFIDENCE)
    return Word(text=text, bbox=pixel_box_to_bbox(*box, dpi), source=Source.OCR,
                confidence=round(confidence, 4),
                weakest=None if weakest is None else round(min(weakest, confidence), 4))


def _read_cells(view: PageView, engine: OcrEngine, areas: list[InkRegion],
                trimmed: list[InkRegion]) -> list[Word]:
    """The words of ``areas``, the page's cell pieces (:func:`_cell_areas`), read within
    ``trimmed``, the same pieces without a border stroke by a side (:func:`without_edge_strokes`)."""
    dpi = view.prepared.dpi
    regions = _inked(trimmed, view.ink)
    words = _read_regions(view.text_gray, view.ink, regions, dpi, engine,
                          second_opinion=view.prepared.bitonal,
                          page_dash_confidence=(
                              DISAGREEING_CONFIDENCE if view.prepared.bitonal
                              else PLACEHOLDER_CONFIDENCE))
    marks, pale = faint_marks(view.text_gray, view.ink, areas, dpi)
    faint_words = _read_faint(view.text_gray, marks, dpi, engine)
    return (words + unread_marks(regions, words, view.ink, dpi)
            + faint_words + unread_marks(marks, faint_words, pale, dpi))


def _without_stray_lines(view: PageView, areas: list[InkRegion]) -> PageView:
    """``view`` with the column lines standing inside cell pieces painted out of its text
    image and ink (:func:`stray_line_columns`)."""
    dpi = view.prepared.dpi
    strays = [(area, columns) for area in areas
              if (columns := stray_line_columns(view.ink, area, dpi))]
    if not strays:
        return view
    text_gray, ink = view.text_gray.copy(), view.ink.copy()
    for area, columns in strays:
        for start, end in columns:
            text_gray[area.top:area.bottom, start:end] = 255
            ink[area.top:area.bottom, start:end] = 0
    return replace(view, text_gray=text_gray, ink=ink)


def stray_line_columns(ink: np.ndarray, area: InkRegion, dpi: float) -> list[tuple[int, int]]:
    """The page columns (start, end exclusive) of thin upright strokes in ``area``, sharing
    no column with other ink, inked over most of its height and taller than any text, or
    much taller than its glyphs (see STRAY_LINE_MIN_SHARE): a column line the rulings missed
    ("0 | 0", read "0j"), which a grid without that column leaves inside a cell."""
    scale = dpi / 72
    patch = ink[area.top:area.bottom, area.x0:area.x1] > 0
    columns = runs(patch.any(axis=0))
    heights = [_ink_height(patch[:, start:end]) for start, end in columns]
    widest = EDGE_STROKE_MAX_WIDTH_PT * scale
    shortest_text = MIN_TEXT_HEIGHT_PT * scale
    glyph = max((height for (start, end), height in zip(columns, heights, strict=True)
                 if end - start > widest and height >= shortest_text), default=0)
    strays = []
    for index, (start, end) in enumerate(columns):
        if end - start > widest:
            continue
        text = max((height for other, height in enumerate(heights)
                    if other != index and height >= shortest_text), default=0)
        tall = STRAY_LINE_MIN_PT * scale
        if text:
            tall = min(tall, STRAY_LINE_TEXT_RATIO * text)
        inked = patch[:, start:end].any(axis=1).sum()
        if (inked >= max(STRAY_LINE_MIN_SHARE * patch.shape[0], tall)
                or (glyph and inked >= max(STRAY_LINE_GLYPH_RATIO * glyph,
                                           STRAY_LINE_PART_MIN_PT * scale))):
            strays.append((area.x0 + start, area.x0 + end))
    return strays


def without_edge_strokes(ink: np.ndarray, area: InkRegion, dpi: float) -> InkRegion:
    """``area`` without a border stroke along its left or right side.

    A scanned sheet that does not lie flat bends a column line a few points off the straight
    edge painted out, and where it also faded, what is left of it stands in the cell beside
    the number and reads as "1" ("0 1"). A stroke counts as border only when the cell holds
    other ink, apart from it by more paper than between two digits of a number.
    """
    patch = ink[area.top:area.bottom, area.x0:area.x1] > 0
    columns = runs(patch.any(axis=0))
    if len(columns) < 2:
        return area
    scale = dpi / 72
    x0, x1 = area.x0, area.x1
    if _is_edge_stroke(patch, columns[0], columns[1:], columns[0][0], scale):
        x0 = area.x0 + columns[1][0]
        columns = columns[1:]
    if len(columns) >= 2 and _is_edge_stroke(patch, columns[-1], columns[:-1],
                                             patch.shape[1] - columns[-1][1], scale):
        x1 = area.x0 + columns[-2][1]
    return InkRegion(x0, area.top, x1, area.bottom)


def _is_edge_stroke(patch: np.ndarray, stroke: tuple[int, int], rest: list[tuple[int, int]],
                    from_side: int, scale: float) -> bool:
    gap = rest[0][0] - stroke[1] if rest[0][0] > stroke[0] else stroke[0] - rest[-1][1]
    width = stroke[1] - stroke[0]
    if (from_side > EDGE_STROKE_ZONE_PT * scale or gap < EDGE_STROKE_MIN_GAP_PT * scale
            or width > EDGE_STROKE_MAX_WIDTH_PT * scale):
        return False
    rest_patch = patch[:, rest[0][0]:rest[-1][1]]
    return _ink_height(patch[:, stroke[0]:stroke[1]]) >= (
        EDGE_STROKE_MIN_HEIGHT_SHARE * _ink_height(rest_patch))


def _ink_height(patch: np.ndarray) -> int:
    """Rows from the first inked one to the last, inclusive; 0 for a blank patch."""
    rows = np.flatnonzero(patch.any(axis=1))
    return int(rows[-1] - rows[0] + 1) if rows.size else 0


def unread_marks(regions: list[InkRegion], words: list[Word], ink: np.ndarray,
                 dpi: float) -> list[Word]:
    """A zero-confidence :data:`UNREAD_MARK` for each inked region no word was read from."""
    scale = dpi / 72
    marks = []
    for region in regions:
        box = pixel_box_to_bbox(region.x0, region.top, region.x1, region.bottom, dpi)
        if any(box.contains_point(w.bbox.center_x, w.bbox.center_y, 1.0) for w in words):
            continue
        patch = ink[region.top:region.bottom, region.x0:region.x1]
        if (region.height >= UNREAD_MIN_HEIGHT_PT * scale
                and np.count_nonzero(patch) >= UNREAD_MIN_INK_PT2 * scale * scale):
            marks.append(_word(UNREAD_MARK, 0.0,
                               (region.x0, region.top, region.x1, region.bottom), dpi))
    return marks


def _read_regions(gray: np.ndarray, ink: np.ndarray, regions: list[InkRegion], dpi: float,
                  engine: OcrEngine, max_line_pt: float = MAX_LINE_HEIGHT_PT,
                  second_opinion: bool = False,
                  page_dash_confidence: float | None = None) -> list[Word]:
    """Recognition alone for regions made of plain text lines (batched), detection +
    recognition for the rest; ``second_opinion`` as in :func:`_recognize_regions`. Dashes
    and slashes are told by their shape (:func:`placeholder_marks`)."""
    bands_per_region = [ink_bands(ink, region) for region in regions]
    line_height = _typical_line_height(bands_per_region, dpi)
    tallest = max_line_pt * dpi / 72
    marks = placeholder_marks(ink, regions, bands_per_region, line_height,
                              page_dash_confidence)
    lines: list[InkRegion] = []
    words: list[Word] = []
    for region, bands, mark in zip(regions, bands_per_region, marks, strict=True):
        if mark is not None:
            words.append(_word(*mark,
                               (region.x0, region.top, region.x1, region.bottom), dpi))
        elif _are_plain_lines(bands, line_height, tallest):
            lines += bands
        elif found := _detect_in_region(gray, ink, region, dpi, engine):
            words += found
        elif (region.height <= MENDED_LINE_SHARE * line_height
              and region.x1 - region.x0 <= MENDED_MAX_WIDTH_SHARE * line_height):
            # Nothing detected in ink about a line tall and a few characters wide: a number
            # broken across its middle by fading (a "2" leaves its arc and its foot) is
            # read as one line.
            lines.append(region)
    read = _recognize_regions(gray, ink, lines, dpi, engine, second_opinion)
    return flag_fragments(read, line_height * 72 / dpi) + words


def placeholder_marks(ink: np.ndarray, regions: list[InkRegion],
                      bands_per_region: list[list[InkRegion]], line_height: float,
                      page_dash_confidence: float | None) -> list[tuple[str, float] | None]:
    """(mark, confidence) for each of ``regions`` that is a dash or slash, None for the rest.

    A stroke told by its own shape (:func:`_placeholder`) is sure. With
    ``page_dash_confidence``, a stroke shaped like the page's own dashes
    (:func:`with_page_dashes`) is a dash at that confidence: on a bitonal page it is kept
    below the warning threshold, since what fading leaves of a 0 can be such a stroke.
    """
    shaped = [_shaped_mark(ink, region, bands, line_height)
              for region, bands in zip(regions, bands_per_region, strict=True)]
    if page_dash_confidence is None:
        return [None if mark is None else (mark, PLACEHOLDER_CONFIDENCE) for mark in shaped]
    marks = with_page_dashes(regions, bands_per_region, shaped, line_height)
    return [None if mark is None
            else (mark, PLACEHOLDER_CONFIDENCE if own is not None else page_dash_confidence)
            for mark, own in zip(marks, shaped, strict=True)]


def flag_fragments(words: list[Word], line_height_pt: float) -> list[Word]:
    """Numbers read from ink shorter than :data:`MIN_LINE_SHARE` of the page's text lines,
    kept at no more than :data:`DISAGREEING_CONFIDENCE`. Every digit of a font is as tall as
    the others, so such ink is what fading left of one: the arc of a 0 is a sure "1"."""
    shortest = MIN_LINE_SHARE * line_height_pt
    return [replace(word, confidence=min(word.confidence, DISAGREEING_CONFIDENCE),
                    weakest=None if word.weakest is None else min(word.weakest,
                                                                  DISAGREEING_CONFIDENCE))
            if word.bbox.height < shortest and _is_digits(word.text) else word
            for word in words]


def _typical_line_height(bands_per_region: list[list[InkRegion]], dpi: float) -> float:
    """Median ink height of regions holding one line of text (dashes and dots, shorter than
    :data:`MIN_TEXT_HEIGHT_PT`, left out); a 10.5 pt line when there are none."""
    shortest = MIN_TEXT_HEIGHT_PT * dpi / 72
    heights = [bands[0].height for bands in bands_per_region
               if len(bands) == 1 and bands[0].height >= shortest]
    return float(np.median(heights)) if heights else DEFAULT_LINE_HEIGHT_PT * dpi / 72


def _are_plain_lines(bands: list[InkRegion], line_height: float, tallest: float) -> bool:
    """One band of at most a line's height, or several bands each about a line tall (a
    character with gaps of its own, like 三, splits into thinner bands and fails this)."""
    if len(bands) == 1:
        return bands[0].height <= tallest
    return all(MIN_LINE_SHARE * line_height <= band.height <= tallest for band in bands)


def _recognize_regions(gray: np.ndarray, ink: np.ndarray, regions: list[InkRegion], dpi: float,
                       engine: OcrEngine, second_opinion: bool = False) -> list[Word]:
    """Each line region read on its own (batched). ``second_opinion`` (a bitonal page):
    every number read sure is read once more from a crop with wider margins, and flagged
    when the two readings differ (:func:`check_numbers`) or when its ink lies in more pieces
    than it has characters (:func:`flag_broken_numbers`)."""
    crops = [_crop(gray, region, ink) for region in regions]
    results = reread_unsure(engine.recognize_lines(crops), crops, dpi, engine)
    if second_opinion:
        wide = [_crop(gray, region, ink, SECOND_MARGIN_RATIO) for region in regions]
        results = check_numbers(results, wide, engine)
        results = flag_broken_numbers(results, ink, regions, dpi)
    return [
        _word(result.text, result.confidence,
              (region.x0, region.top, region.x1, region.bottom), dpi, result.weakest)
        for region, result in _labels_kept_apart(
            _numbers_kept_apart(list(zip(regions, results, strict=True)), gray, ink, engine),
            gray, ink, engine)
        if result.text.strip() and result.confidence >= MIN_WORD_CONFIDENCE
    ]


def _numbers_kept_apart(read: list[tuple[InkRegion, RecognizedText]], gray: np.ndarray,
                        ink: np.ndarray, engine: OcrEngine
                        ) -> list[tuple[InkRegion, RecognizedText]]:
    """Each region with its reading; a line read as a number that is two or more numbers
    standing apart (a column line faded out between them, "46    248") is read again a number
    at a time, and each number is a reading of its own: read whole, the recognizer runs them
    together ("46248"). A speck apart from them that reads as nothing is left out."""
    pieces = {index: [InkRegion(start, region.top, end, region.bottom) for start, end in groups]
              for index, (region, result) in enumerate(read)
              if not has_han(result.text) and len(groups := _ink_groups(ink, region)) >= 2}
    return _read_in_pieces(read, pieces, gray, ink, engine,
                           lambda again: [(piece, reading) for piece, reading in again
                                          if reading.text.strip()])


def _labels_kept_apart(read: list[tuple[InkRegion, RecognizedText]], gray: np.ndarray,
                       ink: np.ndarray, engine: OcrEngine
                       ) -> list[tuple[InkRegion, RecognizedText]]:
    """A line read as words and a number that stand far apart (the column line between a
    row label and its value faded out, "行政事业性收费      7545") read again as two: the
    label, and the number, each a word with its own box. Read whole, the line is one word,
    and the number in it has no place of its own. Kept whole unless the label reads as words
    and the number as digits alone."""
    pieces = {index: list(cut) for index, (region, result) in enumerate(read)
              if has_han(result.text) and any(char.isdigit() for char in result.text)
              and (cut := _label_and_number(ink, region))}

    def label_then_number(again: list[tuple[InkRegion, RecognizedText]]
                          ) -> list[tuple[InkRegion, RecognizedText]]:
        (_, label), (_, number) = again
        return again if has_han(label.text) and number.text.replace(" ", "").isdigit() else []

    return _read_in_pieces(read, pieces, gray, ink, engine, label_then_number)


_Reading = tuple[InkRegion, RecognizedText]


def _read_in_pieces(read: list[_Reading], pieces: dict[int, list[InkRegion]], gray: np.ndarray,
                    ink: np.ndarray, engine: OcrEngine,
                    keep: Callable[[list[_Reading]], list[_Reading]]) -> list[_Reading]:
    """``read`` with each line that has ``pieces`` (by index) read again a piece at a time
    (batched) and replaced by what ``keep`` keeps of the pieces' readings; a line of which
    ``keep`` keeps nothing stays as it was read."""
    crops = [_crop(gray, piece, ink) for index in sorted(pieces) for piece in pieces[index]]
    readings = iter(engine.recognize_lines(crops) if crops else [])
    out: list[_Reading] = []
    for index, line in enumerate(read):
        if index not in pieces:
            out.append(line)
            continue
        again = [(piece, next(readings)) for piece in pieces[index]]
        out += keep(again) or [line]
    return out


def _label_and_number(ink: np.ndarray, region: InkRegion) -> tuple[InkRegion, InkRegion] | None:
    """``region`` cut into its words and the number after them, where the last group of ink
    stands at least :data:`LABEL_NUMBER_GAP_SHARE` line heights apart from the rest and is
    no wider than a short number; None otherwise."""
    patch = ink[region.top:region.bottom, region.x0:region.x1] > 0
    height = _ink_height(patch)
    column_runs = runs(patch.any(axis=0))
    if height == 0 or len(column_runs) < 2:
        return None
    gaps = [right[0] - left[1] for left, right in itertools.pairwise(column_runs)]
    widest = int(np.argmax(gaps))
    if gaps[widest] < LABEL_NUMBER_GAP_SHARE * height:
        return None
    words_end = column_runs[widest][1]
    number_runs = _without_line_scraps(column_runs[widest + 1:], height)
    number_start, number_end = number_runs[0][0], number_runs[-1][1]
    if number_end - number_start > NUMBER_MAX_WIDTH_SHARE * height:
        return None
    return (InkRegion(region.x0 + column_runs[0][0], region.top, region.x0 + words_end,
                      region.bottom),
            InkRegion(region.x0 + number_start, region.top, region.x0 + number_end,
                      region.bottom))


def _without_line_scraps(column_runs: list[tuple[int, int]], height: int
                        ) -> list[tuple[int, int]]:
    """``column_runs`` (start, end) of a number without the thin strokes before it that stand
    half a line height or more from the ink after them: a scrap of the lost column line
    between a label and its value ("事项 ¦ 0"), no digit, whose neighbours stand closer."""
    while (len(column_runs) > 1
           and column_runs[0][1] - column_runs[0][0] <= LINE_SCRAP_WIDTH_SHARE * height
           and column_runs[1][0] - column_runs[0][1] >= LINE_SCRAP_GAP_SHARE * height):
        column_runs = column_runs[1:]
    return column_runs


def check_numbers(results: list[RecognizedText], crops: list[np.ndarray],
                  engine: OcrEngine) -> list[RecognizedText]:
    """Numbers read sure are read again from ``crops`` (the same ink, framed differently):
    where the two readings differ, the first is kept at :data:`DISAGREEING_CONFIDENCE`, so it
    is flagged. A bitonal scan cuts every stroke at one threshold, and a 6 whose gap closed
    reads as a sure 8 in one framing and a sure 6 in another; which framing is right varies,
    so the second only casts doubt."""
    sure = [index for index, result in enumerate(results)
            if result.confidence >= REREAD_BELOW and _is_digits(result.text)]
    if not sure:
        return results
    second = engine.recognize_lines([crops[index] for index in sure])
    results = list(results)
    for index, again in zip(sure, second, strict=True):
        if again.text != results[index].text:
            results[index] = RecognizedText(results[index].text, DISAGREEING_CONFIDENCE)
    return results


def flag_broken_numbers(results: list[RecognizedText], ink: np.ndarray,
                        regions: list[InkRegion], dpi: float) -> list[RecognizedText]:
    """Numbers whose ink lies in more pieces than they have characters, or whose digits stand
    apart with one much shorter than the others, kept at no more than
    :data:`DISAGREEING_CONFIDENCE`. Every digit is one stroke in print, so a piece too many
    means a glyph the threshold broke, and the recognizer may be sure of the wrong digit: a 4
    that lost its diagonal and crossbar is a sure "1" ("9187" for 9487). Touching digits
    (fewer pieces) are no such sign. Every digit of a font is as tall as the others, so a
    short one lost its top or its foot: a 9 without its arc is a sure "4" ("114" for 119)."""
    smallest = BROKEN_PIECE_MIN_PT2 * (dpi / 72) ** 2
    flagged = list(results)
    for index, (result, region) in enumerate(zip(results, regions, strict=True)):
        text = result.text.replace(" ", "")
        if result.confidence <= DISAGREEING_CONFIDENCE or not _is_digits(text):
            continue
        pieces = _ink_pieces(ink, region, smallest)
        if len(pieces) <= len(text) and not _has_short_digit(ink, region, pieces, text):
            continue
        weakest = None if result.weakest is None else min(result.weakest, DISAGREEING_CONFIDENCE)
        flagged[index] = RecognizedText(result.text, DISAGREEING_CONFIDENCE, weakest)
    return flagged


def _ink_pieces(ink: np.ndarray, region: InkRegion, smallest: float) -> list[InkRegion]:
    """Boxes of the pieces of ink in ``region`` of at least ``smallest`` pixels, left to
    right (coordinates within the region)."""
    patch = ink[region.top:region.bottom, region.x0:region.x1]
    count, _, stats, _ = cv2.connectedComponentsWithStats(patch, connectivity=8)
    return sorted((InkRegion(int(x), int(y), int(x + w), int(y + h))
                   for x, y, w, h, area in stats[1:count] if area >= smallest),
                  key=lambda piece: piece.x0)


def _has_short_digit(ink: np.ndarray, region: InkRegion, pieces: list[InkRegion],
                     text: str) -> bool:
    """One piece per digit of an all-digit ``text``, standing apart left to right, and the
    ink across one of them (its scraps too small to count as pieces included: a 2 whose arc
    broke into crumbs is whole enough) shorter than :data:`SHORT_DIGIT_SHARE` of the
    tallest."""
    if not text.isdigit() or len(text) < 2 or len(pieces) != len(text):
        return False
    if any(left.x1 > right.x0 for left, right in itertools.pairwise(pieces)):
        return False
    patch = ink[region.top:region.bottom, region.x0:region.x1] > 0
    heights = [_ink_height(patch[:, piece.x0:piece.x1]) for piece in pieces]
    return min(heights) < SHORT_DIGIT_SHARE * max(heights)


def _is_digits(text: str) -> bool:
    return any(char.isdigit() for char in text) and not has_han(text)


def reread_unsure(results: list[RecognizedText], crops: list[np.ndarray], dpi: float,
                   engine: OcrEngine) -> list[RecognizedText]:
    """Lines read as something other than words (numbers, or garbage) with less than
    :data:`REREAD_BELOW` confidence are read again with their strokes mended
    (:func:`mend_strokes`); the surer reading wins. When the two readings differ, the
    winner's confidence stays below :data:`REREAD_BELOW`, so it is flagged."""
    unsure = [index for index, result in enumerate(results)
              if result.confidence < REREAD_BELOW and not has_han(result.text)]
    if not unsure:
        return results
    second = engine.recognize_lines([mend_strokes(crops[index], dpi) for index in unsure])
    results = list(results)
    for index, again in zip(unsure, second, strict=True):
        first = results[index]
        best = max(first, again, key=lambda result: result.confidence)
        if again.text != first.text:
            best = RecognizedText(best.text, min(best.confidence, DISAGREEING_CONFIDENCE))
        results[index] = best
    return results


def mend_strokes(crop: np.ndarray, dpi: float) -> np.ndarray:
    """Strokes thickened by a pixel and softened: thin print broken up by fading or by a
    bitonal scanner's threshold ("( )" for a "0") joins up again."""
    thicker = cv2.erode(crop, np.ones((MEND_KERNEL_PX, MEND_KERNEL_PX), np.uint8))
    return cv2.GaussianBlur(thicker, (0, 0), MEND_BLUR_PT * dpi / 72)


def _detect_in_region(gray: np.ndarray, ink: np.ndarray, region: InkRegion, dpi: float,
                      engine: OcrEngine) -> list[Word]:
    """Detection + recognition on one region; boxes mapped back to working pixels.

    Detected boxes that stand upright (a vertical header, one character per line) are split
    into their characters and each is recognised alone: the recognizer reads lines, and a
    tall box would be turned on its side.
    """
    margin = max(4, round(region.height * CROP_MARGIN_RATIO))
    left, top = region.x0 - margin, region.top - margin
    patch = gray[region.top:region.bottom, region.x0:region.x1]
    boxes = engine.detect_and_recognize(
        np.pad(patch, margin, mode="constant", constant_values=255))
    words: list[Word] = []
    for box in boxes:
        x0, y0, x1, y1 = box.pixel_box
        placed = InkRegion(max(0, round(x0 + left)), max(0, round(y0 + top)),
                           round(x1 + left), round(y1 + top))
        if placed.height > UPRIGHT_BOX_RATIO * (placed.x1 - placed.x0):
            words += _read_upright_box(gray, ink, placed, dpi, engine)
        elif box.text.strip() and box.confidence >= MIN_WORD_CONFIDENCE:
            words.append(_word(box.text, box.confidence,
                               (x0 + left, y0 + top, x1 + left, y1 + top), dpi))
    return words


def _read_upright_box(gray: np.ndarray, ink: np.ndarray, placed: InkRegion, dpi: float,
                      engine: OcrEngine) -> list[Word]:
    """An upright box's characters one by one; one narrow glyph (a "1", which detection also
    boxes upright) is read whole, so a gap fading left across it does not make it "11"."""
    region = ink_extent(ink, placed)
    if region is None:
        return []
    if region.x1 - region.x0 < NARROW_GLYPH_PT * dpi / 72:
        return _recognize_regions(gray, ink, [region], dpi, engine)
    return _recognize_regions(gray, ink, _character_bands(ink, region), dpi, engine)


def _character_bands(ink: np.ndarray, region: InkRegion) -> list[InkRegion]:
    """Split a one-character-wide column into characters: blank-row bands, with the pieces
    of a character that has gaps of its own (二, 三, 旦) joined while they stay about as tall
    as the column is wide."""
    width = region.x1 - region.x0
    return _joined_bands(ink_bands(ink, region),
                         lambda last, band: band.bottom - last.top <= 1.15 * width)


def _joined_bands(bands: list[InkRegion],
                  joins: Callable[[InkRegion, InkRegion], bool]) -> list[InkRegion]:
    """Bands top to bottom, each joined to the one before it while ``joins(last, band)``."""
    joined: list[InkRegion] = []
    for band in bands:
        if joined and joins(joined[-1], band):
            last = joined.pop()
            band = InkRegion(min(last.x0, band.x0), last.top, max(last.x1, band.x1),
                             band.bottom)
        joined.append(band)
    return joined


def _outside_strips(view: PageView) -> list[InkRegion]:
    """Horizontal strips of ink outside every table (titles, prose, page numbers)."""
    ink = view.outside_ink
    gap = STRIP_GAP_PT * view.prepared.dpi / 72
    return _joined_bands(ink_bands(ink, InkRegion(0, 0, ink.shape[1], ink.shape[0])),
                         lambda last, band: band.top - last.bottom <= gap)


def _read_outside_tables(view: PageView, engine: OcrEngine) -> list[Word]:
    return _read_regions(view.outside_gray, view.outside_ink, _outside_strips(view),
                         view.prepared.dpi, engine, MAX_PROSE_LINE_HEIGHT_PT)


def _fill_glyph_book(book: GlyphBook, view: PageView, areas: list[InkRegion],
                     trimmed: list[InkRegion], words: list[Word], number: int) -> None:
    """Teach ``book`` the glyphs of the cells' numbers read sure, and hold every cell piece of
    ``areas`` whose ink (within ``trimmed``, as :func:`_read_cells` reads it) was not read as
    a sure number (no word, the unread mark, a letter, a number read unsure) nor as a dash or
    slash, with what was read there: each piece whose ink stands within one text line, and
    each line of a wrapped number (:func:`_text_lines`)."""
    dpi = view.prepared.dpi
    sure = [(bbox_to_pixel_box(word.bbox, dpi), word.text) for word in words
            if word.text.isdigit() and word.confidence >= REREAD_BELOW]
    book.learn(view.ink, dpi, sure, number)
    scale = dpi / 72
    centres = np.array([(word.bbox.center_x * scale, word.bbox.center_y * scale)
                        for word in words], np.float64).reshape(-1, 2)
    parsed = [parse_value(word.text, ocr=True) for word in words]
    settled = np.array([has_han(word.text) or value.kind in (ValueKind.DASH, ValueKind.SLASH)
                        or (value.kind is ValueKind.NUMBER and word.confidence >= REREAD_BELOW)
                        for word, value in zip(words, parsed, strict=True)], bool)
    # What was read, with the recognizer's letter-for-digit confusions undone ("o" is "0").
    read = [str(value.value) if value.kind is ValueKind.NUMBER else word.text
            for word, value in zip(words, parsed, strict=True)]

    def inside(area: InkRegion) -> np.ndarray:
        return np.flatnonzero(
            (centres[:, 0] >= area.x0 - scale) & (centres[:, 0] <= area.x1 + scale)
            & (centres[:, 1] >= area.top - scale) & (centres[:, 1] <= area.bottom + scale))

    lines = [line for area, inner in zip(areas, trimmed, strict=True)
             for line in _text_lines(view.ink, area, inner, MAX_LINE_HEIGHT_PT * scale,
                                     labelled=any(has_han(words[i].text) for i in inside(area)))]
    for area, inner in lines:
        inside_line = inside(area)
        if settled[inside_line].any():
            continue
        extent = ink_extent(view.ink, inner, min_pixels=1)
        if extent is None:
            continue
        scraps = view.ink[extent.top:extent.bottom, extent.x0:extent.x1] > 0
        text = "".join(read[index] for index in inside_line)
        if text == "1" and _strokes_side_by_side(scraps):
            text = ""  # a 1 is one upright stroke: this is what fading left of another digit
        book.hold(HeldCell(number, dpi, scraps, (extent.x0, extent.top, extent.x1, extent.bottom),
                           (area.x0, area.top, area.x1, area.bottom), text))


def _strokes_side_by_side(scraps: np.ndarray) -> bool:
    """Whether ``scraps`` hold two or more pieces apart across, each standing at least
    :data:`SIDE_BY_SIDE_HEIGHT_SHARE` of their height: the sides of a 0 left as "( )", which
    the recognizer reads as a sure "1"."""
    height = scraps.shape[0]
    tall = [start for start, end in runs(scraps.any(axis=0))
            if _ink_height(scraps[:, start:end]) >= SIDE_BY_SIDE_HEIGHT_SHARE * height]
    return len(tall) >= 2


def _text_lines(ink: np.ndarray, area: InkRegion, inner: InkRegion, tallest: float,
                labelled: bool = False) -> list[tuple[InkRegion, InkRegion]]:
    """A cell piece (with its trimmed self) when its ink stands within one text line; else,
    unless it holds a label (``labelled``: Chinese was read in it), each line of its ink: a
    number wrapped in a narrow cell whose last digit faded ("217" over a 4 left as "+"). A
    line is the bands of ink, top to bottom, that stay within ``tallest`` together (the
    scraps of one faded digit lie in several), and at least MIN_LINE_SHARE as tall as the
    tallest: dashes of a faded line under a number are no line of digits."""
    extent = ink_extent(ink, inner, min_pixels=1)
    if extent is None or extent.height <= tallest:
        return [(area, inner)]
    if labelled:
        return []
    bands = [band for band in _joined_bands(ink_bands(ink, inner),
                                            lambda last, band: band.bottom - last.top <= tallest)
             if band.height <= tallest]
    line_height = max((band.height for band in bands), default=0)
    return [(InkRegion(area.x0, band.top, area.x1, band.bottom),
             InkRegion(inner.x0, band.top, inner.x1, band.bottom))
            for band in bands if band.height >= MIN_LINE_SHARE * line_height]


def read_faded_cells(layouts: list[PageLayout], book: GlyphBook) -> list[PageLayout]:
    """``layouts`` with each held cell whose scraps read clearly against the document's glyphs
    (:meth:`GlyphBook.readings`) holding that reading instead of what the recognizer made of
    them, at no more than :data:`FADED_CONFIDENCE`: always flagged for a reviewer."""
    by_page: dict[int, list[FadedReading]] = {}
    for reading in book.readings():
        by_page.setdefault(reading.cell.page, []).append(reading)
    updated = []
    for layout in layouts:
        readings = by_page.get(layout.number, [])
        if not readings:
            updated.append(layout)
            continue
        words = list(layout.words)
        for reading in readings:
            cell = reading.cell
            area = pixel_box_to_bbox(*cell.area, cell.dpi)
            words = [word for word in words
                     if not area.contains_point(word.bbox.center_x, word.bbox.center_y, 1.0)]
            words.append(_word(reading.match.text, FADED_CONFIDENCE, cell.box, cell.dpi))
        updated.append(replace(layout, words=words))
    return updated
