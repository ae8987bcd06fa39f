"""Validator: checks extracted tables against the template's identities and value rules.

It reports; it never rewrites a printed number. Input is the canonical values (``Tables``) and
their provenance (``CellRecord``); output is a :class:`giar.schema.Validation`. Identities come
from :func:`giar.canonical.identities` and are evaluated generically (``sum(lhs)`` vs
``sum(rhs)``). Every rule id this module can emit is listed in :data:`RULES`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from giar.canonical import (
    ACTIVE,
    ACTIVE_COLUMN_LABELS_2019,
    ACTIVE_COLUMN_LABELS_2021,
    ACTIVE_SUBTABLES,
    APPLICANT_COLUMN_LABELS,
    APPLICATION_ROWS,
    APPLICATIONS,
    DECIMAL_COLUMNS,
    REVIEW,
    REVIEW_BLOCK_LABELS,
    REVIEW_COLUMN_LABELS,
    RULE_BALANCE,
    RULE_RESULTS_TOTAL,
    RULE_REVIEW_TOTAL,
    RULE_ROW_TOTAL,
    SIGNED_COLUMNS,
    TABLE_NAMES,
    ApplicationRow,
    Generation,
    Identity,
    cell_keys,
    identities,
)
from giar.schema import CellRecord, Issue, Number, Tables, Validation
from giar.tables.values import parse_value

Severity = Literal["error", "warning"]

# Cells read with less confidence than this get a value.low_confidence warning.
LOW_CONFIDENCE_THRESHOLD = 0.90
# Absolute tolerance when an identity or a comparison involves decimal (money) values.
DECIMAL_TOLERANCE = 1e-6

RULE_CELL_MISSING = "cell.missing"
RULE_TABLE_MISSING = "table.missing"
RULE_NOT_INTEGER = "value.not_integer"
RULE_NEGATIVE = "value.negative"
RULE_UNEXPECTED_SIGN = "value.unexpected_sign"
RULE_UNPARSED = "value.unparsed"
RULE_PUBLISHED_EXCEEDS_TOTAL = "active_disclosure.published_exceeds_total"
RULE_POSITIONAL_FALLBACK = "label.positional_fallback"
RULE_LOW_CONFIDENCE = "value.low_confidence"
RULE_UNIT_IN_CELL = "value.unit_in_cell"
RULE_BLANK_ON_SCAN = "value.blank_on_scan"
RULE_SIGN_ON_SCAN = "value.sign_on_scan"
RULE_TITLE_LOW_CONFIDENCE = "report.low_confidence"
RULE_ORGANIZATION_NOT_IN_BODY = "report.organization_not_in_body"
RULE_YEAR_NOT_IN_BODY = "report.year_not_in_body"
# Unit of the money columns (本年收费金额 and 采购总金额 are in 万元 in the template).
MONEY_UNIT = "万元"


@dataclass(frozen=True)
class Rule:
    """A public rule id with its severity and what it checks."""

    id: str
    severity: Severity
    meaning: str


RULES: tuple[Rule, ...] = (
    Rule(RULE_BALANCE, "error",
         "Section 三, per column: 一 + 二 = （七）总计 + 四 (T3-BAL, printed in the corner cell)"),
    Rule(RULE_ROW_TOTAL, "error",
         "Section 三, per row: 总计 = sum of the six applicant columns (T3-ROW)"),
    Rule(RULE_RESULTS_TOTAL, "error",
         "Section 三, per column: （七）总计 = sum of the result leaf rows, 19 in 2019 / 21 in "
         "2021 (T3-RES)"),
    Rule(RULE_REVIEW_TOTAL, "error",
         "Section 四, per block: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 (T4-SUM)"),
    Rule(RULE_NOT_INTEGER, "error",
         "A count column holds a non-integer value (decimals only in money columns)"),
    Rule(RULE_NEGATIVE, "error", "A negative value outside the signed 本年增/减 column"),
    Rule(RULE_UNEXPECTED_SIGN, "warning",
         "Printed text has an explicit '+' in an unsigned column (shifted column or typo)"),
    Rule(RULE_UNPARSED, "warning",
         "Printed text is neither blank nor a placeholder (-, /, —) yet gave no number (garbled)"),
    Rule(RULE_PUBLISHED_EXCEEDS_TOTAL, "warning",
         "2019 section 二: 本年新公开数量 > 对外公开总数量 for 规章 or 规范性文件"),
    Rule(RULE_POSITIONAL_FALLBACK, "warning",
         "Cells placed by template order because their labels were damaged; check them"),
    Rule(RULE_LOW_CONFIDENCE, "warning",
         f"A cell read with confidence below {LOW_CONFIDENCE_THRESHOLD:.2f}"),
    Rule(RULE_TITLE_LOW_CONFIDENCE, "warning",
         "The title, which gives report.organization and report.year, was read with "
         f"confidence below {LOW_CONFIDENCE_THRESHOLD:.2f}"),
    Rule(RULE_ORGANIZATION_NOT_IN_BODY, "warning",
         "The body never names the title's organization but names one a character or two "
         "apart: one of them is misread or misprinted"),
    Rule(RULE_YEAR_NOT_IN_BODY, "warning",
         "The 统计期限 sentence gives another year than the title"),
    Rule(RULE_BLANK_ON_SCAN, "warning",
         "Cells of a scanned page read as blank: a 0 or 1 whose print faded away reads the same"),
    Rule(RULE_SIGN_ON_SCAN, "warning",
         "A 本年增/减 read from a scan with no sign while the report's other changes print "
         "theirs: a faded '-' leaves a number that reads as sure as a printed one"),
    Rule(RULE_UNIT_IN_CELL, "warning",
         f"A money cell prints its own unit, not the column's {MONEY_UNIT}; the value is kept as printed"),
    Rule(RULE_CELL_MISSING, "warning",
         "A canonical cell of a found table is absent; identities that need it are skipped"),
    Rule(RULE_TABLE_MISSING, "warning",
         "One of the three tables every report has was not found or holds no cell; its checks are skipped"),
)
_SEVERITY: dict[str, Severity] = {rule.id: rule.severity for rule in RULES}

# Printed texts that mean "no number" on purpose (blank, dash, slash, em dash, and their
# full-width or doubled forms).
_PLACEHOLDER = re.compile(r"^[\s\-/—–－／]*$")
_EXPLICIT_PLUS = re.compile(r"^\s*[+＋]")
_SIGN = re.compile(r"^\s*[+＋\-－—–]")


def rules_markdown() -> str:
    """The rule table as Markdown, for the README."""
    lines = ["| rule | severity | meaning |", "|---|---|---|"]
    lines += [f"| `{rule.id}` | {rule.severity} | {rule.meaning} |" for rule in RULES]
    return "\n".join(lines) + "\n"


def validate(
    tables: Tables,
    cells: Sequence[CellRecord],
    active: Generation | None,
    applications: Generation | None,
    applications_told: bool = True,
    title_confidence: float = 1.0,
    organization_in_body: str | None = None,
    year_in_body: int | None = None,
) -> Validation:
    """Check ``tables`` (with provenance ``cells``) and report every issue found.

    ``active``/``applications`` are the detected generations of section 二 / 三 (None when the
    table was not found); they differ in a "mixed" report. ``applications_told``: False when
    section 三's generation was guessed (the rows that differ were lost), so a cell of either
    layout may be the one missing. ``title_confidence``: how sure the reading of the title
    (organization and year) was; ``organization_in_body``/``year_in_body``: what the body
    says instead, when it disagrees with the title.
    """
    values = _flatten(tables)
    records = {record.key: record for record in cells}
    issues = [
        *_missing_issues(tables, values, active, applications if applications_told else None),
        *_identity_issues(values, records, applications),
        *_value_issues(values),
        *_printed_text_issues(values, cells),
        *_active_disclosure_issues(values, active),
        *_placement_issues(cells),
        *_low_confidence_issues(cells),
        *_blank_on_scan_issues(cells),
        *_sign_on_scan_issues(cells),
        *_title_issues(title_confidence),
        *_title_against_body_issues(organization_in_body, year_in_body),
    ]
    return Validation(valid=not any(issue.severity == "error" for issue in issues), issues=issues)


def _issue(rule: str, message: str, cells: Iterable[str], **extra: object) -> Issue:
    return Issue(rule=rule, severity=_SEVERITY[rule], message=message, cells=list(cells), **extra)


def _flatten(tables: Tables) -> dict[str, Number | None]:
    return {
        f"{table}.{row}.{col}": value
        for table in TABLE_NAMES
        for row, columns in getattr(tables, table).items()
        for col, value in columns.items()
    }


def _split_key(key: str) -> tuple[str, str, str]:
    table, row, col = key.split(".")
    return table, row, col


# ---------------------------------------------------------------- missing tables and cells


def _expected_keys(
    active: Generation | None, applications: Generation | None
) -> dict[str, list[str]]:
    """Every report has all three tables; their canonical keys. Where a table's generation
    could not be told (a damaged table), the keys of either generation: any of them may be
    the one that was lost."""
    return {
        ACTIVE: _keys_of(ACTIVE, active),
        APPLICATIONS: _keys_of(APPLICATIONS, applications),
        # Section 四 has the same layout in both generations.
        REVIEW: cell_keys(REVIEW, Generation.G2021),
    }


def _keys_of(table: str, generation: Generation | None) -> list[str]:
    if generation is not None:
        return cell_keys(table, generation)
    newer = cell_keys(table, Generation.G2021)
    seen = set(newer)
    return newer + [key for key in cell_keys(table, Generation.G2019) if key not in seen]


def _missing_issues(
    tables: Tables,
    values: dict[str, Number | None],
    active: Generation | None,
    applications: Generation | None,
) -> Iterator[Issue]:
    for table, keys in _expected_keys(active, applications).items():
        if not getattr(tables, table):
            yield _issue(RULE_TABLE_MISSING,
                         f"{table}: table not found or empty; its checks were skipped", [])
            continue
        for key in keys:
            if key not in values:
                yield _issue(RULE_CELL_MISSING,
                             f"{key}: cell absent from the table; identities using it were skipped",
                             [key])


# ---------------------------------------------------------------- identities


@dataclass(frozen=True)
class _Side:
    """One side of an identity with its values (None = blank)."""

    keys: tuple[str, ...]
    values: tuple[Number | None, ...]

    @property
    def total(self) -> Number:
        return sum(value for value in self.values if value is not None)


def _identity_issues(
    values: dict[str, Number | None],
    records: dict[str, CellRecord],
    applications: Generation | None,
) -> Iterator[Issue]:
    for identity in identities(applications):
        issue = _check_identity(identity, values, records)
        if issue is not None:
            yield issue


def _check_identity(
    identity: Identity, values: dict[str, Number | None], records: dict[str, CellRecord]
) -> Issue | None:
    if any(key not in values for key in identity.cells):
        return _check_partial_identity(identity, values)  # the absence: cell.missing
    if all(values[key] is None for key in identity.cells):
        return None  # an empty table says nothing
    lhs = _Side(identity.lhs, tuple(values[k] for k in identity.lhs))
    rhs = _Side(identity.rhs, tuple(values[k] for k in identity.rhs))
    if _equal(lhs.total, rhs.total):
        return None
    reference, checked = _orient(lhs, rhs)
    blanks = [key for key in identity.cells if values[key] is None]
    axis = _axis(identity)
    message = f"{axis.subject()}: {_describe(reference, axis)} but {_describe(checked, axis)}"
    if blanks:
        message += f"; blank cells counted as 0: {', '.join(blanks)}"
    return _issue(
        identity.rule, message, identity.cells,
        expected=reference.total, actual=checked.total,
        suggestion=_suggestion(lhs, rhs, values, records),
    )


def _check_partial_identity(identity: Identity, values: dict[str, Number | None]) -> Issue | None:
    """An identity with cells absent from one side only still bounds the other: its terms are
    counts, never negative, so the complete side is at least what the cells found on the other
    side add up to. A misread or misplaced number in a row whose other cells are missing is
    caught this way (a total of 0 beside a part of 310)."""
    lhs_absent = any(key not in values for key in identity.lhs)
    rhs_absent = any(key not in values for key in identity.rhs)
    if lhs_absent == rhs_absent:
        return None
    complete_keys, partial_keys = (identity.rhs, identity.lhs) if lhs_absent else (
        identity.lhs, identity.rhs)
    found_keys = tuple(key for key in partial_keys if key in values)
    complete = _Side(complete_keys, tuple(values[key] for key in complete_keys))
    found = _Side(found_keys, tuple(values[key] for key in found_keys))
    if not found_keys or complete.total >= found.total or _equal(complete.total, found.total):
        return None
    axis = _axis(identity)
    absent = [key for key in partial_keys if key not in values]
    message = (f"{axis.subject()}: {_describe(complete, axis)} but the cells found on the other "
               f"side already add up to more: {_describe(found, axis)} "
               f"(absent: {', '.join(absent)})")
    return _issue(identity.rule, message, complete_keys + found_keys,
                  expected=complete.total, actual=found.total)


def _equal(a: Number, b: Number) -> bool:
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return math.isclose(a, b, rel_tol=0.0, abs_tol=DECIMAL_TOLERANCE)


def _orient(lhs: _Side, rhs: _Side) -> tuple[_Side, _Side]:
    """(reference, checked): the side reported as ``expected`` and the one reported as ``actual``.

    A single-cell side is a printed total, checked against the sum of its parts. In the balance
    (一+二 vs （七）总计+四) the applications received are the reference.
    """
    if len(lhs.keys) == 1 and len(rhs.keys) > 1:
        return rhs, lhs
    return lhs, rhs


def _describe(side: _Side, axis: _Axis) -> str:
    labels = "+".join(axis.term_label(key) for key in side.keys)
    if len(side.keys) == 1:
        return f"{labels} = {_format(side.values[0])}"
    numbers = "+".join(_format(value) for value in side.values)
    return f"{labels} = {numbers} = {_format(side.total)}"


def _format(value: Number | None) -> str:
    if value is None:
        return "blank"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _suggestion(
    lhs: _Side, rhs: _Side, values: dict[str, Number | None], records: dict[str, CellRecord]
) -> dict[str, Number] | None:
    """The value that makes the identity hold, when exactly one cell is in doubt.

    Only when no cell is blank (a blank is another unknown) and exactly one cell has low
    confidence; never a negative or fractional count.
    """
    keys = lhs.keys + rhs.keys
    if any(values[key] is None for key in keys):
        return None
    doubtful = [key for key in keys if _is_low_confidence(records.get(key))]
    if len(doubtful) != 1 or keys.count(doubtful[0]) != 1:
        return None
    key = doubtful[0]
    current = values[key]
    assert current is not None
    if key in lhs.keys:
        needed = current + rhs.total - lhs.total
    else:
        needed = current + lhs.total - rhs.total
    if _value_problem(key, needed) is not None:
        return None
    return {key: needed}


# ---------------------------------------------------------------- labels for messages


@dataclass(frozen=True)
class _Axis:
    """How an identity's terms are told apart: by row (it runs down one column) or by column."""

    table: str
    by_row: bool
    fixed: str  # the shared column (by_row) or the shared row

    def term_label(self, key: str) -> str:
        _, row, col = _split_key(key)
        return _row_short_label(self.table, row) if self.by_row else _column_label(self.table, col)

    def subject(self) -> str:
        """ "自然人 column", "（七）总计 row", "行政复议"."""
        if self.by_row:
            return f"{_column_label(self.table, self.fixed)} column"
        if self.table == REVIEW:
            return REVIEW_BLOCK_LABELS.get(self.fixed, self.fixed)
        return f"{_row_title(self.table, self.fixed)} row"


