"""Reading whole documents' cell tables into canonical tables (real corpus layouts)."""

from dataclasses import replace
from pathlib import Path

from fixtures.loader import load_manifest

from giar.extract.document import resolve_inputs
from giar.geometry import BBox
from giar.layout import Source
from giar.pipeline import ExtractOptions, cell_tables, read_document
from giar.tables.cells import CellTable, CellWord, TableCell
from giar.tables.read_review import _agree, _completed
from giar.tables.reader import read_tables
from giar.tables.reading import place

# g2019-021 breaks （七）总计 over pages 7 and 8: "110" above the break, "5" below it.
DOC = next(d for d in load_manifest() if d.id == "g2019-021")


def _tables_of(doc) -> list[CellTable]:
    document = read_document(resolve_inputs([Path(doc.files[0])]), ExtractOptions(ocr="never"))
    return cell_tables(document.layouts)


def _moved(table: CellTable, dx: float) -> CellTable:
    def move(box: BBox) -> BBox:
        return BBox(box.x0 + dx, box.top, box.x1 + dx, box.bottom)
    return replace(table, bbox=move(table.bbox),
                   cells=tuple(replace(cell, bbox=move(cell.bbox)) for cell in table.cells))


def _total_processed(tables: list[CellTable]) -> str:
    reading = read_tables(tables).readings["applications"]
    return next(v.raw for v in reading.values
                if v.key == "applications.total_processed.natural_person")


def test_a_row_cut_by_a_page_break_is_mended_when_the_next_sheet_lies_a_few_points_off():
    tables = _tables_of(DOC)
    assert _total_processed(tables) == "1105"
    # A scanned sheet sits where it was put on the glass: page 8 lies 4 pt to the right.
    shifted = [_moved(t, 4.0) if t.page == 8 else t for t in tables]
    assert _total_processed(shifted) == "1105"


def test_a_number_of_one_digit_over_a_page_break_is_never_the_start_of_a_wrapped_one():
    # g2021-029 150 heavy: a row whose label faded starts page 6; "1" over "46" is no 146
    tables = _tables_of(DOC)
    index = next(i for i, t in enumerate(tables) if t.page == 7 and t.n_rows == 13)
    cell = next(c for c in tables[index].cells if (c.row, c.col) == (12, 3))
    tables[index] = replace(tables[index], cells=tuple(
        replace(c, lines=("1",)) if c is cell else c for c in tables[index].cells))
    assert _total_processed(tables) == "1"


# Damage a born-digital report's cell tables the way a faded scan does, and read them.
G2021 = next(d for d in load_manifest() if d.id == "g2021-001")


def _g2021_tables() -> list[CellTable]:
    return _tables_of(G2021)


def _merged(table: CellTable, row: int, cols: tuple[int, int], text: str,
            rowspan: int = 1, words: tuple[CellWord, ...] = ()) -> CellTable:
    """``table`` with cells ``cols`` of ``row`` (and ``rowspan`` rows) drawn as one cell."""
    inside = [c for c in table.cells
              if row <= c.row < row + rowspan and cols[0] <= c.col <= cols[1]]
    box = BBox(min(c.bbox.x0 for c in inside), min(c.bbox.top for c in inside),
               max(c.bbox.x1 for c in inside), max(c.bbox.bottom for c in inside))
    merged = replace(inside[0], row=row, col=cols[0], rowspan=rowspan,
                     colspan=cols[1] - cols[0] + 1, bbox=box, lines=(text,), words=words)
    return replace(table, cells=tuple(sorted(
        [c for c in table.cells if c not in inside] + [merged], key=lambda c: (c.row, c.col))))


def _redrawn(table: CellTable, lost: tuple[TableCell, ...],
             drawn: tuple[TableCell, ...]) -> CellTable:
    """``table`` with the cells ``lost`` drawn as ``drawn`` instead (borders lost in a scan)."""
    return replace(table, cells=tuple(sorted(
        [c for c in table.cells if c not in lost] + list(drawn), key=lambda c: (c.row, c.col))))


def _words_of(table: CellTable, row: int, cols: tuple[int, ...]) -> tuple[CellWord, ...]:
    return tuple(w for c in table.cells if c.row == row and c.col in cols for w in c.words)


def _values(tables: list[CellTable], name: str) -> dict[str, tuple[str, bool]]:
    return {v.key: (v.raw, v.by_label) for v in read_tables(tables).readings[name].values}


def test_two_column_headings_merged_by_a_lost_border_give_both_columns_by_position():
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.n_rows == 16)
    tables[index] = _merged(tables[index], 2, (7, 8), "法律服务他机-一")
    values = _values(tables, "applications")
    assert values["applications.new_received.legal_service_org"] == ("40", False)
    assert values["applications.new_received.other_org"] == ("45", False)
    assert values["applications.new_received.social_welfare_org"] == ("19", True)


def _with_sliver(table: CellTable, cell: TableCell, at: float) -> CellTable:
    """``table`` with ``cell`` cut at ``at`` and the part right of it a blank cell of its own
    (a column line drawn a few points off in a scan)."""
    left = replace(cell, bbox=replace(cell.bbox, x1=at))
    sliver = replace(cell, col=cell.col + 0.5, bbox=replace(cell.bbox, x0=at), lines=(),
                     words=(), source=Source.OCR)
    return _redrawn(table, (cell,), (left, sliver))


