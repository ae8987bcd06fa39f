import cv2
import numpy as np
import pymupdf
import pytest
from tests.ocr.conftest import distinct, render, vector_ruling_positions

from giar.extract.textlayer import read_text_layer
from giar.geometry import BBox
from giar.layout import Ruling, Source, Word
from giar.ocr.engines import RecognizedText, get_engine
from giar.ocr.page import (
    DISAGREEING_CONFIDENCE,
    FAINT_INK_LEVEL,
    MIN_CELL_INK_PIXELS,
    PLACEHOLDER_CONFIDENCE,
    InkRegion,
    check_numbers,
    columns_of_earlier_table,
    cut_at_blank_edges,
    faint_marks,
    flag_broken_numbers,
    flag_fragments,
    ink_bands,
    ink_extent,
    lost_column_lines,
    lost_outer_columns,
    lost_outer_rows,
    ocr_page,
    placeholder_marks,
    read_upright,
    reread_unsure,
    stray_line_columns,
    unread_marks,
    upright_page,
    with_page_dashes,
    with_pale_strokes,
    without_edge_strokes,
)
from giar.ocr.page import _analyse as analyse
from giar.ocr.page import _crop as crop_of
from giar.ocr.page import _erase_rulings as erase_rulings
from giar.ocr.page import _read_upright_box as read_upright_box
from giar.ocr.page import _recognize_regions as recognize_regions
from giar.ocr.page import _turned_half as turned_half
from giar.ocr.page import _word as word_of
from giar.ocr.preprocess import ink_mask, prepare_page, turn_half
from giar.ocr.raster_rulings import detect_rulings
from giar.tables.cells import fill_cells
from giar.tables.grid import detect_grids
from giar.tables.values import UNREAD_MARK, looks_like_value

# Known misreadings at 200 DPI: full-width parentheses read as ASCII, and one 、 read as 1.
KNOWN_MISREADINGS = {"三、本年度办理结果"}


def _normalise(text: str) -> str:
    return text.replace(" ", "").replace("(", "（").replace(")", "）")


def test_ink_bands_split_lines_at_blank_rows():
    ink = np.zeros((40, 20), dtype=np.uint8)
    ink[5:12, 3:15] = 255
    ink[20:28, 4:10] = 255
    region = ink_extent(ink, InkRegion(0, 0, 20, 40))
    assert (region.x0, region.top, region.x1, region.bottom) == (3, 5, 15, 28)
    bands = ink_bands(ink, region)
    assert [(b.x0, b.top, b.x1, b.bottom) for b in bands] == [(3, 5, 15, 12), (4, 20, 10, 28)]


@pytest.mark.slow
@pytest.mark.parametrize("page_index", [2, 3])
def test_ocr_cells_read_like_the_text_layer(hongze, page_index):
    number = page_index + 1
    layout = ocr_page(render(hongze[page_index], 200), 200, number, get_engine())
    assert layout.method is Source.OCR
    assert (layout.width, layout.height) == (pytest.approx(595, abs=0.5),
                                              pytest.approx(842, abs=0.5))
    assert all(word.source is Source.OCR and 0 < word.confidence <= 1 for word in layout.words)
    reference = read_text_layer(hongze[page_index], number)
    expected_grids = detect_grids(reference.rulings, number)
    found_grids = detect_grids(layout.rulings, number)
    assert len(found_grids) == len(expected_grids)
    compared = 0
    for expected, found in zip(expected_grids, found_grids, strict=True):
        expected_cells = fill_cells(expected, reference.words).cells
        found_cells = fill_cells(found, layout.words).cells
        for want, got in zip(expected_cells, found_cells, strict=True):
            if want.text in KNOWN_MISREADINGS:
                continue
            assert _normalise(got.text) == _normalise(want.text)
            compared += 1
    assert compared > 100


@pytest.mark.slow
@pytest.mark.parametrize("quarter_turns", [0, 1, 2, 3])
def test_turned_pages_come_out_upright(hongze, quarter_turns):
    image = np.rot90(render(hongze[3], 150), quarter_turns).copy()
    view = upright_page(image, 150, 4, get_engine())
    expected_h, expected_v = vector_ruling_positions(hongze[3])
    found_h = distinct([(r.top + r.bottom) / 2 for r in view.rulings if r.is_horizontal])
    found_v = distinct([(r.x0 + r.x1) / 2 for r in view.rulings if not r.is_horizontal])
    assert found_h == pytest.approx(expected_h, abs=1.5)
    assert found_v == pytest.approx(expected_v, abs=1.5)


class _RefusingEngine:
    def recognize_lines(self, crops):
        raise AssertionError("the page was tested turned")


def test_a_page_whose_words_were_read_sure_is_not_tested_turned(hongze):
    image = render(hongze[3], 150)
    sure = [(400.0, 20.0, "政府信息公开", 0.98)]
    view = read_upright(image, 150, 4, _RefusingEngine(), lambda view: view, lambda _: sure)
    assert view.prepared.quarter_turns == 0 and view.grids
    unsure = [(400.0, 20.0, "政府信息公开", 0.5)]
    engine = _CountingEngine()
    read_upright(image, 150, 4, engine, lambda view: view, lambda _: unsure)
    assert engine.crops  # in doubt: the line starts are read as they are


def test_a_view_turned_half_has_the_cells_its_turned_page_would_have(hongze):
    # an upside-down page's analysis is flipped rather than done again
    prepared = prepare_page(np.rot90(render(hongze[3], 150), 2).copy(), 150)
    turned = turned_half(analyse(prepared, 4), 4)
    again = analyse(turn_half(prepared), 4)
    assert turned.grids and [len(grid.cells) for grid in turned.grids] == [
        len(grid.cells) for grid in again.grids]
    for grid, expected in zip(turned.grids, again.grids, strict=True):
        for cell, want in zip(grid.cells, expected.cells, strict=True):
            assert (cell.bbox.x0, cell.bbox.top, cell.bbox.x1, cell.bbox.bottom) == pytest.approx(
                (want.bbox.x0, want.bbox.top, want.bbox.x1, want.bbox.bottom), abs=1.0)
    assert (turned.ink == again.ink).mean() > 0.999


