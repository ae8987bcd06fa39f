import numpy as np
import pymupdf
import pytest
from tests.ocr.conftest import distinct, render, soil, tilt, vector_ruling_positions

from giar.ocr.preprocess import prepare_page
from giar.ocr.raster_rulings import (
    PixelSegment,
    detect_pixel_segments,
    detect_rulings,
    trim_overshoots,
)
from giar.tables.grid import detect_grids

TOLERANCE_PT = 1.5


def ruling_positions(rulings):
    horizontal = distinct([(r.top + r.bottom) / 2 for r in rulings if r.is_horizontal])
    vertical = distinct([(r.x0 + r.x1) / 2 for r in rulings if not r.is_horizontal])
    return horizontal, vertical


def assert_same_positions(found, expected):
    assert len(found) == len(expected), (found, expected)
    for a, b in zip(found, expected, strict=True):
        assert a == pytest.approx(b, abs=TOLERANCE_PT)


@pytest.mark.parametrize("page_index", [1, 2, 3])
@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_rulings_match_the_vector_rulings(hongze, page_index, dpi):
    prepared = prepare_page(render(hongze[page_index], dpi), dpi)
    found_h, found_v = ruling_positions(detect_rulings(prepared.gray, dpi))
    expected_h, expected_v = vector_ruling_positions(hongze[page_index])
    assert_same_positions(found_h, expected_h)
    assert_same_positions(found_v, expected_v)


@pytest.mark.parametrize("degrees", [0.7, -1.2])
def test_rulings_of_a_tilted_soiled_scan_map_back_to_the_page(hongze, degrees):
    dpi = 200
    prepared = prepare_page(soil(tilt(render(hongze[3], dpi), degrees)), dpi)
    found_h, found_v = ruling_positions(detect_rulings(prepared.gray, dpi))
    expected_h, expected_v = vector_ruling_positions(hongze[3])
    assert_same_positions(found_h, expected_h)
    assert_same_positions(found_v, expected_v)


def test_raster_rulings_give_the_same_tables_as_the_vector_ones(hongze):
    from giar.extract.textlayer import page_rulings

    dpi = 200
    prepared = prepare_page(render(hongze[2], dpi), dpi)
    raster = detect_grids(detect_rulings(prepared.gray, dpi), 3)
    vector = detect_grids(page_rulings(hongze[2]), 3)
    assert [(g.n_rows, g.n_cols, len(g.cells)) for g in raster] == [(7, 2, 12), (16, 10, 117)]
    assert [(g.n_rows, g.n_cols, len(g.cells)) for g in raster] == [
        (g.n_rows, g.n_cols, len(g.cells)) for g in vector]


def test_a_page_without_tables_has_no_rulings(hongze):
    prepared = prepare_page(render(hongze[0], 200), 200)
    assert detect_grids(detect_rulings(prepared.gray, 200), 1) == []


def _title_row_table(glyph_x: int) -> np.ndarray:
    """300 DPI: a table whose 14 pt title row spans the width, with a column line below it
    at x=400 and a heavy 十 in the title row at ``glyph_x``."""
    page = np.full((400, 800), 255, np.uint8)
    for y in (100, 160, 260):
        page[y - 1:y + 2, 100:701] = 0
    for x in (100, 700):
        page[100:261, x - 1:x + 2] = 0
    page[160:261, 399:402] = 0  # the column line under the title row
    page[104:157, glyph_x - 2:glyph_x + 3] = 0  # 十: a stroke almost touching both borders
    page[128:132, glyph_x - 20:glyph_x + 21] = 0  # and its cross bar
    return page


def test_a_heavy_character_in_a_tight_title_row_is_no_column_line():
    _, verticals = detect_pixel_segments(_title_row_table(300), dpi=300)
    assert sorted(round(v.position) for v in verticals) == [100, 400, 700]
    assert [round(v.start / 10) for v in verticals if abs(v.position - 400) < 4] == [16]