def _axis(identity: Identity) -> _Axis:
    tables, rows, cols = zip(*(_split_key(key) for key in identity.cells), strict=True)
    if len(set(cols)) == 1:
        return _Axis(tables[0], by_row=True, fixed=cols[0])
    return _Axis(tables[0], by_row=False, fixed=rows[0])


def _application_rows() -> dict[str, ApplicationRow]:
    return {row.key: row for rows in APPLICATION_ROWS.values() for row in rows}


_APPLICATION_ROWS = _application_rows()
_COLUMN_LABELS: dict[str, dict[str, str]] = {
    APPLICATIONS: APPLICANT_COLUMN_LABELS,
    REVIEW: REVIEW_COLUMN_LABELS,
    ACTIVE: {**ACTIVE_COLUMN_LABELS_2019, **ACTIVE_COLUMN_LABELS_2021},
}


def _column_label(table: str, col: str) -> str:
    return _COLUMN_LABELS.get(table, {}).get(col, col)


def _row_title(table: str, row: str) -> str:
    """Row label for a message subject: "（三）1.属于国家秘密", "（二）部分公开"."""
    spec = _APPLICATION_ROWS.get(row) if table == APPLICATIONS else None
    if spec is None:
        return row
    if spec.group:
        return _numeral_prefix(spec.group) + spec.label
    return _without_note(spec.label)


