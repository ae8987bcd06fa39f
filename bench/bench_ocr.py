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

    def read(view):
        return view, engine.detect_and_recognize(view.prepared.gray)

    def lines_read(reading):
        return [(x1 - x0, bottom - top, box.text, box.confidence) for box in reading[1]
                for x0, top, x1, bottom in [box.pixel_box]]

    # Orientation is settled as giar's own reading settles it: by the lines read.
    view, boxes = ocr_page_module.read_upright(gray, dpi, number, engine, read, lines_read)
    words = [
        Word(text=box.text, bbox=pixel_box_to_bbox(*box.pixel_box, view.prepared.dpi),
             source=Source.OCR, confidence=box.confidence)
        for box in boxes if box.text.strip()
    ]
    return PageLayout(number=number, width=view.prepared.width_points,
                      height=view.prepared.height_points, words=words, rulings=view.rulings,
                      method=Source.OCR)


def _timed(read_page, seconds: dict[int, float], with_glyph_book: bool):
    """``read_page`` timed page by page; what the pipeline hands on from earlier pages (the
    glyph book, the last table's column edges) goes only to a method that takes it (the
    baseline reads each page on its own)."""
    def timed(image, dpi, number, engine, *from_earlier_pages):
        start = time.perf_counter()
        if with_glyph_book:
            layout = read_page(image, dpi, number, engine, *from_earlier_pages)
        else:
            layout = read_page(image, dpi, number, engine)
        seconds[number] = time.perf_counter() - start
        return layout
    return timed


def measure_document(method: str, doc_id: str) -> dict:
    """One document in this process: cells, wrong cells, verdict, table-page seconds, peak MB."""
    read_page = ocr_page_module.ocr_page if method == "giar" else whole_page_ocr
    doc = next(d for d in load_manifest() if d.id == doc_id)
    seconds: dict[int, float] = {}
    ocr_page_module.ocr_page = _timed(read_page, seconds, with_glyph_book=method == "giar")
    report = extract(list(doc.files) if len(doc.files) > 1 else doc.files[0])
    mismatches = cell_mismatches(report, doc.truth)
    verdict = {r for r, _ in error_rules(report)} == expected_error_rules(doc.truth)
    return {
        "cells": sum(len(c) for rows in doc.truth["tables"].values() for c in rows.values()),
        "wrong": len(mismatches),
        "fully_right": not mismatches and verdict,
        "table_page_seconds": {str(p.page): seconds[p.page] for p in report.pages
                               if p.tables and p.page in seconds},
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(methods: list[str], limit: int | None) -> tuple[list[dict], list[dict]]:
    """Each document in a fresh process per method, so that peak memory is per document; the
    methods take turns document by document, so that the machine's speed drifting over the
    run (a shared VM's does, by 10-20%) does not land on one method. Returns a row per method
    and group, and the speed-ups per group."""
    docs = [d for d in load_manifest() if d.kind != "pdf_text" and d.variations["dpi"] in DPIS]
    groups: dict[tuple[int, str], list] = defaultdict(list)
    for doc in docs:
        level = "clean" if doc.variations["degradation"] == "clean" else "degraded"
        groups[(doc.variations["dpi"], level)].append(doc)
    rows, speedups = [], []
    for (dpi, level), members in sorted(groups.items()):
        results: dict[str, list[dict]] = defaultdict(list)
        for doc in members[:limit]:
            for method in methods:
                results[method].append(
                    _run([sys.executable, __file__, "--method", method, "--doc", doc.id]))
        for method in methods:
            rows.append(_row(method, dpi, level, results[method]))
        if len(methods) == 2:
            speedups.append(_speedup(dpi, level, *(results[m] for m in methods)))
    return sorted(rows, key=lambda r: (methods.index(r["method"]), r["dpi"], r["level"])), speedups


def _row(method: str, dpi: int, level: str, results: list[dict]) -> dict:
    cells = sum(r["cells"] for r in results)
    wrong = sum(r["wrong"] for r in results)
    return {
        "method": method, "dpi": dpi, "level": level, "documents": len(results),
        "cell_accuracy": (cells - wrong) / cells, "cells_wrong": wrong,
        "documents_fully_right": sum(r["fully_right"] for r in results),
        "median_s_per_table_page": _median_page_seconds(results),
        "peak_memory_mb": max(r["peak_mb"] for r in results),
    }


def _median_page_seconds(results: list[dict]) -> float:
    return statistics.median(s for r in results for s in r["table_page_seconds"].values())


def _speedup(dpi: int, level: str, giar: list[dict], baseline: list[dict]) -> dict:
    """Median seconds of the baseline over giar's, and the median over table pages of the
    same page's baseline seconds over giar's (pages read in both)."""
    paired = [base["table_page_seconds"][page] / ours["table_page_seconds"][page]
              for ours, base in zip(giar, baseline, strict=True)
              for page in ours["table_page_seconds"].keys() & base["table_page_seconds"].keys()]
    return {"dpi": dpi, "level": level,
            "of_medians": _median_page_seconds(baseline) / _median_page_seconds(giar),
            "per_page": statistics.median(paired)}


def _run(command: list[str]):
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=("giar", "whole-page"), default=None)
    parser.add_argument("--doc", help="measure one document (internal)")
    parser.add_argument("--limit", type=int, help="documents per DPI/degradation group")
    args = parser.parse_args()
    if args.doc:
        print(json.dumps(measure_document(args.method, args.doc)))
        return
    methods = [args.method] if args.method else ["giar", "whole-page"]
    rows, speedups = measure(methods, args.limit)
    print("| method | DPI | scans | docs | cell accuracy | cells wrong | docs fully right "
          "| median s/table page | peak MB per document |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['method']} | {r['dpi']} | {r['level']} | {r['documents']} | {r['cell_accuracy']:.2%} "
              f"| {r['cells_wrong']} | {r['documents_fully_right']}/{r['documents']} "
              f"| {r['median_s_per_table_page']:.2f} | {r['peak_memory_mb']:.0f} |")
    if speedups:
        print("\n| DPI | scans | whole-page / giar, of the medians | per table page (median) |")
        print("|---|---|---|---|")
        for r in speedups:
            print(f"| {r['dpi']} | {r['level']} | {r['of_medians']:.2f}× | {r['per_page']:.2f}× |")


if __name__ == "__main__":
    main()
