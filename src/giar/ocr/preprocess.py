"""Make a page image upright, straight and evenly lit before rulings and OCR.

The output frame of the OCR path is the *upright, deskewed* page: a page scanned sideways or
tilted comes out in the coordinates of the document as printed, at the scan's own scale. The
working image lives in that frame, so working pixels become PDF points by the DPI alone
(:func:`pixel_box_to_bbox`); :attr:`PreparedPage.to_source` keeps the affine map back to the
pixels of the image as it was given, for debug overlays.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from giar.geometry import BBox, pixels_to_points
from giar.ocr.components import component_boxes
from giar.ocr.engines import OcrEngine

# Deskew search range and precision (degrees). Scanners rarely tilt a sheet more than 5°.
MAX_SKEW_DEGREES = 5.0
COARSE_SKEW_STEP = 0.1
FINE_SKEW_STEP = 0.01
# Below this the page is left as it is: resampling costs sharpness for nothing.
MIN_CORRECTED_SKEW = 0.05
SKEW_STRIPS = 48

# Sideways test. Characters of a line stand closer to each other than lines do, so closing
# the text ink along the lines' direction joins far more of it than closing across them. The
# closing is this share of the typical character size; ink this long (inches) is a ruling and
# left out.
SIDEWAYS_CLOSING_SHARE = 0.5
RULING_MIN_INCHES = 0.4
MIN_CHARACTER_PT = 4.0
# Lines of text tell first. Joined along its course, a line of text is one long piece about a
# character thick: at least this many characters long, between these shares of a character
# thick (a faded ruling's dashes, joined, are thinner). The direction holding lines this many
# characters long in all, and this many times as long as the other's, is the lines' course;
# where neither does, the direction leaving fewer pieces. Counting pieces alone took 5 of 360
# upright pages for turned, all faded print scanned bitonal at 300 DPI whose characters broke
# into halves one above the other (lone characters stacked in narrow table columns, above
# a few lines of text, 1.1× more pieces along rows). On all 360 pages the lines
# along rows were longer, 1.3× or more, and on 137 clean pages 1.1× or more (single-spaced
# text joins into columns too), the turned pages alike the other way; where the lines fall
# short of the majority, the counts were right on all of them.
TEXT_LINE_MIN_CHARACTERS = 4
TEXT_LINE_THICKNESS_SHARES = (0.6, 2.0)
MIN_TEXT_LINES_CHARACTERS = 8
TEXT_LINES_MAJORITY = 1.5
# Dark bands along the image's edges (the scanner lid's shadow, the bed beyond a smaller sheet)
# are not content: ink touching an edge and staying within this share of the page from it is
# cleared. A table cut by the edge stays, its rulings reach far into the page.
EDGE_BAND_SHARE = 0.04
# A bitonal scan: at most this share of its pixels lie between these grey levels.
BITONAL_DARK, BITONAL_LIGHT = 15, 240
BITONAL_MAX_GREY_SHARE = 0.002
# Upside-down decision: recognizer confidence must improve by this much when flipped.
UPSIDE_DOWN_MARGIN = 0.05
UPSIDE_DOWN_SAMPLE = 6
UPSIDE_DOWN_CROP_RATIO = 8
# Upright print reads at ≥ 0.95 mean confidence; above this the flipped reading is skipped.
CONFIDENTLY_UPRIGHT = 0.9


@dataclass(frozen=True)
class PreparedPage:
    """The working image (grayscale, upright, deskewed, evenly lit) and how it was made."""

    gray: np.ndarray
    dpi: float
    quarter_turns: int  # counter-clockwise 90° turns applied to the source image
    skew_degrees: float  # the source content's tilt that was removed (counter-clockwise +)
    to_source: np.ndarray  # 2×3 affine: working pixel (x, y, 1) → source image pixel
    bitonal: bool = False  # scanned in black and white: every stroke cut at one threshold

    @property
    def width_points(self) -> float:
        return pixels_to_points(self.gray.shape[1], self.dpi)

    @property
    def height_points(self) -> float:
        return pixels_to_points(self.gray.shape[0], self.dpi)


def pixel_box_to_bbox(x0: float, top: float, x1: float, bottom: float, dpi: float) -> BBox:
    """A box in working-image pixels → the same box in page points."""
    return BBox.from_pixels(x0, top, x1, bottom, dpi)


def bbox_to_pixel_box(box: BBox, dpi: float) -> tuple[int, int, int, int]:
    """A box in page points → working-image pixels (rounded)."""
    return box.to_pixels(dpi)


def working_to_source_points(prepared: PreparedPage, x: float, y: float) -> tuple[float, float]:
    """A working-image pixel → the pixel of the image as it was given."""
    sx, sy = prepared.to_source @ np.array([x, y, 1.0])
    return float(sx), float(sy)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark strokes as 255 on 0, robust to uneven light (expects a normalised page)."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary


def normalize_illumination(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Divide by an estimate of the paper's brightness so shadows and yellowing vanish.

    The background is a morphological closing (erases anything darker and thinner than the
    kernel: text, rulings) done at quarter scale for speed, then blurred.
    """
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    kernel_size = max(5, round(dpi * 0.2 / 4) | 1)  # ~0.2 inch: wider than any stroke
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (kernel_size, kernel_size))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (kernel_size, kernel_size), 0)
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]),
                            interpolation=cv2.INTER_LINEAR)
    normalized = cv2.divide(gray, np.maximum(background, 1), scale=255)
    return normalized