def _row_short_label(table: str, row: str) -> str:
    """Row label for a term: "一", "（一）予以公开", "（三）1", "（七）总计", "四"."""
    spec = _APPLICATION_ROWS.get(row) if table == APPLICATIONS else None
    if spec is None:
        return row
    if spec.group:
        return _numeral_prefix(spec.group) + spec.label.split(".")[0]
    if "、" in spec.label:
        return spec.label.split("、")[0]
    return _without_note(spec.label)


def _numeral_prefix(label: str) -> str:
    """ "（三）不予公开" → "（三）"."""
    end = label.find("）")
    return label[: end + 1] if end >= 0 else label


def _without_note(label: str) -> str:
    """ "（二）部分公开（区分处理的，…）" → "（二）部分公开"."""
    note = label.find("（", len(_numeral_prefix(label)))
    return label[:note] if note > 0 else label


# ---------------------------------------------------------------- single values


def _value_problem(key: str, value: Number) -> str | None:
    """The rule a single value breaks, if any."""
    table, _, col = _split_key(key)
    if (table, col) not in DECIMAL_COLUMNS and isinstance(value, float) and not value.is_integer():
        return RULE_NOT_INTEGER
    if (table, col) not in SIGNED_COLUMNS and value < 0:
        return RULE_NEGATIVE
    return None


