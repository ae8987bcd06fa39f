from giar.geometry import BBox
from giar.layout import Ruling, Source, Word
from giar.tables.cells import fill_cells
from giar.tables.grid import detect_grids
from giar.tables.values import UNREAD_MARK


def _chars_word(text, x, y, size=10.0, vertical=False):
    chars = []
    for i, ch in enumerate(text):
        dx, dy = (0, i * size) if vertical else (i * size * 0.6, 0)
        chars.append((ch, BBox(x + dx, y + dy, x + dx + size * 0.6, y + dy + size)))
    return Word(text=text, bbox=BBox(x, y, x + 10, y + 10), chars=tuple(chars))


def _one_cell_grid(width=30, height=80):
    rulings = [Ruling(0, 0, width, 0), Ruling(0, height, width, height),
               Ruling(0, 0, 0, height), Ruling(width, 0, width, height)]
    return detect_grids(rulings, page=4)[0]


def test_one_character_per_line_reads_as_one_label():
    word = _chars_word("结果维持", 5, 5, vertical=True)
    cell = fill_cells(_one_cell_grid(), [word]).cells[0]
    assert cell.lines == ("结", "果", "维", "持")
    assert cell.text == "结果维持"
    assert cell.page == 4


def test_number_wrapped_inside_a_narrow_cell_is_one_number():
    words = [_chars_word("139", 2, 5), _chars_word("0", 2, 18)]
    assert fill_cells(_one_cell_grid(), words).cells[0].text == "1390"


def test_glyphs_outside_the_grid_are_ignored_and_ocr_confidence_is_kept():
    ocr = Word(text="95", bbox=BBox(5, 30, 20, 40), source=Source.OCR, confidence=0.71)
    page_number = Word(text="- 4 -", bbox=BBox(5, 200, 40, 210), source=Source.OCR)
    cell = fill_cells(_one_cell_grid(), [ocr, page_number]).cells[0]
    assert (cell.text, cell.source, cell.confidence) == ("95", Source.OCR, 0.71)


def _two_row_grid(width=40, row_height=20):
    rulings = [Ruling(0, y, width, y) for y in (0, row_height, 2 * row_height)]
    rulings += [Ruling(x, 0, x, 2 * row_height) for x in (0, width)]
    return detect_grids(rulings, page=1)[0]


def test_text_layer_glyph_through_the_top_border_belongs_to_the_cell_above():
    overflow = _chars_word("5", 5, 17, size=10.0)  # 17..27: crosses the border at 20
    table = fill_cells(_two_row_grid(), [overflow])
    assert [c.text for c in table.cells] == ["5", ""]


def test_ocr_box_a_point_past_the_top_border_stays_in_its_cell():
    # OCR boxes are estimates: "1105" read 2 pt above its cell's top is still that cell's.
    ocr = Word(text="1105", bbox=BBox(5, 18, 35, 36), source=Source.OCR, confidence=0.93)
    table = fill_cells(_two_row_grid(), [ocr], Source.OCR)
    assert [c.text for c in table.cells] == ["", "1105"]


def test_blank_cells_of_an_ocr_page_are_ocr_cells():
    table = fill_cells(_two_row_grid(), [], Source.OCR)
    assert [(c.text, c.source) for c in table.cells] == [("", Source.OCR), ("", Source.OCR)]


def _two_by_two_with_lost_borders():
    """Columns at 0/40/80, rows at 0/20/40; the border between the rows and the one between
    the columns faded out of the scan, except along the table's edges: one 2 x 2 cell."""
    rulings = [Ruling(0, 0, 80, 0), Ruling(0, 40, 80, 40), Ruling(0, 0, 0, 40),
               Ruling(80, 0, 80, 40), Ruling(40, 0, 40, 1), Ruling(0, 20, 1, 20)]
    rulings += [Ruling(40, 39, 40, 40), Ruling(79, 20, 80, 20)]
    grid = detect_grids(rulings, page=1)[0]
    assert (grid.xs, grid.ys) == ([0, 40, 80], [0, 20, 40])
    assert [(c.rowspan, c.colspan) for c in grid.cells] == [(2, 2)]
    return grid


def _ocr(text, x0, top, x1, bottom):
    return Word(text=text, bbox=BBox(x0, top, x1, bottom), source=Source.OCR, confidence=0.98)