def test_inked_cell_with_no_reading_is_marked_unread_not_left_blank():
    dpi = 144  # 2 px per point
    ink = np.zeros((200, 200), np.uint8)
    ink[20:44, 20:36] = 255  # a faded "4": 12 x 8 pt of ink the recogniser gave up on
    ink[100:103, 100:103] = 255  # a speck of dust in a blank cell
    ink[150:174, 20:36] = 255  # a cell that was read
    read = Word(text="7", bbox=BBox(10, 75, 18, 87), source=Source.OCR, confidence=0.99)
    regions = [InkRegion(20, 20, 36, 44), InkRegion(100, 100, 103, 103), InkRegion(20, 150, 36, 174)]

    marks = unread_marks(regions, [read], ink, dpi)

    assert [(m.text, m.confidence, m.bbox) for m in marks] == [
        (UNREAD_MARK, 0.0, BBox(10, 10, 18, 22))]
    assert looks_like_value(UNREAD_MARK)  # a row holding one stays a data row


def test_a_thin_one_the_recogniser_gave_up_on_is_marked_unread():
    dpi = 144
    ink = np.zeros((100, 100), np.uint8)
    ink[20:32, 40:42] = 255  # 1 x 6 pt: a faded "1", a few pixels of ink
    marks = unread_marks([InkRegion(40, 20, 42, 32)], [], ink, dpi)
    assert [m.text for m in marks] == [UNREAD_MARK]


def test_a_pale_mark_centred_in_a_blank_cell_is_found_and_show_through_is_not():
    dpi = 144  # 2 px per point
    gray = np.full((120, 400), 255, np.uint8)
    cells = [InkRegion(0, 0, 100, 40), InkRegion(100, 0, 200, 40), InkRegion(200, 0, 300, 40),
             InkRegion(300, 0, 400, 40)]
    gray[8:30, 45:57] = FAINT_INK_LEVEL - 15  # a pale "0", centred in the first cell
    gray[14:20, 48:54] = 255
    gray[8:30, 110:140] = FAINT_INK_LEVEL - 15  # a pale blot against the left border
    gray[8:30, 245:257] = 40  # a dark "0": the ink threshold's business, not a faint mark
    ink = np.where(gray < 128, 255, 0).astype(np.uint8)
    gray[5:35, 300:400:7] = FAINT_INK_LEVEL + 10  # show-through too light to count

    marks, _ = faint_marks(gray, ink, cells, dpi)

    assert marks == [InkRegion(45, 8, 57, 30)]


def test_the_pale_strokes_of_a_faded_number_join_the_ink_the_threshold_kept_of_it():
    gray = np.full((40, 300), 245, np.uint8)
    cells = [InkRegion(0, 0, 100, 40), InkRegion(100, 0, 200, 40), InkRegion(200, 0, 300, 40)]
    gray[8:30, 40:52] = 190  # a pale "0" of colour print, of which only a piece is dark
    gray[14:24, 44:48] = 245
    gray[8:14, 40:44] = 140
    gray[8:30, 60:64] = 200  # a pale stroke beside it, not touching it
    gray[8:30, 140:152] = 40  # a dark "0" with a grey fringe: not pale print
    gray[8:30, 152:154] = 190
    gray[20:22, 240:244] = 140  # a dark speck, less ink than a character, on pale ink
    gray[8:30, 236:248] = np.minimum(gray[8:30, 236:248], 200)
    ink = np.where(gray < 150, 255, 0).astype(np.uint8)
    assert np.count_nonzero(ink[:, 200:]) < MIN_CELL_INK_PIXELS

    completed = with_pale_strokes(gray, ink, cells)

    expected = ink.copy()
    expected[8:30, 40:52] = np.where(gray[8:30, 40:52] < 245, 255, 0)
    assert (completed == expected).all()
    assert completed is not ink and ink[8:30, 40:52].sum() < expected[8:30, 40:52].sum()


def test_a_spanning_cell_is_cut_where_no_ink_crosses_its_inner_edges():
    ink = np.zeros((100, 200), np.uint8)
    ink[10:30, 40:60] = 255  # a number left of the inner column edge at x=100
    ink[10:30, 140:160] = 255  # another one right of it
    area = InkRegion(0, 0, 200, 100)
    # the band along each cut (2 px each side) holds nothing but border: it stays out
    assert cut_at_blank_edges(ink, area, xs=[100], ys=[50], band=2, dash=6) == [
        InkRegion(0, 0, 98, 48), InkRegion(103, 0, 200, 48),
        InkRegion(0, 53, 98, 100), InkRegion(103, 53, 200, 100)]
    ink[5:95:6, 99:101] = 255  # dashes left of the faded border itself do not stop a cut
    assert len(cut_at_blank_edges(ink, area, xs=[100], ys=[50], band=2, dash=6)) == 4
    one = ink.copy()
    one[60:80, 99:101] = 255  # a "1" centred on the edge of a cell that really spans
    # ... keeps the lower row whole; the upper row, cut off first, is cut on its own
    assert cut_at_blank_edges(one, area, xs=[100], ys=[50], band=2, dash=6) == [
        InkRegion(0, 0, 98, 48), InkRegion(103, 0, 200, 48), InkRegion(0, 53, 200, 100)]
    between = ink.copy()
    between[8:32, 99:101] = 255  # a long piece of border left between the two numbers
    assert len(cut_at_blank_edges(between, area, xs=[100], ys=[50], band=2, dash=6)) == 4
    label = between.copy()
    label[10:30, 4:96] = 255  # a row label merged with the number: text left, a number right
    assert len(cut_at_blank_edges(label, area, xs=[100], ys=[50], band=2, dash=6)) == 4
    label[10:30, 104:196] = 255  # text on both sides of the piece of border: one cell
    assert cut_at_blank_edges(label, area, xs=[100], ys=[50], band=2, dash=6)[0] == InkRegion(
        0, 0, 200, 48)
    pieces = ink.copy()
    pieces[10:26, 40:60] = pieces[10:26, 140:160] = 255  # numbers 16 px tall, and the border
    for top, bottom in ((14, 18), (22, 28), (29, 40), (41, 48)):  # left in pieces 1 px
        pieces[top:bottom, 99:101] = 255  # apart, the longest ones below the numbers
    assert len(cut_at_blank_edges(pieces, area, xs=[100], ys=[50], band=2, dash=6)) == 4
    ink[60:80, 80:120] = 255  # a word across the column edge: no column cut in its row
    assert cut_at_blank_edges(ink, area, xs=[100], ys=[50], band=2, dash=6) == [
        InkRegion(0, 0, 98, 48), InkRegion(103, 0, 200, 48), InkRegion(0, 53, 200, 100)]
    ink[20:40, 80:120] = 255  # and one across the edge in both rows: no column cut at all
    assert cut_at_blank_edges(ink, area, xs=[100], ys=[50], band=2, dash=6) == [
        InkRegion(0, 0, 200, 48), InkRegion(0, 53, 200, 100)]


