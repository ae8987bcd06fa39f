import numpy as np
import pytest
from tests.ocr.conftest import render, soil, tilt

from giar.ocr.preprocess import (
    estimate_skew,
    ink_mask,
    is_sideways,
    normalize_illumination,
    prepare_page,
    working_to_source_points,
)

DPI = 200


@pytest.mark.parametrize("page_index", [0, 2, 3])
@pytest.mark.parametrize("degrees", [0.0, 0.7, -1.3, 3.0])
def test_skew_is_measured_within_a_fifth_of_a_degree(hongze, page_index, degrees):
    tilted = tilt(render(hongze[page_index], DPI), degrees)
    ink = ink_mask(normalize_illumination(tilted, DPI))
    assert estimate_skew(ink) == pytest.approx(degrees, abs=0.2)


def test_skew_is_measured_on_a_soiled_scan(hongze):
    tilted = soil(tilt(render(hongze[3], DPI), -0.8))
    assert estimate_skew(ink_mask(normalize_illumination(tilted, DPI))) == pytest.approx(
        -0.8, abs=0.2)


@pytest.mark.parametrize("page_index", [0, 1, 2, 3, 4])
def test_sideways_pages_are_recognised(hongze, page_index):
    ink = ink_mask(normalize_illumination(render(hongze[page_index], 100), 100))
    assert not is_sideways(ink)
    assert is_sideways(np.rot90(ink))
    assert is_sideways(np.rot90(ink, 3))


def test_illumination_is_evened_out(hongze):
    page = render(hongze[0], DPI)
    normalized = normalize_illumination(soil(page), DPI)
    paper = page > 250
    left, right = paper[:, :300], paper[:, -300:]
    # The soiled page is 25% darker on the left; after normalisation the paper is even.
    assert abs(float(normalized[:, :300][left].mean()) -
               float(normalized[:, -300:][right].mean())) < 6


def test_prepared_page_maps_back_to_the_source_pixels(hongze):
    source = np.rot90(tilt(render(hongze[2], DPI), 1.5), 3).copy()
    prepared = prepare_page(source, DPI)
    assert prepared.quarter_turns == 1
    assert prepared.skew_degrees == pytest.approx(1.5, abs=0.2)
    assert prepared.gray.shape == source.shape[::-1]
    dark = np.argwhere(prepared.gray < 60)[::997]
    matches = 0
    for y, x in dark:
        sx, sy = working_to_source_points(prepared, float(x), float(y))
        if 0 <= round(sy) < source.shape[0] and 0 <= round(sx) < source.shape[1]:
            window = source[max(0, round(sy) - 2): round(sy) + 3,
                            max(0, round(sx) - 2): round(sx) + 3]
            matches += int(window.min() < 128)
    assert matches >= 0.95 * len(dark)