def test_a_vertical_line_overshooting_its_last_crossing_is_cut_back():
    horizontals = [PixelSegment(True, y, 0, 100, 2.0) for y in (0, 20, 40)]
    verticals = [PixelSegment(False, 50, 8, 40, 2.0), PixelSegment(False, 0, 0, 40, 2.0)]
    trimmed = trim_overshoots(verticals, horizontals, dpi=72)
    assert [(v.position, v.start, v.end) for v in trimmed] == [(50, 20, 40), (0, 0, 40)]


def _dashed(page: np.ndarray, y: int, x0: int, x1: int, dash: int = 6, gap: int = 6) -> None:
    """A 2 px horizontal line from x0 to x1 broken into dashes, as a bitonal scan of faded
    print leaves it."""
    for x in range(x0, x1, dash + gap):
        page[y - 1:y + 1, x:min(x + dash, x1)] = 0


def _box_table(dpi_scale: int = 1) -> np.ndarray:
    """200 DPI: a 3 x 2 table, borders 2 px, x 100..900, y 100..400, column line at x=500."""
    page = np.full((500, 1000), 255, np.uint8)
    for y in (100, 400):
        page[y - 1:y + 1, 100:901] = 0
    for x in (100, 500, 900):
        page[100:401, x - 1:x + 1] = 0
    return page


@pytest.mark.parametrize(("dash", "gap"), [(6, 6), (2, 8)])
def test_a_row_line_faded_into_dashes_is_found_whole(dash, gap):
    # (2, 8): mostly paper, as faded print leaves a line in a bitonal scan; its ink is black,
    # so it is no show-through from the other side
    page = _box_table()
    page[199:201, 100:301] = 0  # solid from the left border into the first cell...
    _dashed(page, 200, 301, 900, dash, gap)  # ...then dashes only
    _dashed(page, 300, 100, 900, dash, gap)  # and one line that is dashes all along
    horizontals, _ = detect_pixel_segments(page, dpi=200)
    spans = sorted((round(h.position), round(h.start), round(h.end)) for h in horizontals)
    assert [position for position, _, _ in spans] == [100, 200, 300, 400]
    for _, start, end in spans:
        assert start <= 102 and end >= 898


def test_a_column_line_ending_on_a_border_is_not_carried_through_a_1_below_it():
    page = _box_table()
    page[249:251, 100:901] = 0
    page[100:251, 699:701] = 0  # a column line in the top row only
    page[280:318, 699:702] = 0  # a "1" below, right on that line's course
    _, verticals = detect_pixel_segments(page, dpi=200)
    [(start, end)] = [(v.start, v.end) for v in verticals if abs(v.position - 700) < 3]
    assert start == pytest.approx(100, abs=3) and end == pytest.approx(250, abs=3)


def test_a_short_column_line_with_glyph_strokes_glued_past_both_ends_is_kept_and_trimmed():
    # 200 DPI: title rows span the table; the column line at x=500 runs only between y=200
    # and y=260, but the closing glued a stroke of each title row's text on past both ends.
    page = _box_table()
    for y in (200, 260):
        page[y - 2:y + 2, 100:901] = 0
    page[190:271, 499:502] = 0
    page[150:190, 499:502] = 255  # the old full-height column line removed above...
    page[271:400, 499:502] = 255  # ...and below this block
    _, verticals = detect_pixel_segments(page, dpi=200)
    [(start, end)] = [(v.start, v.end) for v in verticals if abs(v.position - 500) < 3
                      and v.start > 150]
    assert start == pytest.approx(200, abs=3) and end == pytest.approx(260, abs=3)


def test_a_column_line_bent_by_the_sheet_still_parts_its_cells():
    # 200 DPI: the column line at x=500 drifts 11 px (4 pt) to the right halfway down, as a
    # keystoned sheet leaves it; the two pieces overlap where the drift happens
    page = _box_table()
    page[100:401, 499:501] = 255
    page[100:281, 498:501] = 0
    page[230:401, 509:512] = 0
    grid = detect_grids(detect_rulings(page, 200), 1)[0]
    assert len(grid.xs) == 3
    assert [(cell.rowspan, cell.colspan) for cell in grid.cells] == [(1, 1), (1, 1)]