def test_a_sliver_between_the_row_labels_and_the_corner_heading_is_no_column():
    # g2019-024 150 DPI heavy bitonal (seed 7): most rows' label cells end 5 pt short of the
    # corner heading, and row 一 has a sliver of its own right of 其他; the sliver had been a
    # heading, row 一's eight cells went to eight headings by order, each one column left
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.n_rows == 16)
    table = tables[index]
    for row in range(4, table.n_rows):
        label = max((c for c in table.cells_starting_in(row) if c.bbox.x1 <= 321.5),
                    key=lambda c: c.bbox.x1, default=None)
        if label is not None and abs(label.bbox.x1 - 321) < 1:
            table = _with_sliver(table, label, label.bbox.x1 - 5)
    other = next(c for c in table.cells_starting_in(3) if c.text == "45")
    tables[index] = _with_sliver(table, other, other.bbox.x1 - 5)
    first: dict[str, str] = {}  # a key placed twice keeps its first cell, as the output does
    for value in read_tables(tables).readings["applications"].values:
        first.setdefault(value.key, value.raw)
    assert [first[f"applications.new_received.{col}"]
            for col in ("natural_person", "commercial_enterprise", "other_org", "total")] == [
        "1,608", "187", "45", "1,928"]
    assert first["applications.granted.natural_person"] == "756"


def test_a_header_block_reaching_into_the_first_data_row_leaves_the_headings_intact():
    # the line under the note block faded: it swallows row 一's label
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.n_rows == 16)
    tables[index] = _merged(tables[index], 0, (0, 2), "（本列数据的勾稽关系为）一、本年新收", rowspan=4)
    values = _values(tables, "applications")
    assert values["applications.carried_over.natural_person"] == ("0", True)
    assert values["applications.granted.total"] == ("906", True)
    assert values["applications.new_received.total"][0] == "1,928"


def test_a_value_straddling_two_columns_is_placed_but_not_as_placed_by_label():
    # "60" and "23" merged by a lost border and read as one number
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.page == 4 and t.n_rows == 11)
    tables[index] = _merged(tables[index], 0, (1, 2), "6023")
    values = _values(tables, "active_disclosure")
    guessed = [values.get(f"active_disclosure.normative_documents.{col}")
               for col in ("issued", "repealed")]
    assert sorted(guessed, key=str) == [("6023", False), None]
    assert values["active_disclosure.normative_documents.in_force"] == ("476", True)


def test_a_row_label_merged_over_the_row_below_places_its_values_only_by_position():
    # the line between 行政处罚 and 行政强制 faded in the label column only, and 行政处罚
    # faded past reading: the one label cell reads as 行政强制, the lower row's label, which
    # must not draw the upper row's values to it; the rows take the labels by order
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.page == 4 and t.n_rows == 11)
    tables[index] = _merged(tables[index], 6, (0, 0), "行攻处司行政强制", rowspan=2)
    values = _values(tables, "active_disclosure")
    placed = {key: value for key, value in values.items()
              if key.split(".")[1] in ("penalty", "coercion")}
    assert placed == {"active_disclosure.penalty.decisions": ("7,689", False),
                      "active_disclosure.coercion.decisions": ("84", False)}
    assert values["active_disclosure.fees.amount"] == ("4390.96", True)


def test_a_row_label_merged_over_the_row_below_is_cut_by_where_its_words_are_printed():
    # the same lost line, but both labels legible, each within its own row
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.page == 4 and t.n_rows == 11)
    words = _words_of(tables[index], 6, (0,)) + _words_of(tables[index], 7, (0,))
    tables[index] = _merged(tables[index], 6, (0, 0), "行政处罚行政强制", rowspan=2, words=words)
    values = _values(tables, "active_disclosure")
    assert values["active_disclosure.penalty.decisions"] == ("7,689", True)
    assert values["active_disclosure.coercion.decisions"] == ("84", True)
    # a word reaching across the lost line tells no row: both rows by position, as above
    across = (replace(words[0], bbox=replace(words[0].bbox, bottom=words[1].bbox.bottom)),)
    tables[index] = _merged(tables[index], 6, (0, 0), "行政处罚行政强制", rowspan=2, words=across)
    placed = {key: value for key, value in _values(tables, "active_disclosure").items()
              if key.split(".")[1] in ("penalty", "coercion")}
    assert all(not by_label for _, by_label in placed.values())


def test_column_headings_swallowed_by_their_neighbours_give_the_values_by_position():
    # the lines after 信息内容 and between the last two headings faded in the header row only
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.page == 3 and t.n_rows == 3)
    tables[index] = _merged(tables[index], 1, (0, 1), "信息内容年制发件数")
    tables[index] = _merged(tables[index], 1, (2, 3), "本年废止件数行有效件数")
    values = _values(tables, "active_disclosure")
    assert [values[f"active_disclosure.regulations.{col}"]
            for col in ("issued", "repealed", "in_force")] == [
        ("0", False), ("-", False), ("1", False)]
    assert values["active_disclosure.normative_documents.in_force"] == ("476", False)
    assert values["active_disclosure.licensing.decisions"] == ("2,557", True)


