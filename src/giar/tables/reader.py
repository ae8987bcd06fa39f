"""Cell tables of a whole document → the three canonical tables.

Each ruled table is classified by its words; a table with no words of its own at the top of a
page continues the table that ended the previous page. Parts of one table are handed to its
reader in page order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from giar import canonical as c
from giar.geometry import BBox
from giar.tables.cells import CellTable
from giar.tables.classify import classify
from giar.tables.read_active import read_active
from giar.tables.read_applications import read_applications
from giar.tables.read_review import read_review
from giar.tables.reading import TableReading

READERS: dict[str, Callable[[list[CellTable]], TableReading]] = {
    c.ACTIVE: read_active,
    c.APPLICATIONS: read_applications,
    c.REVIEW: read_review,
}


def group_tables(tables: list[CellTable]) -> tuple[dict[str, list[CellTable]], list[str]]:
    """Canonical table name → its parts in order; plus notes on tables left out."""
    ordered = sorted(tables, key=lambda t: (t.page, t.bbox.top))
    groups: dict[str, list[CellTable]] = {}
    notes: list[str] = []
    last: str | None = None
    for index, table in enumerate(ordered):
        kind = classify(table)
        if kind is None:
            if last is not None and _continues(ordered, index):
                groups[last].append(table)
            continue
        if kind in groups and kind != last:
            notes.append(f"a second {kind} table on page {table.page} was ignored")
            continue
        groups.setdefault(kind, []).append(table)
        last = kind
    return groups, notes


def _continues(ordered: list[CellTable], index: int) -> bool:
    """A wordless table continues the previous one when it opens its page and the previous
    table closed the page before."""
    table, previous = ordered[index], ordered[index - 1]
    first_on_page = all(t.page != table.page for t in ordered[:index])
    return first_on_page and previous.page == table.page - 1


@dataclass(frozen=True)
class DocumentTables:
    """The canonical tables of a document, the page parts each was read from, and notes."""

    readings: dict[str, TableReading]
    parts: dict[str, list[CellTable]]
    notes: list[str]

    def boxes_on_page(self, page: int) -> list[BBox]:
        return [t.bbox for parts in self.parts.values() for t in parts if t.page == page]

    def names_on_page(self, page: int) -> list[str]:
        return [name for name in c.TABLE_NAMES
                if any(t.page == page for t in self.parts.get(name, []))]


def read_tables(tables: list[CellTable]) -> DocumentTables:
    groups, notes = group_tables(tables)
    readings = {name: READERS[name](parts) for name, parts in groups.items()}
    for reading in readings.values():
        notes.extend(reading.notes)
    return DocumentTables(readings, groups, notes)
