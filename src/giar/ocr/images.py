"""Page images for OCR: image files and scanned PDF pages → grayscale pixel arrays with a DPI.

The DPI ties pixels to PDF points (``points = pixels * 72 / dpi``), so an image input behaves
like a page of ``width_px * 72 / dpi`` points.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf

from giar.geometry import pixels_to_points

# Image files often carry no resolution (or a meaningless 72/96 from a screenshot tool).
# Scans of A4 reports are mostly made at 200–300 DPI; 200 keeps CJK body text at ~30 px tall,
# which the recognizer reads reliably.
DEFAULT_IMAGE_DPI = 200.0
# Resolutions below this in file metadata are treated as absent (screen DPI or unit-less JFIF).
MIN_TRUSTED_METADATA_DPI = 100.0

# A PDF page "is one scanned image" when a single upright image covers this share of it.
FULL_PAGE_IMAGE_COVERAGE = 0.90
# Native scans outside this range are re-rendered instead of used as they are.
NATIVE_DPI_RANGE = (140.0, 420.0)


@dataclass(frozen=True)
class RasterPage:
    """A grayscale page image (uint8, H×W) and the resolution that maps it to points."""

    pixels: np.ndarray
    dpi: float

    @property
    def width_points(self) -> float:
        return pixels_to_points(self.pixels.shape[1], self.dpi)

    @property
    def height_points(self) -> float:
        return pixels_to_points(self.pixels.shape[0], self.dpi)


def load_image_pages(path: Path) -> list[RasterPage]:
    """Every frame of a PNG, JPEG or (multi-page) TIFF as a grayscale page.

    The DPI comes from the file's metadata; when it is absent or below
    :data:`MIN_TRUSTED_METADATA_DPI` it is :data:`DEFAULT_IMAGE_DPI`.
    """
    from PIL import Image, ImageOps, ImageSequence

    pages = []
    with Image.open(path) as image:
        for frame in ImageSequence.Iterator(image):
            upright = ImageOps.exif_transpose(frame)
            gray = np.asarray(upright.convert("L"), dtype=np.uint8).copy()
            pages.append(RasterPage(gray, _metadata_dpi(frame.info.get("dpi"))))
    return pages


def _metadata_dpi(value: object) -> float:
    if isinstance(value, tuple) and value:
        try:
            dpi = float(value[0])  # TIFF gives an IFDRational, PNG/JPEG a number
        except (TypeError, ValueError):
            return DEFAULT_IMAGE_DPI
        if dpi >= MIN_TRUSTED_METADATA_DPI:
            return dpi
    return DEFAULT_IMAGE_DPI


def render_pdf_page(page: pymupdf.Page, dpi: float) -> RasterPage:
    """Render ``page`` (with its /Rotate applied) to grayscale at ``dpi``."""
    pixmap = page.get_pixmap(dpi=round(dpi), colorspace=pymupdf.csGRAY, alpha=False)
    return RasterPage(_pixmap_array(pixmap), pixmap.xres or dpi)


def embedded_page_image(page: pymupdf.Page) -> RasterPage | None:
    """The page's one full-page scan at its native resolution, or None if it is not one.

    Faster and lossless compared to rendering. Only upright, unrotated placements qualify,
    so the image's pixel grid maps to the page by a scale alone.
    """
    if page.rotation != 0:
        return None
    infos = page.get_image_info(xrefs=True)
    if len(infos) != 1 or not infos[0].get("xref"):
        return None
    info = infos[0]
    a, b, c, d, _, _ = info["transform"]
    if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
        return None
    placed = pymupdf.Rect(info["bbox"]) & page.rect
    if placed.get_area() < FULL_PAGE_IMAGE_COVERAGE * page.rect.get_area():
        return None
    pixmap = pymupdf.Pixmap(page.parent, info["xref"])
    if pixmap.alpha:
        pixmap = pymupdf.Pixmap(pixmap, 0)
    if pixmap.n != 1:
        pixmap = pymupdf.Pixmap(pymupdf.csGRAY, pixmap)
    pixels = _pixmap_array(pixmap)
    dpi = pixels.shape[1] * 72.0 / pymupdf.Rect(info["bbox"]).width
    if placed.width < page.rect.width - 1 or placed.height < page.rect.height - 1:
        pixels = _pad_to_page(pixels, pymupdf.Rect(info["bbox"]), page.rect, dpi)
    return RasterPage(pixels, dpi)


def _pad_to_page(pixels: np.ndarray, placed: pymupdf.Rect, page_rect: pymupdf.Rect,
                 dpi: float) -> np.ndarray:
    """Put an image that covers most of the page onto a white page-sized canvas."""
    scale = dpi / 72.0
    canvas = np.full((round(page_rect.height * scale), round(page_rect.width * scale)), 255,
                     dtype=np.uint8)
    left, top = max(0, round(placed.x0 * scale)), max(0, round(placed.y0 * scale))
    height = min(pixels.shape[0], canvas.shape[0] - top)
    width = min(pixels.shape[1], canvas.shape[1] - left)
    canvas[top:top + height, left:left + width] = pixels[:height, :width]
    return canvas


def pdf_page_raster(page: pymupdf.Page, dpi: float) -> RasterPage:
    """The page image to OCR: the embedded scan when it is one at a usable resolution,
    otherwise a rendering at ``dpi``."""
    embedded = embedded_page_image(page)
    if embedded is not None and NATIVE_DPI_RANGE[0] <= embedded.dpi <= NATIVE_DPI_RANGE[1]:
        return embedded
    return render_pdf_page(page, dpi)


def _pixmap_array(pixmap: pymupdf.Pixmap) -> np.ndarray:
    rows = np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(pixmap.height, pixmap.stride)
    return rows[:, : pixmap.width * pixmap.n].reshape(pixmap.height, pixmap.width, pixmap.n)[
        :, :, 0
    ].copy()
