from giar.layout import Ruling
from giar.tables.grid import detect_grids


def _box_rulings(xs, ys, skip=()):
    """Full horizontal/vertical rulings of a grid, minus the segments named in ``skip``."""
    rulings = [Ruling(xs[0], y, xs[-1], y) for y in ys]
    for x in xs:
        for top, bottom in zip(ys, ys[1:], strict=False):
            if ("v", x, top) not in skip:
                rulings.append(Ruling(x, top, x, bottom))
    return rulings


def test_plain_grid_has_one_cell_per_slot():
    grids = detect_grids(_box_rulings([0, 50, 100, 150], [0, 20, 40]), page=3)
    assert len(grids) == 1
    grid = grids[0]
    assert (grid.n_rows, grid.n_cols, grid.page) == (2, 3, 3)
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in grid.cells][:3] == [
        (0, 0, 1, 1), (0, 1, 1, 1), (0, 2, 1, 1)]


def test_missing_inner_border_makes_a_spanning_cell():
    # no vertical at x=50 in the first row: the first cell spans two columns
    rulings = _box_rulings([0, 50, 100], [0, 20, 40], skip={("v", 50, 0)})
    grid = detect_grids(rulings, page=1)[0]
    first = grid.cells[0]
    assert (first.row, first.col, first.rowspan, first.colspan) == (0, 0, 1, 2)
    assert first.bbox.as_list() == [0, 0, 100, 20]
    assert len(grid.cells) == 3


def test_vertical_span_without_horizontal_piece():
    rulings = [Ruling(0, 0, 100, 0), Ruling(0, 40, 100, 40), Ruling(50, 20, 100, 20)]
    rulings += [Ruling(x, 0, x, 40) for x in (0, 50, 100)]
    cells = detect_grids(rulings, page=1)[0].cells
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in cells] == [(0, 0, 2, 1), (0, 1, 1, 1), (1, 1, 1, 1)]


def test_broken_and_slightly_offset_strokes_are_joined():
    # a scan: the top line is drawn in two pieces with a 2 pt gap, the right edge 1 pt off
    rulings = [Ruling(0, 0, 40, 0), Ruling(42, 0.8, 100, 0.8), Ruling(0, 30, 100, 30)]
    rulings += [Ruling(0, 0, 0, 30), Ruling(101, 0, 101, 30)]
    grid = detect_grids(rulings, page=1)[0]
    assert (grid.n_rows, grid.n_cols) == (1, 1)


def test_separate_tables_are_separate_grids():
    top = _box_rulings([0, 50, 100], [0, 20, 40])
    bottom = _box_rulings([0, 30, 100], [200, 220])
    grids = detect_grids(top + bottom, page=1)
    assert [g.bbox.top for g in grids] == [0, 200]
    assert [g.n_cols for g in grids] == [2, 2]


def test_lone_lines_are_not_tables():
    assert detect_grids([Ruling(0, 0, 100, 0), Ruling(0, 50, 100, 50)], page=1) == []


