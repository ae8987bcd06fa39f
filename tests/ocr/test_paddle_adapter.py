"""PaddleOcrEngine's working path, with a fake ``paddleocr`` module in place of PaddleOCR 3.x.

The fake pages copy what PaddleOCR 3.x (paddlex ``OCRPipeline``) yields for one input array:
a dict (``OCRResult`` subclasses dict) whose ``rec_polys`` are int16 arrays of shape (4, 2),
``rec_texts`` are strings and ``rec_scores`` are Python floats, the boxes sorted top-to-bottom.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from giar.ocr import engines
from giar.ocr.engines import (
    EngineUnavailableError,
    PaddleOcrEngine,
    RecognizedText,
    TextBox,
    get_engine,
)

Page = dict[str, Any]
Quad = tuple[tuple[float, float], ...]


def _page(quads: Sequence[Quad], texts: Sequence[str], scores: Sequence[float],
          poly_dtype: type = np.int16, scores_as_array: bool = False) -> Page:
    polys = [np.array(quad, dtype=poly_dtype) for quad in quads]
    return {
        "input_path": None,
        "page_index": None,
        "dt_polys": polys,
        "text_type": "general",
        "text_rec_score_thresh": 0.0,
        "textline_orientation_angles": [-1] * len(polys),
        "rec_texts": list(texts),
        "rec_scores": np.array(scores) if scores_as_array else list(scores),
        "rec_polys": polys,
        "rec_boxes": np.array([[*p.min(axis=0), *p.max(axis=0)] for p in polys], dtype=np.int16)
        if polys else np.array([]),
    }


EMPTY_PAGE = _page([], [], [])


class FakePaddle:
    """Stands in for the ``paddleocr`` module: records the constructor kwargs and every image
    given to ``predict``, and answers each ``predict`` call with the next scripted page."""

    def __init__(self, pages: Sequence[Page] = (), error: Exception | None = None) -> None:
        self.pages = list(pages)
        self.error = error
        self.kwargs: dict[str, object] | None = None
        self.images: list[np.ndarray] = []

    def module(self) -> types.ModuleType:
        fake = self

        class PaddleOCR:
            def __init__(self, **kwargs: object) -> None:
                fake.kwargs = kwargs
                if fake.error is not None:
                    raise fake.error

            def predict(self, image: np.ndarray) -> list[Page]:
                fake.images.append(image)
                return [fake.pages.pop(0)]

        module = types.ModuleType("paddleocr")
        module.PaddleOCR = PaddleOCR  # type: ignore[attr-defined]
        return module


@pytest.fixture
def fake_paddle(monkeypatch: pytest.MonkeyPatch) -> FakePaddle:
    fake = FakePaddle()
    monkeypatch.setitem(sys.modules, "paddleocr", fake.module())
    return fake


def test_engine_asks_for_boxes_in_the_given_images_pixels(fake_paddle: FakePaddle) -> None:
    PaddleOcrEngine()
    assert fake_paddle.kwargs == {
        "lang": "ch",
        "use_doc_orientation_classify": False,
        "use_doc_unwarping": False,
        "use_textline_orientation": False,
    }


def test_detect_and_recognize_maps_polys_texts_scores_to_boxes(fake_paddle: FakePaddle) -> None:
    fake_paddle.pages.append(_page(
        [((12, 5), (88, 5), (88, 31), (12, 31)), ((120, 7), (190, 6), (191, 30), (121, 31))],
        ["营业收入", "9,487"], [0.9921875, 0.875]))
    gray = np.arange(40 * 200, dtype=np.uint8).reshape(40, 200)

    boxes = PaddleOcrEngine().detect_and_recognize(gray)

    assert boxes == [
        TextBox(((12.0, 5.0), (88.0, 5.0), (88.0, 31.0), (12.0, 31.0)), "营业收入", 0.9921875),
        TextBox(((120.0, 7.0), (190.0, 6.0), (191.0, 30.0), (121.0, 31.0)), "9,487", 0.875),
    ]
    assert all(type(v) is float for box in boxes for point in box.quad for v in point)
    assert all(type(box.confidence) is float for box in boxes)
    assert boxes[1].pixel_box == (120.0, 6.0, 191.0, 31.0)
    (image,) = fake_paddle.images
    assert image.shape == (40, 200, 3)
    assert image.dtype == np.uint8
    assert all(np.array_equal(image[:, :, channel], gray) for channel in range(3))


def test_float_polys_and_array_scores_are_read_too(fake_paddle: FakePaddle) -> None:
    fake_paddle.pages.append(_page([((1.5, 2.0), (30.25, 2.0), (30.25, 14.5), (1.5, 14.5))],
                                   ["2776"], [0.8125], np.float32, scores_as_array=True))
    colour = np.zeros((16, 32, 3), dtype=np.uint8)

    boxes = PaddleOcrEngine().detect_and_recognize(colour)

    assert boxes == [TextBox(((1.5, 2.0), (30.25, 2.0), (30.25, 14.5), (1.5, 14.5)), "2776", 0.8125)]
    assert type(boxes[0].confidence) is float
    assert fake_paddle.images[0] is colour


def test_detect_and_recognize_on_an_empty_image_finds_nothing(fake_paddle: FakePaddle) -> None:
    fake_paddle.pages.append(EMPTY_PAGE)
    assert PaddleOcrEngine().detect_and_recognize(np.full((20, 20), 255, np.uint8)) == []


def test_recognize_lines_joins_each_crops_boxes_left_to_right(fake_paddle: FakePaddle) -> None:
    # PaddleOCR sorts boxes by top edge, so the slightly higher right-hand box comes first.
    fake_paddle.pages += [
        _page([((70, 3), (120, 3), (120, 30), (70, 30)), ((8, 4), (60, 4), (60, 30), (8, 30))],
              ["处罚", "行政"], [0.96875, 0.75]),
        EMPTY_PAGE,
    ]
    crops = [np.zeros((34, 128), np.uint8), np.full((34, 60), 255, np.uint8)]

    results = PaddleOcrEngine().recognize_lines(crops)

    assert results == [RecognizedText("行政处罚", 0.75), RecognizedText("", 0.0)]
    assert [image.shape for image in fake_paddle.images] == [(34, 128, 3), (34, 60, 3)]
    assert [int(image[0, 0, 0]) for image in fake_paddle.images] == [0, 255]


def test_recognize_lines_of_no_crops_never_calls_paddle(fake_paddle: FakePaddle) -> None:
    assert PaddleOcrEngine().recognize_lines([]) == []
    assert fake_paddle.images == []


def test_paddle_failing_to_start_becomes_engine_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    failure = RuntimeError("model download failed")
    monkeypatch.setitem(sys.modules, "paddleocr", FakePaddle(error=failure).module())

    with pytest.raises(EngineUnavailableError) as caught:
        PaddleOcrEngine()

    message = str(caught.value)
    assert "pip install giar-extract[paddle]" in message
    assert message.endswith(": model download failed")
    assert caught.value.__cause__ is failure


def test_get_engine_caches_no_paddle_engine_that_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "paddleocr",
                        FakePaddle(error=RuntimeError("model download failed")).module())
    monkeypatch.setattr(engines, "_built_engines", {})

    with pytest.raises(EngineUnavailableError, match=r"pip install giar-extract\[paddle\]"):
        get_engine("paddle")
    assert engines._built_engines == {}