def test_a_short_column_line_running_on_past_its_row_into_a_faded_stretch_is_kept():
    # 200 DPI: the column line at x=500 parts only the row y=200..260; below it the print
    # faded, but the solid part still runs 10 pt (28 px) on past y=260 before it breaks off.
    page = _box_table()
    for y in (200, 260):
        page[y - 2:y + 2, 100:901] = 0
    page[100:400, 499:502] = 255
    page[200:288, 499:502] = 0
    _, verticals = detect_pixel_segments(page, dpi=200)
    [(start, end)] = [(v.start, v.end) for v in verticals if abs(v.position - 500) < 3]
    assert start == pytest.approx(200, abs=3) and end == pytest.approx(260, abs=3)


def test_a_short_column_line_that_fades_into_dashes_down_to_the_next_row_line_is_kept():
    # 200 DPI: rows y=100..200..400; the column line at x=300 parts the lower row only. It is
    # solid for 60 px below y=200, then dashes down to y=400: alone, the solid stretch meets a
    # line only at its top, as a stroke of text does.
    page = _box_table()
    page[199:201, 100:901] = 0
    page[100:401, 499:501] = 255
    page[200:260, 299:301] = 0
    _dashed_vertical(page, 300, 260, 400, dash=4, gap=6)
    _, verticals = detect_pixel_segments(page, dpi=200)
    [(start, end)] = [(v.start, v.end) for v in verticals if abs(v.position - 300) < 3]
    assert start == pytest.approx(200, abs=3)
    assert end == pytest.approx(400, abs=8)  # the last dash, within touching distance
    page[260:400, 299:301] = 255  # without the dashes it is a stroke, and dropped
    _, verticals = detect_pixel_segments(page, dpi=200)
    assert not [v for v in verticals if abs(v.position - 300) < 3]
    _dashed_vertical(page, 300, 260, 400, dash=4, gap=6)
    page[260:400, 299:301] = np.where(page[260:400, 299:301] == 0, 235, 255)
    _, verticals = detect_pixel_segments(page, dpi=200)  # pale dashes: the other side showing
    assert not [v for v in verticals if abs(v.position - 300) < 3]


def _dashed_vertical(page: np.ndarray, x: int, start: int, end: int, dash: int, gap: int) -> None:
    for y in range(start, end, dash + gap):
        page[y:min(y + dash, end), x - 1:x + 1] = 0


@pytest.mark.parametrize("lean", [10, -10])
def test_a_tilted_column_line_is_a_ruling_along_its_tilt(lean):
    # 200 DPI: the column line at x=500 leans 10 px right (or left) from top to bottom, as a
    # keystoned sheet leaves it; its ruling must follow it, not its box corner to corner
    page = _box_table()
    page[100:401, 499:501] = 255
    for y in range(100, 401):
        x = 500 + round(lean * (y - 100) / 300)
        page[y, x - 1:x + 1] = 0
    [ruling] = [r for r in detect_rulings(page, 200)
                if not r.is_horizontal and 170 < (r.x0 + r.x1) / 2 * 200 / 72 < 530]
    top_x, bottom_x = ruling.x0 * 200 / 72, ruling.x1 * 200 / 72
    assert top_x == pytest.approx(500, abs=2) and bottom_x == pytest.approx(500 + lean, abs=2)


@pytest.mark.parametrize("side", ["right", "bottom"])
def test_an_outer_border_faded_out_is_drawn_back_where_the_lines_stop(side):
    page = _box_table()
    page[249:251, 100:901] = 0
    if side == "right":
        page[100:401, 898:902] = 255
    else:
        page[398:402, 100:901] = 255
    grid = detect_grids(detect_rulings(page, 200), 1)[0]
    assert (grid.n_rows, grid.n_cols) == (2, 2)
    _, _, x1, bottom = grid.bbox.to_pixels(200)
    assert x1 == pytest.approx(900, abs=3) and bottom == pytest.approx(400, abs=3)