class _SecondReadingEngine:
    """Reads every crop as ``first``; a crop whose strokes were mended (blurred: it holds
    grey levels) as ``second``."""

    def __init__(self, first, second):
        self.first, self.second = first, second

    def recognize_lines(self, crops):
        return [self.second if len(np.unique(crop)) > 2 else self.first for crop in crops]


def test_an_unsure_reading_is_read_again_and_kept_flagged_when_the_readings_differ():
    crop = np.full((30, 20), 255, np.uint8)
    crop[5:25, 8:11] = 0
    unsure = RecognizedText("1)", 0.54)
    differing = reread_unsure([unsure], [crop], 200, _SecondReadingEngine(unsure, RecognizedText("0", 0.97)))
    assert differing == [RecognizedText("0", DISAGREEING_CONFIDENCE)]
    agreeing = reread_unsure([RecognizedText("0", 0.62)], [crop], 200,
                             _SecondReadingEngine(None, RecognizedText("0", 0.93)))
    assert agreeing == [RecognizedText("0", 0.93)]
    sure = RecognizedText("25", 0.99)
    assert reread_unsure([sure], [crop], 200, _SecondReadingEngine(sure, None)) == [sure]


def _table_with_a_lost_column_line(second_group_x: int | None = 125):
    """72 DPI (1 px = 1 pt): one column 0..100 wide, five rows 30 pt tall, each cell holding
    a number centred at x=25 and, unless None, another at ``second_group_x``; the line at
    x=50 that parted them faded out of the scan."""
    rulings = [Ruling(0, y, 100, y) for y in range(0, 151, 30)]
    rulings += [Ruling(0, 0, 0, 150), Ruling(100, 0, 100, 150)]
    grid = detect_grids(rulings, page=1)[0]
    ink = np.zeros((160, 110), np.uint8)
    for top in range(8, 150, 30):
        ink[top:top + 12, 20:30] = 255
        if second_group_x is not None:
            ink[top:top + 12, second_group_x - 50:second_group_x - 42] = 255
    return grid, ink


def test_a_column_line_lost_in_every_row_is_put_back_between_the_numbers():
    grid, ink = _table_with_a_lost_column_line()
    [line] = lost_column_lines(grid, ink, dpi=72)
    assert 30 < line.x0 == line.x1 < 75 and (line.top, line.bottom) == (0, 150)
    assert len(detect_grids([*_rulings_of(grid), line], page=1)[0].xs) == 3


def test_a_column_line_lost_with_the_row_lines_is_put_back_in_the_merged_block():
    # Column 0..100 lost its middle line in every row, and rows 1-3 lost their row lines
    # there and the column line at x=100 too: one block spans rows 1-3 of both columns.
    rulings = [Ruling(0, y, 150, y) for y in (0, 30, 120, 150)]
    rulings += [Ruling(0, 0, 0, 150), Ruling(150, 0, 150, 150),
                Ruling(100, 0, 100, 30), Ruling(100, 120, 100, 150)]
    rulings += [Ruling(100, y, 150, y) for y in (60, 90)]
    grid = detect_grids(rulings, page=1)[0]
    assert [(cell.rowspan, cell.colspan) for cell in grid.cells if cell.row == 1] == [(3, 2)]
    ink = np.zeros((160, 160), np.uint8)
    for top in range(8, 150, 30):
        for x in (20, 75, 120):
            ink[top:top + 12, x:x + 10] = 255
    [line] = lost_column_lines(grid, ink, dpi=72)
    assert 30 < line.x0 == line.x1 < 75 and (line.top, line.bottom) == (0, 150)


def test_a_1_beside_a_column_line_tilted_the_other_way_is_not_painted_out():
    # 200 DPI: the column line at x=500 leans 20 px left from top to bottom (a keystoned
    # sheet); a "1" stands 18 px right of it near the bottom, where the line's box drawn
    # corner to corner (479 at the top to 501 at the bottom) would run through it
    gray = np.full((500, 1000), 255, np.uint8)
    for y in (100, 400):
        gray[y - 1:y + 2, 100:901] = 0
    gray[100:401, 99:102] = gray[100:401, 899:902] = 0
    for y in range(100, 401):
        x = 500 - round(20 * (y - 100) / 300)
        gray[y, x - 1:x + 2] = 0
    gray[360:390, 499:502] = 0
    rulings = detect_rulings(gray, 200)
    cleaned = erase_rulings(gray, rulings, detect_grids(rulings, 1), 200)
    assert (cleaned[360:390, 499:502] == 0).mean() > 0.9
    assert (cleaned[150:350, 470:505] == 0).sum() < 20  # the line itself is gone


