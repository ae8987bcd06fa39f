import numpy as np
import pymupdf
from tests.ocr.conftest import render

from giar.extract.textlayer import read_text_layer
from giar.geometry import BBox
from giar.layout import PageLayout, Source, Word
from giar.ocr.components import runs
from giar.ocr.engines import get_engine
from giar.ocr.glyphs import (
    DIGITS,
    MIN_EXPLAINED,
    GlyphBook,
    HeldCell,
    is_open_zero,
    match_number,
)
from giar.ocr.glyphs import _fit as fit
from giar.ocr.page import FADED_CONFIDENCE, InkRegion, ocr_page, read_faded_cells
from giar.ocr.page import _text_lines as text_lines
from giar.tables.values import UNREAD_MARK

DPI = 200


def _digits_ink(text: str, pitch_pt: float = 12) -> np.ndarray:
    """``text`` in Times at 10.5 pt, bitonal at DPI, each digit in its own slot (one column
    run per digit) unless ``pitch_pt`` is too small for that."""
    document = pymupdf.open()
    page = document.new_page(width=pitch_pt * len(text) + 10, height=20)
    for index, char in enumerate(text):
        page.insert_text((5 + pitch_pt * index, 15), char, fontname="tiro", fontsize=10.5)
    pixmap = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    gray = np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.stride)
    return np.where(gray[:, :pixmap.width] < 128, 255, 0).astype(np.uint8)


def _tight(mask: np.ndarray) -> np.ndarray:
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _glyph(char: str) -> np.ndarray:
    return _tight(_digits_ink(char) > 0)


def _faded(char: str, loss: float = 0.5, seed: int = 3) -> np.ndarray:
    """``char``'s glyph with ``loss`` of its pixels gone at random: what a bitonal scan leaves
    of a digit where the toner faded."""
    glyph = _glyph(char)
    return _tight(glyph & (np.random.default_rng(seed).random(glyph.shape) > loss))


def _learnt() -> dict[str, list[np.ndarray]]:
    return {char: [_glyph(char)] for char in DIGITS}


