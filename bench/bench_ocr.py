"""Benchmark on the scanned corpus (150/200/300 DPI, clean and degraded): giar-extract's
per-cell OCR against a whole-page OCR baseline with the same engine.

    python bench/bench_ocr.py                 # both methods, each in its own process
    python bench/bench_ocr.py --method giar --limit 4

The baseline runs RapidOCR detection + recognition on the whole (prepared) page and maps the
text boxes to the same raster grid; grids, label mapping and validation are shared, so the
comparison isolates how the cells are read. Seconds per page are for pages holding a table.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fixtures.loader import load_manifest  # noqa: E402
from tests.corpus_checks import cell_mismatches, error_rules, expected_error_rules  # noqa: E402

import giar.ocr.page as ocr_page_module  # noqa: E402
from giar.layout import PageLayout, Source, Word  # noqa: E402
from giar.ocr.engines import OcrEngine  # noqa: E402
from giar.ocr.preprocess import pixel_box_to_bbox  # noqa: E402
from giar.pipeline import extract  # noqa: E402

DPIS = (150, 200, 300)


def whole_page_ocr(image, dpi: float, number: int, engine: OcrEngine) -> PageLayout:
    """Baseline: the same preparation and rulings, then one detection + recognition pass over
    the whole page; every text box becomes a word."""
    gray = image if image.ndim == 2 else image.mean(axis=2).astype("uint8")
    view = ocr_page_module.upright_page(gray, dpi, number, engine)
    words = [
        Word(text=box.text, bbox=pixel_box_to_bbox(*box.pixel_box, view.prepared.dpi),
             source=Source.OCR, confidence=box.confidence)
        for box in engine.detect_and_recognize(view.prepared.gray) if box.text.strip()
    ]
    return PageLayout(number=number, width=view.prepared.width_points,
                      height=view.prepared.height_points, words=words, rulings=view.rulings,
                      method=Source.OCR)


def _timed(read_page, seconds: dict[int, float]):
    def timed(image, dpi, number, engine):
        start = time.perf_counter()
        layout = read_page(image, dpi, number, engine)
        seconds[number] = time.perf_counter() - start
        return layout
    return timed


def measure(method: str, limit: int | None) -> list[dict]:
    read_page = ocr_page_module.ocr_page if method == "giar" else whole_page_ocr
    docs = [d for d in load_manifest() if d.kind != "pdf_text" and d.variations["dpi"] in DPIS]
    groups: dict[tuple[int, str], list] = defaultdict(list)
    for doc in docs:
        level = "clean" if doc.variations["degradation"] == "clean" else "degraded"
        groups[(doc.variations["dpi"], level)].append(doc)
    rows = []
    for (dpi, level), members in sorted(groups.items()):
        cells = wrong = fully_right = 0
        table_page_seconds: list[float] = []
        for doc in members[:limit]:
            seconds: dict[int, float] = {}
            ocr_page_module.ocr_page = _timed(read_page, seconds)
            report = extract(list(doc.files) if len(doc.files) > 1 else doc.files[0])
            table_pages = [p.page for p in report.pages if p.tables]
            table_page_seconds += [seconds[p] for p in table_pages if p in seconds]
            n = sum(len(c) for rows_ in doc.truth["tables"].values() for c in rows_.values())
            mismatches = cell_mismatches(report, doc.truth)
            cells += n
            wrong += len(mismatches)
            verdict = {r for r, _ in error_rules(report)} == expected_error_rules(doc.truth)
            fully_right += not mismatches and verdict
        rows.append({
            "method": method, "dpi": dpi, "level": level, "documents": len(members[:limit]),
            "cell_accuracy": (cells - wrong) / cells, "cells_wrong": wrong,
            "documents_fully_right": fully_right,
            "median_s_per_table_page": statistics.median(table_page_seconds),
        })
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for row in rows:
        row["peak_memory_mb"] = peak
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=("giar", "whole-page"))
    parser.add_argument("--limit", type=int, help="documents per DPI/degradation group")
    args = parser.parse_args()
    if args.method:
        print(json.dumps(measure(args.method, args.limit)))
        return
    rows = []
    for method in ("giar", "whole-page"):
        command = [sys.executable, __file__, "--method", method]
        if args.limit:
            command += ["--limit", str(args.limit)]
        rows += json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    print("| method | DPI | scans | docs | cell accuracy | cells wrong | docs fully right "
          "| median s/table page | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['method']} | {r['dpi']} | {r['level']} | {r['documents']} | {r['cell_accuracy']:.2%} "
              f"| {r['cells_wrong']} | {r['documents_fully_right']}/{r['documents']} "
              f"| {r['median_s_per_table_page']:.2f} | {r['peak_memory_mb']:.0f} |")


if __name__ == "__main__":
    main()
