import json
import random
from pathlib import Path

import pytest

from giar.canonical import (
    ACTIVE,
    APPLICANT_COLUMNS,
    APPLICATIONS,
    RESULT_LEAVES,
    REVIEW,
    REVIEW_BLOCKS,
    REVIEW_COLUMNS,
    Generation,
    active_layout,
    applications_layout,
)
from giar.schema import CellRecord, Issue, Tables
from giar.validate import (
    LOW_CONFIDENCE_THRESHOLD,
    RULES,
    rules_markdown,
    validate,
)

G19, G21 = Generation.G2019, Generation.G2021
HONGZE_TRUTH = Path("/work/shared/real/hongze-2024.truth.json")
PARTS = APPLICANT_COLUMNS[:-1]


# ---------------------------------------------------------------- consistent report builder


def consistent_tables(active: Generation, applications: Generation, seed: int = 7) -> Tables:
    """Every canonical key filled with random leaves and totals derived so all identities hold."""
    rng = random.Random(seed)
    return Tables(
        active_disclosure=_active_values(active, rng),
        applications=_application_values(applications, rng),
        review_litigation=_review_values(rng),
    )


def _active_values(generation: Generation, rng: random.Random) -> dict:
    values: dict = {}
    for row, cols in active_layout(generation).items():
        values[row] = {}
        for col in cols:
            if col == "amount":
                values[row][col] = round(rng.uniform(0, 500), 4)
            elif col == "change":
                values[row][col] = rng.randint(-20, 20)
            elif col == "total_published":
                values[row][col] = values[row]["published"] + rng.randint(0, 50)
            else:
                values[row][col] = rng.randint(0, 300)
    return values


def _application_values(generation: Generation, rng: random.Random) -> dict:
    leaves = RESULT_LEAVES[generation]
    rows = {leaf: {c: rng.randint(0, 40) for c in PARTS} for leaf in leaves}
    rows["carried_forward"] = {c: rng.randint(0, 10) for c in PARTS}
    rows["total_processed"] = {c: sum(rows[leaf][c] for leaf in leaves) for c in PARTS}
    rows["carried_over"] = {c: rng.randint(0, rows["total_processed"][c]) for c in PARTS}
    rows["new_received"] = {
        c: rows["total_processed"][c] + rows["carried_forward"][c] - rows["carried_over"][c]
        for c in PARTS
    }
    for row in rows.values():
        row["total"] = sum(row[c] for c in PARTS)
    layout = applications_layout(generation)
    return {key: {c: rows[key][c] for c in APPLICANT_COLUMNS} for key in layout}


def _review_values(rng: random.Random) -> dict:
    values: dict = {}
    for block in REVIEW_BLOCKS:
        parts = {c: rng.randint(0, 30) for c in REVIEW_COLUMNS[:-1]}
        values[block] = {**parts, "total": sum(parts.values())}
    return values


def records_for(tables: Tables, confidence: float = 0.99) -> list[CellRecord]:
    return [
        CellRecord(key=f"{table}.{row}.{col}", value=value,
                   raw="" if value is None else str(value), page=1, source="text",
                   confidence=confidence)
        for table in (ACTIVE, APPLICATIONS, REVIEW)
        for row, cols in getattr(tables, table).items()
        for col, value in cols.items()
    ]


def replace_record(records: list[CellRecord], key: str, **changes) -> list[CellRecord]:
    assert any(r.key == key for r in records), key
    return [r.model_copy(update=changes) if r.key == key else r for r in records]


def issues_of(issues: list[Issue], rule: str) -> list[Issue]:
    return [issue for issue in issues if issue.rule == rule]


# ---------------------------------------------------------------- consistent reports


@pytest.mark.parametrize(
    ("active", "applications"), [(G21, G21), (G19, G19), (G21, G19)], ids=["2021", "2019", "mixed"]
)
def test_consistent_report_is_valid_without_issues(active, applications):
    tables = consistent_tables(active, applications)
    assert ("other_processing" in tables.applications) == (applications is G19)

    result = validate(tables, records_for(tables), active, applications)

    assert result.issues == []
    assert result.valid


def hongze_tables() -> Tables:
    """Hand-transcribed truth of a real mixed report (section 二 2021, section 三 2019)."""
    truth = json.loads(HONGZE_TRUTH.read_text(encoding="utf-8"))
    return Tables(**truth["tables"])