def test_the_fee_blocks_heading_and_row_in_one_cell_still_give_its_amount_by_position():
    # g2021-030 200 heavy: every line inside 行政事业性收费's block faded; heading and data row
    # are one cell the table's width
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.page == 4 and t.n_rows == 11)
    table = tables[index]
    data = next(c.row for c in table.cells if c.text == "行政事业性收费")
    words = _words_of(table, data - 1, (0, 1)) + _words_of(table, data, (0, 1))
    tables[index] = _merged(table, data - 1, (0, 1), "信息内容本年收费金额(单位：万元)行政事业性收费4390.96",
                            rowspan=2, words=words)
    values = _values(tables, "active_disclosure")
    assert values["active_disclosure.fees.amount"] == ("4390.96", False)
    assert values["active_disclosure.coercion.decisions"] == ("84", True)
    # Hongze 200 mild bitonal: a "!" left of the lost column line, under the data row
    line = words[-1].bbox
    speck = CellWord("!", BBox(line.x0 + 150, line.bottom + 0.4, line.x0 + 150.4, line.bottom + 7),
                     0.85)
    tables[index] = _merged(table, data - 1, (0, 1), "信息内容本年收费金额(单位：万元)行政事业性收费4390.96!",
                            rowspan=2, words=words + (speck,))
    assert _values(tables, "active_disclosure")["active_disclosure.fees.amount"] == (
        "4390.96", False)


def test_a_corner_cell_run_on_into_the_row_below_gives_that_row_its_label():
    # gmixed-015 150 heavy: the line under the fee block's 信息内容 faded in the label column:
    # "信息内容行政事业性收费" in one cell over the header and the data row
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.page == 4 and t.n_rows == 11)
    table = tables[index]
    data = next(c.row for c in table.cells if c.text == "行政事业性收费")
    words = _words_of(table, data - 1, (0,)) + _words_of(table, data, (0,))
    tables[index] = _merged(table, data - 1, (0, 0), "信息内容行政事业性收费", rowspan=2, words=words)
    values = _values(tables, "active_disclosure")
    assert values["active_disclosure.fees.amount"] == ("4390.96", True)


G2019 = next(d for d in load_manifest() if d.id == "g2019-001")


def _g2019_active() -> tuple[list[CellTable], int]:
    tables = _tables_of(G2019)
    return tables, next(i for i, t in enumerate(tables) if t.page == 3 and t.n_rows == 18)


def test_row_labels_faded_past_reading_take_the_blocks_labels_by_order():
    # g2019-007 300 heavy: 行政许可 and 其他对外管理服务事项 faded to specks read as nothing,
    # and the line between them with them: one label cell over both rows
    tables, index = _g2019_active()
    label = next(c for c in tables[index].cells if c.text == "行政许可")
    tables[index] = _merged(tables[index], label.row, (0, 0), "?", rowspan=2)
    values = _values(tables, "active_disclosure")
    assert [values[f"active_disclosure.{row}.{col}"] for row in ("licensing", "other_services")
            for col in ("previous_items", "change", "decisions")] == [
        ("128", False), ("-6", False), ("7867", False),
        ("369", False), ("--369", False), ("0", False)]
    assert values["active_disclosure.penalty.decisions"] == ("858", True)
    # a blank label of a row of its own is a faded label too
    tables, index = _g2019_active()
    faded = replace(label, lines=(), words=())
    tables[index] = _redrawn(tables[index], (label,), (faded,))
    values = _values(tables, "active_disclosure")
    assert values["active_disclosure.licensing.decisions"] == ("7867", False)
    assert values["active_disclosure.other_services.decisions"] == ("0", True)


def test_a_row_label_recognised_as_no_chinese_takes_the_blocks_label_by_order():
    # gmixed-012 200 heavy grey: 规范性文件 read "TEY ESET+ X4", which holds a digit and so
    # read as a damaged value, not a label: the row's values went nowhere
    tables, index = _g2019_active()
    label = next(c for c in tables[index].cells if c.text == "行政许可")
    misread = replace(label, lines=("TEY ESET+ X4",), words=(), source=Source.OCR)
    tables[index] = _redrawn(tables[index], (label,), (misread,))
    values = _values(tables, "active_disclosure")
    assert values["active_disclosure.licensing.decisions"] == ("7867", False)
    assert values["active_disclosure.other_services.decisions"] == ("0", True)


def test_a_row_short_of_a_cell_under_a_lost_row_line_keeps_the_columns_of_the_row_above():
    # g2019-007 300 heavy: the line between 行政处罚 and 行政强制 faded under 处理决定数量
    # alone; 行政强制's first value cell, spanning 上一年项目数量 and half of 本年增/减 as
    # the 2019 layout draws it, is no longer placed by order
    tables, index = _g2019_active()
    penalty = next(c.row for c in tables[index].cells if c.text == "行政处罚")
    tables[index] = _merged(tables[index], penalty, (4, 4), "858", rowspan=2)
    # the column line between the first two value cells as a scan measures it: 3 pt right
    # of the middle of 本年增/减's heading's width, so the first cell overlaps it the most
    line = next(c for c in tables[index].cells if c.text == "-5").bbox.x0 + 3.0
    moved = tuple(c for c in tables[index].cells
                  if c.row in (penalty, penalty + 1) and c.col in (1, 3))
    tables[index] = _redrawn(tables[index], moved, tuple(
        replace(c, bbox=replace(c.bbox, x1=line) if c.col == 1 else replace(c.bbox, x0=line))
        for c in moved))
    values = _values(tables, "active_disclosure")
    assert values["active_disclosure.coercion.previous_items"] == ("172", False)
    assert values["active_disclosure.coercion.change"] == ("-5", True)
    assert "active_disclosure.coercion.decisions" not in values


