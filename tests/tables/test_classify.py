from giar import canonical as c
from giar.geometry import BBox
from giar.layout import Source
from giar.tables.cells import CellTable, TableCell
from giar.tables.classify import classify


def _table(texts: list[str]) -> CellTable:
    """A one-column table with ``texts`` in its cells, as the recognizer read them."""
    cells = tuple(TableCell(row, 0, 1, 1, BBox(0, 10 * row, 100, 10 * row + 10), 1, (text,),
                            Source.OCR, 0.9) for row, text in enumerate(texts))
    return CellTable(1, BBox(0, 0, 100, 10 * len(texts)), cells, len(texts))


def test_a_review_table_whose_headings_were_misread_a_character_each_is_still_known():
    # Hongze's section 四 table in a 150 DPI bitonal scan: only 其他結果 is read whole
    read = ["行政女议", "政诉讼未纤专议直援起办V议情起I", "结果", "结果细山", "其他結果",
            "尚表車结", "总计", "1", "0"]
    assert classify(_table(read)) == c.REVIEW


def test_an_applications_table_part_with_misread_row_labels_is_still_known():
    read = ["中品人情况", "1. 属于国家秘密", "2.共他法律行政出公开", "3.危及“安全稳定”",
            "4.保护第方合认权益", "5.属上类内部事务信息", "0", "0"]
    assert classify(_table(read)) == c.APPLICATIONS


def test_a_table_of_other_matters_is_no_giar_table():
    assert classify(_table(["培训名称", "参加人数", "行政执法业务培训", "政务公开工作会议",
                            "12", "30"])) is None