def test_one_number_per_cell_or_text_puts_back_no_line():
    grid, ink = _table_with_a_lost_column_line(second_group_x=None)
    assert lost_column_lines(grid, ink, dpi=72) == []
    grid, ink = _table_with_a_lost_column_line()
    for top in (8, 68, 128):  # text across rows 0, 2 and 4: rows 1 and 3 hold two numbers
        ink[top:top + 12, 20:90] = 255
    assert lost_column_lines(grid, ink, dpi=72) == []
    grid, ink = _table_with_a_lost_column_line()
    ink[38:150] = 0  # two numbers in one row only
    assert lost_column_lines(grid, ink, dpi=72) == []
    grid, ink = _table_with_a_lost_column_line(second_group_x=None)
    for top in range(8, 150, 30):  # specks of a faded border, low by the side of each number
        ink[top + 16:top + 20, 80:82] = 255
    assert lost_column_lines(grid, ink, dpi=72) == []
    ink = np.zeros((160, 110), np.uint8)
    for top in range(8, 150, 30):  # two words of a header, not centred on either side
        ink[top:top + 12, 33:43] = ink[top:top + 12, 57:67] = 255
    assert lost_column_lines(grid, ink, dpi=72) == []
    ink = np.zeros((160, 110), np.uint8)
    for top in range(8, 150, 30):  # scraps of characters a row line cut, 3 pt tall
        ink[top:top + 3, 20:30] = ink[top:top + 3, 70:80] = 255
    assert lost_column_lines(grid, ink, dpi=72) == []


def test_a_column_line_lost_over_two_rows_is_put_back_from_them_and_its_dashes():
    # section 二: a heading over two value columns, and two rows of values, the line
    # between them faded to a dash or two ("0 ¦ 0")
    grid, ink = _table_with_a_lost_column_line()
    ink[:68] = 0
    ink[68:80, 20:90] = 255  # the heading across row 2
    ink[100:104, 49:51] = ink[135:138, 49:51] = 255
    [line] = lost_column_lines(grid, ink, dpi=72)
    assert 30 < line.x0 == line.x1 < 75 and (line.top, line.bottom) == (90, 150)


def test_a_dash_of_the_lost_line_taller_than_the_numbers_does_not_join_them():
    # g2021-023 200 mild: the line's dash in each row runs from the row line down past the
    # numbers' tops, 16 pt of a 30 pt row, and the numbers (12 pt tall) stand 14 pt from it
    # on either side: gaps narrower than the dash is tall, not than the digits
    grid, ink = _table_with_a_lost_column_line(second_group_x=110)
    for top in range(0, 150, 30):
        ink[top + 2:top + 18, 44:46] = 255
    [line] = lost_column_lines(grid, ink, dpi=72)
    assert 30 < line.x0 == line.x1 < 60 and (line.top, line.bottom) == (0, 150)


def _table_with_a_faded_right_border(row_line_end: int = 150, inked_columns: int = 5):
    """72 DPI (1 px = 1 pt): five columns 30 pt wide and three rows 30 pt tall; the column
    lines at x=120 and x=150 (the border) faded out of the scan, the row lines still run to
    ``row_line_end``; the first ``inked_columns`` columns hold a number centred in each
    cell."""
    rulings = [Ruling(0, y, row_line_end, y) for y in (0, 30, 60, 90)]
    rulings += [Ruling(x, 0, x, 90) for x in (0, 30, 60, 90)]
    ink = np.zeros((100, 200), np.uint8)
    for column in range(inked_columns):
        for top in (9, 39, 69):
            ink[top:top + 12, 30 * column + 11:30 * column + 19] = 255
    return rulings, ink


def test_columns_lost_with_a_faded_border_are_put_back_where_the_row_lines_reach():
    rulings, ink = _table_with_a_faded_right_border()
    [grid] = detect_grids(rulings, page=1)
    assert grid.xs == [0, 30, 60, 90]
    lines = lost_outer_columns(grid, rulings, ink, dpi=72)
    assert [(line.x0, line.top, line.bottom) for line in lines if not line.is_horizontal] == [
        (120, 0, 90), (150, 0, 90)]
    assert detect_grids(rulings + lines, page=1)[0].xs == [0, 30, 60, 90, 120, 150]


def test_a_lost_first_column_is_put_back_beside_a_merged_one_and_closed_by_the_borders():
    # The left border at 0 faded with the column line at 90 inside the table (30..90 reads as
    # one column), and the row lines stop 8 pt short of the lost border.
    _, ink = _table_with_a_faded_right_border(inked_columns=6)
    rulings = [Ruling(8, y, 180, y) for y in (0, 30, 60, 90)]
    rulings += [Ruling(x, 0, x, 90) for x in (30, 60, 120, 150, 180)]
    [grid] = detect_grids(rulings, page=1)
    assert grid.xs == [30, 60, 120, 150, 180]
    lines = lost_outer_columns(grid, rulings, ink, dpi=72)
    assert [(line.x0, line.top, line.bottom) for line in lines if not line.is_horizontal] == [
        (0, 0, 90)]
    rebuilt = detect_grids(rulings + lines, page=1)[0]
    assert rebuilt.xs == [0, 30, 60, 120, 150, 180]
    assert [(cell.col, cell.rowspan) for cell in rebuilt.cells if cell.col == 0] == [
        (0, 1), (0, 1), (0, 1)]


def test_no_column_is_put_back_without_a_row_line_ink_or_room_for_a_cell():
    rulings, ink = _table_with_a_faded_right_border(row_line_end=90)
    assert lost_outer_columns(detect_grids(rulings, page=1)[0], rulings, ink, dpi=72) == []
    rulings, ink = _table_with_a_faded_right_border(inked_columns=3)
    assert lost_outer_columns(detect_grids(rulings, page=1)[0], rulings, ink, dpi=72) == []
    rulings, ink = _table_with_a_faded_right_border()
    ink[9:81, 100:140] = 255  # text running on across where the next line would be
    assert lost_outer_columns(detect_grids(rulings, page=1)[0], rulings, ink, dpi=72) == []
    rulings, ink = _table_with_a_faded_right_border()
    rulings = [r for r in rulings if r.x0 != 60 or r.is_horizontal]  # columns 30 and 60 wide
    assert lost_outer_columns(detect_grids(rulings, page=1)[0], rulings, ink, dpi=72) == []


def _table_whose_last_row_lost_its_column_lines(table_below: bool = False):
    """72 DPI: three columns 30 pt wide and three rows 30 pt tall holding a number centred
    in each cell; the column lines faded out of the last row (60..90), its row line at 90
    did not. With ``table_below``, another table starts on that line."""
    rulings = [Ruling(0, y, 90, y) for y in (0, 30, 60, 90)]
    rulings += [Ruling(x, 0, x, 60) for x in (0, 30, 60, 90)]
    if table_below:
        rulings += [Ruling(0, 130, 90, 130)] + [Ruling(x, 90, x, 130) for x in (0, 45, 90)]
    ink = np.zeros((140, 100), np.uint8)
    for column in range(3):
        for top in (9, 39, 69):
            ink[top:top + 12, 30 * column + 11:30 * column + 19] = 255
    return rulings, ink