def test_numbers_apart_in_a_cell_merged_by_a_lost_border_go_back_to_their_own_cells():
    words = [_ocr("50", 12, 5, 26, 15), _ocr("0", 56, 5, 62, 15), _ocr("9", 16, 25, 22, 35)]
    table = fill_cells(_two_by_two_with_lost_borders(), words, Source.OCR)
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells] == [
        (0, 0, 1, 1, "50"), (0, 1, 1, 1, "0"), (1, 0, 1, 1, "9"), (1, 1, 1, 1, "")]
    assert table.cells[2].bbox == BBox(0, 20, 40, 40)
    # a stroke 1 pt wide: off the edges, in the column of its middle; on the edge at 40, what
    # is left of the lost line (or a glyph of a cell that spans), so the block stays whole
    thin = [_ocr("1", 44, 5, 45, 15), _ocr("0", 56, 5, 62, 15), _ocr("9", 16, 25, 22, 35)]
    table = fill_cells(_two_by_two_with_lost_borders(), thin, Source.OCR)
    assert [(c.row, c.col, c.text) for c in table.cells] == [
        (0, 0, ""), (0, 1, "1 0"), (1, 0, "9"), (1, 1, "")]
    on_edge = [_ocr("1", 39.6, 5, 40.6, 15), *thin[1:]]
    table = fill_cells(_two_by_two_with_lost_borders(), on_edge, Source.OCR)
    assert [(c.rowspan, c.colspan) for c in table.cells] == [(2, 2)]


def test_a_recognised_box_reaching_past_a_lost_row_line_still_parts_two_numbers():
    # a "1" over a "0" in a column that lost the line between rows 0 and 1: the recognizer's
    # box round the "1" reaches 1.5 pt past the row edge (a number wrapped in its cell keeps
    # both its lines within one row)
    words = [_ocr("1", 56, 3, 62, 21.5), _ocr("0", 56, 23, 62, 37), _ocr("5", 16, 5, 22, 15)]
    table = fill_cells(_two_by_two_with_lost_borders(), words, Source.OCR)
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells] == [
        (0, 0, 1, 1, "5"), (0, 1, 1, 1, "1"), (1, 0, 1, 1, ""), (1, 1, 1, 1, "0")]


def test_a_misreading_beside_numbers_in_a_merged_block_goes_to_its_own_cell():
    # "0)" is a 0 read with a scrap of border: the block is still cut, and "0)" stays flagged
    words = [_ocr("0", 16, 5, 22, 15), _ocr("0)", 56, 5, 63, 15), _ocr("0", 16, 25, 22, 35)]
    table = fill_cells(_two_by_two_with_lost_borders(), words, Source.OCR)
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells] == [
        (0, 0, 1, 1, "0"), (0, 1, 1, 1, "0)"), (1, 0, 1, 1, "0"), (1, 1, 1, 1, "")]
    # one number and a misread one ("1:" is a faded 0 with a speck) in one row: still cut
    lone = [_ocr("0", 16, 5, 22, 15), _ocr("1:", 56, 5, 62, 15)]
    table = fill_cells(_two_by_two_with_lost_borders(), lone, Source.OCR)
    assert [(c.row, c.col, c.text) for c in table.cells] == [
        (0, 0, "0"), (0, 1, "1:"), (1, 0, ""), (1, 1, "")]
    # and a faded 0 read as a letter ("n", g2021-029 150 heavy) as tall as half the number
    letter = [_ocr("0", 16, 5, 22, 15), _ocr("n", 56, 9, 62, 14)]
    table = fill_cells(_two_by_two_with_lost_borders(), letter, Source.OCR)
    assert [(c.row, c.col, c.text) for c in table.cells] == [
        (0, 0, "0"), (0, 1, "n"), (1, 0, ""), (1, 1, "")]
    # but a speck read as no digit beside one number is no sign of a lost line, nor a
    # letter too short for a digit
    for speck in (_ocr(":", 56, 5, 58, 15), _ocr("n", 56, 11, 60, 14), _ocr("i", 56, 5, 58, 15)):
        table = fill_cells(_two_by_two_with_lost_borders(), [_ocr("0", 16, 5, 22, 15), speck],
                           Source.OCR)
        assert [(c.rowspan, c.colspan) for c in table.cells] == [(2, 2)]


