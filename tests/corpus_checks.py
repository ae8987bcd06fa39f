"""Comparison of an extraction with a corpus ground truth, shared by the end-to-end tests."""

from __future__ import annotations

from giar.schema import GiarReport


def cell_mismatches(report: GiarReport, truth: dict) -> list[tuple[str, object, object]]:
    """(key, expected, got) for every cell that differs, including missing and extra cells."""
    got = report.tables.model_dump()
    keys = {
        (table, row, col)
        for source in (got, truth["tables"])
        for table, rows in source.items()
        for row, cols in rows.items()
        for col in cols
    }
    out = []
    for table, row, col in sorted(keys):
        expected = truth["tables"].get(table, {}).get(row, {}).get(col, "ABSENT")
        actual = got.get(table, {}).get(row, {}).get(col, "ABSENT")
        if expected != actual or type(expected) is not type(actual):
            out.append((f"{table}.{row}.{col}", expected, actual))
    return out


def error_rules(report: GiarReport) -> set[tuple[str, frozenset[str]]]:
    return {(i.rule, frozenset(i.cells)) for i in report.validation.issues if i.severity == "error"}


def expected_error_rules(truth: dict) -> set[str]:
    return {b["rule"] for inc in truth.get("inconsistencies", []) for b in inc["broken"]}