def test_a_header_row_whose_corner_ran_on_into_the_first_heading_is_still_a_header():
    # g2019-007 300 heavy: 信息内容 | 上一年项目数量 one cell in the fee block's header; it had
    # been read as a data row, its label 信息内容上一年项目数量 and its value 本年增/减
    tables, index = _g2019_active()
    corner = next(c.row for c in tables[index].cells
                  if c.text == "信息内容" and c.bbox.top > 330 and c.bbox.bottom < 351)
    tables[index] = _merged(tables[index], corner, (0, 2), "信息内容上一年项目数量")
    values = _values(tables, "active_disclosure")
    assert values["active_disclosure.fees.previous_items"] == ("12", False)
    assert values["active_disclosure.fees.change"] == ("+8", True)
    assert not [key for key, (raw, _) in values.items() if raw == "本年增/减"]


def test_a_header_row_whose_corner_was_misread_is_known_by_its_column_heading():
    # g2021-031 150 heavy bitonal: 信息内容 over 行政处罚 read "Ye内容", 行政处罚 "义众日";
    # the header row was taken for the first data row, 本年处理决定数量 for its value
    tables = _g2021_tables()
    table = tables[1]
    corner = next(c for c in table.cells if c.text == "信息内容" and c.row == 5)
    penalty = next(c for c in table.cells if c.text == "行政处罚")
    tables[1] = _redrawn(table, (corner, penalty), (
        replace(corner, lines=("Ye内容",), words=(), source=Source.OCR),
        replace(penalty, lines=("义众日",), words=(), source=Source.OCR)))
    values = _values(tables, "active_disclosure")
    assert values["active_disclosure.penalty.decisions"] == ("7,689", False)
    assert values["active_disclosure.coercion.decisions"] == ("84", True)
    assert not [key for key, (raw, _) in values.items() if raw == "本年处理决定数量"]


def test_a_blank_heading_takes_the_column_of_the_sibling_blocks_heading_over_it():
    # seed-003 300 heavy bitonal (seed 9): in 2019's 五 the corner ran on over 上一年项目数量
    # and 本年增/减, and the labels over 上一年项目数量, whose values faded; the corner's part
    # right of the labels stands where 六 prints 本年增/减, not over the first column left
    tables, index = _g2019_active()
    table = _merged(tables[index], 5, (0, 3), "信息内容上一本年增/减年")
    table = _merged(table, 6, (0, 2), "行政许可")
    tables[index] = _merged(table, 7, (0, 2), "其他对外管理服务事项")
    values = _values(tables, "active_disclosure")
    assert values["active_disclosure.licensing.change"] == ("-6", False)
    assert values["active_disclosure.other_services.change"] == ("--369", False)
    assert values["active_disclosure.licensing.decisions"] == ("7867", True)
    assert "active_disclosure.licensing.previous_items" not in values


def _title_cut_at_the_column_line(table: CellTable, row: int, left: str,
                                  right: str) -> CellTable:
    """``table`` with the title of ``row`` cut in two where the label column ends: the column
    line ran on through the title's "(" in a scan."""
    title = next(c for c in table.cells if c.row == row)
    edge = next(c for c in table.cells if c.row == row + 1 and c.col == 1).bbox.x0
    pieces = (replace(title, colspan=1, lines=(left,), words=(),
                      bbox=replace(title.bbox, x1=edge)),
              replace(title, col=1, colspan=3, lines=(right,), words=(),
                      bbox=replace(title.bbox, x0=edge)))
    return _redrawn(table, (title,), pieces)


def test_a_block_title_cut_in_two_by_a_column_line_still_names_its_block():
    # g2021-030 200 heavy: both titles cut, and (五)'s 信息内容 faded past reading, so only
    # its title tells that 行政许可 starts a block of its own
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.page == 4 and t.n_rows == 11)
    table = _title_cut_at_the_column_line(tables[index], 1, "第二十条第（", "五）项")
    table = _title_cut_at_the_column_line(table, 4, "第二十条第（", "六）项")
    corner = next(c for c in table.cells if (c.row, c.col) == (2, 0))
    tables[index] = _redrawn(table, (corner,), (replace(corner, lines=(), words=()),))
    values = _values(tables, "active_disclosure")
    # the header row is known by its column heading, 本年处理决定数量, though its corner faded
    assert values["active_disclosure.licensing.decisions"] == ("2,557", True)
    assert values["active_disclosure.penalty.decisions"] == ("7,689", True)
    assert values["active_disclosure.coercion.decisions"] == ("84", True)