def test_a_sliver_left_by_a_bent_column_line_is_no_cell_of_a_cut_block():
    # g2021-018 200 heavy bitonal (seed 9): the line at 40 bent to 44 in the last row, and the
    # line between rows 0 and 1 faded right of it. Cut by its numbers, the block gave a 4 pt
    # cell in each row, and the headings' column 40..80 read blank from it (a 1 and a 2 lost)
    rulings = [Ruling(0, y, 80, y) for y in (0, 40, 60)] + [Ruling(0, 20, 40, 20)]
    rulings += [Ruling(0, 0, 0, 60), Ruling(80, 0, 80, 60), Ruling(40, 0, 40, 40),
                Ruling(44, 40, 44, 60)]
    grid = detect_grids(rulings, page=1)[0]
    assert grid.xs == [0, 40, 44, 80]
    words = [_ocr("1", 58, 5, 63, 15), _ocr("2", 58, 25, 63, 35), _ocr("7", 16, 5, 22, 15)]
    table = fill_cells(grid, words, Source.OCR)
    assert [(c.row, c.col, c.colspan, c.text, c.bbox.x0, c.bbox.x1) for c in table.cells] == [
        (0, 0, 1, "7", 0, 40), (0, 1, 2, "1", 40, 80), (1, 0, 1, "", 0, 40),
        (1, 1, 2, "2", 40, 80), (2, 0, 2, "", 0, 44), (2, 2, 1, "", 44, 80)]


def test_a_sliver_left_by_an_outer_border_bent_in_one_row_is_no_cell_of_that_row():
    # Hongze 300 heavy bitonal (seed 10): the left border ran at 0 down to the first row and
    # at 4 beside the second; the 4 pt cell at that row's start was taken for its label, and
    # the row (行政许可 | 9487) was lost
    rulings = [Ruling(0, 0, 100, 0), Ruling(0, 20, 100, 20), Ruling(4, 40, 100, 40),
               Ruling(0, 0, 0, 20), Ruling(4, 20, 4, 40), Ruling(50, 0, 50, 40),
               Ruling(100, 0, 100, 40)]
    grid = detect_grids(rulings, page=1)[0]
    assert grid.xs == [0, 4, 50, 100]
    words = [_ocr("规章", 10, 5, 30, 15), _ocr("3", 70, 5, 76, 15),
             _ocr("行政许可", 10, 25, 40, 35), _ocr("9487", 62, 25, 86, 35)]
    table = fill_cells(grid, words, Source.OCR)
    assert [(c.row, c.col, c.colspan, c.text, c.bbox.x0, c.bbox.x1) for c in table.cells] == [
        (0, 0, 2, "规章", 0, 50), (0, 2, 1, "3", 50, 100),
        (1, 0, 2, "行政许可", 0, 50), (1, 2, 1, "9487", 50, 100)]


def test_a_lone_number_in_one_column_of_a_cell_merged_by_a_lost_line_goes_to_that_column():
    # Hongze 300 heavy bitonal (seed 10): the line between the labels and 自然人 faded in the
    # （六）其他处理 row; its 0 stood in a cell with the sub-label column, and was absent
    rulings = [Ruling(0, y, 80, y) for y in (0, 20, 40)]
    rulings += [Ruling(0, 0, 0, 40), Ruling(80, 0, 80, 40), Ruling(40, 0, 40, 20)]
    grid = detect_grids(rulings, page=1)[0]

    def second_row(word):
        table = fill_cells(grid, [word], word.source)
        return [(c.col, c.colspan, c.text) for c in table.cells if c.row == 1]

    assert second_row(_ocr("0", 56, 25, 62, 35)) == [(0, 1, ""), (1, 1, "0")]
    # a number centred across the cells' edge is a spanning cell's, and the text layer's
    # cells lose no lines
    assert second_row(_ocr("12", 34, 25, 46, 35)) == [(0, 2, "12")]
    printed = Word(text="0", bbox=BBox(56, 25, 62, 35), chars=(("0", BBox(56, 25, 62, 35)),))
    assert second_row(printed) == [(0, 2, "0")]