def test_an_outer_border_faded_out_with_the_ends_of_its_lines_is_drawn_back_at_their_median():
    # gmixed-017 300 heavy: the left border of section 四 faded, and the fade ate 5 to 18 px
    # (2 to 6.5 pt) into the row lines' starts, unevenly
    page = _box_table()
    page[100:401, 98:102] = 255
    page[249:251, 118:901] = 0
    page[98:102, 100:103] = 255
    page[398:402, 100:104] = 255
    grid = detect_grids(detect_rulings(page, 200), 1)[0]
    assert (grid.n_rows, grid.n_cols) == (2, 2)
    x0, _, _, _ = grid.bbox.to_pixels(200)
    assert x0 == pytest.approx(104, abs=3)


def test_an_outer_border_faded_out_with_inner_lines_shorter_is_drawn_back_at_the_outer_ones():
    # g2019-007 300 heavy: the left border of section 二's last blocks faded, the outer row
    # lines reach it and two row lines between them stop 70 pt short (their left ends faded)
    page = _box_table()
    page[100:401, 98:102] = 255
    for y in (175, 250, 325):
        page[y - 1:y + 1, 100 if y == 250 else 300:901] = 0
    grid = detect_grids(detect_rulings(page, 200), 1)[0]
    assert grid.n_cols == 2
    x0, _, _, _ = grid.bbox.to_pixels(200)
    assert x0 == pytest.approx(100, abs=3)
    # with the bottom line short too, the lines that reach on stop together only in part (a
    # faded patch, not a lost border): none is drawn
    page[398:402, 100:300] = 255
    grid = detect_grids(detect_rulings(page, 200), 1)[0]
    assert grid.bbox.to_pixels(200)[0] == pytest.approx(500, abs=3)


def test_lines_running_a_little_past_a_border_that_stands_get_no_second_one():
    # the row lines run on 4 pt past the right border (a sheet not lying flat moves the two
    # apart): the border is there, a few points from their ends
    page = _box_table()
    page[249:251, 100:901] = 0
    for y in (100, 250, 400):
        page[y - 1:y + 1, 100:912] = 0
    _, verticals = detect_pixel_segments(page, dpi=200)
    assert [round(v.position) for v in verticals if v.position > 800] == [900]


def test_lines_that_stop_together_with_nothing_crossing_them_get_no_border():
    page = np.full((500, 1000), 255, np.uint8)
    for y in (100, 200, 300):  # underlines or rules of text, no table
        page[y - 1:y + 1, 100:900] = 0
    horizontals, verticals = detect_pixel_segments(page, dpi=200)
    assert len(horizontals) == 3 and verticals == []


@pytest.mark.parametrize("opacity", [0.12, 0.16])
def test_the_other_sides_table_showing_through_gives_no_rulings(opacity):
    from fixtures.generator.paper import bleed_through
    from fixtures.loader import load_manifest

    pdf = pymupdf.open(next(d for d in load_manifest() if d.id == "g2021-001").files[0])
    dpi = 150
    front, back = render(pdf[3], dpi), render(pdf[4], dpi)
    prepared = prepare_page(bleed_through(front, back, opacity), dpi)
    found_h, found_v = ruling_positions(detect_rulings(prepared.gray, dpi))
    expected_h, expected_v = vector_ruling_positions(pdf[3])
    assert_same_positions(found_h, expected_h)
    assert_same_positions(found_v, expected_v)


def test_lower_quartile_is_numpys_25th_percentile() -> None:
    from giar.ocr.raster_rulings import _lower_quartile

    rng = np.random.default_rng(7)
    for size in (1, 2, 3, 5, 8, 301):
        values = rng.integers(0, 256, size).astype(np.uint8)
        assert _lower_quartile(values) == float(np.percentile(values, 25))
    assert _lower_quartile(np.array([10, 20, 30, 40, 50], np.uint8)) == 20.0
    assert _lower_quartile(np.array([0, 100], np.uint8)) == 25.0