def _value_issues(values: dict[str, Number | None]) -> Iterator[Issue]:
    for key, value in values.items():
        if value is None:
            continue
        problem = _value_problem(key, value)
        if problem == RULE_NOT_INTEGER:
            yield _issue(problem, f"{key}: {_format(value)} in a count column (must be an integer)",
                         [key], actual=value)
        elif problem == RULE_NEGATIVE:
            yield _issue(problem, f"{key}: negative value {_format(value)} in an unsigned column",
                         [key], actual=value)


def _printed_text_issues(
    values: dict[str, Number | None], cells: Sequence[CellRecord]
) -> Iterator[Issue]:
    for record in cells:
        table, _, col = _split_key(record.key)
        value = values.get(record.key, record.value)
        if _EXPLICIT_PLUS.match(record.raw) and (table, col) not in SIGNED_COLUMNS:
            yield _issue(RULE_UNEXPECTED_SIGN,
                         f"{record.key}: printed {record.raw!r} has a '+' in a column that is not "
                         "signed (shifted column or typo?)", [record.key])
        unit = parse_value(record.raw).unit
        if (table, col) in DECIMAL_COLUMNS and unit is not None and unit != MONEY_UNIT:
            yield _issue(RULE_UNIT_IN_CELL,
                         f"{record.key}: printed {record.raw!r} in {unit} while the column is in "
                         f"{MONEY_UNIT}; the value is kept as printed", [record.key], actual=value)
        if value is None and not _PLACEHOLDER.match(record.raw):
            yield _issue(RULE_UNPARSED,
                         f"{record.key}: printed {record.raw!r} gave no number (garbled?)",
                         [record.key])