def test_a_group_left_l_shaped_by_a_lost_border_becomes_rectangles_that_do_not_overlap():
    # 2 x 2 grid; the border right of the top-left cell and the one below the top-right cell
    # are gone (a faded scan): three cells form an L
    rulings = [Ruling(0, 0, 100, 0), Ruling(0, 20, 50, 20), Ruling(0, 40, 100, 40)]
    rulings += [Ruling(0, 0, 0, 40), Ruling(100, 0, 100, 40), Ruling(50, 20, 50, 40)]
    cells = detect_grids(rulings, page=1)[0].cells
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in cells] == [
        (0, 0, 1, 2), (1, 0, 1, 1), (1, 1, 1, 1)]
    boxes = [c.bbox for c in cells]
    assert all(a.intersection_area(b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_pieces_of_a_bent_scanned_line_are_one_edge_and_a_double_border_is_two():
    outer = [Ruling(0, 0, 200, 0), Ruling(0, 300, 200, 300), Ruling(0, 0, 0, 300),
             Ruling(200, 0, 200, 300)]
    bent = [Ruling(100, 0, 100, 180), Ruling(103.5, 150, 103.5, 300)]
    grid = detect_grids(outer + bent, page=1)[0]
    assert len(grid.xs) == 3 and 100 < grid.xs[1] < 103.5
    assert [(cell.rowspan, cell.colspan) for cell in grid.cells] == [(1, 1), (1, 1)]
    double = [Ruling(100, 0, 100, 300), Ruling(104, 0, 104, 300)]
    assert len(detect_grids(outer + double, page=1)[0].xs) == 4


def test_two_tables_one_above_the_other_whose_column_lines_are_a_few_points_apart_stay_two():
    tables = []
    for top, bottom, x in ((0, 120, 100), (150, 300, 103.8)):
        tables += [Ruling(0, top, 200, top), Ruling(0, bottom, 200, bottom),
                   Ruling(0, top, 0, bottom), Ruling(200, top, 200, bottom),
                   Ruling(x, top, x, bottom)]
    assert len(detect_grids(tables, page=1)) == 2


def test_a_table_whose_row_lines_all_faded_in_the_middle_is_one_table():
    # a bitonal scan lost the middle of every row line: no row line meets both borders
    rulings = [Ruling(0, 0, 0, 100), Ruling(200, 0, 200, 100)]
    for y, left_end, right_start in ((0, 90, 130), (50, 60, 110), (100, 70, 120)):
        rulings += [Ruling(0, y, left_end, y), Ruling(right_start, y, 200, y)]
    grids = detect_grids(rulings, page=1)
    assert [(g.xs, g.ys) for g in grids] == [([0, 200], [0, 50, 100])]
    # pieces too far apart, or not met by a line across them, stay apart
    far = [Ruling(0, 0, 0, 100), Ruling(400, 0, 400, 100)]
    for y in (0, 50, 100):
        far += [Ruling(0, y, 60, y), Ruling(340, y, 400, y)]
    assert detect_grids(far, page=1) == []


def test_a_row_line_piece_whose_border_faded_too_belongs_to_the_table():
    # two columns (0..100, 100..200); the row line at 50 kept a piece in the first column
    # that meets no line across (the left border faded over the top rows) and one from 130
    # on; without the first piece the first column's two upper cells would be one
    rulings = [Ruling(0, 0, 200, 0), Ruling(0, 100, 200, 100), Ruling(0, 75, 200, 75)]
    rulings += [Ruling(20, 50, 80, 50), Ruling(130, 50, 200, 50)]
    rulings += [Ruling(0, 75, 0, 100), Ruling(100, 0, 100, 100), Ruling(200, 0, 200, 100)]
    grid = detect_grids(rulings, page=1)[0]
    assert grid.ys == [0, 50, 75, 100]
    assert all(cell.rowspan == 1 for cell in grid.cells if cell.col == 0 and cell.row < 2)
    # a piece too short for a line (a text stroke) stays out
    stroke = [r for r in rulings if r.x0 != 20] + [Ruling(60, 50, 80, 50)]
    grid = detect_grids(stroke, page=1)[0]
    assert any(cell.rowspan == 2 for cell in grid.cells if cell.col == 0 and cell.row == 0)


def test_a_headings_strokes_that_met_the_tables_top_border_are_no_rows():
    # seed-003 300 heavy bitonal (seed 9): spread toner ran the strokes of 行政诉讼 in the
    # heading over section 四 into lines 24 and 68 pt long, with uprights 14 pt tall reaching
    # 2 pt through the border under them: two "rows" 4 and 8 pt tall and five more columns
    table = _box_rulings([0, 100, 200, 300, 400], [100, 130, 160])
    strokes = [Ruling(290, 88, 314, 88), Ruling(230, 92, 298, 92)]
    strokes += [Ruling(x, 88, x, 102) for x in (231, 258, 271, 312)]
    [grid] = detect_grids(table + strokes, page=1)
    assert (grid.xs, grid.ys) == ([0, 100, 200, 300, 400], [100, 130, 160])
    # a top row as low but under a border across the table is a row (a double border)
    border = table + [Ruling(0, 92, 400, 92), Ruling(0, 92, 0, 100), Ruling(400, 92, 400, 100)]
    assert detect_grids(border, page=1)[0].ys == [92, 100, 130, 160]


def test_a_ruled_box_too_low_for_a_line_of_text_is_no_table():
    # strokes of a scanned heading that met (a dash and a speck), 7 pt tall, above a table
    speck_box = _box_rulings([218, 225, 232, 253], [88, 95])
    table = _box_rulings([90, 300, 500], [106, 123, 140])
    grids = detect_grids(speck_box + table, page=3)
    assert [(grid.xs[0], grid.ys[0]) for grid in grids] == [(90, 106)]
    assert len(detect_grids(_box_rulings([0, 50], [0, 9]), page=1)) == 1
