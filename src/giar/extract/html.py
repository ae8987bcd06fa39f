"""Web-page reports: HTML paragraphs → text lines, HTML tables (rowspan/colspan) → cell tables.

A web page has no geometry, so each table cell gets a box on a synthetic lattice (one unit per
grid column and row); everything downstream — header reconstruction, label mapping, validation —
is the same code as for PDFs. Provenance boxes of HTML cells are not printed positions and are
left out of the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from giar.geometry import BBox
from giar.layout import Source, TextLine
from giar.tables.cells import CellTable, TableCell

# Size of one lattice step of the synthetic geometry (points).
CELL_WIDTH = 60.0
CELL_HEIGHT = 20.0
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "title", "br", "tr"}


@dataclass
class _RawCell:
    text: list[str] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1


@dataclass
class HtmlReport:
    lines: list[TextLine]
    tables: list[CellTable]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.tables: list[list[list[_RawCell]]] = []
        self._depth = 0  # table nesting
        self._cell: _RawCell | None = None
        self._text: list[str] = []
        self._skip = 0  # inside <script>/<style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._flush()
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
        elif tag == "tr" and self._depth == 1:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self._depth == 1 and self.tables[-1]:
            spans = {k: v for k, v in attrs}
            self._cell = _RawCell(rowspan=_span(spans.get("rowspan")), colspan=_span(spans.get("colspan")))
            self.tables[-1][-1].append(self._cell)
        elif tag in _BLOCKS and self._cell is None:
            self._flush()
        elif tag == "br" and self._cell is not None:
            self._cell.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "table":
            self._depth = max(0, self._depth - 1)
        elif tag in ("td", "th"):
            self._cell = None
        elif tag in _BLOCKS and self._cell is None:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.text.append(data)
        elif self._depth == 0:
            self._text.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.lines.append(text)
        self._text = []

    def close(self) -> None:
        super().close()
        self._flush()


def read_html(text: str) -> HtmlReport:
    """Text lines (page 1, in document order) and cell tables of an HTML report."""
    collector = _Collector()
    collector.feed(text)
    collector.close()
    lines = [
        TextLine(text=line, page=1, bbox=BBox(0, i * CELL_HEIGHT, 1, (i + 1) * CELL_HEIGHT))
        for i, line in enumerate(collector.lines)
    ]
    tables = [_cell_table(rows, index) for index, rows in enumerate(collector.tables) if rows]
    return HtmlReport(lines=lines, tables=tables)


def _span(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _cell_table(rows: list[list[_RawCell]], index: int) -> CellTable:
    """Place cells on a lattice the way browsers do: skip slots taken by rowspans from above."""
    taken: set[tuple[int, int]] = set()
    cells: list[TableCell] = []
    top = index * 10_000.0  # tables one below the other, in document order
    for r, row in enumerate(rows):
        col = 0
        for raw in row:
            while (r, col) in taken:
                col += 1
            for dr in range(raw.rowspan):
                for dc in range(raw.colspan):
                    taken.add((r + dr, col + dc))
            cells.append(_table_cell(raw, r, col, top))
            col += raw.colspan
    n_rows = max((r for r, _ in taken), default=-1) + 1
    n_cols = max((c for _, c in taken), default=-1) + 1
    cells.sort(key=lambda cell: (cell.row, cell.col))
    bbox = BBox(0, top, n_cols * CELL_WIDTH, top + n_rows * CELL_HEIGHT)
    return CellTable(page=1, bbox=bbox, cells=tuple(cells), n_rows=n_rows)


def _table_cell(raw: _RawCell, row: int, col: int, top: float) -> TableCell:
    text = "".join(raw.text).replace("\xa0", " ")
    lines = tuple(part.strip() for part in text.split("\n") if part.strip())
    bbox = BBox(col * CELL_WIDTH, top + row * CELL_HEIGHT,
                (col + raw.colspan) * CELL_WIDTH, top + (row + raw.rowspan) * CELL_HEIGHT)
    return TableCell(row=row, col=col, rowspan=raw.rowspan, colspan=raw.colspan, bbox=bbox,
                     page=1, lines=lines, source=Source.TEXT, confidence=1.0)
