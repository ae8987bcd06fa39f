"""What a table reader produces: canonical keys placed on printed cells."""

from __future__ import annotations

from dataclasses import dataclass, field

from giar.canonical import DECIMAL_COLUMNS, Generation
from giar.layout import Source
from giar.tables.cells import TableCell
from giar.tables.values import ParsedValue, parse_value


@dataclass(frozen=True, slots=True)
class PlacedValue:
    """One canonical cell: its dotted key, the printed cell it was read from, the parsed value."""

    key: str
    cell: TableCell
    parsed: ParsedValue
    by_label: bool  # False: placed by the template's fixed order (labels damaged or ambiguous)

    @property
    def raw(self) -> str:
        return self.cell.text


def place(key: str, cell: TableCell, by_label: bool) -> PlacedValue:
    table, _, col = key.split(".")
    parsed = parse_value(cell.text, ocr=cell.source is Source.OCR,
                         count=(table, col) not in DECIMAL_COLUMNS)
    return PlacedValue(key=key, cell=cell, parsed=parsed, by_label=by_label)


@dataclass
class TableReading:
    """One canonical table read from one or more page parts."""

    name: str
    generation: Generation | None
    # False: the rows that differ between the generations were lost and it was guessed.
    generation_told: bool = True
    values: list[PlacedValue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
