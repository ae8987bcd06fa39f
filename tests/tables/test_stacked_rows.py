from giar.geometry import BBox
from giar.layout import Ruling, Source, Word
from giar.tables.cells import fill_cells
from giar.tables.grid import detect_grids
from giar.tables.stacked_rows import split_stacked_rows

# A label column 0-100 spanning rows 0-60 (its row line lost), and four count columns 30 wide;
# a last row 60-80 kept its line.
COLUMNS = [0, 100, 130, 160, 190, 220]


def _grid():
    rulings = [Ruling(0, y, 220, y) for y in (0, 60, 80)]
    rulings += [Ruling(x, 0, x, 80) for x in COLUMNS]
    return detect_grids(rulings, page=3)[0]


def _ocr(text, x, top, height=8.0, width=None):
    width = width if width is not None else 5.0 * len(text)
    return Word(text=text, bbox=BBox(x, top, x + width, top + height), source=Source.OCR,
                confidence=0.99)


def _merged_rows(upper, lower, label_upper="（一）予以公开", label_lower="（二）部分公开"):
    words = [_ocr(label_upper, 5, 8, width=60), _ocr(label_lower, 5, 40, width=60)]
    for col, (top_text, bottom_text) in enumerate(zip(upper, lower, strict=True)):
        x = COLUMNS[col + 1] + 10
        words += [_ocr(top_text, x, 8), _ocr(bottom_text, x, 40)]
    return words + [_ocr(text, COLUMNS[col + 1] + 10, 66) for col, text in enumerate("0000")]


def _rows(grid, words):
    table = fill_cells(grid, words, Source.OCR)
    return [[cell.text for cell in table.cells_starting_in(row)] for row in range(table.n_rows)]


def test_a_row_holding_two_rows_numbers_is_cut_between_them():
    words = _merged_rows(["50", "0", "0", "50"], ["9", "0", "0", "9"])
    grid = split_stacked_rows(_grid(), words)
    assert grid.ys == [0, 28.0, 60, 80]
    assert _rows(grid, words) == [["（一）予以公开", "50", "0", "0", "50"],
                                  ["（二）部分公开", "9", "0", "0", "9"],
                                  ["", "0", "0", "0", "0"]]


def test_without_the_cut_the_numbers_would_be_joined():
    words = _merged_rows(["50", "0", "0", "50"], ["9", "0", "0", "9"])
    assert _rows(_grid(), words)[0][1] == "509"


def test_a_label_running_across_the_gap_spans_both_rows():
    words = _merged_rows(["1", "0", "0", "1"], ["2", "0", "0", "2"])
    words[0] = _ocr("（一）予以公开", 5, 20, height=16, width=60)
    grid = split_stacked_rows(_grid(), words)
    label = next(cell for cell in grid.cells if cell.col == 0 and cell.row == 0)
    assert label.rowspan == 2
    assert [cell.rowspan for cell in grid.cells if cell.row == 1] == [1, 1, 1, 1]


def test_numbers_wrapped_in_narrow_cells_or_stacked_in_too_few_columns_stay_one_row():
    wrapped = _merged_rows(["1390", "1390", "1390", "1390"], ["0", "0", "0", "0"])
    wrapped = [_ocr(w.text, w.bbox.x0 - 8, w.bbox.top, width=24) if w.text == "1390" else w
               for w in wrapped]
    assert split_stacked_rows(_grid(), wrapped).ys == [0, 60, 80]
    two_columns = _merged_rows(["5", "1", "0", "0"], ["3", "2", "", ""])
    assert split_stacked_rows(_grid(), two_columns).ys == [0, 60, 80]


def test_stacked_header_words_are_no_numbers():
    words = _merged_rows(["结果", "结果", "其他", "尚未"], ["维持", "纠正", "结果", "审结"])
    assert split_stacked_rows(_grid(), words).ys == [0, 60, 80]