def _active_disclosure_issues(
    values: dict[str, Number | None], active: Generation | None
) -> Iterator[Issue]:
    if active is not Generation.G2019:
        return
    first_block = ACTIVE_SUBTABLES[Generation.G2019][0]  # 第二十条第（一）项
    for row in first_block.rows:
        published_key = f"{ACTIVE}.{row.key}.published"
        total_key = f"{ACTIVE}.{row.key}.total_published"
        published, total = values.get(published_key), values.get(total_key)
        if published is None or total is None or published <= total:
            continue
        yield _issue(
            RULE_PUBLISHED_EXCEEDS_TOTAL,
            f"{row.label}: 本年新公开数量 {_format(published)} > 对外公开总数量 {_format(total)}",
            [published_key, total_key], expected=total, actual=published,
        )


# ---------------------------------------------------------------- provenance


def _is_low_confidence(record: CellRecord | None) -> bool:
    return record is not None and record.confidence < LOW_CONFIDENCE_THRESHOLD


def _placement_issues(cells: Sequence[CellRecord]) -> Iterator[Issue]:
    positional = [record.key for record in cells if record.placement == "position"]
    if positional:
        yield _issue(
            RULE_POSITIONAL_FALLBACK,
            f"{len(positional)} cells were placed by template order because their labels were "
            f"damaged; check them: {', '.join(positional)}",
            positional,
        )