def test_a_block_whose_title_numeral_was_misread_is_read_as_the_block_its_rows_name():
    # g2019-017 300 heavy: 第二十条第(六)项 read as 第二条第八项, so two blocks claimed (八);
    # 行政处罚 and 行政强制 are rows of (六) only
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.page == 4 and t.n_rows == 11)
    title = next(c for c in tables[index].cells if c.row == 4)
    assert "六" in title.text
    tables[index] = _redrawn(tables[index], (title,),
                             (replace(title, lines=("第二条第八项",), words=()),))
    values = _values(tables, "active_disclosure")
    assert values["active_disclosure.penalty.decisions"] == ("7,689", True)
    assert values["active_disclosure.coercion.decisions"] == ("84", True)
    assert values["active_disclosure.fees.amount"] == (
        _values(_g2021_tables(), "active_disclosure")["active_disclosure.fees.amount"])


def test_a_block_whose_rows_disagree_on_a_lost_column_line_takes_the_row_that_shows_it():
    # g2021-029 150 heavy: the line between 本年制发件数 and 本年废止件数 lost in the header
    # and the 规章 row; the 规范性文件 row (on the next page) still shows three values
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.page == 3 and t.n_rows == 3)
    tables[index] = _merged(tables[index], 1, (1, 2), "本年制发件数本年废止件数")
    tables[index] = _merged(tables[index], 2, (1, 2), "0 -")
    values = _values(tables, "active_disclosure")
    assert [values.get(f"active_disclosure.normative_documents.{col}")
            for col in ("issued", "repealed", "in_force")] == [
        ("60", False), ("23", False), ("476", True)]


def test_a_corner_cell_over_the_first_heading_leaves_the_other_headings_by_label():
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.page == 3 and t.n_rows == 3)
    tables[index] = _merged(tables[index], 1, (0, 1), "信息内容年制发件数")
    values = _values(tables, "active_disclosure")
    assert [values[f"active_disclosure.regulations.{col}"]
            for col in ("issued", "repealed", "in_force")] == [
        ("0", False), ("-", True), ("1", True)]


def _as_scanned_review(table: CellTable) -> list[CellTable]:
    """The g2021 tables with ``table`` for the review table, its data row read by OCR."""
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.n_rows == 4)
    tables[index] = replace(table, cells=tuple(
        replace(c, source=Source.OCR) if c.row == 3 else c for c in table.cells))
    return tables


def _review_with_lost_column_lines(data_text: str, words: tuple[CellWord, ...] = (),
                                   table: CellTable | None = None) -> list[CellTable]:
    """The review table with the lines between three litigation columns faded, header and
    data row alike, the data row read by OCR as ``data_text`` (with ``words`` boxes)."""
    table = table or next(t for t in _g2021_tables() if t.n_rows == 4)
    table = _merged(table, 2, (6, 8), "结果纠正其他结果尚未审结")
    return _as_scanned_review(_merged(table, 3, (6, 8), data_text, words=words))


DIRECT = [f"review_litigation.litigation_direct.{col}"
          for col in ("upheld", "corrected", "other", "pending", "total")]


def test_numbers_of_several_review_columns_in_one_cell_go_to_the_columns_under_its_heading():
    values = _values(_review_with_lost_column_lines("15 | 21 32"), "review_litigation")
    assert len(values) == 15
    # the merged heading's three columns are placed by position, the rest by their headings
    assert [values[key] for key in DIRECT] == [
        ("2", True), ("15", False), ("21", False), ("32", False), ("70", True)]
    assert values["review_litigation.review.total"] == ("291", True)
    # the remnant of a lost line read with no space around it still stands between numbers
    glued = _values(_review_with_lost_column_lines("15|21 32"), "review_litigation")
    assert glued == values


def test_review_numbers_in_a_merged_cell_without_word_boxes_need_one_number_a_column():
    values = _values(_review_with_lost_column_lines("15 2132"), "review_litigation")
    assert [values.get(key) for key in DIRECT] == [("2", True), None, None, None, ("70", True)]
    assert len(values) == 12
    assert all(by_label for _, by_label in values.values())


def test_numbers_in_a_merged_review_cell_are_placed_by_where_they_are_printed():
    # the middle number faded out of the scan: the two left sit at their columns' centres
    table = next(t for t in _g2021_tables() if t.n_rows == 4)
    words = _words_of(table, 3, (6, 8))
    values = _values(_review_with_lost_column_lines("15 32", words), "review_litigation")
    # the column between them is blank, as a cell read blank is (both are flagged)
    assert [values.get(key) for key in DIRECT] == [
        ("2", True), ("15", False), ("", False), ("32", False), ("70", True)]


def test_a_column_line_lost_on_the_header_page_is_found_in_the_next_pages_rows():
    # g2021-030 200 heavy bitonal (seed 8): the line between 商业企业 and 科研机构 faded
    # on the header's page, heading and most rows alike; the page after shows both columns.
    # Read with the header page's rows only, 科研机构 was no column, and every row's values
    # from it on went one column left (a 0 placed as 其他 without a flag).
    tables = _g2021_tables()
    table = tables[2]
    table = _merged(table, 2, (4, 5), "商小相，")
    for row in range(3, 11):
        table = _merged(table, row, (4, 5), "0 i", words=_words_of(table, row, (4, 5)))
    tables[2] = table
    values = _values(tables, "applications")
    assert values["applications.unable_need_creation.commercial_enterprise"] == ("3", False)
    assert values["applications.unable_need_creation.research_institution"] == ("0", False)
    assert values["applications.unable_need_creation.other_org"] == ("3", True)
    assert values["applications.rejected_petition.research_institution"] == ("-", False)


