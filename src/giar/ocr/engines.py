"""OCR engines behind one small protocol, chosen by name.

Every engine answers two questions, both in pixels of the image it is given:

* :meth:`OcrEngine.recognize_lines` — read a batch of crops that each hold one line of text;
* :meth:`OcrEngine.detect_and_recognize` — find the text lines in an image region and read them.

Engines are heavy (ONNX sessions, hundreds of MB); :func:`get_engine` builds each one once and
reuses it across pages. Heavy imports happen only when an engine is built.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

DEFAULT_ENGINE = "rapidocr"

# The machine this runs on has two cores; one ONNX thread is half as fast as two.
ONNX_THREADS = min(2, os.cpu_count() or 1)

# Detection resizes so the longer side is at most this many pixels (``limit_type=max``).
# The default ``min`` mode upscales small crops to 736 px and costs ~1 s per table cell.
DETECTION_MAX_SIDE = 2400

# Recognition input: 48 px high, at least REC_MIN_WIDTH wide. Crops of the same width share
# an onnx call. What one crop costs (ms, onnxruntime 1.32, 2 cores) falls with the batch while
# the batch is narrow and rises once it is wide: a 48 px crop 1.9 alone and 1.1 in 16; a
# 384 px one 10.5 alone, 9.4 in 4, 11.7 in 8; a 960 px line 19.5 alone and 24.3 in 2. So a
# batch stops at REC_BATCH crops or REC_BATCH_WIDTH pixels. Only crops of one width share a
# batch: the recognizer pads each to the batch's widest, so a crop reads the same whatever
# else is on the page.
REC_HEIGHT = 48
REC_MIN_WIDTH = 48
REC_BATCH = 16
REC_BATCH_WIDTH = 1024

# Glyphs that stand for the same digit in a number cell (what the value parser undoes). The
# recognizer's belief split between them is no doubt about the number: a round 0 at 150 DPI
# reads "O" 0.67 / "0" 0.3, and every such cell would be flagged.
SAME_DIGIT = ("0Oo〇○０Ｏｏ", "1lI１ｌＩ")

PADDLE_INSTALL_HINT = (
    "the paddle OCR engine needs paddleocr and paddlepaddle "
    "(pip install giar-extract[paddle]) and its models available locally"
)


class EngineUnavailableError(RuntimeError):
    """An OCR engine cannot start here: a package or a local model is missing."""


@dataclass(frozen=True, slots=True)
class RecognizedText:
    """A line read: its text, the recognizer's confidence (the mean over its characters) and,
    when the engine tells, the confidence of its least sure character."""

    text: str
    confidence: float
    weakest: float | None = None


@dataclass(frozen=True, slots=True)
class TextBox:
    """One detected text line: its quadrilateral in pixels (4 corner points, clockwise from
    top-left), the text read from it and the recognizer's confidence."""

    quad: tuple[tuple[float, float], ...]
    text: str
    confidence: float

    @property
    def pixel_box(self) -> tuple[float, float, float, float]:
        xs = [x for x, _ in self.quad]
        ys = [y for _, y in self.quad]
        return min(xs), min(ys), max(xs), max(ys)


class OcrEngine(Protocol):
    name: str

    def recognize_lines(self, crops: Sequence[np.ndarray]) -> list[RecognizedText]:
        """Read each crop as one line of text; one result per crop, in order."""
        ...

    def detect_and_recognize(self, image: np.ndarray) -> list[TextBox]:
        """Find and read every text line in ``image``."""
        ...


def as_bgr(image: np.ndarray) -> np.ndarray:
    """The 3-channel uint8 image both engines expect."""
    if image.ndim == 2:
        return np.repeat(image[:, :, None], 3, axis=2)
    return image