def test_the_scraps_of_a_faded_digit_read_as_that_digit():
    for char in DIGITS:
        match = match_number(_faded(char), _learnt(), DPI)
        assert match is not None and match.text == char
        assert match.lead > 0
    zero = _glyph("0").copy()
    width = zero.shape[1]
    zero[:, width // 3:width - width // 3] = False  # "( )"
    assert match_number(zero, _learnt(), DPI).text == "0"


def test_scraps_that_could_be_several_digits_are_not_read():
    # the middle 60% of a 0 is the middle of a 6 and of a 9 too
    zero = _glyph("0")
    fifth = zero.shape[0] // 5
    middle = zero[fifth:-fifth]
    assert all(fit(middle, _glyph(char), 1) > MIN_EXPLAINED for char in "069")
    assert match_number(middle, _learnt(), DPI) is None


def test_the_middle_of_a_zero_reads_as_zero_where_its_row_tells_its_height():
    # standing where the row's numbers stand, the middle of a 0 is no 6 (lowered) or 9 (raised)
    ink = _digits_ink(DIGITS)
    book = GlyphBook()
    book.learn(ink, DPI, [((0, 0, ink.shape[1], ink.shape[0]), DIGITS)], 1)
    rows = np.flatnonzero(ink.any(axis=1))
    zero_start, zero_end = runs(ink.any(axis=0))[0]
    fifth = (rows[-1] + 1 - rows[0]) // 5
    top, bottom = rows[0] + fifth, rows[-1] + 1 - fifth
    middle = ink[top:bottom, zero_start:zero_end] > 0
    box = (zero_start, top, zero_end, bottom)
    row = (zero_start - 5, 0, zero_end + 5, ink.shape[0])
    book.hold(HeldCell(1, DPI, middle, box, row))
    book.hold(HeldCell(2, DPI, middle, box, row))  # no number read sure on page 2
    assert match_number(middle, _learnt(), DPI) is None  # a 0, a 6 and a 9 fit alike
    # page 2 still reads 0: its two sides stand alike, which a 6's or a 9's do not
    assert [(reading.cell.page, reading.match.text) for reading in book.readings()] == [
        (1, "0"), (2, "0")]


def test_scraps_that_fit_no_digit_are_not_read():
    glyphs = _learnt()
    assert match_number(np.ones((12, 12), bool), glyphs, DPI) is None  # a blot on no stroke
    speck = np.zeros((3, 3), bool)
    speck[1, 1] = True
    assert match_number(speck, glyphs, DPI) is None  # lies on every digit, explains none
    seven = _glyph("7")
    bar = _tight(seven[:int(0.45 * seven.shape[0])])  # a dash lies on the bar of a 7
    assert match_number(bar, {"7": [seven]}, DPI) is None


def test_each_glyph_of_a_number_is_read_on_its_own():
    glyphs = _learnt()
    two = _glyph("2")
    zero = _faded("0")
    gap = np.zeros((two.shape[0], 6), bool)
    height = max(two.shape[0], zero.shape[0])
    number = np.hstack([np.pad(two, ((0, height - two.shape[0]), (0, 0))), gap,
                        np.pad(zero, ((0, height - zero.shape[0]), (0, 0)))])
    match = match_number(number, glyphs, DPI)
    assert match is not None and match.text == "20"


def test_a_number_whose_ink_does_not_part_into_its_digits_teaches_nothing():
    ink = _digits_ink(DIGITS, pitch_pt=4)  # touching glyphs: fewer column runs than digits
    book = GlyphBook()
    book.learn(ink, DPI, [((0, 0, ink.shape[1], ink.shape[0]), DIGITS)], 1)
    book.hold(HeldCell(1, DPI, _faded("0"), (0, 0, 1, 1), (0, 0, 1, 1)))
    assert book.readings() == []


def test_held_cells_read_from_the_glyphs_of_every_page_replace_what_was_read_flagged():
    page_one = _digits_ink(DIGITS)
    book = GlyphBook()
    book.learn(page_one, DPI, [((0, 0, page_one.shape[1], page_one.shape[0]), DIGITS)], 1)
    scraps = _faded("0")
    box = (100, 100, 100 + scraps.shape[1], 100 + scraps.shape[0])
    book.hold(HeldCell(2, DPI, scraps, box, (90, 90, 140, 140)))
    other_scraps = np.ones((12, 12), bool)
    book.hold(HeldCell(2, DPI, other_scraps, (300, 100, 312, 112), (290, 90, 340, 140)))
    scale = 72 / DPI
    misread = Word("C", BBox(100 * scale, 100 * scale, 110 * scale, 115 * scale), Source.OCR, 0.85)
    unread = Word("?", BBox(300 * scale, 100 * scale, 312 * scale, 112 * scale), Source.OCR, 0.0)
    label = Word("合计", BBox(10, 10, 30, 20), Source.OCR, 0.99)
    pages = [PageLayout(1, 595, 842, [label], method=Source.OCR, dpi=DPI),
             PageLayout(2, 595, 842, [misread, unread], method=Source.OCR, dpi=DPI)]
    first, second = read_faded_cells(pages, book)
    assert first.words == [label]
    assert [(word.text, word.confidence) for word in second.words] == [
        ("?", 0.0), ("0", FADED_CONFIDENCE)]
    assert abs(second.words[1].bbox.x0 - 100 * scale) < 0.01  # boxed where the scraps lie


def test_a_number_read_with_as_many_digits_keeps_its_reading():
    # whatever the scraps look like: a 2 whose diagonal faded lies on a 3's strokes, and a
    # recognizer's "2776" must not become "3778"
    ink = _digits_ink(DIGITS)
    book = GlyphBook()
    book.learn(ink, DPI, [((0, 0, ink.shape[1], ink.shape[0]), DIGITS)], 1)
    for read in ("5", "4 1", "C", ""):
        book.hold(HeldCell(1, DPI, _faded("0"), (0, 0, 1, 1), (0, 0, 1, 1), read))
    assert [reading.cell.read for reading in book.readings()] == ["4 1", "C", ""]


def test_a_faded_digit_on_a_bitonal_page_is_read_from_the_pages_own_digits(hongze):
    page = hongze[2]
    nine = next(word for word in read_text_layer(page, 3).words if word.text == "9")
    bitonal = np.where(render(page, DPI) < 128, 0, 255).astype(np.uint8)
    scale = DPI / 72
    x0, x1 = round(nine.bbox.x0 * scale), round(nine.bbox.x1 * scale) + 1
    top, bottom = round(nine.bbox.top * scale), round(nine.bbox.bottom * scale) + 1
    bitonal[top:bottom:2, x0:x1] = 255  # every other row of the 9 faded out: scraps
    book = GlyphBook()
    layout = ocr_page(bitonal, DPI, 3, get_engine(), book)

    def read_at_nine(words: list[Word]) -> list[tuple[str, float]]:
        return [(word.text, word.confidence) for word in words
                if word.bbox.contains_point(nine.bbox.center_x, nine.bbox.center_y, 2.0)]

    assert read_at_nine(layout.words) == [(UNREAD_MARK, 0.0)]
    [reread] = read_faded_cells([layout], book)
    assert read_at_nine(reread.words) == [("9", FADED_CONFIDENCE)]
    assert len(reread.words) == len(layout.words)


def test_each_line_of_a_wrapped_number_is_held_on_its_own():
    # g2021-011 300 mild: "217" over a 4 that kept only its stem and bar ("+"); the cell's ink
    # stands two lines tall, and the faded line is held for a reading of its own
    tallest = 16 * DPI / 72
    ink = np.zeros((200, 100), np.uint8)
    ink[10:30, 20:60] = 255  # "217"
    ink[45:52, 30:42] = 255  # the 4's bar...
    ink[40:65, 36:38] = 255  # ...and stem
    cell = InkRegion(5, 5, 95, 80)
    lines = text_lines(ink, cell, cell, tallest)
    assert [(area.top, area.bottom) for area, _ in lines] == [(10, 30), (40, 65)]
    assert all((area.x0, area.x1) == (5, 95) for area, _ in lines)
    # a label cell is no wrapped number: a speck under the label is no line of its own
    assert text_lines(ink, cell, cell, tallest, labelled=True) == []
    # gmixed-015 300 heavy: dashes of a faded row line 3 pt tall under a number are no line
    ink[90:94, 30:32] = ink[90:94, 60:62] = 255
    tall_cell = InkRegion(5, 5, 95, 100)
    lines = text_lines(ink, tall_cell, tall_cell, tallest)
    assert [(area.top, area.bottom) for area, _ in lines] == [(10, 30), (40, 65)]
    # a faded 0 left as its top and bottom arcs stands within one line: the cell as it is
    ink[:] = 0
    ink[100:104, 30:45] = 255
    ink[120:124, 30:45] = 255
    low_cell = InkRegion(5, 90, 95, 140)
    assert text_lines(ink, low_cell, low_cell, tallest) == [(low_cell, low_cell)]


def _mask(*rows: str) -> np.ndarray:
    return np.array([[char == "#" for char in row] for row in rows], bool)


# Zeros of a 150 DPI bitonal scan whose thin top and bottom the threshold took: the
# recognizer read them "()" and "C1".
OPEN_ZEROS = (
    _mask(".......#.", ".#.....#.", ".#.....##", ".#......#", "##......#", "##......#",
          ".#......#", ".#.....##", ".#.....#.", "..#....#."),
    _mask(".#.....#", "##.....#", "#......#", "#......#", "#......#", "#......#",
          "##.....#", ".#......"),
)


def test_the_two_sides_of_a_zero_are_known_from_two_ones_and_straight_strokes():
    assert [is_open_zero(zero) for zero in OPEN_ZEROS] == [True, True]
    assert is_open_zero(_digits_ink("11") > 0) is False  # the 1's flag and foot reach out
    assert is_open_zero(_digits_ink("0") > 0) is False  # whole: one run of columns
    for digit in DIGITS:  # every digit with its top and bottom fifth faded: only the 0's
        ink = _digits_ink(digit) > 0
        rows = np.flatnonzero(ink.any(axis=1))
        fifth = (rows[-1] + 1 - rows[0]) // 5
        assert is_open_zero(ink[rows[0] + fifth:rows[-1] + 1 - fifth]) is (digit == "0")
    straight = np.zeros((10, 9), bool)
    straight[:, [1, 7]] = True
    assert is_open_zero(straight) is False
    with_speck = OPEN_ZEROS[1].copy()
    with_speck[4, 4] = True  # a pixel in the hollow is no third side
    assert is_open_zero(with_speck) is True


def test_the_sides_of_a_zero_read_zero_where_no_glyph_or_only_ones_match():
    ones = _digits_ink("1")
    for known in ((), ((0, 0, ones.shape[1], ones.shape[0]), "1")):
        book = GlyphBook()
        if known:
            book.learn(ones, 150, [known], 1)
        for read in ("(1", "11", "", "1)"):
            book.hold(HeldCell(1, 150, OPEN_ZEROS[0], (0, 0, 9, 10), (0, 0, 20, 20), read))
        assert [(r.cell.read, r.match.text) for r in book.readings()] == [
            ("(1", "0"), ("11", "0"), ("", "0"), ("1)", "0")]