def test_a_review_heading_cut_into_a_misread_number_is_no_data_row():
    # hongze 200 heavy grey: column lines reaching up through 复议后起诉 cut off its 诉, read
    # "0 7": the heading row ends in a value, and was taken for the table's data row
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.n_rows == 4)
    table = tables[index]
    heading = next(c for c in table.cells if c.text == "复议后起诉")
    cut = heading.bbox.x0 + 0.6 * heading.bbox.width
    kept = replace(heading, colspan=3, lines=("复议后起",), words=(),
                   bbox=replace(heading.bbox, x1=cut))
    misread = replace(heading, col=heading.col + 3, colspan=2, lines=("0 7",), words=(),
                      source=Source.OCR, bbox=replace(heading.bbox, x0=cut))
    tables[index] = replace(table, cells=tuple(sorted(
        [c for c in table.cells if c is not heading] + [kept, misread],
        key=lambda c: (c.row, c.col))))
    values = _values(tables, "review_litigation")
    assert len(values) == 15
    assert values["review_litigation.review.total"] == ("291", True)
    assert [values[key][0] for key in DIRECT] == ["2", "15", "21", "32", "70"]


def _review_with_unreadable_header(table: CellTable) -> list[CellTable]:
    """The review table ``table`` with every column heading faded past reading (the block
    headings still read), the lines between some of them lost too, and the data row read by
    OCR."""
    table = replace(table, cells=tuple(
        replace(c, lines=("",), words=()) if 0 < c.row < 3 and c.colspan == 1 else c
        for c in table.cells))
    table = _merged(table, 1, (2, 3), "", rowspan=2)
    table = _merged(table, 2, (6, 8), "")
    table = _merged(table, 2, (11, 12), "")
    return _as_scanned_review(table)


def _review_data_row_with_lost_lines() -> CellTable:
    """The review table with three cells of its data row each holding the numbers of
    several columns, one of those numbers faded out (g2019-004 300 heavy bitonal)."""
    table = next(t for t in _g2021_tables() if t.n_rows == 4)
    table = _merged(table, 3, (2, 4), "20 291", words=_words_of(table, 3, (2, 4)))
    table = _merged(table, 3, (6, 8), "15 32", words=_words_of(table, 3, (6, 8)))
    return _merged(table, 3, (11, 12), "0 0", words=_words_of(table, 3, (11, 12)))


def test_review_columns_lost_from_header_and_data_row_are_laid_out_equally_wide():
    # no heading names its column, and no number count tells the columns
    tables = _review_with_unreadable_header(_review_data_row_with_lost_lines())
    values = _values(tables, "review_litigation")
    assert [values[f"review_litigation.review.{col}"]
            for col in ("upheld", "corrected", "other", "pending", "total")] == [
        ("97", False), ("78", False), ("20", False), ("", False), ("291", False)]
    assert [values[key] for key in DIRECT] == [
        ("2", False), ("15", False), ("", False), ("32", False), ("70", False)]
    assert len(values) == 15


def test_review_columns_are_not_laid_out_equally_wide_when_a_found_line_lies_off_the_grid():
    table = _review_data_row_with_lost_lines()
    # the line between 总计 of 未经复议直接起诉 and 结果维持 of 复议后起诉 a third of a column off
    moved = {(3, 9): "x1", (3, 10): "x0"}
    cells = [replace(cell, bbox=replace(cell.bbox, **{side: getattr(cell.bbox, side) + 11}))
             if (side := moved.get((cell.row, cell.col))) else cell for cell in table.cells]
    tables = _review_with_unreadable_header(replace(table, cells=tuple(cells)))
    assert _values(tables, "review_litigation") == {}


def test_a_merged_review_heading_too_narrow_for_its_columns_places_nothing_under_it():
    # the table's first column lost altogether: the heading merged over 结果纠正..尚未审结
    # would have to stand over 结果维持 too, at three quarters of a column's width each
    table = next(t for t in _g2021_tables() if t.n_rows == 4)
    first_column = [c for c in table.cells if c.col == 0 and c.row > 0]
    table = replace(table, cells=tuple(c for c in table.cells if c not in first_column))
    table = _merged(table, 1, (1, 3), "结果其他尚未纠正审结", rowspan=2)
    table = _merged(table, 3, (1, 3), "78 96", words=_words_of(table, 3, (1, 3)))
    tables = _review_with_lost_column_lines("15 | 21 32", table=table)
    values = _values(tables, "review_litigation")
    assert not any(key.startswith("review_litigation.review.") for key in values)
    assert values["review_litigation.litigation_after_review.total"] == ("0", True)


