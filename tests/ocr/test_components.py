import cv2
import numpy as np

from giar.ocr.components import component_boxes


def _mask_with_every_kind_of_piece() -> np.ndarray:
    mask = np.zeros((50, 60), np.uint8)
    mask[0, :] = 255            # along the top edge...
    mask[:, 59] = 255           # ...joined to the right edge: one piece
    mask[10:20, 0:5] = 255      # touching the left edge
    mask[30:40, 30:40] = 255    # a square with a hole...
    mask[33:37, 33:37] = 0
    mask[34:36, 34:36] = 255    # ...and a dot inside the hole
    mask[49, 10] = 255          # one pixel on the bottom edge
    mask[44, 20] = mask[45, 21] = 255  # touching only at a corner: 8-connected, one piece
    return mask


def test_boxes_are_those_of_8_connected_components() -> None:
    mask = _mask_with_every_kind_of_piece()
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    labelled = sorted(map(tuple, stats[1:, :4].tolist()))
    assert sorted(map(tuple, component_boxes(mask).tolist())) == labelled
    assert len(labelled) == count - 1 == 6


def test_boxes_run_top_to_bottom_then_left_to_right() -> None:
    boxes = component_boxes(_mask_with_every_kind_of_piece()).tolist()
    assert boxes[:2] == [[0, 0, 60, 50], [0, 10, 5, 10]]
    assert boxes[-1] == [10, 49, 1, 1]


def test_an_empty_mask_has_no_pieces() -> None:
    empty = np.zeros((8, 8), np.uint8)
    assert component_boxes(empty).shape == (0, 4)