def _column_line_spans(page: np.ndarray, x: int) -> list[tuple[int, int]]:
    """Start and end of each vertical line found within 3 px of ``x`` (200 DPI)."""
    _, verticals = detect_pixel_segments(page, dpi=200)
    return [(round(v.start), round(v.end)) for v in verticals if abs(v.position - x) < 3]


def _rows_table() -> np.ndarray:
    """200 DPI: the box table with row lines at y=160, 220 and 280 across it."""
    page = _box_table()
    for y in (160, 220, 280):
        page[y - 1:y + 1, 100:901] = 0
    return page


def test_a_column_line_faded_to_dashes_over_a_row_is_one_line_with_its_pieces_around_it():
    # The column line at x=300 is solid from the top border past the row line y=160, breaks
    # up below it (dashes the closing joins, so the upper piece is not solid along its whole
    # length), fades to sparse dashes over the rows y=200..280, and is solid again from y=280:
    # both pieces end on row lines.
    page = _rows_table()
    page[100:401, 499:501] = 255
    page[100:170, 299:301] = 0
    _dashed_vertical(page, 300, 170, 200, dash=2, gap=4)
    _dashed_vertical(page, 300, 200, 280, dash=6, gap=9)
    page[280:401, 299:301] = 0
    assert _column_line_spans(page, 300) == [(pytest.approx(100, abs=3), pytest.approx(400, abs=3))]
    page[200:280, 299:301] = 255  # without the sparse dashes, the rows they crossed have no line
    assert _column_line_spans(page, 300) == [
        (pytest.approx(100, abs=3), pytest.approx(160, abs=3)),
        (pytest.approx(280, abs=3), pytest.approx(400, abs=3))]


def test_a_column_line_whose_pieces_stop_in_the_open_either_side_of_a_row_is_joined():
    # The column line x=300 stops in the middle of the row y=160..220 and starts again in the
    # middle of the next one; between, across the row line y=220, only specks covering a
    # fifth of the way are left. Both pieces end where no line crosses them, so no cell
    # border ends there: it is one line.
    page = _rows_table()
    page[100:401, 499:501] = 255
    page[100:200, 299:301] = 0
    _dashed_vertical(page, 300, 204, 238, dash=2, gap=10)
    page[240:401, 299:301] = 0
    assert _column_line_spans(page, 300) == [(pytest.approx(100, abs=3), pytest.approx(400, abs=3))]


def _short_table() -> np.ndarray:
    """200 DPI: a header row and a value row, x 100..900, y 100..180..250 (54 pt, shorter
    than a ruling that stands alone), the column line at x=500 solid."""
    page = np.full((400, 1000), 255, np.uint8)
    for y in (100, 180, 250):
        page[y - 1:y + 1, 100:901] = 0
    for x in (100, 500, 900):
        page[100:251, x - 1:x + 1] = 0
    return page


def test_a_column_line_faded_to_dashes_down_a_short_table_is_found():
    # The column line at x=300 is dashes the strict mask leaves too short to keep, over both
    # rows of a table shorter than a ruling that stands alone (a section 四 part continued on
    # the next page): the forgiving mask finds it whole, across the row line between them.
    page = _short_table()
    _dashed_vertical(page, 300, 100, 251, dash=10, gap=7)
    assert _column_line_spans(page, 300) == [(pytest.approx(100, abs=3), pytest.approx(250, abs=3))]


def test_a_row_line_lost_on_both_sides_of_a_junction_still_bounds_the_column_line():
    # The bottom border wore away 20 px either side of where the column line x=300 meets it
    # (print wears first at a junction): the two pieces of the border are one line, and the
    # column line, shorter than a ruling that stands alone, ends on it.
    page = _short_table()
    page[100:251, 299:301] = 0
    page[248:252, 280:299] = 255
    page[248:252, 301:321] = 255
    horizontals, verticals = detect_pixel_segments(page, dpi=200)
    assert [(round(v.start), round(v.end)) for v in verticals if abs(v.position - 300) < 3] \
        == [(pytest.approx(100, abs=3), pytest.approx(250, abs=3))]
    assert [(round(h.start), round(h.end)) for h in horizontals if abs(h.position - 250) < 3] \
        == [(pytest.approx(100, abs=3), pytest.approx(900, abs=3))]
    page[248:252, 240:361] = 255  # 60 px either side: two lines, and no column line ends there
    _, verticals = detect_pixel_segments(page, dpi=200)
    assert not [v for v in verticals if abs(v.position - 300) < 3]


