"""Output contract (schema version 1): pydantic models of the JSON that giar-extract writes.

Keys follow ``shared/spec/GIAR_OUTPUT.md`` exactly. The JSON Schema generated from
:class:`GiarReport` is committed at ``src/giar/schema/giar-output.schema.json``; a test fails
when it drifts (regenerate with ``python -m giar.schema``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"
SCHEMA_PATH = Path(__file__).parent / "schema" / "giar-output.schema.json"

Number = int | float
TableValues = dict[str, dict[str, Number | None]]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceInfo(_Model):
    path: str
    sha256: str
    kind: Literal["pdf", "image", "html", "text", "docx"]
    pages: int


class ReportInfo(_Model):
    organization: str | None = Field(None, description="Issuing body as printed in the title")
    year: int | None = Field(None, description="Reporting year")
    template: Literal["2019", "2021", "mixed"] | None = Field(
        None, description="Template generation detected from marker labels"
    )
    title: str | None = None


class Sections(_Model):
    """Text of the six body sections, headings excluded; null when a section is missing."""

    overview: str | None = None
    active_disclosure: str | None = None
    applications: str | None = None
    review_litigation: str | None = None
    problems: str | None = None
    other: str | None = None


class Tables(_Model):
    active_disclosure: TableValues = Field(default_factory=dict)
    applications: TableValues = Field(default_factory=dict)
    review_litigation: TableValues = Field(default_factory=dict)


class CellRecord(_Model):
    """Provenance of one value in ``tables``."""

    key: str = Field(description="Dotted key table.row.col")
    value: Number | None
    raw: str = Field(description="Text as printed in the cell ('' when blank)")
    page: int | None = Field(None, description="1-based page number")
    bbox: list[float] | None = Field(
        None, description="[x0, top, x1, bottom]: PDF points from the page's top-left (pixels for images)"
    )
    source: Literal["text", "ocr"]
    confidence: float = Field(ge=0.0, le=1.0)
    placement: Literal["label", "position"] = Field(
        "label",
        description="'label' when row and column labels identified the cell; 'position' when "
        "damaged labels forced the fixed template order (a warning names such cells)",
    )


class Issue(_Model):
    rule: str = Field(description="Rule id, e.g. applications.balance")
    severity: Literal["error", "warning"]
    message: str
    cells: list[str] = Field(default_factory=list)
    expected: Number | None = None
    actual: Number | None = None
    suggestion: dict[str, Number] | None = Field(
        None,
        description="Value a low-confidence cell would need for the broken identity to hold; "
        "never applied to tables",
    )


class Validation(_Model):
    valid: bool
    issues: list[Issue] = Field(default_factory=list)


class PageInfo(_Model):
    page: int
    method: Literal["text", "ocr"]
    tables: list[str] = Field(default_factory=list)


class GiarReport(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    source: SourceInfo
    report: ReportInfo
    sections: Sections
    tables: Tables
    cells: list[CellRecord]
    validation: Validation
    pages: list[PageInfo]
    warnings: list[str] = Field(
        default_factory=list, description="Document-level notes (e.g. a table not found)"
    )


def json_schema() -> dict:
    return GiarReport.model_json_schema()


def render_json_schema() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m giar.schema [--check]
    text = render_json_schema()
    if "--check" in sys.argv[1:]:
        sys.exit(0 if SCHEMA_PATH.read_text(encoding="utf-8") == text else 1)
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