def test_a_last_row_that_lost_its_column_lines_is_closed_with_the_columns_above_it():
    rulings, ink = _table_whose_last_row_lost_its_column_lines()
    grids = detect_grids(rulings, page=1)
    assert grids[0].ys == [0, 30, 60]
    lines = lost_outer_rows(grids[0], grids, rulings, ink, dpi=72)
    assert [(r.x0, r.top, r.x1, r.bottom) for r in lines] == [
        (0, 90, 90, 90), (0, 60, 0, 90), (30, 60, 30, 90), (60, 60, 60, 90), (90, 60, 90, 90)]
    assert detect_grids(rulings + lines, page=1)[0].ys == [0, 30, 60, 90]


def test_no_row_is_closed_on_the_next_tables_border_or_over_a_heading():
    rulings, ink = _table_whose_last_row_lost_its_column_lines(table_below=True)
    grids = detect_grids(rulings, page=1)
    assert len(grids) == 2
    assert lost_outer_rows(grids[0], grids, rulings, ink, dpi=72) == []
    rulings, ink = _table_whose_last_row_lost_its_column_lines()
    ink[60:90] = 0
    ink[69:81, 10:80] = 255  # a heading running across the columns
    grids = detect_grids(rulings, page=1)
    assert lost_outer_rows(grids[0], grids, rulings, ink, dpi=72) == []
    ink[60:90] = 0
    assert lost_outer_rows(grids[0], grids, rulings, ink, dpi=72) == []


def test_no_row_is_closed_over_a_heading_running_out_of_a_piece_of_a_table():
    # 72 DPI: one column (0..30) of a table whose other columns the rulings lost, its last
    # row's column lines faded, and a line at 90 below it (the next table's top border)
    rulings = [Ruling(0, y, 30, y) for y in (0, 30, 60, 90)]
    rulings += [Ruling(x, 0, x, 60) for x in (0, 30)]
    ink = np.zeros((140, 100), np.uint8)
    ink[9:21, 11:19] = ink[39:51, 11:19] = 255
    grids = detect_grids(rulings, page=1)
    number = ink.copy()
    number[69:81, 11:19] = 255  # the last row's own number: the row is closed
    assert lost_outer_rows(grids[0], grids, rulings, number, dpi=72)
    # the heading over the next table, characters 2 pt apart, one gap on the border at 30
    for x0 in range(4, 90, 14):
        ink[69:81, x0:x0 + 12] = 255
    assert lost_outer_rows(grids[0], grids, rulings, ink, dpi=72) == []


def _rulings_of(grid):
    return ([Ruling(grid.xs[0], y, grid.xs[-1], y) for y in grid.ys]
            + [Ruling(x, grid.ys[0], x, grid.ys[-1]) for x in (grid.xs[0], grid.xs[-1])])


def test_a_border_stroke_beside_a_number_is_left_out_but_a_digit_is_not():
    # 200 DPI cell area 30 x 12 pt: a "0" in the middle, and a bent border's stroke 1.5 pt
    # wide standing 1 pt in from the right side, the full height of the area
    ink = np.zeros((34, 84), np.uint8)
    ink[6:28, 30:45] = 255
    ink[0:34, 77:81] = 255
    area = InkRegion(0, 0, 84, 34)
    assert without_edge_strokes(ink, area, dpi=200) == InkRegion(0, 0, 45, 34)
    ten = np.zeros_like(ink)
    ten[6:28, 3:7] = 255  # "10" set flush left: the "1" stands close to the "0"
    ten[6:28, 10:25] = 255
    assert without_edge_strokes(ten, area, dpi=200) == area
    one = np.zeros_like(ink)
    one[6:28, 77:81] = 255  # a "1" alone by the side: nothing else in the cell
    assert without_edge_strokes(one, area, dpi=200) == area


def test_a_column_line_the_rulings_missed_inside_a_cell_is_painted_out_but_a_one_is_not():
    # 200 DPI, a cell piece 80 x 24 pt over two columns of a row: "0", a thin column line
    # broken in two places running most of the piece's height, "0"
    ink = np.zeros((66, 222), np.uint8)
    ink[20:46, 30:45] = 255
    ink[2:64, 110:112] = 255
    ink[20:23, 110:112] = ink[40:42, 110:112] = 0
    ink[20:46, 170:185] = 255
    area = InkRegion(0, 0, 222, 66)
    assert stray_line_columns(ink, area, dpi=200) == [(110, 112)]
    one = np.zeros_like(ink)
    one[20:46, 110:114] = 255  # a "1": one text line tall
    assert stray_line_columns(one, area, dpi=200) == []
    touching = ink.copy()
    touching[30:34, 100:110] = 255  # ink against the stroke: no lone stroke
    assert stray_line_columns(touching, area, dpi=200) == []
    short = ink[10:56].copy()  # a piece 17 pt tall: the stroke no taller than the digits
    short[:, 110:112] = 0
    short[8:34, 110:112] = 255
    assert stray_line_columns(short, InkRegion(0, 0, 222, 46), dpi=200) == []
    # a one-line row, 13 pt inside its borders: a line that faded at its ends still stands
    # higher than the digits beside it (28 px against 23), a "1" does not
    row = np.zeros((37, 222), np.uint8)
    row[7:30, 30:44] = 255
    row[7:30, 170:184] = 255
    row[4:32, 110:113] = 255
    assert stray_line_columns(row, InkRegion(0, 0, 222, 37), dpi=200) == [(110, 113)]
    row[4:32, 110:113] = 0
    row[6:30, 110:114] = 255  # a "1" a pixel taller than the 0s
    assert stray_line_columns(row, InkRegion(0, 0, 222, 37), dpi=200) == []