def _table_under_a_bold_heading(bar_top: int) -> np.ndarray:
    """The box table with a heavy bitonal heading just above it: the bottoms of its strokes
    run together into a bar 11 px thick, x 300..600."""
    page = _box_table()
    page[bar_top:bar_top + 11, 300:600] = 0
    return page


def test_an_upright_stroke_by_a_bold_heading_is_no_column_line():
    # The heading's last strokes, apart, carry its bar on towards an upright stroke that runs
    # down to the table's top border: a thin faded row line would be carried on to meet it,
    # but a bar this thick is text, so the stroke does not become a column line.
    page = _table_under_a_bold_heading(60)
    for x in (624, 660):
        page[62:69, x:x + 12] = 0
    page[45:100, 677:680] = 0
    _, verticals = detect_pixel_segments(page, dpi=200)
    assert not [v for v in verticals if abs(v.position - 678) < 4]


def test_a_column_line_is_not_carried_up_into_a_bold_heading_on_the_table():
    page = _table_under_a_bold_heading(80)
    assert _column_line_spans(page, 500) == [(pytest.approx(100, abs=3), pytest.approx(400, abs=3))]


def test_a_stroke_glued_to_the_border_above_it_is_no_column_line():
    # A title row y=100..160 over the table; in it a character's upright stroke glued to the
    # top border runs most of the way down, then breaks up towards the row line: solid from
    # one end on a line, like a column line fading out, but inside one cell.
    page = _rows_table()
    page[100:401, 499:501] = 255
    page[160:401, 499:501] = 0  # the column line starts under the title row
    page[100:140, 349:352] = 0
    for y in range(140, 156, 5):
        page[y:y + 2, 349:352] = 0
    _, verticals = detect_pixel_segments(page, dpi=200)
    assert not [v for v in verticals if abs(v.position - 350) < 4]


def test_the_borders_of_two_tables_one_above_the_other_are_not_joined_through_specks():
    # Two tables, y=100..200 and y=260..400, their right borders on one course at x=900; the
    # paper between them carries specks along that course, as a grey scan's shadow leaves.
    page = np.full((500, 1000), 255, np.uint8)
    for top, bottom in ((100, 200), (260, 400)):
        for y in (top, bottom):
            page[y - 1:y + 1, 100:901] = 0
        for x in (100, 500, 900):
            page[top:bottom + 1, x - 1:x + 1] = 0
    _dashed_vertical(page, 900, 212, 257, dash=5, gap=8)
    _, verticals = detect_pixel_segments(page, dpi=200)
    assert sorted((round(v.start), round(v.end)) for v in verticals
                  if abs(v.position - 900) < 3) == [
        (pytest.approx(100, abs=3), pytest.approx(200, abs=3)),
        (pytest.approx(260, abs=3), pytest.approx(400, abs=3))]


def test_a_stroke_no_longer_than_a_character_is_no_column_line_fading_out():
    # 200 DPI: a glyph's upright stroke glued to the row lines above and below it, 13 pt, solid
    # from the top and breaking up below, with a line across its middle (the strokes of a
    # heavy bitonal print run together): no longer than a character, so no column line
    page = _rows_table()
    for y in (178, 196):
        page[y - 1:y + 1, 100:901] = 0
    page[160:187, 349:352] = 0
    for y in range(187, 196, 3):
        page[y:y + 1, 349:352] = 0
    _, verticals = detect_pixel_segments(page, dpi=200)
    assert not [v for v in verticals if abs(v.position - 350) < 4]