def test_one_number_centred_across_an_edge_of_a_spanning_cell_stays_one_number():
    # text layer: "2776" centred in the 2 x 2 cell, the column edge between its two 7s
    words = [_chars_word("2776", 28, 15, size=10.0)]
    table = fill_cells(_two_by_two_with_lost_borders(), words)
    assert [(c.rowspan, c.colspan, c.text) for c in table.cells] == [(2, 2, "2776")]


def test_a_number_centred_over_two_columns_keeps_them_where_its_merged_block_is_cut():
    # 2019 layout: 上一年项目数量's numbers are printed centred over the first two columns
    # (0-80), 本年增/减's in the third; the borders inside this 2-row block faded out
    rulings = [Ruling(0, 0, 120, 0), Ruling(0, 40, 120, 40), Ruling(0, 0, 0, 40),
               Ruling(120, 0, 120, 40), Ruling(40, 0, 40, 1), Ruling(80, 39, 80, 40),
               Ruling(0, 20, 1, 20), Ruling(119, 20, 120, 20)]
    grid = detect_grids(rulings, page=1)[0]
    assert [(c.rowspan, c.colspan) for c in grid.cells] == [(2, 3)]
    words = [_ocr("0", 37, 5, 43, 15), _ocr("5", 97, 5, 103, 15), _ocr("7", 97, 25, 103, 35)]
    table = fill_cells(grid, words, Source.OCR)
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells] == [
        (0, 0, 1, 2, "0"), (0, 2, 1, 1, "5"), (1, 0, 1, 2, ""), (1, 2, 1, 1, "7")]
    assert table.cells[0].bbox == BBox(0, 0, 80, 20)
    # a number reaching over the edge at 40 but standing in the first column's half: no
    # cell spans so, and the block is left whole
    off_centre = [_ocr("12345", 8, 5, 42, 15), _ocr("5", 97, 5, 103, 15)]
    table = fill_cells(grid, off_centre, Source.OCR)
    assert [(c.rowspan, c.colspan) for c in table.cells] == [(2, 3)]
    # ink read as no character centred over the edge: a faded heading's, not a number
    unread = [_ocr(UNREAD_MARK, 25, 5, 55, 15), _ocr("5", 97, 5, 103, 15)]
    table = fill_cells(grid, unread, Source.OCR)
    assert [(c.rowspan, c.colspan) for c in table.cells] == [(2, 3)]


def test_a_label_spanning_cells_is_never_cut():
    words = [_ocr("申请人", 5, 5, 35, 15), _ocr("情况", 45, 25, 75, 35)]
    table = fill_cells(_two_by_two_with_lost_borders(), words, Source.OCR)
    assert [(c.rowspan, c.colspan, c.text) for c in table.cells] == [(2, 2, "申请人情况")]


def test_a_heading_merged_with_the_number_below_it_is_cut_above_the_number():
    # the line under 自然人 faded: heading in the top row, "95" in the bottom one
    words = [_ocr("自然人", 8, 5, 32, 15), _ocr("95", 14, 25, 26, 35)]
    table = fill_cells(_two_by_two_with_lost_borders(), words, Source.OCR)
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells] == [
        (0, 0, 1, 2, "自然人"), (1, 0, 1, 1, "95"), (1, 1, 1, 1, "")]


def test_a_row_label_merged_with_the_numbers_right_of_it_is_cut_before_them():
    # the column line after the label faded in both rows; "O" is a misread 0, kept in its cell
    words = [_ocr("规章", 5, 5, 30, 15), _ocr("O", 57, 5, 63, 15)]
    table = fill_cells(_two_by_two_with_lost_borders(), words, Source.OCR)
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells] == [
        (0, 0, 2, 1, "规章"), (0, 1, 1, 1, "O"), (1, 1, 1, 1, "")]


def test_a_number_beside_a_label_that_reaches_into_its_cell_does_not_cut_it():
    # a two-line label running across both columns and rows: no line of the grid is free
    words = [_ocr("其他法律行政", 5, 5, 75, 15), _ocr("法规", 5, 25, 30, 35),
             _ocr("1", 57, 25, 63, 35)]
    table = fill_cells(_two_by_two_with_lost_borders(), words, Source.OCR)
    assert [(c.rowspan, c.colspan) for c in table.cells] == [(2, 2)]


