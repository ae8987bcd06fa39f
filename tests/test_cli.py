"""The command line in-process: output, exit codes, bad input, batch mode."""

import json
from pathlib import Path

import pymupdf
import pytest
from fixtures.loader import load_manifest

from giar import __version__
from giar.cli import main
from giar.errors import ExitCode

DOCS = {d.id: d for d in load_manifest()}
GOOD = DOCS["g2021-001"].files[0]
BROKEN = next(d for d in DOCS.values() if d.kind == "pdf_text" and d.broken).files[0]


def test_writes_json_to_the_output_file(tmp_path):
    out = tmp_path / "out.json"
    assert main([str(GOOD), "-o", str(out), "--ocr", "never"]) == ExitCode.OK
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == "1"
    assert set(data) >= {"source", "report", "sections", "tables", "cells", "validation", "pages"}
    assert data["report"] == DOCS["g2021-001"].truth["report"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary left behind


def test_writes_json_to_stdout_without_output(capsys):
    assert main([str(GOOD), "--pretty", "--ocr", "never"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.startswith("{\n  ")
    assert json.loads(out)["tables"] == DOCS["g2021-001"].truth["tables"]


def test_strict_fails_on_validation_errors(tmp_path, capsys):
    assert main([str(BROKEN), "-o", str(tmp_path / "b.json"), "--ocr", "never"]) == ExitCode.OK
    assert main([str(BROKEN), "-o", str(tmp_path / "b.json"), "--strict", "--ocr", "never"]) == \
        ExitCode.VALIDATION_FAILED
    assert "validation error" in capsys.readouterr().err


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"giar-extract {__version__}"


def test_usage_error():
    assert main([]) == ExitCode.USAGE


def _not_a_report(tmp_path: Path) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Quarterly newsletter")
    path = tmp_path / "newsletter.pdf"
    doc.save(path)
    return path


def _encrypted(tmp_path: Path) -> Path:
    doc = pymupdf.open(GOOD)
    path = tmp_path / "locked.pdf"
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    return path


def _truncated(tmp_path: Path) -> Path:
    path = tmp_path / "truncated.pdf"
    path.write_bytes(GOOD.read_bytes()[:2000])
    return path


def _zero_pages(tmp_path: Path) -> Path:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                     b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return path


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (lambda p: p / "missing.pdf", ExitCode.INPUT_NOT_FOUND, "no such file"),
        (lambda p: p, ExitCode.INPUT_NOT_FOUND, "directory"),
        (lambda p: (p / "notes.pdf").write_text("just text") and p / "notes.pdf",
         ExitCode.INVALID_INPUT, "not a PDF"),
        (lambda p: (p / "empty.bin").write_bytes(b"") or p / "empty.bin", ExitCode.INVALID_INPUT, "empty"),
        (_truncated, ExitCode.INVALID_INPUT, "truncated"),
        (_zero_pages, ExitCode.INVALID_INPUT, "no pages"),
        (_encrypted, ExitCode.ENCRYPTED, "password"),
        (_not_a_report, ExitCode.NOT_A_REPORT, "no GIAR statistical table"),
    ],
    ids=["missing", "directory", "not-pdf", "empty-file", "truncated", "zero-pages", "encrypted",
         "not-a-report"],
)
def test_bad_input_one_line_exit_code_and_no_output(tmp_path, capsys, make, code, words):
    source = tmp_path / "in"
    source.mkdir()
    bad = make(source)
    out = tmp_path / "out.json"
    assert main([str(bad), "-o", str(out), "--ocr", "never"]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert not out.exists()


def test_batch_continues_past_a_bad_file(tmp_path, capsys):
    missing = tmp_path / "missing.pdf"
    out_dir = tmp_path / "out"
    code = main([str(missing), str(GOOD), "--out-dir", str(out_dir), "--ocr", "never"])
    assert code == ExitCode.INPUT_NOT_FOUND
    assert [p.name for p in out_dir.iterdir()] == [f"{GOOD.stem}.json"]
    assert "missing.pdf: no such file" in capsys.readouterr().err


def test_unwritable_output_is_a_clean_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main([str(GOOD), "-o", str(blocker / "out.json"), "--ocr", "never"]) == ExitCode.OUTPUT_ERROR
    assert "cannot write" in capsys.readouterr().err
