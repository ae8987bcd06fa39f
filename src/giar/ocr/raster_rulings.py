"""Ruling lines in a page image → :class:`giar.layout.Ruling` segments in PDF points.

Threshold (adaptive: faint strokes survive) → morphological opening with long thin kernels
(keeps only straight horizontal / vertical runs; text strokes are too short) → pieces as
connected components (short vertical pieces kept only when solid and not crossed by a
character's stroke, as in 十), plus the pieces a more forgiving mask finds where a line faded
into dashes, if paper lies clear beside them → collinear pieces merged across small breaks →
isolated short pieces (a dash in the text, a stroke of a large title character) dropped →
lines whose end stops in the open carried on through the dashes along their course → a
glyph-sized overshoot past a vertical line's last crossing cut back (a heavy "(" glued to a
column line).

Lengths are in points and converted with the page DPI, so the same thresholds hold at any
resolution. Expects an upright, deskewed, illumination-normalised image
(:func:`giar.ocr.preprocess.prepare_page`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import cv2
import numpy as np

from giar.layout import Ruling
from giar.ocr.components import component_boxes

# Shortest straight run that counts as a ruling piece. Longer than any text stroke at body
# size (≤ 16 pt); table cells are narrower than 30 pt only in their height.
MIN_HORIZONTAL_RUN_PT = 18.0
MIN_VERTICAL_RUN_PT = 11.0
# A line piece at most this wide across (pixels) is taken as untilted.
LEAN_MIN_WIDTH_PX = 4
# Breaks in a printed/scanned line up to this long are bridged.
MAX_BRIDGED_GAP_PT = 8.0
# Pieces whose centre lines are this close belong to one line.
COLLINEAR_TOLERANCE_PT = 2.0
# A ruling shorter than this must end on perpendicular rulings at both ends to be kept.
STANDALONE_RULING_PT = 60.0
TOUCH_TOLERANCE_PT = 3.0
# A vertical line's end lies on the horizontal line it stops at, give or take this (points).
END_TOLERANCE_PT = 2.0
# A character stroke glued to a line's end is at most a body-size glyph long; a longer run past
# the last crossing is a border whose crossing line faded out, and stays. A short line may run
# this far past the line it ends on and still end there.
MAX_GLUED_STROKE_PT = 16.0
# Adaptive threshold window (points) and offset (grey levels below the local mean).
THRESHOLD_WINDOW_PT = 9.0
# A short vertical line must have ink along this share of its length, or of this share of it
# from one end.
MIN_SOLID_SHARE = 0.9
SOLID_STRETCH_SHARE = 0.75
# A short vertical piece crossed by ink farther than this share of its length from both ends,
# reaching this far (points) past the stroke on both sides, is a character's stroke.
CROSSING_END_MARGIN = 0.2
CROSSING_REACH_PT = 1.0
THRESHOLD_OFFSET = 12
# The forgiving mask for faded lines bridges breaks up to this long (points)...
FADED_GAP_PT = 3.0
# ...and keeps a piece only if the band beside it (this many points off the stroke's edge)
# holds ink along at most this share of its length, on either side.
SIDE_BAND_PT = (0.8, 2.5)
MAX_SIDE_INK_SHARE = 0.15
# ...and is no thicker than this (points; a ruling bent by the sheet, not a band of text).
MAX_FADED_LINE_PT = 3.0
# A dashed continuation of a found line may wander this far (points) off its centre line...
FADED_DRIFT_PT = 0.7
# ...and its dashes must cover this share of it, with no gap longer than this (points).
FADED_LINE_COVERAGE = 0.3
MAX_FADED_GAP_PT = 12.0
# A faded column line running across a row line must be line ink along this share of each
# cell it borders (:func:`_crosses_a_border`).
FADED_STRETCH_COVERAGE = 0.5
# A dropped short column line is rescued only when the dashes carry it on at least this far
# (points): a text stroke stopping just short of a row line above and below it is carried
# on by a pixel or two.
MIN_RESCUE_PT = 6.0
# Lines of a table that run on together this far (points) past the last line crossing them,
# and stop there, were closed by a border that faded out...
MIN_OPEN_REACH_PT = 8.0
# ...their ends ragged by up to this much (points), one to the next: the fade that took the
# border ate into their ends too.
RAGGED_END_PT = 8.0
# Ink beside the line over more than this (points) between two dashes is not a crossing
# ruling but text: the line ends there.
CROSSING_WIDTH_PT = 2.5
# The other side of the sheet shows through as a pale mirror image, its table's rulings
# included. A piece whose ink is lighter than this share of the page's contrast (paper to
# darkest ink) is such a ghost: front print, even where its toner faded, is darker.
BLEED_CONTRAST_SHARE = 0.2
# The page's ink level: this percentile of its grey values (the cores of the darkest strokes).
INK_PERCENTILE = 0.5


@dataclass(frozen=True, slots=True)
class PixelSegment:
    """A horizontal (``horizontal=True``) or vertical line in pixels: ``position`` is its
    centre line (y or x), ``start``/``end`` its extent along the line. ``lean``: how much
    farther across the line its end lies than its start. A sheet that did not lie flat tilts
    each line its own way by a few points, which deskewing the page does not undo; the
    segment's ``thickness`` (its box across the line) then holds that tilt too."""

    horizontal: bool
    position: float
    start: float
    end: float
    thickness: float
    lean: float = 0.0

    @property
    def length(self) -> float:
        return self.end - self.start

    def between(self, start: float, end: float) -> PixelSegment:
        """The same line (same course, same tilt) from ``start`` to ``end`` along it."""
        slope = self.lean / self.length if self.length else 0.0
        middle = (start + end) / 2 - (self.start + self.end) / 2
        return PixelSegment(self.horizontal, self.position + slope * middle, start, end,
                            self.thickness, slope * (end - start))


