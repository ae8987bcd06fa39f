import numpy as np
import pymupdf
import pytest
from PIL import Image

from giar.ocr.images import (
    DEFAULT_IMAGE_DPI,
    embedded_page_image,
    load_image_pages,
    pdf_page_raster,
    render_pdf_page,
)


def _gradient(height: int, width: int) -> np.ndarray:
    return (np.arange(width)[None, :] * 255 // width + np.zeros((height, 1))).astype(np.uint8)


def test_multi_page_tiff_keeps_every_page_and_its_dpi(tmp_path):
    path = tmp_path / "scan.tif"
    first, second = Image.fromarray(_gradient(40, 30)), Image.fromarray(_gradient(50, 20))
    first.save(path, save_all=True, append_images=[second], dpi=(300, 300))
    pages = load_image_pages(path)
    assert [page.pixels.shape for page in pages] == [(40, 30), (50, 20)]
    assert [page.dpi for page in pages] == [pytest.approx(300), pytest.approx(300)]
    assert pages[0].width_points == pytest.approx(30 * 72 / 300)


def test_png_without_resolution_gets_the_default(tmp_path):
    path = tmp_path / "page.png"
    Image.fromarray(_gradient(20, 20)).convert("RGB").save(path)
    (page,) = load_image_pages(path)
    assert page.dpi == DEFAULT_IMAGE_DPI
    assert page.pixels.ndim == 2


def test_jpeg_with_screen_resolution_gets_the_default(tmp_path):
    path = tmp_path / "page.jpg"
    Image.fromarray(_gradient(20, 20)).save(path, dpi=(72, 72))
    assert load_image_pages(path)[0].dpi == DEFAULT_IMAGE_DPI


def _scanned_pdf(pixels: np.ndarray) -> pymupdf.Document:
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    pixmap = pymupdf.Pixmap(pymupdf.csGRAY, pixels.shape[1], pixels.shape[0],
                            pixels.tobytes(), False)
    page.insert_image(page.rect, pixmap=pixmap)
    return document


def test_a_full_page_scan_is_taken_at_native_resolution():
    pixels = _gradient(1754, 1240)  # A4 at 150 DPI
    document = _scanned_pdf(pixels)
    raster = embedded_page_image(document[0])
    assert raster is not None
    assert raster.dpi == pytest.approx(150, abs=0.5)
    assert np.array_equal(raster.pixels, pixels)
    assert pdf_page_raster(document[0], 300).dpi == pytest.approx(150, abs=0.5)


def test_a_text_page_is_rendered():
    document = pymupdf.open()
    document.new_page(width=595, height=842).insert_text((72, 72), "2024", fontsize=12)
    assert embedded_page_image(document[0]) is None
    raster = pdf_page_raster(document[0], 200)
    assert raster.pixels.shape == (round(842 * 200 / 72), round(595 * 200 / 72))
    assert render_pdf_page(document[0], 100).dpi == pytest.approx(100)
