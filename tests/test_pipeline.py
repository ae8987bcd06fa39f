"""End to end on born-digital PDFs: the real Hongze report and the whole text-PDF corpus."""

import json
from pathlib import Path

import pytest
from fixtures.loader import load_manifest
from tests.corpus_checks import cell_mismatches, error_rules, expected_error_rules

from giar.pipeline import ExtractOptions, extract

SHARED = Path(__file__).resolve().parents[2] / "shared" / "real"
HONGZE = SHARED / "hongze-2024.pdf"
TEXT_DOCS = [d for d in load_manifest() if d.kind == "pdf_text"]
TEXT_ONLY = ExtractOptions(ocr="never")


@pytest.fixture(scope="module")
def hongze():
    if not HONGZE.exists():
        pytest.skip(f"{HONGZE} not available (shared/ sits beside the repo)")
    return extract(HONGZE, TEXT_ONLY)


def test_hongze_every_cell_matches_the_hand_made_truth(hongze):
    truth = json.loads(HONGZE.with_name("hongze-2024.truth.json").read_text(encoding="utf-8"))
    assert cell_mismatches(hongze, truth) == []
    assert hongze.report.model_dump() == truth["report"]


def test_hongze_is_consistent_and_fully_placed_by_label(hongze):
    assert hongze.validation.valid
    assert hongze.validation.issues == []
    assert all(cell.placement == "label" for cell in hongze.cells)
    assert len(hongze.cells) == 10 + 161 + 15


def test_hongze_provenance_points_at_the_printed_cell(hongze):
    fee = next(c for c in hongze.cells if c.key == "active_disclosure.fees.amount")
    assert (fee.value, fee.raw, fee.page, fee.source) == (7545, "7545", 3, "text")
    x0, top, x1, bottom = fee.bbox
    assert 200 < x0 < x1 < 520 and 0 < top < bottom < 842
    granted = next(c for c in hongze.cells if c.key == "applications.granted.total")
    assert (granted.value, granted.page) == (50, 3)
    review = next(c for c in hongze.cells if c.key == "review_litigation.litigation_after_review.total")
    assert (review.value, review.page) == (3, 4)


def test_hongze_pages_and_sections(hongze):
    assert [p.tables for p in hongze.pages] == [
        [], ["active_disclosure"], ["active_disclosure", "applications"],
        ["applications", "review_litigation"], []]
    assert hongze.sections.overview.startswith("2024年，淮安市洪泽区人民政府坚持")
    assert hongze.sections.other.endswith("全年收取政府信息公开信息处理费0元。")
    assert "- 3 -" not in hongze.sections.problems


@pytest.mark.parametrize("doc", TEXT_DOCS, ids=[d.id for d in TEXT_DOCS])
def test_corpus_document(doc):
    report = extract(doc.files[0], TEXT_ONLY)
    assert cell_mismatches(report, doc.truth) == []
    assert report.report.model_dump() == doc.truth["report"]
    assert {rule for rule, _ in error_rules(report)} == expected_error_rules(doc.truth)
    for inconsistency in doc.truth["inconsistencies"]:
        flagged = [cells for _, cells in error_rules(report) if inconsistency["cell"] in cells]
        assert len(flagged) == len(inconsistency["broken"])
    raws = {cell.key: cell.raw for cell in report.cells}
    for key, raw in doc.truth.get("raw", {}).items():
        assert raws[key].replace(" ", "") == raw.replace(" ", "")


SHANGHAI = SHARED / "shanghai-govoffice-2019.html"


def test_shanghai_web_page_2019_with_merged_cells_and_blank_totals():
    if not SHANGHAI.exists():
        pytest.skip(f"{SHANGHAI} not available")
    report = extract(SHANGHAI)
    assert report.report.model_dump() == {
        "organization": "上海市人民政府办公厅", "year": 2019, "template": "2019",
        "title": "2019年上海市人民政府办公厅政府信息公开工作年度报告"}
    tables = report.tables
    assert tables.active_disclosure["regulations"] == {"made": 13, "published": 13, "total_published": 524}
    assert tables.active_disclosure["procurement"] == {"items": 6, "amount": 251000}
    assert tables.applications["total_processed"]["total"] == 805
    assert tables.applications["new_received"]["total"] == 859
    assert tables.applications["granted"]["natural_person"] == 258
    assert tables.applications["granted"]["total"] is None  # blank as published
    assert tables.review_litigation["review"] == {
        "upheld": 5, "corrected": None, "other": None, "pending": 2, "total": 7}
    rules = {(i.rule, i.severity) for i in report.validation.issues}
    assert ("applications.row_total", "error") in rules  # the blank 总计 column is flagged
    assert ("applications.balance", "error") not in rules  # 859+18 = 805+72 holds
    assert ("value.unit_in_cell", "warning") in rules  # "251000元" in a 万元 column
    assert all(cell.bbox is None for cell in report.cells)  # no printed geometry on the web
