"""Benchmark on the born-digital (text-layer) corpus: giar-extract vs a pdfplumber baseline.

    python bench/bench_text.py            # both methods, each in its own process (peak memory)
    python bench/bench_text.py --method giar --limit 10

The baseline takes pdfplumber's ``find_tables()`` cells and text and feeds them to the same
readers (label mapping, header reconstruction, stitching) and validator as giar-extract, so the
comparison isolates the grid and cell-text stages.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fixtures.loader import load_manifest  # noqa: E402
from tests.corpus_checks import cell_mismatches, error_rules, expected_error_rules  # noqa: E402

from giar.pipeline import ExtractOptions, extract  # noqa: E402
from giar.schema import GiarReport  # noqa: E402


def run_giar(path: Path) -> GiarReport:
    return extract(path, ExtractOptions(ocr="never"))


def run_baseline(path: Path) -> GiarReport:
    from bench.plumber_baseline import extract_with_pdfplumber

    return extract_with_pdfplumber(path)


METHODS = {"giar": run_giar, "pdfplumber": run_baseline}


def measure(method: str, limit: int | None) -> dict:
    docs = [d for d in load_manifest() if d.kind == "pdf_text"][:limit]
    run = METHODS[method]
    cells = wrong = fully_right = verdicts_right = pages = 0
    seconds_per_doc: list[float] = []
    seconds_per_page: list[float] = []
    for doc in docs:
        start = time.perf_counter()
        report = run(doc.files[0])
        elapsed = time.perf_counter() - start
        seconds_per_doc.append(elapsed)
        seconds_per_page.append(elapsed / report.source.pages)
        pages += report.source.pages
        n_cells = sum(len(cols) for rows in doc.truth["tables"].values() for cols in rows.values())
        mismatches = cell_mismatches(report, doc.truth)
        cells += n_cells
        wrong += len(mismatches)
        verdict_right = {r for r, _ in error_rules(report)} == expected_error_rules(doc.truth)
        verdicts_right += verdict_right
        fully_right += not mismatches and verdict_right and report.report.model_dump() == doc.truth["report"]
    return {
        "method": method,
        "documents": len(docs),
        "pages": pages,
        "cell_accuracy": (cells - wrong) / cells,
        "cells_wrong": wrong,
        "documents_fully_right": fully_right,
        "validator_verdicts_right": verdicts_right,
        "median_s_per_document": statistics.median(seconds_per_doc),
        "median_s_per_page": statistics.median(seconds_per_page),
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=sorted(METHODS))
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    if args.method:
        print(json.dumps(measure(args.method, args.limit)))
        return
    rows = []
    for method in METHODS:
        command = [sys.executable, __file__, "--method", method]
        if args.limit:
            command += ["--limit", str(args.limit)]
        rows.append(json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout))
    _print_table(rows)


def _print_table(rows: list[dict]) -> None:
    print(f"text-layer corpus: {rows[0]['documents']} documents, {rows[0]['pages']} pages")
    print("| method | cell accuracy | cells wrong | docs fully right | validator verdicts right "
          "| median s/doc | median s/page | peak MB |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['method']} | {r['cell_accuracy']:.2%} | {r['cells_wrong']} "
              f"| {r['documents_fully_right']}/{r['documents']} "
              f"| {r['validator_verdicts_right']}/{r['documents']} | {r['median_s_per_document']:.3f} "
              f"| {r['median_s_per_page']:.3f} | {r['peak_memory_mb']:.0f} |")


if __name__ == "__main__":
    main()
