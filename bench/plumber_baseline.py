"""Baseline for bench_text: pdfplumber's table finder feeding giar's own readers and validator."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from giar.extract.document import resolve_inputs
from giar.geometry import BBox
from giar.layout import Source
from giar.pipeline import ExtractOptions, build_report, read_document
from giar.schema import GiarReport
from giar.tables.cells import CellTable, TableCell


def extract_with_pdfplumber(path: Path) -> GiarReport:
    document = read_document(resolve_inputs([path]), ExtractOptions(ocr="never"))
    tables: list[CellTable] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            tables.extend(_cell_table(table, number) for table in page.find_tables())
    return build_report(document, tables)


def _cell_table(table, page: int) -> CellTable:
    texts = table.extract()
    boxes = [(r, c, box) for r, row in enumerate(table.rows) for c, box in enumerate(row.cells) if box]
    xs = _edges([b[0] for *_, b in boxes] + [b[2] for *_, b in boxes])
    ys = _edges([b[1] for *_, b in boxes] + [b[3] for *_, b in boxes])
    cells = []
    for r, c, (x0, top, x1, bottom) in boxes:
        col, row = _index(xs, x0), _index(ys, top)
        text = texts[r][c] or ""
        cells.append(TableCell(
            row=row, col=col, rowspan=max(1, _index(ys, bottom) - row),
            colspan=max(1, _index(xs, x1) - col), bbox=BBox(x0, top, x1, bottom), page=page,
            lines=tuple(text.split("\n")), source=Source.TEXT, confidence=1.0,
        ))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return CellTable(page=page, bbox=BBox(xs[0], ys[0], xs[-1], ys[-1]), cells=tuple(cells),
                     n_rows=len(ys) - 1)


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.0:
            out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))