class RapidOcrEngine:
    """RapidOCR on onnxruntime with the PP-OCR det/rec models shipped inside its wheel.

    Never downloads: model paths point at the wheel's own files and building fails if they
    are absent.
    """

    name = "rapidocr"

    def __init__(self) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as error:
            raise EngineUnavailableError(
                "the rapidocr engine needs rapidocr and onnxruntime (pip install giar-extract)"
            ) from error
        self._ocr = RapidOCR(params=_rapidocr_params(_rapidocr_model_dir()))
        recognizer = self._ocr._load_rec_model()
        recognizer.session = _SameDigitSession(recognizer.session,
                                               recognizer.postprocess_op.character)
        # Every recognition goes through it, RapidOCR's own after detection too.
        self._ocr.text_rec = _WidthBatchedRecognizer(recognizer)

    def recognize_lines(self, crops: Sequence[np.ndarray]) -> list[RecognizedText]:
        if not crops:
            return []
        from rapidocr.ch_ppocr_rec import TextRecInput

        # RapidOCR's public call reads one image; its recognizer reads a list.
        recognizer = self._ocr._load_rec_model()
        output = recognizer(TextRecInput(img=[as_bgr(crop) for crop in crops],
                                         return_word_box=True))
        texts = output.txts or ()
        return [RecognizedText(text, float(score), _weakest(text, word, float(score)))
                for text, score, word in zip(texts, output.scores, output.word_results,
                                             strict=True)]

    def detect_and_recognize(self, image: np.ndarray) -> list[TextBox]:
        output = self._ocr(as_bgr(image), use_det=True, use_cls=False, use_rec=True)
        if output.boxes is None or output.txts is None:
            return []
        return [
            TextBox(tuple((float(x), float(y)) for x, y in quad), text, float(score))
            for quad, text, score in zip(output.boxes, output.txts, output.scores, strict=True)
        ]


class _WidthBatchedRecognizer:
    """RapidOCR's recognizer reading a list of crops in :func:`recognition_batches`, one
    onnx call each, instead of in runs of a fixed count."""

    def __init__(self, recognizer: Callable[..., object]) -> None:
        self._recognizer = recognizer

    def __call__(self, args: object) -> object:
        from rapidocr.ch_ppocr_rec import TextRecOutput

        images = [args.img] if isinstance(args.img, np.ndarray) else list(args.img)
        texts: dict[int, str] = {}
        scores: dict[int, float] = {}
        words: dict[int, object] = {}
        output = None
        for batch in recognition_batches([rec_width(image) for image in images]):
            output = self._recognizer(replace(args, img=[images[index] for index in batch]))
            for index, text, score, word in zip(batch, output.txts, output.scores,
                                                output.word_results, strict=True):
                texts[index], scores[index], words[index] = text, score, word
        order = range(len(images))
        return TextRecOutput(imgs=images, txts=tuple(texts[i] for i in order),
                             scores=[scores[i] for i in order],
                             word_results=tuple(words[i] for i in order),
                             viser=getattr(output, "viser", None))

    def __getattr__(self, name: str) -> object:
        return getattr(self._recognizer, name)


class _SameDigitSession:
    """The recognizer's ONNX session, with each step's winning glyph made as sure as all the
    glyphs of its :data:`SAME_DIGIT` group together. The winner stays the winner (its score
    only grows), so the text read is unchanged; only its confidence counts "0" and "O" as one
    answer."""

    def __init__(self, session: Callable[[np.ndarray], np.ndarray], characters: Sequence[str]):
        self._session = session
        self._groups = [members for glyphs in SAME_DIGIT
                        if len(members := np.array([index for index, char in enumerate(characters)
                                                    if char in glyphs])) > 1]

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        return fold_same_digits(self._session(batch), self._groups)

    def __getattr__(self, name: str) -> object:
        return getattr(self._session, name)


def rec_width(crop: np.ndarray) -> int:
    """The width the recognizer gives ``crop`` read alone: scaled to its height (rounded down,
    as RapidOCR sizes its input) and never under its minimum."""
    height, width = crop.shape[:2]
    return max(REC_MIN_WIDTH, int(REC_HEIGHT * width / max(height, 1)))


def recognition_batches(widths: Sequence[int]) -> list[list[int]]:
    """Indices of the crops, narrowest first, cut into batches that are cheap to read in one
    call and need no padding: crops of one width, at most REC_BATCH of them and
    REC_BATCH_WIDTH pixels together."""
    batches: list[list[int]] = []
    for index in sorted(range(len(widths)), key=lambda i: widths[i]):
        batch = batches[-1] if batches else None
        if (batch is None or len(batch) == REC_BATCH or widths[index] != widths[batch[0]]
                or (len(batch) + 1) * widths[index] > REC_BATCH_WIDTH):
            batches.append([index])
        else:
            batch.append(index)
    return batches


def fold_same_digits(preds: np.ndarray, groups: Sequence[np.ndarray]) -> np.ndarray:
    """``preds`` (batch x steps x glyphs, probabilities) with each step's top glyph scored as
    the sum of its group in ``groups`` (index arrays of glyphs that mean the same digit)."""
    folded = preds.copy()
    winners = preds.argmax(axis=2)
    for members in groups:
        wins = np.isin(winners, members)
        if wins.any():
            batch, step = np.nonzero(wins)
            folded[batch, step, winners[wins]] = preds[batch, step][:, members].sum(axis=1)
    return folded