def test_a_review_heading_merged_across_the_edge_of_its_block_lays_out_both_blocks():
    # hongze 300 heavy bitonal: the lines between 行政复议's 总计 and the first three columns of
    # 未经复议直接起诉 faded from its headings down through the data row; the merged heading
    # reaches a column past 未经复议直接起诉 into the block beside it
    table = next(t for t in _g2021_tables() if t.n_rows == 4)
    review_total = next(c for c in table.cells if (c.row, c.col) == (1, 4))
    top_half = replace(review_total, rowspan=1, lines=("",), words=(),
                       bbox=replace(review_total.bbox, bottom=266.0))
    table = _redrawn(table, (review_total,), (top_half,))
    table = _merged(table, 2, (5, 7), "计结果维结果纠其他结果")
    merged = next(c for c in table.cells if (c.row, c.col) == (2, 5))
    table = _redrawn(table, (merged,), (replace(
        merged, col=4, colspan=4, bbox=replace(merged.bbox, x0=review_total.bbox.x0)),))
    table = _merged(table, 3, (4, 7), "291 2 15 21", words=_words_of(table, 3, (4, 5, 6, 7)))
    values = _values(_as_scanned_review(table), "review_litigation")
    assert len(values) == 15
    assert values["review_litigation.review.pending"] == ("96", True)
    assert values["review_litigation.review.total"] == ("291", False)
    assert [values[key] for key in DIRECT] == [
        ("2", False), ("15", False), ("21", False), ("32", True), ("70", True)]


def _row_one_run_into_the_header(table: CellTable) -> CellTable:
    """Section 三's ``table`` as a scan that lost the row line under the header draws it, every
    cell recognised: each heading's cell runs down over row 一 and holds its text too."""
    row_one = [cell for cell in table.cells if cell.row == 3]
    headings = [cell for cell in table.cells if cell.row < 3 and cell.bottom_row == 3]
    drawn = []
    for heading in headings:
        below = [cell for cell in row_one if heading.bbox.x0 - 1 <= cell.bbox.x0
                 and cell.bbox.x1 <= heading.bbox.x1 + 1]
        drawn.append(replace(heading, rowspan=4 - heading.row,
                             bbox=replace(heading.bbox, bottom=below[0].bbox.bottom),
                             lines=heading.lines + tuple(line for c in below for line in c.lines),
                             words=heading.words + tuple(w for c in below for w in c.words)))
    table = _redrawn(table, tuple(headings) + tuple(row_one), tuple(drawn))
    return replace(table, cells=tuple(replace(c, source=Source.OCR) for c in table.cells))


def test_row_one_run_into_the_header_by_a_lost_row_line_is_read_from_the_headings():
    # hongze 150 heavy bitonal (seed 5): the line under the header faded all across, and the
    # corner heading and every column heading ran on over row 一's label and numbers
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.n_rows == 16)
    tables[index] = _row_one_run_into_the_header(tables[index])
    values = _values(tables, "applications")
    columns = ("natural_person", "commercial_enterprise", "research_institution",
               "social_welfare_org", "legal_service_org", "other_org", "total")
    assert [values[f"applications.new_received.{col}"][0] for col in columns] == [
        "1,608", "187", "29", "19", "40", "45", "1,928"]
    assert values["applications.new_received.natural_person"][1]
    assert values["applications.carried_over.social_welfare_org"] == ("1", True)


def test_a_corner_cell_reaching_over_the_first_applicant_column_gives_it_by_position():
    # the column line between the row labels and 自然人 faded in the header: the corner note
    # runs on over the 自然人 column, which has no heading of its own
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.n_rows == 16)
    table = tables[index]
    corner = next(c for c in table.cells if (c.row, c.col) == (0, 0))
    person = next(c for c in table.cells if (c.row, c.col) == (1, 3))
    row_one_top = next(c for c in table.cells if c.row == 1).bbox.top
    over = replace(corner, row=1, rowspan=2, colspan=4, lines=(corner.text + "自然人",),
                   bbox=BBox(corner.bbox.x0, row_one_top, person.bbox.x1, corner.bbox.bottom))
    top = replace(corner, rowspan=1, lines=(),
                  bbox=BBox(corner.bbox.x0, corner.bbox.top, corner.bbox.x1, row_one_top))
    tables[index] = _redrawn(table, (corner, person), (top, over))
    values = _values(tables, "applications")
    assert values["applications.new_received.natural_person"] == ("1,608", False)
    assert values["applications.carried_over.natural_person"] == ("0", False)
    assert values["applications.new_received.commercial_enterprise"] == ("187", True)
    assert values["applications.new_received.total"] == ("1,928", True)


def test_a_sub_label_run_on_over_the_next_row_does_not_take_that_rows_label():
    # the row line under "5.要求行政机关确认…" faded in the sub-label column: its cell reaches
    # over the （六）其他处理 row, whose own label starts further left
    tables = _tables_of(DOC)
    index = next(i for i, t in enumerate(tables) if t.page == 7 and t.n_rows == 13)
    table = tables[index]
    fifth = next(c for c in table.cells if (c.row, c.col) == (10, 2))
    sixth = next(c for c in table.cells if (c.row, c.col) == (11, 1))
    middle = fifth.bbox.x0
    run_on = replace(fifth, rowspan=2, bbox=BBox(fifth.bbox.x0, fifth.bbox.top, fifth.bbox.x1,
                                                 sixth.bbox.bottom))
    own = replace(sixth, colspan=1, bbox=BBox(sixth.bbox.x0, sixth.bbox.top, middle,
                                               sixth.bbox.bottom))
    tables[index] = _redrawn(table, (fifth, sixth), (run_on, own))
    values = _values(tables, "applications")
    assert values["applications.rejected_confirmation.natural_person"] == ("6", True)
    assert values["applications.other_processing.natural_person"] == ("72", True)
    assert values["applications.total_processed.natural_person"] == ("1105", True)