def clear_edge_shadows(gray: np.ndarray, ink: np.ndarray) -> None:
    """Paint out (in place) ink that touches the image's edge and lies wholly near it."""
    count, labels = cv2.connectedComponents(ink, connectivity=8)
    if count <= 1:
        return
    height, width = ink.shape
    edge = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    touches = np.bincount(edge, minlength=count) > 0
    band_x, band_y = round(EDGE_BAND_SHARE * width), round(EDGE_BAND_SHARE * height)
    inner = labels[band_y: height - band_y, band_x: width - band_x]
    reaches_in = np.bincount(inner.ravel(), minlength=count) > 0
    shadow = touches & ~reaches_in
    shadow[0] = False  # the background
    if shadow.any():
        cleared = shadow[labels]
        gray[cleared] = 255
        ink[cleared] = 0


def is_sideways(ink: np.ndarray, dpi: float) -> bool:
    """True when text lines run vertically (page turned by 90° or 270°).

    Tables defeat ink profiles (long vertical rulings, columns of bare digits); the spacing
    of characters does not: they sit closer along a line than lines sit to each other. So
    the text ink is joined across gaps of half a character, along rows and along columns,
    and the direction that makes the longer lines of text is the lines' course; where
    neither makes many, the one that leaves fewer pieces.
    """
    text = _text_ink(ink, dpi)
    boxes = component_boxes(text)
    sizes = np.maximum(boxes[:, 2], boxes[:, 3])
    characters = sizes[sizes >= MIN_CHARACTER_PT * dpi / 72]
    if characters.size < 10:
        return False
    character = float(np.median(characters))
    reach = max(2, round(SIDEWAYS_CLOSING_SHARE * character))
    along_rows = component_boxes(
        cv2.morphologyEx(text, cv2.MORPH_CLOSE, np.ones((1, reach), np.uint8)))
    along_columns = component_boxes(
        cv2.morphologyEx(text, cv2.MORPH_CLOSE, np.ones((reach, 1), np.uint8)))
    in_rows = _text_line_characters(along_rows[:, 2], along_rows[:, 3], character)
    in_columns = _text_line_characters(along_columns[:, 3], along_columns[:, 2], character)
    if (max(in_rows, in_columns) >= MIN_TEXT_LINES_CHARACTERS
            and max(in_rows, in_columns) >= TEXT_LINES_MAJORITY * min(in_rows, in_columns)):
        return in_columns > in_rows
    return len(along_columns) < len(along_rows)