def _weakest(text: str, word_info: object, line_score: float) -> float:
    """The least sure character's confidence, from RapidOCR's per-character confidences
    (one per character of ``text``); spaces are left out, being no character of the line."""
    confidences = getattr(word_info, "confs", None) or []
    if len(confidences) != len(text):
        return line_score
    printed = [conf for char, conf in zip(text, confidences, strict=True) if not char.isspace()]
    return float(min(printed, default=line_score))


def _rapidocr_model_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).parent / "models"


def _rapidocr_params(model_dir: Path) -> dict[str, object]:
    det_model = model_dir / "PP-OCRv6_det_small.onnx"
    rec_model = model_dir / "PP-OCRv6_rec_small.onnx"
    missing = [str(path) for path in (det_model, rec_model) if not path.is_file()]
    if missing:
        raise EngineUnavailableError(
            f"rapidocr models missing (we never download them): {', '.join(missing)}"
        )
    return {
        "Global.use_cls": False,
        "Global.log_level": "error",
        # RapidOCR shrinks any input above max_side_len before detection; we size pages ourselves.
        "Global.max_side_len": 10_000,
        "Global.model_root_dir": str(model_dir),
        "Det.model_path": str(det_model),
        "Det.limit_type": "max",
        "Det.limit_side_len": DETECTION_MAX_SIDE,
        "Rec.model_path": str(rec_model),
        # A crop is padded to at least this width/height ratio; the default 320/48 pads a
        # lone digit to a 320 px line.
        "Rec.rec_img_shape": [3, REC_HEIGHT, REC_MIN_WIDTH],
        "Rec.rec_batch_num": REC_BATCH,
        "EngineConfig.onnxruntime.intra_op_num_threads": ONNX_THREADS,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }


class PaddleOcrEngine:
    """PaddleOCR, when the user installed it and has its models locally.

    PaddleOCR 3.x turns on document preprocessing by default (page-orientation classifier and
    UVDoc unwarping); its boxes are then in the preprocessed image's pixels, not ours, so both
    are turned off here. Textline orientation is off too, like RapidOCR's ``use_cls``.
    """

    name = "paddle"

    def __init__(self) -> None:
        try:
            from paddleocr import PaddleOCR
        except ImportError as error:
            raise EngineUnavailableError(PADDLE_INSTALL_HINT) from error
        try:
            self._ocr = PaddleOCR(lang="ch", use_doc_orientation_classify=False,
                                  use_doc_unwarping=False, use_textline_orientation=False)
        except Exception as error:  # paddle raises assorted types when models cannot be fetched
            raise EngineUnavailableError(f"{PADDLE_INSTALL_HINT}: {error}") from error

    def recognize_lines(self, crops: Sequence[np.ndarray]) -> list[RecognizedText]:
        results = []
        for crop in crops:
            boxes = self.detect_and_recognize(crop)
            text = "".join(box.text for box in sorted(boxes, key=lambda b: b.pixel_box[0]))
            confidence = min((box.confidence for box in boxes), default=0.0)
            results.append(RecognizedText(text, confidence))
        return results

    def detect_and_recognize(self, image: np.ndarray) -> list[TextBox]:
        boxes: list[TextBox] = []
        for page in self._ocr.predict(as_bgr(image)):
            for quad, text, score in zip(
                page["rec_polys"], page["rec_texts"], page["rec_scores"], strict=True
            ):
                boxes.append(TextBox(tuple((float(x), float(y)) for x, y in quad),
                                     text, float(score)))
        return boxes


ENGINE_FACTORIES: dict[str, Callable[[], OcrEngine]] = {
    "rapidocr": RapidOcrEngine,
    "paddle": PaddleOcrEngine,
}

_built_engines: dict[str, OcrEngine] = {}


def get_engine(name: str = DEFAULT_ENGINE) -> OcrEngine:
    """The engine registered as ``name``, built on first use and then reused."""
    if name not in ENGINE_FACTORIES:
        known = ", ".join(sorted(ENGINE_FACTORIES))
        raise ValueError(f"unknown OCR engine {name!r}; known engines: {known}")
    if name not in _built_engines:
        _built_engines[name] = ENGINE_FACTORIES[name]()
    return _built_engines[name]