def test_a_column_line_in_part_of_a_cell_run_on_over_the_row_above_is_painted_out():
    # gmixed-008 150 heavy bitonal (seed 9): the row line over the data row was lost, the
    # piece of 总计 and the two columns after it runs 30 pt tall, and the column lines inside
    # it ink 41 and 23 of its 62 rows beside 0s 14 px tall; a 0 faded in two thin halves
    ink = np.zeros((62, 186), np.uint8)
    ink[24:38, 22:33] = 255
    ink[5:59, 57:60] = 255
    ink[10:20, 57:60] = ink[30:34, 57:60] = 0
    ink[24:37, 85:88] = ink[25:34, 91:95] = 255
    ink[38:61, 120:122] = 255
    area = InkRegion(0, 0, 186, 62)
    assert stray_line_columns(ink, area, dpi=150) == [(57, 60), (120, 122)]
    # a "1" as tall as the 0 stays
    ink[38:61, 120:122] = 0
    ink[24:38, 120:123] = 255
    assert stray_line_columns(ink, area, dpi=150) == [(57, 60)]
    # and so does the "1" of "+1" (g2019-022 150 mild grey, seed 9), twice as tall as the "+"
    plus_one = np.zeros((40, 60), np.uint8)
    plus_one[17:23, 20:29] = plus_one[15:25, 23:26] = 255
    plus_one[12:27, 33:36] = 255
    assert stray_line_columns(plus_one, InkRegion(0, 0, 60, 40), dpi=150) == []