def test_hongze_truth_is_valid_without_issues():
    tables = hongze_tables()

    result = validate(tables, records_for(tables), G21, G19)

    assert result.issues == []
    assert result.valid


def test_hongze_balance_message_names_column_and_terms():
    tables = hongze_tables()
    tables.applications["total_processed"]["natural_person"] = 94

    result = validate(tables, [], G21, G19)

    balance = issues_of(result.issues, "applications.balance")
    assert [issue.message for issue in balance] == [
        "自然人 column: 一+二 = 95+0 = 95 but （七）总计+四 = 94+0 = 94"
    ]
    assert (balance[0].expected, balance[0].actual) == (95, 94)
    assert balance[0].cells == [
        "applications.new_received.natural_person",
        "applications.carried_over.natural_person",
        "applications.total_processed.natural_person",
        "applications.carried_forward.natural_person",
    ]


# ---------------------------------------------------------------- broken identities


def test_wrong_grand_total_breaks_exactly_its_three_identities():
    tables = consistent_tables(G21, G21)
    apps = tables.applications
    printed_total = apps["total_processed"]["total"]
    apps["total_processed"]["total"] = printed_total + 1
    key = "applications.total_processed.total"

    result = validate(tables, records_for(tables), G21, G21)

    assert not result.valid
    assert sorted(issue.rule for issue in result.issues) == [
        "applications.balance", "applications.results_total", "applications.row_total"
    ]
    assert all(key in issue.cells and issue.severity == "error" for issue in result.issues)
    by_rule = {issue.rule: issue for issue in result.issues}
    row_total = by_rule["applications.row_total"]
    assert row_total.message.startswith("（七）总计 row: ")
    assert (row_total.expected, row_total.actual) == (printed_total, printed_total + 1)
    balance = by_rule["applications.balance"]
    assert balance.message.startswith("总计 column: 一+二 = ")
    inflow = apps["new_received"]["total"] + apps["carried_over"]["total"]
    assert (balance.expected, balance.actual) == (inflow, inflow + 1)
    results_total = by_rule["applications.results_total"]
    assert (results_total.expected, results_total.actual) == (printed_total, printed_total + 1)
    assert len(results_total.cells) == 1 + len(RESULT_LEAVES[G21])


def test_wrong_review_total_gives_one_issue():
    tables = consistent_tables(G21, G21)
    block = tables.review_litigation["litigation_direct"]
    parts_sum = block["total"]
    block["total"] = parts_sum + 2

    result = validate(tables, records_for(tables), G21, G21)

    assert len(result.issues) == 1
    issue = result.issues[0]
    assert issue.rule == "review_litigation.total"
    assert issue.severity == "error"
    assert issue.cells == [f"review_litigation.litigation_direct.{c}"
                           for c in ("total", "upheld", "corrected", "other", "pending")]
    assert (issue.expected, issue.actual) == (parts_sum, parts_sum + 2)
    assert issue.message.startswith("未经复议直接起诉: 结果维持+结果纠正+其他结果+尚未审结 = ")
    assert not result.valid


def _blank_column(tables: Tables, col: str) -> None:
    """Zero out a column consistently (row totals adjusted), then leave it blank."""
    for row in tables.applications.values():
        row["total"] -= row[col]
        row[col] = None


def test_blank_cells_in_all_zero_column_are_not_errors():
    tables = consistent_tables(G21, G21)
    _blank_column(tables, "research_institution")
    for block in tables.review_litigation.values():
        block.update({c: None for c in REVIEW_COLUMNS})

    result = validate(tables, records_for(tables), G21, G21)

    assert result.issues == []
    assert result.valid


def test_blank_total_column_in_leaf_rows_is_an_error_naming_blanks():
    # SH19: 总计 left blank in every result leaf row while （七）总计 × 总计 is printed.
    tables = consistent_tables(G19, G19)
    for leaf in RESULT_LEAVES[G19]:
        tables.applications[leaf]["total"] = None
    printed = tables.applications["total_processed"]["total"]

    result = validate(tables, records_for(tables), G19, G19)

    assert not result.valid
    results_total = issues_of(result.issues, "applications.results_total")
    assert len(results_total) == 1
    assert results_total[0].message.startswith("总计 column: ")
    assert "blank cells counted as 0: applications.granted.total" in results_total[0].message
    assert (results_total[0].expected, results_total[0].actual) == (0, printed)
    nonzero_leaves = [leaf for leaf in RESULT_LEAVES[G19]
                      if sum(tables.applications[leaf][c] for c in PARTS) > 0]
    row_totals = issues_of(result.issues, "applications.row_total")
    assert len(row_totals) == len(nonzero_leaves) > 0
    assert all("blank cells counted as 0" in issue.message for issue in row_totals)
    assert {issue.severity for issue in result.issues} == {"error"}


