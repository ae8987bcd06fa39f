"""Digits read by matching a document's own glyphs: what a bitonal scan left of a faded number.

A bitonal scanner cuts every stroke at one threshold, so where the toner faded a number
comes out as scraps: a 0 as "( )", a 4 without its diagonal ("+"). The recognizer, trained
on whole glyphs, reads such scraps as letters or as nothing. But the report prints the same
digits, in the same font and size, whole in other cells. Fading only takes ink away, so the
scraps of a digit lie on that digit's strokes as printed elsewhere, and cover a good share
of them; on the strokes of any other digit they either do not lie or cover less.

:class:`GlyphBook` collects the glyphs of numbers read sure over a document and the cells
held for a second reading; :func:`match_number` reads one cell's scraps. What is read this
way comes from damaged ink and must always be flagged (the caller caps its confidence).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import cv2
import numpy as np

from giar.ocr.components import runs

DIGITS = "0123456789"
# Ink within this many points (at least a pixel) of a glyph's strokes counts as lying on them:
# a scanned stroke wanders by a pixel from the same glyph printed elsewhere. Wider, the strokes
# of different digits run together.
STROKE_TOLERANCE_PT = 0.3
# At least this share of the scraps must lie on a digit's strokes for that digit to fit, and
# they must stand at least this share of its height: a speck or a dash lies on the strokes of
# most digits (the bar of a 7), and says nothing about which.
MIN_COVERED = 0.9
MIN_HEIGHT_SHARE = 0.5
# A digit is read when its strokes are at least this share present, and this share more
# present than those of any other digit that fits.
MIN_EXPLAINED = 0.3
MIN_LEAD = 0.12
# Glyphs of one digit whose heights differ by more than this share are kept apart (a bold
# total row and the body text); at most this many glyphs are kept per digit.
SIZE_TOLERANCE = 0.15
MAX_GLYPHS_PER_DIGIT = 4
# Scraps of one glyph are at most this share wider than the widest glyph learnt.
SLOT_WIDTH_SHARE = 1.2
# Where a number in the held cell's row was read sure, a digit is first placed over the scraps
# only with its middle within this many points of that number's: the digits of a row stand on
# one line. A 0 that lost its top and bottom ("( )") then no longer fits a 6 or a 9 as well
# as a 0, which it does when lowered or raised by a fifth of its height. When no digit fits
# clearly so placed, the digits are placed freely.
ROW_MIDDLE_SLACK_PT = 0.25

# A 0 whose thin top and bottom the threshold took ("( )"): two sides apart across, each
# standing at least this share of the scraps' height, overlapping down this share of the
# shorter, each no wider than this share of its height, with a hollow between them at least
# this share of the wider side wide. Columns holding less than CRUMB_SHARE of the fullest
# side's ink (a speck in the hollow) are left out.
OPEN_ZERO_HEIGHT_SHARE = 0.7
OPEN_ZERO_OVERLAP = 0.7
OPEN_ZERO_MAX_ASPECT = 0.45
OPEN_ZERO_HOLLOW_SHARE = 0.5
CRUMB_SHARE = 0.25

PixelBox = tuple[int, int, int, int]  # x0, top, x1, bottom (end exclusive)
Glyphs = dict[str, list[np.ndarray]]


@dataclass(frozen=True)
class GlyphMatch:
    """The digits read and, for the least sure of them, the share of its strokes present and
    its lead over the next digit that fits."""

    text: str
    explained: float
    lead: float


@dataclass(frozen=True)
class HeldCell:
    """A cell piece whose ink was not read as a sure number: its scraps (bool, tight), where
    they and the piece lie on their page (pixels of the page's working image), and what the
    recognizer read there."""

    page: int
    dpi: float
    scraps: np.ndarray
    box: PixelBox
    area: PixelBox
    read: str = ""


@dataclass(frozen=True)
class SureNumber:
    """Where a number read sure printed its ink on a page: its middle, across and down
    (pixels of the page's working image)."""

    page: int
    middle_x: float
    middle_y: float


@dataclass(frozen=True)
class FadedReading:
    """What a held cell's scraps read as."""

    cell: HeldCell
    match: GlyphMatch


class GlyphBook:
    """The glyphs of one document's numbers read sure, and the cells held for reading against
    them once every page is read: a page may print no sure 3 where the next one does."""

    def __init__(self) -> None:
        self._found: dict[int, dict[str, list[np.ndarray]]] = defaultdict(lambda: defaultdict(list))
        self._sure: list[SureNumber] = []
        self._held: list[HeldCell] = []

    def learn(self, ink: np.ndarray, dpi: float, numbers: list[tuple[PixelBox, str]],
              page: int) -> None:
        """Take the glyphs of ``numbers`` read sure on ``page`` (pixel boxes of ``ink`` with
        their digits), and where each stands. A number whose ink does not fall into one column
        run per digit (touching or broken glyphs) teaches no glyph."""
        found = self._found[round(dpi)]
        for (x0, top, x1, bottom), text in numbers:
            patch = ink[top:bottom, x0:x1] > 0
            rows = np.flatnonzero(patch.any(axis=1))
            if rows.size:
                self._sure.append(SureNumber(page, (x0 + x1) / 2,
                                             top + (rows[0] + rows[-1] + 1) / 2))
            columns = runs(patch.any(axis=0))
            if not text.isdigit() or len(columns) != len(text):
                continue
            for char, (start, end) in zip(text, columns, strict=True):
                glyph = _tight(patch[:, start:end])
                if glyph is not None:
                    found[char].append(glyph)

    def hold(self, cell: HeldCell) -> None:
        self._held.append(cell)

    @property
    def holds_cells(self) -> bool:
        return bool(self._held)

    def readings(self) -> list[FadedReading]:
        """Every held cell whose scraps read clearly as a number where the recognizer read no
        number ("(1" for a 0 whose top and bottom faded), or a number with another count of
        digits ("41" for one faded 0). Where it read as many digits, its reading stands: the
        recognizer weighs each glyph's whole shape, and a glyph missing a stroke can lie on
        the strokes of another digit (a 2 without its diagonal on a 3's). A digit the
        document never prints whole cannot be read, and its scraps may be read as one it
        does print; the two sides of a 0 (:func:`is_open_zero`), which no glyph matches or
        only 1s do, read 0. These readings are always flagged."""
        glyphs = {dpi: {char: _representatives(samples) for char, samples in found.items()}
                  for dpi, found in self._found.items()}
        readings = []
        for cell in self._held:
            known = glyphs.get(round(cell.dpi))
            match = self._match(cell, known) if known else None
            if (match is None or set(match.text) == {"1"}) and is_open_zero(cell.scraps):
                # The thin sides of a 0 lie on a 1's stroke each: they match "11".
                match = GlyphMatch("0", 0.0, 0.0)
            if match is not None and _may_replace(cell.read, match.text):
                readings.append(FadedReading(cell, match))
        return readings

    def _match(self, cell: HeldCell, known: Glyphs) -> GlyphMatch | None:
        row_middle = self._row_middle(cell)
        match = None
        if row_middle is not None:
            match = match_number(cell.scraps, known, cell.dpi, row_middle)
        return match if match is not None else match_number(cell.scraps, known, cell.dpi)

    def _row_middle(self, cell: HeldCell) -> float | None:
        """Where ``cell``'s digits stand, in pixels down from its scraps' top: the middle of
        the nearest number read sure in its row (middle within the cell's height, same page),
        when that lies within the scraps' height. A number on a line of its own in a tall
        row (the second line of a wrapped number) stands elsewhere."""
        x0, top, x1, bottom = cell.area
        in_row = [sure for sure in self._sure
                  if sure.page == cell.page and top <= sure.middle_y < bottom]
        if not in_row:
            return None
        middle_x = (x0 + x1) / 2
        nearest = min(in_row, key=lambda sure: abs(sure.middle_x - middle_x))
        middle = nearest.middle_y - cell.box[1]
        return middle if 0 <= middle <= cell.scraps.shape[0] else None


def is_open_zero(scraps: np.ndarray) -> bool:
    """Whether ``scraps`` are the two sides of a 0 that lost its top and bottom: two tall,
    thin runs of columns with a hollow between them (:data:`OPEN_ZERO_HEIGHT_SHARE` and the
    rest), neither reaching out at an end beyond its middle third and one curving in towards
    the other. The recognizer reads them "(1", "1)", "11" or nothing, and a document printing
    no whole 0 teaches no glyph to match them against. A 1's flag (and a serif font's foot)
    reaches out: two 1s fail, and so do two straight strokes."""
    columns = runs(scraps.any(axis=0))
    inks = [int(scraps[:, start:end].sum()) for start, end in columns]
    columns = [run for run, ink in zip(columns, inks, strict=True)
               if ink >= CRUMB_SHARE * max(inks, default=0)]
    if len(columns) != 2:
        return False
    sides = [scraps[:, start:end] for start, end in columns]
    spans = [np.flatnonzero(side.any(axis=1)) for side in sides]
    heights = [int(rows[-1] - rows[0] + 1) for rows in spans]
    widths = [end - start for start, end in columns]
    overlap = min(spans[0][-1], spans[1][-1]) - max(spans[0][0], spans[1][0]) + 1
    if (min(heights) < OPEN_ZERO_HEIGHT_SHARE * scraps.shape[0]
            or overlap < OPEN_ZERO_OVERLAP * min(heights)
            or max(w / h for w, h in zip(widths, heights, strict=True)) > OPEN_ZERO_MAX_ASPECT
            or columns[1][0] - columns[0][1] < OPEN_ZERO_HOLLOW_SHARE * max(widths)):
        return False
    left, right = (_inward_curve(sides[0], towards_right=True),
                   _inward_curve(sides[1], towards_right=False))
    return min(left, right) >= 0 and max(left, right) > 0


def _inward_curve(side: np.ndarray, towards_right: bool) -> int:
    """How far the outer edge of a side of a 0 (bool mask) stands in from its middle third at
    its farther-in end row; negative when an end reaches out beyond the middle (by that much)."""
    rows = [row for row in range(side.shape[0]) if side[row].any()]
    if towards_right:
        outer = np.array([np.flatnonzero(side[row])[0] for row in rows])
    else:
        outer = -np.array([np.flatnonzero(side[row])[-1] for row in rows])
    third = len(rows) // 3
    middle = int(outer[third:len(rows) - third].min())
    ends = (int(outer[0]) - middle, int(outer[-1]) - middle)
    return min(ends) if min(ends) < 0 else max(ends)


def _may_replace(read: str, matched: str) -> bool:
    """Whether the scraps' reading ``matched`` replaces what the recognizer ``read``: unless
    that was a number of as many digits ("(1" and "C1" are none)."""
    return not read.isdigit() or len(read) != len(matched)


def match_number(scraps: np.ndarray, glyphs: Glyphs, dpi: float,
                 row_middle: float | None = None) -> GlyphMatch | None:
    """The digits whose glyphs best explain ``scraps`` (bool, one cell's ink), or None when
    some glyph's scraps fit no digit clearly better than every other. With ``row_middle``
    (pixels down from the scraps' top), each digit stands with its middle there."""
    if not glyphs or not scraps.any():
        return None
    widest = max(glyph.shape[1] for options in glyphs.values() for glyph in options)
    tolerance = max(1, round(STROKE_TOLERANCE_PT * dpi / 72))
    slack = ROW_MIDDLE_SLACK_PT * dpi / 72
    text, weakest = "", None
    for start, end in _slots(scraps, SLOT_WIDTH_SHARE * widest):
        slot_top = int(np.flatnonzero(scraps[:, start:end].any(axis=1))[0])
        middle = None if row_middle is None else (row_middle - slot_top, slack)
        slot = _tight(scraps[:, start:end])
        scored = sorted(((_fit(slot, glyph, tolerance, middle), char)
                         for char, options in glyphs.items() for glyph in options), reverse=True)
        best, char = scored[0]
        lead = best - next((score for score, other in scored if other != char), 0.0)
        if best < MIN_EXPLAINED or lead < MIN_LEAD:
            return None
        text += char
        if weakest is None or lead < weakest.lead:
            weakest = GlyphMatch(char, best, lead)
    return None if weakest is None else GlyphMatch(text, weakest.explained, weakest.lead)


def _fit(scraps: np.ndarray, glyph: np.ndarray, tolerance: int,
         middle: tuple[float, float] | None = None) -> float:
    """The largest share of ``glyph``'s strokes that ``scraps`` cover, over the placements of
    the glyph where at least MIN_COVERED of the scraps lie on its strokes; 0 when none.
    ``middle`` (pixels down from the scraps' top, and the slack allowed) holds the glyph's
    middle to a height."""
    if (scraps.shape[0] > glyph.shape[0] + 2 * tolerance
            or scraps.shape[1] > glyph.shape[1] + 2 * tolerance
            or scraps.shape[0] < MIN_HEIGHT_SHARE * glyph.shape[0]):
        return 0.0
    kernel = np.ones((2 * tolerance + 1, 2 * tolerance + 1), np.uint8)
    framed = np.pad(glyph, tolerance).astype(np.uint8)
    pad_y, pad_x = framed.shape
    window = np.pad(scraps.astype(np.uint8), ((pad_y, pad_y), (pad_x, pad_x)))
    covered = cv2.matchTemplate(window.astype(np.float32),
                                cv2.dilate(framed, kernel).astype(np.float32), cv2.TM_CCORR)
    explained = cv2.matchTemplate(cv2.dilate(window, kernel).astype(np.float32),
                                  framed.astype(np.float32), cv2.TM_CCORR)
    fits = covered >= MIN_COVERED * float(scraps.sum()) - 0.5
    if middle is not None:
        # Placement row ``dy`` puts the glyph's top at ``dy + tolerance - pad_y`` below the
        # scraps' top.
        wanted, slack = middle
        glyph_middles = np.arange(fits.shape[0]) + tolerance - pad_y + glyph.shape[0] / 2
        fits &= (np.abs(glyph_middles - wanted) <= slack)[:, None]
    if not fits.any():
        return 0.0
    return float(explained[fits].max()) / float(glyph.sum())


def _slots(scraps: np.ndarray, widest: float) -> list[tuple[int, int]]:
    """Column stretches of ``scraps`` that each hold one glyph's: runs of ink joined while the
    joined stretch stays no wider than ``widest``."""
    slots: list[list[int]] = []
    for start, end in runs(scraps.any(axis=0)):
        if slots and end - slots[-1][0] <= widest:
            slots[-1][1] = end
        else:
            slots.append([start, end])
    return [(start, end) for start, end in slots]


def _representatives(glyphs: list[np.ndarray]) -> list[np.ndarray]:
    """A few glyphs standing for all of one digit's: of each size found, the one of median
    size; the most common sizes first."""
    by_size: list[list[np.ndarray]] = []
    for glyph in sorted(glyphs, key=lambda g: g.shape[0]):
        if by_size and glyph.shape[0] <= (1 + SIZE_TOLERANCE) * by_size[-1][0].shape[0]:
            by_size[-1].append(glyph)
        else:
            by_size.append([glyph])
    by_size.sort(key=len, reverse=True)
    return [sorted(group, key=lambda g: g.shape)[len(group) // 2]
            for group in by_size[:MAX_GLYPHS_PER_DIGIT]]


def _tight(mask: np.ndarray) -> np.ndarray | None:
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if not rows.size:
        return None
    return mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
