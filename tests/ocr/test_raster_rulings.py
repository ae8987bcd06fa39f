import pytest
from tests.ocr.conftest import distinct, render, soil, tilt, vector_ruling_positions

from giar.ocr.preprocess import prepare_page
from giar.ocr.raster_rulings import detect_rulings
from giar.tables.grid import detect_grids

TOLERANCE_PT = 1.5


def ruling_positions(rulings):
    horizontal = distinct([(r.top + r.bottom) / 2 for r in rulings if r.is_horizontal])
    vertical = distinct([(r.x0 + r.x1) / 2 for r in rulings if not r.is_horizontal])
    return horizontal, vertical


def assert_same_positions(found, expected):
    assert len(found) == len(expected), (found, expected)
    for a, b in zip(found, expected, strict=True):
        assert a == pytest.approx(b, abs=TOLERANCE_PT)


@pytest.mark.parametrize("page_index", [1, 2, 3])
@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_rulings_match_the_vector_rulings(hongze, page_index, dpi):
    prepared = prepare_page(render(hongze[page_index], dpi), dpi)
    found_h, found_v = ruling_positions(detect_rulings(prepared.gray, dpi))
    expected_h, expected_v = vector_ruling_positions(hongze[page_index])
    assert_same_positions(found_h, expected_h)
    assert_same_positions(found_v, expected_v)


@pytest.mark.parametrize("degrees", [0.7, -1.2])
def test_rulings_of_a_tilted_soiled_scan_map_back_to_the_page(hongze, degrees):
    dpi = 200
    prepared = prepare_page(soil(tilt(render(hongze[3], dpi), degrees)), dpi)
    found_h, found_v = ruling_positions(detect_rulings(prepared.gray, dpi))
    expected_h, expected_v = vector_ruling_positions(hongze[3])
    assert_same_positions(found_h, expected_h)
    assert_same_positions(found_v, expected_v)


def test_raster_rulings_give_the_same_tables_as_the_vector_ones(hongze):
    from giar.extract.textlayer import page_rulings

    dpi = 200
    prepared = prepare_page(render(hongze[2], dpi), dpi)
    raster = detect_grids(detect_rulings(prepared.gray, dpi), 3)
    vector = detect_grids(page_rulings(hongze[2]), 3)
    assert [(g.n_rows, g.n_cols, len(g.cells)) for g in raster] == [(7, 2, 12), (16, 10, 117)]
    assert [(g.n_rows, g.n_cols, len(g.cells)) for g in raster] == [
        (g.n_rows, g.n_cols, len(g.cells)) for g in vector]


def test_a_page_without_tables_has_no_rulings(hongze):
    prepared = prepare_page(render(hongze[0], 200), 200)
    assert detect_grids(detect_rulings(prepared.gray, 200), 1) == []