# ---------------------------------------------------------------- single values


def test_decimal_in_count_column_is_an_error_but_not_in_fee_amount():
    tables = consistent_tables(G21, G21)
    assert isinstance(tables.active_disclosure["fees"]["amount"], float)
    tables.active_disclosure["licensing"]["decisions"] = 12.5

    result = validate(tables, records_for(tables), G21, G21)

    assert [(i.rule, i.cells, i.actual) for i in result.issues] == [
        ("value.not_integer", ["active_disclosure.licensing.decisions"], 12.5)
    ]
    assert not result.valid


def test_negative_change_is_allowed_in_2019_but_negative_count_is_not():
    tables = consistent_tables(G19, G19)
    tables.active_disclosure["licensing"]["change"] = -253
    tables.active_disclosure["penalty"]["decisions"] = -4

    result = validate(tables, records_for(tables), G19, G19)

    assert [(i.rule, i.severity, i.cells) for i in result.issues] == [
        ("value.negative", "error", ["active_disclosure.penalty.decisions"])
    ]


def test_plus_sign_in_unsigned_column_is_flagged_but_not_in_change():
    tables = consistent_tables(G19, G19)
    tables.active_disclosure["other_services"]["previous_items"] = 22
    tables.active_disclosure["licensing"]["change"] = 3
    records = records_for(tables)
    records = replace_record(records, "active_disclosure.other_services.previous_items", raw="+22")
    records = replace_record(records, "active_disclosure.licensing.change", raw="+3")

    result = validate(tables, records, G19, G19)

    assert [(i.rule, i.severity, i.cells) for i in result.issues] == [
        ("value.unexpected_sign", "warning", ["active_disclosure.other_services.previous_items"])
    ]
    assert result.valid


def test_garbled_text_without_value_is_flagged_but_placeholders_are_not():
    tables = consistent_tables(G21, G21)
    _blank_column(tables, "other_org")
    records = records_for(tables)
    records = replace_record(records, "applications.granted.other_org", raw="l0B")
    records = replace_record(records, "applications.denied_state_secret.other_org", raw="—")
    records = replace_record(records, "applications.unable_unclear.other_org", raw="/")
    records = replace_record(records, "applications.rejected_duplicate.other_org", raw="-")

    result = validate(tables, records, G21, G21)

    assert [(i.rule, i.cells) for i in result.issues] == [
        ("value.unparsed", ["applications.granted.other_org"])
    ]


def test_published_exceeding_total_warns_in_2019_only_block():
    tables = consistent_tables(G19, G19)
    tables.active_disclosure["normative_documents"].update(published=40, total_published=30)

    result = validate(tables, records_for(tables), G19, G19)

    assert [(i.rule, i.severity, i.expected, i.actual) for i in result.issues] == [
        ("active_disclosure.published_exceeds_total", "warning", 30, 40)
    ]
    assert result.issues[0].cells == [
        "active_disclosure.normative_documents.published",
        "active_disclosure.normative_documents.total_published",
    ]
    assert result.valid


def test_missing_cell_is_reported_once_and_its_identities_skipped():
    tables = consistent_tables(G21, G21)
    del tables.applications["carried_over"]["natural_person"]
    tables.applications["carried_over"]["total"] += 5  # would break row_total[carried_over]

    result = validate(tables, records_for(tables), G21, G21)

    # balance[total] still runs and sees the +5; row_total[carried_over] and
    # balance[natural_person] are skipped.
    assert sorted((i.rule, i.severity) for i in result.issues) == [
        ("applications.balance", "error"), ("cell.missing", "warning")
    ]
    missing = issues_of(result.issues, "cell.missing")[0]
    assert missing.cells == ["applications.carried_over.natural_person"]


def test_empty_review_table_is_one_warning():
    tables = consistent_tables(G21, G21)
    tables.review_litigation = {}

    result = validate(tables, records_for(tables), G21, G21)

    assert [(i.rule, i.severity, i.cells) for i in result.issues] == [
        ("table.missing", "warning", [])
    ]
    assert "review_litigation" in result.issues[0].message


