from giar.geometry import BBox
from giar.layout import Ruling, Source, Word
from giar.tables.cells import fill_cells
from giar.tables.grid import detect_grids


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
