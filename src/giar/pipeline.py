"""The pipeline: input files → page layouts → tables and text → canonical, validated report.

document → pages (text layer or OCR) → words + rulings → grids → cell tables → canonical cells
→ validation. Each stage lives in its own module; this one only wires them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pymupdf
from pydantic import BaseModel, ConfigDict

from giar import canonical as c
from giar.errors import InvalidInput, NotAReport, OcrUnavailable
from giar.extract.document import InputFiles, InputKind, open_pdf, read_html_text, resolve_inputs
from giar.extract.html import read_html
from giar.extract.lines import running_lines
from giar.extract.metadata import read_metadata
from giar.extract.sections import split_sections
from giar.extract.textlayer import read_text_layer
from giar.layout import PageLayout, TextLine
from giar.ocr.glyphs import GlyphBook
from giar.ocr.routing import route_page
from giar.schema import (
    CellRecord,
    GiarReport,
    PageInfo,
    ReportInfo,
    Sections,
    SourceInfo,
    Tables,
)
from giar.tables.cells import CellTable, fill_cells
from giar.tables.grid import detect_grids
from giar.tables.reader import read_tables
from giar.tables.reading import PlacedValue, TableReading
from giar.tables.stacked_rows import split_stacked_rows
from giar.validate import validate

if TYPE_CHECKING:
    from giar.ocr.engines import OcrEngine

log = logging.getLogger(__name__)


class ExtractOptions(BaseModel):
    """Settings of one extraction (the CLI's options)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ocr: Literal["auto", "always", "never"] = "auto"
    ocr_engine: str = "rapidocr"
    ocr_dpi: int = 200


@dataclass
class Document:
    """An opened input: its files and the layout of each page.

    A web page has no page layout: its tables and text lines come ready-made from the HTML.
    """

    inputs: InputFiles
    layouts: list[PageLayout]
    repaired: bool = False  # MuPDF had to rebuild a damaged or truncated file
    web_tables: list[CellTable] | None = None
    web_lines: list[TextLine] | None = None

    @property
    def page_numbers(self) -> list[int]:
        return [layout.number for layout in self.layouts] or [1]

    def box_scale(self, page: int) -> float | None:
        """Factor from points to the unit of output boxes: 1 for PDFs (points), dpi/72 for
        image inputs (pixels, as the contract asks), None for web pages (no geometry)."""
        if self.web_tables is not None:
            return None
        if self.inputs.kind is InputKind.IMAGE:
            layout = next(layout for layout in self.layouts if layout.number == page)
            return (layout.dpi or 72.0) / 72.0
        return 1.0

    def method_of(self, page: int) -> str:
        return next((layout.method.value for layout in self.layouts if layout.number == page), "text")


def extract(path: str | Path | list[str | Path], options: ExtractOptions | None = None) -> GiarReport:
    """Read one report (a PDF, or page images in order) into the canonical, validated output.

    Raises a :class:`giar.errors.GiarError` subclass for bad input.
    """
    options = options or ExtractOptions()
    paths = [Path(p) for p in (path if isinstance(path, list) else [path])]
    inputs = resolve_inputs(paths)
    return _build_report(read_document(inputs, options))


def read_document(inputs: InputFiles, options: ExtractOptions) -> Document:
    if inputs.kind is InputKind.HTML:
        page = read_html(read_html_text(inputs.paths[0]))
        return Document(inputs, [], web_tables=page.tables, web_lines=page.lines)
    if inputs.kind is InputKind.IMAGE:
        return Document(inputs, _image_layouts(inputs, options))
    pdf = open_pdf(inputs.paths[0])
    book = GlyphBook()
    try:
        layouts: list[PageLayout] = []
        for index in range(pdf.page_count):
            earlier = _last_table_columns(layouts[-1]) if layouts else []
            layouts.append(_pdf_page_layout(pdf[index], index + 1, options, book, earlier))
        return Document(inputs, _with_faded_cells(layouts, book), repaired=pdf.is_repaired)
    finally:
        pdf.close()


def _pdf_page_layout(page: pymupdf.Page, number: int, options: ExtractOptions,
                     book: GlyphBook, earlier: list[float]) -> PageLayout:
    """The page's text layer when it is good, else OCR of its image (see giar.ocr.routing);
    ``earlier`` as in :func:`giar.ocr.page.ocr_page`."""
    decision = route_page(page, options.ocr)
    log.info("page %d: %s", number, decision.reason)
    if not decision.use_ocr:
        return read_text_layer(page, number)
    from giar.ocr.images import pdf_page_raster
    from giar.ocr.page import ocr_page

    raster = pdf_page_raster(page, options.ocr_dpi)
    return ocr_page(raster.pixels, raster.dpi, number, _engine(options), book, earlier)


def _last_table_columns(layout: PageLayout) -> list[float]:
    """The column edges of the last ruled table on ``layout`` (the one a table at the top of
    the next page may continue), or none."""
    grids = detect_grids(layout.rulings, layout.number)
    return max(grids, key=lambda grid: grid.ys[-1]).xs if grids else []


def _with_faded_cells(layouts: list[PageLayout], book: GlyphBook) -> list[PageLayout]:
    """Once every page is read, the cells of bitonal pages held in ``book`` read against the
    document's glyphs (see giar.ocr.glyphs)."""
    if not book.holds_cells:
        return layouts
    from giar.ocr.page import read_faded_cells

    return read_faded_cells(layouts, book)


def _image_layouts(inputs: InputFiles, options: ExtractOptions) -> list[PageLayout]:
    """Every page of the image files, in order, read by OCR."""
    from giar.ocr.images import load_image_pages
    from giar.ocr.page import ocr_page

    if options.ocr == "never":
        raise OcrUnavailable(f"{inputs.paths[0]}: images can only be read with OCR (drop --ocr never)")
    layouts: list[PageLayout] = []
    book = GlyphBook()
    for path in inputs.paths:
        try:
            pages = load_image_pages(path)
        except (OSError, ValueError) as error:
            raise InvalidInput(f"{path}: not a readable image ({error})") from None
        for page in pages:
            number = len(layouts) + 1
            log.info("page %d: OCR of %s at %.0f dpi", number, path.name, page.dpi)
            earlier = _last_table_columns(layouts[-1]) if layouts else []
            layouts.append(ocr_page(page.pixels, page.dpi, number, _engine(options), book,
                                    earlier))
    return _with_faded_cells(layouts, book)


def _engine(options: ExtractOptions) -> OcrEngine:
    from giar.ocr.engines import EngineUnavailableError, get_engine

    try:
        return get_engine(options.ocr_engine)
    except EngineUnavailableError as error:
        raise OcrUnavailable(str(error)) from None


def _build_report(document: Document) -> GiarReport:
    if document.web_tables is not None:
        return build_report(document, document.web_tables)
    return build_report(document, cell_tables(document.layouts))


def cell_tables(layouts: list[PageLayout]) -> list[CellTable]:
    """Every ruled table of every page, with its cell texts."""
    return [
        fill_cells(split_stacked_rows(grid, layout.words), layout.words, layout.method)
        for layout in layouts
        for grid in detect_grids(layout.rulings, layout.number)
    ]


def build_report(document: Document, tables: list[CellTable]) -> GiarReport:
    """Canonical tables, text, metadata and validation from page layouts and their cell tables."""
    found = read_tables(tables)
    lines = document.web_lines if document.web_lines is not None else [
        line
        for layout in document.layouts
        for line in running_lines(layout, found.boxes_on_page(layout.number))
    ]
    sections = split_sections(lines)
    if not found.readings and not sections.headings:
        if document.repaired:
            raise InvalidInput(f"{document.inputs.paths[0]}: damaged or truncated PDF; nothing readable")
        raise NotAReport(
            f"{document.inputs.paths[0]}: no GIAR statistical table or section heading found "
            "(is this a 政府信息公开工作年度报告?)"
        )
    active = found.readings.get(c.ACTIVE)
    applications = found.readings.get(c.APPLICATIONS)
    active_gen = active.generation if active else None
    applications_gen = applications.generation if applications else None
    warnings = list(found.notes)
    if document.repaired:
        warnings.insert(0, "the PDF was damaged (e.g. truncated) and repaired on reading: "
                           "content may be missing")
    tables, cells = _canonical_tables(found.readings, warnings, document.box_scale)
    meta = read_metadata(lines)
    return GiarReport(
        source=SourceInfo(
            path=str(document.inputs.paths[0]),
            sha256=document.inputs.sha256,
            kind=document.inputs.kind.value,
            pages=len(document.page_numbers),
        ),
        report=ReportInfo(
            organization=meta.organization,
            year=meta.year,
            template=c.template_label(active_gen, applications_gen),
            title=meta.title,
        ),
        sections=Sections(**{k: getattr(sections, k) for k in Sections.model_fields}),
        tables=tables,
        cells=cells,
        validation=validate(tables, cells, active_gen, applications_gen,
                            applications_told=applications.generation_told if applications else True,
                            title_confidence=meta.title_confidence,
                            organization_in_body=meta.organization_in_body,
                            year_in_body=meta.year_in_body),
        pages=[
            PageInfo(page=page, method=document.method_of(page), tables=found.names_on_page(page))
            for page in document.page_numbers
        ],
        warnings=warnings,
    )


def _canonical_tables(
    readings: dict[str, TableReading], warnings: list[str], box_scale: Callable[[int], float | None]
) -> tuple[Tables, list[CellRecord]]:
    """Values in template key order, one provenance record per value."""
    tables = Tables()
    cells: list[CellRecord] = []
    for name in c.TABLE_NAMES:
        reading = readings.get(name)
        if reading is None:
            continue
        placed: dict[str, PlacedValue] = {}
        for value in reading.values:
            if value.key in placed:
                warnings.append(f"{value.key}: printed twice; the first cell is kept")
                continue
            placed[value.key] = value
        values = getattr(tables, name)
        generation = reading.generation or c.Generation.G2021
        for key in c.cell_keys(name, generation):
            if key in placed:
                _, row, col = key.split(".")
                values.setdefault(row, {})[col] = placed[key].parsed.value
                cells.append(_record(placed[key], box_scale(placed[key].cell.page)))
    return tables, cells


def _record(value: PlacedValue, box_scale: float | None) -> CellRecord:
    cell = value.cell
    return CellRecord(
        key=value.key,
        value=value.parsed.value,
        raw=value.raw,
        page=cell.page,
        bbox=None if box_scale is None else [round(v * box_scale, 2) for v in cell.bbox.as_list()],
        source=cell.source.value,
        confidence=round(cell.confidence, 4),
        placement="label" if value.by_label else "position",
    )
