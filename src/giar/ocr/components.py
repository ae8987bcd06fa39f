"""Connected pieces of a binary mask (8-connected), found by tracing their outlines, and
runs of set flags along one line of pixels.

OpenCV's ``connectedComponentsWithStats`` labels every pixel; on a mostly empty page-sized
mask, tracing the outer outline of each piece gives the same boxes about ten times faster.
Pieces lying inside another's hole (the dot of a 回 drawn in ink) are outlines of their own,
at the top level of a two-level hierarchy, so they are counted too.
"""

from __future__ import annotations

import cv2
import numpy as np


def component_boxes(mask: np.ndarray) -> np.ndarray:
    """One ``(x, y, width, height)`` row per connected piece of ``mask`` (non-zero pixels),
    top to bottom, then left to right."""
    outlines, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if not outlines:
        return np.zeros((0, 4), np.int64)
    boxes = [cv2.boundingRect(outline)
             for outline, links in zip(outlines, hierarchy[0], strict=True) if links[3] < 0]
    boxes.sort(key=lambda box: (box[1], box[0]))
    return np.array(boxes, np.int64).reshape(-1, 4)


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end exclusive) of every run of True in ``flags``."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    return [(int(start), int(end)) for start, end in zip(edges[::2], edges[1::2], strict=True)]