def _text_line_characters(lengths: np.ndarray, thicknesses: np.ndarray, character: float) -> float:
    """How many characters long, in all, the pieces shaped like a line of text are (a piece
    ``lengths`` long along the direction it was joined in, ``thicknesses`` across it)."""
    low, high = TEXT_LINE_THICKNESS_SHARES
    lines = ((lengths >= TEXT_LINE_MIN_CHARACTERS * character)
             & (thicknesses >= low * character) & (thicknesses <= high * character))
    return float(lengths[lines].sum()) / character


def _text_ink(ink: np.ndarray, dpi: float) -> np.ndarray:
    """The ink without its long straight lines (rulings)."""
    length = max(3, round(RULING_MIN_INCHES * dpi))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    rulings = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    return cv2.bitwise_and(ink, cv2.bitwise_not(rulings))


def estimate_skew(ink: np.ndarray) -> float:
    """The content's tilt in degrees (counter-clockwise positive, as on screen).

    Projection profiles: shearing the page by the right angle lines rulings and text rows up
    with pixel rows, which makes the row profile sharpest (largest sum of squares). The
    shear is applied to the row profiles of vertical strips, so no image is rotated.
    """
    height, width = ink.shape
    strip_width = max(1, width // SKEW_STRIPS)
    n_strips = width // strip_width
    strips = ink[:, : n_strips * strip_width].reshape(height, n_strips, strip_width)
    profiles = (strips > 0).sum(axis=2, dtype=np.float64).T  # n_strips × height
    centers = (np.arange(n_strips) + 0.5) * strip_width - width / 2

    def sharpness(degrees: float) -> float:
        # A line tilted counter-clockwise rises to the right: undo by moving strips down.
        shifts = -np.rint(centers * math.tan(math.radians(degrees))).astype(int)
        total = np.zeros(height + 2 * (np.abs(shifts).max() + 1))
        offset = np.abs(shifts).max() + 1
        for profile, shift in zip(profiles, shifts, strict=True):
            total[offset - shift: offset - shift + height] += profile
        return float(np.dot(total, total))

    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1e-9, COARSE_SKEW_STEP)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - COARSE_SKEW_STEP, best + COARSE_SKEW_STEP + 1e-9, FINE_SKEW_STEP)
    # Several neighbouring angles often tie at integer shifts; take the middle of the plateau.
    scores = np.array([sharpness(angle) for angle in fine])
    plateau = fine[scores >= scores.max() * (1 - 1e-9)]
    return float(plateau.mean())


def rotate_quarter_turns(gray: np.ndarray, quarter_turns: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(gray, quarter_turns % 4))


def _quarter_turn_to_source(shape: tuple[int, int], quarter_turns: int) -> np.ndarray:
    """Affine map from pixels of ``np.rot90(source, k)`` back to the source image."""
    height, width = shape  # of the source
    k = quarter_turns % 4
    if k == 0:
        return np.array([[1.0, 0, 0], [0, 1.0, 0]])
    if k == 1:  # rotated (x', y') = (y, W-1-x)  ⇒  x = W-1-y', y = x'
        return np.array([[0, -1.0, width - 1], [1.0, 0, 0]])
    if k == 2:
        return np.array([[-1.0, 0, width - 1], [0, -1.0, height - 1]])
    return np.array([[0, 1.0, 0], [-1.0, 0, height - 1]])


