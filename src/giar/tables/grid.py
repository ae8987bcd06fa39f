"""Ruling segments → table grids: cells with row/column spans.

Works on :class:`giar.layout.Ruling` in PDF points, whether they came from vector drawings
(text-layer path) or from OpenCV line detection (OCR path).

Steps: normalise segments to horizontal/vertical, snap and merge collinear pieces, group the
segments that touch into tables, take the distinct edge positions as the elementary grid, and
merge elementary cells that no ruling separates into spanning cells.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from giar.geometry import BBox
from giar.layout import Ruling

# Positions closer than this (points) are the same edge. Word/WPS exports draw adjoining cell
# borders a fraction of a point apart; scans after deskew are within about a point.
SNAP_TOLERANCE = 2.0
# Collinear pieces separated by at most this gap (points) are one line (broken scan strokes).
JOIN_TOLERANCE = 3.0
# An elementary cell border counts as ruled when segments cover this share of it.
EDGE_COVERAGE = 0.6
# Pieces of one scanned line bent by a sheet not lying flat (keystone, a wave): at least this
# long (points; text strokes are shorter), centre lines up to this far apart, overlapping
# along less than this share of the shorter piece.
BENT_MIN_PIECE = 40.0
BENT_DRIFT = 4.5
BENT_OVERLAP = 0.8
# Collinear pieces of a row line at most this far apart (points), each met by lines across it,
# belong to one table: the line faded out between them (a bitonal scan can lose the middle of
# every row line, so that none reaches from the table's left border to its right one).
FADED_GAP = 120.0
# Rows or columns thinner than this (points) are drawing artefacts (double borders), not cells.
MIN_CELL_SIZE = 3.0
# A ruled box less tall than this (points) holds no line of a report's text (10.5-12 pt): a
# few strokes of a scanned heading that met (its dash and a speck), not a table.
MIN_TABLE_HEIGHT = 9.0
# A table's top or bottom border covers more of its width than this, even faded.
STROKE_ROW_MAX_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: BBox


@dataclass
class Grid:
    """One ruled table on one page: edge coordinates and the merged cells between them."""

    page: int
    xs: list[float]  # column edges, left to right
    ys: list[float]  # row edges, top to bottom
    cells: list[GridCell] = field(default_factory=list)

    @property
    def bbox(self) -> BBox:
        return BBox(self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


@dataclass(frozen=True, slots=True)
class _Segment:
    """An axis-parallel line: ``pos`` is y for horizontals, x for verticals; [lo, hi] its extent."""

    pos: float
    lo: float
    hi: float


def detect_grids(rulings: list[Ruling], page: int) -> list[Grid]:
    """Find every ruled table among ``rulings`` (PDF points) on page ``page``."""
    horizontals = _merge_collinear([_as_horizontal(r) for r in rulings if r.is_horizontal])
    verticals = _merge_collinear([_as_vertical(r) for r in rulings if not r.is_horizontal])
    horizontals, verticals = _join_bent(horizontals), _join_bent(verticals)
    grids = []
    for h_group, v_group in _connected_groups(horizontals, verticals):
        grid = _build_grid(*_without_stroke_rows(h_group, v_group), page)
        if grid is not None and grid.ys[-1] - grid.ys[0] >= MIN_TABLE_HEIGHT:
            grids.append(grid)
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids


def _without_stroke_rows(horizontals: list[_Segment], verticals: list[_Segment]
                         ) -> tuple[list[_Segment], list[_Segment]]:
    """The table's lines without those of a top or bottom "row" too low for a line of text
    (MIN_TABLE_HEIGHT) whose outer line covers less than STROKE_ROW_MAX_SHARE of the table's
    width: a bold heading's strokes, run together by spread toner, that met the table's
    border. The pieces across them go too, unless they reach on into the table."""
    while True:
        ys = _edge_positions(horizontals)
        if len(ys) < 3 or not verticals:
            return horizontals, verticals
        width = max(v.pos for v in verticals) - min(v.pos for v in verticals)
        for outer, inner in ((ys[0], ys[1]), (ys[-1], ys[-2])):
            covered = sum(h.hi - h.lo for h in horizontals if abs(h.pos - outer) < MIN_CELL_SIZE)
            if abs(inner - outer) < MIN_TABLE_HEIGHT and covered < STROKE_ROW_MAX_SHARE * width:
                break
        else:
            return horizontals, verticals
        # The outer edge is the lines from ``outer`` to before the inner one (_edge_positions).
        top = outer < inner
        horizontals = [h for h in horizontals if (h.pos >= inner if top else h.pos < outer)]
        verticals = [v for v in verticals if _reaches_past(v, inner, top)]


def _reaches_past(line: _Segment, edge: float, down: bool) -> bool:
    """Whether a line across reaches at least MIN_CELL_SIZE past ``edge``, down the page or
    up it."""
    return line.hi > edge + MIN_CELL_SIZE if down else line.lo < edge - MIN_CELL_SIZE


def _as_horizontal(r: Ruling) -> _Segment:
    return _Segment((r.top + r.bottom) / 2, min(r.x0, r.x1), max(r.x0, r.x1))


def _as_vertical(r: Ruling) -> _Segment:
    return _Segment((r.x0 + r.x1) / 2, min(r.top, r.bottom), max(r.top, r.bottom))


def _merge_collinear(segments: list[_Segment]) -> list[_Segment]:
    """Snap near-equal positions and join overlapping or nearly touching pieces."""
    merged: list[_Segment] = []
    for line in _cluster_positions(segments):
        line.sort(key=lambda s: s.lo)
        pos = sum(s.pos for s in line) / len(line)
        lo, hi = line[0].lo, line[0].hi
        for seg in line[1:]:
            if seg.lo <= hi + JOIN_TOLERANCE:
                hi = max(hi, seg.hi)
            else:
                merged.append(_Segment(pos, lo, hi))
                lo, hi = seg.lo, seg.hi
        merged.append(_Segment(pos, lo, hi))
    return merged


def _join_bent(segments: list[_Segment]) -> list[_Segment]:
    """Join the pieces of a scanned line that a sheet not lying flat bent off straight, so
    that they make one edge rather than two a few points apart (a sliver of a column): at
    least BENT_MIN_PIECE long, centre lines up to BENT_DRIFT apart, one starting and ending
    clearly after the other, overlapping along less than BENT_OVERLAP of the shorter one or
    apart by at most JOIN_TOLERANCE. Lines side by side (a double border) start and end
    together and stay apart. Pieces farther apart stay apart: two tables one above the other
    look the same as a line that faded over a few rows."""
    short = [s for s in segments if s.hi - s.lo < BENT_MIN_PIECE]
    lines = sorted((s for s in segments if s.hi - s.lo >= BENT_MIN_PIECE), key=lambda s: s.pos)
    while pair := _bent_pair(lines):
        first, second = lines[pair[0]], lines[pair[1]]
        weight = (first.hi - first.lo) + (second.hi - second.lo)
        pos = ((first.pos * (first.hi - first.lo) + second.pos * (second.hi - second.lo))
               / max(weight, 1e-9))
        joined = _Segment(pos, min(first.lo, second.lo), max(first.hi, second.hi))
        lines = sorted([line for k, line in enumerate(lines) if k not in pair] + [joined],
                       key=lambda s: s.pos)
    return short + lines


def _bent_pair(lines: list[_Segment]) -> tuple[int, int] | None:
    """Indices of two pieces of one bent line in ``lines`` (sorted by position), or None."""
    positions = [line.pos for line in lines]
    for i, line in enumerate(lines):
        for j in range(i + 1, bisect.bisect_right(positions, line.pos + BENT_DRIFT)):
            if _continues_bent(line, lines[j]):
                return i, j
    return None


def _continues_bent(a: _Segment, b: _Segment) -> bool:
    first, second = sorted((a, b), key=lambda s: s.lo)
    shorter = min(a.hi - a.lo, b.hi - b.lo)
    overlap = first.hi - second.lo
    return (abs(a.pos - b.pos) <= BENT_DRIFT
            and -JOIN_TOLERANCE <= overlap < BENT_OVERLAP * shorter
            and second.hi - first.hi > JOIN_TOLERANCE and second.lo - first.lo > JOIN_TOLERANCE)


def _cluster_positions(segments: list[_Segment]) -> list[list[_Segment]]:
    ordered = sorted(segments, key=lambda s: s.pos)
    clusters: list[list[_Segment]] = []
    for seg in ordered:
        if clusters and seg.pos - clusters[-1][-1].pos <= SNAP_TOLERANCE:
            clusters[-1].append(seg)
        else:
            clusters.append([seg])
    return clusters


def _touches(h: _Segment, v: _Segment) -> bool:
    tol = JOIN_TOLERANCE
    return h.lo - tol <= v.pos <= h.hi + tol and v.lo - tol <= h.pos <= v.hi + tol


def _connected_groups(
    horizontals: list[_Segment], verticals: list[_Segment]
) -> list[tuple[list[_Segment], list[_Segment]]]:
    """Group segments that intersect (transitively) into candidate tables."""
    n_h = len(horizontals)
    parent = list(range(n_h + len(verticals)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    touching = [False] * len(parent)  # met by a line across it
    for i, h in enumerate(horizontals):
        for j, v in enumerate(verticals):
            if _touches(h, v):
                parent[find(i)] = find(n_h + j)
                touching[i] = touching[n_h + j] = True
    # Pieces of one row line that faded out along a stretch, each held by lines across it,
    # or one of them met by none but too long for a text stroke (the border it ended on faded
    # too). Not for column lines: two tables one above the other look just like one whose
    # column lines faded over a few rows, while tables never stand side by side in these
    # reports.
    def held_or_long(k: int) -> bool:
        return touching[k] or horizontals[k].hi - horizontals[k].lo >= BENT_MIN_PIECE

    for i, j in _faded_apart(horizontals):
        if (touching[i] or touching[j]) and held_or_long(i) and held_or_long(j):
            parent[find(i)] = find(j)
    groups: dict[int, tuple[list[_Segment], list[_Segment]]] = {}
    for i, h in enumerate(horizontals):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(verticals):
        groups.setdefault(find(n_h + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _faded_apart(lines: list[_Segment]) -> list[tuple[int, int]]:
    """Index pairs of collinear pieces (within SNAP_TOLERANCE) apart by at most FADED_GAP:
    one ruling that faded out of a scan between them."""
    order = sorted(range(len(lines)), key=lambda k: lines[k].pos)
    positions = [lines[k].pos for k in order]
    pairs = []
    for a, first in enumerate(lines):
        near = order[bisect.bisect_left(positions, first.pos - SNAP_TOLERANCE):
                     bisect.bisect_right(positions, first.pos + SNAP_TOLERANCE)]
        following = [b for b in near if lines[b].lo > first.hi]
        if following:
            b = min(following, key=lambda k: lines[k].lo)
            if lines[b].lo - first.hi <= FADED_GAP:
                pairs.append((a, b))
    return pairs


def _edge_positions(segments: list[_Segment]) -> list[float]:
    positions: list[float] = []
    for pos in sorted(s.pos for s in segments):
        if positions and pos - positions[-1] < MIN_CELL_SIZE:
            continue
        positions.append(pos)
    return positions


def _coverage(segments: list[_Segment], pos: float, lo: float, hi: float) -> float:
    """Share of [lo, hi] at ``pos`` covered by segments."""
    covered = 0.0
    for s in segments:
        if abs(s.pos - pos) < MIN_CELL_SIZE:  # the segments _edge_positions put at pos
            covered += max(0.0, min(hi, s.hi) - max(lo, s.lo))
    return covered / (hi - lo) if hi > lo else 0.0


def _build_grid(horizontals: list[_Segment], verticals: list[_Segment], page: int) -> Grid | None:
    ys = _edge_positions(horizontals)
    xs = _edge_positions(verticals)
    if len(xs) < 2 or len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1

    def ruled_right(r: int, c: int) -> bool:  # border between (r, c) and (r, c + 1)
        return _coverage(verticals, xs[c + 1], ys[r], ys[r + 1]) >= EDGE_COVERAGE

    def ruled_below(r: int, c: int) -> bool:  # border between (r, c) and (r + 1, c)
        return _coverage(horizontals, ys[r + 1], xs[c], xs[c + 1]) >= EDGE_COVERAGE

    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not ruled_right(r, c):
                parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
            if r + 1 < n_rows and not ruled_below(r, c):
                parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)

    members: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            members.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = [_spanning_cell(block, xs, ys)
             for group in members.values() for block in _rectangles(group)]
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Grid(page=page, xs=xs, ys=ys, cells=cells)


def _rectangles(group: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """A merged group of elementary cells as rectangles that do not overlap.

    A group is a rectangle unless a stretch of border went missing (a faded scan): then an
    L-shaped group's bounding box would overlap its neighbours, and their text would be read
    twice. Such a group is cut into runs along each row, and runs repeated on consecutive rows
    are stacked back together.
    """
    rows = sorted({r for r, _ in group})
    cols = sorted({c for _, c in group})
    if len(group) == len(rows) * len(cols):  # a group is connected: this means a full box
        return [group]
    runs: list[tuple[int, int, int]] = []  # (row, first col, last col)
    for row in rows:
        row_cols = sorted(c for r, c in group if r == row)
        start = row_cols[0]
        for previous, col in zip(row_cols, [*row_cols[1:], None], strict=True):
            if col is None or col != previous + 1:
                runs.append((row, start, previous))
                start = col
    blocks: list[list[tuple[int, int, int]]] = []
    for run in runs:
        stack = next((b for b in blocks if b[-1][0] == run[0] - 1 and b[-1][1:] == run[1:]), None)
        if stack is None:
            blocks.append([run])
        else:
            stack.append(run)
    return [[(row, col) for row, first, last in block for col in range(first, last + 1)]
            for block in blocks]


def _spanning_cell(group: list[tuple[int, int]], xs: list[float], ys: list[float]) -> GridCell:
    rows = [r for r, _ in group]
    cols = [c for _, c in group]
    r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
    return GridCell(
        row=r0, col=c0, rowspan=r1 - r0 + 1, colspan=c1 - c0 + 1,
        bbox=BBox(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]),
    )