def test_a_data_row_run_on_into_the_row_below_is_cut_under_it():
    # the row line under 行政强制 | 84 faded over the block's width: the next block's title
    # stands in the row below, in the same cell
    words = [_ocr("行政强制", 5, 5, 30, 15), _ocr("84", 57, 5, 63, 15),
             _ocr("第二十条第（八）项", 10, 25, 70, 35)]
    table = fill_cells(_two_by_two_with_lost_borders(), words, Source.OCR)
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells] == [
        (0, 0, 1, 1, "行政强制"), (0, 1, 1, 1, "84"), (1, 0, 1, 2, "第二十条第（八）项")]
    # a title reaching up across the row edge is not cut off
    tall = [*words[:2], _ocr("第二十条第（八）项", 10, 12, 70, 35)]
    table = fill_cells(_two_by_two_with_lost_borders(), tall, Source.OCR)
    assert [(c.rowspan, c.colspan) for c in table.cells] == [(2, 2)]


def test_a_header_run_on_into_the_first_data_row_is_cut_above_it():
    # section 三: the lines under the corner and 自然人 faded left of 法人或其他组织's column,
    # merging them with 一、本年新收… | 95 (columns 0/40/80/120, rows 0/20/40/60)
    rulings = [Ruling(0, 0, 120, 0), Ruling(0, 60, 120, 60), Ruling(0, 0, 0, 60),
               Ruling(120, 0, 120, 60), Ruling(80, 0, 80, 60), Ruling(80, 20, 120, 20),
               Ruling(80, 40, 120, 40), Ruling(40, 59, 40, 60), Ruling(0, 20, 1, 20),
               Ruling(0, 40, 1, 40)]
    grid = detect_grids(rulings, page=1)[0]
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in grid.cells] == [
        (0, 0, 3, 2), (0, 2, 1, 1), (1, 2, 1, 1), (2, 2, 1, 1)]
    merged = [_ocr("本列数据", 5, 5, 35, 15), _ocr("自然人", 45, 25, 75, 35),
              _ocr("一、本年新收", 5, 45, 35, 55), _ocr("95", 55, 45, 65, 55)]
    header = [_ocr("法人", 85, 5, 115, 15), _ocr("商业企业", 85, 25, 115, 35)]
    table = fill_cells(grid, [*merged, *header, _ocr("0", 97, 45, 103, 55)], Source.OCR)
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells
            if c.col < 2] == [(0, 0, 2, 2, "本列数据自然人"), (2, 0, 1, 1, "一、本年新收"),
                              (2, 1, 1, 1, "95")]
    # a letter read for a stroke of a faded heading ("I") makes no data row to cut above
    misread = [*merged[:3], _ocr("I", 58, 45, 60, 55)]
    table = fill_cells(grid, [*misread, *header, _ocr("0", 97, 45, 103, 55)], Source.OCR)
    assert [(c.rowspan, c.colspan) for c in table.cells if c.col == 0] == [(3, 2)]
    # where the row above holds a number, the lines above may be a wrapped label: no cut
    numbered = [header[0], _ocr("7", 97, 25, 103, 35), _ocr("0", 97, 45, 103, 55)]
    table = fill_cells(grid, [*merged, *numbered], Source.OCR)
    assert [(c.rowspan, c.colspan) for c in table.cells if c.col == 0] == [(3, 2)]


def test_recognised_numbers_apart_in_one_cell_keep_a_space_and_text_does_not():
    grid = _one_cell_grid(width=120, height=30)
    apart = [_ocr("46", 5, 10, 17, 20), _ocr("248", 60, 10, 78, 20)]
    assert fill_cells(grid, apart).cells[0].text == "46 248"
    close = [_ocr("46", 5, 10, 17, 20), _ocr("248", 20, 10, 38, 20)]
    assert fill_cells(grid, close).cells[0].text == "46248"
    label = [_ocr("（一）", 5, 10, 30, 20), _ocr("予以公开", 60, 10, 100, 20)]
    assert fill_cells(grid, label).cells[0].text == "（一）予以公开"
    printed = [_chars_word("46", 5, 10), _chars_word("248", 60, 10)]
    assert fill_cells(grid, printed).cells[0].text == "46248"
