"""Opening inputs: a PDF, or one or more page images, with one clear error for each bad case."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pymupdf

from giar.errors import EncryptedInput, InputNotFound, InvalidInput

# Problems with a file are reported through our errors, not MuPDF's stderr chatter.
pymupdf.TOOLS.mupdf_display_errors(False)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"})
_MAGIC = {
    b"%PDF": "pdf",
    b"\x89PNG": "image",
    b"\xff\xd8\xff": "image",
    b"II*\x00": "image",
    b"MM\x00*": "image",
    b"BM": "image",
}


class InputKind(str, Enum):
    PDF = "pdf"
    IMAGE = "image"
    HTML = "html"


@dataclass(frozen=True)
class InputFiles:
    """The files of one report: a single PDF, or images that are its pages in order."""

    kind: InputKind
    paths: tuple[Path, ...]
    sha256: str


def sniff_kind(path: Path) -> InputKind:
    """PDF or image from the file's first bytes (PDF headers may follow some junk)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except IsADirectoryError:
        raise InputNotFound(f"{path}: is a directory, not a file") from None
    except OSError as error:
        raise InputNotFound(f"{path}: cannot read ({error.strerror})") from None
    if not head:
        raise InvalidInput(f"{path}: empty file")
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return InputKind(kind)
    if b"%PDF-" in head:
        return InputKind.PDF
    if _looks_like_html(head):
        return InputKind.HTML
    if head[8:12] == b"WEBP":
        return InputKind.IMAGE
    raise InvalidInput(f"{path}: not a PDF, an image (PNG, JPEG, TIFF) or a web page (HTML)")


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html")) or b"<table" in head.lower()


def resolve_inputs(paths: list[Path]) -> InputFiles:
    """Check that ``paths`` name one PDF or a list of page images."""
    for path in paths:
        if not path.exists():
            raise InputNotFound(f"{path}: no such file")
    kinds = [sniff_kind(path) for path in paths]
    if len(paths) > 1 and any(kind is not InputKind.IMAGE for kind in kinds):
        raise InvalidInput("several inputs are read as the pages of one report: give images only, "
                           "or use --out-dir to process several reports")
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return InputFiles(kind=kinds[0], paths=tuple(paths), sha256=digest.hexdigest())


def read_html_text(path: Path) -> str:
    """The text of a web page (UTF-8, or GB18030 as Chinese government sites often use)."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"{path}: web page in an unknown text encoding")


def open_pdf(path: Path) -> pymupdf.Document:
    """Open a PDF for reading or raise the error that says what is wrong with it."""
    try:
        document = pymupdf.open(path, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as error:
        raise InvalidInput(f"{path}: not a readable PDF (corrupted or truncated: {error})") from None
    if document.needs_pass:
        document.close()
        raise EncryptedInput(f"{path}: the PDF is password-protected; decrypt it first (e.g. qpdf --decrypt)")
    if document.page_count == 0:
        document.close()
        raise InvalidInput(f"{path}: the PDF has no pages")
    return document
