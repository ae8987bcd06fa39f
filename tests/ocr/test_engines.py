import sys

import numpy as np
import pymupdf
import pytest
from tests.ocr.conftest import render

from giar.ocr import engines
from giar.ocr.engines import EngineUnavailableError, get_engine


def test_unknown_engine_names_the_known_ones():
    with pytest.raises(ValueError, match="known engines: paddle, rapidocr"):
        get_engine("tesseract")


def test_paddle_without_its_packages_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "paddleocr", None)  # makes `import paddleocr` fail
    monkeypatch.setattr(engines, "_built_engines", {})
    with pytest.raises(EngineUnavailableError) as caught:
        get_engine("paddle")
    message = str(caught.value)
    assert "pip install giar-extract[paddle]" in message
    assert "models available locally" in message
    assert "\n" not in message


def test_rapidocr_never_downloads_missing_models(tmp_path):
    with pytest.raises(EngineUnavailableError, match="never download"):
        engines._rapidocr_params(tmp_path)


def test_engines_are_built_once():
    assert get_engine() is get_engine("rapidocr")


def _crop_points(page: pymupdf.Page, word: str, dpi: int):
    (x0, top, x1, bottom, *_), = [w for w in page.get_text("words") if w[4] == word]
    image = render(page, dpi)
    scale = dpi / 72
    pad = 6
    return image[round(top * scale) - pad: round(bottom * scale) + pad,
                 round(x0 * scale) - pad: round(x1 * scale) + pad]


def test_rapidocr_reads_numbers_from_table_cells(hongze):
    crops = [_crop_points(hongze[1], "9487", 200), _crop_points(hongze[2], "2776", 200),
             _crop_points(hongze[2], "7545", 200)]
    results = get_engine().recognize_lines(crops)
    assert [r.text for r in results] == ["9487", "2776", "7545"]
    assert all(r.confidence > 0.9 for r in results)
    assert all(r.weakest is not None and 0.5 < r.weakest <= r.confidence for r in results)
    assert get_engine().recognize_lines([]) == []


class _WordInfo:
    def __init__(self, confs):
        self.confs = confs


def test_crops_read_in_batches_of_other_widths_come_back_in_their_own_order(hongze):
    row = render(hongze[2], 200)[480:560, 200:1100]  # the 行政处罚 | 2776 row, read alone
    results = get_engine().recognize_lines([row, _crop_points(hongze[1], "9487", 200)])
    assert "行政处罚" in results[0].text and "2776" in results[0].text
    assert results[1].text == "9487"


def test_recognition_batches_group_crops_of_one_width_narrowest_first():
    assert engines.recognition_batches([48] * 20) == [list(range(16)), list(range(16, 20))]
    # a 960 px line is cheaper alone; 512 px lines go two by two
    assert engines.recognition_batches([960, 512, 960, 512]) == [[1, 3], [0], [2]]
    # a crop is never padded to another's width
    assert engines.recognition_batches([56, 48, 56, 49]) == [[1], [3], [0, 2]]
    assert engines.recognition_batches([]) == []


def test_the_weakest_character_leaves_out_spaces_and_falls_back_to_the_line():
    # one misread character among many hardly moves a line's mean confidence
    assert engines._weakest("部岭人民政府", _WordInfo([0.49, 0.62, 1, 1, 1, 1]), 0.85) == 0.49
    assert engines._weakest("9487 12", _WordInfo([1, 1, 1, 1, 0.5, 0.99, 1]), 0.93) == 0.99
    assert engines._weakest("9487", _WordInfo([1, 1]), 0.93) == 0.93  # not one per character
    assert engines._weakest("9487", None, 0.93) == 0.93


def test_rapidocr_detects_lines_with_their_boxes(hongze):
    image = render(hongze[2], 200)[480:560, 200:1100]  # the 行政处罚 | 2776 row
    boxes = get_engine().detect_and_recognize(image)
    by_text = {box.text: box.pixel_box for box in boxes}
    assert set(by_text) == {"行政处罚", "2776"}
    assert by_text["行政处罚"][2] < by_text["2776"][0]


def test_a_glyph_sharing_its_digit_with_others_is_scored_with_them():
    # glyphs: blank, "0", "O", "8"; step 1 splits between "O" and "0", step 2 is an "8"
    preds = np.array([[[0.05, 0.30, 0.60, 0.05], [0.10, 0.05, 0.05, 0.80]]])
    folded = engines.fold_same_digits(preds, [np.array([1, 2])])
    assert folded.argmax(axis=2).tolist() == [[2, 3]]  # the text read stays "O8"
    assert folded.max(axis=2)[0].tolist() == pytest.approx([0.90, 0.80])
    assert preds[0, 0, 2] == 0.60  # the engine's output is not changed in place


def test_rapidocr_scores_a_round_zero_and_its_letter_as_one():
    recognizer = get_engine()._ocr._load_rec_model()
    characters = recognizer.postprocess_op.character
    named = [{characters[index] for index in members} for members in recognizer.session._groups]
    assert {"0", "O", "o"} <= named[0] and {"1", "l", "I"} <= named[1]
