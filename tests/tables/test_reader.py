"""Reading whole documents' cell tables into canonical tables (real corpus layouts)."""

from dataclasses import replace
from pathlib import Path

from fixtures.loader import load_manifest

from giar.extract.document import resolve_inputs
from giar.geometry import BBox
from giar.pipeline import ExtractOptions, cell_tables, read_document
from giar.tables.cells import CellTable
from giar.tables.reader import read_tables

# g2019-021 breaks （七）总计 over pages 7 and 8: "110" above the break, "5" below it.
DOC = next(d for d in load_manifest() if d.id == "g2019-021")


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
    document = read_document(resolve_inputs([Path(DOC.files[0])]), ExtractOptions(ocr="never"))
    tables = cell_tables(document.layouts)
    assert _total_processed(tables) == "1105"
    # A scanned sheet sits where it was put on the glass: page 8 lies 4 pt to the right.
    shifted = [_moved(t, 4.0) if t.page == 8 else t for t in tables]
    assert _total_processed(shifted) == "1105"