def line_ink(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Adaptive threshold: 255 where a pixel is darker than its surroundings."""
    window = max(3, round(THRESHOLD_WINDOW_PT * dpi / 72) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                 window, THRESHOLD_OFFSET)


def _points_to_pixels(points: float, dpi: float) -> int:
    return max(1, round(points * dpi / 72))


def line_masks(ink: np.ndarray, dpi: float, gap_pt: float = 2.0,
               drift_px: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical line pixels. A short closing along the line first joins the
    pieces of a broken or faint stroke (gaps up to ``gap_pt``) so they survive the long
    opening; ``drift_px`` widens the ink across the line first, so that a line bent by a
    wavy sheet still runs unbroken along one pixel row or column."""
    gap = _points_to_pixels(gap_pt, dpi)
    masks = []
    for run_pt, horizontal in ((MIN_HORIZONTAL_RUN_PT, True), (MIN_VERTICAL_RUN_PT, False)):
        run = _points_to_pixels(run_pt, dpi)
        source = ink
        if drift_px:
            across = (1, 2 * drift_px + 1) if horizontal else (2 * drift_px + 1, 1)
            source = cv2.dilate(ink, np.ones(across, np.uint8))
        close_shape = (gap, 1) if horizontal else (1, gap)
        open_shape = (run, 1) if horizontal else (1, run)
        joined = cv2.morphologyEx(source, cv2.MORPH_CLOSE,
                                  cv2.getStructuringElement(cv2.MORPH_RECT, close_shape))
        masks.append(cv2.morphologyEx(joined, cv2.MORPH_OPEN,
                                      cv2.getStructuringElement(cv2.MORPH_RECT, open_shape)))
    return masks[0], masks[1]


def mask_segments(mask: np.ndarray, horizontal: bool) -> list[PixelSegment]:
    """One segment per connected piece of a line mask, with its tilt."""
    segments = []
    for x, y, width, height in component_boxes(mask).tolist():
        if horizontal:
            lean = _lean(mask[y:y + height, x:x + width].T)
            segments.append(PixelSegment(True, y + height / 2, x, x + width, height, lean))
        else:
            lean = _lean(mask[y:y + height, x:x + width])
            segments.append(PixelSegment(False, x + width / 2, y, y + height, width, lean))
    return segments


def _lean(piece: np.ndarray) -> float:
    """For a piece of a vertical line (rows along it): how far right of its first rows'
    ink its last rows' ink lies, in pixels; 0 for a piece as thin as a ruling."""
    if piece.shape[1] <= LEAN_MIN_WIDTH_PX:
        return 0.0
    ends = max(1, piece.shape[0] // 10)
    columns = np.arange(piece.shape[1])

    def centre(rows: np.ndarray) -> float:
        weights = (rows > 0).sum(axis=0)
        return float((columns * weights).sum() / max(weights.sum(), 1))

    return centre(piece[-ends:]) - centre(piece[:ends])


def merge_collinear(segments: list[PixelSegment], tolerance: float,
                    max_gap: float) -> list[PixelSegment]:
    """Join pieces on one line (centre lines within ``tolerance``) whose gap ≤ ``max_gap``."""
    merged: list[PixelSegment] = []
    for segment in sorted(segments, key=lambda s: (s.position, s.start)):
        for index, line in enumerate(merged):
            if (abs(line.position - segment.position) <= tolerance
                    and segment.start <= line.end + max_gap
                    and segment.end >= line.start - max_gap):
                merged[index] = _join(line, segment)
                break
        else:
            merged.append(segment)
    return merged


def _join(a: PixelSegment, b: PixelSegment) -> PixelSegment:
    weight_a, weight_b = a.length, b.length
    position = (a.position * weight_a + b.position * weight_b) / max(weight_a + weight_b, 1e-9)
    first = a if a.start <= b.start else b
    last = a if a.end >= b.end else b
    lean = (last.position + last.lean / 2) - (first.position - first.lean / 2)
    return PixelSegment(a.horizontal, position, min(a.start, b.start), max(a.end, b.end),
                        max(a.thickness, b.thickness), lean)


def _meets_at_both_ends(segment: PixelSegment, others: list[PixelSegment],
                        tolerance: float, overshoot: float) -> bool:
    """True when perpendicular lines cross or end at both ends of ``segment``, as the
    border of a table cell always does. Text flush against one cell edge meets only one.
    An end may run on up to ``overshoot`` past the line it stops at: a stroke of the next
    row's text glued on by the closing, or the start of a stretch where the border faded
    (:func:`trim_overshoots` cuts it back)."""

    first, last = _end_crossings(segment, others, tolerance, overshoot)
    return bool(first and last) and min(first) < max(last) - tolerance


def _end_crossings(segment: PixelSegment, others: list[PixelSegment], tolerance: float,
                   overshoot: float) -> tuple[list[float], list[float]]:
    """Positions of the perpendicular lines that cross or end at ``segment``'s start, and at
    its end (see :func:`_meets_at_both_ends`)."""

    def crossings(low: float, high: float) -> list[float]:
        return [other.position for other in others
                if other.start - tolerance <= segment.position <= other.end + tolerance
                and low <= other.position <= high]

    return (crossings(segment.start - tolerance, segment.start + tolerance + overshoot),
            crossings(segment.end - tolerance - overshoot, segment.end + tolerance))


def keep_connected(horizontals: list[PixelSegment], verticals: list[PixelSegment],
                   dpi: float) -> tuple[list[PixelSegment], list[PixelSegment]]:
    """Drop short lines not bounded by perpendicular lines: they are strokes, not rulings."""
    standalone = _points_to_pixels(STANDALONE_RULING_PT, dpi)
    tolerance = _points_to_pixels(TOUCH_TOLERANCE_PT, dpi)
    overshoot = _points_to_pixels(MAX_GLUED_STROKE_PT, dpi)
    long_h = [s for s in horizontals if s.length >= standalone]
    kept_v = [s for s in verticals
              if s.length >= standalone or _meets_at_both_ends(s, long_h, tolerance, overshoot)]
    kept_h = [s for s in horizontals
              if s.length >= standalone or _meets_at_both_ends(s, kept_v, tolerance, overshoot)]
    return kept_h, kept_v


def rescued_through_fades(dropped: list[PixelSegment], horizontals: list[PixelSegment],
                          ink: np.ndarray, dpi: float) -> list[PixelSegment]:
    """Short vertical pieces :func:`keep_connected` dropped that, carried on through the
    dashes along their course (:func:`extend_through_fades`), end on a line at both ends.

    A column line that faded in the middle of a cell leaves a solid stretch from one border
    and dashes down to the next: the stretch alone meets a line only at one end, like a
    stroke of text, and was dropped with them. Text strokes have no dashes running on to the
    next line with paper clear beside them; one that stops just short of the lines above and
    below is carried on by a pixel or two, less than MIN_RESCUE_PT.
    """
    tolerance = _points_to_pixels(TOUCH_TOLERANCE_PT, dpi)
    overshoot = _points_to_pixels(MAX_GLUED_STROKE_PT, dpi)
    long_h = [h for h in horizontals if h.length >= _points_to_pixels(STANDALONE_RULING_PT, dpi)]
    one_end = [piece for piece in dropped
               if any(_end_crossings(piece, long_h, tolerance, overshoot))]
    return [line for piece, line in zip(one_end, extend_through_fades(one_end, horizontals, ink, dpi),
                                        strict=True)
            if line.length - piece.length >= MIN_RESCUE_PT * dpi / 72
            and _meets_at_both_ends(line, long_h, tolerance, overshoot)]


def detect_pixel_segments(gray: np.ndarray, dpi: float
                          ) -> tuple[list[PixelSegment], list[PixelSegment]]:
    """Horizontal and vertical ruling lines of a prepared page, in working pixels."""
    ink = line_ink(gray, dpi)
    horizontal_mask, vertical_mask = line_masks(ink, dpi)
    tolerance = _points_to_pixels(COLLINEAR_TOLERANCE_PT, dpi)
    gap = _points_to_pixels(MAX_BRIDGED_GAP_PT, dpi)
    standalone = _points_to_pixels(STANDALONE_RULING_PT, dpi)
    faded_h, faded_v = faded_line_pieces(ink, dpi)
    found_h, found_v = mask_segments(horizontal_mask, True), mask_segments(vertical_mask, False)
    ghost_level = bleed_through_level(gray)
    faded_h, faded_v, found_h, found_v = (
        [piece for piece in pieces if _ink_darkness(piece, gray, ink) < ghost_level]
        for pieces in (faded_h, faded_v, found_h, found_v))
    horizontals = merge_collinear(
        found_h + _uncovered(faded_h, found_h, tolerance,
                             _points_to_pixels(MIN_HORIZONTAL_RUN_PT, dpi)), tolerance, gap)
    long_h = [h for h in horizontals if h.length >= standalone]
    vertical_pieces = [v for v in found_v + _uncovered(faded_v, found_v, tolerance,
                                                       _points_to_pixels(MIN_VERTICAL_RUN_PT, dpi))
                       if v.length >= standalone
                       or (_is_solid(v, ink, long_h, dpi)
                           and not _is_crossed(v, ink, horizontal_mask, dpi))]
    candidates = merge_collinear(vertical_pieces, tolerance, gap)
    # Long thin rows first carried through their fades, so that short column lines can meet
    # them; a thick one is more likely the strokes of a bold heading run together.
    short_h = [h for h in horizontals if h.length < standalone]
    thin = [h for h in long_h if h.thickness <= _points_to_pixels(MAX_FADED_LINE_PT, dpi)]
    long_h = joined_at_faded_junctions(
        merge_collinear(extend_through_fades(thin, candidates, ink, dpi)
                        + [h for h in long_h if h not in thin], tolerance, gap),
        candidates, dpi)
    horizontals = long_h + short_h
    crossing_borders = [piece for piece in faded_v if _crosses_a_border(piece, long_h, ink, dpi)]
    candidates = merge_collinear(candidates + crossing_borders, tolerance, gap)
    horizontals, verticals = keep_connected(horizontals, candidates, dpi)
    verticals += rescued_through_fades([v for v in candidates if v not in verticals]
                                       + crossing_borders, horizontals, ink, dpi)
    horizontals, verticals = (
        merge_collinear(extend_through_fades(horizontals, verticals, ink, dpi), tolerance, gap),
        merge_collinear(extend_through_fades(verticals, horizontals, ink, dpi), tolerance, gap))
    horizontals, verticals = (horizontals + closing_borders(verticals, horizontals, dpi),
                              verticals + closing_borders(horizontals, verticals, dpi))
    return horizontals, trim_overshoots(verticals, horizontals, dpi)


def joined_at_faded_junctions(horizontals: list[PixelSegment], verticals: list[PixelSegment],
                              dpi: float) -> list[PixelSegment]:
    """Horizontal lines joined across a gap where a vertical line meets their course.

    Print wears first where lines meet: a bitonal scan can lose a border on both sides of a
    junction, leaving a gap longer than the dashes of a faded line bridge, with the column
    line ending in it. The gap on each side of that column line is no longer than
    MAX_FADED_GAP_PT, and both lines are long enough to stand alone as rulings: the
    strokes of a line of text (三, 于) line up too, with strokes across them."""
    standalone = _points_to_pixels(STANDALONE_RULING_PT, dpi)
    tolerance = _points_to_pixels(TOUCH_TOLERANCE_PT, dpi)
    collinear = _points_to_pixels(COLLINEAR_TOLERANCE_PT, dpi)
    longest = _points_to_pixels(MAX_FADED_GAP_PT, dpi)

    def junction_between(left: PixelSegment, right: PixelSegment) -> bool:
        return any(0 < vertical.position - left.end <= longest
                   and 0 < right.start - vertical.position <= longest
                   and vertical.start - tolerance <= right.position <= vertical.end + tolerance
                   for vertical in verticals)

    joined: list[PixelSegment] = []
    for line in sorted(horizontals, key=lambda line: (line.position, line.start)):
        left = next((index for index in range(len(joined) - 1, -1, -1)
                     if abs(joined[index].position - line.position) <= collinear
                     and joined[index].end < line.start), None)
        if (left is not None and min(joined[left].length, line.length) >= standalone
                and junction_between(joined[left], line)):
            joined[left] = _join(joined[left], line)
        else:
            joined.append(line)
    return joined


def _crosses_a_border(piece: PixelSegment, long_horizontals: list[PixelSegment],
                      ink: np.ndarray, dpi: float) -> bool:
    """Whether a faded vertical piece runs on across a long horizontal line, as line ink
    along every cell it borders (FADED_STRETCH_COVERAGE of each stretch between the lines
    across it): specks on the course of a border between two tables cover less. Like a
    solid piece (:func:`_is_solid`) it is longer than a character's stroke glued to lines."""
    if piece.length <= _points_to_pixels(MAX_GLUED_STROKE_PT, dpi):
        return False
    tolerance = _points_to_pixels(TOUCH_TOLERANCE_PT, dpi)
    crossed = sorted(h.position for h in long_horizontals
                     if piece.start + tolerance < h.position < piece.end - tolerance
                     and h.start - tolerance <= piece.position <= h.end + tolerance)
    if not crossed:
        return False
    half_width = piece.thickness / 2 + _points_to_pixels(FADED_DRIFT_PT, dpi)
    on_line, beside = _band_profiles(piece, half_width, ink, dpi, round(piece.start),
                                     round(piece.end))
    line_ink_only = on_line & ~beside
    bounds = [0, *(round(y - piece.start) for y in crossed), on_line.size]
    return all(line_ink_only[a:b].mean() >= FADED_STRETCH_COVERAGE
               for a, b in pairwise(bounds) if b > a)


def closing_borders(lines: list[PixelSegment], across: list[PixelSegment],
                    dpi: float) -> list[PixelSegment]:
    """Outer borders that faded out of a scan, drawn back where a table's lines stop.

    When every one of ``lines`` that a line of ``across`` crosses (two or more) runs on past
    it by at least :data:`MIN_OPEN_REACH_PT` and ends within :data:`RAGGED_END_PT` of the
    next, with no line of ``across`` there or beyond, the border that closed the table was
    lost: the cells beyond the last line standing would fall out of it. A line through the
    median of their ends, from the first to the last, is returned. Lines that stop together
    only in part (a faded patch inside the table) get none.
    """
    tolerance = _points_to_pixels(END_TOLERANCE_PT, dpi)
    reach = _points_to_pixels(MIN_OPEN_REACH_PT, dpi)
    closing = []
    for at_end in (True, False):
        for ends in _end_groups(lines, at_end, _points_to_pixels(RAGGED_END_PT, dpi)):
            x = float(np.median([line.end if at_end else line.start for line in ends]))
            members = _table_lines(ends, lines, across, x, at_end, reach, tolerance)
            if len(members) >= 2:
                positions = [line.position for line in members]
                closing.append(PixelSegment(not lines[0].horizontal, x, min(positions),
                                            max(positions),
                                            float(np.median([m.thickness for m in members]))))
    return closing


def _end_groups(lines: list[PixelSegment], at_end: bool,
                tolerance: float) -> list[list[PixelSegment]]:
    """Lines whose ends (or starts) lie within ``tolerance`` of the next one's, in groups of two
    or more."""
    groups: list[list[PixelSegment]] = []
    for line in sorted(lines, key=lambda line: line.end if at_end else line.start):
        edge = line.end if at_end else line.start
        last = groups[-1][-1] if groups else None
        if last is not None and edge - (last.end if at_end else last.start) <= tolerance:
            groups[-1].append(line)
        else:
            groups.append([line])
    return [group for group in groups if len(group) >= 2]


def _table_lines(ends: list[PixelSegment], lines: list[PixelSegment],
                 across: list[PixelSegment], x: float, at_end: bool, reach: float,
                 tolerance: float) -> list[PixelSegment]:
    """The most of ``ends`` that make up all the lines one line of ``across`` crosses, that
    line standing at least ``reach`` inside ``x`` and no line of ``across`` crossing them
    nearer to ``x`` than that; empty when there are none."""
    def crossed(other: PixelSegment) -> list[PixelSegment]:
        return [line for line in lines
                if line.start - tolerance <= other.position <= line.end + tolerance
                and other.start - tolerance <= line.position <= other.end + tolerance]

    def runs_on(line: PixelSegment, other: PixelSegment) -> bool:
        return (line.end >= other.position + reach if at_end
                else line.start <= other.position - reach)

    best: list[PixelSegment] = []
    for other in across:
        inside = other.position <= x - reach if at_end else other.position >= x + reach
        members = crossed(other)
        ending = [line for line in members if line in ends]
        if (inside and len(ending) > len(best) and _closes_table(ending, members)
                and all(runs_on(line, other) for line in members)):
            best = ending
    if best and any(crossed(other) for other in across
                    if (other.position > x - reach if at_end else other.position < x + reach)
                    and other.start <= max(line.position for line in best)
                    and other.end >= min(line.position for line in best)):
        return []  # a line crosses them within reach of their ends: their border stands
    return best


def _closes_table(ending: list[PixelSegment], members: list[PixelSegment]) -> bool:
    """Whether the lines that end together include the table's first and last: the fade may
    have shortened the lines between (they still run on past the crossing line), but the
    border closed the whole table."""
    positions = [line.position for line in members]
    return (len(ending) >= 2 and min(positions) in [line.position for line in ending]
            and max(positions) in [line.position for line in ending])


def bleed_through_level(gray: np.ndarray) -> float:
    """Grey level above which a line is the other side's ink showing through the paper."""
    sample = gray[::2, ::2]
    paper = float(np.median(sample))
    ink = float(np.percentile(sample, INK_PERCENTILE))
    return paper - BLEED_CONTRAST_SHARE * max(paper - ink, 0.0)


def _ink_darkness(segment: PixelSegment, gray: np.ndarray, ink: np.ndarray) -> float:
    """How dark a segment's ink is: the 25th percentile, over the places along it that hold
    ink, of the darkest pixel across its width. Places where a faded line broke off count
    for nothing either way."""
    half = round(segment.thickness / 2) + 1
    centre, start, end = round(segment.position), round(segment.start), round(segment.end)
    across = slice(max(0, centre - half), centre + half + 1)
    if segment.horizontal:
        band, inked = gray[across, start:end], ink[across, start:end]
    else:
        band, inked = gray[start:end, across].T, ink[start:end, across].T
    darkest = band.min(axis=0)[inked.any(axis=0)] if band.size else band
    return _lower_quartile(darkest) if darkest.size else 255.0


def _lower_quartile(values: np.ndarray) -> float:
    """``np.percentile(values, 25)`` (linear interpolation), without its overhead: this runs
    for every line piece of a page, a thousand times."""
    rank = 0.25 * (values.size - 1)
    low = int(rank)
    high = min(low + 1, values.size - 1)
    ordered = np.partition(values, [low, high])
    return float(ordered[low]) + (rank - low) * (float(ordered[high]) - float(ordered[low]))


def faded_line_pieces(ink: np.ndarray, dpi: float
                      ) -> tuple[list[PixelSegment], list[PixelSegment]]:
    """Line pieces that only a more forgiving mask finds: a faded stroke broken into dashes
    (a bitonal scan of worn print) that also bends with the sheet. That mask also chains the
    strokes along the edge of a text line, so a piece is kept only when paper lies clear on
    both sides of it along nearly all its length, as it does along a cell border."""
    horizontal_mask, vertical_mask = line_masks(ink, dpi, FADED_GAP_PT, drift_px=1)
    thickest = _points_to_pixels(MAX_FADED_LINE_PT, dpi)

    def clear_pieces(mask: np.ndarray, horizontal: bool) -> list[PixelSegment]:
        return [piece for piece in mask_segments(mask, horizontal)
                if piece.thickness <= thickest
                and side_ink_share(piece, ink, dpi) <= MAX_SIDE_INK_SHARE]

    return clear_pieces(horizontal_mask, True), clear_pieces(vertical_mask, False)


def _uncovered(pieces: list[PixelSegment], found: list[PixelSegment], tolerance: float,
               shortest: float) -> list[PixelSegment]:
    """The parts of ``pieces`` that no found piece on the same line covers, where at least
    ``shortest`` long. Where the strict mask found a line its ends are the more exact; the
    forgiving mask only fills in what it missed."""
    uncovered = []
    for piece in pieces:
        parts = [(piece.start, piece.end)]
        for other in found:
            if abs(piece.position - other.position) <= tolerance:
                parts = [part for start, end in parts
                         for part in ((start, min(end, other.start)), (max(start, other.end), end))
                         if part[1] - part[0] > 0]
        uncovered += [piece.between(start, end) for start, end in parts if end - start >= shortest]
    return uncovered


def side_ink_share(segment: PixelSegment, ink: np.ndarray, dpi: float) -> float:
    """Share of a segment's length with ink in a thin band beside it, on either side (the band
    runs from SIDE_BAND_PT[0] to SIDE_BAND_PT[1] points off the stroke's edge)."""
    _, beside = _band_profiles(segment, segment.thickness / 2, ink, dpi,
                               round(segment.start), round(segment.end))
    return float(beside.mean()) if beside.size else 1.0


def _band_profiles(line: PixelSegment, half_width: float, ink: np.ndarray, dpi: float,
                   start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Along ``start:end`` of ``line``'s axis: whether the band of ``half_width`` pixels around
    its centre line holds ink, and whether either band beside it does."""
    near, far = (_points_to_pixels(points, dpi) for points in SIDE_BAND_PT)
    far = max(far, near + 1)
    limit = ink.shape[0] if line.horizontal else ink.shape[1]
    low, high = round(line.position - half_width), round(line.position + half_width) + 1
    bands = [slice(max(0, low), min(limit, high)),
             slice(max(0, low - far), max(0, low - near)),
             slice(min(limit, high + near), min(limit, high + far))]
    along = slice(start, end)
    if line.horizontal:
        inked = [ink[band, along].any(axis=0) for band in bands]
    else:
        inked = [ink[along, band].any(axis=1) for band in bands]
    if any(profile.size == 0 for profile in inked):
        return np.zeros(0, bool), np.zeros(0, bool)
    return inked[0], inked[1] | inked[2]


def extend_through_fades(lines: list[PixelSegment], across: list[PixelSegment],
                         ink: np.ndarray, dpi: float) -> list[PixelSegment]:
    """Each line carried on from an end that stops in the open, while line-shaped ink
    continues along it, up to the next line across it.

    Where the print faded, a bitonal scan leaves a ruling as a row of dashes with gaps longer
    than any closing bridges. A border ends on another border, so only an end that meets no
    line ``across`` is a break; the extension stops at the next crossing, never running on
    into a cell whose border really ends there (where a "1" could pass for a dash). Ink counts
    as line-shaped when it lies on the line's course with paper clear beside it; dashes up to
    MAX_FADED_GAP_PT apart carry the line on, text beside the course stops it, and an
    extension is kept only when dashes cover FADED_LINE_COVERAGE of it.
    """
    drift = _points_to_pixels(FADED_DRIFT_PT, dpi)
    tolerance = _points_to_pixels(TOUCH_TOLERANCE_PT, dpi)
    collinear = _points_to_pixels(COLLINEAR_TOLERANCE_PT, dpi)
    extended = []
    for line in lines:
        axis_length = ink.shape[1] if line.horizontal else ink.shape[0]
        on_line, beside = _band_profiles(line, line.thickness / 2 + drift, ink, dpi, 0,
                                         axis_length)
        crossings = [other.position for other in across
                     if other.start - tolerance <= line.position <= other.end + tolerance]
        start, end = round(line.start), round(line.end)
        if on_line.size and not any(abs(c - end) <= tolerance for c in crossings):
            stop = min([round(c) + tolerance for c in crossings if c > end] + [axis_length])
            end += _walk(on_line[end:stop] & ~beside[end:stop], beside[end:stop], dpi)
        resumes = _next_on_course(line, lines, collinear)
        if on_line.size and resumes is not None and any(
                line.end + tolerance < c < resumes.start - tolerance for c in crossings):
            # The same line resumes past lines across, as dashes all the way: a line that
            # faded over a few cells. With no line across between the two (the gap between
            # two tables, or a cell merged across the course), they are two lines. Where
            # both pieces stop in the open, facing each other, no cell border ends there:
            # any dashes that carry one on to the other will do.
            stop = round(resumes.start)
            facing_open = not any(abs(c - piece_end) <= tolerance for c in crossings
                                  for piece_end in (line.end, resumes.start))
            # facing pieces: the walk may step onto the next piece's own ink
            reach = min(stop + tolerance, axis_length) if facing_open else stop
            if end + _walk(on_line[end:reach] & ~beside[end:reach], beside[end:reach], dpi,
                           0.0 if facing_open else FADED_LINE_COVERAGE) >= stop - tolerance:
                end = stop
        if on_line.size and not any(abs(c - start) <= tolerance for c in crossings):
            stop = max([round(c) - tolerance for c in crossings if c < start] + [0])
            start -= _walk((on_line[stop:start] & ~beside[stop:start])[::-1],
                           beside[stop:start][::-1], dpi)
        extended.append(line.between(min(start, line.start), max(end, line.end)))
    return extended


def _next_on_course(line: PixelSegment, lines: list[PixelSegment],
                    tolerance: float) -> PixelSegment | None:
    """The nearest line of ``lines`` on ``line``'s course that starts past its end."""
    ahead = [other for other in lines
             if other.start > line.end and abs(other.position - line.position) <= tolerance]
    return min(ahead, key=lambda other: other.start, default=None)


def _walk(dashes: np.ndarray, blocked: np.ndarray, dpi: float,
          min_coverage: float = FADED_LINE_COVERAGE) -> int:
    """How far a dashed line runs on from index 0: dash to dash, no gap longer than
    MAX_FADED_GAP_PT, no hop past more than CROSSING_WIDTH_PT of ink beside the line (a
    crossing ruling has that little; a line of text has more). 0 unless dashes cover
    ``min_coverage`` of the stretch."""
    gap = _points_to_pixels(MAX_FADED_GAP_PT, dpi)
    crossing = _points_to_pixels(CROSSING_WIDTH_PT, dpi)
    reach = 0
    while reach < dashes.size:
        ahead = np.flatnonzero(dashes[reach:reach + gap + 1])
        if ahead.size == 0:
            break
        hop = int(ahead[-1]) + 1
        if np.count_nonzero(blocked[reach:reach + hop]) > crossing:
            break
        reach += hop
    if reach == 0 or dashes[:reach].mean() < min_coverage:
        return 0
    return reach


def trim_overshoots(verticals: list[PixelSegment], horizontals: list[PixelSegment],
                    dpi: float) -> list[PixelSegment]:
    """Vertical lines cut back to the first and last horizontal line they cross.

    A cell border ends on a border. A vertical line running on past its last crossing without
    meeting another is a column line with a character stroke glued to its end: a heavy "(" or
    "十" in a tight title row (第二十条第（一）项) reaching down to the line below it, which
    would otherwise split that row into columns. Only a glyph-sized overshoot is cut: a long
    one is a border whose other crossings faded out of the scan.
    """
    tolerance = _points_to_pixels(END_TOLERANCE_PT, dpi)
    glued = _points_to_pixels(MAX_GLUED_STROKE_PT, dpi)
    trimmed = []
    for line in verticals:
        crossings = sorted(h.position for h in horizontals
                           if h.start - tolerance <= line.position <= h.end + tolerance
                           and line.start - tolerance <= h.position <= line.end + tolerance)
        if not crossings:
            trimmed.append(line)
            continue
        start = crossings[0] if crossings[0] - glued <= line.start < crossings[0] - tolerance \
            else line.start
        end = crossings[-1] if crossings[-1] + tolerance < line.end <= crossings[-1] + glued \
            else line.end
        if end > start:
            trimmed.append(line.between(start, end))
    return trimmed


def _is_solid(segment: PixelSegment, ink: np.ndarray, horizontals: list[PixelSegment],
              dpi: float) -> bool:
    """Whether raw ink runs along most of a short vertical piece. The closing that bridges
    broken strokes can also glue a character's stroke to the borders above and below it
    (項, 十 in a short title row); such a "line" has blank stretches near both ends. A line
    fading into dashes towards one end is solid from the other, which lies on one of the
    ``horizontals``, and runs on past another: it borders more than one cell, and is longer
    than a character. A stroke glued to the border above it has paper only at its lower end,
    but stays in one cell."""
    half = max(1, round(segment.thickness / 2) + 1)
    x = round(segment.position)
    band = ink[round(segment.start):round(segment.end), max(0, x - half):x + half + 1]
    if band.size == 0:
        return False
    inked = band.any(axis=1)
    if inked.mean() >= MIN_SOLID_SHARE:
        return True
    reach = _points_to_pixels(TOUCH_TOLERANCE_PT, dpi)
    crossing = [h.position for h in horizontals if h.start - reach <= x <= h.end + reach]
    if (segment.length <= _points_to_pixels(MAX_GLUED_STROKE_PT, dpi)
            or not any(segment.start + reach < y < segment.end - reach for y in crossing)):
        return False
    stretch = round(SOLID_STRETCH_SHARE * inked.size)
    return any(inked[part].mean() >= MIN_SOLID_SHARE and any(abs(y - end) <= reach for y in crossing)
               for part, end in ((slice(None, stretch), segment.start),
                                 (slice(-stretch, None), segment.end)))


def _is_crossed(segment: PixelSegment, ink: np.ndarray, horizontal_lines: np.ndarray,
                dpi: float) -> bool:
    """Whether ink other than a horizontal ruling runs through a short vertical piece away from
    its ends, reaching out on both sides at the same height: the cross stroke of 十 or 中. A
    cell border has paper on both sides there (the cells' padding)."""
    reach = _points_to_pixels(CROSSING_REACH_PT, dpi)
    x = round(segment.position)
    span = max(1, round(segment.thickness)) + 2 * reach
    if x - span < 0 or x + span >= ink.shape[1]:
        return False
    margin = CROSSING_END_MARGIN * segment.length
    rows = slice(round(segment.start + margin), round(segment.end - margin))
    columns = slice(x - span, x + span + 1)
    band = ink[rows, columns] > 0
    if band.shape[0] == 0:
        return False
    # Horizontal rulings cross a border legitimately, and so does the blur at their edges.
    on_ruling = (horizontal_lines[rows, columns] > 0).any(axis=1)
    near_ruling = np.convolve(on_ruling, np.ones(2 * reach + 1), mode="same") > 0
    band &= ~near_ruling[:, None]
    left = _run_from_centre(band[:, : span + 1][:, ::-1])
    right = _run_from_centre(band[:, span:])
    stroke_left, stroke_right = np.median(left), np.median(right)
    return bool(((left >= stroke_left + reach) & (right >= stroke_right + reach)).any())


def _run_from_centre(rows: np.ndarray) -> np.ndarray:
    """Per row, how many pixels from column 0 on are ink without a break."""
    blank = ~rows
    return np.where(blank.any(axis=1), blank.argmax(axis=1), rows.shape[1])


def segment_to_ruling(segment: PixelSegment, dpi: float) -> Ruling:
    """A pixel segment → a ruling in page points from its start to its end, tilt and all
    (a line's thickness box would be drawn corner to corner, across a tilt the other way, and
    a "1" beside the line painted out with it)."""
    scale = 72.0 / dpi
    first, last = segment.position - segment.lean / 2, segment.position + segment.lean / 2
    if segment.horizontal:
        return Ruling(segment.start * scale, first * scale, segment.end * scale, last * scale)
    return Ruling(first * scale, segment.start * scale, last * scale, segment.end * scale)


def detect_rulings(gray: np.ndarray, dpi: float) -> list[Ruling]:
    """Every ruling line of a prepared page image, in page points."""
    horizontals, verticals = detect_pixel_segments(gray, dpi)
    return [segment_to_ruling(segment, dpi) for segment in horizontals + verticals]
