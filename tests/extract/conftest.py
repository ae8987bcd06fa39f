"""Real inputs turned into TextLines for the section and metadata tests.

Seeds and the HTML page become one TextLine per text line with a dummy bbox (text-dump input).
The PDF becomes one TextLine per pymupdf line; lines inside ``find_tables()`` areas are dropped
here, standing in for the product's text layer, which removes table cells itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pymupdf
import pytest

from giar.geometry import BBox
from giar.layout import TextLine

SHARED = Path("/work/shared")
SEEDS = SHARED / "seeds"
HONGZE_PDF = SHARED / "real" / "hongze-2024.pdf"
HONGZE_TRUTH = SHARED / "real" / "hongze-2024.truth.json"
SHANGHAI_HTML = SHARED / "real" / "shanghai-govoffice-2019.html"
DUMMY_BOX = BBox(0.0, 0.0, 1.0, 1.0)


def dump_lines(texts: list[str]) -> list[TextLine]:
    return [TextLine(text, 1, DUMMY_BOX) for text in texts]


def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def pdf_lines(path: Path) -> list[TextLine]:
    lines: list[TextLine] = []
    with pymupdf.open(path) as document:
        for page in document:
            tables = [pymupdf.Rect(table.bbox) for table in page.find_tables().tables]
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    box = pymupdf.Rect(line["bbox"])
                    if any(table.contains(box) for table in tables):
                        continue
                    text = "".join(span["text"] for span in line["spans"])
                    lines.append(TextLine(text, page.number + 1, BBox(*line["bbox"])))
    return lines


class _BodyText(HTMLParser):
    """Text of <body>, one entry per element boundary."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_body = self.in_body or tag == "body"
        self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_body:
            self.chunks.append(data)


def html_lines(path: Path) -> list[TextLine]:
    parser = _BodyText()
    parser.feed(path.read_text(encoding="utf-8"))
    texts = [text.strip() for text in "".join(parser.chunks).split("\n")]
    return dump_lines([text for text in texts if text])


@pytest.fixture
def to_lines() -> Callable[[list[str]], list[TextLine]]:
    """Texts → dump-style TextLines (page 1, one shared dummy bbox)."""
    return dump_lines


@pytest.fixture
def seed_lines() -> Callable[[str], list[TextLine]]:
    """Seed number ("000" … "004") → its lines (undecodable bytes replaced, as a dump would)."""

    def load(prefix: str) -> list[TextLine]:
        text = seed_path(prefix).read_text(encoding="utf-8", errors="replace")
        return dump_lines(text.split("\n"))

    return load


@pytest.fixture(scope="session")
def hongze_lines() -> list[TextLine]:
    return pdf_lines(HONGZE_PDF)


@pytest.fixture(scope="session")
def shanghai_lines() -> list[TextLine]:
    return html_lines(SHANGHAI_HTML)


@pytest.fixture(scope="session")
def hongze_report_truth() -> dict[str, object]:
    """The "report" block of the Hongze truth file."""
    return json.loads(HONGZE_TRUTH.read_text(encoding="utf-8"))["report"]
