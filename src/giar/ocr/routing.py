"""Per-page choice between the PDF's text layer and OCR.

Keep the text layer when it is good. OCR a page that has no text, too little text for the
image area it shows, garbled text (fonts without a Unicode map: U+FFFD, private-use or
control characters, mojibake, too few CJK characters for a Chinese report), or a full-page
scan under an invisible OCR text layer (render mode 3, OCRmyPDF style) whose text is poor.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

import pymupdf

RoutingMode = Literal["auto", "always", "never"]

# Fewer visible characters than this: the page has no usable text layer.
MIN_TEXT_CHARS = 20
# Images covering this share of the page make it a "picture page" ...
LARGE_IMAGE_COVERAGE = 0.5
# ... which needs at least this many characters per 1000 pt² of image to trust its text.
MIN_CHARS_PER_KILO_POINT2_OF_IMAGE = 0.2
# Share of characters that are replacement / private-use / control / mojibake: garbled.
MAX_BAD_CHAR_SHARE = 0.05
# A GIAR page is Chinese: among letters, fewer CJK than this means a broken font map.
MIN_CJK_SHARE_OF_LETTERS = 0.3
# Invisible text over a scan is trusted only when it is this clean.
MAX_BAD_SHARE_UNDER_SCAN = 0.01
MIN_CJK_SHARE_UNDER_SCAN = 0.6
INVISIBLE_RENDER_MODE = 3

# Latin-1 letters that show up when UTF-8/GBK bytes are decoded as cp1252/latin-1.
_MOJIBAKE_CHARS = frozenset("ÃÂÅÆÇÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ¤¦¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿")


@dataclass(frozen=True, slots=True)
class RouteDecision:
    use_ocr: bool
    reason: str


@dataclass(frozen=True, slots=True)
class TextQuality:
    """What the characters of a text layer look like."""

    chars: int  # visible (non-space) characters
    bad_share: float  # replacement, private-use, control and mojibake characters
    cjk_share_of_letters: float

    @property
    def garbled(self) -> bool:
        return (self.bad_share > MAX_BAD_CHAR_SHARE
                or self.cjk_share_of_letters < MIN_CJK_SHARE_OF_LETTERS)


def _is_bad_char(char: str) -> bool:
    if char == "\ufffd" or char in _MOJIBAKE_CHARS:
        return True
    category = unicodedata.category(char)
    return category in ("Co", "Cs") or (category == "Cc" and char not in "\t\n\r")


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def score_text(text: str) -> TextQuality:
    """Measure how readable ``text`` is (see :class:`TextQuality`)."""
    visible = [char for char in text if not char.isspace()]
    if not visible:
        return TextQuality(0, 0.0, 0.0)
    bad = sum(_is_bad_char(char) for char in visible)
    letters = [char for char in visible if char.isalpha() or _is_bad_char(char)]
    cjk = sum(_is_cjk(char) for char in letters)
    cjk_share = cjk / len(letters) if letters else 1.0  # digits only: not garbled
    return TextQuality(len(visible), bad / len(visible), cjk_share)


def image_coverage(page: pymupdf.Page) -> float:
    """Share of the page area covered by images (overlaps counted once, roughly)."""
    page_area = page.rect.get_area()
    if page_area <= 0:
        return 0.0
    covered = 0.0
    for info in page.get_image_info():
        covered += (pymupdf.Rect(info["bbox"]) & page.rect).get_area()
    return min(1.0, covered / page_area)


def _text_split_by_visibility(page: pymupdf.Page) -> tuple[str, str]:
    """(visible text, invisible render-mode-3 text) of the page."""
    visible, invisible = [], []
    for block in page.get_texttrace():
        chars = "".join(chr(c[0]) for c in block["chars"])
        (invisible if block.get("type") == INVISIBLE_RENDER_MODE else visible).append(chars)
    return "".join(visible), "".join(invisible)


def route_page(page: pymupdf.Page, mode: RoutingMode = "auto") -> RouteDecision:
    """Whether to OCR ``page`` rather than read its text layer, and why."""
    if mode == "always":
        return RouteDecision(True, "OCR forced")
    if mode == "never":
        return RouteDecision(False, "text layer forced")
    visible_text, invisible_text = _text_split_by_visibility(page)
    coverage = image_coverage(page)
    if invisible_text.strip() and coverage >= LARGE_IMAGE_COVERAGE:
        quality = score_text(invisible_text + visible_text)
        if (quality.bad_share > MAX_BAD_SHARE_UNDER_SCAN
                or quality.cjk_share_of_letters < MIN_CJK_SHARE_UNDER_SCAN):
            return RouteDecision(True, "scan under a poor invisible text layer")
        return RouteDecision(False, "scan with a clean invisible text layer")
    quality = score_text(visible_text + invisible_text)
    if quality.chars < MIN_TEXT_CHARS:
        return RouteDecision(True, f"no text layer ({quality.chars} characters)")
    if quality.garbled:
        return RouteDecision(
            True, f"garbled text layer ({quality.bad_share:.0%} bad characters, "
                  f"{quality.cjk_share_of_letters:.0%} CJK among letters)")
    if coverage >= LARGE_IMAGE_COVERAGE:
        image_area = coverage * page.rect.get_area()
        if quality.chars / (image_area / 1000) < MIN_CHARS_PER_KILO_POINT2_OF_IMAGE:
            return RouteDecision(True, f"too little text for an image covering {coverage:.0%}")
    return RouteDecision(False, "good text layer")