def _line_of_numbers(*placed: tuple[str, int]) -> tuple[np.ndarray, np.ndarray, InkRegion]:
    gray = np.full((60, 400), 255, np.uint8)
    for text, x in placed:
        cv2.putText(gray, text, (x, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2, cv2.LINE_AA)
    ink = ink_mask(gray)
    return gray, ink, ink_extent(ink, InkRegion(0, 0, 400, 60))


def test_numbers_standing_apart_on_a_line_are_read_apart():
    # a column line faded out between them: read whole, they run together ("462480")
    gray, ink, line = _line_of_numbers(("46", 20), ("248", 150), ("0", 320))
    words = recognize_regions(gray, ink, [line], 72, get_engine())
    assert [word.text for word in words] == ["46", "248", "0"]
    assert words[0].bbox.x1 < words[1].bbox.x0 < words[1].bbox.x1 < words[2].bbox.x0
    gray, ink, line = _line_of_numbers(("46248", 20))
    [word] = recognize_regions(gray, ink, [line], 72, get_engine())
    assert word.text == "46248"


def _line_of_words(*placed: tuple[str, float]) -> tuple[np.ndarray, np.ndarray, InkRegion]:
    """Text set with a CJK font and rendered at 150 DPI, one line, each piece at its x
    (points)."""
    document = pymupdf.open()
    page = document.new_page(width=400, height=30)
    for text, x in placed:
        page.insert_text((x, 20), text, fontname="china-s", fontsize=10.5)
    gray = render(page, 150)
    ink = ink_mask(gray)
    return gray, ink, ink_extent(ink, InkRegion(0, 0, gray.shape[1], gray.shape[0]))


def test_a_row_label_and_its_value_standing_far_apart_on_a_line_are_read_apart():
    # the column line between them faded out: read whole, the line is one word
    # "行政事业性收费7545" and the value has no place of its own
    gray, ink, line = _line_of_words(("行政事业性收费", 10), ("7545", 250))
    label, number = recognize_regions(gray, ink, [line], 150, get_engine())
    assert (label.text, number.text.replace(" ", "")) == ("行政事业性收费", "7545")
    assert label.bbox.x1 < 90 and 248 < number.bbox.x0 < number.bbox.x1 < 295
    # a scrap of the lost line between them is neither (Hongze 300 heavy bitonal, seed 9:
    # "8.属于行政查询事项 ¦ 0" read whole as "8.属于行政查询事项0")
    gray, ink, line = _line_of_words(("8.属于行政查询事项", 10), ("0", 280))
    gray[line.top:line.bottom, 540:542] = 0
    ink = ink_mask(gray)
    label, number = recognize_regions(gray, ink, [line], 150, get_engine())
    assert (label.text.replace(" ", ""), number.text) == ("8.属于行政查询事项", "0")
    assert number.bbox.x0 > 270
    # a number close after the words is part of the line ("第二十条第（八）项" style text)
    gray, ink, line = _line_of_words(("行政事业性收费", 10), ("7545", 90))
    [word] = recognize_regions(gray, ink, [line], 150, get_engine())
    assert word.text.replace(" ", "") == "行政事业性收费7545"


class _FixedReadingEngine:
    def __init__(self, text):
        self.text, self.seen = text, 0

    def recognize_lines(self, crops):
        self.seen += len(crops)
        return [RecognizedText(self.text, 0.99) for _ in crops]


def test_a_sure_number_read_otherwise_from_a_second_framing_is_flagged():
    crops = [np.full((30, 40), 255, np.uint8)] * 3
    first = [RecognizedText("28", 0.99), RecognizedText("结果维持", 0.98),
             RecognizedText("0", 0.62)]
    engine = _FixedReadingEngine("26")
    checked = check_numbers(first, crops, engine)
    assert checked == [RecognizedText("28", DISAGREEING_CONFIDENCE), first[1], first[2]]
    assert engine.seen == 1  # labels and unsure readings (read again already) are not
    assert check_numbers(first, crops, _FixedReadingEngine("28")) == first


def test_a_sure_number_whose_ink_is_in_more_pieces_than_digits_is_flagged():
    # "9487" on a bitonal page: the 4 lost its diagonal and its foot, and reads as a sure "1"
    gray, ink, line = _line_of_numbers(("9187", 20))
    sure = [RecognizedText("9187", 0.99, 0.98)]
    assert flag_broken_numbers(sure, ink, [line], 200) == sure
    ink[:, line.x0 + 7] = 0  # cut the 9 in two
    assert flag_broken_numbers(sure, ink, [line], 200) == [
        RecognizedText("9187", DISAGREEING_CONFIDENCE, DISAGREEING_CONFIDENCE)]
    label = [RecognizedText("结果", 0.99)]
    assert flag_broken_numbers(label, ink, [line], 200) == label


def test_a_sure_number_with_a_digit_shorter_than_the_others_is_flagged():
    # "119" on a bitonal page whose 9 lost its top arc: a sure "114"
    gray, ink, line = _line_of_numbers(("114", 20))
    sure = [RecognizedText("114", 0.99, 0.93)]
    assert flag_broken_numbers(sure, ink, [line], 200) == sure
    last = max(np.nonzero(ink[line.top:line.bottom, line.x0:line.x1].any(axis=0))[0])
    ink[line.top:line.top + 6, line.x0 + last - 12:line.x0 + last + 1] = 0
    assert flag_broken_numbers(sure, ink, [line], 200) == [
        RecognizedText("114", DISAGREEING_CONFIDENCE, DISAGREEING_CONFIDENCE)]
    dated = [RecognizedText("2024.5", 0.99)]  # not all digits: a point is short by nature
    assert flag_broken_numbers(dated, ink, [line], 200) == dated


def test_a_speck_beside_a_number_is_no_broken_digit():
    gray, ink, line = _line_of_numbers(("9187", 20))
    patch = ink[line.top:line.bottom, line.x0:line.x1]
    blank = cv2.erode((cv2.dilate(patch, np.ones((3, 3), np.uint8)) == 0).astype(np.uint8),
                      np.ones((2, 2), np.uint8), anchor=(0, 0)) > 0
    row, col = (int(v[0]) for v in np.nonzero(blank))
    patch[row:row + 2, col:col + 2] = 255  # four pixels apart from every stroke
    sure = [RecognizedText("9187", 0.99)]
    assert flag_broken_numbers(sure, ink, [line], 200) == sure  # below BROKEN_PIECE_MIN_PT2
    assert flag_broken_numbers(sure, ink, [line], 72)[0].confidence == DISAGREEING_CONFIDENCE


def test_a_number_read_from_ink_shorter_than_the_text_lines_is_flagged():
    # the arc a faded 0 left, 2.5 pt tall on a page whose numbers are 7 pt: a sure "1"
    arc = word_of("1", 0.96, (100, 100, 102, 107), 200, weakest=0.96)
    whole = word_of("1", 0.96, (100, 100, 104, 120), 200)
    label = word_of("合计", 0.96, (100, 100, 110, 107), 200)
    flagged = flag_fragments([arc, whole, label], line_height_pt=7.0)
    assert [(word.confidence, word.weakest) for word in flagged] == [
        (DISAGREEING_CONFIDENCE, DISAGREEING_CONFIDENCE), (0.96, None), (0.96, None)]


def test_a_lone_letter_read_in_a_cell_is_flagged_however_sure():
    # these reports print no lone Latin letter: "D" is a 0 the recogniser took for a letter
    gray, ink, line = _line_of_numbers(("0", 20))
    [word] = recognize_regions(gray, ink, [line], 72, _FixedReadingEngine("D"))
    assert (word.text, word.confidence) == ("D", DISAGREEING_CONFIDENCE)
    assert word_of("D", 0.99, (0, 0, 10, 10), 72, weakest=0.99).weakest == DISAGREEING_CONFIDENCE
    [word] = recognize_regions(gray, ink, [line], 72, _FixedReadingEngine("0"))
    assert word.confidence == 0.99
    [word] = recognize_regions(gray, ink, [line], 72, _FixedReadingEngine("O"))
    assert word.confidence == 0.99  # a 0's own shape, scored with "0" by the engine


def test_a_crop_keeps_the_pale_end_of_a_number_the_ink_threshold_left_outside():
    # a faded "7" whose right half is too pale for the ink mask: read from a crop cut at the
    # mask's edge, "9487" became a sure "9481"
    gray = np.full((40, 100), 255, np.uint8)
    gray[10:30, 20:60] = 90  # ink
    gray[10:30, 60:68] = 200  # pale, not ink
    gray[10:30, 70:80] = 90  # another number's ink, just along the line
    ink = ink_mask(gray)
    region = InkRegion(20, 10, 60, 30)
    crop = crop_of(gray, region, ink, margin_ratio=0.6)
    margin = 12
    assert crop.shape == (20 + 2 * margin, 40 + 2 * margin)
    assert (crop[margin:-margin, margin + 40:margin + 48] == 200).all()  # as scanned
    assert (crop[:, margin + 48:] == 255).all()  # the other number is left out
    assert (crop[:, :margin] == 255).all()  # left of the number: paper


class _CountingEngine:
    def __init__(self):
        self.crops = []

    def recognize_lines(self, crops):
        self.crops += crops
        return [RecognizedText("1", 0.99) for _ in crops]


def test_one_narrow_glyph_boxed_upright_is_read_whole_and_a_column_of_characters_is_not():
    # 200 DPI: a "1" 2 pt wide and 20 pt tall, faded across its middle, is one reading; a
    # vertical header 10 pt wide holding two characters is two
    gray = np.full((120, 80), 255, np.uint8)
    gray[20:45, 30:36] = 0
    gray[50:76, 30:36] = 0
    engine = _CountingEngine()
    words = read_upright_box(gray, ink_mask(gray), InkRegion(25, 15, 41, 80), 200, engine)
    assert [word.text for word in words] == ["1"] and len(engine.crops) == 1
    gray[20:45, 30:58] = 0
    gray[50:76, 30:58] = 0
    engine = _CountingEngine()
    words = read_upright_box(gray, ink_mask(gray), InkRegion(25, 15, 63, 80), 200, engine)
    assert len(words) == 2 and len(engine.crops) == 2


def _table_continued_without_its_column_line():
    """72 DPI: a table 200 pt wide, 4 pt right of where the page before printed it, that lost
    its column line at 104: a title row across it (ink over the line's place), then two
    rows of a label set from the left and a value centred in the value column."""
    rulings = [Ruling(4, y, 204, y) for y in (0, 30, 60, 90)]
    rulings += [Ruling(x, 0, x, 90) for x in (4, 204)]
    ink = np.zeros((100, 220), np.uint8)
    ink[9:21, 90:120] = 255  # the title
    for top in (39, 69):
        ink[top:top + 12, 10:40] = 255  # the label
        ink[top:top + 12, 146:162] = 255  # the value, centred in 104..204
    return rulings, ink


def test_a_table_continued_from_the_page_before_takes_back_the_column_line_it_lost():
    rulings, ink = _table_continued_without_its_column_line()
    [grid] = detect_grids(rulings, page=2)
    assert grid.xs == [4, 204]
    # The earlier table also had a line at 150, which the values here stand across or off
    # the middle of: it is not lent.
    lines = columns_of_earlier_table(grid, [0, 100, 150, 200], ink, dpi=72)
    assert [(line.x0, line.top, line.bottom) for line in lines] == [(104, 30, 90)]
    rebuilt = detect_grids(rulings + lines, page=2)[0]
    assert [(cell.row, cell.col, cell.colspan) for cell in rebuilt.cells] == [
        (0, 0, 2), (1, 0, 1), (1, 1, 1), (2, 0, 1), (2, 1, 1)]


def test_no_line_is_lent_by_a_table_of_another_width_or_over_a_lone_label():
    rulings, ink = _table_continued_without_its_column_line()
    [grid] = detect_grids(rulings, page=2)
    assert columns_of_earlier_table(grid, [0, 100, 180], ink, dpi=72) == []
    ink[39:51, 146:162] = 0
    ink[69:81, 146:162] = 0
    assert columns_of_earlier_table(grid, [0, 100, 200], ink, dpi=72) == []


def test_no_line_is_lent_between_the_characters_of_a_heading():
    # g2021-006 300 mild bitonal (seed 9): the earlier table's line fell between 收 and 费 of
    # 本年收费金额 and cut the heading in two; characters 2 pt apart run across the line
    rulings, ink = _table_continued_without_its_column_line()
    [grid] = detect_grids(rulings, page=2)
    ink[39:51] = 0
    for x0 in range(36, 180, 14):  # the heading across the table, a gap at 104..106
        ink[39:51, x0:x0 + 12] = 255
    lines = columns_of_earlier_table(grid, [0, 100, 200], ink, dpi=72)
    assert [(line.x0, line.top, line.bottom) for line in lines] == [(104, 60, 90)]


def _box(x0: int, top: int, width: int, height: int) -> InkRegion:
    return InkRegion(x0, top, x0 + width, top + height)


def test_short_blurred_hyphens_are_dashes_like_the_pages_own():
    # g2021-029 200 DPI mild colour (seed 7): hyphens 6x3 px pass the shape test, 5x3 and 4x3
    # ones do not and were read "m", "1" and "10"; a "7" and a flat stroke twice their size
    # stay as they are.
    line = 18.0
    regions = [_box(0, 0, 6, 3), _box(40, 0, 6, 3), _box(80, 0, 5, 3), _box(120, 0, 4, 3),
               _box(160, 0, 9, 14), _box(200, 0, 12, 3)]
    bands = [[region] for region in regions]
    marks = ["-", "-", None, None, None, None]
    assert with_page_dashes(regions, bands, marks, line) == ["-", "-", "-", "-", None, None]


def test_a_page_of_short_hyphens_alone_is_told_by_their_number():
    line = 18.0
    hyphens = [_box(40 * i, 0, 5, 3) for i in range(4)]
    bands = [[region] for region in hyphens]
    assert with_page_dashes(hyphens, bands, [None] * 4, line) == ["-"] * 4
    # three flat strokes are too few to be taken for the page's dashes
    assert with_page_dashes(hyphens[:3], bands[:3], [None] * 3, line) == [None] * 3


def test_a_flat_stroke_in_two_bands_or_as_tall_as_wide_is_no_dash():
    line = 18.0
    regions = [_box(0, 0, 6, 3), _box(40, 0, 6, 3), _box(80, 0, 5, 3), _box(120, 0, 4, 4)]
    bands = [[regions[0]], [regions[1]], [_box(80, 0, 5, 1), _box(80, 2, 5, 1)], [regions[3]]]
    assert with_page_dashes(regions, bands, ["-", "-", None, None], line) == [
        "-", "-", None, None]


def test_a_slash_whose_middle_faded_is_a_slash_and_two_lines_of_ones_are_not():
    # g2021-009 200 DPI mild colour (seed 10): a pale "/" in two pieces, one over the other,
    # was read a sure "1" (the cell is blank in the report)
    line = 28.0
    ink = np.zeros((60, 200), np.uint8)
    for y in range(0, 28):
        if not 14 <= y < 17:
            x = 9 - y // 3
            ink[y, x:x + 2] = 255
    ink[0:24, 100:102] = 255  # a "1" over a "1", a wrapped number
    ink[30:54, 100:102] = 255
    regions = [ink_extent(ink, InkRegion(0, 0, 50, 60)), ink_extent(ink, InkRegion(50, 0, 200, 60))]
    bands = [ink_bands(ink, region) for region in regions]
    assert [len(region_bands) for region_bands in bands] == [2, 2]
    assert placeholder_marks(ink, regions, bands, line, None) == [("/", PLACEHOLDER_CONFIDENCE), None]


def test_dashes_like_the_pages_own_are_warned_about_at_the_given_confidence():
    # g2021-029 300 heavy bitonal (seed 9): toner spread thickened the hyphens to 8 by 5 px,
    # too square for a dash by shape; read by the recogniser they came out "0", "O" and "C"
    line = 25.0
    ink = np.zeros((30, 400), dtype=np.uint8)
    regions = [_box(0, 0, 16, 4), _box(40, 0, 8, 5), _box(80, 0, 8, 5), _box(120, 0, 9, 5),
               _box(160, 0, 8, 5), _box(200, 0, 14, 24)]
    for region in regions:
        ink[region.top:region.bottom, region.x0:region.x1] = 255
    bands = [[region] for region in regions]
    assert placeholder_marks(ink, regions, bands, line, None) == [
        ("-", PLACEHOLDER_CONFIDENCE), None, None, None, None, None]
    assert placeholder_marks(ink, regions, bands, line, DISAGREEING_CONFIDENCE) == [
        ("-", PLACEHOLDER_CONFIDENCE), *[("-", DISAGREEING_CONFIDENCE)] * 4, None]