def _compose(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """outer ∘ inner for 2×3 affine matrices."""
    as3 = np.vstack([inner, [0, 0, 1]])
    return outer @ as3


def deskew(gray: np.ndarray, skew_degrees: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate the content back by ``skew_degrees`` about the centre, same canvas, white fill.

    Returns the straightened image and the 2×3 map from its pixels to the tilted input's.
    """
    height, width = gray.shape
    center = ((width - 1) / 2, (height - 1) / 2)
    # Content tilted counter-clockwise by s (screen view) is undone by turning it clockwise;
    # OpenCV's positive angle is counter-clockwise in screen view.
    straighten = cv2.getRotationMatrix2D(center, -skew_degrees, 1.0)
    straight = cv2.warpAffine(gray, straighten, (width, height), flags=cv2.INTER_LINEAR,
                              borderValue=255)
    return straight, cv2.invertAffineTransform(straighten)


def prepare_page(gray: np.ndarray, dpi: float) -> PreparedPage:
    """Turn sideways pages upright, remove skew, even out the light.

    Upside-down pages cannot be told apart by geometry; see :func:`is_upside_down` and
    :func:`turn_half`.
    """
    normalized = normalize_illumination(gray, dpi)
    ink = ink_mask(normalized)
    clear_edge_shadows(normalized, ink)
    quarter_turns = 1 if is_sideways(ink, dpi) else 0
    if quarter_turns:
        normalized = rotate_quarter_turns(normalized, quarter_turns)
        ink = rotate_quarter_turns(ink, quarter_turns)
    to_source = _quarter_turn_to_source(gray.shape, quarter_turns)
    skew = estimate_skew(ink)
    if abs(skew) >= MIN_CORRECTED_SKEW:
        normalized, to_turned = deskew(normalized, skew)
        to_source = _compose(to_source, to_turned)
    else:
        skew = 0.0
    return PreparedPage(normalized, dpi, quarter_turns, skew, to_source, is_bitonal(gray))


def is_bitonal(gray: np.ndarray) -> bool:
    """Whether a page image holds (almost) nothing but black and white pixels."""
    sample = gray[::3, ::3]
    between = np.count_nonzero((sample > BITONAL_DARK) & (sample < BITONAL_LIGHT))
    return between <= BITONAL_MAX_GREY_SHARE * sample.size


def turn_half(prepared: PreparedPage) -> PreparedPage:
    """The same page turned by 180° (for pages found upside down)."""
    height, width = prepared.gray.shape
    flip_to_previous = np.array([[-1.0, 0, width - 1], [0, -1.0, height - 1]])
    return PreparedPage(
        rotate_quarter_turns(prepared.gray, 2), prepared.dpi,
        (prepared.quarter_turns + 2) % 4, prepared.skew_degrees,
        _compose(prepared.to_source, flip_to_previous), prepared.bitonal,
    )


def reads_upright(lines: Sequence[tuple[float, float, str, float]]) -> bool:
    """Whether a page's text lines, read as they are (width, height, text, confidence), were
    read sure enough to need no test turned: the :data:`UPSIDE_DOWN_SAMPLE` widest of those
    more than twice as wide as tall at :data:`CONFIDENTLY_UPRIGHT` mean confidence or more
    (a line read empty counts 0). The test :func:`is_upside_down` makes on its own crops."""
    long_lines = sorted((line for line in lines if line[0] > line[1] * 2),
                        key=lambda line: line[0], reverse=True)[:UPSIDE_DOWN_SAMPLE]
    return bool(long_lines) and _mean_confidence(
        [(text, confidence) for _, _, text, confidence in long_lines]) >= CONFIDENTLY_UPRIGHT


def _mean_confidence(readings: Sequence[tuple[str, float]]) -> float:
    return float(np.mean([confidence * bool(text) for text, confidence in readings]))


def is_upside_down(line_crops: Sequence[np.ndarray], engine: OcrEngine) -> bool:
    """Read the longest text-line crops as they are and turned by 180°; the better-read
    version wins by at least :data:`UPSIDE_DOWN_MARGIN` mean confidence."""
    long_lines = [crop for crop in line_crops if crop.shape[1] > crop.shape[0] * 2]
    long_lines.sort(key=lambda crop: crop.shape[1], reverse=True)
    # The start of a line is enough to tell, and recognition cost grows with width.
    sample = [crop[:, : crop.shape[0] * UPSIDE_DOWN_CROP_RATIO]
              for crop in long_lines[:UPSIDE_DOWN_SAMPLE]]
    if not sample:
        return False
    as_is = engine.recognize_lines(sample)
    mean_as_is = _mean_confidence([(r.text, r.confidence) for r in as_is])
    if mean_as_is >= CONFIDENTLY_UPRIGHT:
        return False
    flipped = engine.recognize_lines([np.ascontiguousarray(crop[::-1, ::-1]) for crop in sample])
    mean_flipped = _mean_confidence([(r.text, r.confidence) for r in flipped])
    return mean_flipped > mean_as_is + UPSIDE_DOWN_MARGIN