def test_applications_table_not_found_is_reported_even_without_its_generation():
    tables = consistent_tables(G21, G21)
    tables.applications = {}

    result = validate(tables, records_for(tables), G21, None)

    assert [(i.rule, i.cells) for i in result.issues] == [("table.missing", [])]
    assert result.issues[0].message.startswith("applications:")


# ---------------------------------------------------------------- provenance


def test_low_confidence_cell_breaking_row_total_gets_suggestion():
    tables = consistent_tables(G21, G21)
    key = "applications.granted.natural_person"
    printed_right = tables.applications["granted"]["natural_person"]
    tables.applications["granted"]["natural_person"] = printed_right + 5  # OCR misread
    records = replace_record(records_for(tables), key, confidence=0.61)

    result = validate(tables, records, G21, G21)

    row_total = issues_of(result.issues, "applications.row_total")
    assert len(row_total) == 1
    assert row_total[0].suggestion == {key: printed_right}
    results_total = issues_of(result.issues, "applications.results_total")
    assert [i.suggestion for i in results_total] == [{key: printed_right}]
    low = issues_of(result.issues, "value.low_confidence")
    assert [(i.cells, i.severity) for i in low] == [([key], "warning")]
    assert tables.applications["granted"]["natural_person"] == printed_right + 5


def test_no_suggestion_when_two_cells_are_in_doubt():
    tables = consistent_tables(G21, G21)
    tables.applications["granted"]["natural_person"] += 5
    records = replace_record(records_for(tables), "applications.granted.natural_person",
                             confidence=0.5)
    records = replace_record(records, "applications.granted.total", confidence=0.5)

    result = validate(tables, records, G21, G21)

    row_total = issues_of(result.issues, "applications.row_total")
    assert len(row_total) == 1
    assert row_total[0].suggestion is None


def test_confidence_at_threshold_is_not_low():
    tables = consistent_tables(G21, G21)
    records = replace_record(records_for(tables), "applications.granted.natural_person",
                             confidence=LOW_CONFIDENCE_THRESHOLD)

    assert validate(tables, records, G21, G21).issues == []


def test_positional_placement_gives_one_warning_naming_cells():
    tables = consistent_tables(G21, G21)
    keys = ["applications.denied_state_secret.natural_person",
            "applications.denied_state_secret.total",
            "review_litigation.review.pending"]
    records = records_for(tables)
    for key in keys:
        records = replace_record(records, key, placement="position")

    result = validate(tables, records, G21, G21)

    assert [(i.rule, i.severity, i.cells) for i in result.issues] == [
        ("label.positional_fallback", "warning", keys)
    ]
    assert all(key in result.issues[0].message for key in keys)
    assert result.valid


def test_a_title_read_unsure_is_a_warning_naming_organization_and_year():
    tables = hongze_tables()
    result = validate(tables, records_for(tables), G21, G19, title_confidence=0.81)
    [issue] = result.issues
    assert (issue.rule, issue.severity) == ("report.low_confidence", "warning")
    assert issue.cells == ["report.organization", "report.year"] and "0.81" in issue.message
    assert result.valid
    assert validate(tables, records_for(tables), G21, G19, title_confidence=0.93).issues == []


def test_a_title_the_body_contradicts_is_a_warning_on_that_field():
    tables = hongze_tables()
    result = validate(tables, records_for(tables), G21, G19,
                      organization_in_body="吴忠市生态环境局盐池分局", year_in_body=2020)
    assert [(i.rule, i.severity, i.cells) for i in result.issues] == [
        ("report.organization_not_in_body", "warning", ["report.organization"]),
        ("report.year_not_in_body", "warning", ["report.year"]),
    ]
    assert "吴忠市生态环境局盐池分局" in result.issues[0].message
    assert "2020" in result.issues[1].message and result.valid


# ---------------------------------------------------------------- rule table


def test_rule_table_lists_every_public_rule_once():
    ids = [rule.id for rule in RULES]
    assert sorted(ids) == sorted([
        "applications.balance", "applications.row_total", "applications.results_total",
        "review_litigation.total", "value.not_integer", "value.negative",
        "value.unexpected_sign", "value.unparsed", "active_disclosure.published_exceeds_total",
        "label.positional_fallback", "value.low_confidence", "cell.missing", "table.missing",
        "value.unit_in_cell", "value.blank_on_scan", "value.sign_on_scan", "report.low_confidence",
        "report.organization_not_in_body", "report.year_not_in_body",
    ])
    errors = {rule.id for rule in RULES if rule.severity == "error"}
    assert errors == {"applications.balance", "applications.row_total",
                      "applications.results_total", "review_litigation.total",
                      "value.not_integer", "value.negative"}
    assert "| `applications.balance` | error |" in rules_markdown()


