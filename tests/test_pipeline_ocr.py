"""End to end on scans: every scanned variant of the fixture corpus, and the real Hongze report
rendered and degraded as a scanner would. Runs the real RapidOCR engine (a few minutes)."""

import json
from pathlib import Path

import numpy as np
import pytest
from fixtures.generator import paper, scans
from fixtures.loader import load_manifest
from tests.corpus_checks import cell_mismatches, error_rules, expected_error_rules

from giar.cli import main
from giar.errors import ExitCode
from giar.pipeline import extract

pytestmark = pytest.mark.slow

SCAN_DOCS = [d for d in load_manifest() if d.kind != "pdf_text"]
HONGZE = Path(__file__).resolve().parents[2] / "shared" / "real" / "hongze-2024.pdf"


def _flagged(report) -> set[str]:
    return {key for issue in report.validation.issues for key in issue.cells}


@pytest.mark.parametrize("doc", SCAN_DOCS, ids=[d.id for d in SCAN_DOCS])
def test_scanned_document(doc):
    report = extract(list(doc.files) if len(doc.files) > 1 else doc.files[0])
    mismatches = cell_mismatches(report, doc.truth)
    # No silent error: every wrong value is named by a validation issue or a warning.
    assert [m for m in mismatches if m[0] not in _flagged(report)] == []
    # At most 2 of ~200 cells wrong on a heavily degraded scan, none on the others.
    allowed = 2 if doc.variations["degradation"] == "heavy" else 0
    assert len(mismatches) <= allowed, mismatches
    assert {p.method for p in report.pages} == {"ocr"}
    assert report.report.year == doc.truth["report"]["year"]
    assert report.report.template == doc.truth["report"]["template"]
    if not mismatches:
        assert {rule for rule, _ in error_rules(report)} == expected_error_rules(doc.truth)


@pytest.fixture(scope="module")
def hongze_scan(tmp_path_factory):
    if not HONGZE.exists():
        pytest.skip(f"{HONGZE} not available")
    rng = np.random.default_rng(7)
    pages = []
    for page in scans.rasterize_pdf(HONGZE, 200):
        degraded = scans.skew(page, 0.8)
        degraded = scans.uneven_lighting(degraded, "gradient", 0.25, rng)
        degraded = scans.add_noise(scans.blur(degraded, 0.8), 4.0, rng)
        pages.append(scans.jpeg_roundtrip(scans.to_gray(degraded), 70))
    path = tmp_path_factory.mktemp("scan") / "hongze-scan.pdf"
    scans.write_pdf(pages, path, 200, jpeg_quality=70)
    return path


def test_real_report_scanned_reads_every_cell(hongze_scan):
    truth = json.loads(HONGZE.with_name("hongze-2024.truth.json").read_text(encoding="utf-8"))
    report = extract(hongze_scan)
    assert cell_mismatches(report, truth) == []
    assert report.validation.valid
    assert (report.report.year, report.report.template) == (2024, "mixed")
    assert all(cell.source == "ocr" for cell in report.cells)
    assert all(0.0 < cell.confidence <= 1.0 for cell in report.cells)


def _printed_and_scanned(tmp_path, level: str, seed: int):
    rng = np.random.default_rng(seed)
    pages = paper.print_and_scan(scans.rasterize_pdf(HONGZE, 200), 200, level, rng, "color")
    return scans.write_pdf(pages, tmp_path / f"hongze-paper-{level}.pdf", 200, jpeg_quality=85)


@pytest.mark.parametrize(("level", "allowed_wrong"), [("mild", 0), ("heavy", 3)])
def test_real_report_printed_and_scanned_has_no_silent_errors(tmp_path, level, allowed_wrong):
    # Toner fade, show-through, a wavy sheet, an edge shadow and a seal on the last page.
    if not HONGZE.exists():
        pytest.skip(f"{HONGZE} not available")
    truth = json.loads(HONGZE.with_name("hongze-2024.truth.json").read_text(encoding="utf-8"))
    report = extract(_printed_and_scanned(tmp_path, level, seed=1))
    wrong = cell_mismatches(report, truth)
    named = {cell for issue in report.validation.issues for cell in issue.cells}
    assert len(wrong) <= allowed_wrong
    assert [key for key, _, _ in wrong if key not in named] == []


def test_page_images_given_as_pages_of_one_report(tmp_path):
    doc = next(d for d in SCAN_DOCS if d.kind == "png")
    out = tmp_path / "report.json"
    assert main([*map(str, doc.files), "-o", str(out)]) == ExitCode.OK
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["source"]["kind"] == "image"
    assert data["source"]["pages"] == len(doc.files)
    assert data["tables"]["applications"]["total_processed"] == \
        doc.truth["tables"]["applications"]["total_processed"]
    from PIL import Image

    sizes = {n + 1: Image.open(path).size for n, path in enumerate(doc.files)}
    for cell in data["cells"]:  # image inputs: boxes in pixels of the (upright) page
        width, height = sizes[cell["page"]]
        x0, top, x1, bottom = cell["bbox"]
        assert 0 <= x0 < x1 <= max(width, height) and 0 <= top < bottom <= max(width, height)


def test_images_cannot_be_read_without_ocr(tmp_path, capsys):
    doc = next(d for d in SCAN_DOCS if d.kind == "png")
    assert main([str(doc.files[0]), "--ocr", "never", "-o", str(tmp_path / "x.json")]) == \
        ExitCode.OCR_UNAVAILABLE
    assert "only be read with OCR" in capsys.readouterr().err


def test_missing_paddle_backend_is_a_clean_error(tmp_path, capsys):
    pytest.importorskip("PIL")
    try:
        import paddleocr  # noqa: F401
        pytest.skip("paddleocr is installed here")
    except ImportError:
        pass
    doc = next(d for d in SCAN_DOCS if d.kind == "png")
    out = tmp_path / "x.json"
    assert main([str(doc.files[0]), "--ocr-engine", "paddle", "-o", str(out)]) == ExitCode.OCR_UNAVAILABLE
    err = capsys.readouterr().err
    assert "giar-extract[paddle]" in err and err.count("\n") == 1
    assert not out.exists()