def _low_confidence_issues(cells: Sequence[CellRecord]) -> Iterator[Issue]:
    for record in cells:
        if _is_low_confidence(record):
            yield _issue(
                RULE_LOW_CONFIDENCE,
                f"{record.key}: read {record.raw!r} with confidence {record.confidence:.2f} "
                f"(< {LOW_CONFIDENCE_THRESHOLD:.2f})",
                [record.key],
            )


def _title_issues(confidence: float) -> Iterator[Issue]:
    if confidence < LOW_CONFIDENCE_THRESHOLD:
        yield _issue(RULE_TITLE_LOW_CONFIDENCE,
                     f"the title was read with confidence {confidence:.2f} "
                     f"(< {LOW_CONFIDENCE_THRESHOLD:.2f}): the organization or year may be "
                     "misread", ["report.organization", "report.year"])


def _title_against_body_issues(organization_in_body: str | None,
                               year_in_body: int | None) -> Iterator[Issue]:
    if organization_in_body is not None:
        yield _issue(RULE_ORGANIZATION_NOT_IN_BODY,
                     f"the body never names the title's organization; it names "
                     f"{organization_in_body!r}: check report.organization",
                     ["report.organization"])
    if year_in_body is not None:
        yield _issue(RULE_YEAR_NOT_IN_BODY,
                     f"the 统计期限 sentence gives the year {year_in_body}, the title another: "
                     "check report.year", ["report.year"])


def _sign_on_scan_issues(cells: Sequence[CellRecord]) -> Iterator[Issue]:
    """One warning naming every unsigned non-zero value of a signed column that OCR read,
    when another value of those columns in the report prints its sign ("+6"): the office
    signs its changes, so this one lost its sign on the way ("-134" read as a sure 134)."""
    signed = [record for record in cells if _signed_column(record.key)]
    if not any(_SIGN.match(record.raw) for record in signed):
        return
    unsigned = [record.key for record in signed
                if record.source == "ocr" and record.value not in (None, 0)
                and not _SIGN.match(record.raw)]
    if unsigned:
        yield _issue(RULE_SIGN_ON_SCAN,
                     f"{len(unsigned)} change(s) read from a scan without the sign the others "
                     "print; a faded '-' reads the same: check them", unsigned)


def _signed_column(key: str) -> bool:
    table, _, col = _split_key(key)
    return (table, col) in SIGNED_COLUMNS


def _blank_on_scan_issues(cells: Sequence[CellRecord]) -> Iterator[Issue]:
    """One warning naming every blank cell that OCR read: a blank on paper and a digit that
    left no ink look alike on a scan, so a reviewer should see them (a text layer's blank is
    certain and is not named)."""
    blanks = [record.key for record in cells
              if record.source == "ocr" and not record.raw.strip()]
    if blanks:
        yield _issue(RULE_BLANK_ON_SCAN,
                     f"{len(blanks)} cell(s) read as blank from a scanned page; a faded 0 or 1 "
                     "reads the same: check them", blanks)