def test_readme_lists_the_rules_as_the_validator_defines_them():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert rules_markdown().strip() in readme


def test_an_identity_with_cells_absent_still_bounds_the_side_that_is_complete():
    tables = consistent_tables(G21, G21)
    row = tables.applications["carried_over"]
    del row["natural_person"]
    row["commercial_enterprise"] = row["total"] + 300  # a shifted "310" beside its total

    result = validate(tables, records_for(tables), G21, G21)

    [bounded] = [i for i in result.issues if i.rule == "applications.row_total"]
    assert bounded.severity == "error"
    assert "applications.carried_over.commercial_enterprise" in bounded.cells
    assert "applications.carried_over.total" in bounded.cells
    assert "applications.carried_over.natural_person" not in bounded.cells
    assert bounded.expected == row["total"]
    assert bounded.actual == sum(v for k, v in row.items() if k != "total")
    assert "absent: applications.carried_over.natural_person" in bounded.message


def test_blank_cells_read_by_ocr_are_named_once_and_text_layer_blanks_are_not():
    tables = consistent_tables(G21, G21)
    tables.applications["granted"]["natural_person"] = None
    tables.applications["granted"]["total"] = None
    # natural_person read blank by OCR; total blank in a text layer
    records = replace_record(records_for(tables), "applications.granted.natural_person",
                             source="ocr")

    result = validate(tables, records, G21, G21)

    [blank] = issues_of(result.issues, "value.blank_on_scan")
    assert (blank.severity, blank.cells) == ("warning", ["applications.granted.natural_person"])


def test_a_change_read_from_a_scan_without_the_sign_the_others_print_is_named():
    # g2019-006 150 heavy colour (unseen bench, seed 9): "-134" faded to a sure "134"
    tables = consistent_tables(G19, G19)
    active = tables.active_disclosure
    for cols in active.values():
        if "change" in cols:
            cols["change"] = 0
    active["licensing"]["change"], active["other_services"]["change"] = 6, 134
    records = records_for(tables)
    for key, raw in (("licensing", "+6"), ("other_services", "134")):
        records = replace_record(records, f"active_disclosure.{key}.change", raw=raw,
                                 source="ocr")

    [unsigned] = issues_of(validate(tables, records, G19, G19).issues, "value.sign_on_scan")
    assert unsigned.cells == ["active_disclosure.other_services.change"]
    assert unsigned.severity == "warning"
    # an office that signs none of its changes: nothing to tell a lost sign by
    unsigned_office = replace_record(records, "active_disclosure.licensing.change", raw="6")
    assert not issues_of(validate(tables, unsigned_office, G19, G19).issues,
                         "value.sign_on_scan")
    # a text layer's unsigned change is what was printed
    printed = replace_record(records, "active_disclosure.other_services.change", source="text")
    assert not issues_of(validate(tables, printed, G19, G19).issues, "value.sign_on_scan")


def test_a_table_whose_generation_was_not_told_names_the_cells_of_either_layout_it_lacks():
    tables = consistent_tables(G21, G21)
    tables.applications = {"granted": tables.applications["granted"]}  # the rest unreadable

    result = validate(tables, records_for(tables), G21, None)

    missing = {c for i in issues_of(result.issues, "cell.missing") for c in i.cells}
    assert "applications.new_received.total" in missing  # in both generations
    assert "applications.other_processing.total" in missing  # 2019 only
    assert "applications.other_no_fee.total" in missing  # 2021 only
    assert "applications.granted.total" not in missing
    assert not any("table.missing" == i.rule for i in result.issues)


def test_a_guessed_generation_names_the_missing_cells_of_the_other_layout_too():
    tables = consistent_tables(G21, G21)
    for row in ("other_no_correction", "other_no_fee", "other_other"):
        del tables.applications[row]  # the rows that tell the generations apart, lost

    told = validate(tables, records_for(tables), G21, G21)
    guessed = validate(tables, records_for(tables), G21, G21, applications_told=False)

    def missing(result):
        return {c for i in issues_of(result.issues, "cell.missing") for c in i.cells}
    assert "applications.other_processing.total" not in missing(told)
    assert "applications.other_processing.total" in missing(guessed)
    assert "applications.other_no_fee.total" in missing(guessed)
    assert "applications.granted.total" not in missing(guessed)