def test_a_part_on_the_next_sheet_is_split_at_the_headings_columns_when_its_width_differs():
    # page 8 lies 4 pt right, and its left border was found 6 pt further out (a bent sheet):
    # the table is wider there, its value columns still under the headings
    tables = _tables_of(DOC)

    def widened(table: CellTable) -> CellTable:
        left = table.bbox.x0

        def move(box: BBox) -> BBox:
            return BBox(box.x0 - 6.0 if box.x0 == left else box.x0, box.top, box.x1, box.bottom)
        return replace(table, bbox=move(table.bbox),
                       cells=tuple(replace(cell, bbox=move(cell.bbox)) for cell in table.cells))

    shifted = [widened(_moved(t, 4.0)) if t.page == 8 else t for t in tables]
    assert _total_processed(shifted) == "1105"


def test_a_heading_run_on_over_the_data_row_gives_the_number_printed_under_it():
    # the row line under 行政复议's 结果维持 lost: one cell holds the heading and its number
    tables = _g2021_tables()
    index = next(i for i, t in enumerate(tables) if t.n_rows == 4)
    table = tables[index]
    words = _words_of(table, 1, (0,)) + _words_of(table, 3, (0,))
    assert [w.text for w in words][-1] == "97"
    tables[index] = _merged(table, 1, (0, 0), "结果维持97", rowspan=3, words=words)
    values = _values(tables, "review_litigation")
    assert values["review_litigation.review.upheld"] == ("97", True)
    assert values["review_litigation.review.corrected"] == ("78", True)
    assert len(values) == 15


def _ocr_cell(text: str, x0: float, x1: float) -> TableCell:
    return TableCell(3, 0, 1, 1, BBox(x0, 100, x1, 120), 1, (text,), Source.OCR, 0.95)


def test_an_equal_width_layout_completes_a_reading_by_headings_only_where_they_agree():
    upheld, total = "review_litigation.review.upheld", "review_litigation.review.total"
    by_heading = [place(upheld, _ocr_cell("69 0", 100, 160), True)]
    laid_out = [place(upheld, _ocr_cell("69", 100, 130), False),
                place(total, _ocr_cell("3", 220, 250), False)]
    # the layout reads a number of the merged cell the heading placed whole, and adds a column
    assert _agree(laid_out, by_heading)
    assert [(v.key, v.raw, v.by_label) for v in _completed(by_heading, laid_out)] == [
        (upheld, "69", False), (total, "3", False)]
    # a layout that puts another printed cell under a column its heading placed is wrong
    shifted = [place(upheld, _ocr_cell("5", 170, 200), False)]
    assert not _agree(shifted, by_heading)
    # a number read under its heading stays
    read = [place(upheld, _ocr_cell("69", 100, 130), True)]
    assert _completed(read, laid_out)[0].by_label


def test_review_columns_merged_across_a_block_edge_under_a_heading_whose_start_faded():
    # hongze-2024 300 heavy bitonal (seed 9): the lines at the edge of 行政复议 and
    # 未经复议直接起诉 were lost; the heading, read "直接起诉", ran on over 行政复议's last two
    # columns, and one leaf stood over those two and 直接起诉's first two. The first two
    # data cells were lost under headings run on over them, so the count of numbers cannot
    # place the columns.
    table = next(t for t in _g2021_tables() if t.n_rows == 4)
    at = {(c.row, c.col): c for c in table.cells}
    heading, leaf, review = at[(1, 5)], at[(2, 5)], at[(0, 0)]
    lost = (review, at[(1, 3)], at[(1, 4)], heading, leaf, at[(2, 6)], at[(3, 0)], at[(3, 1)])
    # 行政复议's line was lost too: it stands over its first three columns only
    narrowed = replace(review, colspan=3, bbox=replace(review.bbox, x1=at[(1, 2)].bbox.x1))
    speck = replace(review, col=3, colspan=2, lines=(), words=(),
                    bbox=replace(review.bbox, x0=at[(1, 3)].bbox.x0))
    ran_on = replace(heading, col=3, colspan=7, lines=("直接起诉",), words=(),
                     bbox=replace(heading.bbox, x0=at[(1, 3)].bbox.x0))
    merged_leaf = replace(leaf, col=3, colspan=4, lines=("尚木审结果纠正",), words=(),
                          bbox=replace(leaf.bbox, x0=at[(1, 3)].bbox.x0, x1=at[(2, 6)].bbox.x1))
    table = _redrawn(table, lost, (narrowed, speck, ran_on, merged_leaf))
    table = _merged(table, 3, (3, 6), "96 291 2 15", words=_words_of(table, 3, (3, 4, 5, 6)))
    values = _values(_as_scanned_review(table), "review_litigation")
    assert [values[f"review_litigation.review.{col}"] for col in ("pending", "total")] == [
        ("96", False), ("291", False)]
    assert [values[key] for key in DIRECT] == [
        ("2", False), ("15", False), ("21", True), ("32", True), ("70", True)]
    assert values["review_litigation.review.other"] == ("20", True)
    assert values["review_litigation.litigation_after_review.total"] == ("0", True)
