"""The scan benchmark times the pipeline's own page reader: what the pipeline hands on from
earlier pages must reach giar's reader and must not reach the baseline's."""

from bench.bench_ocr import _timed


def test_the_timed_reader_hands_earlier_pages_context_only_to_giars_reader():
    calls = []

    def giar_reader(image, dpi, number, engine, glyph_book=None, earlier=None):
        calls.append(("giar", glyph_book, earlier))
        return "giar layout"

    def baseline_reader(image, dpi, number, engine):
        calls.append(("baseline",))
        return "baseline layout"

    seconds: dict[int, float] = {}
    giar = _timed(giar_reader, seconds, with_glyph_book=True)
    baseline = _timed(baseline_reader, seconds, with_glyph_book=False)

    assert giar("pixels", 200, 3, "engine", "book", [10.0, 20.0]) == "giar layout"
    assert baseline("pixels", 200, 4, "engine", "book", [10.0, 20.0]) == "baseline layout"
    assert calls == [("giar", "book", [10.0, 20.0]), ("baseline",)]
    assert set(seconds) == {3, 4} and all(s >= 0 for s in seconds.values())
