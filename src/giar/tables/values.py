"""Printed cell text → number. Never guesses: anything it cannot read is null with its kind."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from giar.chinese import has_han

Number = int | float


class ValueKind(str, Enum):
    NUMBER = "number"
    BLANK = "blank"  # nothing printed
    DASH = "dash"  # "-", "--", "—": none / not applicable
    SLASH = "slash"  # "/"
    TEXT = "text"  # words such as 无 — not a number
    UNPARSED = "unparsed"  # looks garbled


@dataclass(frozen=True, slots=True)
class ParsedValue:
    value: Number | None
    kind: ValueKind
    unit: str | None = None


_UNITS = ("万元", "元", "件", "项", "个", "次", "条", "宗")
_DASHES = {"-", "--", "—", "——", "－", "–", "―", "...", "…"}
_SLASHES = {"/", "／", "\\", "//"}
_WORDS = {"无", "没有", "空"}
# A minus printed or recognised as an en or em dash ("—134") is a minus too.
_MINUS_SIGNS = ("-", "--", "+-", "—", "–")
_NUMBER = re.compile(r"^(?P<sign>\+|-|--|\+-|—|–)?(?P<digits>\d+(?:\.\d+)?)$")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_LEADING_ZERO = re.compile(r"^0\d")
_SPACED_DIGITS = re.compile(r"\d\s+\d")


def parse_value(raw: str, ocr: bool = False, count: bool = False) -> ParsedValue:
    """Read one cell: integers, decimals, signed deltas ("+2", "-1", "--253"), units inside the
    cell ("251000元"), thousands separators; blank, dashes and slashes are null.

    ``ocr``: the text was recognised, not printed in a text layer, so the recogniser's usual
    confusions inside a number are undone (O→0, l→1, a stray "|" from a cell border, "," read
    as "." in a count column: ``count``; a lone "D", "U", "C" or "n" is a 0), and digits apart
    on one line ("3 10") or a number with a leading zero ("01") are not taken. The raw text
    stays as recognised.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    if ocr and _SPACED_DIGITS.search(text):
        # Digits apart on one line: two numbers, or a number and a stroke read as a digit.
        return ParsedValue(None, ValueKind.UNPARSED)
    text = re.sub(r"\s+", "", text)
    if ocr:
        text = _undo_ocr_confusions(text, count)
    if not text:
        return ParsedValue(None, ValueKind.BLANK)
    if text in _DASHES:
        return ParsedValue(None, ValueKind.DASH)
    if text in _SLASHES:
        return ParsedValue(None, ValueKind.SLASH)
    if text in _WORDS:
        return ParsedValue(None, ValueKind.TEXT)
    unit = next((u for u in _UNITS if text.endswith(u) and len(text) > len(u)), None)
    if unit:
        text = text[: -len(unit)]
    text = _THOUSANDS.sub("", text)
    match = _NUMBER.match(text)
    if not match:
        return ParsedValue(None, ValueKind.UNPARSED, unit)
    digits = match["digits"]
    if ocr and _LEADING_ZERO.match(digits):
        # No count is printed "01": a 0 read together with a stroke beside it (a scrap of a
        # cell border read as "1") or with the next cell's number.
        return ParsedValue(None, ValueKind.UNPARSED, unit)
    number: Number = float(digits) if "." in digits else int(digits)
    if match["sign"] in _MINUS_SIGNS:
        number = -number
    return ParsedValue(number, ValueKind.NUMBER, unit)


_OCR_DIGIT_LETTERS = {"O": "0", "o": "0", "〇": "0", "○": "0", "l": "1", "I": "1"}
_OCR_DIGITS = str.maketrans(_OCR_DIGIT_LETTERS)
# A 0 alone in its cell that the recogniser, wanting a letter, read as one of these (a faded
# or coarse 0 at 150 DPI: "D", "U", "u"; its left half or its top arch left by a bitonal
# scan: "C", "n"). Only a lone character: "95U" stays unread, since it can be two cells'
# numbers run together.
_OCR_LONE_ZERO = frozenset("DUuQCcn")
_OCR_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
# What a recogniser reads for a faded or coarse digit in a table cell: the letters above, and
# "i" for a 1 or a 0 faded to two specks.
_DIGIT_LOOKALIKES = frozenset(_OCR_DIGIT_LETTERS) | _OCR_LONE_ZERO | {"i"}


def _undo_ocr_confusions(text: str, count: bool) -> str:
    text = text.strip("|丨")
    if text in _OCR_LONE_ZERO:
        return "0"
    candidate = text.translate(_OCR_DIGITS)
    if count and _OCR_THOUSANDS.match(candidate):
        return candidate.replace(".", ",")
    return candidate if _NUMBER.match(_THOUSANDS.sub("", candidate)) else text


# What the OCR path prints in a cell that holds ink it could not read (confidence 0).
UNREAD_MARK = "?"


def looks_like_value(raw: str, ocr: bool = False) -> bool:
    """Whether a cell's text is a value (number, blank, dash, slash, or ink OCR could not
    read) rather than a label; ``ocr`` as in :func:`parse_value` (an "o" read for a 0), and
    recognised text with no Chinese character that holds a digit or a letter the recogniser
    reads for one ("01", "O !i O": three faded zeros of a cell whose column lines were lost)
    is a damaged value, not a label: every label of the template has Chinese in it."""
    if raw == UNREAD_MARK or parse_value(raw, ocr=ocr).kind is not ValueKind.UNPARSED:
        return True
    return ocr and not has_han(raw) and any(
        char.isdigit() or char in _DIGIT_LOOKALIKES for char in raw)

