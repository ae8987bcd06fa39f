import numpy as np
import pymupdf
import pytest
from tests.ocr.conftest import render

from giar.ocr.routing import route_page, score_text


def test_clean_chinese_text_scores_clean():
    quality = score_text("三、收到和处理政府信息公开申请情况 本年新收 95 件")
    assert quality.bad_share == 0
    assert not quality.garbled


@pytest.mark.parametrize("text", [
    "\ue000\ue001\ue002\ue003 2024 \ue004\ue005",  # fonts mapped to private use
    "\ufffd\ufffd\ufffd\ufffd年\ufffd\ufffd",  # replacement characters
    "æ”¿åºœä¿¡æ¯å…¬å¼€",  # UTF-8 read as cp1252
    "\x01\x02\x03\x04\x05\x06 abc",  # control characters from a broken CMap
    "Zkhq wkh ilqdqfldo uhsruw",  # a Latin cipher where Chinese should be
])
def test_garbled_text_scores_garbled(text):
    assert score_text(text).garbled


def _text_page(document: pymupdf.Document, text: str) -> pymupdf.Page:
    page = document.new_page(width=595, height=842)
    page.insert_text((72, 100), text, fontname="china-s", fontsize=11)
    return page


def test_a_page_with_a_good_text_layer_keeps_it(hongze):
    decision = route_page(hongze[2])
    assert not decision.use_ocr
    assert decision.reason == "good text layer"


def _image_page(document: pymupdf.Document, gray: np.ndarray) -> pymupdf.Page:
    page = document.new_page(width=595, height=842)
    pixmap = pymupdf.Pixmap(pymupdf.csGRAY, gray.shape[1], gray.shape[0], gray.tobytes(), False)
    page.insert_image(page.rect, pixmap=pixmap)
    return page


def test_an_image_only_page_goes_to_ocr(hongze):
    document = pymupdf.open()
    page = _image_page(document, render(hongze[2], 100))
    decision = route_page(page)
    assert decision.use_ocr
    assert decision.reason.startswith("no text layer")


def test_a_page_whose_text_maps_to_a_latin_cipher_goes_to_ocr():
    # A font whose CMap sends every glyph to the wrong code point: Latin letters where
    # a Chinese report prints Chinese.
    document = pymupdf.open()
    page = _text_page(document, "Zkhq wkh ilqdqfldo uhsruw ri 2024 " * 5)
    decision = route_page(page)
    assert decision.use_ocr
    assert decision.reason.startswith("garbled")


def test_a_scan_under_a_clean_invisible_layer_keeps_it_and_a_poor_one_is_redone(hongze):
    text = "政府信息公开工作年度报告本年新收政府信息公开申请数量" * 3
    clean_document, poor_document = pymupdf.open(), pymupdf.open()
    clean = _image_page(clean_document, render(hongze[2], 100))
    clean.insert_text((72, 100), text, fontname="china-s", fontsize=11, render_mode=3)
    poor = _image_page(poor_document, render(hongze[2], 100))
    poor.insert_text((72, 100), text + "Zkhq wkh ilqdqfldo uhsruw" * 4, fontname="china-s",
                     fontsize=11, render_mode=3)
    assert route_page(clean) == route_page(clean, "auto")
    assert not route_page(clean).use_ocr
    assert route_page(poor).use_ocr
    assert route_page(poor).reason == "scan under a poor invisible text layer"


def test_modes_force_the_decision(hongze):
    assert route_page(hongze[2], "always").use_ocr
    document = pymupdf.open()
    assert not route_page(_text_page(document, "\ue010" * 50), "never").use_ocr
